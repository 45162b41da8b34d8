//! Accessibility page kinds: the 33 W3C ACT rules that can be decided from the HTML source
//! (WCAG 2.1/2.2). Each kind names the tags it wants from the one DOM walk (or every element),
//! judges each element it is given, and turns its tally into a [`PageOutcome`] with failing
//! elements as evidence. Roles, names and hiddenness come from [`accname`]; ARIA facts from
//! [`aria`]; language tags from [`lang`]; the table model from [`table`].
//!
//! Where a decision needs CSS, layout, script or a fetched resource (an `iframe src` removed
//! from the tab order, an `object` whose resource kind the URL does not tell), the element is
//! counted as *undecided* (`PageReport::undecided`); `pantau check` reports such a rule
//! `cantTell` instead of a confident answer.

use super::accname::{self, AccName};
use super::table::{self, TableModel};
use super::{aria, element_evidence, lang, PageOutcome};
use crate::page::{AttrValue, Page};
use crate::scorecard::Evidence;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};
use serde::Deserialize;

/// Failing elements kept per rule per page (the count is kept exactly).
pub const MAX_ELEMENT_EVIDENCE: usize = 20;

/// Roles of form fields (ACT e086e5 applicability).
const FIELD_ROLES: &[&str] = &[
    "checkbox",
    "combobox",
    "listbox",
    "menuitemcheckbox",
    "menuitemradio",
    "radio",
    "searchbox",
    "slider",
    "spinbutton",
    "switch",
    "textbox",
];

/// Link roles: `link` and its DPUB-ARIA subclasses (ACT c487ae Passed Example 11).
const LINK_ROLES: &[&str] = &[
    "link",
    "doc-backlink",
    "doc-biblioref",
    "doc-glossref",
    "doc-noteref",
];

/// What must have a non-empty accessible name (`has_accessible_name` kind, TOML
/// `params.target`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum NameTarget {
    /// ACT 23a2a8, SC 1.1.1: HTML `img` and elements with role `img` (decorative images pass).
    Image,
    /// ACT c487ae, SC 2.4.4/4.1.2: role `link`.
    Link,
    /// ACT e086e5, SC 4.1.2: form field roles (placeholder counts, Passed Example 5).
    FormField,
    /// ACT 97a4e1, SC 4.1.2: role `button`, except `input type=image`.
    Button,
    /// ACT 59796f, SC 1.1.1/4.1.2: `input type=image`.
    ImageButton,
    /// ACT cae760, SC 4.1.2: `iframe` not removed from the tab order, without explicit role.
    Iframe,
    /// ACT m6b1q3, SC 4.1.2: role `menuitem`.
    Menuitem,
    /// ACT 7d6734, SC 1.1.1: SVG elements with explicit role `img`, `graphics-document` or
    /// `graphics-symbol`.
    Svg,
    /// ACT 8fc3b6, SC 1.1.1: `object` rendering an image, audio or video.
    Object,
    /// ACT 2t702h, SC 4.1.2: the `summary` of a `details`.
    Summary,
    /// ACT ffd0e9, SC 1.3.1/2.4.6: role `heading`.
    Heading,
}

/// `has_accessible_name` params.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NameParams {
    /// What must be named.
    pub target: NameTarget,
}

/// `meta_refresh` params.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RefreshParams {
    /// Delays above this many seconds pass (ACT bc659a: 72000, i.e. 20 hours); absent: only
    /// an immediate (0 s) refresh passes (ACT bisz58).
    #[serde(default)]
    pub pass_above_seconds: Option<u32>,
}

/// Built-in accessibility check kinds (TOML `kind = "…"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum A11yKind {
    /// `html_has_lang` — ACT b5c3f8, SC 3.1.1: the root `<html>` has a non-empty `lang`.
    HtmlHasLang,
    /// `html_lang_valid` — ACT bf051a, SC 3.1.1: the root `<html>` `lang` is a valid language
    /// tag (IANA registry).
    HtmlLangValid,
    /// `element_lang_valid` — ACT de46e4, SC 3.1.2: every element with a non-empty `lang`
    /// that is the nearest `lang` of some rendered text has a valid language tag.
    ElementLangValid,
    /// `document_title` — ACT 2779a5, SC 2.4.2: the first `<title>` has non-whitespace text.
    DocumentTitle,
    /// `has_accessible_name` (and the older `image_has_name`, `link_has_name`,
    /// `form_field_has_name`) — see [`NameTarget`] for the ACT rule per target.
    HasName(NameTarget),
    /// `role_valid` — ACT 674b10: a `role` attribute has at least one valid role token.
    RoleValid,
    /// `aria_attr_defined` — ACT 5f99a7: every `aria-*` attribute is defined in WAI-ARIA.
    AriaAttrDefined,
    /// `aria_attr_valid_value` — ACT 6a7281: ARIA attribute values match their value type.
    AriaAttrValidValue,
    /// `aria_attr_permitted` — ACT 5c01ea: ARIA attributes are global or supported by the role.
    AriaAttrPermitted,
    /// `aria_required_attrs` — ACT 4e8ab6: an explicit role has its required states/properties.
    AriaRequiredAttrs,
    /// `aria_prohibited_attrs` — ACT kb1m8s: no global property prohibited on the role.
    AriaProhibitedAttrs,
    /// `aria_required_context` — ACT ff89c9, SC 1.3.1: an explicit role sits in its required
    /// context role.
    AriaRequiredContext,
    /// `aria_required_owned` — ACT bc4a75, SC 1.3.1: a role owns only its required owned roles.
    AriaRequiredOwned,
    /// `decorative_not_exposed` — ACT 46ca7f, SC 1.1.1: elements marked decorative stay
    /// presentational or out of the accessibility tree.
    DecorativeNotExposed,
    /// `aria_hidden_no_focusable` — ACT 6cfa84, SC 1.3.1/4.1.2: `aria-hidden="true"` content
    /// has nothing in sequential focus navigation.
    AriaHiddenNoFocusable,
    /// `presentational_children_no_focusable` — ACT 307n5z, SC 1.3.1/4.1.2: roles with
    /// presentational children contain nothing focusable.
    PresentationalChildrenNoFocusable,
    /// `iframe_tab_order` — ACT akn7bn, SC 2.1.1: an iframe with focusable content (from
    /// `srcdoc`) is not removed from the tab order.
    IframeTabOrder,
    /// `meta_refresh` — ACT bc659a (SC 2.2.1, with the 20-hour exception) and ACT bisz58
    /// (SC 2.2.4/3.2.5, no exception): the first valid `<meta http-equiv=refresh>` has no delay.
    MetaRefresh {
        /// Delays above this many seconds pass.
        pass_above: Option<u32>,
    },
    /// `meta_viewport_zoom` — ACT b4f0c3, SC 1.4.4/1.4.10: `<meta name=viewport>` does not
    /// disable zoom (`user-scalable=no`) or cap it below 2 (`maximum-scale`).
    MetaViewportZoom,
    /// `autocomplete_valid` — ACT 73f2c2, SC 1.3.5: `autocomplete` holds a valid token list.
    AutocompleteValid,
    /// `table_headers_attr` — ACT a25f45, SC 1.3.1: `headers` refers to header cells of the
    /// same table.
    TableHeadersAttr,
    /// `table_header_has_cells` — ACT d0f69e, SC 1.3.1: every header cell has assigned cells.
    TableHeaderHasCells,
}

