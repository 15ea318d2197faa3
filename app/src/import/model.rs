//! What an import is, as the browser and the server both see it: its kind, state, counts and
//! column mapping, and the refused rows.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Largest file the console accepts through the browser (the command line streams any size).
pub const MAX_UPLOAD_BYTES: u64 = 1024 * 1024 * 1024;

/// What a file brings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Customers, created or updated by any identifier (CSV or NDJSON).
    Customers,
    /// Historical events, one JSON object a line, as the ingest API takes them.
    Events,
}

impl ImportKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customers => "customers",
            Self::Events => "events",
        }
    }

    /// The kind stored as `name`.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Customers, Self::Events]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// The file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportFormat {
    /// Comma-separated, a header row naming the columns.
    Csv,
    /// One JSON object a line.
    Ndjson,
}

impl ImportFormat {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Ndjson => "ndjson",
        }
    }

    /// The format stored as `name`.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Csv, Self::Ndjson]
            .into_iter()
            .find(|f| f.as_str() == name)
    }

    /// The format of a file, from its first bytes: a `{` (after a byte-order mark and white
    /// space) is NDJSON, anything else is taken for CSV.
    pub fn sniff(head: &[u8]) -> Self {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        match head.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Self::Ndjson,
            _ => Self::Csv,
        }
    }
}

/// Where an import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Uploaded; mapping and a dry run may follow.
    Ready,
    /// Running (a dry run or the import).
    Running,
    /// Asked to stop after the batch in hand.
    Stopping,
    /// Stopped by a user, or cut off (server restart, error): can resume.
    Stopped,
    /// Could not run at all (the file is not what it says); `message` says why.
    Failed,
    /// A dry run that finished: nothing was written.
    Checked,
    /// Finished.
    Done,
}

impl ImportStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::Running => "running",
            Self::Stopping => "stopping",
            Self::Stopped => "stopped",
            Self::Failed => "failed",
            Self::Checked => "checked",
            Self::Done => "done",
        }
    }

    /// The status stored as `name`.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Ready,
            Self::Running,
            Self::Stopping,
            Self::Stopped,
            Self::Failed,
            Self::Checked,
            Self::Done,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// Whether a batch is being processed or about to be.
    pub fn is_active(self) -> bool {
        matches!(self, Self::Running | Self::Stopping)
    }
}

/// What one column of a customers file fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ColumnMapping {
    /// A customer field (`email`, `first_name`, …), `external_id:<source>`,
    /// `attribute:<name>`, or `ignore`.
    pub target: String,
    /// Whether an empty cell clears the stored value (otherwise it is left alone).
    #[serde(default)]
    pub clear_when_empty: bool,
}

/// Column name as in the file → what it fills.
pub type Mapping = BTreeMap<String, ColumnMapping>;

/// What a column leaves out.
pub const IGNORE: &str = "ignore";

/// How a column filling the external id with a source's own ids starts its target:
/// `external_id:shopify` keeps `123` as `shopify:123`.
pub const SOURCE_ID: &str = "external_id:";

/// The field a target fills: `external_id:shopify` fills `external_id`,
/// `date_of_birth:day_first` fills `date_of_birth`.
#[cfg(feature = "ssr")]
pub fn field_of(target: &str) -> &str {
    match target.split_once(':') {
        Some((field @ ("external_id" | "date_of_birth"), _)) => field,
        _ => target,
    }
}

