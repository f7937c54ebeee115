//! Ad-platform exports read through their profiles: the genuine Google Ads
//! files of shared/data/real, the worked example's exports, and exports
//! written here with each platform's quirks.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use spendsheet::input::export::{
    AdCampaignSpend, AdExport, read_export, read_export_cells, recognise, recognise_cells,
};
use spendsheet::input::profile::{BudgetKind, Profile, built_in_profiles};
use spendsheet::input::text::sniff_text;
use spendsheet::issue::{Issues, Severity};
use spendsheet::money::Currency;

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path)
}

fn profiles() -> Vec<Profile> {
    built_in_profiles().expect("built-in profiles are valid")
}

fn day(text: &str) -> NaiveDate {
    text.parse().expect("an ISO date")
}

fn currency(code: &str) -> Currency {
    Currency::from_code(code).expect("an ISO 4217 code")
}

/// What reading a file gave: the profile that recognised it, the export
/// and the issues.
struct Read {
    profile: String,
    export: Option<AdExport>,
    issues: Issues,
}

impl Read {
    fn export(&self) -> &AdExport {
        self.export
            .as_ref()
            .unwrap_or_else(|| panic!("no export: {:?}", self.issues))
    }

    fn clean(&self) -> &AdExport {
        assert!(self.issues.is_empty(), "{:?}", self.issues);
        self.export()
    }

    fn messages(&self, severity: Severity) -> Vec<String> {
        self.issues
            .iter()
            .filter(|issue| issue.severity == severity)
            .map(|issue| issue.to_string())
            .collect()
    }

    fn ad_campaign(&self, name: &str) -> &AdCampaignSpend {
        self.export()
            .ad_campaigns
            .iter()
            .find(|ad| ad.name == name)
            .unwrap_or_else(|| panic!("no ad campaign '{name}'"))
    }
}

/// Recognises and reads the export at `path`, as the pipeline would.
fn read_with(path: &Path, platform_currency: Option<Currency>) -> Read {
    let profiles = profiles();
    let head = sniff_text(path).expect("text");
    let found = recognise(&head.lines, &profiles)
        .unwrap_or_else(|| panic!("{} is not recognised", path.display()));
    let name = path.file_name().and_then(|n| n.to_str()).expect("name");
    let mut issues = Issues::default();
    let export = read_export(path, name, found.profile, platform_currency, &mut issues);
    Read {
        profile: found.profile.id.clone(),
        export,
        issues,
    }
}

fn read(path: &Path) -> Read {
    read_with(path, None)
}

/// Writes `bytes` to a file named `name` in a new temporary folder.
fn write(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write");
    (dir, path)
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    bytes
}

fn sum(ads: &[AdCampaignSpend]) -> Decimal {
    ads.iter().map(|ad| ad.total().expect("no overflow")).sum()
}

// ---------------------------------------------------------------------
// Genuine Google Ads files

#[test]
fn intragoinc_report_has_twelve_campaigns_matching_its_footer() {
    let read = read(&shared("data/real/google_campaign_report_intragoinc.csv"));
    assert_eq!(read.profile, "google-ads");
    let export = read.clean();
    assert_eq!(export.ad_campaigns.len(), 12);
    assert_eq!(sum(&export.ad_campaigns), dec!(199421.15));
    assert!(
        export
            .ad_campaigns
            .iter()
            .all(|ad| ad.currency == currency("USD"))
    );
    assert!(
        export
            .ad_campaigns
            .iter()
            .all(|ad| ad.has_undated && ad.dated.is_empty())
    );
    assert!(
        export
            .ad_campaigns
            .iter()
            .all(|ad| !ad.name.starts_with("Total")),
        "footers are not ad campaigns"
    );
    // "All time": no period, and nothing the undated spend is known to cover.
    assert_eq!(export.period, None);
    assert!(!export.period_from_title);
    assert!(export.ad_campaigns.iter().all(|ad| ad.covers.is_empty()));
    assert_eq!((export.rows_read, export.rows_used), (17, 12));

    let deck = read.ad_campaign("Deck, siding & other_Mobile_RSL");
    assert_eq!(deck.undated, dec!(7298.62));
    assert_eq!(deck.first_line, 6);
    let budget = deck.budget.as_ref().expect("a budget");
    assert_eq!(
        (budget.amount, budget.kind),
        (dec!(3.00), BudgetKind::Daily)
    );
    let total = read.ad_campaign("Bay Area Residential Siding");
    let budget = total.budget.as_ref().expect("a budget");
    assert_eq!(budget.kind, BudgetKind::Lifetime);
    assert_eq!(budget.type_text, "Campaign Total");
    assert_eq!(
        read.ad_campaign("Bay Area Residential Deck- 11th Jan")
            .undated,
        dec!(0.00)
    );
}

