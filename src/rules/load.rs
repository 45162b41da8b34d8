//! `rules/*.toml` → validated rules and checks, collecting every problem with its file and
//! line (`rules/transparency.toml:42: rule 'ppid-page': unknown kind 'link_txt'`).
//!
//! A rule file holds `[[rule]]` tables; `scoring.toml` holds `[category.<name>]` tables with
//! `weight` and `reason`. Files are read in name order; the SHA-256 is taken over every file's
//! name and bytes in that order.

use super::{Category, Check, Message, Rule, RuleScope};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use toml_edit::{ImDocument, Item, Table};

/// Name of the scoring file inside a rules directory.
pub const SCORING_FILE: &str = "scoring.toml";

/// A category's weight in the agency score and why it has that weight.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryWeight {
    /// Weight (> 0); the agency score is the weighted mean of category scores.
    pub weight: f64,
    /// Why this weight, for people.
    pub reason: String,
}

/// Everything loaded from one directory (or the embedded copy).
#[derive(Debug)]
pub(crate) struct Loaded {
    pub rules: Vec<Rule>,
    pub checks: Vec<Check>,
    pub weights: BTreeMap<Category, CategoryWeight>,
    pub sha256: String,
}

/// Allowed `severity` values: axe-core's impact levels plus `gate` (research §2: a compromise
/// overrides the score).
pub const SEVERITIES: &[&str] = &["critical", "serious", "moderate", "minor", "gate"];

const RULE_KEYS: &[&str] = &[
    "id",
    "category",
    "weight",
    "severity",
    "title",
    "source",
    "kind",
    "params",
    "messages",
    "description",
    "group",
    "applies_to",
    "weight_by_type",
];

fn line_of(src: &str, span: Option<Range<usize>>) -> usize {
    let at = span.map(|s| s.start).unwrap_or(0).min(src.len());
    src.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Load from `(display name, text)` pairs (already sorted by file name).
pub(crate) fn load(files: &[(String, String)]) -> Result<Loaded, Vec<String>> {
    let mut problems = Vec::new();
    let mut rules = Vec::new();
    let mut checks = Vec::new();
    let mut weights = None;
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut hasher = Sha256::new();
    for (path, src) in files {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        hasher.update(name.as_bytes());
        hasher.update([0u8]);
        hasher.update(src.as_bytes());
        hasher.update([0u8]);
        let doc = match ImDocument::parse(src.as_str()) {
            Ok(d) => d,
            Err(e) => {
                let line = line_of(src, e.span());
                let msg = e.message().trim().replace('\n', " ");
                problems.push(format!("{path}:{line}: invalid TOML: {msg}"));
                continue;
            }
        };
        if name == SCORING_FILE {
            match load_scoring(path, src, doc.as_table()) {
                Ok(w) => weights = Some(w),
                Err(mut p) => problems.append(&mut p),
            }
            continue;
        }
        if !doc.as_table().contains_key("rule") {
            // An emptied file would silently drop its rules (and maybe a whole category).
            problems.push(format!(
                "{path}:1: defines no rule (expected [[rule]] tables; delete the file if it is not needed)"
            ));
        }
        load_rules_file(
            path,
            src,
            doc.as_table(),
            &mut seen,
            &mut rules,
            &mut checks,
            &mut problems,
        );
    }
    if weights.is_none() && problems.is_empty() {
        problems.push(format!(
            "{SCORING_FILE}: missing: the category weights file is required"
        ));
    }
    if rules.is_empty() && problems.is_empty() {
        problems.push("no rules found (expected [[rule]] tables in *.toml)".to_string());
    }
    match weights {
        Some(weights) if problems.is_empty() => Ok(Loaded {
            rules,
            checks,
            weights,
            sha256: format!("{:x}", hasher.finalize()),
        }),
        _ => Err(problems),
    }
}

fn load_rules_file(
    path: &str,
    src: &str,
    root: &Table,
    seen: &mut HashMap<String, String>,
    rules: &mut Vec<Rule>,
    checks: &mut Vec<Check>,
    problems: &mut Vec<String>,
) {
    for (key, item) in root.iter() {
        if key != "rule" {
            let line = line_of(src, root.key(key).and_then(|k| k.span()));
            problems.push(format!(
                "{path}:{line}: unknown top-level key '{key}' (expected [[rule]] tables)"
            ));
            continue;
        }
        let Some(array) = item.as_array_of_tables() else {
            let line = line_of(src, item.span());
            problems.push(format!(
                "{path}:{line}: 'rule' must be an array of tables ([[rule]])"
            ));
            continue;
        };
        for (n, table) in array.iter().enumerate() {
            let mut ctx = RuleCtx {
                path,
                src,
                id: format!("#{}", n + 1),
                line: line_of(src, table.span()),
                problems: Vec::new(),
            };
            if let Some((rule, check)) = load_rule(&mut ctx, table, seen) {
                if ctx.problems.is_empty() {
                    rules.push(rule);
                    checks.push(check);
                }
            }
            problems.append(&mut ctx.problems);
        }
    }
}

struct RuleCtx<'a> {
    path: &'a str,
    src: &'a str,
    id: String,
    line: usize,
    problems: Vec<String>,
}

