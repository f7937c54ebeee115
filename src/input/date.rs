//! Dates written as text: ISO 8601, day and month in a configured order,
//! English month names, and the date ranges in the title lines of exports.

use std::fmt;

use chrono::{NaiveDate, NaiveTime};

/// The order of day and month in text dates that are not ISO 8601.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    DayMonthYear,
    MonthDayYear,
}

/// Why a text is not a date; each carries the text as it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// No date in any form spendsheet reads.
    NotADate { text: String },
    /// Day, month and year with the year last (`01/03/2026`), while no
    /// `date_order` says whether the day or the month comes first.
    OrderNotSet { text: String },
    /// Written as a date, but no such day exists (`2026-02-30`).
    NoSuchDay { text: String },
    /// Not in the form a reader expects, such as month/day/year dates in an
    /// export; `expected` is an example of that form.
    WrongForm {
        text: String,
        expected: &'static str,
    },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::NotADate { text } => write!(
                f,
                "'{text}' is not a date: write dates as year-month-day, such as 2026-03-01, or \
                 set date_order = \"dmy\" or \"mdy\" in spendsheet.toml to read dates such as \
                 01.03.2026"
            ),
            DateError::OrderNotSet { text } => write!(
                f,
                "'{text}' could have the day or the month first: write dates as year-month-day, \
                 such as 2026-03-01, or set date_order = \"dmy\" (day first) or \"mdy\" (month \
                 first) in spendsheet.toml"
            ),
            DateError::NoSuchDay { text } => write!(
                f,
                "'{text}' is not a day of the calendar: check the day and the month"
            ),
            DateError::WrongForm { text, expected } => {
                write!(
                    f,
                    "'{text}' is not a date: expected a date such as {expected}"
                )
            }
        }
    }
}

impl std::error::Error for DateError {}

/// Reads a text date: ISO 8601 (`2026-03-01`, also followed by a time of day
/// as in `2026-03-01T10:00:00` or `2026-03-01 10:00`), or, when `order` is
/// set, day, month and a four-digit year (`1.3.2026`, `01/03/2026`,
/// `01-03-2026`). Without `order`, such dates are
/// [`DateError::OrderNotSet`]: `01/03/2026` could be either of two days.
///
/// ```
/// use spendsheet::input::date::{parse_text_date, DateOrder};
///
/// let date = parse_text_date("01/03/2026", Some(DateOrder::DayMonthYear));
/// assert_eq!(date.map(|d| d.to_string()), Ok("2026-03-01".to_string()));
/// assert!(parse_text_date("2026-02-30", None).is_err());
/// ```
pub fn parse_text_date(text: &str, order: Option<DateOrder>) -> Result<NaiveDate, DateError> {
    let not_a_date = || DateError::NotADate {
        text: text.to_string(),
    };
    let date = without_time_of_day(text.trim()).ok_or_else(not_a_date)?;
    let (_, fields) = numeric_fields(date).ok_or_else(not_a_date)?;
    let [first, second, third] = fields;

    match (year_position(fields), order) {
        (Some(YearPosition::First), _) => numeric_date(text, first, second, third),
        (Some(YearPosition::Last), Some(DateOrder::DayMonthYear)) => {
            numeric_date(text, third, second, first)
        }
        (Some(YearPosition::Last), Some(DateOrder::MonthDayYear)) => {
            numeric_date(text, third, first, second)
        }
        (Some(YearPosition::Last), None) => Err(DateError::OrderNotSet {
            text: text.to_string(),
        }),
        (None, _) => Err(not_a_date()),
    }
}

/// An example of the dates [`parse_month_name_date`] reads.
const MONTH_NAME_FORM: &str = "March 27, 2026 or 27 March 2026";

