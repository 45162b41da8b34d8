//! Body bytes → UTF-8 text: content-type essence, text-type test, HTML sniffing and the charset
//! decision of the WHATWG Encoding Standard and HTML Standard §13.2.3.2 ("determining the character
//! encoding"), simplified to what a crawler needs.
//!
//! Order of the charset decision ([`decode_body`]): byte order mark, then the `charset` parameter
//! of `Content-Type`, then (for HTML) a `<meta charset>` / `<meta http-equiv=Content-Type
//! content="…charset=…">` pre-scan of the first 1024 bytes, else UTF-8 when the bytes are valid
//! UTF-8 and windows-1252 otherwise. Labels go through `Encoding::for_label`, so `ISO-8859-1` and
//! `latin1` are windows-1252 as in browsers.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252, X_USER_DEFINED};

/// Bytes of the body the `<meta>` pre-scan looks at (HTML Standard §13.2.3.2, step 5).
pub const META_PRESCAN_BYTES: usize = 1024;

/// The MIME essence of a `Content-Type` value: the part before `;`, trimmed, lower case
/// (`"Text/HTML; charset=x"` → `"text/html"`). `None` for an empty essence.
pub fn mime_essence(content_type: &str) -> Option<String> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    (!essence.is_empty()).then_some(essence)
}

/// True for MIME essences whose bodies are decoded to text: `text/*`, `application/xhtml+xml`,
/// `application/xml`, `application/json` and any `+xml` / `+json` type.
pub fn is_text_type(essence: &str) -> bool {
    essence.starts_with("text/")
        || matches!(
            essence,
            "application/xhtml+xml" | "application/xml" | "application/json"
        )
        || essence.ends_with("+xml")
        || essence.ends_with("+json")
}

/// True when `body` starts (after whitespace) like an HTML document, following the HTML patterns
/// of the WHATWG MIME Sniffing Standard §7.1 (`<!DOCTYPE HTML`, `<HTML`, `<HEAD`, `<BODY`,
/// `<SCRIPT`, `<!--`, … followed by a space or `>`), case-insensitive. A UTF-8 BOM is skipped.
pub fn sniffs_as_html(body: &[u8]) -> bool {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body
        .iter()
        .position(|b| !matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' '))
        .unwrap_or(body.len());
    let rest = &body[start..];
    if rest.starts_with(b"<!--") {
        return true;
    }
    const TAGS: [&[u8]; 16] = [
        b"<!doctype html",
        b"<html",
        b"<head",
        b"<script",
        b"<iframe",
        b"<h1",
        b"<div",
        b"<font",
        b"<table",
        b"<a",
        b"<style",
        b"<title",
        b"<b",
        b"<body",
        b"<br",
        b"<p",
    ];
    TAGS.iter().any(|tag| {
        rest.len() > tag.len()
            && rest[..tag.len()].eq_ignore_ascii_case(tag)
            && matches!(rest[tag.len()], b' ' | b'>')
    })
}

/// The MIME type the magic bytes of `body` announce, for binary formats that are never HTML:
/// PDF, PNG, JPEG, GIF, WebP, ZIP (also docx/xlsx), gzip (WHATWG MIME Sniffing §6).
pub fn sniff_binary(body: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 8] = [
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xFF\xD8\xFF", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
        (b"\x1F\x8B\x08", "application/gzip"),
        (b"RIFF", "image/webp"),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, mime)| {
            body.starts_with(magic)
                && (*mime != "image/webp" || body.get(8..12) == Some(b"WEBP".as_slice()))
        })
        .map(|(_, mime)| *mime)
}

/// The content type pantau acts on, from the declared MIME essence and the body: binary magic
/// bytes ([`sniff_binary`]) win over any declared type (a PDF labelled `text/html` is a PDF);
/// a missing or unknown type (`unknown/unknown`, `application/unknown`, `*/*`) with a body that
/// [`sniffs_as_html`] is `text/html`; otherwise the declared type.
pub fn effective_type(declared: Option<String>, body: &[u8]) -> Option<String> {
    if let Some(binary) = sniff_binary(body) {
        return Some(binary.to_string());
    }
    let unknown = declared
        .as_deref()
        .is_none_or(|t| matches!(t, "unknown/unknown" | "application/unknown" | "*/*"));
    if unknown && sniffs_as_html(body) {
        return Some("text/html".to_string());
    }
    declared
}

