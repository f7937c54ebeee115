//! Export profiles: one TOML file per ad platform saying how its exports
//! are recognised and read. The built-in ones are compiled in; users add
//! their own from the `profiles` folders of the configuration.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::input::amount::DecimalMark;
use crate::input::discover::{describe_io_error, is_ignored_name};
use crate::input::table::normalize_name;
use crate::money::Currency;

/// The built-in profiles, in the order they are tried: file name and text.
pub const BUILT_IN: [(&str, &str); 5] = [
    (
        "google-ads.toml",
        include_str!("../../templates/profiles/google-ads.toml"),
    ),
    (
        "meta-ads.toml",
        include_str!("../../templates/profiles/meta-ads.toml"),
    ),
    (
        "linkedin-ads.toml",
        include_str!("../../templates/profiles/linkedin-ads.toml"),
    ),
    (
        "microsoft-ads.toml",
        include_str!("../../templates/profiles/microsoft-ads.toml"),
    ),
    (
        "tiktok-ads.toml",
        include_str!("../../templates/profiles/tiktok-ads.toml"),
    ),
];

/// The placeholder in a header name that stands for a currency code, as in
/// `Amount spent ({currency})`.
pub const CURRENCY_PLACEHOLDER: &str = "{currency}";

/// The columns an export may have; only the ad campaign and the spend are
/// needed to recognise it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    AdCampaign,
    AdCampaignId,
    /// The day a row's figures are for.
    Date,
    /// The first day of a row's own period (`Reporting starts`).
    PeriodStart,
    /// The last day of a row's own period (`Reporting ends`).
    PeriodEnd,
    Spend,
    /// A budget whose kind is in the budget type column.
    Budget,
    DailyBudget,
    LifetimeBudget,
    MonthlyBudget,
    BudgetType,
    Currency,
}

impl Column {
    /// Every column, in the order of [`Columns`].
    pub const ALL: [Column; 12] = [
        Column::AdCampaign,
        Column::AdCampaignId,
        Column::Date,
        Column::PeriodStart,
        Column::PeriodEnd,
        Column::Spend,
        Column::Budget,
        Column::DailyBudget,
        Column::LifetimeBudget,
        Column::MonthlyBudget,
        Column::BudgetType,
        Column::Currency,
    ];

    /// The key of the column in a profile's `[columns]` table.
    pub fn key(self) -> &'static str {
        match self {
            Column::AdCampaign => "ad_campaign",
            Column::AdCampaignId => "ad_campaign_id",
            Column::Date => "date",
            Column::PeriodStart => "period_start",
            Column::PeriodEnd => "period_end",
            Column::Spend => "spend",
            Column::Budget => "budget",
            Column::DailyBudget => "daily_budget",
            Column::LifetimeBudget => "lifetime_budget",
            Column::MonthlyBudget => "monthly_budget",
            Column::BudgetType => "budget_type",
            Column::Currency => "currency",
        }
    }

    /// The column in plain words, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Column::AdCampaign => "ad campaign",
            Column::AdCampaignId => "id",
            Column::Date => "date",
            Column::PeriodStart => "period start",
            Column::PeriodEnd => "period end",
            Column::Spend => "spend",
            Column::Budget => "budget",
            Column::DailyBudget => "daily budget",
            Column::LifetimeBudget => "lifetime budget",
            Column::MonthlyBudget => "monthly budget",
            Column::BudgetType => "budget type",
            Column::Currency => "currency",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What kind of amount an ad campaign's budget is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BudgetKind {
    /// Per day: to be multiplied by a number of days.
    Daily,
    /// For the ad campaign's whole life (`Lifetime`, Google's `Campaign
    /// Total`): taken as it is.
    Lifetime,
    /// Per calendar month (Microsoft Advertising's `MonthlyBudget`).
    Monthly,
}

impl fmt::Display for BudgetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BudgetKind::Daily => "daily",
            BudgetKind::Lifetime => "lifetime",
            BudgetKind::Monthly => "monthly",
        })
    }
}

/// A form text dates take in an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateForm {
    /// `2026-03-01`, also with a time of day.
    Iso,
    /// `9/1/2026`, `09/01/2026 12:00:00 AM`: month first.
    MonthDayYear,
    /// `1.9.2026`, `01/09/2026`: day first.
    DayMonthYear,
    /// `March 27, 2026`, `Mar 27 2026`, `27 March 2026`.
    MonthName,
}

