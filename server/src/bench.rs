//! `customer-profiles bench-search`: seeds customers when the database is empty, then times
//! every kind of search the console offers and prints p50/p99 latencies and query plans.

use app::search::advanced::{AdvancedQuery, SortOrder};
use app::search::db::SampledCustomer;
use app::store::Db;
use clap::Args;
use std::time::{Duration, Instant};

/// Options of `bench-search`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Customers to seed (without event history) when the database is empty.
    #[arg(long, default_value_t = 1_000_000)]
    pub customers: u64,
    /// Searches timed per scenario.
    #[arg(long, default_value_t = 300)]
    pub iterations: usize,
}

/// Runs the benchmark and returns the report.
pub async fn run(db: &Db, args: &BenchArgs) -> Result<String, String> {
    let mut report = seed_if_empty(db, args.customers).await?;
    let total = app::customers::db::count(db)
        .await
        .map_err(|e| e.to_string())?;
    report.push_str(&format!(
        "{:?}, {total} customers, {} searches per scenario\n\n",
        db.backend(),
        args.iterations
    ));
    let samples = sample(db, total, args.iterations).await?;
    report.push_str(&format!(
        "{:<44} {:>9} {:>9} {:>9}\n",
        "scenario", "p50 ms", "p99 ms", "max ms"
    ));
    for (name, inputs) in exact_scenarios(&samples) {
        let mut times = Vec::new();
        for input in &inputs {
            let started = Instant::now();
            let outcome = app::search::service::exact(db, input)
                .await
                .map_err(|e| e.to_string())?;
            times.push(started.elapsed());
            if !matches!(outcome, app::search::SearchOutcome::Found(_)) {
                return Err(format!("{name}: {input} was not found"));
            }
        }
        report.push_str(&line(&name, &mut times));
    }
    for (name, queries) in advanced_scenarios(&samples) {
        let mut times = Vec::new();
        for query in &queries {
            let started = Instant::now();
            app::search::service::advanced(db, query, true)
                .await
                .map_err(|e| format!("{name}: {e}"))?;
            times.push(started.elapsed());
        }
        report.push_str(&line(&name, &mut times));
    }
    report.push_str("\nquery plans (exact lookups: one shard on Citus, never all):\n");
    if let Some(sampled) = samples.iter().find(|s| s.email.is_some()) {
        let email = sampled.email.clone().unwrap_or_default();
        let lookups = [
            (
                "by identifier",
                app::identity::db::OWNER_SQL,
                vec![email, "email".into()],
            ),
            (
                "by customer id",
                app::search::db::BY_ID_SQL,
                vec![sampled.id.clone()],
            ),
        ];
        for (label, sql, values) in lookups {
            let plan = app::search::db::explain(db, sql, &values)
                .await
                .map_err(|e| e.to_string())?;
            report.push_str(&format!("- {label}: {}\n", plan.join(" | ")));
        }
    }
    report.push_str("\nquery plans (page query):\n");
    for (name, queries) in advanced_scenarios(&samples) {
        let Some(query) = queries.first() else {
            continue;
        };
        let normal = query.normalise("GB").map_err(|e| e.to_string())?;
        let (page_sql, count_sql, values) = app::search::db::advanced_sql(&normal, true);
        for (label, sql) in [("page", page_sql), ("count", count_sql)] {
            let plan = app::search::db::explain(db, &sql, &values)
                .await
                .map_err(|e| e.to_string())?;
            report.push_str(&format!("- {name} ({label}): {}\n", plan.join(" | ")));
        }
    }
    Ok(report)
}

/// Seeds `customers` customers without events into an empty database; what it did, if
/// anything, as a line of the report.
pub async fn seed_if_empty(db: &Db, customers: u64) -> Result<String, String> {
    let existing = app::customers::db::count(db)
        .await
        .map_err(|e| e.to_string())?;
    if existing > 0 {
        return Ok(String::new());
    }
    let started = Instant::now();
    let seed = crate::seed::SeedArgs {
        customers,
        seed: 42,
        as_of: None,
        without_events: true,
        duplicates: 0,
    };
    crate::seed::run(db, &seed).await?;
    Ok(format!(
        "seeded {customers} customers (no events) in {:.1} s\n",
        started.elapsed().as_secs_f64()
    ))
}

/// `n` customers spread over the whole id range of `total`.
pub async fn sample(db: &Db, total: i64, n: usize) -> Result<Vec<SampledCustomer>, String> {
    let total = u64::try_from(total.max(1)).unwrap_or(1);
    let mut samples = Vec::with_capacity(n);
    for i in 0..n as u64 {
        let index = (i * 7_919 * 104_729) % total;
        let floor = crate::seed::generate::id_floor(index);
        if let Some(found) = app::search::db::customer_at_or_after(db, &floor)
            .await
            .map_err(|e| e.to_string())?
        {
            samples.push(found);
        }
    }
    Ok(samples)
}

