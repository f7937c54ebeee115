//! The `spendsheet` command: parse the command line, resolve it into a
//! request, run the library, and turn the outcome into output and an exit
//! code. Only the binary prints or exits: results on stdout, messages on
//! stderr.

mod cli;
mod ui;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{CommandFactory, Parser};

use cli::{
    CheckArgs, CheckFormat, Cli, Command, ProfilesArgs, ReportArgs, TemplateArgs, TemplateChoice,
    WatchArgs,
};
use spendsheet::issue::{Issue, Issues};
use spendsheet::pipeline::{self, Outcome, Request, WorkbookReader};
use spendsheet::report::{self, ReportInput};
use spendsheet::summary::{Summary, issues_as_github, issues_as_text};
use spendsheet::template::{TemplateKind, template};
use spendsheet::watch::{self, Detection, Timings, WatchEvent, Watcher};
use ui::{Ui, Verbosity};

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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ui = Ui::new(match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (false, 0) => Verbosity::Normal,
        (false, 1) => Verbosity::Verbose,
        (false, _) => Verbosity::Debug,
    });
    let exit = match cli.command {
        Command::Report(args) => report(&ui, args),
        Command::Check(args) => check(&ui, args),
        Command::Watch(args) => watch(&ui, args),
        Command::Template(args) => write_template(&ui, args),
        Command::Profiles(args) => profiles(&ui, args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "spendsheet",
                &mut std::io::stdout(),
            );
            Exit::Success
        }
        Command::Man => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => Exit::Success,
                Err(_) => Exit::Failure,
            }
        }
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

/// Reads and checks the inputs, showing progress on a terminal.
fn run_inputs(
    ui: &Ui,
    inputs: &[PathBuf],
    config: Option<PathBuf>,
    as_of: Option<NaiveDate>,
) -> Result<Outcome, Exit> {
    let request = Request {
        inputs: inputs.to_vec(),
        config_file: config,
        as_of: as_of.unwrap_or_else(|| chrono::Local::now().date_naive()),
        workbook_reader: workbook_reader(),
        exclude: Default::default(),
    };
    let mut progress = ui.progress_bar();
    let outcome = pipeline::run_with_progress(&request, &mut Default::default(), &mut |step| {
        progress.step(step)
    });
    progress.finish();
    let outcome = outcome.map_err(|err| {
        ui.error(&err.to_string());
        Exit::Failure
    })?;
    ui.sources(&outcome.sources);
    Ok(outcome)
}

fn exit_for(outcome: &Outcome) -> Exit {
    if outcome.is_complete() {
        Exit::Success
    } else {
        Exit::InputErrors
    }
}

fn report(ui: &Ui, args: ReportArgs) -> Exit {
    if let Err(message) = check_output(&args.output, &args.inputs) {
        ui.error(&message);
        return Exit::Failure;
    }
    let outcome = match run_inputs(ui, &args.inputs, args.config.clone(), args.as_of) {
        Ok(outcome) => outcome,
        Err(exit) => return exit,
    };
    ui.issues(&outcome.issues);

    let mut issues = outcome.issues.clone();
    let mut written = None;
    if outcome.is_complete() || args.keep_going {
        match write_report(&outcome, &args.output) {
            Ok(warnings) => {
                let mut shortened = Issues::default();
                warnings
                    .into_iter()
                    .for_each(|warning| shortened.push(warning));
                ui.issues(&shortened);
                issues.extend(shortened);
                written = Some(args.output.display().to_string());
            }
            Err(err) => {
                ui.error(&err.to_string());
                return Exit::Failure;
            }
        }
    } else {
        ui.note(&format!(
            "no report written: {} in the inputs (use --keep-going to write one from the valid inputs)",
            plural(outcome.issues.error_count(), "error")
        ));
    }

    if args.json {
        let summary = Summary::new(&outcome.consolidation, &issues, written.clone());
        if print(&summary.to_json()).is_err() {
            return Exit::Failure;
        }
    }
    if let Some(path) = &written {
        ui.note(&format!(
            "wrote {path}: {}, {}, {}",
            plural(outcome.consolidation.campaigns.len(), "campaign"),
            plural(outcome.issues.error_count(), "error"),
            plural(outcome.issues.warning_count(), "warning")
        ));
    }
    exit_for(&outcome)
}

