//! Discovery end to end over the `fixtures/sulbar` province: the exact agency list of
//! `fixtures/sulbar/README.md` (ids, names, provenance), through the real `Fetcher`.

use pantau::discover::{
    discover, load_seed_list, Agency, OffDomainKind, OffDomainSite, Provenance,
};
use pantau::fetch::{
    FetchSettings, Fetcher, ResolveOverride, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES,
    DEFAULT_TIMEOUT_MS,
};
use pantau::fixture::FixtureServer;
use std::path::PathBuf;
use std::time::Duration;

fn sulbar_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/sulbar")
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

fn portal(page: &str) -> Provenance {
    Provenance::PortalLink {
        page: format!("https://sulbarprov.go.id{page}"),
    }
}

fn agency(id: &str, name: &str, provenance: Vec<Provenance>) -> Agency {
    Agency {
        id: id.to_string(),
        host: format!("{id}.sulbarprov.go.id"),
        name: name.to_string(),
        provenance,
        explicit: false,
        aliases: vec![],
    }
}

/// The agency list promised by `fixtures/sulbar/README.md`.
fn expected() -> Vec<Agency> {
    let opd = || vec![portal("/perangkat-daerah/")];
    vec![
        agency("bapenda", "Badan Pendapatan Daerah", opd()),
        agency("bappeda", "Badan Perencanaan Pembangunan Daerah", opd()),
        agency("bpbd", "Badan Penanggulangan Bencana Daerah", opd()),
        agency(
            "dinkes",
            "Dinas Kesehatan",
            vec![
                portal("/berita/posyandu-prima/"),
                portal("/perangkat-daerah/"),
            ],
        ),
        agency("disdik", "Dinas Pendidikan dan Kebudayaan", opd()),
        agency(
            "diskominfo",
            "Dinas Komunikasi, Informatika dan Persandian",
            vec![
                portal("/"),
                portal("/berita/rakor-spbe-2026/"),
                portal("/perangkat-daerah/"),
            ],
        ),
        agency("dispar", "Dinas Pariwisata", opd()),
        agency(
            "dlh",
            "Dinas Lingkungan Hidup Provinsi Sulawesi Barat",
            vec![Provenance::Sitemap {
                sitemap: "https://sulbarprov.go.id/sitemap.xml".to_string(),
            }],
        ),
        agency(
            "dpmptsp",
            "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
            opd(),
        ),
        agency("inspektorat", "Inspektorat Daerah", opd()),
        agency(
            "rsud",
            "Rumah Sakit Umum Daerah Provinsi Sulawesi Barat",
            vec![portal("/pemerintahan/biro/")],
        ),
    ]
}

#[tokio::test]
async fn discovers_the_sulbar_agencies() {
    let server = FixtureServer::start(&sulbar_dir(), 0).await.expect("start");
    let fetcher = std::sync::Arc::new(fetcher_for(&server));
    // Spawned, as the audit runs it: the discovery future must be Send.
    let found = tokio::spawn({
        let fetcher = fetcher.clone();
        async move { discover("sulbarprov.go.id", &fetcher, &[], None).await }
    })
    .await
    .expect("task")
    .expect("discovery");
    assert_eq!(found.domain, "sulbarprov.go.id");
    assert_eq!(found.portal_pages_fetched, 9);
    assert_eq!(found.agencies, expected());
    // The portal links bpkadsulbar.go.id from `/perangkat-daerah/`: an OPD off the domain.
    assert_eq!(
        found.off_domain,
        vec![OffDomainSite {
            name: "Badan Pengelolaan Keuangan dan Aset Daerah".to_string(),
            url: "https://bpkadsulbar.go.id/".to_string(),
            host: "bpkadsulbar.go.id".to_string(),
            kind: OffDomainKind::OtherGoId,
            units: vec!["bpkad".to_string()],
            pages: vec!["https://sulbarprov.go.id/perangkat-daerah/".to_string()],
        }]
    );
    // `discover` does no DNS and reads no CT export: dishub and bkd stay unknown.
    assert_eq!(found.dns_names_tried, 0);
    assert_eq!(found.applications, vec![]);
    assert_eq!(found.problems, Vec::<String>::new());
    server.shutdown().await;
}

#[tokio::test]
async fn seeds_override_names_and_add_hosts() {
    let server = FixtureServer::start(&sulbar_dir(), 0).await.expect("start");
    let fetcher = fetcher_for(&server);
    let dir = tempfile::tempdir().expect("tempdir");
    let seed_path = dir.path().join("agencies.toml");
    std::fs::write(
        &seed_path,
        "[[agency]]\nhost = \"dinkes.sulbarprov.go.id\"\nname = \"Dinkes Prov. Sulbar\"\n\n\
         [[agency]]\nhost = \"kesbangpol.sulbarprov.go.id\"\nname = \"Badan Kesatuan Bangsa dan Politik\"\n",
    )
    .expect("write seeds");
    let seeds = load_seed_list(&seed_path).expect("seeds");
    let found = discover("sulbarprov.go.id", &fetcher, &seeds, Some(&seed_path))
        .await
        .expect("discovery");
    let seed = Provenance::SeedList {
        file: seed_path.display().to_string(),
    };
    let mut want = expected();
    for a in &mut want {
        if a.id == "dinkes" {
            a.name = "Dinkes Prov. Sulbar".to_string();
            a.provenance.push(seed.clone());
            a.explicit = true;
        }
    }
    let mut kesbangpol = agency(
        "kesbangpol",
        "Badan Kesatuan Bangsa dan Politik",
        vec![seed.clone()],
    );
    kesbangpol.explicit = true;
    want.push(kesbangpol);
    want.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(found.agencies, want);
}
