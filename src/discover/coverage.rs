//! Province coverage (`province.json`): every unit of the nomenclature with the site found for
//! it, or "no site found". A missing OPD site is itself a transparency failure the province must
//! see (UU 14/2008 Ps. 9 makes every badan publik announce its information; issue 4 item 3).

use super::{naming_labels, Discovery, OffDomainKind, UnitMatch};
use crate::discover::Nomenclature;
use serde::Serialize;

/// What was found for one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    /// At least one site under the provincial domain.
    Found,
    /// Only sites outside the provincial domain (another go.id name, blogspot, …).
    OffDomain,
    /// No site: neither the portal, its sitemaps, DNS, CT nor the seed list gave one.
    NoSiteFound,
}

/// One site credited to a unit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CoverageSite {
    /// Lower-case host.
    pub host: String,
    /// The agency's id when the site is audited (an [`super::Agency`]); `None` for an off-domain
    /// link that is only reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_id: Option<String>,
    /// Set when the host is outside the provincial domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub off_domain: Option<OffDomainKind>,
    /// Why the site counts for this unit: its subdomain token or its name.
    pub matched_by: UnitMatch,
}

/// One unit of the nomenclature and what was found for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitCoverage {
    /// The unit's id in the nomenclature.
    pub unit: String,
    /// Canonical Indonesian name.
    pub name: String,
    /// English gloss.
    pub name_en: String,
    /// Applicability codes besides `all`.
    pub types: Vec<String>,
    /// False for units only some provinces have.
    pub expected: bool,
    /// Found, off the domain, or no site found.
    pub status: CoverageStatus,
    /// The sites credited to it, sorted by host.
    pub sites: Vec<CoverageSite>,
}

/// The province's coverage of the nomenclature, written as `province.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvinceCoverage {
    /// The provincial domain.
    pub domain: String,
    /// Units the nomenclature expects in every province.
    pub expected_units: usize,
    /// Expected units with a site under the domain.
    pub expected_found: usize,
    /// Ids of expected units with no site at all, sorted: the finding.
    pub expected_missing: Vec<String>,
    /// Every unit, sorted by id.
    pub units: Vec<UnitCoverage>,
    /// Hosts of agencies that match no unit (by token or name), sorted.
    pub unmatched_agencies: Vec<String>,
}

