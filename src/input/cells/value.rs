//! Turning a cell as calamine reads it into the value a spreadsheet program
//! shows: numbers as decimals, date serials as dates in the workbook's date
//! system, everything else as text or an error value.

use calamine::{Data, DataRef, ExcelDateTime};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::CellValue;
use crate::money::decimal_from_f64;

const MILLISECONDS_PER_DAY: f64 = 86_400_000.0;

/// The last day Excel can show, 9999-12-31, as a serial in the 1900 system.
const LAST_SERIAL_1900: f64 = 2_958_465.0;

/// The 1904 system counts from 1904-01-01, 1,462 days after the 1900
/// system's day 0.
const LAST_SERIAL_1904: f64 = LAST_SERIAL_1900 - 1_462.0;

/// Durations longer than this are not plausible and are shown as numbers,
/// which also keeps the arithmetic below far from overflow.
const LONGEST_DURATION_DAYS: f64 = 1.0e7;

/// The value of a cell read by value, `None` when the cell shows nothing.
pub(super) fn from_data(data: &Data, is_1904: bool) -> Option<CellValue> {
    match data {
        Data::Empty => None,
        Data::Int(n) => Some(CellValue::Number(Decimal::from(*n))),
        Data::Float(f) => Some(number(*f)),
        Data::String(s) => text(s),
        Data::Bool(b) => Some(CellValue::Bool(*b)),
        Data::DateTime(dt) => Some(date_time(dt, is_1904)),
        Data::DateTimeIso(s) => Some(iso_date_time(s)),
        Data::DurationIso(s) => text(s),
        Data::Error(e) => Some(CellValue::Error(e.to_string())),
    }
}

/// The value of a cell read by reference, `None` when the cell shows
/// nothing.
pub(super) fn from_data_ref(data: &DataRef<'_>, is_1904: bool) -> Option<CellValue> {
    match data {
        DataRef::Empty => None,
        DataRef::Int(n) => Some(CellValue::Number(Decimal::from(*n))),
        DataRef::Float(f) => Some(number(*f)),
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Bool(b) => Some(CellValue::Bool(*b)),
        DataRef::DateTime(dt) => Some(date_time(dt, is_1904)),
        DataRef::DateTimeIso(s) => Some(iso_date_time(s)),
        DataRef::DurationIso(s) => text(s),
        DataRef::Error(e) => Some(CellValue::Error(e.to_string())),
    }
}

/// A formula that returns `""` shows nothing, and a blank row made of such
/// formulas must stay blank.
fn text(s: &str) -> Option<CellValue> {
    (!s.is_empty()).then(|| CellValue::Text(s.to_string()))
}

/// The decimal the user typed; a double no decimal can hold (NaN, or beyond
/// 28 digits) is kept as text so that the caller can still name it.
fn number(value: f64) -> CellValue {
    match decimal_from_f64(value) {
        Some(decimal) => CellValue::Number(decimal),
        None => CellValue::Text(value.to_string()),
    }
}

/// A date-formatted number. calamine knows the cell's format but not
/// reliably the epoch when it converts, so the serial is converted here
/// with the workbook's date system.
fn date_time(dt: &ExcelDateTime, is_1904: bool) -> CellValue {
    let serial = dt.as_f64();
    if dt.is_duration() {
        return duration_text(serial).map_or_else(|| number(serial), CellValue::Text);
    }
    // A serial below one day has no date: the cell shows a time of day.
    if (0.0..1.0).contains(&serial) {
        return time_of_day_text(serial).map_or_else(|| number(serial), CellValue::Text);
    }
    match date_from_serial(serial, is_1904) {
        Some(date) => CellValue::Date(date),
        // Excel shows ##### for these; the number keeps what was stored.
        None => number(serial),
    }
}

/// The date of an Excel serial number (the time of day dropped), `None`
/// outside the days Excel can show and for 1900-02-29, a day that Excel
/// counts but that never was.
pub(super) fn date_from_serial(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    let last = if is_1904 {
        LAST_SERIAL_1904
    } else {
        LAST_SERIAL_1900
    };
    if !serial.is_finite() || serial < 0.0 || serial >= last + 1.0 {
        return None;
    }
    // Rounded to the millisecond first, as Excel does before it shows a
    // date, so that 23:59:59.9999 is the next day.
    let whole_days = ((serial * MILLISECONDS_PER_DAY).round() / MILLISECONDS_PER_DAY).floor();
    if whole_days > last {
        return None;
    }
    // In range, so the cast is exact.
    let days = whole_days as u64;
    if is_1904 {
        return NaiveDate::from_ymd_opt(1904, 1, 1)?.checked_add_days(Days::new(days));
    }
    match days {
        // Excel's day 0 is shown as 1900-01-00.
        0 => None,
        // Excel counts 1900 as a leap year: day 60 is its 1900-02-29.
        60 => None,
        1..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?.checked_add_days(Days::new(days)),
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(days)),
    }
}

/// `HH:MM:SS` for a time of day stored as a fraction of a day.
fn time_of_day_text(fraction: f64) -> Option<String> {
    let seconds = seconds_of(fraction)?;
    // 23:59:59.6 rounds up to the next midnight.
    let seconds = seconds % 86_400;
    Some(format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    ))
}