#[test]
fn clinic_report_keeps_greek_names_in_eur() {
    let read = read(&shared("data/real/google_campaign_report_clinic_EUR.csv"));
    let export = read.clean();
    let names: Vec<&str> = export
        .ad_campaigns
        .iter()
        .map(|ad| ad.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["i-smile.gr", "dentplant.gr", "Οδοντικά Εμφυτεύματα Αθήνα"]
    );
    assert!(
        export
            .ad_campaigns
            .iter()
            .all(|ad| ad.currency == currency("EUR"))
    );
    assert_eq!(export.period, Some((day("2026-03-27"), day("2026-04-23"))));
    assert!(export.period_from_title);
    let ad = &export.ad_campaigns[2];
    assert_eq!(ad.covers, [(day("2026-03-27"), day("2026-04-23"))]);
    assert_eq!(
        ad.budget.as_ref().map(|b| b.date),
        Some(Some(day("2026-04-23")))
    );
}

#[test]
fn vishal_report_in_inr_takes_its_period_from_the_title_line() {
    let read = read(&shared(
        "data/real/google_campaign_report_VishalMotling.csv",
    ));
    // Its footer says 2565.92 where the rows add up to 2565.93: Google adds
    // up unrounded costs. A difference within the rounding of the rows is
    // no warning.
    let export = read.clean();
    assert_eq!(export.period, Some((day("2025-07-08"), day("2025-07-31"))));
    assert_eq!(export.ad_campaigns.len(), 2);
    assert_eq!(sum(&export.ad_campaigns), dec!(2565.93));
    let video = read.ad_campaign("Video views - 2025-07-19");
    assert_eq!(video.currency, currency("INR"));
    assert_eq!(video.undated, dec!(1661.67));
    let budget = video.budget.as_ref().expect("budget");
    assert_eq!(
        (budget.amount, budget.kind),
        (dec!(5000.00), BudgetKind::Lifetime)
    );
}

#[test]
fn google_ads_editor_export_is_decoded_but_has_no_spend_to_read() {
    // The Editor export lists campaigns with their budgets, not what they
    // spent: with no spend column, no profile recognises it.
    let path = shared("data/real/google_ads_editor_campaign_utf16.csv");
    let head = sniff_text(&path).expect("UTF-16 text");
    assert_eq!(head.delimiter(), b'\t');
    let header: Vec<&str> = head.lines[0].split('\t').collect();
    assert_eq!(
        &header[..6],
        [
            "Campaign",
            "Labels",
            "Campaign Type",
            "Networks",
            "Budget",
            "Budget type"
        ]
    );
    assert!(head.lines[2].starts_with("\"Deck, siding & other_Mobile_RSL\"\t"));
    assert!(recognise(&head.lines, &profiles()).is_none());

    let mut issues = Issues::default();
    let google = &profiles()[0];
    let export = read_export(&path, "editor.csv", google, None, &mut issues);
    assert!(export.is_none());
    let message = issues.iter().next().expect("an error").to_string();
    assert!(message.contains("'Campaign' and 'Cost'"), "{message}");
}

// ---------------------------------------------------------------------
// The worked example

