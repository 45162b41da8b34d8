//! Sitemap URL extraction for the crawl (sitemaps.org protocol 0.9): `<urlset>` and
//! `<sitemapindex>` documents, plain or gzipped (once, or twice when a server gzips an `.xml.gz`
//! again with `Content-Encoding: gzip`), whatever the `Content-Type` says.
//!
//! INTERFACE CONTRACT (used by `crawl.rs`): [`parse_sitemap`]`(&[u8], &Url) -> Sitemap`,
//! [`sitemaps_in_robots`]`(&str, &Url) -> Vec<Url>`, [`MAX_SITEMAP_BYTES`].
//!
//! Tolerance, because government sitemaps are often hand-made or cut off:
//! - `<loc>` values are trimmed, may be wrapped in `<![CDATA[…]]>`, have their five XML entities
//!   and numeric character references decoded, and are resolved against the sitemap's own URL,
//!   so a relative `<loc>` (not allowed by the protocol, common in practice) still works;
//! - a document cut off mid-way (truncated download, broken generator) yields every complete
//!   `<loc>` before the cut, and `truncated` is set;
//! - a document is an index when it contains `<sitemapindex` (case-insensitive), whatever the
//!   root element's namespace prefix; its `<loc>`s are child sitemaps;
//! - only `http`/`https` URLs are kept; scope (which host) is the caller's business.

use std::io::Read;
use url::Url;

/// Bytes of decompressed sitemap read at most (the protocol's limit is 50 MB; pantau stops at
/// 10 MiB, enough for tens of thousands of URLs).
pub const MAX_SITEMAP_BYTES: usize = 10 * 1024 * 1024;

/// Gzip layers removed at most (an `.xml.gz` gzipped again in transit is two).
const MAX_GZIP_LAYERS: usize = 2;

/// What one sitemap document lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sitemap {
    /// Page URLs (`<urlset>`), absolute, in document order.
    pub urls: Vec<Url>,
    /// Child sitemap URLs (`<sitemapindex>`), absolute, in document order.
    pub sitemaps: Vec<Url>,
    /// `<lastmod>` of page entries, as written (W3C datetime), with the entry's URL; for the
    /// freshness rule (research catalogue §4: sitemap `lastmod` is a source of dates).
    pub lastmods: Vec<(Url, String)>,
    /// True when the document ended inside an element (cut off), or a gzip layer was cut or
    /// longer than [`MAX_SITEMAP_BYTES`]: the lists hold what came before.
    pub truncated: bool,
}

/// `body` with up to two gzip layers removed (detected by the magic bytes `1f 8b`, not by the
/// content type), each capped at [`MAX_SITEMAP_BYTES`]. The flag is true when a layer was cut
/// (corrupt or over the cap): the bytes are then what decoded before the cut.
pub fn gunzip_layers(body: &[u8]) -> (Vec<u8>, bool) {
    let mut data = body.to_vec();
    let mut cut = false;
    for _ in 0..MAX_GZIP_LAYERS {
        if !data.starts_with(&[0x1f, 0x8b]) {
            break;
        }
        let mut out = Vec::new();
        let decoder = flate2::read::MultiGzDecoder::new(data.as_slice());
        let read = decoder
            .take(MAX_SITEMAP_BYTES as u64 + 1)
            .read_to_end(&mut out);
        if read.is_err() || out.len() > MAX_SITEMAP_BYTES {
            cut = true;
            out.truncate(MAX_SITEMAP_BYTES);
        }
        data = out;
        if cut {
            break;
        }
    }
    (data, cut)
}

