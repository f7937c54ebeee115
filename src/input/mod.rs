//! Reading inputs: finding the files, telling their kinds apart by content,
//! and turning each into typed records.

pub mod amount;
pub mod cache;
pub mod cells;
pub mod classify;
pub mod date;
pub mod discover;
pub mod export;
pub mod profile;
pub mod rates;
pub mod table;
pub mod text;
pub mod workbook;

use std::fmt;

/// What an input file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    CampaignWorkbook,
    AdExport,
    Rates,
    Configuration,
    /// A report spendsheet wrote, found among the inputs.
    Report,
    Unknown,
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SourceKind::CampaignWorkbook => "campaign workbook",
            SourceKind::AdExport => "ad export",
            SourceKind::Rates => "rates",
            SourceKind::Configuration => "configuration",
            SourceKind::Report => "spendsheet report",
            SourceKind::Unknown => "unknown",
        })
    }
}

/// Whether an input's figures are in the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceStatus {
    Used,
    /// It has errors; its figures are left out.
    Rejected,
    /// Read, but some of its rows had errors and are left out.
    Partial,
    /// Deliberately not read, and why (a duplicate, a configuration
    /// overridden by `--config`).
    Ignored(String),
}

impl fmt::Display for SourceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceStatus::Used => f.write_str("used"),
            SourceStatus::Rejected => f.write_str("rejected: has errors"),
            SourceStatus::Partial => f.write_str("used in part: rows with errors left out"),
            SourceStatus::Ignored(why) => write!(f, "ignored: {why}"),
        }
    }
}

/// An input as the report's `Sources` sheet lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    pub file: String,
    pub kind: SourceKind,
    /// The export profile that recognised it.
    pub profile: Option<String>,
    pub rows_read: u64,
    pub rows_used: u64,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    pub status: SourceStatus,
}
