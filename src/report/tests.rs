//! The report rendered in memory and read back with calamine: sheets that
//! outgrow a (small) row limit, texts longer than a cell, and the same
//! bytes from the same figures.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::consolidate::{CampaignFigures, Line};
use crate::issue::Place;
use crate::model::CampaignDetails;
use crate::money::Currency;

fn nok() -> Currency {
    Currency::from_code("NOK").expect("NOK")
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 4, 30).expect("date")
}

fn line(name: &str, amount: i64) -> Line {
    Line {
        name: name.to_string(),
        description: String::new(),
        amount: Decimal::new(amount * 100, 2),
        original_amount: Decimal::new(amount * 100, 2),
        original_currency: nok(),
        rate: None,
        date: None,
        source: Place::file("plan.xlsx"),
        origin: "plan.xlsx".to_string(),
    }
}

/// A campaign with `budget` budget lines of 100 and `spend` spend lines
/// of 10.
fn campaign(name: &str, budget: usize, spend: usize) -> CampaignFigures {
    let budget: Vec<Line> = (0..budget).map(|i| line(&format!("B{i}"), 100)).collect();
    let spend: Vec<Line> = (0..spend).map(|i| line(&format!("S{i}"), 10)).collect();
    let sum = |lines: &[Line]| lines.iter().map(|l| l.amount).sum::<Decimal>();
    CampaignFigures {
        details: CampaignDetails {
            name: name.to_string(),
            currency: nok(),
            start: None,
            end: None,
            owner: None,
            notes: None,
            defined_at: Place::file("plan.xlsx"),
        },
        budget_total: sum(&budget),
        spend_total: sum(&spend),
        remaining: sum(&budget) - sum(&spend),
        budget,
        spend,
        in_report_currency: None,
    }
}

fn consolidation(campaigns: Vec<CampaignFigures>) -> Consolidation {
    Consolidation {
        as_of: date(),
        campaigns,
        report_currency: None,
        totals: None,
        unassigned: Vec::new(),
        rates_used: Vec::new(),
    }
}

fn render_rows(consolidation: &Consolidation, max_rows: u32) -> RenderedReport {
    let issues = Issues::default();
    let input = ReportInput {
        consolidation,
        issues: &issues,
        sources: &[],
        incomplete: None,
        version: "0.0.0",
    };
    render_with_row_limit(&input, max_rows).expect("renders")
}

fn open(report: &RenderedReport) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(report.bytes.clone())).expect("opens")
}

