//! Country names from ISO 3166-1 (the `celes` crate): the name people read for a two-letter
//! code, written as in running text ("United Kingdom of Great Britain and Northern Ireland").

/// The English name of the country with ISO 3166-1 alpha-2 code `alpha2`, if there is one.
pub fn name(alpha2: &str) -> Option<String> {
    let country = celes::Country::from_alpha2(alpha2.trim()).ok()?;
    let long = country
        .long_name
        .strip_prefix("The ")
        .unwrap_or(country.long_name);
    let words: Vec<&str> = long
        .split(' ')
        .enumerate()
        .map(|(i, word)| match word {
            "Of" if i > 0 => "of",
            "And" if i > 0 => "and",
            "The" if i > 0 => "the",
            _ => word,
        })
        .collect();
    Some(words.join(" "))
}

/// The ISO 3166-1 alpha-2 code of a country as CRMs write it: an alpha-2 or alpha-3 code, the
/// numeric code, or its English name or common alias ("United Kingdom", "UK", "England",
/// "Ireland", "The Netherlands"), whatever the case, spacing and punctuation.
pub fn alpha2_of(text: &str) -> Option<String> {
    use unicode_normalization::UnicodeNormalization;
    // "Côte d'Ivoire" → "cotedivoire": accents taken off (decomposed, marks dropped).
    let compact: String = text
        .nfd()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if compact.is_empty() {
        return None;
    }
    let found = compact.parse::<celes::Country>().ok().or_else(|| {
        let without_article = compact.strip_prefix("the")?;
        celes::Country::from_name(without_article)
            .or_else(|_| celes::Country::from_alias(without_article))
            .ok()
    });
    let found = found.or_else(|| match compact.as_str() {
        // Common names celes does not list.
        "uk" => celes::Country::from_alpha2("gb").ok(),
        _ => celes::Country::from_alias(&compact).ok(),
    })?;
    Some(found.alpha2.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_in_running_text() {
        assert_eq!(
            name("GB").as_deref(),
            Some("United Kingdom of Great Britain and Northern Ireland")
        );
        assert_eq!(name("de").as_deref(), Some("Germany"));
        assert_eq!(name("XX"), None);
    }

    #[test]
    fn countries_are_found_as_crms_write_them() {
        for (written, code) in [
            ("United Kingdom", "GB"),
            ("UK", "GB"),
            ("England", "GB"),
            ("France", "FR"),
            ("ireland", "IE"),
            ("IRL", "IE"),
            ("de", "DE"),
            ("United States", "US"),
            ("United States of America", "US"),
            ("The Netherlands", "NL"),
            ("Côte d'Ivoire", "CI"),
            ("826", "GB"),
        ] {
            assert_eq!(alpha2_of(written).as_deref(), Some(code), "{written}");
        }
        assert_eq!(alpha2_of("Atlantis"), None);
        assert_eq!(alpha2_of(""), None);
    }
}
