//! Amounts written as text: a currency symbol or code before or after the
//! number, thousands separators, either decimal mark, and negatives written
//! with a sign or in parentheses.

use std::fmt;

use rust_decimal::Decimal;

use crate::money::Currency;

/// Which character separates the whole units from the fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalMark {
    Comma,
    Period,
}

impl DecimalMark {
    /// The character itself: `,` or `.`.
    pub fn as_char(self) -> char {
        match self {
            DecimalMark::Comma => ',',
            DecimalMark::Period => '.',
        }
    }
}

/// A currency symbol or code written inside a text amount (`kr`, `$`, `USD`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencyMark {
    /// The symbol or code exactly as written: `kr.`, `US$`, `nok`.
    pub written: String,
}

impl CurrencyMark {
    /// Every currency the mark can stand for: one for a code (`NOK`) or a
    /// symbol of one currency (`€`, `zł`, `US$`), several for a shared symbol
    /// (`$`, `kr`, `£`, `¥`), none for a text that is no known mark.
    pub fn currencies(&self) -> Vec<Currency> {
        match symbol_currencies(&self.written) {
            Some(codes) => codes
                .iter()
                .filter_map(|code| Currency::from_code(code))
                .collect(),
            None => Currency::from_code(&self.written).into_iter().collect(),
        }
    }

    /// The currency the mark names when it can stand for only one (`USD`,
    /// `€`, `R$`); `None` for shared symbols such as `$` and `kr`.
    pub fn currency(&self) -> Option<Currency> {
        match self.currencies().as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }

    /// Whether the mark can stand for `currency`: a code fits only itself,
    /// `kr` fits NOK, SEK, DKK and ISK, `$` fits every dollar and peso
    /// written with a bare dollar sign.
    pub fn fits(&self, currency: Currency) -> bool {
        self.currencies().contains(&currency)
    }
}

/// A parsed text amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextAmount {
    /// The number with the decimals as written (`1 234,50` is 1234.50),
    /// negative for `-12.50`, `12.50-` and `(12.50)`.
    pub value: Decimal,
    /// The currency symbol or code written beside the number, if any.
    pub currency: Option<CurrencyMark>,
}

/// Why a text is not an amount; each carries the text as it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    /// Not a number in any form spendsheet reads (`12,5O`, `1e3`).
    NotAnAmount { text: String },
    /// A single `,` or `.` followed by three digits (`1,234`): it could
    /// group thousands or mark decimals, and no `decimal_mark` is set.
    AmbiguousDecimalMark { text: String },
    /// More digits than an exact decimal holds.
    OutOfRange { text: String },
    /// A three-letter code beside the number that is not ISO 4217.
    UnknownCurrency { text: String, code: String },
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::NotAnAmount { text } => write!(
                f,
                "'{text}' is not an amount: expected a number such as 1234.56, 1 234,56 or (120.00)"
            ),
            AmountError::AmbiguousDecimalMark { text } => write_ambiguity(f, text),
            AmountError::OutOfRange { text } => write!(
                f,
                "'{text}' has too many digits to be read exactly: an amount can have at most 28 \
                 digits, decimals included"
            ),
            AmountError::UnknownCurrency { text, code } => write!(
                f,
                "'{text}' names the currency {code}, which is not an ISO 4217 currency code; \
                 write a code such as EUR, USD or NOK, or leave the currency out"
            ),
        }
    }
}

impl std::error::Error for AmountError {}

/// Shows both readings of an ambiguous amount and how to settle it.
fn write_ambiguity(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    let Some(readings) = Ambiguity::of(text) else {
        return write!(
            f,
            "'{text}' has an ambiguous decimal mark: write it with both separators, such as \
             1,234.00, or set decimal_mark in spendsheet.toml"
        );
    };
    let Ambiguity {
        grouped,
        decimal,
        unambiguous,
    } = readings;
    write!(
        f,
        "'{text}' has an ambiguous decimal mark: it could be {grouped} or {decimal}; write \
         {grouped} or {unambiguous}, or set decimal_mark in spendsheet.toml (\".\" reads it as \
         {grouped}, \",\" as {decimal})"
    )
}

/// The two readings of an ambiguous amount such as `1,234`.
struct Ambiguity {
    /// The mark read as a thousands separator: `1234`.
    grouped: String,
    /// The mark read as the decimal mark: `1.234`.
    decimal: String,
    /// The grouped reading written so that it cannot be misread: `1,234.00`.
    unambiguous: String,
}

