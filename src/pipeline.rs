//! One run from input paths to figures: find the files, load the
//! configuration, read and classify each file, build the model, convert and
//! total. Writing the report is left to the caller.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::ads;
use crate::config::{CONFIG_FILE_NAME, Config, ConfigError};
use crate::consolidate::{Consolidation, consolidate};
use crate::fx::RateTable;
pub use crate::input::cache::InputCache;
use crate::input::classify::{Content, ReadInput, Readers, hash_file};
pub use crate::input::classify::{WorkbookReader, unknown_kind_message};
use crate::input::discover::{DiscoverError, InputFile, discover};
use crate::input::export::AdExport;
use crate::input::profile::{Profile, ProfileError, load_profiles};
use crate::input::rates::RatesFile;
use crate::input::workbook::CampaignWorkbook;
use crate::input::{Source, SourceKind, SourceStatus};
use crate::issue::{Issues, Place};
use crate::model::{Model, build_model};

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
