//! Identifiers stored under earlier reading rules, read again with today's (libphonenumber for
//! phones, IDNA for email domains): once per database, when the rules' version changes (run
//! after the schema migrations by every command, `migrate` included), through `Change` like any
//! other change to a customer (the actor is the rules themselves). A value that now reads
//! as one another customer holds is never moved onto them: both keep their identifiers, the
//! pair is given one match key (so Duplicates lists them as likely the same person) and the
//! collision is recorded in the audit trail. Nothing is lost: a value that no longer reads is
//! kept as it is.

use super::db;
use super::model::{email_key, phone_e164};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use serde::Serialize;
use std::collections::HashMap;

/// The reading rules' version: stored once every identifier has been read by them.
pub const RULES: &str =
    "phonenumber 0.3.10+9.0.33 (international numbers read without the home region), idna 1.1 (UTS 46)";
/// The setting that holds the version the stored identifiers were read by.
const SETTING: &str = "identifiers_read_by";

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Phone and email identifiers read.
    pub checked: usize,
    /// Rewritten to today's form.
    pub changed: usize,
    /// Left as they were: today's form is another customer's (kind, old value, holder of the
    /// old value, holder of today's form).
    pub collisions: Vec<(String, String, String, String)>,
    /// Left as they were: today's rules cannot read them.
    pub unreadable: usize,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "identifiers read again: {} checked, {} rewritten, {} collisions kept as likely \
             duplicates, {} unreadable kept as they were",
            self.checked,
            self.changed,
            self.collisions.len(),
            self.unreadable
        )
    }
}

/// Reads every phone and email identifier again unless this database already was with
/// [`RULES`]; the report when it ran.
pub async fn run_once(state: &AppState) -> Result<Option<Report>, AppError> {
    let done = crate::settings::db::setting(&state.db, SETTING).await?;
    if done.as_deref() == Some(RULES) {
        return Ok(None);
    }
    run(state).await.map(Some)
}

/// Reads every phone and email identifier again with today's rules, rewriting those whose
/// form changed, in one change; records the version and, when anything changed, the report in
/// the audit trail.
pub async fn run(state: &AppState) -> Result<Report, AppError> {
    let region = crate::settings::service::phone_region(&state.db).await?;
    let rows = db::phones_and_emails(&state.db).await?;
    let mut holder: HashMap<(String, String), String> = rows
        .iter()
        .map(|(customer, kind, normalized, ..)| {
            ((kind.clone(), normalized.clone()), customer.clone())
        })
        .collect();
    let mut report = Report {
        checked: rows.len(),
        ..Report::default()
    };
    let actor = CurrentUser::system("identifier-rules", "Identifier rules");
    let mut change = Change::begin(state, &actor).await?;
    for (customer, kind, normalized, value, is_primary) in &rows {
        let today = match kind.as_str() {
            "phone" => phone_e164(value, &region).or_else(|| phone_e164(normalized, "")),
            _ => email_key(value).or_else(|| email_key(normalized)),
        };
        let Some(today) = today else {
            report.unreadable += 1;
            continue;
        };
        if today == *normalized {
            continue;
        }
        let key = (kind.clone(), today.clone());
        match holder.get(&key) {
            Some(other) => {
                db::match_like(change.tx(), customer, kind, normalized, &today).await?;
                report.collisions.push((
                    kind.clone(),
                    normalized.clone(),
                    customer.clone(),
                    other.clone(),
                ));
            }
            None => {
                db::rewrite(change.tx(), customer, kind, normalized, &today, *is_primary).await?;
                holder.remove(&(kind.clone(), normalized.clone()));
                holder.insert(key, customer.clone());
                report.changed += 1;
            }
        }
        change.customer_changed(customer);
    }
    crate::settings::db::set_setting(&mut **change.tx(), SETTING, RULES).await?;
    if report.changed > 0 || !report.collisions.is_empty() {
        let after = serde_json::to_value(&report).unwrap_or_default();
        change
            .audit("identifiers.read_again", |r| {
                r.subject(RULES).change(serde_json::Value::Null, after)
            })
            .await?;
    }
    change.commit().await?;
    Ok(report)
}
