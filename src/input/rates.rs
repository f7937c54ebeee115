//! Exchange-rate files, recognised by their header: the ECB history
//! (`eurofxref-hist.csv`), the ECB daily file (`eurofxref.csv`) and the
//! simple `Date,From,To,Rate` layout.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::input::date::{parse_month_name_date, parse_text_date};
use crate::issue::{Issues, Place};
use crate::money::Currency;

/// The layouts of rate files spendsheet reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RatesLayout {
    /// `Date,USD,JPY,...`: units of each currency per 1 EUR, one row per
    /// day (the ECB's history and daily files).
    EcbColumns { delimiter: char },
    /// `Date,From,To,Rate`: 1 From = Rate To.
    Pairs { delimiter: char },
}

/// One quoted rate: 1 `from` is `rate` `to` on `date`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatedRate {
    pub date: NaiveDate,
    pub from: Currency,
    pub to: Currency,
    pub rate: Decimal,
}

/// The rates a file holds, with its row counts for the Sources sheet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RatesFile {
    pub rates: Vec<DatedRate>,
    pub rows_read: u64,
    pub rows_used: u64,
}

/// The base of ECB reference rates.
fn euro() -> Option<Currency> {
    Currency::from_code("EUR")
}

/// The layout of a rates file from its first line, if it is one.
pub fn recognise_rates(first_line: &str) -> Option<RatesLayout> {
    let line = first_line.trim_start_matches('\u{feff}').trim();
    let delimiter = [',', ';', '\t']
        .into_iter()
        .max_by_key(|d| line.matches(*d).count())?;
    let fields: Vec<&str> = line.split(delimiter).map(str::trim).collect();
    let (first, rest) = fields.split_first()?;
    if !first.eq_ignore_ascii_case("date") {
        return None;
    }
    let names: Vec<String> = rest.iter().map(|name| name.to_ascii_lowercase()).collect();
    if names == ["from", "to", "rate"] {
        return Some(RatesLayout::Pairs { delimiter });
    }
    // ECB files end each line with the delimiter, leaving an empty field.
    let codes: Vec<&&str> = rest.iter().filter(|name| !name.is_empty()).collect();
    let all_codes = codes
        .iter()
        .all(|code| code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()));
    (!codes.is_empty() && all_codes && delimiter == ',')
        .then_some(RatesLayout::EcbColumns { delimiter })
}

/// A row of a rates file: its 1-based line and its fields.
pub type RatesRow = (u64, Vec<String>);

/// Reads a rates file from its rows, the header first. Bad values are
/// errors naming the line and column.
pub fn read_rates(
    file: &str,
    layout: &RatesLayout,
    rows: impl Iterator<Item = RatesRow>,
    issues: &mut Issues,
) -> RatesFile {
    let mut rows = rows.filter(|(_, fields)| fields.iter().any(|field| !field.trim().is_empty()));
    let Some((header_line, header)) = rows.next() else {
        return RatesFile::default();
    };
    match layout {
        RatesLayout::EcbColumns { .. } => {
            read_ecb_columns(file, (header_line, &header), rows, issues)
        }
        RatesLayout::Pairs { .. } => read_pairs(file, rows, issues),
    }
}

