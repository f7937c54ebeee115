//! The `spendsheet` command: parse the command line, resolve it into a
//! request, run the library, and turn the outcome into output and an exit
//! code. Only this file prints or exits.

mod cli;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, ProfilesArgs, ReportArgs};
use spendsheet::issue::{Issue, Issues, Severity};
use spendsheet::pipeline::{self, Outcome, Request, WorkbookReader};
use spendsheet::report::{self, ReportInput};
use spendsheet::summary::Summary;

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
        Command::Profiles(args) => profiles(args),
        Command::ReadWorkbook { path } => {
            // The child side of an isolated workbook read: it answers on
            // stdout and does nothing else.
            let mut stdout = std::io::stdout().lock();
            let code = spendsheet::input::cells::serve_isolated_read(&path, &mut stdout);
            return ExitCode::from(u8::try_from(code).unwrap_or(2));
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

fn profiles(args: ProfilesArgs) -> Exit {
    let dirs = match &args.config {
        Some(path) => match spendsheet::config::Config::load(path) {
            Ok(config) => config.profile_dirs,
            Err(err) => {
                say(&format!("error: {err}"));
                return Exit::Failure;
            }
        },
        None => Vec::new(),
    };
    match spendsheet::input::profile::load_profiles(&dirs) {
        Ok(profiles) => {
            let mut stdout = std::io::stdout().lock();
            for profile in &profiles {
                let line = spendsheet::input::profile::describe(profile);
                if writeln!(stdout, "{line}").is_err() {
                    return Exit::Failure;
                }
            }
            Exit::Success
        }
        Err(err) => {
            say(&format!("error: {err}"));
            Exit::Failure
        }
    }
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
