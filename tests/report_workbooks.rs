//! Runs `spendsheet report` on campaign workbooks written by other programs
//! and reads the report back: every figure checked to the cent, and the
//! JSON summary equal to the report.

mod common;

use std::path::Path;

use common::*;
use serde_json::json;

/// A budget workbook and a separate spend workbook for the same campaigns,
/// the way finance teams split them.
fn write_split_workbooks(dir: &Path) {
    write_xlsx(
        &dir.join("a-budget.xlsx"),
        &[
            (
                "Campaigns",
                vec![
                    vec![Text("Plan 2026")],
                    vec![],
                    vec![
                        Text("Campaign"),
                        Text("Currency"),
                        Text("Start"),
                        Text("End"),
                        Text("Owner"),
                    ],
                    vec![
                        Text("Spring launch"),
                        Empty,
                        Date(2026, 3, 1),
                        Date(2026, 4, 30),
                        Text("Ingrid"),
                    ],
                    vec![Text("Trade fair"), Text("EUR")],
                ],
            ),
            (
                "Budget",
                vec![
                    vec![
                        Text("Campaign"),
                        Text("Name"),
                        Text("Description"),
                        Text("Unit price"),
                        Text("Quantity"),
                    ],
                    vec![
                        Text("Spring launch"),
                        Text("Outdoor"),
                        Text("Bus shelters"),
                        Number(4200.0),
                        Number(5.0),
                    ],
                    vec![],
                    vec![
                        Text("Spring launch"),
                        Text("Search"),
                        Text("=HYPERLINK(\"x\")"),
                        Text("18 000,50"),
                    ],
                    vec![Text("Spring launch"), Text("Total"), Empty, Number(39000.5)],
                    vec![
                        Text("Trade fair"),
                        Text("Booth"),
                        Text("12 m2"),
                        Number(0.1),
                        Number(3.0),
                    ],
                    vec![
                        Text("Trade fair"),
                        Text("Travel"),
                        Empty,
                        Text("€ 1,234.56"),
                    ],
                    vec![Text("Trade fair"), Text("Refund"), Empty, Text("(100.00)")],
                ],
            ),
        ],
    );
    write_xlsx(
        &dir.join("b-spend.xlsx"),
        &[(
            "Expenses",
            vec![
                vec![
                    Text("Campaign"),
                    Text("Item"),
                    Text("Price"),
                    Text("Qty"),
                    Text("Date"),
                ],
                vec![
                    Text("Spring launch"),
                    Text("Outdoor deposit"),
                    Text("kr 10 500,00"),
                    Empty,
                    Text("2026-04-02"),
                ],
                vec![
                    Text("Trade fair"),
                    Text("Booth"),
                    Number(1134.0),
                    Empty,
                    Date(2026, 3, 2),
                ],
                vec![
                    Text("Trade fair"),
                    Text("Hotel"),
                    Number(1234.565),
                    Empty,
                    Date(2026, 3, 14),
                ],
            ],
        )],
    );
    let config = "default_currency = \"NOK\"\n[fx.fixed]\n\"EUR/NOK\" = \"11.50\"\n";
    std::fs::write(dir.join("spendsheet.toml"), config).expect("config");
}

