//! Reads a large generated Google Ads export and prints the time taken and
//! the peak memory: `cargo bench --bench export_stream` (set
//! `SPENDSHEET_BENCH_MB` for another size; default 256 MB). Memory must
//! follow the number of ad campaigns and days, not the file's size.

use std::io::{BufWriter, Write};
use std::time::Instant;

use spendsheet::input::export::{read_export, recognise};
use spendsheet::input::profile::built_in_profiles;
use spendsheet::input::text::sniff_text;
use spendsheet::issue::Issues;

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> std::io::Result<()> {
    let megabytes: u64 = std::env::var("SPENDSHEET_BENCH_MB")
        .ok()
        .and_then(|mb| mb.parse().ok())
        .unwrap_or(256);
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("Campaign report.csv");

    let started = Instant::now();
    let mut out = BufWriter::new(std::fs::File::create(&path)?);
    writeln!(
        out,
        "Campaign report\n\"January 1, 2026 - December 31, 2026\""
    )?;
    writeln!(
        out,
        "Day,Campaign,Campaign ID,Budget,Budget type,Impr.,Currency code,Cost"
    )?;
    let mut written = 0_u64;
    let mut rows = 0_u64;
    while written < megabytes * 1_000_000 {
        let campaign = rows % 200;
        let day = 1 + rows / 200 % 365;
        let line = format!(
            "2026-{:02}-{:02},Campaign number {campaign} with a long name for realism,{},\"1,000.00\",Daily,\"12,400\",USD,\"{}.{:02}\"\n",
            1 + (day - 1) / 31 % 12,
            1 + (day - 1) % 28,
            100_000 + campaign,
            rows % 5000,
            rows % 100
        );
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
        rows += 1;
    }
    writeln!(out, "Total: Campaigns, --, --, --, --, --,USD, --")?;
    out.flush()?;
    drop(out);
    println!(
        "wrote {rows} rows, {} MB, in {:?}",
        written / 1_000_000,
        started.elapsed()
    );
    let before = peak_memory_kib().unwrap_or(0);

    let profiles = built_in_profiles().map_err(std::io::Error::other)?;
    let head = sniff_text(&path).map_err(std::io::Error::other)?;
    let recognised =
        recognise(&head.lines, &profiles).ok_or_else(|| std::io::Error::other("not recognised"))?;
    let started = Instant::now();
    let mut issues = Issues::default();
    let export = read_export(
        &path,
        "Campaign report.csv",
        recognised.profile,
        None,
        &mut issues,
    );
    let elapsed = started.elapsed();
    let campaigns = export
        .as_ref()
        .map_or(0, |export| export.ad_campaigns.len());
    let days: usize = export
        .iter()
        .flat_map(|e| &e.ad_campaigns)
        .map(|c| c.dated.len())
        .sum();
    println!(
        "read {campaigns} ad campaigns, {days} campaign-days, {} issues, in {elapsed:?} ({:.0} MB/s)",
        issues.len(),
        written as f64 / 1e6 / elapsed.as_secs_f64()
    );
    println!(
        "peak memory: {} MiB before reading, {} MiB after",
        before / 1024,
        peak_memory_kib().unwrap_or(0) / 1024
    );
    Ok(())
}