/// What a kind saw on one page.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Applicable elements.
    pub checked: u32,
    /// Applicable elements that failed.
    pub failed: u32,
    /// Elements whose applicability or result needs CSS, layout, script or a fetch.
    pub undecided: u32,
    /// Up to [`MAX_ELEMENT_EVIDENCE`] failing elements.
    pub evidence: Vec<Evidence>,
    /// `document_title` / `meta_refresh`: the first target was seen.
    seen_first: bool,
    /// `table_header_has_cells`: the last table laid out.
    table: Option<TableModel>,
}

impl Tally {
    /// Record a failing element; the evidence message holds the message KEY until
    /// `RuleSet::check_page` replaces it with the rule's text from TOML.
    fn fail(&mut self, page: &Page, el: ElementRef<'_>, key: &'static str) {
        self.failed += 1;
        if self.evidence.len() < MAX_ELEMENT_EVIDENCE {
            self.evidence.push(element_evidence(page, el, key));
        }
    }

    /// Count one applicable element; fail it with `key` unless `ok`.
    fn judge(&mut self, page: &Page, el: ElementRef<'_>, ok: bool, key: &'static str) {
        self.checked += 1;
        if !ok {
            self.fail(page, el, key);
        }
    }
}

/// Is the element in the HTML or SVG namespace (the ARIA rules' applicability)?
/// One element as the page walk hands it to the kinds: the element, whether it or an
/// ancestor is excluded from the accessibility tree, and what several kinds ask of it,
/// computed at most once per element.
pub struct Target<'a> {
    /// The element.
    pub el: ElementRef<'a>,
    /// Excluded from the accessibility tree (itself or an ancestor).
    pub hidden: bool,
    /// Carries at least one `aria-*` attribute (the attribute-driven ARIA kinds apply to no
    /// other element).
    pub has_aria: bool,
    role: std::cell::OnceCell<Option<&'static str>>,
}

