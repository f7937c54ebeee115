//! One run from input paths to figures: find the files, load the
//! configuration, read and classify each file, build the model, convert and
//! total. Writing the report is left to the caller.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::ads;
use crate::config::{CONFIG_FILE_NAME, Config, ConfigError};
use crate::consolidate::{Consolidation, consolidate};
use crate::fx::RateTable;
use crate::input::cells::{self, WorkbookCells, WorkbookError};
use crate::input::discover::{DiscoverError, InputFile, describe_io_error, discover};
use crate::input::export::{
    AdExport, ad_campaigns_without_spend, read_export, read_export_cells, recognise,
    recognise_cells,
};
use crate::input::profile::{Column, Profile, ProfileError, load_profiles, parse_profile};
use crate::input::rates::{RatesFile, RatesLayout, read_rates, recognise_rates};
use crate::input::text::{TextError, TextFile, TextHead, csv_error, csv_reader, open_text};
use crate::input::workbook::{
    CampaignWorkbook, TextForms, is_campaign_workbook, read_campaign_workbook,
};
use crate::input::{Source, SourceKind, SourceStatus};
use crate::issue::{Issues, Place};
use crate::model::{Model, build_model};
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

/// What to run on.
#[derive(Clone, Debug)]
pub struct Request {
    pub inputs: Vec<PathBuf>,
    /// `--config`; else a `spendsheet.toml` among the inputs is used.
    pub config_file: Option<PathBuf>,
    pub as_of: NaiveDate,
    pub workbook_reader: WorkbookReader,
    /// Files to leave out of this run (the watcher's files still being
    /// written).
    pub exclude: BTreeSet<PathBuf>,
}

/// The figures of a run, with every issue and every input accounted for.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub config: Config,
    pub consolidation: Consolidation,
    pub issues: Issues,
    pub sources: Vec<Source>,
    /// Inputs that are cut short, as while they are still being copied.
    pub not_ready: Vec<PathBuf>,
}

impl Outcome {
    pub fn is_complete(&self) -> bool {
        !self.issues.has_errors()
    }

    /// Why the figures are incomplete, in one sentence for the Summary's
    /// first row; `None` when they are complete.
    pub fn incomplete_reason(&self) -> Option<String> {
        if self.is_complete() {
            return None;
        }
        let affected: Vec<&str> = self
            .sources
            .iter()
            .filter(|source| {
                matches!(
                    source.status,
                    SourceStatus::Rejected | SourceStatus::Partial
                )
            })
            .map(|source| source.file.as_str())
            .collect();
        let errors = self.issues.error_count();
        let plural = if errors == 1 { "" } else { "s" };
        Some(if affected.is_empty() {
            format!(
                "{errors} error{plural}; some figures could not be computed. See the Issues sheet."
            )
        } else {
            format!(
                "{errors} error{plural}; left out in whole or in part: {}. See the Issues sheet.",
                affected.join(", ")
            )
        })
    }
}

/// A failure that stops the run before any input is judged: usage,
/// configuration or I/O (exit code 2).
#[derive(Debug)]
pub enum RunError {
    Inputs(DiscoverError),
    Config(ConfigError),
    Profiles(ProfileError),
    SeveralConfigs(Vec<String>),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Inputs(err) => err.fmt(f),
            RunError::Config(err) => err.fmt(f),
            RunError::Profiles(err) => err.fmt(f),
            RunError::SeveralConfigs(files) => write!(
                f,
                "several configuration files among the inputs ({}); keep one, or choose one with --config",
                files.join(", ")
            ),
        }
    }
}

impl std::error::Error for RunError {}

/// Reads, checks, converts and totals everything `request` names.
pub fn run(request: &Request) -> Result<Outcome, RunError> {
    run_cached(request, &mut InputCache::default())
}

