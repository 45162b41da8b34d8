//! The single DOM walk's helpers: [`Frame`] (hidden / concealed / boilerplate state of the
//! open element), [`PageScan`] (what the walk gathers for the site kinds: title, headings,
//! body and main-content text, machine dates, anchors, keyword segments) and element evidence
//! (CSS selector path, opening-tag snippet).

use super::integrity::{self, Location, Segment};
use super::transparency::{self, Dated};
use super::{accname, dates, text};
use crate::page::{Anchor, AttrValue, Page};
use crate::scorecard::Evidence;
use scraper::ElementRef;

/// Walk state of one open element.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Frame {
    /// Excluded from the accessibility tree (itself or an ancestor).
    pub(crate) hidden: bool,
    /// Concealed by attribute or inline style (hidden, off-screen, zero size).
    concealed: bool,
    /// Text not part of the rendered body (head, script, style, template, noscript).
    skip_text: bool,
    /// Inside navigation, header, footer, sidebar or menu: not main content.
    boiler: bool,
}

const BOILER_HINTS: &[&str] = &["menu", "nav", "footer", "sidebar", "widget", "header"];

impl Frame {
    pub(crate) fn of(el: ElementRef<'_>, parent: Frame) -> Frame {
        let e = el.value();
        let name = e.name();
        let concealed_self = e.attr_value("hidden").is_some()
            || e.attr_value("aria-hidden")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
            || e.attr_value("style").is_some_and(integrity::style_conceals);
        let boiler_self = matches!(name, "nav" | "header" | "footer" | "aside")
            || [e.attr_value("id"), e.attr_value("class")]
                .into_iter()
                .flatten()
                .any(|v| {
                    BOILER_HINTS
                        .iter()
                        .any(|h| contains_ignore_ascii_case(v, h))
                });
        Frame {
            hidden: parent.hidden || accname::is_hidden_self(el),
            concealed: parent.concealed || concealed_self,
            skip_text: parent.skip_text
                || matches!(name, "head" | "script" | "style" | "template" | "noscript"),
            boiler: parent.boiler || boiler_self,
        }
    }
}

/// Does `hay` contain `needle` (lower-case ASCII), ignoring ASCII case? No copy of `hay`:
/// this runs on the `id` and `class` of every element.
fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .any(|w| w.eq_ignore_ascii_case(n))
}

/// Body text kept per page for date and contact scanning, in bytes.
const MAX_BODY_TEXT: usize = 256 * 1024;
/// Main-content text kept per page (for empty markers), in bytes.
const MAX_MAIN_TEXT: usize = 16 * 1024;

/// What the walk gathered for the site kinds; lives only while the page is checked.
pub(crate) struct PageScan<'p> {
    pub page: &'p Page,
    /// Text of the first `<title>`.
    pub title: String,
    /// `<h1>` texts (≤ 20).
    pub h1: Vec<String>,
    /// `<h2>`/`<h3>` texts (≤ 50).
    pub h23: Vec<String>,
    /// Rendered body text, space separated, capped.
    pub body_text: String,
    /// Main-content text (not nav/header/footer/menus), capped.
    pub main_text: String,
    /// Non-whitespace characters of main-content text.
    pub main_chars: usize,
    /// An image or document link in the main content.
    pub main_media: bool,
    /// Dates from `<time datetime>` and `article:published_time`.
    pub machine_dates: Vec<Dated>,
    /// Every anchor (all schemes, noscript included), gathered in the walk.
    pub anchors: Vec<Anchor>,
    /// Indices into `anchors` of the document links (by extension or viewer host) in the
    /// main content (≤ 20), for the `document` kind.
    pub main_docs: Vec<usize>,
    /// A search field is on the page (`search_box` kind).
    pub search_field: bool,
    /// Values the transparency kinds derive from the scan, computed once on first use.
    pub(crate) derived: transparency::Derived,
    /// Keyword segments, when a rule wants them.
    pub(crate) segments: std::cell::RefCell<Vec<Segment>>,
    wants_segments: bool,
}

const DOC_EXTENSIONS: &[&str] = &[
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ods", ".csv", ".ppt", ".pptx",
];

