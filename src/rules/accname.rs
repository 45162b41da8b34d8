//! Roles, hiddenness, focusability and accessible names of elements: a static subset of
//! WAI-ARIA 1.2 (roles, presentational role conflict resolution, owned elements), HTML-AAM /
//! ARIA in HTML (implicit roles), SVG-AAM (`<title>`) and Accessible Name and Description
//! Computation 1.2 ("accname"), enough for the 33 W3C ACT rules pantau implements. No CSS
//! cascade and no layout: only the `hidden` attribute, `aria-hidden="true"`, inline
//! `display:none` / `visibility:hidden` and never-rendered elements (`template`, `script`, …)
//! make an element hidden; ACT's "visible" is approximated by the same test without
//! `aria-hidden` (see `accessibility.rs`).
//!
//! Input → output: an element of a [`Page`] → its role (`&'static str`, [`role`]: explicit =
//! first valid token, else implicit, presentational roles yielding to focusable elements and
//! global ARIA attributes), whether it is excluded from the accessibility tree ([`is_hidden`]),
//! whether it is focusable ([`is_focusable`], [`is_tabbable`]), and, through [`AccName`] (one
//! per page), its accessible name ([`AccName::name`], cached), its parent and children in the
//! accessibility tree ([`AccName::tree_parent`], [`AccName::owned_children`], `aria-owns`
//! included) and the page's script/style signals ([`AccName::hints`]).
//!
//! Growing it: new implicit roles go in [`implicit_role`]; roles whose name may come from
//! content go in [`NAME_FROM_CONTENT`]; role and attribute facts live in `aria.rs`.

use super::aria;
use super::hints::PageHints;
use crate::page::{AttrValue, Page};
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
    "doc-backlink",
    "doc-biblioref",
    "doc-glossref",
    "doc-noteref",
];

/// Is the element in the HTML namespace (`http://www.w3.org/1999/xhtml`)? Compared as
/// interned atoms (one integer): this is asked of nearly every element by several kinds.
pub fn is_html(el: ElementRef<'_>) -> bool {
    el.value().name.ns == markup5ever::ns!(html)
}

/// Is the element in the SVG namespace (`http://www.w3.org/2000/svg`)?
pub fn is_svg(el: ElementRef<'_>) -> bool {
    el.value().name.ns == markup5ever::ns!(svg)
}