impl<'a> Target<'a> {
    /// Wrap an element met by the walk.
    pub fn new(el: ElementRef<'a>, hidden: bool) -> Target<'a> {
        Target {
            el,
            hidden,
            has_aria: el.value().attrs().any(|(n, _)| n.starts_with("aria-")),
            role: std::cell::OnceCell::new(),
        }
    }

    /// [`accname::role`] of the element (from the page's memo in `acc`), computed on first
    /// use.
    pub fn role(&self, acc: &AccName<'_>) -> Option<&'static str> {
        *self.role.get_or_init(|| acc.role(self.el))
    }
}

fn html_or_svg(el: ElementRef<'_>) -> bool {
    accname::is_html(el) || accname::is_svg(el)
}

/// ARIA attributes (`aria-*`) of an element, name and value.
fn aria_attrs<'a>(el: ElementRef<'a>) -> impl Iterator<Item = (&'a str, &'a str)> {
    el.value().attrs().filter(|(n, _)| n.starts_with("aria-"))
}

/// Not rendered by itself: `hidden`, inline `display:none`/`visibility:hidden`, or an element
/// never rendered (`head`, `script`, `style`, `template`, `noscript`). Unlike
/// [`accname::is_hidden_self`], `aria-hidden` content is still visible.
fn unrendered_self(el: ElementRef<'_>) -> bool {
    let e = el.value();
    matches!(
        e.name(),
        "head" | "script" | "style" | "template" | "noscript" | "title"
    ) || e.attr_value("hidden").is_some()
        || e.attr_value("style").is_some_and(accname::style_hides)
}

/// Visit the nodes below `el` in document order, without recursion (deep pages cannot
/// overflow the stack), skipping the subtrees of elements for which `prune` is true; stop when
/// `visit` returns true. Returns whether it stopped.
fn walk_pruned(
    el: ElementRef<'_>,
    prune: impl Fn(ElementRef<'_>) -> bool,
    mut visit: impl FnMut(ego_tree::NodeRef<'_, Node>) -> bool,
) -> bool {
    let mut skipping = 0usize;
    for edge in el.traverse().skip(1) {
        match edge {
            Edge::Open(node) => {
                if skipping > 0 {
                    skipping += usize::from(node.value().is_element());
                    continue;
                }
                if let Some(e) = ElementRef::wrap(node) {
                    if node.id() != el.id() && prune(e) {
                        skipping = 1;
                        continue;
                    }
                }
                if visit(node) {
                    return true;
                }
            }
            Edge::Close(node) => {
                if skipping > 0 && node.value().is_element() {
                    skipping -= 1;
                }
            }
        }
    }
    false
}

/// The rendered elements in sequential focus navigation in `el` (inclusive when `inclusive`),
/// at most 20.
fn tabbables<'a>(el: ElementRef<'a>, inclusive: bool, out: &mut Vec<ElementRef<'a>>) {
    if inclusive && accname::is_tabbable(el) {
        out.push(el);
    }
    let mut ids = Vec::new();
    walk_pruned(el, unrendered_self, |node| {
        if let Some(e) = ElementRef::wrap(node) {
            if e.id() != el.id() && accname::is_tabbable(e) {
                ids.push(e.id());
            }
        }
        ids.len() + out.len() >= 20
    });
    let tree = el.tree();
    out.extend(
        ids.into_iter()
            .filter_map(|id| tree.get(id).and_then(ElementRef::wrap)),
    );
}

/// Does `el` (inclusive when `inclusive`) contain an element in sequential focus navigation
/// that is rendered?
fn has_tabbable(el: ElementRef<'_>, inclusive: bool) -> bool {
    if inclusive && accname::is_tabbable(el) {
        return true;
    }
    walk_pruned(el, unrendered_self, |node| {
        ElementRef::wrap(node).is_some_and(|e| e.id() != el.id() && accname::is_tabbable(e))
    })
}

impl A11yKind {
    /// The message keys the kind emits; every rule of the kind gives each key's Indonesian and
    /// English text in `[rule.messages]`.
    pub fn message_keys(self) -> &'static [&'static str] {
        match self {
            A11yKind::HtmlHasLang => &["lang-missing"],
            A11yKind::HtmlLangValid | A11yKind::ElementLangValid => &["lang-invalid"],
            A11yKind::DocumentTitle => &["title-empty", "title-missing"],
            A11yKind::HasName(NameTarget::Image) => &["image-no-name"],
            A11yKind::HasName(NameTarget::Link) => &["link-no-name"],
            A11yKind::HasName(NameTarget::FormField) => &["field-no-name"],
            A11yKind::HasName(_) => &["no-name"],
            A11yKind::RoleValid => &["role-invalid"],
            A11yKind::AriaAttrDefined => &["attr-undefined"],
            A11yKind::AriaAttrValidValue => &["attr-bad-value"],
            A11yKind::AriaAttrPermitted => &["attr-not-permitted"],
            A11yKind::AriaRequiredAttrs => &["attr-required-missing"],
            A11yKind::AriaProhibitedAttrs => &["attr-prohibited"],
            A11yKind::AriaRequiredContext => &["context-missing"],
            A11yKind::AriaRequiredOwned => &["owned-wrong"],
            A11yKind::DecorativeNotExposed => &["decorative-exposed"],
            A11yKind::AriaHiddenNoFocusable => &["hidden-focusable"],
            A11yKind::PresentationalChildrenNoFocusable => &["children-focusable"],
            A11yKind::IframeTabOrder => &["iframe-untabbable"],
            A11yKind::MetaRefresh { .. } => &["refresh-delay"],
            A11yKind::MetaViewportZoom => &["zoom-disabled"],
            A11yKind::AutocompleteValid => &["autocomplete-invalid"],
            A11yKind::TableHeadersAttr => &["headers-wrong"],
            A11yKind::TableHeaderHasCells => &["header-no-cells"],
        }
    }

    /// Tags the kind wants from the walk (empty for kinds that want every element, see
    /// [`A11yKind::every_element`]).
    pub fn tags(self) -> &'static [&'static str] {
        match self {
            A11yKind::HtmlHasLang | A11yKind::HtmlLangValid => &["html"],
            A11yKind::DocumentTitle => &["title"],
            A11yKind::HasName(t) => match t {
                NameTarget::Image => &["img"],
                NameTarget::Link => &["a", "area"],
                NameTarget::FormField => &["input", "select", "textarea"],
                NameTarget::Button => &["button", "input", "summary"],
                NameTarget::ImageButton => &["input"],
                NameTarget::Iframe => &["iframe"],
                NameTarget::Menuitem => &[],
                NameTarget::Svg => &[],
                NameTarget::Object => &["object"],
                NameTarget::Summary => &["summary"],
                NameTarget::Heading => &["h1", "h2", "h3", "h4", "h5", "h6"],
            },
            A11yKind::IframeTabOrder => &["iframe"],
            A11yKind::MetaRefresh { .. } | A11yKind::MetaViewportZoom => &["meta"],
            A11yKind::AutocompleteValid => &["input", "select", "textarea"],
            A11yKind::TableHeadersAttr => &["td", "th"],
            A11yKind::TableHeaderHasCells => &["th"],
            _ => &[],
        }
    }

    /// Does the kind also want elements of other tags that carry a `role` attribute?
    pub fn by_role(self) -> bool {
        matches!(
            self,
            A11yKind::HasName(_)
                | A11yKind::RoleValid
                | A11yKind::AriaRequiredAttrs
                | A11yKind::AriaRequiredContext
                | A11yKind::DecorativeNotExposed
                | A11yKind::PresentationalChildrenNoFocusable
                | A11yKind::TableHeaderHasCells
        )
    }

    /// Does the kind want every element (attribute-driven kinds, and kinds whose roles are
    /// mostly implicit)?
    pub fn every_element(self) -> bool {
        matches!(
            self,
            A11yKind::ElementLangValid
                | A11yKind::AriaAttrDefined
                | A11yKind::AriaAttrValidValue
                | A11yKind::AriaAttrPermitted
                | A11yKind::AriaProhibitedAttrs
                | A11yKind::AriaRequiredOwned
                | A11yKind::DecorativeNotExposed
                | A11yKind::AriaHiddenNoFocusable
                | A11yKind::PresentationalChildrenNoFocusable
        )
    }

