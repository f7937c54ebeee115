//! Currency conversion: a table of dated exchange rates (from rate files
//! and fixed rates) and the lookup that converts an amount on a date,
//! directly, inverted, or crossed through a common currency.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::money::Currency;

/// A rate as it was quoted: 1 `from` is `rate` `to` on `date`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RateUse {
    pub date: Option<NaiveDate>,
    pub from: Currency,
    pub to: Currency,
    pub rate: Decimal,
    /// The rates file, or the configuration for a fixed rate.
    pub source: Arc<str>,
}

/// An amount converted: the exact result, the effective rate, and the
/// quoted rates it took.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conversion {
    /// Not rounded: callers round once, where the amount is shown.
    pub amount: Decimal,
    /// The effective rate as a fraction, divided only when asked for: a
    /// day-by-day conversion of many amounts never needs it.
    rate: (Decimal, Decimal),
    pub legs: Vec<RateUse>,
}

impl Conversion {
    /// 1 unit of the source currency in the target currency, to 28 digits.
    pub fn rate(&self) -> Decimal {
        let (numerator, denominator) = self.rate;
        numerator.checked_div(denominator).unwrap_or(Decimal::ONE)
    }
}

/// No usable rate: it names the pair, the date and the newest rate known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FxError {
    NoRate {
        from: Currency,
        to: Currency,
        date: NaiveDate,
        max_age_days: u32,
        newest: Option<NaiveDate>,
    },
    Overflow {
        from: Currency,
        to: Currency,
        amount: Decimal,
    },
}

impl fmt::Display for FxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FxError::NoRate {
                from,
                to,
                date,
                max_age_days,
                newest: Some(newest),
            } if newest > date => write!(
                f,
                "no exchange rate from {from} to {to} for {date}: the rates known start on {newest}; add older rates"
            ),
            FxError::NoRate {
                from,
                to,
                date,
                max_age_days,
                newest: Some(newest),
            } => write!(
                f,
                "no exchange rate from {from} to {to} for {date} or up to {max_age_days} days before: the newest rate known is of {newest}; add newer rates or raise max_rate_age_days"
            ),
            FxError::NoRate { from, to, date, .. } => write!(
                f,
                "no exchange rate from {from} to {to} is known (needed for {date}): add a rates file, or a fixed rate \"{from}/{to}\" under [fx.fixed] in spendsheet.toml"
            ),
            FxError::Overflow { from, to, amount } => {
                write!(
                    f,
                    "converting {amount} {from} to {to} gives a number too large to compute"
                )
            }
        }
    }
}

impl std::error::Error for FxError {}

/// Hashes currency pairs: a few bytes of trusted data, so FNV-1a does and
/// costs far less than the default hasher, which guards against keys an
/// attacker chooses.
#[derive(Clone, Copy, Debug, Default)]
struct PairHasher;

impl std::hash::BuildHasher for PairHasher {
    type Hasher = Fnv;

    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// Daily rates of one quoted pair, sorted by date, with an index from
/// each calendar day to the newest rate on or before it, so that a lookup
/// costs no search.
#[derive(Clone, Debug, Default)]
struct Series {
    dates: Vec<NaiveDate>,
    /// Rate and source of each date.
    quotes: Vec<(Decimal, u32)>,
    /// Day number (from the common era) of the first date.
    first_day: i32,
    /// For each day from the first date to the last, the index of the
    /// newest date on or before it. Empty when the dates span too many
    /// years for an index to be worth its memory.
    newest_by_day: Vec<u32>,
}

/// A rate on a day from a source (an index into the table's sources).
type DatedQuote = (NaiveDate, Decimal, u32);

/// Spans longer than this (about 270 years) are searched, not indexed.
const MAX_INDEXED_DAYS: i32 = 100_000;

impl Series {
    /// The newest rate on or before `date`.
    fn on_or_before(&self, date: NaiveDate) -> Option<DatedQuote> {
        let offset = date.num_days_from_ce().checked_sub(self.first_day)?;
        if offset < 0 {
            return None;
        }
        let index = match usize::try_from(offset)
            .ok()
            .and_then(|offset| self.newest_by_day.get(offset))
        {
            Some(index) => usize::try_from(*index).ok()?,
            None if !self.newest_by_day.is_empty() => self.dates.len().checked_sub(1)?,
            None => self
                .dates
                .partition_point(|day| *day <= date)
                .checked_sub(1)?,
        };
        self.entry(index)
    }

