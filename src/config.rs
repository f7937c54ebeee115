//! The configuration file `spendsheet.toml`: read strictly (an unknown key
//! is an error), then resolved into checked values once.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::input::amount::DecimalMark;
use crate::input::date::DateOrder;
use crate::money::{Currency, Rounding};

/// The file name under which a configuration is found among the inputs.
pub const CONFIG_FILE_NAME: &str = "spendsheet.toml";

/// Checked settings of a run. `Config::default()` is what an absent file
/// means.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Where the settings came from, if from a file.
    pub file: Option<PathBuf>,
    pub default_currency: Option<Currency>,
    pub report_currency: Option<Currency>,
    pub rounding: Rounding,
    pub date_order: Option<DateOrder>,
    pub decimal_mark: Option<DecimalMark>,
    pub max_rate_age_days: u32,
    /// Folders of extra export profiles, resolved against the file's folder.
    pub profile_dirs: Vec<PathBuf>,
    pub fixed_rates: Vec<FixedRate>,
    /// Account currency per platform, for exports that name none.
    pub platform_currency: BTreeMap<String, Currency>,
    pub links: Vec<LinkRule>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            file: None,
            default_currency: None,
            report_currency: None,
            rounding: Rounding::HalfEven,
            date_order: None,
            decimal_mark: None,
            max_rate_age_days: 7,
            profile_dirs: Vec::new(),
            fixed_rates: Vec::new(),
            platform_currency: BTreeMap::new(),
            links: Vec::new(),
        }
    }
}

/// `"USD/NOK" = "10.50"`: 1 USD is 10.50 NOK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedRate {
    pub from: Currency,
    pub to: Currency,
    pub rate: Decimal,
}

/// A `[[link]]` rule: ad campaigns matching it belong to `campaign`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRule {
    pub campaign: String,
    pub platform: Option<String>,
    pub target: LinkTarget,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// An exact name or a glob such as `Spring-*` (case-sensitive).
    Name(String),
    Id(String),
}

/// A settings file (the configuration, an export profile) that cannot be
/// used; it names the file and the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsError {
    pub file: PathBuf,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: key '{key}': {}", self.file.display(), self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl std::error::Error for SettingsError {}

impl SettingsError {
    /// A TOML syntax error or an unknown key in `text` from `path`, with
    /// the line it is on and, for an unknown key, the key.
    pub fn from_toml(err: &toml::de::Error, text: &str, path: &Path) -> SettingsError {
        let message = err.message().to_string();
        let key = unknown_key(&message);
        let message = match err.span().map(|span| line_of(text, span.start)) {
            Some(line) => format!("line {line}: {message}"),
            None => message,
        };
        SettingsError {
            file: path.to_path_buf(),
            key,
            message,
        }
    }
}

/// A configuration that cannot be used.
pub type ConfigError = SettingsError;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    default_currency: Option<String>,
    report_currency: Option<String>,
    rounding: Option<String>,
    date_order: Option<String>,
    decimal_mark: Option<String>,
    max_rate_age_days: Option<i64>,
    profiles: Option<Vec<String>>,
    fx: Option<RawFx>,
    platform_currency: Option<BTreeMap<String, String>>,
    link: Option<Vec<RawLink>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFx {
    fixed: Option<BTreeMap<String, toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    campaign: String,
    platform: Option<String>,
    ad_campaign: Option<String>,
    ad_campaign_id: Option<toml::Value>,
}

impl Config {
    /// Reads and checks the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|err| ConfigError {
            file: path.to_path_buf(),
            key: None,
            message: format!("cannot read the configuration file: {err}"),
        })?;
        Config::parse(&text, path)
    }

    /// Checks configuration text; `path` names it in errors and anchors the
    /// relative `profiles` folders.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let fail = |key: Option<&str>, message: String| ConfigError {
            file: path.to_path_buf(),
            key: key.map(str::to_string),
            message,
        };
        let raw: RawConfig =
            toml::from_str(text).map_err(|err| SettingsError::from_toml(&err, text, path))?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut config = resolve(raw, &base).map_err(|(key, message)| fail(Some(&key), message))?;
        config.file = Some(path.to_path_buf());
        Ok(config)
    }
}

type KeyError = (String, String);

