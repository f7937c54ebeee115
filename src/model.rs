//! The campaign model: campaigns defined once, each with its currency and
//! its budget and spend items, built from the records of every input.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::config::Config;
use crate::input::workbook::{
    CampaignRecord, CampaignWorkbook, ControlTotal, ItemKind, ItemRecord, LinkRecord,
};
use crate::issue::{Issues, Place};
use crate::money::Currency;

/// What a campaign is, apart from its lines: its name, its settled
/// currency (all its figures are shown in it), flight, owner and notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignDetails {
    pub name: String,
    pub currency: Currency,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub owner: Option<String>,
    pub notes: Option<String>,
    /// Where the campaign was first defined.
    pub defined_at: Place,
}

impl CampaignDetails {
    /// Whether `date` falls outside the campaign's flight, where it has one.
    pub fn is_outside_flight(&self, date: NaiveDate) -> bool {
        self.start.is_some_and(|start| date < start) || self.end.is_some_and(|end| date > end)
    }
}

/// A campaign with its items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Campaign {
    pub details: CampaignDetails,
    pub budget: Vec<Item>,
    pub spend: Vec<Item>,
}

impl Campaign {
    pub fn items(&self, kind: ItemKind) -> &[Item] {
        match kind {
            ItemKind::Budget => &self.budget,
            ItemKind::Spend => &self.spend,
        }
    }
}

/// One line of a campaign's budget or spend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub name: String,
    pub description: String,
    /// The currency the amount is written in.
    pub currency: Currency,
    pub amount: ItemAmount,
    /// Where the line comes from, for messages.
    pub source: Place,
    /// Where the line comes from, as the report's Source column shows it:
    /// file, sheet and row, or platform and export files.
    pub origin: String,
}

/// What an item is worth in its own currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemAmount {
    /// A workbook line: quantity x unit price, dated or not (undated lines
    /// are converted at the report's as-of date).
    Priced {
        quantity: Decimal,
        unit_price: Decimal,
        date: Option<NaiveDate>,
    },
    /// Amounts on several days (an ad campaign's spend), each converted at
    /// its own day's rate, summed at full precision and rounded once.
    Dated(Vec<(NaiveDate, Decimal)>),
}

impl ItemAmount {
    /// The exact amount in the item's own currency; `None` on overflow.
    pub fn exact(&self) -> Option<Decimal> {
        match self {
            ItemAmount::Priced {
                quantity,
                unit_price,
                ..
            } => quantity.checked_mul(*unit_price),
            ItemAmount::Dated(days) => days
                .iter()
                .try_fold(Decimal::ZERO, |sum, (_, amount)| sum.checked_add(*amount)),
        }
    }
}

/// All campaigns, with what else the workbooks said about them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    pub campaigns: Vec<Campaign>,
    /// Control totals of campaigns in the model, to check after rounding.
    pub control_totals: Vec<ControlTotal>,
    /// Links from ad campaigns to campaigns in the model.
    pub links: Vec<LinkRecord>,
}

impl Model {
    pub fn campaign(&self, name: &str) -> Option<&Campaign> {
        self.campaigns
            .iter()
            .find(|campaign| campaign.details.name == name)
    }
}

/// Builds the model from the campaign workbooks, in input order.
/// `left_out` names the campaigns of workbooks left out for their errors
/// (with the file), so that their items get a clear message.
pub fn build_model(
    workbooks: &[CampaignWorkbook],
    left_out: &[(String, String)],
    config: &Config,
    issues: &mut Issues,
) -> Model {
    let mut builder = ModelBuilder {
        config,
        left_out,
        issues,
        model: Model::default(),
        index: HashMap::new(),
        failed: BTreeSet::new(),
    };
    for record in workbooks.iter().flat_map(|book| &book.campaigns) {
        builder.define(record);
    }
    for item in workbooks.iter().flat_map(|book| &book.items) {
        builder.add_item(item);
    }
    for total in workbooks.iter().flat_map(|book| &book.control_totals) {
        if builder.known(&total.campaign, &total.place) {
            builder.model.control_totals.push(total.clone());
        }
    }
    for link in workbooks.iter().flat_map(|book| &book.links) {
        if builder.known(&link.campaign, &link.campaign_place) {
            builder.model.links.push(link.clone());
        }
    }
    builder.model
}