#[test]
fn example_google_report_has_title_lines_and_a_matching_footer() {
    let read = read(&shared("examples/ad-exports/inputs/Campaign report.csv"));
    let export = read.clean();
    assert_eq!(export.period, Some((day("2026-03-01"), day("2026-03-31"))));
    let launch = read.ad_campaign("Launch | Search");
    assert_eq!(
        (launch.undated, launch.currency),
        (dec!(699.30), currency("USD"))
    );
    assert_eq!(launch.budget.as_ref().map(|b| b.amount), Some(dec!(25.00)));
    assert_eq!(read.ad_campaign("Other | Brand").undated, dec!(41.10));
}

#[test]
fn example_meta_export_dates_rows_by_their_own_periods() {
    let read = read(&shared("examples/ad-exports/inputs/meta.csv"));
    assert_eq!(read.profile, "meta-ads");
    let export = read.clean();
    assert_eq!(export.period, Some((day("2026-03-09"), day("2026-03-16"))));
    assert!(!export.period_from_title);
    let video = read.ad_campaign("LAUNCH_Video");
    assert_eq!(video.currency, currency("EUR"));
    assert_eq!(
        video
            .dated
            .iter()
            .map(|(d, a)| (*d, *a))
            .collect::<Vec<_>>(),
        [
            (day("2026-03-09"), dec!(310.00)),
            (day("2026-03-14"), dec!(205.50))
        ]
    );
    assert!(!video.has_undated);
    assert_eq!(
        read.ad_campaign("LAUNCH_Stories").total(),
        Some(dec!(99.99))
    );
}

// ---------------------------------------------------------------------
// Google Ads, written here

#[test]
fn google_excel_csv_in_utf16_with_tabs_and_days() {
    let text = "Campaign report\r\n\
                \"March 1, 2026 - March 3, 2026\"\r\n\
                Day\tCampaign\tCampaign ID\tBudget\tBudget type\tCurrency code\tCost\tCTR\r\n\
                2026-03-01\tBrand\t111\t50.00\tDaily\tNOK\t\"1,200.50\"\t< 10%\r\n\
                2026-03-02\tBrand\t111\t60.00\tDaily\tNOK\t800.00\t12.5%\r\n\
                2026-03-01\tGeneric\t222\t --\t --\tNOK\t --\t --\r\n\
                2026-03-03\tGeneric\t222\t900.00\tCampaign Total\tNOK\t10.05\t1.2%\r\n\
                Total: Campaigns\t --\t --\t --\t --\tNOK\t2010.55\t --\r\n\
                Total: Account\t\t\t\t\tNOK\t2100.00\t\r\n";
    let (_dir, path) = write("Campaign report.csv", &utf16le_with_bom(text));
    let read = read(&path);
    assert_eq!(read.profile, "google-ads");
    let export = read.clean();
    assert_eq!(export.period, Some((day("2026-03-01"), day("2026-03-03"))));
    let brand = read.ad_campaign("Brand");
    assert_eq!(brand.id.as_deref(), Some("111"));
    assert_eq!(brand.currency, currency("NOK"));
    assert_eq!(brand.dated.get(&day("2026-03-01")), Some(&dec!(1200.50)));
    assert_eq!(brand.dated.get(&day("2026-03-02")), Some(&dec!(800.00)));
    assert_eq!(brand.covers, [(day("2026-03-01"), day("2026-03-02"))]);
    let budget = brand.budget.as_ref().expect("budget");
    assert_eq!(
        (budget.amount, budget.kind),
        (dec!(60.00), BudgetKind::Daily)
    );
    assert_eq!(budget.date, Some(day("2026-03-02")));
    let generic = read.ad_campaign("Generic");
    assert_eq!(generic.dated.len(), 1);
    assert_eq!(generic.covers, [(day("2026-03-03"), day("2026-03-03"))]);
    assert_eq!(
        generic.budget.as_ref().map(|b| b.kind),
        Some(BudgetKind::Lifetime)
    );
    assert_eq!((export.rows_read, export.rows_used), (6, 3));
}

