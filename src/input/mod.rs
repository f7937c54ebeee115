//! Reading inputs: finding the files, telling their kinds apart by content,
//! and turning each into typed records.

pub mod amount;
pub mod cells;
pub mod date;
pub mod discover;
pub mod table;
pub mod workbook;