    /// Judge one element; `hidden` is true when it or an ancestor is excluded from the
    /// accessibility tree.
    pub fn visit(self, tally: &mut Tally, page: &Page, acc: &AccName<'_>, t: &Target<'_>) {
        let (el, hidden) = (t.el, t.hidden);
        match self {
            A11yKind::HtmlHasLang | A11yKind::HtmlLangValid => {
                // Only the document element (ACT b5c3f8 / bf051a applicability).
                let is_root = el.parent().is_some_and(|p| p.value().is_document());
                if !is_root || !accname::is_html(el) {
                    return;
                }
                let value = el
                    .value()
                    .attr_value("lang")
                    .map(|l| l.trim_matches(|c: char| c.is_ascii_whitespace()))
                    .filter(|l| !l.is_empty());
                if self == A11yKind::HtmlHasLang {
                    tally.judge(page, el, value.is_some(), "lang-missing");
                } else if let Some(v) = value {
                    tally.judge(page, el, lang::is_valid(v), "lang-invalid");
                }
            }
            A11yKind::ElementLangValid => {
                // Elements of the body with a non-empty `lang` (whitespace only is not empty and
                // fails, ACT de46e4 Failed Example 3) that are the nearest `lang` of some text.
                let Some(v) = el.value().attr_value("lang") else {
                    return;
                };
                let in_body = el
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .chain(std::iter::once(el))
                    .any(|a| a.value().name() == "body");
                if v.is_empty() || !in_body || !accname::is_html(el) || !own_text(el) {
                    return;
                }
                tally.judge(page, el, lang::is_valid(v), "lang-invalid");
            }
            A11yKind::DocumentTitle => {
                // Only HTML titles of the document: not SVG titles, not template content.
                let in_template = el
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|a| a.value().name() == "template");
                if tally.seen_first || in_template || !accname::is_html(el) {
                    return;
                }
                tally.seen_first = true;
                let text: String = el.text().collect();
                tally.judge(page, el, !text.trim().is_empty(), "title-empty");
            }
            A11yKind::HasName(target) => name_rule(target, tally, page, acc, t),
            A11yKind::RoleValid => {
                let Some(v) = el.value().attr_value("role") else {
                    return;
                };
                if hidden || v.trim().is_empty() || !html_or_svg(el) {
                    return;
                }
                let ok = v
                    .split_ascii_whitespace()
                    .any(|t| aria::valid_role(&t.to_ascii_lowercase()).is_some());
                tally.judge(page, el, ok, "role-invalid");
            }
            A11yKind::AriaAttrDefined => {
                if !t.has_aria || !html_or_svg(el) {
                    return;
                }
                for (name, _) in aria_attrs(el) {
                    tally.judge(page, el, aria::attr_type(name).is_some(), "attr-undefined");
                }
            }
            A11yKind::AriaAttrValidValue => {
                if !t.has_aria || !html_or_svg(el) {
                    return;
                }
                for (name, value) in aria_attrs(el) {
                    let Some(ty) = aria::attr_type(name) else {
                        continue;
                    };
                    if value.trim().is_empty() {
                        continue;
                    }
                    tally.judge(page, el, aria::value_valid(ty, value), "attr-bad-value");
                }
            }
            A11yKind::AriaAttrPermitted => {
                if !t.has_aria || hidden || !html_or_svg(el) {
                    return;
                }
                let role = t.role(acc);
                for (name, _) in aria_attrs(el) {
                    if aria::attr_type(name).is_none() {
                        continue;
                    }
                    tally.judge(
                        page,
                        el,
                        aria::attr_permitted(role, name),
                        "attr-not-permitted",
                    );
                }
            }
            A11yKind::AriaRequiredAttrs => {
                let Some(explicit) = accname::explicit_role(el) else {
                    return;
                };
                if hidden || !html_or_svg(el) || accname::implicit_role(el) == Some(explicit) {
                    return;
                }
                // Every explicit role is a target; most require nothing (ACT 4e8ab6 Passed
                // Examples 4 and 5).
                let required = aria::required_attrs(explicit, accname::is_focusable(el));
                let ok = required.iter().all(|a| {
                    el.value()
                        .attr_value(a)
                        .is_some_and(|v| !v.trim().is_empty())
                });
                tally.judge(page, el, ok, "attr-required-missing");
            }
            A11yKind::AriaProhibitedAttrs => {
                if !t.has_aria || hidden || !html_or_svg(el) {
                    return;
                }
                let globals: Vec<&str> = aria_attrs(el)
                    .filter(|(n, v)| aria::is_global(n) && !v.trim().is_empty())
                    .map(|(n, _)| n)
                    .collect();
                if globals.is_empty() {
                    return;
                }
                let role = t.role(acc);
                let ok = !globals
                    .iter()
                    .any(|a| role.is_some_and(|r| aria::attr_prohibited(r, a)));
                tally.judge(page, el, ok, "attr-prohibited");
            }
            A11yKind::AriaRequiredContext => {
                shadow_undecided(tally, acc);
                let Some(explicit) = accname::explicit_role(el) else {
                    return;
                };
                let context = aria::required_context(explicit);
                if hidden
                    || context.is_empty()
                    || !html_or_svg(el)
                    || accname::implicit_role(el) == Some(explicit)
                {
                    return;
                }
                let parent_role = acc.tree_parent(el).and_then(|p| acc.role(p));
                let ok = parent_role.is_some_and(|r| context.contains(&r));
                tally.judge(page, el, ok, "context-missing");
            }
            A11yKind::AriaRequiredOwned => {
                if !html_or_svg(el) {
                    return;
                }
                let Some(role) = t.role(acc) else {
                    return;
                };
                let Some((items, group)) = aria::required_owned(role) else {
                    return;
                };
                shadow_undecided(tally, acc);
                if hidden {
                    return;
                }
                let busy = el
                    .value()
                    .attr_value("aria-busy")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
                if busy {
                    return;
                }
                let ok = owned_ok(acc, el, items, group, 0);
                tally.judge(page, el, ok, "owned-wrong");
            }
            A11yKind::DecorativeNotExposed => {
                if !html_or_svg(el) {
                    return;
                }
                let explicit = accname::explicit_role(el);
                let marked = matches!(explicit, Some("none" | "presentation"))
                    || (accname::is_html(el)
                        && el.value().name() == "img"
                        && el.value().attr_value("alt") == Some(""));
                if !marked {
                    return;
                }
                let ok = hidden || matches!(t.role(acc), Some("none" | "presentation"));
                tally.judge(page, el, ok, "decorative-exposed");
            }
            A11yKind::AriaHiddenNoFocusable => {
                let is_true = el
                    .value()
                    .attr_value("aria-hidden")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
                if !is_true || !html_or_svg(el) || unrendered_self(el) {
                    return;
                }
                let mut found = Vec::new();
                tabbables(el, true, &mut found);
                if found.is_empty() {
                    tally.judge(page, el, true, "hidden-focusable");
                } else if found.iter().all(|f| {
                    f.value()
                        .attr_value("id")
                        .is_some_and(|id| acc.hints().script_handles_focus_of(id))
                }) {
                    // A script handles focus on these elements: it may move focus away
                    // (ACT 6cfa84 Passed Example 4).
                    tally.undecided += 1;
                } else {
                    tally.judge(page, el, false, "hidden-focusable");
                }
            }
            A11yKind::PresentationalChildrenNoFocusable => {
                if hidden || !html_or_svg(el) {
                    return;
                }
                let presentational = t
                    .role(acc)
                    .is_some_and(|r| aria::PRESENTATIONAL_CHILDREN.contains(&r));
                if !presentational {
                    return;
                }
                tally.judge(page, el, !has_tabbable(el, false), "children-focusable");
            }
            A11yKind::IframeTabOrder => iframe_tab_order(tally, page, acc, el, hidden),
            A11yKind::MetaRefresh { pass_above } => {
                if tally.seen_first || !accname::is_html(el) {
                    return;
                }
                let e = el.value();
                let refresh = e
                    .attr_value("http-equiv")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
                let Some(delay) = e
                    .attr_value("content")
                    .filter(|_| refresh)
                    .and_then(refresh_delay)
                else {
                    return;
                };
                tally.seen_first = true;
                let ok = delay == 0 || pass_above.is_some_and(|limit| delay > u64::from(limit));
                tally.judge(page, el, ok, "refresh-delay");
            }
            A11yKind::MetaViewportZoom => {
                let e = el.value();
                let viewport = e
                    .attr_value("name")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("viewport"));
                let Some(content) = e.attr_value("content").filter(|_| viewport) else {
                    return;
                };
                if let Some(ok) = viewport_allows_zoom(content) {
                    tally.judge(page, el, ok, "zoom-disabled");
                }
            }
            A11yKind::AutocompleteValid => {
                let e = el.value();
                let Some(value) = e.attr_value("autocomplete") else {
                    return;
                };
                let v = value.trim().to_ascii_lowercase();
                let ty = e
                    .attr_value("type")
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let skip_type = e.name() == "input"
                    && matches!(
                        ty.as_str(),
                        "hidden" | "button" | "submit" | "reset" | "image"
                    );
                let aria_disabled = e
                    .attr_value("aria-disabled")
                    .is_some_and(|d| d.trim().eq_ignore_ascii_case("true"));
                if v.is_empty()
                    || v == "off"
                    || v == "on"
                    || skip_type
                    || hidden
                    || aria_disabled
                    || accname::is_disabled(el)
                    || !accname::is_html(el)
                {
                    return;
                }
                tally.judge(page, el, autocomplete_ok(&v), "autocomplete-invalid");
            }
            A11yKind::TableHeadersAttr => {
                let Some(headers) = el.value().attr_value("headers") else {
                    return;
                };
                if hidden || headers.trim().is_empty() || !accname::is_html(el) {
                    return;
                }
                let Some(tbl) = table::table_of(acc, el).filter(|t| t.value().name() == "table")
                else {
                    return;
                };
                if acc.hints().maybe_concealed_by_stylesheet(tbl) {
                    // The table may be invisible (ACT a25f45 applies to visible tables).
                    tally.undecided += 1;
                    return;
                }
                let ok = headers.split_ascii_whitespace().all(|id| {
                    page.element_by_id(id).is_some_and(|target| {
                        target.id() != el.id()
                            && table::table_of(acc, target).is_some_and(|t| t.id() == tbl.id())
                            && matches!(acc.role(target), Some("columnheader" | "rowheader"))
                    })
                });
                tally.judge(page, el, ok, "headers-wrong");
            }
            A11yKind::TableHeaderHasCells => {
                if hidden || !html_or_svg(el) {
                    return;
                }
                if !matches!(t.role(acc), Some("columnheader" | "rowheader")) {
                    return;
                }
                let Some(tbl) = table::table_of(acc, el) else {
                    return;
                };
                if tally.table.as_ref().is_none_or(|m| m.table != tbl.id()) {
                    tally.table = Some(TableModel::build(acc, tbl));
                }
                let ok = tally
                    .table
                    .as_ref()
                    .is_some_and(|m| m.header_has_cells(el.id(), el.value().attr_value("id")));
                tally.judge(page, el, ok, "header-no-cells");
            }
        }
    }

    /// The page outcome from the tally. `document_title` applies to every HTML document:
    /// no `<title>` at all is a failure with the `<html>` element as evidence.
    pub fn finish(self, mut tally: Tally, page: &Page) -> (PageOutcome, Tally) {
        if self == A11yKind::DocumentTitle && !tally.seen_first {
            tally.checked += 1;
            tally.fail(page, page.html.root_element(), "title-missing");
        }
        let outcome = if tally.failed > 0 {
            PageOutcome::Fail
        } else if tally.checked > 0 {
            PageOutcome::Pass
        } else {
            PageOutcome::NotApplicable
        };
        (outcome, tally)
    }
}

