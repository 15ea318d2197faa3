//! The third-party panels beside a profile's analytics, loaded by the browser after the page
//! (a slow panel never holds the profile back), each answered or "Unavailable".

use super::api::customer_panels;
use super::model::{Metric, PanelView, Trend};
use crate::customers::use_customer_id;
use leptos::prelude::*;

/// Every active panel of the current customer; nothing when there are none.
#[component]
pub fn ThirdPartyPanels() -> impl IntoView {
    let customer_id = use_customer_id();
    let panels = LocalResource::new(move || customer_panels(customer_id.get()));
    move || match panels.get() {
        Some(Ok(list)) => list
            .into_iter()
            .map(|panel| view! { <OnePanel panel/> })
            .collect_view()
            .into_any(),
        Some(Err(error)) => view! { <crate::layout::ErrorPanel error/> }.into_any(),
        None => ().into_any(),
    }
}

#[component]
fn OnePanel(panel: PanelView) -> impl IntoView {
    let heading = format!("panel-{}-title", panel.id);
    let labelled_by = heading.clone();
    let body = match panel.answer {
        Ok(answer) => {
            let subtitle = answer.title.filter(|t| *t != panel.title);
            view! {
                {subtitle.map(|t| view! { <p class="muted">{t}</p> })}
                <dl class="panel-metrics">
                    {answer.metrics.into_iter().map(|m| view! { <OneMetric metric=m/> }).collect_view()}
                </dl>
            }
            .into_any()
        }
        Err(why) => view! {
            <p class="panel-unavailable"><strong>"Unavailable"</strong> <span class="muted">{format!(": {why}")}</span></p>
        }
        .into_any(),
    };
    view! {
        <section class="panel third-party-panel" aria-labelledby=labelled_by>
            <h2 id=heading>{panel.title}</h2>
            {body}
        </section>
    }
}

#[component]
fn OneMetric(metric: Metric) -> impl IntoView {
    let trend = metric.trend.map(|t| match t {
        Trend::Up => ("▲", "up"),
        Trend::Down => ("▼", "down"),
        Trend::Flat => ("▶", "unchanged"),
    });
    let value = match metric.link {
        Some(link) => view! {
            <a href=link rel="noopener noreferrer nofollow" target="_blank">{metric.value}</a>
        }
        .into_any(),
        None => view! { <span>{metric.value}</span> }.into_any(),
    };
    view! {
        <dt>{metric.label}</dt>
        <dd>
            {value}
            {trend.map(|(arrow, words)| view! {
                <span class="trend" aria-hidden="true">{format!(" {arrow}")}</span>
                <span class="visually-hidden">{format!(" ({words})")}</span>
            })}
        </dd>
    }
}
