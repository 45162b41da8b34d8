//! WAI-ARIA 1.2 data as tables (with the ARIA 1.3 attributes the W3C ACT rules already use,
//! DPUB-ARIA 1.1 and Graphics-ARIA 1.0 roles): which roles exist, which attributes exist and
//! what values they take, which attributes a role supports, requires or prohibits, and the
//! required context and owned roles. Pure data plus small look-up functions; no DOM.
//!
//! Input → output: a role or attribute name (lowercase ASCII) → its facts. Sources: WAI-ARIA 1.2
//! §5.4 "Definitions of Roles" and §6.6 "Definitions of States and Properties"; the ACT rules
//! 674b10, 5f99a7, 6a7281, 5c01ea, 4e8ab6, kb1m8s, ff89c9 and bc4a75 read these tables.

/// Concrete (non-abstract) WAI-ARIA 1.2 roles, DPUB-ARIA 1.1 `doc-*` roles and Graphics-ARIA
/// `graphics-*` roles: the valid values of `role` (ACT 674b10).
const ROLES: &[&str] = &[
    "alert",
    "alertdialog",
    "application",
    "article",
    "banner",
    "blockquote",
    "button",
    "caption",
    "cell",
    "checkbox",
    "code",
    "columnheader",
    "combobox",
    "complementary",
    "contentinfo",
    "definition",
    "deletion",
    "dialog",
    "directory",
    "document",
    "emphasis",
    "feed",
    "figure",
    "form",
    "generic",
    "grid",
    "gridcell",
    "group",
    "heading",
    "img",
    "insertion",
    "link",
    "list",
    "listbox",
    "listitem",
    "log",
    "main",
    "mark",
    "marquee",
    "math",
    "menu",
    "menubar",
    "menuitem",
    "menuitemcheckbox",
    "menuitemradio",
    "meter",
    "navigation",
    "none",
    "note",
    "option",
    "paragraph",
    "presentation",
    "progressbar",
    "radio",
    "radiogroup",
    "region",
    "row",
    "rowgroup",
    "rowheader",
    "scrollbar",
    "search",
    "searchbox",
    "separator",
    "slider",
    "spinbutton",
    "status",
    "strong",
    "subscript",
    "suggestion",
    "superscript",
    "switch",
    "tab",
    "table",
    "tablist",
    "tabpanel",
    "term",
    "textbox",
    "time",
    "timer",
    "toolbar",
    "tooltip",
    "tree",
    "treegrid",
    "treeitem",
    "graphics-document",
    "graphics-object",
    "graphics-symbol",
    "doc-abstract",
    "doc-acknowledgments",
    "doc-afterword",
    "doc-appendix",
    "doc-backlink",
    "doc-biblioentry",
    "doc-bibliography",
    "doc-biblioref",
    "doc-chapter",
    "doc-colophon",
    "doc-conclusion",
    "doc-cover",
    "doc-credit",
    "doc-credits",
    "doc-dedication",
    "doc-endnote",
    "doc-endnotes",
    "doc-epigraph",
    "doc-epilogue",
    "doc-errata",
    "doc-example",
    "doc-footnote",
    "doc-foreword",
    "doc-glossary",
    "doc-glossref",
    "doc-index",
    "doc-introduction",
    "doc-noteref",
    "doc-notice",
    "doc-pagebreak",
    "doc-pagefooter",
    "doc-pageheader",
    "doc-pagelist",
    "doc-part",
    "doc-preface",
    "doc-prologue",
    "doc-pullquote",
    "doc-qna",
    "doc-subtitle",
    "doc-tip",
    "doc-toc",
];

/// The role named `token` (lowercased by the caller) if it is a valid, non-abstract role.
pub fn valid_role(token: &str) -> Option<&'static str> {
    ROLES.iter().copied().find(|r| *r == token)
}

/// Value type of an ARIA attribute (WAI-ARIA 1.2 §6.3 "Value Types").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// `true` / `false`.
    TrueFalse,
    /// `true` / `false` / `undefined`.
    TrueFalseUndefined,
    /// `true` / `false` / `mixed` / `undefined`.
    Tristate,
    /// One of the listed tokens.
    Token(&'static [&'static str]),
    /// A space-separated list of the listed tokens.
    TokenList(&'static [&'static str]),
    /// An integer.
    Integer,
    /// A decimal number.
    Number,
    /// Any string.
    String,
    /// One id reference.
    IdRef,
    /// A space-separated list of id references.
    IdRefs,
}