impl RuleCtx<'_> {
    fn at(&mut self, span: Option<Range<usize>>, msg: impl std::fmt::Display) {
        let line = match span {
            Some(_) => line_of(self.src, span),
            None => self.line,
        };
        self.problems
            .push(format!("{}:{line}: rule '{}': {msg}", self.path, self.id));
    }

    fn string(&mut self, table: &Table, key: &str) -> Option<(String, Option<Range<usize>>)> {
        let Some(item) = table.get(key) else {
            self.at(None, format_args!("missing field '{key}'"));
            return None;
        };
        match item.as_str() {
            Some(s) if !s.trim().is_empty() => Some((s.to_string(), item.span())),
            Some(_) => {
                self.at(item.span(), format_args!("field '{key}' is empty"));
                None
            }
            None => {
                self.at(item.span(), format_args!("field '{key}' must be a string"));
                None
            }
        }
    }
}

fn load_rule(
    ctx: &mut RuleCtx<'_>,
    table: &Table,
    seen: &mut HashMap<String, String>,
) -> Option<(Rule, Check)> {
    // The id first, so that every later message names the rule.
    let id = ctx.string(table, "id");
    if let Some((id, span)) = &id {
        ctx.id = id.clone();
        let here = format!("{}:{}", ctx.path, line_of(ctx.src, span.clone()));
        if !is_kebab(id) {
            ctx.at(span.clone(), "id must be kebab-case (a-z, 0-9, '-')");
        }
        if let Some(first) = seen.get(id) {
            let first = first.clone();
            ctx.at(span.clone(), format_args!("duplicate id (also at {first})"));
        } else {
            seen.insert(id.clone(), here);
        }
    }
    for (key, _) in table.iter() {
        if !RULE_KEYS.contains(&key) {
            let span = table.key(key).and_then(|k| k.span());
            ctx.at(
                span,
                format_args!(
                    "unknown field '{key}' (expected one of: {})",
                    RULE_KEYS.join(", ")
                ),
            );
        }
    }
    let category = ctx.string(table, "category").and_then(|(c, span)| {
        let parsed = Category::parse(&c);
        if parsed.is_none() {
            ctx.at(
                span,
                format_args!(
                    "unknown category '{c}' (expected accessibility, transparency, security or integrity)"
                ),
            );
        }
        parsed
    });
    let weight = match table.get("weight") {
        None => {
            ctx.at(None, "missing field 'weight'");
            None
        }
        Some(item) => {
            let w = item
                .as_integer()
                .map(|i| i as f64)
                .or_else(|| item.as_float());
            match w {
                Some(w) if w > 0.0 && w.is_finite() => Some(w),
                Some(w) => {
                    ctx.at(item.span(), format_args!("weight must be > 0 (got {w})"));
                    None
                }
                None => {
                    ctx.at(item.span(), "weight must be a number");
                    None
                }
            }
        }
    };
    let severity = ctx.string(table, "severity").and_then(|(s, span)| {
        if SEVERITIES.contains(&s.as_str()) {
            Some(s)
        } else {
            ctx.at(
                span,
                format_args!(
                    "unknown severity '{s}' (expected one of: {})",
                    SEVERITIES.join(", ")
                ),
            );
            None
        }
    });
    let source = ctx.string(table, "source").map(|(s, _)| s);
    let titles = load_titles(ctx, table);
    let extra = load_extra(ctx, table);
    let check = load_check(ctx, table);
    let (Some(_), Some(category), Some(weight), Some(severity), Some(source), Some(titles)) =
        (id, category, weight, severity, source, titles)
    else {
        return None;
    };
    let check = check?;
    let messages = load_messages(ctx, table, &check)?;
    let extra = extra?;
    let scope = if check.is_page() {
        RuleScope::Page
    } else {
        RuleScope::Site
    };
    Some((
        Rule {
            id: ctx.id.clone(),
            category,
            weight,
            severity,
            title_id: titles.0,
            title_en: titles.1,
            source,
            scope,
            kind: table
                .get("kind")
                .and_then(Item::as_str)
                .unwrap_or("")
                .to_string(),
            messages,
            description: extra.description,
            group: extra.group,
            applies_to: extra.applies_to,
            weight_by_type: extra.weight_by_type,
        },
        check,
    ))
}

