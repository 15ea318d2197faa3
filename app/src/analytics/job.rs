//! The analytics refresh: read every analysable customer's purchases, fit BG/NBD and
//! Gamma-Gamma, score and rank everyone, mine association rules, and replace the stored
//! results in one transaction. Runs on start when stale, on a schedule, and on demand.

use super::affinity::{basket_skus, BasketMiner};
use super::base::{summarise, Purchase, RfmBase};
use super::db::{self, RuleRow, ScoreRow};
use super::model::{ClvSettings, CustomerScore, FittedModels, RunSummary};
use super::stats::{self, BgNbd, GammaGamma, ScoringPlan, Summary};
use crate::auth::CurrentUser;
use crate::change::Change;
use crate::state::AppState;
use crate::store::Db;
use crate::time::now_millis;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Expected purchases are shown for the next year.
const PURCHASES_WEEKS: f64 = 52.0;
/// How often the scheduler looks whether a refresh is due.
const SCHEDULER_TICK: Duration = Duration::from_secs(60);
/// After a failed refresh the scheduler waits this long before trying again.
const RETRY_AFTER_MS: i64 = 60 * 60 * 1000;

/// What one refresh did.
#[derive(Debug, Clone)]
pub struct RefreshReport {
    /// Run id.
    pub run_id: String,
    /// Customers scored.
    pub scored: usize,
    /// Customers left out (restricted, test).
    pub left_out: i64,
    /// What the run stored.
    pub summary: RunSummary,
    /// Wall time.
    pub seconds: f64,
}

