//! Command line: `serve` (default), `migrate` and `seed`, configured by flags or environment.

use crate::{seed, startup};
use app::access::MailConfig;
use app::auth::SessionPolicy;
use app::state::Config;
use app::store::{Db, DEFAULT_DATABASE_URL};
use app::support::ZendeskConfig;
use clap::{Args, FromArgMatches, Parser, Subcommand};
use std::net::SocketAddr;

/// Customer Profiles: a customer-care console for loyalty and marketing programmes.
#[derive(Debug, Parser)]
#[command(name = "customer-profiles", version)]
pub struct Cli {
    /// Database: sqlite://PATH (embedded, the default) or postgres://USER@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the console and the API (the default).
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Generate deterministic demo data into an empty database.
    Seed(seed::SeedArgs),
    /// Create a platform user (the first admin, say); the password is read from the terminal
    /// or, when piped, from the first line of stdin, never from a flag.
    CreateUser(crate::users::CreateUserArgs),
    /// Create a key for the ingest API and print it (the only time it is shown).
    CreateApiKey {
        /// What uses the key, e.g. "Till integration".
        #[arg(long)]
        name: String,
    },
    /// Time event ingest in batches of 1,000 (seeding customers into an empty database first).
    #[cfg(feature = "bench")]
    BenchIngest(crate::bench_ingest::BenchIngestArgs),
    /// Time events/s into a running server through each way in: raw HTTP, the Rust client,
    /// and the JavaScript SDK's two requests.
    #[cfg(feature = "bench")]
    BenchHttp(crate::bench_http::BenchHttpArgs),
    /// Customer analytics: fit the models to a CSV, import the CDNOW purchase log.
    #[command(subcommand)]
    Analytics(crate::analytics::AnalyticsCommand),
    /// Time every kind of customer search (seeding customers into an empty database first).
    #[cfg(feature = "bench")]
    BenchSearch(crate::bench::BenchArgs),
    /// Time likely-duplicate checks, and a merge and undo of a customer with many events.
    #[cfg(feature = "bench")]
    BenchMerge(crate::bench_merge::BenchMergeArgs),
    /// Time a customers CSV import (and an events NDJSON import) beside a plain insert script.
    #[cfg(feature = "bench")]
    BenchImport(crate::bench_import::BenchImportArgs),
    /// Import customers (CSV or NDJSON) or historical events (NDJSON) from a file.
    #[command(subcommand)]
    Import(crate::import::ImportCommand),
    /// Move everything this (SQLite) installation holds to an empty PostgreSQL or Citus
    /// database, then verify it table by table.
    Move(crate::moving::MoveArgs),
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: Option<SocketAddr>,
    /// Seed this many demo customers when the database has none (0: never).
    #[arg(long, env = "DEMO_CUSTOMERS", default_value_t = 0)]
    pub demo_customers: usize,
    /// A session unused for this many seconds ends.
    #[arg(long, env = "SESSION_IDLE_SECS", default_value_t = 30 * 60)]
    pub session_idle_secs: i64,
    /// A session ends this many seconds after sign-in, used or not.
    #[arg(long, env = "SESSION_MAX_SECS", default_value_t = 12 * 60 * 60)]
    pub session_max_secs: i64,
    /// SMTP server for customer emails (password reset), e.g. smtp://mail.example.com:587
    /// or smtps://user:pass@mail.example.com; without it the console says email is off.
    #[arg(long, env = "SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Sender of customer emails.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Customer care <care@example.com>"
    )]
    pub mail_from: String,
    /// The brand's password-reset page, linked from the password-reset email.
    #[arg(
        long,
        env = "PASSWORD_RESET_URL",
        default_value = "https://example.com/reset-password"
    )]
    pub password_reset_url: String,
    /// Zendesk for the Support tab, e.g. https://brand.zendesk.com (with --zendesk-email and
    /// --zendesk-token); without it the tab says Zendesk is not connected.
    #[arg(long, env = "ZENDESK_URL")]
    pub zendesk_url: Option<String>,
    /// The Zendesk agent whose API token is used.
    #[arg(long, env = "ZENDESK_EMAIL", default_value = "")]
    pub zendesk_email: String,
    /// Zendesk API token.
    #[arg(
        long,
        env = "ZENDESK_TOKEN",
        default_value = "",
        hide_env_values = true
    )]
    pub zendesk_token: String,
    /// Run no background jobs here (the analytics refresh and tier expiry): for a second
    /// server beside one that runs them, or when `analytics refresh` runs from cron.
    #[arg(long, env = "NO_BACKGROUND_JOBS")]
    pub no_background_jobs: bool,
    /// Searches one platform user may run per minute (exact and advanced together).
    #[arg(long, env = "SEARCHES_PER_MINUTE", default_value_t = app::search::limit::DEFAULT_SEARCHES_PER_MINUTE)]
    pub searches_per_minute: u32,
    /// Signing secret of the Zendesk webhook that posts to /api/v1/webhooks/zendesk.
    #[arg(long, env = "ZENDESK_WEBHOOK_SECRET", hide_env_values = true)]
    pub zendesk_webhook_secret: Option<String>,
    /// Where files uploaded under Admin → Import are kept until imported (default: a folder
    /// in the system's temporary directory).
    #[arg(long, env = "IMPORT_DIR")]
    pub import_dir: Option<std::path::PathBuf>,
}

