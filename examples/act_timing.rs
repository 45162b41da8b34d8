//! Parse + check time per page on the real government pages in `../shared/real-sites`:
//! `cargo run --release --example act_timing [DIR]`. Prints, per page, its size and the median
//! of 20 runs, in milliseconds, of `Page::parse`, of `RuleSet::check_page` with the whole
//! catalogue (one DOM walk for every rule) and with the 33 accessibility rules alone, then
//! the accessibility rules that fail. No assertions: numbers for people.

use pantau::page::Page;
use pantau::rules::{CheckContext, PageOutcome, RuleSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

const RUNS: usize = 20;

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/real-sites"));
    let rules = RuleSet::embedded()?;
    // The accessibility rules alone: rules/accessibility.toml and scoring.toml in a temp dir.
    let rules_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules");
    let only = tempfile::tempdir()?;
    for f in ["accessibility.toml", "scoring.toml"] {
        std::fs::copy(rules_dir.join(f), only.path().join(f))?;
    }
    let a11y = RuleSet::load_dir(only.path())?;
    let ctx = CheckContext {
        now: chrono::DateTime::parse_from_rfc3339("2026-11-29T12:00:00+07:00")?,
        agency_host: "example.go.id".to_string(),
        agency_types: None,
    };
    let mut files = Vec::new();
    html_files(&dir, &mut files);
    if files.is_empty() {
        return Err(format!("no .html files under {}", dir.display()).into());
    }
    println!(
        "{:<70} {:>8} {:>9} {:>9} {:>9}",
        "page", "bytes", "parse ms", "all ms", "a11y ms"
    );
    for path in files {
        let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
        let url = url::Url::parse("https://example.go.id/")?;
        let (mut parse, mut check, mut check_a11y) = (Vec::new(), Vec::new(), Vec::new());
        let mut failing = Vec::new();
        for run in 0..RUNS {
            let t = Instant::now();
            let page = Page::parse(url.clone(), 200, &text);
            parse.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let report = rules.check_page(&page, &ctx);
            check.push(t.elapsed().as_secs_f64() * 1000.0);
            let t = Instant::now();
            let _ = a11y.check_page(&page, &ctx);
            check_a11y.push(t.elapsed().as_secs_f64() * 1000.0);
            if run == 0 {
                failing = report
                    .results
                    .iter()
                    .filter(|r| r.outcome == PageOutcome::Fail)
                    .map(|r| format!("{}({})", rules.rules()[r.rule].id, r.elements_failed))
                    .collect();
            }
        }
        let name = path
            .strip_prefix(&dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        println!(
            "{:<70} {:>8} {:>9.2} {:>9.2} {:>9.2}",
            name,
            text.len(),
            median(parse),
            median(check),
            median(check_a11y)
        );
        println!("    failing: {}", failing.join(", "));
    }
    Ok(())
}
