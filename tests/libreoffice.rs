//! A real spreadsheet program recalculates the report. LibreOffice opens it
//! headless, with a throwaway profile that recalculates every formula on
//! load, and writes each sheet as CSV; every formula cell's recalculated
//! value must equal the result saved in the file, which is what programs
//! that do not recalculate show.
//!
//! The inputs exercise every kind of formula the report writes: campaign
//! totals (also of an empty table), references to campaign sheets whose
//! names need quoting, remaining budgets, spent shares (also with no
//! budget), report-currency totals and the unassigned spend per currency.
//!
//! Without LibreOffice (`soffice`) the test says so and passes; `.ci/run`
//! installs it.

mod common;

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::*;

/// A conversion that takes longer has hung.
const TIMEOUT: Duration = Duration::from_secs(180);

/// The profile setting that makes LibreOffice recalculate an .xlsx on load
/// (0: always), rather than trust the saved results.
const RECALCULATE_ALWAYS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#;

/// Every sheet as CSV (`-1`), comma-separated, UTF-8, raw values rather
/// than formatted ones.
const CSV_FILTER: &str =
    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";

fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| [dir.join("soffice"), dir.join("libreoffice")])
        .find(|candidate| candidate.is_file())
}

const GOOGLE_ADS: &str = "Campaign report
\"March 1, 2026 - March 31, 2026\"
Campaign,Campaign ID,Currency code,Cost
Spring launch,111,NOK,\"1,200.50\"
Brand - Search,222,USD,300.00
Brand - Display,333,EUR,45.10
Retargeting,444,USD,12.34
";

fn campaign(name: &'static str, currency: &'static str) -> Vec<In> {
    vec![Text(name), Text(currency)]
}

fn item(campaign: &'static str, name: &'static str, price: f64, currency: &'static str) -> Vec<In> {
    vec![
        Text(campaign),
        Text(name),
        Number(price),
        Text(currency),
        Date(2026, 3, 16),
    ]
}

/// Campaigns in four currencies (JPY without minor units, KWD with
/// three), names that need quoting or renaming, an empty campaign, an
/// overspent one, an ad campaign linked by name and unassigned spend in
/// two currencies.
fn write_inputs(dir: &Path) {
    let headers = || {
        vec![
            Text("Campaign"),
            Text("Name"),
            Text("Unit price"),
            Text("Currency"),
            Text("Date"),
        ]
    };
    write_xlsx(
        &dir.join("plan.xlsx"),
        &[
            (
                "Campaigns",
                vec![
                    vec![Text("Campaign"), Text("Currency")],
                    campaign("Spring launch", "NOK"),
                    campaign("O'Brien's fair", "EUR"),
                    campaign("Summary", "NOK"),
                    campaign("Q1/Q2: [test]", "NOK"),
                    campaign("A campaign name far too long for a sheet", "JPY"),
                    campaign("Dinar push", "KWD"),
                    campaign("Nothing yet", "NOK"),
                    campaign("Overspent", "EUR"),
                ],
            ),
            (
                "Budget",
                vec![
                    headers(),
                    item("Spring launch", "Outdoor", 50400.0, "NOK"),
                    item("Spring launch", "Search", 1000.0, "EUR"),
                    item("O'Brien's fair", "Booth", 0.1, "EUR"),
                    item("O'Brien's fair", "Hotel", 2000.0, "NOK"),
                    item("Summary", "Print", 333.33, "NOK"),
                    item("Q1/Q2: [test]", "Radio", 12000.0, "NOK"),
                    item(
                        "A campaign name far too long for a sheet",
                        "TV",
                        1234.5,
                        "EUR",
                    ),
                    item("Dinar push", "Billboards", 1234.567, "KWD"),
                    item("Dinar push", "Travel", 99.99, "EUR"),
                    item("Overspent", "Flyers", 100.0, "EUR"),
                ],
            ),
            (
                "Spend",
                vec![
                    headers(),
                    item("Spring launch", "Outdoor", 25000.0, "NOK"),
                    item("O'Brien's fair", "Booth", 0.2, "EUR"),
                    item("Summary", "Print", 111.11, "NOK"),
                    item(
                        "A campaign name far too long for a sheet",
                        "TV",
                        99.0,
                        "EUR",
                    ),
                    item("Dinar push", "Billboards", 500.5, "KWD"),
                    item("Overspent", "Flyers", 150.0, "EUR"),
                    item("Overspent", "Reprint", 33.33, "NOK"),
                ],
            ),
        ],
    );
    std::fs::write(dir.join("google.csv"), GOOGLE_ADS).expect("export");
    let config = "report_currency = \"EUR\"

[fx.fixed]
\"NOK/EUR\" = \"0.0871\"
\"JPY/EUR\" = \"0.00613\"
\"KWD/EUR\" = \"2.9817\"
\"USD/EUR\" = \"0.9213\"
";
    std::fs::write(dir.join("spendsheet.toml"), config).expect("config");
}

/// A workbook whose one formula has a wrong saved result: if LibreOffice
/// shows the right one, it did recalculate.
fn write_canary(path: &Path) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_number(0, 0, 2.0).expect("write");
    sheet
        .write_formula(0, 1, rust_xlsxwriter::Formula::new("A1*3").set_result("5"))
        .expect("write");
    workbook.save(path).expect("save");
}

