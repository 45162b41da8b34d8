//! The single DOM walk's helpers: [`Frame`] (hidden / concealed / boilerplate state of the
//! open element), [`PageScan`] (what the walk gathers for the site kinds: title, headings,
//! body and main-content text, machine dates, anchors, keyword segments) and element evidence
//! (CSS selector path, opening-tag snippet).

use super::accname::{self, HidingAttribute};
use super::integrity::{self, FirstWords, Location, Segment};
use super::transparency::{self, Dated};
use super::{dates, text};
use crate::page::{Anchor, AttrValue, HrefCache, Page};
use crate::scorecard::Evidence;
use markup5ever::{local_name, ns};
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

impl Frame {
    /// The frame of `el` under `parent`. `hidden` is `accname::is_hidden_self` (head,
    /// script, style, template, noscript, `<input type=hidden>`, `hidden`,
    /// `aria-hidden=true`, `display:none` / `visibility:hidden|collapse`) and `concealed`
    /// adds the inline styles of [`integrity::style_flags`]; both from one pass over the
    /// attributes (names compared as interned atoms) and one over the inline style, where
    /// separate look-ups per question cost a fifth of the walk.
    pub(crate) fn of(el: ElementRef<'_>, parent: Frame) -> Frame {
        let e = el.value();
        let name = e.name();
        let mut hidden_attr = false;
        let mut aria_hidden: Option<&str> = None;
        let mut style: Option<&str> = None;
        let mut input_type: Option<&str> = None;
        let mut boiler_attr = false;
        for (q, v) in &e.attrs {
            if q.ns != ns!() {
                continue;
            }
            let l = &q.local;
            if *l == local_name!("hidden") {
                hidden_attr = true;
            } else if *l == local_name!("aria-hidden") {
                aria_hidden = aria_hidden.or(Some(&**v));
            } else if *l == local_name!("style") {
                style = style.or(Some(&**v));
            } else if *l == local_name!("type") {
                input_type = input_type.or(Some(&**v));
            } else if *l == local_name!("id") || *l == local_name!("class") {
                boiler_attr = boiler_attr || has_boiler_hint(v);
            }
        }
        let aria_true = aria_hidden
            .is_some_and(|v| accname::hidden_by_attribute(name, HidingAttribute::AriaHidden(v)));
        let (style_hides, style_conceals) = style.map_or((false, false), integrity::style_flags);
        let skip_self = accname::is_skipped_tag(name);
        let hidden_self = skip_self
            || input_type
                .is_some_and(|t| accname::hidden_by_attribute(name, HidingAttribute::Type(t)))
            || (hidden_attr && accname::hidden_by_attribute(name, HidingAttribute::Hidden))
            || aria_true
            || style_hides;
        let boiler_self = matches!(name, "nav" | "header" | "footer" | "aside") || boiler_attr;
        Frame {
            hidden: parent.hidden || hidden_self,
            concealed: parent.concealed || hidden_attr || aria_true || style_conceals,
            skip_text: parent.skip_text || skip_self,
            boiler: parent.boiler || boiler_self,
        }
    }
}

/// Does an `id` or `class` value contain a boilerplate hint (`menu`, `nav`, `footer`,
/// `sidebar`, `widget`, `header`), ignoring ASCII case? One pass: a hint is compared only
/// where a byte could begin it.
fn has_boiler_hint(v: &str) -> bool {
    let b = v.as_bytes();
    (0..b.len()).any(|i| {
        let hint: &[u8] = match b[i].to_ascii_lowercase() {
            b'm' => b"menu",
            b'n' => b"nav",
            b'f' => b"footer",
            b's' => b"sidebar",
            b'w' => b"widget",
            b'h' => b"header",
            _ => return false,
        };
        b[i..]
            .get(..hint.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(hint))
    })
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
    /// Keyword segments of the walk (text, meta, image alt) that may hold a spam phrase.
    pub(crate) segments: Vec<Segment>,
    /// The first words of every spam rule's phrases, when a rule wants segments: a segment
    /// in which none can be a token is not kept.
    pub(crate) segment_filter: Option<&'p FirstWords>,
    /// Each distinct href joined once.
    hrefs: HrefCache<'p>,
}

