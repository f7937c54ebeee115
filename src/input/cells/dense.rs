//! xls and ods sheets, which calamine reads only as dense grids over the
//! area their cells span. The grid is built when the file is opened, so
//! nothing here can bound its size: a bogus dimension record or a huge
//! `number-rows-repeated` makes it huge before the first cell is seen. The
//! bound is the child process of [`super::read_workbook_isolated`].

use std::path::Path;

use calamine::{Data, Ods, OdsError, Range, Reader, Xls, XlsError};

use super::{
    Budget, Cell, CellValue, SheetCells, WorkbookCells, WorkbookError, in_sheet, merged_regions,
    open_buffered, package, value, worksheet_names,
};

/// Reads an xls workbook (BIFF5 or BIFF8).
pub(super) fn read_xls(path: &Path) -> Result<WorkbookCells, WorkbookError> {
    let mut workbook = Xls::new(open_buffered(path)?).map_err(|err| xls_error(path, err))?;
    let is_1904 = workbook.has_1904_epoch();
    let mut budget = Budget::new();
    let mut sheets = Vec::new();
    for name in worksheet_names(workbook.sheets_metadata()) {
        let values = workbook
            .worksheet_range(&name)
            .map_err(|err| in_sheet(&name, xls_error(path, err)))?;
        // Every BIFF formula record stores a result, so this only finds
        // string formulas whose result record is missing.
        let formulas = workbook.worksheet_formula(&name).ok();
        let cells = grid_cells(&values, formulas.as_ref(), is_1904, &mut budget)?;
        let regions = workbook
            .merge_cells_by_sheet_name(&name)
            .map_err(|err| in_sheet(&name, xls_error(path, err)))?;
        let merged = merged_regions(&regions, &mut budget)?;
        sheets.push(SheetCells::new(name, cells, merged));
    }
    Ok(WorkbookCells { sheets })
}

/// Reads an ods workbook. ods dates are ISO 8601 text, so there is no date
/// system to honour; calamine cannot tell merged ranges for ods.
pub(super) fn read_ods(path: &Path) -> Result<WorkbookCells, WorkbookError> {
    drop(package::open_checked_package(path)?);

    let mut workbook = Ods::new(open_buffered(path)?).map_err(ods_error)?;
    let mut budget = Budget::new();
    let mut sheets = Vec::new();
    for name in worksheet_names(workbook.sheets_metadata()) {
        let values = workbook
            .worksheet_range(&name)
            .map_err(|err| in_sheet(&name, ods_error(err)))?;
        // A formula cell written without its result has no office:value.
        let formulas = workbook.worksheet_formula(&name).ok();
        let cells = grid_cells(&values, formulas.as_ref(), false, &mut budget)?;
        sheets.push(SheetCells::new(name, cells, Vec::new()));
    }
    Ok(WorkbookCells { sheets })
}

/// The filled cells of a dense grid, at their positions in the sheet, with
/// formula cells that have no value as [`CellValue::FormulaWithoutResult`]
/// and formula cells that hold an error text as [`CellValue::Error`].
fn grid_cells(
    values: &Range<Data>,
    formulas: Option<&Range<String>>,
    is_1904: bool,
    budget: &mut Budget,
) -> Result<Vec<Cell>, WorkbookError> {
    let formula_cells = formula_positions(formulas);
    let mut cells = Vec::new();
    let origin = values.start().unwrap_or((0, 0));
    for (row, column, data) in values.used_cells() {
        let Some((row, column)) = absolute(origin, row, column) else {
            continue;
        };
        let value = match data {
            // LibreOffice saves a formula's error as text (with a
            // value-type calamine does not read), so the text tells it.
            Data::String(text) if is_error_text(text) && formula_cells.contains(&(row, column)) => {
                Some(CellValue::Error(text.clone()))
            }
            _ => value::from_data(data, is_1904),
        };
        let Some(value) = value else { continue };
        budget.spend(&value)?;
        cells.push(Cell { row, column, value });
    }

    for position in formula_cells {
        let has_value = values
            .get_value(position)
            .is_some_and(|data| *data != Data::Empty);
        if has_value {
            continue;
        }
        let value = CellValue::FormulaWithoutResult;
        budget.spend(&value)?;
        let (row, column) = position;
        cells.push(Cell { row, column, value });
    }
    Ok(cells)
}

/// The sheet positions of the formula cells.
fn formula_positions(formulas: Option<&Range<String>>) -> std::collections::BTreeSet<(u32, u32)> {
    let Some(formulas) = formulas else {
        return Default::default();
    };
    let origin = formulas.start().unwrap_or((0, 0));
    formulas
        .used_cells()
        .filter(|(_, _, formula)| !formula.is_empty())
        .filter_map(|(row, column, _)| absolute(origin, row, column))
        .collect()
}

/// The error values spreadsheet programs show: Excel's and LibreOffice's
/// `Err:502` form.
fn is_error_text(text: &str) -> bool {
    const ERRORS: [&str; 9] = [
        "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!",
    ];
    ERRORS.contains(&text)
        || text
            .strip_prefix("Err:")
            .is_some_and(|code| !code.is_empty() && code.chars().all(|c| c.is_ascii_digit()))
}

/// A position relative to a grid's first cell, made absolute.
fn absolute(origin: (u32, u32), row: usize, column: usize) -> Option<(u32, u32)> {
    let row = u32::try_from(row).ok()?.checked_add(origin.0)?;
    let column = u32::try_from(column).ok()?.checked_add(origin.1)?;
    Some((row, column))
}

fn xls_error(path: &Path, err: XlsError) -> WorkbookError {
    match err {
        XlsError::Password => WorkbookError::Encrypted,
        // A compound file that is still being copied fails in many ways;
        // its header tells it from a damaged one.
        other if package::compound_file_cut_short(path) => {
            WorkbookError::Truncated(format!("the compound file ends early ({other})"))
        }
        other => WorkbookError::Unreadable(other.to_string()),
    }
}

fn ods_error(err: OdsError) -> WorkbookError {
    match err {
        OdsError::Password => WorkbookError::Encrypted,
        OdsError::CellLimitExceeded { requested, max } => WorkbookError::TooLarge(format!(
            "its repeated rows and columns make a grid of {requested} cells, more than the {max} \
             the reader allows"
        )),
        other => WorkbookError::Unreadable(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn grid_cells_keep_sheet_positions_and_flag_formulas_without_values() {
        let mut values: Range<Data> = Range::new((3, 2), (4, 3));
        values.set_value((3, 2), Data::Float(12.5));
        values.set_value((4, 3), Data::String(String::new()));
        let mut formulas: Range<String> = Range::new((4, 2), (4, 3));
        formulas.set_value((4, 2), "SUM(C4)".to_string());
        formulas.set_value((4, 3), "\"\"".to_string());

        let cells =
            grid_cells(&values, Some(&formulas), false, &mut Budget::new()).expect("small grid");
        assert_eq!(
            cells,
            [
                Cell {
                    row: 3,
                    column: 2,
                    value: CellValue::Number(Decimal::new(125, 1)),
                },
                // D5 holds the empty text its formula returned: a result.
                Cell {
                    row: 4,
                    column: 2,
                    value: CellValue::FormulaWithoutResult,
                },
            ]
        );
    }
}
