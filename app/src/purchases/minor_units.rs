//! Amounts stored before money had ISO 4217 minor units: they were hundredths in every
//! currency (a JPY 14,319 order stored as 1,431,900). Once per database, after the schema
//! migrations, every purchase and refund of a currency whose exponent is not 2 is converted
//! to its real minor units (yen ÷ 100; KWD fils × 10), through `Change` like any other change
//! to a customer (the actor is the money rules themselves), with the report in the audit
//! trail. An amount of hundredths that does not convert exactly (a yen amount with "cents")
//! is rounded half up and counted in the report.

use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use serde::Serialize;

/// The rules' version: stored once the amounts were converted by them.
pub const RULES: &str = "ISO 4217 minor units (iso_currency 0.5)";
/// The setting holding the version the stored amounts follow.
const SETTING: &str = "amounts_in_minor_units";

/// What a conversion did, per currency converted.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// (currency, exponent, amounts converted, of which rounded).
    pub converted: Vec<(String, u32, u64, u64)>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .converted
            .iter()
            .map(|(code, exponent, amounts, rounded)| {
                format!("{amounts} {code} (exponent {exponent}; {rounded} rounded)")
            })
            .collect();
        write!(
            f,
            "amounts converted to ISO 4217 minor units: {}",
            if parts.is_empty() {
                "none needed".to_string()
            } else {
                parts.join(", ")
            }
        )
    }
}

/// Converts the stored amounts unless this database already follows [`RULES`]; the report
/// when it ran.
pub async fn run_once(state: &AppState) -> Result<Option<Report>, AppError> {
    let done = crate::settings::db::setting(&state.db, SETTING).await?;
    if done.as_deref() == Some(RULES) {
        return Ok(None);
    }
    run(state).await.map(Some)
}

/// Converts every amount of a currency whose exponent is not 2, in one change.
pub async fn run(state: &AppState) -> Result<Report, AppError> {
    let actor = CurrentUser::system("money-rules", "Money rules");
    let mut report = Report::default();
    let mut change = Change::begin(state, &actor).await?;
    for currency in super::db::amount_currencies(change.tx()).await? {
        let Some(exponent) = crate::money::exponent(&currency).filter(|e| *e != 2) else {
            continue;
        };
        let customers = super::db::customers_paying_in(change.tx(), &currency).await?;
        let (amounts, rounded) =
            super::db::rescale_amounts(change.tx(), &currency, exponent).await?;
        for customer in &customers {
            change.customer_changed(customer);
        }
        report
            .converted
            .push((currency, exponent, amounts, rounded));
    }
    crate::settings::db::set_setting(&mut **change.tx(), SETTING, RULES).await?;
    if !report.converted.is_empty() {
        let after = serde_json::to_value(&report).unwrap_or_default();
        change
            .audit("purchases.minor_units", |r| {
                r.subject(RULES).change(serde_json::Value::Null, after)
            })
            .await?;
    }
    change.commit().await?;
    Ok(report)
}