impl<'p> PageScan<'p> {
    pub(crate) fn new(page: &'p Page, wants_segments: bool) -> PageScan<'p> {
        PageScan {
            page,
            title: String::new(),
            h1: Vec::new(),
            h23: Vec::new(),
            body_text: String::new(),
            main_text: String::new(),
            main_chars: 0,
            main_media: false,
            machine_dates: Vec::new(),
            anchors: Vec::new(),
            main_docs: Vec::new(),
            search_field: false,
            derived: transparency::Derived::default(),
            segments: std::cell::RefCell::new(Vec::new()),
            wants_segments,
        }
    }

    /// Keep `text` as a keyword segment when a rule wants segments and it has a letter or
    /// digit (copied only then).
    fn segment(
        &self,
        text: &str,
        location: Location,
        concealed: bool,
        node: Option<ego_tree::NodeId>,
    ) {
        if self.wants_segments && text.chars().any(char::is_alphanumeric) {
            self.segments.borrow_mut().push(Segment {
                text: text.to_string(),
                location,
                concealed,
                node,
            });
        }
    }

    pub(crate) fn element(&mut self, el: ElementRef<'_>, f: &Frame) {
        let e = el.value();
        let anchored = match self.page.anchor_of(el) {
            Some(a) => {
                self.anchors.push(a);
                true
            }
            None => false,
        };
        match e.name() {
            "noscript" => {
                let found = self.page.noscript_anchors(el);
                self.anchors.extend(found);
            }
            "title" if self.title.is_empty() => {
                self.title = crate::page::element_text(el);
            }
            "h1" if self.h1.len() < 20 => self
                .h1
                .push(text::clip(&crate::page::element_text(el), 200)),
            "h2" | "h3" if self.h23.len() < 50 => self
                .h23
                .push(text::clip(&crate::page::element_text(el), 200)),
            "time" => {
                if let Some(d) = e.attr_value("datetime").and_then(dates::parse_machine_date) {
                    self.machine_dates.push(Dated {
                        date: d,
                        text: format!(
                            "<time datetime=\"{}\">",
                            text::clip(e.attr_value("datetime").unwrap_or(""), 60)
                        ),
                    });
                }
            }
            "meta" => {
                let key = e
                    .attr_value("property")
                    .or_else(|| e.attr_value("name"))
                    .unwrap_or("")
                    .to_ascii_lowercase();
                let content = e.attr_value("content").unwrap_or("");
                if key == "article:published_time" {
                    if let Some(d) = dates::parse_machine_date(content) {
                        self.machine_dates.push(Dated {
                            date: d,
                            text: format!("article:published_time {}", text::clip(content, 60)),
                        });
                    }
                }
                if matches!(
                    key.as_str(),
                    "description" | "keywords" | "og:title" | "og:description" | "twitter:title"
                ) {
                    self.segment(content, Location::Meta, false, Some(el.id()));
                }
            }
            "img" => {
                if let Some(alt) = e.attr_value("alt") {
                    self.segment(alt, Location::Alt, f.concealed, Some(el.id()));
                }
                if !f.boiler
                    && !f.skip_text
                    && e.attr_value("src").is_some_and(|s| !s.trim().is_empty())
                {
                    self.main_media = true;
                }
            }
            "a" if !f.boiler && !f.skip_text => {
                if let Some(href) = e.attr_value("href") {
                    let h = href.to_ascii_lowercase();
                    let path = h.split(['?', '#']).next().unwrap_or("");
                    if DOC_EXTENSIONS.iter().any(|x| path.ends_with(x)) {
                        self.main_media = true;
                    }
                }
                let last = self.anchors.len().checked_sub(1).filter(|_| anchored);
                if let Some(i) = last {
                    let is_doc =
                        transparency::document::doc_type_of_url(&self.anchors[i].url).is_some();
                    if is_doc && self.main_docs.len() < 20 {
                        self.main_media = true;
                        self.main_docs.push(i);
                    }
                }
            }
            "input" if transparency::links::is_search_input(e) => {
                self.search_field = true;
            }
            "script"
                if e.attr_value("type")
                    .is_some_and(|t| t.to_ascii_lowercase().contains("ld+json")) =>
            {
                let json: String = el.text().collect();
                for (d, text) in dates::json_ld_dates(&json) {
                    self.machine_dates.push(Dated { date: d, text });
                }
            }
            _ => {}
        }
    }

    pub(crate) fn text(&mut self, t: &str, f: &Frame, parent: Option<ego_tree::NodeId>) {
        if f.skip_text || t.trim().is_empty() {
            return;
        }
        if self.body_text.len() < MAX_BODY_TEXT {
            self.body_text.push_str(t);
            self.body_text.push(' ');
        }
        if !f.boiler {
            self.main_chars += non_whitespace_chars(t);
            if self.main_text.len() < MAX_MAIN_TEXT {
                self.main_text.push_str(t);
                self.main_text.push(' ');
            }
        }
        self.segment(t, Location::Text, f.concealed, parent);
    }
}

/// Characters of `t` that are not white space (`char::is_whitespace`), counted byte-wise when
/// `t` is ASCII (most page text), where decoding each character cost more than the rest of
/// the text handling.
fn non_whitespace_chars(t: &str) -> usize {
    if t.is_ascii() {
        t.bytes()
            .filter(|b| !matches!(b, b' ' | b'\t'..=b'\r'))
            .count()
    } else {
        t.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// Evidence for one element: the page URL, its CSS selector path, its opening tag (≤ 200
/// characters) and `message`.
pub(crate) fn element_evidence(page: &Page, el: ElementRef<'_>, message: &str) -> Evidence {
    Evidence {
        url: page.url.to_string(),
        selector: Some(css_path(el)),
        snippet: Some(opening_tag(el)),
        message: message.to_string(),
        pages: None,
    }
}

/// CSS selector path from the root: `html > body > div:nth-of-type(2) > img`; `:nth-of-type`
/// only where the parent has several children of that tag.
pub fn css_path(el: ElementRef<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = Some(el);
    while let Some(e) = cur {
        let name = e.value().name();
        let parent = e.parent();
        let mut part = name.to_string();
        if let Some(p) = parent {
            let same: Vec<_> = p
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| c.value().name() == name)
                .collect();
            if same.len() > 1 {
                if let Some(i) = same.iter().position(|c| c.id() == e.id()) {
                    part.push_str(&format!(":nth-of-type({})", i + 1));
                }
            }
        }
        parts.push(part);
        cur = parent.and_then(ElementRef::wrap);
    }
    parts.reverse();
    parts.join(" > ")
}

/// The element's opening tag as source-like text, at most 200 characters.
pub fn opening_tag(el: ElementRef<'_>) -> String {
    let e = el.value();
    let mut s = format!("<{}", e.name());
    for (k, v) in e.attrs() {
        s.push(' ');
        s.push_str(k);
        s.push_str("=\"");
        s.push_str(&v.replace('"', "&quot;"));
        s.push('"');
    }
    s.push('>');
    text::clip(&s, 200)
}

#[cfg(test)]
mod tests {
    use super::{contains_ignore_ascii_case, non_whitespace_chars};

    #[test]
    fn boiler_hints_match_in_any_ascii_case() {
        assert!(contains_ignore_ascii_case("site-NavBar top", "nav"));
        assert!(contains_ignore_ascii_case("Footer", "footer"));
        assert!(!contains_ignore_ascii_case("navi", "navigation"));
        assert!(!contains_ignore_ascii_case("héader", "header"));
    }

    #[test]
    fn ascii_fast_path_counts_like_char_is_whitespace() {
        let all_ascii: String = (0u8..=127).map(char::from).collect();
        let slow = all_ascii.chars().filter(|c| !c.is_whitespace()).count();
        assert_eq!(non_whitespace_chars(&all_ascii), slow);
        assert_eq!(slow, 122);
        // Non-ASCII text takes the char path: NBSP and ideographic space are white space.
        assert_eq!(non_whitespace_chars("a\u{a0}b\u{3000}é"), 3);
    }
}
