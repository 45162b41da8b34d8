//! What a page's scripts and style sheets *might* change, for answering `cantTell` instead of
//! a confident wrong answer (W3C ACT allows an automated tool to say "cannot tell" where the
//! outcome needs CSS or script). pantau runs no script and has no CSS cascade; these are
//! narrow textual signals, each tied to a documented ACT case:
//!
//! - a script that mentions an element's id together with `focus` may move focus away from it
//!   (ACT 6cfa84 Passed Example 4);
//! - a script calling `showModal(` may make the rest of the page inert (ACT akn7bn
//!   Inapplicable Example 6);
//! - `attachShadow(` or `<template shadowrootmode>` puts content into shadow trees the
//!   ownership rules cannot see (ACT ff89c9 Passed Example 6, Failed Example 4);
//! - a `<style>` rule for a class that hides (`display:none`, `visibility:hidden`) or moves it
//!   far off-screen (`left`/`top` ≤ -999px) may make an element invisible (ACT a25f45
//!   Inapplicable Example 3).
//!
//! Input → output: a [`Page`] → [`PageHints`] (computed once per page, lazily).

use crate::page::{AttrValue, Page};
use markup5ever::local_name;
use scraper::{ElementRef, Node};
use std::collections::HashSet;

/// Script and style text kept per page for the signals, in bytes.
const MAX_TEXT: usize = 512 * 1024;

/// Textual signals from a page's scripts and style sheets.
#[derive(Debug, Default)]
pub struct PageHints {
    /// Inline script text (capped), lowercased.
    scripts: String,
    /// Scripts attach shadow roots, or the markup declares them.
    pub shadow: bool,
    /// Scripts open a modal dialog.
    pub modal: bool,
    /// Classes a `<style>` rule hides or moves off-screen.
    concealing_classes: HashSet<String>,
}

impl PageHints {
    /// Gather the signals from `<script>` and `<style>` elements.
    pub fn of(page: &Page) -> PageHints {
        let mut hints = PageHints::default();
        let mut styles = String::new();
        for node in page.html.tree.root().descendants() {
            let Node::Element(e) = node.value() else {
                continue;
            };
            // Local names compared as interned atoms (one integer), as `Element::name` would
            // compare their text.
            let local = &e.name.local;
            let Some(el) = ElementRef::wrap(node) else {
                continue;
            };
            if *local == local_name!("script") {
                if hints.scripts.len() < MAX_TEXT {
                    let start = hints.scripts.len();
                    hints.scripts.extend(el.text());
                    hints.scripts[start..].make_ascii_lowercase();
                    hints.scripts.push('\n');
                }
            } else if *local == local_name!("style") {
                if styles.len() < MAX_TEXT {
                    styles.extend(el.text());
                }
            } else if *local == local_name!("template") {
                hints.shadow |= e.attr_value("shadowrootmode").is_some();
            }
        }
        hints.shadow |= hints.scripts.contains("attachshadow(");
        hints.modal = hints.scripts.contains("showmodal(");
        hints.concealing_classes = concealing_classes(&styles);
        hints
    }

    /// Does a script mention `id` (as a quoted string) and focus handling?
    pub fn script_handles_focus_of(&self, id: &str) -> bool {
        let id = id.to_ascii_lowercase();
        self.scripts.contains("focus")
            && (self.scripts.contains(&format!("'{id}'"))
                || self.scripts.contains(&format!("\"{id}\""))
                || self.scripts.contains(&format!("#{id}")))
    }

    /// Does a `<style>` rule for one of the classes of `el` or an ancestor conceal it?
    pub fn maybe_concealed_by_stylesheet(&self, el: ElementRef<'_>) -> bool {
        if self.concealing_classes.is_empty() {
            return false;
        }
        std::iter::once(el)
            .chain(el.ancestors().filter_map(ElementRef::wrap))
            .any(|a| {
                a.value().attr_value("class").is_some_and(|c| {
                    c.split_ascii_whitespace()
                        .any(|c| self.concealing_classes.contains(c))
                })
            })
    }
}

/// Class names of simple `.class { … }` rules whose declarations hide or move far off-screen.
fn concealing_classes(css: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let selectors = &rest[..open];
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let body = rest[open + 1..open + close].to_ascii_lowercase();
        rest = &rest[open + close + 1..];
        if !conceals(&body) {
            continue;
        }
        for sel in selectors.split(',') {
            let sel = sel.trim();
            if let Some(class) = sel.strip_prefix('.') {
                if class
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    out.insert(class.to_string());
                }
            }
        }
    }
    out
}

fn conceals(body: &str) -> bool {
    body.split(';').any(|decl| {
        let Some((prop, val)) = decl.split_once(':') else {
            return false;
        };
        let (prop, val) = (prop.trim(), val.trim());
        match prop {
            "display" => val.starts_with("none"),
            "visibility" => val.starts_with("hidden") || val.starts_with("collapse"),
            "left" | "top" | "right" => {
                let num: String = val
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '-' || *c == '.')
                    .collect();
                num.parse::<f64>().is_ok_and(|n| n <= -999.0)
            }
            _ => false,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals() {
        let page = Page::parse(
            url::Url::parse("https://a.example.go.id/").expect("url"),
            200,
            r#"<style>.off { position: absolute; left: -9999px; } .red { color: red }</style>
            <table class="off"><tr><td id="x">1</td></tr></table><p class="red" id="p">x</p>
            <script>document.getElementById('x').addEventListener('focus', f); d.showModal();</script>"#,
        );
        let hints = PageHints::of(&page);
        let get = |id: &str| page.element_by_id(id).expect("element");
        assert!(hints.maybe_concealed_by_stylesheet(get("x")));
        assert!(!hints.maybe_concealed_by_stylesheet(get("p")));
        assert!(hints.script_handles_focus_of("x"));
        assert!(!hints.script_handles_focus_of("p"));
        assert!(hints.modal);
        assert!(!hints.shadow);
    }
}
