//! `pantau check FILE|URL`: the ACT outcome per rule in text and JSON, failing elements with
//! selector and snippet, SVG documents not mistaken for HTML pages, exit codes, and a URL
//! fetched from a loopback fixture server over TLS.

use pantau::fixture::FixtureServer;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn pantau(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pantau"))
        .args(args)
        .output()
        .expect("run pantau")
}

fn write(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, body).expect("write");
    path.display().to_string()
}

fn outcome<'a>(json: &'a Value, rule: &str) -> &'a str {
    json["rules"]
        .as_array()
        .expect("rules array")
        .iter()
        .find(|r| r["rule"] == rule)
        .and_then(|r| r["outcome"].as_str())
        .unwrap_or_else(|| panic!("no rule {rule}"))
}

const PAGE: &str = r#"<!DOCTYPE html><html lang="id"><head><title>Dinas</title>
<meta name="viewport" content="width=device-width, user-scalable=no"></head>
<body><img src="logo.png"><a href="/profil">Profil</a>
<div aria-hidden="true"><a href="/x">x</a></div></body></html>"#;

#[test]
fn text_and_json_reports_with_failing_elements() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "page.html", PAGE);
    let out = pantau(&["check", &file]);
    assert_eq!(out.status.code(), Some(1), "a failing rule exits 1");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("failed       image-alt"), "{text}");
    assert!(text.contains("html > body > img"), "{text}");
    assert!(text.contains(r#"<img src="logo.png">"#), "{text}");
    assert!(text.contains("passed       link-name"), "{text}");

    let out = pantau(&["check", &file, "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(json["document"], "html");
    assert_eq!(outcome(&json, "html-lang-valid"), "passed");
    assert_eq!(outcome(&json, "meta-viewport-zoom"), "failed");
    assert_eq!(outcome(&json, "aria-hidden-focus"), "failed");
    assert_eq!(outcome(&json, "table-header-cells"), "inapplicable");
    let img = json["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .find(|r| r["rule"] == "image-alt")
        .expect("image-alt");
    assert_eq!(img["act_rule"], "23a2a8");
    assert_eq!(img["elements_failed"], 1);
    assert_eq!(img["failures"][0]["selector"], "html > body > img");
}

#[test]
fn svg_is_not_an_html_page_and_other_xml_is_cant_tell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let svg = write(
        dir.path(),
        "logo.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" lang="xx"><title>Logo</title></svg>"#,
    );
    let out = pantau(&["check", &svg, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["document"], "svg");
    for rule in ["html-has-lang", "html-lang-valid", "document-title"] {
        assert_eq!(outcome(&json, rule), "inapplicable", "{rule}");
    }
    let xml = write(
        dir.path(),
        "feed.xml",
        r#"<?xml version="1.0"?><feed><entry/></feed>"#,
    );
    let out = pantau(&["check", &xml, "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["document"], "xml");
    assert!(json["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .all(|r| r["outcome"] == "cantTell"));
}

#[test]
fn missing_file_exits_2_naming_it() {
    let out = pantau(&["check", "/nonexistent/pantau-page.html"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/pantau-page.html"), "{err}");
}

#[tokio::test]
async fn url_is_fetched_and_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "dinas.test.go.id/index.html", PAGE);
    write(
        dir.path(),
        "dinas.test.go.id/robots.txt",
        "User-agent: *\nAllow: /\n",
    );
    write(dir.path(), "dinas.test.go.id/404.html", PAGE);
    write(
        dir.path(),
        "dinas.test.go.id/laporan.pdf",
        "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    );
    let server = FixtureServer::start(dir.path(), 0).await.expect("server");
    let ca = write(dir.path(), "ca.pem", server.ca_cert_pem());
    let resolve = format!("dinas.test.go.id:{}", server.addr());
    let check = |url: &str, json: bool| {
        let mut args: Vec<String> = ["check", url, "--resolve", &resolve, "--ca-cert", &ca]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if json {
            args.extend(["--format".to_string(), "json".to_string()]);
        }
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            pantau(&args)
        })
    };
    let page = check("https://dinas.test.go.id/", true)
        .await
        .expect("join");
    let pdf = check("https://dinas.test.go.id/laporan.pdf", false)
        .await
        .expect("join");
    let missing = check("https://dinas.test.go.id/tidak-ada.html", false)
        .await
        .expect("join");
    server.shutdown().await;

    let json: Value = serde_json::from_slice(&page.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", String::from_utf8_lossy(&page.stderr)));
    assert_eq!(json["target"], "https://dinas.test.go.id/");
    assert_eq!(json["http_status"], 200);
    assert_eq!(outcome(&json, "image-alt"), "failed");
    assert_eq!(outcome(&json, "document-title"), "passed");

    // A PDF has no markup to check: refused (exit 2), not reported as a page without a title.
    assert_eq!(pdf.status.code(), Some(2));
    assert!(pdf.stdout.is_empty());
    let why = String::from_utf8_lossy(&pdf.stderr);
    assert!(
        why.contains(
            "laporan.pdf: answered HTTP 200 with Content-Type application/pdf, not an HTML"
        ),
        "{why}"
    );

    // An error page is checked as served, and the report says it was one.
    let text = String::from_utf8_lossy(&missing.stdout);
    assert!(
        text.lines()
            .next()
            .is_some_and(|l| l.ends_with("(Html, HTTP 404: the error page as served)")),
        "{text}"
    );
}

/// Gambling spam injected into a page (integrity, a site rule in `audit`) is judged on the one
/// document too: the hacked fixture page fails it with its hits, a clean one passes.
#[test]
fn spam_keywords_are_judged_on_the_one_document() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sulbar");
    let hacked = fixtures.join("inspektorat.sulbarprov.go.id/index.html");
    let out = pantau(&["check", hacked.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "a failed rule exits 1");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(outcome(&json, "gambling-spam-keywords"), "failed");
    let spam = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "gambling-spam-keywords")
        .unwrap();
    assert_eq!(spam["act_rule"], Value::Null);
    let messages: Vec<&str> = spam["failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages.contains(&"Gambling term 'togel' in link URL"),
        "{messages:?}"
    );
    let clean = fixtures.join("dispar.sulbarprov.go.id/index.html");
    let out = pantau(&["check", clean.to_str().unwrap(), "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(outcome(&json, "gambling-spam-keywords"), "passed");
}

/// A PDF saved from a site (text-only bytes after `%PDF-`) is refused, not checked as a page
/// without a title.
#[test]
fn pdf_file_is_not_checked_as_html() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = write(
        dir.path(),
        "lkjip.pdf",
        "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    );
    let out = pantau(&["check", &pdf]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        why.contains("lkjip.pdf: its first bytes say application/pdf, not an HTML"),
        "{why}"
    );
}

/// A binary file is refused with exit 2, naming the file; nothing of it reaches the terminal.
#[test]
fn binary_files_are_not_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("program.html");
    std::fs::write(&path, b"\x7fELF\x02\x01\x01\x00\x00\x00<html>").expect("write");
    let out = pantau(&["check", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "{}: not an HTML, SVG or XML document (binary data: byte 0x02 at offset 4)",
            path.display()
        )),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// Escape sequences inside a page's markup are shown escaped in the text report.
#[test]
fn escape_sequences_in_snippets_are_escaped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "esc.html",
        "<html lang=\"id\"><title>x</title><img src=\"\u{1b}]0;PWNED\u{1b}\\\u{1b}[2J\"></html>",
    );
    let out = pantau(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(
        text.contains("\\u{1b}]0;PWNED\\u{1b}\\\\u{1b}[2J"),
        "{text}"
    );
}

/// A file over the body cap is refused before it is read, naming the file and the cap.
#[test]
fn files_over_the_body_cap_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(
        dir.path(),
        "besar.html",
        &format!("<p>{}</p>", "a".repeat(5000)),
    );
    let out = pantau(&["check", &file, "--max-body-bytes", "2048"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!(
            "{file}: 5007 bytes, over the 2048-byte cap (--max-body-bytes)"
        )),
        "{err}"
    );
    let ok = pantau(&["check", &file, "--max-body-bytes", "8192"]);
    assert_ne!(ok.status.code(), Some(2));
}
