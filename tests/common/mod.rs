//! Helpers shared by the tests that run the binary: writing input
//! workbooks, running spendsheet, and reading its report back with
//! calamine.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::Value;

/// A cell to write into an input workbook.
#[derive(Clone, Debug)]
pub enum In {
    Text(&'static str),
    Owned(String),
    Number(f64),
    Date(i32, u32, u32),
    Formula(&'static str, &'static str),
    Empty,
}

#[allow(unused_imports)]
pub use In::{Date, Empty, Number, Text};

/// Writes a workbook with rust_xlsxwriter: sheets of rows of cells.
pub fn write_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<In>>)]) {
    let mut workbook = Workbook::new();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    In::Text(text) => {
                        sheet.write_string(r, c, *text).expect("write");
                    }
                    In::Owned(text) => {
                        sheet.write_string(r, c, text).expect("write");
                    }
                    In::Number(n) => {
                        sheet.write_number(r, c, *n).expect("write");
                    }
                    In::Date(y, m, d) => {
                        let date = chrono::NaiveDate::from_ymd_opt(*y, *m, *d).expect("date");
                        sheet
                            .write_date_with_format(r, c, date, &date_format)
                            .expect("write");
                    }
                    In::Formula(formula, result) => {
                        let formula = rust_xlsxwriter::Formula::new(*formula).set_result(*result);
                        sheet.write_formula(r, c, formula).expect("write");
                    }
                    In::Empty => {}
                }
            }
        }
    }
    workbook.save(path).expect("save workbook");
}

/// The repository's folder.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared folder beside the checkout (examples and real files).
pub fn shared() -> PathBuf {
    repo().join("..").join("shared")
}

/// Runs spendsheet with `args` in `dir`.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_spendsheet"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("spendsheet runs")
}

/// Runs spendsheet with `args` in `dir`, with `SOURCE_DATE_EPOCH` set to
/// `epoch` (or unset).
pub fn run_at(dir: &Path, args: &[&str], epoch: Option<&str>) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_spendsheet"));
    command.args(args).current_dir(dir);
    match epoch {
        Some(epoch) => command.env("SOURCE_DATE_EPOCH", epoch),
        None => command.env_remove("SOURCE_DATE_EPOCH"),
    };
    command.output().expect("spendsheet runs")
}

