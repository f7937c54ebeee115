//! Every bad input gives exit code 1, an error naming the file, sheet, row
//! and column with what was found and expected, and no report; bad
//! configurations and usage give exit code 2.

mod common;

use common::*;
use serde_json::Value;

const CAMPAIGNS: fn() -> (&'static str, Vec<Vec<In>>) = || {
    (
        "Campaigns",
        vec![
            vec![Text("Campaign"), Text("Currency")],
            vec![Text("Summer sale"), Text("NOK")],
            vec![Text("Trade fair"), Text("EUR")],
        ],
    )
};

fn budget(rows: Vec<Vec<In>>) -> (&'static str, Vec<Vec<In>>) {
    let mut all = vec![vec![
        Text("Campaign"),
        Text("Name"),
        Text("Currency"),
        Text("Unit price"),
        Text("Date"),
    ]];
    all.extend(rows);
    ("Budget", all)
}

struct Case {
    what: &'static str,
    sheets: Vec<(&'static str, Vec<Vec<In>>)>,
    /// sheet, 1-based row, column
    place: (Option<&'static str>, Option<u64>, Option<&'static str>),
    message: &'static str,
}

fn cases() -> Vec<Case> {
    let line = |campaign: &'static str, currency: In, price: In, date: In| {
        vec![Text(campaign), Text("Print"), currency, price, date]
    };
    vec![
        Case {
            what: "ambiguous decimal mark",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line("Summer sale", Empty, Text("1,234"), Empty)]),
            ],
            place: (Some("Budget"), Some(2), Some("D")),
            message: "'1,234' has an ambiguous decimal mark",
        },
        Case {
            what: "not an amount",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line("Summer sale", Empty, Text("12,5O"), Empty)]),
            ],
            place: (Some("Budget"), Some(2), Some("D")),
            message: "'12,5O' is not an amount",
        },
        Case {
            what: "error value",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line(
                    "Summer sale",
                    Empty,
                    In::Formula("1/0", "#DIV/0!"),
                    Empty,
                )]),
            ],
            place: (Some("Budget"), Some(2), Some("D")),
            message: "#DIV/0!",
        },
        Case {
            what: "formula written without a result",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line(
                    "Summer sale",
                    Empty,
                    In::Formula("2*3", "0"),
                    Empty,
                )]),
            ],
            place: (Some("Budget"), Some(2), Some("D")),
            message: "the formula has no saved result",
        },
        Case {
            what: "unknown campaign",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line("Sumer sale", Empty, Number(5.0), Empty)]),
            ],
            place: (Some("Budget"), Some(2), Some("A")),
            message: "campaign 'Sumer sale' is not defined; did you mean 'Summer sale'?",
        },
        Case {
            what: "campaign defined twice differently",
            sheets: vec![(
                "Campaigns",
                vec![
                    vec![Text("Campaign"), Text("Currency")],
                    vec![Text("Summer sale"), Text("NOK")],
                    vec![Text("Summer sale"), Text("SEK")],
                ],
            )],
            place: (Some("Campaigns"), Some(3), None),
            message: "campaign 'Summer sale' is defined again with currency SEK instead of NOK; it was first defined at bad.xlsx, sheet 'Campaigns', row 2",
        },
        Case {
            what: "campaign without a currency",
            sheets: vec![(
                "Campaigns",
                vec![vec![Text("Campaign")], vec![Text("Summer sale")]],
            )],
            place: (Some("Campaigns"), Some(2), None),
            message: "campaign 'Summer sale' has no currency",
        },
        Case {
            what: "another currency without a rate",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line(
                    "Summer sale",
                    Text("USD"),
                    Number(5.0),
                    Date(2026, 3, 2),
                )]),
            ],
            place: (Some("Budget"), Some(2), None),
            message: "no exchange rate from USD to NOK is known (needed for 2026-03-02)",
        },
        Case {
            what: "currency code that cannot be the line's",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line("Summer sale", Empty, Text("USD 100"), Empty)]),
            ],
            place: (Some("Budget"), Some(2), Some("D")),
            message: "'USD 100' is written in USD, but the line's currency is NOK",
        },
        Case {
            what: "not an ISO 4217 code",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line("Summer sale", Text("Euro"), Number(5.0), Empty)]),
            ],
            place: (Some("Budget"), Some(2), Some("C")),
            message: "'Euro' is not an ISO 4217 currency code",
        },
        Case {
            what: "text date without date_order",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line(
                    "Summer sale",
                    Empty,
                    Number(5.0),
                    Text("01.03.2026"),
                )]),
            ],
            place: (Some("Budget"), Some(2), Some("E")),
            message: "01.03.2026",
        },
        Case {
            what: "impossible date",
            sheets: vec![
                CAMPAIGNS(),
                budget(vec![line(
                    "Summer sale",
                    Empty,
                    Number(5.0),
                    Text("2026-02-30"),
                )]),
            ],
            place: (Some("Budget"), Some(2), Some("E")),
            message: "2026-02-30",
        },
        Case {
            what: "no header row",
            sheets: vec![
                CAMPAIGNS(),
                (
                    "Spend",
                    vec![
                        vec![Text("What"), Text("Cost")],
                        vec![Text("Print"), Number(5.0)],
                    ],
                ),
            ],
            place: (Some("Spend"), None, None),
            message: "no header row found in the first 20 rows",
        },
        Case {
            what: "campaign left out among several",
            sheets: vec![
                CAMPAIGNS(),
                (
                    "Spend",
                    vec![
                        vec![Text("Name"), Text("Unit price")],
                        vec![Text("Print"), Number(5.0)],
                    ],
                ),
            ],
            place: (Some("Spend"), Some(2), None),
            message: "there is no Campaign column",
        },
    ]
}