impl ServeArgs {
    /// The options of a bare `customer-profiles` (no subcommand): defaults and environment.
    fn from_environment() -> Result<Self, String> {
        let matches = Self::augment_args(clap::Command::new("serve"))
            .try_get_matches_from(["serve"])
            .map_err(|e| e.to_string())?;
        Self::from_arg_matches(&matches).map_err(|e| e.to_string())
    }

    fn config(&self) -> Result<Config, String> {
        let mail = match &self.smtp_url {
            Some(url) => Some(MailConfig::new(
                url,
                &self.mail_from,
                &self.password_reset_url,
            )?),
            None => None,
        };
        let zendesk = match &self.zendesk_url {
            Some(url) => Some(ZendeskConfig::new(
                url,
                &self.zendesk_email,
                &self.zendesk_token,
                self.zendesk_webhook_secret.clone(),
            )?),
            None => None,
        };
        Ok(Config {
            sessions: SessionPolicy {
                idle_ms: self.session_idle_secs.max(1) * 1000,
                absolute_ms: self.session_max_secs.max(1) * 1000,
            },
            mail,
            zendesk,
            background_jobs: !self.no_background_jobs,
            searches_per_minute: Some(self.searches_per_minute),
            import_dir: self.import_dir.clone(),
        })
    }
}

impl Cli {
    /// Runs the chosen command; the error is one line for the terminal.
    pub async fn run(self) -> Result<(), String> {
        // Fitting a CSV or a synthetic base needs no database: do not create one.
        match &self.command {
            Some(Command::Analytics(crate::analytics::AnalyticsCommand::Fit(args))) => {
                return crate::analytics::fit::run(args).map(|report| println!("{report}"));
            }
            #[cfg(feature = "bench")]
            Some(Command::Analytics(crate::analytics::AnalyticsCommand::Bench(args))) => {
                return crate::analytics::bench::run(args).map(|report| println!("{report}"));
            }
            _ => {}
        }
        let db = Db::connect(&self.database_url).await?;
        db.migrate().await?;
        // Identifiers stored under earlier reading rules are read again (once per rules).
        let state = app::state::AppState::new(db.clone(), Default::default())
            .await
            .map_err(|e| format!("cannot read the settings: {e}"))?;
        let read_again = app::identity::renormalise::run_once(&state)
            .await
            .map_err(|e| format!("cannot read the stored identifiers again: {e}"))?;
        if let Some(report) = read_again.filter(|r| r.checked > 0) {
            eprintln!("{report}");
        }
        // Amounts stored before ISO 4217 minor units are converted (once).
        let converted = app::purchases::minor_units::run_once(&state)
            .await
            .map_err(|e| format!("cannot convert the stored amounts: {e}"))?;
        if let Some(report) = converted.filter(|r| !r.converted.is_empty()) {
            eprintln!("{report}");
        }
        let command = match self.command {
            Some(command) => command,
            None => Command::Serve(ServeArgs::from_environment()?),
        };
        match command {
            Command::Migrate => {
                println!("database is up to date");
                Ok(())
            }
            Command::Seed(args) => seed::run(&db, &args)
                .await
                .map(|report| println!("{report}")),
            #[cfg(feature = "bench")]
            Command::BenchSearch(args) => crate::bench::run(&db, &args)
                .await
                .map(|report| println!("{report}")),
            #[cfg(feature = "bench")]
            Command::BenchMerge(args) => crate::bench_merge::run(&db, &args)
                .await
                .map(|report| println!("{report}")),
            #[cfg(feature = "bench")]
            Command::BenchImport(args) => crate::bench_import::run(&db, &args)
                .await
                .map(|report| println!("{report}")),
            Command::Import(command) => crate::import::run(&db, command)
                .await
                .map(|report| println!("{report}")),
            Command::CreateApiKey { name } => create_api_key(&db, &name).await,
            Command::Move(args) => crate::moving::run(&db, &args)
                .await
                .map(|report| println!("{report}")),
            Command::Analytics(command) => crate::analytics::run(&db, command)
                .await
                .map(|report| println!("{report}")),
            #[cfg(feature = "bench")]
            Command::BenchIngest(args) => crate::bench_ingest::run(&db, &args)
                .await
                .map(|report| println!("{report}")),
            #[cfg(feature = "bench")]
            Command::BenchHttp(args) => crate::bench_http::run(&db, &args)
                .await
                .map(|report| println!("{report}")),
            Command::CreateUser(args) => crate::users::create_user(&db, args)
                .await
                .map(|report| println!("{report}")),
            Command::Serve(args) => {
                if args.demo_customers > 0 {
                    seed::seed_demo_if_empty(&db, args.demo_customers).await?;
                }
                let listen = args
                    .listen
                    .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
                let app = startup::Application::build(db, args.config()?, listen).await?;
                tracing::info!("listening on http://{}", app.address());
                app.run_until_stopped().await
            }
        }
    }
}

async fn create_api_key(db: &Db, name: &str) -> Result<(), String> {
    let name = app::api_keys::db::checked_name(name)?;
    let created = app::api_keys::db::create(db.pool(), &name, None, app::time::now_millis())
        .await
        .map_err(|e| format!("cannot create the API key: {e}"))?;
    println!("API key “{name}” created. Send it in the X-Api-Key header; it is not shown again:");
    println!("{}", created.key);
    Ok(())
}
