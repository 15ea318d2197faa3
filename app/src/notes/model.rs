//! Note types shared by the server and the browser.

use crate::time::EpochMillis;
use serde::{Deserialize, Serialize};

/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 4_000;

/// One note on a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Note id (UUIDv7 text).
    pub id: String,
    /// The reason it was filed under, if any.
    pub reason: Option<String>,
    /// What the agent wrote.
    pub body: String,
    /// Display name of the author.
    pub author_name: String,
    /// When it was written.
    pub created_at: EpochMillis,
    /// When it was last edited.
    pub edited_at: Option<EpochMillis>,
    /// Who last edited it (display name).
    pub edited_by: Option<String>,
}

/// A reason notes can be filed under, configured on the settings screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteReason {
    /// Stable id.
    pub id: String,
    /// What agents read and what the note stores.
    pub name: String,
}

/// The trimmed note text, or why it cannot be saved.
pub fn check_body(body: &str) -> Result<String, String> {
    let body = body.trim();
    if body.is_empty() {
        return Err("Write the note before saving it.".into());
    }
    let chars = body.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(format!(
            "Notes can be at most {MAX_NOTE_CHARS} characters; this one has {chars}."
        ));
    }
    Ok(body.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_and_oversized_notes_are_refused() {
        assert!(check_body("   ").is_err());
        assert!(check_body(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
        assert_eq!(
            check_body("  Called about points \n").as_deref(),
            Ok("Called about points")
        );
    }
}