impl DateForm {
    fn from_key(key: &str) -> Option<DateForm> {
        Some(match key {
            "iso" => DateForm::Iso,
            "mdy" => DateForm::MonthDayYear,
            "dmy" => DateForm::DayMonthYear,
            "month-name" => DateForm::MonthName,
            _ => return None,
        })
    }

    /// An example of the form, for messages.
    pub fn example(self) -> &'static str {
        match self {
            DateForm::Iso => "2026-09-01",
            DateForm::MonthDayYear => "9/1/2026",
            DateForm::DayMonthYear => "1.9.2026",
            DateForm::MonthName => "September 1, 2026",
        }
    }
}

/// An accepted header name: a text compared case-insensitively, ignoring
/// runs of spaces, optionally with a [`CURRENCY_PLACEHOLDER`] that matches
/// a currency code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderName {
    /// As the profile writes it.
    pub written: String,
    prefix: String,
    /// After the placeholder; `None` when there is no placeholder.
    suffix: Option<String>,
}

/// A header that matched a [`HeaderName`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderMatch {
    /// The text in place of the currency placeholder, in capitals.
    pub currency: Option<String>,
}

impl HeaderName {
    fn new(written: &str) -> HeaderName {
        let (prefix, suffix) = match written.split_once(CURRENCY_PLACEHOLDER) {
            Some((prefix, suffix)) => (prefix, Some(suffix_key(suffix))),
            None => (written, None),
        };
        HeaderName {
            written: written.to_string(),
            prefix: match suffix {
                Some(_) => prefix_key(prefix),
                None => normalize_name(prefix),
            },
            suffix,
        }
    }

    /// Whether `header` is this name; with a placeholder, the text in its
    /// place (`EUR` in `Amount spent (EUR)`).
    pub fn matches(&self, header: &str) -> Option<HeaderMatch> {
        let header = normalize_name(header.trim_start_matches('\u{feff}'));
        let Some(suffix) = &self.suffix else {
            return (header == self.prefix).then_some(HeaderMatch { currency: None });
        };
        let middle = header
            .strip_prefix(self.prefix.as_str())?
            .strip_suffix(suffix.as_str())?
            .trim();
        (!middle.is_empty()).then(|| HeaderMatch {
            currency: Some(middle.to_uppercase()),
        })
    }
}

/// The text before a placeholder, compared as header text is: lower case,
/// runs of spaces as one, a space at its end kept (`amount spent (`).
fn prefix_key(text: &str) -> String {
    let spaced = text.ends_with(char::is_whitespace);
    let mut key = normalize_name(text);
    if spaced && !key.is_empty() {
        key.push(' ');
    }
    key
}

fn suffix_key(text: &str) -> String {
    let spaced = text.starts_with(char::is_whitespace);
    let key = normalize_name(text);
    if spaced && !key.is_empty() {
        format!(" {key}")
    } else {
        key
    }
}

/// A text pattern for title and footer lines: `*` stands for any text;
/// compared case-insensitively, ignoring runs of spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinePattern {
    pub written: String,
    pieces: Vec<String>,
}

impl LinePattern {
    fn new(written: &str) -> LinePattern {
        let mut pieces: Vec<String> = written.split('*').map(piece_key).collect();
        // The text compared is trimmed, so spaces at the ends cannot match.
        if let Some(first) = pieces.first_mut() {
            *first = first.trim_start().to_string();
        }
        if let Some(last) = pieces.last_mut() {
            *last = last.trim_end().to_string();
        }
        LinePattern {
            written: written.to_string(),
            pieces,
        }
    }

    /// Whether `text` matches the pattern.
    pub fn matches(&self, text: &str) -> bool {
        self.matches_normalized(&normalize_name(text))
    }

    /// Whether a text already passed through [`normalize_name`] matches:
    /// for checking one field against many patterns.
    pub fn matches_normalized(&self, normalized: &str) -> bool {
        glob_match(&self.pieces, normalized)
    }
}

