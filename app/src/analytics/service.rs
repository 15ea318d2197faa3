//! The use cases behind the server functions of this feature.

use super::affinity::{basket_skus, likely_next};
use super::db;
use super::model::{
    AnalyticsOverview, ClvSettings, Coverage, CustomerAnalytics, RfmComparison, RfmWindow,
};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use serde_json::json;

/// Baskets of the customer looked at for affinities.
const RECENT_BASKETS: i64 = 200;

/// A customer's scores (RFM segment, churn risk, predicted value) and product affinities.
pub async fn customer_analytics(
    state: &AppState,
    id: String,
) -> Result<CustomerAnalytics, AppError> {
    let db = &state.db;
    let ((restricted, test_profile), stored_score) = db::customer_flags_and_score(db, &id)
        .await?
        .ok_or_else(|| AppError::no_customer(&id))?;
    let last = db::last_success_cached(db).await?;
    let summary = last.as_ref().and_then(|run| run.summary.clone());
    let now = crate::time::now_millis();
    let currency = crate::settings::service::currency(db).await?;
    let since = RfmWindow::ALL.map(|window| window.days().map(|d| now - d * 86_400_000));
    let customer = db::customer_rfm(db, &id, &currency, since, now).await?;
    let rfm: Vec<RfmComparison> = RfmWindow::ALL
        .into_iter()
        .zip(customer)
        .enumerate()
        .map(|(i, (window, customer))| RfmComparison {
            window,
            customer,
            base_median: summary.as_ref().and_then(|s| s.medians.get(i).copied()),
        })
        .collect();
    let horizon = summary.as_ref().map_or(0, |s| s.clv_horizon_months);
    let blank = |coverage| CustomerAnalytics {
        coverage,
        rfm: rfm.clone(),
        score: None,
        affinities: Vec::new(),
        fitted_at: last.as_ref().map(|run| run.started_at),
        clv_horizon_months: horizon,
        currency: currency.clone(),
    };
    if restricted {
        return Ok(blank(Coverage::Restricted));
    }
    if test_profile {
        return Ok(blank(Coverage::TestProfile));
    }
    let baskets: Vec<Vec<String>> = db::customer_baskets(db, &id, RECENT_BASKETS)
        .await?
        .iter()
        .map(|payload| basket_skus(payload))
        .collect();
    if baskets.is_empty() {
        return Ok(blank(Coverage::NoPurchases));
    }
    let mut bought: Vec<String> = baskets.iter().flatten().cloned().collect();
    bought.sort_unstable();
    bought.dedup();
    let affinities = likely_next(&baskets, db::rules_from(db, &bought).await?);
    let Some((fitted_at, score)) = stored_score else {
        return Ok(CustomerAnalytics {
            affinities,
            ..blank(Coverage::AwaitingRefresh)
        });
    };
    Ok(CustomerAnalytics {
        coverage: Coverage::Scored,
        rfm,
        score: Some(score),
        affinities,
        fitted_at: Some(fitted_at),
        clv_horizon_months: horizon,
        currency,
    })
}

/// The last analytics run and the organisation's analytics settings.
pub async fn overview(state: &AppState) -> Result<AnalyticsOverview, AppError> {
    load(state).await
}

async fn load(state: &AppState) -> Result<AnalyticsOverview, AppError> {
    Ok(AnalyticsOverview {
        settings: db::clv_settings(&state.db).await?,
        running: state.analytics.is_running(),
        runs: db::recent_runs(&state.db, 10).await?,
    })
}

/// Runs the analytics job now, audited, and returns the new overview.
pub async fn refresh(state: &AppState, admin: &CurrentUser) -> Result<AnalyticsOverview, AppError> {
    let mut change = Change::begin(state, admin).await?;
    change
        .audit("analytics.refresh", |r| r.subject("analytics"))
        .await?;
    change.commit().await?;
    if !state
        .analytics
        .start(state.clone(), "admin", Some(admin.email.clone()))
    {
        return Err(AppError::Conflict(
            "A refresh is already running; it will finish on its own.".into(),
        ));
    }
    load(state).await
}

/// Saves the analytics settings after checking their ranges, audited.
pub async fn save_settings(
    state: &AppState,
    admin: &CurrentUser,
    horizon_months: String,
    monthly_discount_percent: String,
    refresh_hours: String,
) -> Result<AnalyticsOverview, AppError> {
    let horizon_months = horizon_months
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|m| (1..=120).contains(m))
        .ok_or_else(|| {
            AppError::validation(
                "horizon_months",
                "Enter a whole number of months from 1 to 120.",
            )
        })?;
    let percent = monthly_discount_percent
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|p| p.is_finite() && (0.0..=10.0).contains(p))
        .ok_or_else(|| {
            AppError::validation(
                "monthly_discount_percent",
                "Enter a monthly discount rate from 0 to 10 percent, e.g. 1 or 0.5.",
            )
        })?;
    let refresh_hours = refresh_hours
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|h| (1..=24 * 30).contains(h))
        .ok_or_else(|| {
            AppError::validation(
                "refresh_hours",
                "Enter a whole number of hours from 1 to 720.",
            )
        })?;
    let before = db::clv_settings(&state.db).await?;
    let after = ClvSettings {
        horizon_months,
        monthly_discount: percent / 100.0,
        refresh_hours,
    };
    let mut change = Change::begin(state, admin).await?;
    db::save_clv_settings(change.tx(), &after).await?;
    change
        .audit("analytics.settings", |r| {
            r.subject("analytics").change(json!(before), json!(after))
        })
        .await?;
    change.commit().await?;
    load(state).await
}
