//! Discovery from every source over the `fixtures/sulbar` province: DNS guesses answered by an
//! in-process resolver (no real DNS), the certificate-transparency export
//! `fixtures/ct/sulbarprov.go.id.json`, application hosts, the off-domain OPD site linked from
//! `/perangkat-daerah/`, and the province coverage (`province.json`), as
//! `fixtures/sulbar/README.md` promises.

use pantau::discover::{
    discover, discover_with, load_ct_export, province_coverage, Application, ApplicationKind,
    CoverageStatus, DiscoverOptions, MapResolver, Nomenclature, OffDomainKind, OffDomainSite,
    Provenance, UnitMatch,
};
use pantau::fetch::{
    FetchSettings, Fetcher, ResolveOverride, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TIMEOUT_MS,
};
use pantau::fixture::FixtureServer;
use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ct_file() -> PathBuf {
    repo().join("fixtures/ct/sulbarprov.go.id.json")
}

fn fetcher_for(server: &FixtureServer) -> Fetcher {
    let addr = server.addr();
    Fetcher::new(FetchSettings {
        user_agent: "pantau/test (+https://example.invalid/)".to_string(),
        robots_token: "pantau".to_string(),
        rate_per_host: 0.0,
        connect_timeout: Duration::from_millis(DEFAULT_CONNECT_TIMEOUT_MS),
        timeout: Duration::from_millis(DEFAULT_TIMEOUT_MS),
        max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        resolve: vec![
            ResolveOverride {
                host: "*.sulbarprov.go.id".to_string(),
                addr,
            },
            ResolveOverride {
                host: "sulbarprov.go.id".to_string(),
                addr,
            },
        ],
        extra_root_certs_pem: vec![server.ca_cert_pem().to_string()],
        ..FetchSettings::default()
    })
    .expect("fetcher")
}

/// The province's DNS as the tests see it: what the fixture serves plus `jdih` (an application)
/// and `bpbd` (resolves, but nothing answers). Addresses do not matter: the fetcher connects to
/// the fixture server through its resolve overrides.
fn resolver() -> MapResolver {
    MapResolver::with(
        &[
            "sulbarprov.go.id",
            "dinkes.sulbarprov.go.id",
            "diskominfo.sulbarprov.go.id",
            "dishub.sulbarprov.go.id",
            "jdih.sulbarprov.go.id",
            "bpbd.sulbarprov.go.id",
        ],
        IpAddr::V4(Ipv4Addr::LOCALHOST),
    )
}

fn portal(page: &str) -> Provenance {
    Provenance::PortalLink {
        page: format!("https://sulbarprov.go.id{page}"),
    }
}

