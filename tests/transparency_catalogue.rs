//! Every transparency rule of the catalogue against the fixture province
//! `fixtures/transparency/` (`kaltaraprov.go.id`, see its README): one agency where it passes
//! (bapenda, the exemplary site) and one where it fails or is partial (dinsos), asserted rule by
//! rule, with the evidence of the interesting failures.

mod transparency_support;

use pantau::rules::FetchSeen;
use pantau::scorecard::RuleStatus::{self, Fail, Partial, Pass};
use transparency_support::{audit, transparency_ids, ALL_TYPES, DOMAIN};

fn bapenda() -> transparency_support::Audited {
    audit(&format!("bapenda.{DOMAIN}"), Some(ALL_TYPES), &[])
}

/// dinsos, with a one-hop check saying the JDIH link gets no answer.
fn dinsos() -> transparency_support::Audited {
    let jdih_dead = FetchSeen {
        url: "https://jdih.kaltaraprov.go.id/".to_string(),
        status: None,
        content_type: None,
        head: Vec::new(),
    };
    audit(&format!("dinsos.{DOMAIN}"), Some(ALL_TYPES), &[jdih_dead])
}

#[test]
fn every_rule_passes_on_the_exemplary_agency() {
    let a = bapenda();
    let ids = transparency_ids(&a.rules);
    assert_eq!(ids.len(), 62);
    let not_passing: Vec<String> = ids
        .iter()
        .filter(|id| a.status(id) != Pass)
        .map(|id| format!("{id}: {:?} {:?}", a.status(id), a.get(id).reason))
        .collect();
    assert!(not_passing.is_empty(), "{not_passing:#?}");
    // Every pass carries evidence that names a URL of the agency or the service it links.
    for id in &ids {
        let r = a.get(id);
        assert!(!r.evidence.is_empty(), "{id} passes without evidence");
        assert!(
            r.evidence.iter().all(|e| e.url.starts_with("https://")),
            "{id}: {:?}",
            r.evidence
        );
    }
}

/// The expected status of every rule on the poor agency: none passes.
const DINSOS: &[(&str, RuleStatus)] = &[
    ("contact-info", Partial),
    ("site-official-email", Fail),
    ("site-updated", Fail),
    ("site-links-work", Fail),
    ("site-search", Fail),
    ("profile-vision-mission", Fail),
    ("profile-duties-functions", Partial),
    ("organisation-structure", Fail),
    ("profile-officials", Fail),
    ("profile-wealth-reports", Fail),
    ("profile-seat-address", Fail),
    ("profile-units", Fail),
    ("profile-overview", Fail),
    ("ppid-page", Fail),
    ("ppid-profile", Fail),
    ("ppid-dip", Fail),
    ("ppid-periodic", Fail),
    ("ppid-immediate", Fail),
    ("ppid-anytime", Fail),
    ("ppid-exempt", Fail),
    ("ppid-request", Fail),
    ("ppid-objection", Fail),
    ("ppid-charter-sop", Fail),
    ("ppid-annual-report", Fail),
    ("ppid-access-summary", Fail),
    ("plan-renstra", Partial),
    ("plan-renja", Fail),
    ("perf-agreement", Fail),
    ("perf-indicators", Fail),
    ("perf-report-lkjip", Partial),
    ("plan-programmes", Fail),
    ("budget-rka", Fail),
    ("budget-dpa", Fail),
    ("budget-realisation", Fail),
    ("budget-financial-statements", Fail),
    ("budget-assets", Fail),
    ("budget-tpad", Fail),
    ("procurement-plan", Fail),
    ("procurement-eproc", Fail),
    ("procurement-results", Fail),
    ("service-standards", Fail),
    ("service-charter", Fail),
    ("service-survey", Fail),
    ("complaint-channel", Partial),
    ("complaint-sp4n-lapor", Partial),
    ("complaint-followup", Fail),
    ("integrity-wbs", Fail),
    ("integrity-zone", Fail),
    ("service-sop", Fail),
    ("service-online", Fail),
    ("legal-regulations", Fail),
    ("legal-jdih", Fail),
    ("data-sectoral", Fail),
    ("data-satu-data", Fail),
    ("news-freshness", Fail),
    ("comm-agenda", Fail),
    ("comm-gallery", Fail),
    ("comm-announcements", Fail),
    ("comm-social-media", Fail),
    ("comm-faq", Fail),
    ("info-early-warning", Fail),
    ("info-employment", Fail),
];