impl Ambiguity {
    fn of(text: &str) -> Option<Ambiguity> {
        let number = split_amount(text)?.number;
        let mark = number.chars().find(|c| matches!(c, ',' | '.'))?;
        let other = if mark == ',' { '.' } else { ',' };
        Some(Ambiguity {
            grouped: number.replace(mark, ""),
            decimal: number.replace(mark, "."),
            unambiguous: format!("{number}{other}00"),
        })
    }
}

/// Reads a text amount such as `kr 1 234,50`, `$1,234.56`, `1.234,56 €`,
/// `(120.00)` or `12.50-`.
///
/// Without `decimal_mark`, the decimal mark is worked out from the text: the
/// last of `,` and `.` when both occur, the thousands separator when one of
/// them occurs several times, and otherwise the decimal mark, unless it is
/// followed by exactly three digits after one to three digits (`1,234`),
/// which is [`AmountError::AmbiguousDecimalMark`]. `decimal_mark` settles only
/// that ambiguous case; any other text reads the same with or without it.
/// Spaces and apostrophes only ever separate thousands. Every group after a
/// thousands separator must have exactly three digits.
///
/// ```
/// use spendsheet::input::amount::{parse_text_amount, DecimalMark};
///
/// let amount = parse_text_amount("kr 1 234,50", None).expect("an amount");
/// assert_eq!(amount.value.to_string(), "1234.50");
/// assert_eq!(amount.currency.map(|mark| mark.written), Some("kr".to_string()));
///
/// let amount = parse_text_amount("1,234", Some(DecimalMark::Comma)).expect("an amount");
/// assert_eq!(amount.value.to_string(), "1.234");
/// ```
pub fn parse_text_amount(
    text: &str,
    decimal_mark: Option<DecimalMark>,
) -> Result<TextAmount, AmountError> {
    let pieces = split_amount(text).ok_or_else(|| AmountError::NotAnAmount {
        text: text.to_string(),
    })?;

    let magnitude =
        parse_number(pieces.number, decimal_mark).map_err(|problem| problem.into_error(text))?;

    let currency = match pieces.word {
        Some(word) => Some(read_currency_mark(word, text)?),
        None => None,
    };

    Ok(TextAmount {
        value: with_sign(magnitude, pieces.negative),
        currency,
    })
}

// ---------------------------------------------------------------------------
// Taking the text apart: signs, parentheses and a currency around a number.

/// A text amount taken apart.
struct Pieces<'a> {
    /// Digits and separators only, if the text was an amount at all.
    number: &'a str,
    negative: bool,
    /// The symbol or code beside the number, not yet looked up.
    word: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sign {
    Plus,
    Minus,
}

/// What was written around the number. Each kind may occur once, so that
/// `--12`, `-12-` and `USD 12 NOK` are not amounts.
#[derive(Default)]
struct Affixes<'a> {
    open_paren: bool,
    close_paren: bool,
    sign: Option<Sign>,
    word: Option<&'a str>,
}

impl<'a> Affixes<'a> {
    fn set_open_paren(&mut self) -> Option<()> {
        set_once(&mut self.open_paren, true)
    }

    fn set_close_paren(&mut self) -> Option<()> {
        set_once(&mut self.close_paren, true)
    }

    fn set_sign(&mut self, sign: Sign) -> Option<()> {
        set_once(&mut self.sign, Some(sign))
    }

    fn set_word(&mut self, word: &'a str) -> Option<()> {
        set_once(&mut self.word, Some(word))
    }

    /// Whether the amount is negative; `None` when the parentheses do not
    /// pair or come with a sign as well (`(-12)` says nothing clear).
    fn negative(&self) -> Option<bool> {
        match (self.open_paren, self.close_paren, self.sign) {
            (true, true, None) => Some(true),
            (false, false, sign) => Some(sign == Some(Sign::Minus)),
            _ => None,
        }
    }
}

/// Sets `slot` to `value` if it still holds its default; `None` when it was
/// already set.
fn set_once<T: Default + PartialEq>(slot: &mut T, value: T) -> Option<()> {
    if *slot != T::default() {
        return None;
    }
    *slot = value;
    Some(())
}

/// Peels signs, parentheses and a currency off both ends of `text`.
fn split_amount(text: &str) -> Option<Pieces<'_>> {
    let mut affixes = Affixes::default();
    let rest = peel_front(text, &mut affixes)?;
    let number = peel_back(rest, &mut affixes)?;
    Some(Pieces {
        number,
        negative: affixes.negative()?,
        word: affixes.word,
    })
}

