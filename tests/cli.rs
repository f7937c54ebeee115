//! The command line as CI jobs and people use it: `check` and its formats,
//! exit codes, clean stdout, templates, completions and the man page.

mod common;

use std::path::Path;

use calamine::{Reader, Xlsx, open_workbook};
use common::*;
use serde_json::json;

fn write_good(dir: &Path) {
    write_xlsx(
        &dir.join("plan.xlsx"),
        &[
            (
                "Campaigns",
                vec![
                    vec![Text("Campaign"), Text("Currency")],
                    vec![Text("Autumn"), Text("EUR")],
                ],
            ),
            (
                "Budget",
                vec![
                    vec![Text("Name"), Text("Unit price")],
                    vec![Text("Print"), Number(120.5)],
                ],
            ),
        ],
    );
}

fn write_bad(dir: &Path) {
    write_xlsx(
        &dir.join("bad.xlsx"),
        &[
            (
                "Campaigns",
                vec![
                    vec![Text("Campaign"), Text("Currency")],
                    vec![Text("Winter"), Text("EUR")],
                ],
            ),
            (
                "Spend",
                vec![
                    vec![Text("Name"), Text("Unit price")],
                    vec![Text("Radio"), Text("12,5O")],
                    vec![Text("TV"), Text("1.234")],
                ],
            ),
        ],
    );
}

#[test]
fn check_exits_0_for_good_inputs_1_for_bad_ones_and_2_for_usage_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_good(dir.path());
    let good = run(dir.path(), &["check", "plan.xlsx"]);
    assert_eq!(code(&good), 0, "{}", stderr(&good));
    assert_eq!(String::from_utf8_lossy(&good.stdout), "No issues.\n");

    write_bad(dir.path());
    let bad = run(dir.path(), &["check", "."]);
    assert_eq!(code(&bad), 1);
    let text = String::from_utf8_lossy(&bad.stdout).to_string();
    assert!(
        text.starts_with(
            "bad.xlsx\n  error: sheet 'Spend', cell B2: Unit price: '12,5O' is not an amount"
        ),
        "{text}"
    );
    assert!(text.ends_with("2 errors and 0 warnings.\n"), "{text}");
    assert!(
        !dir.path().join("report.xlsx").exists(),
        "check writes nothing"
    );

    for args in [
        &["check"][..],
        &["check", ".", "--format", "xml"],
        &["chek", "."],
        &["check", "missing-folder"],
    ] {
        let output = run(dir.path(), args);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn check_formats_json_and_github() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_good(dir.path());
    write_bad(dir.path());

    let output = run(
        dir.path(),
        &["check", ".", "--format", "json", "--as-of", "2026-04-30"],
    );
    assert_eq!(code(&output), 1);
    let summary = json(&output);
    assert_eq!(summary["report"], json!(null));
    assert_eq!(summary["complete"], json!(false));
    let issues = summary["issues"].as_array().expect("issues");
    assert_eq!(issues.len(), 2);
    assert_eq!(
        issues[0],
        json!({"severity": "error", "file": "bad.xlsx", "sheet": "Spend", "row": 2, "column": "B",
        "message": "Unit price: '12,5O' is not an amount: expected a number such as 1234.56, 1 234,56 or (120.00)"})
    );

    let output = run(dir.path(), &["check", ".", "--format", "github"]);
    assert_eq!(code(&output), 1);
    let lines: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with(
            "::error file=bad.xlsx,line=2,title=sheet 'Spend'%2C cell B2::Unit price: '12,5O'"
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("::error file=bad.xlsx,line=3,"),
        "{}",
        lines[1]
    );
}

#[test]
fn report_json_keeps_stdout_pure_and_messages_on_stderr() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_good(dir.path());
    std::fs::write(dir.path().join("notes.txt"), "not an input").expect("write");
    let output = run(
        dir.path(),
        &[
            "report",
            ".",
            "--json",
            "--keep-going",
            "--as-of",
            "2026-04-30",
        ],
    );
    assert_eq!(code(&output), 1);
    let summary: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("all of stdout is one JSON document");
    assert_eq!(summary["campaigns"][0]["budget_total"], "120.50");
    let err = stderr(&output);
    assert!(
        err.lines().all(|line| line.starts_with("spendsheet: ")),
        "{err}"
    );
    assert!(
        err.contains("spendsheet: error: notes.txt: this is not a file spendsheet reads"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}'),
        "no colour codes when stderr is not a terminal"
    );
}

#[test]
fn quiet_leaves_only_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_good(dir.path());
    let output = run(dir.path(), &["-q", "report", ".", "--as-of", "2026-04-30"]);
    assert_eq!(code(&output), 0);
    assert_eq!(stderr(&output), "");
    let verbose = run(dir.path(), &["report", ".", "-v", "--as-of", "2026-04-30"]);
    assert!(
        stderr(&verbose)
            .contains("spendsheet: plan.xlsx: campaign workbook, 2 rows read, 2 used, used"),
        "{}",
        stderr(&verbose)
    );
}

