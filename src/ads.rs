//! Ad campaigns in the model: the exports' ad campaigns gathered across
//! files, guarded against double counting, linked to campaigns, and added
//! as one spend row (and one budget row) each; what links to nothing is
//! kept as unassigned spend.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::config::{Config, LinkTarget};
use crate::consolidate::UnassignedSpend;
use crate::input::export::{AdBudget, AdCampaignSpend, AdExport};
use crate::input::profile::BudgetKind;
use crate::input::workbook::LinkRecord;
use crate::issue::{Issues, Place};
use crate::model::{Campaign, Item, ItemAmount, Model};
use crate::money::{Currency, Rounding};

/// The description of every row that comes from an export.
pub const AD_CAMPAIGN: &str = "Ad campaign";

/// Keeps out exports that give spend for an ad campaign on days an earlier
/// export already covers (an error naming both files); returns the files
/// left out.
pub fn reject_overlapping(exports: &[AdExport], issues: &mut Issues) -> Vec<String> {
    let mut covered: BTreeMap<AdKey, Vec<(String, Coverage)>> = BTreeMap::new();
    let mut rejected = Vec::new();
    for export in exports {
        let mut clash = None;
        for spend in &export.ad_campaigns {
            let key = AdKey::of(export, spend);
            let coverage = Coverage::of(spend);
            let earlier = covered.get(&key).into_iter().flatten();
            if let Some((file, _)) = earlier.clone().find(|(_, other)| other.overlaps(&coverage)) {
                clash = Some((spend, file.clone()));
                break;
            }
        }
        if let Some((spend, file)) = clash {
            let place = Place::file(&export.file).with_row(spend.first_line);
            issues.error(
                place,
                format!(
                    "spend of ad campaign '{}' on days that {file} also covers: the same spend would be counted twice. Keep one of the two files, or export periods that do not overlap",
                    spend.name
                ),
            );
            rejected.push(export.file.clone());
            continue;
        }
        for spend in &export.ad_campaigns {
            covered
                .entry(AdKey::of(export, spend))
                .or_default()
                .push((export.file.clone(), Coverage::of(spend)));
        }
    }
    rejected
}

/// An ad campaign across files: its platform, and its id where the export
/// has one, else its name; and its currency.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct AdKey {
    platform: String,
    identity: Identity,
    currency: Currency,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Identity {
    Id(String),
    Name(String),
}

impl AdKey {
    fn of(export: &AdExport, spend: &AdCampaignSpend) -> AdKey {
        let identity = match &spend.id {
            Some(id) => Identity::Id(id.clone()),
            None => Identity::Name(spend.name.clone()),
        };
        AdKey {
            platform: export.profile.clone(),
            identity,
            currency: spend.currency,
        }
    }
}

/// The days a file's spend of one ad campaign covers.
#[derive(Clone, Debug)]
enum Coverage {
    Ranges(Vec<(NaiveDate, NaiveDate)>),
    /// Undated spend of an export without a period (`All time`): it may be
    /// any day, so it overlaps every other file's spend.
    Unknown,
}

impl Coverage {
    fn of(spend: &AdCampaignSpend) -> Coverage {
        if spend.has_undated && spend.covers.is_empty() {
            Coverage::Unknown
        } else {
            Coverage::Ranges(spend.covers.clone())
        }
    }

    fn overlaps(&self, other: &Coverage) -> bool {
        match (self, other) {
            (Coverage::Ranges(a), Coverage::Ranges(b)) => a
                .iter()
                .any(|(a0, a1)| b.iter().any(|(b0, b1)| a0 <= b1 && b0 <= a1)),
            _ => true,
        }
    }
}

/// An ad campaign's budget from the export that ends last, with that
/// export's end and period.
#[derive(Clone, Debug)]
struct LatestBudget {
    budget: AdBudget,
    end: Option<NaiveDate>,
    period: Option<(NaiveDate, NaiveDate)>,
}