/// The customer fields a column can fill: (name, label).
pub const CUSTOMER_FIELDS: [(&str, &str); 21] = [
    ("customer_id", "Customer id (this console's)"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("card_number", "Card number"),
    ("external_id", "External id"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("full_name", "Full name (first word the first name)"),
    ("date_of_birth", "Date of birth"),
    (
        "date_of_birth:day_first",
        "Date of birth, day first (31/12/1990)",
    ),
    (
        "date_of_birth:month_first",
        "Date of birth, month first (12/31/1990)",
    ),
    ("address_line", "Address"),
    ("city", "City"),
    ("postal_code", "Postal code"),
    ("country", "Country (name or ISO code)"),
    ("email_opt_in", "Email opt-in (yes / no)"),
    ("sms_opt_in", "SMS opt-in (yes / no)"),
    ("push_opt_in", "Push opt-in (yes / no)"),
    ("email_opt_out", "Email opt-out (yes: no emails)"),
    ("sms_opt_out", "SMS opt-out (yes: no texts)"),
    ("is_test", "Test persona (yes / no)"),
];

/// The fields that find a customer.
#[cfg(feature = "ssr")]
pub const IDENTIFIER_FIELDS: [&str; 5] = [
    "customer_id",
    "email",
    "phone",
    "card_number",
    "external_id",
];

/// One import as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportJob {
    /// Its id.
    pub id: String,
    /// Customers or events.
    pub kind: ImportKind,
    /// CSV or NDJSON.
    pub format: ImportFormat,
    /// The file's name as uploaded or given.
    pub file_name: String,
    /// Its size.
    pub file_bytes: i64,
    /// The column mapping in use (customers).
    pub mapping: Mapping,
    /// Whether the last run was a dry run.
    pub dry_run: bool,
    /// Where it is.
    pub status: ImportStatus,
    /// Why it failed or stopped, or what a finished run adds.
    pub message: Option<String>,
    /// Data rows read and settled (the header not counted).
    pub rows_done: i64,
    /// How far into the file, in bytes.
    pub bytes_done: i64,
    /// Customers created, or events stored.
    pub created: i64,
    /// Customers updated.
    pub updated: i64,
    /// Rows that changed nothing (events stored before).
    pub unchanged: i64,
    /// Rows refused.
    pub rejected: i64,
    /// Values left out of customers who came in (a bad optional value costs the value, not
    /// the customer).
    #[serde(default)]
    pub left_out: i64,
    /// The text encoding the file came in, when not UTF-8 (it was read as such).
    #[serde(default)]
    pub encoding: Option<String>,
    /// Who uploaded it.
    pub created_by: String,
    /// When (epoch ms).
    pub created_at: i64,
    /// When the last run started.
    pub started_at: Option<i64>,
    /// When the last batch was settled.
    pub progress_at: Option<i64>,
    /// When the last run ended.
    pub finished_at: Option<i64>,
    /// An events import's second step: storing the events it kept, by customer.
    pub storing: bool,
    /// Events kept while reading the file, to store in the second step.
    pub staged: i64,
    /// Of those, how many the second step has handled.
    pub staged_done: i64,
    /// Where this run went on from, when it is a resume.
    pub resumed: Option<Resumed>,
}

/// Where a resumed import's run started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resumed {
    /// When, in epoch milliseconds.
    pub at: i64,
    /// The rows done before.
    pub rows: i64,
    /// The share of the work done before, in millionths.
    pub share_ppm: i64,
}

impl ImportJob {
    /// The error for an id no import has.
    pub fn not_found(id: &str) -> crate::error::AppError {
        crate::error::AppError::NotFound(format!("There is no import with id {id}."))
    }

    /// Rows a second over the run so far, once a batch is settled.
    pub fn rows_per_second(&self) -> Option<f64> {
        let (since, rows_before, _) = self.this_run()?;
        let elapsed = self.progress_at? - since;
        let rows = self.rows_done - rows_before;
        (elapsed > 0 && rows > 0).then(|| rows as f64 * 1000.0 / elapsed as f64)
    }

    /// Seconds left at the pace of this run (since it started or was last resumed: the time
    /// it sat stopped does not count), from the work still to do.
    pub fn seconds_left(&self) -> Option<i64> {
        let (since, _, share_before) = self.this_run()?;
        let elapsed = self.progress_at? - since;
        let done = self.done_share();
        let done_now = done - share_before;
        if elapsed <= 0 || done_now <= 0.0 {
            return None;
        }
        Some(((1.0 - done) * elapsed as f64 / done_now / 1000.0).ceil() as i64)
    }

    /// When this run started, and the rows and share done before it.
    fn this_run(&self) -> Option<(i64, i64, f64)> {
        match &self.resumed {
            Some(r) => Some((r.at, r.rows, r.share_ppm as f64 / 1_000_000.0)),
            None => Some((self.started_at?, 0, 0.0)),
        }
    }