const DOC_EXTENSIONS: &[&str] = &[
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ods", ".csv", ".ppt", ".pptx",
];

impl<'p> PageScan<'p> {
    pub(crate) fn new(page: &'p Page, segment_filter: Option<&'p FirstWords>) -> PageScan<'p> {
        PageScan {
            page,
            title: String::new(),
            h1: Vec::new(),
            h23: Vec::new(),
            // Reserved once: growing by doubling cost a dozen copies per page.
            body_text: String::with_capacity(32 * 1024),
            main_text: String::with_capacity(MAX_MAIN_TEXT + 1024),
            main_chars: 0,
            main_media: false,
            machine_dates: Vec::new(),
            anchors: Vec::new(),
            main_docs: Vec::new(),
            search_field: false,
            derived: transparency::Derived::default(),
            segments: Vec::new(),
            segment_filter,
            hrefs: HrefCache::default(),
        }
    }

    /// Keep `text` as a keyword segment when a rule wants segments, it has a letter or digit
    /// and a spam phrase's first word may be one of its tokens (copied only then: a page
    /// has thousands of segments and almost never such a word).
    fn segment(
        &mut self,
        text: &str,
        location: Location,
        concealed: bool,
        node: Option<ego_tree::NodeId>,
    ) {
        if self.segment_filter.is_some_and(|f| f.may_match(text))
            && text.chars().any(char::is_alphanumeric)
        {
            self.segments.push(Segment {
                text: text.to_string(),
                location,
                concealed,
                node,
            });
        }
    }

    pub(crate) fn element(&mut self, el: ElementRef<'p>, f: &Frame) {
        let e = el.value();
        let anchored = match self.hrefs.anchor_of(self.page, el) {
            Some((a, href)) => {
                self.anchors.push(a);
                Some(href)
            }
            None => None,
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
                    let path = href.split(['?', '#']).next().unwrap_or("").as_bytes();
                    if DOC_EXTENSIONS.iter().any(|x| {
                        path.len() >= x.len()
                            && path[path.len() - x.len()..].eq_ignore_ascii_case(x.as_bytes())
                    }) {
                        self.main_media = true;
                    }
                }
                if let Some(href) = anchored.filter(|_| self.main_docs.len() < 20) {
                    let is_doc = self.hrefs.is_doc(href, |url| {
                        transparency::document::doc_type_of_url(url).is_some()
                    });
                    if is_doc {
                        self.main_media = true;
                        self.main_docs.push(self.anchors.len() - 1);
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
        if f.skip_text || is_blank(t) {
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

/// Is `t` empty or only white space (`char::is_whitespace`, as `t.trim().is_empty()`)? Bytes
/// are tested while they are ASCII; Unicode trimming of every text node cost more than the
/// rest of the text handling.
fn is_blank(t: &str) -> bool {
    let b = t.as_bytes();
    match b.iter().position(|&c| !matches!(c, b' ' | b'\t'..=b'\r')) {
        None => true,
        Some(i) if b[i].is_ascii() => false,
        // Bytes before `i` are ASCII, so `i` begins a character.
        Some(i) => t[i..].chars().all(char::is_whitespace),
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
    use super::{has_boiler_hint, is_blank, non_whitespace_chars, Frame};
    use crate::page::Page;
    use crate::rules::{accname, integrity, text::test_rng};
    use scraper::ElementRef;

    /// The per-hint search the one-pass [`has_boiler_hint`] replaced.
    fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
        let n = needle.as_bytes();
        hay.as_bytes()
            .windows(n.len())
            .any(|w| w.eq_ignore_ascii_case(n))
    }

    #[test]
    fn boiler_hints_match_in_any_ascii_case() {
        assert!(has_boiler_hint("site-NavBar top"));
        assert!(has_boiler_hint("Footer"));
        assert!(has_boiler_hint("x-SIDEBAR"));
        assert!(!has_boiler_hint("na v"));
        assert!(!has_boiler_hint("héader"));
        assert!(!has_boiler_hint("foote"));
        let hints = ["menu", "nav", "footer", "sidebar", "widget", "header"];
        let parts = [
            "me", "nu", "MENU", "n", "av", "NaV", "foot", "er", "side", "bar", "wid", "GET",
            "head", "é", "-", " ", "x",
        ];
        let mut next = test_rng(0x5eed_b01e);
        for _ in 0..3000 {
            let v: String = (0..next(6)).map(|_| parts[next(parts.len())]).collect();
            let old = hints.iter().any(|h| contains_ignore_ascii_case(&v, h));
            assert_eq!(has_boiler_hint(&v), old, "{v:?}");
        }
    }

    #[test]
    fn blank_is_trim_empty() {
        let parts = [
            " ", "\t", "\n", "\u{b}", "\u{c}", "\r", "\u{a0}", "\u{3000}", "\u{1c}", "a", "é",
            "\u{200b}",
        ];
        let mut next = test_rng(0xb1a2_c3d4);
        for _ in 0..3000 {
            let t: String = (0..next(5)).map(|_| parts[next(parts.len())]).collect();
            assert_eq!(is_blank(&t), t.trim().is_empty(), "{t:?}");
        }
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

    /// The one-pass frame agrees with the look-ups it replaced: `hidden` with
    /// `accname::is_hidden_self`, `concealed` with `hidden`/`aria-hidden`/`style_conceals`, on
    /// random elements (attribute order and case, styles, hints) under every parent state.
    #[test]
    fn frame_agrees_with_separate_lookups() {
        let tags = [
            "div", "input", "nav", "script", "span", "aside", "noscript", "p",
        ];
        let attrs = [
            "hidden",
            "aria-hidden=\"true\"",
            "aria-hidden=\" TRUE \"",
            "aria-hidden=\"false\"",
            "type=\"hidden\"",
            "type=\"Hidden \"",
            "type=\"text\"",
            "style=\"display:none\"",
            "style=\"DISPLAY: None !important\"",
            "style=\"visibility:collapse\"",
            "style=\"left:-9999px; color:red\"",
            "style=\"font-size:0\"",
            "style=\"height:1PX;overflow:hidden\"",
            "style=\"opacity:0.0\"",
            "style=\"width:2em\"",
            "id=\"main-nav\"",
            "class=\"Widget box\"",
            "class=\"content\"",
        ];
        let mut next = test_rng(0xf4a3_e001);
        let mut html = String::from("<html><head></head><body>");
        for _ in 0..400 {
            let tag = tags[next(tags.len())];
            html.push_str(&format!("<{tag}"));
            for _ in 0..next(4) {
                html.push(' ');
                html.push_str(attrs[next(attrs.len())]);
            }
            html.push_str(&format!(">x</{tag}>"));
        }
        html.push_str("</body></html>");
        let url = url::Url::parse("https://a.go.id/").expect("url");
        let page = Page::parse(url, 200, &html);
        let mut seen = 0;
        for el in page
            .html
            .tree
            .root()
            .descendants()
            .filter_map(ElementRef::wrap)
        {
            let e = el.value();
            let concealed = e.attr("hidden").is_some()
                || e.attr("aria-hidden")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
                || e.attr("style").is_some_and(integrity::style_conceals);
            for parent in [
                Frame::default(),
                Frame {
                    hidden: true,
                    concealed: true,
                    skip_text: true,
                    boiler: true,
                },
            ] {
                let f = Frame::of(el, parent);
                assert_eq!(
                    f.hidden,
                    parent.hidden || accname::is_hidden_self(el),
                    "{e:?}"
                );
                assert_eq!(f.concealed, parent.concealed || concealed, "{e:?}");
            }
            seen += 1;
        }
        assert!(seen > 400);
    }
}
