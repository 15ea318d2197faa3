//! SQL for the audit trail: one insert inside each mutation's transaction, filtered reads.

use super::model::{AuditEntry, AuditFilter, AuditPage};
use crate::auth::CurrentUser;
use crate::change::Door;
use crate::store::Db;
use crate::time::DisplayZone;
use sqlx::{Any, Executor, FromRow};

/// What a mutation records.
pub struct Record<'a> {
    /// The platform user, or `None` with `actor_email` for an anonymous attempt.
    pub actor: Option<&'a CurrentUser>,
    /// Who, when there is no signed-in user (a failed sign-in).
    pub actor_email: &'a str,
    /// What, e.g. `points.adjust`.
    pub action: &'a str,
    /// Which customer.
    pub customer_id: Option<&'a str>,
    /// What else it was about.
    pub subject: Option<&'a str>,
    /// State before.
    pub before: Option<serde_json::Value>,
    /// State after.
    pub after: Option<serde_json::Value>,
}

impl<'a> Record<'a> {
    /// A record of `action` by `actor`, to be completed with the builder methods.
    pub fn by(actor: &'a CurrentUser, action: &'a str) -> Self {
        Self {
            actor: Some(actor),
            actor_email: &actor.email,
            action,
            customer_id: None,
            subject: None,
            before: None,
            after: None,
        }
    }

    /// About customer `id`.
    pub fn customer(mut self, id: &'a str) -> Self {
        self.customer_id = Some(id);
        self
    }

    /// About `subject` (a user id, a setting).
    pub fn subject(mut self, subject: &'a str) -> Self {
        self.subject = Some(subject);
        self
    }

    /// With the state before and after.
    pub fn change(mut self, before: serde_json::Value, after: serde_json::Value) -> Self {
        self.before = Some(before);
        self.after = Some(after);
        self
    }

    /// Writes the record with `executor` (the change's transaction); only `change.rs` holds
    /// the [`Door`] it asks for.
    pub async fn write<'e, E>(self, executor: E, _door: &Door) -> Result<(), sqlx::Error>
    where
        E: Executor<'e, Database = Any>,
    {
        sqlx::query(
            "INSERT INTO audit_log (id, at, actor_id, actor_email, action, customer_id, subject, \
             before_json, after_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(crate::time::now_millis())
        .bind(self.actor.map(|a| a.id.clone()))
        .bind(self.actor_email.to_string())
        .bind(self.action.to_string())
        .bind(self.customer_id.map(str::to_string))
        .bind(self.subject.map(str::to_string))
        .bind(self.before.map(|v| v.to_string()))
        .bind(self.after.map(|v| v.to_string()))
        .execute(executor)
        .await?;
        Ok(())
    }
}

#[derive(FromRow)]
struct Row {
    id: String,
    at: i64,
    actor_email: String,
    action: String,
    customer_id: Option<String>,
    subject: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
}

/// Records matching `filter` (its days as in `zone`), newest first, `limit` at a time after
/// cursor `before`.
pub async fn page(
    db: &Db,
    filter: &AuditFilter,
    zone: &DisplayZone,
    before: Option<(i64, String)>,
    limit: usize,
) -> Result<AuditPage, sqlx::Error> {
    let mut sql = String::from(
        "SELECT id, at, actor_email, action, customer_id, subject, before_json, after_json \
         FROM audit_log WHERE 1 = 1",
    );
    let mut text: Vec<String> = Vec::new();
    let mut numbers: Vec<i64> = Vec::new();
    let mut conditions = Vec::new();
    for (column, value) in [
        ("LOWER(actor_email)", filter.actor.trim().to_lowercase()),
        ("action", filter.action.trim().to_string()),
        ("customer_id", filter.customer_id.trim().to_string()),
    ] {
        if !value.is_empty() {
            text.push(value);
            conditions.push(format!("{column} = ${}", text.len()));
        }
    }
    let mut param = text.len();
    if let Some(from) = zone.day_start(&filter.from, 0) {
        numbers.push(from);
        param += 1;
        conditions.push(format!("at >= ${param}"));
    }
    if let Some(to) = zone.day_start(&filter.to, 1) {
        numbers.push(to);
        param += 1;
        conditions.push(format!("at < ${param}"));
    }
    if let Some((at, _)) = &before {
        numbers.push(*at);
        param += 1;
        conditions.push(format!(
            "(at < ${param} OR (at = ${param} AND id < ${}))",
            param + 1
        ));
    }
    for condition in conditions {
        sql.push_str(" AND ");
        sql.push_str(&condition);
    }
    let limit_param = param + usize::from(before.is_some()) + 1;
    sql.push_str(&format!(" ORDER BY at DESC, id DESC LIMIT ${limit_param}"));
    let mut query = sqlx::query_as::<_, Row>(&sql);
    for value in text {
        query = query.bind(value);
    }
    for value in numbers {
        query = query.bind(value);
    }
    if let Some((_, id)) = before {
        query = query.bind(id);
    }
    let mut rows = query
        .bind(i64::try_from(limit + 1).unwrap_or(i64::MAX))
        .fetch_all(db.pool())
        .await?;
    let next = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|r| (r.at, r.id.clone()))
    } else {
        None
    };
    let actions = sqlx::query_scalar("SELECT DISTINCT action FROM audit_log ORDER BY action")
        .fetch_all(db.pool())
        .await?;
    Ok(AuditPage {
        entries: rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at,
                actor_email: r.actor_email,
                action: r.action,
                customer_id: r.customer_id,
                subject: r.subject,
                before: r.before_json,
                after: r.after_json,
            })
            .collect(),
        next,
        actions,
    })
}
