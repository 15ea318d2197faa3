//! A customer's export (GDPR art. 15): everything held about them as one CSV
//! (`section,record,field,value`), streamed: events are read a page at a time, so a customer
//! with 100,000 events never sits in memory. The sections are the tables
//! `store::customer_tables` says are exported; the export is logged as a privacy request
//! through a [`Change`], so the customer's open profiles show it.

use super::db::{self, NewRequest};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::customer_tables::{Export, CUSTOMER_TABLES};
use crate::store::Db;
use tokio::sync::mpsc;

/// Events read per query while exporting.
const EVENT_PAGE: i64 = 1_000;

/// The CSV as it is written, a chunk at a time.
pub type Chunks = mpsc::Receiver<Result<Vec<u8>, std::io::Error>>;

type Sender = mpsc::Sender<Result<Vec<u8>, std::io::Error>>;

/// Starts writing customer `id`'s export for `user`; `NotFound` for an unknown customer. The
/// export is logged once written (or failed).
pub async fn start(state: &AppState, user: CurrentUser, id: String) -> Result<Chunks, AppError> {
    if db::rows_of(&state.db, "customers", "id", &id)
        .await?
        .is_empty()
    {
        return Err(AppError::no_customer(&id));
    }
    let (sender, receiver) = mpsc::channel(8);
    let state = state.clone();
    tokio::spawn(async move {
        let detail = match write_export(&state.db, &id, &sender).await {
            Ok(rows) => format!("{rows} rows"),
            Err(err) => {
                tracing::error!(%err, "export failed");
                let _ = sender
                    .send(Err(std::io::Error::other("export failed")))
                    .await;
                "failed".to_string()
            }
        };
        if let Err(err) = log(&state, &user, &id, &detail).await {
            tracing::error!(%err, "export not logged");
        }
    });
    Ok(receiver)
}

/// Logs the export in the privacy log; open profiles (the officer's own Data privacy tab)
/// show it.
async fn log(state: &AppState, user: &CurrentUser, id: &str, detail: &str) -> Result<(), AppError> {
    let mut change = Change::begin(state, user).await?;
    db::record(
        &mut **change.tx(),
        &NewRequest {
            id: &uuid::Uuid::now_v7().to_string(),
            customer_id: Some(id),
            request_type: "export",
            reason: None,
            detail: Some(detail),
            executed_by: (&user.id, &user.email),
            at: crate::time::now_millis(),
        },
    )
    .await?;
    change.customer_changed(id);
    change.commit().await
}

/// `(section, table, column naming the customer)` of every table exported whole.
fn row_sections() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    CUSTOMER_TABLES.iter().flat_map(|t| match t.export {
        Export::Rows { section, columns } => {
            columns.iter().map(|c| (section, t.name, *c)).collect()
        }
        _ => Vec::new(),
    })
}

/// Columns naming platform users (the staff member's data, not the customer's): left out.
const STAFF_COLUMNS: [&str; 5] = [
    "actor_id",
    "actor_email",
    "user_id",
    "executed_by",
    "executed_by_email",
];

/// Columns only the console's own workings need (search and match keys, the edit version,
/// what undoing a merge needs): left out.
const INTERNAL_COLUMNS: [&str; 5] = [
    "first_name_key",
    "last_name_key",
    "match_key",
    "version",
    "restore",
];

/// The value as the export writes it, `None` for a column it leaves out: times (columns named
/// `…_at` or `…_since`, stored as epoch milliseconds) become ISO 8601 UTC,
/// `2026-12-05T08:03:42.123Z`.
fn export_value<'a>(field: &str, value: &'a str) -> Option<std::borrow::Cow<'a, str>> {
    if INTERNAL_COLUMNS.contains(&field) || STAFF_COLUMNS.contains(&field) {
        return None;
    }
    let is_time = field.ends_with("_at") || field.ends_with("_since");
    let instant = value
        .parse::<i64>()
        .ok()
        .filter(|_| is_time)
        .and_then(chrono::DateTime::from_timestamp_millis);
    Some(match instant {
        Some(at) => at
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            .into(),
        None => value.into(),
    })
}

