//! The report as a finance team sees it, through the binary: the same bytes
//! from the same inputs, input text that looks like a formula kept as
//! text, Excel's limits on sheet names and cell lengths, and the parts
//! that make it a finished workbook (print setup, names, highlights, the
//! chart, document properties).

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const AS_OF: &str = "2026-04-30";

fn report_args(output: &str) -> Vec<&str> {
    vec!["report", "inputs", "-o", output, "--as-of", AS_OF]
}

/// A plan with two campaigns in two currencies, one overspent.
fn write_plan(dir: &Path) {
    std::fs::create_dir_all(dir).expect("inputs");
    write_xlsx(
        &dir.join("plan.xlsx"),
        &[
            (
                "Campaigns",
                vec![
                    vec![Text("Campaign"), Text("Currency"), Text("Owner")],
                    vec![Text("Spring"), Text("NOK"), Text("Ingrid")],
                    vec![Text("Fair"), Text("EUR")],
                ],
            ),
            (
                "Budget",
                vec![
                    vec![Text("Campaign"), Text("Name"), Text("Unit price")],
                    vec![Text("Spring"), Text("Outdoor"), Number(1000.0)],
                    vec![Text("Fair"), Text("Booth"), Number(100.0)],
                ],
            ),
            (
                "Spend",
                vec![
                    vec![Text("Campaign"), Text("Name"), Text("Unit price")],
                    vec![Text("Spring"), Text("Outdoor"), Number(400.0)],
                    vec![Text("Fair"), Text("Booth"), Number(150.5)],
                ],
            ),
        ],
    );
    let config = "report_currency = \"NOK\"\n[fx.fixed]\n\"EUR/NOK\" = \"11.50\"\n";
    std::fs::write(dir.join("spendsheet.toml"), config).expect("config");
}

#[test]
fn the_same_inputs_as_of_date_and_version_give_a_byte_identical_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_plan(&dir.path().join("inputs"));
    let first = run_at(dir.path(), &report_args("first.xlsx"), None);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    // A second later, so that any clock time inside would differ.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = run_at(dir.path(), &report_args("second.xlsx"), None);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let bytes = |name: &str| std::fs::read(dir.path().join(name)).expect("report");
    assert!(bytes("first.xlsx") == bytes("second.xlsx"));
    let core = xlsx_part(&dir.path().join("first.xlsx"), "docProps/core.xml");
    assert!(core.contains(">2026-04-30T00:00:00Z<"), "{core}");

    // SOURCE_DATE_EPOCH (1 January 2026) sets the creation time instead.
    for name in ["third.xlsx", "fourth.xlsx"] {
        let output = run_at(dir.path(), &report_args(name), Some("1767225600"));
        assert_eq!(code(&output), 0, "{}", stderr(&output));
    }
    assert!(bytes("third.xlsx") == bytes("fourth.xlsx"));
    let core = xlsx_part(&dir.path().join("third.xlsx"), "docProps/core.xml");
    assert!(core.contains(">2026-01-01T00:00:00Z<"), "{core}");
}

const FORMULA_LIKE: [&str; 4] = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "@SUM(A1)", "-2+3"];

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).expect("inputs");
    let [hyperlink, plus, at, minus] = FORMULA_LIKE;
    write_xlsx(
        &inputs.join("plan.xlsx"),
        &[
            (
                "Campaigns",
                vec![
                    vec![Text("Campaign"), Text("Currency")],
                    vec![Text(plus), Text("NOK")],
                ],
            ),
            (
                "Budget",
                vec![
                    vec![Text("Name"), Text("Description"), Text("Unit price")],
                    vec![Text(hyperlink), Text(plus), Number(10.0)],
                    vec![Text(at), Text(minus), Number(20.0)],
                ],
            ),
        ],
    );
    // Google Ads' layout; the last ad campaign is linked by name.
    let export = "Campaign report\n\"March 1, 2026 - March 31, 2026\"\nCampaign,Campaign ID,Currency code,Cost\n\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1,NOK,1.00\n@SUM(A1),2,NOK,2.00\n-2+3,3,NOK,3.00\n+1+2,4,NOK,4.00\n";
    std::fs::write(inputs.join("google.csv"), export).expect("export");
    let output = run(dir.path(), &report_args("report.xlsx"));
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let report = read_report(&dir.path().join("report.xlsx"));
    let campaign = report.sheet(plus);
    let header = campaign.header_row(&["Name", "Description", "Amount"]);
    let budget: Vec<Vec<String>> = campaign.table(header, 2);
    assert_eq!(budget, [[hyperlink, plus], [at, minus]]);
    let spend_header = campaign
        .header_row_after(header, &["Name", "Description", "Amount"])
        .expect("spend table");
    assert_eq!(campaign.get(spend_header + 1, 0), plus, "the linked ad row");

    let summary = report.sheet("Summary");
    let unassigned = summary.header_row(&["Platform", "Ad campaign", "Currency"]);
    let names: Vec<String> = summary
        .table(unassigned, 2)
        .into_iter()
        .filter(|row| row[0] == "google-ads")
        .map(|row| row[1].clone())
        .collect();
    assert_eq!(names, [hyperlink, at, minus]);
    assert_eq!(summary.get(header_of_summary(&report) + 1, 0), plus);

    for (name, sheet) in &report.sheets {
        for (cell, text) in &sheet.cells {
            if FORMULA_LIKE.contains(&text.as_str()) {
                assert!(
                    !sheet.formulas.contains_key(cell),
                    "{name} {cell:?} holds a formula, not the text {text}"
                );
            }
        }
    }
}