/// Reads a date with an English month name, full or shortened to three
/// letters, in any case: `March 27, 2026`, `Mar 27 2026`, `27 March 2026`
/// (the ECB's daily rates write `25 January 2018`).
///
/// ```
/// use spendsheet::input::date::parse_month_name_date;
///
/// let date = parse_month_name_date("Mar 27, 2026");
/// assert_eq!(date.map(|d| d.to_string()), Ok("2026-03-27".to_string()));
/// ```
pub fn parse_month_name_date(text: &str) -> Result<NaiveDate, DateError> {
    let wrong_form = || DateError::WrongForm {
        text: text.to_string(),
        expected: MONTH_NAME_FORM,
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let &[first, second, year] = words.as_slice() else {
        return Err(wrong_form());
    };

    // `March 27, 2026` has the comma after the day; `27 March 2026` none.
    let (month, day) = match month_number(first) {
        Some(month) => (month, second.strip_suffix(',').unwrap_or(second)),
        None => (month_number(second).ok_or_else(wrong_form)?, first),
    };
    if !is_day_field(day) || !is_year_field(year) {
        return Err(wrong_form());
    }
    calendar_date(text, year, month, day)
}

/// An example of the dates [`parse_us_date`] reads.
const US_FORM: &str = "9/1/2026 (month/day/year)";

/// Reads a month/day/year date as US exports write it: `9/1/2026`,
/// `09/01/2026`, also followed by a time of day (`9/1/2026 12:00:00 AM`).
///
/// ```
/// use spendsheet::input::date::parse_us_date;
///
/// let date = parse_us_date("9/1/2026");
/// assert_eq!(date.map(|d| d.to_string()), Ok("2026-09-01".to_string()));
/// ```
pub fn parse_us_date(text: &str) -> Result<NaiveDate, DateError> {
    let wrong_form = || DateError::WrongForm {
        text: text.to_string(),
        expected: US_FORM,
    };
    let date = without_time_of_day(text.trim()).ok_or_else(wrong_form)?;
    let (separator, fields) = numeric_fields(date).ok_or_else(wrong_form)?;
    if separator != '/' || year_position(fields) != Some(YearPosition::Last) {
        return Err(wrong_form());
    }
    let [month, day, year] = fields;
    numeric_date(text, year, month, day)
}

/// The separators between the two ends of a date range.
const RANGE_SEPARATORS: [&str; 4] = [" - ", "\u{2013}", "\u{2014}", " to "];

/// Reads the date range of an export's title line: `March 27, 2026 - April
/// 23, 2026` (also with an en or em dash), `2026-03-01 - 2026-03-31`,
/// `2026-03-01 to 2026-03-31`. `None` for any other line, including ranges
/// that end before they start, so that callers can try it on every title
/// line.
///
/// ```
/// use spendsheet::input::date::parse_date_range;
///
/// let range = parse_date_range("March 27, 2026 - April 23, 2026");
/// let shown = range.map(|(start, end)| format!("{start} {end}"));
/// assert_eq!(shown, Some("2026-03-27 2026-04-23".to_string()));
/// assert_eq!(parse_date_range("All time"), None);
/// ```
pub fn parse_date_range(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    // A title line taken from a file without its CSV quoting still reads.
    let text = text.trim().trim_matches('"');
    RANGE_SEPARATORS.iter().find_map(|separator| {
        let (start, end) = text.split_once(separator)?;
        let (start, end) = (range_end(start)?, range_end(end)?);
        (start <= end).then_some((start, end))
    })
}

/// One end of a date range: an ISO date or one with a month name.
fn range_end(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    parse_text_date(text, None)
        .or_else(|_| parse_month_name_date(text))
        .ok()
}

/// Where the four-digit year stands among three numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum YearPosition {
    /// `2026-03-01`: year, month, day in every convention.
    First,
    /// `01/03/2026`: day and month in an order the text does not say.
    Last,
}

fn year_position([first, second, third]: [&str; 3]) -> Option<YearPosition> {
    if is_year_field(first) && is_day_field(second) && is_day_field(third) {
        Some(YearPosition::First)
    } else if is_day_field(first) && is_day_field(second) && is_year_field(third) {
        Some(YearPosition::Last)
    } else {
        None
    }
}

fn is_year_field(field: &str) -> bool {
    field.len() == 4 && is_ascii_digits(field)
}

/// One or two digits: a day or a month.
fn is_day_field(field: &str) -> bool {
    (1..=2).contains(&field.len()) && is_ascii_digits(field)
}

fn is_ascii_digits(text: &str) -> bool {
    text.bytes().all(|byte| byte.is_ascii_digit())
}

/// Splits `2026-03-01`, `1.3.2026` or `01/03/2026` into its separator and
/// three numbers; `None` unless it is three runs of digits between two of
/// the same separator.
fn numeric_fields(date: &str) -> Option<(char, [&str; 3])> {
    let separator = date.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(separator, '-' | '/' | '.') {
        return None;
    }
    let mut parts = date.split(separator);
    let fields = [parts.next()?, parts.next()?, parts.next()?];
    let well_formed = parts.next().is_none()
        && fields
            .iter()
            .all(|field| !field.is_empty() && is_ascii_digits(field));
    well_formed.then_some((separator, fields))
}

/// The date part of `text`, without a time of day after `T` or a space
/// (`2026-03-01T10:00:00`, `2026-03-01 10:00`); `None` when what follows is
/// not a time of day.
fn without_time_of_day(text: &str) -> Option<&str> {
    match text.split_once(['T', ' ']) {
        Some((date, time)) => is_time_of_day(time.trim()).then_some(date),
        None => Some(text),
    }
}