/// Shadow trees (attached by script or declared) hide owned elements and context from a
/// static check: count the page once as undecided (ACT ff89c9 Passed Example 6).
fn shadow_undecided(tally: &mut Tally, acc: &AccName<'_>) {
    if !tally.seen_first && acc.hints().shadow {
        tally.seen_first = true;
        tally.undecided += 1;
    }
}

/// The name rules (ACT 23a2a8, c487ae, e086e5, 97a4e1, 59796f, cae760, m6b1q3, 7d6734,
/// 8fc3b6, 2t702h, ffd0e9): applicability per target, then a non-empty accessible name.
fn name_rule(
    target: NameTarget,
    tally: &mut Tally,
    page: &Page,
    acc: &AccName<'_>,
    t: &Target<'_>,
) {
    let (el, hidden) = (t.el, t.hidden);
    if hidden {
        return;
    }
    let e = el.value();
    let html = accname::is_html(el);
    let role = t.role(acc);
    let input_type = || {
        e.attr_value("type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    };
    let (applies, key) = match target {
        NameTarget::Image => (
            html && (role == Some("img") || e.name() == "img"),
            "image-no-name",
        ),
        NameTarget::Link => (
            role.is_some_and(|r| LINK_ROLES.contains(&r)),
            "link-no-name",
        ),
        NameTarget::FormField => (
            role.is_some_and(|r| FIELD_ROLES.contains(&r))
                // A colour well has no ARIA role but is a form field (ACT e086e5 Passed
                // Example 9).
                || (html
                    && role.is_none()
                    && e.name() == "input"
                    && input_type() == "color"),
            "field-no-name",
        ),
        NameTarget::Button => (
            role == Some("button") && !(e.name() == "input" && input_type() == "image"),
            "no-name",
        ),
        NameTarget::ImageButton => (
            html && e.name() == "input" && input_type() == "image" && role == Some("button"),
            "no-name",
        ),
        NameTarget::Iframe => (
            html && e.name() == "iframe"
                && accname::explicit_role(el).is_none()
                && accname::tabindex(el).is_none_or(|t| t >= 0),
            "no-name",
        ),
        NameTarget::Menuitem => (role == Some("menuitem"), "no-name"),
        NameTarget::Svg => (
            accname::is_svg(el)
                && matches!(
                    accname::explicit_role(el),
                    Some("img" | "graphics-document" | "graphics-symbol")
                ),
            "no-name",
        ),
        NameTarget::Object => {
            if !html || e.name() != "object" || accname::explicit_role(el).is_some() {
                return;
            }
            match object_media(el) {
                Some(true) => (true, "no-name"),
                Some(false) => return,
                None => {
                    tally.undecided += 1;
                    return;
                }
            }
        }
        NameTarget::Summary => (
            accname::is_details_summary(el)
                && matches!(
                    accname::explicit_role(el),
                    None | Some("none" | "presentation")
                ),
            "no-name",
        ),
        NameTarget::Heading => (role == Some("heading"), "no-name"),
    };
    if !applies {
        return;
    }
    let decorative = target == NameTarget::Image && matches!(role, Some("none" | "presentation"));
    let ok = decorative || acc.has_name(el);
    tally.judge(page, el, ok, key);
}

/// Does the `object` render an image, audio or video (ACT 8fc3b6)? From `type`, else from the
/// extension of `data`; `None` when neither tells.
fn object_media(el: ElementRef<'_>) -> Option<bool> {
    let e = el.value();
    if let Some(ty) = e.attr_value("type").map(|t| t.trim().to_ascii_lowercase()) {
        if !ty.is_empty() {
            return Some(
                ty.starts_with("image/") || ty.starts_with("audio/") || ty.starts_with("video/"),
            );
        }
    }
    let data = e.attr_value("data")?.trim().to_ascii_lowercase();
    let path = data.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or("");
    let ext = file.rsplit_once('.').map(|(_, x)| x)?;
    const MEDIA: &[&str] = &[
        "png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico", "avif", "tif", "tiff", "mp3",
        "wav", "ogg", "oga", "m4a", "aac", "flac", "weba", "opus", "mp4", "webm", "ogv", "mov",
        "m4v", "avi", "mkv",
    ];
    const OTHER: &[&str] = &[
        "html", "htm", "xhtml", "php", "asp", "aspx", "pdf", "txt", "xml",
    ];
    if MEDIA.contains(&ext) {
        Some(true)
    } else if OTHER.contains(&ext) {
        Some(false)
    } else {
        None
    }
}

/// Is `el` the nearest `lang` element of some rendered text (text nodes, `img alt`)?
fn own_text(el: ElementRef<'_>) -> bool {
    let prune = |c: ElementRef<'_>| {
        unrendered_self(c) || c.value().attr_value("lang").is_some_and(|l| !l.is_empty())
    };
    walk_pruned(el, prune, |node| match node.value() {
        Node::Text(t) => !t.trim().is_empty(),
        Node::Element(e) => {
            e.name() == "img" && e.attr_value("alt").is_some_and(|a| !a.trim().is_empty())
        }
        _ => false,
    })
}

/// Are the elements `el` owns all of the item roles, or groups of them (ACT bc4a75)? Owned
/// elements: DOM children not claimed by another `aria-owns`, plus `aria-owns` targets;
/// hidden ones are skipped, presentational and role-less ones are looked through.
fn owned_ok(
    acc: &AccName<'_>,
    el: ElementRef<'_>,
    items: &[&str],
    group: Option<&str>,
    depth: usize,
) -> bool {
    if depth > accname::MAX_DEPTH {
        return true;
    }
    acc.owned_children(el).all(|child| {
        if accname::is_hidden_self(child) {
            return true;
        }
        match acc.role(child) {
            Some(r) if items.contains(&r) => true,
            Some(r) if Some(r) == group => owned_ok(acc, child, items, group, depth + 1),
            None | Some("none" | "presentation") => owned_ok(acc, child, items, group, depth + 1),
            Some(_) => false,
        }
    })
}

/// ACT akn7bn: an iframe whose `srcdoc` document has content in sequential focus navigation
/// must not have a negative `tabindex`. An `src` iframe with negative `tabindex` is undecided
/// (its content would have to be fetched).
fn iframe_tab_order(
    tally: &mut Tally,
    page: &Page,
    acc: &AccName<'_>,
    el: ElementRef<'_>,
    hidden: bool,
) {
    let e = el.value();
    if hidden || !accname::is_html(el) || unrendered_self(el) || !accname::is_focusable(el) {
        return;
    }
    let negative = accname::tabindex(el).is_some_and(|t| t < 0);
    let Some(srcdoc) = e.attr_value("srcdoc") else {
        if negative && e.attr_value("src").is_some_and(|s| !s.trim().is_empty()) {
            tally.undecided += 1;
        }
        return;
    };
    let inner = Html::parse_document(srcdoc);
    let focusable = has_tabbable(inner.root_element(), true);
    if !focusable {
        return;
    }
    let tiny = ["width", "height"].iter().any(|a| {
        e.attr_value(a)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<f64>().ok())
            .is_some_and(|n| n <= 1.0)
    });
    if tiny || acc.hints().modal {
        // Whether the content is visible (layout) or the iframe inert (a modal dialog opened
        // by script) cannot be told (ACT akn7bn Inapplicable Examples 3 and 6).
        tally.undecided += 1;
        return;
    }
    tally.judge(page, el, !negative, "iframe-untabbable");
}

