//! `pantau check FILE|URL`: every page rule on one document, with the W3C ACT outcome
//! vocabulary (`passed`, `failed`, `inapplicable`, `cantTell`) and each failing element with a
//! CSS selector path and a snippet; for an HTML page also the gambling-spam keyword rule
//! (integrity, a site rule in `audit`), judged on this one document.
//!
//! Input → output: a file path or an http(s) URL → the document text and its
//! [`DocumentKind`] (HTML, or an SVG/MathML/other XML document, sniffed from the content type,
//! the file name and the first element) → [`CheckReport`] → text ([`CheckReport::to_text`]) or
//! JSON ([`CheckReport::to_json`]).
//!
//! Non-HTML documents are never checked as if they were HTML pages: an SVG or MathML document
//! is parsed as foreign content (its elements keep their namespace), the rules about the HTML
//! page itself (language, title, meta elements) are `inapplicable`, and any other XML document
//! answers `cantTell` for every rule (pantau has no general XML parser).
//!
//! `cantTell` is also the answer where the decision needs a fetched resource, CSS or script
//! (an `iframe src` removed from the tab order, an `object` of unknown type), see
//! [`crate::rules::PageReport::undecided`].

use crate::fetch::{decode, FetchOutcome, Fetcher};
use crate::page::Page;
use crate::rules::{CheckContext, PageOutcome, RuleScope, RuleSet};
use crate::scorecard::{Evidence, RuleStatus};
use serde::Serialize;
use std::path::{Path, PathBuf};
use url::Url;

/// Rule kinds about the HTML page as a whole: inapplicable to SVG and MathML documents.
const PAGE_LEVEL_KINDS: &[&str] = &[
    "html_has_lang",
    "html_lang_valid",
    "document_title",
    "meta_refresh",
    "meta_viewport_zoom",
];

/// Errors of `pantau check`; each names the input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is larger than the body cap.
    #[error("{path}: {bytes} bytes, over the {cap}-byte cap (--max-body-bytes)")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        bytes: u64,
        /// The cap in bytes.
        cap: u64,
    },
    /// The file or response is binary data, not a markup document (WHATWG MIME Sniffing
    /// §7.1: a "binary data byte" in the first 1,445 bytes).
    #[error("{target}: not an HTML, SVG or XML document (binary data: byte 0x{byte:02x} at offset {offset})")]
    Binary {
        /// The file or URL.
        target: String,
        /// The first binary data byte.
        byte: u8,
        /// Its offset.
        offset: usize,
    },
    /// The target is neither a file path nor an http(s) URL.
    #[error("{target}: {reason}")]
    Target {
        /// The target as given.
        target: String,
        /// Why, for people.
        reason: String,
    },
    /// The URL answered with a document that is neither HTML nor SVG/XML (a PDF, an image, a
    /// text file): there is no markup to check.
    #[error("{url}: answered HTTP {status} with Content-Type {content_type}, not an HTML, SVG or XML document; nothing to check")]
    NotMarkup {
        /// The final URL.
        url: String,
        /// The HTTP status of the answer.
        status: u16,
        /// Its MIME essence (after sniffing).
        content_type: String,
    },
    /// The URL got no usable HTTP answer (or robots.txt disallows it).
    #[error("cannot fetch {url}: {reason}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why, for people.
        reason: String,
    },
}

/// What to check: a local file or an http(s) URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file path.
    File(PathBuf),
    /// An `http`/`https` URL.
    Url(Url),
}

impl Target {
    /// `http://…` and `https://…` are URLs; anything else without `scheme://` is a file path.
    /// Errors: [`CheckError::Target`] for another scheme (`ftp://…`) or an http(s) address that
    /// is not a valid URL (`https://[::1`), rather than looking for a file of that name.
    pub fn parse(s: &str) -> Result<Target, CheckError> {
        let Some((scheme, _)) = s.split_once("://") else {
            return Ok(Target::File(PathBuf::from(s)));
        };
        let bad = |reason: String| CheckError::Target {
            target: s.to_string(),
            reason,
        };
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(bad(format!(
                "unsupported scheme `{scheme}` (pantau checks http(s) URLs and local files)"
            )));
        }
        Url::parse(s)
            .map(Target::Url)
            .map_err(|e| bad(format!("not a valid URL: {e}")))
    }
}

/// The kind of document, which decides how it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    /// An HTML (or XHTML) page.
    Html,
    /// An SVG document (root `<svg>`).
    Svg,
    /// A MathML document (root `<math>`).
    Mathml,
    /// Any other XML document.
    Xml,
}

