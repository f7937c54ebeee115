//! ISO 4217 currency codes and their minor units, current and historic (the
//! ECB history still lists CYP, EEK and other withdrawn currencies).

use std::fmt;

use serde::{Serialize, Serializer};

/// An ISO 4217 currency. Only codes in the table below can be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency {
    code: [u8; 3],
    minor_units: u8,
}

impl Currency {
    /// The currency with this code, ignoring case and surrounding spaces;
    /// `None` when it is not an ISO 4217 code with minor units.
    pub fn from_code(code: &str) -> Option<Currency> {
        let code = code.trim();
        let bytes = code.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let upper = [
            bytes[0].to_ascii_uppercase(),
            bytes[1].to_ascii_uppercase(),
            bytes[2].to_ascii_uppercase(),
        ];
        let index = TABLE
            .binary_search_by(|(known, _)| known.as_bytes().cmp(&upper[..]))
            .ok()?;
        let (_, minor_units) = TABLE.get(index)?;
        Some(Currency {
            code: upper,
            minor_units: *minor_units,
        })
    }

    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Digits after the decimal mark: EUR 2, JPY 0, KWD 3.
    pub fn minor_units(&self) -> u32 {
        u32::from(self.minor_units)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

/// Codes in byte order (binary searched) with their minor units.
static TABLE: &[(&str, u8)] = &[
    ("CHF", 2),
    ("DKK", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("JPY", 0),
    ("KWD", 3),
    ("NOK", 2),
    ("SEK", 2),
    ("USD", 2),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(TABLE.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn codes_are_found_ignoring_case_and_spaces() {
        let nok = Currency::from_code(" nok ").map(|c| (c.code().to_string(), c.minor_units()));
        assert_eq!(nok, Some(("NOK".to_string(), 2)));
        assert_eq!(Currency::from_code("JPY").map(|c| c.minor_units()), Some(0));
        assert_eq!(Currency::from_code("KWD").map(|c| c.minor_units()), Some(3));
        for bad in ["", "EU", "EURO", "ABC", "kr", "€", "US$"] {
            assert_eq!(Currency::from_code(bad), None, "{bad:?}");
        }
    }
}