    fn exactly_on(&self, date: NaiveDate) -> Option<DatedQuote> {
        self.dates
            .binary_search(&date)
            .ok()
            .and_then(|index| self.entry(index))
    }

    fn entry(&self, index: usize) -> Option<DatedQuote> {
        let (rate, source) = self.quotes.get(index)?;
        Some((*self.dates.get(index)?, *rate, *source))
    }

    /// Adds days (not in the series yet, or with the same rate as there).
    fn merge(&mut self, days: Vec<DatedQuote>) {
        let mut all: Vec<DatedQuote> = self
            .dates
            .iter()
            .zip(&self.quotes)
            .map(|(day, (rate, source))| (*day, *rate, *source))
            .collect();
        all.extend(days);
        all.sort_by_key(|(day, _, _)| *day);
        all.dedup_by_key(|(day, _, _)| *day);
        self.dates = all.iter().map(|(day, _, _)| *day).collect();
        self.quotes = all
            .iter()
            .map(|(_, rate, source)| (*rate, *source))
            .collect();
        self.build_index();
    }

    fn build_index(&mut self) {
        self.newest_by_day.clear();
        let (Some(first), Some(last)) = (self.dates.first(), self.dates.last()) else {
            return;
        };
        self.first_day = first.num_days_from_ce();
        let span = last.num_days_from_ce().saturating_sub(self.first_day);
        if span > MAX_INDEXED_DAYS {
            return;
        }
        let mut next = 0_usize;
        for day in self.first_day..=last.num_days_from_ce() {
            while self
                .dates
                .get(next + 1)
                .is_some_and(|date| date.num_days_from_ce() <= day)
            {
                next += 1;
            }
            self.newest_by_day
                .push(u32::try_from(next).unwrap_or(u32::MAX));
        }
    }
}

/// A rate quoted for a pair: dated from a file, or fixed.
#[derive(Clone, Copy, Debug)]
struct Quote {
    date: Option<NaiveDate>,
    rate: Decimal,
    source: u32,
}

/// One step of a conversion: a quote used as it is or inverted.
#[derive(Clone, Copy, Debug)]
struct Leg {
    from: Currency,
    to: Currency,
    quote: Quote,
    inverted: bool,
}

/// Two rates for the same pair and day that disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateConflict {
    pub date: NaiveDate,
    pub from: Currency,
    pub to: Currency,
    pub first: (Decimal, String),
    pub second: (Decimal, String),
}

/// Every known rate, ready for lookups.
#[derive(Clone, Debug)]
pub struct RateTable {
    max_age_days: u32,
    series: HashMap<(Currency, Currency), Series, PairHasher>,
    fixed: HashMap<(Currency, Currency), (Decimal, u32), PairHasher>,
    /// Currencies a cross rate may go through, most preferred first.
    hubs: Vec<Currency>,
    sources: Vec<Arc<str>>,
}

impl RateTable {
    /// An empty table whose dated rates may be at most `max_age_days` older
    /// than the date they convert.
    pub fn new(max_age_days: u32) -> RateTable {
        RateTable {
            max_age_days,
            series: HashMap::with_hasher(PairHasher),
            fixed: HashMap::with_hasher(PairHasher),
            hubs: Vec::new(),
            sources: Vec::new(),
        }
    }

    fn source_id(&mut self, source: &str) -> u32 {
        if let Some(index) = self.sources.iter().position(|known| &**known == source) {
            return u32::try_from(index).unwrap_or(u32::MAX);
        }
        self.sources.push(Arc::from(source));
        u32::try_from(self.sources.len().saturating_sub(1)).unwrap_or(u32::MAX)
    }

