//! Loading and validating `rules/*.toml`: every problem is reported with file and line.

use pantau::rules::{Category, RuleScope, RuleSet, RulesError};
use std::path::{Path, PathBuf};

fn repo_rules() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules")
}

const SCORING: &str = r#"
[category.transparency]
weight = 40
reason = "KIP"
[category.accessibility]
weight = 30
reason = "WCAG"
[category.security]
weight = 15
reason = "PSTE"
[category.integrity]
weight = 15
reason = "gate"
"#;

const GOOD_RULE: &str = r#"[[rule]]
id = "image-alt"
category = "accessibility"
weight = 10
severity = "critical"
source = "WCAG 2.1 SC 1.1.1; ACT rule 23a2a8"
title.id = "Gambar memiliki teks alternatif"
title.en = "Images have alternative text"
kind = "image_has_name"
messages.image-no-name.id = "Gambar tanpa teks alternatif"
messages.image-no-name.en = "Image without alternative text"
"#;

/// A temp rules dir with `scoring.toml` and the given files.
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("scoring.toml"), SCORING).expect("write scoring");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write rule file");
    }
    dir
}

fn problems(dir: &Path) -> Vec<String> {
    match RuleSet::load_dir(dir) {
        Ok(_) => panic!("expected validation errors"),
        Err(RulesError::Invalid(p)) => p,
        Err(e) => panic!("unexpected error {e}"),
    }
}

fn rel(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

#[test]
fn repository_rules_load() {
    let set = RuleSet::load_dir(&repo_rules()).expect("rules/ is valid");
    let ids: Vec<&str> = set.rules().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "html-has-lang",
            "document-title",
            "image-alt",
            "link-name",
            "form-field-name",
            "html-lang-valid",
            "element-lang-valid",
            "button-name",
            "image-button-name",
            "iframe-name",
            "menuitem-name",
            "svg-img-name",
            "object-name",
            "summary-name",
            "heading-name",
            "aria-role-valid",
            "aria-attr-defined",
            "aria-attr-valid-value",
            "aria-attr-permitted",
            "aria-required-attrs",
            "aria-prohibited-attrs",
            "aria-required-context",
            "aria-required-owned",
            "decorative-not-exposed",
            "aria-hidden-focus",
            "presentational-children-focus",
            "iframe-tab-order",
            "meta-refresh",
            "meta-refresh-no-exception",
            "meta-viewport-zoom",
            "autocomplete-valid",
            "table-headers-attr",
            "table-header-cells",
            "gambling-spam-keywords",
            "charset-conflict",
            "https-available",
            "contact-info",
            "site-official-email",
            "site-updated",
            "site-links-work",
            "site-search",
            "profile-vision-mission",
            "profile-duties-functions",
            "organisation-structure",
            "profile-officials",
            "profile-wealth-reports",
            "profile-seat-address",
            "profile-units",
            "profile-overview",
            "ppid-page",
            "ppid-profile",
            "ppid-dip",
            "ppid-periodic",
            "ppid-immediate",
            "ppid-anytime",
            "ppid-exempt",
            "ppid-request",
            "ppid-objection",
            "ppid-charter-sop",
            "ppid-annual-report",
            "ppid-access-summary",
            "plan-renstra",
            "plan-renja",
            "perf-agreement",
            "perf-indicators",
            "perf-report-lkjip",
            "plan-programmes",
            "budget-rka",
            "budget-dpa",
            "budget-realisation",
            "budget-financial-statements",
            "budget-assets",
            "budget-tpad",
            "procurement-plan",
            "procurement-eproc",
            "procurement-results",
            "service-standards",
            "service-charter",
            "service-survey",
            "complaint-channel",
            "complaint-sp4n-lapor",
            "complaint-followup",
            "integrity-wbs",
            "integrity-zone",
            "service-sop",
            "service-online",
            "legal-regulations",
            "legal-jdih",
            "data-sectoral",
            "data-satu-data",
            "news-freshness",
            "comm-agenda",
            "comm-gallery",
            "comm-announcements",
            "comm-social-media",
            "comm-faq",
            "info-early-warning",
            "info-employment",
        ]
    );
    let image = &set.rules()[2];
    assert_eq!(image.category, Category::Accessibility);
    assert_eq!(image.weight, 10.0);
    assert_eq!(image.severity, "critical");
    assert_eq!(image.title_id, "Gambar memiliki teks alternatif");
    assert_eq!(image.title_en, "Images have alternative text");
    assert_eq!(image.source, "WCAG 2.1 SC 1.1.1; ACT rule 23a2a8");
    assert_eq!(image.scope, RuleScope::Page);
    assert_eq!(set.rules()[33].scope, RuleScope::Site);
    assert_eq!(set.category_weight(Category::Transparency), 40.0);
    assert_eq!(set.category_weight(Category::Accessibility), 30.0);
    assert_eq!(set.category_weight(Category::Security), 15.0);
    assert_eq!(set.category_weight(Category::Integrity), 15.0);
    assert!(set
        .category_reason(Category::Integrity)
        .contains("compromised"));
    assert_eq!(set.sha256().len(), 64);
    for r in set.rules() {
        assert!(!r.source.is_empty() && !r.title_id.is_empty() && !r.title_en.is_empty());
    }
}

