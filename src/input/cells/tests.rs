//! Real workbooks from calamine's test suite, read in this process: the
//! benign ones only. Every file, hostile ones included, is read through
//! the child process in `tests/hostile_workbooks.rs`.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal_macros::dec;

use super::*;

fn real(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/real/workbooks")
        .join(name)
}

fn cell(row: u32, column: u32, value: CellValue) -> Cell {
    Cell { row, column, value }
}

fn date(y: i32, m: u32, d: u32) -> CellValue {
    CellValue::Date(NaiveDate::from_ymd_opt(y, m, d).expect("valid date"))
}

fn read(name: &str) -> WorkbookCells {
    read_workbook(&real(name)).unwrap_or_else(|err| panic!("{name}: {err}"))
}

#[test]
fn formats_are_told_by_content_not_by_name() {
    use WorkbookFormat::{Ods, Xls, Xlsb, Xlsx};
    let cases = [
        ("date_1904.xlsx", Ok(Some(Xlsx))),
        ("vba.xlsm", Ok(Some(Xlsx))),
        // The workbook part sits at the root, found through content types.
        ("minimal_package.xlsx", Ok(Some(Xlsx))),
        ("date_1904.xlsb", Ok(Some(Xlsb))),
        ("date_1904.xls", Ok(Some(Xls))),
        ("any_sheets.ods", Ok(Some(Ods))),
        // A text file named .xls.
        ("too_small.xls", Ok(None)),
        // Office encrypts an xlsx or xlsb into a compound file.
        ("pass_protected.xlsx", Err(WorkbookError::Encrypted)),
        ("pass_protected.xlsb", Err(WorkbookError::Encrypted)),
        // An encrypted ods is still a zip; its manifest tells, when read.
        ("pass_protected.ods", Ok(Some(Ods))),
    ];
    for (name, expected) in cases {
        assert_eq!(sniff_workbook_format(&real(name)), expected, "{name}");
    }
}

#[test]
fn dates_follow_the_1904_date_system_in_every_format() {
    // Column A holds two dates and a duration formatted [hh]:mm:ss; the
    // serials are those of 2016-12-31 and 2017-01-01 in the 1900 system.
    let expected = vec![
        cell(0, 0, date(2021, 1, 1)),
        cell(0, 1, CellValue::Number(dec!(15))),
        cell(1, 0, date(2021, 1, 2)),
        cell(1, 1, CellValue::Number(dec!(16))),
        cell(2, 0, CellValue::Text("255:10:10".to_string())),
        cell(2, 1, CellValue::Number(dec!(17))),
    ];
    for name in ["date_1904.xlsx", "date_1904.xlsb", "date_1904.xls"] {
        let workbook = read(name);
        assert_eq!(workbook.sheets.len(), 1, "{name}");
        assert_eq!(workbook.sheets[0].cells, expected, "{name}");
    }
}

#[test]
fn a_workbook_with_a_misleading_name_reads_by_its_content() {
    let dir = tempfile::tempdir().expect("temp dir");
    let expected = read("date_1904.xlsb");
    for name in ["budget.dat", "budget.xlsx", "budget"] {
        let path = dir.path().join(name);
        std::fs::copy(real("date_1904.xlsb"), &path).expect("copy");
        assert_eq!(read_workbook(&path), Ok(expected.clone()), "{name}");
    }
}

#[test]
fn error_values_are_read_as_errors() {
    let workbook = read("errors.xlsx");
    let errors: Vec<&CellValue> = workbook.sheets[0].cells.iter().map(|c| &c.value).collect();
    let expected = [
        "#DIV/0!", "#NAME?", "#VALUE!", "#NULL!", "#REF!", "#NUM!", "#N/A",
    ]
    .map(|text| CellValue::Error(text.to_string()));
    assert_eq!(errors, expected.iter().collect::<Vec<_>>());
}

#[test]
fn merged_ranges_are_reported_with_their_top_left_value() {
    let workbook = read("merge_cells.xlsx");
    let sheet = &workbook.sheets[0];
    let region = |first_row, first_column, last_row, last_column| MergedRegion {
        first_row,
        first_column,
        last_row,
        last_column,
    };
    assert_eq!(
        sheet.merged,
        [region(0, 0, 0, 1), region(1, 0, 3, 0), region(1, 1, 3, 3)]
    );
    assert_eq!(
        sheet.cells[0],
        cell(0, 0, CellValue::Text("Row Merge".to_string()))
    );
    assert!(sheet.merged[2].contains(3, 3));
    assert!(!sheet.merged[2].contains(4, 3));
}

#[test]
fn saved_formula_results_are_read_through() {
    let workbook = read("formula.issue.xlsx");
    assert_eq!(
        workbook.sheets[0].cells,
        [
            cell(0, 0, CellValue::Number(dec!(23))),
            cell(0, 2, CellValue::Number(dec!(23))),
            cell(12, 6, CellValue::Number(dec!(2))),
            cell(13, 9, CellValue::Text("US".to_string())),
        ]
    );
}

#[test]
fn iso_dates_of_xlsx_cells_are_dates_and_bare_times_are_text() {
    let workbook = read("date_iso.xlsx");
    let values: Vec<&CellValue> = workbook.sheets[0].cells.iter().map(|c| &c.value).collect();
    assert_eq!(
        values[..3],
        [
            &date(2021, 1, 1),
            &date(2021, 1, 1),
            &CellValue::Text("10:10:10".into())
        ]
    );
}

#[test]
fn only_worksheets_are_read() {
    let names = |workbook: WorkbookCells| -> Vec<String> {
        workbook
            .sheets
            .into_iter()
            .map(|sheet| sheet.name)
            .collect()
    };
    assert_eq!(
        names(read("any_sheets.xlsb")),
        ["Visible", "Hidden", "VeryHidden"]
    );
    assert_eq!(
        names(read("any_sheets.xls")),
        ["Visible", "Hidden", "VeryHidden"]
    );
}

#[test]
fn the_budget_refuses_more_cells_or_text_than_its_limits() {
    let mut budget = Budget {
        cells: 2,
        text_bytes: 5,
    };
    assert_eq!(budget.spend(&CellValue::Text("four".into())), Ok(()));
    assert!(matches!(
        budget.spend(&CellValue::Text("more".into())),
        Err(WorkbookError::TooLarge(message)) if message.contains("MB of text")
    ));
    assert!(matches!(
        budget.spend(&CellValue::Bool(true)),
        Err(WorkbookError::TooLarge(message)) if message.contains("5,000,000 filled cells")
    ));
}

#[test]
fn large_counts_are_grouped_by_thousands() {
    assert_eq!(thousands(5_000_000), "5,000,000");
    assert_eq!(thousands(999), "999");
    assert_eq!(thousands(1_000), "1,000");
    assert_eq!(thousands(0), "0");
}