/// A sheet's cells as text, by 0-based row.
fn rows(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    let range = book.worksheet_range(sheet).expect("sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(text) => text.clone(),
                    Data::Float(value) => value.to_string(),
                    Data::Empty => String::new(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

fn formula(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str, row: u32, column: u32) -> String {
    book.worksheet_formula(sheet)
        .expect("formulas")
        .get_value((row, column))
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_full_list_continues_on_another_sheet_under_the_same_headers() {
    let figures = consolidation(vec![campaign("Spring", 0, 30)]);
    let report = render_rows(&figures, 20);
    let mut book = open(&report);
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "Summary",
            "Spring",
            "Spring (2)",
            "Spring (3)",
            "Budget items",
            "Spend items",
            "Spend items (2)",
            "FX rates",
            "Sources",
            "Issues"
        ]
    );
    let first = rows(&mut book, "Spend items");
    let second = rows(&mut book, "Spend items (2)");
    assert_eq!(first.len(), 20, "the header and 19 lines fill the sheet");
    assert_eq!(second.len(), 12, "the header again and the other 11");
    assert_eq!(first[0], second[0]);
    assert_eq!(first[0][..4], ["Campaign", "Name", "Description", "Amount"]);
    assert_eq!(first[19][1], "S18");
    assert_eq!(second[1][1], "S19");
    assert_eq!(second[11][1], "S29");
}

#[test]
fn a_campaign_that_outgrows_its_sheet_continues_and_its_totals_sum_every_sheet() {
    let figures = consolidation(vec![campaign("Spring", 10, 30)]);
    let report = render_rows(&figures, 30);
    let mut book = open(&report);
    let first = rows(&mut book, "Spring");
    let second = rows(&mut book, "Spring (2)");

    // Budget from row 14 (section, header, 10 lines); spend from row 26:
    // its title, header and two lines fill the first sheet.
    assert_eq!(first[13][0], "Budget");
    assert_eq!(first[26][0], "Spend");
    assert_eq!(first[27][0], "Name");
    assert_eq!(first[29][0], "S1");
    assert_eq!(second[0][0], "Spend (continued)");
    assert_eq!(second[1][..3], ["Name", "Description", "Amount"]);
    assert_eq!(second[2][0], "S2");
    assert_eq!(second.len(), 30);

    assert_eq!(formula(&mut book, "Spring", 9, 1), "SUM(C16:C25)");
    assert_eq!(
        formula(&mut book, "Spring", 10, 1),
        "SUM(C29:C30,'Spring (2)'!C3:C30)"
    );
    assert_eq!(first[10][1], "300", "the saved result sums both sheets");
    assert_eq!(first[11][1], "700");
}

#[test]
fn continuation_sheets_never_take_a_campaign_name() {
    let figures = consolidation(vec![
        campaign("Spend items (2)", 1, 1),
        campaign("Other", 0, 25),
    ]);
    let report = render_rows(&figures, 20);
    let mut book = open(&report);
    let names = book.sheet_names();
    assert!(names.contains(&"Spend items (2)".to_string()), "{names:?}");
    let spring = rows(&mut book, "Spend items (2)");
    assert_eq!(
        spring[0][0], "Spend items (2)",
        "the campaign keeps its name"
    );
    assert_eq!(
        names
            .iter()
            .filter(|name| name.starts_with("Spend items"))
            .count(),
        3,
        "{names:?}"
    );
}

#[test]
fn a_text_longer_than_a_cell_is_cut_between_characters_with_a_warning() {
    // 20,000 emoji are 40,000 UTF-16 units, Excel's measure.
    let long = "😀".repeat(20_000);
    let mut figures = consolidation(vec![campaign("Spring", 1, 0)]);
    figures.campaigns[0].budget[0].description = long.clone();
    let report = render_rows(&figures, MAX_ROWS);

    let places: Vec<(Option<String>, Option<u64>, Option<String>)> = report
        .warnings
        .iter()
        .map(|w| (w.place.sheet.clone(), w.place.row, w.place.column.clone()))
        .collect();
    assert_eq!(
        places,
        [
            (Some("Spring".to_string()), Some(16), Some("B".to_string())),
            (
                Some("Budget items".to_string()),
                Some(2),
                Some("C".to_string())
            ),
        ]
    );
    assert!(
        report.warnings[0]
            .message
            .starts_with("a text of 40000 characters is shortened to 32767"),
        "{}",
        report.warnings[0].message
    );
    let mut book = open(&report);
    let cell = &rows(&mut book, "Spring")[15][1];
    assert_eq!(cell.chars().count(), 16_383);
    assert!(long.starts_with(cell.as_str()));
    let issues = rows(&mut book, "Issues");
    assert_eq!(issues.len(), 3, "both warnings are on the Issues sheet");
}

#[test]
fn the_same_figures_give_the_same_bytes() {
    let figures = consolidation(vec![campaign("Spring", 3, 4), campaign("Autumn", 2, 0)]);
    let first = render_rows(&figures, MAX_ROWS);
    let second = render_rows(&figures, MAX_ROWS);
    assert!(first.bytes == second.bytes);
}

/// Excel's own limit, for real: a million and a few spend lines. Too slow
/// for every run (`cargo test --release -- --ignored`).
#[test]
#[ignore = "writes over a million rows; run with cargo test --release -- --ignored"]
fn a_million_lines_continue_past_excels_last_row() {
    let lines = MAX_ROWS as usize + 10;
    let figures = consolidation(vec![campaign("Spring", 0, lines)]);
    let report = render_rows(&figures, MAX_ROWS);
    let mut book = open(&report);
    let names = book.sheet_names();
    assert!(names.contains(&"Spring (2)".to_string()), "{names:?}");
    assert!(names.contains(&"Spend items (2)".to_string()), "{names:?}");
    let second = rows(&mut book, "Spend items (2)");
    assert_eq!(second.len(), 1 + 11, "the header and the last 11 lines");
    assert_eq!(second[11][1], format!("S{}", lines - 1));
}
