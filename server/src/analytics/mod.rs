//! `customer-profiles analytics …`: check the models on a CSV of summaries, import the
//! CDNOW purchase log, refresh the stored analytics now, and benchmark fitting and scoring.

#[cfg(feature = "bench")]
pub mod bench;
pub mod cdnow;
pub mod fit;

use app::store::Db;
use clap::Subcommand;
use std::time::Instant;

/// The `analytics` subcommands.
#[derive(Debug, Subcommand)]
pub enum AnalyticsCommand {
    /// Fit BG/NBD and Gamma-Gamma to a CSV of customer summaries; print the parameters as JSON.
    Fit(fit::FitArgs),
    /// Load CDNOW_master.txt as customers and purchase events.
    ImportCdnow(cdnow::ImportArgs),
    /// Refresh the stored analytics now (what the background job does) and report timings.
    Refresh,
    /// Fit and score a synthetic base of N customers drawn from the models; print timings.
    #[cfg(feature = "bench")]
    Bench(bench::BenchArgs),
}

/// Runs an `analytics` subcommand; the report goes to stdout.
pub async fn run(db: &Db, command: AnalyticsCommand) -> Result<String, String> {
    match command {
        AnalyticsCommand::Fit(args) => fit::run(&args),
        #[cfg(feature = "bench")]
        AnalyticsCommand::Bench(args) => bench::run(&args),
        AnalyticsCommand::ImportCdnow(args) => cdnow::run(db, &args).await,
        AnalyticsCommand::Refresh => {
            let clock = Instant::now();
            let state = app::state::AppState::new(db.clone(), Default::default())
                .await
                .map_err(|e| e.to_string())?;
            let report = app::analytics::job::refresh(&state, "command", None).await?;
            Ok(format!(
                "{report}\nwall time {:.2} s, peak memory (VmHWM) {}",
                clock.elapsed().as_secs_f64(),
                crate::telemetry::peak_memory()
            ))
        }
    }
}
