//! The report workbook: a Summary, one sheet per campaign, every line in
//! `Budget items` and `Spend items`, and the rates, sources and issues
//! behind the figures. Every total is a formula with its result saved.

mod campaign_sheet;
mod chart;
mod list_sheets;
mod sheet_names;
mod summary_sheet;
mod writer;

use std::fmt;
use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

use crate::consolidate::Consolidation;
use crate::input::Source;
use crate::input::workbook::ItemKind;
use crate::issue::{Issue, Issues};

pub use chart::MAX_CHARTED;
pub use sheet_names::SheetNames;
use summary_sheet::SummaryCells;
pub use summary_sheet::TITLE;
use writer::{Book, Formats, Headers, PrintText};
pub use writer::{MAX_CELL_CHARS, MAX_ROWS, money_format};

/// Sheets the report always has, besides one per campaign.
pub const SUMMARY_SHEET: &str = "Summary";
pub const BUDGET_ITEMS_SHEET: &str = "Budget items";
pub const SPEND_ITEMS_SHEET: &str = "Spend items";
pub const FX_RATES_SHEET: &str = "FX rates";
pub const SOURCES_SHEET: &str = "Sources";
pub const ISSUES_SHEET: &str = "Issues";

/// The columns of a campaign's budget and spend tables, in order.
pub const LINE_COLUMNS: [&str; 8] = [
    "Name",
    "Description",
    "Amount",
    "Original amount",
    "Original currency",
    "Rate",
    "Source",
    "Date",
];

const LINE_HEADERS: Headers<'static> = Headers {
    names: &LINE_COLUMNS,
    numbers: &[2, 3, 5, 7],
};

/// Workbook-wide names of the Summary's key cells, for formulas in other
/// workbooks and for finding the figures quickly.
pub const TOTAL_BUDGET_NAME: &str = "Total_budget";
pub const TOTAL_SPEND_NAME: &str = "Total_spend";
pub const TOTAL_REMAINING_NAME: &str = "Total_remaining";
pub const AS_OF_NAME: &str = "As_of";

/// What the report is made from.
pub struct ReportInput<'a> {
    pub consolidation: &'a Consolidation,
    pub issues: &'a Issues,
    pub sources: &'a [Source],
    /// Why the report is incomplete, when inputs with errors were left out.
    pub incomplete: Option<String>,
    /// The spendsheet version, written into the document properties.
    pub version: &'a str,
}

/// The report as bytes, with the warnings writing it raised (texts
/// shortened to fit a cell).
pub struct RenderedReport {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Issue>,
}

/// A report that could not be written.
#[derive(Debug)]
pub enum ReportError {
    Workbook(XlsxError),
    Io { path: String, error: std::io::Error },
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Workbook(err) => write!(f, "cannot build the report workbook: {err}"),
            ReportError::Io { path, error } => write!(f, "cannot write {path}: {error}"),
        }
    }
}

impl std::error::Error for ReportError {}

impl From<XlsxError> for ReportError {
    fn from(err: XlsxError) -> ReportError {
        ReportError::Workbook(err)
    }
}

/// Builds the report workbook in memory. The same input gives the same
/// bytes: nothing in it depends on the clock (see [`set_properties`]).
pub fn render(input: &ReportInput<'_>) -> Result<RenderedReport, ReportError> {
    render_with_row_limit(input, MAX_ROWS)
}

/// [`render`] with sheets of at most `max_rows` rows, so that tests can
/// fill a sheet without writing a million rows.
fn render_with_row_limit(
    input: &ReportInput<'_>,
    max_rows: u32,
) -> Result<RenderedReport, ReportError> {
    let consolidation = input.consolidation;
    let mut book = Book {
        formats: Formats::new(),
        names: SheetNames::with_reserved(&[
            SUMMARY_SHEET,
            BUDGET_ITEMS_SHEET,
            SPEND_ITEMS_SHEET,
            FX_RATES_SHEET,
            SOURCES_SHEET,
            ISSUES_SHEET,
        ]),
        warnings: Vec::new(),
        max_rows,
        print: print_text(input),
    };
    let campaign_sheets: Vec<String> = consolidation
        .campaigns
        .iter()
        .map(|campaign| book.names.claim(&campaign.details.name))
        .collect();

    let mut campaign_pages = Vec::new();
    let mut total_cells = Vec::new();
    for (campaign, name) in consolidation.campaigns.iter().zip(&campaign_sheets) {
        let (pages, cells) = campaign_sheet::write(&mut book, campaign, name)?;
        campaign_pages.extend(pages);
        total_cells.push(cells);
    }
    let (summary, summary_cells) =
        summary_sheet::write(&mut book, input, &campaign_sheets, &total_cells)?;
    let lists = [
        list_sheets::items(&mut book, consolidation, ItemKind::Budget)?,
        list_sheets::items(&mut book, consolidation, ItemKind::Spend)?,
        list_sheets::rates(&mut book, consolidation)?,
        list_sheets::sources(&mut book, input.sources)?,
        // Last, so that it lists the texts shortened on the other sheets.
        list_sheets::issues(&mut book, input.issues)?,
    ];

    let mut workbook = Workbook::new();
    set_properties(&mut workbook, input);
    let sheets: Vec<Worksheet> = summary
        .into_iter()
        .chain(campaign_pages)
        .chain(lists.into_iter().flatten())
        .collect();
    for sheet in sheets {
        workbook.push_worksheet(sheet);
    }
    define_names(&mut workbook, &summary_cells)?;
    let bytes = workbook.save_to_buffer()?;
    Ok(RenderedReport {
        bytes,
        warnings: book.warnings,
    })
}

