//! Language tags of `lang` attributes (BCP 47, RFC 5646) checked against the IANA Language
//! Subtag Registry as shipped by the `language-tags` crate.
//!
//! Input → output: a `lang` attribute value → whether it is a *valid language tag* in the
//! sense of the W3C ACT rules bf051a and de46e4: its primary language subtag (the part before
//! the first `-`) is registered with type `language`. Later subtags are not judged (ACT:
//! `en-US-GB` passes), grandfathered tags such as `i-lux` fail (their primary subtag `i` is no
//! language), and case does not matter (`EN`, `id-ID`).

use language_tags::LanguageTag;

/// Is `value` a valid language tag (ACT bf051a, de46e4; WCAG 2.1 SC 3.1.1, 3.1.2)? Leading and
/// trailing ASCII whitespace is ignored; an empty value is not valid.
pub fn is_valid(value: &str) -> bool {
    let tag = value.trim_matches(|c: char| c.is_ascii_whitespace());
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    // Primary language subtags are 2–3 letters, or 5–8 letters (registered languages); 4 is
    // reserved and a single letter is a singleton, never a language.
    let len_ok = matches!(primary.len(), 2 | 3 | 5..=8);
    if !len_ok || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    LanguageTag::parse(&primary).is_ok_and(|t| t.validate().is_ok())
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn registry_primary_subtags() {
        for ok in [
            "id", "id-ID", "en", "EN", "fr-CH", "en-US-GB", "jv", "su", "lb",
        ] {
            assert!(is_valid(ok), "{ok} should be valid");
        }
        for bad in [
            "", "  ", "dutch", "english", "eng", "#!", "i-lux", "invalid", "x-foo",
        ] {
            assert!(!is_valid(bad), "{bad} should be invalid");
        }
    }
}