/// The text of one part of an .xlsx file, such as `xl/workbook.xml`.
pub fn xlsx_part(path: &Path, part: &str) -> String {
    use std::io::Read;
    let file = std::fs::File::open(path).expect("report opens");
    let mut archive = zip::ZipArchive::new(file).expect("a zip");
    let mut entry = archive
        .by_name(part)
        .unwrap_or_else(|err| panic!("{part}: {err}"));
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("UTF-8 XML");
    text
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "stdout is JSON ({err}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

/// A cell of the report as text: numbers as their shortest decimal.
pub fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => decimal(*f).to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|d| d.date().to_string())
            .unwrap_or_default(),
        Data::DateTimeIso(s) => s.clone(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

pub fn decimal(value: f64) -> Decimal {
    value.to_string().parse().expect("decimal")
}

/// One sheet of the report: its cells as text by (row, column), 0-based,
/// and its formulas.
pub struct Sheet {
    pub cells: BTreeMap<(u32, u32), String>,
    pub formulas: BTreeMap<(u32, u32), String>,
}

impl Sheet {
    pub fn get(&self, row: u32, column: u32) -> &str {
        self.cells
            .get(&(row, column))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// The first row whose cells start with `headers`.
    pub fn header_row(&self, headers: &[&str]) -> u32 {
        (0..200)
            .find(|row| {
                headers
                    .iter()
                    .enumerate()
                    .all(|(c, h)| self.get(*row, c as u32) == *h)
            })
            .unwrap_or_else(|| panic!("no header row {headers:?}"))
    }

    /// The first row below `after` whose cells start with `headers`.
    pub fn header_row_after(&self, after: u32, headers: &[&str]) -> Option<u32> {
        (after + 1..after + 1000).find(|row| {
            headers
                .iter()
                .enumerate()
                .all(|(c, h)| self.get(*row, c as u32) == *h)
        })
    }

    /// Rows under a header until the first empty first cell.
    pub fn table(&self, header_row: u32, columns: u32) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = header_row + 1;
        while !self.get(row, 0).is_empty() {
            rows.push((0..columns).map(|c| self.get(row, c).to_string()).collect());
            row += 1;
        }
        rows
    }

    /// The value beside a label in column A.
    pub fn labelled(&self, label: &str) -> &str {
        let row = (0..100)
            .find(|row| self.get(*row, 0) == label)
            .unwrap_or_else(|| panic!("no label {label}"));
        self.get(row, 1)
    }

    pub fn formula_beside(&self, label: &str) -> &str {
        let row = (0..100)
            .find(|row| self.get(*row, 0) == label)
            .unwrap_or_else(|| panic!("no label {label}"));
        self.formulas
            .get(&(row, 1))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// The report read back.
pub struct Report {
    pub sheet_names: Vec<String>,
    pub sheets: BTreeMap<String, Sheet>,
}

impl Report {
    pub fn sheet(&self, name: &str) -> &Sheet {
        self.sheets
            .get(name)
            .unwrap_or_else(|| panic!("no sheet {name} in {:?}", self.sheet_names))
    }

    /// Summary rows: Campaign, Currency, Budget total, Spend total,
    /// Remaining budget, Spent %, and the report-currency columns.
    pub fn summary(&self) -> Vec<Vec<String>> {
        self.summary_rows()
            .into_iter()
            .filter(|row| !row[0].starts_with("Total ("))
            .collect()
    }

    /// The Summary's report-currency total row, if it has one.
    pub fn summary_total(&self) -> Option<Vec<String>> {
        self.summary_rows()
            .into_iter()
            .find(|row| row[0].starts_with("Total ("))
    }

    fn summary_rows(&self) -> Vec<Vec<String>> {
        let summary = self.sheet("Summary");
        let header = summary.header_row(&["Campaign", "Currency", "Budget total"]);
        summary.table(header, 9)
    }
}

pub fn read_report(path: &Path) -> Report {
    let mut workbook: Xlsx<_> = open_workbook(path).expect("report opens");
    let sheet_names = workbook.sheet_names().to_vec();
    let mut sheets = BTreeMap::new();
    for name in &sheet_names {
        let range = workbook.worksheet_range(name).expect("sheet");
        let mut cells = BTreeMap::new();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, data) in range.used_cells() {
            let text = cell_text(data);
            if !text.is_empty() {
                cells.insert((r as u32 + r0, c as u32 + c0), text);
            }
        }
        let formula_range = workbook.worksheet_formula(name).expect("formulas");
        let mut formulas = BTreeMap::new();
        let (r0, c0) = formula_range.start().unwrap_or((0, 0));
        for (r, c, formula) in formula_range.used_cells() {
            if !formula.is_empty() {
                formulas.insert((r as u32 + r0, c as u32 + c0), formula.clone());
            }
        }
        sheets.insert(name.clone(), Sheet { cells, formulas });
    }
    Report {
        sheet_names,
        sheets,
    }
}

fn number(text: &str) -> Decimal {
    if text.is_empty() {
        Decimal::ZERO
    } else {
        text.parse()
            .unwrap_or_else(|_| panic!("'{text}' is not a number"))
    }
}

/// Checks that the report adds up to the cent: each campaign sheet's totals
/// are the sums of its shown amounts, each Summary row's remaining budget is
/// budget minus spend, and the total row is the sum of its columns.
pub fn assert_adds_up(report: &Report) {
    let rows = report.summary();
    for row in &rows {
        let sheet = report
            .sheets
            .iter()
            .find(|(_, sheet)| sheet.get(0, 0) == row[0])
            .map(|(_, s)| s);
        let sheet = sheet.unwrap_or_else(|| panic!("no sheet for campaign {}", row[0]));
        let budget_header = sheet.header_row(&["Name", "Description", "Amount"]);
        let spend_header = (budget_header + 1..budget_header + 1_000_000)
            .find(|r| sheet.get(*r, 0) == "Name" && sheet.get(*r, 2) == "Amount")
            .expect("spend table");
        let sum = |header: u32| -> Decimal {
            sheet
                .table(header, 3)
                .iter()
                .map(|line| number(&line[2]))
                .sum()
        };
        assert_eq!(
            number(sheet.labelled("Budget total")),
            sum(budget_header),
            "{} budget",
            row[0]
        );
        assert_eq!(
            number(sheet.labelled("Spend total")),
            sum(spend_header),
            "{} spend",
            row[0]
        );
        assert_eq!(
            number(&row[2]),
            sum(budget_header),
            "{} summary budget",
            row[0]
        );
        assert_eq!(
            number(&row[3]),
            sum(spend_header),
            "{} summary spend",
            row[0]
        );
        assert_eq!(
            number(&row[4]),
            number(&row[2]) - number(&row[3]),
            "{} remaining",
            row[0]
        );
        if !row[6].is_empty() {
            assert_eq!(
                number(&row[8]),
                number(&row[6]) - number(&row[7]),
                "{} remaining in report currency",
                row[0]
            );
        }
    }
    if let Some(total) = report.summary_total() {
        for column in 6..9 {
            let sum: Decimal = rows.iter().map(|row| number(&row[column])).sum();
            assert_eq!(number(&total[column]), sum, "total of column {column}");
        }
    }
}

/// Checks that the JSON summary gives the same figures as the report's
/// Summary sheet: each campaign's totals, and the report-currency totals.
pub fn assert_json_matches_report(summary: &Value, report: &Report) {
    let rows = report.summary();
    let campaigns = summary["campaigns"].as_array().expect("campaigns");
    assert_eq!(campaigns.len(), rows.len(), "one Summary row per campaign");
    for (campaign, row) in campaigns.iter().zip(&rows) {
        let figure = |key: &str| number(campaign[key].as_str().unwrap_or_default());
        assert_eq!(campaign["name"].as_str(), Some(row[0].as_str()));
        assert_eq!(campaign["currency"].as_str(), Some(row[1].as_str()));
        assert_eq!(figure("budget_total"), number(&row[2]), "{} budget", row[0]);
        assert_eq!(figure("spend_total"), number(&row[3]), "{} spend", row[0]);
        assert_eq!(
            figure("remaining_budget"),
            number(&row[4]),
            "{} remaining",
            row[0]
        );
    }
    match (summary.get("totals"), report.summary_total()) {
        (Some(totals), Some(total)) => {
            let figure = |key: &str| number(totals[key].as_str().unwrap_or_default());
            assert_eq!(figure("budget_total"), number(&total[6]));
            assert_eq!(figure("spend_total"), number(&total[7]));
            assert_eq!(figure("remaining_budget"), number(&total[8]));
        }
        (None, None) => {}
        (json, sheet) => {
            panic!("totals in the JSON ({json:?}) and in the Summary ({sheet:?}) differ")
        }
    }
}