fn exact_scenarios(samples: &[SampledCustomer]) -> Vec<(String, Vec<String>)> {
    let pick = |f: &dyn Fn(&SampledCustomer) -> Option<String>| {
        samples.iter().filter_map(f).collect::<Vec<_>>()
    };
    vec![
        (
            "exact: email (typed in capitals)".into(),
            pick(&|s| s.email.as_ref().map(|e| e.to_uppercase())),
        ),
        (
            "exact: phone (national format)".into(),
            pick(&|s| s.phone.as_ref().map(|p| p.replacen("+44", "0", 1))),
        ),
        (
            "exact: phone (mixed spellings)".into(),
            samples
                .iter()
                .filter_map(|s| s.phone.as_deref())
                .enumerate()
                .map(|(n, phone)| phone_spelling(phone, n))
                .collect(),
        ),
        (
            "exact: email (pasted with name or mailto:)".into(),
            samples
                .iter()
                .filter_map(|s| s.email.as_deref())
                .enumerate()
                .map(|(n, email)| match n % 2 {
                    0 => format!("\"A Customer\" <{}>", email.to_uppercase()),
                    _ => format!("mailto:{email}?subject=Order"),
                })
                .collect(),
        ),
        (
            "exact: loyalty card".into(),
            pick(&|s| s.card_number.clone()),
        ),
        (
            "exact: external id".into(),
            pick(&|s| s.external_id.clone()),
        ),
        ("exact: customer id".into(), pick(&|s| Some(s.id.clone()))),
    ]
}

/// `+447…` (a seeded UK mobile) written the `n`th of the ways people write it: with a trunk
/// 0 after the country code, `(0)`, the `00` prefix, a `tel:` link, no-break spaces, full-width
/// digits, an extension.
fn phone_spelling(e164: &str, n: usize) -> String {
    let national = e164.replacen("+44", "0", 1);
    let (head, tail) = national.split_at(5.min(national.len()));
    match n % 7 {
        0 => format!("+44 {national}"),
        1 => format!("+44 (0){} {tail}", &head[1..]),
        2 => format!("0044 {} {tail}", &head[1..]),
        3 => format!("tel:+44-{}-{tail}", &head[1..]),
        4 => format!("{head}\u{a0}{tail}"),
        5 => national
            .chars()
            .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c))
            .collect(),
        _ => format!("{head} {tail} ext. 21"),
    }
}

fn advanced_scenarios(samples: &[SampledCustomer]) -> Vec<(String, Vec<AdvancedQuery>)> {
    let prefix = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    // Customers with both names and a date of birth (about 1% of seeded customers have no name).
    let named: Vec<&SampledCustomer> = samples
        .iter()
        .filter(|s| {
            !s.first_name_key.is_empty() && !s.last_name_key.is_empty() && s.date_of_birth.is_some()
        })
        .collect();
    let build = |f: &dyn Fn(&SampledCustomer) -> AdvancedQuery| {
        named.iter().map(|s| f(s)).collect::<Vec<_>>()
    };
    let base = AdvancedQuery {
        size: 25,
        page: 1,
        ..Default::default()
    };
    let mut scenarios = vec![
        (
            "first name, 1 letter".to_string(),
            build(&|s| AdvancedQuery {
                first: prefix(&s.first_name_key, 1),
                ..base.clone()
            }),
        ),
        (
            "first name, 3 letters".to_string(),
            build(&|s| AdvancedQuery {
                first: prefix(&s.first_name_key, 3),
                ..base.clone()
            }),
        ),
        (
            "last 3 letters + first 1 letter".to_string(),
            build(&|s| AdvancedQuery {
                last: prefix(&s.last_name_key, 3),
                first: prefix(&s.first_name_key, 1),
                ..base.clone()
            }),
        ),
        (
            "date of birth + first 1 letter".to_string(),
            build(&|s| AdvancedQuery {
                dob: s.date_of_birth.clone().unwrap_or_default(),
                first: prefix(&s.first_name_key, 1),
                ..base.clone()
            }),
        ),
    ];
    for sort in SortOrder::ALL {
        for letters in [1, 3] {
            scenarios.push((
                format!(
                    "sort by {}, size 200, first {letters} letter(s)",
                    sort.as_str()
                ),
                build(&|s| AdvancedQuery {
                    first: prefix(&s.first_name_key, letters),
                    sort,
                    size: 200,
                    ..base.clone()
                }),
            ));
        }
    }
    scenarios
}

/// One row of a latency table: p50, p99 and max of `times` in milliseconds.
pub fn line(name: &str, times: &mut [Duration]) -> String {
    times.sort();
    let at = |q: f64| {
        let index = ((times.len() as f64 * q).ceil() as usize).clamp(1, times.len().max(1)) - 1;
        times
            .get(index)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    };
    format!(
        "{name:<44} {:>9.2} {:>9.2} {:>9.2}\n",
        at(0.5),
        at(0.99),
        at(1.0)
    )
}
