//! `/admin/analytics`: refresh the models now, set the CLV horizon, discount rate and
//! refresh interval, and see the latest refreshes with their fitted parameters.

use super::api::{get_analytics_overview, RefreshAnalytics, SaveAnalyticsSettings};
use super::model::{AnalyticsOverview, AnalyticsRun};
use crate::auth::{Permission, RequirePermission};
use crate::layout::{field_error, Column, DataTable, Field, Loaded, TableName};
use crate::time::{format_count, format_date_time};
use leptos::form::ActionForm;
use leptos::prelude::*;
use std::time::Duration;

/// The analytics admin screen.
#[component]
pub fn AnalyticsAdminPage() -> impl IntoView {
    view! {
        <RequirePermission permission=Permission::SettingsManage>
            <AnalyticsAdmin/>
        </RequirePermission>
    }
}

#[component]
fn AnalyticsAdmin() -> impl IntoView {
    let refresh = ServerAction::<RefreshAnalytics>::new();
    let save = ServerAction::<SaveAnalyticsSettings>::new();
    let poll = RwSignal::new(0u32);
    let overview = Resource::new(
        move || (refresh.version().get(), save.version().get(), poll.get()),
        |_| get_analytics_overview(),
    );
    // While a refresh runs, look again every two seconds.
    Effect::new(move |_| {
        if let Some(Ok(o)) = overview.get() {
            if o.running {
                set_timeout(move || poll.update(|n| *n += 1), Duration::from_secs(2));
            }
        }
    });
    let refresh_error = move || {
        refresh
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| e.to_string())
    };
    view! {
        <leptos_meta::Title text="Analytics · Admin · Customer Profiles"/>
        <div class="page admin-page">
            <p class="breadcrumbs"><a href="/admin">"Admin"</a></p>
            <h1>"Customer analytics"</h1>
            <p>
                "Churn risk (BG/NBD), lifetime value (BG/NBD with Gamma-Gamma spend), base RFM medians and product affinities are refitted on start when stale, on the schedule below, and on demand. Customers whose processing is restricted and test profiles are left out."
            </p>
            <ActionForm action=refresh>
                <button type="submit" class="button">"Refresh now"</button>
            </ActionForm>
            <p class="alert alert-error" role="alert" hidden=move || refresh_error().is_none()>
                {refresh_error}
            </p>
            <Loaded resource=overview what="analytics" let:o>
                <Overview overview=o save/>
            </Loaded>
        </div>
    }
}

#[component]
fn Overview(
    overview: AnalyticsOverview,
    save: ServerAction<SaveAnalyticsSettings>,
) -> impl IntoView {
    let error = move |field: &'static str| {
        field_error(move || save.value().get().and_then(Result::err), field)
    };
    let s = overview.settings;
    let status = if overview.running {
        "A refresh is running now."
    } else {
        "No refresh is running."
    };
    view! {
        <p role="status" class="analytics-status">{status}</p>
        <section class="card" aria-labelledby="valuation-title">
            <h2 id="valuation-title">"Valuation and schedule"</h2>
            <p>"Changes apply from the next refresh."</p>
            <ActionForm action=save>
                <div class="form-grid">
                    <Field id="horizon-months" label="CLV horizon (months)" error=error("horizon_months")>
                        <input id="horizon-months" name="horizon_months" inputmode="numeric" value=s.horizon_months.to_string()/>
                    </Field>
                    <Field id="monthly-discount" label="Monthly discount rate (%)" error=error("monthly_discount_percent")>
                        <input id="monthly-discount" name="monthly_discount_percent" inputmode="decimal" value=format!("{}", s.monthly_discount * 100.0)/>
                    </Field>
                    <Field id="refresh-hours" label="Refresh every (hours)" error=error("refresh_hours")>
                        <input id="refresh-hours" name="refresh_hours" inputmode="numeric" value=s.refresh_hours.to_string()/>
                    </Field>
                </div>
                <button type="submit" class="button">"Save valuation and schedule"</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="runs-title">
            <h2 id="runs-title">"Latest refreshes"</h2>
            {if overview.runs.is_empty() {
                view! { <p class="muted">"No refresh has run yet."</p> }.into_any()
            } else {
                view! { <RunsTable runs=overview.runs/> }.into_any()
            }}
        </section>
    }
}

#[component]
fn RunsTable(runs: Vec<AnalyticsRun>) -> impl IntoView {
    view! {
        <DataTable class="runs-table" name=TableName::Section columns=vec![Column::text("Started"), Column::text("Trigger"), Column::text("Status"), Column::number("Scored"), Column::number("Left out"), Column::number("Seconds"), Column::text("Result")]>
            {runs.into_iter().map(|run| view! { <RunRow run/> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn RunRow(run: AnalyticsRun) -> impl IntoView {
    let trigger = match &run.requested_by {
        Some(by) => format!("{} ({by})", run.trigger_kind),
        None => run.trigger_kind.clone(),
    };
    let seconds = run
        .finished_at
        .map(|end| format!("{:.1}", (end - run.started_at) as f64 / 1000.0))
        .unwrap_or_else(|| "—".into());
    let result = match (&run.summary, &run.error) {
        (Some(s), _) => {
            let m = s.models;
            format!(
                "BG/NBD r {}, α {}, a {}, b {}; Gamma-Gamma p {}, q {}, γ {}; {} rules from {} baskets; CLV over {} months at {}%/month",
                sig(m.r), sig(m.alpha), sig(m.a), sig(m.b), sig(m.p), sig(m.q), sig(m.v),
                s.rules, format_count(s.baskets as i64),
                s.clv_horizon_months, s.monthly_discount * 100.0
            )
        }
        (None, Some(error)) => error.clone(),
        (None, None) => String::new(),
    };
    view! {
        <tr>
            <td>{format_date_time(run.started_at)}</td>
            <td>{trigger}</td>
            <td>{run.status}</td>
            <td class="number">{format_count(run.customers_scored)}</td>
            <td class="number">{format_count(run.customers_left_out)}</td>
            <td class="number">{seconds}</td>
            <td>{result}</td>
        </tr>
    }
}

/// A parameter to four significant figures; scientific notation when very large or small.
fn sig(value: f64) -> String {
    if value != 0.0 && !(1e-3..1e5).contains(&value.abs()) {
        format!("{value:.3e}")
    } else {
        format!("{:.4}", value)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}
