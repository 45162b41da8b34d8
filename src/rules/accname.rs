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
//! per page), its role computed once ([`AccName::role`]), its accessible name ([`AccName::name`],
//! cached) or only whether it has one ([`AccName::has_name`], no text built), its parent and
//! children in the accessibility tree ([`AccName::tree_parent`], [`AccName::owned_children`],
//! `aria-owns` included) and the page's script/style signals ([`AccName::hints`]).
//!
//! Growing it: new implicit roles go in [`implicit_role`]; roles whose name may come from
//! content go in [`NAME_FROM_CONTENT`]; role and attribute facts live in `aria.rs`.

use super::aria;
use super::hints::PageHints;
use crate::page::{AttrValue, Page};
use ego_tree::NodeId;
use rustc_hash::FxHashMap;
use scraper::{ElementRef, Node};
use std::cell::RefCell;

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
        .find(|a| a.value().name.local == markup5ever::local_name!("table"))?;
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
/// never rendered (`head`, `script`, `style`, `template`, `noscript`)? One pass over the
/// attributes (the walk asks this of every element).
pub fn is_hidden_self(el: ElementRef<'_>) -> bool {
    let e = el.value();
    let name = e.name();
    if is_skipped_tag(name) {
        return true;
    }
    let input = name == "input";
    e.attrs.iter().any(|(q, v)| {
        q.ns.is_empty()
            && match &*q.local {
                "hidden" => hidden_by_attribute(name, HidingAttribute::Hidden),
                "type" if input => hidden_by_attribute(name, HidingAttribute::Type(v)),
                "aria-hidden" => hidden_by_attribute(name, HidingAttribute::AriaHidden(v)),
                "style" => style_hides(v),
                _ => false,
            }
    })
}

/// Elements never rendered, whatever their attributes (`head`, `script`, `style`, `template`,
/// `noscript`): excluded from the accessibility tree, and their text is not page text.
pub(crate) fn is_skipped_tag(name: &str) -> bool {
    matches!(name, "head" | "script" | "style" | "template" | "noscript")
}

