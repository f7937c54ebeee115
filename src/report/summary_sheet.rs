//! The Summary: a title block, one row per campaign with its totals in its
//! own currency and in the report currency, a total row, the unassigned ad
//! spend, and a chart of budget against spend.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use rust_xlsxwriter::Worksheet;

use crate::consolidate::{CampaignFigures, Consolidation, Totals, UnassignedSpend};
use crate::money::Currency;

use super::campaign_sheet::TotalCells;
use super::chart;
use super::writer::{Book, Headers, SheetWriter, Span, sum_formula};
use super::{ReportError, ReportInput, SUMMARY_SHEET, cell_name, quote_sheet};

/// The title of the report, on the Summary and on every printed page.
pub const TITLE: &str = "Campaign budget and spend";

/// The spent share of a campaign without a budget.
const NO_BUDGET: &str = "no budget";

/// Columns of the Summary table (0-based).
const BUDGET: u16 = 2;
const SPEND: u16 = 3;
const REMAINING: u16 = 4;
const REPORT_BUDGET: u16 = 6;
const REPORT_SPEND: u16 = 7;
const REPORT_REMAINING: u16 = 8;

/// Cells of the Summary that get workbook-wide names.
#[derive(Clone, Copy, Debug)]
pub struct SummaryCells {
    /// The as-of date (0-based row, column).
    pub as_of: (u32, u16),
    /// The report-currency total row, when there is one; its budget,
    /// spend and remaining budget stand in columns G, H and I.
    pub totals_row: Option<u32>,
}

/// Where the campaign rows of the Summary stand (0-based).
#[derive(Clone, Copy, Debug)]
pub struct Rows {
    pub header: u32,
    /// The first campaign's row.
    pub first: u32,
    /// The row after the last campaign.
    pub end: u32,
}

/// Writes the Summary; `sheets` and `cells` say where each campaign's
/// totals are.
pub fn write(
    book: &mut Book,
    input: &ReportInput<'_>,
    sheets: &[String],
    cells: &[TotalCells],
) -> Result<(Vec<Worksheet>, SummaryCells), ReportError> {
    let consolidation = input.consolidation;
    let headers = headers(consolidation);
    let mut w = SheetWriter::new(book, SUMMARY_SHEET)?;
    let (header, as_of) = write_title_block(&mut w, input, headers.len())?;

    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    w.headers(
        header,
        Headers {
            names: &header_refs,
            numbers: &[2, 3, 4, 5, 6, 7, 8],
        },
    )?;
    let first = header + 1;
    let mut row = first;
    for ((campaign, sheet), cells) in consolidation.campaigns.iter().zip(sheets).zip(cells) {
        write_campaign_row(&mut w, row, campaign, sheet, cells)?;
        if let Some(currency) = consolidation.report_currency {
            write_report_currency(&mut w, row, campaign, currency)?;
        }
        row += 1;
    }
    let rows = Rows {
        header,
        first,
        end: row,
    };
    let last_column = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    w.filter(header, row.saturating_sub(1), last_column)?;
    w.alarm_below_zero(REMAINING, first, row.saturating_sub(1))?;

    let totals_row = match &consolidation.totals {
        Some(totals) => Some(write_total_row(&mut w, rows, totals)?),
        None => None,
    };
    let after = totals_row.map_or(row, |total| total + 1);
    write_unassigned(&mut w, after + 1, &consolidation.unassigned)?;
    chart::place(&mut w, consolidation, rows)?;

    w.freeze_below(header)?;
    w.repeat_when_printed(header);
    if input.incomplete.is_some() {
        w.red_tab();
    }
    let cells = SummaryCells { as_of, totals_row };
    Ok((w.finish()?, cells))
}

