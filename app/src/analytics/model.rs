//! What the analytics widgets and the admin screen show.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// The RFM windows the widget toggles between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RfmWindow {
    /// The last 7 days.
    Week,
    /// The last 30 days.
    Month,
    /// Everything.
    Lifetime,
}

impl RfmWindow {
    /// Every window, in toggle order.
    pub const ALL: [RfmWindow; 3] = [Self::Week, Self::Month, Self::Lifetime];

    /// Length in days; `None` for lifetime.
    pub fn days(self) -> Option<i64> {
        match self {
            Self::Week => Some(7),
            Self::Month => Some(30),
            Self::Lifetime => None,
        }
    }

    /// Toggle label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Week => "7 days",
            Self::Month => "30 days",
            Self::Lifetime => "Lifetime",
        }
    }
}

/// Recency, frequency and monetary value in one window.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Rfm {
    /// Days since the last purchase in the window; `None` without one.
    pub recency_days: Option<f64>,
    /// Purchases in the window.
    pub frequency: f64,
    /// Spend in the window, minor units.
    pub monetary_cents: f64,
}

/// The customer's RFM in a window beside the median of the base.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RfmComparison {
    /// The window.
    pub window: RfmWindow,
    /// This customer, now.
    pub customer: Rfm,
    /// Medians of the analysed base at the last refresh; recency over those who bought in
    /// the window. `None` before the first refresh.
    pub base_median: Option<Rfm>,
}

/// Fitted model parameters of a refresh.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct FittedModels {
    /// BG/NBD r.
    pub r: f64,
    /// BG/NBD α (weeks).
    pub alpha: f64,
    /// BG/NBD a.
    pub a: f64,
    /// BG/NBD b.
    pub b: f64,
    /// Gamma-Gamma p.
    pub p: f64,
    /// Gamma-Gamma q.
    pub q: f64,
    /// Gamma-Gamma γ.
    pub v: f64,
}

/// How a refresh values customers: set on the admin screen.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClvSettings {
    /// CLV horizon in months.
    pub horizon_months: u32,
    /// Discount rate per month, as a fraction (0.01 = 1 %).
    pub monthly_discount: f64,
    /// Hours between scheduled refreshes.
    pub refresh_hours: u32,
}

impl Default for ClvSettings {
    fn default() -> Self {
        Self {
            horizon_months: 12,
            monthly_discount: 0.01,
            refresh_hours: 24,
        }
    }
}

/// What a finished refresh found, stored with it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct RunSummary {
    /// Parameters fitted.
    pub models: FittedModels,
    /// The valuation settings used.
    pub clv_horizon_months: u32,
    /// Monthly discount rate used.
    pub monthly_discount: f64,
    /// Base medians per window, in [`RfmWindow::ALL`] order.
    pub medians: Vec<Rfm>,
    /// Baskets mined for affinities.
    pub baskets: u64,
    /// Association rules kept.
    pub rules: u64,
    /// Milliseconds spent reading, fitting, scoring and writing.
    pub timings_ms: Vec<(String, u64)>,
}

/// One refresh of the analytics, as the admin screen lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyticsRun {
    /// Run id.
    pub id: String,
    /// `start`, `schedule`, `admin` or `command`.
    pub trigger_kind: String,
    /// Email of the admin who asked for it.
    pub requested_by: Option<String>,
    /// When it began.
    pub started_at: EpochMillis,
    /// When it ended, if it has.
    pub finished_at: Option<EpochMillis>,
    /// `running`, `succeeded` or `failed`.
    pub status: String,
    /// Customers scored.
    pub customers_scored: i64,
    /// Customers left out (restricted processing, test profiles).
    pub customers_left_out: i64,
    /// What it found (succeeded runs).
    pub summary: Option<RunSummary>,
    /// Why it failed.
    pub error: Option<String>,
}

/// One customer's scores from the last refresh.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerScore {
    /// Purchases after the first (on distinct days).
    pub repeat_purchases: i64,
    /// Probability the customer is still active (BG/NBD).
    pub p_alive: f64,
    /// Percentile of P(alive) in the base (0–100).
    pub p_alive_rank: f64,
    /// Purchases expected in the next 52 weeks.
    pub expected_purchases: f64,
    /// Expected spend per purchase, minor units (Gamma-Gamma).
    pub expected_spend_cents: i64,
    /// Discounted lifetime value over the horizon, minor units.
    pub clv_cents: i64,
    /// Percentile of the CLV in the base (0–100).
    pub clv_rank: f64,
}

/// A product the customer is likely to buy next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affinity {
    /// SKU.
    pub sku: String,
    /// Product name.
    pub name: String,
    /// Share of baskets with `because` that also hold this product.
    pub probability: f64,
    /// How many times more often than in the average basket.
    pub lift: f64,
    /// The product the customer buys that points here.
    pub because: String,
}

/// Why a customer has no scores, or that they have them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Coverage {
    /// Scored by the last refresh.
    Scored,
    /// Processing is restricted (GDPR art. 18): left out of analytics.
    Restricted,
    /// A test profile: left out so it does not skew the base.
    TestProfile,
    /// No purchase yet: nothing to model.
    NoPurchases,
    /// Bought since the last refresh, or no refresh has run yet.
    AwaitingRefresh,
}

/// Everything the analytics widgets of one profile show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerAnalytics {
    /// Whether the customer is analysed.
    pub coverage: Coverage,
    /// RFM per window, in [`RfmWindow::ALL`] order.
    pub rfm: Vec<RfmComparison>,
    /// Scores of the last refresh.
    pub score: Option<CustomerScore>,
    /// Likely next products.
    pub affinities: Vec<Affinity>,
    /// When the shown scores were computed.
    pub fitted_at: Option<EpochMillis>,
    /// The CLV horizon of those scores, months.
    pub clv_horizon_months: u32,
    /// The currency the money figures are in (the organisation's; other currencies' purchases
    /// are not counted).
    pub currency: String,
}

/// The admin screen: settings, whether a refresh is running, and the latest refreshes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyticsOverview {
    /// Valuation and schedule.
    pub settings: ClvSettings,
    /// A refresh is running in this server now.
    pub running: bool,
    /// The latest refreshes, newest first.
    pub runs: Vec<AnalyticsRun>,
}
