//! The tag-count projection's arithmetic: how many times each customer was given each tag,
//! and when first and last, from `tag_appended` events (ingest, import and the Tags tab).

use crate::events::NewEvent;
use serde_json::Value;
use std::collections::BTreeMap;

/// How often a customer was given one tag, and when first and last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagCount {
    /// The customer.
    pub customer_id: String,
    /// The tag.
    pub tag: String,
    /// Times appended.
    pub count: i64,
    /// First time (epoch ms).
    pub first_at: i64,
    /// Last time (epoch ms).
    pub last_at: i64,
}

/// The tag counts that `events` add up to, one per customer and tag.
pub fn counts_of<'a>(events: impl IntoIterator<Item = &'a NewEvent>) -> Vec<TagCount> {
    let mut counts: BTreeMap<(&str, &str), TagCount> = BTreeMap::new();
    for event in events
        .into_iter()
        .filter(|e| e.event_type == "tag_appended")
    {
        let Some(tag) = event.payload.get("tag").and_then(Value::as_str) else {
            continue;
        };
        let at = event.occurred_at;
        let entry = counts
            .entry((&event.customer_id, tag))
            .or_insert_with(|| TagCount {
                customer_id: event.customer_id.clone(),
                tag: tag.to_string(),
                count: 0,
                first_at: at,
                last_at: at,
            });
        entry.count += 1;
        entry.first_at = entry.first_at.min(at);
        entry.last_at = entry.last_at.max(at);
    }
    counts.into_values().collect()
}