/// Campaign, currency, the three totals, spent share, and the three totals
/// in the report currency when there is one.
fn headers(consolidation: &Consolidation) -> Vec<String> {
    let mut headers: Vec<String> = [
        "Campaign",
        "Currency",
        "Budget total",
        "Spend total",
        "Remaining budget",
        "Spent %",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    if let Some(currency) = consolidation.totals.as_ref().map(|t| t.currency) {
        for label in ["Budget total", "Spend total", "Remaining budget"] {
            headers.push(format!("{label} ({currency})"));
        }
    }
    headers
}

/// The incomplete banner (first row, only when incomplete), the title,
/// the as-of date, report currency, status and version. Returns the
/// table's header row and the cell of the as-of date.
fn write_title_block(
    w: &mut SheetWriter<'_>,
    input: &ReportInput<'_>,
    columns: usize,
) -> Result<(u32, (u32, u16)), ReportError> {
    let consolidation = input.consolidation;
    let mut row = 0;
    if let Some(reason) = &input.incomplete {
        let columns = u16::try_from(columns).unwrap_or(1);
        w.banner(row, columns, &format!("INCOMPLETE REPORT: {reason}"))?;
        row += 1;
    }
    w.title(row, TITLE)?;
    w.label(row + 1, 0, "As of")?;
    w.detail_date(row + 1, 1, consolidation.as_of)?;
    w.label(row + 2, 0, "Report currency")?;
    match consolidation.report_currency {
        Some(currency) => w.text(row + 2, 1, currency.code())?,
        None => w.wide_text(row + 2, 1, "none (campaigns in several currencies)")?,
    }
    w.label(row + 3, 0, "Status")?;
    let status = match input.incomplete {
        Some(_) => "Incomplete: inputs with errors are left out (see the Issues sheet)",
        None => "Complete: every input was read without errors",
    };
    w.wide_text(row + 3, 1, status)?;
    w.label(row + 4, 0, "Made by")?;
    w.wide_text(row + 4, 1, &format!("spendsheet {}", input.version))?;
    Ok((row + 6, (row + 1, 1)))
}

fn write_campaign_row(
    w: &mut SheetWriter<'_>,
    row: u32,
    campaign: &CampaignFigures,
    sheet: &str,
    cells: &TotalCells,
) -> Result<(), ReportError> {
    let currency = campaign.details.currency;
    let here = |column: u16| cell_name(row, column);
    let there = |(r, c): (u32, u16)| format!("{}!{}", quote_sheet(sheet), cell_name(r, c));
    w.link(row, 0, &campaign.details.name, sheet)?;
    w.code(row, 1, currency)?;
    w.money_formula(
        row,
        BUDGET,
        &there(cells.budget),
        campaign.budget_total,
        currency,
    )?;
    w.money_formula(
        row,
        SPEND,
        &there(cells.spend),
        campaign.spend_total,
        currency,
    )?;
    w.money_formula(
        row,
        REMAINING,
        &format!("{}-{}", here(BUDGET), here(SPEND)),
        campaign.remaining,
        currency,
    )?;
    w.share_formula(
        row,
        5,
        &format!(
            "IF({budget}=0,\"{NO_BUDGET}\",{spend}/{budget})",
            budget = here(BUDGET),
            spend = here(SPEND)
        ),
        campaign.spent_share(),
        NO_BUDGET,
    )
}

/// The campaign's totals converted at the as-of date: figures, not
/// formulas, since the conversion rounds each once; the remaining budget
/// is their difference.
fn write_report_currency(
    w: &mut SheetWriter<'_>,
    row: u32,
    campaign: &CampaignFigures,
    currency: Currency,
) -> Result<(), ReportError> {
    let Some(converted) = &campaign.in_report_currency else {
        return Ok(());
    };
    w.money(row, REPORT_BUDGET, converted.budget_total, currency)?;
    w.money(row, REPORT_SPEND, converted.spend_total, currency)?;
    w.money_formula(
        row,
        REPORT_REMAINING,
        &format!(
            "{}-{}",
            cell_name(row, REPORT_BUDGET),
            cell_name(row, REPORT_SPEND)
        ),
        converted.remaining,
        currency,
    )
}

/// `Total (EUR)` under the campaigns: the sum of each report-currency
/// column. Returns its row.
fn write_total_row(
    w: &mut SheetWriter<'_>,
    rows: Rows,
    totals: &Totals,
) -> Result<u32, ReportError> {
    let row = rows.end;
    let home = w.first_name();
    let spans: Vec<Span> = if rows.end > rows.first {
        vec![Span {
            sheet: home.clone(),
            first_row: rows.first,
            last_row: rows.end - 1,
        }]
    } else {
        Vec::new()
    };
    w.total_label(row, 0, &format!("Total ({})", totals.currency))?;
    for (column, result) in [
        (REPORT_BUDGET, totals.budget_total),
        (REPORT_SPEND, totals.spend_total),
        (REPORT_REMAINING, totals.remaining),
    ] {
        let formula = sum_formula(&spans, column, &home);
        w.total_formula(row, column, &formula, result, totals.currency)?;
    }
    w.alarm_below_zero(REPORT_REMAINING, rows.first, row)?;
    Ok(row)
}

/// Ad spend that no campaign claims, in each export's own currency, with
/// a total per currency.
fn write_unassigned(
    w: &mut SheetWriter<'_>,
    row: u32,
    unassigned: &[UnassignedSpend],
) -> Result<(), ReportError> {
    if unassigned.is_empty() {
        return Ok(());
    }
    w.section(row, 0, "Unassigned ad spend (linked to no campaign)")?;
    w.headers(
        row + 1,
        Headers {
            names: &["Platform", "Ad campaign", "Currency", "Spend"],
            numbers: &[3],
        },
    )?;
    let first = row + 2;
    let mut line = first;
    for spend in unassigned {
        w.text(line, 0, &spend.platform)?;
        w.text(line, 1, &spend.ad_campaign)?;
        w.code(line, 2, spend.currency)?;
        w.money(line, 3, spend.spend, spend.currency)?;
        line += 1;
    }
    let currencies: BTreeSet<Currency> = unassigned.iter().map(|spend| spend.currency).collect();
    let last = line - 1;
    for currency in currencies {
        let total = unassigned
            .iter()
            .filter(|spend| spend.currency == currency)
            .fold(Decimal::ZERO, |sum, spend| sum.saturating_add(spend.spend));
        let formula = format!(
            "SUMIF({c_first}:{c_last},\"{currency}\",{d_first}:{d_last})",
            c_first = cell_name(first, 2),
            c_last = cell_name(last, 2),
            d_first = cell_name(first, 3),
            d_last = cell_name(last, 3),
        );
        w.total_label(line, 0, &format!("Total ({currency})"))?;
        w.total_formula(line, 3, &formula, total, currency)?;
        line += 1;
    }
    Ok(())
}
