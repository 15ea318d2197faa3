//! Which customer field each column of a file fills: the saved mapping first, then the preset
//! of the system the file was exported from ([`super::presets`]), then the column's own name (and
//! the names files write it under: `E-mail`, `Mobile`, `Surname`, `Zip`…), then a declared
//! profile attribute of that name. A column nothing matches stops the import until it is mapped
//! or ignored, so nothing is dropped without a word. Several columns may fill one field: the
//! first non-empty one in the file's order is the customer's, and more emails and phones become
//! more identifiers of the customer.

use super::model::{
    field_of, ColumnMapping, Mapping, RowProblem, CUSTOMER_FIELDS, IDENTIFIER_FIELDS, IGNORE,
    SOURCE_ID,
};
use super::presets::Preset;

/// Other names of the customer fields, lower case with `_` between words.
/// (A bare `Id` is not among them: in another system's export it is that system's id, never
/// this console's customer id.)
const ALIASES: [(&str, &str); 44] = [
    ("e_mail", "email"),
    ("e_mail_address", "email"),
    ("email_address", "email"),
    ("mail", "email"),
    ("mobile", "phone"),
    ("mobile_number", "phone"),
    ("phone_number", "phone"),
    ("telephone", "phone"),
    ("tel", "phone"),
    ("card", "card_number"),
    ("loyalty_card", "card_number"),
    ("loyalty_card_number", "card_number"),
    ("crm_id", "external_id"),
    ("customer_number", "external_id"),
    ("firstname", "first_name"),
    ("given_name", "first_name"),
    ("forename", "first_name"),
    ("lastname", "last_name"),
    ("surname", "last_name"),
    ("family_name", "last_name"),
    ("dob", "date_of_birth"),
    ("birthday", "date_of_birth"),
    ("birth_date", "date_of_birth"),
    ("birthdate", "date_of_birth"),
    ("address", "address_line"),
    ("street", "address_line"),
    ("address_1", "address_line"),
    ("address_line_1", "address_line"),
    ("town", "city"),
    ("postcode", "postal_code"),
    ("post_code", "postal_code"),
    ("zip", "postal_code"),
    ("zip_code", "postal_code"),
    ("country_code", "country"),
    ("mailing_street", "address_line"),
    ("mailing_city", "city"),
    ("mailing_zip_postal_code", "postal_code"),
    ("mailing_postal_code", "postal_code"),
    ("mailing_country", "country"),
    ("mailing_country_code", "country"),
    ("accepts_marketing", "email_opt_in"),
    ("email_consent", "email_opt_in"),
    ("sms_consent", "sms_opt_in"),
    ("test_persona", "is_test"),
];

/// `"E-mail Address "` → `email_address`: lower case, words joined by `_`.
pub fn normalised_name(column: &str) -> String {
    let mut name = String::with_capacity(column.len());
    for c in column.trim().chars() {
        if c.is_alphanumeric() {
            name.extend(c.to_lowercase());
        } else if !name.is_empty() && !name.ends_with('_') {
            name.push('_');
        }
    }
    while name.ends_with('_') {
        name.pop();
    }
    name
}

/// Whether `target` is something a column can fill: a customer field, `external_id:<source>`
/// (a source named in lower-case letters, digits, `-` or `_`), `attribute:<name>` of a declared
/// attribute, or `ignore`.
pub fn is_target(target: &str, attributes: &[String]) -> bool {
    target == IGNORE
        || CUSTOMER_FIELDS.iter().any(|(name, _)| *name == target)
        || target.strip_prefix(SOURCE_ID).is_some_and(is_source_name)
        || target
            .strip_prefix("attribute:")
            .is_some_and(|name| attributes.iter().any(|a| a == name))
}