/// Sniff the kind: the first element after any BOM, XML declaration, comments and doctype
/// (`html` → HTML, `svg`, `math`); otherwise XML when the content type or file name says XML
/// (`image/svg+xml`, `*+xml`, `.xml`, `.svg`) or there was an XML declaration, else HTML
/// (fragments such as `<p>…` are HTML).
pub fn sniff_kind(text: &str, content_type: Option<&str>, name: &str) -> DocumentKind {
    let mut s = text.trim_start_matches('\u{feff}').trim_start();
    let mut xml_decl = false;
    loop {
        if let Some(rest) = s.strip_prefix("<?") {
            xml_decl = true;
            s = rest
                .split_once("?>")
                .map(|(_, r)| r)
                .unwrap_or("")
                .trim_start();
        } else if let Some(rest) = s.strip_prefix("<!--") {
            s = rest
                .split_once("-->")
                .map(|(_, r)| r)
                .unwrap_or("")
                .trim_start();
        } else if s.len() >= 9 && s[..9].eq_ignore_ascii_case("<!doctype") {
            if s[9..].trim_start().to_ascii_lowercase().starts_with("html") {
                return DocumentKind::Html;
            }
            s = s.split_once('>').map(|(_, r)| r).unwrap_or("").trim_start();
        } else {
            break;
        }
    }
    let root: String = s
        .strip_prefix('<')
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == ':' || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    let local = root.rsplit(':').next().unwrap_or("");
    match local {
        "html" => return DocumentKind::Html,
        "svg" => return DocumentKind::Svg,
        "math" => return DocumentKind::Mathml,
        _ => {}
    }
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let lower = name.to_ascii_lowercase();
    let says_xml = ct.ends_with("/xml")
        || ct.ends_with("+xml")
        || lower.ends_with(".xml")
        || lower.ends_with(".svg");
    if (says_xml || xml_decl) && ct != "application/xhtml+xml" {
        DocumentKind::Xml
    } else {
        DocumentKind::Html
    }
}

/// ACT outcome of a rule on one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActOutcome {
    /// At least one target, none failed.
    #[serde(rename = "passed")]
    Passed,
    /// At least one target failed.
    #[serde(rename = "failed")]
    Failed,
    /// No target.
    #[serde(rename = "inapplicable")]
    Inapplicable,
    /// The answer needs CSS, layout, script or a fetched resource.
    #[serde(rename = "cantTell")]
    CantTell,
}

impl ActOutcome {
    /// The ACT spelling: `passed`, `failed`, `inapplicable`, `cantTell`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActOutcome::Passed => "passed",
            ActOutcome::Failed => "failed",
            ActOutcome::Inapplicable => "inapplicable",
            ActOutcome::CantTell => "cantTell",
        }
    }
}

/// One page rule's outcome on the document.
#[derive(Debug, Clone, Serialize)]
pub struct RuleOutcome {
    /// pantau rule id (`image-alt`).
    pub rule: String,
    /// The W3C ACT rule id from the rule's `source` (`23a2a8`), when it names one.
    pub act_rule: Option<String>,
    /// English title.
    pub title: String,
    /// ACT outcome.
    pub outcome: ActOutcome,
    /// Applicable elements.
    pub elements_checked: u32,
    /// Failing elements (exact count).
    pub elements_failed: u32,
    /// Failing elements: selector path, snippet (≤ 200 chars) and message; at most
    /// [`crate::rules::accessibility::MAX_ELEMENT_EVIDENCE`].
    pub failures: Vec<Evidence>,
}

/// Everything `pantau check` found on one document.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The file path or URL as checked.
    pub target: String,
    /// How the document was parsed.
    pub document: DocumentKind,
    /// The HTTP status of the final response, for a URL (a 404 or 500 page is checked as
    /// served, and says so); absent for a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// One entry per page rule, in rule order.
    pub rules: Vec<RuleOutcome>,
}

