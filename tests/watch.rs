//! Runs `spendsheet watch` on temporary folders with real files and real
//! file-system events. Every wait is for a condition, with a deadline; no
//! sleep stands in for one. Each test checks at the end that the inputs'
//! bytes are as it wrote them.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use common::*;
use rustix::process::{Pid, Signal, kill_process};
use serde_json::{Value, json};

/// How long any condition may take before a test fails: generous, for a
/// busy machine; conditions are normally met within a second or two.
const DEADLINE: Duration = Duration::from_secs(30);

/// A short debounce (and settle time) keeps most tests quick; the slow
/// copy test runs with the defaults.
const QUICK: [&str; 2] = ["--debounce", "0.3"];

const RATES: &str = "Date,From,To,Rate\n2026-04-30,EUR,NOK,11.5\n";

/// Polls `check` until it gives a value; fails after [`DEADLINE`] with
/// `what` and `context()`.
fn wait_for<T>(
    what: &str,
    context: impl Fn() -> String,
    mut check: impl FnMut() -> Option<T>,
) -> T {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(value) = check() {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}\n{}",
            context()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A campaign workbook with `lines` budget lines of `amount` each.
fn plan_with_lines(campaign: &str, amount: f64, lines: usize) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plan.xlsx");
    let mut budget = vec![vec![Text("Campaign"), Text("Name"), Text("Unit price")]];
    for line in 0..lines {
        budget.push(vec![
            In::Owned(campaign.to_string()),
            In::Owned(format!("Item {line}")),
            Number(amount),
        ]);
    }
    write_xlsx(
        &path,
        &[
            (
                "Campaigns",
                vec![
                    vec![Text("Campaign"), Text("Currency")],
                    vec![In::Owned(campaign.to_string()), Text("NOK")],
                ],
            ),
            ("Budget", budget),
        ],
    );
    std::fs::read(&path).expect("workbook")
}

fn plan(campaign: &str, amount: f64) -> Vec<u8> {
    plan_with_lines(campaign, amount, 1)
}

/// A rates file for one day, `days` after 1 January 2025.
fn rates_on_day(days: u64) -> String {
    let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
        .and_then(|start| start.checked_add_days(chrono::Days::new(days)))
        .expect("date");
    format!("Date,From,To,Rate\n{date},EUR,NOK,11.{days:03}\n")
}

/// A temporary folder with an inbox and a scratch folder beside it, and
/// the bytes each input should have.
struct Folder {
    dir: tempfile::TempDir,
    inputs: BTreeMap<String, Vec<u8>>,
}

impl Folder {
    fn new() -> Folder {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("inbox")).expect("inbox");
        std::fs::create_dir(dir.path().join("scratch")).expect("scratch");
        Folder {
            dir,
            inputs: BTreeMap::new(),
        }
    }

    fn inbox(&self) -> PathBuf {
        self.dir.path().join("inbox")
    }

    fn input(&self, name: &str) -> PathBuf {
        self.inbox().join(name)
    }

    fn scratch(&self, name: &str) -> PathBuf {
        self.dir.path().join("scratch").join(name)
    }

    fn reports(&self) -> PathBuf {
        self.inbox().join("reports")
    }

    /// The name an input goes by in the status and the report.
    fn shown(&self, name: &str) -> String {
        self.input(name).display().to_string()
    }

    /// Writes an input in one go.
    fn put(&mut self, name: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.input(name), bytes.as_ref()).expect("write input");
        self.expect(name, bytes);
    }

    /// Writes an input dated an hour back, as one that has been there a
    /// while (it is read at once).
    fn put_old(&mut self, name: &str, bytes: impl AsRef<[u8]>) {
        self.put(name, bytes);
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(self.input(name))
            .and_then(|file| file.set_modified(hour_ago))
            .expect("date the input");
    }

    /// Writes a file in the scratch folder and moves it into the inbox.
    fn move_in(&mut self, name: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.scratch(name), bytes.as_ref()).expect("write scratch");
        std::fs::rename(self.scratch(name), self.input(name)).expect("move in");
        self.expect(name, bytes);
    }

    fn remove(&mut self, name: &str) {
        std::fs::remove_file(self.input(name)).expect("remove input");
        self.inputs.remove(name);
    }

    /// Records what an input should hold.
    fn expect(&mut self, name: &str, bytes: impl AsRef<[u8]>) {
        self.inputs
            .insert(name.to_string(), bytes.as_ref().to_vec());
    }

    /// The inbox holds exactly the inputs the test wrote, byte for byte:
    /// nothing was moved, changed or deleted.
    fn assert_inputs_unchanged(&self) {
        let mut found = BTreeMap::new();
        for entry in std::fs::read_dir(self.inbox()).expect("inbox") {
            let path = entry.expect("entry").path();
            if path.is_file() {
                let name = path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                found.insert(name, std::fs::read(&path).expect("read input"));
            }
        }
        assert_eq!(
            found.keys().collect::<Vec<_>>(),
            self.inputs.keys().collect::<Vec<_>>(),
            "the inbox's files"
        );
        assert!(found == self.inputs, "an input's bytes changed");
    }

    /// Runs `spendsheet watch <inbox> --once` with `args`.
    fn once(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_spendsheet"))
            .arg("watch")
            .arg(self.inbox())
            .arg("--once")
            .args(QUICK)
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("spendsheet runs")
    }

    fn status(&self) -> Value {
        read_status(&self.reports()).expect("status.json")
    }
}