/// The delay in seconds of a valid refresh `content` (HTML §4.2.5.3 "shared declarative
/// refresh steps"), `None` when the value is not valid; the crawler reads the same value with
/// [`crate::fetch::refresh::parse_refresh`] to follow the target.
pub fn refresh_delay(content: &str) -> Option<u64> {
    crate::fetch::refresh::parse_refresh(content).map(|(delay, _)| delay)
}

/// Does a viewport `content` allow zoom (ACT b4f0c3)? `None` when it sets neither
/// `user-scalable` nor `maximum-scale` (inapplicable). `user-scalable`: `yes`, `device-*` or
/// a number ≥ 1 in magnitude allow; anything else forbids. `maximum-scale` below 2 forbids
/// (`yes` = 1, unknown words = 0.1, `device-*` = 10); negative values are ignored.
pub fn viewport_allows_zoom(content: &str) -> Option<bool> {
    let mut seen = false;
    let mut ok = true;
    for part in content.split([',', ';']) {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase();
        let v = v.trim().to_ascii_lowercase();
        let number = |v: &str| -> f64 {
            match v {
                "yes" => 1.0,
                "no" => 0.1,
                "device-width" | "device-height" => 10.0,
                _ => v.parse::<f64>().unwrap_or(0.1),
            }
        };
        match k.as_str() {
            "user-scalable" => {
                seen = true;
                let allows = match v.as_str() {
                    "yes" | "device-width" | "device-height" => true,
                    "no" => false,
                    _ => v.parse::<f64>().is_ok_and(|n| n.abs() >= 1.0),
                };
                ok &= allows;
            }
            "maximum-scale" => {
                seen = true;
                let n = number(&v);
                if (0.0..2.0).contains(&n) {
                    ok = false;
                }
            }
            _ => {}
        }
    }
    seen.then_some(ok)
}

