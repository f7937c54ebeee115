//! One sheet per campaign: its details, its Budget total, Spend total and
//! Remaining budget as formulas, then its budget table and its spend table.

use rust_xlsxwriter::Worksheet;

use crate::consolidate::{CampaignFigures, Line};
use crate::money::Currency;

use super::writer::{Book, SheetWriter, Span, sum_formula};
use super::{LINE_HEADERS, ReportError, SUMMARY_SHEET, cell_name};

/// Where a campaign sheet keeps its totals (0-based row, column), for the
/// Summary to refer to.
#[derive(Clone, Copy, Debug)]
pub struct TotalCells {
    pub budget: (u32, u16),
    pub spend: (u32, u16),
}

/// The row of the first detail; row 0 holds the title, row 1 the link
/// back to the Summary.
const FIRST_DETAIL_ROW: u32 = 2;

/// Writes the campaign's sheet, and the sheets its tables continue on
/// when they outgrow one.
pub fn write(
    book: &mut Book,
    campaign: &CampaignFigures,
    sheet_name: &str,
) -> Result<(Vec<Worksheet>, TotalCells), ReportError> {
    let mut w = SheetWriter::new(book, sheet_name)?;
    w.title(0, &campaign.details.name)?;
    w.link(1, 0, "Back to the Summary", SUMMARY_SHEET)?;
    let totals_row = write_details(&mut w, campaign)? + 1;

    // The tables come first, so the totals above them know where their
    // rows went.
    let currency = campaign.details.currency;
    let (budget, next) = write_lines(&mut w, totals_row + 4, "Budget", &campaign.budget, currency)?;
    let (spend, _) = write_lines(&mut w, next + 1, "Spend", &campaign.spend, currency)?;
    w.back_to_first_page();
    write_totals(&mut w, totals_row, campaign, &budget, &spend)?;
    w.freeze_below(1)?;

    let cells = TotalCells {
        budget: (totals_row, 1),
        spend: (totals_row + 1, 1),
    };
    Ok((w.finish()?, cells))
}

/// The campaign's details, one label and value a row; returns the row
/// after them.
fn write_details(w: &mut SheetWriter<'_>, campaign: &CampaignFigures) -> Result<u32, ReportError> {
    let mut row = FIRST_DETAIL_ROW;
    w.label(row, 0, "Campaign")?;
    w.wide_text(row, 1, &campaign.details.name)?;
    w.label(row + 1, 0, "Currency")?;
    w.text(row + 1, 1, campaign.details.currency.code())?;
    w.label(row + 2, 0, "Owner")?;
    if let Some(owner) = &campaign.details.owner {
        w.text(row + 2, 1, owner)?;
    }
    w.label(row + 3, 0, "Notes")?;
    if let Some(notes) = &campaign.details.notes {
        w.wide_text(row + 3, 1, notes)?;
    }
    row += 4;
    for (label, date) in [
        ("Start", campaign.details.start),
        ("End", campaign.details.end),
    ] {
        w.label(row, 0, label)?;
        if let Some(date) = date {
            w.detail_date(row, 1, date)?;
        }
        row += 1;
    }
    Ok(row)
}

fn write_totals(
    w: &mut SheetWriter<'_>,
    row: u32,
    campaign: &CampaignFigures,
    budget: &[Span],
    spend: &[Span],
) -> Result<(), ReportError> {
    let home = w.first_name();
    let currency = campaign.details.currency;
    w.label(row, 0, "Budget total")?;
    w.money_formula(
        row,
        1,
        &sum_formula(budget, 2, &home),
        campaign.budget_total,
        currency,
    )?;
    w.label(row + 1, 0, "Spend total")?;
    w.money_formula(
        row + 1,
        1,
        &sum_formula(spend, 2, &home),
        campaign.spend_total,
        currency,
    )?;
    w.label(row + 2, 0, "Remaining budget")?;
    let remaining = format!("{}-{}", cell_name(row, 1), cell_name(row + 1, 1));
    w.total_formula(row + 2, 1, &remaining, campaign.remaining, currency)?;
    w.alarm_below_zero(1, row + 2, row + 2)
}

/// A budget or spend table: where its rows went and the row after it.
fn write_lines(
    w: &mut SheetWriter<'_>,
    start_row: u32,
    title: &str,
    lines: &[Line],
    currency: Currency,
) -> Result<(Vec<Span>, u32), ReportError> {
    w.table(start_row, title, LINE_HEADERS, lines, |w, row, line| {
        w.text(row, 0, &line.name)?;
        w.text(row, 1, &line.description)?;
        w.money(row, 2, line.amount, currency)?;
        w.money(row, 3, line.original_amount, line.original_currency)?;
        w.code(row, 4, line.original_currency)?;
        if let Some(rate) = line.rate {
            w.rate(row, 5, rate)?;
        }
        w.text(row, 6, &line.origin)?;
        if let Some(date) = line.date {
            w.date(row, 7, date)?;
        }
        Ok(())
    })
}
