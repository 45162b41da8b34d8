//! A fetched, decoded, parsed document: [`Page`]. Built once per page on a blocking thread,
//! checked by every page rule, and dropped.
//!
//! INTERFACE CONTRACT (used by `audit.rs`): `Page::parse(url: Url, status: u16, html: &str) -> Page`
//! and `Page::links(&self) -> Vec<Link>` (absolute, resolved against the first `<base href>`).
//!
//! Input → output: a decoded HTML body (`&str`) → [`Page`] (DOM plus an `id` index) →
//! [`Link`]s for the crawler and [`Anchor`]s (every scheme, `mailto:`/`tel:` included) for the
//! rules.

use scraper::{ElementRef, Html, Node};
use std::collections::hash_map::Entry;
use std::collections::HashMap;
use url::Url;

/// Attribute look-up for the DOM walk: `el.value().attr_value("href")`.
///
/// Same answer as scraper's `Element::attr` (an attribute in no namespace, name compared
/// exactly; html5ever lower-cases HTML attribute names), found by a linear scan comparing the
/// names as strings. scraper's version interns the name on every call (a hash-set look-up)
/// and binary-searches with string comparisons; elements carry a handful of attributes and the
/// walk asks each element a dozen questions, so that was 15–18% of `RuleSet::check_page`.
pub trait AttrValue {
    /// The value of attribute `name`, if present.
    fn attr_value(&self, name: &str) -> Option<&str>;
}

impl AttrValue for scraper::node::Element {
    fn attr_value(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(q, _)| q.ns.is_empty() && &*q.local == name)
            .map(|(_, v)| &**v)
    }
}

/// A hyperlink found on a page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Link {
    /// Absolute URL, fragment kept (the crawler drops it).
    pub url: Url,
    /// Visible text, whitespace collapsed.
    pub text: String,
}

/// Any `<a href>` / `<area href>` of a page, whatever its scheme (`http`, `https`, `mailto`,
/// `tel`, `javascript`, …), resolved against the document base URL. Used by the rules: the
/// contact rule needs `mailto:` and `tel:` targets that [`Page::links`] leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Resolved URL.
    pub url: Url,
    /// Text from descendants (text nodes and `<img alt>`), plus the `title` attribute when the
    /// text is empty; whitespace collapsed.
    pub text: String,
    /// True when the anchor was found inside a `<noscript>` (re-parsed from its text).
    pub in_noscript: bool,
}

/// One parsed HTML document.
pub struct Page {
    /// Final URL of the response.
    pub url: Url,
    /// HTTP status.
    pub status: u16,
    /// The DOM.
    pub html: scraper::Html,
    /// `id` attribute → first element carrying it (document order), for `aria-labelledby`
    /// and `<label for>` look-ups (HTML: ids are unique; the first one wins).
    ids: HashMap<String, ego_tree::NodeId>,
    /// The document base URL: the first `<base href>` resolved against `url`, else `url`
    /// (HTML Living Standard §2.4.1 "document base URL").
    base: Url,
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("url", &self.url.as_str())
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl Page {
    /// Parse a decoded HTML body. Never fails: html5ever recovers from any input.
    pub fn parse(url: Url, status: u16, html: &str) -> Page {
        let html = Html::parse_document(html);
        let (ids, base) =
            index_by_arena(&html, &url).unwrap_or_else(|| index_in_order(&html, &url));
        Page {
            url,
            status,
            html,
            ids,
            base,
        }
    }

    /// The document base URL (first `<base href>` resolved against the page URL, else the page
    /// URL).
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// The element whose `id` is `id` (the first in document order), if any.
    pub fn element_by_id(&self, id: &str) -> Option<ElementRef<'_>> {
        let node_id = *self.ids.get(id)?;
        self.html.tree.get(node_id).and_then(ElementRef::wrap)
    }

