//! Panels' answers kept for each panel's cache time, per panel and customer, in the server's
//! memory (a restart forgets them; at most [`MAX_ENTRIES`] are kept).

use super::model::PanelAnswer;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Answers kept at most; past it the expired go, then everything.
const MAX_ENTRIES: usize = 10_000;

/// `(panel, customer)` → (kept until, epoch ms; the answer).
type Answers = HashMap<(String, String), (i64, PanelAnswer)>;

/// Answers kept per panel and customer, shared by every request.
#[derive(Debug, Clone, Default)]
pub struct AnswerCache(Arc<Mutex<Answers>>);

impl AnswerCache {
    /// The answer of `panel` for `customer` if it is still fresh at `now`.
    pub fn get(&self, panel: &str, customer: &str, now: i64) -> Option<PanelAnswer> {
        let answers = self.0.lock().ok()?;
        let (until, answer) = answers.get(&(panel.to_string(), customer.to_string()))?;
        (*until > now).then(|| answer.clone())
    }

    /// Keeps `answer` until `until`.
    pub fn put(&self, panel: &str, customer: &str, until: i64, answer: PanelAnswer, now: i64) {
        let Ok(mut answers) = self.0.lock() else {
            return;
        };
        if answers.len() >= MAX_ENTRIES {
            answers.retain(|_, (until, _)| *until > now);
            if answers.len() >= MAX_ENTRIES {
                answers.clear();
            }
        }
        answers.insert((panel.to_string(), customer.to_string()), (until, answer));
    }
}
