//! Reading one input: telling its kind from its content (campaign
//! workbook, ad export, rates file, one of our own reports) and reading it
//! with the reader of that kind.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::input::cells::{self, WorkbookCells, WorkbookError};
use crate::input::discover::{InputFile, describe_io_error};
use crate::input::export::{
    AdExport, ad_campaigns_without_spend, read_export, read_export_cells, recognise,
    recognise_cells,
};
use crate::input::profile::{Column, Profile, parse_profile};
use crate::input::rates::{RatesFile, RatesLayout, read_rates, recognise_rates};
use crate::input::text::{TextError, TextFile, TextHead, csv_error, csv_reader, open_text};
use crate::input::workbook::{
    CampaignWorkbook, TextForms, is_campaign_workbook, read_campaign_workbook,
};
use crate::input::{Source, SourceKind, SourceStatus};
use crate::issue::{Issues, Place};
use crate::money::Currency;

/// How workbooks are opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkbookReader {
    /// In this process: for tests and trusted files.
    InProcess,
    /// In a child process of this executable with limited memory and time,
    /// so that a hostile file cannot take the program down.
    Isolated { exe: PathBuf },
}

/// What reading one input gave: kept whole between runs of the watcher.
#[derive(Debug)]
pub(crate) struct ReadInput {
    pub(crate) source: Source,
    pub(crate) content: Option<Arc<Content>>,
    pub(crate) issues: Issues,
    /// The file is cut short, as while it is still being copied.
    pub(crate) not_ready: bool,
}

/// What reading an input needs besides the file.
pub(crate) struct Readers<'a> {
    pub(crate) config: &'a Config,
    pub(crate) profiles: &'a [Profile],
    pub(crate) workbooks: &'a WorkbookReader,
}

impl Readers<'_> {
    fn platform_currency(&self, profile: &Profile) -> Option<Currency> {
        self.config.platform_currency.get(&profile.id).copied()
    }
}

/// Reads one input: what it is, and what it holds when it is usable.
/// `sha256` is the file's hash, empty when it could not be read.
pub(crate) fn read_input(file: &InputFile, readers: &Readers<'_>, sha256: String) -> ReadInput {
    let mut read = ReadInput {
        source: Source {
            file: file.display.clone(),
            kind: SourceKind::Unknown,
            profile: None,
            rows_read: 0,
            rows_used: 0,
            sha256,
            status: SourceStatus::Used,
        },
        content: None,
        issues: Issues::default(),
        not_ready: false,
    };
    let place = Place::file(&file.display);
    if read.source.sha256.is_empty() {
        let message = match std::fs::File::open(&file.path) {
            Err(err) => format!("cannot read the file: {}", describe_io_error(&err)),
            Ok(_) => "cannot read the file".to_string(),
        };
        read.issues.error(place, message);
        return read;
    }
    let format = match cells::sniff_workbook_format(&file.path) {
        Ok(format) => format,
        Err(err) => {
            read.not_ready = matches!(err, WorkbookError::Truncated(_));
            read.issues.error(place, err.to_string());
            return read;
        }
    };
    let content = match format {
        Some(_) => read_workbook_input(file, readers, &mut read),
        None => read_text_input(file, readers, &mut read),
    };
    read.content = content.map(Arc::new);
    read
}

/// A workbook input: a campaign workbook, an export saved as a workbook,
/// or one of our own reports.
fn read_workbook_input(
    file: &InputFile,
    readers: &Readers<'_>,
    read: &mut ReadInput,
) -> Option<Content> {
    let place = Place::file(&file.display);
    let workbook = match read_workbook(&file.path, readers.workbooks) {
        Ok(workbook) => workbook,
        Err(err) => {
            read.source.kind = SourceKind::CampaignWorkbook;
            read.not_ready = matches!(err, WorkbookError::Truncated(_));
            read.issues.error(place, err.to_string());
            return None;
        }
    };
    if is_report(&workbook) {
        read.source.kind = SourceKind::Report;
        read.source.status = SourceStatus::Ignored("a report, not an input".into());
        return None;
    }
    if is_campaign_workbook(&workbook) {
        read.source.kind = SourceKind::CampaignWorkbook;
        let forms = TextForms {
            decimal_mark: readers.config.decimal_mark,
            date_order: readers.config.date_order,
        };
        let records = read_campaign_workbook(&file.display, &workbook, forms, &mut read.issues);
        read.source.rows_read = records.rows_read;
        read.source.rows_used = records.rows_used;
        return Some(Content::Workbook(records));
    }
    let exported = workbook
        .sheets
        .iter()
        .find_map(|sheet| Some((sheet, recognise_cells(sheet, readers.profiles)?)));
    let Some((sheet, recognised)) = exported else {
        read.issues.error(place, unknown_kind_message());
        return None;
    };
    let profile = recognised.profile;
    let currency = readers.platform_currency(profile);
    let export = read_export_cells(sheet, &file.display, profile, currency, &mut read.issues);
    export_content(read, profile, export)
}

fn export_content(
    read: &mut ReadInput,
    profile: &Profile,
    export: Option<AdExport>,
) -> Option<Content> {
    read.source.kind = SourceKind::AdExport;
    read.source.profile = Some(profile.id.clone());
    let export = export?;
    read.source.rows_read = export.rows_read;
    read.source.rows_used = export.rows_used;
    Some(Content::Export(export))
}