#[test]
fn embedded_equals_repository_dir() {
    let a = RuleSet::embedded().expect("embedded");
    let b = RuleSet::load_dir(&repo_rules()).expect("dir");
    let ids = |s: &RuleSet| s.rules().iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(a.sha256(), b.sha256());
}

/// An emptied rule file is a mistake, not a way to drop rules: it would silently take a whole
/// category out of every score.
#[test]
fn a_rule_file_without_rules_is_an_error() {
    let dir = dir_with(&[
        ("a.toml", GOOD_RULE),
        ("accessibility.toml", ""),
        ("comments.toml", "# nothing here\n"),
    ]);
    let p = problems(dir.path());
    assert_eq!(
        p,
        vec![
            format!(
                "{}:1: defines no rule (expected [[rule]] tables; delete the file if it is not needed)",
                rel(&dir, "accessibility.toml")
            ),
            format!(
                "{}:1: defines no rule (expected [[rule]] tables; delete the file if it is not needed)",
                rel(&dir, "comments.toml")
            ),
        ]
    );
}

#[test]
fn sha256_depends_on_bytes_and_names() {
    let d1 = dir_with(&[("a.toml", GOOD_RULE)]);
    let d2 = dir_with(&[("a.toml", &format!("{GOOD_RULE}\n"))]);
    let d3 = dir_with(&[("b.toml", GOOD_RULE)]);
    let s1 = RuleSet::load_dir(d1.path()).expect("d1");
    let s1b = RuleSet::load_dir(d1.path()).expect("d1 again");
    let s2 = RuleSet::load_dir(d2.path()).expect("d2");
    let s3 = RuleSet::load_dir(d3.path()).expect("d3");
    assert_eq!(s1.sha256(), s1b.sha256());
    assert_ne!(s1.sha256(), s2.sha256());
    assert_ne!(s1.sha256(), s3.sha256());
}

#[test]
fn unknown_kind_with_line() {
    let text = GOOD_RULE.replace("image_has_name", "link_txt");
    let d = dir_with(&[("transparency.toml", &text)]);
    let p = problems(d.path());
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with(&format!(
            "{}:9: rule 'image-alt': unknown kind 'link_txt' (known kinds: html_has_lang,",
            rel(&d, "transparency.toml")
        )),
        "{p:?}"
    );
}

#[test]
fn duplicate_id_names_both_places() {
    let d = dir_with(&[
        ("a.toml", GOOD_RULE),
        ("b.toml", &format!("\n\n{GOOD_RULE}")),
    ]);
    let p = problems(d.path());
    assert_eq!(
        p,
        vec![format!(
            "{}:4: rule 'image-alt': duplicate id (also at {}:2)",
            rel(&d, "b.toml"),
            rel(&d, "a.toml")
        )]
    );
}

