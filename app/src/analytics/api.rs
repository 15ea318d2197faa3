//! Server functions of the analytics widgets and the analytics admin screen.

use super::model::{AnalyticsOverview, CustomerAnalytics};
use crate::error::AppError;
use leptos::prelude::*;

/// Customer `customer_id`'s analytics: live RFM beside the base medians, and the scores and
/// likely next products of the last refresh.
#[server(endpoint = "get_customer_analytics")]
pub async fn get_customer_analytics(customer_id: String) -> Result<CustomerAnalytics, AppError> {
    crate::error::respond(server::customer_analytics(customer_id).await)
}

/// The analytics admin screen.
#[server(endpoint = "get_analytics_overview")]
pub async fn get_analytics_overview() -> Result<AnalyticsOverview, AppError> {
    crate::error::respond(server::overview().await)
}

/// Starts a refresh now; a conflict when one is already running.
#[server(endpoint = "refresh_analytics")]
pub async fn refresh_analytics() -> Result<AnalyticsOverview, AppError> {
    crate::error::respond(server::refresh().await)
}

/// Saves the CLV horizon (months), monthly discount rate (percent) and refresh interval
/// (hours); they apply from the next refresh.
#[server(endpoint = "save_analytics_settings")]
pub async fn save_analytics_settings(
    horizon_months: String,
    monthly_discount_percent: String,
    refresh_hours: String,
) -> Result<AnalyticsOverview, AppError> {
    crate::error::respond(
        server::save_settings(horizon_months, monthly_discount_percent, refresh_hours).await,
    )
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::affinity::{basket_skus, likely_next};
    use super::super::db;
    use super::super::model::{
        AnalyticsOverview, ClvSettings, Coverage, CustomerAnalytics, RfmComparison, RfmWindow,
    };
    use crate::audit::db::Record;
    use crate::auth::guard::require;
    use crate::auth::Permission;
    use crate::error::AppError;
    use serde_json::json;

    /// Baskets of the customer looked at for affinities.
    const RECENT_BASKETS: i64 = 200;

    pub async fn customer_analytics(id: String) -> Result<CustomerAnalytics, AppError> {
        require(Permission::CustomersSearch)?;
        let state = crate::state::app_state()?;
        let db = &state.db;
        let (restricted, test_profile) = db::customer_flags(db, &id)
            .await?
            .ok_or_else(|| AppError::NotFound("No such customer.".into()))?;
        let last = db::last_success(db).await?;
        let summary = last.as_ref().and_then(|run| run.summary.clone());
        let now = crate::time::now_millis();
        let mut rfm = Vec::new();
        for (i, window) in RfmWindow::ALL.into_iter().enumerate() {
            let since = window.days().map(|d| now - d * 86_400_000);
            rfm.push(RfmComparison {
                window,
                customer: db::customer_rfm(db, &id, since, now).await?,
                base_median: summary.as_ref().and_then(|s| s.medians.get(i).copied()),
            });
        }
        let horizon = summary.as_ref().map_or(0, |s| s.clv_horizon_months);
        let blank = |coverage| CustomerAnalytics {
            coverage,
            rfm: rfm.clone(),
            score: None,
            affinities: Vec::new(),
            fitted_at: last.as_ref().map(|run| run.started_at),
            clv_horizon_months: horizon,
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
        let Some((fitted_at, score)) = db::customer_score(db, &id).await? else {
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
        })
    }

    pub async fn overview() -> Result<AnalyticsOverview, AppError> {
        require(Permission::SettingsManage)?;
        load().await
    }

    async fn load() -> Result<AnalyticsOverview, AppError> {
        let state = crate::state::app_state()?;
        Ok(AnalyticsOverview {
            settings: db::clv_settings(&state.db).await?,
            running: state.analytics.is_running(),
            runs: db::recent_runs(&state.db, 10).await?,
        })
    }

    pub async fn refresh() -> Result<AnalyticsOverview, AppError> {
        let admin = require(Permission::SettingsManage)?;
        let state = crate::state::app_state()?;
        let mut tx = state.db.begin_write().await?;
        Record::by(&admin, "analytics.refresh")
            .subject("analytics")
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        if !state
            .analytics
            .start(state.db.clone(), "admin", Some(admin.email.clone()))
        {
            return Err(AppError::Conflict(
                "A refresh is already running; it will finish on its own.".into(),
            ));
        }
        load().await
    }

    pub async fn save_settings(
        horizon_months: String,
        monthly_discount_percent: String,
        refresh_hours: String,
    ) -> Result<AnalyticsOverview, AppError> {
        let admin = require(Permission::SettingsManage)?;
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
        let state = crate::state::app_state()?;
        let before = db::clv_settings(&state.db).await?;
        let after = ClvSettings {
            horizon_months,
            monthly_discount: percent / 100.0,
            refresh_hours,
        };
        let mut tx = state.db.begin_write().await?;
        db::save_clv_settings(&mut tx, &after).await?;
        Record::by(&admin, "analytics.settings")
            .subject("analytics")
            .change(json!(before), json!(after))
            .write(&mut *tx)
            .await?;
        tx.commit().await?;
        load().await
    }
}