/// Like [`run`], but inputs whose path, size, modification time and
/// content hash are unchanged since an earlier run with `cache` are not
/// parsed again.
pub fn run_cached(request: &Request, cache: &mut InputCache) -> Result<Outcome, RunError> {
    run_with_progress(request, cache, &mut |_| {})
}

/// How far reading the inputs has come: before each input is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress<'a> {
    /// Inputs read so far.
    pub done: usize,
    pub total: usize,
    /// The input about to be read.
    pub file: &'a str,
}

/// Like [`run_cached`], telling `progress` about each input before it is
/// read, so that a caller can show how far a long run has come.
pub fn run_with_progress(
    request: &Request,
    cache: &mut InputCache,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Outcome, RunError> {
    let files = discover(&request.inputs).map_err(RunError::Inputs)?;
    let (config, config_sources) = load_config(request, &files)?;
    let profiles = load_profiles(&config.profile_dirs).map_err(RunError::Profiles)?;
    cache.keep_only_for(&config);
    let readers = Readers {
        config: &config,
        profiles: &profiles,
        workbooks: &request.workbook_reader,
    };

    let inputs: Vec<&InputFile> = files
        .iter()
        .filter(|file| !is_config_file(file) && !request.exclude.contains(&file.path))
        .collect();
    let total = inputs.len();
    let mut reads: Vec<(&InputFile, Arc<ReadInput>)> = Vec::with_capacity(total);
    for (done, file) in inputs.into_iter().enumerate() {
        progress(Progress {
            done,
            total,
            file: &file.display,
        });
        reads.push((file, cache.read(file, &readers)));
    }
    let mut gathered = Gathered {
        sources: config_sources,
        ..Gathered::default()
    };
    let originals = originals(&reads);
    for (file, read) in &reads {
        gathered.add(file, read, originals.get(&read.source.sha256));
    }
    let Gathered {
        mut issues,
        mut sources,
        workbooks,
        rate_files,
        exports,
        left_out,
        not_ready,
    } = gathered;

    let mut model = build_model(&workbooks, &left_out, &config, &mut issues);
    if model.campaigns.is_empty() {
        issues.warning(
            Place::default(),
            "no campaign is defined in the inputs: the report has no campaign rows (add a workbook with a Campaigns sheet)",
        );
    }
    check_link_platforms(&model, &profiles, &mut issues);
    let overlapping = ads::reject_overlapping(&exports, &mut issues);
    mark_rejected(&mut sources, &overlapping);
    let exports: Vec<AdExport> = exports
        .into_iter()
        .filter(|export| !overlapping.contains(&export.file))
        .collect();
    let unassigned =
        ads::add_ad_campaigns(&mut model, &exports, &config, request.as_of, &mut issues);

    let rates = rate_table(&config, &rate_files, &mut sources, &mut issues);
    let mut consolidation = consolidate(&model, &rates, &config, request.as_of, &mut issues);
    consolidation.unassigned = unassigned;
    mark_partly_used(&mut sources, &issues);
    Ok(Outcome {
        config,
        consolidation,
        issues,
        sources,
        not_ready,
    })
}

/// The inputs' contents sorted by kind, with their issues and sources.
#[derive(Default)]
struct Gathered {
    issues: Issues,
    sources: Vec<Source>,
    workbooks: Vec<CampaignWorkbook>,
    rate_files: Vec<(String, RatesFile)>,
    exports: Vec<AdExport>,
    /// Campaigns of workbooks left out for their errors, with the file.
    left_out: Vec<(String, String)>,
    not_ready: Vec<PathBuf>,
}

impl Gathered {
    /// Takes in one input; `original` is the input whose content counts
    /// when several are byte-identical.
    fn add(&mut self, file: &InputFile, read: &ReadInput, original: Option<&String>) {
        let mut source = read.source.clone();
        if read.not_ready {
            self.not_ready.push(file.path.clone());
        }
        if let Some(first) = original.filter(|first| **first != source.file) {
            let message = format!(
                "this file is identical to {first}; it is ignored so that nothing is counted twice"
            );
            self.issues.warning(Place::file(&file.display), message);
            source.status = SourceStatus::Ignored(format!("identical to {first}"));
            self.sources.push(source);
            return;
        }
        let rejected = read.issues.has_errors();
        match read.content.as_deref() {
            Some(Content::Workbook(workbook)) if rejected => {
                self.left_out.extend(
                    workbook
                        .campaigns
                        .iter()
                        .map(|c| (c.name.clone(), file.display.clone())),
                );
            }
            Some(Content::Workbook(workbook)) => self.workbooks.push(workbook.clone()),
            Some(Content::Rates(rates)) if !rejected => {
                self.rate_files.push((file.display.clone(), rates.clone()))
            }
            Some(Content::Export(export)) if !rejected => self.exports.push(export.clone()),
            Some(Content::Rates(_) | Content::Export(_)) | None => {}
        }
        if rejected {
            source.status = SourceStatus::Rejected;
        }
        self.issues.extend(read.issues.clone());
        self.sources.push(source);
    }
}

fn mark_rejected(sources: &mut [Source], files: &[String]) {
    for source in sources
        .iter_mut()
        .filter(|source| files.contains(&source.file))
    {
        source.status = SourceStatus::Rejected;
    }
}

/// A link's platform must be the id of a profile.
fn check_link_platforms(model: &Model, profiles: &[Profile], issues: &mut Issues) {
    for link in &model.links {
        let Some(platform) = &link.platform else {
            continue;
        };
        if profiles.iter().any(|profile| &profile.id == platform) {
            continue;
        }
        let known: Vec<&str> = profiles.iter().map(|profile| profile.id.as_str()).collect();
        issues.error(
            link.place.clone(),
            format!(
                "'{platform}' is not a platform: expected one of {}",
                known.join(", ")
            ),
        );
    }
}

/// For each content hash, the input that counts: of byte-identical files,
/// the one with the shortest name (`export.csv` rather than its copy
/// `export (1).csv`, which would count its figures twice), then the first in
/// name order.
fn originals(reads: &[(&InputFile, Arc<ReadInput>)]) -> HashMap<String, String> {
    let mut originals: HashMap<String, String> = HashMap::new();
    for (_, read) in reads {
        let source = &read.source;
        if source.sha256.is_empty() {
            continue;
        }
        let keep = match originals.get(&source.sha256) {
            Some(kept) => source.file.chars().count() < kept.chars().count(),
            None => true,
        };
        if keep {
            originals.insert(source.sha256.clone(), source.file.clone());
        }
    }
    originals
}

/// What reading one input gave: kept whole between runs of the watcher.
#[derive(Debug)]
struct ReadInput {
    source: Source,
    content: Option<Arc<Content>>,
    issues: Issues,
    /// The file is cut short, as while it is still being copied.
    not_ready: bool,
}

/// A file as it was when it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Fingerprint {
    size: u64,
    modified: Option<SystemTime>,
}

