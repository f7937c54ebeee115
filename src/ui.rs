//! What the command tells people on standard error: messages prefixed
//! `spendsheet:`, issues coloured on a terminal (unless `NO_COLOR`), a
//! progress bar for runs that take more than a moment, and more detail with
//! `-v`.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use spendsheet::input::Source;
use spendsheet::issue::{Issue, Issues, Severity};
use spendsheet::pipeline::Progress;

/// How much goes to standard error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors only.
    Quiet,
    Normal,
    /// Also what each input was read as.
    Verbose,
    /// Also each input as it is read.
    Debug,
}

/// The messages of one command.
pub struct Ui {
    verbosity: Verbosity,
    terminal: bool,
    color: bool,
}

impl Ui {
    pub fn new(verbosity: Verbosity) -> Ui {
        let terminal = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Ui {
            verbosity,
            terminal,
            color: terminal && !no_color,
        }
    }

    fn say(&self, message: &str) {
        eprintln!("spendsheet: {message}");
    }

    fn label(&self, severity: Severity) -> String {
        let (text, code) = match severity {
            Severity::Error => ("error", "31"),
            Severity::Warning => ("warning", "33"),
        };
        if self.color {
            format!("\u{1b}[1;{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }

    pub fn error(&self, message: &str) {
        self.say(&format!("{}: {message}", self.label(Severity::Error)));
    }

    /// A remark about the run, left out with `-q`.
    pub fn note(&self, message: &str) {
        if self.verbosity >= Verbosity::Normal {
            self.say(message);
        }
    }

    pub fn issues(&self, issues: &Issues) {
        for issue in issues {
            if issue.is_error() || self.verbosity >= Verbosity::Normal {
                self.say(&self.issue_text(issue));
            }
        }
    }

    fn issue_text(&self, issue: &Issue) -> String {
        let plain = issue.to_string();
        let rest = plain
            .split_once(": ")
            .map_or(plain.as_str(), |(_, rest)| rest);
        format!("{}: {rest}", self.label(issue.severity))
    }

    /// With `-v`, what each input was read as.
    pub fn sources(&self, sources: &[Source]) {
        if self.verbosity < Verbosity::Verbose {
            return;
        }
        for source in sources {
            let profile = source
                .profile
                .as_deref()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            self.say(&format!(
                "{}: {}{profile}, {} rows read, {} used, {}",
                source.file, source.kind, source.rows_read, source.rows_used, source.status
            ));
        }
    }

    /// A progress bar that shows itself only on a terminal, and only once a
    /// run has taken more than a moment.
    pub fn progress_bar(&self) -> ProgressReport {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("spendsheet: reading {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        ProgressReport {
            bar,
            started: Instant::now(),
            shown: false,
            wanted: self.terminal && self.verbosity >= Verbosity::Normal,
            log_each: self.verbosity >= Verbosity::Debug,
        }
    }
}

/// A run's progress as the user sees it.
pub struct ProgressReport {
    bar: ProgressBar,
    started: Instant,
    shown: bool,
    wanted: bool,
    log_each: bool,
}

/// How long a run goes before its progress is shown.
const SHOW_AFTER: Duration = Duration::from_millis(500);

impl ProgressReport {
    pub fn step(&mut self, progress: Progress<'_>) {
        if self.log_each {
            eprintln!(
                "spendsheet: reading {} ({}/{})",
                progress.file,
                progress.done + 1,
                progress.total
            );
        }
        if !self.wanted {
            return;
        }
        if !self.shown && self.started.elapsed() >= SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        self.bar
            .set_length(u64::try_from(progress.total).unwrap_or(u64::MAX));
        self.bar
            .set_position(u64::try_from(progress.done).unwrap_or(u64::MAX));
        self.bar.set_message(progress.file.to_string());
    }

    pub fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}