fn issue_at<'a>(
    summary: &'a Value,
    place: &(Option<&str>, Option<u64>, Option<&str>),
) -> Option<&'a Value> {
    summary["issues"].as_array()?.iter().find(|issue| {
        issue["severity"] == "error"
            && issue["file"] == "bad.xlsx"
            && issue["sheet"].as_str() == place.0
            && issue["row"].as_u64() == place.1
            && issue["column"].as_str() == place.2
    })
}

#[test]
fn each_bad_input_is_an_error_with_its_place_and_no_report() {
    for case in cases() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_xlsx(&dir.path().join("bad.xlsx"), &case.sheets);
        let output = run(
            dir.path(),
            &["report", "bad.xlsx", "--json", "--as-of", "2026-04-30"],
        );

        assert_eq!(code(&output), 1, "{}: {}", case.what, stderr(&output));
        assert!(
            !dir.path().join("report.xlsx").exists(),
            "{}: a report was written",
            case.what
        );
        let summary = json(&output);
        assert_eq!(summary["complete"], false, "{}", case.what);
        assert_eq!(summary["report"], Value::Null, "{}", case.what);
        let issue = issue_at(&summary, &case.place).unwrap_or_else(|| {
            panic!(
                "{}: no error at {:?} in {}",
                case.what, case.place, summary["issues"]
            )
        });
        let message = issue["message"].as_str().unwrap_or_default();
        assert!(message.contains(case.message), "{}: {message}", case.what);
        let err = stderr(&output);
        assert!(
            err.contains("spendsheet: error: bad.xlsx"),
            "{}: {err}",
            case.what
        );
        assert!(err.contains(case.message), "{}: {err}", case.what);
    }
}

#[test]
fn keep_going_writes_an_incomplete_report_and_still_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_xlsx(
        &dir.path().join("good.xlsx"),
        &[
            CAMPAIGNS(),
            budget(vec![vec![
                Text("Summer sale"),
                Text("Print"),
                Empty,
                Number(5.0),
            ]]),
        ],
    );
    write_xlsx(
        &dir.path().join("bad.xlsx"),
        &[budget(vec![vec![
            Text("Summer sale"),
            Text("Radio"),
            Empty,
            Text("1.234"),
        ]])],
    );
    let output = run(
        dir.path(),
        &[
            "report",
            ".",
            "--keep-going",
            "--json",
            "--as-of",
            "2026-04-30",
        ],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let summary = json(&output);
    assert_eq!(summary["complete"], false);
    assert_eq!(summary["report"], "report.xlsx");
    assert_eq!(summary["campaigns"][0]["budget_total"], "5.00");

    let report = read_report(&dir.path().join("report.xlsx"));
    let first = report.sheet("Summary").get(0, 0).to_string();
    assert!(
        first.starts_with("INCOMPLETE REPORT: 1 error; left out in whole or in part: bad.xlsx"),
        "{first}"
    );
    let sources = report.sheet("Sources");
    let rows = sources.table(0, 7);
    let bad = rows
        .iter()
        .find(|row| row[0] == "bad.xlsx")
        .expect("bad.xlsx listed");
    assert_eq!(bad[6], "rejected: has errors");
    assert_eq!(bad[5].len(), 64, "SHA-256 in hex");
    let issues = report.sheet("Issues").table(0, 6);
    assert!(
        issues
            .iter()
            .any(|row| row[0] == "error" && row[1] == "bad.xlsx" && row[3] == "2" && row[4] == "D"),
        "{issues:?}"
    );
}

