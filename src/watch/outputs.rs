//! The files the watcher keeps in its output folder: the report, its
//! status, its issues in plain words and the last reports before it. Each
//! is replaced atomically, the report first, so that a status never
//! describes a report that is not there yet.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::issue::Issue;
use crate::report::{ReportError, write_atomically};
use crate::summary::Summary;

/// The report workbook, always the latest complete build.
pub const REPORT_FILE: &str = "report.xlsx";
/// The JSON summary of the latest build, with its time, rejected and
/// waiting files.
pub const STATUS_FILE: &str = "status.json";
/// The issues of the latest build, one a line.
pub const ISSUES_FILE: &str = "issues.txt";
/// Earlier reports, `report-<UTC time>.xlsx`.
pub const HISTORY_FOLDER: &str = "history";
/// How many reports the history keeps.
pub const HISTORY_KEPT: usize = 20;

const HISTORY_PREFIX: &str = "report-";
const HISTORY_SUFFIX: &str = ".xlsx";
const HISTORY_TIME_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// `status.json`: the JSON summary with the time of the build and the
/// files that were left out.
#[derive(Serialize)]
struct Status<'a> {
    time: String,
    #[serde(flatten)]
    summary: &'a Summary,
    /// Inputs with errors whose figures are not in the report.
    rejected: &'a [String],
    /// Inputs still being written, left out until they are whole.
    waiting: &'a [String],
}

/// One build's files, ready to be written.
pub(crate) struct BuildFiles<'a> {
    pub report: &'a [u8],
    pub summary: &'a Summary,
    pub rejected: &'a [String],
    pub waiting: &'a [String],
    pub time: DateTime<Utc>,
}

/// The output folder.
#[derive(Clone, Debug)]
pub(crate) struct OutputFolder {
    path: PathBuf,
}

impl OutputFolder {
    pub fn new(path: PathBuf) -> OutputFolder {
        OutputFolder { path }
    }

    pub fn report(&self) -> PathBuf {
        self.path.join(REPORT_FILE)
    }

    fn history(&self) -> PathBuf {
        self.path.join(HISTORY_FOLDER)
    }

    /// Creates the folder and its history folder.
    pub fn create(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(self.history())
    }

    /// Writes a build: the report, then its status and issues, then a copy
    /// into the history when the report is new.
    pub fn write_build(&self, build: &BuildFiles<'_>) -> Result<(), ReportError> {
        self.create_again()?;
        write_atomically(&self.report(), build.report)?;
        self.write_status(build.summary, build.rejected, build.waiting, build.time)?;
        self.add_to_history(build.report, build.time)
    }

    /// Writes the status and issues of a build that could not be made (a
    /// bad configuration): the report stays as it was.
    pub fn write_failure(
        &self,
        summary: &Summary,
        waiting: &[String],
        time: DateTime<Utc>,
    ) -> Result<(), ReportError> {
        self.create_again()?;
        self.write_status(summary, &[], waiting, time)
    }

    /// Makes the folder again if someone deleted it while watching.
    fn create_again(&self) -> Result<(), ReportError> {
        self.create().map_err(|error| ReportError::Io {
            path: self.path.display().to_string(),
            error,
        })
    }

    fn write_status(
        &self,
        summary: &Summary,
        rejected: &[String],
        waiting: &[String],
        time: DateTime<Utc>,
    ) -> Result<(), ReportError> {
        let status = Status {
            time: time.to_rfc3339_opts(SecondsFormat::Secs, true),
            summary,
            rejected,
            waiting,
        };
        let mut json = serde_json::to_string_pretty(&status).map_err(|err| ReportError::Io {
            path: self.path.join(STATUS_FILE).display().to_string(),
            error: std::io::Error::other(err),
        })?;
        json.push('\n');
        write_atomically(&self.path.join(STATUS_FILE), json.as_bytes())?;
        write_atomically(
            &self.path.join(ISSUES_FILE),
            issues_text(&summary.issues).as_bytes(),
        )
    }

    /// Copies the report into the history, unless it is the same as the
    /// newest one there, and keeps the newest [`HISTORY_KEPT`].
    fn add_to_history(&self, report: &[u8], time: DateTime<Utc>) -> Result<(), ReportError> {
        let folder = self.history();
        let io_error = |error: std::io::Error| ReportError::Io {
            path: folder.display().to_string(),
            error,
        };
        let reports = history_reports(&folder).map_err(io_error)?;
        let newest = reports.last().and_then(|path| std::fs::read(path).ok());
        if newest.as_deref() == Some(report) {
            return Ok(());
        }
        // Two builds within one second share a name: the later one wins.
        let name = format!(
            "{HISTORY_PREFIX}{}{HISTORY_SUFFIX}",
            time.format(HISTORY_TIME_FORMAT)
        );
        write_atomically(&folder.join(name), report)?;
        prune_history(&folder, HISTORY_KEPT).map_err(io_error)
    }
}

