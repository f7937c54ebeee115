//! The command line as typed: clap records it, and nothing else happens
//! here.

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Consolidates campaign budgets, ad-platform spend and exchange rates
/// into one Excel report that finance can audit.
#[derive(Debug, Parser)]
#[command(name = "spendsheet", version, about, propagate_version = true)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say more about what is read and why (-vv for more still).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the inputs and write the consolidated report workbook.
    Report(ReportArgs),

    /// Read and check the inputs and report their issues; write nothing.
    Check(CheckArgs),

    /// Keep a report up to date with the files in a folder.
    Watch(WatchArgs),

    /// Write a blank, documented input of a kind.
    Template(TemplateArgs),

    /// List the export profiles: the built-in ones and those of the
    /// configuration's profiles folders, with what each recognises.
    Profiles(ProfilesArgs),

    /// Print a shell completion script (for example
    /// `spendsheet completions bash > /etc/bash_completion.d/spendsheet`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the manual page (`spendsheet man > spendsheet.1`).
    Man,

    /// Read a workbook in a child process with limited memory (internal).
    #[command(name = "__read-workbook", hide = true)]
    ReadWorkbook { path: PathBuf },
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files or folders to read (a folder's files, not its sub-folders).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Where to write the report.
    #[arg(short, long, value_name = "FILE", default_value = "report.xlsx")]
    pub output: PathBuf,

    /// The configuration file (default: a spendsheet.toml among the inputs).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The date amounts without a date of their own are converted at, and
    /// the report's date (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    /// Print the JSON summary on standard output.
    #[arg(long)]
    pub json: bool,

    /// Write the report from the valid inputs even when some have errors
    /// (it is marked incomplete, and the exit code is still 1).
    #[arg(long)]
    pub keep_going: bool,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The folder to watch: its files (not its sub-folders) are the inputs.
    #[arg(value_name = "INBOX")]
    pub inbox: PathBuf,

    /// Where to write report.xlsx, status.json, issues.txt and history/
    /// [default: INBOX/reports].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// The configuration file (default: a spendsheet.toml in INBOX).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Look for changes every SECONDS instead of relying on the operating
    /// system's events (for network shares).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub poll: Option<Duration>,

    /// Build once and exit (for cron): 0 when the inputs are complete, 1
    /// when some have errors (the report is written anyway).
    #[arg(long)]
    pub once: bool,

    /// How long the folder must be quiet, and a file must stand still,
    /// before it is read [default: 1].
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub debounce: Option<Duration>,
}

/// A number of seconds, fractions allowed, from a millisecond to a day.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let error = || format!("'{text}' is not a number of seconds between 0.001 and 86400");
    let seconds: f64 = text.trim().parse().map_err(|_| error())?;
    if !(0.001..=86_400.0).contains(&seconds) {
        return Err(error());
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| error())
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date like 2026-04-30"))
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to read (a folder's files, not its sub-folders).
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// The configuration file (default: a spendsheet.toml among the inputs).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The date amounts without a date of their own are converted at
    /// (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,

    /// How to print the issues: in plain words, as the JSON summary, or as
    /// GitHub Actions annotations.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
    Github,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The kind of input.
    #[arg(value_enum)]
    pub kind: TemplateChoice,

    /// Where to write it (default: campaign.xlsx, rates.csv, spendsheet.toml
    /// or profile.toml in the current folder). An existing file is never
    /// replaced.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TemplateChoice {
    Campaign,
    Rates,
    Config,
    Profile,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    /// A configuration whose `profiles` folders add profiles.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}
