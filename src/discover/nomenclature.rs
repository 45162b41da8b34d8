//! The OPD nomenclature as data: which units (organisasi perangkat daerah) a province is
//! expected to have, what they are called, and which subdomain tokens their sites use.
//!
//! The built-in table is `rules/nomenclature/opd.toml` (research file `transparency-rules.md` §6,
//! after PP 18/2016, Permendagri 56/2019, UU 23/2014), compiled in with `include_str!`;
//! [`Nomenclature::load`] reads a replacement file of the same shape.
//!
//! Matching (§6: "match tokens after removing hyphens and the leading www."):
//! - a host label matches a unit when, with `-` removed and lower-cased, it equals one of the
//!   unit's tokens; only when no unit has such a token, a token ending in `*` matches labels
//!   starting with the rest (`rsud*` matches `rsudmamuju`);
//! - a text (link text, title, agency name) matches a unit when one of its `names` or
//!   `short_names` occurs in it as whole words after [`name_words`] normalisation.

use super::DiscoverError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

/// The built-in nomenclature file, `rules/nomenclature/opd.toml`.
pub const BUILTIN_NOMENCLATURE: &str = include_str!("../../rules/nomenclature/opd.toml");

/// Applicability codes a unit may carry besides `all` (research §2).
pub const TYPE_CODES: &[&str] = &["svc", "fin", "insp", "bpbd", "kominfo", "hukum"];

/// What an application host is (research §6): listed in the discovery, never audited as an OPD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    /// A province-wide service host (PPID, JDIH, Satu Data, LPSE/SPSE, SiRUP, complaints, CSIRT):
    /// an evidence source for the OPDs, not an OPD.
    PublicService,
    /// A staff system (SIMPEG, SIPD, e-Kinerja, presensi, SIASN, Srikandi, e-surat).
    StaffSystem,
}

/// One expected unit of the provincial apparatus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    /// Stable key (`kesehatan`, `bappeda`, …): `a-z0-9-`.
    pub id: String,
    /// Canonical Indonesian name ("Dinas Kesehatan").
    pub name: String,
    /// English gloss.
    pub name_en: String,
    /// Applicability codes besides `all`, from [`TYPE_CODES`], sorted.
    pub types: Vec<String>,
    /// Common short names ("Dinkes").
    pub short_names: Vec<String>,
    /// Phrases that name the unit; `name` is always among them.
    pub names: Vec<String>,
    /// Subdomain tokens, lower case without `-`; a trailing `*` is a prefix pattern.
    pub tokens: Vec<String>,
    /// False for units only some provinces have (a border agency, a liaison office).
    pub expected: bool,
}

/// The loaded nomenclature: units in file order and the application labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nomenclature {
    /// The units, in file order, ids unique.
    pub units: Vec<Unit>,
    /// Leftmost labels of application hosts and their kind.
    pub applications: BTreeMap<String, ApplicationKind>,
}