/// Every defined ARIA attribute with its value type and whether it is global (applies to every
/// role, deprecated globals included).
const ATTRS: &[(&str, ValueType, bool)] = &[
    ("aria-activedescendant", ValueType::IdRef, false),
    ("aria-atomic", ValueType::TrueFalse, true),
    (
        "aria-autocomplete",
        ValueType::Token(&["inline", "list", "both", "none"]),
        false,
    ),
    ("aria-braillelabel", ValueType::String, true),
    ("aria-brailleroledescription", ValueType::String, true),
    ("aria-busy", ValueType::TrueFalse, true),
    ("aria-checked", ValueType::Tristate, false),
    ("aria-colcount", ValueType::Integer, false),
    ("aria-colindex", ValueType::Integer, false),
    ("aria-colindextext", ValueType::String, false),
    ("aria-colspan", ValueType::Integer, false),
    ("aria-controls", ValueType::IdRefs, true),
    (
        "aria-current",
        ValueType::Token(&["page", "step", "location", "date", "time", "true", "false"]),
        true,
    ),
    ("aria-describedby", ValueType::IdRefs, true),
    ("aria-description", ValueType::String, true),
    ("aria-details", ValueType::IdRef, true),
    ("aria-disabled", ValueType::TrueFalse, true),
    (
        "aria-dropeffect",
        ValueType::TokenList(&["copy", "execute", "link", "move", "none", "popup"]),
        true,
    ),
    ("aria-errormessage", ValueType::IdRef, true),
    ("aria-expanded", ValueType::TrueFalseUndefined, false),
    ("aria-flowto", ValueType::IdRefs, true),
    ("aria-grabbed", ValueType::TrueFalseUndefined, true),
    (
        "aria-haspopup",
        ValueType::Token(&["false", "true", "menu", "listbox", "tree", "grid", "dialog"]),
        true,
    ),
    ("aria-hidden", ValueType::TrueFalseUndefined, true),
    (
        "aria-invalid",
        ValueType::Token(&["grammar", "false", "spelling", "true"]),
        true,
    ),
    ("aria-keyshortcuts", ValueType::String, true),
    ("aria-label", ValueType::String, true),
    ("aria-labelledby", ValueType::IdRefs, true),
    ("aria-level", ValueType::Integer, false),
    (
        "aria-live",
        ValueType::Token(&["assertive", "off", "polite"]),
        true,
    ),
    ("aria-modal", ValueType::TrueFalse, false),
    ("aria-multiline", ValueType::TrueFalse, false),
    ("aria-multiselectable", ValueType::TrueFalse, false),
    (
        "aria-orientation",
        ValueType::Token(&["horizontal", "undefined", "vertical"]),
        false,
    ),
    ("aria-owns", ValueType::IdRefs, true),
    ("aria-placeholder", ValueType::String, false),
    ("aria-posinset", ValueType::Integer, false),
    ("aria-pressed", ValueType::Tristate, false),
    ("aria-readonly", ValueType::TrueFalse, false),
    (
        "aria-relevant",
        ValueType::TokenList(&["additions", "all", "removals", "text"]),
        true,
    ),
    ("aria-required", ValueType::TrueFalse, false),
    ("aria-roledescription", ValueType::String, true),
    ("aria-rowcount", ValueType::Integer, false),
    ("aria-rowindex", ValueType::Integer, false),
    ("aria-rowindextext", ValueType::String, false),
    ("aria-rowspan", ValueType::Integer, false),
    ("aria-selected", ValueType::TrueFalseUndefined, false),
    ("aria-setsize", ValueType::Integer, false),
    (
        "aria-sort",
        ValueType::Token(&["ascending", "descending", "none", "other"]),
        false,
    ),
    ("aria-valuemax", ValueType::Number, false),
    ("aria-valuemin", ValueType::Number, false),
    ("aria-valuenow", ValueType::Number, false),
    ("aria-valuetext", ValueType::String, false),
];