/// The header and footer of every printed page: the title and as-of date,
/// the sheet, the version, page numbers, and a reminder when the report
/// is incomplete. `&` is Excel's code character, so it is doubled.
fn print_text(input: &ReportInput<'_>) -> PrintText {
    let escape = |text: &str| text.replace('&', "&&");
    let as_of = input.consolidation.as_of;
    let incomplete = if input.incomplete.is_some() {
        "&CINCOMPLETE REPORT: see the Summary"
    } else {
        ""
    };
    PrintText {
        header: format!("&L{}&C&A&Ras of {as_of}", escape(TITLE)),
        footer: format!(
            "&Lspendsheet {}{incomplete}&RPage &P of &N",
            escape(input.version)
        ),
    }
}

/// Names for the Summary's as-of date and report-currency totals.
fn define_names(workbook: &mut Workbook, cells: &SummaryCells) -> Result<(), ReportError> {
    let absolute = |row: u32, column: u16| {
        format!(
            "={SUMMARY_SHEET}!${}${}",
            crate::issue::column_letters(u32::from(column)),
            u64::from(row) + 1
        )
    };
    workbook.define_name(AS_OF_NAME, &absolute(cells.as_of.0, cells.as_of.1))?;
    if let Some(row) = cells.totals_row {
        workbook.define_name(TOTAL_BUDGET_NAME, &absolute(row, 6))?;
        workbook.define_name(TOTAL_SPEND_NAME, &absolute(row, 7))?;
        workbook.define_name(TOTAL_REMAINING_NAME, &absolute(row, 8))?;
    }
    Ok(())
}

/// Document properties without wall-clock time, so that the same inputs
/// give the same bytes: the creation time is `SOURCE_DATE_EPOCH` when set,
/// else the as-of date. (The zip entries carry no time of their own.)
fn set_properties(workbook: &mut Workbook, input: &ReportInput<'_>) {
    let as_of = input.consolidation.as_of;
    let created =
        source_date_epoch().unwrap_or_else(|| as_of.and_hms_opt(0, 0, 0).unwrap_or_default());
    let properties = DocProperties::new()
        .set_title(format!("{TITLE} as of {as_of}"))
        .set_subject("Campaign budgets, spend and exchange rates")
        .set_author("spendsheet")
        .set_company("")
        .set_keywords("campaign, budget, spend, exchange rates")
        .set_comment(format!("Made by spendsheet {}", input.version))
        .set_status(if input.incomplete.is_some() {
            "Incomplete"
        } else {
            "Complete"
        })
        .set_creation_datetime(&created)
        .set_custom_property("As of", as_of.to_string().as_str())
        .set_custom_property("spendsheet version", input.version)
        .set_custom_property("Complete", input.incomplete.is_none());
    workbook.set_properties(&properties);
}

fn source_date_epoch() -> Option<chrono::NaiveDateTime> {
    let seconds: i64 = std::env::var("SOURCE_DATE_EPOCH")
        .ok()?
        .trim()
        .parse()
        .ok()?;
    chrono::DateTime::from_timestamp(seconds, 0).map(|moment| moment.naive_utc())
}

/// A sheet name as formulas write it: quoted, with inner quotes doubled.
pub fn quote_sheet(name: &str) -> String {
    format!("'{}'", name.replace('\'', "''"))
}

/// `B7` for 0-based row 6, column 1.
pub fn cell_name(row: u32, column: u16) -> String {
    format!(
        "{}{}",
        crate::issue::column_letters(u32::from(column)),
        u64::from(row) + 1
    )
}

/// Writes `bytes` to `path` so that a reader never sees half a file: into a
/// temporary file in the same folder, flushed, then renamed over the
/// target. The file is readable by others like any file the user makes.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let io_error = |error: std::io::Error| ReportError::Io {
        path: path.display().to_string(),
        error,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    // `-o reports/report.xlsx` should work on a first run too.
    std::fs::create_dir_all(&folder).map_err(io_error)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".spendsheet-")
        .suffix(".tmp")
        .tempfile_in(&folder)
        .map_err(io_error)?;
    temporary.write_all(bytes).map_err(io_error)?;
    temporary.as_file().sync_all().map_err(io_error)?;
    set_readable(temporary.as_file()).map_err(io_error)?;
    temporary.persist(path).map_err(|err| io_error(err.error))?;
    Ok(())
}

#[cfg(unix)]
fn set_readable(file: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    // Temporary files are created owner-only; a report is shared like any
    // document, so it gets the usual permissions of one.
    file.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn set_readable(_file: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests;
