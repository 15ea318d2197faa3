//! The analytics widgets beside the event stream: RFM against the base (window toggle),
//! churn risk, lifetime value and likely next purchases, with when they were computed.

use super::api::get_customer_analytics;
use super::model::{Coverage, CustomerAnalytics, CustomerScore, Rfm, RfmComparison, RfmWindow};
use crate::customers::{use_customer_id, ProfilePageContext};
use crate::layout::Loaded;
use crate::money::Money;
use crate::time::format_date_time;
use leptos::prelude::*;

/// The Analytics sub-tab: the widgets with a word on how each is computed.
#[component]
pub fn AnalyticsTab() -> impl IntoView {
    view! {
        <div class="analytics-tab">
            <AnalyticsPanel/>
            <section class="panel" aria-labelledby="analytics-method-heading">
                <h2 id="analytics-method-heading">"How these are computed"</h2>
                <dl class="fact-list">
                    <dt>"Recency, frequency, monetary"</dt>
                    <dd>"Live from this customer's purchases in the window, beside the median of all analysed customers at the last refresh (customers without a purchase in the window count as zero; recency is over those with one)."</dd>
                    <dt>"Churn risk"</dt>
                    <dd>"P(alive) from the BG/NBD model (Fader, Hardie & Lee 2005) given repeat purchases, the time of the last one and the time since the first; the percentile ranks it in the base."</dd>
                    <dt>"Lifetime value"</dt>
                    <dd>"Expected purchases (BG/NBD) month by month times expected spend per purchase (Gamma-Gamma), discounted monthly over the horizon set by an administrator."</dd>
                    <dt>"Likely next purchases"</dt>
                    <dd>"Association rules across all baskets: the share of baskets with a product this customer buys that also hold the suggested one, and how many times more often than in the average basket. Products they already buy routinely are left out."</dd>
                </dl>
            </section>
        </div>
    }
}

/// The four analytics widgets of the current customer; refreshed when a live event arrives.
#[component]
pub fn AnalyticsPanel() -> impl IntoView {
    let customer_id = use_customer_id();
    let live = expect_context::<ProfilePageContext>().live_changes;
    let analytics = Resource::new(
        move || (customer_id.get(), live.get()),
        move |(id, _)| get_customer_analytics(id),
    );
    view! {
        <section class="panel analytics-panel" aria-labelledby="analytics-heading">
            <h2 id="analytics-heading">"Analytics"</h2>
            <Loaded resource=analytics what="analytics" let:a>
                <Widgets analytics=a/>
            </Loaded>
        </section>
    }
}

#[component]
fn Widgets(analytics: CustomerAnalytics) -> impl IntoView {
    let computed = match analytics.fitted_at {
        Some(at) => format!("Scores computed {}", format_date_time(at)),
        None => "Scores not computed yet".to_string(),
    };
    let coverage_note = coverage_note(analytics.coverage);
    let horizon = analytics.clv_horizon_months;
    let currency = analytics.currency.clone();
    let money_note = format!(
        "Money figures count purchases in {currency}, the organisation's currency; purchases \
         in other currencies are not counted here."
    );
    view! {
        <p class="muted analytics-computed">{computed}</p>
        {coverage_note.map(|note| view! { <p class="alert alert-info analytics-note">{note}</p> })}
        <RfmWidget rfm=analytics.rfm currency=currency.clone()/>
        <p class="muted">{money_note}</p>
        {analytics
            .score
            .map(|score| view! { <ScoreWidgets score horizon currency/> }.into_any())
            .unwrap_or_else(|| ().into_any())}
        <AffinityWidget affinities=analytics.affinities coverage=analytics.coverage/>
    }
    .into_any()
}

fn coverage_note(coverage: Coverage) -> Option<&'static str> {
    match coverage {
        Coverage::Scored => None,
        Coverage::Restricted => Some(
            "Processing is restricted (GDPR art. 18): this customer is left out of churn, \
             lifetime value and affinity analysis until reinstated.",
        ),
        Coverage::TestProfile => {
            Some("Test profile: left out of analytics so it does not skew the base.")
        }
        Coverage::NoPurchases => {
            Some("No purchases yet: churn risk and lifetime value start with the first purchase.")
        }
        Coverage::AwaitingRefresh => {
            Some("Not scored yet: churn risk and lifetime value appear after the next refresh.")
        }
    }
}

/// Recency, frequency and monetary value in the chosen window beside the base median.
#[component]
fn RfmWidget(rfm: Vec<RfmComparison>, currency: String) -> impl IntoView {
    let window = RwSignal::new(RfmWindow::Month);
    let rfm = StoredValue::new(rfm);
    let current =
        move || rfm.with_value(|all| all.iter().find(|c| c.window == window.get()).copied());
    let toggle = RfmWindow::ALL
        .into_iter()
        .map(|w| {
            let id = format!("rfm-window-{}", w.label().replace(' ', "-").to_lowercase());
            view! {
                <input
                    type="radio"
                    id=id.clone()
                    name="rfm-window"
                    checked=move || window.get() == w
                    on:change=move |_| window.set(w)
                />
                <label for=id>{w.label()}</label>
            }
        })
        .collect_view();
    view! {
        <section class="widget" aria-labelledby="rfm-heading">
            <h3 id="rfm-heading">"Recency, frequency, monetary"</h3>
            <fieldset class="segmented">
                <legend class="visually-hidden">"Window"</legend>
                {toggle}
            </fieldset>
            {move || current().map(|c| view! { <RfmTable comparison=c currency=currency.clone()/> })}
        </section>
    }
}

