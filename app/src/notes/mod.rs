//! Notes agents keep on a customer: the Notes tab, the notes widget on the Activity tab, and
//! the configurable list of note reasons.

mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod model;
mod panel;
mod reasons;
#[cfg(feature = "ssr")]
pub mod service;

pub use api::{
    add_note, delete_note, delete_note_reason, edit_note, list_note_reasons, list_notes,
    save_note_reason,
};
pub use model::{check_body, Note, NoteReason, MAX_NOTE_CHARS};
pub use panel::{NotesPanel, NotesTab};
pub use reasons::NoteReasonSettings;
