//! Advanced search: several fields at once, name prefixes, sorting and pages. The query lives
//! in the URL, so back, forward, reload and shared links all work.

use crate::error::AppError;
use crate::identity::phone_checked;
use serde::{Deserialize, Serialize};

/// Result orders offered to agents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortOrder {
    /// Last name, then first name (the default: alphabetical).
    #[default]
    LastName,
    /// First name, then last name.
    FirstName,
    /// Phone number.
    Phone,
    /// Email address.
    Email,
}

impl SortOrder {
    /// Every order, as offered in the UI.
    pub const ALL: [SortOrder; 4] = [Self::LastName, Self::FirstName, Self::Phone, Self::Email];

    /// URL value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LastName => "last",
            Self::FirstName => "first",
            Self::Phone => "phone",
            Self::Email => "email",
        }
    }

    /// The order named `value` in a URL (unknown values fall back to last name).
    pub fn parse(value: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .unwrap_or_default()
    }
}

/// Page sizes offered to agents.
pub const PAGE_SIZES: [u32; 4] = [25, 50, 100, 200];

/// Results are counted up to this many; beyond it the page says "more than".
pub const COUNT_CAP: i64 = 10_000;

/// An advanced search as typed (and as held in the URL).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvancedQuery {
    /// First name or its beginning.
    pub first: String,
    /// Last name or its beginning.
    pub last: String,
    /// Email or its beginning.
    pub email: String,
    /// Phone number, exact.
    pub phone: String,
    /// Customer id, exact.
    pub id: String,
    /// Date of birth, `YYYY-MM-DD`.
    pub dob: String,
    /// A custom profile attribute's name, searched with `value`.
    #[serde(default)]
    pub attribute: String,
    /// The attribute's exact value.
    #[serde(default)]
    pub value: String,
    /// Order of results.
    pub sort: SortOrder,
    /// Results per page (one of [`PAGE_SIZES`]).
    pub size: u32,
    /// 1-based page number.
    pub page: u32,
}

impl AdvancedQuery {
    /// Whether any search field is filled in.
    pub fn has_criteria(&self) -> bool {
        [
            &self.first,
            &self.last,
            &self.email,
            &self.phone,
            &self.id,
            &self.dob,
            &self.value,
        ]
        .iter()
        .any(|v| !v.trim().is_empty())
    }

    /// Refuses, at the field, a filter or sort on data this user sees masked: with rows coming
    /// back exactly when a guess is right, a filter on a hidden email or birth date would
    /// reveal it one query at a time, and a sort would reveal where it falls.
    pub fn refuse_masked_fields(&self, show_pii: bool) -> Result<(), AppError> {
        if show_pii {
            return Ok(());
        }
        let refused = |field: &str, what: &str| {
            AppError::validation(
                field,
                format!(
                    "Searching by {what} needs the permission to see personal data \
                     (customers.view_pii). Search by name, or ask the customer for their \
                     phone, card or email and use the exact search above."
                ),
            )
        };
        for (field, what, value) in [
            ("email", "email", &self.email),
            ("phone", "phone", &self.phone),
            ("dob", "date of birth", &self.dob),
        ] {
            if !value.trim().is_empty() {
                return Err(refused(field, what));
            }
        }
        match self.sort {
            SortOrder::Email => Err(refused("sort", "email order")),
            SortOrder::Phone => Err(refused("sort", "phone order")),
            SortOrder::LastName | SortOrder::FirstName => Ok(()),
        }
    }

    /// The URL of this search: `/search?first=S&sort=email&…`.
    pub fn to_url(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (key, value) in [
            ("first", &self.first),
            ("last", &self.last),
            ("email", &self.email),
            ("phone", &self.phone),
            ("id", &self.id),
            ("dob", &self.dob),
            ("attribute", &self.attribute),
            ("value", &self.value),
        ] {
            if !value.trim().is_empty() {
                pairs.push((key, value.trim().to_string()));
            }
        }
        pairs.push(("sort", self.sort.as_str().to_string()));
        pairs.push(("size", self.size.to_string()));
        pairs.push(("page", self.page.max(1).to_string()));
        let query = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::words::percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        format!("/search?{query}")
    }