/// The `charset` parameter of a `Content-Type` value, quotes removed (`text/html;
/// charset="utf-8"` → `utf-8`).
fn header_charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(|c| c == '"' || c == '\''))
            .filter(|v| !v.is_empty())
    })
}

/// WHATWG "get an encoding" for a label found in a `<meta>`: UTF-16 labels mean UTF-8 and
/// `x-user-defined` means windows-1252 (HTML Standard §13.2.3.2, prescan step "If charset is …").
fn meta_encoding(label: &[u8]) -> Option<&'static Encoding> {
    let encoding = Encoding::for_label(label)?;
    Some(if encoding == UTF_16BE || encoding == UTF_16LE {
        UTF_8
    } else if encoding == X_USER_DEFINED {
        WINDOWS_1252
    } else {
        encoding
    })
}

/// "Extract a character encoding from a meta element" (HTML Standard §2.5.6 / algorithms):
/// the value after `charset`, optional spaces, `=`, quoted or up to `;` or whitespace.
fn charset_from_content(content: &[u8]) -> Option<&[u8]> {
    let lower = content.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        while i < content.len() && content[i].is_ascii_whitespace() {
            i += 1;
        }
        if content.get(i) != Some(&b'=') {
            from = i;
            continue;
        }
        i += 1;
        while i < content.len() && content[i].is_ascii_whitespace() {
            i += 1;
        }
        return match content.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let rest = &content[i + 1..];
                rest.iter().position(|&b| b == q).map(|end| &rest[..end])
            }
            Some(_) => {
                let rest = &content[i..];
                let end = rest
                    .iter()
                    .position(|&b| b == b';' || b.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                Some(&rest[..end])
            }
            None => None,
        };
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The `<meta>` tags of an HTML byte string in order, skipping comments, as the pre-scan of HTML
/// Standard §13.2.3.2 meets them: `(start, end, attributes)`, `start` at the tag's `<`, `end`
/// just after its `>` (or the end of the input). Shared by the charset pre-scan and the meta
/// refresh scan ([`super::refresh`]).
pub(crate) struct MetaTags<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> MetaTags<'a> {
    /// The `<meta>` tags of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> MetaTags<'a> {
        MetaTags { bytes, at: 0 }
    }
}

impl Iterator for MetaTags<'_> {
    type Item = (usize, usize, Vec<Attribute>);

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.bytes;
        while let Some(found) = memchr::memchr(b'<', bytes.get(self.at..).unwrap_or_default()) {
            let i = self.at + found;
            if bytes[i..].starts_with(b"<!--") {
                self.at = find(&bytes[i + 4..], b"-->").map_or(bytes.len(), |end| i + 4 + end + 3);
                continue;
            }
            let is_meta = bytes.len() > i + 5
                && bytes[i..i + 5].eq_ignore_ascii_case(b"<meta")
                && (bytes[i + 5].is_ascii_whitespace() || bytes[i + 5] == b'/');
            if !is_meta {
                self.at = i + 1;
                continue;
            }
            let (attributes, next) = read_attributes(bytes, i + 5);
            self.at = next.min(bytes.len());
            return Some((i, self.at, attributes));
        }
        self.at = bytes.len();
        None
    }
}

/// Open elements an HTML page may nest before the rest of it is cut off ([`nesting_cut`]).
/// Real pages nest a few dozen deep; html5ever's tree builder scans the stack of open elements
/// for every start tag, so a page of 20,000 unclosed `<div>`s takes a second to parse and one
/// of 200,000 (1 MB) minutes. At this depth the worst page under the body cap parses in about
/// a second.
pub const MAX_NESTING: usize = 2_048;

/// Elements that never hold children (HTML §13.1.2: void elements) or that the parser closes
/// by itself when the next one starts (`<p>`, `<li>`, table parts, …): they do not deepen the
/// estimate of [`nesting_cut`]. `name` is lower case.
fn is_flat(name: &[u8]) -> bool {
    matches!(
        name,
        b"area"
            | b"base"
            | b"br"
            | b"col"
            | b"embed"
            | b"hr"
            | b"img"
            | b"input"
            | b"link"
            | b"meta"
            | b"source"
            | b"track"
            | b"wbr"
            | b"param"
            | b"keygen"
            | b"p"
            | b"li"
            | b"dt"
            | b"dd"
            | b"option"
            | b"optgroup"
            | b"tr"
            | b"td"
            | b"th"
            | b"thead"
            | b"tbody"
            | b"tfoot"
            | b"caption"
            | b"colgroup"
            | b"rb"
            | b"rt"
            | b"rp"
            | b"html"
            | b"head"
            | b"body"
            | b"frame"
    )
}

