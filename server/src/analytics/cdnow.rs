//! `customer-profiles analytics import-cdnow FILE`: loads the CDNOW purchase log
//! (`customer_id date number_of_cds dollar_value` per line, whitespace separated) as
//! customers (external id `CDNOW-00001`) and purchase events, so the console shows them.

use app::customers::{Contact, NewCustomer};
use app::events::NewEvent;
use app::store::Db;
use chrono::NaiveDate;
use clap::Args;
use serde_json::json;
use sqlx::Connection;
use std::path::PathBuf;
use std::time::Instant;

/// Options of `analytics import-cdnow`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// CDNOW_master.txt.
    pub file: PathBuf,
    /// Move every date by whole days so the last purchase falls on this day (YYYY-MM-DD);
    /// without it the dates stay in 1997–98.
    #[arg(long)]
    pub shift_to: Option<NaiveDate>,
}

/// One line of the log.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    customer: String,
    day: NaiveDate,
    cds: i64,
    cents: i64,
}

/// Customers written per transaction.
const CHUNK: usize = 1_000;

/// Imports the file; reports what was written.
pub async fn run(db: &Db, args: &ImportArgs) -> Result<String, String> {
    let started = Instant::now();
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let lines = parse(&text).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let Some(first) = lines.first() else {
        return Err(format!("{}: no purchases", args.file.display()));
    };
    let first_id = external_id(&first.customer);
    let ignore_case = app::settings::db::external_ids_ignore_case(db)
        .await
        .map_err(|e| e.to_string())?;
    let first_key = app::identity::fold_external_id(&first_id, ignore_case);
    if app::identity::db::owner(db, "external_id", &first_key)
        .await
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Err(format!("already imported: customer {first_id} exists"));
    }
    let shift_days = match args.shift_to {
        Some(target) => {
            let last = lines.iter().map(|l| l.day).max().unwrap_or(target);
            (target - last).num_days()
        }
        None => 0,
    };
    let received_at = app::time::now_millis();
    let customers = group(&lines);
    let mut connection = db.bulk_load_connection().await.map_err(|e| e.to_string())?;
    let mut events_written = 0;
    for chunk in customers.chunks(CHUNK) {
        let mut new_customers = Vec::with_capacity(chunk.len());
        let mut events = Vec::new();
        for purchases in chunk {
            let (customer, mut customer_events) = customer(purchases, shift_days, received_at);
            new_customers.push(customer);
            events.append(&mut customer_events);
        }
        let mut tx = connection.begin().await.map_err(|e| e.to_string())?;
        app::customers::db::insert_many(&mut tx, &new_customers, "import", ignore_case)
            .await
            .map_err(|e| e.to_string())?;
        app::events::db::insert_many(&mut tx, &events)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        events_written += events.len();
    }
    db.after_bulk_load().await.map_err(|e| e.to_string())?;
    // CDNOW's amounts are dollars: a database without a currency of its own takes USD, so
    // that the analytics count them (they count the organisation's currency only).
    let currency = app::settings::db::setting(db, app::settings::db::CURRENCY)
        .await
        .map_err(|e| e.to_string())?;
    let currency_note = match currency {
        None => {
            app::settings::db::set_setting(db.pool(), app::settings::db::CURRENCY, "USD")
                .await
                .map_err(|e| e.to_string())?;
            "; the organisation's currency is now USD, CDNOW's".to_string()
        }
        Some(code) if code != "USD" => format!(
            "; the organisation's currency is {code}: the analytics count only its purchases, \
             not these USD ones"
        ),
        Some(_) => String::new(),
    };
    Ok(format!(
        "imported {} CDNOW customers and {events_written} purchases in {:.1} s{}{currency_note}",
        customers.len(),
        started.elapsed().as_secs_f64(),
        if shift_days != 0 {
            format!(" (dates moved by {shift_days} days)")
        } else {
            String::new()
        }
    ))
}

fn external_id(customer: &str) -> String {
    format!("CDNOW-{customer}")
}