#[test]
fn bad_parameter_points_at_its_line() {
    let text = r#"[[rule]]
id = "news-freshness"
category = "transparency"
weight = 3
severity = "serious"
source = "UU 14/2008 Ps.9(3)"
title.id = "Berita"
title.en = "News"
kind = "freshness"

[rule.params]
pass_days = 90
partial_day = 180
"#;
    let d = dir_with(&[("t.toml", text)]);
    let p = problems(d.path());
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with(&format!(
            "{}:13: rule 'news-freshness': bad params for kind 'freshness': unknown field `partial_day`",
            rel(&d, "t.toml")
        )),
        "{p:?}"
    );
    // A semantic check on typed params.
    let text2 = text.replace("partial_day = 180", "partial_days = 30");
    let d2 = dir_with(&[("t.toml", &text2)]);
    assert_eq!(
        problems(d2.path()),
        vec![format!(
            "{}:11: rule 'news-freshness': bad params for kind 'freshness': need 0 < pass_days <= partial_days (got 90 and 30)",
            rel(&d2, "t.toml")
        )]
    );
    // Params on a kind that takes none.
    let text3 = format!("{GOOD_RULE}params = {{ level = 2 }}\n");
    let d3 = dir_with(&[("a.toml", &text3)]);
    let p3 = problems(d3.path());
    assert_eq!(p3.len(), 1, "{p3:?}");
    assert!(
        p3[0].starts_with(&format!(
            "{}:12: rule 'image-alt': bad params for kind 'image_has_name': unknown field `level`",
            rel(&d3, "a.toml")
        )),
        "{p3:?}"
    );
}

#[test]
fn missing_fields_weight_category_and_title_language() {
    let text = r#"[[rule]]
id = "a-rule"
category = "availability"
weight = 0
severity = "critical"
title.id = "Judul"
kind = "image_has_name"
messages.image-no-name = { id = "x", en = "y" }
"#;
    let d = dir_with(&[("x.toml", text)]);
    let f = rel(&d, "x.toml");
    assert_eq!(
        problems(d.path()),
        vec![
            format!("{f}:3: rule 'a-rule': unknown category 'availability' (expected accessibility, transparency, security or integrity)"),
            format!("{f}:4: rule 'a-rule': weight must be > 0 (got 0)"),
            format!("{f}:1: rule 'a-rule': missing field 'source'"),
            format!("{f}:6: rule 'a-rule': missing title language 'en'"),
        ]
    );
}

#[test]
fn malformed_toml_reports_its_line() {
    let text = "[[rule]]\nid = \"x\"\nweight = = 3\n";
    let d = dir_with(&[("m.toml", text)]);
    let p = problems(d.path());
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with(&format!("{}:3: invalid TOML: ", rel(&d, "m.toml"))),
        "{p:?}"
    );
}

#[test]
fn every_problem_across_files_at_once() {
    let bad_kind = GOOD_RULE
        .replace("image-alt", "one")
        .replace("image_has_name", "nope");
    let bad_id = GOOD_RULE.replace("image-alt", "Bad_Id");
    let unknown_field = GOOD_RULE
        .replace("image-alt", "three")
        .replace("weight = 10", "wieght = 10");
    let d = dir_with(&[
        ("a.toml", &bad_kind),
        ("b.toml", "[[rule]]\nid = \n"),
        ("c.toml", &format!("{bad_id}\n{unknown_field}")),
    ]);
    let p = problems(d.path());
    let (a, b, c) = (rel(&d, "a.toml"), rel(&d, "b.toml"), rel(&d, "c.toml"));
    assert_eq!(p.len(), 5, "{p:#?}");
    assert!(p[0].starts_with(&format!("{a}:9: rule 'one': unknown kind 'nope'")));
    assert!(p[1].starts_with(&format!("{b}:2: invalid TOML: ")));
    assert_eq!(
        p[2],
        format!("{c}:2: rule 'Bad_Id': id must be kebab-case (a-z, 0-9, '-')")
    );
    assert!(p[3].starts_with(&format!("{c}:16: rule 'three': unknown field 'wieght'")));
    assert_eq!(
        p[4],
        format!("{c}:13: rule 'three': missing field 'weight'")
    );
}

#[test]
fn scoring_file_is_required_and_validated() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.toml"), GOOD_RULE).expect("write");
    assert_eq!(
        problems(dir.path()),
        vec!["scoring.toml: missing: the category weights file is required".to_string()]
    );
    let bad = SCORING.replace(
        "weight = 15\nreason = \"gate\"",
        "weight = -1\nreason = \"gate\"",
    );
    std::fs::write(dir.path().join("scoring.toml"), bad).expect("write");
    assert_eq!(
        problems(dir.path()),
        vec![format!(
            "{}:11: category 'integrity': weight must be > 0 (got -1)",
            dir.path().join("scoring.toml").display()
        )]
    );
}