#[test]
fn a_footer_total_that_differs_is_a_warning_with_both_figures() {
    let text = "Campaign,Currency code,Cost\n\
                A,USD,10.00\n\
                B,USD,\"1,000.00\"\n\
                Total: Campaigns,USD,\"1,010.50\"\n";
    let (_dir, path) = write("report.csv", text.as_bytes());
    let read = read(&path);
    assert_eq!(sum(&read.export().ad_campaigns), dec!(1010.00));
    let warnings = read.messages(Severity::Warning);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("report.csv, line 4, column 'Cost'"),
        "{}",
        warnings[0]
    );
    assert!(warnings[0].contains("1010.50 USD") && warnings[0].contains("1010.00 USD"));
    assert!(read.messages(Severity::Error).is_empty());
}

#[test]
fn semicolons_with_decimal_commas_are_read() {
    let text = "Kampagnenbericht\n\
                Campaign;Currency code;Cost;Budget;Budget type\n\
                Sommer;EUR;1.234,56;50,00;Daily\n\
                Winter;EUR;2,5;1.000;Campaign Total\n";
    let (_dir, path) = write("bericht.csv", text.as_bytes());
    let read = read(&path);
    let export = read.clean();
    assert_eq!(export.ad_campaigns[0].undated, dec!(1234.56));
    assert_eq!(export.ad_campaigns[1].undated, dec!(2.5));
    // With decimal commas, the budget 1.000 is a thousand.
    assert_eq!(
        export.ad_campaigns[1].budget.as_ref().map(|b| b.amount),
        Some(dec!(1000))
    );
}

#[test]
fn an_export_saved_by_excel_in_windows_1252_is_read() {
    let bytes = b"Campaign,Currency code,Cost\nCaf\xe9 \x96 Sommer,EUR,\"1,234.50\"\n";
    let (_dir, path) = write("excel.csv", bytes);
    let read = read(&path);
    assert_eq!(read.ad_campaign("Café – Sommer").undated, dec!(1234.50));
}

#[test]
fn bytes_that_are_not_utf8_after_the_first_kilobytes_are_an_error_at_their_cell() {
    let mut bytes = b"Campaign,Currency code,Cost\n".to_vec();
    for row in 0..5000 {
        bytes.extend(format!("Campaign {row},USD,1.00\n").as_bytes());
    }
    bytes.extend(b"Caf\xe9,USD,2.00\n");
    let (_dir, path) = write("late.csv", &bytes);
    let read = read(&path);
    let errors = read.messages(Severity::Error);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("line 5002, column 'Campaign'"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("not UTF-8"), "{}", errors[0]);
    assert_eq!(read.export().ad_campaigns.len(), 5000);
}

// ---------------------------------------------------------------------
// Meta

#[test]
fn meta_export_with_bom_per_day_and_the_currency_in_the_header() {
    let text = "\u{feff}Campaign name,Campaign ID,Day,Ad set budget,Ad set budget type,\
                Amount spent (SEK),Results\n\
                Vår,9001,2026-04-01,Using campaign budget,Daily,100.00,3\n\
                Vår,9001,2026-04-02,500,Lifetime,-20.00,\n\
                Höst,9002,2026-04-02,75.5,Daily,\"1,075.25\",1\n";
    let (_dir, path) = write("meta.csv", text.as_bytes());
    let read = read(&path);
    assert_eq!(read.profile, "meta-ads");
    let export = read.clean();
    let spring = read.ad_campaign("Vår");
    assert_eq!(spring.currency, currency("SEK"));
    // A refund is spend too: negative amounts are kept.
    assert_eq!(spring.total(), Some(dec!(80.00)));
    let budget = spring.budget.as_ref().expect("budget");
    assert_eq!(
        (budget.amount, budget.kind),
        (dec!(500), BudgetKind::Lifetime)
    );
    assert_eq!(read.ad_campaign("Höst").total(), Some(dec!(1075.25)));
    assert_eq!(export.period, Some((day("2026-04-01"), day("2026-04-02"))));
}