    fn source_name(&self, id: u32) -> Arc<str> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.sources.get(i))
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// Adds dated rates from one source, 1 `from` = `rate` `to`. A rate for
    /// a pair and day that an earlier source (or this one) gives
    /// differently is a conflict: then nothing of this source is added, and
    /// the conflicts are returned. The same rate given twice is fine.
    pub fn add_rates(
        &mut self,
        source: &str,
        rates: impl IntoIterator<Item = (NaiveDate, Currency, Currency, Decimal)>,
    ) -> Result<(), Vec<RateConflict>> {
        let id = self.source_id(source);
        let mut incoming: HashMap<(Currency, Currency), Vec<DatedQuote>> = HashMap::new();
        for (date, from, to, rate) in rates {
            incoming
                .entry((from, to))
                .or_default()
                .push((date, rate, id));
        }
        let mut conflicts = Vec::new();
        for (pair, days) in &mut incoming {
            days.sort_by_key(|(day, _, _)| *day);
            conflicts.extend(self.conflicts_within(*pair, days));
            if let Some(series) = self.series.get(pair) {
                conflicts.extend(self.conflicts_between(*pair, series, days));
            }
        }
        if !conflicts.is_empty() {
            conflicts.sort_by_key(|conflict| (conflict.date, conflict.from, conflict.to));
            return Err(conflicts);
        }
        for (pair, days) in incoming {
            self.note_hub(pair.0);
            let series = self.series.entry(pair).or_default();
            series.merge(days);
        }
        Ok(())
    }

    fn conflict(
        &self,
        pair: (Currency, Currency),
        first: &DatedQuote,
        second: &DatedQuote,
    ) -> RateConflict {
        RateConflict {
            date: second.0,
            from: pair.0,
            to: pair.1,
            first: (first.1, self.source_name(first.2).to_string()),
            second: (second.1, self.source_name(second.2).to_string()),
        }
    }

    /// Days a source lists twice with different rates.
    fn conflicts_within(
        &self,
        pair: (Currency, Currency),
        days: &[DatedQuote],
    ) -> Vec<RateConflict> {
        days.windows(2)
            .filter_map(|two| match two {
                [a, b] if a.0 == b.0 && a.1 != b.1 => Some(self.conflict(pair, a, b)),
                _ => None,
            })
            .collect()
    }

    /// Days an earlier source gives a different rate for.
    fn conflicts_between(
        &self,
        pair: (Currency, Currency),
        series: &Series,
        days: &[DatedQuote],
    ) -> Vec<RateConflict> {
        days.iter()
            .filter_map(|new| {
                let old = series.exactly_on(new.0)?;
                (old.1 != new.1).then(|| self.conflict(pair, &old, new))
            })
            .collect()
    }

    /// Sets a fixed rate, used for the pair (and its inverse) on every date
    /// in place of file rates.
    pub fn set_fixed(&mut self, source: &str, from: Currency, to: Currency, rate: Decimal) {
        let id = self.source_id(source);
        self.fixed.insert((from, to), (rate, id));
    }

    /// A currency that quotes others (EUR in ECB files) is a good hub for
    /// cross rates; the first seen is tried first.
    fn note_hub(&mut self, currency: Currency) {
        if !self.hubs.contains(&currency) {
            self.hubs.push(currency);
        }
    }

    /// Whether any rate is known.
    pub fn is_empty(&self) -> bool {
        self.series.is_empty() && self.fixed.is_empty()
    }

    /// Converts `amount` from one currency to another at the rate of `date`.
    pub fn convert(
        &self,
        amount: Decimal,
        from: Currency,
        to: Currency,
        date: NaiveDate,
    ) -> Result<Conversion, FxError> {
        if from == to {
            return Ok(Conversion {
                amount,
                rate: (Decimal::ONE, Decimal::ONE),
                legs: Vec::new(),
            });
        }
        let legs = self
            .path(from, to, date)
            .ok_or_else(|| self.no_rate(from, to, date))?;
        let (numerator, denominator) =
            factor(&legs).ok_or(FxError::Overflow { from, to, amount })?;
        let converted = amount
            .checked_mul(numerator)
            .and_then(|product| product.checked_div(denominator))
            .ok_or(FxError::Overflow { from, to, amount })?;
        Ok(Conversion {
            amount: converted,
            rate: (numerator, denominator),
            legs: legs.iter().map(|leg| self.rate_use(leg)).collect(),
        })
    }

    /// Converts amounts on several days, each at its own day's rate, and
    /// sums them at full precision.
    pub fn convert_dated(
        &self,
        amounts: &[(NaiveDate, Decimal)],
        from: Currency,
        to: Currency,
    ) -> Result<Conversion, FxError> {
        let mut total = Decimal::ZERO;
        let mut original = Decimal::ZERO;
        let mut legs = BTreeSet::new();
        for (date, amount) in amounts {
            let converted = self.convert(*amount, from, to, *date)?;
            total = total
                .checked_add(converted.amount)
                .ok_or(FxError::Overflow {
                    from,
                    to,
                    amount: *amount,
                })?;
            original = original.checked_add(*amount).ok_or(FxError::Overflow {
                from,
                to,
                amount: *amount,
            })?;
            legs.extend(converted.legs);
        }
        // The effective rate of the whole: what the converted sum is per
        // unit of the original sum.
        let rate = if original.is_zero() {
            (Decimal::ONE, Decimal::ONE)
        } else {
            (total, original)
        };
        Ok(Conversion {
            amount: total,
            rate,
            legs: legs.into_iter().collect(),
        })
    }

    fn rate_use(&self, leg: &Leg) -> RateUse {
        let (from, to) = if leg.inverted {
            (leg.to, leg.from)
        } else {
            (leg.from, leg.to)
        };
        RateUse {
            date: leg.quote.date,
            from,
            to,
            rate: leg.quote.rate,
            source: self.source_name(leg.quote.source),
        }
    }

    /// The legs from `from` to `to`: one quote, or two through a hub.
    fn path(&self, from: Currency, to: Currency, date: NaiveDate) -> Option<Vec<Leg>> {
        if let Some(leg) = self.leg(from, to, date) {
            return Some(vec![leg]);
        }
        self.hubs
            .iter()
            .filter(|hub| **hub != from && **hub != to)
            .find_map(|hub| {
                let first = self.leg(from, *hub, date)?;
                let second = self.leg(*hub, to, date)?;
                Some(vec![first, second])
            })
    }

    /// A single quote for the pair, fixed first, else dated, direct or
    /// inverted.
    fn leg(&self, from: Currency, to: Currency, date: NaiveDate) -> Option<Leg> {
        let fixed = |pair| {
            if self.fixed.is_empty() {
                return None;
            }
            self.fixed.get(&pair).map(|(rate, source)| Quote {
                date: None,
                rate: *rate,
                source: *source,
            })
        };
        if let Some(quote) = fixed((from, to)) {
            return Some(Leg {
                from,
                to,
                quote,
                inverted: false,
            });
        }
        if let Some(quote) = fixed((to, from)) {
            return Some(Leg {
                from,
                to,
                quote,
                inverted: true,
            });
        }
        if let Some(quote) = self.dated((from, to), date) {
            return Some(Leg {
                from,
                to,
                quote,
                inverted: false,
            });
        }
        self.dated((to, from), date).map(|quote| Leg {
            from,
            to,
            quote,
            inverted: true,
        })
    }

    fn dated(&self, pair: (Currency, Currency), date: NaiveDate) -> Option<Quote> {
        let (day, rate, source) = self.series.get(&pair)?.on_or_before(date)?;
        let age = date
            .num_days_from_ce()
            .saturating_sub(day.num_days_from_ce());
        (i64::from(age) <= i64::from(self.max_age_days)).then_some(Quote {
            date: Some(day),
            rate,
            source,
        })
    }

    fn no_rate(&self, from: Currency, to: Currency, date: NaiveDate) -> FxError {
        FxError::NoRate {
            from,
            to,
            date,
            max_age_days: self.max_age_days,
            newest: self.newest_for(from, to, date),
        }
    }

    /// The newest date on or before `date` for which both currencies have
    /// some rate, else the oldest after it: what the user should look at.
    fn newest_for(&self, from: Currency, to: Currency, date: NaiveDate) -> Option<NaiveDate> {
        let days = |currency: Currency| -> Vec<NaiveDate> {
            self.series
                .iter()
                .filter(|((a, b), _)| *a == currency || *b == currency)
                .flat_map(|(_, series)| series.dates.iter().copied())
                .collect()
        };
        let (from_days, to_days) = (days(from), days(to));
        let before = |list: &[NaiveDate]| list.iter().filter(|day| **day <= date).max().copied();
        let newest = before(&from_days)
            .zip(before(&to_days))
            .map(|(a, b)| a.min(b));
        newest.or_else(|| from_days.iter().chain(&to_days).min().copied())
    }
}

