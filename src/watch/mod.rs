//! Keeps a report up to date with the files in a folder (SPEC 3.1): builds
//! it at start, then again after each burst of changes, from the files that
//! are ready, reusing what earlier builds read. Events only say when to
//! look; every look lists the whole inbox, so a missed event costs nothing
//! but time.

mod events;
mod inbox;
pub mod outputs;
mod snapshot;

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};

use crate::config::CONFIG_FILE_NAME;
use crate::input::SourceStatus;
use crate::input::discover::{InputFile, discover};
use crate::issue::{Issue, Issues, Place};
use crate::pipeline::{self, InputCache, Outcome, Request, RunError, WorkbookReader};
use crate::report::{self, ReportError, ReportInput};
use crate::summary::Summary;

pub use events::Detection;
use events::{Burst, FolderWatch, Message};
use inbox::{Inbox, Observation, Patience};
use outputs::{BuildFiles, HISTORY_FOLDER, OutputFolder, REPORT_FILE};
pub use snapshot::Changes;
use snapshot::Snapshot;

/// How long the watcher waits for what.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timings {
    /// How long each file-system event is held before it is passed on; a
    /// burst of changes ends half of this after its last event.
    pub debounce: Duration,
    /// How long a file's size and modification time must stand still
    /// before it is read.
    pub settle: Duration,
    /// How long after its last change a file that stands still but cannot
    /// be read whole (a zip cut short) is waited for before it counts as
    /// bad.
    pub retry_for: Duration,
    /// How often the inbox is looked at without any event: for missed
    /// events, an edited `--config` file outside it, and a new day.
    pub sweep_every: Duration,
}

impl Default for Timings {
    fn default() -> Timings {
        Timings::with_debounce(Duration::from_secs(1))
    }
}

impl Timings {
    /// The default timings with another debounce, which is also how long
    /// files must stand still.
    pub fn with_debounce(debounce: Duration) -> Timings {
        Timings {
            debounce,
            settle: debounce,
            retry_for: Duration::from_secs(30),
            sweep_every: Duration::from_secs(60),
        }
    }

    fn quiet(&self) -> Duration {
        self.debounce / 2
    }

    /// A burst longer than this is looked at anyway.
    fn longest_burst(&self) -> Duration {
        self.debounce.saturating_mul(10)
    }

    fn patience(&self) -> Patience {
        Patience {
            settle: self.settle,
            retry_for: self.retry_for,
        }
    }
}

/// What to watch and where to write.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The folder whose files (not sub-folders) are the inputs.
    pub inbox: PathBuf,
    /// Where `report.xlsx`, `status.json`, `issues.txt` and `history/` go.
    pub output: PathBuf,
    /// `--config`; else a `spendsheet.toml` in the inbox is used.
    pub config_file: Option<PathBuf>,
    pub workbook_reader: WorkbookReader,
    pub detection: Detection,
    pub timings: Timings,
}

/// The output folder when none is given: `reports` inside the inbox, which
/// is not an input because only the inbox's own files are.
pub fn default_output_folder(inbox: &Path) -> PathBuf {
    inbox.join("reports")
}

/// Why watching could not start or go on.
#[derive(Debug)]
pub enum WatchError {
    /// The inbox or output folder cannot be used as given.
    Folders(String),
    /// The output folder cannot be created or written.
    Output(ReportError),
    /// The operating system's watch could not be started.
    Watcher {
        folder: PathBuf,
        error: notify_debouncer_full::notify::Error,
    },
    /// The single build of `--once` could not be made (a bad
    /// configuration, an unreadable inbox).
    Run(RunError),
}