#[test]
fn meta_export_with_a_currency_column_and_reporting_periods() {
    let text = "Reporting starts,Reporting ends,Campaign name,Currency,Amount spent\n\
                2026-03-01,2026-03-15,Spring,NOK,1500\n\
                2026-03-16,2026-03-31,Spring,NOK,2500.50\n\
                2026-03-10,2026-03-12,Other,NOK,\n";
    let (_dir, path) = write("meta.csv", text.as_bytes());
    let read = read(&path);
    let spring = read.ad_campaign("Spring");
    assert_eq!(spring.currency, currency("NOK"));
    assert_eq!(spring.dated.get(&day("2026-03-15")), Some(&dec!(1500)));
    assert_eq!(spring.dated.get(&day("2026-03-31")), Some(&dec!(2500.50)));
    assert_eq!(spring.covers, [(day("2026-03-01"), day("2026-03-31"))]);
    let other = read.ad_campaign("Other");
    assert!(other.dated.is_empty() && other.covers.is_empty());
    assert_eq!(
        read.clean().period,
        Some((day("2026-03-01"), day("2026-03-31")))
    );
}

#[test]
fn a_currency_in_a_column_must_agree_with_the_spend_header() {
    let text = "Campaign name,Currency,Amount spent (EUR)\nA,USD,1.00\n";
    let (_dir, path) = write("meta.csv", text.as_bytes());
    let read = read(&path);
    let errors = read.messages(Severity::Error);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("line 2, column 'Currency'"),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("USD") && errors[0].contains("EUR"));
}

// ---------------------------------------------------------------------
// LinkedIn

#[test]
fn linkedin_export_with_report_start_and_end_title_lines() {
    let text = "Campaign Performance Report (in UTC)\n\
                \"Report Start: 09/01/2026, Report End: 09/30/2026\"\n\
                Account Name,Campaign Name,Campaign ID,Currency,Total Budget,Daily Budget,\
                Total Spent,Impressions\n\
                Acme,Fall B2B,501,USD,\"5,000.00\",100.00,\"1,234.50\",\"10,000\"\n\
                Acme,Fall Retarget,502,USD,,25.00,99.95,800\n";
    let (_dir, path) = write("linkedin.csv", text.as_bytes());
    let read = read(&path);
    assert_eq!(read.profile, "linkedin-ads");
    let export = read.clean();
    let period = (day("2026-09-01"), day("2026-09-30"));
    assert_eq!(export.period, Some(period));
    assert!(export.period_from_title);
    let fall = read.ad_campaign("Fall B2B");
    assert_eq!(fall.undated, dec!(1234.50));
    assert_eq!(fall.covers, [period]);
    // A lifetime budget caps a daily one: it is the one taken.
    let budget = fall.budget.as_ref().expect("budget");
    assert_eq!(
        (budget.amount, budget.kind),
        (dec!(5000.00), BudgetKind::Lifetime)
    );
    assert_eq!(budget.type_text, "Total Budget");
    assert_eq!(budget.date, Some(day("2026-09-30")));
    let retarget = read
        .ad_campaign("Fall Retarget")
        .budget
        .as_ref()
        .expect("budget");
    assert_eq!(
        (retarget.amount, retarget.kind),
        (dec!(25.00), BudgetKind::Daily)
    );
}

#[test]
fn linkedin_daily_rows_have_us_dates() {
    let text = "Start Date (in UTC),Campaign Name,Campaign ID,Currency,Total Spent\n\
                9/1/2026,Fall,501,GBP,10.00\n\
                9/2/2026,Fall,501,GBP,12.00\n\
                12/31/2026,Fall,501,GBP,1.00\n";
    let (_dir, path) = write("linkedin.csv", text.as_bytes());
    let read = read(&path);
    let fall = read.ad_campaign("Fall");
    assert_eq!(fall.currency, currency("GBP"));
    let days: Vec<NaiveDate> = fall.dated.keys().copied().collect();
    assert_eq!(
        days,
        [day("2026-09-01"), day("2026-09-02"), day("2026-12-31")]
    );
    assert_eq!(
        fall.covers,
        [
            (day("2026-09-01"), day("2026-09-02")),
            (day("2026-12-31"), day("2026-12-31"))
        ]
    );
}

// ---------------------------------------------------------------------
// Microsoft Advertising

