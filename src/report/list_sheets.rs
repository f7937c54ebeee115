//! The long sheets behind the figures: every budget and spend line, the
//! rates used, the inputs and the issues. Each is one list under a header
//! row with an autofilter, continued on another sheet when it outgrows
//! Excel's rows.

use rust_xlsxwriter::Worksheet;

use crate::consolidate::{CampaignFigures, Consolidation, Line};
use crate::input::Source;
use crate::input::workbook::ItemKind;
use crate::issue::{Issue, Issues};

use super::writer::{Book, Headers, SheetWriter};
use super::{
    BUDGET_ITEMS_SHEET, FX_RATES_SHEET, ISSUES_SHEET, ReportError, SOURCES_SHEET, SPEND_ITEMS_SHEET,
};

/// The columns of `Budget items` and `Spend items`.
const ITEM_COLUMNS: [&str; 10] = [
    "Campaign",
    "Name",
    "Description",
    "Amount",
    "Currency",
    "Original amount",
    "Original currency",
    "Rate",
    "Date",
    "Source",
];

const ITEM_HEADERS: Headers<'static> = Headers {
    names: &ITEM_COLUMNS,
    numbers: &[3, 5, 7, 8],
};

/// Every budget (or spend) line of every campaign, with its campaign.
pub fn items(
    book: &mut Book,
    consolidation: &Consolidation,
    kind: ItemKind,
) -> Result<Vec<Worksheet>, ReportError> {
    let name = match kind {
        ItemKind::Budget => BUDGET_ITEMS_SHEET,
        ItemKind::Spend => SPEND_ITEMS_SHEET,
    };
    let mut w = SheetWriter::new(book, name)?;
    let lines = consolidation.campaigns.iter().flat_map(|campaign| {
        campaign
            .lines(kind)
            .iter()
            .map(move |line| (campaign, line))
    });
    w.list(ITEM_HEADERS, lines, write_item)?;
    w.finish()
}

fn write_item(
    w: &mut SheetWriter<'_>,
    row: u32,
    (campaign, line): (&CampaignFigures, &Line),
) -> Result<(), ReportError> {
    w.text(row, 0, &campaign.details.name)?;
    w.text(row, 1, &line.name)?;
    w.text(row, 2, &line.description)?;
    w.money(row, 3, line.amount, campaign.details.currency)?;
    w.code(row, 4, campaign.details.currency)?;
    w.money(row, 5, line.original_amount, line.original_currency)?;
    w.code(row, 6, line.original_currency)?;
    if let Some(rate) = line.rate {
        w.rate(row, 7, rate)?;
    }
    if let Some(date) = line.date {
        w.date(row, 8, date)?;
    }
    w.text(row, 9, &line.origin)
}

/// Every quoted rate a shown figure used.
pub fn rates(
    book: &mut Book,
    consolidation: &Consolidation,
) -> Result<Vec<Worksheet>, ReportError> {
    let mut w = SheetWriter::new(book, FX_RATES_SHEET)?;
    let headers = Headers {
        names: &["Date", "From", "To", "Rate", "Source"],
        numbers: &[0, 3],
    };
    w.list(headers, &consolidation.rates_used, |w, row, rate| {
        match rate.date {
            Some(date) => w.date(row, 0, date)?,
            None => w.text(row, 0, "fixed")?,
        }
        w.code(row, 1, rate.from)?;
        w.code(row, 2, rate.to)?;
        w.rate(row, 3, rate.rate)?;
        w.text(row, 4, &rate.source)
    })?;
    w.finish()
}

/// Every input, what it was taken for, and its fingerprint.
pub fn sources(book: &mut Book, sources: &[Source]) -> Result<Vec<Worksheet>, ReportError> {
    let mut w = SheetWriter::new(book, SOURCES_SHEET)?;
    let headers = Headers {
        names: &[
            "File",
            "Kind",
            "Profile",
            "Rows read",
            "Rows used",
            "SHA-256",
            "Status",
        ],
        numbers: &[3, 4],
    };
    // A SHA-256 is 64 hex digits: shown whole.
    w.fix_width(5, 68.0);
    w.list(headers, sources, |w, row, source| {
        w.text(row, 0, &source.file)?;
        w.text(row, 1, &source.kind.to_string())?;
        if let Some(profile) = &source.profile {
            w.text(row, 2, profile)?;
        }
        w.count(row, 3, source.rows_read)?;
        w.count(row, 4, source.rows_used)?;
        w.text(row, 5, &source.sha256)?;
        w.text(row, 6, &source.status.to_string())
    })?;
    w.finish()
}

/// The issues of the inputs, then the texts shortened on the other sheets
/// of the report: this sheet comes last so that it can list them.
pub fn issues(book: &mut Book, issues: &Issues) -> Result<Vec<Worksheet>, ReportError> {
    let earlier: Vec<Issue> = book.warnings.clone();
    let mut w = SheetWriter::new(book, ISSUES_SHEET)?;
    let headers = Headers {
        names: &["Severity", "File", "Sheet", "Row", "Column", "Message"],
        numbers: &[3],
    };
    w.list(headers, issues.iter().chain(&earlier), |w, row, issue| {
        w.text(row, 0, &issue.severity.to_string())?;
        w.text(row, 1, &issue.place.file)?;
        if let Some(sheet) = &issue.place.sheet {
            w.text(row, 2, sheet)?;
        }
        if let Some(line) = issue.place.row {
            w.count(row, 3, line)?;
        }
        if let Some(column) = &issue.place.column {
            w.text(row, 4, column)?;
        }
        w.text(row, 5, &issue.message)
    })?;
    w.finish()
}