/// `[h]:MM:SS` for a duration, as Excel shows one: total hours, so 10.5
/// days is `252:00:00`.
fn duration_text(days: f64) -> Option<String> {
    let sign = if days < 0.0 { "-" } else { "" };
    let seconds = seconds_of(days.abs())?;
    Some(format!(
        "{sign}{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    ))
}

/// Whole seconds in a non-negative number of days, `None` for NaN and
/// implausibly long spans.
fn seconds_of(days: f64) -> Option<u64> {
    if !(0.0..LONGEST_DURATION_DAYS).contains(&days) {
        return None;
    }
    // Bounded above, so the cast cannot saturate.
    Some((days * 86_400.0).round() as u64)
}

/// An ISO 8601 date or date-time (ods cells, xlsx `t="d"` cells) is a date;
/// a bare time or anything else stays text.
fn iso_date_time(s: &str) -> CellValue {
    let date = s
        .get(..10)
        .filter(|_| matches!(s.as_bytes().get(10), None | Some(b'T' | b' ')))
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok());
    match date {
        Some(date) => CellValue::Date(date),
        None => CellValue::Text(s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{CellErrorType, ExcelDateTimeType};
    use rust_decimal_macros::dec;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn dated(serial: f64, typ: ExcelDateTimeType, is_1904: bool) -> Data {
        Data::DateTime(ExcelDateTime::new(serial, typ, is_1904))
    }

    #[test]
    fn serials_become_dates_in_both_date_systems() {
        let cases = [
            (1.0, false, Some(ymd(1900, 1, 1))),
            (59.0, false, Some(ymd(1900, 2, 28))),
            (60.0, false, None),
            (61.0, false, Some(ymd(1900, 3, 1))),
            (45_943.5, false, Some(ymd(2025, 10, 13))),
            (45_943.999_999_999, false, Some(ymd(2025, 10, 14))),
            (2_958_465.0, false, Some(ymd(9999, 12, 31))),
            (2_958_466.0, false, None),
            (2_958_465.999_999_999, false, None),
            (0.0, true, Some(ymd(1904, 1, 1))),
            (42_735.0, true, Some(ymd(2021, 1, 1))),
            (42_735.0, false, Some(ymd(2016, 12, 31))),
            (2_957_003.0, true, Some(ymd(9999, 12, 31))),
            (2_957_004.0, true, None),
            (-1.0, false, None),
            (f64::NAN, false, None),
            (f64::INFINITY, true, None),
            (1e300, false, None),
        ];
        for (serial, is_1904, expected) in cases {
            assert_eq!(
                date_from_serial(serial, is_1904),
                expected,
                "{serial} {is_1904}"
            );
        }
    }

    #[test]
    fn cells_show_what_a_spreadsheet_shows() {
        use ExcelDateTimeType::{DateTime, TimeDelta};
        let cases = [
            (Data::Empty, None),
            (Data::String(String::new()), None),
            (Data::Float(0.1), Some(CellValue::Number(dec!(0.1)))),
            (Data::Float(-120.0), Some(CellValue::Number(dec!(-120)))),
            (
                Data::Int(i64::MAX),
                Some(CellValue::Number(Decimal::from(i64::MAX))),
            ),
            (
                Data::Float(1e30),
                Some(CellValue::Text("1000000000000000000000000000000".into())),
            ),
            (Data::Float(f64::NAN), Some(CellValue::Text("NaN".into()))),
            (
                Data::String("Spring".into()),
                Some(CellValue::Text("Spring".into())),
            ),
            (Data::Bool(true), Some(CellValue::Bool(true))),
            (
                dated(42_735.0, DateTime, false),
                Some(CellValue::Date(ymd(2016, 12, 31))),
            ),
            (
                dated(0.5, DateTime, false),
                Some(CellValue::Text("12:00:00".into())),
            ),
            (
                dated(0.999_999_99, DateTime, false),
                Some(CellValue::Text("00:00:00".into())),
            ),
            (
                dated(10.632_060_185_185_2, TimeDelta, true),
                Some(CellValue::Text("255:10:10".into())),
            ),
            (
                dated(-0.25, TimeDelta, false),
                Some(CellValue::Text("-6:00:00".into())),
            ),
            (
                dated(1e30, DateTime, false),
                Some(CellValue::Text("1000000000000000000000000000000".into())),
            ),
            (
                dated(3e6, DateTime, false),
                Some(CellValue::Number(dec!(3000000))),
            ),
            (
                dated(-3.0, DateTime, false),
                Some(CellValue::Number(dec!(-3))),
            ),
            (
                Data::DateTimeIso("2021-01-01".into()),
                Some(CellValue::Date(ymd(2021, 1, 1))),
            ),
            (
                Data::DateTimeIso("2021-01-01T10:10:10".into()),
                Some(CellValue::Date(ymd(2021, 1, 1))),
            ),
            (
                Data::DateTimeIso("10:10:10".into()),
                Some(CellValue::Text("10:10:10".into())),
            ),
            (
                Data::DateTimeIso("2021-02-30".into()),
                Some(CellValue::Text("2021-02-30".into())),
            ),
            (
                Data::DateTimeIso("2021-01-015".into()),
                Some(CellValue::Text("2021-01-015".into())),
            ),
            (
                Data::DurationIso("PT10H".into()),
                Some(CellValue::Text("PT10H".into())),
            ),
            (
                Data::Error(CellErrorType::Ref),
                Some(CellValue::Error("#REF!".into())),
            ),
            (
                Data::Error(CellErrorType::Div0),
                Some(CellValue::Error("#DIV/0!".into())),
            ),
        ];
        for (data, expected) in cases {
            assert_eq!(from_data(&data, false), expected, "{data:?}");
        }
        // The workbook's date system decides.
        assert_eq!(
            from_data(&dated(42_735.0, DateTime, true), true),
            Some(CellValue::Date(ymd(2021, 1, 1)))
        );
    }

    #[test]
    fn shared_strings_read_like_strings() {
        assert_eq!(
            from_data_ref(&DataRef::SharedString("Budget"), false),
            Some(CellValue::Text("Budget".into()))
        );
        assert_eq!(from_data_ref(&DataRef::SharedString(""), false), None);
    }
}