/// Decodes the five predefined XML entities and numeric character references (`&#38;`,
/// `&#x26;`); anything else is kept as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp..];
        let Some(semi) = after.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &after[1..];
            continue;
        };
        let name = &after[1..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses a sitemap or sitemap index fetched from `base` (see the module doc for what is
/// tolerated). Never fails: bytes that are not a sitemap give empty lists.
pub fn parse_sitemap(body: &[u8], base: &Url) -> Sitemap {
    let (bytes, cut) = gunzip_layers(body);
    let xml = String::from_utf8_lossy(&bytes);
    let lower = xml.to_ascii_lowercase();
    let is_index = lower.contains("<sitemapindex") || lower.contains(":sitemapindex");
    let mut found = Sitemap {
        truncated: cut,
        ..Sitemap::default()
    };
    let mut pos = 0;
    while let Some(start) = lower[pos..].find("<loc>") {
        let from = pos + start + "<loc>".len();
        let Some(len) = lower[from..].find("</loc>") else {
            found.truncated = true;
            break;
        };
        pos = from + len + "</loc>".len();
        let raw = xml[from..from + len].trim();
        let raw = raw
            .strip_prefix("<![CDATA[")
            .and_then(|r| r.strip_suffix("]]>"))
            .unwrap_or(raw);
        let Ok(mut url) = base.join(decode_entities(raw.trim()).as_str()) else {
            continue;
        };
        if !matches!(url.scheme(), "http" | "https") {
            continue;
        }
        url.set_fragment(None);
        if is_index {
            found.sitemaps.push(url);
        } else {
            // The entry's <lastmod>, if any, sits before the entry's end (or the next <loc>).
            let entry_end = [lower[pos..].find("</url>"), lower[pos..].find("<loc>")]
                .into_iter()
                .flatten()
                .min()
                .map_or(lower.len(), |i| pos + i);
            let entry = &lower[pos..entry_end];
            if let (Some(a), Some(b)) = (entry.find("<lastmod>"), entry.find("</lastmod>")) {
                let value = xml[pos + a + "<lastmod>".len()..pos + b.max(a + 9)].trim();
                if !value.is_empty() {
                    found.lastmods.push((url.clone(), value.to_string()));
                }
            }
            found.urls.push(url);
        }
    }
    let closing = if is_index {
        "</sitemapindex>"
    } else {
        "</urlset>"
    };
    if !lower.contains(closing) && !lower.trim().is_empty() {
        found.truncated = true;
    }
    found
}

#[cfg(test)]
mod lastmod_tests {
    use super::*;

    #[test]
    fn page_entries_keep_their_lastmod() {
        let base = Url::parse("https://dinas.example.go.id/sitemap.xml").unwrap();
        let xml = b"<?xml version=\"1.0\"?><urlset>\
            <url><loc>/berita/a/</loc><lastmod>2026-11-16</lastmod></url>\
            <url><loc>/berita/b/</loc></url>\
            <url><lastmod> 2026-10-01T08:00:00+08:00 </lastmod><loc>/c/</loc></url>\
            </urlset>";
        let found = parse_sitemap(xml, &base);
        assert_eq!(found.urls.len(), 3);
        let got: Vec<(String, String)> = found
            .lastmods
            .iter()
            .map(|(u, d)| (u.path().to_string(), d.clone()))
            .collect();
        // A <lastmod> written before its <loc> is not attributed (it belongs to no entry seen yet).
        assert_eq!(got, [("/berita/a/".to_string(), "2026-11-16".to_string())]);
    }
}

/// The `Sitemap:` lines of a robots.txt (RFC 9309 §2.2.4 allows other records; the sitemaps.org
/// protocol defines this one), resolved against `base` (the robots.txt URL), field name
/// case-insensitive, `#` comments dropped, only http(s) kept, duplicates removed.
pub fn sitemaps_in_robots(robots: &str, base: &Url) -> Vec<Url> {
    let mut out: Vec<Url> = Vec::new();
    for line in robots.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let Some((field, value)) = line.split_once(':') else {
            continue;
        };
        if !field.trim().eq_ignore_ascii_case("sitemap") {
            continue;
        }
        let Ok(url) = base.join(value.trim()) else {
            continue;
        };
        if matches!(url.scheme(), "http" | "https") && !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn base() -> Url {
        Url::parse("https://dinkes.sulbarprov.go.id/sitemap.xml").unwrap()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    const URLSET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://dinkes.sulbarprov.go.id/</loc></url>
  <url><LOC> /profil/ </LOC></url>
  <url><loc><![CDATA[https://dinkes.sulbarprov.go.id/cari?q=a&b=1]]></loc></url>
  <url><loc>https://dinkes.sulbarprov.go.id/berita?id=1&amp;hal=2#x</loc></url>
  <url><loc>https://dlh.sulbarprov.go.id/</loc></url>
  <url><loc>mailto:ppid@sulbarprov.go.id</loc></url>
</urlset>"#;

    fn paths(urls: &[Url]) -> Vec<String> {
        urls.iter().map(|u| u.to_string()).collect()
    }

    #[test]
    fn urlset_with_relative_cdata_entities_and_other_hosts() {
        let s = parse_sitemap(URLSET.as_bytes(), &base());
        assert_eq!(
            paths(&s.urls),
            [
                "https://dinkes.sulbarprov.go.id/",
                "https://dinkes.sulbarprov.go.id/profil/",
                "https://dinkes.sulbarprov.go.id/cari?q=a&b=1",
                "https://dinkes.sulbarprov.go.id/berita?id=1&hal=2",
                "https://dlh.sulbarprov.go.id/",
            ]
        );
        assert!(s.sitemaps.is_empty());
        assert!(!s.truncated);
    }

    #[test]
    fn index_lists_child_sitemaps() {
        let xml = r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>/sitemap-berita.xml.gz</loc></sitemap>
<sitemap><loc>https://dinkes.sulbarprov.go.id/sitemap-halaman.xml</loc></sitemap>
</sitemapindex>"#;
        let s = parse_sitemap(xml.as_bytes(), &base());
        assert_eq!(
            paths(&s.sitemaps),
            [
                "https://dinkes.sulbarprov.go.id/sitemap-berita.xml.gz",
                "https://dinkes.sulbarprov.go.id/sitemap-halaman.xml",
            ]
        );
        assert!(s.urls.is_empty());
    }

    #[test]
    fn gzipped_once_or_twice_decodes() {
        let once = gzip(URLSET.as_bytes());
        let twice = gzip(&once);
        for body in [once, twice] {
            let s = parse_sitemap(&body, &base());
            assert_eq!(s.urls.len(), 5);
            assert!(!s.truncated);
        }
    }

    #[test]
    fn truncated_xml_yields_what_came_before_the_cut() {
        let cut = &URLSET[..URLSET.find("berita").unwrap()];
        let s = parse_sitemap(cut.as_bytes(), &base());
        assert_eq!(s.urls.len(), 3);
        assert!(s.truncated);
        // A gzip stream cut in the middle.
        let gz = gzip(URLSET.as_bytes());
        let s = parse_sitemap(&gz[..gz.len() - 12], &base());
        assert!(s.truncated);
    }

    #[test]
    fn not_a_sitemap_is_empty() {
        let s = parse_sitemap(b"<!DOCTYPE html><html><body>404</body></html>", &base());
        assert!(s.urls.is_empty() && s.sitemaps.is_empty());
        let s = parse_sitemap(b"", &base());
        assert_eq!(s, Sitemap::default());
    }

    #[test]
    fn entities_decode_once() {
        assert_eq!(decode_entities("a&amp;b&#38;c&#x26;d"), "a&b&c&d");
        assert_eq!(decode_entities("a&amp;amp;b"), "a&amp;b");
        assert_eq!(decode_entities("a & b &unknown; c"), "a & b &unknown; c");
    }

    #[test]
    fn robots_sitemap_lines() {
        let robots = "User-agent: *\nDisallow:\nsitemap: /sitemap.xml # main\nSITEMAP: https://dinkes.sulbarprov.go.id/sitemap.xml\nSitemap: ftp://x/y\n";
        let base = Url::parse("https://dinkes.sulbarprov.go.id/robots.txt").unwrap();
        assert_eq!(
            paths(&sitemaps_in_robots(robots, &base)),
            ["https://dinkes.sulbarprov.go.id/sitemap.xml"]
        );
    }
}