    /// The crawlable links of the page: `http`/`https` targets of `<a href>` and `<area href>`,
    /// including those inside `<noscript>`, in document order (noscript ones at the end),
    /// resolved against the document base URL. `javascript:`, `mailto:`, `tel:` and other
    /// schemes are skipped; unparsable hrefs are skipped.
    pub fn links(&self) -> Vec<Link> {
        self.anchors()
            .into_iter()
            .filter(|a| matches!(a.url.scheme(), "http" | "https"))
            .map(|a| Link {
                url: a.url,
                text: a.text,
            })
            .collect()
    }

    /// Every `<a href>`/`<area href>` of the page whatever the scheme, noscript content
    /// included (html5ever keeps `<noscript>` content as text when scripting is on, so it is
    /// re-parsed as a fragment); document order, noscript anchors after the others.
    pub fn anchors(&self) -> Vec<Anchor> {
        let mut out = Vec::new();
        let mut noscript = Vec::new();
        for node in self.html.tree.root().descendants() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            if let Some(a) = self.anchor_of(el) {
                out.push(a);
            } else if el.value().name() == "noscript" {
                noscript.extend(self.noscript_anchors(el));
            }
        }
        out.extend(noscript);
        out
    }

    /// The anchor an `<a href>` or `<area href>` element makes (`None` for other elements and
    /// for hrefs that do not resolve against the base URL).
    pub fn anchor_of(&self, el: ElementRef<'_>) -> Option<Anchor> {
        anchor_of(el, &self.base, false)
    }

    /// The anchors inside a `<noscript>` element, whose content html5ever keeps as text:
    /// that text is parsed as an HTML fragment.
    pub fn noscript_anchors(&self, noscript: ElementRef<'_>) -> Vec<Anchor> {
        let inner: String = noscript.text().collect();
        if !inner.contains('<') {
            return Vec::new();
        }
        let fragment = Html::parse_fragment(&inner);
        fragment
            .tree
            .root()
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter_map(|el| anchor_of(el, &self.base, true))
            .collect()
    }
}

/// The `id` index and the document base URL of a page (see [`Page::parse`]).
type Index = (HashMap<String, ego_tree::NodeId>, Url);

/// The index from one walk in document order: the first element with an id wins; the base
/// URL is the first `<base href>` that resolves against `url`, else `url`.
fn index_in_order(html: &Html, url: &Url) -> Index {
    let mut ids = HashMap::new();
    let mut base: Option<Url> = None;
    for node in html.tree.root().descendants() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        if let Some(id) = el.value().attr_value("id") {
            ids.entry(id.to_string()).or_insert(node.id());
        }
        if base.is_none() && el.value().name() == "base" {
            if let Some(href) = el.value().attr_value("href") {
                base = url.join(href.trim()).ok();
            }
        }
    }
    (ids, base.unwrap_or_else(|| url.clone()))
}

/// [`index_in_order`] read from the node arena (a flat scan, no tree walk): an id on several
/// elements goes to the first in document order ([`precedes`]); `None` when there are
/// several `<base href>` (the walk decides then). Nodes the parser detached from the
/// document are skipped, as the walk never meets them.
fn index_by_arena(html: &Html, url: &Url) -> Option<Index> {
    let root = html.tree.root().id();
    let attached = |node: ego_tree::NodeRef<'_, Node>| {
        node.ancestors().last().is_some_and(|top| top.id() == root)
    };
    let mut ids = HashMap::new();
    let mut base_href: Option<&str> = None;
    for node in html.tree.nodes() {
        let Node::Element(e) = node.value() else {
            continue;
        };
        if e.attrs.is_empty() {
            continue;
        }
        let id = e.attr_value("id");
        let href = if e.name() == "base" {
            e.attr_value("href")
        } else {
            None
        };
        if (id.is_none() && href.is_none()) || !attached(node) {
            continue;
        }
        if let Some(id) = id {
            match ids.entry(id.to_string()) {
                Entry::Vacant(v) => {
                    v.insert(node.id());
                }
                Entry::Occupied(mut o) => {
                    // HTML ids are unique, pages' often not: the first in document order wins.
                    let other = html.tree.get(*o.get())?;
                    if precedes(node, other) {
                        o.insert(node.id());
                    }
                }
            }
        }
        if let Some(href) = href {
            if base_href.replace(href).is_some() {
                return None;
            }
        }
    }
    let base = base_href.and_then(|h| url.join(h.trim()).ok());
    Some((ids, base.unwrap_or_else(|| url.clone())))
}

