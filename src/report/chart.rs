//! The Summary's chart of budget against spend per campaign, in the report
//! currency, beside the table so that it covers no figure.
//!
//! Campaigns in different currencies are never charted on one scale: with
//! no report currency there is a note instead of a chart. More than
//! [`MAX_CHARTED`] campaigns make bars too thin to read, so then the chart
//! shows the largest budgets, from a small table of chart data under it.

use rust_decimal::Decimal;
use rust_xlsxwriter::{
    Chart, ChartFont, ChartFormat, ChartLegendPosition, ChartPoint, ChartSolidFill, ChartType,
    Color,
};

use crate::consolidate::Consolidation;
use crate::money::Currency;

use super::summary_sheet::Rows;
use super::writer::{Headers, SheetWriter};
use super::{ReportError, SUMMARY_SHEET};

/// The most campaigns one chart shows.
pub const MAX_CHARTED: usize = 25;

/// The chart's column: one empty column right of the Summary table.
const COLUMN: u16 = 10;

/// The chart's height in pixels, and the rows it covers at the default
/// row height of 20 pixels.
const HEIGHT: u32 = 360;
const CHART_ROWS: u32 = HEIGHT / 20;

const BUDGET_COLOR: u32 = 0x9D_C3E6;
const SPEND_COLOR: u32 = 0x2F_5597;
const OVERSPENT_COLOR: u32 = 0xC0_0000;

/// One campaign's bars.
struct Bar {
    budget: Decimal,
    spend: Decimal,
}

/// Puts the chart (or the note saying why there is none) right of the
/// Summary table.
pub fn place(
    w: &mut SheetWriter<'_>,
    consolidation: &Consolidation,
    rows: Rows,
) -> Result<(), ReportError> {
    if consolidation.campaigns.is_empty() {
        return Ok(());
    }
    let Some(totals) = &consolidation.totals else {
        let why = match consolidation.report_currency {
            None => {
                "No chart: the campaigns are in several currencies. Set report_currency in spendsheet.toml to chart them on one scale."
            }
            Some(_) => {
                "No chart: not every campaign could be converted into the report currency (see the Issues sheet)."
            }
        };
        return w.note(rows.header, COLUMN, why);
    };
    let currency = totals.currency;
    let bars: Vec<(usize, Bar)> = consolidation
        .campaigns
        .iter()
        .enumerate()
        .filter_map(|(index, campaign)| {
            campaign.in_report_currency.as_ref().map(|converted| {
                let bar = Bar {
                    budget: converted.budget_total,
                    spend: converted.spend_total,
                };
                (index, bar)
            })
        })
        .collect();

    if bars.len() <= MAX_CHARTED {
        let last = rows.end.saturating_sub(1);
        let ranges = Ranges {
            names: (rows.first, 0),
            budget: (rows.first, 6),
            spend: (rows.first, 7),
            last,
        };
        let title = format!("Budget and spend per campaign ({currency})");
        let chart = chart(&title, &ranges, &bars);
        return w.chart(rows.header, COLUMN, &chart);
    }
    write_largest(w, consolidation, rows, currency, bars)
}

/// The largest budgets as a small table under the chart, and the chart of
/// that table.
fn write_largest(
    w: &mut SheetWriter<'_>,
    consolidation: &Consolidation,
    rows: Rows,
    currency: Currency,
    mut bars: Vec<(usize, Bar)>,
) -> Result<(), ReportError> {
    // Largest first; equal budgets keep the order of definition.
    bars.sort_by(|(a_index, a), (b_index, b)| b.budget.cmp(&a.budget).then(a_index.cmp(b_index)));
    bars.truncate(MAX_CHARTED);

    let top = rows.header + CHART_ROWS + 1;
    w.section(
        top,
        COLUMN,
        &format!("Chart data: the {MAX_CHARTED} largest budgets ({currency})"),
    )?;
    let budget = format!("Budget total ({currency})");
    let spend = format!("Spend total ({currency})");
    w.headers_at(
        top + 1,
        COLUMN,
        Headers {
            names: &["Campaign", &budget, &spend],
            numbers: &[1, 2],
        },
    )?;
    let first = top + 2;
    let mut row = first;
    for (index, bar) in &bars {
        let name = consolidation
            .campaigns
            .get(*index)
            .map(|campaign| campaign.details.name.as_str())
            .unwrap_or_default();
        w.text(row, COLUMN, name)?;
        w.money(row, COLUMN + 1, bar.budget, currency)?;
        w.money(row, COLUMN + 2, bar.spend, currency)?;
        row += 1;
    }
    let ranges = Ranges {
        names: (first, COLUMN),
        budget: (first, COLUMN + 1),
        spend: (first, COLUMN + 2),
        last: row.saturating_sub(1),
    };
    let title = format!("The {MAX_CHARTED} largest budgets and their spend ({currency})");
    let chart = chart(&title, &ranges, &bars);
    w.chart(rows.header, COLUMN, &chart)
}

/// Where a chart's data stands on the Summary: the first cell of each
/// column (0-based row, column) and the last row.
struct Ranges {
    names: (u32, u16),
    budget: (u32, u16),
    spend: (u32, u16),
    last: u32,
}

/// Budget and spend columns side by side; the spend bar of an overspent
/// campaign in red.
fn chart(title: &str, ranges: &Ranges, bars: &[(usize, Bar)]) -> Chart {
    let mut chart = Chart::new(ChartType::Column);
    let categories = (
        SUMMARY_SHEET,
        ranges.names.0,
        ranges.names.1,
        ranges.last,
        ranges.names.1,
    );
    chart
        .add_series()
        .set_name("Budget")
        .set_categories(categories)
        .set_values((
            SUMMARY_SHEET,
            ranges.budget.0,
            ranges.budget.1,
            ranges.last,
            ranges.budget.1,
        ))
        .set_format(&mut fill(BUDGET_COLOR));
    let points: Vec<ChartPoint> = bars
        .iter()
        .map(|(_, bar)| {
            if bar.spend > bar.budget {
                ChartPoint::new().set_format(&mut fill(OVERSPENT_COLOR))
            } else {
                ChartPoint::new()
            }
        })
        .collect();
    chart
        .add_series()
        .set_name("Spend")
        .set_categories(categories)
        .set_values((
            SUMMARY_SHEET,
            ranges.spend.0,
            ranges.spend.1,
            ranges.last,
            ranges.spend.1,
        ))
        .set_format(&mut fill(SPEND_COLOR))
        .set_points(&points);
    chart
        .title()
        .set_name(title)
        .set_font(ChartFont::new().set_size(12).set_bold());
    chart.y_axis().set_num_format("#,##0");
    chart.legend().set_position(ChartLegendPosition::Bottom);
    chart.set_alt_text(title);
    chart.set_height(HEIGHT).set_width(width(bars.len()));
    chart
}

fn fill(color: u32) -> ChartFormat {
    let mut format = ChartFormat::new();
    format.set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(color)));
    format
}

/// Wide enough for every campaign's pair of bars, within a screen.
fn width(bars: usize) -> u32 {
    let bars = u32::try_from(bars).unwrap_or(u32::MAX);
    bars.saturating_mul(56).saturating_add(160).clamp(480, 1000)
}