impl std::fmt::Display for RefreshReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = &self.summary.models;
        write!(
            f,
            "scored {} customers ({} left out) in {:.2} s; BG/NBD r={:.4} alpha={:.4} a={:.4} \
             b={:.4}; Gamma-Gamma p={:.4} q={:.4} v={:.4}; {} baskets, {} rules; stages (ms): {}",
            self.scored,
            self.left_out,
            self.seconds,
            m.r,
            m.alpha,
            m.a,
            m.b,
            m.p,
            m.q,
            m.v,
            self.summary.baskets,
            self.summary.rules,
            self.summary
                .timings_ms
                .iter()
                .map(|(stage, ms)| format!("{stage} {ms}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Runs one refresh now, recording it as triggered by `trigger_kind` (and `requested_by`).
pub async fn refresh(
    state: &AppState,
    trigger_kind: &str,
    requested_by: Option<&str>,
) -> Result<RefreshReport, String> {
    let db = &state.db;
    let run_id = db::start_run(db, trigger_kind, requested_by, now_millis())
        .await
        .map_err(|e| e.to_string())?;
    match refresh_run(state, &run_id).await {
        Ok(report) => Ok(report),
        Err(error) => {
            if let Err(e) = db::fail_run(db, &run_id, &error, now_millis()).await {
                tracing::error!(error = %e, "cannot record the failed analytics refresh");
            }
            Err(error)
        }
    }
}

async fn refresh_run(state: &AppState, run_id: &str) -> Result<RefreshReport, String> {
    let db = &state.db;
    let started = Instant::now();
    let settings = db::clv_settings(db).await.map_err(|e| e.to_string())?;
    let now = now_millis();
    let (analysable, left_out) = db::coverage_counts(db).await.map_err(|e| e.to_string())?;
    let loaded = load(db, now).await?;
    let read_ms = started.elapsed().as_millis() as u64;
    let base_size = usize::try_from(analysable).unwrap_or(0);
    let mut computed = tokio::task::spawn_blocking(move || compute(loaded, &settings, base_size))
        .await
        .map_err(|e| format!("the analytics computation stopped: {e}"))??;
    computed
        .summary
        .timings_ms
        .insert(0, ("read".into(), read_ms));
    let writing = Instant::now();
    // Scores are derived data: open profiles read them on their next look rather than being
    // told of every customer at once.
    let actor = CurrentUser::system("analytics", "Analytics");
    let mut change = Change::begin(state, &actor)
        .await
        .map_err(|e| e.to_string())?;
    computed.summary.timings_ms.push(("write".into(), 0));
    db::replace_results(
        change.tx(),
        run_id,
        now,
        &computed.scores,
        &computed.rules,
        &computed.summary,
        left_out,
    )
    .await
    .map_err(|e| e.to_string())?;
    change.commit().await.map_err(|e| e.to_string())?;
    if let Some(last) = computed.summary.timings_ms.last_mut() {
        last.1 = writing.elapsed().as_millis() as u64;
    }
    Ok(RefreshReport {
        run_id: run_id.to_string(),
        scored: computed.scores.len(),
        left_out,
        summary: computed.summary,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Everything read from the database for one refresh.
struct Loaded {
    customer_ids: Vec<String>,
    summaries: Vec<Summary>,
    rfm: RfmBase,
    miner: BasketMiner,
}

/// Rows handed from the reader to the aggregator at a time.
const ROW_BATCH: usize = 4_096;

/// Reads every purchase with one sequential scan while a blocking thread groups them by
/// customer and counts baskets, then summarises each customer.
async fn load(db: &Db, now: i64) -> Result<Loaded, String> {
    let left_out: HashSet<String> = db::left_out_customers(db)
        .await
        .map_err(|e| e.to_string())?
        .into_iter()
        .collect();
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<db::PurchaseRow>>(8);
    let aggregator = tokio::task::spawn_blocking(move || {
        let mut by_customer = Grouped::default();
        for batch in receiver {
            for row in batch {
                if row.occurred_at > now || left_out.contains(&row.customer_id) {
                    continue;
                }
                by_customer.add(row);
            }
        }
        by_customer.finish(now)
    });
    let currency = crate::settings::service::currency(db)
        .await
        .map_err(|e| e.to_string())?;
    let read =
        db::each_purchase_batch(db, &currency, ROW_BATCH, |batch| sender.send(batch).is_ok());
    let read_result = read.await.map_err(|e| e.to_string());
    drop(sender);
    let loaded = aggregator
        .await
        .map_err(|e| format!("the analytics aggregator stopped: {e}"))?;
    read_result.map(|()| loaded)
}

/// Purchases grouped by customer as they stream in, in any order.
#[derive(Default)]
struct Grouped {
    index: HashMap<String, u32>,
    customer_ids: Vec<String>,
    purchases: Vec<Vec<Purchase>>,
    miner: BasketMiner,
}

impl Grouped {
    fn add(&mut self, row: db::PurchaseRow) {
        let at = match self.index.get(&row.customer_id) {
            Some(&at) => at as usize,
            None => {
                let at = self.customer_ids.len();
                self.index.insert(row.customer_id.clone(), at as u32);
                self.customer_ids.push(row.customer_id);
                self.purchases.push(Vec::new());
                at
            }
        };
        self.purchases[at].push(Purchase {
            at: row.occurred_at,
            amount_cents: row.amount_cents.unwrap_or(0),
        });
        self.miner.add(&basket_skus(&row.payload));
    }

    fn finish(self, now: i64) -> Loaded {
        let mut rfm = RfmBase::default();
        let summaries = self
            .purchases
            .iter()
            .map(|purchases| {
                rfm.add(purchases, now);
                summarise(purchases, now)
            })
            .collect();
        Loaded {
            customer_ids: self.customer_ids,
            summaries,
            rfm,
            miner: self.miner,
        }
    }
}

/// What [`compute`] hands to the writer.
struct Computed {
    scores: Vec<ScoreRow>,
    rules: Vec<RuleRow>,
    summary: RunSummary,
}

/// Fits, scores, ranks and mines: the CPU-bound part, run off the async runtime.
fn compute(loaded: Loaded, settings: &ClvSettings, base_size: usize) -> Result<Computed, String> {
    let mut timings = Vec::new();
    let clock = Instant::now();
    let with_repeats = loaded.summaries.iter().filter(|s| s.x > 0.0).count();
    if with_repeats < 2 {
        return Err(format!(
            "not enough purchase history to fit the models: {} customers have purchases, \
             {with_repeats} have bought more than once",
            loaded.summaries.len()
        ));
    }
    let bg = BgNbd::fit(&loaded.summaries)?;
    let gg = GammaGamma::fit(&loaded.summaries)?;
    timings.push(("fit".to_string(), clock.elapsed().as_millis() as u64));
    let clock = Instant::now();
    let plan = ScoringPlan {
        purchases_weeks: PURCHASES_WEEKS,
        clv_months: settings.horizon_months,
        monthly_discount: settings.monthly_discount,
    };
    let scored = stats::parallel_map(&loaded.summaries, |s| stats::score(&bg, &gg, &plan, s));
    if scored.iter().all(Option::is_none) {
        return Err(format!(
            "the fitted models cannot value customers (Gamma-Gamma q = {:.3} must exceed 1)",
            gg.q
        ));
    }
    let kept: Vec<(usize, stats::Score)> = scored
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| s.map(|s| (i, s)))
        .collect();
    let p_alive_ranks =
        stats::percentile_ranks(&kept.iter().map(|(_, s)| s.p_alive).collect::<Vec<_>>());
    let clv_ranks = stats::percentile_ranks(&kept.iter().map(|(_, s)| s.clv).collect::<Vec<_>>());
    let scores: Vec<ScoreRow> = kept
        .iter()
        .zip(p_alive_ranks.into_iter().zip(clv_ranks))
        .map(|(&(i, s), (p_alive_rank, clv_rank))| ScoreRow {
            customer_id: loaded.customer_ids[i].clone(),
            score: CustomerScore {
                repeat_purchases: loaded.summaries[i].x as i64,
                p_alive: s.p_alive,
                p_alive_rank,
                expected_purchases: s.expected_purchases,
                expected_spend_cents: (s.expected_spend * 100.0).round() as i64,
                clv_cents: (s.clv * 100.0).round() as i64,
                clv_rank,
            },
        })
        .collect();
    timings.push(("score".to_string(), clock.elapsed().as_millis() as u64));
    let clock = Instant::now();
    let rules = loaded.miner.rules();
    timings.push(("affinities".to_string(), clock.elapsed().as_millis() as u64));
    let summary = RunSummary {
        models: FittedModels {
            r: bg.r,
            alpha: bg.alpha,
            a: bg.a,
            b: bg.b,
            p: gg.p,
            q: gg.q,
            v: gg.v,
        },
        clv_horizon_months: settings.horizon_months,
        monthly_discount: settings.monthly_discount,
        medians: loaded.rfm.medians(base_size),
        baskets: loaded.miner.baskets(),
        rules: rules.len() as u64,
        timings_ms: timings,
    };
    Ok(Computed {
        scores,
        rules,
        summary,
    })
}

/// Starts refreshes in the background, one at a time, and schedules them.
#[derive(Debug, Clone, Default)]
pub struct AnalyticsJob {
    running: Arc<AtomicBool>,
}

impl AnalyticsJob {
    /// Whether a refresh is running in this server.
    pub fn is_running(&self) -> bool {
        self.running.load(Ordering::SeqCst)
    }

    /// Starts a refresh in the background; `false` when one is already running.
    pub fn start(
        &self,
        state: AppState,
        trigger_kind: &'static str,
        requested_by: Option<String>,
    ) -> bool {
        if self.running.swap(true, Ordering::SeqCst) {
            return false;
        }
        let running = self.running.clone();
        tokio::spawn(async move {
            match refresh(&state, trigger_kind, requested_by.as_deref()).await {
                Ok(report) => {
                    tracing::info!(trigger = trigger_kind, "analytics refreshed: {report}")
                }
                Err(error) => {
                    tracing::warn!(trigger = trigger_kind, %error, "analytics refresh failed")
                }
            }
            running.store(false, Ordering::SeqCst);
        });
        true
    }

    /// Refreshes on start when the stored results are stale (or missing), then whenever
    /// the refresh interval of the settings has passed; a failed refresh is retried after
    /// an hour.
    pub fn schedule(self, state: AppState) {
        tokio::spawn(async move {
            let db = state.db.clone();
            if let Err(e) = db::fail_interrupted_runs(&db, now_millis()).await {
                tracing::error!(error = %e, "cannot tidy interrupted analytics refreshes");
            }
            let mut trigger_kind = "start";
            loop {
                match self.due(&db).await {
                    Ok(true) => {
                        self.start(state.clone(), trigger_kind, None);
                    }
                    Ok(false) => {}
                    Err(e) => tracing::error!(error = %e, "cannot read the analytics schedule"),
                }
                trigger_kind = "schedule";
                tokio::time::sleep(SCHEDULER_TICK).await;
            }
        });
    }

    async fn due(&self, db: &Db) -> Result<bool, sqlx::Error> {
        if self.is_running() {
            return Ok(false);
        }
        let now = now_millis();
        let interval_ms = i64::from(db::clv_settings(db).await?.refresh_hours.max(1)) * 3_600_000;
        let runs = db::recent_runs(db, 1).await?;
        let last_success = db::last_success(db).await?;
        if let Some(last) = runs.first() {
            let failed_recently = last.status == "failed" && now - last.started_at < RETRY_AFTER_MS;
            if failed_recently {
                return Ok(false);
            }
        }
        Ok(last_success.is_none_or(|run| now - run.started_at >= interval_ms))
    }
}