#[test]
fn split_workbooks_give_a_report_whose_figures_add_up_to_the_cent() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_split_workbooks(dir.path());
    let output = run(
        dir.path(),
        &[
            "report",
            ".",
            "-o",
            "report.xlsx",
            "--as-of",
            "2026-04-30",
            "--json",
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let report = read_report(&dir.path().join("report.xlsx"));
    assert_adds_up(&report);
    assert_json_matches_report(&json(&output), &report);
    assert_eq!(
        report.sheet_names,
        [
            "Summary",
            "Spring launch",
            "Trade fair",
            "Budget items",
            "Spend items",
            "FX rates",
            "Sources",
            "Issues"
        ]
    );
    let summary: Vec<Vec<String>> = report
        .summary()
        .into_iter()
        .map(|row| row[..6].to_vec())
        .collect();
    assert_eq!(
        summary,
        [
            [
                "Spring launch",
                "NOK",
                "39000.5",
                "10500",
                "28500.5",
                "0.26922731759849233"
            ],
            [
                "Trade fair",
                "EUR",
                "1134.86",
                "2368.56",
                "-1233.7",
                "2.0870944433674636"
            ],
        ]
    );

    let spring = report.sheet("Spring launch");
    assert_eq!(spring.labelled("Currency"), "NOK");
    assert_eq!(spring.labelled("Start"), "2026-03-01");
    assert_eq!(spring.labelled("Owner"), "Ingrid");
    assert_eq!(spring.labelled("Budget total"), "39000.5");
    assert_eq!(spring.labelled("Remaining budget"), "28500.5");
    assert!(
        spring.formula_beside("Budget total").starts_with("SUM(C"),
        "{}",
        spring.formula_beside("Budget total")
    );
    let header = spring.header_row(&[
        "Name",
        "Description",
        "Amount",
        "Original amount",
        "Original currency",
        "Rate",
    ]);
    assert_eq!(
        spring.table(header, 5),
        [
            ["Outdoor", "Bus shelters", "21000", "21000", "NOK"],
            ["Search", "=HYPERLINK(\"x\")", "18000.5", "18000.5", "NOK"],
        ]
    );
    assert_eq!(
        spring.get(header + 1, 6),
        "a-budget.xlsx, sheet 'Budget', row 2"
    );

    let fair = report.sheet("Trade fair");
    let header = fair.header_row(&["Name", "Description", "Amount"]);
    let budget: Vec<String> = fair
        .table(header, 3)
        .into_iter()
        .map(|row| row[2].clone())
        .collect();
    assert_eq!(budget, ["0.3", "1234.56", "-100"]);
    let spend_header = (header + 1..header + 20)
        .find(|row| fair.get(*row, 0) == "Name")
        .expect("spend table");
    let spend: Vec<String> = fair
        .table(spend_header, 3)
        .into_iter()
        .map(|row| row[2].clone())
        .collect();
    // 1234.565 rounds half to even.
    assert_eq!(spend, ["1134", "1234.56"]);

    let items = report.sheet("Budget items");
    assert_eq!(items.get(0, 0), "Campaign");
    assert_eq!(items.table(0, 4).len(), 5);

    let summary = json(&output);
    let expected = json!([
        {"name": "Spring launch", "currency": "NOK", "budget_total": "39000.50", "spend_total": "10500.00",
         "remaining_budget": "28500.50", "budget_items": 2, "spend_items": 1},
        {"name": "Trade fair", "currency": "EUR", "budget_total": "1134.86", "spend_total": "2368.56",
         "remaining_budget": "-1233.70", "budget_items": 3, "spend_items": 2},
    ]);
    assert_eq!(summary["campaigns"], expected);
    assert_eq!(summary["complete"], json!(true));
    assert_eq!(summary["report"], json!("report.xlsx"));
    // The report currency defaults to default_currency; the EUR campaign's
    // totals are converted at the fixed rate, each rounded once.
    assert_eq!(
        summary["totals"],
        json!({"currency": "NOK", "budget_total": "52051.39", "spend_total": "37738.44", "remaining_budget": "14312.95"})
    );
    let rows = report.summary();
    assert_eq!(rows[1][6..], ["13050.89", "27238.44", "-14187.55"]);
    let total = report.summary_total().expect("total row");
    assert_eq!(total[0], "Total (NOK)");
    assert_eq!(total[6..], ["52051.39", "37738.44", "14312.95"]);
}

#[test]
fn workbooks_made_by_libreoffice_are_read_through_their_saved_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = repo().join("tests/fixtures/libreoffice-calculated.ods");
    std::fs::copy(&fixture, dir.path().join("plan.ods")).expect("copy");
    let output = run(
        dir.path(),
        &["report", "plan.ods", "--as-of", "2026-10-01", "--json"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = json(&output);
    assert_eq!(
        summary["campaigns"],
        json!([{"name": "Autumn", "currency": "SEK", "budget_total": "303.00", "spend_total": "287.49",
                "remaining_budget": "15.51", "budget_items": 2, "spend_items": 2}])
    );
    let report = read_report(&dir.path().join("report.xlsx"));
    let autumn = report.sheet("Autumn");
    let header = autumn.header_row(&["Name", "Description", "Amount"]);
    assert_eq!(
        autumn.table(header, 3),
        [["Print", "Flyers", "3"], ["Radio", "Radio spots", "300"]]
    );
}

#[test]
fn the_bundled_samples_make_a_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let samples = repo().join("samples");
    let out = dir.path().join("report.xlsx");
    let output = run(
        &repo(),
        &[
            "report",
            samples.to_str().expect("path"),
            "-o",
            out.to_str().expect("path"),
            "--json",
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = json(&output);
    let names: Vec<&str> = summary["campaigns"]
        .as_array()
        .expect("campaigns")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["Spring launch", "Trade fair Hamburg", "Sommersalg"]);
    let report = read_report(&out);
    assert_adds_up(&report);
    assert_json_matches_report(&json(&output), &report);
    for row in report.summary() {
        let budget: rust_decimal::Decimal = row[2].parse().expect("budget");
        let spend: rust_decimal::Decimal = row[3].parse().expect("spend");
        let remaining: rust_decimal::Decimal = row[4].parse().expect("remaining");
        assert_eq!(budget - spend, remaining, "{row:?}");
    }
}

#[test]
fn a_report_among_the_inputs_is_skipped_not_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_split_workbooks(dir.path());
    let first = run(
        dir.path(),
        &[
            "report",
            ".",
            "-o",
            "report.xlsx",
            "--as-of",
            "2026-04-30",
            "--json",
        ],
    );
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let second = run(
        dir.path(),
        &[
            "report",
            ".",
            "-o",
            "report.xlsx",
            "--as-of",
            "2026-04-30",
            "--json",
        ],
    );
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    assert_eq!(json(&first)["campaigns"], json(&second)["campaigns"]);
    let report = read_report(&dir.path().join("report.xlsx"));
    let sources = report.sheet("Sources").table(0, 7);
    let own = sources
        .iter()
        .find(|row| row[0] == "report.xlsx")
        .expect("the earlier report is listed");
    assert_eq!(own[1], "spendsheet report");
    assert_eq!(own[6], "ignored: a report, not an input");
}

#[test]
fn a_campaign_name_merged_over_several_rows_names_each_of_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let campaigns = workbook.add_worksheet();
    campaigns.set_name("Campaigns").expect("name");
    campaigns.write_string(0, 0, "Campaign").expect("write");
    campaigns.write_string(0, 1, "Currency").expect("write");
    for (row, (name, currency)) in [("Summer", "NOK"), ("Winter", "NOK")].iter().enumerate() {
        campaigns
            .write_string(row as u32 + 1, 0, *name)
            .expect("write");
        campaigns
            .write_string(row as u32 + 1, 1, *currency)
            .expect("write");
    }
    let budget = workbook.add_worksheet();
    budget.set_name("Budget").expect("name");
    for (column, header) in ["Campaign", "Name", "Unit price"].iter().enumerate() {
        budget
            .write_string(0, column as u16, *header)
            .expect("write");
    }
    let plain = rust_xlsxwriter::Format::new();
    budget
        .merge_range(1, 0, 3, 0, "Summer", &plain)
        .expect("merge");
    budget.write_string(4, 0, "Winter").expect("write");
    for (row, (name, price)) in [
        ("Print", 100.0),
        ("Radio", 200.0),
        ("TV", 300.0),
        ("Web", 50.0),
    ]
    .iter()
    .enumerate()
    {
        budget
            .write_string(row as u32 + 1, 1, *name)
            .expect("write");
        budget
            .write_number(row as u32 + 1, 2, *price)
            .expect("write");
    }
    workbook.save(dir.path().join("plan.xlsx")).expect("save");

    let output = run(
        dir.path(),
        &["report", "plan.xlsx", "--json", "--as-of", "2026-04-30"],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let summary = json(&output);
    let totals: Vec<(&str, &str, u64)> = summary["campaigns"]
        .as_array()
        .expect("campaigns")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or(""),
                c["budget_total"].as_str().unwrap_or(""),
                c["budget_items"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(totals, [("Summer", "600.00", 3), ("Winter", "50.00", 1)]);
}