struct ModelBuilder<'a> {
    config: &'a Config,
    left_out: &'a [(String, String)],
    issues: &'a mut Issues,
    model: Model,
    /// Campaign name to its index in `model.campaigns`.
    index: HashMap<String, usize>,
    /// Campaigns whose definition had an error: their items are left out
    /// without repeating it.
    failed: BTreeSet<String>,
}

impl ModelBuilder<'_> {
    fn define(&mut self, record: &CampaignRecord) {
        let currency = record.currency.or(self.config.default_currency);
        if let Some(&index) = self.index.get(&record.name) {
            if let Some(first) = self.model.campaigns.get(index) {
                self.check_redefinition(first.clone(), currency, record);
            }
            return;
        }
        if self.failed.contains(&record.name) {
            return;
        }
        let Some(currency) = currency else {
            self.issues.error(
                record.place.clone(),
                format!(
                    "campaign '{}' has no currency: fill in its Currency, or set default_currency in spendsheet.toml",
                    record.name
                ),
            );
            self.failed.insert(record.name.clone());
            return;
        };
        self.index
            .insert(record.name.clone(), self.model.campaigns.len());
        self.model.campaigns.push(Campaign {
            details: CampaignDetails {
                name: record.name.clone(),
                currency,
                start: record.start,
                end: record.end,
                owner: record.owner.clone(),
                notes: record.notes.clone(),
                defined_at: record.place.clone(),
            },
            budget: Vec::new(),
            spend: Vec::new(),
        });
    }

    fn check_redefinition(
        &mut self,
        first: Campaign,
        currency: Option<Currency>,
        again: &CampaignRecord,
    ) {
        let mut differences = Vec::new();
        if currency != Some(first.details.currency) {
            let shown = currency.map_or("no currency".to_string(), |c| c.to_string());
            differences.push(format!(
                "currency {shown} instead of {}",
                first.details.currency
            ));
        }
        if (again.start, again.end) != (first.details.start, first.details.end) {
            differences.push(format!(
                "flight {} instead of {}",
                flight_text(again.start, again.end),
                flight_text(first.details.start, first.details.end)
            ));
        }
        if !differences.is_empty() {
            self.issues.error(
                again.place.clone(),
                format!(
                    "campaign '{}' is defined again with {}; it was first defined at {}. Define each campaign once, or with the same currency and flight",
                    again.name,
                    differences.join(" and "),
                    first.details.defined_at
                ),
            );
        }
    }

    /// Whether `name` is a campaign of the model; an error suggesting the
    /// closest name when it is unknown.
    fn known(&mut self, name: &str, place: &Place) -> bool {
        if self.index.contains_key(name) {
            return true;
        }
        if let Some((_, file)) = self.left_out.iter().find(|(left, _)| left == name) {
            let message = format!(
                "campaign '{name}' is defined in {file}, which is left out because it has errors"
            );
            self.issues.error(place.clone(), message);
        } else if !self.failed.contains(name) {
            let names: Vec<&str> = self
                .model
                .campaigns
                .iter()
                .map(|c| c.details.name.as_str())
                .collect();
            self.issues
                .error(place.clone(), unknown_campaign_message(name, &names));
        }
        false
    }

    fn add_item(&mut self, record: &ItemRecord) {
        if !self.known(&record.campaign, &record.campaign_place) {
            return;
        }
        let Some(&index) = self.index.get(&record.campaign) else {
            return;
        };
        let Some(campaign) = self.model.campaigns.get_mut(index) else {
            return;
        };
        let currency = record.currency.unwrap_or(campaign.details.currency);
        if let Some(marked) = &record.currency_mark
            && !marked.mark.fits(currency)
        {
            self.issues.error(
                marked.place.clone(),
                format!(
                    "'{}' is written in {}, but the line's currency is {currency}; fill in the Currency column when a line is in another currency than its campaign",
                    marked.text, marked.mark.written
                ),
            );
            return;
        }
        let item = Item {
            name: record.name.clone(),
            description: record.description.clone(),
            currency,
            amount: ItemAmount::Priced {
                quantity: record.quantity,
                unit_price: record.unit_price,
                date: record.date,
            },
            source: record.place.clone(),
            origin: record.place.to_string(),
        };
        match record.kind {
            ItemKind::Budget => campaign.budget.push(item),
            ItemKind::Spend => campaign.spend.push(item),
        }
    }
}