/// A piece of a pattern in lower case with runs of spaces as one space,
/// keeping a space at either end: `Total *` must not match `Totally`.
fn piece_key(piece: &str) -> String {
    let mut key = String::with_capacity(piece.len());
    let mut in_space = false;
    for c in piece.chars() {
        if c.is_whitespace() {
            if !in_space {
                key.push(' ');
            }
            in_space = true;
        } else {
            key.extend(c.to_lowercase());
            in_space = false;
        }
    }
    key
}

/// Matches `text` against pieces that were separated by `*`.
fn glob_match(pieces: &[String], text: &str) -> bool {
    let [first, middle @ .., last] = pieces else {
        return pieces.first().is_some_and(|only| only == text);
    };
    let Some(mut rest) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    for piece in middle {
        match rest.find(piece.as_str()) {
            Some(at) => {
                rest = rest
                    .get(at.saturating_add(piece.len())..)
                    .unwrap_or_default()
            }
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last.as_str())
}

/// Accepted header names for each [`Column`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    names: [Vec<HeaderName>; 12],
}

impl Columns {
    /// The names accepted for `column`; empty when the profile has none.
    pub fn names(&self, column: Column) -> &[HeaderName] {
        self.names
            .get(column.index())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// How the values of a budget type column map to kinds of budget.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BudgetTypes {
    pub daily: Vec<String>,
    pub lifetime: Vec<String>,
    pub monthly: Vec<String>,
    /// The kind of a `budget` column value when the row gives no type.
    pub default: Option<BudgetKind>,
}

impl BudgetTypes {
    /// The kind a budget type value stands for, case-insensitively.
    pub fn kind(&self, text: &str) -> Option<BudgetKind> {
        let text = normalize_name(text);
        let listed = |names: &[String]| names.iter().any(|name| normalize_name(name) == text);
        if listed(&self.daily) {
            Some(BudgetKind::Daily)
        } else if listed(&self.lifetime) {
            Some(BudgetKind::Lifetime)
        } else if listed(&self.monthly) {
            Some(BudgetKind::Monthly)
        } else {
            None
        }
    }
}

/// A checked export profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// The profile id, such as `google-ads`: the platform in links and in
    /// `[platform_currency]`.
    pub id: String,
    /// The platform's name for people, such as `Google Ads`.
    pub platform: String,
    /// `built-in` or the file the profile was read from.
    pub origin: String,
    /// The header is searched for in this many lines from the top.
    pub header_within: u32,
    /// The account currency of files that name none.
    pub currency: Option<Currency>,
    pub columns: Columns,
    /// When not empty, a file is recognised only if it also has one of
    /// these columns, or a title line starting with one of `also_any_title`.
    pub also_any_column: Vec<HeaderName>,
    pub also_any_title: Vec<String>,
    /// Title-line labels followed by a whole period (`Report Time:`).
    pub period_labels: Vec<String>,
    /// Title-line labels followed by the first day (`Report Start:`).
    pub start_labels: Vec<String>,
    /// Title-line labels followed by the last day (`Report End:`).
    pub end_labels: Vec<String>,
    /// Rows whose first filled field matches one of these are footers.
    pub footer_skip: Vec<LinePattern>,
    /// Footers whose spend is the total of the ad campaign rows.
    pub footer_spend_total: Vec<LinePattern>,
    /// `None`: told from the file's first rows.
    pub decimal_mark: Option<DecimalMark>,
    /// Values meaning "nothing", compared after trimming, ignoring case.
    /// An empty field is always nothing.
    pub empty_values: Vec<String>,
    /// Forms of text dates, tried in this order.
    pub date_forms: Vec<DateForm>,
    pub budget_types: BudgetTypes,
}

impl Profile {
    /// Whether a trimmed field value means "nothing".
    pub fn is_empty_value(&self, text: &str) -> bool {
        let text = text.trim();
        text.is_empty()
            || self
                .empty_values
                .iter()
                .any(|empty| empty.trim().eq_ignore_ascii_case(text))
    }
}

/// A profile that cannot be used; it names the file and the key.
pub type ProfileError = crate::config::SettingsError;

