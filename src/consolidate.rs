//! Consolidation: every item converted into its campaign's currency and
//! rounded once, totals as sums of the shown amounts, control totals
//! checked, and the campaigns' totals in the report currency.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::config::Config;
use crate::fx::{Conversion, FxError, RateTable, RateUse};
use crate::input::workbook::{ControlTotal, ItemKind};
use crate::issue::{Issues, Place};
use crate::model::{Campaign, CampaignDetails, Item, ItemAmount, Model};
use crate::money::{Currency, Rounding};

/// The largest amount a line may have, in its own or its campaign's
/// currency: 10^20, beyond any budget even in the smallest currency unit.
pub const MAX_LINE_AMOUNT: Decimal = Decimal::from_parts(1_661_992_960, 1_808_227_885, 5, false, 0);

/// One shown line of a campaign's budget or spend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub name: String,
    pub description: String,
    /// In the campaign's currency, rounded once.
    pub amount: Decimal,
    /// In the line's own currency, rounded once.
    pub original_amount: Decimal,
    pub original_currency: Currency,
    /// 1 original unit in the campaign currency; `None` when no conversion
    /// was needed.
    pub rate: Option<Decimal>,
    /// The line's own date, where it has one.
    pub date: Option<NaiveDate>,
    /// Where the line comes from, for messages and control totals.
    pub source: Place,
    /// Where the line comes from, as the Source column shows it.
    pub origin: String,
}

/// A campaign's lines and totals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignFigures {
    pub details: CampaignDetails,
    pub budget: Vec<Line>,
    pub spend: Vec<Line>,
    pub budget_total: Decimal,
    pub spend_total: Decimal,
    pub remaining: Decimal,
    /// The totals in the report currency, when there is one.
    pub in_report_currency: Option<ReportFigures>,
}

impl CampaignFigures {
    pub fn lines(&self, kind: ItemKind) -> &[Line] {
        match kind {
            ItemKind::Budget => &self.budget,
            ItemKind::Spend => &self.spend,
        }
    }

    /// Spend total as a share of the budget total; `None` without a budget.
    pub fn spent_share(&self) -> Option<Decimal> {
        if self.budget_total.is_zero() {
            return None;
        }
        self.spend_total.checked_div(self.budget_total)
    }
}

/// A campaign's totals converted at the as-of date, each rounded once;
/// `remaining` is their difference so that the row adds up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFigures {
    pub budget_total: Decimal,
    pub spend_total: Decimal,
    pub remaining: Decimal,
    pub rate: Decimal,
}

/// The report-currency total row: sums of the campaigns' converted figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Totals {
    pub currency: Currency,
    pub budget_total: Decimal,
    pub spend_total: Decimal,
    pub remaining: Decimal,
}

/// Ad spend that no campaign claims, summed per platform, ad campaign and
/// currency, in the export's own currency.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UnassignedSpend {
    pub platform: String,
    pub ad_campaign: String,
    pub currency: Currency,
    pub spend: Decimal,
}

/// Every figure of the report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consolidation {
    pub as_of: NaiveDate,
    pub campaigns: Vec<CampaignFigures>,
    pub report_currency: Option<Currency>,
    pub totals: Option<Totals>,
    pub unassigned: Vec<UnassignedSpend>,
    /// Every quoted rate a shown figure used, sorted.
    pub rates_used: Vec<RateUse>,
}

/// Converts, rounds and totals the model.
pub fn consolidate(
    model: &Model,
    rates: &RateTable,
    config: &Config,
    as_of: NaiveDate,
    issues: &mut Issues,
) -> Consolidation {
    let mut work = Consolidator {
        rates,
        rounding: config.rounding,
        as_of,
        issues,
        rates_used: BTreeSet::new(),
    };
    let mut campaigns: Vec<CampaignFigures> = model
        .campaigns
        .iter()
        .map(|campaign| work.campaign(campaign))
        .collect();
    for total in &model.control_totals {
        if let Some(figures) = campaigns.iter().find(|c| c.details.name == total.campaign) {
            let previous = previous_control_total_row(&model.control_totals, total);
            work.check_control_total(figures, total, previous);
        }
    }
    let report_currency = report_currency(config, &campaigns, work.issues);
    let totals = report_currency.and_then(|currency| work.report_totals(&mut campaigns, currency));
    Consolidation {
        as_of,
        campaigns,
        report_currency,
        totals,
        unassigned: Vec::new(),
        rates_used: work.rates_used.into_iter().collect(),
    }
}

struct Consolidator<'a> {
    rates: &'a RateTable,
    rounding: Rounding,
    as_of: NaiveDate,
    issues: &'a mut Issues,
    rates_used: BTreeSet<RateUse>,
}

