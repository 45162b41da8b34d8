//! The variants each check kind must meet, on the fixture agency dlh (`fixtures/transparency/
//! dlh.kaltaraprov.go.id`): links only in the footer, slugs only (camelCase), menus hidden in
//! dropdowns, Drive and flipbook documents, a document on the item's page named "Unduh" with its
//! year in the upload folder, an image charter, dates in every format with a future date,
//! JSON-LD; and the applicability of rules by agency type.

mod transparency_support;

use pantau::scorecard::RuleStatus::{NotApplicable, Pass, Unknown};
use transparency_support::{audit, ALL_TYPES, DOMAIN};

fn dlh() -> transparency_support::Audited {
    audit(&format!("dlh.{DOMAIN}"), Some(ALL_TYPES), &[])
}

#[test]
fn ppid_link_only_in_the_footer_passes() {
    let a = dlh();
    let r = a.get("ppid-page");
    assert_eq!(r.status, Pass);
    assert!(
        r.evidence.iter().any(
            |e| e.url == format!("https://dlh.{DOMAIN}/informasi-publik/")
                && e.message.contains("page with content")
        ),
        "{:?}",
        r.evidence
    );
}

#[test]
fn camel_case_slug_with_a_vague_link_text_passes() {
    let a = dlh();
    let r = a.get("profile-vision-mission");
    assert_eq!(r.status, Pass, "{:?}", r.reason);
    assert_eq!(
        r.evidence[0].message,
        "Vision and mission: page with content, URL slug (visi-misi)"
    );
    assert_eq!(
        r.evidence[0].url,
        format!("https://dlh.{DOMAIN}/page/VisiMisi/")
    );
}

#[test]
fn menu_hidden_in_a_dropdown_counts() {
    let a = dlh();
    assert_eq!(a.status("profile-duties-functions"), Pass);
    assert_eq!(a.status("organisation-structure"), Pass);
}

#[test]
fn drive_and_flipbook_documents_pass_without_a_fetch() {
    let a = dlh();
    assert_eq!(
        a.messages("perf-report-lkjip"),
        vec!["Performance report (LKjIP): viewer document for 2025 (year from link text; type from the link; not fetched)"]
    );
    assert_eq!(
        a.messages("plan-renstra"),
        vec!["Strategic plan (Renstra): viewer document for 2025-2029 (year from link text; type from the link; not fetched)"]
    );
}

#[test]
fn document_on_the_items_page_takes_its_year_from_the_upload_folder() {
    let a = dlh();
    assert_eq!(
        a.messages("budget-dpa"),
        vec!["Budget implementation document (DPA): pdf document for 2026 (year from upload folder; type verified by the crawl)"]
    );
    let charter = a.get("service-charter");
    assert_eq!(charter.status, Pass);
    assert_eq!(
        charter.evidence[0].snippet.as_deref(),
        Some("Unduh → https://dlh.kaltaraprov.go.id/files/maklumat.png")
    );
}

#[test]
fn official_and_free_mail_both_reported() {
    let a = dlh();
    let r = a.get("site-official-email");
    assert_eq!(r.status, Pass);
    let got: Vec<(Option<&str>, &str)> = r
        .evidence
        .iter()
        .map(|e| (e.snippet.as_deref(), e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some("dlh@kaltaraprov.go.id"), "Official e-mail address"),
            (
                Some("dlh.kaltara@gmail.com"),
                "Free-mail address (gmail/yahoo) given as a contact"
            ),
        ]
    );
}

#[test]
fn dates_in_every_format_json_ld_newest_and_the_future_flagged() {
    let a = dlh();
    let r = a.get("news-freshness");
    assert_eq!(r.status, Pass);
    let got: Vec<(Option<&str>, &str)> = r
        .evidence
        .iter()
        .map(|e| (e.snippet.as_deref(), e.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("JSON-LD datePublished 2026-11-28"),
                "Newest dated item: 2026-11-28 (3 days old)"
            ),
            (
                Some("15 Maret 2027"),
                "Date in the future ignored: 2027-03-15"
            ),
        ]
    );
}

#[test]
fn agency_type_decides_applicability_and_weight() {
    let host = format!("dinsos.{DOMAIN}");
    // A social-service agency: the budget-transparency menu is for finance bodies only.
    let svc = audit(&host, Some(&["svc"]), &[]);
    let tpad = svc.get("budget-tpad");
    assert_eq!(tpad.status, NotApplicable);
    assert_eq!(
        tpad.reason.as_deref(),
        Some("applies to agency types fin only; this agency is svc")
    );
    assert!(tpad.evidence.is_empty());
    assert_eq!(svc.get("service-charter").weight, None);
    // The nomenclature's codes include "all" (discover `Nomenclature::agency_types`).
    let plain = audit(&host, Some(&["all"]), &[]);
    assert_eq!(
        plain.get("budget-tpad").reason.as_deref(),
        Some("applies to agency types fin only; this agency is of no listed type")
    );
    let both = audit(&host, Some(&["all", "fin", "svc"]), &[]);
    assert_ne!(both.status("budget-tpad"), NotApplicable);
    // Type unknown: rules for some types only are unknown, rules for all are checked.
    let unknown = audit(&host, None, &[]);
    assert_eq!(unknown.status("service-charter"), Unknown);
    assert_eq!(
        unknown.get("service-charter").reason.as_deref(),
        Some("applies to agency types svc only; the agency's type is unknown")
    );
    assert_ne!(unknown.status("ppid-page"), Unknown);
    // weight_by_type: the JDIH is critical for the Biro Hukum, WBS serious for the Inspektorat.
    let hukum = audit(&host, Some(&["hukum"]), &[]);
    assert_eq!(hukum.get("legal-jdih").weight, Some(5.0));
    assert_eq!(hukum.get("integrity-wbs").weight, None);
    let insp = audit(&host, Some(&["insp"]), &[]);
    assert_eq!(insp.get("integrity-wbs").weight, Some(3.0));
    assert_eq!(insp.get("legal-jdih").weight, None);
}
