//! `customer-profiles analytics fit --rfm-csv FILE`: fits both models to a CSV of customer
//! summaries (columns `ID,x,t_x,T,zbar`, weeks) and prints the parameters as JSON; with
//! `--scores-out` it also writes each customer's scores.

use app::analytics::stats::{self, BgNbd, GammaGamma, ScoringPlan, Summary};
use clap::Args;
use serde_json::json;
use std::path::PathBuf;
use std::time::Instant;

/// Options of `analytics fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// CSV with a header and the columns ID, x (repeat purchases), t_x (recency), T (age) and
    /// zbar (average spend of the repeat purchases); times in weeks.
    #[arg(long)]
    pub rfm_csv: PathBuf,
    /// Write per ID: p_alive, expected purchases in the next 52 weeks, expected average spend
    /// and the 12-month CLV (monthly discount rate 0.01).
    #[arg(long)]
    pub scores_out: Option<PathBuf>,
}

/// Runs `analytics fit`: the JSON report on success, one line saying what is wrong otherwise.
pub fn run(args: &FitArgs) -> Result<String, String> {
    let started = Instant::now();
    let (ids, customers) = read_summaries(&args.rfm_csv)?;
    let bg = BgNbd::fit(&customers)?;
    let gg = GammaGamma::fit(&customers)?;
    let log_likelihood: f64 = customers.iter().map(|c| bg.log_likelihood(c)).sum();
    if let Some(path) = &args.scores_out {
        write_scores(path, &ids, &customers, &bg, &gg)?;
    }
    let report = json!({
        "customers": customers.len(),
        "bg_nbd": bg,
        "bg_nbd_log_likelihood": log_likelihood,
        "gamma_gamma": gg,
        "gamma_gamma_customers": customers.iter().filter(|c| c.x > 0.0 && c.zbar > 0.0).count(),
        "seconds": started.elapsed().as_secs_f64(),
    });
    serde_json::to_string_pretty(&report).map_err(|e| e.to_string())
}

/// The IDs and summaries of `path`, or the first bad line and column.
fn read_summaries(path: &PathBuf) -> Result<(Vec<String>, Vec<Summary>), String> {
    let file = path.display();
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("{file}: {e}"))?;
    let headers = reader
        .headers()
        .map_err(|e| format!("{file}: {e}"))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| {
                format!("{file}: no column {name} (the columns must be ID,x,t_x,T,zbar)")
            })
    };
    let columns = [
        column("ID")?,
        column("x")?,
        column("t_x")?,
        column("T")?,
        column("zbar")?,
    ];
    let (mut ids, mut customers) = (Vec::new(), Vec::new());
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| format!("{file} line {line}: {e}"))?;
        let number = |i: usize, name: &str| -> Result<f64, String> {
            let text = record.get(columns[i]).unwrap_or("").trim();
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
                _ => Err(format!(
                    "{file} line {line}, column {name}: “{text}” is not a number ≥ 0"
                )),
            }
        };
        let summary = Summary {
            x: number(1, "x")?,
            t_x: number(2, "t_x")?,
            age: number(3, "T")?,
            zbar: number(4, "zbar")?,
        };
        if summary.t_x > summary.age {
            return Err(format!(
                "{file} line {line}: t_x ({}) is after T ({}); recency cannot exceed age",
                summary.t_x, summary.age
            ));
        }
        ids.push(record.get(columns[0]).unwrap_or("").trim().to_string());
        customers.push(summary);
    }
    if customers.is_empty() {
        return Err(format!("{file}: no customers"));
    }
    Ok((ids, customers))
}

fn write_scores(
    path: &PathBuf,
    ids: &[String],
    customers: &[Summary],
    bg: &BgNbd,
    gg: &GammaGamma,
) -> Result<(), String> {
    let plan = ScoringPlan {
        purchases_weeks: 52.0,
        clv_months: 12,
        monthly_discount: 0.01,
    };
    let file = path.display();
    let mut writer = csv::Writer::from_path(path).map_err(|e| format!("{file}: {e}"))?;
    let fail = |e: csv::Error| format!("{file}: {e}");
    writer
        .write_record([
            "ID",
            "p_alive",
            "expected_purchases_52w",
            "expected_avg_spend",
            "clv_12m",
        ])
        .map_err(fail)?;
    for (id, customer) in ids.iter().zip(customers) {
        let score = stats::score(bg, gg, &plan, customer).ok_or_else(|| {
            format!("customer {id}: the models are undefined for these parameters")
        })?;
        writer
            .write_record([
                id.clone(),
                format!("{:.6}", score.p_alive),
                format!("{:.6}", score.expected_purchases),
                format!("{:.4}", score.expected_spend),
                format!("{:.4}", score.clv),
            ])
            .map_err(fail)?;
    }
    writer.flush().map_err(|e| format!("{file}: {e}"))
}