fn read_status(reports: &Path) -> Option<Value> {
    let bytes = std::fs::read(reports.join("status.json")).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The campaigns of a status with their budget totals.
fn budgets(status: &Value) -> Vec<(String, String)> {
    status["campaigns"]
        .as_array()
        .map(|campaigns| {
            campaigns
                .iter()
                .map(|c| {
                    let text = |key: &str| c[key].as_str().unwrap_or_default().to_string();
                    (text("name"), text("budget_total"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected
        .iter()
        .map(|(name, budget)| (name.to_string(), budget.to_string()))
        .collect()
}

/// The number before ` <label> (` in a build line: `3 new (a, b, c)` is 3.
fn count_of(line: &str, label: &str) -> usize {
    line.split_once(&format!(" {label} ("))
        .and_then(|(before, _)| before.rsplit(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or(0)
}

/// A running watcher whose standard error is collected line by line; it is
/// killed when the test ends, however it ends.
struct Watch {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
    reports: PathBuf,
}

impl Watch {
    fn start(folder: &Folder, args: &[&str]) -> Watch {
        let mut child = Command::new(env!("CARGO_BIN_EXE_spendsheet"))
            .arg("watch")
            .arg(folder.inbox())
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spendsheet starts");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().expect("log").push(line);
            }
        });
        Watch {
            child,
            log,
            reports: folder.reports(),
        }
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }

    fn context(&self) -> String {
        format!(
            "log:\n{}\nstatus: {}",
            self.log().join("\n"),
            read_status(&self.reports).unwrap_or_default()
        )
    }

    fn wait_for<T>(&self, what: &str, check: impl FnMut() -> Option<T>) -> T {
        wait_for(what, || self.context(), check)
    }

    /// The log lines of builds.
    fn builds(&self) -> Vec<String> {
        self.log()
            .into_iter()
            .filter(|line| {
                line.starts_with("spendsheet: built ") || line.starts_with("spendsheet: rebuilt ")
            })
            .collect()
    }

    fn wait_for_builds(&self, count: usize) -> Vec<String> {
        self.wait_for(&format!("{count} build(s)"), || {
            let builds = self.builds();
            (builds.len() >= count).then_some(builds)
        })
    }

    fn wait_for_status(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        self.wait_for(what, || read_status(&self.reports).filter(|s| check(s)))
    }

    fn wait_for_budgets(&self, expected: &[(&str, &str)]) -> Value {
        let expected = pairs(expected);
        self.wait_for_status(&format!("campaigns {expected:?}"), |status| {
            budgets(status) == expected
        })
    }

    fn signal(&self, signal: Signal) {
        kill_process(Pid::from_child(&self.child), signal).expect("signal sent");
    }

    fn wait_for_exit(&mut self) -> ExitStatus {
        let child = &mut self.child;
        let log = Arc::clone(&self.log);
        wait_for(
            "the watcher to exit",
            || log.lock().expect("log").join("\n"),
            || child.try_wait().expect("child state"),
        )
    }

    /// Waits until the watcher handles signals and watches: it says so.
    fn wait_until_watching(&self) {
        self.wait_for("watching to begin", || {
            self.log()
                .iter()
                .any(|line| line.starts_with("spendsheet: watching "))
                .then_some(())
        });
    }

    /// Stops the watcher with Ctrl-C and checks it ends well.
    fn stop(mut self) -> Vec<String> {
        self.wait_until_watching();
        self.signal(Signal::INT);
        let status = self.wait_for_exit();
        assert_eq!(status.code(), Some(0), "{}", self.context());
        let builds = self.builds();
        for line in &builds {
            assert!(!line.contains("error:"), "{line}");
        }
        builds
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn starts_with_what_is_there_and_writes_every_output() {
    let mut folder = Folder::new();
    folder.put_old("plan.xlsx", plan("Spring", 1000.0));
    folder.put_old("rates.csv", RATES);
    let watch = Watch::start(&folder, &QUICK);

    let status = watch.wait_for_budgets(&[("Spring", "1000.00")]);
    assert_eq!(status["complete"], true);
    assert_eq!(status["report"], "report.xlsx");
    assert_eq!(status["rejected"], json!([]));
    assert_eq!(status["waiting"], json!([]));
    let time = status["time"].as_str().expect("time");
    assert!(
        chrono::DateTime::parse_from_rfc3339(time).is_ok() && time.ends_with('Z'),
        "{time}"
    );
    let issues = std::fs::read_to_string(folder.reports().join("issues.txt")).expect("issues");
    assert_eq!(issues, "No issues.\n");
    let report = read_report(&folder.reports().join("report.xlsx"));
    assert_eq!(report.summary()[0][0], "Spring");
    assert_adds_up(&report);
    let history: Vec<PathBuf> = std::fs::read_dir(folder.reports().join("history"))
        .expect("history")
        .map(|entry| entry.expect("entry").path())
        .collect();
    let [copy] = history.as_slice() else {
        panic!("one report in the history: {history:?}");
    };
    let name = copy
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("report-2") && name.ends_with("Z.xlsx") && name.len() == 28,
        "{name}"
    );
    assert_eq!(
        std::fs::read(copy).expect("copy"),
        std::fs::read(folder.reports().join("report.xlsx")).expect("report")
    );

    let builds = watch.stop();
    assert_eq!(builds.len(), 1, "{builds:?}");
    assert!(
        builds[0].contains(": 2 new (plan.xlsx, rates.csv), 1 campaign, 0 errors, "),
        "{}",
        builds[0]
    );
    folder.assert_inputs_unchanged();
}

#[test]
fn an_empty_inbox_gives_an_empty_report() {
    let folder = Folder::new();
    let output = folder.once(&[]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let status = folder.status();
    assert_eq!(status["complete"], true);
    assert_eq!(status["campaigns"], json!([]));
    let report = read_report(&folder.reports().join("report.xlsx"));
    assert!(report.summary().is_empty());
    folder.assert_inputs_unchanged();
}

#[test]
fn a_workbook_copied_slowly_in_two_halves_never_gives_an_error_report() {
    let mut folder = Folder::new();
    folder.put_old("rates.csv", RATES);
    // The default timings, as a user has them.
    let watch = Watch::start(&folder, &[]);
    watch.wait_for_builds(1);

    let bytes = plan("Spring", 1000.0);
    let (first, second) = bytes.split_at(bytes.len() / 2);
    let path = folder.input("plan.xlsx");
    std::fs::write(&path, first).expect("first half");
    let waiting = watch.wait_for_status("the half copy to wait", |status| {
        status["waiting"] == json!([folder.shown("plan.xlsx")])
    });
    assert_eq!(waiting["complete"], true, "{waiting}");
    assert_eq!(waiting["campaigns"], json!([]));
    read_report(&folder.reports().join("report.xlsx"));

    let mut file = std::fs::File::options()
        .append(true)
        .open(&path)
        .expect("open");
    file.write_all(second).expect("second half");
    drop(file);
    folder.expect("plan.xlsx", &bytes);
    let status = watch.wait_for_budgets(&[("Spring", "1000.00")]);
    assert_eq!(status["waiting"], json!([]));

    let builds = watch.stop();
    for line in &builds {
        assert!(line.contains(", 0 errors"), "an error report: {line}");
    }
    folder.assert_inputs_unchanged();
}

#[test]
fn a_file_renamed_into_place_is_read_and_a_partial_download_is_not() {
    let mut folder = Folder::new();
    folder.put_old("rates.csv", RATES);
    let watch = Watch::start(&folder, &QUICK);
    watch.wait_for_builds(1);

    // A browser downloads into a .crdownload file, then renames it.
    folder.put("plan.xlsx.crdownload", plan("Spring", 1000.0));
    std::fs::rename(
        folder.input("plan.xlsx.crdownload"),
        folder.input("plan.xlsx"),
    )
    .expect("rename");
    folder.inputs.remove("plan.xlsx.crdownload");
    folder.expect("plan.xlsx", plan("Spring", 1000.0));
    watch.wait_for_budgets(&[("Spring", "1000.00")]);

    // A file moved in from another folder on the same file system.
    folder.move_in("fair.xlsx", plan("Fair", 50.0));
    watch.wait_for_budgets(&[("Fair", "50.00"), ("Spring", "1000.00")]);

    let builds = watch.stop();
    assert!(
        builds
            .iter()
            .all(|line| !line.contains("crdownload") && line.contains(", 0 errors")),
        "{builds:?}"
    );
    folder.assert_inputs_unchanged();
}

#[test]
fn a_replaced_file_gives_its_new_figures_and_its_old_ones_meanwhile() {
    let mut folder = Folder::new();
    folder.put_old("plan.xlsx", plan("Spring", 1000.0));
    let watch = Watch::start(&folder, &QUICK);
    watch.wait_for_budgets(&[("Spring", "1000.00")]);

    // Saved beside and renamed over the old file, as most programs save.
    folder.move_in("plan.xlsx", plan("Spring", 2000.0));
    watch.wait_for_budgets(&[("Spring", "2000.00")]);

    // Written over in place.
    folder.put("plan.xlsx", plan("Spring", 3000.0));
    let status = watch.wait_for_budgets(&[("Spring", "3000.00")]);
    assert_eq!(status["complete"], true);

    let builds = watch.stop();
    for line in &builds {
        assert!(line.contains(", 1 campaign, 0 errors"), "{line}");
    }
    assert!(
        builds
            .last()
            .is_some_and(|line| line.contains(": 1 changed (plan.xlsx),"))
    );
    folder.assert_inputs_unchanged();
}

#[test]
fn a_deleted_file_takes_its_figures_with_it() {
    let mut folder = Folder::new();
    folder.put_old("fair.xlsx", plan("Fair", 50.0));
    folder.put_old("spring.xlsx", plan("Spring", 1000.0));
    let watch = Watch::start(&folder, &QUICK);
    watch.wait_for_budgets(&[("Fair", "50.00"), ("Spring", "1000.00")]);

    folder.remove("fair.xlsx");
    watch.wait_for_budgets(&[("Spring", "1000.00")]);

    let builds = watch.stop();
    assert!(
        builds
            .last()
            .is_some_and(|line| line.contains(": 1 removed (fair.xlsx),")),
        "{builds:?}"
    );
    folder.assert_inputs_unchanged();
}

#[test]
fn a_burst_of_200_files_gives_a_handful_of_rebuilds() {
    let mut folder = Folder::new();
    folder.put_old("plan.xlsx", plan("Spring", 1000.0));
    let watch = Watch::start(&folder, &QUICK);
    watch.wait_for_builds(1);

    for day in 0..200 {
        folder.put(&format!("rates-{day:03}.csv"), rates_on_day(day));
    }
    let builds = watch.wait_for("all 200 files read", || {
        let builds = watch.builds();
        let read: usize = builds
            .iter()
            .skip(1)
            .map(|line| count_of(line, "new"))
            .sum();
        let settled = read_status(&folder.reports()).is_some_and(|s| s["waiting"] == json!([]));
        (read == 200 && settled).then_some(builds)
    });

    let rebuilds = builds.len() - 1;
    assert!(
        (1..=5).contains(&rebuilds),
        "{rebuilds} rebuilds: {builds:?}"
    );
    let report = read_report(&folder.reports().join("report.xlsx"));
    let sources = report.sheet("Sources").table(0, 7);
    let rates = sources
        .iter()
        .filter(|row| row[0].contains("/rates-"))
        .count();
    assert_eq!(rates, 200);
    watch.stop();
    folder.assert_inputs_unchanged();
}

#[test]
fn lock_files_hidden_files_and_partial_downloads_are_ignored() {
    let mut folder = Folder::new();
    folder.put_old("plan.xlsx", plan("Spring", 1000.0));
    let watch = Watch::start(&folder, &QUICK);
    watch.wait_for_builds(1);

    let never_inputs = [
        "~$plan.xlsx",
        ".~lock.plan.xlsx#",
        "export.csv.crdownload",
        "export.csv.part",
        "notes.tmp",
        ".plan.xlsx.swp",
        ".hidden.csv",
    ];
    for name in never_inputs {
        folder.put(name, "not an input at all");
    }
    // A real input afterwards: once it is read, the others were seen too.
    folder.put("rates.csv", RATES);
    let builds = watch.wait_for("the rates file", || {
        let builds = watch.builds();
        builds
            .iter()
            .any(|line| line.contains(": 1 new (rates.csv),"))
            .then_some(builds)
    });

    assert_eq!(builds.len(), 2, "{builds:?}");
    let status = folder.status();
    assert_eq!(status["complete"], true, "{status}");
    assert_eq!(status["rejected"], json!([]));
    assert_eq!(status["waiting"], json!([]));
    watch.stop();
    folder.assert_inputs_unchanged();
}

#[test]
fn polling_notices_new_and_deleted_files() {
    let mut folder = Folder::new();
    folder.put_old("rates.csv", RATES);
    let watch = Watch::start(&folder, &["--poll", "0.2", QUICK[0], QUICK[1]]);
    watch.wait_for_builds(1);
    assert!(
        watch.log().iter().any(|line| line.contains(" every 0.2 s")),
        "{:?}",
        watch.log()
    );

    folder.put("plan.xlsx", plan("Spring", 1000.0));
    watch.wait_for_budgets(&[("Spring", "1000.00")]);
    folder.remove("rates.csv");
    watch.wait_for("the rates file to leave", || {
        watch
            .builds()
            .iter()
            .any(|line| line.contains(": 1 removed (rates.csv),"))
            .then_some(())
    });

    watch.stop();
    folder.assert_inputs_unchanged();
}

#[test]
fn once_builds_once_and_says_how_it_went() {
    let mut folder = Folder::new();
    folder.put_old("plan.xlsx", plan("Spring", 1000.0));
    folder.put_old("rates.csv", RATES);
    let output = folder.once(&[]);
    let log = stderr(&output);
    assert_eq!(code(&output), 0, "{log}");
    assert_eq!(log.lines().count(), 1, "one line: {log}");
    assert!(log.starts_with("spendsheet: built "), "{log}");
    assert_eq!(budgets(&folder.status()), pairs(&[("Spring", "1000.00")]));

    // A file with errors does not stop the others; the exit code says so.
    folder.put_old("garbage.csv", "hello\n");
    let output = folder.once(&["-q"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let log = stderr(&output);
    assert!(
        log.lines().count() == 1
            && log.starts_with("spendsheet: error: ")
            && log.contains("garbage.csv"),
        "with -q, the error alone: {log}"
    );
    let status = folder.status();
    assert_eq!(status["complete"], false);
    assert_eq!(status["rejected"], json!([folder.shown("garbage.csv")]));
    assert_eq!(budgets(&status), pairs(&[("Spring", "1000.00")]));
    let report = read_report(&folder.reports().join("report.xlsx"));
    let first = report.sheet("Summary").get(0, 0).to_string();
    assert!(first.starts_with("INCOMPLETE REPORT: 1 error"), "{first}");
    let issues = std::fs::read_to_string(folder.reports().join("issues.txt")).expect("issues");
    assert!(issues.starts_with("error: "), "{issues}");
    assert!(issues.contains("garbage.csv"), "{issues}");
    folder.remove("garbage.csv");

    // A bad configuration is a failure; the status says why.
    folder.put_old("spendsheet.toml", "bogus = 1\n");
    let output = folder.once(&[]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(stderr(&output).contains("bogus"), "{}", stderr(&output));
    let status = folder.status();
    assert_eq!(status["complete"], false);
    assert!(
        status["issues"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("bogus"))
    );
    folder.remove("spendsheet.toml");
    folder.assert_inputs_unchanged();
}

#[test]
fn the_reports_may_not_be_written_into_the_inbox() {
    let folder = Folder::new();
    let inbox = folder.inbox();
    let output = folder.once(&["-o", inbox.to_str().expect("path")]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("would be read as inputs"),
        "{}",
        stderr(&output)
    );
    assert!(!inbox.join("report.xlsx").exists());

    let missing = run(folder.dir.path(), &["watch", "no-such-folder", "--once"]);
    assert_eq!(code(&missing), 2, "{}", stderr(&missing));
    assert!(stderr(&missing).contains("no-such-folder"));
}

#[test]
fn sigint_and_sigterm_end_it_after_the_current_write_with_exit_0() {
    let mut folder = Folder::new();
    folder.put_old("plan.xlsx", plan_with_lines("Spring", 10.0, 2000));
    for day in 0..100 {
        folder.put_old(&format!("rates-{day:03}.csv"), rates_on_day(day));
    }

    // Ctrl-C as soon as watching has begun: the first build, under way
    // or done, is written whole before the watcher ends.
    let mut watch = Watch::start(&folder, &QUICK);
    watch.wait_until_watching();
    watch.signal(Signal::INT);
    let exit = watch.wait_for_exit();
    assert_eq!(exit.code(), Some(0), "{}", watch.context());
    assert_eq!(budgets(&folder.status()), pairs(&[("Spring", "20000.00")]));
    read_report(&folder.reports().join("report.xlsx"));

    // SIGTERM, as a service manager stops it.
    let mut watch = Watch::start(&folder, &QUICK);
    watch.wait_for_builds(1);
    watch.signal(Signal::TERM);
    let exit = watch.wait_for_exit();
    assert_eq!(exit.code(), Some(0), "{}", watch.context());
    folder.assert_inputs_unchanged();
}

/// Whether the watcher is writing a file into `folder` right now.
fn writing_into(folder: &Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(".spendsheet-") && name.ends_with(".tmp")
        })
    })
}

/// Watches the output folder without pause until the watcher is caught
/// writing the report (true) or has finished a build (false).
fn catch_writing(watch: &Watch, reports: &Path, builds_before: usize) -> bool {
    let deadline = Instant::now() + DEADLINE;
    while Instant::now() < deadline {
        if writing_into(reports) {
            return true;
        }
        if watch.builds().len() > builds_before {
            return false;
        }
        std::thread::yield_now();
    }
    panic!("no build came\n{}", watch.context());
}

#[test]
fn a_kill_while_writing_leaves_the_previous_report_whole() {
    let mut folder = Folder::new();
    folder.put_old("plan.xlsx", plan_with_lines("Spring", 10.0, 3000));
    let mut watch = Watch::start(&folder, &QUICK);
    watch.wait_for_budgets(&[("Spring", "30000.00")]);

    // Change the plan until the watcher is caught writing the report, and
    // kill it there.
    let mut amount = 10.0;
    let mut caught = false;
    while !caught && amount < 20.0 {
        amount += 1.0;
        let builds = watch.builds().len();
        folder.move_in("plan.xlsx", plan_with_lines("Spring", amount, 3000));
        caught = catch_writing(&watch, &folder.reports(), builds);
    }
    watch.signal(Signal::KILL);
    watch.wait_for_exit();
    assert!(caught, "the watcher was never caught writing");

    let report = read_report(&folder.reports().join("report.xlsx"));
    assert_adds_up(&report);
    assert_eq!(folder.status()["complete"], true);

    // A new watcher picks up where the killed one stopped.
    let watch = Watch::start(&folder, &QUICK);
    watch.wait_for_builds(1);
    let expected = format!("{:.2}", amount * 3000.0);
    watch.wait_for_budgets(&[("Spring", expected.as_str())]);
    watch.stop();
    folder.assert_inputs_unchanged();
}

#[test]
fn a_bad_configuration_is_reported_and_watching_goes_on() {
    let mut folder = Folder::new();
    folder.put_old("plan.xlsx", plan("Spring", 1000.0));
    let watch = Watch::start(&folder, &QUICK);
    watch.wait_for_budgets(&[("Spring", "1000.00")]);
    let report_before = std::fs::read(folder.reports().join("report.xlsx")).expect("report");

    folder.put("spendsheet.toml", "bogus = 1\n");
    let status = watch.wait_for_status("the configuration error", |status| {
        status["complete"] == false
    });
    assert!(
        status["issues"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("bogus")),
        "{status}"
    );
    assert_eq!(status["report"], Value::Null);
    assert_eq!(
        std::fs::read(folder.reports().join("report.xlsx")).expect("report"),
        report_before,
        "the last report stays"
    );
    watch.wait_for("the error in the log", || {
        watch
            .log()
            .iter()
            .any(|line| line.contains("error: ") && line.contains("still watching"))
            .then_some(())
    });

    folder.put("spendsheet.toml", "default_currency = \"NOK\"\n");
    watch.wait_for_status("the fixed configuration", |status| {
        status["complete"] == true && budgets(status) == pairs(&[("Spring", "1000.00")])
    });
    watch.stop();
    folder.assert_inputs_unchanged();
}
