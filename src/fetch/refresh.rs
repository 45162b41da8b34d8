//! Declarative refresh: the `Refresh` HTTP header and `<meta http-equiv="refresh">`.
//!
//! Both carry `content` in the form `N; url=…` and are read with the "shared declarative
//! refresh steps" of the HTML Living Standard (§7.11.1 / the `refresh` pragma of §4.2.5.3):
//! a delay in whole seconds (a fraction is ignored), then, after `;`, `,` or whitespace, an
//! optional `url=` (any case, spaces around `=`), an optional quote that ends the URL at its
//! match. The header is processed when the document is created, so it wins over any `<meta>`;
//! of the `<meta>` pragmas only the first valid one counts. The crawler follows the target
//! within scope (see `crate::crawl`); this module only reads.

use super::decode::MetaTags;
use url::Url;

/// A declarative refresh found on a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refresh {
    /// Seconds before the refresh (`0` = at once).
    pub delay_s: u64,
    /// The absolute target, resolved against the document's final URL; the document itself
    /// when the value names no URL (a reload).
    pub target: Url,
}

/// Reads a refresh `content` value (HTML §7.11.1 "shared declarative refresh steps"):
/// `Some((delay in seconds, URL text))`, the URL text `None` when the value names none;
/// `None` when the value is not valid (empty, no digits or `.` first, junk after the number).
/// `"5; URL='/x'"` → `(5, Some("/x"))`; `"0,/y"` → `(0, Some("/y"))`; `"30"` → `(30, None)`.
pub fn parse_refresh(content: &str) -> Option<(u64, Option<&str>)> {
    let is_space = |c: char| c.is_ascii_whitespace();
    let s = content.trim_start_matches(is_space);
    let digits_len = s.bytes().take_while(u8::is_ascii_digit).count();
    let (digits, rest) = s.split_at(digits_len);
    if digits.is_empty() && !rest.starts_with('.') {
        return None;
    }
    let delay = if digits.is_empty() {
        0
    } else {
        digits.parse::<u64>().unwrap_or(u64::MAX)
    };
    let mut rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    if rest.is_empty() {
        return Some((delay, None));
    }
    if !rest.starts_with([';', ',']) && !rest.starts_with(is_space) {
        return None;
    }
    rest = rest.trim_start_matches(is_space);
    if let Some(after) = rest.strip_prefix([';', ',']) {
        rest = after;
    }
    rest = rest.trim_start_matches(is_space);
    if rest.is_empty() {
        return Some((delay, None));
    }
    // `url=` is optional; without it the whole rest is the URL (quotes not stripped unless
    // nothing but quotes precede it).
    let mut url_string = rest;
    let mut quotes_allowed = true;
    let lower = rest.get(..3).map(str::to_ascii_lowercase);
    if rest.starts_with(['U', 'u']) {
        quotes_allowed = false;
        if lower.as_deref() == Some("url") {
            let after = rest[3..].trim_start_matches(is_space);
            if let Some(value) = after.strip_prefix('=') {
                url_string = value.trim_start_matches(is_space);
                quotes_allowed = true;
            }
        }
    }
    if quotes_allowed {
        if let Some(quote) = url_string
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"'))
        {
            url_string = &url_string[1..];
            if let Some(end) = url_string.find(quote) {
                url_string = &url_string[..end];
            }
        }
    }
    Some((delay, Some(url_string)))
}

/// The `content` of the first `<meta http-equiv="refresh">` of an HTML document's text whose
/// value is valid ([`parse_refresh`]), with its character references decoded as an HTML parser
/// would (`&amp;` → `&`, once). Comments are skipped; attributes may come in any order and case.
pub fn meta_refresh_content(html: &str) -> Option<String> {
    for (start, end, attributes) in MetaTags::new(html.as_bytes()) {
        let refresh = attributes.iter().any(|(name, value)| {
            name == b"http-equiv" && value.trim_ascii().eq_ignore_ascii_case(b"refresh")
        });
        if !refresh {
            continue;
        }
        // The raw tag, parsed by html5ever, gives `content` with references decoded once.
        let Some(tag) = html.get(start..end) else {
            continue;
        };
        let fragment = scraper::Html::parse_fragment(tag);
        let content = fragment
            .root_element()
            .descendants()
            .filter_map(scraper::ElementRef::wrap)
            .find(|e| e.value().name() == "meta")
            .and_then(|e| e.value().attr("content"))
            .map(str::to_string);
        if let Some(content) = content.filter(|c| parse_refresh(c).is_some()) {
            return Some(content);
        }
    }
    None
}