/// Autofill field names (HTML §4.10.18.7.1), without contact information.
const AUTOFILL_FIELDS: &[&str] = &[
    "name",
    "honorific-prefix",
    "given-name",
    "additional-name",
    "family-name",
    "honorific-suffix",
    "nickname",
    "username",
    "new-password",
    "current-password",
    "one-time-code",
    "organization-title",
    "organization",
    "street-address",
    "address-line1",
    "address-line2",
    "address-line3",
    "address-level4",
    "address-level3",
    "address-level2",
    "address-level1",
    "country",
    "country-name",
    "postal-code",
    "cc-name",
    "cc-given-name",
    "cc-additional-name",
    "cc-family-name",
    "cc-number",
    "cc-exp",
    "cc-exp-month",
    "cc-exp-year",
    "cc-csc",
    "cc-type",
    "transaction-currency",
    "transaction-amount",
    "language",
    "bday",
    "bday-day",
    "bday-month",
    "bday-year",
    "sex",
    "url",
    "photo",
];

/// Contact autofill field names (may follow `home`, `work`, `mobile`, `fax`, `pager`).
const AUTOFILL_CONTACT: &[&str] = &[
    "tel",
    "tel-country-code",
    "tel-national",
    "tel-area-code",
    "tel-local",
    "tel-local-prefix",
    "tel-local-suffix",
    "tel-extension",
    "email",
    "impp",
];