/// The ACT rule id named in a rule source (`…; ACT rule 23a2a8`).
pub fn act_rule_id(source: &str) -> Option<String> {
    let at = source.find("ACT rule ")? + "ACT rule ".len();
    let id: String = source[at..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (id.len() == 6).then_some(id)
}

/// Check decoded document text (pure, no I/O). `url` is the document's address (for relative
/// links and evidence); `kind` from [`sniff_kind`].
pub fn check_text(rules: &RuleSet, url: Url, text: &str, kind: DocumentKind) -> CheckReport {
    let ctx = CheckContext {
        now: chrono::Utc::now().fixed_offset(),
        agency_host: url.host_str().unwrap_or("").to_string(),
        agency_types: None,
    };
    let target = url.to_string();
    let page = Page::parse(url, 200, text);
    let report = rules.check_page(&page, &ctx);
    let outcomes = report
        .results
        .iter()
        .filter_map(|r| {
            let rule = rules.rules().get(r.rule)?;
            if rule.scope != RuleScope::Page {
                return None;
            }
            let outcome = match kind {
                DocumentKind::Xml => ActOutcome::CantTell,
                DocumentKind::Svg | DocumentKind::Mathml
                    if PAGE_LEVEL_KINDS.contains(&rule.kind.as_str()) =>
                {
                    ActOutcome::Inapplicable
                }
                _ => match r.outcome {
                    PageOutcome::Fail => ActOutcome::Failed,
                    _ if report.undecided.iter().any(|(i, n)| *i == r.rule && *n > 0) => {
                        ActOutcome::CantTell
                    }
                    PageOutcome::Pass => ActOutcome::Passed,
                    PageOutcome::NotApplicable => ActOutcome::Inapplicable,
                },
            };
            let failures = if outcome == ActOutcome::Failed {
                r.evidence.clone()
            } else {
                Vec::new()
            };
            Some(RuleOutcome {
                rule: rule.id.clone(),
                act_rule: act_rule_id(&rule.source),
                title: rule.title_en.clone(),
                outcome,
                elements_checked: r.elements_checked,
                elements_failed: if outcome == ActOutcome::Failed {
                    r.elements_failed
                } else {
                    0
                },
                failures,
            })
        })
        .collect::<Vec<_>>();
    let mut outcomes = outcomes;
    if kind == DocumentKind::Html {
        outcomes.extend(spam_outcomes(rules, report.evidence, &ctx));
    }
    CheckReport {
        target,
        document: kind,
        http_status: None,
        rules: outcomes,
    }
}

/// The gambling-spam keyword rules (integrity, kind `spam_keywords`; research §8) judged on this
/// one document, so that a page suspected of being hacked shows its hits: a site rule's fail is
/// `failed`, its partial ("one visible term on one page: check by hand") `cantTell`, both
/// with the hits as evidence. They have no ACT rule.
fn spam_outcomes(
    rules: &RuleSet,
    evidence: crate::rules::PageEvidence,
    ctx: &CheckContext,
) -> Vec<RuleOutcome> {
    let mut site = rules.site_accumulator();
    site.add(evidence);
    let facts = crate::rules::SiteFacts {
        https: None,
        pages_checked: 1,
    };
    site.finish(&facts, ctx)
        .into_iter()
        .filter_map(|r| {
            let rule = rules.rules().get(r.rule)?;
            if rule.kind != "spam_keywords" {
                return None;
            }
            let outcome = match r.status {
                RuleStatus::Fail => ActOutcome::Failed,
                RuleStatus::Partial => ActOutcome::CantTell,
                RuleStatus::Pass => ActOutcome::Passed,
                _ => ActOutcome::Inapplicable,
            };
            Some(RuleOutcome {
                rule: rule.id.clone(),
                act_rule: None,
                title: rule.title_en.clone(),
                outcome,
                elements_checked: 1,
                elements_failed: match outcome {
                    ActOutcome::Failed => u32::try_from(r.evidence.len()).unwrap_or(u32::MAX),
                    _ => 0,
                },
                // A `cantTell` keeps its hits too: they are what to check by hand.
                failures: r.evidence,
            })
        })
        .collect()
}

/// Check a local file of at most `max_bytes` bytes (the fetcher's body cap,
/// `--max-body-bytes`): bytes decoded like a fetched body (BOM, `<meta charset>`, else UTF-8 or
/// windows-1252), kind sniffed from the content and the file name. Errors:
/// [`CheckError::Read`] naming the file, [`CheckError::TooLarge`], [`CheckError::Binary`].
pub fn check_file(rules: &RuleSet, path: &Path, max_bytes: u64) -> Result<CheckReport, CheckError> {
    let read_error = |source| CheckError::Read {
        path: path.to_path_buf(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > max_bytes {
        return Err(CheckError::TooLarge {
            path: path.to_path_buf(),
            bytes: size,
            cap: max_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    if let Some(format) = decode::sniff_binary(&bytes) {
        return Err(CheckError::Target {
            target: path.display().to_string(),
            reason: format!(
                "its first bytes say {format}, not an HTML, SVG or XML document; nothing to check"
            ),
        });
    }
    if let Some((offset, byte)) = binary_byte(&bytes) {
        return Err(CheckError::Binary {
            target: path.display().to_string(),
            byte,
            offset,
        });
    }
    let (mut text, _) = decode::decode_body(&bytes, None, true);
    let kind = sniff_kind(&text, None, &path.to_string_lossy());
    if kind == DocumentKind::Html {
        // As for a fetched page: markup nested past `MAX_NESTING` is cut there.
        decode::cut_deep_nesting(&mut text);
    }
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let url = Url::from_file_path(&abs)
        .or_else(|_| Url::parse("file:///document.html"))
        .map_err(|e| CheckError::Read {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
    let mut report = check_text(rules, url, &text, kind);
    report.target = path.display().to_string();
    Ok(report)
}

/// The first "binary data byte" (WHATWG MIME Sniffing §7.1: 0x00–0x08, 0x0B, 0x0E–0x1A,
/// 0x1C–0x1F) in the first 1,445 bytes, with its offset; `None` for text. Bytes after a UTF-16
/// byte order mark are text whatever their values.
fn binary_byte(bytes: &[u8]) -> Option<(usize, u8)> {
    if bytes.starts_with(&[0xFE, 0xFF]) || bytes.starts_with(&[0xFF, 0xFE]) {
        return None;
    }
    bytes
        .iter()
        .take(1445)
        .copied()
        .enumerate()
        .find(|&(_, b)| matches!(b, 0x00..=0x08 | 0x0B | 0x0E..=0x1A | 0x1C..=0x1F))
}

/// `s` with control characters (C0 but tab and newline, DEL, C1) shown as `\u{..}` escapes:
/// snippets come from the page, and a terminal would obey the escape sequences a hostile page
/// puts in them (clearing the screen, setting the window title).
fn terminal_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Fetch `url` with the polite fetcher (robots.txt, rate limit) and check the final document.
/// Errors: [`CheckError::Fetch`] when there is no HTTP answer or robots.txt disallows it.
pub async fn check_url(
    rules: &RuleSet,
    fetcher: &Fetcher,
    url: &Url,
) -> Result<CheckReport, CheckError> {
    match fetcher.fetch(url).await {
        FetchOutcome::Document(doc) => {
            let markup = doc.is_html()
                || doc.content_type.as_deref().is_none_or(|t| {
                    t.ends_with("+xml") || t == "application/xml" || t == "text/xml"
                });
            if !markup {
                return Err(CheckError::NotMarkup {
                    url: doc.final_url.to_string(),
                    status: doc.status,
                    content_type: doc.content_type.clone().unwrap_or_default(),
                });
            }
            if let Some((offset, byte)) = binary_byte(doc.text.as_bytes()) {
                return Err(CheckError::Binary {
                    target: url.to_string(),
                    byte,
                    offset,
                });
            }
            let kind = if doc.is_html() {
                DocumentKind::Html
            } else {
                sniff_kind(&doc.text, doc.content_type.as_deref(), doc.final_url.path())
            };
            let mut report = check_text(rules, doc.final_url.clone(), &doc.text, kind);
            report.target = url.to_string();
            report.http_status = Some(doc.status);
            Ok(report)
        }
        FetchOutcome::RobotsDisallowed(u) => Err(CheckError::Fetch {
            reason: fetcher
                .robots_unreachable(&u)
                .unwrap_or_else(|| "robots.txt disallows it for pantau".to_string()),
            url: u.to_string(),
        }),
        FetchOutcome::Failed(f) => Err(CheckError::Fetch {
            url: f.url.to_string(),
            reason: f.message,
        }),
    }
}

impl CheckReport {
    /// Human-readable report: one line per rule (`failed  image-alt  [ACT 23a2a8] …`), then one
    /// indented line per failing element with selector, snippet and message.
    /// Text from the page is made terminal-safe (control characters escaped).
    pub fn to_text(&self) -> String {
        let status = match self.http_status {
            Some(code @ 200..=299) => format!(", HTTP {code}"),
            Some(code) => format!(", HTTP {code}: the error page as served"),
            None => String::new(),
        };
        let mut s = format!(
            "{} ({:?}{status})\n",
            terminal_safe(&self.target),
            self.document
        );
        let width = self.rules.iter().map(|r| r.rule.len()).max().unwrap_or(0);
        for r in &self.rules {
            let act = r
                .act_rule
                .as_deref()
                .map(|a| format!("[ACT {a}] "))
                .unwrap_or_default();
            s.push_str(&format!(
                "{:<12} {:<width$}  {act}{}\n",
                r.outcome.as_str(),
                r.rule,
                r.title
            ));
            for f in &r.failures {
                // A hit in a link URL or the title has no element path: the snippet leads.
                let (head, body) = match f.selector.as_deref() {
                    Some(selector) => (selector, f.snippet.as_deref().unwrap_or("")),
                    None => (f.snippet.as_deref().unwrap_or(""), ""),
                };
                s.push_str(&format!("    {}\n", terminal_safe(head)));
                for line in [body, f.message.as_str()]
                    .into_iter()
                    .filter(|l| !l.is_empty())
                {
                    s.push_str(&format!("      {}\n", terminal_safe(line)));
                }
            }
            if r.elements_failed as usize > r.failures.len() {
                s.push_str(&format!(
                    "    … and {} more\n",
                    r.elements_failed as usize - r.failures.len()
                ));
            }
        }
        let count = |o: ActOutcome| self.rules.iter().filter(|r| r.outcome == o).count();
        s.push_str(&format!(
            "\n{} passed, {} failed, {} inapplicable, {} cantTell\n",
            count(ActOutcome::Passed),
            count(ActOutcome::Failed),
            count(ActOutcome::Inapplicable),
            count(ActOutcome::CantTell)
        ));
        s
    }

    /// The report as pretty JSON (`target`, `document`, `rules[]` with `rule`, `act_rule`,
    /// `title`, `outcome`, counts and `failures[]`).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// Does any rule fail?
    pub fn any_failed(&self) -> bool {
        self.rules.iter().any(|r| r.outcome == ActOutcome::Failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_files_or_http_urls() {
        assert_eq!(
            Target::parse("halaman/index.html").ok(),
            Some(Target::File(PathBuf::from("halaman/index.html")))
        );
        assert!(matches!(
            Target::parse("HTTPS://dinas.go.id/"),
            Ok(Target::Url(u)) if u.as_str() == "https://dinas.go.id/"
        ));
        let err = |s: &str| Target::parse(s).map(|_| ()).unwrap_err().to_string();
        assert_eq!(
            err("ftp://x/y"),
            "ftp://x/y: unsupported scheme `ftp` (pantau checks http(s) URLs and local files)"
        );
        assert!(err("https://[::1").starts_with("https://[::1: not a valid URL: "));
    }

    #[test]
    fn binary_data_is_told_from_text() {
        assert_eq!(binary_byte(b"\x7fELF\x02\x01\x01\x00"), Some((4, 0x02)));
        assert_eq!(binary_byte(b"\x89PNG\r\n\x1a\n"), Some((6, 0x1a)));
        assert_eq!(binary_byte(b"<!DOCTYPE html>\n<p>\tx\x0c</p>\r\n"), None);
        assert_eq!(binary_byte(&[0xFF, 0xFE, b'<', 0x00, b'p', 0x00]), None);
        // Only the first 1,445 bytes are sniffed.
        let mut late = vec![b' '; 1445];
        late.push(0x00);
        assert_eq!(binary_byte(&late), None);
    }

    #[test]
    fn page_text_cannot_drive_the_terminal() {
        assert_eq!(
            terminal_safe("<img src=\"\u{1b}]0;PWNED\u{7}\u{1b}[2J\">\tok\n"),
            "<img src=\"\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J\">\tok\n"
        );
        assert_eq!(terminal_safe("Dinas Kominfo — é"), "Dinas Kominfo — é");
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            sniff_kind("<!DOCTYPE html><p>x", None, "a.html"),
            DocumentKind::Html
        );
        assert_eq!(sniff_kind("<p>x</p>", None, "a.html"), DocumentKind::Html);
        assert_eq!(
            sniff_kind(
                "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
                None,
                "x"
            ),
            DocumentKind::Svg
        );
        assert_eq!(
            sniff_kind("<math lang=\"en\">", None, "a.xml"),
            DocumentKind::Mathml
        );
        assert_eq!(sniff_kind("<feed>", None, "a.xml"), DocumentKind::Xml);
        assert_eq!(
            sniff_kind(
                "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\">",
                None,
                "a.xhtml"
            ),
            DocumentKind::Html
        );
    }

    #[test]
    fn svg_document_is_not_an_html_page() {
        let rules = RuleSet::embedded().expect("rules");
        let url = Url::parse("https://a.example.go.id/x.svg").expect("url");
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg"><title>t</title></svg>"#;
        let report = check_text(&rules, url, svg, DocumentKind::Svg);
        let get = |id: &str| {
            report
                .rules
                .iter()
                .find(|r| r.rule == id)
                .map(|r| r.outcome)
                .expect("rule")
        };
        assert_eq!(get("document-title"), ActOutcome::Inapplicable);
        assert_eq!(get("html-has-lang"), ActOutcome::Inapplicable);
        assert_eq!(
            act_rule_id("WCAG 2.1 SC 2.4.2; ACT rule 2779a5"),
            Some("2779a5".into())
        );
    }
}