/// An ad campaign gathered from every export that has it.
#[derive(Clone, Debug)]
struct AdCampaign {
    key: AdKey,
    /// Its name in the export that ends last.
    name: String,
    /// Spend per day; undated spend on its export's last day (or the as-of
    /// date when the export has no period).
    days: BTreeMap<NaiveDate, Decimal>,
    files: Vec<String>,
    first: Place,
    /// The budget of the export that ends last.
    budget: Option<LatestBudget>,
    /// The end of the export its name and budget come from.
    latest_end: Option<NaiveDate>,
}

fn gather(exports: &[AdExport], as_of: NaiveDate, issues: &mut Issues) -> Vec<AdCampaign> {
    let mut gathered: Vec<AdCampaign> = Vec::new();
    let mut index_of: BTreeMap<AdKey, usize> = BTreeMap::new();
    for export in exports {
        let end = export.period.map(|(_, end)| end);
        for spend in &export.ad_campaigns {
            let key = AdKey::of(export, spend);
            let index = match index_of.get(&key) {
                Some(index) => *index,
                None => {
                    index_of.insert(key.clone(), gathered.len());
                    gathered.push(AdCampaign {
                        key,
                        name: spend.name.clone(),
                        days: BTreeMap::new(),
                        files: Vec::new(),
                        first: Place::file(&export.file).with_row(spend.first_line),
                        budget: None,
                        latest_end: None,
                    });
                    gathered.len() - 1
                }
            };
            let Some(ad) = gathered.get_mut(index) else {
                continue;
            };
            add_spend(ad, export, spend, end.unwrap_or(as_of), issues);
        }
    }
    gathered
}

fn add_spend(
    ad: &mut AdCampaign,
    export: &AdExport,
    spend: &AdCampaignSpend,
    end: NaiveDate,
    issues: &mut Issues,
) {
    let undated = spend.has_undated.then_some((end, spend.undated));
    for (day, amount) in spend.dated.iter().map(|(d, a)| (*d, *a)).chain(undated) {
        let total = ad.days.entry(day).or_insert(Decimal::ZERO);
        match total.checked_add(amount) {
            Some(sum) => *total = sum,
            None => issues.error(
                Place::file(&export.file).with_row(spend.first_line),
                "the spend is too large to add up",
            ),
        }
    }
    if !ad.files.contains(&export.file) {
        ad.files.push(export.file.clone());
    }
    let this_end = export.period.map(|(_, end)| end);
    let is_latest = ad.latest_end.is_none() || this_end >= ad.latest_end;
    if is_latest {
        ad.latest_end = this_end;
        ad.name = spend.name.clone();
        if let Some(budget) = &spend.budget {
            ad.budget = Some(LatestBudget {
                budget: budget.clone(),
                end: this_end,
                period: export.period,
            });
        }
    }
}

/// Links every ad campaign of `exports` to a campaign of `model` and adds
/// its rows; returns the spend that links to nothing.
pub fn add_ad_campaigns(
    model: &mut Model,
    exports: &[AdExport],
    config: &Config,
    as_of: NaiveDate,
    issues: &mut Issues,
) -> Vec<UnassignedSpend> {
    let ads = gather(exports, as_of, issues);
    let mut unassigned = Unassigned::default();
    let mut linked_names: Vec<(String, String)> = Vec::new();
    for ad in ads {
        let Some(campaign_name) = link(&ad, &model.links, config, &model.campaigns) else {
            unassigned.add(&ad, config.rounding, issues);
            continue;
        };
        let Some(campaign) = model
            .campaigns
            .iter_mut()
            .find(|c| c.details.name == campaign_name)
        else {
            continue;
        };
        add_rows(campaign, &ad, issues);
        linked_names.push((ad.name.clone(), campaign_name));
    }
    warn_named_like_ads(model, &linked_names, issues);
    unassigned.rounded(config.rounding)
}