/// Build the coverage of `discovery` against `nomenclature`.
///
/// An agency counts for the units its naming label matches by token; when none does, for the
/// units its name matches ([`Nomenclature::units_for_name`]). An agency outside the domain (a
/// seed such as `bappedasultra.go.id`) is marked `off_domain`. Each
/// [`super::OffDomainSite`] counts for the units its link text named. Deterministic: units by
/// id, sites by host.
pub fn province_coverage(discovery: &Discovery, nomenclature: &Nomenclature) -> ProvinceCoverage {
    let domain = discovery.domain.as_str();
    let mut units: Vec<UnitCoverage> = nomenclature
        .units
        .iter()
        .map(|u| UnitCoverage {
            unit: u.id.clone(),
            name: u.name.clone(),
            name_en: u.name_en.clone(),
            types: u.types.clone(),
            expected: u.expected,
            status: CoverageStatus::NoSiteFound,
            sites: Vec::new(),
        })
        .collect();
    let mut unmatched = Vec::new();
    for agency in &discovery.agencies {
        let label = naming_labels(&agency.host, domain)
            .into_iter()
            .next()
            .unwrap_or_default();
        let mut hits = nomenclature.units_for_label(&label);
        if hits.is_empty() {
            hits = nomenclature.units_for_name(&agency.name);
        }
        if hits.is_empty() {
            unmatched.push(agency.host.clone());
        }
        let inside = agency.host.ends_with(&format!(".{domain}"));
        let off_domain = (!inside).then(|| {
            if agency.host.ends_with(".go.id") {
                OffDomainKind::OtherGoId
            } else {
                OffDomainKind::NonGovernment
            }
        });
        for (unit, matched_by) in hits {
            if let Some(cov) = units.iter_mut().find(|c| c.unit == unit.id) {
                cov.sites.push(CoverageSite {
                    host: agency.host.clone(),
                    agency_id: Some(agency.id.clone()),
                    off_domain,
                    matched_by,
                });
            }
        }
    }
    for site in &discovery.off_domain {
        for unit in &site.units {
            let Some(cov) = units.iter_mut().find(|c| &c.unit == unit) else {
                continue;
            };
            if cov.sites.iter().any(|s| s.host == site.host) {
                continue;
            }
            let matched_by = nomenclature
                .units_for_name(&site.name)
                .into_iter()
                .find(|(u, _)| &u.id == unit)
                .map(|(_, m)| m)
                .unwrap_or(UnitMatch::Name {
                    phrase: site.name.clone(),
                });
            cov.sites.push(CoverageSite {
                host: site.host.clone(),
                agency_id: None,
                off_domain: Some(site.kind),
                matched_by,
            });
        }
    }
    for cov in &mut units {
        cov.sites.sort();
        cov.status = if cov.sites.iter().any(|s| s.off_domain.is_none()) {
            CoverageStatus::Found
        } else if cov.sites.is_empty() {
            CoverageStatus::NoSiteFound
        } else {
            CoverageStatus::OffDomain
        };
    }
    units.sort_by(|a, b| a.unit.cmp(&b.unit));
    unmatched.sort();
    let expected: Vec<&UnitCoverage> = units.iter().filter(|u| u.expected).collect();
    ProvinceCoverage {
        domain: domain.to_string(),
        expected_units: expected.len(),
        expected_found: expected
            .iter()
            .filter(|u| u.status == CoverageStatus::Found)
            .count(),
        expected_missing: expected
            .iter()
            .filter(|u| u.status == CoverageStatus::NoSiteFound)
            .map(|u| u.unit.clone())
            .collect(),
        unmatched_agencies: unmatched,
        units,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{Agency, OffDomainSite, Provenance};

    fn agency(id: &str, host: &str, name: &str) -> Agency {
        Agency {
            id: id.into(),
            host: host.into(),
            name: name.into(),
            provenance: vec![Provenance::Dns],
            explicit: false,
            aliases: vec![],
        }
    }

    fn unit<'a>(c: &'a ProvinceCoverage, id: &str) -> &'a UnitCoverage {
        c.units.iter().find(|u| u.unit == id).expect("unit")
    }

    #[test]
    fn coverage_by_token_name_and_off_domain() {
        let n = Nomenclature::builtin();
        let discovery = Discovery {
            domain: "sulbarprov.go.id".into(),
            portal_pages_fetched: 1,
            agencies: vec![
                agency("dinkes", "dinkes.sulbarprov.go.id", "Dinkes"),
                agency("bappeda", "bappeda.sulbarprov.go.id", "Bappeda"),
                agency("bapperida", "bapperida.sulbarprov.go.id", "Bapperida"),
                agency(
                    "kantor-x",
                    "kantor-x.sulbarprov.go.id",
                    "Dinas Sosial Provinsi",
                ),
                agency(
                    "bappedasultra",
                    "bappedasultra.go.id",
                    "Website Bappeda Sultra",
                ),
                agency("zzz", "zzz.sulbarprov.go.id", "Sesuatu"),
            ],
            applications: vec![],
            off_domain: vec![OffDomainSite {
                name: "Dinas Perhubungan".into(),
                url: "https://dishub-sulbar.blogspot.com/".into(),
                host: "dishub-sulbar.blogspot.com".into(),
                kind: OffDomainKind::NonGovernment,
                units: vec!["perhubungan".into()],
                pages: vec!["https://sulbarprov.go.id/".into()],
            }],
            dns_names_tried: 0,
            problems: vec![],
        };
        let c = province_coverage(&discovery, n);
        assert_eq!(c, province_coverage(&discovery, n), "deterministic");
        assert_eq!(c.domain, "sulbarprov.go.id");
        assert_eq!(c.units.len(), n.units.len());
        assert!(c.units.windows(2).all(|w| w[0].unit < w[1].unit));

        let kes = unit(&c, "kesehatan");
        assert_eq!(kes.status, CoverageStatus::Found);
        assert_eq!(
            kes.sites,
            vec![CoverageSite {
                host: "dinkes.sulbarprov.go.id".into(),
                agency_id: Some("dinkes".into()),
                off_domain: None,
                matched_by: UnitMatch::SubdomainToken {
                    token: "dinkes".into()
                },
            }]
        );
        let hosts = |id: &str| -> Vec<String> {
            unit(&c, id).sites.iter().map(|s| s.host.clone()).collect()
        };
        assert_eq!(
            hosts("bappeda"),
            vec![
                "bappeda.sulbarprov.go.id",
                "bappedasultra.go.id",
                "bapperida.sulbarprov.go.id"
            ]
        );
        assert_eq!(
            unit(&c, "bappeda").sites[1].off_domain,
            Some(OffDomainKind::OtherGoId)
        );
        // Name match when the host label names nothing.
        assert_eq!(
            unit(&c, "sosial").sites[0].matched_by,
            UnitMatch::Name {
                phrase: "Dinas Sosial".into()
            }
        );
        let hub = unit(&c, "perhubungan");
        assert_eq!(hub.status, CoverageStatus::OffDomain);
        assert_eq!(hub.sites[0].agency_id, None);
        assert_eq!(hub.sites[0].off_domain, Some(OffDomainKind::NonGovernment));
        assert_eq!(unit(&c, "bpbd").status, CoverageStatus::NoSiteFound);
        assert!(!unit(&c, "perbatasan").expected);
        assert_eq!(c.unmatched_agencies, vec!["zzz.sulbarprov.go.id"]);
        assert_eq!(
            c.expected_units,
            n.units.iter().filter(|u| u.expected).count()
        );
        assert_eq!(c.expected_found, 3); // kesehatan, bappeda, sosial
        assert_eq!(c.expected_missing.len(), c.expected_units - 4);
        assert!(!c.expected_missing.contains(&"perhubungan".to_string()));
        assert!(c.expected_missing.contains(&"bpbd".to_string()));
        assert!(!c.expected_missing.contains(&"perbatasan".to_string()));
        let json = serde_json::to_value(&c).expect("json");
        assert_eq!(json["units"][0]["status"], "no_site_found");
        assert_eq!(
            serde_json::to_value(kes).expect("json")["sites"][0]["matched_by"],
            serde_json::json!({"by": "subdomain_token", "token": "dinkes"})
        );
    }
}