#[test]
fn templates_are_documented_inputs_that_check_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    for kind in ["campaign", "rates", "config"] {
        let output = run(dir.path(), &["template", kind]);
        assert_eq!(code(&output), 0, "{kind}: {}", stderr(&output));
    }
    std::fs::create_dir(dir.path().join("profiles")).expect("folder");
    let output = run(
        dir.path(),
        &["template", "profile", "-o", "profiles/my-platform.toml"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let again = run(dir.path(), &["template", "campaign"]);
    assert_eq!(code(&again), 2, "an existing file is never replaced");
    assert!(stderr(&again).contains("campaign.xlsx already exists"));

    let mut workbook: Xlsx<_> =
        open_workbook(dir.path().join("campaign.xlsx")).expect("template opens");
    assert_eq!(
        workbook.sheet_names(),
        ["Campaigns", "Budget", "Spend", "Ad campaigns", "Notes"]
    );
    let headers = |workbook: &mut Xlsx<_>, sheet: &str| -> Vec<String> {
        let range = workbook.worksheet_range(sheet).expect("sheet");
        range
            .rows()
            .next()
            .map(|row| row.iter().map(cell_text).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        headers(&mut workbook, "Campaigns"),
        ["Campaign", "Currency", "Start", "End", "Owner", "Notes"]
    );
    assert_eq!(
        headers(&mut workbook, "Budget"),
        [
            "Campaign",
            "Name",
            "Description",
            "Unit price",
            "Quantity",
            "Currency",
            "Date"
        ]
    );
    assert_eq!(
        headers(&mut workbook, "Ad campaigns"),
        ["Campaign", "Platform", "Ad campaign", "Ad campaign ID"]
    );

    // spendsheet.toml has every key commented out: the defaults.
    let output = run(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let issues = json(&output)["issues"].clone();
    assert!(
        issues
            .as_array()
            .is_some_and(|issues| issues.iter().all(|i| i["severity"] == "warning")),
        "{issues}"
    );

    std::fs::write(
        dir.path().join("with-profiles.toml"),
        "profiles = [\"profiles\"]\n",
    )
    .expect("config");
    let profiles = run(dir.path(), &["profiles", "--config", "with-profiles.toml"]);
    assert_eq!(code(&profiles), 0, "{}", stderr(&profiles));
    let listed = String::from_utf8_lossy(&profiles.stdout).to_string();
    assert!(
        listed.starts_with("my-platform (My Platform)"),
        "user profiles first: {listed}"
    );
    assert!(listed.contains("\ngoogle-ads (Google Ads)"), "{listed}");

    std::fs::copy(
        dir.path().join("profiles/my-platform.toml"),
        dir.path().join("dropped.toml"),
    )
    .expect("copy");
    let output = run(dir.path(), &["check", "dropped.toml"]);
    assert_eq!(code(&output), 1);
    assert!(String::from_utf8_lossy(&output.stdout).contains("this is an export profile"));
}

#[test]
fn a_filled_campaign_template_makes_a_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    assert_eq!(
        code(&run(
            dir.path(),
            &["template", "campaign", "-o", "blank.xlsx"]
        )),
        0
    );
    // Fill the template's own sheets and headers, as a user would.
    let mut blank: Xlsx<_> = open_workbook(dir.path().join("blank.xlsx")).expect("template opens");
    let mut sheets = Vec::new();
    for name in ["Campaigns", "Budget", "Spend"] {
        let range = blank.worksheet_range(name).expect("sheet");
        let header: Vec<In> = range
            .rows()
            .next()
            .expect("header")
            .iter()
            .map(|c| In::Owned(cell_text(c)))
            .collect();
        let rows = match name {
            "Campaigns" => vec![
                header,
                vec![
                    Text("Autumn"),
                    Text("SEK"),
                    Date(2026, 9, 1),
                    Date(2026, 11, 30),
                ],
            ],
            "Budget" => vec![
                header,
                vec![
                    Text("Autumn"),
                    Text("Print"),
                    Text("Flyers"),
                    Number(2.5),
                    Number(1000.0),
                ],
            ],
            _ => vec![
                header,
                vec![
                    Text("Autumn"),
                    Text("Print"),
                    Text("Invoice 1"),
                    Number(1999.99),
                    Empty,
                    Empty,
                    Date(2026, 9, 15),
                ],
            ],
        };
        sheets.push((name, rows));
    }
    write_xlsx(&dir.path().join("filled.xlsx"), &sheets);
    let output = run(
        dir.path(),
        &["report", "filled.xlsx", "--json", "--as-of", "2026-10-01"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        json(&output)["campaigns"],
        json!([{"name": "Autumn", "currency": "SEK", "budget_total": "2500.00", "spend_total": "1999.99",
                "remaining_budget": "500.01", "budget_items": 1, "spend_items": 1}])
    );
}

#[test]
fn completions_and_the_man_page_come_from_the_command_definitions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bash = run(dir.path(), &["completions", "bash"]);
    assert_eq!(code(&bash), 0);
    let script = String::from_utf8_lossy(&bash.stdout);
    assert!(
        script.contains("spendsheet") && script.contains("--keep-going"),
        "{script}"
    );
    let man = run(dir.path(), &["man"]);
    assert_eq!(code(&man), 0);
    let page = String::from_utf8_lossy(&man.stdout);
    assert!(
        page.starts_with(".ie") || page.contains(".TH spendsheet"),
        "{page}"
    );
}