/// The built-in profiles, then those in `dirs`: every `.toml` file directly
/// in each folder, in name order. A user profile with the id of a built-in
/// one takes its place; other user profiles are tried before the built-in
/// ones, so that a profile made for one account's exports wins over the
/// general one. Two user profiles with one id are an error.
pub fn load_profiles(dirs: &[PathBuf]) -> Result<Vec<Profile>, ProfileError> {
    let mut built_in = built_in_profiles()?;
    let mut own: Vec<Profile> = Vec::new();
    for dir in dirs {
        for path in profile_files(dir)? {
            let profile = load_profile(&path)?;
            if let Some(earlier) = own.iter().find(|known| known.id == profile.id) {
                return Err(ProfileError {
                    file: path,
                    key: Some("id".into()),
                    message: format!(
                        "the id '{}' is already used by {}; give each profile its own id",
                        profile.id, earlier.origin
                    ),
                });
            }
            own.push(profile);
        }
    }
    let mut added = Vec::new();
    for profile in own {
        match built_in.iter_mut().find(|known| known.id == profile.id) {
            Some(slot) => *slot = profile,
            None => added.push(profile),
        }
    }
    added.extend(built_in);
    Ok(added)
}

/// The profiles compiled into the program.
pub fn built_in_profiles() -> Result<Vec<Profile>, ProfileError> {
    BUILT_IN
        .iter()
        .map(|(name, text)| parse_profile(text, Path::new(name), "built-in"))
        .collect()
}

/// Reads and checks the profile file at `path`.
pub fn load_profile(path: &Path) -> Result<Profile, ProfileError> {
    let text = std::fs::read_to_string(path).map_err(|err| ProfileError {
        file: path.to_path_buf(),
        key: None,
        message: format!("cannot read the profile: {}", describe_io_error(&err)),
    })?;
    parse_profile(&text, path, &path.display().to_string())
}