#[test]
fn microsoft_report_with_its_title_block_and_copyright_footer() {
    let text = "\"Report Name: Campaign performance\"\r\n\
                \"Report Time: 9/1/2026,9/2/2026\"\r\n\
                \"Time Zone: (GMT-08:00) Pacific Time (US & Canada); Tijuana\"\r\n\
                \"Last Completed Available Day: 9/3/2026 4:35:00 AM (GMT-08:00)\"\r\n\
                \"Report Aggregation: Daily\"\r\n\
                \"Rows: 3\"\r\n\
                \r\n\
                \"Gregorian date\",\"Campaign name\",\"Campaign ID\",\"Currency code\",\
                \"Budget\",\"Spend\",\"Clicks\"\r\n\
                \"9/1/2026\",\"Search - Brand\",\"7001\",\"USD\",\"20.00\",\"15.10\",\"4\"\r\n\
                \"9/2/2026\",\"Search - Brand\",\"7001\",\"USD\",\"20.00\",\"19.90\",\"7\"\r\n\
                \"9/2/2026\",\"Search - Generic\",\"7002\",\"USD\",\"10.00\",\"0.00\",\"0\"\r\n\
                \"Total\",\"\",\"\",\"\",\"\",\"35.00\",\"11\"\r\n\
                \"©2026 Microsoft Corporation. All rights reserved. \"\r\n";
    let (_dir, path) = write("microsoft.csv", text.as_bytes());
    let read = read(&path);
    assert_eq!(read.profile, "microsoft-ads");
    let export = read.clean();
    assert_eq!(export.period, Some((day("2026-09-01"), day("2026-09-02"))));
    assert!(export.period_from_title);
    assert_eq!(export.ad_campaigns.len(), 2);
    let brand = read.ad_campaign("Search - Brand");
    assert_eq!(brand.total(), Some(dec!(35.00)));
    assert_eq!(brand.first_line, 9);
    assert_eq!(
        brand.budget.as_ref().map(|b| b.kind),
        Some(BudgetKind::Daily)
    );
    assert_eq!(export.rows_read, 5);
}

#[test]
fn microsoft_api_report_with_a_monthly_budget() {
    let text = "TimePeriod,CampaignName,CampaignId,CurrencyCode,MonthlyBudget,Spend\n\
                2026-09-01,Brand,1,EUR,3000,10.5\n";
    let (_dir, path) = write("api.csv", text.as_bytes());
    let read = read(&path);
    assert_eq!(read.profile, "microsoft-ads");
    let brand = read.ad_campaign("Brand");
    let budget = brand.budget.as_ref().expect("budget");
    assert_eq!(
        (budget.amount, budget.kind),
        (dec!(3000), BudgetKind::Monthly)
    );
    assert_eq!(brand.currency, currency("EUR"));
}

// ---------------------------------------------------------------------
// TikTok

#[test]
fn tiktok_export_takes_the_configured_account_currency() {
    let text = "Campaign name,Campaign ID,By Day,Budget,Budget mode,Cost,CPM\n\
                Launch,1700,2026-05-01,No limit,-,12.34,5.67\n\
                Launch,1700,2026-05-02,200.00,Daily,7.66,5.00\n\
                Total of 1 result,-,-,-,-,20.00,-\n";
    let (_dir, path) = write("tiktok.csv", text.as_bytes());
    let read = read_with(&path, Some(currency("JPY")));
    assert_eq!(read.profile, "tiktok-ads");
    let export = read.clean();
    let launch = read.ad_campaign("Launch");
    assert_eq!(launch.currency, currency("JPY"));
    assert_eq!(launch.total(), Some(dec!(20.00)));
    assert_eq!(launch.budget.as_ref().map(|b| b.amount), Some(dec!(200.00)));
    assert_eq!(export.rows_read, 3);
}

#[test]
fn no_currency_anywhere_is_an_error_saying_what_to_set() {
    let text = "Campaign name,Date,Cost\nLaunch,2026-05-01,1.00\n";
    let (_dir, path) = write("tiktok.csv", text.as_bytes());
    let read = read(&path);
    assert!(read.export.is_none());
    let errors = read.messages(Severity::Error);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("[platform_currency]"), "{}", errors[0]);
    assert!(errors[0].contains("tiktok-ads = \"USD\""), "{}", errors[0]);
}