/// Writes every section; returns how many data rows were written.
async fn write_export(db: &Db, id: &str, sender: &Sender) -> Result<usize, String> {
    let mut out = Csv::new(sender);
    out.row(["section", "record", "field", "value"]).await?;
    for (section, table, key) in row_sections() {
        let rows = db::rows_of(db, table, key, id)
            .await
            .map_err(|e| e.to_string())?;
        for (n, row) in rows.iter().enumerate() {
            let record = row
                .iter()
                .find(|(c, _)| c == "id" || c == "key")
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| (n + 1).to_string());
            for (field, value) in row {
                if let Some(value) = export_value(field, value) {
                    out.row([section, &record, field, &value]).await?;
                }
            }
        }
    }
    let mut after: Option<(i64, String)> = None;
    loop {
        let page = db::events_after(db, id, after.as_ref(), EVENT_PAGE)
            .await
            .map_err(|e| e.to_string())?;
        for row in &page {
            let value = |name: &str| {
                row.iter()
                    .find(|(c, _)| c == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let record = value("id");
            for (field, v) in row.iter().filter(|(c, _)| c != "id" && c != "customer_id") {
                if let Some(v) = export_value(field, v) {
                    out.row(["events", &record, field, &v]).await?;
                }
            }
            after = Some((value("occurred_at").parse().unwrap_or(i64::MIN), record));
        }
        if page.len() < EVENT_PAGE as usize {
            break;
        }
    }
    out.finish().await?;
    Ok(out.rows)
}

/// A CSV writer (the `csv` crate does the quoting) that hands full buffers to the response.
struct Csv<'a> {
    writer: csv::Writer<Vec<u8>>,
    sender: &'a Sender,
    rows: usize,
}

impl<'a> Csv<'a> {
    fn new(sender: &'a Sender) -> Self {
        Self {
            writer: csv::Writer::from_writer(Vec::with_capacity(64 * 1024)),
            sender,
            rows: 0,
        }
    }

    async fn row<const N: usize>(&mut self, fields: [&str; N]) -> Result<(), String> {
        self.writer
            .write_record(fields.map(|cell| match spreadsheet_safe(cell) {
                std::borrow::Cow::Borrowed(text) => std::borrow::Cow::Borrowed(text.as_bytes()),
                std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(text.into_bytes()),
            }))
            .map_err(|e| e.to_string())?;
        self.rows += 1;
        if self.writer.get_ref().len() >= 60 * 1024 {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), String> {
        let full = std::mem::replace(
            &mut self.writer,
            csv::Writer::from_writer(Vec::with_capacity(64 * 1024)),
        );
        let chunk = full.into_inner().map_err(|e| e.to_string())?;
        self.sender
            .send(Ok(chunk))
            .await
            .map_err(|_| "the download was cancelled".to_string())
    }

    async fn finish(&mut self) -> Result<(), String> {
        self.flush().await
    }
}

/// A cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, tab or carriage
/// return (OWASP "CSV injection") gets a leading apostrophe; plain numbers ("-150") stay
/// numbers.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

#[cfg(test)]
mod tests {
    use super::{export_value, spreadsheet_safe};

    #[test]
    fn times_read_as_iso_8601_utc_and_internal_columns_are_left_out() {
        let shown = |field, value| export_value(field, value).map(|v| v.into_owned());
        assert_eq!(
            shown("created_at", "1764921822123").as_deref(),
            Some("2025-12-05T08:03:42.123Z")
        );
        assert_eq!(
            shown("tier_since", "0").as_deref(),
            Some("1970-01-01T00:00:00.000Z")
        );
        assert_eq!(shown("last_active_at", "").as_deref(), Some(""));
        assert_eq!(
            shown("points_balance", "1764921822123").as_deref(),
            Some("1764921822123")
        );
        for internal in ["first_name_key", "last_name_key", "version", "executed_by"] {
            assert_eq!(shown(internal, "x"), None, "{internal}");
        }
        assert_eq!(shown("first_name", "Zoë").as_deref(), Some("Zoë"));
    }

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        for formula in [
            "=HYPERLINK(\"x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(spreadsheet_safe(formula), format!("'{formula}"));
        }
        for plain in ["-150", "42", "Ann", "", "a=b"] {
            assert_eq!(spreadsheet_safe(plain), plain);
        }
    }
}