/// Runs LibreOffice on `files`, writing CSVs into `out`; kills it (and
/// what it started) if it hangs.
fn convert(soffice: &Path, dir: &Path, files: &[&Path], out: &Path) {
    use std::os::unix::process::CommandExt;

    let profile = dir.join("profile");
    std::fs::create_dir_all(profile.join("user")).expect("profile");
    std::fs::write(
        profile.join("user/registrymodifications.xcu"),
        RECALCULATE_ALWAYS,
    )
    .expect("profile settings");
    let log = dir.join("soffice.log");
    let mut child = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            CSV_FILTER,
            "--outdir",
        ])
        .arg(out)
        .args(files)
        .stdin(Stdio::null())
        .stdout(File::create(&log).expect("log"))
        .stderr(File::create(dir.join("soffice.err")).expect("log"))
        .process_group(0)
        .spawn()
        .expect("soffice starts");
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("soffice runs") {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            assert!(status.success(), "soffice failed ({status}): {log}");
            return;
        }
        if started.elapsed() > TIMEOUT {
            if let Some(group) = rustix::process::Pid::from_raw(child.id() as i32) {
                let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
            }
            let _ = child.wait();
            panic!("soffice did not finish in {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A CSV file as a grid of texts.
fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    reader
        .records()
        .map(|record| {
            record
                .expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// A recalculated CSV value as a number: percentages are written with
/// their sign even as raw values.
fn csv_number(text: &str) -> Option<f64> {
    match text.strip_suffix('%') {
        Some(percent) => percent.parse::<f64>().ok().map(|value| value / 100.0),
        None => text.parse().ok(),
    }
}

/// Whether the recalculated text shows the saved value: numbers to 12
/// significant digits (CSV carries 15), text exactly.
fn same(saved: &Data, recalculated: &str) -> bool {
    match saved {
        Data::Float(value) => csv_number(recalculated)
            .is_some_and(|number| (number - value).abs() <= 1e-12 * value.abs().max(1.0)),
        Data::String(text) => text == recalculated,
        Data::Empty => recalculated.is_empty(),
        other => cell_text(other) == recalculated,
    }
}

#[test]
fn libreoffice_recalculates_every_formula_to_its_saved_result() {
    let Some(soffice) = soffice() else {
        eprintln!(
            "skipped: LibreOffice (soffice) is not installed, so the report cannot be recalculated by a real spreadsheet program; .ci/run installs libreoffice-calc-nogui"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).expect("inputs");
    write_inputs(&inputs);
    let report = dir.path().join("report.xlsx");
    let output = run(
        dir.path(),
        &[
            "report",
            "inputs",
            "-o",
            "report.xlsx",
            "--as-of",
            "2026-04-30",
        ],
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let canary = dir.path().join("canary.xlsx");
    write_canary(&canary);

    let out = dir.path().join("csv");
    convert(&soffice, dir.path(), &[&report, &canary], &out);
    let canary_csv = read_csv(&out.join("canary-Sheet1.csv"));
    assert_eq!(
        canary_csv[0],
        ["2", "6"],
        "LibreOffice recalculated on load"
    );

    let checked = compare_formulas(&report, &out);
    let kinds: BTreeMap<&str, usize> = ["SUM(", "SUMIF(", "IF(", "'!", "-"]
        .iter()
        .map(|kind| (*kind, checked.iter().filter(|f| f.contains(kind)).count()))
        .collect();
    assert!(
        kinds.values().all(|count| *count > 0),
        "every kind of formula is checked: {kinds:?}"
    );
    assert!(checked.len() > 60, "{} formulas checked", checked.len());
    eprintln!(
        "LibreOffice recalculated {} formulas to their saved results",
        checked.len()
    );
}

/// Compares every formula cell of the report with LibreOffice's CSV of
/// its sheet; returns the formulas checked.
fn compare_formulas(report: &Path, out: &Path) -> Vec<String> {
    let mut workbook: Xlsx<_> = open_workbook(report).expect("report opens");
    let mut checked = Vec::new();
    let mut wrong = Vec::new();
    for sheet in workbook.sheet_names() {
        let values = workbook.worksheet_range(&sheet).expect("values");
        let formulas = workbook.worksheet_formula(&sheet).expect("formulas");
        let csv = read_csv(&out.join(format!("report-{sheet}.csv")));
        let (row0, column0) = formulas.start().unwrap_or((0, 0));
        for (r, c, formula) in formulas.used_cells() {
            if formula.is_empty() {
                continue;
            }
            let (row, column) = (r as u32 + row0, c as u32 + column0);
            let saved = values.get_value((row, column)).unwrap_or(&Data::Empty);
            let recalculated = csv
                .get(row as usize)
                .and_then(|cells| cells.get(column as usize))
                .map(String::as_str)
                .unwrap_or("");
            if !same(saved, recalculated) {
                wrong.push(format!(
                    "{sheet}!R{}C{}: ={formula} saved {saved:?}, LibreOffice {recalculated:?}",
                    row + 1,
                    column + 1
                ));
            }
            checked.push(formula.clone());
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    checked
}