/// The optional rule keys: `description` ({id, en}), `group`, `applies_to`, `weight_by_type`.
struct Extra {
    description: Option<Message>,
    group: Option<String>,
    applies_to: Vec<String>,
    weight_by_type: BTreeMap<String, f64>,
}

fn load_extra(ctx: &mut RuleCtx<'_>, table: &Table) -> Option<Extra> {
    let mut ok = true;
    let span_of = |key: &str| {
        table
            .get(key)
            .and_then(Item::span)
            .or_else(|| table.key(key).and_then(|k| k.span()))
    };
    let description = match table.get("description") {
        None => None,
        Some(item) => {
            let text = |lang: &str| {
                item.as_table_like()
                    .and_then(|t| t.get(lang))
                    .and_then(|v| v.as_str())
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
            };
            match (text("id"), text("en")) {
                (Some(id), Some(en)) => Some(Message { id, en }),
                _ => {
                    ctx.at(
                        span_of("description"),
                        "description needs non-empty 'id' and 'en' strings",
                    );
                    ok = false;
                    None
                }
            }
        }
    };
    let group = match table.get("group") {
        None => None,
        Some(item) => match item.as_str() {
            Some(g) if is_kebab(g) => Some(g.to_string()),
            _ => {
                ctx.at(span_of("group"), "group must be a kebab-case string");
                ok = false;
                None
            }
        },
    };
    let known = super::APPLICABILITY_CODES;
    let mut applies_to = Vec::new();
    if let Some(item) = table.get("applies_to") {
        match item.as_array() {
            Some(a) => {
                for v in a.iter() {
                    match v.as_str() {
                        Some(code) if known.contains(&code) => applies_to.push(code.to_string()),
                        _ => {
                            ctx.at(
                                span_of("applies_to"),
                                format_args!(
                                    "applies_to: unknown code {v} (expected: {})",
                                    known.join(", ")
                                ),
                            );
                            ok = false;
                        }
                    }
                }
            }
            None => {
                ctx.at(
                    span_of("applies_to"),
                    "applies_to must be an array of codes",
                );
                ok = false;
            }
        }
    }
    let mut weight_by_type = BTreeMap::new();
    if let Some(item) = table.get("weight_by_type") {
        match item.as_table_like() {
            Some(t) => {
                for (code, v) in t.iter() {
                    let w = v
                        .as_integer()
                        .map(|i| i as f64)
                        .or_else(|| v.as_float())
                        .filter(|w| *w > 0.0 && w.is_finite());
                    match w {
                        Some(w) if known.contains(&code) => {
                            weight_by_type.insert(code.to_string(), w);
                        }
                        _ => {
                            ctx.at(
                                span_of("weight_by_type"),
                                format_args!(
                                    "weight_by_type.{code}: need a known code ({}) and a weight > 0",
                                    known.join(", ")
                                ),
                            );
                            ok = false;
                        }
                    }
                }
            }
            None => {
                ctx.at(
                    span_of("weight_by_type"),
                    "weight_by_type must be a table of code = weight",
                );
                ok = false;
            }
        }
    }
    ok.then_some(Extra {
        description,
        group,
        applies_to,
        weight_by_type,
    })
}

