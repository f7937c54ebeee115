//! Renders reports of many campaigns and prints how long each takes and
//! how large the file is: `cargo bench --bench report_size`. The goal is
//! that a report of 500 campaigns (20 lines each, in three currencies with
//! a report currency) is written in well under a second and stays a file
//! of a few megabytes that a spreadsheet program opens quickly. With
//! `REPORT_SIZE_KEEP=<folder>` the reports are kept there, to time opening
//! them in a spreadsheet program.

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use spendsheet::consolidate::{CampaignFigures, Consolidation, Line, ReportFigures, Totals};
use spendsheet::fx::RateUse;
use spendsheet::issue::{Issues, Place};
use spendsheet::model::CampaignDetails;
use spendsheet::money::Currency;
use spendsheet::report::{ReportInput, render};

const LINES_PER_CAMPAIGN: usize = 20;

fn currency(code: &str) -> Currency {
    Currency::from_code(code).unwrap_or_else(|| panic!("{code} is a currency"))
}

fn day(offset: usize) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    start + chrono::Duration::days((offset % 120) as i64)
}

/// A line in the campaign's own currency, or in EUR with a rate.
fn line(campaign: usize, index: usize, own: Currency) -> Line {
    let cents = ((campaign * 7919 + index * 104_729) % 5_000_000) as i64 + 100;
    // Spend lines are smaller, so that most campaigns stay within budget.
    let cents = if index < LINES_PER_CAMPAIGN / 2 {
        cents
    } else {
        cents * 3 / 5
    };
    let amount = Decimal::new(cents, 2);
    let converted = index.is_multiple_of(4) && own.code() != "EUR";
    Line {
        name: format!("Item {index}"),
        description: format!("Invoice {campaign}-{index}, agency work and media"),
        amount,
        original_amount: if converted {
            (amount / Decimal::new(1150, 2)).round_dp(2)
        } else {
            amount
        },
        original_currency: if converted { currency("EUR") } else { own },
        rate: converted.then(|| Decimal::new(1150, 2)),
        date: Some(day(campaign + index)),
        source: Place::cell("plan.xlsx", "Budget", (index + 1) as u32, 3),
        origin: format!(
            "plans/campaign-{campaign}.xlsx, sheet 'Budget', row {}",
            index + 2
        ),
    }
}

fn campaign(index: usize) -> CampaignFigures {
    let own = currency(["NOK", "EUR", "SEK"][index % 3]);
    let half = LINES_PER_CAMPAIGN / 2;
    let budget: Vec<Line> = (0..half).map(|i| line(index, i, own)).collect();
    let spend: Vec<Line> = (half..LINES_PER_CAMPAIGN)
        .map(|i| line(index, i, own))
        .collect();
    let budget_total: Decimal = budget.iter().map(|l| l.amount).sum();
    let spend_total: Decimal = spend.iter().map(|l| l.amount).sum();
    // One rate for the report currency keeps the figures simple.
    let report = ReportFigures {
        budget_total,
        spend_total,
        remaining: budget_total - spend_total,
        rate: Decimal::ONE,
    };
    CampaignFigures {
        details: CampaignDetails {
            name: format!("Campaign {index:04} – spring push"),
            currency: own,
            start: Some(day(index)),
            end: Some(day(index + 60)),
            owner: Some("Marketing".to_string()),
            notes: None,
            defined_at: Place::file("plan.xlsx"),
        },
        budget,
        spend,
        budget_total,
        spend_total,
        remaining: budget_total - spend_total,
        in_report_currency: Some(report),
    }
}

fn consolidation(campaigns: usize) -> Consolidation {
    let campaigns: Vec<CampaignFigures> = (0..campaigns).map(campaign).collect();
    let sum = |pick: fn(&ReportFigures) -> Decimal| -> Decimal {
        campaigns
            .iter()
            .filter_map(|c| c.in_report_currency.as_ref().map(pick))
            .sum()
    };
    let totals = Totals {
        currency: currency("NOK"),
        budget_total: sum(|r| r.budget_total),
        spend_total: sum(|r| r.spend_total),
        remaining: sum(|r| r.remaining),
    };
    let rates_used = (0..120)
        .map(|i| RateUse {
            date: Some(day(i)),
            from: currency("EUR"),
            to: currency("NOK"),
            rate: Decimal::new(1150, 2),
            source: Arc::from("eurofxref-hist.csv"),
        })
        .collect();
    Consolidation {
        as_of: day(119),
        campaigns,
        report_currency: Some(currency("NOK")),
        totals: Some(totals),
        unassigned: Vec::new(),
        rates_used,
    }
}

fn keep(campaigns: usize, bytes: &[u8]) {
    if let Some(folder) = std::env::var_os("REPORT_SIZE_KEEP") {
        let path = std::path::Path::new(&folder).join(format!("report-{campaigns}.xlsx"));
        if let Err(err) = std::fs::write(&path, bytes) {
            eprintln!("cannot keep {}: {err}", path.display());
        }
    }
}

fn main() {
    for campaigns in [50, 500, 2000] {
        let figures = consolidation(campaigns);
        let issues = Issues::default();
        let input = ReportInput {
            consolidation: &figures,
            issues: &issues,
            sources: &[],
            incomplete: None,
            version: env!("CARGO_PKG_VERSION"),
        };
        let started = Instant::now();
        match render(&input) {
            Ok(report) => {
                println!(
                    "{campaigns} campaigns x {LINES_PER_CAMPAIGN} lines: {} sheets, {:.2} MB in {:?}",
                    campaigns + 6,
                    report.bytes.len() as f64 / 1e6,
                    started.elapsed()
                );
                keep(campaigns, &report.bytes);
            }
            Err(err) => eprintln!("{campaigns} campaigns: {err}"),
        }
    }
}
