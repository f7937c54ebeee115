//! The report workbook: a Summary, one sheet per campaign, every line in
//! `Budget items` and `Spend items`, and the rates, sources and issues
//! behind the figures. Every total is a formula with its result saved.

mod sheet_names;
mod writer;

use std::fmt;
use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};

use crate::consolidate::{CampaignFigures, Consolidation, Line};
use crate::input::Source;
use crate::input::workbook::ItemKind;
use crate::issue::{Issue, Issues};

pub use sheet_names::SheetNames;
use writer::{Formats, SheetWriter};

/// Sheets the report always has, besides one per campaign.
pub const SUMMARY_SHEET: &str = "Summary";
pub const BUDGET_ITEMS_SHEET: &str = "Budget items";
pub const SPEND_ITEMS_SHEET: &str = "Spend items";
pub const FX_RATES_SHEET: &str = "FX rates";
pub const SOURCES_SHEET: &str = "Sources";
pub const ISSUES_SHEET: &str = "Issues";

/// The columns of a campaign's budget and spend tables, in order.
pub const LINE_HEADERS: [&str; 8] = [
    "Name",
    "Description",
    "Amount",
    "Original amount",
    "Original currency",
    "Rate",
    "Source",
    "Date",
];

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

/// Builds the report workbook in memory.
pub fn render(input: &ReportInput<'_>) -> Result<RenderedReport, ReportError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    let mut warnings = Vec::new();
    set_properties(&mut workbook, input);

    let mut names = SheetNames::with_reserved(&[
        SUMMARY_SHEET,
        BUDGET_ITEMS_SHEET,
        SPEND_ITEMS_SHEET,
        FX_RATES_SHEET,
        SOURCES_SHEET,
        ISSUES_SHEET,
    ]);
    let campaign_sheets: Vec<String> = input
        .consolidation
        .campaigns
        .iter()
        .map(|campaign| names.claim(&campaign.name))
        .collect();

    let mut summary = workbook.add_worksheet();
    summary.set_name(SUMMARY_SHEET)?;
    let mut totals_cells = Vec::new();
    for (campaign, sheet_name) in input.consolidation.campaigns.iter().zip(&campaign_sheets) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name)?;
        let mut writer = SheetWriter::new(sheet, &formats, &mut warnings);
        totals_cells.push(write_campaign_sheet(&mut writer, campaign)?);
    }
    summary = workbook.worksheet_from_name(SUMMARY_SHEET)?;
    let mut writer = SheetWriter::new(summary, &formats, &mut warnings);
    write_summary(&mut writer, input, &campaign_sheets, &totals_cells)?;

    for kind in [ItemKind::Budget, ItemKind::Spend] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(match kind {
            ItemKind::Budget => BUDGET_ITEMS_SHEET,
            ItemKind::Spend => SPEND_ITEMS_SHEET,
        })?;
        write_items_sheet(
            &mut SheetWriter::new(sheet, &formats, &mut warnings),
            input.consolidation,
            kind,
        )?;
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name(FX_RATES_SHEET)?;
    write_rates_sheet(
        &mut SheetWriter::new(sheet, &formats, &mut warnings),
        input.consolidation,
    )?;
    let sheet = workbook.add_worksheet();
    sheet.set_name(SOURCES_SHEET)?;
    write_sources_sheet(
        &mut SheetWriter::new(sheet, &formats, &mut warnings),
        input.sources,
    )?;
    let sheet = workbook.add_worksheet();
    sheet.set_name(ISSUES_SHEET)?;
    write_issues_sheet(sheet, &formats, input.issues, &mut warnings)?;

    let bytes = workbook.save_to_buffer()?;
    Ok(RenderedReport { bytes, warnings })
}