fn read_ecb_columns(
    file: &str,
    (header_line, header): (u64, &[String]),
    rows: impl Iterator<Item = RatesRow>,
    issues: &mut Issues,
) -> RatesFile {
    let mut out = RatesFile::default();
    let Some(euro) = euro() else { return out };
    let names: Vec<&str> = header
        .iter()
        .map(|name| name.trim().trim_start_matches('\u{feff}'))
        .collect();
    let mut columns = Vec::new();
    for name in names.iter().skip(1).filter(|name| !name.is_empty()) {
        match Currency::from_code(name) {
            Some(currency) => columns.push((*name, Some(currency))),
            None => {
                let place = Place::file(file).with_row(header_line).with_column(*name);
                issues.error(place, format!("'{name}' is not an ISO 4217 currency code"));
                columns.push((*name, None));
            }
        }
    }
    for (line_number, fields) in rows {
        out.rows_read += 1;
        let mut fields = fields.iter().map(|field| field.trim());
        let date_text = fields.next().unwrap_or_default();
        let Some(date) = rate_date(file, line_number, date_text, issues) else {
            continue;
        };
        let mut used = false;
        for ((name, currency), value) in columns.iter().zip(fields) {
            let place = || Place::file(file).with_row(line_number).with_column(*name);
            let Some(rate) = rate_value(value, place, issues) else {
                continue;
            };
            if let Some(to) = currency {
                out.rates.push(DatedRate {
                    date,
                    from: euro,
                    to: *to,
                    rate,
                });
                used = true;
            }
        }
        if used {
            out.rows_used += 1;
        }
    }
    out
}

fn read_pairs(file: &str, rows: impl Iterator<Item = RatesRow>, issues: &mut Issues) -> RatesFile {
    const COLUMNS: [&str; 4] = ["Date", "From", "To", "Rate"];
    let mut out = RatesFile::default();
    for (line_number, fields) in rows {
        out.rows_read += 1;
        let fields: Vec<&str> = fields.iter().map(|field| field.trim()).collect();
        let field = |index: usize| fields.get(index).copied().unwrap_or_default();
        let place = |index: usize| {
            Place::file(file)
                .with_row(line_number)
                .with_column(COLUMNS.get(index).copied().unwrap_or_default())
        };
        let Some(date) = rate_date(file, line_number, field(0), issues) else {
            continue;
        };
        let mut currency = |index: usize| {
            let found = Currency::from_code(field(index));
            if found.is_none() {
                issues.error(
                    place(index),
                    format!("'{}' is not an ISO 4217 currency code", field(index)),
                );
            }
            found
        };
        let (from, to) = (currency(1), currency(2));
        let rate = rate_value(field(3), || place(3), issues);
        if let (Some(from), Some(to), Some(rate)) = (from, to, rate) {
            if from == to {
                issues.error(place(2), format!("a rate from {from} to itself"));
                continue;
            }
            out.rates.push(DatedRate {
                date,
                from,
                to,
                rate,
            });
            out.rows_used += 1;
        }
    }
    out
}

/// A row's date: ISO (`2026-03-02`) or the ECB daily form
/// (`25 January 2018`).
fn rate_date(file: &str, line: u64, text: &str, issues: &mut Issues) -> Option<NaiveDate> {
    let date = parse_text_date(text, None).or_else(|_| parse_month_name_date(text));
    match date {
        Ok(date) => Some(date),
        Err(_) => {
            let place = Place::file(file).with_row(line).with_column("Date");
            issues.error(
                place,
                format!(
                    "'{text}' is not a date: expected a date such as 2026-03-02 or 2 March 2026"
                ),
            );
            None
        }
    }
}

