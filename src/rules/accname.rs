//! Roles, hiddenness and accessible names of elements: a static subset of WAI-ARIA 1.2,
//! HTML-AAM (implicit roles) and Accessible Name and Description Computation 1.2 ("accname"),
//! enough for the ACT rules pantau implements. No CSS cascade and no layout: only the
//! `hidden` attribute, `aria-hidden="true"` and inline `display:none` / `visibility:hidden`
//! make an element hidden.
//!
//! Input → output: an element of a [`Page`] → its role (`&'static str`, [`role`]), whether it
//! is excluded from the accessibility tree ([`is_hidden`]), and its accessible name
//! ([`AccName::name`], computed once per element per page and cached).
//!
//! Growing it: new implicit roles go in [`implicit_role`]; roles whose name may come from
//! content go in [`NAME_FROM_CONTENT`].

use crate::page::Page;
use ego_tree::NodeId;
use scraper::{ElementRef, Node};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// Roles that take their name from their content (WAI-ARIA 1.2 §5.2.8.4 "Name From: contents").
pub const NAME_FROM_CONTENT: &[&str] = &[
    "button",
    "cell",
    "checkbox",
    "columnheader",
    "gridcell",
    "heading",
    "link",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "option",
    "radio",
    "row",
    "rowheader",
    "switch",
    "tab",
    "tooltip",
    "treeitem",
];

/// WAI-ARIA roles pantau knows (the first known token of `role` wins, ARIA 1.2 §7.1).
const KNOWN_ROLES: &[&str] = &[
    "alert",
    "article",
    "banner",
    "button",
    "cell",
    "checkbox",
    "columnheader",
    "combobox",
    "complementary",
    "contentinfo",
    "dialog",
    "document",
    "figure",
    "form",
    "generic",
    "grid",
    "gridcell",
    "group",
    "heading",
    "img",
    "link",
    "list",
    "listbox",
    "listitem",
    "main",
    "menu",
    "menubar",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "navigation",
    "none",
    "option",
    "presentation",
    "radio",
    "region",
    "row",
    "rowheader",
    "search",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "tab",
    "table",
    "tablist",
    "tabpanel",
    "textbox",
    "tooltip",
    "tree",
    "treeitem",
];

/// Global ARIA attributes whose presence cancels a presentational role (ARIA 1.2 §9.1
/// "Presentational Roles Conflict Resolution"), restricted to the naming ones.
const NAMING_GLOBALS: &[&str] = &["aria-label", "aria-labelledby", "aria-describedby"];