fn peel_front<'a>(text: &'a str, affixes: &mut Affixes<'a>) -> Option<&'a str> {
    let mut rest = text.trim_start();
    loop {
        if let Some(after) = rest.strip_prefix('(') {
            affixes.set_open_paren()?;
            rest = after;
        } else if let Some((sign, after)) = leading_sign(rest) {
            affixes.set_sign(sign)?;
            rest = after;
        } else if let Some((word, after)) = leading_word(rest) {
            affixes.set_word(word)?;
            rest = after;
        } else {
            return Some(rest);
        }
        rest = rest.trim_start();
    }
}

fn peel_back<'a>(text: &'a str, affixes: &mut Affixes<'a>) -> Option<&'a str> {
    let mut rest = text.trim_end();
    loop {
        if let Some(before) = rest.strip_suffix(')') {
            affixes.set_close_paren()?;
            rest = before;
        } else if let Some(before) = rest.strip_suffix(['-', '\u{2212}']) {
            affixes.set_sign(Sign::Minus)?;
            rest = before;
        } else if let Some((before, word)) = trailing_word(rest) {
            affixes.set_word(word)?;
            rest = before;
        } else {
            return Some(rest);
        }
        rest = rest.trim_end();
    }
}

fn leading_sign(text: &str) -> Option<(Sign, &str)> {
    let mut chars = text.chars();
    let sign = match chars.next()? {
        '+' => Sign::Plus,
        // U+2212 is the minus sign that typeset documents use.
        '-' | '\u{2212}' => Sign::Minus,
        _ => return None,
    };
    Some((sign, chars.as_str()))
}

/// The symbol or code at the start of `text`, and what follows it.
fn leading_word(text: &str) -> Option<(&str, &str)> {
    let end = text
        .char_indices()
        .find(|(_, c)| !is_word_char(*c))
        .map_or(text.len(), |(index, _)| index);
    if end == 0 {
        return None;
    }

    let (word, rest) = text.split_at_checked(end)?;

    // `kr.` and `Fr.` end in a period that belongs to the symbol.
    if let Some(after_period) = rest.strip_prefix('.')
        && let Some(with_period) = text.strip_suffix(after_period)
        && symbol_currencies(with_period).is_some()
    {
        return Some((with_period, after_period));
    }
    Some((word, rest))
}

/// What precedes the symbol or code at the end of `text`, and that word.
fn trailing_word(text: &str) -> Option<(&str, &str)> {
    // `kr.` and `Fr.` end in a period that belongs to the symbol.
    if let Some(before_period) = text.strip_suffix('.')
        && let Some((rest, _)) = split_trailing_run(before_period)
        && let Some(with_period) = text.strip_prefix(rest)
        && symbol_currencies(with_period).is_some()
    {
        return Some((rest, with_period));
    }
    split_trailing_run(text)
}

fn split_trailing_run(text: &str) -> Option<(&str, &str)> {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word_char(*c))
        .last()
        .map(|(index, _)| index)?;
    text.split_at_checked(start)
}

/// Letters and currency signs: the characters of a symbol or code.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || is_currency_sign(c)
}

fn is_currency_sign(c: char) -> bool {
    matches!(
        c,
        '$' | '¢' | '£' | '¤' | '¥' | '֏' | '؋' | '৳' | '฿' | '៛' | '﷼' | '\u{20A0}'..='\u{20C0}'
    )
}

// ---------------------------------------------------------------------------
// Currency symbols and codes.

/// Dollars and pesos that are written with a bare `$`.
const DOLLARS: &[&str] = &[
    "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN", "ARS", "BBD", "BMD", "BND", "BSD",
    "BZD", "CLP", "COP", "CUP", "DOP", "FJD", "GYD", "JMD", "KYD", "LRD", "NAD", "SBD", "SRD",
    "TTD", "UYU", "XCD",
];

const KRONER: &[&str] = &["NOK", "SEK", "DKK", "ISK"];