/// Elements whose content is raw text: a `<` inside them is not a tag. `name` is lower case.
fn is_raw_text(name: &[u8]) -> bool {
    matches!(
        name,
        b"script"
            | b"style"
            | b"textarea"
            | b"title"
            | b"xmp"
            | b"iframe"
            | b"noembed"
            | b"noframes"
            | b"plaintext"
    )
}

/// Where to cut an HTML text so that no more than `max_depth` elements are open at once, by a
/// linear scan that counts start tags (not void, self-closing or parser-closed ones, see
/// `is_flat`) against end tags, skipping comments and raw-text elements. `None` when the
/// estimate never exceeds `max_depth` (every real page); else the byte offset of the start tag
/// that would exceed it. An estimate, not the parser's stack: it is meant to stop pathological
/// pages ([`MAX_NESTING`]), never to judge ordinary ones.
pub fn nesting_cut(html: &str, max_depth: usize) -> Option<usize> {
    let bytes = html.as_bytes();
    // No more elements can be open than start tags were written: a page with at most
    // `max_depth` of them (most pages) needs no closer look.
    let start_tags = memchr::memchr_iter(b'<', bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic))
        .count();
    if start_tags <= max_depth {
        return None;
    }
    let mut depth = 0usize;
    let mut at = 0usize;
    while let Some(found) = memchr::memchr(b'<', bytes.get(at..).unwrap_or_default()) {
        let i = at + found;
        at = i + 1;
        let rest = &bytes[i + 1..];
        if rest.starts_with(b"!--") {
            at = find(&bytes[i + 4..], b"-->").map_or(bytes.len(), |end| i + 4 + end + 3);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = i + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        // Lower-cased in a stack buffer: names longer than any listed element are none of them.
        let mut buf = [0u8; 12];
        let name: &[u8] = match buf.get_mut(..name_len) {
            Some(lower) => {
                lower.copy_from_slice(&bytes[name_start..name_start + name_len]);
                lower.make_ascii_lowercase();
                lower
            }
            None => &[],
        };
        let tag_end =
            memchr::memchr(b'>', &bytes[name_start..]).map_or(bytes.len(), |e| name_start + e);
        at = (tag_end + 1).min(bytes.len());
        if closing {
            if !is_flat(name) {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        if is_raw_text(name) {
            let mut close = b"</".to_vec();
            close.extend_from_slice(name);
            let lower = |b: &[u8]| b.to_ascii_lowercase();
            let mut from = at;
            at = loop {
                match memchr::memmem::find(bytes.get(from..).unwrap_or_default(), b"</") {
                    Some(off) => {
                        let start = from + off;
                        let end = (start + close.len()).min(bytes.len());
                        if lower(&bytes[start..end]) == close {
                            break start;
                        }
                        from = start + 2;
                    }
                    None => break bytes.len(),
                }
            };
            continue;
        }
        let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
        if self_closing || is_flat(name) {
            continue;
        }
        depth += 1;
        if depth > max_depth {
            return Some(i);
        }
    }
    None
}

/// Cuts an HTML `text` where it nests deeper than [`MAX_NESTING`] open elements
/// ([`nesting_cut`]): past that, html5ever would hold a parse slot for minutes. True when it
/// cut. The one place fetched pages and `pantau check` files are cut.
pub fn cut_deep_nesting(text: &mut String) -> bool {
    match nesting_cut(text, MAX_NESTING) {
        Some(cut) => {
            text.truncate(cut);
            true
        }
        None => false,
    }
}

/// One attribute of a tag being pre-scanned: (lower-case name, raw value).
pub(crate) type Attribute = (Vec<u8>, Vec<u8>);

/// Reads the attributes of a tag starting at `i` (just after the tag name) up to `>`.
/// Returns the attributes and the index after the tag.
fn read_attributes(bytes: &[u8], mut i: usize) -> (Vec<Attribute>, usize) {
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (attributes, i + 1);
        }
        let name_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            if bytes[i].is_ascii_whitespace() {
                break;
            }
            i += 1;
        }
        let name = bytes[name_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = Vec::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    i += 1;
                    let start = i;
                    while i < bytes.len() && bytes[i] != q {
                        i += 1;
                    }
                    value = bytes[start..i].to_vec();
                    i += 1;
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = bytes[start..i].to_vec();
                }
            }
        }
        if !name.is_empty() {
            attributes.push((name, value));
        }
    }
}