fn resolve(raw: RawConfig, base: &Path) -> Result<Config, KeyError> {
    let mut config = Config {
        default_currency: raw
            .default_currency
            .map(|code| currency_value("default_currency", &code))
            .transpose()?,
        report_currency: raw
            .report_currency
            .map(|code| currency_value("report_currency", &code))
            .transpose()?,
        ..Config::default()
    };

    if let Some(rounding) = raw.rounding {
        config.rounding = match rounding.as_str() {
            "half-even" => Rounding::HalfEven,
            "half-up" => Rounding::HalfUp,
            other => return Err(bad("rounding", other, "\"half-even\" or \"half-up\"")),
        };
    }
    if let Some(order) = raw.date_order {
        config.date_order = Some(match order.as_str() {
            "dmy" => DateOrder::DayMonthYear,
            "mdy" => DateOrder::MonthDayYear,
            other => return Err(bad("date_order", other, "\"dmy\" or \"mdy\"")),
        });
    }
    if let Some(mark) = raw.decimal_mark {
        config.decimal_mark = Some(match mark.as_str() {
            "," => DecimalMark::Comma,
            "." => DecimalMark::Period,
            other => return Err(bad("decimal_mark", other, "\",\" or \".\"")),
        });
    }
    if let Some(days) = raw.max_rate_age_days {
        config.max_rate_age_days = u32::try_from(days)
            .ok()
            .filter(|days| *days <= 3660)
            .ok_or_else(|| {
                bad(
                    "max_rate_age_days",
                    &days.to_string(),
                    "a whole number of days from 0 to 3660",
                )
            })?;
    }
    config.profile_dirs = raw
        .profiles
        .unwrap_or_default()
        .iter()
        .map(|dir| base.join(dir))
        .collect();

    let fixed = raw.fx.and_then(|fx| fx.fixed).unwrap_or_default();
    for (pair, value) in fixed {
        config.fixed_rates.push(fixed_rate(&pair, &value)?);
    }
    for (platform, code) in raw.platform_currency.unwrap_or_default() {
        let key = format!("platform_currency.{platform}");
        let currency = currency_value(&key, &code)?;
        config.platform_currency.insert(platform, currency);
    }
    for (index, link) in raw.link.unwrap_or_default().into_iter().enumerate() {
        config.links.push(link_rule(index, link)?);
    }
    Ok(config)
}

fn bad(key: &str, found: &str, expected: &str) -> KeyError {
    (
        key.to_string(),
        format!("found '{found}', expected {expected}"),
    )
}

fn currency_value(key: &str, code: &str) -> Result<Currency, KeyError> {
    Currency::from_code(code).ok_or_else(|| {
        bad(
            key,
            code,
            "an ISO 4217 currency code such as \"EUR\" or \"NOK\"",
        )
    })
}

fn fixed_rate(pair: &str, value: &toml::Value) -> Result<FixedRate, KeyError> {
    let key = format!("fx.fixed.\"{pair}\"");
    let (from, to) = pair
        .split_once('/')
        .and_then(|(from, to)| Some((Currency::from_code(from)?, Currency::from_code(to)?)))
        .ok_or_else(|| (key.clone(), format!("'{pair}' is not a currency pair, expected two ISO 4217 codes such as \"USD/NOK\"")))?;
    let rate = match value {
        toml::Value::String(text) => Decimal::from_str_exact(text.trim())
            .ok()
            .filter(|rate| *rate > Decimal::ZERO)
            .ok_or_else(|| bad(&key, text, "a positive decimal number such as \"10.50\""))?,
        other => {
            return Err((
                key,
                format!(
                    "found {other}, expected the rate as a quoted string such as \"10.50\" (so that no digit is lost)"
                ),
            ));
        }
    };
    if from == to {
        return Err((key, format!("'{pair}' converts a currency into itself")));
    }
    Ok(FixedRate { from, to, rate })
}

fn link_rule(index: usize, link: RawLink) -> Result<LinkRule, KeyError> {
    let key = format!("link[{}]", index + 1);
    let campaign = link.campaign.trim().to_string();
    if campaign.is_empty() {
        return Err((
            format!("{key}.campaign"),
            "the campaign name is empty".to_string(),
        ));
    }
    let id = match link.ad_campaign_id {
        None => None,
        Some(toml::Value::String(id)) => Some(id.trim().to_string()),
        Some(toml::Value::Integer(id)) => Some(id.to_string()),
        Some(other) => {
            return Err(bad(
                &format!("{key}.ad_campaign_id"),
                &other.to_string(),
                "an id as a string or a whole number",
            ));
        }
    };
    let target = match (link.ad_campaign, id) {
        (Some(name), None) => LinkTarget::Name(name),
        (None, Some(id)) => LinkTarget::Id(id),
        _ => {
            return Err((
                key,
                "set exactly one of ad_campaign (a name or glob) and ad_campaign_id".to_string(),
            ));
        }
    };
    Ok(LinkRule {
        campaign,
        platform: link.platform,
        target,
    })
}

