//! Conversions with the genuine ECB history (shared/data/real), checked by
//! hand: a weekday, a weekend, a holiday, a cross rate, JPY without minor
//! units, and a date older than any rate.

mod common;

use std::path::Path;

use common::*;
use rust_decimal::Decimal;
use serde_json::json;

fn write_inputs(dir: &Path, extra_item: Option<Vec<In>>) {
    std::fs::copy(
        shared().join("data/real/eurofxref-hist.csv"),
        dir.join("eurofxref-hist.csv"),
    )
    .expect("copy rates");
    std::fs::write(dir.join("spendsheet.toml"), "report_currency = \"EUR\"\n").expect("config");
    let mut spend = vec![
        vec![
            Text("Campaign"),
            Text("Name"),
            Text("Unit price"),
            Text("Currency"),
            Text("Date"),
        ],
        // Wednesday 16 April 2025: EUR/USD 1.1355. 1000 / 1.1355 = 880.6693...
        vec![
            Text("Euro"),
            Text("Weekday"),
            Number(1000.0),
            Text("USD"),
            Date(2025, 4, 16),
        ],
        // Saturday 3 May 2025 takes Friday's 1.1343: 881.6010...
        vec![
            Text("Euro"),
            Text("Weekend"),
            Number(1000.0),
            Text("USD"),
            Date(2025, 5, 3),
        ],
        // Easter Monday 21 April 2025 (and Good Friday) have no rates:
        // Thursday 17 April's 1.136 gives 880.2816...
        vec![
            Text("Euro"),
            Text("Holiday"),
            Number(1000.0),
            Text("USD"),
            Date(2025, 4, 21),
        ],
        // USD to NOK through EUR on 16 April: 1000 x 12.0725 / 1.1355 = 10631.8802...
        vec![
            Text("Krone"),
            Text("Cross"),
            Number(1000.0),
            Text("USD"),
            Date(2025, 4, 16),
        ],
        // EUR to JPY, no minor units: 123.45 x 162.09 = 20010.0105
        vec![
            Text("Yen"),
            Text("Yen"),
            Number(123.45),
            Text("EUR"),
            Date(2025, 4, 16),
        ],
    ];
    spend.extend(extra_item);
    write_xlsx(
        &dir.join("plan.xlsx"),
        &[
            (
                "Campaigns",
                vec![
                    vec![Text("Campaign"), Text("Currency")],
                    vec![Text("Euro"), Text("EUR")],
                    vec![Text("Krone"), Text("NOK")],
                    vec![Text("Yen"), Text("JPY")],
                ],
            ),
            ("Spend", spend),
        ],
    );
}