#[test]
fn a_file_of_no_known_kind_says_what_each_kind_looks_like() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("export.csv"),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    )
    .expect("write");
    let output = run(dir.path(), &["report", "export.csv", "--json"]);
    assert_eq!(code(&output), 1);
    let summary = json(&output);
    let message = summary["issues"][0]["message"].as_str().unwrap_or_default();
    assert_eq!(summary["issues"][0]["file"], "export.csv");
    for kind in [
        "campaign workbook",
        "ad-platform export",
        "rates file",
        "spendsheet.toml",
    ] {
        assert!(message.contains(kind), "{message}");
    }
}

#[test]
fn configuration_and_usage_problems_exit_with_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_xlsx(&dir.path().join("plan.xlsx"), &[CAMPAIGNS()]);
    let cases: [(&str, &[&str], &str); 6] = [
        ("colour = \"red\"\n", &["report", "."], "key 'colour'"),
        (
            "rounding = \"sometimes\"\n",
            &["report", "."],
            "key 'rounding': found 'sometimes'",
        ),
        (
            "",
            &["report", "plan.xlsx", "--config", "missing.toml"],
            "missing.toml",
        ),
        (
            "",
            &["report", "no-such-folder"],
            "no-such-folder: no such file or folder",
        ),
        ("", &["report"], "INPUT"),
        ("", &["report", ".", "--as-of", "30.04.2026"], "30.04.2026"),
    ];
    for (config, args, message) in cases {
        let config_path = dir.path().join("spendsheet.toml");
        if config.is_empty() {
            let _ = std::fs::remove_file(&config_path);
        } else {
            std::fs::write(&config_path, config).expect("config");
        }
        let output = run(dir.path(), args);
        assert_eq!(code(&output), 2, "{args:?}: {}", stderr(&output));
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!dir.path().join("report.xlsx").exists());
    }
}

#[test]
fn the_report_never_replaces_an_input() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_xlsx(&dir.path().join("plan.xlsx"), &[CAMPAIGNS()]);
    let before = std::fs::read(dir.path().join("plan.xlsx")).expect("read");
    let output = run(dir.path(), &["report", "plan.xlsx", "-o", "plan.xlsx"]);
    assert_eq!(code(&output), 2);
    assert_eq!(
        std::fs::read(dir.path().join("plan.xlsx")).expect("read"),
        before
    );
}

#[test]
fn bad_workbooks_made_by_other_programs_are_errors_at_their_cells() {
    let cases = [
        (
            "libreoffice-error-value.ods",
            "Spend",
            3,
            "B",
            "the cell holds the error value #DIV/0!",
        ),
        (
            "openpyxl-formula-without-result.xlsx",
            "Budget",
            3,
            "B",
            "the formula has no saved result",
        ),
    ];
    for (fixture, sheet, row, column, message) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::copy(
            repo().join("tests/fixtures").join(fixture),
            dir.path().join(fixture),
        )
        .expect("copy");
        let output = run(dir.path(), &["report", fixture, "--json"]);
        assert_eq!(code(&output), 1, "{fixture}");
        let summary = json(&output);
        let issue = &summary["issues"][0];
        assert_eq!(
            (
                issue["file"].as_str(),
                issue["sheet"].as_str(),
                issue["row"].as_u64(),
                issue["column"].as_str()
            ),
            (Some(fixture), Some(sheet), Some(row), Some(column)),
            "{fixture}: {issue}"
        );
        assert!(
            issue["message"]
                .as_str()
                .is_some_and(|m| m.contains(message)),
            "{fixture}: {issue}"
        );
        assert!(!dir.path().join("report.xlsx").exists());
    }
}
