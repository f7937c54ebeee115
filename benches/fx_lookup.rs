//! Converts a million dated amounts with the whole ECB history loaded, and
//! prints how long the lookups take: `cargo bench --bench fx_lookup`.
//! The goal is that conversion is never the slow part of a run (reading a
//! million export rows takes seconds; a million conversions must take well
//! under one).

use std::path::PathBuf;
use std::time::Instant;

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use spendsheet::fx::RateTable;
use spendsheet::input::rates::{read_rates, recognise_rates};
use spendsheet::issue::Issues;
use spendsheet::money::Currency;

const AMOUNTS: usize = 1_000_000;

fn main() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/real/eurofxref-hist.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is not there", path.display());
        return;
    };
    let started = Instant::now();
    let first = text.lines().next().unwrap_or_default();
    let Some(layout) = recognise_rates(first) else {
        eprintln!("skipped: {} is not a rates file", path.display());
        return;
    };
    let rows = text
        .lines()
        .zip(1_u64..)
        .map(|(line, number)| (number, line.split(',').map(str::to_string).collect()));
    let mut issues = Issues::default();
    let file = read_rates("eurofxref-hist.csv", &layout, rows, &mut issues);
    let mut table = RateTable::new(7);
    let loaded = table.add_rates(
        "eurofxref-hist.csv",
        file.rates.iter().map(|r| (r.date, r.from, r.to, r.rate)),
    );
    assert!(
        loaded.is_ok() && issues.is_empty(),
        "the ECB history loads cleanly"
    );
    println!(
        "load: {} rates in {:?}",
        file.rates.len(),
        started.elapsed()
    );

    let codes = ["USD", "NOK", "SEK", "GBP", "JPY", "EUR"];
    let currencies: Vec<Currency> = codes
        .iter()
        .filter_map(|code| Currency::from_code(code))
        .collect();
    let start = NaiveDate::from_ymd_opt(2005, 1, 1).unwrap_or_default();
    let amounts: Vec<(NaiveDate, Decimal, Currency, Currency)> = (0..AMOUNTS)
        .map(|i| {
            let day = start + Duration::days((i * 7919 % 7300) as i64);
            let from = currencies[i % currencies.len()];
            let to = currencies[(i / 7 + 1) % currencies.len()];
            (day, Decimal::new((i as i64 % 1_000_000) + 1, 2), from, to)
        })
        .collect();

    let started = Instant::now();
    let mut converted = 0_usize;
    let mut total = Decimal::ZERO;
    for (day, amount, from, to) in &amounts {
        if let Ok(conversion) = table.convert(*amount, *from, *to, *day) {
            converted += 1;
            total = total.saturating_add(conversion.amount.round_dp(2));
        }
    }
    let elapsed = started.elapsed();
    println!(
        "convert: {AMOUNTS} dated amounts ({converted} with a rate) in {elapsed:?}, {:.0} ns each (checksum {total})",
        elapsed.as_nanos() as f64 / AMOUNTS as f64
    );
}