/// The `<meta>` pre-scan of HTML Standard §13.2.3.2 over the first [`META_PRESCAN_BYTES`] bytes:
/// comments are skipped, attributes may come in any order and any case.
pub fn prescan_meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let bytes = &body[..body.len().min(META_PRESCAN_BYTES)];
    for (_, _, attributes) in MetaTags::new(bytes) {
        let get = |name: &[u8]| {
            attributes
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_slice())
        };
        if let Some(label) = get(b"charset") {
            if let Some(encoding) = meta_encoding(label) {
                return Some(encoding);
            }
            continue;
        }
        let is_content_type = get(b"http-equiv")
            .is_some_and(|v| v.trim_ascii().eq_ignore_ascii_case(b"content-type"));
        if is_content_type {
            if let Some(encoding) = get(b"content")
                .and_then(charset_from_content)
                .and_then(meta_encoding)
            {
                return Some(encoding);
            }
        }
    }
    None
}

/// A disagreement between the `charset` of the `Content-Type` header and the `<meta>` pre-scan
/// (HTML Standard §13.2.3.2): the header wins, and the page is mis-declared, which is itself a
/// finding. Both are WHATWG encoding names (`ISO-8859-1` and `windows-1252` are the same
/// encoding, so they never conflict); the header's is given as the server sent it when its
/// label is another name of that encoding (`iso-8859-1 (windows-1252)`), so an auditor who
/// checks the header with `curl` reads the same label. `None` when either is missing or
/// unknown, or they agree.
pub fn charset_conflict(content_type: Option<&str>, body: &[u8]) -> Option<(String, String)> {
    let label = content_type.and_then(header_charset)?;
    let header = Encoding::for_label(label.as_bytes())?;
    let meta = prescan_meta_charset(body)?;
    let shown = if label.eq_ignore_ascii_case(header.name()) {
        header.name().to_string()
    } else {
        format!("{label} ({})", header.name())
    };
    (header != meta).then(|| (shown, meta.name().to_string()))
}