/// The explicit role: the first token of `role` that is a valid, non-abstract role
/// (WAI-ARIA 1.2 §7.1; ACT 674b10), if any.
pub fn explicit_role(el: ElementRef<'_>) -> Option<&'static str> {
    let attr = el.value().attr_value("role")?;
    attr.split_ascii_whitespace()
        .find_map(|tok| aria::valid_role(&tok.to_ascii_lowercase()))
}

fn has_ancestor(el: ElementRef<'_>, names: &[&str]) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| names.contains(&a.value().name()))
}

/// The role of the nearest `table` ancestor (explicit or `table`), for cells and rows.
fn table_role(el: ElementRef<'_>) -> Option<&'static str> {
    let table = el
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "table")?;
    Some(explicit_role(table).unwrap_or("table"))
}

/// The implicit role of an element (HTML-AAM / ARIA in HTML for HTML elements; SVG-AAM for
/// `svg`), `None` for elements without a corresponding role.
pub fn implicit_role(el: ElementRef<'_>) -> Option<&'static str> {
    let e = el.value();
    if is_svg(el) {
        return match e.name() {
            "svg" => Some("graphics-document"),
            "a" if e.attr_value("href").is_some() || e.attr_value("xlink:href").is_some() => {
                Some("link")
            }
            "g" => Some("group"),
            _ => None,
        };
    }
    if !is_html(el) {
        return None;
    }
    let role = match e.name() {
        "a" | "area" if e.attr_value("href").is_some() => "link",
        "a" | "b" | "bdi" | "bdo" | "data" | "div" | "i" | "pre" | "q" | "samp" | "small"
        | "span" | "u" | "hgroup" => "generic",
        "img" => match e.attr_value("alt") {
            Some("") if !has_global_aria(el) && !is_focusable(el) => "presentation",
            _ => "img",
        },
        "article" => "article",
        "aside" => "complementary",
        "blockquote" => "blockquote",
        "button" => "button",
        "caption" => "caption",
        "code" => "code",
        "del" | "s" => "deletion",
        "ins" => "insertion",
        "em" => "emphasis",
        "strong" => "strong",
        "sub" => "subscript",
        "sup" => "superscript",
        "mark" => "mark",
        "time" => "time",
        "p" => "paragraph",
        "dd" => "definition",
        "dfn" => "term",
        "dialog" => "dialog",
        "details" | "fieldset" | "optgroup" => "group",
        "figure" => "figure",
        "footer" if !has_ancestor(el, SECTIONING) => "contentinfo",
        "header" if !has_ancestor(el, SECTIONING) => "banner",
        "footer" | "header" => "generic",
        "form" => "form",
        "hr" => "separator",
        "math" => "math",
        "menu" | "ol" | "ul" => "list",
        "li" => "listitem",
        "meter" => "meter",
        "nav" => "navigation",
        "main" => "main",
        "output" => "status",
        "progress" => "progressbar",
        "search" => "search",
        "section" if has_naming(el) => "region",
        "section" => "generic",
        "select" => {
            let size = e
                .attr_value("size")
                .and_then(|s| s.trim().parse::<u32>().ok())
                .unwrap_or(0);
            if e.attr_value("multiple").is_some() || size > 1 {
                "listbox"
            } else {
                "combobox"
            }
        }
        "option" => "option",
        "textarea" => "textbox",
        "input" => {
            let ty = e
                .attr_value("type")
                .unwrap_or("text")
                .trim()
                .to_ascii_lowercase();
            match ty.as_str() {
                "hidden" | "file" | "color" => return None,
                "button" | "submit" | "reset" | "image" => "button",
                "checkbox" => "checkbox",
                "radio" => "radio",
                "range" => "slider",
                "number" => "spinbutton",
                "search" if e.attr_value("list").is_none() => "searchbox",
                _ if e.attr_value("list").is_some() => "combobox",
                // text, email, tel, url, password, date and unknown types: a text field.
                _ => "textbox",
            }
        }
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "heading",
        "table" => "table",
        "thead" | "tbody" | "tfoot" => "rowgroup",
        "tr" => "row",
        "td" => match table_role(el) {
            Some("grid" | "treegrid") => "gridcell",
            Some("table") => "cell",
            _ => return None,
        },
        "th" => match table_role(el) {
            Some("grid" | "treegrid" | "table") => th_role(el),
            _ => return None,
        },
        _ => return None,
    };
    Some(role)
}

/// Elements whose `header`/`footer` descendants are not page landmarks.
const SECTIONING: &[&str] = &["article", "aside", "main", "nav", "section"];

/// `th` → `columnheader` or `rowheader` (HTML-AAM): `scope`, else a `th` with a data cell
/// after it in its row heads that row.
fn th_role(el: ElementRef<'_>) -> &'static str {
    match el
        .value()
        .attr_value("scope")
        .map(|s| s.trim().to_ascii_lowercase())
    {
        Some(s) if s == "row" || s == "rowgroup" => return "rowheader",
        Some(s) if s == "col" || s == "colgroup" => return "columnheader",
        _ => {}
    }
    let row_has_data = el
        .parent()
        .map(|row| {
            row.children()
                .filter_map(ElementRef::wrap)
                .any(|c| c.value().name() == "td")
        })
        .unwrap_or(false);
    if row_has_data {
        "rowheader"
    } else {
        "columnheader"
    }
}

/// Does the element carry `aria-label` or `aria-labelledby` with content, or a `title`?
fn has_naming(el: ElementRef<'_>) -> bool {
    ["aria-label", "aria-labelledby", "title"].iter().any(|a| {
        el.value()
            .attr_value(a)
            .is_some_and(|v| !v.trim().is_empty())
    })
}

/// Does the element carry a global ARIA attribute that triggers presentational role
/// conflict resolution (WAI-ARIA 1.2 §9.1)? Role descriptions, prohibited on `none`, do not.
pub fn has_global_aria(el: ElementRef<'_>) -> bool {
    el.value().attrs().any(|(name, _)| {
        name.starts_with("aria-")
            && aria::is_global(name)
            && !matches!(name, "aria-roledescription" | "aria-brailleroledescription")
            && name != "aria-hidden"
    })
}

/// Is the element disabled (HTML §4.10.18.5: the attribute, or inside a disabled
/// `fieldset` outside its first `legend`)?
pub fn is_disabled(el: ElementRef<'_>) -> bool {
    let e = el.value();
    if !matches!(
        e.name(),
        "button" | "input" | "select" | "textarea" | "optgroup" | "option" | "fieldset"
    ) {
        return false;
    }
    if e.attr_value("disabled").is_some() {
        return true;
    }
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "fieldset" && a.value().attr_value("disabled").is_some())
}

/// The `summary` that is the first `summary` child of a `details` (its toggle).
pub fn is_details_summary(el: ElementRef<'_>) -> bool {
    if el.value().name() != "summary" || !is_html(el) {
        return false;
    }
    let Some(parent) = el.parent().and_then(ElementRef::wrap) else {
        return false;
    };
    parent.value().name() == "details"
        && parent
            .children()
            .filter_map(ElementRef::wrap)
            .find(|c| c.value().name() == "summary")
            .is_some_and(|first| first.id() == el.id())
}

/// Is the element focusable without scripts (HTML §6.6.3): a valid `tabindex`, or natively
/// focusable (`a[href]`, `area[href]`, enabled form controls, the `summary` of a `details`,
/// `contenteditable`, media with `controls`)? `inert` subtrees are never focusable.
pub fn is_focusable(el: ElementRef<'_>) -> bool {
    // The ancestor walk for `inert` only for elements that would be focusable.
    natively_focusable(el)
        && !el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .chain(std::iter::once(el))
            .any(|a| a.value().attr_value("inert").is_some())
}

fn natively_focusable(el: ElementRef<'_>) -> bool {
    let e = el.value();
    if tabindex(el).is_some() {
        return true;
    }
    if is_svg(el) {
        return e.name() == "a"
            && (e.attr_value("href").is_some() || e.attr_value("xlink:href").is_some());
    }
    match e.name() {
        "a" | "area" => e.attr_value("href").is_some(),
        "button" | "select" | "textarea" => !is_disabled(el),
        "input" => {
            !is_disabled(el)
                && !e
                    .attr_value("type")
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden"))
        }
        "summary" => is_details_summary(el),
        "audio" | "video" => e.attr_value("controls").is_some(),
        "iframe" => true,
        _ => e
            .attr_value("contenteditable")
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("false")),
    }
}

/// The parsed `tabindex` (HTML "rules for parsing integers"), if valid.
pub fn tabindex(el: ElementRef<'_>) -> Option<i64> {
    let v = el.value().attr_value("tabindex")?.trim();
    let digits_end = v
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && (*c == '-' || *c == '+'))))
        .map(|(i, _)| i)
        .unwrap_or(v.len());
    v[..digits_end].parse::<i64>().ok()
}

