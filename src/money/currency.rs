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
    ///
    /// ```
    /// use spendsheet::money::Currency;
    ///
    /// assert_eq!(Currency::from_code("nok").map(|c| c.minor_units()), Some(2));
    /// assert_eq!(Currency::from_code("XAU"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<Currency> {
        let &[first, second, third] = code.trim().as_bytes() else {
            return None;
        };
        let upper = [first, second, third].map(|byte| byte.to_ascii_uppercase());
        if !upper.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        let index = TABLE
            .binary_search_by(|(known, _)| known.as_bytes().cmp(&upper[..]))
            .ok()?;
        let (_, minor_units) = TABLE.get(index)?;
        Some(Currency {
            code: upper,
            minor_units: *minor_units,
        })
    }

    /// The three-letter code in capitals, such as `EUR`.
    pub fn code(&self) -> &str {
        // Only ASCII capitals from the table are ever stored.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// Every currency of the table, current and withdrawn, by code.
    pub fn all() -> impl Iterator<Item = Currency> {
        TABLE
            .iter()
            .filter_map(|(code, _)| Currency::from_code(code))
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
///
/// Every code of ISO 4217 List One (current currencies and funds) whose
/// minor unit is a number, and the withdrawn codes of List Three that still
/// turn up in rate histories and old workbooks, with the minor units they
/// had. Codes whose minor unit is "N.A." (gold XAU, silver XAG, the SDR XDR,
/// the test code XTS, "no currency" XXX and the other units of account) are
/// left out on purpose: an amount cannot be rounded in them.
static TABLE: &[(&str, u8)] = &[
    ("AED", 2),
    ("AFN", 2),
    ("ALL", 2),
    ("AMD", 2),
    ("ANG", 2), // historic: XCG since 2025
    ("AOA", 2),
    ("ARS", 2),
    ("AUD", 2),
    ("AWG", 2),
    ("AZN", 2),
    ("BAM", 2),
    ("BBD", 2),
    ("BDT", 2),
    ("BGN", 2), // historic: euro since 2026
    ("BHD", 3),
    ("BIF", 0),
    ("BMD", 2),
    ("BND", 2),
    ("BOB", 2),
    ("BOV", 2),
    ("BRL", 2),
    ("BSD", 2),
    ("BTN", 2),
    ("BWP", 2),
    ("BYN", 2),
    ("BYR", 0), // historic: BYN since 2016
    ("BZD", 2),
    ("CAD", 2),
    ("CDF", 2),
    ("CHE", 2),
    ("CHF", 2),
    ("CHW", 2),
    ("CLF", 4),
    ("CLP", 0),
    ("CNY", 2),
    ("COP", 2),
    ("COU", 2),
    ("CRC", 2),
    ("CUC", 2), // historic: withdrawn 2021
    ("CUP", 2),
    ("CVE", 2),
    ("CYP", 2), // historic: euro since 2008
    ("CZK", 2),
    ("DJF", 0),
    ("DKK", 2),
    ("DOP", 2),
    ("DZD", 2),
    ("EEK", 2), // historic: euro since 2011
    ("EGP", 2),
    ("ERN", 2),
    ("ETB", 2),
    ("EUR", 2),
    ("FJD", 2),
    ("FKP", 2),
    ("GBP", 2),
    ("GEL", 2),
    ("GHS", 2),
    ("GIP", 2),
    ("GMD", 2),
    ("GNF", 0),
    ("GTQ", 2),
    ("GYD", 2),
    ("HKD", 2),
    ("HNL", 2),
    ("HRK", 2), // historic: euro since 2023
    ("HTG", 2),
    ("HUF", 2),
    ("IDR", 2),
    ("ILS", 2),
    ("INR", 2),
    ("IQD", 3),
    ("IRR", 2),
    ("ISK", 0),
    ("JMD", 2),
    ("JOD", 3),
    ("JPY", 0),
    ("KES", 2),
    ("KGS", 2),
    ("KHR", 2),
    ("KMF", 0),
    ("KPW", 2),
    ("KRW", 0),
    ("KWD", 3),
    ("KYD", 2),
    ("KZT", 2),
    ("LAK", 2),
    ("LBP", 2),
    ("LKR", 2),
    ("LRD", 2),
    ("LSL", 2),
    ("LTL", 2), // historic: euro since 2015
    ("LVL", 2), // historic: euro since 2014
    ("LYD", 3),
    ("MAD", 2),
    ("MDL", 2),
    ("MGA", 2),
    ("MKD", 2),
    ("MMK", 2),
    ("MNT", 2),
    ("MOP", 2),
    ("MRU", 2),
    ("MTL", 2), // historic: euro since 2008
    ("MUR", 2),
    ("MVR", 2),
    ("MWK", 2),
    ("MXN", 2),
    ("MXV", 2),
    ("MYR", 2),
    ("MZN", 2),
    ("NAD", 2),
    ("NGN", 2),
    ("NIO", 2),
    ("NOK", 2),
    ("NPR", 2),
    ("NZD", 2),
    ("OMR", 3),
    ("PAB", 2),
    ("PEN", 2),
    ("PGK", 2),
    ("PHP", 2),
    ("PKR", 2),
    ("PLN", 2),
    ("PYG", 0),
    ("QAR", 2),
    ("ROL", 2), // historic: RON since 2005
    ("RON", 2),
    ("RSD", 2),
    ("RUB", 2),
    ("RWF", 0),
    ("SAR", 2),
    ("SBD", 2),
    ("SCR", 2),
    ("SDG", 2),
    ("SEK", 2),
    ("SGD", 2),
    ("SHP", 2),
    ("SIT", 2), // historic: euro since 2007
    ("SKK", 2), // historic: euro since 2009
    ("SLE", 2),
    ("SLL", 2), // historic: SLE since 2022
    ("SOS", 2),
    ("SRD", 2),
    ("SSP", 2),
    ("STD", 2), // historic: STN since 2018
    ("STN", 2),
    ("SVC", 2),
    ("SYP", 2),
    ("SZL", 2),
    ("THB", 2),
    ("TJS", 2),
    ("TMT", 2),
    ("TND", 3),
    ("TOP", 2),
    ("TRL", 0), // historic: TRY since 2005
    ("TRY", 2),
    ("TTD", 2),
    ("TWD", 2),
    ("TZS", 2),
    ("UAH", 2),
    ("UGX", 0),
    ("USD", 2),
    ("USN", 2),
    ("UYI", 0),
    ("UYU", 2),
    ("UYW", 4),
    ("UZS", 2),
    ("VED", 2),
    ("VEF", 2), // historic: VES since 2018
    ("VES", 2),
    ("VND", 0),
    ("VUV", 0),
    ("WST", 2),
    ("XAD", 2),
    ("XAF", 0),
    ("XCD", 2),
    ("XCG", 2),
    ("XOF", 0),
    ("XPF", 0),
    ("YER", 2),
    ("ZAR", 2),
    ("ZMK", 2), // historic: ZMW since 2013
    ("ZMW", 2),
    ("ZWG", 2),
    ("ZWL", 2), // historic: ZWG since 2024
];

#[cfg(test)]
mod tests {
    use super::*;

    fn minor_units(code: &str) -> Option<u32> {
        Currency::from_code(code).map(|currency| currency.minor_units())
    }

    #[test]
    fn table_is_sorted_for_binary_search() {
        assert!(TABLE.windows(2).all(|pair| pair[0].0 < pair[1].0));
    }

    #[test]
    fn table_holds_only_three_capital_letters_and_known_minor_units() {
        for (code, minor_units) in TABLE {
            assert!(
                code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code}"
            );
            assert!([0, 2, 3, 4].contains(minor_units), "{code} {minor_units}");
        }
    }

    #[test]
    fn codes_are_found_ignoring_case_and_spaces() {
        let nok = Currency::from_code(" nok ").map(|c| (c.code().to_string(), c.minor_units()));
        assert_eq!(nok, Some(("NOK".to_string(), 2)));
        assert_eq!(
            Currency::from_code("Usd").map(|c| c.to_string()),
            Some("USD".to_string())
        );
        for bad in [
            "", "EU", "EURO", "ABC", "kr", "€", "US$", "E R", "EU1", "ÉUR",
        ] {
            assert_eq!(Currency::from_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn minor_units_follow_iso_4217() {
        let cases = [
            ("EUR", 2),
            ("USD", 2),
            ("NOK", 2),
            ("HUF", 2),
            ("JPY", 0),
            ("KRW", 0),
            ("ISK", 0),
            ("CLP", 0),
            ("VND", 0),
            ("UGX", 0),
            ("XAF", 0),
            ("XOF", 0),
            ("XPF", 0),
            ("KWD", 3),
            ("BHD", 3),
            ("OMR", 3),
            ("JOD", 3),
            ("TND", 3),
            ("LYD", 3),
            ("IQD", 3),
            ("CLF", 4),
            ("UYW", 4),
            // Recent codes.
            ("XCG", 2),
            ("ZWG", 2),
            ("VED", 2),
            ("VES", 2),
            ("SLE", 2),
            ("MRU", 2),
            ("STN", 2),
            // Withdrawn codes that rate histories and old files still use.
            ("ANG", 2),
            ("BGN", 2),
            ("HRK", 2),
            ("CYP", 2),
            ("EEK", 2),
            ("LTL", 2),
            ("LVL", 2),
            ("MTL", 2),
            ("ROL", 2),
            ("SIT", 2),
            ("SKK", 2),
            ("TRL", 0),
            ("BYR", 0),
            ("ZWL", 2),
            ("SLL", 2),
        ];
        for (code, expected) in cases {
            assert_eq!(minor_units(code), Some(expected), "{code}");
        }
    }

    #[test]
    fn codes_without_minor_units_are_not_currencies() {
        for code in [
            "XAU", "XAG", "XPT", "XPD", "XDR", "XSU", "XUA", "XTS", "XXX", "XBA",
        ] {
            assert_eq!(minor_units(code), None, "{code}");
        }
    }

    #[test]
    fn every_currency_of_the_ecb_history_is_known() {
        let header = "USD,JPY,BGN,CYP,CZK,DKK,EEK,GBP,HUF,LTL,LVL,MTL,PLN,ROL,RON,SEK,SIT,\
                      SKK,CHF,ISK,NOK,HRK,RUB,TRL,TRY,AUD,BRL,CAD,CNY,HKD,IDR,ILS,INR,KRW,\
                      MXN,MYR,NZD,PHP,SGD,THB,ZAR";
        for code in header.split(',') {
            assert!(Currency::from_code(code).is_some(), "{code}");
        }
    }
}
