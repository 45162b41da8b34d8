//! Page kinds on hand-built HTML: outcome, failing-element count, selector and snippet.

use pantau::page::Page;
use pantau::rules::{CheckContext, PageOutcome, PageRuleResult, RuleSet};

fn ctx() -> CheckContext {
    CheckContext {
        now: chrono::DateTime::parse_from_rfc3339("2026-11-29T10:00:00+08:00").expect("time"),
        agency_host: "dinas.example.go.id".to_string(),
        agency_types: None,
    }
}

fn check(html: &str, rule_id: &str) -> PageRuleResult {
    let rules = RuleSet::embedded().expect("embedded rules");
    let page = Page::parse(
        url::Url::parse("https://dinas.example.go.id/p").expect("url"),
        200,
        html,
    );
    let report = rules.check_page(&page, &ctx());
    let idx = rules
        .rules()
        .iter()
        .position(|r| r.id == rule_id)
        .expect("rule id");
    report
        .results
        .into_iter()
        .find(|r| r.rule == idx)
        .expect("page rule result")
}

fn selectors(r: &PageRuleResult) -> Vec<&str> {
    r.evidence
        .iter()
        .map(|e| e.selector.as_deref().unwrap_or(""))
        .collect()
}

#[test]
fn html_has_lang() {
    let pass = check(
        r#"<html lang="id"><title>x</title></html>"#,
        "html-has-lang",
    );
    assert_eq!(
        (pass.outcome, pass.elements_checked),
        (PageOutcome::Pass, 1)
    );
    let fail = check(r#"<html lang=" "><title>x</title></html>"#, "html-has-lang");
    assert_eq!(fail.outcome, PageOutcome::Fail);
    assert_eq!(selectors(&fail), vec!["html"]);
    assert_eq!(
        fail.evidence[0].snippet.as_deref(),
        Some(r#"<html lang=" ">"#)
    );
    assert_eq!(fail.evidence[0].url, "https://dinas.example.go.id/p");
    let missing = check("<html><title>x</title></html>", "html-has-lang");
    assert_eq!(missing.outcome, PageOutcome::Fail);
}

#[test]
fn document_title() {
    let pass = check("<title> Dinas Kominfo </title>", "document-title");
    assert_eq!(pass.outcome, PageOutcome::Pass);
    let empty = check(
        "<html><head><title> \n </title></head></html>",
        "document-title",
    );
    assert_eq!(empty.outcome, PageOutcome::Fail);
    assert_eq!(selectors(&empty), vec!["html > head > title"]);
    let none = check("<p>no title</p>", "document-title");
    assert_eq!(none.outcome, PageOutcome::Fail);
    assert_eq!(
        none.evidence[0].message,
        "The document has no <title> element"
    );
    // Only the first title counts.
    let first = check("<title></title><title>Second</title>", "document-title");
    assert_eq!(first.outcome, PageOutcome::Fail);
    // An SVG title is not the document title.
    let svg = check(
        "<body><svg><title>Icon</title></svg></body>",
        "document-title",
    );
    assert_eq!(svg.outcome, PageOutcome::Fail);
}

#[test]
fn image_alt() {
    let html = r#"<html><body>
        <div><img src="a.png" alt="Logo Dinas"></div>
        <div>
          <img src="b.png">
          <img src="c.png" alt="">
          <img src="d.png" role="presentation">
          <img src="e.png" aria-label="Peta">
          <img src="f.png" title="Grafik">
          <span id="cap">Kepala Dinas</span><img src="g.png" aria-labelledby="cap">
          <img src="h.png" alt=" ">
          <img src="i.png" role="none" tabindex="0">
        </div>
        <div hidden><img src="j.png"></div>
        <div role="img"></div>
        <img src="k.png" aria-hidden="true">
        </body></html>"#;
    let r = check(html, "image-alt");
    assert_eq!(r.outcome, PageOutcome::Fail);
    assert_eq!(r.elements_checked, 10);
    assert_eq!(r.elements_failed, 4);
    assert_eq!(
        selectors(&r),
        vec![
            "html > body > div:nth-of-type(2) > img:nth-of-type(1)",
            "html > body > div:nth-of-type(2) > img:nth-of-type(7)",
            "html > body > div:nth-of-type(2) > img:nth-of-type(8)",
            "html > body > div:nth-of-type(4)",
        ]
    );
    assert_eq!(
        r.evidence[0].snippet.as_deref(),
        Some(r#"<img src="b.png">"#)
    );
    let na = check("<p>teks</p>", "image-alt");
    assert_eq!(
        (na.outcome, na.elements_checked),
        (PageOutcome::NotApplicable, 0)
    );
}

#[test]
fn link_name() {
    let html = r#"<body>
        <a href="/a">Beranda</a>
        <a href="/b"><img src="x.png" alt="PPID"></a>
        <a href="/c"><i class="fa fa-facebook"></i></a>
        <a href="/d" aria-label="Instagram"><i></i></a>
        <a href="/e" title="Cari"></a>
        <a href="/f"><img src="y.png" alt=""></a>
        <a>no href, not a link</a>
        <a href="/g" style="display:none"></a>
        <span role="link"></span>
        <a href="/h"><span aria-hidden="true">»</span></a>
        </body>"#;
    let r = check(html, "link-name");
    assert_eq!(r.outcome, PageOutcome::Fail);
    assert_eq!(r.elements_checked, 8);
    assert_eq!(r.elements_failed, 4);
    assert_eq!(
        selectors(&r),
        vec![
            "html > body > a:nth-of-type(3)",
            "html > body > a:nth-of-type(6)",
            "html > body > span",
            "html > body > a:nth-of-type(9)",
        ]
    );
}

#[test]
fn form_field_name() {
    let html = r#"<body><form>
        <label for="nama">Nama</label><input id="nama">
        <label>Email <input type="email"></label>
        <input placeholder="Cari">
        <input type="text">
        <input type="submit"><input type="hidden" name="csrf"><input type="image" src="s.png" alt="Kirim">
        <select><option>A</option></select>
        <textarea aria-label="Pesan"></textarea>
        <span id="l">Kota</span><select aria-labelledby="l"><option>B</option></select>
        <div role="textbox"></div>
        <label>Tanggal</label> <input type="date">
        </form></body>"#;
    let r = check(html, "form-field-name");
    assert_eq!(r.outcome, PageOutcome::Fail);
    assert_eq!(r.elements_checked, 9);
    assert_eq!(r.elements_failed, 4);
    assert_eq!(
        selectors(&r),
        vec![
            "html > body > form > input:nth-of-type(3)",
            "html > body > form > select:nth-of-type(1)",
            "html > body > form > div",
            "html > body > form > input:nth-of-type(7)",
        ]
    );
    let na = check(
        "<form><input type=hidden><button>Kirim</button></form>",
        "form-field-name",
    );
    assert_eq!(na.outcome, PageOutcome::NotApplicable);
}

#[test]
fn evidence_is_capped_but_count_is_exact() {
    let html = format!("<body>{}</body>", "<img src=x.png>".repeat(30));
    let r = check(&html, "image-alt");
    assert_eq!(r.elements_failed, 30);
    assert_eq!(r.evidence.len(), 20);
}

#[test]
fn page_report_and_evidence_are_send() {
    fn assert_send<T: Send>() {}
    assert_send::<pantau::rules::PageReport>();
    assert_send::<pantau::rules::PageEvidence>();
    assert_send::<pantau::rules::SiteAccumulator>();
}

#[test]
fn junk_input_never_panics() {
    let rules = RuleSet::embedded().expect("embedded rules");
    let inputs = [
        String::new(),
        "\u{0}\u{1}\u{fffd}<<<>>>&&&;".to_string(),
        "<a href='http://[::1'>x</a><img alt><input aria-labelledby='   '><label for>".to_string(),
        format!("<div>{}</div>", "<a href=/x><b>".repeat(3000)),
        format!(
            "<p title=\"{}\">31 Februari 2024 (0)</p>",
            "x".repeat(100_000)
        ),
        "<html lang><title>\u{1F3B0} Slöt</title><svg><title>t</title></svg></html>".to_string(),
    ];
    for html in &inputs {
        let page = Page::parse(url::Url::parse("https://a.go.id/").expect("url"), 200, html);
        let report = rules.check_page(&page, &ctx());
        let page_rules = rules
            .rules()
            .iter()
            .filter(|r| r.scope == pantau::rules::RuleScope::Page)
            .count();
        assert_eq!(report.results.len(), page_rules);
        let mut acc = rules.site_accumulator();
        acc.add(report.evidence);
        let facts = pantau::rules::SiteFacts {
            https: None,
            pages_checked: 1,
        };
        let site_rules = rules
            .rules()
            .iter()
            .filter(|r| r.scope == pantau::rules::RuleScope::Site)
            .count();
        assert_eq!(acc.finish(&facts, &ctx()).len(), site_rules);
    }
}

#[test]
fn page_evidence_is_bounded() {
    let rules = RuleSet::embedded().expect("embedded rules");
    let links: String = (0..1000)
        .map(|i| format!("<a href=\"/ppid/{i}\">PPID</a> 0812-3456-{i:04} 1 Januari 2020 "))
        .collect();
    let page = Page::parse(
        url::Url::parse("https://a.go.id/").expect("url"),
        200,
        &format!("<body>{links}</body>"),
    );
    let ev = rules.check_page(&page, &ctx()).evidence;
    let ppid: Vec<_> = ev
        .matched_links()
        .into_iter()
        .filter(|l| rules.rules()[l.rule].id == "ppid-page")
        .collect();
    assert_eq!(ppid.len(), 10);
}

/// The links the walk hands the crawler are exactly `Page::links`: http(s) only, document
/// order, `<noscript>` ones last, resolved against `<base href>`.
#[test]
fn report_links_are_the_page_links() {
    let rules = RuleSet::embedded().expect("embedded rules");
    let html = r#"<html><head><base href="https://dinas.example.go.id/dir/"></head><body>
        <noscript><a href="/ns">ns</a></noscript>
        <a href="a">A</a> <a href="mailto:x@example.go.id">mail</a>
        <area href="https://other.go.id/b"> <a href="tel:+62411">tel</a>
        <a href="javascript:void(0)">js</a> <a>no href</a></body></html>"#;
    let page = Page::parse(
        url::Url::parse("https://dinas.example.go.id/p").expect("url"),
        200,
        html,
    );
    let report = rules.check_page(&page, &ctx());
    let got: Vec<&str> = report.links.iter().map(url::Url::as_str).collect();
    assert_eq!(
        got,
        vec![
            "https://dinas.example.go.id/dir/a",
            "https://other.go.id/b",
            "https://dinas.example.go.id/ns"
        ]
    );
    let expected: Vec<url::Url> = page.links().into_iter().map(|l| l.url).collect();
    assert_eq!(report.links, expected);
}
