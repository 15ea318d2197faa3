//! Campaigns and a customer's standing in them.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// A campaign of the programme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    /// Slug id, used in its page's URL.
    pub id: String,
    /// Name, as progress events name it.
    pub name: String,
    /// What the customer does and gets.
    pub description: String,
    /// Steps to complete it.
    pub goal: i64,
    /// What a step is: "visits".
    pub unit: String,
    /// Runs from (always, when `None`).
    pub starts_at: Option<EpochMillis>,
    /// Runs until (open-ended, when `None`).
    pub ends_at: Option<EpochMillis>,
    /// The tier it is for; everyone when `None`.
    pub audience: Option<String>,
}

impl Campaign {
    /// Whether it runs at `now`.
    pub fn running(&self, now: EpochMillis) -> bool {
        self.starts_at.is_none_or(|s| s <= now) && self.ends_at.is_none_or(|e| now <= e)
    }

    /// "1 Mar 2026 – 31 Mar 2026", "from …", "until …" or "Always on".
    pub fn period(&self) -> String {
        use crate::time::format_date;
        match (self.starts_at, self.ends_at) {
            (Some(s), Some(e)) => format!("{} – {}", format_date(s), format_date(e)),
            (Some(s), None) => format!("From {}", format_date(s)),
            (None, Some(e)) => format!("Until {}", format_date(e)),
            (None, None) => "Always on".into(),
        }
    }
}

/// Where a customer stands in a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    /// Reached the goal.
    Completed,
    /// Started, not finished.
    InProgress,
    /// Not started; the campaign runs and is for them.
    Eligible,
}

/// A campaign with the customer's progress in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerCampaign {
    /// The campaign (a placeholder built from the event when it is not in the catalogue).
    pub campaign: Campaign,
    /// Where they stand.
    pub standing: Standing,
    /// Steps done.
    pub progress: i64,
    /// When progress last moved.
    pub last_progress_at: Option<EpochMillis>,
}

/// The latest progress per campaign name (newest events first in `events`: name, progress,
/// goal, time) set against the catalogue: completed, in progress, then eligible campaigns.
pub fn standings(
    catalogue: &[Campaign],
    events: &[(String, i64, i64, EpochMillis)],
    tier: Option<&str>,
    now: EpochMillis,
) -> Vec<CustomerCampaign> {
    let mut out: Vec<CustomerCampaign> = Vec::new();
    for (name, progress, goal, at) in events {
        if out.iter().any(|c| &c.campaign.name == name) {
            continue;
        }
        let campaign = catalogue
            .iter()
            .find(|c| &c.name == name)
            .cloned()
            .unwrap_or_else(|| Campaign {
                id: String::new(),
                name: name.clone(),
                description: String::new(),
                goal: *goal,
                unit: "steps".into(),
                starts_at: None,
                ends_at: None,
                audience: None,
            });
        let standing = if *progress >= campaign.goal {
            Standing::Completed
        } else {
            Standing::InProgress
        };
        out.push(CustomerCampaign {
            campaign,
            standing,
            progress: *progress,
            last_progress_at: Some(*at),
        });
    }
    for campaign in catalogue {
        let for_them = campaign.audience.as_deref().is_none_or(|a| Some(a) == tier);
        if for_them
            && campaign.running(now)
            && !out.iter().any(|c| c.campaign.name == campaign.name)
        {
            out.push(CustomerCampaign {
                campaign: campaign.clone(),
                standing: Standing::Eligible,
                progress: 0,
                last_progress_at: None,
            });
        }
    }
    let rank = |s: Standing| match s {
        Standing::InProgress => 0,
        Standing::Eligible => 1,
        Standing::Completed => 2,
    };
    out.sort_by_key(|c| rank(c.standing));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn campaign(name: &str, goal: i64, audience: Option<&str>, ends_at: Option<i64>) -> Campaign {
        Campaign {
            id: name.to_lowercase(),
            name: name.into(),
            description: String::new(),
            goal,
            unit: "visits".into(),
            starts_at: None,
            ends_at,
            audience: audience.map(str::to_string),
        }
    }

    #[test]
    fn latest_progress_decides_and_running_campaigns_for_the_tier_are_eligible() {
        let catalogue = vec![
            campaign("Visit 3", 3, None, None),
            campaign("Try 5", 5, None, None),
            campaign("Gold club", 4, Some("Gold"), None),
            campaign("Over", 2, None, Some(50)),
            campaign("Untouched", 2, None, None),
        ];
        // Newest first: Visit 3 went from 2 to 3 (completed); Try 5 is at 2.
        let events = vec![
            ("Visit 3".to_string(), 3, 3, 300),
            ("Try 5".to_string(), 2, 5, 200),
            ("Visit 3".to_string(), 2, 3, 100),
        ];
        let silver = standings(&catalogue, &events, Some("Silver"), 1_000);
        let summary: Vec<(&str, Standing, i64)> = silver
            .iter()
            .map(|c| (c.campaign.name.as_str(), c.standing, c.progress))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("Try 5", Standing::InProgress, 2),
                ("Untouched", Standing::Eligible, 0),
                ("Visit 3", Standing::Completed, 3),
            ]
        );
        let gold = standings(&catalogue, &events, Some("Gold"), 1_000);
        assert!(gold
            .iter()
            .any(|c| c.campaign.name == "Gold club" && c.standing == Standing::Eligible));
    }
}