/// The conversion factor of a chain of legs as numerator and denominator,
/// so that the amount is multiplied first and divided once.
fn factor(legs: &[Leg]) -> Option<(Decimal, Decimal)> {
    legs.iter().try_fold(
        (Decimal::ONE, Decimal::ONE),
        |(numerator, denominator), leg| {
            if leg.inverted {
                Some((numerator, denominator.checked_mul(leg.quote.rate)?))
            } else {
                Some((numerator.checked_mul(leg.quote.rate)?, denominator))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn c(code: &str) -> Currency {
        Currency::from_code(code).expect("known code")
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date")
    }

    fn ecb_table() -> RateTable {
        let mut table = RateTable::new(7);
        let rates = [
            ("2026-03-13", "USD", dec!(1.0571)),
            ("2026-03-13", "NOK", dec!(11.278)),
            ("2026-03-06", "NOK", dec!(11.4163)),
            ("2026-03-06", "JPY", dec!(160.71)),
        ];
        let added = table.add_rates(
            "eurofxref-hist.csv",
            rates
                .iter()
                .map(|(d, code, rate)| (day(d), c("EUR"), c(code), *rate)),
        );
        assert_eq!(added, Ok(()));
        table
    }

    #[test]
    fn direct_inverted_and_cross_rates() {
        let table = ecb_table();
        let direct = table
            .convert(dec!(100), c("EUR"), c("NOK"), day("2026-03-13"))
            .expect("direct");
        assert_eq!(direct.amount, dec!(1127.8));
        let inverted = table
            .convert(dec!(9500), c("NOK"), c("EUR"), day("2026-03-07"))
            .expect("weekend falls back");
        assert_eq!(inverted.amount.round_dp(2), dec!(832.14));
        assert_eq!(inverted.legs[0].date, Some(day("2026-03-06")));
        let cross = table
            .convert(dec!(1234.56), c("USD"), c("NOK"), day("2026-03-14"))
            .expect("cross");
        // 1234.56 / 1.0571 * 11.278, multiplied first and divided once.
        assert_eq!(cross.amount.round_dp(10), dec!(13171.2871819128));
        assert_eq!(cross.legs.len(), 2);
        assert_eq!(cross.legs[0].from.code(), "EUR");
        assert_eq!(cross.legs[0].to.code(), "USD");
    }

    #[test]
    fn rates_older_than_the_limit_are_not_used() {
        let table = ecb_table();
        let err = table
            .convert(dec!(1), c("EUR"), c("JPY"), day("2026-03-14"))
            .expect_err("8 days old");
        assert_eq!(
            err.to_string(),
            "no exchange rate from EUR to JPY for 2026-03-14 or up to 7 days before: the newest rate known is of 2026-03-06; add newer rates or raise max_rate_age_days"
        );
        let err = table
            .convert(dec!(1), c("EUR"), c("NOK"), day("2026-01-01"))
            .expect_err("too early");
        assert!(
            err.to_string()
                .contains("the rates known start on 2026-03-06"),
            "{err}"
        );
        let err = RateTable::new(7)
            .convert(dec!(1), c("USD"), c("EUR"), day("2026-01-01"))
            .expect_err("empty");
        assert!(
            err.to_string()
                .starts_with("no exchange rate from USD to EUR is known"),
            "{err}"
        );
    }

    #[test]
    fn fixed_rates_override_file_rates_for_their_pair() {
        let mut table = ecb_table();
        table.set_fixed("spendsheet.toml", c("EUR"), c("NOK"), dec!(11.5));
        let fixed = table
            .convert(dec!(10), c("NOK"), c("EUR"), day("2020-01-01"))
            .expect("fixed inverse");
        assert_eq!(fixed.amount.round_dp(6), dec!(0.869565));
        assert_eq!(fixed.legs[0].date, None);
        assert_eq!(&*fixed.legs[0].source, "spendsheet.toml");
    }

    #[test]
    fn conflicting_rates_for_a_day_are_reported_and_the_source_not_added() {
        let mut table = ecb_table();
        let conflicts = table
            .add_rates(
                "other.csv",
                [
                    (day("2026-03-13"), c("EUR"), c("USD"), dec!(1.06)),
                    (day("2026-03-06"), c("EUR"), c("NOK"), dec!(11.4163)),
                    (day("2026-03-20"), c("EUR"), c("NOK"), dec!(11.5)),
                ],
            )
            .expect_err("conflict");
        assert_eq!(conflicts.len(), 1);
        assert_eq!(
            conflicts[0].first,
            (dec!(1.0571), "eurofxref-hist.csv".to_string())
        );
        assert_eq!(conflicts[0].second, (dec!(1.06), "other.csv".to_string()));
        let later = table
            .convert(dec!(1), c("EUR"), c("NOK"), day("2026-03-20"))
            .expect("older rate");
        assert_eq!(
            later.legs[0].date,
            Some(day("2026-03-13")),
            "nothing of other.csv was added"
        );

        let same = table.add_rates(
            "copy.csv",
            [(day("2026-03-13"), c("EUR"), c("USD"), dec!(1.0571))],
        );
        assert_eq!(same, Ok(()));
        let twice = table.add_rates(
            "twice.csv",
            [
                (day("2026-04-01"), c("EUR"), c("SEK"), dec!(11)),
                (day("2026-04-01"), c("EUR"), c("SEK"), dec!(12)),
            ],
        );
        assert_eq!(twice.map_err(|c| c.len()), Err(1));
    }

    #[test]
    fn lookups_agree_with_and_without_the_day_index() {
        let mut indexed = RateTable::new(100_000);
        let mut searched = RateTable::new(200_000);
        let days = ["2026-01-02", "2026-01-05", "2026-02-27"];
        let rates = days
            .iter()
            .enumerate()
            .map(|(i, d)| (day(d), c("EUR"), c("USD"), Decimal::from(i + 1)));
        assert_eq!(indexed.add_rates("a.csv", rates.clone()), Ok(()));
        // A date centuries back makes the span too long to index.
        let far = rates.chain([(day("1700-01-01"), c("EUR"), c("USD"), dec!(9))]);
        assert_eq!(searched.add_rates("a.csv", far), Ok(()));
        let probes = [
            ("2026-01-01", None),
            ("2026-01-02", Some(1)),
            ("2026-01-04", Some(1)),
            ("2026-01-05", Some(2)),
            ("2026-02-26", Some(2)),
            ("2026-02-27", Some(3)),
            ("2027-06-01", Some(3)),
        ];
        for (probe, expected) in probes {
            let rate = |table: &RateTable| {
                table
                    .convert(Decimal::ONE, c("EUR"), c("USD"), day(probe))
                    .ok()
                    .map(|c| c.amount)
            };
            let expected = expected.map(Decimal::from);
            assert_eq!(rate(&indexed), expected, "indexed {probe}");
            if probe != "2026-01-01" {
                assert_eq!(rate(&searched), expected, "searched {probe}");
            }
        }
        assert_eq!(
            searched
                .convert(Decimal::ONE, c("EUR"), c("USD"), day("1800-01-01"))
                .map(|c| c.amount),
            Ok(dec!(9))
        );
    }

    #[test]
    fn dated_amounts_are_converted_day_by_day_and_summed_unrounded() {
        let table = ecb_table();
        let days = [
            (day("2026-03-09"), dec!(310.00)),
            (day("2026-03-14"), dec!(205.50)),
        ];
        let converted = table
            .convert_dated(&days, c("EUR"), c("NOK"))
            .expect("dated");
        assert_eq!(
            converted.amount,
            dec!(310.00) * dec!(11.4163) + dec!(205.50) * dec!(11.278)
        );
        assert_eq!(converted.legs.len(), 2);
    }
}