    /// Checks and normalises the query for the database.
    pub fn normalise(&self, region: &str) -> Result<NormalisedQuery, AppError> {
        if !self.has_criteria() {
            return Err(AppError::validation(
                "first",
                "Fill in at least one field: a name or its first letters, email, phone, id or date of birth.",
            ));
        }
        let phone = if self.phone.trim().is_empty() {
            None
        } else {
            Some(
                phone_checked(&self.phone, region)
                    .map_err(|message| AppError::validation("phone", message))?,
            )
        };
        let id = if self.id.trim().is_empty() {
            None
        } else {
            Some(
                uuid::Uuid::parse_str(self.id.trim())
                    .map_err(|_| {
                        AppError::validation(
                            "id",
                            "A customer id looks like 0190a0c6-8a4b-7c3d-9e8f-0123456789ab.",
                        )
                    })?
                    .hyphenated()
                    .to_string(),
            )
        };
        let dob = if self.dob.trim().is_empty() {
            None
        } else {
            let date =
                chrono::NaiveDate::parse_from_str(self.dob.trim(), "%Y-%m-%d").map_err(|_| {
                    AppError::validation("dob", "Enter the date of birth as YYYY-MM-DD.")
                })?;
            Some(date.format("%Y-%m-%d").to_string())
        };
        let prefix = |value: &str| {
            let key = crate::customers::search_key(value);
            (!key.is_empty()).then_some(key)
        };
        let attribute = match (self.attribute.trim(), self.value.trim()) {
            ("", "") => None,
            ("", _) => {
                return Err(AppError::validation(
                    "attribute",
                    "Choose the attribute to search by.",
                ))
            }
            (_, "") => {
                return Err(AppError::validation(
                    "value",
                    "Type the value to search for.",
                ))
            }
            (name, value) => Some((name.to_string(), value.to_string())),
        };
        Ok(NormalisedQuery {
            attribute,
            first_prefix: prefix(&self.first),
            last_prefix: prefix(&self.last),
            email_prefix: (!self.email.trim().is_empty()).then(|| self.email.trim().to_lowercase()),
            phone,
            id,
            dob,
            sort: self.sort,
            limit: if PAGE_SIZES.contains(&self.size) {
                self.size
            } else {
                PAGE_SIZES[0]
            },
            offset: u64::from(self.page.max(1) - 1)
                * u64::from(if PAGE_SIZES.contains(&self.size) {
                    self.size
                } else {
                    PAGE_SIZES[0]
                }),
        })
    }
}

/// A checked query in stored form: folded name prefixes, E.164 phone, hyphenated id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalisedQuery {
    /// Folded first-name prefix.
    pub first_prefix: Option<String>,
    /// Folded last-name prefix.
    pub last_prefix: Option<String>,
    /// Lower-case email prefix.
    pub email_prefix: Option<String>,
    /// E.164 phone.
    pub phone: Option<String>,
    /// Customer id.
    pub id: Option<String>,
    /// `YYYY-MM-DD`.
    pub dob: Option<String>,
    /// A custom attribute's name and exact value (the value as typed until the service puts it
    /// in its stored form).
    pub attribute: Option<(String, String)>,
    /// Order.
    pub sort: SortOrder,
    /// Page size.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u64,
}

/// One row of the results table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultRow {
    /// Customer id.
    pub id: String,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Email (masked without customers.view_pii).
    pub email: Option<String>,
    /// Phone (masked without customers.view_pii).
    pub phone: Option<String>,
    /// Status name.
    pub status: String,
    /// Test persona.
    pub is_test: bool,
}

/// A page of results and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResults {
    /// This page.
    pub rows: Vec<ResultRow>,
    /// Matches in all, counted up to [`COUNT_CAP`] + 1.
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_folded_prefixes_and_pages_offsets() {
        let query = AdvancedQuery {
            first: " Zoë ".into(),
            size: 50,
            page: 3,
            ..Default::default()
        };
        let normal = query.normalise("GB").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(normal.first_prefix.as_deref(), Some("zoe"));
        assert_eq!((normal.limit, normal.offset), (50, 100));
    }

    #[test]
    fn an_empty_query_and_a_bad_date_are_refused_at_their_fields() {
        let empty = AdvancedQuery::default().normalise("GB").err();
        assert!(matches!(empty, Some(AppError::Validation { .. })));
        let bad = AdvancedQuery {
            dob: "31/02/1990".into(),
            ..Default::default()
        };
        assert!(bad
            .normalise("GB")
            .err()
            .and_then(|e| e.for_field("dob"))
            .is_some());
    }

    #[test]
    fn urls_carry_the_query() {
        let query = AdvancedQuery {
            last: "O'Neil".into(),
            sort: SortOrder::Email,
            size: 100,
            page: 2,
            ..Default::default()
        };
        assert_eq!(
            query.to_url(),
            "/search?last=O%27Neil&sort=email&size=100&page=2"
        );
    }
}
