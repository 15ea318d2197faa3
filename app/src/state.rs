//! Server state handed to every server function through Leptos context.

use crate::auth::SessionPolicy;
use crate::error::AppError;
use crate::store::Db;

/// How the server is set up beyond its database: sessions and outside services.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// How long sessions live.
    pub sessions: SessionPolicy,
    /// Outgoing email; `None` when no SMTP server is configured.
    pub mail: Option<crate::access::MailConfig>,
    /// Zendesk for the Support tab; `None` when not connected.
    pub zendesk: Option<crate::support::ZendeskConfig>,
    /// Run the background jobs: analytics refreshes (on start when stale, then on their
    /// schedule) and tier expiry. `serve` does; tests start that work themselves.
    pub background_jobs: bool,
    /// Searches a user may run per minute (`None`: the default).
    pub searches_per_minute: Option<u32>,
    /// Where files uploaded for import are kept until imported (`None`: a folder in the
    /// system's temporary directory).
    pub import_dir: Option<std::path::PathBuf>,
}

impl Config {
    /// The folder uploaded import files are kept in.
    pub fn import_dir(&self) -> std::path::PathBuf {
        self.import_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("customer-profiles-imports"))
    }
}

/// What a request handler needs: provided once per request by the server crate.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Sessions and outside services.
    pub config: Config,
    /// Live updates to open profiles.
    pub live: crate::events::LiveHub,
    /// The analytics refresh job.
    pub analytics: crate::analytics::AnalyticsJob,
    /// Profile views not yet written to the recently viewed lists.
    pub recent: crate::recent::RecentViews,
    /// The time zone pages show dates and times in.
    pub time_zone: crate::settings::zone::ZoneSetting,
    /// Searches left per user.
    pub search_limiter: crate::search::limit::SearchLimiter,
    /// The sign-in password checks: slots, queue, fairness.
    pub passwords: crate::auth::password::PasswordGate,
    /// Third-party panels' answers, kept for their cache time.
    pub panel_answers: crate::panels::AnswerCache,
}

impl AppState {
    /// The state of a server over `db`: the time-zone setting read from it, empty live
    /// channel, analytics job and recent views, and the search allowance of `config`.
    pub async fn new(db: Db, config: Config) -> Result<Self, sqlx::Error> {
        let time_zone = crate::settings::zone::load(&db).await?;
        let searches = config
            .searches_per_minute
            .unwrap_or(crate::search::limit::DEFAULT_SEARCHES_PER_MINUTE);
        Ok(Self {
            db,
            live: crate::events::LiveHub::default(),
            analytics: crate::analytics::AnalyticsJob::default(),
            recent: crate::recent::RecentViews::default(),
            time_zone,
            search_limiter: crate::search::limit::SearchLimiter::per_minute(searches),
            passwords: crate::auth::password::PasswordGate::default(),
            panel_answers: crate::panels::AnswerCache::default(),
            config,
        })
    }
}

/// The state of the current request; `Internal` if the server forgot to provide it.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>()
        .ok_or_else(|| AppError::internal("AppState missing from the request context"))
}