/// The explicit role: the first token of `role` that pantau knows, if any.
pub fn explicit_role(el: ElementRef<'_>) -> Option<&'static str> {
    let attr = el.value().attr("role")?;
    attr.split_ascii_whitespace().find_map(|tok| {
        let tok = tok.to_ascii_lowercase();
        KNOWN_ROLES.iter().copied().find(|r| *r == tok)
    })
}

/// The implicit role of an HTML element (HTML-AAM), for the elements the rules need.
pub fn implicit_role(el: ElementRef<'_>) -> Option<&'static str> {
    let e = el.value();
    let role = match e.name() {
        "a" | "area" if e.attr("href").is_some() => "link",
        "img" => match e.attr("alt") {
            Some(alt) if alt.is_empty() && !has_naming_global(el) && !is_focusable(el) => {
                "presentation"
            }
            _ => "img",
        },
        "button" => "button",
        "select" => {
            let size = e
                .attr("size")
                .and_then(|s| s.trim().parse::<u32>().ok())
                .unwrap_or(0);
            if e.attr("multiple").is_some() || size > 1 {
                "listbox"
            } else {
                "combobox"
            }
        }
        "textarea" => "textbox",
        "input" => {
            let ty = e.attr("type").unwrap_or("text").trim().to_ascii_lowercase();
            match ty.as_str() {
                "hidden" => return None,
                "button" | "submit" | "reset" | "image" => "button",
                "checkbox" => "checkbox",
                "radio" => "radio",
                "range" => "slider",
                "number" => "spinbutton",
                "search" if e.attr("list").is_none() => "searchbox",
                _ if e.attr("list").is_some() => "combobox",
                // text, email, tel, url, password, date and unknown types: a text field.
                _ => "textbox",
            }
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
        "nav" => "navigation",
        "main" => "main",
        "ul" | "ol" => "list",
        "li" => "listitem",
        "table" => "table",
        "td" => "cell",
        "th" => "columnheader",
        "option" => "option",
        "form" => "form",
        _ => return None,
    };
    Some(role)
}

fn has_naming_global(el: ElementRef<'_>) -> bool {
    NAMING_GLOBALS
        .iter()
        .any(|a| el.value().attr(a).is_some_and(|v| !v.trim().is_empty()))
}

/// Is the element focusable without scripts: a `tabindex`, or natively focusable (`a[href]`,
/// `area[href]`, enabled form controls, `button`)?
pub fn is_focusable(el: ElementRef<'_>) -> bool {
    let e = el.value();
    if e.attr("tabindex").is_some() {
        return true;
    }
    match e.name() {
        "a" | "area" => e.attr("href").is_some(),
        "button" | "select" | "textarea" => e.attr("disabled").is_none(),
        "input" => {
            e.attr("disabled").is_none()
                && !e
                    .attr("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden"))
        }
        _ => false,
    }
}

/// The computed role: explicit when present, else implicit. A presentational role (`none`,
/// `presentation`) yields to the implicit role when the element is focusable or has a naming
/// global attribute (WAI-ARIA 1.2 §9.1 "Presentational Roles Conflict Resolution").
pub fn role(el: ElementRef<'_>) -> Option<&'static str> {
    match explicit_role(el) {
        Some("none" | "presentation") if has_naming_global(el) || is_focusable(el) => {
            implicit_role(el)
        }
        Some(r) => Some(r),
        None => implicit_role(el),
    }
}

/// Is the element itself hidden: `hidden` attribute, `aria-hidden="true"`, inline
/// `display:none` or `visibility:hidden`/`collapse`, `<input type=hidden>`, or an element
/// never rendered (`head`, `script`, `style`, `template`, `noscript`)?
pub fn is_hidden_self(el: ElementRef<'_>) -> bool {
    let e = el.value();
    if matches!(
        e.name(),
        "head" | "script" | "style" | "template" | "noscript"
    ) {
        return true;
    }
    if e.name() == "input"
        && e.attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden"))
    {
        return true;
    }
    if e.attr("hidden").is_some() {
        return true;
    }
    if e.attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    e.attr("style").is_some_and(style_hides)
}

/// Does an inline `style` declare `display:none` or `visibility:hidden|collapse`?
pub fn style_hides(style: &str) -> bool {
    style.split(';').any(|decl| {
        let Some((prop, val)) = decl.split_once(':') else {
            return false;
        };
        let prop = prop.trim().to_ascii_lowercase();
        let val = val
            .trim()
            .trim_end_matches("!important")
            .trim()
            .to_ascii_lowercase();
        (prop == "display" && val == "none")
            || (prop == "visibility" && (val == "hidden" || val == "collapse"))
    })
}

/// Is the element excluded from the accessibility tree: itself or an ancestor hidden
/// (see [`is_hidden_self`])?
pub fn is_hidden(el: ElementRef<'_>) -> bool {
    let mut cur = Some(el);
    while let Some(e) = cur {
        if is_hidden_self(e) {
            return true;
        }
        cur = e.parent().and_then(ElementRef::wrap);
    }
    false
}

/// Is the element labelable (HTML §4.10.2): may a `<label>` name it?
fn is_labelable(el: ElementRef<'_>) -> bool {
    match el.value().name() {
        "button" | "meter" | "output" | "progress" | "select" | "textarea" => true,
        "input" => !el
            .value()
            .attr("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden")),
        _ => false,
    }
}

/// Accessible-name computer for one page. Names are cached per element; `<label for>` is
/// indexed on first use.
pub struct AccName<'p> {
    page: &'p Page,
    labels_for: RefCell<Option<HashMap<String, Vec<NodeId>>>>,
    cache: RefCell<HashMap<NodeId, String>>,
}

/// Maximum nesting followed when computing a name from content.
pub const MAX_DEPTH: usize = 128;

struct Walk {
    /// Inside an `aria-labelledby` traversal: hidden referents count, no second hop.
    in_labelledby: bool,
    /// Elements already on the path (recursion guard for cyclic `aria-labelledby`/labels).
    visited: HashSet<NodeId>,
}

impl<'p> AccName<'p> {
    /// A computer for `page`.
    pub fn new(page: &'p Page) -> AccName<'p> {
        AccName {
            page,
            labels_for: RefCell::new(None),
            cache: RefCell::new(HashMap::new()),
        }
    }

    /// The accessible name of `el`, whitespace collapsed (`""` when it has none).
    /// Steps (accname 1.2 §4.3.2): 2B `aria-labelledby` (every id, hidden referents
    /// included), 2C `aria-label`, 2D native host language (`<label>`, `alt`, `value` of
    /// buttons, `<caption>`/`<legend>` are not covered), 2F name from content for roles that
    /// allow it, 2I `title`, then `placeholder` (HTML-AAM) for text fields.
    pub fn name(&self, el: ElementRef<'_>) -> String {
        if let Some(n) = self.cache.borrow().get(&el.id()) {
            return n.clone();
        }
        let mut walk = Walk {
            in_labelledby: false,
            visited: HashSet::new(),
        };
        let name = crate::page::collapse_ws(&self.compute(el, &mut walk, true));
        self.cache.borrow_mut().insert(el.id(), name.clone());
        name
    }

    fn compute(&self, el: ElementRef<'_>, walk: &mut Walk, root: bool) -> String {
        // `visited` holds the path being computed: its size is the recursion depth. Names
        // deeper than MAX_DEPTH elements are cut off so hostile nesting cannot overflow the
        // stack of the checking thread.
        if walk.visited.len() >= MAX_DEPTH || !walk.visited.insert(el.id()) {
            return String::new();
        }
        let out = self.compute_inner(el, walk, root);
        walk.visited.remove(&el.id());
        out
    }

    fn compute_inner(&self, el: ElementRef<'_>, walk: &mut Walk, root: bool) -> String {
        let e = el.value();
        // 2A: hidden and not referenced by aria-labelledby.
        if !walk.in_labelledby && is_hidden_self(el) {
            return String::new();
        }
        // 2B: aria-labelledby, unless already following one.
        if !walk.in_labelledby {
            if let Some(ids) = e.attr("aria-labelledby") {
                let mut parts = Vec::new();
                walk.in_labelledby = true;
                for id in ids.split_ascii_whitespace() {
                    if let Some(target) = self.page.element_by_id(id) {
                        parts.push(self.compute(target, walk, false));
                    }
                }
                walk.in_labelledby = false;
                let joined = parts.join(" ");
                if !joined.trim().is_empty() {
                    return joined;
                }
            }
        }
        // 2C: aria-label.
        if let Some(label) = e.attr("aria-label") {
            if !label.trim().is_empty() {
                return label.to_string();
            }
        }
        let role = role(el);
        // 2E (embedded control inside a label being computed): a text field gives its value.
        if !root && matches!(role, Some("textbox" | "searchbox")) {
            return e.attr("value").unwrap_or("").to_string();
        }
        // 2D: native host language.
        if role != Some("none") && role != Some("presentation") {
            let native = self.native_name(el, walk);
            if !native.trim().is_empty() {
                return native;
            }
        }
        // 2F/2G: name from content (always when recursing).
        if !root || role.is_some_and(|r| NAME_FROM_CONTENT.contains(&r)) {
            let content = self.content_name(el, walk);
            if !content.trim().is_empty() {
                return content;
            }
        }
        // 2I: tooltip.
        if let Some(title) = e.attr("title") {
            if !title.trim().is_empty() {
                return title.to_string();
            }
        }
        // HTML-AAM: placeholder of text fields.
        if root && matches!(e.name(), "input" | "textarea") {
            if let Some(p) = e.attr("placeholder") {
                return p.to_string();
            }
        }
        String::new()
    }

    fn native_name(&self, el: ElementRef<'_>, walk: &mut Walk) -> String {
        let e = el.value();
        match e.name() {
            "img" | "area" => return e.attr("alt").unwrap_or("").to_string(),
            "input" => {
                let ty = e.attr("type").unwrap_or("").trim().to_ascii_lowercase();
                match ty.as_str() {
                    "image" => return e.attr("alt").unwrap_or("").to_string(),
                    "submit" => return e.attr("value").unwrap_or("Submit").to_string(),
                    "reset" => return e.attr("value").unwrap_or("Reset").to_string(),
                    "button" => return e.attr("value").unwrap_or("").to_string(),
                    _ => {}
                }
            }
            _ => {}
        }
        if is_labelable(el) {
            let mut parts = Vec::new();
            for label in self.labels_of(el) {
                parts.push(self.content_name(label, walk));
            }
            return parts.join(" ");
        }
        String::new()
    }

    /// The `<label>` elements of a labelable element: `label[for=id]` and the nearest
    /// ancestor `label` without a `for` pointing elsewhere.
    fn labels_of<'a>(&'a self, el: ElementRef<'a>) -> Vec<ElementRef<'a>> {
        let mut out = Vec::new();
        if let Some(id) = el.value().attr("id") {
            self.ensure_label_index();
            if let Some(index) = self.labels_for.borrow().as_ref() {
                if let Some(nodes) = index.get(id) {
                    for n in nodes {
                        if let Some(label) = self.page.html.tree.get(*n).and_then(ElementRef::wrap)
                        {
                            out.push(label);
                        }
                    }
                }
            }
        }
        let mut cur = el.parent().and_then(ElementRef::wrap);
        while let Some(a) = cur {
            if a.value().name() == "label" {
                let points_here = match a.value().attr("for") {
                    None => true,
                    Some(f) => el.value().attr("id") == Some(f),
                };
                if points_here && !out.iter().any(|l| l.id() == a.id()) {
                    out.push(a);
                }
                break;
            }
            cur = a.parent().and_then(ElementRef::wrap);
        }
        out
    }

    fn ensure_label_index(&self) {
        if self.labels_for.borrow().is_some() {
            return;
        }
        let mut index: HashMap<String, Vec<NodeId>> = HashMap::new();
        for node in self.page.html.tree.root().descendants() {
            if let Some(el) = ElementRef::wrap(node) {
                if el.value().name() == "label" {
                    if let Some(f) = el.value().attr("for") {
                        index.entry(f.to_string()).or_default().push(node.id());
                    }
                }
            }
        }
        *self.labels_for.borrow_mut() = Some(index);
    }

    /// Name from content: text nodes and the names of child elements; block-level children
    /// are separated by spaces.
    fn content_name(&self, el: ElementRef<'_>, walk: &mut Walk) -> String {
        let mut s = String::new();
        for child in el.children() {
            match child.value() {
                Node::Text(t) => s.push_str(t),
                Node::Element(ce) => {
                    let Some(c) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if matches!(ce.name(), "script" | "style" | "template") {
                        continue;
                    }
                    let block = is_block(ce.name());
                    if block {
                        s.push(' ');
                    }
                    s.push_str(&self.compute(c, walk, false));
                    if block {
                        s.push(' ');
                    }
                }
                _ => {}
            }
        }
        s
    }
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "br"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "img"
            | "li"
            | "main"
            | "nav"
            | "ol"
            | "p"
            | "section"
            | "table"
            | "td"
            | "th"
            | "tr"
            | "ul"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn page(body: &str) -> Page {
        let url = Url::parse("https://a.example.go.id/").expect("test url");
        Page::parse(url, 200, &format!("<html><body>{body}</body></html>"))
    }

    fn name_of(p: &Page, id: &str) -> String {
        let el = p.element_by_id(id).expect("element by id");
        AccName::new(p).name(el)
    }

    #[test]
    fn labelledby_multiple_ids_and_hidden_referents() {
        let p = page(
            r#"<span id="a">Nama</span><span id="b" hidden>Lengkap</span>
            <input id="t" aria-labelledby="a b" aria-label="ignored">"#,
        );
        assert_eq!(name_of(&p, "t"), "Nama Lengkap");
    }

    #[test]
    fn labels_for_and_wrapping_with_embedded_value() {
        let p = page(
            r#"<label for="x">Email</label><input id="x">
            <label>Jumlah <input id="y"> orang <input id="z" value="3"></label>"#,
        );
        assert_eq!(name_of(&p, "x"), "Email");
        assert_eq!(name_of(&p, "y"), "Jumlah orang 3");
    }

    #[test]
    fn link_content_includes_img_alt_and_skips_hidden() {
        let p = page(
            r#"<a id="l" href="/"><img src="x.png" alt="Beranda"><span aria-hidden="true">»</span></a>
            <a id="e" href="/"><i class="fa fa-home"></i></a>
            <a id="t" href="/" title="Cari"></a>"#,
        );
        assert_eq!(name_of(&p, "l"), "Beranda");
        assert_eq!(name_of(&p, "e"), "");
        assert_eq!(name_of(&p, "t"), "Cari");
    }

    #[test]
    fn cyclic_labelledby_terminates() {
        let p = page(
            r#"<a id="a" href="/" aria-labelledby="b">x</a><span id="b" aria-labelledby="a">y</span>"#,
        );
        assert_eq!(name_of(&p, "a"), "y");
    }

    #[test]
    fn roles_and_hiddenness() {
        let p = page(
            r#"<img id="d" alt=""><img id="n" alt="" aria-label="Peta"><div id="r" role="foo link"></div>
            <select id="s" multiple></select><input id="h" type="hidden">
            <div style="display: none !important"><p id="in">x</p></div>"#,
        );
        let get = |id: &str| p.element_by_id(id).expect("element");
        assert_eq!(role(get("d")), Some("presentation"));
        assert_eq!(role(get("n")), Some("img"));
        assert_eq!(role(get("r")), Some("link"));
        assert_eq!(role(get("s")), Some("listbox"));
        assert!(is_hidden(get("h")));
        assert!(is_hidden(get("in")));
        assert!(!is_hidden(get("d")));
    }

    #[test]
    fn deep_nesting_is_cut_off_without_overflow() {
        let depth = 5000;
        let html = format!(
            r#"<a id="deep" href="/">x{}y{}</a>"#,
            "<span>".repeat(depth),
            "</span>".repeat(depth)
        );
        let p = page(&html);
        assert_eq!(name_of(&p, "deep"), "x");
        let el = p.element_by_id("deep").expect("deep link");
        assert_eq!(crate::page::element_text(el), "xy");
    }

    #[test]
    fn placeholder_and_buttons() {
        let p = page(
            r#"<input id="p" placeholder="Cari berita"><input id="s" type="submit"><button id="b"> Kirim </button>"#,
        );
        assert_eq!(name_of(&p, "p"), "Cari berita");
        assert_eq!(name_of(&p, "s"), "Submit");
        assert_eq!(name_of(&p, "b"), "Kirim");
    }
}
