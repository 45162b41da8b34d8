//! Site rules over small hand-built agencies: pages → `check_page` → `SiteAccumulator` →
//! status, reason and evidence.

use pantau::page::Page;
use pantau::rules::{CheckContext, RuleSet, SiteFacts, SiteRuleResult};
use pantau::scorecard::RuleStatus;

const HOST: &str = "dinas.example.go.id";

fn ctx() -> CheckContext {
    CheckContext {
        now: chrono::DateTime::parse_from_rfc3339("2026-11-29T10:00:00+07:00").expect("time"),
        agency_host: HOST.to_string(),
        agency_types: None,
    }
}

/// Long enough main-content text to count as substance (≥ 200 characters).
fn prose() -> String {
    "Pejabat Pengelola Informasi dan Dokumentasi melayani permohonan informasi publik setiap hari kerja. "
        .repeat(3)
}

/// Run every rule over `pages` (path, html) and return the result of `rule_id`.
fn site(
    pages: &[(&str, String)],
    https: Option<Result<(), String>>,
    rule_id: &str,
) -> SiteRuleResult {
    let rules = RuleSet::embedded().expect("embedded rules");
    let mut acc = rules.site_accumulator();
    for (path, html) in pages {
        let url = url::Url::parse(&format!("https://{HOST}{path}")).expect("url");
        let page = Page::parse(url, 200, html);
        acc.add(rules.check_page(&page, &ctx()).evidence);
    }
    let facts = SiteFacts {
        https,
        pages_checked: pages.len() as u64,
    };
    let idx = rules
        .rules()
        .iter()
        .position(|r| r.id == rule_id)
        .expect("rule id");
    acc.finish(&facts, &ctx())
        .into_iter()
        .find(|r| r.rule == idx)
        .expect("site result")
}

fn home(menu: &str) -> String {
    format!("<html lang=id><title>Dinas</title><body><nav>{menu}</nav><main>Selamat datang</main></body></html>")
}