fn is_source_name(source: &str) -> bool {
    (1..=32).contains(&source.len())
        && source
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// What `column` fills without a saved mapping: a field of that name or alias, or a declared
/// attribute of that name.
fn guessed(column: &str, attributes: &[String]) -> Option<String> {
    let name = normalised_name(column);
    if CUSTOMER_FIELDS.iter().any(|(field, _)| *field == name) {
        return Some(name);
    }
    if let Some((_, field)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
        return Some((*field).to_string());
    }
    attributes
        .iter()
        .find(|a| **a == name || normalised_name(a) == name)
        .map(|a| format!("attribute:{a}"))
}

/// What a column (or NDJSON key) named `column` fills: the saved mapping, else the source's
/// preset (a column it ignores fills a declared attribute of its name, if there is one), else
/// its name.
pub fn target_of(
    column: &str,
    saved: &Mapping,
    preset: Option<&Preset>,
    attributes: &[String],
) -> Option<ColumnMapping> {
    if let Some(mapping) = saved.get(column) {
        if is_target(&mapping.target, attributes) {
            return Some(mapping.clone());
        }
    }
    let guess = guessed(column, attributes);
    let target = match preset.and_then(|p| p.target_of(column)) {
        Some(IGNORE)
            if guess
                .as_deref()
                .is_some_and(|g| g.starts_with("attribute:")) =>
        {
            guess
        }
        Some(target) => Some(target.to_string()),
        None => guess,
    };
    target.map(|target| ColumnMapping {
        target,
        clear_when_empty: false,
    })
}

/// Each of `headers` with what it fills, or every problem with the header (as row 1): a blank
/// or repeated column name, a column nothing matches, no column that finds a customer.
pub fn resolve(
    headers: &[String],
    saved: &Mapping,
    preset: Option<&Preset>,
    attributes: &[String],
) -> Result<Vec<(String, ColumnMapping)>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut columns: Vec<(String, ColumnMapping)> = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        let place = format!("column {} ({header})", index + 1);
        if header.trim().is_empty() {
            problems.push(RowProblem::new(
                1,
                format!("column {}", index + 1),
                "has no name in the header row; name it, or remove the column",
            ));
            continue;
        }
        if columns.iter().any(|(name, _)| name == header) {
            problems.push(RowProblem::new(1, place, "appears twice in the header row"));
            continue;
        }
        let mapping = match target_of(header, saved, preset, attributes) {
            Some(mapping) => mapping,
            None => {
                problems.push(RowProblem::new(
                    1,
                    place,
                    "is not a customer field or a declared profile attribute: choose what it \
                         fills, or ignore it",
                ));
                ColumnMapping::default()
            }
        };
        columns.push((header.clone(), mapping));
    }
    let finds_customers = columns
        .iter()
        .any(|(_, m)| IDENTIFIER_FIELDS.contains(&field_of(&m.target)));
    if !finds_customers {
        let first: Vec<&str> = headers.iter().take(6).map(String::as_str).collect();
        problems.push(RowProblem::new(
            1,
            "",
            format!(
                "The first row must name the columns, and one must be an email, phone, card \
                 number, external id or customer id; the first row reads: {}",
                first.join(", ")
            ),
        ));
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn crm_column_names_find_their_fields() {
        let headers = names(&[
            "E-mail Address",
            "Mobile",
            "Surname",
            "Zip",
            "Favourite drink",
        ]);
        let columns = resolve(
            &headers,
            &Mapping::new(),
            None,
            &names(&["favourite_drink"]),
        )
        .expect("every column is known");
        let targets: Vec<&str> = columns.iter().map(|(_, m)| m.target.as_str()).collect();
        assert_eq!(
            targets,
            [
                "email",
                "phone",
                "last_name",
                "postal_code",
                "attribute:favourite_drink"
            ]
        );
    }

    #[test]
    fn unknown_repeated_and_unnamed_columns_are_named_at_the_header() {
        let headers = names(&["email", "shoe size", "email", ""]);
        let problems = resolve(&headers, &Mapping::new(), None, &[]).expect_err("refused");
        let places: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            places,
            ["column 2 (shoe size)", "column 3 (email)", "column 4"]
        );
        assert!(problems.iter().all(|p| p.row == 1));
    }

    #[test]
    fn a_saved_mapping_wins_and_can_ignore_a_column() {
        let mut saved = Mapping::new();
        saved.insert(
            "shoe size".into(),
            ColumnMapping {
                target: IGNORE.into(),
                clear_when_empty: false,
            },
        );
        saved.insert(
            "Ref".into(),
            ColumnMapping {
                target: "external_id".into(),
                clear_when_empty: true,
            },
        );
        let columns = resolve(&names(&["Ref", "shoe size"]), &saved, None, &[]).expect("mapped");
        assert_eq!(columns[0].1.target, "external_id");
        assert!(columns[0].1.clear_when_empty);
        assert_eq!(columns[1].1.target, IGNORE);
    }

    #[test]
    fn a_file_without_an_identifier_column_has_no_usable_header() {
        let problems = resolve(&names(&["Ada", "Lovelace"]), &Mapping::new(), None, &[])
            .expect_err("no header");
        assert!(problems
            .last()
            .is_some_and(|p| p.message.starts_with("The first row must name the columns")));
    }

    #[test]
    fn several_columns_may_fill_one_field() {
        let headers = names(&["email", "E-mail", "Phone", "Mobile"]);
        let columns = resolve(&headers, &Mapping::new(), None, &[]).expect("allowed");
        let targets: Vec<&str> = columns.iter().map(|(_, m)| m.target.as_str()).collect();
        assert_eq!(targets, ["email", "email", "phone", "phone"]);
    }

    #[test]
    fn a_sources_export_is_mapped_by_its_preset_and_a_bare_id_is_never_ours() {
        let headers = names(&[
            "Id",
            "FirstName",
            "LastName",
            "MobilePhone",
            "HasOptedOutOfEmail",
        ]);
        assert!(resolve(&headers, &Mapping::new(), None, &[]).is_err());
        let preset = crate::import::presets::detect(&headers).expect("Salesforce");
        assert_eq!(preset.id, "salesforce");
        let columns = resolve(&headers, &Mapping::new(), Some(preset), &[]).expect("mapped");
        let targets: Vec<&str> = columns.iter().map(|(_, m)| m.target.as_str()).collect();
        assert_eq!(
            targets,
            [
                "external_id:salesforce",
                "first_name",
                "last_name",
                "phone",
                "email_opt_out"
            ]
        );
    }

    #[test]
    fn a_column_a_preset_ignores_fills_a_declared_attribute_of_its_name() {
        let headers = names(&["Email Address", "MEMBER_RATING", "LEID", "EUID"]);
        let preset = crate::import::presets::detect(&headers);
        let columns = resolve(
            &headers,
            &Mapping::new(),
            preset,
            &names(&["member_rating"]),
        )
        .expect("mapped");
        assert_eq!(columns[1].1.target, "attribute:member_rating");
        assert_eq!(columns[3].1.target, IGNORE);
    }
}
