//! The filled cells of a workbook, read sparsely so that memory follows the
//! cells that exist, whatever program wrote the file.
//!
//! The format is told from the content ([`sniff_workbook_format`]), never
//! from the name. xlsx and xlsb sheets are streamed cell by cell; xls and
//! ods can only be read as dense grids, which one bogus record can make
//! huge, and any reader may panic on a corrupt file. Files from outside
//! are therefore read with [`read_workbook_isolated`], which runs the read
//! in a child process with lowered resource limits.

mod dense;
mod isolated;
mod package;
mod streamed;
mod value;

use std::any::Any;
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use calamine::{Dimensions, Sheet, SheetType};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use isolated::{
    ISOLATED_READ_ARG, ISOLATED_READ_CPU_SECONDS, ISOLATED_READ_DEADLINE,
    ISOLATED_READ_MEMORY_BYTES, read_workbook_isolated, read_workbook_isolated_within,
    serve_isolated_read,
};
pub use package::{WorkbookFormat, sniff_workbook_format};

/// The most filled cells read from one workbook, merged regions included.
/// Campaign workbooks hold thousands; a file with more is refused rather
/// than held in memory.
pub const MAX_FILLED_CELLS: usize = 5_000_000;

/// The most bytes of text read from one workbook.
pub const MAX_TEXT_BYTES: usize = 256 << 20;

/// The value of one filled cell, as a spreadsheet program would show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CellValue {
    /// A number cell, as the shortest decimal that gives back the stored
    /// double (0.1 is 0.1).
    Number(Decimal),
    /// Text, and whatever has no better variant: times of day
    /// (`14:30:00`), durations (`255:10:10`, or ISO 8601 from ods) and
    /// numbers no decimal can hold.
    Text(String),
    Bool(bool),
    /// A cell formatted as a date (the time of day, if any, dropped), in the
    /// workbook's date system (1900 or 1904).
    Date(NaiveDate),
    /// An error value such as `#REF!`.
    Error(String),
    /// A formula whose result was never saved (the file was written by a
    /// program that does not calculate), or whose saved result is only the
    /// placeholder 0 such programs store in an xlsx that asks to be
    /// recalculated on opening (`fullCalcOnLoad`).
    FormulaWithoutResult,
}

/// A filled cell at a 0-based row and column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub row: u32,
    pub column: u32,
    pub value: CellValue,
}

/// A range of merged cells, 0-based and inclusive. Only its top-left cell
/// holds a value; a spreadsheet shows that value across the whole range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergedRegion {
    pub first_row: u32,
    pub first_column: u32,
    pub last_row: u32,
    pub last_column: u32,
}

impl MergedRegion {
    /// Whether the cell at `row` and `column` lies in this region.
    pub fn contains(&self, row: u32, column: u32) -> bool {
        (self.first_row..=self.last_row).contains(&row)
            && (self.first_column..=self.last_column).contains(&column)
    }

    fn from_dimensions(dimensions: &Dimensions) -> MergedRegion {
        MergedRegion {
            first_row: dimensions.start.0,
            first_column: dimensions.start.1,
            last_row: dimensions.end.0,
            last_column: dimensions.end.1,
        }
    }
}

/// The filled cells of one sheet, sorted by row, then column.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SheetCells {
    pub name: String,
    pub cells: Vec<Cell>,
    /// The merged ranges of the sheet, for xlsx and xls. calamine cannot
    /// tell them for xlsb and ods, where this is always empty.
    #[serde(default)]
    pub merged: Vec<MergedRegion>,
}

impl SheetCells {
    /// Sorts the cells; a position given twice (only a broken writer does
    /// that) keeps its first value.
    fn new(name: String, mut cells: Vec<Cell>, merged: Vec<MergedRegion>) -> SheetCells {
        cells.sort_by_key(|cell| (cell.row, cell.column));
        cells.dedup_by_key(|cell| (cell.row, cell.column));
        SheetCells {
            name,
            cells,
            merged,
        }
    }
}

/// The worksheets of a workbook in their order in the file. Chart sheets,
/// dialog sheets and macro sheets hold no cells of interest and are left
/// out.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WorkbookCells {
    pub sheets: Vec<SheetCells>,
}

/// Why a workbook could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WorkbookError {
    /// The file is cut short, as when it is still being copied: worth
    /// trying again later.
    Truncated(String),
    Encrypted,
    /// The file asks for more cells, memory or time than its content
    /// justifies.
    TooLarge(String),
    /// The file is no workbook, or a damaged one.
    Unreadable(String),
    /// The file could not be read from disk, or the process that reads it
    /// could not be run.
    Io(String),
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
            WorkbookError::Io(detail) => write!(f, "the workbook could not be read: {detail}"),
        }
    }
}