#[test]
fn unreadable_dir_is_one_problem() {
    let p = problems(Path::new("/nonexistent/pantau-rules"));
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("/nonexistent/pantau-rules: cannot read rules directory"));
}

#[test]
fn kind_specific_param_validation() {
    let site = r#"[[rule]]
id = "ppid-page"
category = "transparency"
weight = 5
severity = "critical"
source = "UU 14/2008 Ps.13"
title.id = "PPID"
title.en = "PPID"
kind = "site_content"
params = { synonyms = [] }
"#;
    let d = dir_with(&[("t.toml", site)]);
    assert_eq!(
        problems(d.path()),
        vec![format!(
            "{}:10: rule 'ppid-page': bad params for kind 'site_content': synonyms must not be empty",
            rel(&d, "t.toml")
        )]
    );
    let spam = r#"[[rule]]
id = "spam"
category = "integrity"
weight = 5
severity = "gate"
source = "research §8.2"
title.id = "Judi"
title.en = "Gambling"
kind = "spam_keywords"
[rule.params]
terms = ["togel"]
guarded_terms = ["slot"]
co_terms = ["slot", "gacor"]
"#;
    let d = dir_with(&[("s.toml", spam)]);
    assert_eq!(
        problems(d.path()),
        vec![format!(
            "{}:10: rule 'spam': bad params for kind 'spam_keywords': 'slot' is both a guarded term and a co-term: two ambiguous words would confirm each other",
            rel(&d, "s.toml")
        )]
    );
}

/// `rules/README.md` is the generated catalogue; regenerate with `PANTAU_BLESS=1`.
#[test]
fn catalogue_is_current() {
    let set = RuleSet::load_dir(&repo_rules()).expect("rules/ is valid");
    let want = set.catalogue_markdown();
    let path = repo_rules().join("README.md");
    if std::env::var("PANTAU_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &want).expect("write rules/README.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "rules/README.md is out of date: run PANTAU_BLESS=1 cargo test --test rules_load catalogue"
    );
    assert!(want.contains("| `image-alt` | accessibility | page | 10 | critical | Gambar memiliki teks alternatif | Images have alternative text | `has_accessible_name` | WCAG 2.1 SC 1.1.1; ACT rule 23a2a8 |"));
}

#[test]
fn messages_are_required_known_and_bilingual() {
    let no_messages = GOOD_RULE
        .lines()
        .filter(|l| !l.starts_with("messages."))
        .collect::<Vec<_>>()
        .join("\n");
    let d = dir_with(&[("a.toml", &no_messages)]);
    assert_eq!(
        problems(d.path()),
        vec![format!(
            "{}:1: rule 'image-alt': missing message 'image-no-name' (add [rule.messages] with image-no-name.id and image-no-name.en)",
            rel(&d, "a.toml")
        )]
    );
    let extra = format!("{GOOD_RULE}messages.typo.id = \"a\"\nmessages.typo.en = \"b\"\n");
    let d = dir_with(&[("a.toml", &extra)]);
    let p = problems(d.path());
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].ends_with(
        "rule 'image-alt': unknown message key 'typo' for kind 'image_has_name' (expected: image-no-name)"
    ));
    let one_language = GOOD_RULE.replace(
        "messages.image-no-name.en = \"Image without alternative text\"\n",
        "",
    );
    let d = dir_with(&[("a.toml", &one_language)]);
    let p = problems(d.path());
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].ends_with(
        "rule 'image-alt': message 'image-no-name' needs non-empty 'id' and 'en' strings"
    ));

    let set = RuleSet::load_dir(&repo_rules()).expect("rules/");
    let title = set
        .rules()
        .iter()
        .find(|r| r.id == "document-title")
        .expect("rule");
    assert_eq!(
        title.messages["title-missing"].id,
        "Dokumen tidak memiliki elemen <title>"
    );
    assert_eq!(
        title.messages["title-missing"].en,
        "The document has no <title> element"
    );
}
