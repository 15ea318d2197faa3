//! The Tiers sub-tab: the tier summary and the log of promotions and demotions.

use super::api::get_tier_summary;
use super::model::TierSummary;
use crate::customers::{use_customer_id, ProfilePageContext};
use crate::layout::{Column, DataTable, Loaded, TableName};
use crate::time::{format_count, format_date, format_date_time};
use leptos::prelude::*;

/// The tab.
#[component]
pub fn TiersTab() -> impl IntoView {
    let id = use_customer_id();
    let page = expect_context::<ProfilePageContext>();
    let summary = Resource::new(
        move || (id.get(), page.live_changes.get()),
        |(id, _)| get_tier_summary(id),
    );
    view! {
        <Loaded resource=summary what="tiers" let:s>
            <Summary s/>
        </Loaded>
    }
}

#[component]
fn Summary(s: TierSummary) -> impl IntoView {
    let current = s
        .tier
        .as_deref()
        .and_then(|t| s.rules.levels.iter().find(|l| l.name == t))
        .cloned();
    let next = s
        .rules
        .levels
        .iter()
        .find(|l| current.as_ref().is_none_or(|c| l.rank > c.rank))
        .cloned();
    let next_text = match &next {
        Some(n) => format!(
            "{} begins at {}: {} still needed",
            n.name,
            crate::words::count(n.threshold_points, "point", "points"),
            format_count((n.threshold_points - s.qualifying_points).max(0))
        ),
        None => "Top tier".to_string(),
    };
    let log = s.log.clone();
    view! {
        <section class="panel" aria-labelledby="tier-summary-title">
            <h2 id="tier-summary-title">"Tier"</h2>
            <dl class="fact-list tier-summary">
                <dt>"Tier system"</dt>
                <dd>{s.rules.system_name.clone()}</dd>
                <dt>"Tier"</dt>
                <dd data-testid="tier-name">{s.tier.clone().unwrap_or_else(|| "None".into())}</dd>
                <dt>"Benefits"</dt>
                <dd>{current.as_ref().map(|c| c.benefits.clone()).unwrap_or_else(|| "—".into())}</dd>
                <dt>"Entered"</dt>
                <dd>{s.since.map(format_date).unwrap_or_else(|| "—".into())}</dd>
                <dt>"Expires"</dt>
                <dd>{s.expires_at.map(format_date).unwrap_or_else(|| "No expiry".into())}</dd>
                <dt>"Points to enter this tier"</dt>
                <dd>{current.as_ref().map(|c| format_count(c.threshold_points)).unwrap_or_else(|| "—".into())}</dd>
                <dt>{format!("Qualifying points (last {} days)", s.rules.window_days)}</dt>
                <dd data-testid="qualifying-points">{format_count(s.qualifying_points)}</dd>
                <dt>"Next tier"</dt>
                <dd>{next_text}</dd>
            </dl>
        </section>
        <section class="panel" aria-labelledby="tier-log-title">
            <h2 id="tier-log-title">"Tier log"</h2>
            {if log.is_empty() {
                view! { <p class="muted">"No promotions or demotions yet."</p> }.into_any()
            } else {
                view! {
                    <DataTable class="tier-log" name=TableName::LabelledBy("tier-log-title") columns=vec![Column::text("When"), Column::text("Change"), Column::text("Reason"), Column::text("By")]>
                        {log.into_iter().map(|c| {
                            let change = if c.kind == "tier_demoted" {
                                format!("Demoted to {}", c.tier)
                            } else {
                                format!("Promoted to {}", c.tier)
                            };
                            view! {
                                <tr>
                                    <td>{format_date_time(c.at)}</td>
                                    <td>{change}</td>
                                    <td>{c.reason.unwrap_or_else(|| "—".into())}</td>
                                    <td>{if c.source == "rules" { "Tier rules".to_string() } else { c.source }}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </DataTable>
                }
                .into_any()
            }}
        </section>
    }
}