/// Is the element in sequential focus navigation (focusable, `tabindex` not negative)?
pub fn is_tabbable(el: ElementRef<'_>) -> bool {
    is_focusable(el) && tabindex(el).is_none_or(|t| t >= 0)
}

/// The computed role: explicit when present, else implicit. A presentational role (`none`,
/// `presentation`) yields to the implicit role when the element is focusable or has a global
/// ARIA attribute (WAI-ARIA 1.2 §9.1 "Presentational Roles Conflict Resolution").
pub fn role(el: ElementRef<'_>) -> Option<&'static str> {
    match explicit_role(el) {
        Some("none" | "presentation") if has_global_aria(el) || is_focusable(el) => {
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
        && e.attr_value("type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("hidden"))
    {
        return true;
    }
    if e.attr_value("hidden").is_some() {
        return true;
    }
    if e.attr_value("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    e.attr_value("style").is_some_and(style_hides)
}

/// The declarations of an inline `style` as lower-case `(property, value)` pairs, values
/// without `!important`; malformed declarations are skipped.
pub fn style_declarations(style: &str) -> impl Iterator<Item = (String, String)> + '_ {
    style.split(';').filter_map(|decl| {
        let (prop, val) = decl.split_once(':')?;
        let val = val.trim().trim_end_matches("!important").trim();
        Some((prop.trim().to_ascii_lowercase(), val.to_ascii_lowercase()))
    })
}

/// Does an inline `style` declare `display:none` or `visibility:hidden|collapse`?
pub fn style_hides(style: &str) -> bool {
    style_declarations(style).any(|(prop, val)| {
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
            .attr_value("type")
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
    /// `aria-owns` target → owner, built on first use.
    owners: std::cell::OnceCell<HashMap<NodeId, NodeId>>,
    /// Script and style signals, gathered on first use.
    hints: std::cell::OnceCell<PageHints>,
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
            owners: std::cell::OnceCell::new(),
            hints: std::cell::OnceCell::new(),
        }
    }

    /// What the page's scripts and style sheets might change (see [`PageHints`]).
    pub fn hints(&self) -> &PageHints {
        self.hints.get_or_init(|| PageHints::of(self.page))
    }

    fn owners(&self) -> &HashMap<NodeId, NodeId> {
        self.owners.get_or_init(|| {
            let mut map = HashMap::new();
            for node in self.page.html.tree.root().descendants() {
                let Some(el) = ElementRef::wrap(node) else {
                    continue;
                };
                let Some(ids) = el.value().attr_value("aria-owns") else {
                    continue;
                };
                for id in ids.split_ascii_whitespace() {
                    if let Some(target) = self.page.element_by_id(id) {
                        // The first owner wins; an element cannot own an ancestor of itself.
                        let cycle = el.ancestors().any(|a| a.id() == target.id());
                        if !cycle && target.id() != el.id() {
                            map.entry(target.id()).or_insert(node.id());
                        }
                    }
                }
            }
            map
        })
    }

    /// The element's parent in the accessibility tree (WAI-ARIA 1.2 "owned element"): the
    /// element whose `aria-owns` names it, else the nearest DOM ancestor that is not ignored
    /// (presentational, or generic/role-less without global ARIA attributes and not focusable).
    pub fn tree_parent<'a>(&'a self, el: ElementRef<'a>) -> Option<ElementRef<'a>> {
        if let Some(owner) = self.owners().get(&el.id()) {
            return self.page.html.tree.get(*owner).and_then(ElementRef::wrap);
        }
        el.ancestors().filter_map(ElementRef::wrap).find(|a| {
            let ignored = match role(*a) {
                Some("none" | "presentation") => true,
                None | Some("generic") => !has_global_aria(*a) && !is_focusable(*a),
                Some(_) => false,
            };
            !ignored
        })
    }

    /// The elements `el` owns: element children not claimed by another element's
    /// `aria-owns`, then the targets of its own `aria-owns` (WAI-ARIA 1.2 "owned element").
    pub fn owned_children<'a>(&'a self, el: ElementRef<'a>) -> Vec<ElementRef<'a>> {
        let owners = self.owners();
        let mut out: Vec<ElementRef<'a>> = el
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| owners.get(&c.id()).is_none_or(|o| *o == el.id()))
            .collect();
        for (target, owner) in owners {
            if *owner == el.id() && !out.iter().any(|c| c.id() == *target) {
                if let Some(t) = self.page.html.tree.get(*target).and_then(ElementRef::wrap) {
                    out.push(t);
                }
            }
        }
        out
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
            if let Some(ids) = e.attr_value("aria-labelledby") {
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
        if let Some(label) = e.attr_value("aria-label") {
            if !label.trim().is_empty() {
                return label.to_string();
            }
        }
        let role = role(el);
        // 2E (embedded control inside a label being computed): a text field gives its value.
        if !root && matches!(role, Some("textbox" | "searchbox")) {
            return e.attr_value("value").unwrap_or("").to_string();
        }
        // 2D: native host language.
        if role != Some("none") && role != Some("presentation") {
            let native = self.native_name(el, walk);
            if !native.trim().is_empty() {
                return native;
            }
        }
        // 2F/2G: name from content (always when recursing).
        let summary = role.is_none() && is_details_summary(el);
        if !root || summary || role.is_some_and(|r| NAME_FROM_CONTENT.contains(&r)) {
            let content = self.content_name(el, walk);
            if !content.trim().is_empty() {
                return content;
            }
        }
        // 2I: tooltip.
        if let Some(title) = e.attr_value("title") {
            if !title.trim().is_empty() {
                return title.to_string();
            }
        }
        // HTML-AAM: placeholder of text fields.
        if root && matches!(e.name(), "input" | "textarea") {
            if let Some(p) = e.attr_value("placeholder") {
                return p.to_string();
            }
        }
        String::new()
    }

    fn native_name(&self, el: ElementRef<'_>, walk: &mut Walk) -> String {
        let e = el.value();
        if is_svg(el) {
            // SVG-AAM: the first `title` child.
            return el
                .children()
                .filter_map(ElementRef::wrap)
                .find(|c| c.value().name() == "title" && is_svg(*c))
                .map(|t| t.text().collect::<String>())
                .unwrap_or_default();
        }
        if !is_html(el) {
            return String::new();
        }
        match e.name() {
            "img" | "area" => return e.attr_value("alt").unwrap_or("").to_string(),
            "input" => {
                let ty = e
                    .attr_value("type")
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                match ty.as_str() {
                    "image" => return e.attr_value("alt").unwrap_or("").to_string(),
                    "submit" => return e.attr_value("value").unwrap_or("Submit").to_string(),
                    "reset" => return e.attr_value("value").unwrap_or("Reset").to_string(),
                    "button" => return e.attr_value("value").unwrap_or("").to_string(),
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
        if let Some(id) = el.value().attr_value("id") {
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
                let points_here = match a.value().attr_value("for") {
                    None => true,
                    Some(f) => el.value().attr_value("id") == Some(f),
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
                    if let Some(f) = el.value().attr_value("for") {
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
    fn namespaces_of_html_svg_and_mathml_elements() {
        let p = page(r#"<p id="p">x</p><svg id="s"><g id="g"></g></svg><math id="m"></math>"#);
        let el = |id: &str| p.element_by_id(id).expect("element by id");
        assert!(is_html(el("p")) && !is_svg(el("p")));
        assert!(is_svg(el("s")) && is_svg(el("g")) && !is_html(el("g")));
        assert!(!is_html(el("m")) && !is_svg(el("m")));
        assert_eq!(&*el("p").value().name.ns, "http://www.w3.org/1999/xhtml");
        assert_eq!(&*el("s").value().name.ns, "http://www.w3.org/2000/svg");
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
    fn presentational_conflicts_and_implicit_roles() {
        let p = page(
            r#"<button id="b" role="none"></button><button id="d" role="none" disabled></button>
            <h1 id="h" role="none" aria-label="">x</h1><p id="p" role="bogus paragraph">x</p>
            <table id="t" role="grid"><tr><td id="c">1</td></tr></table><hr id="hr">
            <details><summary id="s">Jam buka</summary><summary id="s2">x</summary></details>"#,
        );
        let get = |id: &str| p.element_by_id(id).expect("element");
        assert_eq!(
            role(get("b")),
            Some("button"),
            "focusable: role none ignored"
        );
        assert_eq!(role(get("d")), Some("none"), "disabled: role none holds");
        assert_eq!(role(get("h")), Some("heading"), "a global ARIA attribute");
        assert_eq!(role(get("p")), Some("paragraph"), "first valid token");
        assert_eq!(role(get("c")), Some("gridcell"));
        assert_eq!(role(get("hr")), Some("separator"));
        assert!(is_details_summary(get("s")) && !is_details_summary(get("s2")));
        assert!(is_focusable(get("s")));
        assert_eq!(name_of(&p, "s"), "Jam buka");
    }

    #[test]
    fn svg_title_and_aria_owns() {
        let p = page(
            r#"<svg id="g" role="img"><title>Peta Sulbar</title><text>x</text></svg>
            <div id="l" role="list" aria-owns="i2"><div id="i1" role="listitem">a</div></div>
            <div><span><div id="i2" role="listitem">b</div></span></div>
            <div role="list"><div aria-live="polite"><div id="i3" role="listitem">c</div></div></div>"#,
        );
        assert_eq!(name_of(&p, "g"), "Peta Sulbar");
        let acc = AccName::new(&p);
        let get = |id: &str| p.element_by_id(id).expect("element");
        let owned: Vec<_> = acc
            .owned_children(get("l"))
            .iter()
            .filter_map(|e| e.value().attr_value("id"))
            .collect();
        assert_eq!(owned, vec!["i1", "i2"]);
        assert_eq!(
            acc.tree_parent(get("i2")).map(|e| e.id()),
            Some(get("l").id())
        );
        // A generic with a global ARIA attribute is in the tree: it is the parent.
        assert_eq!(acc.tree_parent(get("i3")).and_then(role), Some("generic"));
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