/// The issues in plain words, one a line.
pub(crate) fn issues_text(issues: &[Issue]) -> String {
    if issues.is_empty() {
        return "No issues.\n".to_string();
    }
    issues.iter().map(|issue| format!("{issue}\n")).collect()
}

/// The reports in a history folder, oldest first. Only files named as the
/// watcher names them count; anything else there is left alone.
fn history_reports(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut reports = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let is_report = path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(is_history_name);
        if is_report && path.is_file() {
            reports.push(path);
        }
    }
    // The UTC time in the name sorts as text.
    reports.sort();
    Ok(reports)
}

fn is_history_name(name: &str) -> bool {
    name.strip_prefix(HISTORY_PREFIX)
        .and_then(|rest| rest.strip_suffix(HISTORY_SUFFIX))
        .is_some_and(|time| NaiveDateTime::parse_from_str(time, HISTORY_TIME_FORMAT).is_ok())
}

/// Deletes all but the newest `keep` reports of the history.
fn prune_history(folder: &Path, keep: usize) -> std::io::Result<()> {
    let reports = history_reports(folder)?;
    let surplus = reports.len().saturating_sub(keep);
    for old in reports.iter().take(surplus) {
        std::fs::remove_file(old)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::Place;

    fn summary(issues: Vec<Issue>) -> Summary {
        Summary {
            report: Some(REPORT_FILE.to_string()),
            complete: !issues.iter().any(Issue::is_error),
            as_of: "2026-04-30".to_string(),
            report_currency: None,
            campaigns: Vec::new(),
            totals: None,
            unassigned: Vec::new(),
            issues,
        }
    }

    fn time(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap_or_default()
    }

    #[test]
    fn a_build_writes_report_status_issues_and_history() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = OutputFolder::new(dir.path().to_path_buf());
        folder.create().expect("create");
        let issue = Issue::error(Place::file("inbox/bad.csv"), "this is not a file");
        let rejected = ["inbox/bad.csv".to_string()];
        let waiting = ["inbox/plan.xlsx".to_string()];
        let build = BuildFiles {
            report: b"report bytes",
            summary: &summary(vec![issue]),
            rejected: &rejected,
            waiting: &waiting,
            time: time(0),
        };
        folder.write_build(&build).expect("written");

        assert_eq!(
            std::fs::read(dir.path().join(REPORT_FILE)).expect("report"),
            b"report bytes"
        );
        let status: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join(STATUS_FILE)).expect("status"))
                .expect("json");
        assert_eq!(status["time"], "2027-01-15T08:00:00Z");
        assert_eq!(status["complete"], false);
        assert_eq!(status["rejected"], serde_json::json!(["inbox/bad.csv"]));
        assert_eq!(status["waiting"], serde_json::json!(["inbox/plan.xlsx"]));
        assert_eq!(
            std::fs::read_to_string(dir.path().join(ISSUES_FILE)).expect("issues"),
            "error: inbox/bad.csv: this is not a file\n"
        );
        let history = history_reports(&dir.path().join(HISTORY_FOLDER)).expect("history");
        let names: Vec<_> = history.iter().filter_map(|p| p.file_name()).collect();
        assert_eq!(names, ["report-20270115T080000Z.xlsx"]);
    }

    #[test]
    fn the_history_keeps_the_newest_twenty_distinct_reports() {
        let dir = tempfile::tempdir().expect("temp dir");
        let folder = OutputFolder::new(dir.path().to_path_buf());
        folder.create().expect("create");
        let history = dir.path().join(HISTORY_FOLDER);
        std::fs::write(history.join("notes.txt"), "mine").expect("a file of the user's");
        let summary = summary(Vec::new());
        for n in 0..25 {
            let report = format!("report {n}");
            let build = BuildFiles {
                report: report.as_bytes(),
                summary: &summary,
                rejected: &[],
                waiting: &[],
                time: time(n),
            };
            folder.write_build(&build).expect("written");
        }
        let same_again = BuildFiles {
            report: b"report 24",
            summary: &summary,
            rejected: &[],
            waiting: &[],
            time: time(99),
        };
        folder.write_build(&same_again).expect("written");

        let reports = history_reports(&history).expect("history");
        assert_eq!(reports.len(), HISTORY_KEPT);
        let oldest = std::fs::read_to_string(reports.first().expect("oldest")).expect("read");
        let newest = std::fs::read_to_string(reports.last().expect("newest")).expect("read");
        assert_eq!(
            (oldest.as_str(), newest.as_str()),
            ("report 5", "report 24")
        );
        assert!(
            history.join("notes.txt").exists(),
            "other files are left alone"
        );
    }

    #[test]
    fn no_issues_is_said_in_words() {
        assert_eq!(issues_text(&[]), "No issues.\n");
        assert!(is_history_name("report-20261203T171500Z.xlsx"));
        assert!(!is_history_name("report-latest.xlsx"));
    }
}