/// The `.toml` files directly in `dir`, in name order.
fn profile_files(dir: &Path) -> Result<Vec<PathBuf>, ProfileError> {
    let fail = |message: String| ProfileError {
        file: dir.to_path_buf(),
        key: None,
        message,
    };
    let entries = std::fs::read_dir(dir).map_err(|err| {
        fail(format!(
            "cannot list the profiles folder: {}",
            describe_io_error(&err)
        ))
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|err| fail(format!("cannot list the profiles folder: {err}")))?
            .path();
        let name = path.file_name().and_then(|name| name.to_str());
        let is_toml = name.is_some_and(|name| {
            !is_ignored_name(name) && name.to_ascii_lowercase().ends_with(".toml")
        });
        if is_toml && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    id: String,
    platform: String,
    header_within: Option<i64>,
    currency: Option<String>,
    columns: RawColumns,
    #[serde(default)]
    recognise: RawRecognise,
    #[serde(default)]
    title: RawTitle,
    #[serde(default)]
    footer: RawFooter,
    #[serde(default)]
    numbers: RawNumbers,
    #[serde(default)]
    dates: RawDates,
    #[serde(default)]
    budget_types: RawBudgetTypes,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumns {
    ad_campaign: Vec<String>,
    spend: Vec<String>,
    #[serde(default)]
    ad_campaign_id: Vec<String>,
    #[serde(default)]
    date: Vec<String>,
    #[serde(default)]
    period_start: Vec<String>,
    #[serde(default)]
    period_end: Vec<String>,
    #[serde(default)]
    budget: Vec<String>,
    #[serde(default)]
    daily_budget: Vec<String>,
    #[serde(default)]
    lifetime_budget: Vec<String>,
    #[serde(default)]
    monthly_budget: Vec<String>,
    #[serde(default)]
    budget_type: Vec<String>,
    #[serde(default)]
    currency: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRecognise {
    #[serde(default)]
    also_any_column: Vec<String>,
    #[serde(default)]
    also_any_title: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    #[serde(default)]
    period_labels: Vec<String>,
    #[serde(default)]
    start_labels: Vec<String>,
    #[serde(default)]
    end_labels: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFooter {
    #[serde(default)]
    skip: Vec<String>,
    #[serde(default)]
    spend_total: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawNumbers {
    decimal_mark: Option<String>,
    empty: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDates {
    forms: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBudgetTypes {
    #[serde(default)]
    daily: Vec<String>,
    #[serde(default)]
    lifetime: Vec<String>,
    #[serde(default)]
    monthly: Vec<String>,
    default: Option<String>,
}

/// The empty values of a profile that lists none.
const DEFAULT_EMPTY: [&str; 3] = ["--", "N/A", "-"];

/// How far down the header is searched when a profile does not say.
const DEFAULT_HEADER_WITHIN: u32 = 30;

type KeyError = (String, String);

/// Checks profile text; `path` names it in errors, `origin` in the profile.
pub fn parse_profile(text: &str, path: &Path, origin: &str) -> Result<Profile, ProfileError> {
    let fail = |key: Option<String>, message: String| ProfileError {
        file: path.to_path_buf(),
        key,
        message,
    };
    let raw: RawProfile =
        toml::from_str(text).map_err(|err| ProfileError::from_toml(&err, text, path))?;
    let mut profile = resolve(raw).map_err(|(key, message)| fail(Some(key), message))?;
    profile.origin = origin.to_string();
    Ok(profile)
}

fn resolve(raw: RawProfile) -> Result<Profile, KeyError> {
    let id = checked_id(&raw.id)?;
    let platform = raw.platform.trim().to_string();
    if platform.is_empty() {
        return Err(("platform".into(), "the platform name is empty".into()));
    }
    Ok(Profile {
        id,
        platform,
        origin: String::new(),
        header_within: header_within(raw.header_within)?,
        currency: raw
            .currency
            .map(|code| currency_value("currency", &code))
            .transpose()?,
        columns: columns(raw.columns)?,
        also_any_column: header_names("recognise.also_any_column", raw.recognise.also_any_column)?,
        also_any_title: raw.recognise.also_any_title,
        period_labels: raw.title.period_labels,
        start_labels: raw.title.start_labels,
        end_labels: raw.title.end_labels,
        footer_skip: raw
            .footer
            .skip
            .iter()
            .map(|p| LinePattern::new(p))
            .collect(),
        footer_spend_total: raw
            .footer
            .spend_total
            .iter()
            .map(|p| LinePattern::new(p))
            .collect(),
        decimal_mark: decimal_mark(raw.numbers.decimal_mark)?,
        empty_values: raw
            .numbers
            .empty
            .unwrap_or_else(|| DEFAULT_EMPTY.map(str::to_string).to_vec()),
        date_forms: date_forms(raw.dates.forms)?,
        budget_types: budget_types(raw.budget_types)?,
    })
}

/// An id is lower-case letters, digits and dashes, as in `google-ads`.
fn checked_id(id: &str) -> Result<String, KeyError> {
    let fits = !id.is_empty()
        && id
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if fits {
        Ok(id.to_string())
    } else {
        Err(bad(
            "id",
            id,
            "lower-case letters, digits and dashes, such as \"my-platform\"",
        ))
    }
}

fn header_within(lines: Option<i64>) -> Result<u32, KeyError> {
    let Some(lines) = lines else {
        return Ok(DEFAULT_HEADER_WITHIN);
    };
    u32::try_from(lines)
        .ok()
        .filter(|lines| (1..=1000).contains(lines))
        .ok_or_else(|| {
            bad(
                "header_within",
                &lines.to_string(),
                "a number of lines from 1 to 1000",
            )
        })
}

fn columns(raw: RawColumns) -> Result<Columns, KeyError> {
    let lists = [
        raw.ad_campaign,
        raw.ad_campaign_id,
        raw.date,
        raw.period_start,
        raw.period_end,
        raw.spend,
        raw.budget,
        raw.daily_budget,
        raw.lifetime_budget,
        raw.monthly_budget,
        raw.budget_type,
        raw.currency,
    ];
    let mut columns = Columns::default();
    for ((column, list), slot) in Column::ALL.iter().zip(lists).zip(columns.names.iter_mut()) {
        *slot = header_names(&format!("columns.{}", column.key()), list)?;
    }
    for needed in [Column::AdCampaign, Column::Spend] {
        if columns.names(needed).is_empty() {
            return Err((
                format!("columns.{}", needed.key()),
                format!(
                    "list at least one header name: a profile recognises a file by its {} column",
                    needed.label()
                ),
            ));
        }
    }
    Ok(columns)
}

fn header_names(key: &str, list: Vec<String>) -> Result<Vec<HeaderName>, KeyError> {
    list.iter()
        .map(|written| {
            if written.trim().is_empty() {
                return Err((key.to_string(), "a header name is empty".to_string()));
            }
            if written.matches(CURRENCY_PLACEHOLDER).count() > 1 {
                return Err(bad(key, written, "at most one {currency} in a header name"));
            }
            Ok(HeaderName::new(written))
        })
        .collect()
}

fn decimal_mark(mark: Option<String>) -> Result<Option<DecimalMark>, KeyError> {
    match mark.as_deref() {
        None => Ok(None),
        Some(".") => Ok(Some(DecimalMark::Period)),
        Some(",") => Ok(Some(DecimalMark::Comma)),
        Some(other) => Err(bad("numbers.decimal_mark", other, "\".\" or \",\"")),
    }
}

fn date_forms(forms: Option<Vec<String>>) -> Result<Vec<DateForm>, KeyError> {
    let key = "dates.forms";
    let Some(forms) = forms else {
        return Ok(vec![DateForm::Iso]);
    };
    let forms = forms
        .iter()
        .map(|form| {
            DateForm::from_key(form)
                .ok_or_else(|| bad(key, form, "\"iso\", \"mdy\", \"dmy\" or \"month-name\""))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if forms.is_empty() {
        return Err((key.into(), "list at least one date form".into()));
    }
    let both_orders =
        forms.contains(&DateForm::MonthDayYear) && forms.contains(&DateForm::DayMonthYear);
    if both_orders {
        return Err((
            key.into(),
            "\"mdy\" and \"dmy\" cannot both be listed: 01/02/2026 would be two days".into(),
        ));
    }
    Ok(forms)
}

fn budget_types(raw: RawBudgetTypes) -> Result<BudgetTypes, KeyError> {
    let default = match raw.default.as_deref() {
        None => None,
        Some("daily") => Some(BudgetKind::Daily),
        Some("lifetime") => Some(BudgetKind::Lifetime),
        Some("monthly") => Some(BudgetKind::Monthly),
        Some(other) => {
            return Err(bad(
                "budget_types.default",
                other,
                "\"daily\", \"lifetime\" or \"monthly\"",
            ));
        }
    };
    Ok(BudgetTypes {
        daily: raw.daily,
        lifetime: raw.lifetime,
        monthly: raw.monthly,
        default,
    })
}

fn currency_value(key: &str, code: &str) -> Result<Currency, KeyError> {
    Currency::from_code(code).ok_or_else(|| {
        bad(
            key,
            code,
            "an ISO 4217 currency code such as \"EUR\" or \"USD\"",
        )
    })
}

fn bad(key: &str, found: &str, expected: &str) -> KeyError {
    (
        key.to_string(),
        format!("found '{found}', expected {expected}"),
    )
}

/// One line saying what a profile recognises, for `spendsheet profiles`:
/// its id and platform, the columns that recognise a file, then the others
/// it reads.
///
/// ```
/// use spendsheet::input::profile::{built_in_profiles, describe};
///
/// let profiles = built_in_profiles().expect("built-in profiles are valid");
/// let line = describe(&profiles[0]);
/// assert!(line.starts_with("google-ads (Google Ads): ad campaign \"Campaign\", spend \"Cost\""));
/// ```
pub fn describe(profile: &Profile) -> String {
    let shown = |column: Column| {
        let names = profile.columns.names(column);
        (!names.is_empty()).then(|| {
            let quoted: Vec<String> = names
                .iter()
                .map(|name| format!("\"{}\"", name.written))
                .collect();
            format!("{} {}", column.label(), quoted.join(" or "))
        })
    };
    let recognised: Vec<String> = [Column::AdCampaign, Column::Spend]
        .into_iter()
        .filter_map(shown)
        .collect();
    let others: Vec<String> = Column::ALL
        .into_iter()
        .filter(|column| !matches!(column, Column::AdCampaign | Column::Spend))
        .filter_map(shown)
        .collect();
    let mut line = format!(
        "{} ({}): {}",
        profile.id,
        profile.platform,
        recognised.join(", ")
    );
    if !others.is_empty() {
        line.push_str("; also ");
        line.push_str(&others.join(", "));
    }
    if let Some(condition) = also_needed(profile) {
        line.push_str("; ");
        line.push_str(&condition);
    }
    if profile.origin != "built-in" {
        line.push_str(&format!(" [{}]", profile.origin));
    }
    line
}

/// What `[recognise]` asks for besides the two columns, in words.
fn also_needed(profile: &Profile) -> Option<String> {
    let quoted = |names: Vec<&str>| {
        names
            .iter()
            .map(|name| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let columns: Vec<&str> = profile
        .also_any_column
        .iter()
        .map(|name| name.written.as_str())
        .collect();
    let titles: Vec<&str> = profile.also_any_title.iter().map(String::as_str).collect();
    match (columns.is_empty(), titles.is_empty()) {
        (true, true) => None,
        (false, true) => Some(format!("only with one of the columns {}", quoted(columns))),
        (true, false) => Some(format!(
            "only below a title line starting {}",
            quoted(titles)
        )),
        (false, false) => Some(format!(
            "only with one of the columns {} or below a title line starting {}",
            quoted(columns),
            quoted(titles)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
id = "my-ads"
platform = "My Ads"

[columns]
ad_campaign = ["Campaign"]
spend = ["Spent ({currency})"]
"#;

    fn parse(text: &str) -> Result<Profile, ProfileError> {
        parse_profile(
            text,
            Path::new("profiles/my-ads.toml"),
            "profiles/my-ads.toml",
        )
    }

    #[test]
    fn built_in_profiles_are_valid_and_in_order() {
        let ids: Vec<String> = built_in_profiles()
            .expect("valid")
            .into_iter()
            .map(|profile| profile.id)
            .collect();
        assert_eq!(
            ids,
            [
                "google-ads",
                "meta-ads",
                "linkedin-ads",
                "microsoft-ads",
                "tiktok-ads"
            ]
        );
    }

    #[test]
    fn a_minimal_profile_gets_defaults() {
        let profile = parse(MINIMAL).expect("valid");
        assert_eq!(profile.header_within, DEFAULT_HEADER_WITHIN);
        assert_eq!(profile.date_forms, [DateForm::Iso]);
        assert_eq!(profile.decimal_mark, None);
        assert!(profile.is_empty_value(" --"));
        assert!(profile.is_empty_value("n/a"));
        assert!(profile.is_empty_value(""));
        assert!(!profile.is_empty_value("0"));
        assert!(profile.footer_skip.is_empty());
    }

    #[test]
    fn header_names_match_case_and_spaces_and_capture_currencies() {
        let name = HeaderName::new("Amount spent ({currency})");
        let cases = [
            ("Amount spent (EUR)", Some(Some("EUR"))),
            ("amount  SPENT (usd)", Some(Some("USD"))),
            ("\u{feff}Amount spent (NOK)", Some(Some("NOK"))),
            ("Amount spent ()", None),
            ("Amount spent", None),
            ("Amount spent (EUR) total", None),
        ];
        for (header, expected) in cases {
            let found = name.matches(header).map(|m| m.currency);
            assert_eq!(found, expected.map(|c| c.map(str::to_string)), "{header}");
        }
        let plain = HeaderName::new("Campaign ID");
        assert!(plain.matches(" campaign  id ").is_some());
        assert!(plain.matches("Campaign").is_none());
    }

    #[test]
    fn line_patterns_use_stars() {
        let cases = [
            ("Total: *", "Total: Campaigns", true),
            ("Total: *", "total:  account", true),
            ("Total: *", "Total", false),
            ("Total", "TOTAL", true),
            ("Total", "Totally new", false),
            (
                "©*",
                "©2026 Microsoft Corporation. All rights reserved.",
                true,
            ),
            (
                "*rights reserved*",
                "©2026 Microsoft. All rights reserved. ",
                true,
            ),
            ("Total of * results", "Total of 12 results", true),
            ("Total of * results", "Total of 12", false),
            ("Total *", "Totally new", false),
            ("Total *", "Total  account", true),
            ("a*a", "a", false),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                LinePattern::new(pattern).matches(text),
                expected,
                "{pattern} {text}"
            );
        }
    }

    #[test]
    fn budget_types_map_to_kinds() {
        let profiles = built_in_profiles().expect("valid");
        let google = &profiles[0];
        assert_eq!(google.budget_types.kind("Daily"), Some(BudgetKind::Daily));
        assert_eq!(
            google.budget_types.kind("campaign total"),
            Some(BudgetKind::Lifetime)
        );
        assert_eq!(google.budget_types.kind("Shared"), None);
    }

    #[test]
    fn bad_profiles_name_the_key() {
        let with = |extra: &str| format!("{MINIMAL}\n{extra}");
        let cases = [
            (with("colour = \"red\""), "colour"),
            (
                with("[numbers]\ndecimal_mark = \";\""),
                "numbers.decimal_mark",
            ),
            (with("[numbers]\nthousands = \",\""), "thousands"),
            (with("[dates]\nforms = [\"mdy\", \"dmy\"]"), "dates.forms"),
            (with("[dates]\nforms = [\"ymd\"]"), "dates.forms"),
            (
                with("[budget_types]\ndefault = \"weekly\""),
                "budget_types.default",
            ),
            (with("[footer]\nspend = []"), "spend"),
            (MINIMAL.replace("my-ads", "My Ads"), "id"),
            (
                MINIMAL.replace(
                    "platform = \"My Ads\"",
                    "platform = \"My Ads\"\ncurrency = \"DOLLAR\"",
                ),
                "currency",
            ),
            (
                MINIMAL.replace("[\"Campaign\"]", "[]"),
                "columns.ad_campaign",
            ),
            (
                MINIMAL.replace(
                    "[\"Campaign\"]",
                    "[\"Campaign\"]\ndate = [\"{currency} {currency}\"]",
                ),
                "columns.date",
            ),
            (
                MINIMAL.replace(
                    "platform = \"My Ads\"",
                    "platform = \"My Ads\"\nheader_within = 0",
                ),
                "header_within",
            ),
        ];
        for (text, key) in cases {
            let err = parse(&text).expect_err(&text);
            assert_eq!(err.key.as_deref(), Some(key), "{text}\n{err}");
            assert!(
                err.to_string().starts_with("profiles/my-ads.toml: key"),
                "{err}"
            );
        }
        let err = parse("id = \"x\"\n").expect_err("no platform");
        assert!(err.message.contains("platform"), "{err}");
    }

    #[test]
    fn user_profiles_replace_or_precede_built_in_ones() {
        let dir = tempfile::tempdir().expect("temp dir");
        let google = MINIMAL
            .replace("my-ads", "google-ads")
            .replace("My Ads", "Google Ads (ours)");
        std::fs::write(dir.path().join("b-google.toml"), google).expect("write");
        std::fs::write(dir.path().join("a-mine.toml"), MINIMAL).expect("write");
        std::fs::write(dir.path().join("notes.txt"), "not a profile").expect("write");
        std::fs::write(dir.path().join(".hidden.toml"), "bad").expect("write");

        let profiles = load_profiles(&[dir.path().to_path_buf()]).expect("valid");
        let ids: Vec<&str> = profiles.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "my-ads",
                "google-ads",
                "meta-ads",
                "linkedin-ads",
                "microsoft-ads",
                "tiktok-ads"
            ]
        );
        assert_eq!(profiles[1].platform, "Google Ads (ours)");
        assert!(describe(&profiles[0]).ends_with("a-mine.toml]"));
    }

    #[test]
    fn bad_user_profiles_are_errors_naming_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("broken.toml");
        std::fs::write(&path, MINIMAL.replace("spend", "spent")).expect("write");
        let err = load_profiles(&[dir.path().to_path_buf()]).expect_err("unknown key");
        assert_eq!(err.file, path);
        assert_eq!(err.key.as_deref(), Some("spent"));

        std::fs::write(&path, MINIMAL).expect("write");
        std::fs::write(dir.path().join("copy.toml"), MINIMAL).expect("write");
        let err = load_profiles(&[dir.path().to_path_buf()]).expect_err("same id");
        assert_eq!(err.key.as_deref(), Some("id"));

        let missing = dir.path().join("nowhere");
        let err = load_profiles(std::slice::from_ref(&missing)).expect_err("no folder");
        assert_eq!(err.file, missing);
    }

    #[test]
    fn descriptions_are_one_line() {
        for profile in built_in_profiles().expect("valid") {
            let line = describe(&profile);
            assert!(!line.contains('\n'), "{line}");
            assert!(line.starts_with(&profile.id), "{line}");
        }
        let profile = parse(MINIMAL).expect("valid");
        assert_eq!(
            describe(&profile),
            "my-ads (My Ads): ad campaign \"Campaign\", spend \"Spent ({currency})\" \
             [profiles/my-ads.toml]"
        );
    }
}