#[test]
fn every_rule_fails_or_is_partial_on_the_poor_agency() {
    let a = dinsos();
    let ids = transparency_ids(&a.rules);
    let listed: Vec<&str> = DINSOS.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, listed, "the table lists every rule in catalogue order");
    let wrong: Vec<String> = DINSOS
        .iter()
        .filter(|(id, want)| a.status(id) != *want)
        .map(|(id, want)| {
            format!(
                "{id}: want {want:?}, got {:?} {:?}",
                a.status(id),
                a.get(id).reason
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

fn has(a: &transparency_support::Audited, id: &str, needle: &str) -> bool {
    a.get(id).evidence.iter().any(|e| {
        e.message.contains(needle) || e.snippet.as_deref().is_some_and(|s| s.contains(needle))
    })
}

#[test]
fn poor_agency_evidence_names_the_fault() {
    let a = dinsos();
    let base = format!("https://dinsos.{DOMAIN}");
    // A menu entry whose page says "belum tersedia": nil evidence, fail, evidence kept.
    let vm = a.get("profile-vision-mission");
    assert_eq!(vm.evidence[0].url, format!("{base}/"));
    assert_eq!(
        vm.evidence[0].message,
        "Link to Vision and mission ('Visi dan Misi' matched); target page says 'belum tersedia'"
    );
    // A dead document link (404).
    assert!(
        has(&a, "organisation-structure", "target is dead (HTTP 404)"),
        "{:?}",
        a.messages("organisation-structure")
    );
    assert!(has(
        &a,
        "budget-financial-statements",
        "document link is dead (HTTP 404)"
    ));
    // A PDF whose year is stale.
    assert!(
        a.messages("plan-renstra").contains(
            &"Strategic plan (Renstra): pdf document for 2016-2021 is stale: needs a period ending 2026 or later (year from file name)".to_string()
        ),
        "{:?}",
        a.messages("plan-renstra")
    );
    assert!(has(
        &a,
        "perf-report-lkjip",
        "pdf document for 2019 is stale"
    ));
    // A ".pdf" link that answers an HTML error page.
    assert!(has(
        &a,
        "budget-dpa",
        "link looks like a document but answers an HTML page"
    ));
    // The share of document links that open: 2 of 5 (two 404s and one HTML answer).
    assert_eq!(
        a.get("site-links-work").reason.as_deref(),
        Some("Document links work: 2 of 5 checked document link(s) open (40%; needs 90%)")
    );
    assert!(has(
        &a,
        "site-links-work",
        "Document link does not open: dead (HTTP 404)"
    ));
    assert!(has(
        &a,
        "site-links-work",
        "Document link does not open: answers an HTML page"
    ));
    // A page with too little text: weak evidence.
    assert!(has(
        &a,
        "profile-duties-functions",
        "page has no substantial content"
    ));
    // Free-mail contact.
    let email = a.get("site-official-email");
    assert_eq!(
        email.evidence[0].snippet.as_deref(),
        Some("dinsos.kaltara@gmail.com")
    );
    assert_eq!(
        email.evidence[0].message,
        "Free-mail address (gmail/yahoo) given as a contact"
    );
    // "LAPOR!" names the service but links an internal page.
    assert!(has(&a, "complaint-sp4n-lapor", "'LAPOR!' matched"));
    // Share buttons are not accounts.
    assert!(a.get("comm-social-media").evidence.is_empty());
    // The one-hop check said the JDIH link is dead.
    assert_eq!(
        a.messages("legal-jdih"),
        vec!["Legal documentation network (JDIH): link to jdih.kaltaraprov.go.id is dead (no answer)"]
    );
    // Dates: the newest is old; an agenda date in the future is flagged, not counted.
    assert_eq!(
        a.get("news-freshness").reason.as_deref(),
        Some("newest dated item 2025-12-20 is 346 days old (pass ≤ 90 days, partial ≤ 180 days)")
    );
    let agenda = a.messages("comm-agenda");
    assert_eq!(
        agenda,
        vec![
            "Newest dated item: 2025-03-03 (638 days old)",
            "Date in the future ignored: 2027-06-16"
        ]
    );
}

#[test]
fn without_the_one_hop_check_a_service_link_passes_on_presence() {
    let a = audit(&format!("dinsos.{DOMAIN}"), Some(ALL_TYPES), &[]);
    assert_eq!(a.status("legal-jdih"), Pass);
    assert_eq!(
        a.messages("legal-jdih"),
        vec!["Legal documentation network (JDIH): link to jdih.kaltaraprov.go.id (present; not followed)"]
    );
}

#[test]
fn exemplary_agency_documents_are_verified_with_their_years() {
    let a = bapenda();
    assert!(
        a.messages("perf-report-lkjip").contains(
            &"Performance report (LKjIP): pdf document for 2025 (year from file name; type verified by the crawl)".to_string()
        ),
        "{:?}",
        a.messages("perf-report-lkjip")
    );
    // XLSX by magic bytes and the _headers Content-Type; CSV by Content-Type.
    assert!(has(&a, "budget-rka", "sheet document for 2026"));
    assert!(has(&a, "data-sectoral", "sheet document for 2025"));
    // A JPEG charter on the charter's page (link text "Unduh").
    assert!(has(
        &a,
        "service-charter",
        "image document (type verified by the crawl)"
    ));
    // LHKPN through the KPK service.
    assert!(has(
        &a,
        "profile-wealth-reports",
        "link to the service elhkpn.kpk.go.id"
    ));
    // The social media accounts, not share buttons.
    let social: Vec<String> = a
        .get("comm-social-media")
        .evidence
        .iter()
        .filter_map(|e| e.snippet.clone())
        .collect();
    assert_eq!(
        social,
        vec![
            "→ https://www.instagram.com/bapenda_kaltara/",
            "→ https://www.youtube.com/@bapendakaltara"
        ]
    );
    // The agenda counts a coming date within 90 days.
    assert_eq!(
        a.get("comm-agenda").reason.as_deref(),
        Some("newest dated item 2026-12-10 is coming (within 90 days ahead)")
    );
}

#[test]
fn catalogue_metadata_is_complete_and_consistent() {
    let rules = pantau::rules::RuleSet::embedded().expect("rules");
    let groups = [
        "availability",
        "profile",
        "ppid",
        "performance",
        "budget",
        "procurement",
        "public-service",
        "legal",
        "data",
        "communication",
    ];
    for r in rules
        .rules()
        .iter()
        .filter(|r| r.category == pantau::rules::Category::Transparency)
    {
        let d = r
            .description
            .as_ref()
            .unwrap_or_else(|| panic!("{}: no description", r.id));
        assert!(!d.id.is_empty() && !d.en.is_empty(), "{}", r.id);
        let group = r
            .group
            .as_deref()
            .unwrap_or_else(|| panic!("{}: no group", r.id));
        assert!(groups.contains(&group), "{}: group {group}", r.id);
        // Research §2: critical 5, high 3, medium 2, low 1.
        let weight = match r.severity.as_str() {
            "critical" => 5.0,
            "serious" => 3.0,
            "moderate" => 2.0,
            "minor" => 1.0,
            other => panic!("{}: severity {other}", r.id),
        };
        assert_eq!(r.weight, weight, "{}", r.id);
        assert!(r.source.contains("transparency-rules.md §"), "{}", r.id);
    }
    let by_id = |id: &str| {
        rules
            .rules()
            .iter()
            .find(|r| r.id == id)
            .unwrap_or_else(|| panic!("no rule {id}"))
    };
    assert_eq!(by_id("budget-tpad").applies_to, vec!["fin"]);
    assert_eq!(by_id("service-charter").applies_to, vec!["svc"]);
    assert_eq!(by_id("legal-jdih").weight_by_type.get("hukum"), Some(&5.0));
    assert_eq!(
        by_id("info-early-warning").weight_by_type.get("bpbd"),
        Some(&5.0)
    );
    assert_eq!(
        by_id("data-satu-data").weight_by_type.get("kominfo"),
        Some(&3.0)
    );
    // Items the research marks (verify) say so in their source.
    for id in [
        "complaint-channel",
        "service-standards",
        "profile-wealth-reports",
        "legal-jdih",
    ] {
        assert!(by_id(id).source.contains("unverified"), "{id}");
    }
}

#[test]
fn rules_list_prints_the_catalogue_in_indonesian_and_english() {
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pantau"))
            .args(args)
            .output()
            .expect("pantau runs");
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let id = run(&["rules", "list", "--category", "transparency"]);
    assert_eq!(id.lines().count(), 62);
    assert!(id.contains("Daftar Informasi Publik (DIP)"));
    assert!(!id.contains("List of public information (DIP)"));
    let en = run(&[
        "rules",
        "list",
        "--category",
        "transparency",
        "--lang",
        "en",
    ]);
    assert!(en.contains("List of public information (DIP)"));
    assert!(en.lines().all(|l| l.contains("transparency")));
}