impl Fingerprint {
    fn of(path: &Path) -> Option<Fingerprint> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Fingerprint {
            size: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

/// Inputs read in earlier runs, by path. An entry is reused while the
/// file's size and modification time are the same; when they differ but the
/// content hash is the same (a file touched or copied over with itself), the
/// parse is reused too. A change of configuration empties the cache.
#[derive(Debug, Default)]
pub struct InputCache {
    config: Option<Config>,
    entries: HashMap<PathBuf, (Fingerprint, Arc<ReadInput>)>,
}

impl InputCache {
    fn keep_only_for(&mut self, config: &Config) {
        if self.config.as_ref() != Some(config) {
            self.entries.clear();
            self.config = Some(config.clone());
        }
    }

    /// How many inputs are cached.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn read(&mut self, file: &InputFile, readers: &Readers<'_>) -> Arc<ReadInput> {
        let fingerprint = Fingerprint::of(&file.path);
        if let (Some(now), Some((then, read))) = (&fingerprint, self.entries.get(&file.path))
            && now == then
            && read.source.file == file.display
        {
            return Arc::clone(read);
        }
        let cached = self
            .entries
            .get(&file.path)
            .map(|(_, read)| Arc::clone(read));
        let hash = hash_file(&file.path).unwrap_or_default();
        let read = match cached {
            Some(read)
                if !hash.is_empty()
                    && read.source.sha256 == hash
                    && read.source.file == file.display =>
            {
                read
            }
            _ => Arc::new(read_input(file, readers, hash)),
        };
        match fingerprint {
            Some(fingerprint) if !read.not_ready => {
                self.entries
                    .insert(file.path.clone(), (fingerprint, Arc::clone(&read)));
            }
            _ => {
                self.entries.remove(&file.path);
            }
        }
        read
    }

    /// Forgets files that are gone, so that the cache follows the inbox.
    pub fn retain_paths(&mut self, keep: impl Fn(&Path) -> bool) {
        self.entries.retain(|path, _| keep(path));
    }
}

fn is_config_file(file: &InputFile) -> bool {
    file.path
        .file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.eq_ignore_ascii_case(CONFIG_FILE_NAME))
}