/// The value type of a defined ARIA attribute (`None`: not defined, ACT 5f99a7).
pub fn attr_type(name: &str) -> Option<ValueType> {
    ATTRS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, t, _)| *t)
}

/// Is the attribute a global state or property (WAI-ARIA 1.2 §6.4)?
pub fn is_global(name: &str) -> bool {
    ATTRS.iter().any(|(n, _, g)| *n == name && *g)
}

/// Is `value` valid for `ty` (ACT 6a7281)? Tokens compare ASCII case-insensitively; id
/// references need not resolve (the rule's assumption); the value is trimmed.
pub fn value_valid(ty: ValueType, value: &str) -> bool {
    let v = value
        .trim_matches(|c: char| c.is_ascii_whitespace())
        .to_ascii_lowercase();
    let one_of = |set: &[&str], t: &str| set.contains(&t);
    match ty {
        ValueType::TrueFalse => one_of(&["true", "false"], &v),
        ValueType::TrueFalseUndefined => one_of(&["true", "false", "undefined"], &v),
        ValueType::Tristate => one_of(&["true", "false", "mixed", "undefined"], &v),
        ValueType::Token(set) => set.contains(&v.as_str()),
        ValueType::TokenList(set) => {
            let mut tokens = v.split_ascii_whitespace().peekable();
            tokens.peek().is_some() && tokens.all(|t| set.contains(&t))
        }
        ValueType::Integer => {
            let digits = v.strip_prefix(['-', '+']).unwrap_or(&v);
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
        }
        ValueType::Number => {
            !v.is_empty()
                && v.bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e'))
                && v.parse::<f64>().is_ok_and(f64::is_finite)
        }
        ValueType::String | ValueType::IdRef | ValueType::IdRefs => true,
    }
}

const CELL: &[&str] = &[
    "aria-colindex",
    "aria-colspan",
    "aria-rowindex",
    "aria-rowspan",
    "aria-colindextext",
    "aria-rowindextext",
];
const HEADER: &[&str] = &[
    "aria-sort",
    "aria-readonly",
    "aria-required",
    "aria-selected",
    "aria-expanded",
];
const RANGE: &[&str] = &[
    "aria-valuemax",
    "aria-valuemin",
    "aria-valuenow",
    "aria-valuetext",
];
const TEXTBOX: &[&str] = &[
    "aria-activedescendant",
    "aria-autocomplete",
    "aria-multiline",
    "aria-placeholder",
    "aria-readonly",
    "aria-required",
];
const CHECKBOX: &[&str] = &[
    "aria-checked",
    "aria-readonly",
    "aria-required",
    "aria-expanded",
];
const MENUITEM: &[&str] = &["aria-expanded", "aria-posinset", "aria-setsize"];
const GRID: &[&str] = &[
    "aria-activedescendant",
    "aria-colcount",
    "aria-multiselectable",
    "aria-readonly",
    "aria-rowcount",
];