/// How a host or a text matched a unit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case", tag = "by")]
pub enum UnitMatch {
    /// The host's naming label equals (or, for `*` tokens, starts with) `token`.
    SubdomainToken {
        /// The token of the nomenclature that matched.
        token: String,
    },
    /// The text contains `phrase` (one of the unit's names or short names) as whole words.
    Name {
        /// The name or short name that matched, as written in the nomenclature.
        phrase: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    applications: RawApplications,
    #[serde(default)]
    unit: Vec<toml::Spanned<RawUnit>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawApplications {
    #[serde(default)]
    public_service: Vec<String>,
    #[serde(default)]
    staff_system: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    id: String,
    name: String,
    name_en: String,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    short_names: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    tokens: Vec<String>,
    #[serde(default = "yes")]
    expected: bool,
}

fn yes() -> bool {
    true
}

/// Lower-case a host label and drop `-` (the matching key of §6).
pub fn label_key(label: &str) -> String {
    label
        .chars()
        .filter(|c| *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of a name or text for matching: lower case, `&` read as "dan", every character
/// that is not a letter or digit a separator ("Dinas Komunikasi, Informatika & Persandian" →
/// `dinas komunikasi informatika dan persandian`).
pub fn name_words(text: &str) -> Vec<String> {
    text.replace('&', " dan ")
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// True when `phrase` occurs in `words` as a contiguous run of whole words.
fn contains_words(words: &[String], phrase: &[String]) -> bool {
    !phrase.is_empty() && words.windows(phrase.len()).any(|w| w == phrase)
}

/// True for a token: 1–63 characters of `a-z0-9`, optionally ending in `*`.
fn valid_token(token: &str) -> bool {
    let body = token.strip_suffix('*').unwrap_or(token);
    !body.is_empty()
        && body.len() <= 63
        && body
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

impl Nomenclature {
    /// The built-in nomenclature (`rules/nomenclature/opd.toml`), parsed once.
    ///
    /// The file is compiled in and checked by this module's tests, so it always parses; should
    /// it not (a broken build), the result is an empty nomenclature rather than a panic.
    pub fn builtin() -> &'static Nomenclature {
        static BUILTIN: OnceLock<Nomenclature> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Nomenclature::parse(BUILTIN_NOMENCLATURE, "rules/nomenclature/opd.toml").unwrap_or(
                Nomenclature {
                    units: Vec::new(),
                    applications: BTreeMap::new(),
                },
            )
        })
    }

    /// Load a nomenclature file of the built-in's shape (see `rules/nomenclature/opd.toml`).
    ///
    /// Errors: [`DiscoverError::NomenclatureRead`]; [`DiscoverError::NomenclatureInvalid`] with
    /// the file and line.
    pub fn load(path: &Path) -> Result<Nomenclature, DiscoverError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| DiscoverError::NomenclatureRead {
                path: path.to_path_buf(),
                source,
            })?;
        Nomenclature::parse(&text, &path.display().to_string())
    }

    /// Parse nomenclature TOML; `origin` names the file in errors.
    ///
    /// Checked: TOML shape (unknown keys refused), unique unit ids of `a-z0-9-`, type codes from
    /// [`TYPE_CODES`], tokens of `a-z0-9` with an optional trailing `*` (hyphens are removed
    /// first), no token in two units or in a unit and `[applications]`, non-empty names.
    /// Errors: [`DiscoverError::NomenclatureInvalid`] with the 1-based line of the unit.
    pub fn parse(text: &str, origin: &str) -> Result<Nomenclature, DiscoverError> {
        let invalid = |line: usize, message: String| DiscoverError::NomenclatureInvalid {
            origin: origin.to_string(),
            line,
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| super::line_of(text, s.start)).unwrap_or(1);
            invalid(line, super::collapse_whitespace(e.message()))
        })?;
        let mut applications = BTreeMap::new();
        for (labels, kind) in [
            (
                &raw.applications.public_service,
                ApplicationKind::PublicService,
            ),
            (&raw.applications.staff_system, ApplicationKind::StaffSystem),
        ] {
            for label in labels {
                let key = label_key(label);
                if !valid_token(&key) || key.ends_with('*') {
                    return Err(invalid(
                        1,
                        format!("[applications]: `{label}` is not a host label (a-z, 0-9, -)"),
                    ));
                }
                if applications.insert(key, kind).is_some() {
                    return Err(invalid(
                        1,
                        format!("[applications]: `{label}` is listed twice"),
                    ));
                }
            }
        }
        let mut units = Vec::new();
        let mut ids = BTreeSet::new();
        let mut token_owner: BTreeMap<String, String> = BTreeMap::new();
        for spanned in raw.unit {
            let line = super::line_of(text, spanned.span().start);
            let u = spanned.into_inner();
            let here = |m: String| invalid(line, format!("unit `{}`: {m}", u.id));
            if u.id.is_empty()
                || !u
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(here("the id must be a-z, 0-9 and '-'".to_string()));
            }
            if !ids.insert(u.id.clone()) {
                return Err(here("the id is used twice".to_string()));
            }
            if u.name.trim().is_empty() || u.name_en.trim().is_empty() {
                return Err(here("`name` and `name_en` must not be empty".to_string()));
            }
            let mut types = u.types.clone();
            types.sort();
            types.dedup();
            if let Some(bad) = types.iter().find(|t| !TYPE_CODES.contains(&t.as_str())) {
                return Err(here(format!(
                    "unknown type `{bad}` (known: {})",
                    TYPE_CODES.join(", ")
                )));
            }
            if u.tokens.is_empty() {
                return Err(here("`tokens` is empty".to_string()));
            }
            let mut tokens = Vec::new();
            for token in &u.tokens {
                let key = label_key(token);
                if !valid_token(&key) {
                    return Err(here(format!(
                        "token `{token}` is not a host label (a-z, 0-9, -, optional trailing *)"
                    )));
                }
                if applications.contains_key(&key) {
                    return Err(here(format!(
                        "token `{token}` is also an application label in [applications]"
                    )));
                }
                if let Some(owner) = token_owner.insert(key.clone(), u.id.clone()) {
                    return Err(here(format!(
                        "token `{token}` is also a token of `{owner}`"
                    )));
                }
                tokens.push(key);
            }
            let mut names: Vec<String> = Vec::new();
            for n in std::iter::once(&u.name).chain(&u.names) {
                let n = super::collapse_whitespace(n);
                if name_words(&n).is_empty() {
                    return Err(here("a name has no words".to_string()));
                }
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            if u.short_names.iter().any(|s| name_words(s).is_empty()) {
                return Err(here("a short name has no words".to_string()));
            }
            units.push(Unit {
                id: u.id,
                name: super::collapse_whitespace(&u.name),
                name_en: super::collapse_whitespace(&u.name_en),
                types,
                short_names: u.short_names,
                names,
                tokens,
                expected: u.expected,
            });
        }
        Ok(Nomenclature {
            units,
            applications,
        })
    }

    /// The application kind of a host whose leftmost label (with `-` removed) is an application
    /// label, e.g. `simpeg` → staff system, `jdih` → public service.
    pub fn application_kind(&self, label: &str) -> Option<ApplicationKind> {
        self.applications.get(&label_key(label)).copied()
    }

    /// The units whose tokens match a host label (see the module doc), each with the token,
    /// in nomenclature order. Exact tokens win; `*` tokens only apply when none matched.
    pub fn units_for_label(&self, label: &str) -> Vec<(&Unit, UnitMatch)> {
        let key = label_key(label);
        let hits = |exact: bool| -> Vec<(&Unit, UnitMatch)> {
            self.units
                .iter()
                .filter_map(|u| {
                    u.tokens
                        .iter()
                        .find(|t| match t.strip_suffix('*') {
                            Some(prefix) => !exact && key.starts_with(prefix),
                            None => exact && **t == key,
                        })
                        .map(|t| (u, UnitMatch::SubdomainToken { token: t.clone() }))
                })
                .collect()
        };
        let exact = hits(true);
        if exact.is_empty() {
            hits(false)
        } else {
            exact
        }
    }

    /// The units named in `text` (a link text, a title, an agency name), each with the phrase
    /// that matched, in nomenclature order: a unit's names first, then its short names.
    pub fn units_for_name(&self, text: &str) -> Vec<(&Unit, UnitMatch)> {
        let words = name_words(text);
        self.units
            .iter()
            .filter_map(|u| {
                u.names
                    .iter()
                    .chain(&u.short_names)
                    .find(|p| contains_words(&words, &name_words(p)))
                    .map(|p| (u, UnitMatch::Name { phrase: p.clone() }))
            })
            .collect()
    }

    /// The labels tried in DNS discovery: every token without `*` and every application label,
    /// sorted and deduplicated.
    pub fn dns_labels(&self) -> Vec<String> {
        let set: BTreeSet<String> = self
            .units
            .iter()
            .flat_map(|u| u.tokens.iter())
            .filter(|t| !t.ends_with('*'))
            .cloned()
            .chain(self.applications.keys().cloned())
            .collect();
        set.into_iter().collect()
    }

    /// The applicability codes of an agency for the transparency rules: `all`, plus the types
    /// of the units its host label matches, else of the units its name matches; sorted.
    /// `host_label` is the agency's naming label (its id without a uniqueness suffix).
    pub fn types_for(&self, host_label: &str, name: &str) -> Vec<String> {
        let mut units = self.units_for_label(host_label);
        if units.is_empty() {
            units = self.units_for_name(name);
        }
        let set: BTreeSet<String> = std::iter::once("all".to_string())
            .chain(units.iter().flat_map(|(u, _)| u.types.iter().cloned()))
            .collect();
        set.into_iter().collect()
    }

    /// [`Nomenclature::types_for`] of a discovered agency of `domain` (its naming label is the
    /// leftmost label under the domain, a leading `www` dropped): what the transparency rules'
    /// applicability is matched against, e.g. `["all", "fin", "svc"]` for
    /// `bapenda.sulbarprov.go.id`.
    pub fn agency_types(&self, agency: &super::Agency, domain: &str) -> Vec<String> {
        self.types_for(&Self::naming_label(agency, domain), &agency.name)
    }

    /// [`Nomenclature::agency_types`], or `None` when no unit matches the agency's label or
    /// name: its type is unknown, which is not the same as "a unit with no special type".
    pub fn known_agency_types(&self, agency: &super::Agency, domain: &str) -> Option<Vec<String>> {
        let label = Self::naming_label(agency, domain);
        let matched = !self.units_for_label(&label).is_empty()
            || !self.units_for_name(&agency.name).is_empty();
        matched.then(|| self.types_for(&label, &agency.name))
    }

    fn naming_label(agency: &super::Agency, domain: &str) -> String {
        super::naming_labels(&agency.host, domain)
            .into_iter()
            .next()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Nomenclature {
        Nomenclature::parse(BUILTIN_NOMENCLATURE, "rules/nomenclature/opd.toml")
            .expect("the built-in nomenclature parses")
    }

    fn ids(hits: &[(&Unit, UnitMatch)]) -> Vec<String> {
        hits.iter().map(|(u, _)| u.id.clone()).collect()
    }

    #[test]
    fn builtin_loads_with_every_research_row() {
        let n = builtin();
        assert_eq!(Nomenclature::builtin(), &n);
        assert_eq!(n.units.len(), 49);
        assert_eq!(n.units.iter().filter(|u| u.expected).count(), 44);
        let kominfo = n.units.iter().find(|u| u.id == "kominfo").expect("kominfo");
        assert_eq!(kominfo.types, vec!["kominfo"]);
        assert_eq!(
            kominfo.names,
            vec!["Dinas Komunikasi dan Informatika", "Dinas Komunikasi"]
        );
        assert_eq!(
            n.application_kind("simpeg"),
            Some(ApplicationKind::StaffSystem)
        );
        assert_eq!(
            n.application_kind("Satu-Data"),
            Some(ApplicationKind::PublicService)
        );
        assert_eq!(n.application_kind("dinkes"), None);
        let labels = n.dns_labels();
        assert!(labels.contains(&"dishub".to_string()));
        assert!(labels.contains(&"jdih".to_string()));
        assert!(!labels.iter().any(|l| l.contains('*') || l.contains('-')));
        assert!(labels.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn token_matching() {
        let n = builtin();
        assert_eq!(ids(&n.units_for_label("dinkes")), vec!["kesehatan"]);
        assert_eq!(ids(&n.units_for_label("Biro-Hukum")), vec!["biro-hukum"]);
        assert_eq!(
            n.units_for_label("rsudmamuju")[0].1,
            UnitMatch::SubdomainToken {
                token: "rsud*".into()
            }
        );
        // An exact bureau token wins over the `biro*` pattern of the Sekretariat Daerah.
        assert_eq!(ids(&n.units_for_label("birokesra")), vec!["biro-kesra"]);
        assert_eq!(ids(&n.units_for_label("biroinfrastruktur")), vec!["setda"]);
        assert_eq!(ids(&n.units_for_label("uptdlabkes")), vec!["upt"]);
        assert!(n.units_for_label("dinkesx").is_empty());
        assert!(n.units_for_label("simpeg").is_empty());
    }

    #[test]
    fn name_matching() {
        let n = builtin();
        assert_eq!(
            name_words("Dinas Komunikasi, Informatika & Persandian"),
            vec!["dinas", "komunikasi", "informatika", "dan", "persandian"]
        );
        assert_eq!(
            ids(&n.units_for_name("Dinas Komunikasi, Informatika dan Persandian")),
            vec!["kominfo"]
        );
        assert_eq!(
            n.units_for_name("Website BAPPEDA Sulbar")[0].1,
            UnitMatch::Name {
                phrase: "Bappeda".into()
            }
        );
        // A merged dinas names both affairs.
        assert_eq!(
            ids(&n.units_for_name("Dinas Pendidikan dan Kebudayaan")),
            vec!["pendidikan"]
        );
        assert_eq!(
            ids(&n.units_for_name("Dinas Kebudayaan dan Pariwisata")),
            vec!["kebudayaan"]
        );
        // Whole words only; unrelated links name nothing.
        assert!(n.units_for_name("Dinkesehatan").is_empty());
        assert!(n.units_for_name("SP4N-LAPOR!").is_empty());
        assert!(n.units_for_name("Kementerian Dalam Negeri").is_empty());
    }

    #[test]
    fn types_for_agencies() {
        let n = builtin();
        assert_eq!(n.types_for("bpbd", ""), vec!["all", "bpbd", "svc"]);
        assert_eq!(n.types_for("bapenda", ""), vec!["all", "fin", "svc"]);
        assert_eq!(n.types_for("diskominfo", ""), vec!["all", "kominfo"]);
        assert_eq!(
            n.types_for("bappedasultra", "Bappeda Provinsi Sulawesi Tenggara"),
            vec!["all", "fin"]
        );
        assert_eq!(n.types_for("xyz", "Unknown"), vec!["all"]);
        let agency = |host: &str, name: &str| super::super::Agency {
            id: "x".into(),
            host: host.into(),
            name: name.into(),
            provenance: vec![],
            explicit: false,
            aliases: vec![],
        };
        let d = "sulbarprov.go.id";
        assert_eq!(
            n.agency_types(&agency("www.inspektorat.sulbarprov.go.id", "x"), d),
            vec!["all", "insp"]
        );
        assert_eq!(
            n.agency_types(
                &agency("bpbd-sulbar.blogspot.com", "BPBD Sulawesi Barat"),
                d
            ),
            vec!["all", "bpbd", "svc"]
        );
    }

    #[test]
    fn invalid_files_name_the_line() {
        let unit = |body: &str| {
            format!("[[unit]]\nid = \"a\"\nname = \"Dinas A\"\nname_en = \"A\"\n{body}\n")
        };
        let cases = [
            (
                unit("tokens = [\"a\"]\ntypes = [\"xyz\"]"),
                1,
                "unknown type `xyz`",
            ),
            (
                unit("tokens = [\"a b\"]"),
                1,
                "token `a b` is not a host label",
            ),
            (unit("tokens = []"), 1, "`tokens` is empty"),
            (
                format!("{}{}", unit("tokens = [\"a\"]"), unit("tokens = [\"b\"]")),
                6,
                "the id is used twice",
            ),
            (
                format!(
                    "{}[[unit]]\nid = \"b\"\nname = \"B\"\nname_en = \"B\"\ntokens = [\"A\"]\n",
                    unit("tokens = [\"a\"]")
                ),
                6,
                "token `A` is also a token of `a`",
            ),
            (
                format!(
                    "[applications]\nstaff_system = [\"a\"]\n{}",
                    unit("tokens = [\"a\"]")
                ),
                3,
                "also an application label",
            ),
            (
                unit("tokens = [\"a\"]\ncolour = 1"),
                6,
                "unknown field `colour`",
            ),
        ];
        for (text, line, message) in cases {
            match Nomenclature::parse(&text, "n.toml") {
                Err(DiscoverError::NomenclatureInvalid {
                    origin,
                    line: l,
                    message: m,
                }) => {
                    assert_eq!(origin, "n.toml");
                    assert_eq!(l, line, "{text:?}: {m}");
                    assert!(m.contains(message), "{text:?}: {m}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        let err = Nomenclature::load(Path::new("/nonexistent/n.toml")).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("cannot read the nomenclature /nonexistent/n.toml:"));
    }
}