/// The forms a time of day takes after a date in exports and spreadsheets.
const TIME_FORMATS: [&str; 4] = ["%H:%M", "%H:%M:%S%.f", "%I:%M %p", "%I:%M:%S %p"];

fn is_time_of_day(text: &str) -> bool {
    let clock = without_zone(text);
    TIME_FORMATS
        .iter()
        .any(|format| NaiveTime::parse_from_str(clock, format).is_ok())
}

/// `10:00:00Z` and `10:00:00+01:00` without their zone: a date is taken as
/// written, whatever zone its time is in.
fn without_zone(text: &str) -> &str {
    if let Some(clock) = text.strip_suffix(['Z', 'z']) {
        return clock;
    }
    match text.rsplit_once(['+', '-']) {
        Some((clock, offset)) if is_zone_offset(offset) => clock,
        _ => text,
    }
}

/// `01`, `0100` or `01:00`.
fn is_zone_offset(text: &str) -> bool {
    let digits = text.replacen(':', "", 1);
    matches!(digits.len(), 2 | 4) && is_ascii_digits(&digits)
}

/// The date of three numeric fields already known to be a year and two
/// fields of one or two digits.
fn numeric_date(text: &str, year: &str, month: &str, day: &str) -> Result<NaiveDate, DateError> {
    let month = month.parse().map_err(|_| DateError::NoSuchDay {
        text: text.to_string(),
    })?;
    calendar_date(text, year, month, day)
}