/// The non-global attributes a role supports, inherited ones included (WAI-ARIA 1.2
/// "Supported States and Properties" and "Inherited States and Properties"); ACT 5c01ea.
fn supported(role: &str) -> &'static [&'static [&'static str]] {
    match role {
        "application" => &[&["aria-activedescendant", "aria-expanded"]],
        "button" => &[&["aria-expanded", "aria-pressed"]],
        "cell" => &[CELL],
        "gridcell" => &[
            CELL,
            &[
                "aria-readonly",
                "aria-required",
                "aria-selected",
                "aria-expanded",
            ],
        ],
        "columnheader" | "rowheader" => &[CELL, HEADER],
        "checkbox" | "switch" => &[CHECKBOX],
        "combobox" => &[&[
            "aria-activedescendant",
            "aria-autocomplete",
            "aria-expanded",
            "aria-readonly",
            "aria-required",
        ]],
        "dialog" | "alertdialog" => &[&["aria-modal"]],
        "grid" => &[GRID],
        "treegrid" => &[GRID, &["aria-orientation", "aria-required"]],
        "group" | "toolbar" => &[&["aria-activedescendant", "aria-orientation"]],
        "heading" => &[&["aria-level"]],
        "link" => &[&["aria-expanded"]],
        "listbox" => &[&[
            "aria-activedescendant",
            "aria-expanded",
            "aria-multiselectable",
            "aria-orientation",
            "aria-readonly",
            "aria-required",
        ]],
        "listitem" => &[&["aria-level", "aria-posinset", "aria-setsize"]],
        "article" => &[&["aria-posinset", "aria-setsize"]],
        "menu" | "menubar" | "tablist" | "tree" | "radiogroup" => &[&[
            "aria-activedescendant",
            "aria-orientation",
            "aria-multiselectable",
            "aria-readonly",
            "aria-required",
            "aria-expanded",
        ]],
        "menuitem" => &[MENUITEM],
        "menuitemcheckbox" | "menuitemradio" => &[MENUITEM, &["aria-checked"]],
        "meter" | "progressbar" => &[RANGE],
        "option" => &[&[
            "aria-checked",
            "aria-posinset",
            "aria-selected",
            "aria-setsize",
        ]],
        "radio" => &[&["aria-checked", "aria-posinset", "aria-setsize"]],
        "row" => &[&[
            "aria-activedescendant",
            "aria-colindex",
            "aria-expanded",
            "aria-level",
            "aria-posinset",
            "aria-rowindex",
            "aria-selected",
            "aria-setsize",
            "aria-rowindextext",
        ]],
        "scrollbar" | "separator" => &[RANGE, &["aria-orientation"]],
        "slider" => &[RANGE, &["aria-orientation", "aria-readonly"]],
        "spinbutton" => &[
            RANGE,
            &["aria-activedescendant", "aria-readonly", "aria-required"],
        ],
        "searchbox" | "textbox" => &[TEXTBOX],
        "tab" => &[&[
            "aria-expanded",
            "aria-posinset",
            "aria-selected",
            "aria-setsize",
        ]],
        "table" => &[&["aria-colcount", "aria-rowcount"]],
        "treeitem" => &[&[
            "aria-checked",
            "aria-expanded",
            "aria-level",
            "aria-posinset",
            "aria-selected",
            "aria-setsize",
        ]],
        "doc-backlink" | "doc-biblioref" | "doc-glossref" | "doc-noteref" => &[&["aria-expanded"]],
        "doc-pagebreak" => &[RANGE, &["aria-orientation"]],
        _ => &[],
    }
}

/// May `attr` be used on an element of `role` (`None`: no role): global, or supported or
/// inherited by the role (ACT 5c01ea)?
pub fn attr_permitted(role: Option<&str>, attr: &str) -> bool {
    is_global(attr) || role.is_some_and(|r| supported(r).iter().any(|set| set.contains(&attr)))
}

/// Roles on which naming (`aria-label`, `aria-labelledby`, `aria-braillelabel`) is prohibited
/// (WAI-ARIA 1.2/1.3 "Prohibited States and Properties").
const NAME_PROHIBITED: &[&str] = &[
    "caption",
    "code",
    "deletion",
    "emphasis",
    "generic",
    "insertion",
    "mark",
    "none",
    "paragraph",
    "presentation",
    "strong",
    "subscript",
    "suggestion",
    "superscript",
    "time",
];

/// Is `attr` prohibited on `role` (ACT kb1m8s)? Naming attributes on the roles in
/// `NAME_PROHIBITED`; role descriptions on `generic`, `none` and `presentation`.
pub fn attr_prohibited(role: &str, attr: &str) -> bool {
    match attr {
        "aria-label" | "aria-labelledby" | "aria-braillelabel" => NAME_PROHIBITED.contains(&role),
        "aria-roledescription" | "aria-brailleroledescription" => {
            matches!(role, "generic" | "none" | "presentation")
        }
        _ => false,
    }
}

/// Required states and properties of a role (WAI-ARIA 1.2; ACT 4e8ab6). `focusable` matters
/// for `separator`, which needs `aria-valuenow` only when focusable.
pub fn required_attrs(role: &str, focusable: bool) -> &'static [&'static str] {
    match role {
        "checkbox" | "menuitemcheckbox" | "menuitemradio" | "radio" | "switch" => &["aria-checked"],
        "combobox" => &["aria-expanded"],
        "heading" => &["aria-level"],
        "meter" | "slider" => &["aria-valuenow"],
        "scrollbar" => &["aria-controls", "aria-valuenow"],
        "separator" if focusable => &["aria-valuenow"],
        _ => &[],
    }
}