/// The configuration: `--config`, else the one `spendsheet.toml` among the
/// inputs, else the defaults. Configuration files among the inputs are
/// listed as sources either way.
fn load_config(request: &Request, files: &[InputFile]) -> Result<(Config, Vec<Source>), RunError> {
    let found: Vec<&InputFile> = files.iter().filter(|file| is_config_file(file)).collect();
    let mut sources = Vec::new();
    let config = match &request.config_file {
        Some(path) => {
            let config = Config::load(path).map_err(RunError::Config)?;
            sources.push(config_source(
                &path.display().to_string(),
                path,
                SourceStatus::Used,
            ));
            for file in &found {
                sources.push(config_source(
                    &file.display,
                    &file.path,
                    SourceStatus::Ignored("--config was given".into()),
                ));
            }
            config
        }
        None => match found.as_slice() {
            [] => Config::default(),
            [file] => {
                let config = Config::load(&file.path).map_err(|err| {
                    RunError::Config(ConfigError {
                        file: PathBuf::from(&file.display),
                        ..err
                    })
                })?;
                sources.push(config_source(&file.display, &file.path, SourceStatus::Used));
                config
            }
            several => {
                return Err(RunError::SeveralConfigs(
                    several.iter().map(|f| f.display.clone()).collect(),
                ));
            }
        },
    };
    Ok((config, sources))
}

fn config_source(display: &str, path: &Path, status: SourceStatus) -> Source {
    Source {
        file: display.to_string(),
        kind: SourceKind::Configuration,
        profile: None,
        rows_read: 0,
        rows_used: 0,
        sha256: hash_file(path).unwrap_or_default(),
        status,
    }
}

/// The rate table: fixed rates from the configuration, and the rates files
/// in input order. A file that gives another rate than an earlier one for
/// the same pair and day is an error naming both, and is left out.
fn rate_table(
    config: &Config,
    rate_files: &[(String, RatesFile)],
    sources: &mut [Source],
    issues: &mut Issues,
) -> RateTable {
    let mut table = RateTable::new(config.max_rate_age_days);
    let source = config
        .file
        .as_ref()
        .map_or("configuration".to_string(), |file| {
            format!("{} [fx.fixed]", file.display())
        });
    for fixed in &config.fixed_rates {
        table.set_fixed(&source, fixed.from, fixed.to, fixed.rate);
    }
    for (file, rates) in rate_files {
        let dated = rates
            .rates
            .iter()
            .map(|rate| (rate.date, rate.from, rate.to, rate.rate));
        let Err(conflicts) = table.add_rates(file, dated) else {
            continue;
        };
        for conflict in conflicts.iter().take(10) {
            issues.error(
                Place::file(file),
                format!(
                    "the rate {}/{} on {} is {} here but {} in {}; remove one of the two files or correct the rate",
                    conflict.from, conflict.to, conflict.date, conflict.second.0, conflict.first.0, conflict.first.1
                ),
            );
        }
        if let Some(source) = sources.iter_mut().find(|source| &source.file == file) {
            source.status = SourceStatus::Rejected;
        }
    }
    table
}

