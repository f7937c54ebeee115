//! The JSON summary: the report's figures and issues as data, for CI jobs
//! and the watcher's `status.json`. Amounts are strings with exactly the
//! minor-unit digits of their currency.

use serde::Serialize;

use crate::consolidate::Consolidation;
use crate::issue::{Issue, Issues};
use crate::money::format_amount;

/// The summary of a run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The report written, if one was.
    pub report: Option<String>,
    pub complete: bool,
    pub as_of: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_currency: Option<String>,
    pub campaigns: Vec<CampaignSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<TotalsSummary>,
    pub unassigned: Vec<UnassignedSummary>,
    pub issues: Vec<Issue>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignSummary {
    pub name: String,
    pub currency: String,
    pub budget_total: String,
    pub spend_total: String,
    pub remaining_budget: String,
    pub budget_items: usize,
    pub spend_items: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TotalsSummary {
    pub currency: String,
    pub budget_total: String,
    pub spend_total: String,
    pub remaining_budget: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnassignedSummary {
    pub platform: String,
    pub ad_campaign: String,
    pub currency: String,
    pub spend: String,
}

impl Summary {
    /// The summary of `consolidation`; `report` is the file written, if any.
    pub fn new(consolidation: &Consolidation, issues: &Issues, report: Option<String>) -> Summary {
        let campaigns = consolidation
            .campaigns
            .iter()
            .map(|c| CampaignSummary {
                name: c.name.clone(),
                currency: c.currency.to_string(),
                budget_total: format_amount(c.budget_total, c.currency),
                spend_total: format_amount(c.spend_total, c.currency),
                remaining_budget: format_amount(c.remaining, c.currency),
                budget_items: c.budget.len(),
                spend_items: c.spend.len(),
            })
            .collect();
        let totals = consolidation.totals.as_ref().map(|t| TotalsSummary {
            currency: t.currency.to_string(),
            budget_total: format_amount(t.budget_total, t.currency),
            spend_total: format_amount(t.spend_total, t.currency),
            remaining_budget: format_amount(t.remaining, t.currency),
        });
        let unassigned = consolidation
            .unassigned
            .iter()
            .map(|u| UnassignedSummary {
                platform: u.platform.clone(),
                ad_campaign: u.ad_campaign.clone(),
                currency: u.currency.to_string(),
                spend: format_amount(u.spend, u.currency),
            })
            .collect();
        Summary {
            report,
            complete: !issues.has_errors(),
            as_of: consolidation.as_of.to_string(),
            report_currency: consolidation.report_currency.map(|c| c.to_string()),
            campaigns,
            totals,
            unassigned,
            issues: issues.iter().cloned().collect(),
        }
    }

    /// Pretty-printed JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self)
            .unwrap_or_else(|err| format!("{{\"error\": \"{err}\"}}"));
        text.push('\n');
        text
    }
}
