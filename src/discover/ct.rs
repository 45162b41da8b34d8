//! Certificate-transparency exports (`--ct FILE`): the host names certificates were issued for.
//!
//! The format is crt.sh's JSON output (`https://crt.sh/?q=%25.<domain>&output=json`): an array
//! of objects whose `name_value` holds newline-separated names (SAN entries, possibly `*.`
//! wildcards) and whose `common_name` holds one more. Other fields are ignored. pantau never
//! queries crt.sh itself; the user downloads the export.

use super::DiscoverError;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The host names of a certificate-transparency export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtExport {
    /// The file the names came from (recorded in provenance).
    pub file: PathBuf,
    /// Every name, lower case, `*.` and a trailing dot removed, valid host names only, sorted and
    /// deduplicated (all domains: discovery keeps those under its domain).
    pub names: Vec<String>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    name_value: Option<String>,
    #[serde(default)]
    common_name: Option<String>,
}

/// Load a crt.sh JSON export. Errors: [`DiscoverError::CtRead`] when the file cannot be read,
/// [`DiscoverError::CtInvalid`] (with line and column) when it is not a JSON array of objects.
pub fn load_ct_export(path: &Path) -> Result<CtExport, DiscoverError> {
    let text = std::fs::read_to_string(path).map_err(|source| DiscoverError::CtRead {
        path: path.to_path_buf(),
        source,
    })?;
    parse_ct_export(path, &text)
}

/// [`load_ct_export`] over text already read.
pub fn parse_ct_export(path: &Path, text: &str) -> Result<CtExport, DiscoverError> {
    let entries: Vec<Entry> = serde_json::from_str(text).map_err(|e| DiscoverError::CtInvalid {
        path: path.to_path_buf(),
        message: format!("{e}; expected crt.sh JSON: an array of objects with \"name_value\""),
    })?;
    let names: BTreeSet<String> = entries
        .iter()
        .flat_map(|e| {
            e.name_value
                .iter()
                .flat_map(|v| v.lines())
                .chain(e.common_name.as_deref())
        })
        .filter_map(ct_name)
        .collect();
    Ok(CtExport {
        file: path.to_path_buf(),
        names: names.into_iter().collect(),
    })
}

/// One certificate name as a host: trimmed, lower case, `*.` and one trailing dot removed;
/// `None` unless a host name (e-mail addresses and IPs appear in SANs too).
fn ct_name(raw: &str) -> Option<String> {
    let n = raw.trim().to_ascii_lowercase();
    let n = n.strip_prefix("*.").unwrap_or(&n);
    let n = n.strip_suffix('.').unwrap_or(n);
    super::is_host_name(n).then(|| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_crt_sh_json() {
        let text = r#"[
          {"issuer_ca_id": 1, "common_name": "sulbarprov.go.id",
           "name_value": "sulbarprov.go.id\nwww.sulbarprov.go.id", "id": 10},
          {"common_name": "*.sulbarprov.go.id", "name_value": "*.sulbarprov.go.id\nDisHub.SulbarProv.go.id."},
          {"name_value": "admin@sulbarprov.go.id\n10.0.0.1\n\n  bkd.sulbarprov.go.id  "},
          {"id": 12}
        ]"#;
        let ct = parse_ct_export(Path::new("ct.json"), text).expect("valid");
        assert_eq!(ct.file, PathBuf::from("ct.json"));
        assert_eq!(
            ct.names,
            vec![
                "bkd.sulbarprov.go.id",
                "dishub.sulbarprov.go.id",
                "sulbarprov.go.id",
                "www.sulbarprov.go.id"
            ]
        );
        assert_eq!(
            parse_ct_export(Path::new("ct.json"), "[]")
                .expect("empty")
                .names,
            Vec::<String>::new()
        );
    }

    #[test]
    fn bad_exports_are_errors_naming_the_file() {
        let err = parse_ct_export(Path::new("ct.json"), "{\"name_value\": \"x\"}").unwrap_err();
        assert!(
            err.to_string()
                == "ct.json is not a certificate-transparency export: invalid type: map, expected \
                    a sequence at line 1 column 0; expected crt.sh JSON: an array of objects \
                    with \"name_value\"",
            "{err}"
        );
        let err = parse_ct_export(Path::new("ct.json"), "[{\"name_value\": 3}]").unwrap_err();
        assert!(err.to_string().contains("at line 1 column"), "{err}");
        let err = load_ct_export(Path::new("/nonexistent/ct.json")).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("cannot read the certificate-transparency export /nonexistent/ct.json:"));
    }
}