impl Consolidator<'_> {
    fn campaign(&mut self, campaign: &Campaign) -> CampaignFigures {
        let budget = self.lines(campaign, ItemKind::Budget);
        let spend = self.lines(campaign, ItemKind::Spend);
        let budget_total = sum(budget.iter().map(|line| line.amount));
        let spend_total = sum(spend.iter().map(|line| line.amount));
        CampaignFigures {
            details: campaign.details.clone(),
            budget,
            spend,
            budget_total,
            spend_total,
            remaining: budget_total.saturating_sub(spend_total),
            in_report_currency: None,
        }
    }

    fn lines(&mut self, campaign: &Campaign, kind: ItemKind) -> Vec<Line> {
        campaign
            .items(kind)
            .iter()
            .filter_map(|item| self.line(campaign, kind, item))
            .collect()
    }

    fn line(&mut self, campaign: &Campaign, kind: ItemKind, item: &Item) -> Option<Line> {
        let Some(exact) = item.amount.exact() else {
            self.issues.error(
                item.source.clone(),
                format!("the amount of '{}' is too large to compute", item.name),
            );
            return None;
        };
        let conversion = match &item.amount {
            ItemAmount::Priced { date, .. } => self.rates.convert(
                exact,
                item.currency,
                campaign.details.currency,
                date.unwrap_or(self.as_of),
            ),
            ItemAmount::Dated(days) => {
                self.rates
                    .convert_dated(days, item.currency, campaign.details.currency)
            }
        };
        let conversion = match conversion {
            Ok(conversion) => conversion,
            Err(err) => {
                self.conversion_failed(item, err);
                return None;
            }
        };
        if exact.abs() > MAX_LINE_AMOUNT || conversion.amount.abs() > MAX_LINE_AMOUNT {
            self.issues.error(
                item.source.clone(),
                format!("the amount of '{}' is larger than {MAX_LINE_AMOUNT}, more than any budget; check the unit price and quantity", item.name),
            );
            return None;
        }
        if kind == ItemKind::Spend {
            self.check_flight(campaign, item);
        }
        Some(self.shown_line(campaign, item, exact, conversion))
    }

    fn shown_line(
        &mut self,
        campaign: &Campaign,
        item: &Item,
        exact: Decimal,
        conversion: Conversion,
    ) -> Line {
        let converted = item.currency != campaign.details.currency;
        let rate = converted.then(|| conversion.rate());
        self.rates_used.extend(conversion.legs);
        Line {
            name: item.name.clone(),
            description: item.description.clone(),
            amount: self
                .rounding
                .round(conversion.amount, campaign.details.currency),
            original_amount: self.rounding.round(exact, item.currency),
            original_currency: item.currency,
            rate,
            date: match &item.amount {
                ItemAmount::Priced { date, .. } => *date,
                ItemAmount::Dated(days) => days.iter().map(|(day, _)| *day).max(),
            },
            source: item.source.clone(),
            origin: item.origin.clone(),
        }
    }

    fn conversion_failed(&mut self, item: &Item, err: FxError) {
        self.issues.error(
            item.source.clone(),
            format!("'{}' cannot be converted: {err}", item.name),
        );
    }

    fn check_flight(&mut self, campaign: &Campaign, item: &Item) {
        let outside: Vec<NaiveDate> = match &item.amount {
            ItemAmount::Priced { date, .. } => date
                .iter()
                .copied()
                .filter(|d| campaign.details.is_outside_flight(*d))
                .collect(),
            ItemAmount::Dated(days) => days
                .iter()
                .map(|(d, _)| *d)
                .filter(|d| campaign.details.is_outside_flight(*d))
                .collect(),
        };
        let Some(first) = outside.first() else { return };
        let flight = match (campaign.details.start, campaign.details.end) {
            (Some(start), Some(end)) => format!("{start} to {end}"),
            (Some(start), None) => format!("from {start}"),
            (None, Some(end)) => format!("until {end}"),
            (None, None) => return,
        };
        self.issues.warning(
            item.source.clone(),
            format!(
                "spend '{}' is dated {first}, outside the flight of campaign '{}' ({flight}); it is counted all the same",
                item.name, campaign.details.name
            ),
        );
    }

    /// A control total is compared with the lines above it in its sheet for
    /// its campaign: all of them, or those since the previous control total
    /// (a subtotal of a group).
    fn check_control_total(
        &mut self,
        figures: &CampaignFigures,
        total: &ControlTotal,
        previous_total_row: Option<u64>,
    ) {
        let currency = total.currency.unwrap_or(figures.details.currency);
        let date = total.date.unwrap_or(self.as_of);
        let Ok(converted) =
            self.rates
                .convert(total.amount, currency, figures.details.currency, date)
        else {
            self.issues.warning(
                total.place.clone(),
                "this control total is in another currency with no known rate; it was not checked",
            );
            return;
        };
        let written = self
            .rounding
            .round(converted.amount, figures.details.currency);
        let same_sheet =
            |place: &Place| place.file == total.place.file && place.sheet == total.place.sheet;
        let above: Vec<&Line> = figures
            .lines(total.kind)
            .iter()
            .filter(|line| same_sheet(&line.source) && line.source.row < total.place.row)
            .collect();
        let all_above = sum(above.iter().map(|line| line.amount));
        let group = sum(above
            .iter()
            .filter(|line| line.source.row > previous_total_row)
            .map(|line| line.amount));
        if written == all_above || written == group {
            return;
        }
        self.issues.warning(
            total.place.clone(),
            format!(
                "the control total {written} {} differs from the sum of the {} lines above it for campaign '{}', {all_above} {} (difference {})",
                figures.details.currency,
                total.kind.label(),
                figures.details.name,
                figures.details.currency,
                written.saturating_sub(all_above)
            ),
        );
    }

    /// Converts each campaign's totals at the as-of date. When one cannot be
    /// converted there is no honest total, so none is given.
    fn report_totals(
        &mut self,
        campaigns: &mut [CampaignFigures],
        currency: Currency,
    ) -> Option<Totals> {
        let mut totals = Totals {
            currency,
            budget_total: Decimal::ZERO,
            spend_total: Decimal::ZERO,
            remaining: Decimal::ZERO,
        };
        let mut complete = true;
        for figures in campaigns.iter_mut() {
            match self.in_report_currency(figures, currency) {
                Ok(converted) => {
                    totals.budget_total =
                        totals.budget_total.saturating_add(converted.budget_total);
                    totals.spend_total = totals.spend_total.saturating_add(converted.spend_total);
                    totals.remaining = totals.remaining.saturating_add(converted.remaining);
                    figures.in_report_currency = Some(converted);
                }
                Err(err) => {
                    complete = false;
                    self.issues.error(
                        figures.details.defined_at.clone(),
                        format!("the totals of campaign '{}' cannot be shown in the report currency {currency}: {err}", figures.details.name),
                    );
                }
            }
        }
        if !complete {
            for figures in campaigns.iter_mut() {
                figures.in_report_currency = None;
            }
            return None;
        }
        Some(totals)
    }

    fn in_report_currency(
        &mut self,
        figures: &CampaignFigures,
        currency: Currency,
    ) -> Result<ReportFigures, FxError> {
        let budget = self.rates.convert(
            figures.budget_total,
            figures.details.currency,
            currency,
            self.as_of,
        )?;
        let spend = self.rates.convert(
            figures.spend_total,
            figures.details.currency,
            currency,
            self.as_of,
        )?;
        let rate = budget.rate();
        self.rates_used.extend(budget.legs);
        self.rates_used.extend(spend.legs);
        let budget_total = self.rounding.round(budget.amount, currency);
        let spend_total = self.rounding.round(spend.amount, currency);
        Ok(ReportFigures {
            budget_total,
            spend_total,
            remaining: budget_total.saturating_sub(spend_total),
            rate,
        })
    }
}

