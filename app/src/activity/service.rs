//! The use case behind the stream's server function: one page of a customer's events.

use crate::error::AppError;
use crate::events::{EventPage, StreamQuery};
use crate::store::Db;

/// One page of customer `customer_id`'s events, newest first: `section` limits it to a
/// sub-tab's event types, `query` to a type, a category or text (at most 100 characters);
/// `before` is the `next` cursor of the previous page.
pub async fn page(
    db: &Db,
    customer_id: &str,
    section: Option<String>,
    query: Option<StreamQuery>,
    before: Option<(i64, String)>,
) -> Result<EventPage, AppError> {
    // Empty filters travel as nothing at all in the form encoding.
    let query = query.unwrap_or_default();
    let registry = crate::events::db::registry(db).await?;
    let types = event_types(&registry, section.as_deref(), &query)?;
    let types: Vec<&str> = types.iter().map(String::as_str).collect();
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if search.is_some_and(|q| q.chars().count() > 100) {
        return Err(AppError::validation(
            "q",
            "Search for at most 100 characters.",
        ));
    }
    let filter = crate::events::db::Filter {
        types: &types,
        search,
    };
    let page_size = crate::events::db::PAGE_SIZE;
    Ok(crate::events::db::page(db, customer_id, &filter, before, page_size).await?)
}

/// The event types a request asks for: the section's, narrowed to one type or category.
fn event_types(
    registry: &[crate::events::EventTypeDef],
    section: Option<&str>,
    query: &StreamQuery,
) -> Result<Vec<String>, AppError> {
    let mut types: Vec<String> = match section {
        None => Vec::new(),
        Some(slug) => super::Section::find(slug)
            .ok_or_else(|| AppError::validation("section", "Unknown activity section."))?
            .event_types
            .iter()
            .map(|t| t.to_string())
            .collect(),
    };
    let narrow = |types: &mut Vec<String>, wanted: Vec<String>| {
        if types.is_empty() {
            *types = wanted;
        } else {
            types.retain(|t| wanted.contains(t));
        }
    };
    let category = query.category.as_deref().filter(|c| !c.is_empty());
    let event_type = query.event_type.as_deref().filter(|t| !t.is_empty());
    if let Some(category) = category {
        let wanted = crate::events::types_in(registry, category);
        if wanted.is_empty() {
            return Err(AppError::validation("category", "Unknown category."));
        }
        narrow(&mut types, wanted);
    }
    if let Some(event_type) = event_type {
        if !registry.iter().any(|t| t.name == event_type) {
            return Err(AppError::validation("event_type", "Unknown event type."));
        }
        narrow(&mut types, vec![event_type.to_string()]);
    }
    if types.is_empty() && (category.is_some() || event_type.is_some()) {
        // The filters exclude each other: a type no event has keeps the page empty.
        types.push(String::from("-"));
    }
    Ok(types)
}
