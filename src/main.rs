//! The `spendsheet` command: parse the command line, resolve it into a
//! request, run the library, and turn the outcome into output and an exit
//! code. Only this file prints or exits.

mod cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, ReportArgs, WatchArgs};
use spendsheet::issue::{Issue, Issues, Severity};
use spendsheet::pipeline::{self, Outcome, Request, WorkbookReader};
use spendsheet::report::{self, ReportInput};
use spendsheet::summary::Summary;
use spendsheet::watch::{self, Detection, Timings, WatchEvent, Watcher};

/// The exit codes of SPEC section 3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exit {
    Success = 0,
    InputErrors = 1,
    Failure = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// How much goes to standard error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, 0) => Verbosity::Normal,
        (false, _) => Verbosity::Verbose,
    };
    let exit = match cli.command {
        Command::Report(args) => report(args, verbosity),
        Command::Watch(args) => watch(args, verbosity),
        Command::ReadWorkbook { path } => {
            let mut stdout = std::io::stdout().lock();
            return ExitCode::from(spendsheet::input::cells::serve_isolated_read(
                &path,
                &mut stdout,
            ));
        }
    };
    exit.into()
}

fn say(message: &str) {
    eprintln!("spendsheet: {message}");
}

fn report(args: ReportArgs, verbosity: Verbosity) -> Exit {
    let request = Request {
        inputs: args.inputs.clone(),
        config_file: args.config.clone(),
        as_of: args
            .as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        workbook_reader: workbook_reader(),
        exclude: Default::default(),
    };
    if let Err(message) = check_output(&args.output, &args.inputs) {
        say(&format!("error: {message}"));
        return Exit::Failure;
    }
    let outcome = match pipeline::run(&request) {
        Ok(outcome) => outcome,
        Err(err) => {
            say(&format!("error: {err}"));
            return Exit::Failure;
        }
    };
    print_issues(&outcome.issues, verbosity);

    let write = outcome.is_complete() || args.keep_going;
    let mut written = None;
    let mut extra = Issues::default();
    if write {
        match write_report(&outcome, &args.output) {
            Ok(warnings) => {
                for warning in warnings {
                    extra.push(warning);
                }
                print_issues(&extra, verbosity);
                written = Some(args.output.display().to_string());
            }
            Err(err) => {
                say(&format!("error: {err}"));
                return Exit::Failure;
            }
        }
    } else if verbosity >= Verbosity::Normal {
        say(&format!(
            "no report written: {} error(s) in the inputs (use --keep-going to write one from the valid inputs)",
            outcome.issues.error_count()
        ));
    }

    if args.json {
        let mut issues = outcome.issues.clone();
        issues.extend(extra);
        let summary = Summary::new(&outcome.consolidation, &issues, written.clone());
        let mut stdout = std::io::stdout().lock();
        if stdout.write_all(summary.to_json().as_bytes()).is_err() {
            return Exit::Failure;
        }
    }
    if let (Some(path), true) = (&written, verbosity >= Verbosity::Normal) {
        let campaigns = outcome.consolidation.campaigns.len();
        say(&format!(
            "wrote {path}: {campaigns} campaign(s), {} error(s), {} warning(s)",
            outcome.issues.error_count(),
            outcome.issues.warning_count()
        ));
    }
    if outcome.is_complete() {
        Exit::Success
    } else {
        Exit::InputErrors
    }
}

/// Workbooks are read in a child process of this executable when it can be
/// found, so that a hostile file cannot exhaust this process.
fn workbook_reader() -> WorkbookReader {
    match std::env::current_exe() {
        Ok(exe) => WorkbookReader::Isolated { exe },
        Err(_) => WorkbookReader::InProcess,
    }
}

/// The report must never replace an input.
fn check_output(output: &Path, inputs: &[PathBuf]) -> Result<(), String> {
    let Ok(target) = output.canonicalize() else {
        return Ok(());
    };
    for input in inputs {
        if input.canonicalize().is_ok_and(|input| input == target) {
            return Err(format!(
                "the report {} would replace the input of the same name; choose another -o",
                output.display()
            ));
        }
    }
    Ok(())
}

fn write_report(outcome: &Outcome, path: &Path) -> Result<Vec<Issue>, report::ReportError> {
    let input = ReportInput {
        consolidation: &outcome.consolidation,
        issues: &outcome.issues,
        sources: &outcome.sources,
        incomplete: outcome.incomplete_reason(),
        version: env!("CARGO_PKG_VERSION"),
    };
    let rendered = report::render(&input)?;
    report::write_atomically(path, &rendered.bytes)?;
    Ok(rendered.warnings)
}