/// The campaign an ad campaign belongs to, first match wins: an `Ad
/// campaigns` row, a `[[link]]` rule, an equal campaign name.
fn link(
    ad: &AdCampaign,
    links: &[LinkRecord],
    config: &Config,
    campaigns: &[Campaign],
) -> Option<String> {
    let platform = ad.key.platform.as_str();
    let id = match &ad.key.identity {
        Identity::Id(id) => Some(id.as_str()),
        Identity::Name(_) => None,
    };
    let by_row = links.iter().find(|link| {
        let platform_fits = link.platform.as_deref().is_none_or(|p| p == platform);
        let id_fits = link
            .ad_campaign_id
            .as_deref()
            .is_some_and(|wanted| Some(wanted) == id);
        let name_fits =
            link.ad_campaign_id.is_none() && link.ad_campaign.as_deref() == Some(ad.name.as_str());
        platform_fits && (id_fits || name_fits)
    });
    if let Some(link) = by_row {
        return Some(link.campaign.clone());
    }
    let by_rule = config.links.iter().find(|rule| {
        let platform_fits = rule.platform.as_deref().is_none_or(|p| p == platform);
        let target_fits = match &rule.target {
            LinkTarget::Id(wanted) => Some(wanted.as_str()) == id,
            LinkTarget::Name(pattern) => glob_matches(pattern, &ad.name),
        };
        platform_fits && target_fits
    });
    if let Some(rule) = by_rule {
        return Some(rule.campaign.clone());
    }
    campaigns
        .iter()
        .find(|campaign| campaign.details.name == ad.name)
        .map(|campaign| campaign.details.name.clone())
}