/// Does `a` come before `b` in document order (tree order: an ancestor before its
/// descendants, then sibling order)? Both in the same tree.
fn precedes(a: ego_tree::NodeRef<'_, Node>, b: ego_tree::NodeRef<'_, Node>) -> bool {
    let chain = |n: ego_tree::NodeRef<'_, Node>| {
        let mut c: Vec<ego_tree::NodeId> = n.ancestors().map(|x| x.id()).collect();
        c.reverse();
        c.push(n.id());
        c
    };
    let (ca, cb) = (chain(a), chain(b));
    let k = ca.iter().zip(&cb).take_while(|(x, y)| x == y).count();
    match (ca.get(k), cb.get(k)) {
        (Some(&x), Some(&y)) => a
            .tree()
            .get(x)
            .is_some_and(|x| x.next_siblings().any(|s| s.id() == y)),
        // `a` is an ancestor of `b` (or the same node).
        (None, _) => ca.len() < cb.len(),
        (Some(_), None) => false,
    }
}

fn anchor_of(el: ElementRef<'_>, base: &Url, in_noscript: bool) -> Option<Anchor> {
    let href = anchor_href(el)?;
    let url = base.join(href).ok()?;
    Some(anchor_with_url(el, url, in_noscript))
}

/// The trimmed `href` of an `<a>` or `<area>` element (`None` for other elements and for
/// anchors without `href`).
fn anchor_href(el: ElementRef<'_>) -> Option<&str> {
    if !matches!(el.value().name(), "a" | "area") {
        return None;
    }
    Some(el.value().attr_value("href")?.trim())
}

/// The anchor of `el`, whose href resolved to `url`: text as [`Anchor::text`] describes.
fn anchor_with_url(el: ElementRef<'_>, url: Url, in_noscript: bool) -> Anchor {
    let mut text = element_text(el);
    if text.is_empty() {
        text = collapse_ws(el.value().attr_value("title").unwrap_or(""));
    }
    Anchor {
        url,
        text,
        in_noscript,
    }
}

/// Resolved hrefs of one page's walk, by trimmed href: a page links the same target from
/// its menu, its headline and its "read more" (kedirikab: 349 anchors, 149 distinct hrefs),
/// and a URL join costs more than the rest of an anchor; a clone of the resolved URL is the
/// same value (`Url::join` depends only on the base and the href).
#[derive(Default)]
pub(crate) struct HrefCache<'p> {
    joined: rustc_hash::FxHashMap<&'p str, Joined>,
}

/// One distinct href of a page: its resolved URL (`None`: it does not resolve) and, once
/// asked, whether that URL is a document link.
struct Joined {
    url: Option<Url>,
    is_doc: Option<bool>,
}

impl<'p> HrefCache<'p> {
    /// [`Page::anchor_of`] for an element of `page`, each distinct href joined once; with the
    /// anchor, its trimmed href, the handle for [`HrefCache::is_doc`].
    pub(crate) fn anchor_of(
        &mut self,
        page: &Page,
        el: ElementRef<'p>,
    ) -> Option<(Anchor, &'p str)> {
        let href = anchor_href(el)?;
        let joined = self.joined.entry(href).or_insert_with(|| Joined {
            url: page.base.join(href).ok(),
            is_doc: None,
        });
        let url = joined.url.clone()?;
        Some((anchor_with_url(el, url, false), href))
    }

