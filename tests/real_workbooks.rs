//! Real spreadsheets from many programs, some hostile (shared/data/real/
//! workbooks): none is a spendsheet input, so each must end in a clear
//! error naming the file, never a panic or a hang.

mod common;

use std::time::{Duration, Instant};

use common::*;

#[test]
fn every_real_workbook_ends_in_a_clear_error_naming_it() {
    let folder = shared().join("data/real/workbooks");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap_or_else(|err| panic!("{}: {err}", folder.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .collect();
    files.sort();
    assert!(
        files.len() >= 30,
        "expected the real workbooks in {}",
        folder.display()
    );

    let out = tempfile::tempdir().expect("temp dir");
    for file in files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .expect("name")
            .to_string();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_spendsheet"))
            .args(["report", file.to_str().expect("path"), "--json", "-o"])
            .arg(out.path().join("report.xlsx"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        let started = Instant::now();
        while child.try_wait().expect("wait").is_none() {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "{name}: still running after 2 minutes"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().expect("output");
        let err = stderr(&output);
        assert_eq!(code(&output), 1, "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        let summary = json(&output);
        let first = &summary["issues"][0];
        assert_eq!(first["severity"], "error", "{name}: {first}");
        assert!(
            first["file"].as_str().is_some_and(|f| f.ends_with(&name)),
            "{name}: {first}"
        );
        assert!(
            !out.path().join("report.xlsx").exists(),
            "{name}: a report was written"
        );
    }
}