/// Whether `text` matches `pattern`, where `*` stands for any run of
/// characters and `?` for one; everything else, case included, must be
/// equal.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(c) if *c == '?' || Some(c) == text.get(t) => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((star, matched)) => {
                    p = star + 1;
                    t = matched + 1;
                    backtrack = Some((star, matched + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

fn origin(ad: &AdCampaign) -> String {
    format!("{}: {}", ad.key.platform, ad.files.join(", "))
}

/// The ad campaign's spend row, after the campaign's own items, and its
/// budget row when an export gives a budget.
fn add_rows(campaign: &mut Campaign, ad: &AdCampaign, issues: &mut Issues) {
    campaign.spend.push(Item {
        name: ad.name.clone(),
        description: AD_CAMPAIGN.to_string(),
        currency: ad.key.currency,
        amount: ItemAmount::Dated(
            ad.days
                .iter()
                .map(|(day, amount)| (*day, *amount))
                .collect(),
        ),
        source: ad.first.clone(),
        origin: origin(ad),
    });
    if let Some(item) = budget_item(campaign, ad, issues) {
        campaign.budget.push(item);
    }
}

/// The budget row: a lifetime budget as it is; a daily one times the days
/// of the campaign's flight, else of the export's period; a monthly one
/// times the calendar months those days touch. Converted at the end of the
/// export it comes from.
fn budget_item(campaign: &Campaign, ad: &AdCampaign, issues: &mut Issues) -> Option<Item> {
    let LatestBudget {
        budget,
        end,
        period,
    } = ad.budget.as_ref()?;
    let date = end.or(budget.date);
    let flight = campaign.details.start.zip(campaign.details.end);
    let span = flight.or(*period);
    let (quantity, description) = match budget.kind {
        BudgetKind::Lifetime => (Decimal::ONE, AD_CAMPAIGN.to_string()),
        BudgetKind::Daily | BudgetKind::Monthly => {
            let Some((start, last)) = span else {
                issues.warning(
                    ad.first.clone(),
                    format!(
                        "the {} budget of ad campaign '{}' ({} {}) is left out: set Start and End of campaign '{}', or export a report with a date range, so that it can be multiplied by the days",
                        budget.kind, ad.name, budget.amount, ad.key.currency, campaign.details.name
                    ),
                );
                return None;
            };
            let (count, unit) = match budget.kind {
                BudgetKind::Monthly => (months_touched(start, last), "months"),
                _ => (days_between(start, last), "days"),
            };
            (
                Decimal::from(count),
                format!(
                    "{AD_CAMPAIGN} ({} {} x {count} {unit})",
                    budget.kind, budget.amount
                ),
            )
        }
    };
    Some(Item {
        name: ad.name.clone(),
        description,
        currency: ad.key.currency,
        amount: ItemAmount::Priced {
            quantity,
            unit_price: budget.amount,
            date,
        },
        source: ad.first.clone(),
        origin: origin(ad),
    })
}

/// Days from `start` to `end`, both included.
fn days_between(start: NaiveDate, end: NaiveDate) -> i64 {
    end.signed_duration_since(start)
        .num_days()
        .saturating_add(1)
        .max(0)
}

/// The calendar months from `start` to `end` touch, both included.
fn months_touched(start: NaiveDate, end: NaiveDate) -> i64 {
    let months = |date: NaiveDate| i64::from(date.year()) * 12 + i64::from(date.month0());
    months(end)
        .saturating_sub(months(start))
        .saturating_add(1)
        .max(0)
}

/// Spend linked to no campaign, summed exactly per platform, ad campaign
/// name and currency over all files, in the order first met.
#[derive(Default)]
struct Unassigned {
    sums: Vec<((String, String, Currency), Decimal)>,
    index: BTreeMap<(String, String, Currency), usize>,
}

impl Unassigned {
    /// Adds an ad campaign's spend, with a warning at its first row.
    fn add(&mut self, ad: &AdCampaign, rounding: Rounding, issues: &mut Issues) {
        let total = ad
            .days
            .values()
            .fold(Decimal::ZERO, |sum, amount| sum.saturating_add(*amount));
        issues.warning(
            ad.first.clone(),
            format!(
                "{} {} of ad campaign '{}' ({}) is linked to no campaign: add a row to an Ad campaigns sheet or a [[link]] rule in spendsheet.toml",
                rounding.round(total, ad.key.currency),
                ad.key.currency,
                ad.name,
                ad.key.platform
            ),
        );
        let key = (ad.key.platform.clone(), ad.name.clone(), ad.key.currency);
        match self
            .index
            .get(&key)
            .and_then(|index| self.sums.get_mut(*index))
        {
            Some((_, sum)) => *sum = sum.saturating_add(total),
            None => {
                self.index.insert(key.clone(), self.sums.len());
                self.sums.push((key, total));
            }
        }
    }

    /// The sums, each rounded once.
    fn rounded(self, rounding: Rounding) -> Vec<UnassignedSpend> {
        self.sums
            .into_iter()
            .map(|((platform, ad_campaign, currency), sum)| UnassignedSpend {
                platform,
                ad_campaign,
                currency,
                spend: rounding.round(sum, currency),
            })
            .collect()
    }
}

/// A workbook spend item named like an ad campaign linked to the same
/// campaign is probably the same spend counted twice.
fn warn_named_like_ads(model: &Model, linked: &[(String, String)], issues: &mut Issues) {
    for campaign in &model.campaigns {
        for item in campaign
            .spend
            .iter()
            .filter(|item| item.description != AD_CAMPAIGN)
        {
            let twin = linked
                .iter()
                .any(|(ad, owner)| *ad == item.name && *owner == campaign.details.name);
            if twin {
                issues.warning(
                    item.source.clone(),
                    format!(
                        "spend '{}' has the name of an ad campaign linked to campaign '{}', whose spend comes from the exports: it is probably counted twice",
                        item.name, campaign.details.name
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_names_case_sensitively() {
        let cases = [
            ("Spring-*", "Spring-Search", true),
            ("Spring-*", "spring-Search", false),
            ("Spring-*", "Spring", false),
            ("LAUNCH_*", "LAUNCH_Video", true),
            ("*Brand*", "Other | Brand", true),
            ("*Brand*", "Other | Generic", false),
            ("Q?-*", "Q1-Search", true),
            ("Q?-*", "Q10-Search", false),
            ("exact", "exact", true),
            ("exact", "exactly", false),
            ("*", "", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
            ("[Brand]*", "[Brand] Search", true),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(glob_matches(pattern, text), expected, "{pattern} ~ {text}");
        }
    }

    #[test]
    fn day_and_month_counts_include_both_ends() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("date");
        assert_eq!(days_between(day("2026-03-01"), day("2026-03-31")), 31);
        assert_eq!(days_between(day("2026-03-01"), day("2026-03-01")), 1);
        assert_eq!(months_touched(day("2026-03-15"), day("2026-05-01")), 3);
        assert_eq!(months_touched(day("2025-12-31"), day("2026-01-01")), 2);
    }
}