/// Currency symbols and the currencies each can stand for. Letters match
/// ignoring case (`KR`, `Kr`). Codes are not listed: every ISO 4217 code in
/// the currency table is a mark of its own.
static SYMBOLS: &[(&str, &[&str])] = &[
    ("$", DOLLARS),
    ("US$", &["USD"]),
    ("A$", &["AUD"]),
    ("AU$", &["AUD"]),
    // The Nicaraguan córdoba is written C$ as well.
    ("C$", &["CAD", "NIO"]),
    ("CA$", &["CAD"]),
    ("NZ$", &["NZD"]),
    ("HK$", &["HKD"]),
    ("S$", &["SGD"]),
    ("MX$", &["MXN"]),
    ("NT$", &["TWD"]),
    ("R$", &["BRL"]),
    ("€", &["EUR"]),
    ("£", &["GBP", "GIP", "FKP", "SHP"]),
    ("¥", &["JPY", "CNY"]),
    ("kr", KRONER),
    ("kr.", KRONER),
    ("Fr", &["CHF"]),
    ("Fr.", &["CHF"]),
    ("zł", &["PLN"]),
    ("Kč", &["CZK"]),
    ("Ft", &["HUF"]),
    ("R", &["ZAR"]),
    // Plural of the Romanian and the Moldovan leu.
    ("lei", &["RON", "MDL"]),
    ("₹", &["INR"]),
    ("₩", &["KRW", "KPW"]),
    ("₺", &["TRY"]),
    ("₽", &["RUB"]),
    ("₪", &["ILS"]),
    ("₱", &["PHP", "CUP"]),
    ("₫", &["VND"]),
    ("฿", &["THB"]),
    ("₴", &["UAH"]),
    ("₦", &["NGN"]),
];

/// The codes a currency symbol can stand for; `None` when `written` is no
/// known symbol.
fn symbol_currencies(written: &str) -> Option<&'static [&'static str]> {
    let written = written.trim();
    SYMBOLS
        .iter()
        .find(|(symbol, _)| same_ignoring_case(symbol, written))
        .map(|(_, codes)| *codes)
}

fn same_ignoring_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// Looks up the word written beside a number: a known symbol or ISO code is
/// a mark; three other letters are an unknown code; anything else (`O` in
/// `12,5O`, `EURO`) means the text is not an amount.
fn read_currency_mark(word: &str, text: &str) -> Result<CurrencyMark, AmountError> {
    if symbol_currencies(word).is_some() || Currency::from_code(word).is_some() {
        return Ok(CurrencyMark {
            written: word.to_string(),
        });
    }
    if word.len() == 3 && word.bytes().all(|byte| byte.is_ascii_alphabetic()) {
        return Err(AmountError::UnknownCurrency {
            text: text.to_string(),
            code: word.to_ascii_uppercase(),
        });
    }
    Err(AmountError::NotAnAmount {
        text: text.to_string(),
    })
}

// ---------------------------------------------------------------------------
// The number: separators, decimal mark, exact value.

/// Why the number part of a text amount cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberProblem {
    Malformed,
    Ambiguous,
    TooManyDigits,
}

impl NumberProblem {
    fn into_error(self, text: &str) -> AmountError {
        let text = text.to_string();
        match self {
            NumberProblem::Malformed => AmountError::NotAnAmount { text },
            NumberProblem::Ambiguous => AmountError::AmbiguousDecimalMark { text },
            NumberProblem::TooManyDigits => AmountError::OutOfRange { text },
        }
    }
}

/// What separates thousands in one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Thousands {
    None,
    Mark(char),
    /// Spaces and apostrophes of any kind.
    Spaces,
}

impl Thousands {
    fn separates(self, c: char) -> bool {
        match self {
            Thousands::None => false,
            Thousands::Mark(mark) => c == mark,
            Thousands::Spaces => is_space_separator(c),
        }
    }
}

/// Which characters separate thousands and decimals in one number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Layout {
    decimal: Option<char>,
    thousands: Thousands,
}

impl Layout {
    fn decimal(mark: char) -> Layout {
        Layout {
            decimal: Some(mark),
            thousands: Thousands::None,
        }
    }

    fn grouped(mark: char) -> Layout {
        Layout {
            decimal: None,
            thousands: Thousands::Mark(mark),
        }
    }
}

/// Spaces (plain, no-break U+00A0, narrow no-break U+202F, thin U+2009) and
/// apostrophes (`'` and U+2019) that separate thousands.
fn is_space_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\'' | '\u{2019}'
    )
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit() || c == ',' || c == '.' || is_space_separator(c)
}

fn is_ascii_digits(text: &str) -> bool {
    text.bytes().all(|byte| byte.is_ascii_digit())
}

fn parse_number(number: &str, preferred: Option<DecimalMark>) -> Result<Decimal, NumberProblem> {
    if !number.chars().all(is_number_char) || !number.chars().any(|c| c.is_ascii_digit()) {
        return Err(NumberProblem::Malformed);
    }

    let layout = find_layout(number, preferred)?;

    let (whole, fraction) = match layout.decimal {
        Some(mark) => number.rsplit_once(mark).ok_or(NumberProblem::Malformed)?,
        None => (number, ""),
    };
    if !is_ascii_digits(fraction) {
        return Err(NumberProblem::Malformed);
    }

    let whole_digits = join_groups(whole, layout.thousands)?;
    exact_decimal(&whole_digits, fraction)
}