/// The lines of the log; the header line, if any, is skipped. Errors name the line.
fn parse(text: &str) -> Result<Vec<Line>, String> {
    let mut lines = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let fields: Vec<&str> = raw.split_whitespace().collect();
        if fields.is_empty() || (index == 0 && fields[0].parse::<u64>().is_err()) {
            continue;
        }
        let bad = |what: &str| format!("line {}: {what} in “{}”", index + 1, raw.trim());
        let [customer, date, cds, dollars] = fields[..] else {
            return Err(bad(
                "expected customer id, date, number of CDs and dollar value",
            ));
        };
        if customer.parse::<u64>().is_err() {
            return Err(bad("the customer id is not a number"));
        }
        let day = NaiveDate::parse_from_str(date, "%Y%m%d")
            .map_err(|_| bad("the date is not YYYYMMDD"))?;
        let cds = cds
            .parse::<i64>()
            .map_err(|_| bad("the number of CDs is not a whole number"))?;
        let dollars = dollars
            .parse::<f64>()
            .ok()
            .filter(|d| d.is_finite() && *d >= 0.0)
            .ok_or_else(|| bad("the dollar value is not an amount"))?;
        lines.push(Line {
            customer: customer.to_string(),
            day,
            cds,
            cents: (dollars * 100.0).round() as i64,
        });
    }
    Ok(lines)
}

/// Lines grouped by customer, in order of first appearance.
fn group(lines: &[Line]) -> Vec<Vec<Line>> {
    let mut index = std::collections::HashMap::new();
    let mut groups: Vec<Vec<Line>> = Vec::new();
    for line in lines {
        let at = *index.entry(line.customer.clone()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[at].push(line.clone());
    }
    groups
}

/// The customer and purchase events of one customer's lines, dates moved by `shift_days`.
fn customer(purchases: &[Line], shift_days: i64, received_at: i64) -> (NewCustomer, Vec<NewEvent>) {
    let id = uuid::Uuid::new_v4().to_string();
    let at = |day: NaiveDate| {
        (day + chrono::Duration::days(shift_days))
            .and_hms_opt(12, 0, 0)
            .map(|t| t.and_utc().timestamp_millis())
            .unwrap_or(received_at)
    };
    let events: Vec<NewEvent> = purchases
        .iter()
        .enumerate()
        .map(|(n, line)| NewEvent {
            id: uuid::Uuid::now_v7().to_string(),
            customer_id: id.clone(),
            client_event_id: Some(format!("cdnow-{}-{}", line.customer, n + 1)),
            event_type: "purchase".into(),
            source: "import".into(),
            occurred_at: at(line.day) + n as i64,
            received_at,
            store_id: None,
            amount_cents: Some(line.cents),
            points_delta: None,
            payload: json!({
                "currency": "USD",
                "items": [{"sku": "CDNOW-CD", "name": "Compact disc", "qty": line.cds}],
            }),
        })
        .collect();
    let first = events
        .iter()
        .map(|e| e.occurred_at)
        .min()
        .unwrap_or(received_at);
    let last = events
        .iter()
        .map(|e| e.occurred_at)
        .max()
        .unwrap_or(received_at);
    let customer = NewCustomer {
        id,
        contact: Contact {
            external_id: Some(external_id(&purchases[0].customer)),
            country: Some("US".into()),
            ..Contact::default()
        },
        status_id: "active".into(),
        is_test: false,
        email_opt_in: false,
        sms_opt_in: false,
        push_opt_in: false,
        phone_verified: false,
        home_store_id: None,
        points_balance: 0,
        tier: None,
        tier_since: None,
        purchase_count: events.len() as i64,
        last_active_at: Some(last),
        created_at: first,
    };
    (customer, events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_master_format_and_names_bad_lines() {
        let text = " customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n 00002 19970112  2   0.00\n";
        let lines = parse(text).expect("parses");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].cents, 1177);
        assert_eq!(lines[1].cds, 2);
        let error = parse(" 00001 19971301 1 11.77\n").expect_err("bad month");
        assert!(
            error.contains("line 1") && error.contains("YYYYMMDD"),
            "{error}"
        );
        let error = parse("00001 19970101 1\n").expect_err("short line");
        assert!(error.contains("line 1"), "{error}");
    }

    #[test]
    fn customers_keep_their_purchases_and_totals() {
        let lines =
            parse("00001 19970101 1 10.00\n00002 19970102 1 5.00\n00001 19970301 2 20.50\n")
                .expect("parses");
        let groups = group(&lines);
        assert_eq!(groups.len(), 2);
        let (customer, events) = customer(&groups[0], 10_000, 0);
        assert_eq!(customer.contact.external_id.as_deref(), Some("CDNOW-00001"));
        assert_eq!(customer.purchase_count, 2);
        assert_eq!(events.len(), 2);
        assert!(events.iter().all(|e| e.customer_id == customer.id));
        // 1997-01-01 + 10,000 days = 2024-05-19, at noon UTC.
        assert_eq!(app::time::format_date(events[0].occurred_at), "19 May 2024");
    }
}
