//! xlsx and xlsb sheets, read one cell at a time so that memory follows the
//! filled cells and never the area they span: a stray cell at XFD1048576
//! costs one cell, not a grid of 17 billion.

use std::io::{Read, Seek};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsb, XlsbError, Xlsx, XlsxError};

use super::{
    Budget, Cell, CellValue, SheetCells, WorkbookCells, WorkbookError, in_sheet, merged_regions,
    open_buffered, package, value, worksheet_names,
};

/// Reads an xlsx (or xlsm) workbook.
///
/// A formula cell has no saved result when its `<v>` is missing, or when
/// the workbook asks to be recalculated on opening and the stored result is
/// the placeholder 0: both become [`CellValue::FormulaWithoutResult`].
pub(super) fn read_xlsx(path: &Path) -> Result<WorkbookCells, WorkbookError> {
    let mut archive = package::open_checked_package(path)?;
    let placeholder_results = package::recalculates_on_load(&mut archive)?;
    drop(archive);

    let mut workbook = Xlsx::new(open_buffered(path)?).map_err(xlsx_error)?;
    let is_1904 = workbook.has_1904_epoch();
    let mut budget = Budget::new();
    let mut sheets = Vec::new();
    for name in worksheet_names(workbook.sheets_metadata()) {
        let sheet = XlsxSheet {
            name: &name,
            is_1904,
            placeholder_results,
        };
        let cells = sheet
            .cells(&mut workbook, &mut budget)
            .map_err(|err| in_sheet(&name, err))?;
        // The merged ranges follow the cells in the sheet XML, so they take
        // a second pass over it; the package check bounds its length.
        let regions = workbook
            .merge_cells_by_sheet_name(&name)
            .map_err(|err| in_sheet(&name, xlsx_error(err)))?;
        let merged = merged_regions(&regions, &mut budget)?;
        sheets.push(SheetCells::new(name, cells, merged));
    }
    Ok(WorkbookCells { sheets })
}

/// How the cells of one xlsx sheet are read.
struct XlsxSheet<'a> {
    name: &'a str,
    is_1904: bool,
    /// Stored formula results of 0 are placeholders (`fullCalcOnLoad`).
    placeholder_results: bool,
}

impl XlsxSheet<'_> {
    fn cells<RS: Read + Seek>(
        &self,
        workbook: &mut Xlsx<RS>,
        budget: &mut Budget,
    ) -> Result<Vec<Cell>, WorkbookError> {
        let mut reader = workbook
            .worksheet_cells_reader(self.name)
            .map_err(xlsx_error)?;
        let mut cells = Vec::new();
        while let Some(record) = reader
            .next_cell_with_formula_metadata()
            .map_err(xlsx_error)?
        {
            let without_result = record.formula.is_some()
                && (record.value == DataRef::Empty
                    || (self.placeholder_results && is_placeholder(&record.value)));
            let value = if without_result {
                Some(CellValue::FormulaWithoutResult)
            } else {
                value::from_data_ref(&record.value, self.is_1904)
            };
            let Some(value) = value else {
                continue;
            };
            budget.spend(&value)?;
            let (row, column) = record.pos;
            cells.push(Cell { row, column, value });
        }
        Ok(cells)
    }
}

/// Whether a stored formula result is the `0` (or empty text) that writers
/// which do not calculate store in every formula cell. In a workbook that
/// asks to be recalculated on opening, such a result is not one: any other
/// result was set on purpose by the program that wrote the file and is
/// kept. A formula whose true result is 0 in such a file is reported too;
/// opening and saving it in a spreadsheet program settles it.
fn is_placeholder(value: &DataRef<'_>) -> bool {
    match value {
        DataRef::Float(number) => *number == 0.0,
        DataRef::Int(number) => *number == 0,
        DataRef::String(text) => text.is_empty(),
        DataRef::SharedString(text) => text.is_empty(),
        _ => false,
    }
}

/// Reads an xlsb workbook.
///
/// Every xlsb formula record carries its result, and calamine does not
/// expose the workbook's recalculation flag (`BrtCalcProp`), so formula
/// cells are read through their stored result. Only Excel writes xlsb, and
/// it always calculates before saving. calamine cannot tell merged ranges
/// for xlsb either.
pub(super) fn read_xlsb(path: &Path) -> Result<WorkbookCells, WorkbookError> {
    drop(package::open_checked_package(path)?);

    let mut workbook = Xlsb::new(open_buffered(path)?).map_err(xlsb_error)?;
    let is_1904 = workbook.has_1904_epoch();
    let mut budget = Budget::new();
    let mut sheets = Vec::new();
    for name in worksheet_names(workbook.sheets_metadata()) {
        let cells = xlsb_cells(&mut workbook, &name, is_1904, &mut budget)
            .map_err(|err| in_sheet(&name, err))?;
        sheets.push(SheetCells::new(name, cells, Vec::new()));
    }
    Ok(WorkbookCells { sheets })
}

fn xlsb_cells<RS: Read + Seek>(
    workbook: &mut Xlsb<RS>,
    name: &str,
    is_1904: bool,
    budget: &mut Budget,
) -> Result<Vec<Cell>, WorkbookError> {
    let mut reader = workbook.worksheet_cells_reader(name).map_err(xlsb_error)?;
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(xlsb_error)? {
        let Some(value) = value::from_data_ref(cell.get_value(), is_1904) else {
            continue;
        };
        budget.spend(&value)?;
        let (row, column) = cell.get_position();
        cells.push(Cell { row, column, value });
    }
    Ok(cells)
}

fn xlsx_error(err: XlsxError) -> WorkbookError {
    match err {
        XlsxError::Password => WorkbookError::Encrypted,
        other => WorkbookError::Unreadable(other.to_string()),
    }
}

fn xlsb_error(err: XlsbError) -> WorkbookError {
    match err {
        XlsbError::Password => WorkbookError::Encrypted,
        other => WorkbookError::Unreadable(other.to_string()),
    }
}
