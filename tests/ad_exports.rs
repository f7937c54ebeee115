//! Ad-platform exports through the binary: the genuine Google Ads reports,
//! exports of all five platforms with their quirks consolidated into a
//! campaign in another currency (checked to the cent), and the errors and
//! warnings of overlapping, duplicated and unreadable exports.

mod common;

use std::path::Path;

use common::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};

fn real(name: &str) -> String {
    shared()
        .join("data/real")
        .join(name)
        .to_str()
        .expect("path")
        .to_string()
}

fn unassigned(summary: &Value) -> Vec<(String, String, String)> {
    summary["unassigned"]
        .as_array()
        .expect("unassigned")
        .iter()
        .map(|u| {
            let text = |key: &str| u[key].as_str().unwrap_or_default().to_string();
            (text("ad_campaign"), text("currency"), text("spend"))
        })
        .collect()
}

#[test]
fn genuine_google_ads_reports_read_as_unassigned_spend() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run(
        dir.path(),
        &[
            "report",
            &real("google_campaign_report_intragoinc.csv"),
            "--json",
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = json(&output);
    let spend = unassigned(&summary);
    assert_eq!(spend.len(), 12);
    assert!(spend.iter().all(|(_, currency, _)| currency == "USD"));
    let total: Decimal = spend
        .iter()
        .map(|(_, _, amount)| amount.parse::<Decimal>().expect("amount"))
        .sum();
    assert_eq!(total, "199421.15".parse::<Decimal>().expect("total"));
    // The footer check passes: no warning about Total: Campaigns.
    let messages: Vec<&str> = summary["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["message"].as_str())
        .collect();
    assert!(
        !messages.iter().any(|m| m.contains("Total")),
        "{messages:?}"
    );
    assert!(!spend.iter().any(|(name, _, _)| name.starts_with("Total")));

    let output = run(
        dir.path(),
        &[
            "report",
            &real("google_campaign_report_clinic_EUR.csv"),
            "--json",
        ],
    );
    let names: Vec<String> = unassigned(&json(&output))
        .into_iter()
        .map(|(name, currency, _)| format!("{name} {currency}"))
        .collect();
    assert!(
        names.contains(&"Οδοντικά Εμφυτεύματα Αθήνα EUR".to_string()),
        "{names:?}"
    );

    let output = run(
        dir.path(),
        &[
            "report",
            &real("google_ads_editor_campaign_utf16.csv"),
            "--json",
        ],
    );
    assert_eq!(code(&output), 1);
    let message = json(&output)["issues"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.contains("ad campaign column ('Campaign') but no spend column"),
        "{message}"
    );
}

const RATES: &str = "Date,From,To,Rate
2026-03-02,USD,NOK,10.80
2026-03-09,USD,NOK,10.85
2026-03-13,USD,NOK,10.90
2026-03-31,USD,NOK,10.95
2026-03-06,EUR,NOK,11.40
2026-03-13,EUR,NOK,11.45
2026-03-16,EUR,NOK,11.50
2026-04-30,USD,NOK,11.00
2026-04-30,EUR,NOK,11.60
";

const GOOGLE: &str = "Campaign report
\"March 1, 2026 - March 31, 2026\"
Campaign status,Campaign,Campaign ID,Budget,Budget type,Impr.,Currency code,Cost
Enabled,Spring | Search,111,\"1,000.00\",Daily,\"12,400\",USD,\"4,838.80\"
Total: Campaigns, --, --, --, --,\"12,400\",USD,\"4,838.80\"
Total: Account, --, --, --, --,\"12,400\",USD,\"4,838.80\"
";

const META: &str = "\u{feff}Reporting starts,Reporting ends,Campaign name,Campaign ID,Campaign budget,Campaign budget type,Amount spent (EUR),CTR (all)
2026-03-01,2026-03-07,Spring video,222,5000.00,Lifetime,700.00,1.5%
2026-03-08,2026-03-14,Spring video,222,5000.00,Lifetime,812.34,< 10%
";

const LINKEDIN: &str = "Campaign Performance Report
Report Start: 03/01/2026, Report End: 03/31/2026
Start Date (in UTC),Campaign Name,Campaign ID,Currency,Total Spent,Impressions
3/2/2026,Spring B2B,333,USD,150.50,1000
3/9/2026,Spring B2B,333,USD,249.50,2000
";

const MICROSOFT: &str = "\"Report Name: Campaign performance\"
\"Report Time: 3/1/2026 - 3/31/2026\"
\"Time Zone: (GMT+01:00) Amsterdam\"

\"Gregorian date\",\"Campaign name\",\"Campaign ID\",\"Currency code\",\"Spend\"
\"3/16/2026\",\"Spring Bing\",\"444\",\"EUR\",\"99.99\"

\"©2026 Microsoft Corporation. All rights reserved. \"
";

const TIKTOK: &str = "By Day\tCampaign name\tCampaign ID\tCost\tImpressions\r\n2026-03-13\tSpring\t555\t300\t8000\r\n";

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

/// A campaign in NOK with ad campaigns on all five platforms, linked in
/// each of the three ways.
fn write_five_platforms(dir: &Path) {
    write_xlsx(
        &dir.join("plan.xlsx"),
        &[
            (
                "Campaigns",
                vec![
                    vec![
                        Text("Campaign"),
                        Text("Currency"),
                        Text("Start"),
                        Text("End"),
                    ],
                    vec![
                        Text("Spring"),
                        Text("NOK"),
                        Date(2026, 3, 1),
                        Date(2026, 3, 31),
                    ],
                ],
            ),
            (
                "Budget",
                vec![
                    vec![Text("Name"), Text("Unit price")],
                    vec![Text("Agency"), Number(100000.0)],
                ],
            ),
            (
                "Ad campaigns",
                vec![
                    vec![
                        Text("Campaign"),
                        Text("Platform"),
                        Text("Ad campaign"),
                        Text("Ad campaign ID"),
                    ],
                    vec![Text("Spring"), Text("google-ads"), Text("Spring | Search")],
                    vec![Text("Spring"), Text("linkedin-ads"), Empty, Text("333")],
                    vec![Text("Spring"), Empty, Text("Spring Bing")],
                ],
            ),
        ],
    );
    std::fs::write(dir.join("rates.csv"), RATES).expect("rates");
    std::fs::write(dir.join("google.csv"), GOOGLE).expect("google");
    std::fs::write(dir.join("meta.csv"), META).expect("meta");
    std::fs::write(dir.join("linkedin.csv"), LINKEDIN).expect("linkedin");
    std::fs::write(dir.join("microsoft.csv"), MICROSOFT).expect("microsoft");
    std::fs::write(dir.join("tiktok.tsv"), utf16le_with_bom(TIKTOK)).expect("tiktok");
    let config = "[platform_currency]\ntiktok-ads = \"USD\"\n\n[[link]]\ncampaign = \"Spring\"\nplatform = \"meta-ads\"\nad_campaign = \"Spring v*\"\n";
    std::fs::write(dir.join("spendsheet.toml"), config).expect("config");
}

#[test]
fn five_platforms_consolidate_into_one_campaign_to_the_cent() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_five_platforms(dir.path());
    let output = run(
        dir.path(),
        &["report", ".", "--as-of", "2026-04-30", "--json"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = json(&output);
    assert_eq!(summary["issues"], json!([]), "no warnings at all");
    assert_eq!(
        summary["campaigns"],
        json!([{"name": "Spring", "currency": "NOK", "budget_total": "496700.00", "spend_total": "79018.51",
                "remaining_budget": "417681.49", "budget_items": 3, "spend_items": 5}])
    );

    let report = read_report(&dir.path().join("report.xlsx"));
    assert_adds_up(&report);
    assert_json_matches_report(&json(&output), &report);
    let spring = report.sheet("Spring");
    let budget_header = spring.header_row(&["Name", "Description", "Amount"]);
    // Google's daily budget over the campaign's 31 days at the export's end
    // (USD/NOK 10.95 on 31 March); Meta's lifetime budget at the end of
    // its rows (14 March, a Saturday: the 13th's 11.45).
    assert_eq!(
        spring.table(budget_header, 5),
        [
            ["Agency", "", "100000", "100000", "NOK"],
            [
                "Spring | Search",
                "Ad campaign (daily 1000.00 x 31 days)",
                "339450",
                "31000",
                "USD"
            ],
            ["Spring video", "Ad campaign", "57250", "5000", "EUR"],
        ]
    );
    let spend_header = (budget_header + 1..budget_header + 40)
        .find(|row| spring.get(*row, 0) == "Name")
        .expect("spend");
    // In file name order: google, linkedin, meta, microsoft, tiktok.
    assert_eq!(
        spring.table(spend_header, 5),
        [
            // Undated: the title period's end, 31 March: 4838.80 x 10.95.
            [
                "Spring | Search",
                "Ad campaign",
                "52984.86",
                "4838.8",
                "USD"
            ],
            // US dates: 150.50 x 10.80 + 249.50 x 10.85 = 4332.475, half to even.
            ["Spring B2B", "Ad campaign", "4332.48", "400", "USD"],
            // Dated by each row's period end: 700 x 11.40 + 812.34 x 11.45.
            ["Spring video", "Ad campaign", "17281.29", "1512.34", "EUR"],
            // 99.99 x 11.50 = 1149.885, half to even.
            ["Spring Bing", "Ad campaign", "1149.88", "99.99", "EUR"],
            // UTF-16, no currency column: [platform_currency] USD.
            ["Spring", "Ad campaign", "3270", "300", "USD"],
        ]
    );
    assert_eq!(spring.get(spend_header + 1, 6), "google-ads: google.csv");

    let sources = report.sheet("Sources").table(0, 7);
    let profiles: Vec<(&str, &str, &str)> = sources
        .iter()
        .map(|row| (row[0].as_str(), row[1].as_str(), row[2].as_str()))
        .collect();
    for expected in [
        ("google.csv", "ad export", "google-ads"),
        ("meta.csv", "ad export", "meta-ads"),
        ("linkedin.csv", "ad export", "linkedin-ads"),
        ("microsoft.csv", "ad export", "microsoft-ads"),
        ("tiktok.tsv", "ad export", "tiktok-ads"),
        ("rates.csv", "rates", ""),
        ("plan.xlsx", "campaign workbook", ""),
    ] {
        assert!(profiles.contains(&expected), "{expected:?} in {profiles:?}");
    }
}

fn error_messages(summary: &Value) -> Vec<(String, String)> {
    summary["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter(|i| i["severity"] == "error")
        .map(|i| {
            (
                i["file"].as_str().unwrap_or_default().to_string(),
                i["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn overlapping_exports_are_an_error_naming_both_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_five_platforms(dir.path());
    let overlapping = LINKEDIN.replace("3/9/2026,Spring B2B,333,USD,249.50,2000\n", "");
    std::fs::write(dir.path().join("linkedin-again.csv"), overlapping).expect("write");
    let output = run(
        dir.path(),
        &["report", ".", "--as-of", "2026-04-30", "--json"],
    );
    assert_eq!(code(&output), 1);
    let errors = error_messages(&json(&output));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "linkedin.csv");
    assert!(
        errors[0]
            .1
            .contains("on days that linkedin-again.csv also covers"),
        "{errors:?}"
    );
    assert!(!dir.path().join("report.xlsx").exists());
}

#[test]
fn a_byte_identical_copy_of_an_export_is_ignored_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_five_platforms(dir.path());
    std::fs::write(dir.path().join("google (1).csv"), GOOGLE).expect("copy");
    let output = run(
        dir.path(),
        &["report", ".", "--as-of", "2026-04-30", "--json"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = json(&output);
    assert_eq!(
        summary["campaigns"][0]["spend_total"], "79018.51",
        "counted once"
    );
    assert_eq!(
        summary["issues"],
        json!([{"severity": "warning", "file": "google (1).csv",
                "message": "this file is identical to google.csv; it is ignored so that nothing is counted twice"}])
    );
}

#[test]
fn bad_exports_are_errors_naming_file_line_and_column() {
    // what, the export, the line and column of the error, its message
    type Case<'a> = (&'a str, String, Option<u64>, Option<&'a str>, &'a str);
    let cases: [Case<'_>; 4] = [
        (
            "unknown currency",
            GOOGLE.replace(",USD,\"4,838.80\"\nTotal", ",USX,\"4,838.80\"\nTotal"),
            Some(4),
            Some("Currency code"),
            "USX",
        ),
        (
            "no currency anywhere",
            TIKTOK.replace('\t', ","),
            None,
            None,
            "platform_currency",
        ),
        (
            "a bad number",
            LINKEDIN.replace("150.50", "15O.50"),
            Some(4),
            Some("Total Spent"),
            "15O.50",
        ),
        (
            "no recognisable header",
            "Campaign report\nName,Clicks\nSpring,10\n".to_string(),
            None,
            None,
            "not a file spendsheet reads",
        ),
    ];
    for (what, text, line, column, message) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("export.csv"), text).expect("write");
        let output = run(dir.path(), &["report", "export.csv", "--json"]);
        assert_eq!(code(&output), 1, "{what}: {}", stderr(&output));
        let summary = json(&output);
        let issue = summary["issues"]
            .as_array()
            .and_then(|issues| issues.iter().find(|i| i["severity"] == "error"))
            .unwrap_or_else(|| panic!("{what}: no error"));
        assert_eq!(issue["file"], "export.csv", "{what}");
        assert_eq!(issue["row"].as_u64(), line, "{what}: {issue}");
        assert_eq!(issue["column"].as_str(), column, "{what}: {issue}");
        assert!(
            issue["message"]
                .as_str()
                .is_some_and(|m| m.contains(message)),
            "{what}: {issue}"
        );
    }
}

#[test]
fn a_workbook_spend_item_named_like_a_linked_ad_campaign_is_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_five_platforms(dir.path());
    write_xlsx(
        &dir.path().join("spend.xlsx"),
        &[(
            "Spend",
            vec![
                vec![Text("Campaign"), Text("Name"), Text("Unit price")],
                vec![Text("Spring"), Text("Spring B2B"), Number(10.0)],
            ],
        )],
    );
    let output = run(
        dir.path(),
        &["report", ".", "--as-of", "2026-04-30", "--json"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = json(&output);
    let warning = &summary["issues"][0];
    assert_eq!(warning["file"], "spend.xlsx");
    assert_eq!(warning["row"], 2);
    assert!(
        warning["message"]
            .as_str()
            .is_some_and(|m| m.contains("probably counted twice")),
        "{warning}"
    );
}

#[test]
fn daily_budgets_take_the_export_period_without_a_flight_else_are_left_out_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_xlsx(
        &dir.path().join("plan.xlsx"),
        &[(
            "Campaigns",
            vec![
                vec![Text("Campaign"), Text("Currency")],
                vec![Text("Brand"), Text("USD")],
                vec![Text("Search"), Text("USD")],
            ],
        )],
    );
    let march = "Campaign report\n\"March 1, 2026 - March 31, 2026\"\nCampaign,Budget,Budget type,Currency code,Cost\nBrand,10.00,Daily,USD,120.00\n";
    let all_time = "Campaign report\nAll time\nCampaign,Budget,Budget type,Currency code,Cost\nSearch,25.00,Daily,USD,80.00\n";
    std::fs::write(dir.path().join("march.csv"), march).expect("write");
    std::fs::write(dir.path().join("all-time.csv"), all_time).expect("write");
    let output = run(
        dir.path(),
        &["report", ".", "--as-of", "2026-04-30", "--json"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = json(&output);
    let campaigns: Vec<(&str, &str, &str)> = summary["campaigns"]
        .as_array()
        .expect("campaigns")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or(""),
                c["budget_total"].as_str().unwrap_or(""),
                c["spend_total"].as_str().unwrap_or(""),
            )
        })
        .collect();
    // Brand: 10.00 a day over March's 31 days. Search: no flight and no
    // period, so its budget is left out.
    assert_eq!(
        campaigns,
        [("Brand", "310.00", "120.00"), ("Search", "0.00", "80.00")]
    );
    let warning = &summary["issues"][0];
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["file"], "all-time.csv");
    assert!(
        warning["message"].as_str().is_some_and(|m| m.contains("the daily budget of ad campaign 'Search' (25.00 USD) is left out: set Start and End of campaign 'Search'")),
        "{warning}"
    );
}