/// An attribute that may exclude its element from the accessibility tree by itself.
pub(crate) enum HidingAttribute<'a> {
    /// `hidden` (any value).
    Hidden,
    /// `type` with this value (hides an `<input type=hidden>`).
    Type(&'a str),
    /// `aria-hidden` with this value (hides when `true`, ASCII case and white space ignored).
    AriaHidden(&'a str),
}

/// Does `attribute` on an element named `name` exclude it from the accessibility tree? The
/// attribute half of [`is_hidden_self`] (the inline-style half is [`style_hides`]), shared
/// with the walk's one-pass frame (`walk::Frame::of`).
pub(crate) fn hidden_by_attribute(name: &str, attribute: HidingAttribute<'_>) -> bool {
    match attribute {
        HidingAttribute::Hidden => true,
        HidingAttribute::Type(v) => name == "input" && v.trim().eq_ignore_ascii_case("hidden"),
        HidingAttribute::AriaHidden(v) => v.trim().eq_ignore_ascii_case("true"),
    }
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

/// Does an inline `style` declare `display:none` or `visibility:hidden|collapse`? The same
/// answer as reading [`style_declarations`], compared without copying (ASCII case ignored).
pub fn style_hides(style: &str) -> bool {
    // Both property names end in `y`: without `display` or `visibility` (ASCII case ignored)
    // ending at some `y`, no declaration can hide, and most styles are passed over with one
    // `memchr` scan.
    let bytes = style.as_bytes();
    let named = memchr::memchr2_iter(b'y', b'Y', bytes).any(|y| {
        let ends = |word: &str| {
            (y + 1)
                .checked_sub(word.len())
                .is_some_and(|start| bytes[start..=y].eq_ignore_ascii_case(word.as_bytes()))
        };
        ends("display") || ends("visibility")
    });
    if !named {
        return false;
    }
    style.split(';').any(|decl| {
        let Some((prop, val)) = decl.split_once(':') else {
            return false;
        };
        let prop = prop.trim();
        let display = prop.eq_ignore_ascii_case("display");
        if !display && !prop.eq_ignore_ascii_case("visibility") {
            return false;
        }
        let val = val.trim().trim_end_matches("!important").trim();
        if display {
            val.eq_ignore_ascii_case("none")
        } else {
            val.eq_ignore_ascii_case("hidden") || val.eq_ignore_ascii_case("collapse")
        }
    })
}

/// Does `s` have a character that is not white space (`!s.trim().is_empty()`)? ASCII is
/// tested byte by byte; from the first non-ASCII byte on, characters are decoded.
pub fn has_non_whitespace(s: &str) -> bool {
    for (i, b) in s.bytes().enumerate() {
        if !b.is_ascii() {
            return s[i..].chars().any(|c| !c.is_whitespace());
        }
        if !matches!(b, b' ' | b'\t'..=b'\r') {
            return true;
        }
    }
    false
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

/// Accessible-name computer for one page, also the page's memo of computed roles. Names are
/// cached per element; `<label for>` is indexed on first use.
pub struct AccName<'p> {
    page: &'p Page,
    labels_for: RefCell<Option<FxHashMap<String, Vec<NodeId>>>>,
    cache: RefCell<FxHashMap<NodeId, String>>,
    /// [`role`] of every element asked about so far.
    roles: RefCell<FxHashMap<NodeId, Option<&'static str>>>,
    /// The path buffer of name computations, kept between them.
    path: RefCell<Vec<NodeId>>,
    /// `aria-owns` target → owner, built on first use.
    owners: std::cell::OnceCell<FxHashMap<NodeId, NodeId>>,
    /// Script and style signals, gathered on first use.
    hints: std::cell::OnceCell<PageHints>,
}

/// Maximum nesting followed when computing a name from content.
pub const MAX_DEPTH: usize = 128;

struct Walk {
    /// Inside an `aria-labelledby` traversal: hidden referents count, no second hop.
    in_labelledby: bool,
    /// Elements on the path being computed (recursion guard for cyclic
    /// `aria-labelledby`/labels); at most [`MAX_DEPTH`] long, so a linear search is cheap.
    path: Vec<NodeId>,
}

/// Where a name computation writes: the text itself ([`String`]), or only whether it has a
/// character that is not white space ([`NonBlank`]), which needs no copying and may stop as
/// soon as it knows. Both follow the same steps, so `NonBlank` answers exactly
/// `!text.trim().is_empty()` of the text.
trait NameSink: Default {
    /// Append text.
    fn push(&mut self, s: &str);
    /// Append another result.
    fn append(&mut self, other: Self);
    /// Has a character that is not white space.
    fn nonblank(&self) -> bool;
    /// Nothing appended later can change what this sink answers.
    fn settled(&self) -> bool;
    /// A sink holding `s`.
    fn of(s: &str) -> Self {
        let mut out = Self::default();
        out.push(s);
        out
    }
}

impl NameSink for String {
    fn push(&mut self, s: &str) {
        self.push_str(s);
    }
    fn append(&mut self, other: Self) {
        self.push_str(&other);
    }
    fn nonblank(&self) -> bool {
        has_non_whitespace(self)
    }
    fn settled(&self) -> bool {
        false
    }
}

/// Whether a name has a character that is not white space (`char::is_whitespace`).
#[derive(Default)]
struct NonBlank(bool);

impl NameSink for NonBlank {
    fn push(&mut self, s: &str) {
        self.0 = self.0 || has_non_whitespace(s);
    }
    fn append(&mut self, other: Self) {
        self.0 |= other.0;
    }
    fn nonblank(&self) -> bool {
        self.0
    }
    fn settled(&self) -> bool {
        self.0
    }
}

impl<'p> AccName<'p> {
    /// A computer for `page`.
    pub fn new(page: &'p Page) -> AccName<'p> {
        AccName {
            page,
            labels_for: RefCell::new(None),
            cache: RefCell::new(FxHashMap::default()),
            // Nearly every element's role is asked for: room for one per node of the page.
            roles: RefCell::new(FxHashMap::with_capacity_and_hasher(
                page.html.tree.values().len(),
                Default::default(),
            )),
            path: RefCell::new(Vec::new()),
            owners: std::cell::OnceCell::new(),
            hints: std::cell::OnceCell::new(),
        }
    }

    /// What the page's scripts and style sheets might change (see [`PageHints`]).
    pub fn hints(&self) -> &PageHints {
        self.hints.get_or_init(|| PageHints::of(self.page))
    }

    /// [`role`] of `el`, computed once per element of the page (the kinds, the table model
    /// and the ownership checks ask for the same elements' roles many times).
    pub fn role(&self, el: ElementRef<'_>) -> Option<&'static str> {
        // One hash look-up, hit or miss: `role` reads only the DOM, never this memo.
        *self
            .roles
            .borrow_mut()
            .entry(el.id())
            .or_insert_with(|| role(el))
    }

    fn owners(&self) -> &FxHashMap<NodeId, NodeId> {
        self.owners.get_or_init(|| {
            let mut map = FxHashMap::default();
            // Most pages have no `aria-owns`: a flat scan of the nodes says so.
            let any = self
                .page
                .html
                .tree
                .values()
                .any(|n| matches!(n, Node::Element(e) if e.attr_value("aria-owns").is_some()));
            if !any {
                return map;
            }
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
            let ignored = match self.role(*a) {
                Some("none" | "presentation") => true,
                None | Some("generic") => !has_global_aria(*a) && !is_focusable(*a),
                Some(_) => false,
            };
            !ignored
        })
    }

    /// The elements `el` owns: element children not claimed by another element's
    /// `aria-owns`, then the targets of its own `aria-owns` (WAI-ARIA 1.2 "owned element").
    pub fn owned_children<'a>(
        &'a self,
        el: ElementRef<'a>,
    ) -> impl Iterator<Item = ElementRef<'a>> + 'a {
        let owners = self.owners();
        let id = el.id();
        let children = el
            .children()
            .filter_map(ElementRef::wrap)
            .filter(move |c| owners.get(&c.id()).is_none_or(|o| *o == id));
        // Targets that are children of `el` are among `children` already.
        let targets = owners
            .iter()
            .filter(move |(_, owner)| **owner == id)
            .filter_map(|(target, _)| self.page.html.tree.get(*target))
            .filter(move |t| t.parent().is_none_or(|p| p.id() != id))
            .filter_map(ElementRef::wrap);
        children.chain(targets)
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
        let name = crate::page::collapse_ws(&self.compute_root::<String>(el));
        self.cache.borrow_mut().insert(el.id(), name.clone());
        name
    }

    /// Is the accessible name of `el` non-empty? The same answer as
    /// `!self.name(el).is_empty()`, found without building the text: the steps of
    /// [`AccName::name`] stop at the first character that is not white space.
    pub fn has_name(&self, el: ElementRef<'_>) -> bool {
        self.compute_root::<NonBlank>(el).0
    }

    /// The name computation of `el` as the root, reusing the path buffer.
    fn compute_root<S: NameSink>(&self, el: ElementRef<'_>) -> S {
        let mut path = self.path.take();
        path.clear();
        let mut walk = Walk {
            in_labelledby: false,
            path,
        };
        let out = self.compute(el, &mut walk, true);
        self.path.replace(walk.path);
        out
    }

    fn compute<S: NameSink>(&self, el: ElementRef<'_>, walk: &mut Walk, root: bool) -> S {
        // `path` holds the path being computed: its length is the recursion depth. Names
        // deeper than MAX_DEPTH elements are cut off so hostile nesting cannot overflow the
        // stack of the checking thread.
        if walk.path.len() >= MAX_DEPTH || walk.path.contains(&el.id()) {
            return S::default();
        }
        walk.path.push(el.id());
        let out = self.compute_inner(el, walk, root);
        walk.path.pop();
        out
    }

    fn compute_inner<S: NameSink>(&self, el: ElementRef<'_>, walk: &mut Walk, root: bool) -> S {
        let e = el.value();
        // 2A: hidden and not referenced by aria-labelledby.
        if !walk.in_labelledby && is_hidden_self(el) {
            return S::default();
        }
        // 2B: aria-labelledby, unless already following one.
        if !walk.in_labelledby {
            if let Some(ids) = e.attr_value("aria-labelledby") {
                walk.in_labelledby = true;
                let joined: S = self.joined(
                    ids.split_ascii_whitespace()
                        .filter_map(|id| self.page.element_by_id(id)),
                    |target, walk| self.compute(target, walk, false),
                    walk,
                );
                walk.in_labelledby = false;
                if joined.nonblank() {
                    return joined;
                }
            }
        }
        // 2C: aria-label.
        if let Some(label) = e.attr_value("aria-label") {
            if !label.trim().is_empty() {
                return S::of(label);
            }
        }
        let role = self.role(el);
        // 2E (embedded control inside a label being computed): a text field gives its value.
        if !root && matches!(role, Some("textbox" | "searchbox")) {
            return S::of(e.attr_value("value").unwrap_or(""));
        }
        // 2D: native host language.
        if role != Some("none") && role != Some("presentation") {
            let native: S = self.native_name(el, walk);
            if native.nonblank() {
                return native;
            }
        }
        // 2F/2G: name from content (always when recursing).
        let summary = role.is_none() && is_details_summary(el);
        if !root || summary || role.is_some_and(|r| NAME_FROM_CONTENT.contains(&r)) {
            let content: S = self.content_name(el, walk);
            if content.nonblank() {
                return content;
            }
        }
        // 2I: tooltip.
        if let Some(title) = e.attr_value("title") {
            if !title.trim().is_empty() {
                return S::of(title);
            }
        }
        // HTML-AAM: placeholder of text fields.
        if root && matches!(e.name(), "input" | "textarea") {
            if let Some(p) = e.attr_value("placeholder") {
                return S::of(p);
            }
        }
        S::default()
    }

    /// The results of `part` for each of `els`, joined by single spaces (stops once the sink
    /// is settled).
    fn joined<'a, S: NameSink>(
        &self,
        els: impl Iterator<Item = ElementRef<'a>>,
        mut part: impl FnMut(ElementRef<'a>, &mut Walk) -> S,
        walk: &mut Walk,
    ) -> S {
        let mut out = S::default();
        for (i, el) in els.enumerate() {
            if i > 0 {
                out.push(" ");
            }
            out.append(part(el, walk));
            if out.settled() {
                break;
            }
        }
        out
    }

    fn native_name<S: NameSink>(&self, el: ElementRef<'_>, walk: &mut Walk) -> S {
        let e = el.value();
        if is_svg(el) {
            // SVG-AAM: the first `title` child.
            let mut out = S::default();
            if let Some(t) = el
                .children()
                .filter_map(ElementRef::wrap)
                .find(|c| c.value().name() == "title" && is_svg(*c))
            {
                for text in t.text() {
                    out.push(text);
                    if out.settled() {
                        break;
                    }
                }
            }
            return out;
        }
        if !is_html(el) {
            return S::default();
        }
        match e.name() {
            "img" | "area" => return S::of(e.attr_value("alt").unwrap_or("")),
            "input" => {
                let ty = e.attr_value("type").unwrap_or("").trim();
                let is = |t: &str| ty.eq_ignore_ascii_case(t);
                if is("image") {
                    return S::of(e.attr_value("alt").unwrap_or(""));
                } else if is("submit") {
                    return S::of(e.attr_value("value").unwrap_or("Submit"));
                } else if is("reset") {
                    return S::of(e.attr_value("value").unwrap_or("Reset"));
                } else if is("button") {
                    return S::of(e.attr_value("value").unwrap_or(""));
                }
            }
            _ => {}
        }
        if is_labelable(el) {
            let labels = self.labels_of(el);
            return self.joined(
                labels.into_iter(),
                |label, walk| self.content_name(label, walk),
                walk,
            );
        }
        S::default()
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
        let mut index: FxHashMap<String, Vec<NodeId>> = FxHashMap::default();
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
    fn content_name<S: NameSink>(&self, el: ElementRef<'_>, walk: &mut Walk) -> S {
        let mut s = S::default();
        for child in el.children() {
            match child.value() {
                Node::Text(t) => s.push(t),
                Node::Element(ce) => {
                    let Some(c) = ElementRef::wrap(child) else {
                        continue;
                    };
                    if matches!(ce.name(), "script" | "style" | "template") {
                        continue;
                    }
                    let block = is_block(ce.name());
                    if block {
                        s.push(" ");
                    }
                    s.append(self.compute(c, walk, false));
                    if block {
                        s.push(" ");
                    }
                }
                _ => {}
            }
            if s.settled() {
                break;
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

    /// Every element of `p`: the memoised role equals [`role`], and `has_name` answers
    /// `!name(el).is_empty()`.
    fn assert_fast_paths_agree(p: &Page, what: &str) {
        let acc = AccName::new(p);
        for node in p.html.tree.root().descendants() {
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            assert_eq!(acc.role(el), role(el), "{what}: role of {:?}", el.value());
            let fresh = AccName::new(p);
            assert_eq!(
                acc.has_name(el),
                !fresh.name(el).is_empty(),
                "{what}: name of {:?} ({:?})",
                el.value(),
                fresh.name(el)
            );
        }
    }

    #[test]
    fn has_name_and_role_memo_agree_on_the_fixture_pages() {
        let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        let mut pages = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixture dir") {
                let path = entry.expect("dir entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|x| x == "html") {
                    let bytes = std::fs::read(&path).expect("fixture page");
                    let p = Page::parse(
                        Url::parse("https://a.example.go.id/").expect("url"),
                        200,
                        &String::from_utf8_lossy(&bytes),
                    );
                    assert_fast_paths_agree(&p, &path.display().to_string());
                    pages += 1;
                }
            }
        }
        assert!(pages > 100, "only {pages} fixture pages");
    }

    #[test]
    fn has_name_and_role_memo_agree_on_random_markup() {
        const PIECES: &[&str] = &[
            "<a href=\"/\">",
            "</a>",
            "<span>",
            "</span>",
            "<div>",
            "</div>",
            " ",
            "\u{a0}",
            "\u{3000}",
            "\n\t",
            "x",
            "<img alt=\"\">",
            "<img alt=\" \">",
            "<img alt=\"p\">",
            "<span hidden>h</span>",
            "<span aria-hidden=\"true\">y</span>",
            "<span style=\"color:red; display: NONE !important\">z</span>",
            "<button aria-labelledby=\"i1 i2 nope\">",
            "</button>",
            "<span id=\"i1\"> </span>",
            "<span id=\"i2\" hidden>n</span>",
            "<input id=\"f\" value=\" \">",
            "<input id=\"g\" value=\"v\" aria-labelledby=\"f\">",
            "<label for=\"f\">",
            "<label>",
            "</label>",
            "<input type=\"submit\" value=\"\">",
            "<input type=\"Reset\">",
            "<h2 title=\" \">",
            "<h2 title=\"t\">",
            "</h2>",
            "<svg role=\"img\"><title> </title></svg>",
            "<svg role=\"img\"><title>s</title></svg>",
            "<select role=\"none\"></select>",
            "<details><summary>",
            "</summary></details>",
            "<li role=\"menuitem\" aria-label=\"  \">",
            "<li role=\"menuitem\" aria-labelledby=\"i1\">",
            "</li>",
            "<input placeholder=\"\">",
            "<input placeholder=\"q\" role=\"searchbox\">",
            "<table><tr><th>",
            "</th><td>",
            "</td></tr></table>",
            "<p role=\"presentation\" tabindex=\"0\">",
            "</p>",
        ];
        let mut next = crate::rules::text::test_rng(0x5DEE_CE66_D1CE_4E5B);
        for round in 0..300 {
            let body: String = (0..40).map(|_| PIECES[next(PIECES.len())]).collect();
            assert_fast_paths_agree(&page(&body), &format!("round {round}: {body}"));
        }
    }

    #[test]
    fn has_non_whitespace_answers_like_trim() {
        for c in (0u32..0x3100).filter_map(char::from_u32) {
            for s in [c.to_string(), format!(" {c}\t"), format!("\u{a0}{c}")] {
                assert_eq!(has_non_whitespace(&s), !s.trim().is_empty(), "{s:?}");
            }
        }
        assert!(!has_non_whitespace(" \u{3000}\u{a0}\u{2029}\n"));
        assert!(has_non_whitespace("\u{a0}é"));
    }

    #[test]
    fn style_hides_answers_like_the_declarations() {
        const PROPS: &[&str] = &[
            "display",
            " DISPLAY",
            "visibility ",
            "\u{a0}VisiBility",
            "colour",
            "",
        ];
        const SEPS: &[&str] = &[":", " : ", "", "::"];
        const VALUES: &[&str] = &[
            "none", "None ", " hidden", "COLLAPSE", "block", "-none", "", "hidden x",
        ];
        const TAILS: &[&str] = &["", " !important", "!important ", "!IMPORTANT", "\u{3000}"];
        let reference = |style: &str| {
            style_declarations(style).any(|(prop, val)| {
                (prop == "display" && val == "none")
                    || (prop == "visibility" && (val == "hidden" || val == "collapse"))
            })
        };
        let mut next = crate::rules::text::test_rng(0x1F83_D9AB_FB41_BD6B);
        let mut hides = 0;
        for _ in 0..20_000 {
            let style: String = (0..next(4))
                .map(|_| {
                    let parts = [PROPS, SEPS, VALUES, TAILS];
                    let decl: String = parts.iter().map(|p| p[next(p.len())]).collect();
                    decl + ";"
                })
                .collect();
            assert_eq!(style_hides(&style), reference(&style), "{style:?}");
            hides += usize::from(reference(&style));
        }
        assert!(hides > 100, "the random styles hide only {hides} times");
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
