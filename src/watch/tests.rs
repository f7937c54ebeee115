//! The watcher's library side with short timings: the folder checks, the
//! waiting for files still being written, and a workbook that never
//! becomes whole.

use std::sync::mpsc;
use std::time::SystemTime;

use super::*;

const SHORT: Timings = Timings {
    debounce: Duration::from_millis(100),
    settle: Duration::from_millis(200),
    retry_for: Duration::from_millis(1500),
    sweep_every: Duration::from_secs(60),
};

fn settings(inbox: &Path) -> Settings {
    Settings {
        inbox: inbox.to_path_buf(),
        output: default_output_folder(inbox),
        config_file: None,
        workbook_reader: WorkbookReader::InProcess,
        detection: Detection::Events,
        timings: SHORT,
    }
}

/// A campaign workbook with one budget line.
fn plan_bytes(campaign: &str, amount: f64) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let campaigns = workbook.add_worksheet();
    let rows = [["Campaign", "Currency"], [campaign, "NOK"]];
    for (row, cells) in (0_u32..).zip(rows) {
        for (column, text) in (0_u16..).zip(cells) {
            campaigns.write_string(row, column, text).expect("cell");
        }
    }
    campaigns.set_name("Campaigns").expect("name");
    let budget = workbook.add_worksheet();
    budget.set_name("Budget").expect("name");
    for (column, text) in (0_u16..).zip(["Campaign", "Name", "Unit price"]) {
        budget.write_string(0, column, text).expect("cell");
    }
    budget.write_string(1, 0, campaign).expect("cell");
    budget.write_string(1, 1, "Posters").expect("cell");
    budget.write_number(1, 2, amount).expect("cell");
    workbook.save_to_buffer().expect("workbook")
}

/// Dates a file an hour back, as if it had been there for a while.
fn make_old(path: &Path) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open");
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    file.set_modified(hour_ago).expect("set time");
}

fn status(inbox: &Path) -> serde_json::Value {
    let path = default_output_folder(inbox).join(outputs::STATUS_FILE);
    serde_json::from_slice(&std::fs::read(path).expect("status")).expect("json")
}

#[test]
fn the_reports_may_not_land_in_the_inbox() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).expect("inbox");

    for output in [inbox.clone(), inbox.join("."), dir.path().to_path_buf()] {
        let mut settings = settings(&inbox);
        settings.output = output.clone();
        if output == dir.path() {
            // Its history folder would be the inbox.
            settings.inbox = dir.path().join(HISTORY_FOLDER);
            std::fs::create_dir(&settings.inbox).expect("history as inbox");
        }
        let err = Watcher::new(settings).err().expect("refused");
        assert!(
            err.to_string().contains("would be read as inputs"),
            "{}: {err}",
            output.display()
        );
    }

    Watcher::new(settings(&inbox)).expect("the default is a sub-folder");
    assert!(default_output_folder(&inbox).join(HISTORY_FOLDER).is_dir());
    let missing = Watcher::new(settings(&dir.path().join("nowhere")));
    assert!(matches!(missing, Err(WatchError::Folders(_))));
}

#[test]
fn once_waits_for_a_file_that_was_just_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("plan.xlsx"), plan_bytes("Spring", 100.0)).expect("write");
    let mut watcher = Watcher::new(settings(dir.path())).expect("watcher");
    let mut builds = Vec::new();

    let complete = watcher
        .once(&mut |event| builds.push(event))
        .expect("built");

    assert!(complete);
    assert_eq!(builds.len(), 1, "{builds:?}");
    let status = status(dir.path());
    assert_eq!(status["campaigns"][0]["name"], "Spring");
    assert_eq!(status["waiting"], serde_json::json!([]));
}

#[test]
fn a_workbook_that_stays_cut_short_counts_as_bad_after_the_retry_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = plan_bytes("Spring", 100.0);
    let half = whole.get(..whole.len() / 2).expect("half");
    std::fs::write(dir.path().join("plan.xlsx"), half).expect("write");
    std::fs::write(dir.path().join("other.xlsx"), plan_bytes("Fair", 5.0)).expect("write");
    make_old(&dir.path().join("other.xlsx"));
    let mut watcher = Watcher::new(settings(dir.path())).expect("watcher");
    let stopper = watcher.stopper();
    let (events, received) = mpsc::channel();
    let running = std::thread::spawn(move || {
        watcher.run(&mut |event| {
            if let WatchEvent::Built(build) = event {
                let _ = events.send(build);
            }
        })
    });

    let first = received
        .recv_timeout(Duration::from_secs(10))
        .expect("first build");
    let later = received
        .recv_timeout(Duration::from_secs(10))
        .expect("second build");
    stopper.stop();
    running.join().expect("joined").expect("ran");

    assert!(first.is_complete(), "waiting is not an error: {first:?}");
    assert_eq!(first.changes.waiting, ["plan.xlsx"]);
    assert_eq!(first.changes.added, ["other.xlsx"]);
    assert_eq!(later.errors, 1, "{later:?}");
    assert_eq!(later.changes.added, ["plan.xlsx"]);
    let status = status(dir.path());
    let rejected = dir.path().join("plan.xlsx").display().to_string();
    assert_eq!(status["rejected"], serde_json::json!([rejected]));
    assert_eq!(status["campaigns"][0]["name"], "Fair", "the others stay");
}

#[test]
fn a_bad_configuration_is_a_status_not_the_end() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join(CONFIG_FILE_NAME);
    std::fs::write(&config, "bogus = 1\n").expect("write");
    make_old(&config);
    let mut watcher = Watcher::new(settings(dir.path())).expect("watcher");
    let mut events = Vec::new();

    watcher.pass(&mut |event| events.push(event));
    watcher.pass(&mut |event| events.push(event));

    assert_eq!(events.len(), 1, "said once: {events:?}");
    assert!(
        matches!(&events[..], [WatchEvent::BuildFailed(message)] if message.contains("bogus")),
        "{events:?}"
    );
    let status = status(dir.path());
    assert_eq!(status["complete"], false);
    assert_eq!(status["report"], serde_json::Value::Null);
    assert!(
        status["issues"][0]["message"]
            .as_str()
            .is_some_and(|message| message.contains("bogus"))
    );
}