fn header_of_summary(report: &Report) -> u32 {
    report
        .sheet("Summary")
        .header_row(&["Campaign", "Currency", "Budget total"])
}

#[test]
fn campaign_sheet_names_keep_excel_rules_and_the_summary_refers_to_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).expect("inputs");
    let emoji = "😀".repeat(20);
    let wanted: Vec<(String, &str)> = vec![
        ("Summary".to_string(), "Summary (2)"),
        ("history".to_string(), "history (2)"),
        ("Budget items".to_string(), "Budget items (2)"),
        ("'Quoted'".to_string(), "Quoted"),
        ("A/B: test [1]?".to_string(), "A-B- test -1--"),
        (
            "A campaign name that is far too long for Excel".to_string(),
            "A campaign name that is far too",
        ),
        (
            "A campaign name that is far too long for Excel!".to_string(),
            "A campaign name that is far (2)",
        ),
        ("LAUNCH".to_string(), "LAUNCH"),
        ("launch".to_string(), "launch (2)"),
        ("O'Brien's".to_string(), "O'Brien's"),
        (emoji.clone(), "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"),
    ];
    let mut campaigns = vec![vec![Text("Campaign"), Text("Currency")]];
    let mut budget = vec![vec![Text("Campaign"), Text("Name"), Text("Unit price")]];
    for (index, (name, _)) in wanted.iter().enumerate() {
        campaigns.push(vec![In::Owned(name.clone()), Text("NOK")]);
        budget.push(vec![
            In::Owned(name.clone()),
            Text("Print"),
            Number(100.0 + index as f64),
        ]);
    }
    write_xlsx(
        &inputs.join("plan.xlsx"),
        &[("Campaigns", campaigns), ("Budget", budget)],
    );
    let output = run(dir.path(), &report_args("report.xlsx"));
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let report = read_report(&dir.path().join("report.xlsx"));
    let sheets: Vec<&str> = report.sheet_names[1..=wanted.len()]
        .iter()
        .map(String::as_str)
        .collect();
    let expected: Vec<&str> = wanted.iter().map(|(_, sheet)| *sheet).collect();
    assert_eq!(sheets, expected);
    let mut seen = std::collections::BTreeSet::new();
    for name in &report.sheet_names {
        assert!(name.encode_utf16().count() <= 31, "{name}");
        assert!(
            !name.contains(['[', ']', ':', '*', '?', '/', '\\']),
            "{name}"
        );
        assert!(!name.starts_with('\'') && !name.ends_with('\''), "{name}");
        assert!(seen.insert(name.to_lowercase()), "{name} is not unique");
        assert_ne!(name.to_lowercase(), "history");
    }

    assert_adds_up(&report);
    let summary = report.sheet("Summary");
    let first = header_of_summary(&report) + 1;
    for (index, sheet) in expected.iter().enumerate() {
        let row = first + index as u32;
        let quoted = format!("'{}'", sheet.replace('\'', "''"));
        assert_eq!(
            summary.formulas.get(&(row, 2)).map(String::as_str),
            Some(format!("{quoted}!B10").as_str()),
            "{sheet}"
        );
        assert_eq!(summary.get(row, 0), wanted[index].0, "the full name");
    }
}