/// The declarative refresh of an HTML document at `url` with response `headers` (names lower
/// case) and decoded `text`: the `Refresh` header when valid, else the first valid
/// `<meta http-equiv="refresh">`. `None` when neither, or when the URL does not parse against
/// `url`.
pub fn find_refresh(url: &Url, headers: &[(String, String)], text: &str) -> Option<Refresh> {
    let header = headers
        .iter()
        .find(|(name, value)| name == "refresh" && parse_refresh(value).is_some())
        .map(|(_, value)| value.clone());
    let content = header.or_else(|| meta_refresh_content(text))?;
    let (delay_s, target) = parse_refresh(&content)?;
    let target = match target {
        Some(t) => url.join(t.trim()).ok()?,
        None => url.clone(),
    };
    Some(Refresh { delay_s, target })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_values_per_the_shared_steps() {
        assert_eq!(parse_refresh("30"), Some((30, None)));
        assert_eq!(parse_refresh("0; url=/baru"), Some((0, Some("/baru"))));
        assert_eq!(parse_refresh("5;URL='/a b'c"), Some((5, Some("/a b"))));
        assert_eq!(parse_refresh("3 , Url = \"/q\""), Some((3, Some("/q"))));
        assert_eq!(
            parse_refresh("0,/tanpa-kata"),
            Some((0, Some("/tanpa-kata")))
        );
        assert_eq!(parse_refresh("1.5; url=/x"), Some((1, Some("/x"))));
        assert_eq!(parse_refresh(".5"), Some((0, None)));
        assert_eq!(parse_refresh("0; 'kutip'"), Some((0, Some("kutip"))));
        // `u` not followed by `rl=`: the whole rest is the URL, quotes kept.
        assert_eq!(parse_refresh("0; ubah.html"), Some((0, Some("ubah.html"))));
        assert_eq!(parse_refresh("0; url"), Some((0, Some("url"))));
        assert_eq!(parse_refresh("0: /x"), None);
        assert_eq!(parse_refresh("+5; /x"), None);
        assert_eq!(parse_refresh(""), None);
        assert_eq!(parse_refresh("soon"), None);
    }

    #[test]
    fn meta_refresh_is_found_in_any_attribute_order_and_decoded_once() {
        let html = r#"<html><head><!-- <meta http-equiv="refresh" content="0; url=/komentar"> -->
            <meta charset="utf-8"><META CONTENT="2; URL=/a?x=1&amp;amp;y=2" Http-Equiv=" Refresh ">
            <meta http-equiv="refresh" content="0; url=/kedua"></head></html>"#;
        assert_eq!(
            meta_refresh_content(html).as_deref(),
            Some("2; URL=/a?x=1&amp;y=2")
        );
        // An invalid first pragma is skipped.
        let html = r#"<meta http-equiv=refresh content="nanti"><meta http-equiv=refresh content="1;url=/b">"#;
        assert_eq!(meta_refresh_content(html).as_deref(), Some("1;url=/b"));
        assert_eq!(meta_refresh_content("<meta name=refresh content=0>"), None);
        assert_eq!(meta_refresh_content("<p>no meta</p><meta"), None);
    }

    #[test]
    fn the_header_wins_and_targets_resolve_against_the_page() {
        let page = Url::parse("https://a.go.id/lama/index.html").expect("url");
        let meta = r#"<meta http-equiv="refresh" content="3; url=baru.html">"#;
        let found = find_refresh(&page, &[], meta).expect("meta refresh");
        assert_eq!(found.delay_s, 3);
        assert_eq!(found.target.as_str(), "https://a.go.id/lama/baru.html");
        let header = [("refresh".to_string(), "0; url=/utama".to_string())];
        let found = find_refresh(&page, &header, meta).expect("header refresh");
        assert_eq!(
            (found.delay_s, found.target.as_str()),
            (0, "https://a.go.id/utama")
        );
        let reload = find_refresh(&page, &[], r#"<meta http-equiv=refresh content=60>"#);
        assert_eq!(reload.map(|r| r.target), Some(page.clone()));
        assert_eq!(find_refresh(&page, &[], "<p>biasa</p>"), None);
    }
}
