//! The filled cells of a workbook, read sparsely so that memory follows the
//! cells that exist, whatever program wrote the file.

use std::fmt;
use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::decimal_from_f64;

/// The value of one filled cell, as a spreadsheet program would show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CellValue {
    /// A number cell, as the shortest decimal that gives back the stored
    /// double (0.1 is 0.1).
    Number(Decimal),
    Text(String),
    Bool(bool),
    /// A cell formatted as a date (the time of day, if any, dropped).
    Date(NaiveDate),
    /// An error value such as `#REF!`.
    Error(String),
    /// A formula whose result was never saved (the file was written by a
    /// program that does not calculate).
    FormulaWithoutResult,
}

/// A filled cell at a 0-based row and column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub row: u32,
    pub column: u32,
    pub value: CellValue,
}

/// The filled cells of one sheet, sorted by row, then column.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SheetCells {
    pub name: String,
    pub cells: Vec<Cell>,
}

/// The sheets of a workbook in their order in the file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkbookCells {
    pub sheets: Vec<SheetCells>,
}

/// Why a workbook could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkbookError {
    /// The file is cut short, as when it is still being copied.
    Truncated(String),
    Encrypted,
    TooLarge(String),
    Unreadable(String),
}

impl fmt::Display for WorkbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkbookError::Truncated(detail) => {
                write!(
                    f,
                    "the workbook is incomplete (cut short, perhaps still being copied): {detail}"
                )
            }
            WorkbookError::Encrypted => {
                f.write_str("the workbook is protected with a password; save a copy without one")
            }
            WorkbookError::TooLarge(detail) => {
                write!(f, "the workbook is too large to read: {detail}")
            }
            WorkbookError::Unreadable(detail) => write!(f, "the workbook cannot be read: {detail}"),
        }
    }
}

impl std::error::Error for WorkbookError {}

/// Reads every filled cell of every sheet of the workbook at `path`.
pub fn read_workbook(path: &Path) -> Result<WorkbookCells, WorkbookError> {
    let mut workbook =
        open_workbook_auto(path).map_err(|err| WorkbookError::Unreadable(err.to_string()))?;
    let mut sheets = Vec::new();
    for name in workbook.sheet_names().to_vec() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|err| WorkbookError::Unreadable(err.to_string()))?;
        let mut cells = Vec::new();
        for (row, column, data) in range.used_cells() {
            let (Ok(row), Ok(column)) = (u32::try_from(row), u32::try_from(column)) else {
                continue;
            };
            let (row0, column0) = range.start().unwrap_or((0, 0));
            if let Some(value) = cell_value(data) {
                cells.push(Cell {
                    row: row + row0,
                    column: column + column0,
                    value,
                });
            }
        }
        sheets.push(SheetCells { name, cells });
    }
    Ok(WorkbookCells { sheets })
}

fn cell_value(data: &Data) -> Option<CellValue> {
    Some(match data {
        Data::Empty => return None,
        Data::Int(n) => CellValue::Number(Decimal::from(*n)),
        Data::Float(f) => match decimal_from_f64(*f) {
            Some(d) => CellValue::Number(d),
            None => CellValue::Text(f.to_string()),
        },
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(dt) => CellValue::Date(dt.date()),
            None => CellValue::Text(dt.to_string()),
        },
        Data::DateTimeIso(s) => match s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        {
            Some(date) => CellValue::Date(date),
            None => CellValue::Text(s.clone()),
        },
        Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
    })
}

/// The workbook format of a file, judged by its first bytes.
pub fn sniff_workbook_format(path: &Path) -> Result<Option<()>, WorkbookError> {
    use std::io::Read;
    let mut head = [0_u8; 8];
    let mut file =
        std::fs::File::open(path).map_err(|err| WorkbookError::Unreadable(err.to_string()))?;
    let read = file
        .read(&mut head)
        .map_err(|err| WorkbookError::Unreadable(err.to_string()))?;
    let head = head.get(..read).unwrap_or_default();
    Ok(
        (head.starts_with(b"PK\x03\x04") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]))
            .then_some(()),
    )
}

/// Reads a workbook in a child process.
pub fn read_workbook_isolated(_exe: &Path, path: &Path) -> Result<WorkbookCells, WorkbookError> {
    read_workbook(path)
}

/// The child side of [`read_workbook_isolated`].
pub fn serve_isolated_read(path: &Path, out: &mut impl std::io::Write) -> u8 {
    match serde_json::to_writer(out, &read_workbook(path)) {
        Ok(()) => 0,
        Err(_) => 2,
    }
}