/// `[rule.messages.<key>]` tables with `id` and `en`: exactly the kind's message keys.
fn load_messages(
    ctx: &mut RuleCtx<'_>,
    table: &Table,
    check: &Check,
) -> Option<BTreeMap<String, Message>> {
    let keys = check.message_keys();
    let kind = table.get("kind").and_then(Item::as_str).unwrap_or("");
    let item = table.get("messages");
    let span = item
        .and_then(Item::span)
        .or_else(|| table.key("messages").and_then(|k| k.span()));
    let mut out = BTreeMap::new();
    let mut ok = true;
    if let Some(item) = item {
        let Some(t) = item.as_table_like() else {
            ctx.at(span, "'messages' must be a table of {id, en} tables");
            return None;
        };
        for (key, v) in t.iter() {
            let vspan = v.span().or(span.clone());
            if !keys.contains(&key) {
                let expected = if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                };
                ctx.at(
                    vspan,
                    format_args!(
                        "unknown message key '{key}' for kind '{kind}' (expected: {expected})"
                    ),
                );
                ok = false;
                continue;
            }
            let text = |lang: &str| {
                v.as_table_like()
                    .and_then(|m| m.get(lang))
                    .and_then(|x| x.as_str())
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
            };
            match (text("id"), text("en")) {
                (Some(id), Some(en)) => {
                    out.insert(key.to_string(), Message { id, en });
                }
                _ => {
                    ctx.at(
                        vspan,
                        format_args!("message '{key}' needs non-empty 'id' and 'en' strings"),
                    );
                    ok = false;
                }
            }
        }
    }
    for key in keys {
        if ok && !out.contains_key(*key) {
            ctx.at(
                span.clone(),
                format_args!(
                    "missing message '{key}' (add [rule.messages] with {key}.id and {key}.en)"
                ),
            );
            ok = false;
        }
    }
    ok.then_some(out)
}

fn load_titles(ctx: &mut RuleCtx<'_>, table: &Table) -> Option<(String, String)> {
    let Some(item) = table.get("title") else {
        ctx.at(None, "missing field 'title' (title.id and title.en)");
        return None;
    };
    let title_span = item
        .span()
        .or_else(|| table.key("title").and_then(|k| k.span()));
    let Some(t) = item.as_table_like() else {
        ctx.at(
            title_span.clone(),
            "'title' must be a table with 'id' and 'en' strings",
        );
        return None;
    };
    let mut get = |lang: &str| -> Option<String> {
        match t.get(lang) {
            None => {
                ctx.at(
                    title_span.clone(),
                    format_args!("missing title language '{lang}'"),
                );
                None
            }
            Some(v) => match v.as_str() {
                Some(s) if !s.trim().is_empty() => Some(s.to_string()),
                _ => {
                    ctx.at(
                        v.span().or(title_span.clone()),
                        format_args!("title.{lang} must be a non-empty string"),
                    );
                    None
                }
            },
        }
    };
    let id = get("id");
    let en = get("en");
    for (k, v) in t.iter() {
        if k != "id" && k != "en" {
            ctx.at(
                v.span().or(title_span.clone()),
                format_args!("unknown title language '{k}' (expected id and en)"),
            );
        }
    }
    Some((id?, en?))
}

fn load_check(ctx: &mut RuleCtx<'_>, table: &Table) -> Option<Check> {
    let (kind, kind_span) = ctx.string(table, "kind")?;
    let params = table.get("params");
    let params_table: Table = match params {
        None => Table::new(),
        Some(item) => match item {
            Item::Table(t) => t.clone(),
            Item::Value(toml_edit::Value::InlineTable(t)) => t.clone().into_table(),
            _ => {
                ctx.at(item.span(), "'params' must be a table");
                return None;
            }
        },
    };
    let params_span = params.and_then(Item::span);
    let mut parse = ParamParser {
        ctx,
        kind: &kind,
        table: params_table,
        span: params_span,
    };
    let check = Check::from_kind(&kind, &mut parse);
    match check {
        Ok(c) => c,
        Err(known) => {
            ctx.at(
                kind_span,
                format_args!("unknown kind '{kind}' (known kinds: {})", known.join(", ")),
            );
            None
        }
    }
}