/// The report currency: configured, else the default currency, else the
/// campaigns' own when they all share one.
fn report_currency(
    config: &Config,
    campaigns: &[CampaignFigures],
    issues: &mut Issues,
) -> Option<Currency> {
    if let Some(currency) = config.report_currency.or(config.default_currency) {
        return Some(currency);
    }
    let currencies: BTreeSet<Currency> = campaigns.iter().map(|c| c.details.currency).collect();
    match currencies.len() {
        0 => None,
        1 => currencies.into_iter().next(),
        _ => {
            let listed: Vec<String> = currencies.iter().map(ToString::to_string).collect();
            issues.warning(
                Place::default(),
                format!(
                    "no report currency: the campaigns are in {}; set report_currency in spendsheet.toml to see grand totals",
                    listed.join(", ")
                ),
            );
            None
        }
    }
}

/// The row of the control total just above `total` in its sheet, for its
/// campaign and kind.
fn previous_control_total_row(totals: &[ControlTotal], total: &ControlTotal) -> Option<u64> {
    totals
        .iter()
        .filter(|other| {
            other.kind == total.kind
                && other.campaign == total.campaign
                && other.place.file == total.place.file
                && other.place.sheet == total.place.sheet
                && other.place.row < total.place.row
        })
        .filter_map(|other| other.place.row)
        .max()
}

/// Sums shown amounts. Lines are capped at [`MAX_LINE_AMOUNT`], so a sum
/// of any realistic number of them stays far from `Decimal`'s limit;
/// saturating keeps even an absurd input from panicking.
fn sum(amounts: impl Iterator<Item = Decimal>) -> Decimal {
    amounts.fold(Decimal::ZERO, |total, amount| total.saturating_add(amount))
}