    /// `is_doc(url)` for the URL the trimmed `href` from [`HrefCache::anchor_of`] resolved
    /// to, computed once per distinct href (`false` for an href never resolved).
    pub(crate) fn is_doc(&mut self, href: &str, is_doc: impl FnOnce(&Url) -> bool) -> bool {
        match self.joined.get_mut(href) {
            Some(Joined {
                url: Some(url),
                is_doc: cached,
            }) => *cached.get_or_insert_with(|| is_doc(url)),
            _ => false,
        }
    }
}

/// Text of an element's descendants with `<img alt>` included, whitespace collapsed;
/// `<script>`, `<style>` and `<template>` content is skipped. Iterative, so deeply nested
/// markup cannot overflow the stack.
pub fn element_text(el: ElementRef<'_>) -> String {
    let mut out = Collapsed::default();
    // Depth inside a skipped element (script, style, template); 0 when not skipping.
    let mut skip = 0usize;
    for edge in el.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    if skip > 0 || matches!(e.name(), "script" | "style" | "template") {
                        skip += 1;
                    } else if e.name() == "img" {
                        out.gap = true;
                        out.push(e.attr_value("alt").unwrap_or(""));
                        out.gap = true;
                    }
                }
                Node::Text(t) if skip == 0 => out.push(t),
                _ => {}
            },
            ego_tree::iter::Edge::Close(node) => {
                if node.value().is_element() && skip > 0 {
                    skip -= 1;
                }
            }
        }
    }
    out.text
}

/// Collapse runs of Unicode whitespace to one ASCII space and trim.
pub fn collapse_ws(s: &str) -> String {
    let mut out = Collapsed {
        text: String::with_capacity(s.len()),
        gap: false,
    };
    out.push(s);
    out.text
}

/// Text built piece by piece with [`collapse_ws`]'s result for the concatenation of the
/// pieces, without building the concatenation: words (runs of non-white-space characters,
/// `char::is_whitespace`) joined by one space, none before the first.
#[derive(Default)]
struct Collapsed {
    text: String,
    /// White space was seen since the last word.
    gap: bool,
}

impl Collapsed {
    fn push(&mut self, s: &str) {
        let b = s.as_bytes();
        let word = |c: u8| c.is_ascii() && !is_ascii_ws(c);
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            let start = i;
            if word(c) {
                // ASCII words joined by single spaces are copied as one piece.
                i += 1;
                loop {
                    while i < b.len() && word(b[i]) {
                        i += 1;
                    }
                    if b.get(i) == Some(&b' ') && b.get(i + 1).is_some_and(|&n| word(n)) {
                        i += 2;
                        continue;
                    }
                    break;
                }
            } else if c.is_ascii() {
                self.gap = true;
                i += 1;
                continue;
            } else {
                // A non-ASCII byte after ASCII ones (or at the start) begins a character.
                let Some(ch) = s[i..].chars().next() else {
                    break;
                };
                i += ch.len_utf8();
                if ch.is_whitespace() {
                    self.gap = true;
                    continue;
                }
            }
            if self.gap && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.gap = false;
            self.text.push_str(&s[start..i]);
        }
    }
}