/// A rate: a positive decimal. `N/A` and empty mean no rate that day.
fn rate_value(text: &str, place: impl FnOnce() -> Place, issues: &mut Issues) -> Option<Decimal> {
    if text.is_empty() || text.eq_ignore_ascii_case("n/a") {
        return None;
    }
    match Decimal::from_str_exact(text) {
        Ok(rate) if rate > Decimal::ZERO => Some(rate),
        _ => {
            issues.error(
                place(),
                format!("'{text}' is not a rate: expected a positive number such as 1.0821"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn lines(text: &str) -> impl Iterator<Item = RatesRow> + '_ {
        let delimiter = if text.contains(';') {
            ';'
        } else if text.contains('\t') {
            '\t'
        } else {
            ','
        };
        text.lines().enumerate().map(move |(index, line)| {
            (
                index as u64 + 1,
                line.split(delimiter).map(str::to_string).collect(),
            )
        })
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn layouts_are_recognised_by_the_first_line() {
        let cases = [
            (
                "Date,USD,JPY,BGN,CYP,",
                Some(RatesLayout::EcbColumns { delimiter: ',' }),
            ),
            (
                "Date, USD, JPY, BGN, CZK, ",
                Some(RatesLayout::EcbColumns { delimiter: ',' }),
            ),
            (
                "\u{feff}Date,From,To,Rate",
                Some(RatesLayout::Pairs { delimiter: ',' }),
            ),
            (
                "date;from;to;rate",
                Some(RatesLayout::Pairs { delimiter: ';' }),
            ),
            (
                "Date\tFrom\tTo\tRate",
                Some(RatesLayout::Pairs { delimiter: '\t' }),
            ),
            ("Campaign,Cost", None),
            ("Date,Campaign,Cost", None),
            ("Day,USD,JPY", None),
            ("", None),
        ];
        for (line, layout) in cases {
            assert_eq!(recognise_rates(line), layout, "{line:?}");
        }
    }

    #[test]
    fn ecb_history_rows_are_units_per_euro_with_na_skipped() {
        let text = "Date,USD,JPY,CYP,\n2025-05-09,1.1252,163.36,N/A,\n\n1999-01-04,1.1789,133.73,0.58231,\n";
        let mut issues = Issues::default();
        let layout = recognise_rates("Date,USD,JPY,CYP,").expect("layout");
        let file = read_rates("eurofxref-hist.csv", &layout, lines(text), &mut issues);
        assert!(issues.is_empty(), "{issues:?}");
        let found: Vec<_> = file
            .rates
            .iter()
            .map(|r| (r.date, r.from.code(), r.to.code(), r.rate))
            .collect();
        assert_eq!(
            found,
            [
                (day("2025-05-09"), "EUR", "USD", dec!(1.1252)),
                (day("2025-05-09"), "EUR", "JPY", dec!(163.36)),
                (day("1999-01-04"), "EUR", "USD", dec!(1.1789)),
                (day("1999-01-04"), "EUR", "JPY", dec!(133.73)),
                (day("1999-01-04"), "EUR", "CYP", dec!(0.58231)),
            ]
        );
        assert_eq!((file.rows_read, file.rows_used), (2, 2));
    }

    #[test]
    fn ecb_daily_file_has_spaces_and_long_dates() {
        let text = "Date, USD, JPY, \n25 January 2018, 1.2406, 135.77, \n";
        let mut issues = Issues::default();
        let layout = recognise_rates("Date, USD, JPY, ").expect("layout");
        let file = read_rates("eurofxref.csv", &layout, lines(text), &mut issues);
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(file.rates.len(), 2);
        assert_eq!(file.rates[0].date, day("2018-01-25"));
        assert_eq!(file.rates[1].rate, dec!(135.77));
    }

    #[test]
    fn simple_pairs_and_their_errors() {
        let text = "Date,From,To,Rate\n2026-03-02,USD,NOK,10.50\n2026-03-03,USD,NOKK,10.5\n2026-03-04,USD,NOK,-1\n03/05/2026,USD,NOK,10\n2026-03-06,SEK,SEK,1\n";
        let mut issues = Issues::default();
        let layout = recognise_rates("Date,From,To,Rate").expect("layout");
        let file = read_rates("rates.csv", &layout, lines(text), &mut issues);
        assert_eq!(file.rates.len(), 1);
        assert_eq!(file.rates[0].rate, dec!(10.50));
        let places: Vec<_> = issues
            .iter()
            .map(|i| (i.place.row, i.place.column.clone()))
            .collect();
        assert_eq!(
            places,
            [
                (Some(3), Some("To".to_string())),
                (Some(4), Some("Rate".to_string())),
                (Some(5), Some("Date".to_string())),
                (Some(6), Some("To".to_string())),
            ]
        );
        assert_eq!((file.rows_read, file.rows_used), (5, 1));
    }
}