/// Typed parameters of one rule's kind; errors are recorded against the rule.
pub(crate) struct ParamParser<'c, 'a> {
    ctx: &'c mut RuleCtx<'a>,
    kind: &'c str,
    table: Table,
    span: Option<Range<usize>>,
}

impl ParamParser<'_, '_> {
    /// Deserialise the params table into `P` (which should `deny_unknown_fields`), then run
    /// `validate`; `None` after recording a problem.
    pub(crate) fn parse<P: DeserializeOwned>(
        &mut self,
        validate: impl FnOnce(&P) -> Result<(), String>,
    ) -> Option<P> {
        let doc = toml_edit::DocumentMut::from(self.table.clone());
        match toml_edit::de::from_document::<P>(doc) {
            Ok(p) => match validate(&p) {
                Ok(()) => Some(p),
                Err(msg) => {
                    self.ctx.at(
                        self.span.clone(),
                        format_args!("bad params for kind '{}': {msg}", self.kind),
                    );
                    None
                }
            },
            Err(e) => {
                let msg = e.message().trim().replace('\n', " ");
                let span = self.field_span(&msg).or(self.span.clone());
                self.ctx.at(
                    span,
                    format_args!("bad params for kind '{}': {msg}", self.kind),
                );
                None
            }
        }
    }

    /// The span of the params key named first in backticks in a serde message
    /// (``unknown field `x`, expected …``), to point at its line.
    fn field_span(&self, msg: &str) -> Option<Range<usize>> {
        let start = msg.find('`')? + 1;
        let len = msg[start..].find('`')?;
        let name = &msg[start..start + len];
        self.table.key(name).and_then(|key| key.span())
    }
}

fn load_scoring(
    path: &str,
    src: &str,
    root: &Table,
) -> Result<BTreeMap<Category, CategoryWeight>, Vec<String>> {
    let mut problems = Vec::new();
    let mut out = BTreeMap::new();
    for (key, item) in root.iter() {
        if key != "category" {
            let line = line_of(src, root.key(key).and_then(|k| k.span()));
            problems.push(format!(
                "{path}:{line}: unknown top-level key '{key}' (expected [category.<name>] tables)"
            ));
            continue;
        }
        let Some(cats) = item.as_table() else {
            let line = line_of(src, item.span());
            problems.push(format!("{path}:{line}: 'category' must be a table"));
            continue;
        };
        for (name, cat_item) in cats.iter() {
            let line = line_of(src, cats.key(name).and_then(|k| k.span()));
            let Some(category) = Category::parse(name) else {
                problems.push(format!(
                    "{path}:{line}: unknown category '{name}' (expected accessibility, transparency, security or integrity)"
                ));
                continue;
            };
            let Some(t) = cat_item.as_table_like() else {
                problems.push(format!(
                    "{path}:{line}: category '{name}' must be a table with weight and reason"
                ));
                continue;
            };
            let weight = t
                .get("weight")
                .and_then(|w| w.as_integer().map(|i| i as f64).or_else(|| w.as_float()));
            let reason = t.get("reason").and_then(|r| r.as_str()).map(str::trim);
            for (k, _) in t.iter() {
                if k != "weight" && k != "reason" {
                    problems.push(format!(
                        "{path}:{line}: category '{name}': unknown field '{k}' (expected weight, reason)"
                    ));
                }
            }
            match (weight, reason) {
                (Some(w), Some(r)) if w > 0.0 && w.is_finite() && !r.is_empty() => {
                    out.insert(
                        category,
                        CategoryWeight {
                            weight: w,
                            reason: r.to_string(),
                        },
                    );
                }
                (Some(w), _) if !(w > 0.0 && w.is_finite()) => problems.push(format!(
                    "{path}:{line}: category '{name}': weight must be > 0 (got {w})"
                )),
                (None, _) => problems.push(format!(
                    "{path}:{line}: category '{name}': missing or non-numeric 'weight'"
                )),
                _ => problems.push(format!(
                    "{path}:{line}: category '{name}': missing or empty 'reason'"
                )),
            }
        }
    }
    for c in Category::ALL {
        if !out.contains_key(&c) && problems.is_empty() {
            problems.push(format!("{path}:1: category '{}' has no weight", c.as_str()));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}
