//! The JSON summary: the report's figures and issues as data, for CI jobs
//! and the watcher's `status.json`. Amounts are strings with exactly the
//! minor-unit digits of their currency.

use serde::Serialize;

use crate::consolidate::Consolidation;
use crate::issue::{Issue, Issues, Severity};
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
                name: c.details.name.clone(),
                currency: c.details.currency.to_string(),
                budget_total: format_amount(c.budget_total, c.details.currency),
                spend_total: format_amount(c.spend_total, c.details.currency),
                remaining_budget: format_amount(c.remaining, c.details.currency),
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

/// The issues in plain words, grouped by file (issues about no file last),
/// with a count at the end.
pub fn issues_as_text(issues: &Issues) -> String {
    let mut files: Vec<&str> = Vec::new();
    for issue in issues {
        if !files.contains(&issue.place.file.as_str()) {
            files.push(&issue.place.file);
        }
    }
    files.sort_by_key(|file| file.is_empty());
    let mut text = String::new();
    for file in files {
        text.push_str(if file.is_empty() {
            "(all inputs)"
        } else {
            file
        });
        text.push('\n');
        for issue in issues.iter().filter(|issue| issue.place.file == file) {
            let mut place = issue.place.clone();
            place.file = String::new();
            let at = place.to_string();
            let at = at.trim_start_matches(", ");
            let at = if at.is_empty() {
                String::new()
            } else {
                format!("{at}: ")
            };
            text.push_str(&format!("  {}: {at}{}\n", issue.severity, issue.message));
        }
    }
    let (errors, warnings) = (issues.error_count(), issues.warning_count());
    if issues.is_empty() {
        text.push_str("No issues.\n");
    } else {
        text.push_str(&format!(
            "{} and {}.\n",
            count(errors, "error"),
            count(warnings, "warning")
        ));
    }
    text
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The issues as GitHub Actions workflow commands, one per line, so that
/// they show on the pull request at the file and row.
pub fn issues_as_github(issues: &Issues) -> String {
    let mut text = String::new();
    for issue in issues {
        let command = match issue.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        if !issue.place.file.is_empty() {
            properties.push(format!("file={}", escape_property(&issue.place.file)));
        }
        if let Some(row) = issue.place.row {
            properties.push(format!("line={row}"));
        }
        let mut place = issue.place.clone();
        place.file = String::new();
        let title = place.to_string();
        let title = title.trim_start_matches(", ");
        if !title.is_empty() {
            properties.push(format!("title={}", escape_property(title)));
        }
        text.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&issue.message)
        ));
    }
    text
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::Place;

    fn issues() -> Issues {
        let mut issues = Issues::default();
        issues.error(
            Place::cell("plan.xlsx", "Budget", 6, 3),
            "'12,5O' is not an amount",
        );
        issues.warning(Place::default(), "no report currency");
        issues.warning(
            Place::file("meta.csv")
                .with_row(4)
                .with_column("Amount spent (EUR)"),
            "100% of 5, a: b",
        );
        issues
    }

    #[test]
    fn text_groups_issues_by_file() {
        assert_eq!(
            issues_as_text(&issues()),
            "plan.xlsx\n  error: sheet 'Budget', cell D7: '12,5O' is not an amount\nmeta.csv\n  warning: line 4, column 'Amount spent (EUR)': 100% of 5, a: b\n(all inputs)\n  warning: no report currency\n1 error and 2 warnings.\n"
        );
        assert_eq!(issues_as_text(&Issues::default()), "No issues.\n");
    }

    #[test]
    fn github_commands_name_the_file_and_row() {
        assert_eq!(
            issues_as_github(&issues()),
            "::error file=plan.xlsx,line=7,title=sheet 'Budget'%2C cell D7::'12,5O' is not an amount\n::warning ::no report currency\n::warning file=meta.csv,line=4,title=line 4%2C column 'Amount spent (EUR)'::100%25 of 5, a: b\n"
        );
    }
}