/// Decodes `body` to UTF-8 and returns the text with the WHATWG name of the encoding used.
///
/// `content_type` is the raw `Content-Type` header; `html` enables the `<meta>` pre-scan. Decoding
/// errors become U+FFFD (a body cut at the byte cap may end in one).
pub fn decode_body(body: &[u8], content_type: Option<&str>, html: bool) -> (String, &'static str) {
    let chosen = Encoding::for_bom(body)
        .map(|(encoding, _)| encoding)
        .or_else(|| {
            content_type
                .and_then(header_charset)
                .and_then(|l| Encoding::for_label(l.as_bytes()))
        })
        .or_else(|| html.then(|| prescan_meta_charset(body)).flatten())
        .unwrap_or_else(|| {
            if std::str::from_utf8(body).is_ok() {
                UTF_8
            } else {
                WINDOWS_1252
            }
        });
    // `decode` sniffs the BOM again and removes it; the encoding it reports is the one used.
    let (text, used, _had_errors) = chosen.decode(body);
    (text.into_owned(), used.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_cut_counts_open_elements_only() {
        let deep = format!("<html><body>{}x{}", "<div>".repeat(10), "</div>".repeat(10));
        assert_eq!(nesting_cut(&deep, 10), None);
        let cut = nesting_cut(&deep, 9).expect("ten open divs exceed nine");
        assert_eq!(&deep[cut..cut + 5], "<div>");
        assert_eq!(deep[..cut].matches("<div>").count(), 9);
        // Void, self-closing and parser-closed elements, comments, raw text and end tags do
        // not deepen it.
        let flat = format!(
            "{}{}{}<!-- {} --><script>{}</script><STYLE>a<b{{}}</style>{}",
            "<p>x<li>y<img src=a><br/><td>".repeat(500),
            "<span/>".repeat(100),
            "<div></div>".repeat(500),
            "<div>".repeat(100),
            "if (a<b) { x = '<div>'; }".repeat(100),
            "<b>bold</B>".repeat(100)
        );
        assert_eq!(nesting_cut(&flat, 3), None);
        // Unclosed markup at the end does not panic.
        assert_eq!(nesting_cut("<div><div", 5), None);
        assert_eq!(nesting_cut("<div><script>never closed <div>", 1), None);
        assert_eq!(nesting_cut("</", 1), None);
        assert_eq!(nesting_cut("<", 1), None);
    }

    #[test]
    fn real_pages_are_never_cut() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-sites");
        let mut seen = 0;
        for entry in walk(&dir) {
            let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
            assert_eq!(nesting_cut(&text, 100), None, "{}", entry.display());
            seen += 1;
        }
        // The real pages are beside the checkout; without them there is nothing to check.
        if dir.exists() {
            assert!(seen >= 3, "{seen} pages under {}", dir.display());
        }
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else if path.extension().is_some_and(|e| e == "html") {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn meta_tags_skip_comments_and_other_tags_and_give_positions() {
        let html =
            b"<!-- <meta charset=x> --><p><META Name=a CONTENT='b c'><metax><meta/charset=utf-8>";
        let tags: Vec<(usize, usize, Vec<Attribute>)> = MetaTags::new(html).collect();
        assert_eq!(tags.len(), 2);
        let (start, end, attributes) = &tags[0];
        assert_eq!(&html[*start..*end], b"<META Name=a CONTENT='b c'>");
        assert_eq!(
            attributes,
            &vec![
                (b"name".to_vec(), b"a".to_vec()),
                (b"content".to_vec(), b"b c".to_vec())
            ]
        );
        assert_eq!(&html[tags[1].0..tags[1].1], b"<meta/charset=utf-8>");
        assert_eq!(tags[1].2, vec![(b"charset".to_vec(), b"utf-8".to_vec())]);
        // An unclosed comment or tag ends the scan without reading past the input.
        assert_eq!(MetaTags::new(b"<!-- <meta charset=x>").count(), 0);
        assert_eq!(MetaTags::new(b"<meta charset=").count(), 1);
        assert_eq!(MetaTags::new(b"<meta").count(), 0);
    }

    #[test]
    fn essence_is_lower_case_without_parameters() {
        assert_eq!(
            mime_essence(" Text/HTML ; charset=UTF-8").as_deref(),
            Some("text/html")
        );
        assert_eq!(mime_essence(";charset=x"), None);
    }

    #[test]
    fn text_types() {
        for t in [
            "text/html",
            "text/plain",
            "application/xhtml+xml",
            "application/rss+xml",
            "application/json",
            "application/ld+json",
        ] {
            assert!(is_text_type(t), "{t}");
        }
        for t in ["application/pdf", "image/png", "application/octet-stream"] {
            assert!(!is_text_type(t), "{t}");
        }
    }

    #[test]
    fn sniffing_html() {
        assert!(sniffs_as_html(b"\n  <!DOCTYPE html><html>"));
        assert!(sniffs_as_html(b"\xEF\xBB\xBF<html lang=id>"));
        assert!(sniffs_as_html(b"<P>hi"));
        assert!(!sniffs_as_html(b"%PDF-1.4"));
        assert!(!sniffs_as_html(b"<?xml version=\"1.0\"?>"));
        assert!(!sniffs_as_html(b"<abbr>"));
    }

    #[test]
    fn binary_magic_beats_the_declared_type_and_untyped_html_is_html() {
        let pdf = b"%PDF-1.7\n...";
        assert_eq!(
            effective_type(Some("text/html".into()), pdf).as_deref(),
            Some("application/pdf")
        );
        assert_eq!(
            effective_type(None, pdf).as_deref(),
            Some("application/pdf")
        );
        assert_eq!(
            effective_type(None, b"<!DOCTYPE html><p>x").as_deref(),
            Some("text/html")
        );
        assert_eq!(
            effective_type(Some("unknown/unknown".into()), b"<html>").as_deref(),
            Some("text/html")
        );
        // A declared non-HTML type is kept even for HTML-looking text.
        assert_eq!(
            effective_type(Some("text/plain".into()), b"<html>").as_deref(),
            Some("text/plain")
        );
        assert_eq!(
            effective_type(Some("text/html".into()), b"<p>hai").as_deref(),
            Some("text/html")
        );
        assert_eq!(effective_type(None, b"plain words"), None);
        assert_eq!(sniff_binary(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff_binary(b"RIFF\0\0\0\0WAVE"), None);
        assert_eq!(sniff_binary(b"\x89PNG\r\n\x1a\n"), Some("image/png"));
    }

    #[test]
    fn header_and_meta_conflict() {
        let body = b"<meta charset=windows-1252><p>x</p>";
        assert_eq!(
            charset_conflict(Some("text/html; charset=utf-8"), body),
            Some(("UTF-8".to_string(), "windows-1252".to_string()))
        );
        assert_eq!(
            charset_conflict(Some("text/html; charset=ISO-8859-1"), body),
            None
        );
        assert_eq!(charset_conflict(Some("text/html"), body), None);
        // The header's label as sent, with the encoding it names.
        assert_eq!(
            charset_conflict(
                Some("text/html; charset=iso-8859-1"),
                b"<meta charset=utf-8>"
            ),
            Some(("iso-8859-1 (windows-1252)".to_string(), "UTF-8".to_string()))
        );
        assert_eq!(
            charset_conflict(Some("text/html; charset=utf-8"), b"<p>x</p>"),
            None
        );
    }

    #[test]
    fn header_charset_parameter() {
        assert_eq!(
            header_charset("text/html; charset=\"ISO-8859-1\""),
            Some("ISO-8859-1")
        );
        assert_eq!(header_charset("text/html;Charset=utf-8"), Some("utf-8"));
        assert_eq!(header_charset("text/html"), None);
    }

    #[test]
    fn meta_charset_attribute_any_order_and_case() {
        let html = b"<html><head><META content=\"x\" CharSet='Windows-1252'>";
        assert_eq!(prescan_meta_charset(html), Some(WINDOWS_1252));
        let html = b"<meta content=\"text/html; charset=iso-8859-1\" http-equiv=\"Content-Type\">";
        assert_eq!(prescan_meta_charset(html), Some(WINDOWS_1252));
        let html = b"<meta http-equiv=content-type content='text/html;charset = \"shift_jis\"'>";
        assert_eq!(prescan_meta_charset(html), Some(encoding_rs::SHIFT_JIS));
    }

    #[test]
    fn meta_prescan_skips_comments_and_stops_at_1024_bytes() {
        let html = b"<!-- <meta charset=shift_jis> --><meta charset=utf-8>";
        assert_eq!(prescan_meta_charset(html), Some(UTF_8));
        let mut late = vec![b' '; META_PRESCAN_BYTES];
        late.extend_from_slice(b"<meta charset=windows-1252>");
        assert_eq!(prescan_meta_charset(&late), None);
    }

    #[test]
    fn meta_utf16_means_utf8() {
        assert_eq!(
            prescan_meta_charset(b"<meta charset=utf-16le>"),
            Some(UTF_8)
        );
        assert_eq!(
            prescan_meta_charset(b"<meta charset=x-user-defined>"),
            Some(WINDOWS_1252)
        );
    }

    #[test]
    fn decode_windows_1252_meta_en_dash() {
        let body = b"<meta charset=windows-1252><p>2020\x962021</p>";
        let (text, name) = decode_body(body, Some("text/html"), true);
        assert_eq!(name, "windows-1252");
        assert!(text.contains("2020\u{2013}2021"), "{text}");
    }

    #[test]
    fn header_beats_meta_and_bom_beats_header() {
        let body = "<meta charset=windows-1252><p>é</p>".as_bytes();
        let (text, name) = decode_body(body, Some("text/html; charset=utf-8"), true);
        assert_eq!(name, "UTF-8");
        assert!(text.contains("<p>é</p>"));

        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("<p>é</p>".as_bytes());
        let (text, name) = decode_body(&bom, Some("text/html; charset=iso-8859-1"), true);
        assert_eq!(name, "UTF-8");
        assert_eq!(text, "<p>é</p>");
    }

    #[test]
    fn fallback_utf8_then_windows_1252() {
        assert_eq!(decode_body("é".as_bytes(), None, true).1, "UTF-8");
        let (text, name) = decode_body(b"caf\xE9", None, true);
        assert_eq!(name, "windows-1252");
        assert_eq!(text, "café");
    }

    #[test]
    fn meta_ignored_when_not_html() {
        let (_, name) = decode_body(b"<meta charset=windows-1252>", Some("text/plain"), false);
        assert_eq!(name, "UTF-8");
    }
}