fn check(ui: &Ui, args: CheckArgs) -> Exit {
    let outcome = match run_inputs(ui, &args.inputs, args.config.clone(), args.as_of) {
        Ok(outcome) => outcome,
        Err(exit) => return exit,
    };
    let text = match args.format {
        CheckFormat::Text => issues_as_text(&outcome.issues),
        CheckFormat::Json => Summary::new(&outcome.consolidation, &outcome.issues, None).to_json(),
        CheckFormat::Github => issues_as_github(&outcome.issues),
    };
    if print(&text).is_err() {
        return Exit::Failure;
    }
    exit_for(&outcome)
}

fn write_template(ui: &Ui, args: TemplateArgs) -> Exit {
    let kind = match args.kind {
        TemplateChoice::Campaign => TemplateKind::Campaign,
        TemplateChoice::Rates => TemplateKind::Rates,
        TemplateChoice::Config => TemplateKind::Config,
        TemplateChoice::Profile => TemplateKind::Profile,
    };
    let path = args
        .output
        .unwrap_or_else(|| PathBuf::from(kind.file_name()));
    if path.exists() {
        ui.error(&format!(
            "{} already exists; choose another file with -o",
            path.display()
        ));
        return Exit::Failure;
    }
    let written = template(kind)
        .map_err(|err| err.to_string())
        .and_then(|bytes| {
            std::fs::write(&path, bytes)
                .map_err(|err| format!("cannot write {}: {err}", path.display()))
        });
    match written {
        Ok(()) => {
            ui.note(&format!("wrote {}", path.display()));
            Exit::Success
        }
        Err(message) => {
            ui.error(&message);
            Exit::Failure
        }
    }
}

fn profiles(ui: &Ui, args: ProfilesArgs) -> Exit {
    let dirs = match &args.config {
        Some(path) => match spendsheet::config::Config::load(path) {
            Ok(config) => config.profile_dirs,
            Err(err) => {
                ui.error(&err.to_string());
                return Exit::Failure;
            }
        },
        None => Vec::new(),
    };
    match spendsheet::input::profile::load_profiles(&dirs) {
        Ok(profiles) => {
            let lines: Vec<String> = profiles
                .iter()
                .map(spendsheet::input::profile::describe)
                .collect();
            match print(&(lines.join("\n") + "\n")) {
                Ok(()) => Exit::Success,
                Err(_) => Exit::Failure,
            }
        }
        Err(err) => {
            ui.error(&err.to_string());
            Exit::Failure
        }
    }
}

/// Writes a result to stdout.
fn print(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()
}

fn plural(count: usize, what: &str) -> String {
    if count == 1 {
        format!("1 {what}")
    } else {
        format!("{count} {what}s")
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

/// `spendsheet watch`: keep the report of a folder current, or build it once
/// with `--once`.
fn watch(ui: &Ui, args: WatchArgs) -> Exit {
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
            ui.error(&err.to_string());
            return Exit::Failure;
        }
    };
    if let Err(err) = stop_on_signals(watcher.stopper()) {
        ui.error(&format!("cannot handle Ctrl-C: {err}"));
        return Exit::Failure;
    }
    let once = args.once;
    let mut log = |event: WatchEvent| {
        // A single build tells its issues, as `report` does; a watcher
        // keeps to one line per build.
        if let (true, WatchEvent::Built(build)) = (once, &event) {
            ui.issues(&build.issues);
        }
        log_watch_event(ui, &event);
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
        ui.error(&err.to_string());
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
fn log_watch_event(ui: &Ui, event: &WatchEvent) {
    match event {
        WatchEvent::Watching { inbox, detection } => {
            let how = match detection {
                Detection::Events => "for changes".to_string(),
                Detection::Poll(interval) => format!("every {} s", interval.as_secs_f64()),
            };
            ui.note(&format!("watching {} {how}; Ctrl-C stops", inbox.display()));
        }
        WatchEvent::Built(build) => {
            let verb = if build.first { "built" } else { "rebuilt" };
            ui.note(&format!(
                "{verb} {} in {:.2} s: {}, {}, {}, {}",
                build.report.display(),
                build.took.as_secs_f64(),
                build.changes,
                plural(build.campaigns, "campaign"),
                plural(build.errors, "error"),
                plural(build.warnings, "warning"),
            ));
        }
        WatchEvent::BuildFailed(message) => ui.error(&format!(
            "{message}; the last report stays, see status.json (still watching)"
        )),
        WatchEvent::WriteFailed(message) => {
            ui.error(&format!("{message}; trying again at the next change"))
        }
        WatchEvent::WatcherFailed(errors) => ui.error(&format!(
            "the folder watch failed ({}); looking at the whole folder",
            errors.join("; ")
        )),
    }
}