/// A text input: a rates file, else an ad-platform export.
fn read_text_input(
    file: &InputFile,
    readers: &Readers<'_>,
    read: &mut ReadInput,
) -> Option<Content> {
    let place = Place::file(&file.display);
    let text = match open_text(&file.path) {
        Ok(text) => text,
        Err(TextError::NotText(what)) => {
            read.issues
                .error(place, format!("{what}: {}", unknown_kind_message()));
            return None;
        }
        Err(err) => {
            read.issues.error(place, err.to_string());
            return None;
        }
    };
    let first = text
        .head
        .lines
        .iter()
        .find(|line| !line.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    if let Some(layout) = recognise_rates(&first) {
        return read_rates_input(file, &layout, text, read);
    }
    let Some(recognised) = recognise(&text.head.lines, readers.profiles) else {
        let message = match ad_campaigns_without_spend(&text.head.lines, readers.profiles) {
            Some((profile, header)) => no_spend_message(profile, &header),
            None if is_profile(&file.path, &text.head) => format!(
                "this is an export profile: profiles are read from the folders named by profiles in spendsheet.toml, not from the inputs. {}",
                unknown_kind_message()
            ),
            None => unknown_kind_message(),
        };
        read.issues.error(place, message);
        return None;
    };
    drop(text);
    let profile = recognised.profile;
    let currency = readers.platform_currency(profile);
    let export = read_export(
        &file.path,
        &file.display,
        profile,
        currency,
        &mut read.issues,
    );
    export_content(read, profile, export)
}

fn read_rates_input(
    file: &InputFile,
    layout: &RatesLayout,
    text: TextFile,
    read: &mut ReadInput,
) -> Option<Content> {
    read.source.kind = SourceKind::Rates;
    let delimiter = match layout {
        RatesLayout::EcbColumns { delimiter } | RatesLayout::Pairs { delimiter } => *delimiter,
    };
    let mut records =
        csv_reader(text.reader, u8::try_from(delimiter).unwrap_or(b',')).into_records();
    let mut failure = None;
    let rows = std::iter::from_fn(|| match records.next()? {
        Ok(record) => {
            let line = record.position().map_or(0, |position| position.line());
            Some((line, record.iter().map(str::to_string).collect()))
        }
        Err(err) => {
            failure = Some(csv_error(&err));
            None
        }
    });
    let rates = read_rates(&file.display, layout, rows, &mut read.issues);
    if let Some(err) = failure {
        read.issues
            .error(Place::file(&file.display), err.to_string());
    }
    read.source.rows_read = rates.rows_read;
    read.source.rows_used = rates.rows_used;
    Some(Content::Rates(rates))
}

/// What a usable input holds.
#[derive(Debug)]
pub(crate) enum Content {
    Workbook(CampaignWorkbook),
    Rates(RatesFile),
    Export(AdExport),
}

/// A report written by spendsheet: it has the report's own sheets. Reports
/// often land beside their inputs; they are skipped, not rejected.
fn is_report(workbook: &WorkbookCells) -> bool {
    use crate::report::{ISSUES_SHEET, SOURCES_SHEET, SUMMARY_SHEET};
    [SUMMARY_SHEET, SOURCES_SHEET, ISSUES_SHEET]
        .iter()
        .all(|name| workbook.sheets.iter().any(|sheet| sheet.name == *name))
}

fn read_workbook(path: &Path, reader: &WorkbookReader) -> Result<WorkbookCells, WorkbookError> {
    match reader {
        WorkbookReader::InProcess => cells::read_workbook(path),
        WorkbookReader::Isolated { exe } => cells::read_workbook_isolated(exe, path),
    }
}

/// What a file must look like to be read, for the error on one that is
/// none of the kinds.
pub fn unknown_kind_message() -> String {
    "this is not a file spendsheet reads. Expected one of: a campaign workbook (.xlsx, .xlsm, .xlsb, .xls or .ods with a sheet named Campaigns, Budget, Spend or Ad campaigns); an ad-platform export (CSV or .xlsx with an ad campaign column and a spend column, such as Google Ads' Campaign and Cost); a rates file (the ECB's eurofxref CSV, or columns Date, From, To, Rate); or the configuration spendsheet.toml".to_string()
}

/// Whether a text file is an export profile (a TOML file that reads as
/// one).
fn is_profile(path: &Path, head: &TextHead) -> bool {
    head.complete && parse_profile(&head.lines.join("\n"), path, "input").is_ok()
}

/// The error for a table of ad campaigns without spend.
fn no_spend_message(profile: &Profile, header: &str) -> String {
    let spend: Vec<String> = profile
        .columns
        .names(Column::Spend)
        .iter()
        .map(|name| format!("'{}'", name.written))
        .collect();
    format!(
        "this table has an ad campaign column ('{header}') but no spend column, so it is not an export spendsheet can count: {} reports have {}. Export a report with costs (a {} campaign report), or add a profile for this layout",
        profile.platform,
        spend.join(" or "),
        profile.platform
    )
}

/// SHA-256 of a file, read in blocks so that a large export is not held in
/// memory.
pub fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(buffer.get(..read).unwrap_or_default());
    }
    Ok(hex::encode(hasher.finalize()))
}