fn issues_about(summary: &Value, sheet: &str) -> Vec<String> {
    summary["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter(|issue| issue["sheet"] == sheet)
        .map(|issue| issue["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn texts_longer_than_a_cell_are_shortened_with_a_warning_and_kept_whole_in_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_plan(&dir.path().join("inputs"));
    let unassigned = "u".repeat(40_000);
    let linked = format!("Spring {}", "s".repeat(40_000));
    let export = format!(
        "Campaign report\n\"March 1, 2026 - March 31, 2026\"\nCampaign,Campaign ID,Currency code,Cost\n{unassigned},1,NOK,1.00\n{linked},2,NOK,2.00\n"
    );
    std::fs::write(dir.path().join("inputs/google.csv"), export).expect("export");
    let config = "report_currency = \"NOK\"\n[fx.fixed]\n\"EUR/NOK\" = \"11.50\"\n\n[[link]]\ncampaign = \"Spring\"\nad_campaign = \"Spring s*\"\n";
    std::fs::write(dir.path().join("inputs/spendsheet.toml"), config).expect("config");
    let mut args = report_args("report.xlsx");
    args.push("--json");
    let output = run(dir.path(), &args);
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let summary = json(&output);
    assert_eq!(summary["unassigned"][0]["ad_campaign"], unassigned.as_str());
    let shortened = |message: &str| {
        message.starts_with("a text of 400")
            && message.contains(" characters is shortened to 32767")
    };
    for sheet in ["Summary", "Spring", "Spend items"] {
        let messages = issues_about(&summary, sheet);
        assert!(
            messages.iter().any(|m| shortened(m)),
            "{sheet}: {messages:?}"
        );
    }
    let linked_warning = issues_about(&summary, "Spring");
    assert!(
        linked_warning.iter().any(|m| m.contains("Spring', cell A")),
        "{linked_warning:?}"
    );

    let report = read_report(&dir.path().join("report.xlsx"));
    let cell = report
        .sheet("Summary")
        .cells
        .values()
        .find(|text| text.starts_with("uuu"))
        .expect("the unassigned ad campaign");
    assert_eq!(cell.len(), 32_767);
    let issues = report.sheet("Issues").table(0, 6);
    assert!(
        issues
            .iter()
            .any(|row| row[0] == "warning" && row[2] == "Spring" && shortened(&row[5])),
        "the Issues sheet lists the shortened cells"
    );
}

#[test]
fn the_report_prints_names_its_totals_and_highlights_overspending() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_plan(&dir.path().join("inputs"));
    let output = run(dir.path(), &report_args("report.xlsx"));
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let path = dir.path().join("report.xlsx");
    let report = read_report(&path);
    let total_row = header_of_summary(&report) + 3 + 1;

    let workbook = xlsx_part(&path, "xl/workbook.xml");
    for name in [
        format!("name=\"Total_budget\">Summary!$G${total_row}<"),
        format!("name=\"Total_spend\">Summary!$H${total_row}<"),
        format!("name=\"Total_remaining\">Summary!$I${total_row}<"),
        "name=\"As_of\">Summary!$B$2<".to_string(),
    ] {
        assert!(workbook.contains(&name), "{name} in {workbook}");
    }

    let summary = xlsx_part(&path, "xl/worksheets/sheet1.xml");
    let campaign = xlsx_part(&path, "xl/worksheets/sheet2.xml");
    let items = xlsx_part(&path, "xl/worksheets/sheet5.xml");
    for (what, sheet) in [
        ("Summary", &summary),
        ("campaign", &campaign),
        ("items", &items),
    ] {
        for part in [
            "<pageSetup paperSize=\"9\" fitToHeight=\"0\" orientation=\"landscape\"",
            "<pageSetUpPr fitToPage=\"1\"/>",
            "<oddHeader>&amp;LCampaign budget and spend&amp;C&amp;A&amp;Ras of 2026-04-30</oddHeader>",
            "<oddFooter>&amp;Lspendsheet ",
            "Page &amp;P of &amp;N</oddFooter>",
            "state=\"frozen\"",
        ] {
            assert!(sheet.contains(part), "{what}: {part}");
        }
    }
    for (what, sheet) in [("Summary", &summary), ("campaign", &campaign)] {
        assert!(
            sheet.contains("<cfRule type=\"cellIs\"") && sheet.contains("operator=\"lessThan\""),
            "{what} highlights a remaining budget below zero"
        );
    }
    assert!(summary.contains("<autoFilter ref=\"A7:I9\"/>"), "{summary}");
    assert!(items.contains("<autoFilter ref=\"A1:J3\"/>"), "{items}");
    assert!(summary.contains("<hyperlink ref=\"A8\" location=\"'Spring'!A1\""));

    let chart = xlsx_part(&path, "xl/charts/chart1.xml");
    assert!(chart.contains("<c:barDir val=\"col\"/>"));
    assert!(chart.contains("<c:f>Summary!$G$8:$G$9</c:f>"), "{chart}");
    assert!(chart.contains("<c:f>Summary!$H$8:$H$9</c:f>"));
    assert!(chart.contains("Budget and spend per campaign (NOK)"));
    // Fair spent 150.50 EUR of 100: its spend bar is red.
    assert!(
        chart.contains("<c:dPt><c:idx val=\"1\"/><c:spPr><a:solidFill><a:srgbClr val=\"C00000\"/>"),
        "{chart}"
    );
    assert!(
        !chart.contains("<c:dPt><c:idx val=\"0\"/>"),
        "Spring is within budget"
    );

    let core = xlsx_part(&path, "docProps/core.xml");
    assert!(core.contains("<dc:title>Campaign budget and spend as of 2026-04-30</dc:title>"));
    let custom = xlsx_part(&path, "docProps/custom.xml");
    for property in [
        "name=\"As of\"",
        "name=\"spendsheet version\"",
        "name=\"Complete\"",
    ] {
        assert!(custom.contains(property), "{property} in {custom}");
    }
    assert!(custom.contains(&format!(
        "<vt:lpwstr>{}</vt:lpwstr>",
        env!("CARGO_PKG_VERSION")
    )));
}

#[test]
fn many_campaigns_chart_the_largest_budgets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).expect("inputs");
    let names: Vec<String> = (1..=30).map(|i| format!("Campaign {i:02}")).collect();
    let mut campaigns = vec![vec![Text("Campaign"), Text("Currency")]];
    let mut budget = vec![vec![Text("Campaign"), Text("Name"), Text("Unit price")]];
    for (index, name) in names.iter().enumerate() {
        campaigns.push(vec![In::Owned(name.clone()), Text("NOK")]);
        // Budgets grow with the number, except that 07 is the largest.
        let amount = if index == 6 {
            1e6
        } else {
            1000.0 * (index + 1) as f64
        };
        budget.push(vec![In::Owned(name.clone()), Text("Print"), Number(amount)]);
    }
    write_xlsx(
        &inputs.join("plan.xlsx"),
        &[("Campaigns", campaigns), ("Budget", budget)],
    );
    let output = run(dir.path(), &report_args("report.xlsx"));
    assert_eq!(code(&output), 0, "{}", stderr(&output));

    let report = read_report(&dir.path().join("report.xlsx"));
    let summary = report.sheet("Summary");
    let header = header_of_summary(&report);
    let data_header = (header..header + 40)
        .find(|row| summary.get(*row, 10) == "Campaign")
        .expect("chart data beside the table");
    assert_eq!(
        summary.get(data_header - 1, 10),
        "Chart data: the 25 largest budgets (NOK)"
    );
    let charted: Vec<&str> = (data_header + 1..data_header + 27)
        .map(|row| summary.get(row, 10))
        .collect();
    assert_eq!(charted[..3], ["Campaign 07", "Campaign 30", "Campaign 29"]);
    assert_eq!(charted[24], "Campaign 06", "25 of them");
    assert_eq!(charted[25], "");
    let chart = xlsx_part(&dir.path().join("report.xlsx"), "xl/charts/chart1.xml");
    let first = data_header + 2;
    assert!(
        chart.contains(&format!("<c:f>Summary!$K${first}:$K${}</c:f>", first + 24)),
        "{chart}"
    );
}