#[component]
fn RfmTable(comparison: RfmComparison, currency: String) -> impl IntoView {
    let base = comparison.base_median;
    let recency = |r: Option<&Rfm>| match r.and_then(|r| r.recency_days) {
        Some(days) => crate::words::count(days.round() as i64, "day", "days"),
        None => "—".to_string(),
    };
    let frequency = |r: Option<&Rfm>| {
        r.map_or("—".to_string(), |r| {
            format!("{:.1}", r.frequency).replace(".0", "")
        })
    };
    let monetary = |r: Option<&Rfm>| {
        r.map_or("—".to_string(), |r| {
            Money::new(r.monetary_cents.round() as i64, &currency).display(&currency)
        })
    };
    let rows = [
        (
            "Recency (since last purchase)",
            recency(Some(&comparison.customer)),
            recency(base.as_ref()),
        ),
        (
            "Frequency (purchases)",
            frequency(Some(&comparison.customer)),
            frequency(base.as_ref()),
        ),
        (
            "Monetary (spend)",
            monetary(Some(&comparison.customer)),
            monetary(base.as_ref()),
        ),
    ];
    view! {
        <table class="rfm-table">
            <caption class="visually-hidden">{format!("RFM over {}", comparison.window.label().to_lowercase())}</caption>
            <thead>
                <tr>
                    <th scope="col">"Measure"</th>
                    <th scope="col" class="number">"Customer"</th>
                    <th scope="col" class="number">"Base median"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(label, mine, median)| view! {
                        <tr>
                            <th scope="row">{label}</th>
                            <td class="number">{mine}</td>
                            <td class="number">{median}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// `93.4` → "93rd percentile of the base".
fn rank_text(rank: f64) -> String {
    let rounded = rank.clamp(0.0, 100.0).round() as u64;
    format!("{} percentile of the base", crate::words::ordinal(rounded))
}

#[component]
fn ScoreWidgets(score: CustomerScore, horizon: u32, currency: String) -> impl IntoView {
    let money = |minor: i64| Money::new(minor, &currency).display(&currency);
    let risk = match score.p_alive {
        p if p < 0.3 => "High churn risk",
        p if p < 0.6 => "Medium churn risk",
        _ => "Low churn risk",
    };
    let one_off = score.repeat_purchases == 0;
    view! {
        <section class="widget" aria-labelledby="churn-heading">
            <h3 id="churn-heading">"Churn risk"</h3>
            <p class="metric">
                <span class="metric-value">{format!("{:.0}%", score.p_alive * 100.0)}</span>
                " chance still active · "
                <strong>{risk}</strong>
            </p>
            <p class="muted">{format!("P(alive) {}", rank_text(score.p_alive_rank))}</p>
            {one_off.then(|| view! {
                <p class="muted">"No repeat purchase yet: the BG/NBD model counts a customer as active until a repeat purchase shows their rhythm."</p>
            })}
        </section>
        <section class="widget" aria-labelledby="clv-heading">
            <h3 id="clv-heading">{format!("Lifetime value ({horizon} months)")}</h3>
            <p class="metric"><span class="metric-value">{money(score.clv_cents)}</span>" discounted"</p>
            <p class="muted">{rank_text(score.clv_rank)}</p>
            <p class="muted">
                {format!(
                    "{:.1} purchases expected in the next 52 weeks at {} each",
                    score.expected_purchases,
                    money(score.expected_spend_cents)
                )}
            </p>
        </section>
    }
}

#[component]
fn AffinityWidget(affinities: Vec<super::model::Affinity>, coverage: Coverage) -> impl IntoView {
    let body = if affinities.is_empty() {
        let text = match coverage {
            Coverage::Restricted | Coverage::TestProfile | Coverage::NoPurchases => "None to show.",
            _ => "No product stands out yet from what this customer buys.",
        };
        view! { <p class="muted">{text}</p> }.into_any()
    } else {
        view! {
            <ol class="affinity-list">
                {affinities
                    .into_iter()
                    .map(|a| view! {
                        <li>
                            <span class="affinity-name">{a.name}</span>
                            " "
                            <span class="metric-value">{format!("{:.0}%", a.probability * 100.0)}</span>
                            <span class="muted">
                                {format!(" · bought with {} · {:.1}× usual", a.because, a.lift)}
                            </span>
                        </li>
                    })
                    .collect_view()}
            </ol>
        }
        .into_any()
    };
    view! {
        <section class="widget" aria-labelledby="affinity-heading">
            <h3 id="affinity-heading">"Likely next purchases"</h3>
            {body}
        </section>
    }
}