// ---------------------------------------------------------------------
// Bad exports

#[test]
fn an_unknown_currency_is_an_error_at_its_cell() {
    let text = "Campaign,Currency code,Cost\nA,USD,1.00\nB,XYZ,2.00\n";
    let (_dir, path) = write("bad.csv", text.as_bytes());
    let read = read(&path);
    let errors = read.messages(Severity::Error);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("bad.csv, line 3, column 'Currency code'"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("'XYZ' is not an ISO 4217"),
        "{}",
        errors[0]
    );
    // The bad row is left out; the others are read.
    assert_eq!(read.export().ad_campaigns.len(), 1);

    let text = "Campaign name,Amount spent (EUX)\nA,1.00\n";
    let (_dir, path) = write("meta.csv", text.as_bytes());
    let meta = read_with(&path, None);
    assert!(meta.export.is_none());
    let errors = meta.messages(Severity::Error);
    assert!(
        errors[0].contains("line 1, column 'Amount spent (EUX)'"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_bad_number_or_date_is_an_error_with_line_and_column() {
    let text = "Campaign report\nDay,Campaign,Currency code,Cost\n\
                2026-03-01,A,USD,12,5O\n\
                2026-03-01,B,USD,\"12,5O\"\n\
                2026-02-30,C,USD,1.00\n\
                ,,,3.00\n\
                ,,,\n";
    let (_dir, path) = write("bad.csv", text.as_bytes());
    let read = read(&path);
    let errors = read.messages(Severity::Error);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].contains("bad.csv, line 4, column 'Cost'"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("'12,5O' is not an amount"),
        "{}",
        errors[0]
    );
    assert!(errors[1].contains("line 5, column 'Day'"), "{}", errors[1]);
    assert!(
        errors[2].contains("line 6, column 'Campaign'"),
        "{}",
        errors[2]
    );
    assert!(errors[2].contains("no ad campaign name"), "{}", errors[2]);
    // `12,5O` in an unquoted field is two fields: 12 is the cost.
    assert_eq!(read.ad_campaign("A").total(), Some(dec!(12)));
}

#[test]
fn a_two_megabyte_line_is_an_error_naming_it() {
    let mut text = b"Campaign,Currency code,Cost\nA,USD,1.00\n".to_vec();
    text.extend(std::iter::repeat_n(b'x', 2 * 1024 * 1024));
    text.extend(b",USD,2.00\nB,USD,3.00\n");
    let (_dir, path) = write("long.csv", &text);
    let read = read(&path);
    assert!(read.export.is_none());
    let errors = read.messages(Severity::Error);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("long.csv"), "{}", errors[0]);
    assert!(
        errors[0].contains("line 3 is longer than 1 MiB"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_pdf_named_csv_is_not_text() {
    let (_dir, path) = write(
        "report.csv",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\n",
    );
    let err = sniff_text(&path).expect_err("not text");
    assert!(err.to_string().contains("PDF"), "{err}");
    let mut issues = Issues::default();
    let google = &profiles()[0];
    assert!(read_export(&path, "report.csv", google, None, &mut issues).is_none());
    let message = issues.iter().next().expect("an error").to_string();
    assert!(
        message.starts_with("error: report.csv: this is not a text file"),
        "{message}"
    );
}

#[test]
fn files_without_a_known_header_are_not_recognised() {
    let cases = [
        "Date,From,To,Rate\n2026-03-01,USD,NOK,10.5\n",
        "Name,Unit price\nPoster,100\n",
        "Campaign,Clicks\nA,3\n",
        "",
    ];
    for text in cases {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        assert!(recognise(&lines, &profiles()).is_none(), "{text}");
    }
}

#[test]
fn a_header_below_the_search_window_is_not_found() {
    let mut text = "title\n".repeat(30);
    text.push_str("Campaign,Cost\nA,1\n");
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert!(recognise(&lines, &profiles()).is_none());
    let profiles = profiles();
    let found = recognise(lines.get(1..).expect("lines"), &profiles).expect("found");
    assert_eq!(found.header_line, 30);
}

// ---------------------------------------------------------------------
// Exports saved as workbooks

#[test]
// Filled in field by field so that the test stays valid when the sheet
// type gains fields.
#[allow(clippy::field_reassign_with_default)]
fn an_export_saved_as_a_sheet_is_read_from_its_cells() {
    use spendsheet::input::cells::{Cell, CellValue, SheetCells};
    let text = |s: &str| CellValue::Text(s.to_string());
    let rows: Vec<Vec<CellValue>> = vec![
        vec![text("Campaign report")],
        vec![text("March 1, 2026 - March 31, 2026")],
        vec![
            text("Day"),
            text("Campaign"),
            text("Currency code"),
            text("Cost"),
        ],
        vec![
            CellValue::Date(day("2026-03-02")),
            text("Brand"),
            text("EUR"),
            CellValue::Number(dec!(10.25)),
        ],
        vec![text(""), text("Brand"), text("EUR"), text("1,000.50")],
        vec![
            text("Total: Campaigns"),
            text(" --"),
            text("EUR"),
            CellValue::Number(dec!(1010.75)),
        ],
        vec![
            CellValue::Date(day("2026-03-03")),
            text("Bad"),
            text("EUR"),
            CellValue::Error("#REF!".into()),
        ],
    ];
    let mut cells = Vec::new();
    for (row, values) in rows.into_iter().enumerate() {
        for (column, value) in values.into_iter().enumerate() {
            cells.push(Cell {
                row: row as u32,
                column: column as u32,
                value,
            });
        }
    }
    let mut sheet = SheetCells::default();
    sheet.name = "Campaign report".into();
    sheet.cells = cells;
    let profiles = profiles();
    let found = recognise_cells(&sheet, &profiles).expect("recognised");
    assert_eq!(
        (found.profile.id.as_str(), found.header_line),
        ("google-ads", 3)
    );
    let mut issues = Issues::default();
    let export =
        read_export_cells(&sheet, "report.xlsx", found.profile, None, &mut issues).expect("read");
    let messages: Vec<String> = issues.iter().map(|issue| issue.to_string()).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("report.xlsx, sheet 'Campaign report', cell D7"),
        "{}",
        messages[0]
    );
    let brand = &export.ad_campaigns[0];
    assert_eq!(brand.dated.get(&day("2026-03-02")), Some(&dec!(10.25)));
    assert_eq!(brand.undated, dec!(1000.50));
    assert_eq!(brand.covers, [(day("2026-03-01"), day("2026-03-31"))]);
    assert_eq!(export.period, Some((day("2026-03-01"), day("2026-03-31"))));
}

// ---------------------------------------------------------------------
// Streaming

#[test]
fn a_large_export_is_summed_as_it_is_read() {
    use std::io::Write;
    const ROWS: usize = 200_000;
    const AD_CAMPAIGNS: usize = 50;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("large.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    writeln!(
        out,
        "Campaign report\nAll time\nDay,Campaign,Campaign ID,Currency code,Cost"
    )
    .expect("write");
    for row in 0..ROWS {
        let ad = row % AD_CAMPAIGNS;
        let day = 1 + (row / AD_CAMPAIGNS) % 28;
        writeln!(out, "2026-02-{day:02},Campaign {ad},{ad},USD,0.01").expect("write");
    }
    writeln!(out, "Total: Campaigns,,,USD,2000.00").expect("write");
    drop(out);

    let read = read(&path);
    let export = read.clean();
    assert_eq!(export.ad_campaigns.len(), AD_CAMPAIGNS);
    assert!(export.ad_campaigns.iter().all(|ad| ad.dated.len() == 28));
    assert!(
        export
            .ad_campaigns
            .iter()
            .all(|ad| ad.total() == Some(dec!(40.00)))
    );
    assert!(export.ad_campaigns.iter().all(|ad| ad.covers.len() == 1));
    assert_eq!(export.rows_read, ROWS as u64 + 1);
    assert_eq!(export.period, Some((day("2026-02-01"), day("2026-02-28"))));
}