#[test]
fn real_ecb_rates_convert_weekdays_weekends_holidays_and_crosses() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_inputs(dir.path(), None);
    let output = run(
        dir.path(),
        &["report", ".", "--as-of", "2025-05-09", "--json"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let report = read_report(&dir.path().join("report.xlsx"));
    assert_adds_up(&report);
    assert_json_matches_report(&json(&output), &report);
    let euro = report.sheet("Euro");
    let header = euro.header_row(&[
        "Name",
        "Description",
        "Amount",
        "Original amount",
        "Original currency",
    ]);
    let spend_header = (header + 1..header + 30)
        .find(|row| euro.get(*row, 0) == "Name")
        .expect("spend table");
    let lines: Vec<Vec<String>> = euro
        .table(spend_header, 5)
        .into_iter()
        .map(|row| {
            vec![
                row[0].clone(),
                row[2].clone(),
                row[3].clone(),
                row[4].clone(),
            ]
        })
        .collect();
    assert_eq!(
        lines,
        [
            ["Weekday", "880.67", "1000", "USD"],
            ["Weekend", "881.6", "1000", "USD"],
            ["Holiday", "880.28", "1000", "USD"],
        ]
    );
    let rate: Decimal = euro.get(spend_header + 1, 5).parse().expect("rate");
    assert_eq!(
        rate.round_dp(10),
        (Decimal::ONE / Decimal::new(11355, 4)).round_dp(10)
    );

    let summary = json(&output);
    let campaigns = summary["campaigns"].as_array().expect("campaigns");
    let spend: Vec<(&str, &str)> = campaigns
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or(""),
                c["spend_total"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        spend,
        [("Euro", "2642.55"), ("Krone", "10631.88"), ("Yen", "20010")]
    );

    // Totals in EUR at the as-of date, Friday 9 May 2025 (USD 1.1252,
    // JPY 163.36, NOK 11.6725): 10631.88 / 11.6725 = 910.8486...,
    // 20010 / 163.36 = 122.4902...
    let rows = report.summary();
    let in_eur: Vec<String> = rows.iter().map(|row| row[7].clone()).collect();
    assert_eq!(in_eur, ["2642.55", "910.85", "122.49"]);
    assert_eq!(
        summary["totals"],
        json!({"currency": "EUR", "budget_total": "0.00", "spend_total": "3675.89", "remaining_budget": "-3675.89"})
    );
    let total = report.summary_total().expect("total row");
    assert_eq!(total[7], "3675.89");

    let rates = report.sheet("FX rates").table(0, 5);
    let used: Vec<[&str; 4]> = rates
        .iter()
        .map(|r| [r[0].as_str(), r[1].as_str(), r[2].as_str(), r[3].as_str()])
        .collect();
    for expected in [
        ["2025-04-16", "EUR", "USD", "1.1355"],
        ["2025-05-02", "EUR", "USD", "1.1343"],
        ["2025-04-17", "EUR", "USD", "1.136"],
        ["2025-04-16", "EUR", "NOK", "12.0725"],
        ["2025-04-16", "EUR", "JPY", "162.09"],
        ["2025-05-09", "EUR", "NOK", "11.6725"],
        ["2025-05-09", "EUR", "JPY", "163.36"],
    ] {
        assert!(used.contains(&expected), "{expected:?} not in {used:?}");
    }
    assert!(rates.iter().all(|r| r[4] == "eurofxref-hist.csv"));
}

#[test]
fn a_date_older_than_any_rate_is_an_error_naming_the_pair_and_the_first_rate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = vec![
        Text("Euro"),
        Text("Too old"),
        Number(10.0),
        Text("USD"),
        Date(1998, 12, 31),
    ];
    write_inputs(dir.path(), Some(old));
    let output = run(
        dir.path(),
        &["report", ".", "--as-of", "2025-05-09", "--json"],
    );
    assert_eq!(code(&output), 1);
    let summary = json(&output);
    let issue = summary["issues"]
        .as_array()
        .and_then(|issues| issues.iter().find(|i| i["severity"] == "error"))
        .expect("an error");
    assert_eq!(issue["file"], "plan.xlsx");
    assert_eq!(issue["row"], 7);
    assert_eq!(
        issue["message"],
        "'Too old' cannot be converted: no exchange rate from USD to EUR for 1998-12-31: the rates known start on 1999-01-04; add older rates"
    );
}

#[test]
fn two_rate_files_that_disagree_are_an_error_naming_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_inputs(dir.path(), None);
    std::fs::write(
        dir.path().join("zz-rates.csv"),
        "Date,From,To,Rate\n2025-04-16,EUR,USD,1.2\n2025-04-15,EUR,USD,1.1324\n",
    )
    .expect("rates");
    let output = run(
        dir.path(),
        &["report", ".", "--as-of", "2025-05-09", "--json"],
    );
    assert_eq!(code(&output), 1);
    let summary = json(&output);
    let messages: Vec<&str> = summary["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter(|i| i["severity"] == "error")
        .filter_map(|i| i["message"].as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "the rate EUR/USD on 2025-04-16 is 1.2 here but 1.1355 in eurofxref-hist.csv; remove one of the two files or correct the rate"
        ]
    );
    assert_eq!(summary["issues"][0]["file"], "zz-rates.csv");
}

#[test]
fn fixed_rates_override_file_rates_for_their_pair() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_inputs(dir.path(), None);
    std::fs::write(
        dir.path().join("spendsheet.toml"),
        "report_currency = \"EUR\"\n[fx.fixed]\n\"USD/EUR\" = \"0.9\"\n",
    )
    .expect("config");
    let output = run(
        dir.path(),
        &["report", ".", "--as-of", "2025-05-09", "--json"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = json(&output);
    assert_eq!(summary["campaigns"][0]["spend_total"], "2700.00");
    // The cross USD to NOK goes through EUR with the fixed leg:
    // 1000 x 0.9 x 12.0725 = 10865.25.
    assert_eq!(summary["campaigns"][1]["spend_total"], "10865.25");
}