/// Required context roles (WAI-ARIA 1.2 "Required Context Role"; ACT ff89c9); empty when the
/// role needs none.
pub fn required_context(role: &str) -> &'static [&'static str] {
    match role {
        "caption" => &["figure", "grid", "table", "treegrid"],
        "cell" | "columnheader" | "gridcell" | "rowheader" => &["row"],
        "listitem" => &["list", "directory"],
        "menuitem" | "menuitemcheckbox" | "menuitemradio" => &["group", "menu", "menubar"],
        "option" => &["group", "listbox"],
        "row" => &["grid", "rowgroup", "table", "treegrid"],
        "rowgroup" => &["grid", "table", "treegrid"],
        "tab" => &["tablist"],
        "treeitem" => &["group", "tree"],
        _ => &[],
    }
}

/// Required owned elements (WAI-ARIA 1.2 "Required Owned Elements"; ACT bc4a75): the roles an
/// owned element may have, and the role of an allowed grouping element (`group`, `rowgroup`)
/// whose own owned elements must then have one of the item roles (`separator` is allowed in
/// menus as in WAI-ARIA 1.3). `None`: the role has no requirement.
pub fn required_owned(role: &str) -> Option<(&'static [&'static str], Option<&'static str>)> {
    const MENU_ITEMS: &[&str] = &["menuitem", "menuitemcheckbox", "menuitemradio", "separator"];
    Some(match role {
        // A table's caption is owned by it too (the `caption` role's required context).
        "grid" | "table" | "treegrid" => (&["row", "caption"], Some("rowgroup")),
        "rowgroup" => (&["row"], None),
        "list" | "directory" => (&["listitem"], None),
        "listbox" => (&["option"], Some("group")),
        "menu" | "menubar" => (MENU_ITEMS, Some("group")),
        "radiogroup" => (&["radio"], None),
        "row" => (&["cell", "columnheader", "gridcell", "rowheader"], None),
        "tablist" => (&["tab"], None),
        "tree" => (&["treeitem"], Some("group")),
        "feed" => (&["article"], None),
        _ => return None,
    })
}

/// Roles whose children are presentational (WAI-ARIA 1.2 "Children Presentational: True";
/// ACT 307n5z).
pub const PRESENTATIONAL_CHILDREN: &[&str] = &[
    "button",
    "checkbox",
    "img",
    "math",
    "menuitemcheckbox",
    "menuitemradio",
    "meter",
    "option",
    "progressbar",
    "radio",
    "scrollbar",
    "separator",
    "slider",
    "switch",
    "tab",
    "graphics-symbol",
    "doc-pagebreak",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_attributes() {
        assert_eq!(valid_role("doc-biblioref"), Some("doc-biblioref"));
        assert_eq!(valid_role("lnik"), None);
        assert_eq!(valid_role("widget"), None, "abstract roles are not valid");
        assert!(attr_type("aria-labelled").is_none());
        assert!(is_global("aria-live"));
        assert!(!is_global("aria-pressed"));
        assert!(attr_permitted(Some("button"), "aria-pressed"));
        assert!(!attr_permitted(Some("button"), "aria-sort"));
        assert!(!attr_permitted(None, "aria-orientation"));
        assert!(attr_prohibited("generic", "aria-label"));
        assert!(!attr_prohibited("link", "aria-label"));
    }

    #[test]
    fn values() {
        assert!(value_valid(ValueType::Integer, "2"));
        assert!(!value_valid(ValueType::Integer, "2.5"));
        assert!(value_valid(ValueType::Number, "1.5"));
        assert!(!value_valid(ValueType::Number, "one"));
        assert!(!value_valid(ValueType::TrueFalse, "undefined"));
        assert!(value_valid(
            ValueType::TokenList(&["text", "removals"]),
            "text removals"
        ));
        assert!(!value_valid(
            ValueType::TokenList(&["text", "removals"]),
            "text always"
        ));
    }
}
