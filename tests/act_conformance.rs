//! W3C ACT conformance of the accessibility rules: every test case of the corpus
//! (`../shared/conformance/act`, see its README; 1,213 cases) is checked with
//! `pantau::check::check_file`, exactly as `pantau check FILE` does, and the cases of the 33
//! ACT rules that can be decided from HTML are scored. Every case marked `static_checkable`
//! (468) must give the expected outcome; the other cases are recorded with what pantau
//! answered.
//!
//! The report `docs/act-conformance.md` is generated from this run: a normal run checks that
//! the committed file is current and writes nothing; `PANTAU_BLESS=1 cargo test --test
//! act_conformance` rewrites it. Without the corpus the test prints why and returns, unless
//! `CI=true`, where it fails.

use pantau::check::{act_rule_id, check_file, ActOutcome};
use pantau::rules::RuleSet;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The corpus: `shared/` beside the repository (`../shared`), or beside the folder of
/// worktrees (`../../shared`).
fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        root.join("../shared/conformance/act"),
        root.join("../../shared/conformance/act"),
    ];
    if let Some(dir) = candidates
        .iter()
        .find(|d| d.join("manifest.json").is_file())
    {
        return Some(dir.clone());
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("ACT corpus not found in {candidates:?} and CI=true");
    }
    eprintln!(
        "skipping: ACT corpus not found in {candidates:?} (it ships in the shared folder beside the repo)"
    );
    None
}

