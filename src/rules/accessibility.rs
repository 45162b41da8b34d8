//! Accessibility page kinds (W3C ACT rules, WCAG 2.1): each kind names the tags (and whether
//! role-bearing elements of any tag) it wants from the one DOM walk, judges each element it is
//! given, and turns its tally into a [`PageOutcome`] with failing elements as evidence.

use super::accname::{self, AccName};
use super::{element_evidence, PageOutcome};
use crate::page::Page;
use crate::scorecard::Evidence;
use scraper::ElementRef;

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

/// Built-in accessibility check kinds (TOML `kind = "…"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum A11yKind {
    /// `html_has_lang` — ACT b5c3f8, WCAG 2.1 SC 3.1.1: the root `<html>` has a `lang` that is
    /// not empty or whitespace.
    HtmlHasLang,
    /// `document_title` — ACT 2779a5, SC 2.4.2: the first `<title>` has non-whitespace text.
    DocumentTitle,
    /// `image_has_name` — ACT 23a2a8, SC 1.1.1: every `<img>` and every element with role
    /// `img` that is not hidden has a non-empty accessible name or is marked decorative
    /// (`alt=""`, or role `none`/`presentation` that holds: not focusable, no naming ARIA).
    ImageHasName,
    /// `link_has_name` — ACT c487ae, SC 2.4.4/4.1.2: every element with role `link` in the
    /// accessibility tree has a non-empty accessible name.
    LinkHasName,
    /// `form_field_has_name` — ACT e086e5, SC 4.1.2: every form field role in the
    /// accessibility tree has a non-empty accessible name (placeholder counts, as in the ACT
    /// rule's Passed Example 5).
    FormFieldHasName,
}

/// What a kind saw on one page.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Applicable elements.
    pub checked: u32,
    /// Applicable elements that failed.
    pub failed: u32,
    /// Up to [`MAX_ELEMENT_EVIDENCE`] failing elements.
    pub evidence: Vec<Evidence>,
    /// `document_title`: the first `<title>` was seen.
    seen_title: bool,
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
}

impl A11yKind {
    /// The message keys the kind emits; every rule of the kind gives each key's Indonesian and
    /// English text in `[rule.messages]`.
    pub fn message_keys(self) -> &'static [&'static str] {
        match self {
            A11yKind::HtmlHasLang => &["lang-missing"],
            A11yKind::DocumentTitle => &["title-empty", "title-missing"],
            A11yKind::ImageHasName => &["image-no-name"],
            A11yKind::LinkHasName => &["link-no-name"],
            A11yKind::FormFieldHasName => &["field-no-name"],
        }
    }

    /// Tags the kind wants from the walk.
    pub fn tags(self) -> &'static [&'static str] {
        match self {
            A11yKind::HtmlHasLang => &["html"],
            A11yKind::DocumentTitle => &["title"],
            A11yKind::ImageHasName => &["img"],
            A11yKind::LinkHasName => &["a", "area"],
            A11yKind::FormFieldHasName => &["input", "select", "textarea"],
        }
    }

    /// Does the kind also want elements of other tags that carry a `role` attribute?
    pub fn by_role(self) -> bool {
        matches!(
            self,
            A11yKind::ImageHasName | A11yKind::LinkHasName | A11yKind::FormFieldHasName
        )
    }

    /// Judge one element; `hidden` is true when it or an ancestor is excluded from the
    /// accessibility tree.
    pub fn visit(
        self,
        tally: &mut Tally,
        page: &Page,
        acc: &AccName<'_>,
        el: ElementRef<'_>,
        hidden: bool,
    ) {
        match self {
            A11yKind::HtmlHasLang => {
                // Only the document element (ACT b5c3f8 applicability).
                let is_root = el.parent().is_some_and(|p| p.value().is_document());
                if !is_root {
                    return;
                }
                tally.checked += 1;
                let ok = el
                    .value()
                    .attr("lang")
                    .is_some_and(|l| !l.trim_matches(|c: char| c.is_ascii_whitespace()).is_empty());
                if !ok {
                    tally.fail(page, el, "lang-missing");
                }
            }
            A11yKind::DocumentTitle => {
                // Only HTML titles of the document: not SVG titles, not template content.
                let in_template = el
                    .ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|a| a.value().name() == "template");
                if tally.seen_title
                    || in_template
                    || &*el.value().name.ns != "http://www.w3.org/1999/xhtml"
                {
                    return;
                }
                tally.seen_title = true;
                tally.checked += 1;
                let text: String = el.text().collect();
                if text.trim().is_empty() {
                    tally.fail(page, el, "title-empty");
                }
            }
            A11yKind::ImageHasName | A11yKind::LinkHasName | A11yKind::FormFieldHasName => {
                if hidden {
                    return;
                }
                let role = accname::role(el).unwrap_or("generic");
                let is_img = el.value().name() == "img";
                let (applies, key) = match self {
                    A11yKind::ImageHasName => (role == "img" || is_img, "image-no-name"),
                    A11yKind::LinkHasName => (role == "link", "link-no-name"),
                    _ => (FIELD_ROLES.contains(&role), "field-no-name"),
                };
                if !applies {
                    return;
                }
                tally.checked += 1;
                let decorative = self == A11yKind::ImageHasName
                    && is_img
                    && matches!(role, "none" | "presentation");
                if !decorative && acc.name(el).is_empty() {
                    tally.fail(page, el, key);
                }
            }
        }
    }

    /// The page outcome from the tally. `document_title` applies to every HTML document:
    /// no `<title>` at all is a failure with the `<html>` element as evidence.
    pub fn finish(self, mut tally: Tally, page: &Page) -> (PageOutcome, Tally) {
        if self == A11yKind::DocumentTitle && !tally.seen_title {
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