fn find_layout(number: &str, preferred: Option<DecimalMark>) -> Result<Layout, NumberProblem> {
    let commas = number.matches(',').count();
    let periods = number.matches('.').count();
    if number.contains(is_space_separator) {
        return layout_with_spaces(commas, periods);
    }
    match (commas, periods) {
        (0, 0) => Ok(Layout {
            decimal: None,
            thousands: Thousands::None,
        }),
        (_, 0) => layout_with_one_mark(number, ',', commas, preferred),
        (0, _) => layout_with_one_mark(number, '.', periods, preferred),
        _ => Ok(layout_with_both_marks(number)),
    }
}

/// Spaces and apostrophes only ever group thousands, so a single comma or
/// period beside them is the decimal mark (`1 234,567` is 1234.567).
fn layout_with_spaces(commas: usize, periods: usize) -> Result<Layout, NumberProblem> {
    let decimal = match (commas, periods) {
        (0, 0) => None,
        (1, 0) => Some(','),
        (0, 1) => Some('.'),
        _ => return Err(NumberProblem::Malformed),
    };
    Ok(Layout {
        decimal,
        thousands: Thousands::Spaces,
    })
}

/// With both marks, the last one is the decimal mark (`1,234.56`,
/// `1.234,56`); a second decimal mark fails the group check later.
fn layout_with_both_marks(number: &str) -> Layout {
    let (decimal, thousands) = if number.rfind(',') > number.rfind('.') {
        (',', '.')
    } else {
        ('.', ',')
    };
    Layout {
        decimal: Some(decimal),
        thousands: Thousands::Mark(thousands),
    }
}

/// Several of one mark group thousands (`1,234,567`). A single one is the
/// decimal mark unless it reads as well as a thousands separator (`1,234`),
/// which only `preferred` can settle.
fn layout_with_one_mark(
    number: &str,
    mark: char,
    count: usize,
    preferred: Option<DecimalMark>,
) -> Result<Layout, NumberProblem> {
    if count > 1 {
        return Ok(Layout::grouped(mark));
    }
    let (before, after) = number.split_once(mark).ok_or(NumberProblem::Malformed)?;
    if !could_group_thousands(before, after) {
        return Ok(Layout::decimal(mark));
    }
    match preferred {
        Some(preferred) if preferred.as_char() == mark => Ok(Layout::decimal(mark)),
        Some(_) => Ok(Layout::grouped(mark)),
        None => Err(NumberProblem::Ambiguous),
    }
}

/// `1,234` and `12.345` read as well with the mark grouping thousands;
/// `0.125` (no number is written with a leading zero group), `1234.567`
/// and `1,5` do not.
fn could_group_thousands(before: &str, after: &str) -> bool {
    after.len() == 3 && (1..=3).contains(&before.len()) && !before.starts_with('0')
}

/// The digits of the whole units, after checking that the separators
/// group them in threes: `1,234,567` but not `1,23,456` or `12 34`.
fn join_groups(whole: &str, thousands: Thousands) -> Result<String, NumberProblem> {
    let groups: Vec<&str> = whole.split(|c| thousands.separates(c)).collect();
    let well_formed = match groups.as_slice() {
        [single] => is_ascii_digits(single),
        [first, rest @ ..] => {
            (1..=3).contains(&first.len())
                && is_ascii_digits(first)
                && rest
                    .iter()
                    .all(|group| group.len() == 3 && is_ascii_digits(group))
        }
        [] => false,
    };
    if well_formed {
        Ok(groups.concat())
    } else {
        Err(NumberProblem::Malformed)
    }
}

/// The exact value of plain digits; never through a double, and never with
/// the silent rounding of `Decimal::from_str`.
fn exact_decimal(whole: &str, fraction: &str) -> Result<Decimal, NumberProblem> {
    // Leading zeros carry no value but would count against the digits a
    // Decimal holds.
    let whole = match whole.trim_start_matches('0') {
        "" => "0",
        digits => digits,
    };
    let normalised = if fraction.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{fraction}")
    };
    Decimal::from_str_exact(&normalised).map_err(|_| NumberProblem::TooManyDigits)
}