fn read_json(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: bad JSON: {e}", path.display()))
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

/// One case's result.
struct CaseResult {
    file: String,
    expected: String,
    got: ActOutcome,
    static_checkable: bool,
    depends_on: String,
}

/// Per ACT rule: its name, the pantau rule and the cases.
struct RuleRow {
    name: String,
    pantau: String,
    cases: Vec<CaseResult>,
}

impl RuleRow {
    fn agreed(&self, only_static: bool) -> (usize, usize) {
        let cases: Vec<&CaseResult> = self
            .cases
            .iter()
            .filter(|c| !only_static || c.static_checkable)
            .collect();
        let agreed = cases
            .iter()
            .filter(|c| c.got.as_str() == c.expected)
            .count();
        (agreed, cases.len())
    }

    /// Consistent: every static case agrees, and no other case gets a confident wrong answer
    /// (`cantTell` is allowed only there).
    fn consistent(&self) -> bool {
        self.cases.iter().all(|c| {
            c.got.as_str() == c.expected || (!c.static_checkable && c.got == ActOutcome::CantTell)
        })
    }
}

fn run(dir: &std::path::Path) -> BTreeMap<String, RuleRow> {
    let manifest = read_json(dir.join("manifest.json"));
    let rules_json = read_json(dir.join("rules.json"));
    let rules = RuleSet::embedded().expect("embedded rules");
    let by_act: BTreeMap<String, String> = rules
        .rules()
        .iter()
        .filter_map(|r| act_rule_id(&r.source).map(|a| (a, r.id.clone())))
        .collect();
    let mut rows: BTreeMap<String, RuleRow> = BTreeMap::new();
    for r in rules_json.as_array().expect("rules.json is an array") {
        if r["static_checkable"].as_bool() != Some(true) {
            continue;
        }
        let act = s(r, "rule_id").to_string();
        let pantau = by_act
            .get(&act)
            .unwrap_or_else(|| panic!("no pantau rule names ACT rule {act}"))
            .clone();
        rows.insert(
            act,
            RuleRow {
                name: s(r, "rule_name").to_string(),
                pantau,
                cases: Vec::new(),
            },
        );
    }
    for case in manifest.as_array().expect("manifest is an array") {
        // Every case file is checked (no input may panic), the 33 rules' cases are scored.
        let file = s(case, "file").to_string();
        let report = check_file(
            &rules,
            &dir.join(&file),
            pantau::fetch::DEFAULT_MAX_BODY_BYTES,
        )
        .expect("case file readable");
        let Some(row) = rows.get_mut(s(case, "rule_id")) else {
            continue;
        };
        let got = report
            .rules
            .iter()
            .find(|o| o.rule == row.pantau)
            .map(|o| o.outcome)
            .expect("the rule ran");
        let depends_on = case["depends_on"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        row.cases.push(CaseResult {
            file,
            expected: s(case, "outcome").to_string(),
            got,
            static_checkable: case["static_checkable"].as_bool() == Some(true),
            depends_on,
        });
    }
    rows
}

fn markdown(rows: &BTreeMap<String, RuleRow>) -> String {
    let consistent = rows.values().filter(|r| r.consistent()).count();
    let (mut sa, mut st, mut aa, mut at) = (0, 0, 0, 0);
    for r in rows.values() {
        let (a, t) = r.agreed(true);
        sa += a;
        st += t;
        let (a, t) = r.agreed(false);
        aa += a;
        at += t;
    }
    let mut out = format!(
        "# pantau and the W3C ACT rules\n\n\
         Generated by `tests/act_conformance.rs` from a run over the ACT test cases in \
         `shared/conformance/act` (the 33 rules decidable from HTML). A normal `cargo test` \
         checks this file is current; `PANTAU_BLESS=1 cargo test --test act_conformance` \
         rewrites it.\n\n\
         Each case file is checked as `pantau check FILE` does. *Static* cases are those the \
         corpus marks `static_checkable` (no CSS, script, layout or fetched resource needed). \
         A rule is *consistent* when every static case agrees and no other case gets a \
         confident wrong answer (`cantTell` is allowed only there).\n\n\
         **{consistent} of {} rules consistent; static cases agreed: {sa} / {st}; all cases \
         agreed: {aa} / {at}.**\n\n\
         | ACT rule | Name | pantau rule | Static agreed | All agreed | Consistent |\n\
         |---|---|---|---|---|---|\n",
        rows.len()
    );
    for (act, r) in rows {
        let (a, t) = r.agreed(true);
        let (b, u) = r.agreed(false);
        out.push_str(&format!(
            "| `{act}` | {} | `{}` | {a} / {t} | {b} / {u} | {} |\n",
            r.name.replace('|', "\\|"),
            r.pantau,
            if r.consistent() { "yes" } else { "no" }
        ));
    }
    out.push_str(
        "\n## Cases that are not static-checkable\n\n\
         What pantau answered where the expected outcome needs CSS, layout, script or a \
         fetched resource.\n\n\
         | Case | Expected | pantau | Depends on |\n|---|---|---|---|\n",
    );
    for r in rows.values() {
        for c in r.cases.iter().filter(|c| !c.static_checkable) {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.file,
                c.expected,
                c.got.as_str(),
                c.depends_on
            ));
        }
    }
    out
}

#[test]
fn act_static_cases_all_agree_and_report_is_current() {
    let Some(dir) = corpus() else {
        return;
    };
    let rows = run(&dir);
    assert_eq!(rows.len(), 33, "33 static-checkable ACT rules");
    let mut mismatches = Vec::new();
    let mut static_cases = 0;
    for (act, r) in &rows {
        for c in r.cases.iter().filter(|c| c.static_checkable) {
            static_cases += 1;
            if c.got.as_str() != c.expected {
                mismatches.push(format!(
                    "{act} {}: expected {}, pantau {}",
                    c.file,
                    c.expected,
                    c.got.as_str()
                ));
            }
        }
    }
    assert_eq!(static_cases, 468, "static-checkable cases in the manifest");
    let doc = markdown(&rows);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/act-conformance.md");
    if std::env::var("PANTAU_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &doc).expect("write docs/act-conformance.md");
    }
    assert!(
        mismatches.is_empty(),
        "{} of {static_cases} static cases disagree:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == doc,
        "docs/act-conformance.md is not current: run PANTAU_BLESS=1 cargo test --test act_conformance"
    );
}