#[test]
fn an_incomplete_report_says_so_first_on_screen_in_print_and_in_its_properties() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    write_plan(&inputs);
    std::fs::write(
        inputs.join("rates.csv"),
        "Date,From,To,Rate\nyesterday,EUR,NOK,11\n",
    )
    .expect("bad rates");
    let output = run(
        dir.path(),
        &[
            "report",
            "inputs",
            "-o",
            "report.xlsx",
            "--as-of",
            AS_OF,
            "--keep-going",
        ],
    );
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let path = dir.path().join("report.xlsx");
    let report = read_report(&path);
    let first = report.sheet("Summary").get(0, 0).to_string();
    assert!(first.starts_with("INCOMPLETE REPORT: 1 error"), "{first}");
    assert_eq!(
        report.sheet("Summary").labelled("Status"),
        "Incomplete: inputs with errors are left out (see the Issues sheet)"
    );

    let summary = xlsx_part(&path, "xl/worksheets/sheet1.xml");
    assert!(summary.contains("<mergeCell ref=\"A1:I1\"/>"), "{summary}");
    assert!(
        summary.contains("<tabColor rgb=\"FFC00000\"/>"),
        "{summary}"
    );
    let campaign = xlsx_part(&path, "xl/worksheets/sheet2.xml");
    assert!(campaign.contains("&amp;CINCOMPLETE REPORT: see the Summary&amp;R"));
    let core = xlsx_part(&path, "docProps/core.xml");
    assert!(
        core.contains("<cp:contentStatus>Incomplete</cp:contentStatus>"),
        "{core}"
    );
    let custom = xlsx_part(&path, "docProps/custom.xml");
    assert!(custom.contains("<vt:bool>false</vt:bool>"), "{custom}");
}