impl std::error::Error for WorkbookError {}

/// Reads every filled cell of every worksheet of the workbook at `path`,
/// in this process. The format is told from the content, so a workbook
/// named `.dat` reads too.
///
/// A panic in a reader becomes [`WorkbookError::Unreadable`] (the panic
/// hook still runs), but an xls or ods file can still make this process
/// allocate far more memory than its size: read files from outside with
/// [`read_workbook_isolated`].
pub fn read_workbook(path: &Path) -> Result<WorkbookCells, WorkbookError> {
    without_panics(|| {
        let format = sniff_workbook_format(path)?.ok_or_else(|| {
            WorkbookError::Unreadable(
                "it is not a workbook (xlsx, xlsm, xlsb, xls or ods)".to_string(),
            )
        })?;
        read_workbook_as(path, format)
    })
}

/// Reads the workbook at `path` as `format`, for callers that have already
/// sniffed it.
pub fn read_workbook_as(
    path: &Path,
    format: WorkbookFormat,
) -> Result<WorkbookCells, WorkbookError> {
    without_panics(|| match format {
        WorkbookFormat::Xlsx => streamed::read_xlsx(path),
        WorkbookFormat::Xlsb => streamed::read_xlsb(path),
        WorkbookFormat::Xls => dense::read_xls(path),
        WorkbookFormat::Ods => dense::read_ods(path),
    })
}

/// Runs `read`, turning a panic (calamine indexes into records it has not
/// checked) into an error. Nothing read survives the panic, so no broken
/// state can be observed.
fn without_panics(
    read: impl FnOnce() -> Result<WorkbookCells, WorkbookError>,
) -> Result<WorkbookCells, WorkbookError> {
    panic::catch_unwind(AssertUnwindSafe(read)).unwrap_or_else(|payload| {
        Err(WorkbookError::Unreadable(format!(
            "its content is malformed (the reader stopped: {})",
            panic_message(payload.as_ref())
        )))
    })
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "no message"
    }
}

/// What is left of the per-workbook limits while a workbook is read.
#[derive(Debug)]
struct Budget {
    cells: usize,
    text_bytes: usize,
}

impl Budget {
    fn new() -> Budget {
        Budget {
            cells: MAX_FILLED_CELLS,
            text_bytes: MAX_TEXT_BYTES,
        }
    }

    /// Accounts for one more filled cell.
    fn spend(&mut self, value: &CellValue) -> Result<(), WorkbookError> {
        self.spend_cell()?;
        if let CellValue::Text(text) | CellValue::Error(text) = value {
            self.text_bytes = self.text_bytes.checked_sub(text.len()).ok_or_else(|| {
                WorkbookError::TooLarge(format!(
                    "its cells hold more than {} MB of text",
                    MAX_TEXT_BYTES >> 20
                ))
            })?;
        }
        Ok(())
    }

    /// Accounts for a cell or merged region.
    fn spend_cell(&mut self) -> Result<(), WorkbookError> {
        self.cells = self.cells.checked_sub(1).ok_or_else(|| {
            WorkbookError::TooLarge(format!(
                "it has more than {} filled cells (and merged ranges), the most read from one \
                 workbook",
                thousands(MAX_FILLED_CELLS)
            ))
        })?;
        Ok(())
    }
}

/// `5000000` as `5,000,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// The merged regions of a sheet, each counted against the cell budget.
fn merged_regions(
    regions: &[Dimensions],
    budget: &mut Budget,
) -> Result<Vec<MergedRegion>, WorkbookError> {
    let mut merged = Vec::with_capacity(regions.len().min(1024));
    for region in regions {
        budget.spend_cell()?;
        merged.push(MergedRegion::from_dimensions(region));
    }
    Ok(merged)
}

/// The names of the sheets that hold cells, in workbook order.
fn worksheet_names(sheets: &[Sheet]) -> Vec<String> {
    sheets
        .iter()
        .filter(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .collect()
}

/// Says which sheet a reading error comes from.
fn in_sheet(name: &str, err: WorkbookError) -> WorkbookError {
    match err {
        WorkbookError::Unreadable(detail) => {
            WorkbookError::Unreadable(format!("in sheet '{name}': {detail}"))
        }
        other => other,
    }
}

fn open_buffered(path: &Path) -> Result<BufReader<File>, WorkbookError> {
    File::open(path).map(BufReader::new).map_err(io_error)
}

fn io_error(err: io::Error) -> WorkbookError {
    WorkbookError::Io(err.to_string())
}

#[cfg(test)]
mod tests;