/// The day `year`-`month`-`day` of the calendar; [`DateError::NoSuchDay`]
/// for 2026-02-30 or a month 13.
fn calendar_date(text: &str, year: &str, month: u32, day: &str) -> Result<NaiveDate, DateError> {
    let no_such_day = || DateError::NoSuchDay {
        text: text.to_string(),
    };
    let year = year.parse().map_err(|_| no_such_day())?;
    let day = day.parse().map_err(|_| no_such_day())?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(no_such_day)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The number of an English month name: full, three letters (`Mar`, also
/// `Mar.`) or `Sept`, in any case.
fn month_number(word: &str) -> Option<u32> {
    let word = word.strip_suffix('.').unwrap_or(word).to_lowercase();
    let is_called = |name: &str| {
        word == name
            || Some(word.as_str()) == name.get(..3)
            || (name == "september" && word == "sept")
    };
    MONTHS
        .iter()
        .zip(1..)
        .find(|(name, _)| is_called(name))
        .map(|(_, number)| number)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DMY: Option<DateOrder> = Some(DateOrder::DayMonthYear);
    const MDY: Option<DateOrder> = Some(DateOrder::MonthDayYear);

    fn shown<E>(date: Result<NaiveDate, E>) -> Result<String, E> {
        date.map(|date| date.to_string())
    }

    #[test]
    fn text_dates_in_iso_form_or_the_configured_order() {
        let cases = [
            ("2026-03-01", None, "2026-03-01"),
            ("  2026-03-01\u{00A0}", None, "2026-03-01"),
            ("2026-03-01T10:00:00", None, "2026-03-01"),
            ("2026-03-01T10:00", None, "2026-03-01"),
            ("2026-03-01 10:00", None, "2026-03-01"),
            ("2026-03-01 10:00:00.250", None, "2026-03-01"),
            ("2026-03-01T23:30:00Z", None, "2026-03-01"),
            ("2026-03-01T23:30:00+01:00", None, "2026-03-01"),
            ("2026-03-01T23:30:00-0500", None, "2026-03-01"),
            ("2026-3-1", None, "2026-03-01"),
            ("2026/03/01", None, "2026-03-01"),
            ("2024-02-29", None, "2024-02-29"),
            ("2026-03-01", DMY, "2026-03-01"),
            ("2026-03-01", MDY, "2026-03-01"),
            ("1.3.2026", DMY, "2026-03-01"),
            ("01/03/2026", DMY, "2026-03-01"),
            ("01-03-2026", DMY, "2026-03-01"),
            ("31/12/2026", DMY, "2026-12-31"),
            ("01.03.2026 10:00", DMY, "2026-03-01"),
            ("1.3.2026", MDY, "2026-01-03"),
            ("01/03/2026", MDY, "2026-01-03"),
            ("01-03-2026", MDY, "2026-01-03"),
            ("12/31/2026", MDY, "2026-12-31"),
        ];
        for (text, order, date) in cases {
            let read = shown(parse_text_date(text, order));
            assert_eq!(read, Ok(date.to_string()), "{text:?} {order:?}");
        }
    }

    #[test]
    fn text_dates_that_are_errors() {
        let not_a_date = |text: &str| DateError::NotADate {
            text: text.to_string(),
        };
        let order_not_set = |text: &str| DateError::OrderNotSet {
            text: text.to_string(),
        };
        let no_such_day = |text: &str| DateError::NoSuchDay {
            text: text.to_string(),
        };
        let cases = [
            ("", None, not_a_date("")),
            ("   ", None, not_a_date("   ")),
            ("soon", None, not_a_date("soon")),
            ("2026-03", None, not_a_date("2026-03")),
            ("2026-03-01-02", None, not_a_date("2026-03-01-02")),
            ("20260301", None, not_a_date("20260301")),
            ("2026-03-01x", None, not_a_date("2026-03-01x")),
            ("+2026-03-01", None, not_a_date("+2026-03-01")),
            ("12026-03-01", None, not_a_date("12026-03-01")),
            ("2026-003-01", None, not_a_date("2026-003-01")),
            ("2026-03/01", None, not_a_date("2026-03/01")),
            ("2026-03-01T", None, not_a_date("2026-03-01T")),
            ("2026-03-01T25:00", None, not_a_date("2026-03-01T25:00")),
            ("2026-03-01 and on", None, not_a_date("2026-03-01 and on")),
            ("March 27, 2026", None, not_a_date("March 27, 2026")),
            ("March 27, 2026", DMY, not_a_date("March 27, 2026")),
            ("01/03/26", DMY, not_a_date("01/03/26")),
            ("01/03-2026", DMY, not_a_date("01/03-2026")),
            ("2026-02-30", None, no_such_day("2026-02-30")),
            ("2025-02-29", None, no_such_day("2025-02-29")),
            ("2026-13-01", None, no_such_day("2026-13-01")),
            ("2026-00-10", None, no_such_day("2026-00-10")),
            ("2026-04-31T10:00", None, no_such_day("2026-04-31T10:00")),
            ("31/04/2026", DMY, no_such_day("31/04/2026")),
            ("13/03/2026", MDY, no_such_day("13/03/2026")),
            ("0.3.2026", DMY, no_such_day("0.3.2026")),
            ("01/03/2026", None, order_not_set("01/03/2026")),
            ("1.3.2026", None, order_not_set("1.3.2026")),
            ("01-03-2026", None, order_not_set("01-03-2026")),
            ("13/03/2026", None, order_not_set("13/03/2026")),
        ];
        for (text, order, error) in cases {
            assert_eq!(
                parse_text_date(text, order),
                Err(error),
                "{text:?} {order:?}"
            );
        }
    }

    #[test]
    fn dates_with_english_month_names() {
        let cases = [
            ("March 27, 2026", "2026-03-27"),
            ("Mar 27, 2026", "2026-03-27"),
            ("Mar 27 2026", "2026-03-27"),
            ("MARCH 27, 2026", "2026-03-27"),
            ("mar. 7, 2026", "2026-03-07"),
            ("27 March 2026", "2026-03-27"),
            ("27 mar 2026", "2026-03-27"),
            ("25 January 2018", "2018-01-25"),
            ("1 Sept 2026", "2026-09-01"),
            ("December 31, 2025", "2025-12-31"),
            ("  July 8, 2025 ", "2025-07-08"),
            ("February 29, 2024", "2024-02-29"),
        ];
        for (text, date) in cases {
            let read = shown(parse_month_name_date(text));
            assert_eq!(read, Ok(date.to_string()), "{text:?}");
        }

        let wrong_form = |text: &str| DateError::WrongForm {
            text: text.to_string(),
            expected: MONTH_NAME_FORM,
        };
        let bad = [
            ("", wrong_form("")),
            ("March 2026", wrong_form("March 2026")),
            ("Marc 27, 2026", wrong_form("Marc 27, 2026")),
            ("March 27, 26", wrong_form("March 27, 26")),
            ("March 127, 2026", wrong_form("March 127, 2026")),
            ("27 March, 2026", wrong_form("27 March, 2026")),
            ("2026-03-27", wrong_form("2026-03-27")),
            ("Friday March 27, 2026", wrong_form("Friday March 27, 2026")),
            (
                "February 30, 2026",
                DateError::NoSuchDay {
                    text: "February 30, 2026".to_string(),
                },
            ),
            (
                "0 March 2026",
                DateError::NoSuchDay {
                    text: "0 March 2026".to_string(),
                },
            ),
        ];
        for (text, error) in bad {
            assert_eq!(parse_month_name_date(text), Err(error), "{text:?}");
        }
    }

    #[test]
    fn month_day_year_dates_of_us_exports() {
        let cases = [
            ("9/1/2026", "2026-09-01"),
            ("09/01/2026", "2026-09-01"),
            ("12/31/2026", "2026-12-31"),
            (" 9/30/2026 ", "2026-09-30"),
            ("9/1/2026 12:00:00 AM", "2026-09-01"),
            ("9/1/2026 14:30", "2026-09-01"),
        ];
        for (text, date) in cases {
            let read = shown(parse_us_date(text));
            assert_eq!(read, Ok(date.to_string()), "{text:?}");
        }

        let wrong_form = |text: &str| DateError::WrongForm {
            text: text.to_string(),
            expected: US_FORM,
        };
        let bad = [
            ("", wrong_form("")),
            ("2026-09-01", wrong_form("2026-09-01")),
            ("9.1.2026", wrong_form("9.1.2026")),
            ("9/1/26", wrong_form("9/1/26")),
            ("9/1", wrong_form("9/1")),
            ("9/1/2026 noon", wrong_form("9/1/2026 noon")),
            (
                "13/1/2026",
                DateError::NoSuchDay {
                    text: "13/1/2026".to_string(),
                },
            ),
            (
                "2/30/2026",
                DateError::NoSuchDay {
                    text: "2/30/2026".to_string(),
                },
            ),
        ];
        for (text, error) in bad {
            assert_eq!(parse_us_date(text), Err(error), "{text:?}");
        }
    }

    #[test]
    fn date_ranges_of_title_lines() {
        let cases = [
            (
                "March 27, 2026 - April 23, 2026",
                "2026-03-27",
                "2026-04-23",
            ),
            (
                "March 27, 2026 \u{2013} April 23, 2026",
                "2026-03-27",
                "2026-04-23",
            ),
            (
                "March 27, 2026\u{2013}April 23, 2026",
                "2026-03-27",
                "2026-04-23",
            ),
            (
                "March 27, 2026 \u{2014} April 23, 2026",
                "2026-03-27",
                "2026-04-23",
            ),
            (
                "\"July 8, 2025 - July 31, 2025\"",
                "2025-07-08",
                "2025-07-31",
            ),
            ("2026-03-01 - 2026-03-31", "2026-03-01", "2026-03-31"),
            ("2026-03-01 \u{2013} 2026-03-31", "2026-03-01", "2026-03-31"),
            ("2026-03-01 to 2026-03-31", "2026-03-01", "2026-03-31"),
            ("1 March 2026 to 31 March 2026", "2026-03-01", "2026-03-31"),
            ("2026-03-01 - 2026-03-01", "2026-03-01", "2026-03-01"),
        ];
        for (text, start, end) in cases {
            let range = parse_date_range(text).map(|(s, e)| (s.to_string(), e.to_string()));
            assert_eq!(
                range,
                Some((start.to_string(), end.to_string())),
                "{text:?}"
            );
        }

        for text in [
            "",
            "All time",
            "Campaign report",
            "March 27, 2026",
            "2026-03-01",
            "2026-03-31 - 2026-03-01",
            "2026-03-01 - soon",
            "2026-02-30 - 2026-03-31",
            "01/03/2026 - 31/03/2026",
            "Report Start: 09/01/2026, Report End: 09/30/2026",
            "2026-03-01 - 2026-03-15 - 2026-03-31",
        ] {
            assert_eq!(parse_date_range(text), None, "{text:?}");
        }
    }

    #[test]
    fn errors_say_how_to_write_a_date() {
        let cases = [
            (
                parse_text_date("soon", None),
                "'soon' is not a date: write dates as year-month-day, such as 2026-03-01, or set \
                 date_order = \"dmy\" or \"mdy\" in spendsheet.toml to read dates such as \
                 01.03.2026",
            ),
            (
                parse_text_date("01/03/2026", None),
                "'01/03/2026' could have the day or the month first: write dates as \
                 year-month-day, such as 2026-03-01, or set date_order = \"dmy\" (day first) or \
                 \"mdy\" (month first) in spendsheet.toml",
            ),
            (
                parse_text_date("2026-02-30", None),
                "'2026-02-30' is not a day of the calendar: check the day and the month",
            ),
            (
                parse_us_date("2026-09-01"),
                "'2026-09-01' is not a date: expected a date such as 9/1/2026 (month/day/year)",
            ),
            (
                parse_month_name_date("Marc 27"),
                "'Marc 27' is not a date: expected a date such as March 27, 2026 or 27 March 2026",
            ),
        ];
        for (result, message) in cases {
            let error = result.expect_err("not a date");
            assert_eq!(error.to_string(), message);
        }
    }
}