    /// How far, 0 to 100.
    pub fn percent(&self) -> i64 {
        ((self.done_share() * 100.0) as i64).clamp(0, 100)
    }

    /// The share of the work done, 0 to 1: the bytes read, and for an events import (which
    /// reads the file, then stores what it kept) the events stored, each step weighed by the
    /// share of the time it takes ([`READING_SHARE`]).
    pub fn done_share(&self) -> f64 {
        let read = if self.file_bytes <= 0 {
            1.0
        } else {
            (self.bytes_done as f64 / self.file_bytes as f64).clamp(0.0, 1.0)
        };
        if self.status == ImportStatus::Done {
            // Kept events a forget removed meanwhile are never stored.
            return 1.0;
        }
        if self.kind == ImportKind::Customers || self.dry_run {
            return read;
        }
        let stored = if !self.storing {
            0.0
        } else if self.staged <= 0 {
            1.0
        } else {
            (self.staged_done as f64 / self.staged as f64).clamp(0.0, 1.0)
        };
        READING_SHARE * read + (1.0 - READING_SHARE) * stored
    }
}

/// The share of an events import's time spent reading the file (checking and matching each
/// line); the rest is storing the kept events by customer. Measured on the benchmark.
pub const READING_SHARE: f64 = 0.5;

/// One refused row's problem: the row (as a spreadsheet numbers it, the header being row 1; a
/// line for NDJSON), the column or JSON field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// Row or line number.
    pub row: i64,
    /// The column (CSV) or field path (NDJSON); empty for the row as a whole.
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// The row came in without this value (a bad optional value); otherwise the row was
    /// refused.
    #[serde(default)]
    pub left_out: bool,
}

impl RowProblem {
    /// A problem at `field` of `row`.
    pub fn new(row: i64, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            row,
            field: field.into(),
            message: message.into(),
            left_out: false,
        }
    }

    /// A value at `field` of `row` left out of a customer who came in regardless.
    pub fn left_out(row: i64, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            left_out: true,
            ..Self::new(row, field, message)
        }
    }
}

/// An import's page: the job, the file's columns with their mapping, and the first refused rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportDetail {
    /// The job.
    pub job: ImportJob,
    /// The file's columns, in order, each with what it fills (customers files).
    pub columns: Vec<(String, ColumnMapping)>,
    /// What is wrong with the file as a whole (no header, unknown columns…); the import
    /// cannot run until these are mended.
    pub file_problems: Vec<RowProblem>,
    /// The declared profile attributes a column can fill: (name, label).
    pub attributes: Vec<(String, String)>,
    /// The first refused rows' problems.
    pub rejections: Vec<RowProblem>,
    /// The system the file was exported from, when its header tells (its preset's name).
    pub source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running(rows_done: i64, bytes_done: i64, resumed: Option<Resumed>) -> ImportJob {
        ImportJob {
            id: "i".into(),
            kind: ImportKind::Customers,
            format: ImportFormat::Csv,
            file_name: "f.csv".into(),
            file_bytes: 1_000,
            mapping: Mapping::new(),
            dry_run: false,
            status: ImportStatus::Running,
            message: None,
            rows_done,
            bytes_done,
            created: 0,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            left_out: 0,
            encoding: None,
            created_by: "a".into(),
            created_at: 0,
            started_at: Some(0),
            progress_at: Some(1_000_000),
            finished_at: None,
            storing: false,
            staged: 0,
            staged_done: 0,
            resumed,
        }
    }

    #[test]
    fn a_resumed_imports_pace_counts_its_running_time_only() {
        // Half done in its first 10 s, stopped for 15 minutes, resumed, and 10 s later 3/4 done.
        let resumed = Resumed {
            at: 990_000,
            rows: 500,
            share_ppm: 500_000,
        };
        let job = running(750, 750, Some(resumed));
        assert_eq!(job.rows_per_second(), Some(25.0));
        assert_eq!(job.seconds_left(), Some(10));
        // Counted from the first start, the stop would make it look 100 times slower.
        let unresumed = running(750, 750, None);
        assert_eq!(unresumed.seconds_left(), Some(334));
    }
}
