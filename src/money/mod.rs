//! Money: ISO 4217 currencies with their minor units, and the one rounding
//! rule every shown amount goes through.

pub mod currency;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

pub use currency::Currency;

/// How a shown amount is rounded to its currency's minor units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rounding {
    /// Half to even (banker's rounding): 2.345 becomes 2.34.
    #[default]
    HalfEven,
    /// Half away from zero: 2.345 becomes 2.35.
    HalfUp,
}

impl Rounding {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        }
    }

    /// Rounds `amount` to the minor units of `currency`, keeping exactly
    /// that many decimal places (so 120000 in NOK becomes 120000.00).
    pub fn round(self, amount: Decimal, currency: Currency) -> Decimal {
        let places = currency.minor_units();
        let mut rounded = amount.round_dp_with_strategy(places, self.strategy());
        rounded.rescale(places);
        rounded
    }
}

/// An amount as text with exactly the minor-unit digits of its currency,
/// as the JSON summary writes it: `120000.00`, `1500` for JPY.
pub fn format_amount(amount: Decimal, currency: Currency) -> String {
    let mut shown = amount;
    shown.rescale(currency.minor_units());
    shown.to_string()
}

/// The shortest decimal that gives back `value` when read as a double: the
/// number a spreadsheet user typed (0.1 stays 0.1, never
/// 0.1000000000000000055511151231257827). `None` for NaN, infinities and
/// numbers beyond what a `Decimal` holds.
pub fn decimal_from_f64(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // Rust prints a double as the shortest text that reads back as the same
    // double, without an exponent.
    let shortest = value.to_string();
    match Decimal::from_str_exact(&shortest) {
        Ok(exact) => Some(exact),
        // Only digits far below any minor unit can be dropped here.
        Err(_) if value.abs() < 1.0 => shortest.parse::<Decimal>().ok(),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn currency(code: &str) -> Currency {
        Currency::from_code(code).unwrap_or_else(|| panic!("{code} is in the table"))
    }

    #[test]
    fn rounding_follows_the_configured_rule_and_minor_units() {
        let cases = [
            (Rounding::HalfEven, dec!(2.345), "EUR", "2.34"),
            (Rounding::HalfUp, dec!(2.345), "EUR", "2.35"),
            (Rounding::HalfEven, dec!(2.355), "EUR", "2.36"),
            (Rounding::HalfEven, dec!(-2.345), "EUR", "-2.34"),
            (Rounding::HalfUp, dec!(-2.345), "EUR", "-2.35"),
            (Rounding::HalfEven, dec!(1500.5), "JPY", "1500"),
            (Rounding::HalfUp, dec!(1500.5), "JPY", "1501"),
            (Rounding::HalfEven, dec!(1.0005), "KWD", "1.000"),
            (Rounding::HalfEven, dec!(120000), "NOK", "120000.00"),
        ];
        for (rounding, amount, code, shown) in cases {
            let rounded = rounding.round(amount, currency(code));
            assert_eq!(rounded.to_string(), shown, "{rounding:?} {amount} {code}");
        }
    }

    #[test]
    fn doubles_become_the_decimal_the_user_typed() {
        let cases = [
            (0.1, "0.1"),
            (1234.56, "1234.56"),
            (18000.5, "18000.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-120.0, "-120"),
            (1e20, "100000000000000000000"),
            (1e-30, "0.0000000000000000000000000000"),
        ];
        for (value, text) in cases {
            assert_eq!(
                decimal_from_f64(value).map(|d| d.to_string()),
                Some(text.to_string()),
                "{value}"
            );
        }
        for bad in [f64::NAN, f64::INFINITY, 1e30] {
            assert_eq!(decimal_from_f64(bad), None, "{bad}");
        }
    }

    #[test]
    fn formatted_amounts_have_exactly_the_minor_unit_digits() {
        assert_eq!(format_amount(dec!(39487.6), currency("NOK")), "39487.60");
        assert_eq!(format_amount(dec!(1500), currency("JPY")), "1500");
        assert_eq!(format_amount(dec!(-335.73), currency("EUR")), "-335.73");
        assert_eq!(format_amount(dec!(0), currency("KWD")), "0.000");
    }
}