fn flight_text(start: Option<NaiveDate>, end: Option<NaiveDate>) -> String {
    let day = |date: Option<NaiveDate>| date.map_or("(open)".to_string(), |d| d.to_string());
    match (start, end) {
        (None, None) => "(none)".to_string(),
        _ => format!("{} to {}", day(start), day(end)),
    }
}

/// "campaign 'Sumer sale' is not defined; did you mean 'Summer sale'?"
pub fn unknown_campaign_message(name: &str, known: &[&str]) -> String {
    if known.is_empty() {
        return format!(
            "campaign '{name}' is not defined: no input defines any campaign (add a Campaigns sheet)"
        );
    }
    match closest_name(name, known) {
        Some(closest) => format!("campaign '{name}' is not defined; did you mean '{closest}'?"),
        None => {
            let listed: Vec<String> = known.iter().take(5).map(|n| format!("'{n}'")).collect();
            let more = if known.len() > 5 { ", ..." } else { "" };
            format!(
                "campaign '{name}' is not defined; the campaigns are {}{more}",
                listed.join(", ")
            )
        }
    }
}

/// The known name most like `name`, when one is reasonably alike. Case is
/// ignored here because a wrong case is the most common slip.
fn closest_name<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let wanted = name.to_lowercase();
    known
        .iter()
        .map(|candidate| {
            (
                strsim::jaro_winkler(&wanted, &candidate.to_lowercase()),
                *candidate,
            )
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::amount::CurrencyMark;
    use crate::input::workbook::MarkedCurrency;
    use rust_decimal_macros::dec;

    fn currency(code: &str) -> Currency {
        Currency::from_code(code).expect("known code")
    }

    fn campaign(name: &str, code: Option<&str>, row: u64) -> CampaignRecord {
        CampaignRecord {
            name: name.into(),
            currency: code.map(currency),
            start: None,
            end: None,
            owner: None,
            notes: None,
            place: Place::file("plan.xlsx")
                .with_sheet("Campaigns")
                .with_row(row),
        }
    }

    fn item(campaign: &str, name: &str, row: u64) -> ItemRecord {
        let place = Place::file("plan.xlsx").with_sheet("Budget").with_row(row);
        ItemRecord {
            kind: ItemKind::Budget,
            campaign: campaign.into(),
            campaign_place: place.clone().with_column("A"),
            name: name.into(),
            description: String::new(),
            unit_price: dec!(100),
            quantity: dec!(2),
            currency: None,
            currency_mark: None,
            date: None,
            place,
        }
    }

    fn build(books: Vec<CampaignWorkbook>, config: &Config) -> (Model, Vec<String>) {
        let mut issues = Issues::default();
        let model = build_model(&books, &[], config, &mut issues);
        (model, issues.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn campaign_currency_falls_back_to_the_default_else_is_an_error() {
        let book = CampaignWorkbook {
            campaigns: vec![campaign("A", Some("EUR"), 2), campaign("B", None, 3)],
            items: vec![item("B", "Print", 2)],
            ..CampaignWorkbook::default()
        };
        let (model, issues) = build(vec![book.clone()], &Config::default());
        assert_eq!(model.campaigns.len(), 1);
        assert_eq!(
            issues,
            [
                "error: plan.xlsx, sheet 'Campaigns', row 3: campaign 'B' has no currency: fill in its Currency, or set default_currency in spendsheet.toml"
            ]
        );

        let config = Config {
            default_currency: Some(currency("NOK")),
            ..Config::default()
        };
        let (model, issues) = build(vec![book], &config);
        assert!(issues.is_empty(), "{issues:?}");
        let currencies: Vec<_> = model
            .campaigns
            .iter()
            .map(|c| (c.details.name.as_str(), c.details.currency.code()))
            .collect();
        assert_eq!(currencies, [("A", "EUR"), ("B", "NOK")]);
        assert_eq!(model.campaigns[1].budget.len(), 1);
        assert_eq!(model.campaigns[1].budget[0].currency.code(), "NOK");
        assert_eq!(model.campaigns[1].budget[0].amount.exact(), Some(dec!(200)));
    }

    #[test]
    fn a_campaign_is_defined_once() {
        let first = CampaignWorkbook {
            campaigns: vec![campaign("A", Some("EUR"), 2)],
            ..CampaignWorkbook::default()
        };
        let same = CampaignWorkbook {
            campaigns: vec![campaign("A", Some("EUR"), 5)],
            ..CampaignWorkbook::default()
        };
        let other = CampaignWorkbook {
            campaigns: vec![campaign("A", Some("USD"), 7)],
            ..CampaignWorkbook::default()
        };
        let (model, issues) = build(vec![first, same, other], &Config::default());
        assert_eq!(model.campaigns.len(), 1);
        assert_eq!(issues.len(), 1, "{issues:?}");
        assert!(issues[0].contains("row 7: campaign 'A' is defined again with currency USD instead of EUR; it was first defined at plan.xlsx, sheet 'Campaigns', row 2"), "{}", issues[0]);
    }

    #[test]
    fn names_are_exact_and_unknown_ones_get_a_suggestion() {
        let book = CampaignWorkbook {
            campaigns: vec![
                campaign("Summer sale", Some("NOK"), 2),
                campaign("Trade fair", Some("EUR"), 3),
            ],
            items: vec![
                item("Sumer sale", "Print", 2),
                item("SUMMER SALE", "Radio", 3),
                item("Winter", "TV", 4),
            ],
            ..CampaignWorkbook::default()
        };
        let (model, issues) = build(vec![book], &Config::default());
        assert!(model.campaigns.iter().all(|c| c.budget.is_empty()));
        assert_eq!(
            issues,
            [
                "error: plan.xlsx, sheet 'Budget', cell A2: campaign 'Sumer sale' is not defined; did you mean 'Summer sale'?",
                "error: plan.xlsx, sheet 'Budget', cell A3: campaign 'SUMMER SALE' is not defined; did you mean 'Summer sale'?",
                "error: plan.xlsx, sheet 'Budget', cell A4: campaign 'Winter' is not defined; the campaigns are 'Summer sale', 'Trade fair'",
            ]
        );
    }

    #[test]
    fn a_currency_mark_must_fit_the_line_currency() {
        let mut usd = item("A", "Print", 2);
        usd.currency_mark = Some(MarkedCurrency {
            mark: CurrencyMark {
                written: "USD".into(),
            },
            text: "USD 100".into(),
            place: Place::file("plan.xlsx")
                .with_sheet("Budget")
                .with_row(2)
                .with_column("D"),
        });
        let mut fine = usd.clone();
        fine.currency = Some(currency("USD"));
        let book = CampaignWorkbook {
            campaigns: vec![campaign("A", Some("NOK"), 2)],
            items: vec![usd, fine],
            ..CampaignWorkbook::default()
        };
        let (model, issues) = build(vec![book], &Config::default());
        assert_eq!(model.campaigns[0].budget.len(), 1);
        assert_eq!(issues.len(), 1);
        assert!(
            issues[0].contains("'USD 100' is written in USD, but the line's currency is NOK"),
            "{}",
            issues[0]
        );
    }
}