impl fmt::Display for WatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WatchError::Folders(message) => f.write_str(message),
            WatchError::Output(err) => err.fmt(f),
            WatchError::Watcher { folder, error } => {
                write!(f, "cannot watch {}: {error}", folder.display())
            }
            WatchError::Run(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for WatchError {}

/// What the watcher tells its caller, who decides what to show.
#[derive(Debug)]
pub enum WatchEvent {
    /// Watching has begun.
    Watching {
        inbox: PathBuf,
        detection: Detection,
    },
    /// A report was written.
    Built(Build),
    /// No report could be made (a bad configuration): the status says so,
    /// the last report stays, and watching goes on.
    BuildFailed(String),
    /// The outputs could not be written; the next look tries again.
    WriteFailed(String),
    /// The file-system watcher failed or lost events; the inbox is looked
    /// at whole.
    WatcherFailed(Vec<String>),
}

/// One report written.
#[derive(Clone, Debug)]
pub struct Build {
    /// The first build of this watch.
    pub first: bool,
    pub report: PathBuf,
    pub took: Duration,
    pub changes: Changes,
    pub campaigns: usize,
    pub errors: usize,
    pub warnings: usize,
    /// The issues of the inputs, as in `issues.txt`.
    pub issues: Issues,
}

impl Build {
    pub fn is_complete(&self) -> bool {
        self.errors == 0
    }
}

/// Asks a running watcher to stop after its current write; it can be sent
/// to another thread (a signal handler's).
#[derive(Clone, Debug)]
pub struct Stopper(Sender<Message>);

impl Stopper {
    pub fn stop(&self) {
        // A watcher that has already ended needs no telling.
        let _ = self.0.send(Message::Stop);
    }
}

/// What one look at the inbox found, ready to build from.
struct Looked {
    files: Vec<InputFile>,
    snapshot: Snapshot,
    look_again_at: Option<Instant>,
}

/// What a look led to.
enum Pass {
    /// A file of the last report is being replaced: wait for it.
    HeldBack,
    Built(Build),
    RunFailed(RunError),
    WriteFailed(ReportError),
}

/// Watches one inbox and keeps its report current.
pub struct Watcher {
    settings: Settings,
    /// The inbox and output folder, resolved, for the OS watch.
    watched: PathBuf,
    output_resolved: PathBuf,
    output: OutputFolder,
    inbox: Inbox,
    cache: InputCache,
    /// What the last build (or failed build) was made from.
    last: Option<Snapshot>,
    builds: usize,
    /// Since when a rebuild has been held back for a file being replaced.
    held_since: Option<Instant>,
    sender: Sender<Message>,
    receiver: Receiver<Message>,
}

impl Watcher {
    /// Checks the folders and creates the output folder.
    pub fn new(settings: Settings) -> Result<Watcher, WatchError> {
        let (watched, output_resolved) = check_folders(&settings.inbox, &settings.output)?;
        let output = OutputFolder::new(settings.output.clone());
        output.create().map_err(|error| {
            WatchError::Output(ReportError::Io {
                path: settings.output.display().to_string(),
                error,
            })
        })?;
        let (sender, receiver) = channel();
        Ok(Watcher {
            settings,
            watched,
            output_resolved,
            output,
            inbox: Inbox::default(),
            cache: InputCache::default(),
            last: None,
            builds: 0,
            held_since: None,
            sender,
            receiver,
        })
    }

    /// A handle that stops [`Watcher::run`] or cuts [`Watcher::once`]'s
    /// wait short.
    pub fn stopper(&self) -> Stopper {
        Stopper(self.sender.clone())
    }

    /// Builds once, after waiting (at most the retry time) for files still
    /// being written, and says whether the report is complete.
    pub fn once(&mut self, on_event: &mut dyn FnMut(WatchEvent)) -> Result<bool, WatchError> {
        let deadline = Instant::now().checked_add(self.settings.timings.retry_for);
        let mut stopped = false;
        loop {
            let now = Instant::now();
            let looked = self.look(now).map_err(WatchError::Run)?;
            let wait_until = match (looked.look_again_at, deadline) {
                (Some(again), Some(deadline)) if !stopped && now < deadline => again.min(deadline),
                _ => break self.build_once(looked, now, on_event),
            };
            if let Ok(Message::Stop) = self
                .receiver
                .recv_timeout(wait_until.saturating_duration_since(now))
            {
                // Stopped while waiting: build from what is ready now.
                stopped = true;
            }
        }
    }

    fn build_once(
        &mut self,
        looked: Looked,
        started: Instant,
        on_event: &mut dyn FnMut(WatchEvent),
    ) -> Result<bool, WatchError> {
        match self.build(looked, started, true) {
            Pass::Built(build) => {
                let complete = build.is_complete();
                on_event(WatchEvent::Built(build));
                Ok(complete)
            }
            Pass::RunFailed(err) => Err(WatchError::Run(err)),
            Pass::WriteFailed(err) => Err(WatchError::Output(err)),
            // A forced build is never held back.
            Pass::HeldBack => Ok(true),
        }
    }

    /// Builds now, then after every burst of changes, until stopped.
    pub fn run(&mut self, on_event: &mut dyn FnMut(WatchEvent)) -> Result<(), WatchError> {
        let timings = self.settings.timings;
        // Watching starts before the first build, so that nothing written
        // during it is missed.
        let _watch = self.watch_folder()?;
        on_event(WatchEvent::Watching {
            inbox: self.settings.inbox.clone(),
            detection: self.settings.detection,
        });
        let mut burst = Burst::default();
        let mut look_again_at = self.pass(on_event);
        let mut sweep_at = Instant::now().checked_add(timings.sweep_every);
        loop {
            let burst_due = burst.due_at(timings.quiet(), timings.longest_burst());
            let due = [burst_due, look_again_at, sweep_at]
                .into_iter()
                .flatten()
                .min();
            let timeout = due.map_or(timings.sweep_every, |due| {
                due.saturating_duration_since(Instant::now())
            });
            match self.receiver.recv_timeout(timeout) {
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return Ok(()),
                Ok(Message::Changed) => burst.note(Instant::now()),
                Ok(Message::WatcherFailed(errors)) => {
                    on_event(WatchEvent::WatcherFailed(errors));
                    burst.note(Instant::now());
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            let now = Instant::now();
            let is_due = |at: Option<Instant>| at.is_some_and(|at| at <= now);
            let burst_due = burst.due_at(timings.quiet(), timings.longest_burst());
            if is_due(burst_due) || is_due(look_again_at) || is_due(sweep_at) {
                burst.clear();
                look_again_at = self.pass(on_event);
                sweep_at = Instant::now().checked_add(timings.sweep_every);
            }
        }
    }

    fn watch_folder(&self) -> Result<FolderWatch, WatchError> {
        let timings = self.settings.timings;
        events::watch_folder(
            &self.watched,
            vec![self.output_resolved.clone()],
            self.settings.detection,
            timings.debounce,
            self.sender.clone(),
        )
        .map_err(|error| WatchError::Watcher {
            folder: self.settings.inbox.clone(),
            error,
        })
    }

    /// One look, and a build when the inbox changed; returns when to look
    /// again for files that were not ready.
    fn pass(&mut self, on_event: &mut dyn FnMut(WatchEvent)) -> Option<Instant> {
        let now = Instant::now();
        let looked = match self.look(now) {
            Ok(looked) => looked,
            Err(err) => {
                // The inbox cannot be listed (gone, no permission): said
                // once, until it can be listed again.
                let unreadable = Looked {
                    files: Vec::new(),
                    snapshot: Snapshot::default(),
                    look_again_at: None,
                };
                if self.last.as_ref() != Some(&unreadable.snapshot) {
                    let pass = self.fail(err, unreadable);
                    tell(pass, on_event);
                }
                return None;
            }
        };
        let look_again_at = looked.look_again_at;
        if self.last.as_ref() != Some(&looked.snapshot) {
            let pass = self.build(looked, now, false);
            tell(pass, on_event);
        }
        look_again_at
    }

    /// Lists the inbox and sorts its files into ready and waiting.
    fn look(&mut self, now: Instant) -> Result<Looked, RunError> {
        let files =
            discover(std::slice::from_ref(&self.settings.inbox)).map_err(RunError::Inputs)?;
        let look = self
            .inbox
            .look(&files, self.settings.timings.patience(), now);
        let snapshot = Snapshot {
            as_of: Some(today()),
            config: self
                .settings
                .config_file
                .as_deref()
                .and_then(Observation::of),
            read: look.ready,
            waiting: look.waiting.into_keys().collect(),
        };
        Ok(Looked {
            files,
            snapshot,
            look_again_at: look.look_again_at,
        })
    }

    /// Reads what is ready and writes the outputs, unless a file of the
    /// last report is being replaced (its figures would leave the report
    /// for a moment) and `force` is not set.
    fn build(&mut self, mut looked: Looked, started: Instant, force: bool) -> Pass {
        if !force && self.holds_back(&looked, started) {
            return Pass::HeldBack;
        }
        let outcome = match self.read_inputs(&mut looked) {
            Ok(outcome) => outcome,
            Err(err) => return self.fail(err, looked),
        };
        let present: BTreeSet<&Path> = looked.files.iter().map(|f| f.path.as_path()).collect();
        self.cache.retain_paths(|path| present.contains(path));
        match self.write(&outcome, &looked) {
            Ok(mut build) => {
                build.took = started.elapsed();
                build.changes = looked.snapshot.changes_since(self.last.as_ref());
                self.last = Some(looked.snapshot);
                self.builds = self.builds.saturating_add(1);
                Pass::Built(build)
            }
            Err(err) => {
                // Not remembered as built, so the next look tries again.
                self.last = None;
                Pass::WriteFailed(err)
            }
        }
    }

    /// Whether to wait: a file of the last build, or the configuration, is
    /// still being written, and has not been waited for too long yet.
    fn holds_back(&mut self, looked: &Looked, now: Instant) -> bool {
        let replaced = looked.snapshot.waiting.iter().any(|path| {
            is_config_file(path)
                || self
                    .last
                    .as_ref()
                    .is_some_and(|last| last.read.contains_key(path))
        });
        if !replaced {
            self.held_since = None;
            return false;
        }
        let since = *self.held_since.get_or_insert(now);
        now.saturating_duration_since(since) < self.settings.timings.retry_for
    }

    /// Reads the ready files. A file that went away since the look makes
    /// the read fail; the inbox is then looked at again, a few times.
    /// `looked` is updated to what was read.
    fn read_inputs(&mut self, looked: &mut Looked) -> Result<Outcome, RunError> {
        const TRIES: usize = 3;
        for _ in 1..TRIES {
            match self.read_ready(looked) {
                Err(RunError::Inputs(_)) => *looked = self.look(Instant::now())?,
                read => return read,
            }
        }
        self.read_ready(looked)
    }

    /// Runs the pipeline on the ready files, named one by one so that a
    /// file that appeared since the look is not read before it is checked.
    /// A workbook that reading finds cut short is left out and waited for
    /// like a file still changing (the cache makes the second run cheap).
    fn read_ready(&mut self, looked: &mut Looked) -> Result<Outcome, RunError> {
        let patience = self.settings.timings.patience();
        loop {
            let outcome = pipeline::run_cached(&self.request(looked), &mut self.cache)?;
            let now = Instant::now();
            let cut_short: Vec<PathBuf> = outcome
                .not_ready
                .iter()
                .filter(|path| !looked.snapshot.waiting.contains(*path))
                .filter(|path| self.inbox.found_cut_short(path, patience, now))
                .cloned()
                .collect();
            if cut_short.is_empty() {
                return Ok(outcome);
            }
            for path in &cut_short {
                looked.snapshot.set_waiting(path);
                let again = self.inbox.look_again_at(path, patience, now);
                looked.look_again_at = [looked.look_again_at, again].into_iter().flatten().min();
            }
        }
    }

    /// The ready files, and the configuration in the inbox even while it
    /// changes (only a forced build reads it then), with the waiting ones
    /// excluded.
    fn request(&self, looked: &Looked) -> Request {
        let inputs = looked
            .files
            .iter()
            .map(|file| &file.path)
            .filter(|path| looked.snapshot.read.contains_key(*path) || is_config_file(path))
            .cloned()
            .collect();
        Request {
            inputs,
            config_file: self.settings.config_file.clone(),
            as_of: looked.snapshot.as_of.unwrap_or_else(today),
            workbook_reader: self.settings.workbook_reader.clone(),
            exclude: looked.snapshot.waiting.clone(),
        }
    }

    /// Renders the report and writes it with its status, issues and
    /// history.
    fn write(&self, outcome: &Outcome, looked: &Looked) -> Result<Build, ReportError> {
        let rendered = report::render(&ReportInput {
            consolidation: &outcome.consolidation,
            issues: &outcome.issues,
            sources: &outcome.sources,
            incomplete: outcome.incomplete_reason(),
            version: env!("CARGO_PKG_VERSION"),
        })?;
        let mut issues = outcome.issues.clone();
        for warning in rendered.warnings {
            issues.push(warning);
        }
        let summary = Summary::new(
            &outcome.consolidation,
            &issues,
            Some(REPORT_FILE.to_string()),
        );
        let rejected: Vec<String> = outcome
            .sources
            .iter()
            .filter(|source| source.status == SourceStatus::Rejected)
            .map(|source| source.file.clone())
            .collect();
        self.output.write_build(&BuildFiles {
            report: &rendered.bytes,
            summary: &summary,
            rejected: &rejected,
            waiting: &waiting_names(looked),
            time: Utc::now(),
        })?;
        Ok(Build {
            first: self.builds == 0,
            report: self.output.report(),
            took: Duration::ZERO,
            changes: Changes::default(),
            campaigns: outcome.consolidation.campaigns.len(),
            errors: issues.error_count(),
            warnings: issues.warning_count(),
            issues,
        })
    }

    /// Writes a status that says why no report could be made; the last
    /// report stays. The inbox as it is is remembered, so that the same
    /// failure is not repeated until something changes.
    fn fail(&mut self, err: RunError, looked: Looked) -> Pass {
        let summary = Summary {
            report: None,
            complete: false,
            as_of: looked.snapshot.as_of.unwrap_or_else(today).to_string(),
            report_currency: None,
            campaigns: Vec::new(),
            totals: None,
            unassigned: Vec::new(),
            issues: vec![Issue::error(Place::default(), err.to_string())],
        };
        let written = self
            .output
            .write_failure(&summary, &waiting_names(&looked), Utc::now());
        self.last = Some(looked.snapshot);
        match written {
            Ok(()) => Pass::RunFailed(err),
            Err(write_err) => Pass::WriteFailed(write_err),
        }
    }
}

/// Passes what a look led to on to the caller.
fn tell(pass: Pass, on_event: &mut dyn FnMut(WatchEvent)) {
    match pass {
        Pass::HeldBack => {}
        Pass::Built(build) => on_event(WatchEvent::Built(build)),
        Pass::RunFailed(err) => on_event(WatchEvent::BuildFailed(err.to_string())),
        Pass::WriteFailed(err) => on_event(WatchEvent::WriteFailed(err.to_string())),
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(|name| name.eq_ignore_ascii_case(CONFIG_FILE_NAME))
}

/// The waiting files as the inputs name them.
fn waiting_names(looked: &Looked) -> Vec<String> {
    looked
        .files
        .iter()
        .filter(|file| looked.snapshot.waiting.contains(&file.path))
        .map(|file| file.display.clone())
        .collect()
}

/// Checks that the inbox is a folder and that no output lands in it (its
/// files would be read as inputs). Returns both folders resolved.
fn check_folders(inbox: &Path, output: &Path) -> Result<(PathBuf, PathBuf), WatchError> {
    let shown = inbox.display();
    let inbox_resolved = match std::fs::metadata(inbox) {
        Ok(metadata) if metadata.is_dir() => inbox
            .canonicalize()
            .map_err(|err| WatchError::Folders(format!("{shown}: {err}")))?,
        Ok(_) => return Err(WatchError::Folders(format!("{shown} is not a folder"))),
        Err(err) => {
            return Err(WatchError::Folders(format!(
                "{shown}: {}",
                crate::input::discover::describe_io_error(&err)
            )));
        }
    };
    let output_resolved = resolve(output);
    if output_resolved == inbox_resolved || output_resolved.join(HISTORY_FOLDER) == inbox_resolved {
        return Err(WatchError::Folders(format!(
            "the output folder {} would put the reports into the inbox {shown}, where they would be read as inputs; choose another -o (the default is {})",
            output.display(),
            default_output_folder(inbox).display()
        )));
    }
    Ok((inbox_resolved, output_resolved))
}

/// A path made absolute with its existing part resolved (links, `..`), for
/// comparing folders that may not exist yet.
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(mut resolved) = existing.canonicalize() {
            for part in missing.iter().rev() {
                resolved.push(part);
            }
            return resolved;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

#[cfg(test)]
mod tests;
