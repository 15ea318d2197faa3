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
}