fn print_issues(issues: &Issues, verbosity: Verbosity) {
    for issue in issues {
        let shown = match issue.severity {
            Severity::Error => true,
            Severity::Warning => verbosity >= Verbosity::Normal,
        };
        if shown {
            say(&issue.to_string());
        }
    }
}

/// `spendsheet watch`: keep the report of a folder current, or build it once
/// with `--once`.
fn watch(args: WatchArgs, verbosity: Verbosity) -> Exit {
    let settings = watch::Settings {
        output: args
            .output
            .clone()
            .unwrap_or_else(|| watch::default_output_folder(&args.inbox)),
        inbox: args.inbox,
        config_file: args.config,
        workbook_reader: workbook_reader(),
        detection: args.poll.map_or(Detection::Events, Detection::Poll),
        timings: args
            .debounce
            .map_or_else(Timings::default, Timings::with_debounce),
    };
    let mut watcher = match Watcher::new(settings) {
        Ok(watcher) => watcher,
        Err(err) => {
            say(&format!("error: {err}"));
            return Exit::Failure;
        }
    };
    if let Err(err) = stop_on_signals(watcher.stopper()) {
        say(&format!("error: cannot handle Ctrl-C: {err}"));
        return Exit::Failure;
    }
    let once = args.once;
    let mut log = |event: WatchEvent| {
        // A single build tells its issues, as `report` does; a watcher
        // keeps to one line per build.
        if let (true, WatchEvent::Built(build)) = (once, &event) {
            print_issues(&build.issues, verbosity);
        }
        log_watch_event(&event, verbosity);
    };
    let result = if args.once {
        watcher.once(&mut log).map(|complete| {
            if complete {
                Exit::Success
            } else {
                Exit::InputErrors
            }
        })
    } else {
        watcher.run(&mut log).map(|()| Exit::Success)
    };
    result.unwrap_or_else(|err| {
        say(&format!("error: {err}"));
        Exit::Failure
    })
}

/// SIGINT and SIGTERM stop the watcher after its current write; a second
/// one ends the program at once.
fn stop_on_signals(stopper: watch::Stopper) -> std::io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    let stopping = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        // The shutdown goes first, so that it only fires once stopping.
        signal_hook::flag::register_conditional_shutdown(
            signal,
            128 + signal,
            Arc::clone(&stopping),
        )?;
        signal_hook::flag::register(signal, Arc::clone(&stopping))?;
    }
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if signals.forever().next().is_some() {
                stopper.stop();
            }
        })?;
    Ok(())
}

/// One line per event on standard error; with `-q`, failures only.
fn log_watch_event(event: &WatchEvent, verbosity: Verbosity) {
    let normal = verbosity >= Verbosity::Normal;
    match event {
        WatchEvent::Watching { inbox, detection } if normal => {
            let how = match detection {
                Detection::Events => "for changes".to_string(),
                Detection::Poll(interval) => {
                    format!("every {} s", interval.as_secs_f64())
                }
            };
            say(&format!("watching {} {how}; Ctrl-C stops", inbox.display()));
        }
        WatchEvent::Built(build) if normal => {
            let verb = if build.first { "built" } else { "rebuilt" };
            say(&format!(
                "{verb} {} in {:.2} s: {}, {}, {}, {}",
                build.report.display(),
                build.took.as_secs_f64(),
                build.changes,
                count(build.campaigns, "campaign"),
                count(build.errors, "error"),
                count(build.warnings, "warning"),
            ));
        }
        WatchEvent::BuildFailed(message) => say(&format!(
            "error: {message}; the last report stays, see status.json (still watching)"
        )),
        WatchEvent::WriteFailed(message) => say(&format!(
            "error: {message}; trying again at the next change"
        )),
        WatchEvent::WatcherFailed(errors) => say(&format!(
            "error: the folder watch failed ({}); looking at the whole folder",
            errors.join("; ")
        )),
        WatchEvent::Watching { .. } | WatchEvent::Built(_) => {}
    }
}

/// `1 campaign`, `3 campaigns`.
fn count(n: usize, thing: &str) -> String {
    if n == 1 {
        format!("1 {thing}")
    } else {
        format!("{n} {thing}s")
    }
}