#[test]
fn ppid_pass_when_linked_page_has_content() {
    let pages = [
        ("/", home(r#"<a href="/ppid">PPID</a>"#)),
        (
            "/ppid",
            format!(
                "<title>Layanan</title><body><main><p>{}</p></main></body>",
                prose()
            ),
        ),
    ];
    let r = site(&pages, None, "ppid-page");
    assert_eq!(r.status, RuleStatus::Pass);
    assert_eq!(r.evidence[0].url, format!("https://{HOST}/ppid"));
    assert_eq!(
        r.evidence[0].message,
        "PPID (information officer) page: page with content, URL slug (ppid)"
    );
}

#[test]
fn ppid_pass_by_page_title_alone() {
    let pages = [(
        "/halaman/7",
        format!(
            "<title>Pejabat Pengelola Informasi dan Dokumentasi</title><body><p>{}</p></body>",
            prose()
        ),
    )];
    let r = site(&pages, None, "ppid-page");
    assert_eq!(r.status, RuleStatus::Pass);
    assert!(r.evidence[0]
        .message
        .contains("Pejabat Pengelola Informasi dan Dokumentasi"));
}

#[test]
fn ppid_partial_when_only_a_menu_item() {
    let pages = [("/", home(r#"<a href="/layanan-ppid/">Layanan PPID</a>"#))];
    let r = site(&pages, None, "ppid-page");
    assert_eq!(r.status, RuleStatus::Partial);
    assert_eq!(r.evidence.len(), 1);
    assert_eq!(r.evidence[0].url, format!("https://{HOST}/"));
    assert!(
        r.evidence[0].message.ends_with("target not crawled"),
        "{:?}",
        r.evidence
    );
}

#[test]
fn ppid_link_to_another_government_site_passes_on_presence() {
    // Research §2: the OPD's page on the province's PPID portal satisfies the rule.
    let pages = [(
        "/",
        home(r#"<a href="https://ppid.example.go.id/opd/dinas">Layanan PPID</a>"#),
    )];
    let r = site(&pages, None, "ppid-page");
    assert_eq!(r.status, RuleStatus::Pass);
    assert_eq!(r.evidence[0].url, "https://ppid.example.go.id/opd/dinas");
    // The province's portal is not a service host: its profile is not the agency's.
    let portal = [(
        "/",
        home(r#"<a href="https://example.go.id/profil">Profil Provinsi</a>"#),
    )];
    assert_eq!(
        site(&portal, None, "profile-overview").status,
        RuleStatus::Partial
    );
    assert_eq!(
        r.evidence[0].message,
        format!("PPID (information officer) page: linked from https://{HOST}/ on another government site (present; not followed)")
    );
}

#[test]
fn ppid_fails_with_evidence_when_the_only_target_says_belum_tersedia() {
    // Research §2: a menu item leading to an empty page is "nil" evidence: fail, evidence kept.
    let pages = [
        ("/", home(r#"<a href="/informasi-publik">Informasi</a>"#)),
        (
            "/informasi-publik",
            format!(
                "<body><main><h2>Data</h2><p>Mohon maaf, data belum tersedia. {}</p></main></body>",
                prose()
            ),
        ),
    ];
    let r = site(&pages, None, "ppid-page");
    assert_eq!(r.status, RuleStatus::Fail);
    assert!(
        r.evidence
            .iter()
            .any(|e| e.message.contains("belum tersedia")),
        "{:?}",
        r.evidence
    );
}

#[test]
fn ppid_fail_when_nothing_matches() {
    let pages = [(
        "/",
        home(r#"<a href="/berita">Berita</a><a href="/happiddy">Happy</a>"#),
    )];
    let r = site(&pages, None, "ppid-page");
    assert_eq!(r.status, RuleStatus::Fail);
    assert!(r.evidence.is_empty());
    assert_eq!(
        r.reason.as_deref(),
        Some("PPID (information officer) page: no matching link, title, heading or URL on 1 crawled page(s)")
    );
}

#[test]
fn vision_mission_by_slug_and_structure_by_heading_with_chart() {
    let pages = [
        ("/", home(r#"<a href="/profil/visimisi.html">Profil</a>"#)),
        ("/profil/visimisi.html", format!("<body><p>{}</p></body>", prose())),
        (
            "/page/12",
            r#"<body><h1>Bagan Organisasi</h1><main><img src="/uploads/bagan.jpg" alt="Bagan"></main></body>"#.to_string(),
        ),
    ];
    assert_eq!(
        site(&pages, None, "profile-vision-mission").status,
        RuleStatus::Pass
    );
    let s = site(&pages, None, "organisation-structure");
    assert_eq!(s.status, RuleStatus::Pass);
    assert_eq!(s.evidence[0].url, format!("https://{HOST}/page/12"));
}

#[test]
fn contact_pass_partial_fail() {
    let footer = r#"<footer><h3>Hubungi Kami</h3><p>Jl. Abdul Malik Pattana Endeng, Mamuju. Telp. (0426) 21234</p></footer>"#;
    let pass = site(&[("/", home(footer))], None, "contact-info");
    assert_eq!(pass.status, RuleStatus::Pass);
    assert!(pass
        .evidence
        .iter()
        .any(|e| e.snippet.as_deref() == Some("(0426) 21234") && e.message == "Phone number"));

    let mail_only = site(
        &[(
            "/",
            home(r#"<a href="mailto:ppid@example.go.id?subject=x">Surel</a>"#),
        )],
        None,
        "contact-info",
    );
    assert_eq!(mail_only.status, RuleStatus::Partial);
    assert_eq!(
        mail_only.evidence[0].snippet.as_deref(),
        Some("ppid@example.go.id")
    );

    let entry_only = site(
        &[("/", home(r#"<a href="/kontak">Kontak</a>"#))],
        None,
        "contact-info",
    );
    assert_eq!(entry_only.status, RuleStatus::Partial);

    let none = site(&[("/", home(""))], None, "contact-info");
    assert_eq!(none.status, RuleStatus::Fail);
}

#[test]
fn freshness_thresholds_and_sources() {
    let page = |text: &str| vec![("/", format!("<body><p>{text}</p></body>"))];
    // now = 2026-11-29
    let r = site(
        &page("Diposting Jumat, 30 Oktober 2026 10:00 WITA"),
        None,
        "news-freshness",
    );
    assert_eq!(r.status, RuleStatus::Pass);
    assert_eq!(
        r.evidence[0].message,
        "Newest dated item: 2026-10-30 (30 days old)"
    );
    assert_eq!(r.evidence[0].snippet.as_deref(), Some("30 Oktober 2026"));
    let r = site(&page("01/08/2026"), None, "news-freshness");
    assert_eq!(r.status, RuleStatus::Partial);
    let r = site(&page("1 Mei 2026 dan 2 Mei 2025"), None, "news-freshness");
    assert_eq!(r.status, RuleStatus::Fail);
    assert_eq!(
        r.evidence[0].message,
        "Newest dated item: 2026-05-01 (212 days old)"
    );

    let machine = vec![(
        "/berita/1",
        r#"<head><meta property="article:published_time" content="2026-11-20T08:00:00+07:00"></head>
           <body><time datetime="2026-11-01">kemarin</time></body>"#
            .to_string(),
    )];
    let r = site(&machine, None, "news-freshness");
    assert_eq!(r.status, RuleStatus::Pass);
    assert_eq!(
        r.evidence[0].message,
        "Newest dated item: 2026-11-20 (9 days old)"
    );
}

#[test]
fn freshness_future_dates_are_ignored_and_reported() {
    let pages = vec![(
        "/",
        "<body>Agenda 15 Januari 2027 · Berita 1 Juli 2026</body>".to_string(),
    )];
    let r = site(&pages, None, "news-freshness");
    // 151 days is within partial_days (180).
    assert_eq!(r.status, RuleStatus::Partial);
    let messages: Vec<&str> = r.evidence.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "Newest dated item: 2026-07-01 (151 days old)",
            "Date in the future ignored: 2027-01-15"
        ]
    );
}

#[test]
fn freshness_unknown_on_home_page_only_fail_otherwise() {
    let one = vec![("/", "<body>tanpa tanggal</body>".to_string())];
    let r = site(&one, None, "news-freshness");
    assert_eq!(r.status, RuleStatus::Unknown);
    let two = vec![
        ("/", "<body>tanpa tanggal</body>".to_string()),
        ("/a", "<body>juga tanpa</body>".to_string()),
    ];
    assert_eq!(site(&two, None, "news-freshness").status, RuleStatus::Fail);
}

#[test]
fn https_available_from_site_facts() {
    let pages = [("/", home(""))];
    assert_eq!(
        site(&pages, Some(Ok(())), "https-available").status,
        RuleStatus::Pass
    );
    let r = site(
        &pages,
        Some(Err("certificate expired".to_string())),
        "https-available",
    );
    assert_eq!(r.status, RuleStatus::Fail);
    assert_eq!(r.evidence[0].message, "certificate expired");
    assert_eq!(r.evidence[0].url, format!("https://{HOST}/"));
    assert_eq!(
        site(&pages, None, "https-available").status,
        RuleStatus::Unknown
    );
}

#[test]
fn gambling_spam_hidden_injection_fails_with_hidden_flag() {
    let html = r#"<body><p>Jadwal slot waktu pendaftaran dibuka. Bandar Lampung.</p>
        <div style="position:absolute; left:-9999px"><a href="https://x.example/">Situs Slot Gacor Maxwin</a></div></body>"#;
    let r = site(&[("/", html.to_string())], None, "gambling-spam-keywords");
    assert_eq!(r.status, RuleStatus::Fail);
    assert_eq!(r.evidence.len(), 1);
    let e = &r.evidence[0];
    assert_eq!(e.snippet.as_deref(), Some("Situs Slot Gacor Maxwin"));
    assert_eq!(e.selector.as_deref(), Some("html > body > div > a"));
    assert_eq!(
        e.message,
        "Gambling term 'slot gacor' in text (hidden: injected content)"
    );
}

#[test]
fn gambling_spam_visible_single_term_is_partial_and_clean_text_passes() {
    let one = "<title>Dinas</title><body><p>Waspada togel ilegal</p></body>".to_string();
    assert_eq!(
        site(&[("/", one)], None, "gambling-spam-keywords").status,
        RuleStatus::Partial
    );
    let title = "<title>SLOT GACOR hari ini</title><body>x</body>".to_string();
    let r = site(&[("/", title)], None, "gambling-spam-keywords");
    assert_eq!(r.status, RuleStatus::Fail);
    assert!(r
        .evidence
        .iter()
        .any(|e| e.message == "Gambling term 'slot gacor' in title"));
    let clean =
        "<body><p>Slot kuota antrian, scatter plot data, Bandar Udara</p></body>".to_string();
    assert_eq!(
        site(&[("/", clean)], None, "gambling-spam-keywords").status,
        RuleStatus::Pass
    );
}

#[test]
fn headlines_and_article_slugs_that_mention_a_synonym_are_not_entries() {
    let menu = r#"<a href="/berita/optimalkan-pelayanan-keterbukaan-informasi-publik-dinas-kominfo-gelar-monev-ppid-2023">Optimalkan Pelayanan, Dinas Kominfo Gelar Monev PPID 2023 di Aula Kantor Bupati</a>"#;
    let r = site(&[("/", home(menu))], None, "ppid-page");
    assert_eq!(r.status, RuleStatus::Fail);
    let title = vec![(
        "/p/9",
        format!("<title>Visi dan Misi - Dinas Kominfo Provinsi Sulawesi Barat</title><body><p>{}</p></body>", prose()),
    )];
    assert_eq!(
        site(&title, None, "profile-vision-mission").status,
        RuleStatus::Pass
    );
}

#[test]
fn noscript_menu_links_count_as_entries() {
    let html = r#"<body><noscript><ul><li><a href="/ppid">PPID</a></li></ul></noscript></body>"#;
    let rules = RuleSet::embedded().expect("embedded rules");
    let page = Page::parse(
        url::Url::parse(&format!("https://{HOST}/")).expect("url"),
        200,
        html,
    );
    let links = rules.check_page(&page, &ctx()).evidence.matched_links();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].url, format!("https://{HOST}/ppid"));
    assert_eq!(links[0].text, "PPID");
    assert_eq!(rules.rules()[links[0].rule].id, "ppid-page");
}

#[test]
fn link_targets_match_crawled_pages_modulo_trailing_slash_and_markers() {
    let pages = [
        ("/", home(r#"<a href="/halaman/9/#top">PPID</a>"#)),
        ("/halaman/9", format!("<body><p>{}</p></body>", prose())),
    ];
    let r = site(&pages, None, "ppid-page");
    assert_eq!(r.status, RuleStatus::Pass);
    assert_eq!(r.evidence[0].url, format!("https://{HOST}/halaman/9/"));
    let empty = [
        ("/", home(r#"<a href="/halaman/9">PPID</a>"#)),
        (
            "/halaman/9/",
            format!("<body><p>Data belum tersedia. {}</p></body>", prose()),
        ),
    ];
    let r = site(&empty, None, "ppid-page");
    assert_eq!(r.status, RuleStatus::Fail);
    assert_eq!(
        r.evidence[0].message,
        "Link to PPID (information officer) page ('PPID' matched); target page says 'belum tersedia'"
    );
}

#[test]
fn short_vision_mission_page_passes_with_its_own_min_chars_but_short_ppid_page_is_partial() {
    // Both pages have the same ~150 characters of main text: enough for a Visi dan Misi page
    // (min_chars = 80 in rules/transparency.toml), not for a PPID page (default 200).
    let short = "<p>Pelayanan perizinan yang mudah, cepat, dan transparan bagi masyarakat.</p>\
                 <ol><li>Menyederhanakan prosedur perizinan.</li><li>Meningkatkan investasi daerah.</li></ol>";
    let pages = [
        ("/", home(r#"<a href="/visi-misi">Visi dan Misi</a> <a href="/ppid">PPID</a>"#)),
        ("/visi-misi", format!("<html lang=id><title>Visi dan Misi</title><body><main><h1>Visi dan Misi</h1>{short}</main></body></html>")),
        ("/ppid", format!("<html lang=id><title>PPID</title><body><main><h1>PPID</h1>{short}</main></body></html>")),
    ];
    let vm = site(&pages, None, "profile-vision-mission");
    assert_eq!(vm.status, RuleStatus::Pass, "{:?}", vm.reason);
    assert!(vm
        .evidence
        .iter()
        .any(|e| e.url == format!("https://{HOST}/visi-misi")));
    let ppid = site(&pages, None, "ppid-page");
    assert_eq!(ppid.status, RuleStatus::Partial, "{:?}", ppid.reason);
}

#[test]
fn visi_and_misi_sections_on_the_profile_page_pass() {
    // Many OPD sites put "Visi" and "Misi" as two sections of their Profil page.
    let profil = "<html lang=id><title>Profil Dinas</title><body><main><h1>Profil Dinas Pariwisata</h1>\
        <h2>Visi</h2><p>Sulawesi Barat sebagai destinasi wisata bahari dan budaya yang berdaya saing.</p>\
        <h2>Misi</h2><ol><li>Mengembangkan destinasi wisata berbasis budaya.</li><li>Meningkatkan promosi.</li></ol>\
        </main></body></html>";
    let pages = [
        ("/", home(r#"<a href="/profil">Profil</a>"#)),
        ("/profil", profil.to_string()),
    ];
    let vm = site(&pages, None, "profile-vision-mission");
    assert_eq!(vm.status, RuleStatus::Pass, "{:?}", vm.reason);
    let ev = &vm.evidence[0];
    assert_eq!(ev.url, format!("https://{HOST}/profil"));
    assert_eq!(
        ev.message,
        "Vision and mission: section heading on a page with content"
    );
}