/// The ASCII characters `char::is_whitespace` accepts: space, tab, line feed, vertical tab,
/// form feed, carriage return.
fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(html: &str) -> Page {
        let url = Url::parse("https://dinas.example.go.id/profil/index.html").expect("test url");
        Page::parse(url, 200, html)
    }

    #[test]
    fn links_resolve_against_first_base_and_skip_other_schemes() {
        let p = page(
            r#"<html><head><base href="/sub/"><base href="https://other.example/"></head><body>
            <a href="a.html">  Satu
               <b>Dua</b> </a>
            <a href="javascript:void(0)">js</a>
            <a href="mailto:ppid@example.go.id">mail</a>
            <a href="tel:+6242621234">tel</a>
            <a href="https://x.example/#frag"><img src="i.png" alt="Logo PPID"></a>
            <map><area href="/peta" alt="peta"></map>
            </body></html>"#,
        );
        let links = p.links();
        let got: Vec<(&str, &str)> = links
            .iter()
            .map(|l| (l.url.as_str(), l.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("https://dinas.example.go.id/sub/a.html", "Satu Dua"),
                ("https://x.example/#frag", "Logo PPID"),
                ("https://dinas.example.go.id/peta", ""),
            ]
        );
        let schemes: Vec<String> = p
            .anchors()
            .iter()
            .map(|a| a.url.scheme().to_string())
            .collect();
        assert_eq!(
            schemes,
            vec!["https", "javascript", "mailto", "tel", "https", "https"]
        );
    }

    #[test]
    fn noscript_links_are_found() {
        let p = page(
            r#"<html><body><noscript><a href="/ppid">PPID</a></noscript><a href="/b">B</a></body></html>"#,
        );
        let got: Vec<(String, String)> = p
            .links()
            .into_iter()
            .map(|l| (l.url.path().to_string(), l.text))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/b".to_string(), "B".to_string()),
                ("/ppid".to_string(), "PPID".to_string())
            ]
        );
        assert!(p.anchors()[1].in_noscript);
    }

    #[test]
    fn base_without_href_falls_back_to_page_url_and_ids_index_first() {
        let p = page(r#"<base target="_blank"><a href="x">x</a><p id="a">1</p><p id="a">2</p>"#);
        assert_eq!(
            p.links()[0].url.as_str(),
            "https://dinas.example.go.id/profil/x"
        );
        let el = p.element_by_id("a").expect("id a");
        assert_eq!(element_text(el), "1");
        assert!(p.element_by_id("zz").is_none());
    }

    /// The reference: words by `split_whitespace`, joined by one space.
    fn collapse_reference(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The text and whitespace pieces the equivalence tests draw from.
    const PIECES: &[&str] = &[
        " ",
        "\t",
        "\n",
        "\u{b}",
        "\u{1c}",
        "\u{a0}",
        "\u{3000}",
        "\u{85}",
        "a",
        "Dinas",
        "é",
        "Dinas Kominfo",
        "a b  c",
        "x ",
        "漢字",
        "\u{200b}",
        "-",
        "&amp;",
    ];

    #[test]
    fn collapse_ws_agrees_with_split_whitespace() {
        let mut next = crate::rules::text::test_rng(0xc011_a95e);
        for _ in 0..5000 {
            let s: String = (0..next(8)).map(|_| PIECES[next(PIECES.len())]).collect();
            assert_eq!(collapse_ws(&s), collapse_reference(&s), "{s:?}");
        }
    }

    /// The text `element_text` built before it collapsed piece by piece: every piece (text
    /// nodes, ` alt ` of images) concatenated, then collapsed.
    fn element_text_reference(el: ElementRef<'_>) -> String {
        let mut s = String::new();
        let mut skip = 0usize;
        for edge in el.traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => match node.value() {
                    Node::Element(e) => {
                        if skip > 0 || matches!(e.name(), "script" | "style" | "template") {
                            skip += 1;
                        } else if e.name() == "img" {
                            s.push(' ');
                            s.push_str(e.attr_value("alt").unwrap_or(""));
                            s.push(' ');
                        }
                    }
                    Node::Text(t) if skip == 0 => s.push_str(t),
                    _ => {}
                },
                ego_tree::iter::Edge::Close(node) => {
                    if node.value().is_element() && skip > 0 {
                        skip -= 1;
                    }
                }
            }
        }
        collapse_reference(&s)
    }

    #[test]
    fn element_text_agrees_with_collapsing_the_concatenation() {
        let tags = [
            "<b>",
            "</b>",
            "<img alt=\"Logo  PPID\">",
            "<img alt=\" \">",
            "<img>",
            "<script>x</script>",
            "<span>",
        ];
        let mut next = crate::rules::text::test_rng(0x0e1e_7e47);
        let mut html = String::from("<div id=\"all\">");
        for _ in 0..200 {
            html.push_str("<p>");
            for _ in 0..next(10) {
                if next(3) == 0 {
                    html.push_str(tags[next(tags.len())]);
                } else {
                    html.push_str(PIECES[next(PIECES.len())]);
                }
            }
            html.push_str("</p>");
        }
        html.push_str("</div>");
        let p = page(&html);
        let mut checked = 0;
        for el in p
            .html
            .tree
            .root()
            .descendants()
            .filter_map(ElementRef::wrap)
        {
            assert_eq!(element_text(el), element_text_reference(el));
            checked += 1;
        }
        assert!(checked > 200);
        let all = p.element_by_id("all").expect("div");
        assert!(element_text(all).contains("Logo PPID"));
    }

    #[test]
    fn href_cache_gives_the_anchors_of_anchor_of() {
        let p = page(
            r#"<base href="/sub/"><a href=" a.html ">A</a><a href="a.html" title="t"></a>
            <a href="http://[bad">x</a><a href="http://[bad">y</a><area href="/m" alt="m">
            <a>no href</a><a href="a.html"><img alt="img"></a>"#,
        );
        let mut cache = HrefCache::default();
        let mut n = 0;
        let mut asked = 0;
        for el in p
            .html
            .tree
            .root()
            .descendants()
            .filter_map(ElementRef::wrap)
        {
            let cached = cache.anchor_of(&p, el);
            assert_eq!(cached.as_ref().map(|(a, _)| a), p.anchor_of(el).as_ref());
            if let Some((a, href)) = cached {
                let is_doc = cache.is_doc(href, |u| {
                    asked += 1;
                    u.path().ends_with(".html")
                });
                assert_eq!(is_doc, a.url.path().ends_with(".html"));
                n += 1;
            }
        }
        assert_eq!(n, 4);
        // "a.html" (three anchors) and "/m": each asked once.
        assert_eq!(asked, 2);
        assert!(!cache.is_doc("http://[bad", |_| true));
        assert_eq!(cache.joined.len(), 3);
    }

    /// The arena index equals the document-order walk wherever it answers, and answers on
    /// ordinary pages: random markup with ids, bases and misnested tags (which make the parser
    /// move and detach nodes).
    #[test]
    fn arena_index_agrees_with_document_order() {
        let parts = [
            "<p id=\"a\">",
            "<div id=\"b\">",
            "<span id=\"c\">",
            "<b>",
            "</b>",
            "<i>",
            "</p>",
            "</div>",
            "<table><tr><td id=\"t\">",
            "</table>",
            "<base href=\"/x/\">",
            "<base target=\"_top\">",
            "<base href=\"http://[bad\">",
            "text",
            "<template id=\"tp\"><p id=\"in\">",
            "</template>",
            "<a href=\"q\">",
        ];
        let url = Url::parse("https://a.go.id/d/p.html").expect("url");
        let mut next = crate::rules::text::test_rng(0x01d5_a7e4);
        let mut answered = 0;
        for _ in 0..3000 {
            let html: String = (0..next(12)).map(|_| parts[next(parts.len())]).collect();
            let doc = Html::parse_document(&html);
            let walk = index_in_order(&doc, &url);
            if let Some(arena) = index_by_arena(&doc, &url) {
                assert_eq!(arena, walk, "{html}");
                answered += 1;
            }
        }
        assert!(answered > 2000, "{answered}");
        let p = page(r#"<p id="a">1</p><base href="/sub/"><p id="b">2</p>"#);
        assert_eq!(p.base_url().as_str(), "https://dinas.example.go.id/sub/");
        assert_eq!(p.element_by_id("b").map(element_text).as_deref(), Some("2"));
    }
}