/// Applies the sign; zero stays plain zero rather than showing as `-0.00`.
fn with_sign(magnitude: Decimal, negative: bool) -> Decimal {
    if negative && !magnitude.is_zero() {
        -magnitude
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(
        text: &str,
        mark: Option<DecimalMark>,
    ) -> Result<(String, Option<String>), AmountError> {
        parse_text_amount(text, mark)
            .map(|amount| (amount.value.to_string(), amount.currency.map(|c| c.written)))
    }

    fn currency(code: &str) -> Currency {
        Currency::from_code(code).unwrap_or_else(|| panic!("{code} is in the table"))
    }

    fn mark(written: &str) -> CurrencyMark {
        CurrencyMark {
            written: written.to_string(),
        }
    }

    #[test]
    fn plain_and_grouped_numbers() {
        let cases = [
            ("0", "0"),
            ("12", "12"),
            ("1234.56", "1234.56"),
            ("12.50", "12.50"),
            ("1,5", "1.5"),
            ("12,50", "12.50"),
            ("1,234.56", "1234.56"),
            ("1.234,56", "1234.56"),
            ("1,234,567", "1234567"),
            ("1.234.567", "1234567"),
            ("1,234,567.891", "1234567.891"),
            ("1.234.567,891", "1234567.891"),
            ("1 234,56", "1234.56"),
            ("1 234.56", "1234.56"),
            ("1 234 567", "1234567"),
            ("1\u{00A0}234,56", "1234.56"),
            ("1\u{202F}234,56", "1234.56"),
            ("1\u{2009}234,56", "1234.56"),
            ("1'234.50", "1234.50"),
            ("1\u{2019}234.50", "1234.50"),
            ("1'234'567", "1234567"),
            // Beside spaces, a single comma or period can only be decimals.
            ("1 234,567", "1234.567"),
            ("12 345.678", "12345.678"),
            // A leading zero or more than three digits before the mark:
            // it can only be the decimal mark.
            ("0.125", "0.125"),
            ("0,125", "0.125"),
            ("1234.567", "1234.567"),
            ("1234,567", "1234.567"),
            (".5", "0.5"),
            (",5", "0.5"),
            (".125", "0.125"),
            ("5.", "5"),
            ("1,234.", "1234"),
            ("007", "7"),
            ("  12.50\u{00A0}", "12.50"),
            (
                "79228162514264337593543950335",
                "79228162514264337593543950335",
            ),
            (
                "0.0000000000000000000000000001",
                "0.0000000000000000000000000001",
            ),
        ];
        for (text, value) in cases {
            assert_eq!(read(text, None), Ok((value.to_string(), None)), "{text:?}");
        }
    }

    #[test]
    fn negatives_and_signs() {
        let cases = [
            ("-12.50", "-12.50", None),
            ("- 12.50", "-12.50", None),
            ("12.50-", "-12.50", None),
            ("12.50 -", "-12.50", None),
            ("\u{2212}12.50", "-12.50", None),
            ("(120.00)", "-120.00", None),
            ("( 120.00 )", "-120.00", None),
            ("(1 234,50)", "-1234.50", None),
            ("(kr 120,00)", "-120.00", Some("kr")),
            ("kr (120,00)", "-120.00", Some("kr")),
            ("($1,234.10)", "-1234.10", Some("$")),
            ("-$12.50", "-12.50", Some("$")),
            ("$-12.50", "-12.50", Some("$")),
            ("-kr 100", "-100", Some("kr")),
            ("100 NOK-", "-100", Some("NOK")),
            ("+12.50", "12.50", None),
            ("+ 12.50", "12.50", None),
            ("+$12", "12", Some("$")),
            ("(0.00)", "0.00", None),
            ("-0", "0", None),
        ];
        for (text, value, written) in cases {
            let expected = (value.to_string(), written.map(str::to_string));
            assert_eq!(read(text, None), Ok(expected), "{text:?}");
        }
    }

    #[test]
    fn currency_symbols_and_codes_before_or_after() {
        let cases = [
            ("kr 1 234,50", "1234.50", "kr"),
            ("kr 10 500,00", "10500.00", "kr"),
            ("kr. 1.234,50", "1234.50", "kr."),
            ("1 234,50 kr.", "1234.50", "kr."),
            ("1 234,50 kr", "1234.50", "kr"),
            ("Kr 100", "100", "Kr"),
            ("$1,234.56", "1234.56", "$"),
            ("$ 1,234.56", "1234.56", "$"),
            ("1.234,56 €", "1234.56", "€"),
            ("€1.234,56", "1234.56", "€"),
            ("1.234,56€", "1234.56", "€"),
            ("USD 100", "100", "USD"),
            ("USD100", "100", "USD"),
            ("100 NOK", "100", "NOK"),
            ("100 nok", "100", "nok"),
            ("US$ 12", "12", "US$"),
            ("NOK 1.234,56", "1234.56", "NOK"),
            ("CHF 1'234.50", "1234.50", "CHF"),
            ("Fr. 1'234.50", "1234.50", "Fr."),
            ("1'234.50 Fr.", "1234.50", "Fr."),
            ("A$12", "12", "A$"),
            ("C$12", "12", "C$"),
            ("NZ$12", "12", "NZ$"),
            ("HK$12", "12", "HK$"),
            ("S$12", "12", "S$"),
            ("R$ 1.234,56", "1234.56", "R$"),
            ("£12.50", "12.50", "£"),
            ("¥1,500,000", "1500000", "¥"),
            ("12,50 zł", "12.50", "zł"),
            ("1 234 Kč", "1234", "Kč"),
            ("1 234 Ft", "1234", "Ft"),
            ("₹1,234.50", "1234.50", "₹"),
            ("₩15,000,000", "15000000", "₩"),
            ("₺12,50", "12.50", "₺"),
            ("1 234 ₽", "1234", "₽"),
            ("R 100", "100", "R"),
            ("12,50 lei", "12.50", "lei"),
            ("CYP 12.50", "12.50", "CYP"),
        ];
        for (text, value, written) in cases {
            let expected = (value.to_string(), Some(written.to_string()));
            assert_eq!(read(text, None), Ok(expected), "{text:?}");
        }
    }

    #[test]
    fn a_configured_decimal_mark_settles_only_ambiguous_text() {
        let cases = [
            ("1,234", DecimalMark::Period, "1234"),
            ("1,234", DecimalMark::Comma, "1.234"),
            ("1.234", DecimalMark::Period, "1.234"),
            ("1.234", DecimalMark::Comma, "1234"),
            ("12.345", DecimalMark::Comma, "12345"),
            ("-123,456", DecimalMark::Period, "-123456"),
            ("kr 1.234", DecimalMark::Comma, "1234"),
            // Unambiguous text reads the same whatever is configured.
            ("1.234,56", DecimalMark::Period, "1234.56"),
            ("1,234.56", DecimalMark::Comma, "1234.56"),
            ("1,5", DecimalMark::Period, "1.5"),
            ("1,234,567", DecimalMark::Comma, "1234567"),
            ("0,125", DecimalMark::Period, "0.125"),
        ];
        for (text, decimal_mark, value) in cases {
            let read = parse_text_amount(text, Some(decimal_mark)).map(|a| a.value.to_string());
            assert_eq!(read, Ok(value.to_string()), "{text:?} {decimal_mark:?}");
        }
    }

    #[test]
    fn ambiguous_decimal_marks_are_errors() {
        for text in [
            "1,234",
            "1.234",
            "12.345",
            "123,456",
            "-1,234",
            "(1.234)",
            "kr 1.234",
            "1,234 USD",
            "¥1,500",
        ] {
            let expected = Err(AmountError::AmbiguousDecimalMark {
                text: text.to_string(),
            });
            assert_eq!(parse_text_amount(text, None), expected, "{text:?}");
        }
    }

    #[test]
    fn texts_that_are_not_amounts() {
        let cases = [
            "",
            "   ",
            "\u{00A0}",
            "abc",
            "Total",
            "N/A",
            " --",
            "-",
            "+",
            "$",
            "kr",
            "()",
            ".",
            "12,5O",
            "1O0",
            "1e3",
            "1E3",
            "12e",
            "0x10",
            "1_000",
            "12%",
            "1..5",
            "1,,5",
            "1,2,3",
            "1.234.56",
            "1,23,456.78",
            ",123.45",
            "1,234.567,89",
            "1.2,3.4",
            "12 34",
            "1 2345",
            "1 234.567,8",
            "1 234,5,6",
            "'1234",
            "--12",
            "-12-",
            "+12-",
            "(12",
            "12)",
            "(-12)",
            "-(12)",
            "((12))",
            "USD 100 NOK",
            "kr 100 kr",
            "EURO 100",
            "100 Euro",
            "$$12",
            "Rs 100",
            "1-2",
            "١٢٣",
        ];
        for text in cases {
            let expected = Err(AmountError::NotAnAmount {
                text: text.to_string(),
            });
            assert_eq!(parse_text_amount(text, None), expected, "{text:?}");
            assert_eq!(
                parse_text_amount(text, Some(DecimalMark::Comma)),
                expected,
                "{text:?}"
            );
        }
    }

    #[test]
    fn too_many_digits_are_out_of_range() {
        for text in [
            "79228162514264337593543950336",
            "100000000000000000000000000000000000000000",
            "0.00000000000000000000000000001",
            "1,000,000,000,000,000,000,000,000,000,000",
            "-1 000 000 000 000 000 000 000 000 000 000,00",
        ] {
            let expected = Err(AmountError::OutOfRange {
                text: text.to_string(),
            });
            assert_eq!(parse_text_amount(text, None), expected, "{text:?}");
        }
    }

    #[test]
    fn unknown_three_letter_codes_are_named() {
        let cases = [("ABC 100", "ABC"), ("100 xyz", "XYZ"), ("XAU 12", "XAU")];
        for (text, code) in cases {
            let expected = Err(AmountError::UnknownCurrency {
                text: text.to_string(),
                code: code.to_string(),
            });
            assert_eq!(parse_text_amount(text, None), expected, "{text:?}");
        }
    }

    #[test]
    fn marks_fit_the_currencies_they_can_stand_for() {
        let cases = [
            ("kr", "NOK", true),
            ("kr", "SEK", true),
            ("kr", "DKK", true),
            ("kr", "ISK", true),
            ("kr.", "NOK", true),
            ("KR", "SEK", true),
            ("kr", "EUR", false),
            ("$", "USD", true),
            ("$", "CAD", true),
            ("$", "AUD", true),
            ("$", "NZD", true),
            ("$", "SGD", true),
            ("$", "HKD", true),
            ("$", "MXN", true),
            ("$", "EUR", false),
            ("$", "BRL", false),
            ("US$", "USD", true),
            ("US$", "CAD", false),
            ("R$", "BRL", true),
            ("R$", "USD", false),
            ("USD", "USD", true),
            ("USD", "CAD", false),
            ("nok", "NOK", true),
            ("NOK", "SEK", false),
            ("€", "EUR", true),
            ("€", "USD", false),
            ("£", "GBP", true),
            ("£", "EGP", false),
            ("¥", "JPY", true),
            ("¥", "CNY", true),
            ("zł", "PLN", true),
            ("Kč", "CZK", true),
            ("Ft", "HUF", true),
            ("R", "ZAR", true),
            ("lei", "RON", true),
            ("Fr.", "CHF", true),
            ("₹", "INR", true),
            ("bogus", "NOK", false),
        ];
        for (written, code, fits) in cases {
            assert_eq!(mark(written).fits(currency(code)), fits, "{written} {code}");
        }
    }

    #[test]
    fn a_mark_names_one_currency_only_when_it_is_not_shared() {
        let cases = [
            ("€", Some("EUR")),
            ("USD", Some("USD")),
            ("usd", Some("USD")),
            ("US$", Some("USD")),
            ("zł", Some("PLN")),
            ("$", None),
            ("kr", None),
            ("¥", None),
            ("bogus", None),
        ];
        for (written, code) in cases {
            let named = mark(written).currency().map(|c| c.code().to_string());
            assert_eq!(named, code.map(str::to_string), "{written}");
        }
    }

    #[test]
    fn parsed_marks_fit_their_item_currency() {
        let amount = parse_text_amount("kr 1 234,50", None).expect("an amount");
        let mark = amount.currency.expect("a mark");
        assert!(mark.fits(currency("NOK")));
        assert!(!mark.fits(currency("USD")));
    }

    #[test]
    fn errors_read_as_sentences_that_say_how_to_fix_them() {
        let cases = [
            (
                "1,234",
                "'1,234' has an ambiguous decimal mark: it could be 1234 or 1.234; write 1234 or \
                 1,234.00, or set decimal_mark in spendsheet.toml (\".\" reads it as 1234, \",\" \
                 as 1.234)",
            ),
            (
                "kr 1.234",
                "'kr 1.234' has an ambiguous decimal mark: it could be 1234 or 1.234; write 1234 \
                 or 1.234,00, or set decimal_mark in spendsheet.toml (\".\" reads it as 1234, \
                 \",\" as 1.234)",
            ),
            (
                "12,5O",
                "'12,5O' is not an amount: expected a number such as 1234.56, 1 234,56 or (120.00)",
            ),
            (
                "79228162514264337593543950336",
                "'79228162514264337593543950336' has too many digits to be read exactly: an \
                 amount can have at most 28 digits, decimals included",
            ),
            (
                "ABC 100",
                "'ABC 100' names the currency ABC, which is not an ISO 4217 currency code; write \
                 a code such as EUR, USD or NOK, or leave the currency out",
            ),
        ];
        for (text, message) in cases {
            let error = parse_text_amount(text, None).expect_err("not an amount");
            assert_eq!(error.to_string(), message, "{text:?}");
        }
    }
}