/// What reading an input needs besides the file.
struct Readers<'a> {
    config: &'a Config,
    profiles: &'a [Profile],
    workbooks: &'a WorkbookReader,
}

impl Readers<'_> {
    fn platform_currency(&self, profile: &Profile) -> Option<Currency> {
        self.config.platform_currency.get(&profile.id).copied()
    }
}

/// Reads one input: what it is, and what it holds when it is usable.
/// `sha256` is the file's hash, empty when it could not be read.
fn read_input(file: &InputFile, readers: &Readers<'_>, sha256: String) -> ReadInput {
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
enum Content {
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

/// Inputs that were read but some of whose rows had errors later on (an
/// unknown campaign, a missing rate) are used only in part.
fn mark_partly_used(sources: &mut [Source], issues: &Issues) {
    for source in sources
        .iter_mut()
        .filter(|source| source.status == SourceStatus::Used)
    {
        if issues
            .iter()
            .any(|issue| issue.is_error() && issue.place.file == source.file)
        {
            source.status = SourceStatus::Partial;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(dir: &Path) -> Request {
        Request {
            inputs: vec![dir.to_path_buf()],
            config_file: None,
            as_of: NaiveDate::from_ymd_opt(2026, 4, 30).unwrap_or_default(),
            workbook_reader: WorkbookReader::InProcess,
            exclude: BTreeSet::new(),
        }
    }

    const RATES: &str = "Date,From,To,Rate\n2026-04-30,EUR,NOK,11.5\n";

    #[test]
    fn unchanged_inputs_are_not_read_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("rates.csv");
        std::fs::write(&path, RATES).expect("write");
        let file = InputFile {
            path: path.clone(),
            display: "rates.csv".into(),
        };
        let config = Config::default();
        let mut cache = InputCache::default();
        cache.keep_only_for(&config);
        let readers = Readers {
            config: &config,
            profiles: &[],
            workbooks: &WorkbookReader::InProcess,
        };

        let first = cache.read(&file, &readers);
        let again = cache.read(&file, &readers);
        assert!(Arc::ptr_eq(&first, &again), "same size and time: reused");

        std::fs::write(&path, "Date,From,To,Rate\n2026-04-30,EUR,NOK,11.6\n").expect("rewrite");
        let changed = cache.read(&file, &readers);
        assert!(!Arc::ptr_eq(&first, &changed), "new content: read again");
        assert_ne!(first.source.sha256, changed.source.sha256);

        let other = Config {
            max_rate_age_days: 3,
            ..Config::default()
        };
        cache.keep_only_for(&other);
        assert!(cache.is_empty(), "a new configuration empties the cache");
    }

    #[test]
    fn a_byte_identical_copy_is_ignored_with_a_warning() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("rates.csv"), RATES).expect("write");
        std::fs::write(dir.path().join("rates (1).csv"), RATES).expect("write");
        let outcome = run(&request(dir.path())).expect("runs");
        let statuses: Vec<String> = outcome
            .sources
            .iter()
            .map(|s| format!("{}: {}", s.file, s.status))
            .collect();
        let folder = dir.path().display().to_string();
        assert_eq!(
            statuses,
            [
                format!("{folder}/rates (1).csv: ignored: identical to {folder}/rates.csv"),
                format!("{folder}/rates.csv: used")
            ]
        );
        assert!(
            outcome
                .issues
                .iter()
                .any(|issue| !issue.is_error() && issue.message.contains("identical to"))
        );
        assert!(outcome.is_complete());
    }
}