fn unknown_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next().map(str::to_string)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |before| before.matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("inbox/spendsheet.toml"))
    }

    #[test]
    fn full_configuration_is_resolved() {
        let text = r#"
default_currency = "NOK"
report_currency = "eur"
rounding = "half-up"
date_order = "dmy"
decimal_mark = ","
max_rate_age_days = 3
profiles = ["profiles"]

[fx.fixed]
"USD/NOK" = "10.50"

[platform_currency]
tiktok-ads = "USD"

[[link]]
campaign = "Spring launch"
platform = "google-ads"
ad_campaign = "Spring-*"

[[link]]
campaign = "Spring launch"
ad_campaign_id = 123
"#;
        let config = parse(text).expect("valid configuration");
        assert_eq!(
            config.default_currency.map(|c| c.to_string()),
            Some("NOK".into())
        );
        assert_eq!(
            config.report_currency.map(|c| c.to_string()),
            Some("EUR".into())
        );
        assert_eq!(config.rounding, Rounding::HalfUp);
        assert_eq!(config.date_order, Some(DateOrder::DayMonthYear));
        assert_eq!(config.decimal_mark, Some(DecimalMark::Comma));
        assert_eq!(config.max_rate_age_days, 3);
        assert_eq!(config.profile_dirs, vec![PathBuf::from("inbox/profiles")]);
        assert_eq!(config.fixed_rates.len(), 1);
        assert_eq!(config.fixed_rates[0].rate, dec!(10.50));
        assert_eq!(
            config.platform_currency.get("tiktok-ads").map(|c| c.code()),
            Some("USD")
        );
        assert_eq!(config.links[0].target, LinkTarget::Name("Spring-*".into()));
        assert_eq!(config.links[1].target, LinkTarget::Id("123".into()));
        assert_eq!(config.links[1].platform, None);
    }

    #[test]
    fn bad_configurations_name_the_key() {
        let cases = [
            ("colour = \"red\"", "colour"),
            ("default_currency = \"NOKK\"", "default_currency"),
            ("report_currency = \"XYZ\"", "report_currency"),
            ("rounding = \"up\"", "rounding"),
            ("date_order = \"ymd\"", "date_order"),
            ("decimal_mark = \";\"", "decimal_mark"),
            ("max_rate_age_days = -1", "max_rate_age_days"),
            ("[fx.fixed]\n\"USD/NOK\" = 10.5", "fx.fixed.\"USD/NOK\""),
            ("[fx.fixed]\n\"USD-NOK\" = \"10.5\"", "fx.fixed.\"USD-NOK\""),
            ("[fx.fixed]\n\"USD/NOK\" = \"ten\"", "fx.fixed.\"USD/NOK\""),
            (
                "[platform_currency]\ntiktok-ads = \"dollars\"",
                "platform_currency.tiktok-ads",
            ),
            ("[[link]]\ncampaign = \"A\"", "link[1]"),
            (
                "[[link]]\ncampaign = \"A\"\nad_campaign = \"x\"\nad_campaign_id = \"1\"",
                "link[1]",
            ),
        ];
        for (text, key) in cases {
            let err = parse(text).expect_err(text);
            assert_eq!(err.key.as_deref(), Some(key), "{text}: {err}");
            assert!(
                err.to_string().starts_with("inbox/spendsheet.toml: key"),
                "{err}"
            );
        }
    }

    #[test]
    fn syntax_errors_give_the_line() {
        let err = parse("default_currency = \"NOK\"\nrounding = \n").expect_err("bad toml");
        assert!(err.message.starts_with("line 2"), "{err}");
    }

    #[test]
    fn empty_file_means_defaults() {
        let config = parse("").expect("empty is fine");
        assert_eq!(config.max_rate_age_days, 7);
        assert_eq!(config.rounding, Rounding::HalfEven);
    }
}
