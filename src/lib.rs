//! spendsheet consolidates campaign budgets, ad-platform spend and exchange
//! rates into one Excel report that a finance team can audit.
//!
//! The pipeline, one module per stage: [`input`] finds and reads the files,
//! [`model`] builds campaigns with their items, [`fx`] converts currencies,
//! [`consolidate`] computes every shown amount and total, [`report`] writes
//! the workbook and [`summary`] the JSON summary; [`watch`] keeps a
//! folder's report current.

pub mod ads;
pub mod config;
pub mod consolidate;
pub mod fx;
pub mod input;
pub mod issue;
pub mod model;
pub mod money;
pub mod pipeline;
pub mod report;
pub mod summary;
pub mod template;
pub mod watch;