/// Is a lowercased, trimmed `autocomplete` value a valid autofill detail token list (HTML
/// §4.10.18.7.1; ACT 73f2c2): `[section-*] [shipping|billing] [home|work|mobile|fax|pager
/// contact-field | field] [webauthn]`?
pub fn autocomplete_ok(value: &str) -> bool {
    let mut tokens: Vec<&str> = value.split_ascii_whitespace().collect();
    if tokens.last() == Some(&"webauthn") {
        tokens.pop();
    }
    let mut i = 0;
    if tokens.get(i).is_some_and(|t| t.starts_with("section-")) {
        i += 1;
    }
    if tokens
        .get(i)
        .is_some_and(|t| matches!(*t, "shipping" | "billing"))
    {
        i += 1;
    }
    let contact = tokens
        .get(i)
        .is_some_and(|t| matches!(*t, "home" | "work" | "mobile" | "fax" | "pager"));
    if contact {
        i += 1;
    }
    let Some(field) = tokens.get(i) else {
        return false;
    };
    let field_ok =
        AUTOFILL_CONTACT.contains(field) || (!contact && AUTOFILL_FIELDS.contains(field));
    field_ok && i + 1 == tokens.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{CheckContext, RuleSet};

    /// Outcome and failing-element count of rule `id` on `html`.
    fn run(html: &str, id: &str) -> (PageOutcome, u32, u32) {
        let rules = RuleSet::embedded().expect("embedded rules");
        let page = Page::parse(
            url::Url::parse("https://dinas.example.go.id/").expect("url"),
            200,
            html,
        );
        let ctx = CheckContext {
            now: chrono::DateTime::parse_from_rfc3339("2026-11-29T10:00:00+07:00").expect("t"),
            agency_host: "dinas.example.go.id".to_string(),
            agency_types: None,
        };
        let idx = rules
            .rules()
            .iter()
            .position(|r| r.id == id)
            .expect("rule id");
        let report = rules.check_page(&page, &ctx);
        let undecided = report
            .undecided
            .iter()
            .find(|(i, _)| *i == idx)
            .map_or(0, |(_, n)| *n);
        let r = report
            .results
            .into_iter()
            .find(|r| r.rule == idx)
            .expect("result");
        (r.outcome, r.elements_failed, undecided)
    }

    #[test]
    fn indonesian_language_tags() {
        let page = |lang: &str| format!("<html lang=\"{lang}\"><title>x</title><p>Halo</p></html>");
        assert_eq!(run(&page("id"), "html-lang-valid").0, PageOutcome::Pass);
        assert_eq!(run(&page("id-ID"), "html-lang-valid").0, PageOutcome::Pass);
        assert_eq!(
            run(&page("indonesia"), "html-lang-valid").0,
            PageOutcome::Fail
        );
        let body =
            r#"<html lang="id"><p lang="jawa">Sugeng rawuh</p><p lang="jv">Sugeng</p></html>"#;
        assert_eq!(run(body, "element-lang-valid").1, 1);
    }

    #[test]
    fn aria_kinds_on_a_typical_menu() {
        let html = r#"<ul role="menu"><li role="menuitem" aria-haspopup="true">Profil</li>
            <li role="menuitem" aria-expanded="ya">Berita</li><li><a href="/">Beranda</a></li></ul>
            <div role="tab" aria-selected="true">Tab</div>"#;
        assert_eq!(run(html, "aria-attr-valid-value").1, 1, "aria-expanded=ya");
        assert_eq!(
            run(html, "aria-required-owned").1,
            1,
            "a plain li in a menu"
        );
        assert_eq!(
            run(html, "aria-required-context").1,
            1,
            "tab outside tablist"
        );
        assert_eq!(run(html, "aria-attr-permitted").0, PageOutcome::Pass);
        assert_eq!(run(html, "menuitem-name").0, PageOutcome::Pass);
    }

    #[test]
    fn captions_and_layout_tables_own_what_they_may() {
        let html = r#"<table><caption>Data ASN 2024</caption><thead><tr><th>Nama</th></tr></thead>
            <tbody><tr><td>Budi</td></tr></tbody></table>
            <table role="presentation"><tr><td><img src="x.png" alt=""></td></tr></table>"#;
        assert_eq!(run(html, "aria-required-owned"), (PageOutcome::Pass, 0, 0));
    }

    #[test]
    fn tables_and_meta() {
        let table = r#"<table><tr><th id="a">Nama</th><th id="b">NIP</th></tr>
            <tr><td headers="a">Budi</td></tr></table>"#;
        assert_eq!(run(table, "table-header-cells").1, 1);
        assert_eq!(run(table, "table-headers-attr").0, PageOutcome::Pass);
        let refresh = r#"<head><meta http-equiv="refresh" content="300"></head>"#;
        assert_eq!(run(refresh, "meta-refresh").0, PageOutcome::Fail);
        let iframe = r#"<iframe tabindex="-1" src="https://peta.example/"></iframe>"#;
        assert_eq!(
            run(iframe, "iframe-tab-order"),
            (PageOutcome::NotApplicable, 0, 1)
        );
    }

    #[test]
    fn hostile_pages_do_not_panic() {
        let deep = format!(
            "<div aria-hidden=\"true\" lang=\"id\">{}<a href=\"/\">x</a>{}</div>",
            "<span>".repeat(20_000),
            "</span>".repeat(20_000)
        );
        assert_eq!(run(&deep, "aria-hidden-focus").1, 1);
        assert_eq!(run(&deep, "element-lang-valid").0, PageOutcome::Pass);
        let rows = "<tr><th rowspan=\"0\" colspan=\"1000\">h</th><td colspan=\"65534\">d</td></tr>"
            .repeat(300);
        let (outcome, _, _) = run(&format!("<table>{rows}</table>"), "table-header-cells");
        assert_ne!(outcome, PageOutcome::NotApplicable);
    }

    #[test]
    fn refresh_delays() {
        assert_eq!(refresh_delay("30"), Some(30));
        assert_eq!(refresh_delay("0; URL='https://w3.org'"), Some(0));
        assert_eq!(refresh_delay("5, https://w3.org"), Some(5));
        assert_eq!(refresh_delay("0: https://w3.org"), None);
        assert_eq!(refresh_delay("+5; x"), None);
        assert_eq!(refresh_delay("-00.12 foo"), None);
        assert_eq!(refresh_delay(""), None);
        assert_eq!(refresh_delay(".5"), Some(0));
    }

    #[test]
    fn viewport_zoom() {
        assert_eq!(viewport_allows_zoom("width=device-width"), None);
        assert_eq!(viewport_allows_zoom("user-scalable=no"), Some(false));
        assert_eq!(viewport_allows_zoom("user-scalable=5"), Some(true));
        assert_eq!(viewport_allows_zoom("maximum-scale=1.5"), Some(false));
        assert_eq!(viewport_allows_zoom("maximum-scale=-1"), Some(true));
        assert_eq!(
            viewport_allows_zoom("maximum-scale=device-width"),
            Some(true)
        );
    }

    #[test]
    fn autocomplete_tokens() {
        for ok in [
            "username",
            "work email",
            "section-primary shipping work email",
            "current-password webauthn",
            "street-address",
        ] {
            assert!(autocomplete_ok(ok), "{ok}");
        }
        for bad in [
            "badname",
            "work photo",
            "work",
            "shipping",
            "email invalid",
            "work,email",
        ] {
            assert!(!autocomplete_ok(bad), "{bad}");
        }
    }
}
