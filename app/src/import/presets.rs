//! The exports of the systems brands come from (HubSpot, Salesforce, Mailchimp, Shopify, Zoho
//! CRM, Klaviyo, WooCommerce), recognised from a file's header so that it imports as exported.
//! A preset is data, in `presets.json` beside this file: the columns that tell it, and what each
//! of its columns fills. Adding a source is adding an entry there.

use super::columns::normalised_name;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// What one source's exports look like.
#[derive(Debug, Deserialize)]
pub struct Preset {
    /// The source, as its ids are kept (`shopify` → `shopify:<id>`).
    pub id: String,
    /// As the console names it.
    pub name: String,
    /// Lists of columns (normalised names); a header holding every column of one list is
    /// this source's.
    detect: Vec<Vec<String>>,
    /// Normalised column name → what it fills.
    columns: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct PresetsFile {
    presets: Vec<Preset>,
}

static PRESETS: LazyLock<Vec<Preset>> = LazyLock::new(|| {
    serde_json::from_str::<PresetsFile>(include_str!("presets.json"))
        .expect("presets.json is the presets' own file, checked by its tests")
        .presets
});

/// Every preset.
pub fn all() -> &'static [Preset] {
    &PRESETS
}

/// The preset of a file with `headers`: of those the header tells, the one that knows most
/// of its columns.
pub fn detect(headers: &[String]) -> Option<&'static Preset> {
    let names: Vec<String> = headers.iter().map(|h| normalised_name(h)).collect();
    all()
        .iter()
        .filter(|preset| preset.tells(&names))
        .max_by_key(|preset| {
            names
                .iter()
                .filter(|n| preset.columns.contains_key(*n))
                .count()
        })
}

impl Preset {
    fn tells(&self, names: &[String]) -> bool {
        self.detect
            .iter()
            .any(|list| list.iter().all(|column| names.contains(column)))
    }

    /// What the column named `column` fills in this source's exports.
    pub fn target_of(&self, column: &str) -> Option<&str> {
        self.columns
            .get(&normalised_name(column))
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::is_target;

    #[test]
    fn every_preset_fills_targets_the_console_has() {
        assert_eq!(all().len(), 8);
        for preset in all() {
            for (column, target) in &preset.columns {
                assert!(
                    is_target(target, &[]),
                    "{}: {column} → {target}",
                    preset.name
                );
                assert_eq!(normalised_name(column), *column, "{}", preset.name);
            }
            for list in &preset.detect {
                for column in list {
                    assert!(
                        preset.columns.contains_key(column),
                        "{}: {column}",
                        preset.name
                    );
                }
            }
        }
    }

    #[test]
    fn a_plain_file_is_no_source() {
        let headers = ["email", "First name", "Phone"].map(String::from);
        assert!(detect(&headers).is_none());
    }
}