/// Document properties without wall-clock time, so that the same inputs
/// give the same bytes: the creation time is `SOURCE_DATE_EPOCH` when set,
/// else the as-of date.
fn set_properties(workbook: &mut Workbook, input: &ReportInput<'_>) {
    let as_of = input.consolidation.as_of;
    let created =
        source_date_epoch().unwrap_or_else(|| as_of.and_hms_opt(0, 0, 0).unwrap_or_default());
    let properties = DocProperties::new()
        .set_title(format!("Campaign budget and spend as of {as_of}"))
        .set_subject("Campaign budgets, spend and exchange rates")
        .set_author("spendsheet")
        .set_company("")
        .set_comment(format!("Made by spendsheet {}", input.version))
        .set_creation_datetime(&created)
        .set_custom_property("As of", as_of.to_string().as_str())
        .set_custom_property("spendsheet version", input.version);
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

/// Where a campaign sheet keeps its three totals (0-based row, column).
#[derive(Clone, Copy, Debug)]
struct TotalCells {
    budget: (u32, u16),
    spend: (u32, u16),
}

fn write_campaign_sheet(
    w: &mut SheetWriter<'_>,
    campaign: &CampaignFigures,
) -> Result<TotalCells, ReportError> {
    w.set_widths(&[28.0, 36.0, 16.0, 16.0, 10.0, 12.0, 40.0, 12.0]);
    w.title(0, &campaign.name)?;

    let details: [(&str, Option<String>); 4] = [
        ("Campaign", Some(campaign.name.clone())),
        ("Currency", Some(campaign.currency.to_string())),
        ("Owner", campaign.owner.clone()),
        ("Notes", campaign.notes.clone()),
    ];
    let mut row = 2;
    for (label, value) in details {
        w.label(row, 0, label)?;
        if let Some(value) = value {
            w.text(row, 1, &value)?;
        }
        row += 1;
    }
    for (label, date) in [("Start", campaign.start), ("End", campaign.end)] {
        w.label(row, 0, label)?;
        if let Some(date) = date {
            w.date(row, 1, date)?;
        }
        row += 1;
    }

    // The totals stand above the tables; their rows are known before the
    // tables are written because every table has a fixed header.
    let totals_row = row + 1;
    let budget_header = totals_row + 4;
    let budget_rows = count_rows(campaign.budget.len());
    let spend_header = budget_header + budget_rows + 3;
    let spend_rows = count_rows(campaign.spend.len());
    let currency = campaign.currency;

    w.label(totals_row, 0, "Budget total")?;
    w.sum(
        totals_row,
        1,
        2,
        budget_header + 1,
        budget_rows,
        campaign.budget_total,
        currency,
    )?;
    w.label(totals_row + 1, 0, "Spend total")?;
    w.sum(
        totals_row + 1,
        1,
        2,
        spend_header + 1,
        spend_rows,
        campaign.spend_total,
        currency,
    )?;
    w.label(totals_row + 2, 0, "Remaining budget")?;
    let remaining = format!("B{}-B{}", totals_row + 1, totals_row + 2);
    w.money_formula(totals_row + 2, 1, &remaining, campaign.remaining, currency)?;

    write_line_table(w, budget_header, "Budget", &campaign.budget, currency)?;
    write_line_table(w, spend_header, "Spend", &campaign.spend, currency)?;
    Ok(TotalCells {
        budget: (totals_row, 1),
        spend: (totals_row + 1, 1),
    })
}

fn count_rows(lines: usize) -> u32 {
    u32::try_from(lines).unwrap_or(u32::MAX)
}

fn write_line_table(
    w: &mut SheetWriter<'_>,
    header_row: u32,
    title: &str,
    lines: &[Line],
    currency: crate::money::Currency,
) -> Result<(), ReportError> {
    w.section(header_row.saturating_sub(1), 0, title)?;
    w.headers(header_row, &LINE_HEADERS)?;
    for (offset, line) in lines.iter().enumerate() {
        let row = header_row + 1 + count_rows(offset);
        w.text(row, 0, &line.name)?;
        w.text(row, 1, &line.description)?;
        w.money(row, 2, line.amount, currency)?;
        w.money(row, 3, line.original_amount, line.original_currency)?;
        w.text(row, 4, line.original_currency.code())?;
        if let Some(rate) = line.rate {
            w.rate(row, 5, rate)?;
        }
        w.text(row, 6, &line.origin)?;
        if let Some(date) = line.date {
            w.date(row, 7, date)?;
        }
    }
    Ok(())
}

/// Summary columns: campaign, currency, the three totals, spent share, and
/// the three totals in the report currency.
fn summary_headers(consolidation: &Consolidation) -> Vec<String> {
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

fn write_summary(
    w: &mut SheetWriter<'_>,
    input: &ReportInput<'_>,
    campaign_sheets: &[String],
    totals_cells: &[TotalCells],
) -> Result<(), ReportError> {
    let consolidation = input.consolidation;
    w.set_widths(&[32.0, 10.0, 16.0, 16.0, 18.0, 10.0, 18.0, 18.0, 22.0]);
    let mut row = 0;
    if let Some(reason) = &input.incomplete {
        w.banner(row, &format!("INCOMPLETE REPORT: {reason}"))?;
        row += 1;
    }
    w.title(row, "Campaign budget and spend")?;
    w.label(row + 1, 0, "As of")?;
    w.date(row + 1, 1, consolidation.as_of)?;
    w.label(row + 2, 0, "Report currency")?;
    match consolidation.report_currency {
        Some(currency) => w.text(row + 2, 1, currency.code())?,
        None => w.text(row + 2, 1, "none (campaigns in several currencies)")?,
    }
    w.label(row + 3, 0, "Made by")?;
    w.text(row + 3, 1, &format!("spendsheet {}", input.version))?;

    let header_row = row + 5;
    let headers = summary_headers(consolidation);
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    w.headers(header_row, &header_refs)?;
    let first = header_row + 1;
    for (index, ((campaign, sheet), cells)) in consolidation
        .campaigns
        .iter()
        .zip(campaign_sheets)
        .zip(totals_cells)
        .enumerate()
    {
        let row = first + count_rows(index);
        write_summary_row(
            w,
            row,
            campaign,
            sheet,
            cells,
            consolidation.report_currency,
        )?;
    }
    let campaigns = count_rows(consolidation.campaigns.len());
    let mut next = first + campaigns;
    if let Some(totals) = &consolidation.totals {
        w.label(next, 0, &format!("Total ({})", totals.currency))?;
        w.sum(
            next,
            6,
            6,
            first,
            campaigns,
            totals.budget_total,
            totals.currency,
        )?;
        w.sum(
            next,
            7,
            7,
            first,
            campaigns,
            totals.spend_total,
            totals.currency,
        )?;
        w.sum(
            next,
            8,
            8,
            first,
            campaigns,
            totals.remaining,
            totals.currency,
        )?;
        next += 1;
    }
    write_unassigned(w, next + 1, consolidation)?;
    w.freeze_below(header_row)?;
    Ok(())
}

fn write_summary_row(
    w: &mut SheetWriter<'_>,
    row: u32,
    campaign: &CampaignFigures,
    sheet: &str,
    cells: &TotalCells,
    report_currency: Option<crate::money::Currency>,
) -> Result<(), ReportError> {
    let currency = campaign.currency;
    let excel_row = row + 1;
    w.text(row, 0, &campaign.name)?;
    w.text(row, 1, currency.code())?;
    let reference = |(r, c): (u32, u16)| format!("{}!{}", quote_sheet(sheet), cell_name(r, c));
    w.money_formula(
        row,
        2,
        &reference(cells.budget),
        campaign.budget_total,
        currency,
    )?;
    w.money_formula(
        row,
        3,
        &reference(cells.spend),
        campaign.spend_total,
        currency,
    )?;
    w.money_formula(
        row,
        4,
        &format!("C{excel_row}-D{excel_row}"),
        campaign.remaining,
        currency,
    )?;
    w.share_formula(
        row,
        5,
        &format!("IF(C{excel_row}=0,\"\",D{excel_row}/C{excel_row})"),
        campaign.spent_share(),
    )?;
    if let (Some(converted), Some(report_currency)) =
        (&campaign.in_report_currency, report_currency)
    {
        w.money(row, 6, converted.budget_total, report_currency)?;
        w.money(row, 7, converted.spend_total, report_currency)?;
        w.money_formula(
            row,
            8,
            &format!("G{excel_row}-H{excel_row}"),
            converted.remaining,
            report_currency,
        )?;
    }
    Ok(())
}

fn write_unassigned(
    w: &mut SheetWriter<'_>,
    row: u32,
    consolidation: &Consolidation,
) -> Result<(), ReportError> {
    if consolidation.unassigned.is_empty() {
        return Ok(());
    }
    w.section(row, 0, "Unassigned ad spend (linked to no campaign)")?;
    w.headers(row + 1, &["Platform", "Ad campaign", "Currency", "Spend"])?;
    for (index, spend) in consolidation.unassigned.iter().enumerate() {
        let line = row + 2 + count_rows(index);
        w.text(line, 0, &spend.platform)?;
        w.text(line, 1, &spend.ad_campaign)?;
        w.text(line, 2, spend.currency.code())?;
        w.money(line, 3, spend.spend, spend.currency)?;
    }
    Ok(())
}

fn write_items_sheet(
    w: &mut SheetWriter<'_>,
    consolidation: &Consolidation,
    kind: ItemKind,
) -> Result<(), ReportError> {
    const HEADERS: [&str; 10] = [
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
    w.set_widths(&[28.0, 28.0, 36.0, 16.0, 10.0, 16.0, 10.0, 12.0, 12.0, 40.0]);
    w.headers(0, &HEADERS)?;
    let mut row = 1;
    for campaign in &consolidation.campaigns {
        for line in campaign.lines(kind) {
            w.text(row, 0, &campaign.name)?;
            w.text(row, 1, &line.name)?;
            w.text(row, 2, &line.description)?;
            w.money(row, 3, line.amount, campaign.currency)?;
            w.text(row, 4, campaign.currency.code())?;
            w.money(row, 5, line.original_amount, line.original_currency)?;
            w.text(row, 6, line.original_currency.code())?;
            if let Some(rate) = line.rate {
                w.rate(row, 7, rate)?;
            }
            if let Some(date) = line.date {
                w.date(row, 8, date)?;
            }
            w.text(row, 9, &line.origin)?;
            row += 1;
        }
    }
    w.filter_and_freeze(0, row.saturating_sub(1), 9)
}

fn write_rates_sheet(
    w: &mut SheetWriter<'_>,
    consolidation: &Consolidation,
) -> Result<(), ReportError> {
    w.set_widths(&[12.0, 8.0, 8.0, 14.0, 40.0]);
    w.headers(0, &["Date", "From", "To", "Rate", "Source"])?;
    let mut row = 1;
    for rate in &consolidation.rates_used {
        match rate.date {
            Some(date) => w.date(row, 0, date)?,
            None => w.text(row, 0, "fixed")?,
        }
        w.text(row, 1, rate.from.code())?;
        w.text(row, 2, rate.to.code())?;
        w.rate(row, 3, rate.rate)?;
        w.text(row, 4, &rate.source)?;
        row += 1;
    }
    w.filter_and_freeze(0, row.saturating_sub(1), 4)
}

fn write_sources_sheet(w: &mut SheetWriter<'_>, sources: &[Source]) -> Result<(), ReportError> {
    w.set_widths(&[40.0, 18.0, 14.0, 10.0, 10.0, 66.0, 22.0]);
    w.headers(
        0,
        &[
            "File",
            "Kind",
            "Profile",
            "Rows read",
            "Rows used",
            "SHA-256",
            "Status",
        ],
    )?;
    let mut row = 1;
    for source in sources {
        w.text(row, 0, &source.file)?;
        w.text(row, 1, &source.kind.to_string())?;
        if let Some(profile) = &source.profile {
            w.text(row, 2, profile)?;
        }
        w.count(row, 3, source.rows_read)?;
        w.count(row, 4, source.rows_used)?;
        w.text(row, 5, &source.sha256)?;
        w.text(row, 6, &source.status.to_string())?;
        row += 1;
    }
    w.filter_and_freeze(0, row.saturating_sub(1), 6)
}

/// The Issues sheet comes last, so it can also list the texts that were
/// shortened on the other sheets.
fn write_issues_sheet(
    sheet: &mut Worksheet,
    formats: &Formats,
    issues: &Issues,
    warnings: &mut Vec<Issue>,
) -> Result<(), ReportError> {
    let earlier: Vec<Issue> = warnings.clone();
    let mut w = SheetWriter::new(sheet, formats, warnings);
    w.set_widths(&[10.0, 30.0, 16.0, 8.0, 8.0, 100.0]);
    w.headers(
        0,
        &["Severity", "File", "Sheet", "Row", "Column", "Message"],
    )?;
    let mut row = 1;
    for issue in issues.iter().chain(&earlier) {
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
        w.text(row, 5, &issue.message)?;
        row += 1;
    }
    w.filter_and_freeze(0, row.saturating_sub(1), 5)
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