#[tokio::test]
async fn dns_and_ct_find_what_the_portal_does_not_list() {
    let server = FixtureServer::start(&repo().join("fixtures/sulbar"), 0)
        .await
        .expect("start");
    let fetcher = Arc::new(fetcher_for(&server));
    let ct = load_ct_export(&ct_file()).expect("CT export");
    let ct_prov = Provenance::CertificateTransparency {
        file: ct_file().display().to_string(),
    };
    let options = DiscoverOptions {
        dns: true,
        resolver: Some(Arc::new(resolver())),
        ct: Some(ct),
        ..DiscoverOptions::default()
    };
    // Spawned, as the audit runs it: the discovery future must be Send.
    let found = tokio::spawn({
        let fetcher = fetcher.clone();
        async move { discover_with("sulbarprov.go.id", &fetcher, &[], None, &options).await }
    })
    .await
    .expect("task")
    .expect("discovery");

    let got: Vec<(&str, &str, Vec<Provenance>)> = found
        .agencies
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str(), a.provenance.clone()))
        .collect();
    let opd = portal("/perangkat-daerah/");
    assert_eq!(
        got,
        vec![
            ("bapenda", "Badan Pendapatan Daerah", vec![opd.clone()]),
            (
                "bappeda",
                "Badan Perencanaan Pembangunan Daerah",
                vec![opd.clone()]
            ),
            // Only in the CT export (as bkd. and www.bkd.); named by its home page's title.
            (
                "bkd",
                "Badan Kepegawaian Daerah Provinsi Sulawesi Barat",
                vec![ct_prov.clone()]
            ),
            (
                "bpbd",
                "Badan Penanggulangan Bencana Daerah",
                vec![opd.clone(), Provenance::Dns]
            ),
            (
                "dinkes",
                "Dinas Kesehatan",
                vec![
                    portal("/berita/posyandu-prima/"),
                    opd.clone(),
                    Provenance::Dns
                ]
            ),
            (
                "disdik",
                "Dinas Pendidikan dan Kebudayaan",
                vec![opd.clone()]
            ),
            // Not on the portal, not in the sitemap: only DNS finds it.
            (
                "dishub",
                "Dinas Perhubungan Provinsi Sulawesi Barat",
                vec![Provenance::Dns]
            ),
            (
                "diskominfo",
                "Dinas Komunikasi, Informatika dan Persandian",
                vec![
                    portal("/"),
                    portal("/berita/rakor-spbe-2026/"),
                    opd.clone(),
                    Provenance::Dns,
                    ct_prov.clone()
                ]
            ),
            ("dispar", "Dinas Pariwisata", vec![opd.clone()]),
            (
                "dlh",
                "Dinas Lingkungan Hidup Provinsi Sulawesi Barat",
                vec![Provenance::Sitemap {
                    sitemap: "https://sulbarprov.go.id/sitemap.xml".to_string()
                }]
            ),
            (
                "dpmptsp",
                "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
                vec![opd.clone()]
            ),
            ("inspektorat", "Inspektorat Daerah", vec![opd.clone()]),
            (
                "rsud",
                "Rumah Sakit Umum Daerah Provinsi Sulawesi Barat",
                vec![portal("/pemerintahan/biro/")]
            ),
        ]
    );
    // mail., webmail., autodiscover., cpanel. (CT) and the portal's mail link are skipped;
    // jdih., lpse., simpeg. are listed, not audited.
    assert_eq!(
        found.applications,
        vec![
            Application {
                host: "jdih.sulbarprov.go.id".into(),
                kind: ApplicationKind::PublicService,
                label: "jdih".into(),
                name: None,
                provenance: vec![Provenance::Dns],
            },
            Application {
                host: "lpse.sulbarprov.go.id".into(),
                kind: ApplicationKind::PublicService,
                label: "lpse".into(),
                name: None,
                provenance: vec![ct_prov.clone()],
            },
            Application {
                host: "simpeg.sulbarprov.go.id".into(),
                kind: ApplicationKind::StaffSystem,
                label: "simpeg".into(),
                name: None,
                provenance: vec![ct_prov.clone()],
            },
        ]
    );
    // lapor.go.id and kemendagri.go.id are linked too, but their texts name no OPD.
    assert_eq!(
        found.off_domain,
        vec![OffDomainSite {
            name: "Badan Pengelolaan Keuangan dan Aset Daerah".into(),
            url: "https://bpkadsulbar.go.id/".into(),
            host: "bpkadsulbar.go.id".into(),
            kind: OffDomainKind::OtherGoId,
            units: vec!["bpkad".into()],
            pages: vec!["https://sulbarprov.go.id/perangkat-daerah/".into()],
        }]
    );
    assert_eq!(
        found.dns_names_tried,
        Nomenclature::builtin().dns_labels().len()
    );
    assert_eq!(found.problems, Vec::<String>::new());

    // province.json
    let coverage = province_coverage(&found, Nomenclature::builtin());
    let unit = |id: &str| {
        coverage
            .units
            .iter()
            .find(|u| u.unit == id)
            .unwrap_or_else(|| panic!("unit {id}"))
    };
    assert_eq!(unit("perhubungan").status, CoverageStatus::Found);
    assert_eq!(unit("perhubungan").sites[0].host, "dishub.sulbarprov.go.id");
    assert_eq!(unit("bkd").status, CoverageStatus::Found);
    assert_eq!(
        unit("rsud").sites[0].matched_by,
        UnitMatch::SubdomainToken {
            token: "rsud*".into()
        }
    );
    assert_eq!(unit("bpkad").status, CoverageStatus::OffDomain);
    assert_eq!(
        unit("bpkad").sites[0].off_domain,
        Some(OffDomainKind::OtherGoId)
    );
    assert_eq!(unit("bpkad").sites[0].agency_id, None);
    assert_eq!(unit("sosial").status, CoverageStatus::NoSiteFound);
    assert_eq!(coverage.unmatched_agencies, Vec::<String>::new());
    assert_eq!(coverage.expected_units, 44);
    assert_eq!(coverage.expected_found, 13);
    assert_eq!(
        coverage.expected_missing,
        vec![
            "biro-adpem",
            "biro-adpim",
            "biro-hukum",
            "biro-kesra",
            "biro-organisasi",
            "biro-pbj",
            "biro-pemerintahan",
            "biro-perekonomian",
            "biro-umum",
            "bpsdm",
            "dp3a",
            "esdm",
            "kebudayaan",
            "kehutanan",
            "kelautan-perikanan",
            "kesbangpol",
            "koperasi",
            "pangan",
            "pemuda-olahraga",
            "perindag",
            "perkim",
            "perpustakaan",
            "pertanian",
            "pmd",
            "pupr",
            "satpolpp",
            "setda",
            "setwan",
            "sosial",
            "tenaga-kerja",
        ]
    );
    let json = serde_json::to_value(&coverage).expect("json");
    assert_eq!(json["domain"], "sulbarprov.go.id");
    server.shutdown().await;
}

#[tokio::test]
async fn wildcard_dns_is_detected_and_guesses_are_not_used() {
    let server = FixtureServer::start(&repo().join("fixtures/sulbar"), 0)
        .await
        .expect("start");
    let fetcher = fetcher_for(&server);
    let options = DiscoverOptions {
        resolver: Some(Arc::new(MapResolver::with(
            &["*.sulbarprov.go.id"],
            IpAddr::V4(Ipv4Addr::LOCALHOST),
        ))),
        ..DiscoverOptions::default()
    };
    let found = discover_with("sulbarprov.go.id", &fetcher, &[], None, &options)
        .await
        .expect("discovery");
    let plain = discover("sulbarprov.go.id", &fetcher, &[], None)
        .await
        .expect("discovery");
    assert_eq!(found.agencies, plain.agencies);
    assert!(!found.agencies.iter().any(|a| a.id == "dishub"));
    assert_eq!(found.dns_names_tried, 0);
    assert_eq!(
        found.problems,
        vec![
            "wildcard DNS: a random name under sulbarprov.go.id resolves, so DNS guesses cannot \
             tell real hosts; DNS discovery skipped"
                .to_string()
        ]
    );
    server.shutdown().await;
}
