//! Settings: `pantau.toml` + command-line flags → one resolved [`Settings`] with defaults.
//!
//! One struct serves clap and the TOML file: every field is an `Option`, the file is read with
//! unknown keys rejected, and [`Settings::merge`] gives precedence CLI > file > default.
//! `pantau.example.toml` lists every key; a test keeps it in step with the flags.

use crate::crawl::{DEFAULT_MAX_DEPTH, DEFAULT_MAX_PAGES};
use crate::fetch::{
    FetchSettings, ResolveOverride, DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_CONTACT_URL,
    DEFAULT_MAX_BODY_BYTES, DEFAULT_RATE_PER_HOST, DEFAULT_TIMEOUT_MS,
};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Default number of agencies crawled at the same time.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// Highest `--rate` accepted, requests per second per host (the per-IP limit is twice it;
/// anything faster is no limit at all: use 0).
pub const MAX_RATE: f64 = 10_000.0;
/// Default output directory.
pub const DEFAULT_OUT_DIR: &str = "out";

/// Crawl and run settings shared by `audit`, `demo` and `discover`; each is a flag and a
/// `pantau.toml` key of the same name.
#[derive(Debug, Clone, Default, PartialEq, clap::Args, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// Read settings from this TOML file (keys as the long flags); flags win over the file.
    #[arg(long, value_name = "FILE")]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// Rule directory (`*.toml`); default: the catalogue built into pantau.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Output directory; each run writes `OUT/<run-id>/` and points `OUT/latest` at it [default: out].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Pages fetched at most per agency [default: 200].
    #[arg(long, value_name = "N")]
    pub max_pages: Option<usize>,
    /// Link depth at most from the home page (home = 0) [default: 5].
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,
    /// Requests per second per host; 0 turns the limit off [default: 2].
    #[arg(long, value_name = "RPS", allow_negative_numbers = true)]
    pub rate: Option<f64>,
    /// Agencies crawled at the same time [default: 4].
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    /// Connect timeout in milliseconds [default: 10000].
    #[arg(long, value_name = "MS")]
    pub connect_timeout_ms: Option<u64>,
    /// Timeout of one response in milliseconds [default: 30000].
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,
    /// Cap on one response body in bytes [default: 5242880].
    #[arg(long, value_name = "BYTES")]
    pub max_body_bytes: Option<u64>,
    /// Contact URL put in the User-Agent, so site owners can reach whoever runs pantau.
    #[arg(long, value_name = "URL")]
    pub contact: Option<String>,
    /// Send connections for HOST (or *.DOMAIN) to IP:PORT, keeping URL and Host header (repeatable).
    #[arg(long, value_name = "HOST:IP:PORT")]
    pub resolve: Option<Vec<String>>,
    /// Trust this extra root certificate (PEM) (repeatable).
    #[arg(long = "ca-cert", value_name = "FILE")]
    pub ca_cert: Option<Vec<PathBuf>>,
    /// Stop starting new work after this many seconds; finished agencies keep their scorecards.
    #[arg(long, value_name = "SECONDS")]
    pub deadline: Option<u64>,
    /// Judge freshness as of this date (YYYY-MM-DD) instead of the run's start time.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Do not guess OPD host names in DNS from the nomenclature (always off with --resolve).
    #[arg(long, action = clap::ArgAction::SetTrue)]
    #[serde(default)]
    pub no_dns: bool,
    /// Certificate-transparency export (crt.sh JSON) whose names under the domain are agencies.
    #[arg(long, value_name = "FILE")]
    pub ct: Option<PathBuf>,
    /// Allow connections to loopback, private and link-local addresses found by DNS or in a
    /// URL (an intranet audit); off by default, so a go.id name pointing inside the network
    /// running pantau is not fetched. `--resolve` targets are always allowed.
    #[arg(long, action = clap::ArgAction::SetTrue)]
    #[serde(default)]
    pub allow_private: bool,
}

/// Errors reading settings; each names its input.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("{path}: cannot read: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The config file is not valid TOML or has an unknown key.
    #[error("{path}:{line}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A value is out of range or malformed.
    #[error("{key}: {message}")]
    Value {
        /// The flag / key.
        key: &'static str,
        /// What is wrong, with the value.
        message: String,
    },
}

/// 1-based line of a byte offset in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl Settings {
    /// Read a `pantau.toml`.
    pub fn from_file(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut settings: Settings = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            line: e.span().map_or(1, |s| line_of(&text, s.start)),
            message: e.message().trim().to_string(),
        })?;
        // Paths in the file are relative to the file, not to where pantau is started (cron).
        let base = path.parent().unwrap_or(Path::new(""));
        let anchor = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        settings.rules.iter_mut().for_each(anchor);
        settings.out.iter_mut().for_each(anchor);
        settings.ct.iter_mut().for_each(anchor);
        settings.ca_cert.iter_mut().flatten().for_each(anchor);
        Ok(settings)
    }

    /// Read `--config` (if given), lay these flags over it (CLI > file > default) and
    /// [`validate`](Settings::validate) the result.
    pub fn resolve_file(self) -> Result<Settings, ConfigError> {
        let settings = match &self.config {
            Some(path) => self.clone().merge(Settings::from_file(path)?),
            None => self,
        };
        settings.validate()?;
        Ok(settings)
    }

    /// The settings given a value, by flag / key name (`max-pages`), in declaration order.
    pub fn given(&self) -> Vec<&'static str> {
        let given = [
            ("config", self.config.is_some()),
            ("rules", self.rules.is_some()),
            ("out", self.out.is_some()),
            ("max-pages", self.max_pages.is_some()),
            ("max-depth", self.max_depth.is_some()),
            ("rate", self.rate.is_some()),
            ("concurrency", self.concurrency.is_some()),
            ("connect-timeout-ms", self.connect_timeout_ms.is_some()),
            ("timeout-ms", self.timeout_ms.is_some()),
            ("max-body-bytes", self.max_body_bytes.is_some()),
            ("contact", self.contact.is_some()),
            ("resolve", self.resolve.is_some()),
            ("ca-cert", self.ca_cert.is_some()),
            ("deadline", self.deadline.is_some()),
            ("as-of", self.as_of.is_some()),
            ("no-dns", self.no_dns),
            ("ct", self.ct.is_some()),
            ("allow-private", self.allow_private),
        ];
        given
            .into_iter()
            .filter_map(|(key, set)| set.then_some(key))
            .collect()
    }

    /// Refuse command-line flags that `command` does not read (`ignored`: flag names as in
    /// [`Settings::given`]), so `pantau check URL --max-pages 5` says that the budget does
    /// not apply instead of silently doing nothing. Call it on the flags alone, before
    /// [`Settings::resolve_file`]: a `pantau.toml` is shared by every subcommand and may set
    /// anything. Errors: [`ConfigError::Value`] naming the first such flag.
    pub fn reject_ignored(
        &self,
        command: &str,
        ignored: &[&'static str],
    ) -> Result<(), ConfigError> {
        match self.given().into_iter().find(|key| ignored.contains(key)) {
            Some(key) => Err(ConfigError::Value {
                key,
                message: format!("`pantau {command}` does not use this setting; leave it out"),
            }),
            None => Ok(()),
        }
    }

    /// Reject values that cannot make a sensible audit, naming the key: a zero page budget,
    /// zero timeouts or concurrency, a body cap under 1 KiB, a rate between 0 and one request
    /// per 100 s, a contact that is not an http(s) URL, a zero deadline, a malformed `as-of`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: &'static str, message: String| Err(ConfigError::Value { key, message });
        if self.max_pages == Some(0) {
            return bad(
                "max-pages",
                "0 pages audits nothing; give at least 1".into(),
            );
        }
        if self.concurrency == Some(0) {
            return bad("concurrency", "give at least 1 agency at a time".into());
        }
        for (key, value) in [
            ("connect-timeout-ms", self.connect_timeout_ms),
            ("timeout-ms", self.timeout_ms),
        ] {
            if value == Some(0) {
                return bad(
                    key,
                    "a timeout of 0 ms fails every request; give milliseconds".into(),
                );
            }
        }
        if let Some(bytes) = self.max_body_bytes.filter(|b| *b < 1024) {
            return bad(
                "max-body-bytes",
                format!("{bytes} bytes cannot hold a page; give at least 1024"),
            );
        }
        if let Some(rate) = self.rate {
            if !(rate.is_finite() && (rate == 0.0 || (0.01..=MAX_RATE).contains(&rate))) {
                // 1e308 as `1e308`, not 309 digits (and 1e-300 as `1e-300`).
                let shown = if rate != 0.0 && !(1e-3..1e6).contains(&rate.abs()) {
                    format!("{rate:e}")
                } else {
                    rate.to_string()
                };
                return bad(
                    "rate",
                    format!("{shown} is not a usable rate; give requests per second (0.01 to {MAX_RATE}), or 0 for no limit"),
                );
            }
        }
        if let Some(contact) = &self.contact {
            let ok = url::Url::parse(contact).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
            if !ok || contact.chars().any(char::is_control) {
                return bad("contact", format!("'{contact}' is not an http(s) URL"));
            }
        }
        if self.deadline == Some(0) {
            return bad(
                "deadline",
                "a deadline of 0 s audits nothing; give seconds".into(),
            );
        }
        self.as_of_date().map(|_| ())
    }

    /// Field by field, `self` wins over `lower`.
    pub fn merge(self, lower: Settings) -> Settings {
        Settings {
            config: self.config.or(lower.config),
            rules: self.rules.or(lower.rules),
            out: self.out.or(lower.out),
            max_pages: self.max_pages.or(lower.max_pages),
            max_depth: self.max_depth.or(lower.max_depth),
            rate: self.rate.or(lower.rate),
            concurrency: self.concurrency.or(lower.concurrency),
            connect_timeout_ms: self.connect_timeout_ms.or(lower.connect_timeout_ms),
            timeout_ms: self.timeout_ms.or(lower.timeout_ms),
            max_body_bytes: self.max_body_bytes.or(lower.max_body_bytes),
            contact: self.contact.or(lower.contact),
            resolve: self.resolve.or(lower.resolve),
            ca_cert: self.ca_cert.or(lower.ca_cert),
            deadline: self.deadline.or(lower.deadline),
            as_of: self.as_of.or(lower.as_of),
            no_dns: self.no_dns || lower.no_dns,
            ct: self.ct.or(lower.ct),
            allow_private: self.allow_private || lower.allow_private,
        }
    }

    /// Guess OPD host names in DNS? Not with `--no-dns`, and not when `--resolve` maps hosts
    /// (a test or demo setup, where guesses would leak to the real resolver).
    pub fn dns_discovery(&self) -> bool {
        !self.no_dns && self.resolve.as_ref().is_none_or(Vec::is_empty)
    }

    /// The output directory (default `out`).
    pub fn out_dir(&self) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT_DIR))
    }

    /// Agencies crawled at once (at least 1).
    pub fn concurrency(&self) -> usize {
        self.concurrency.unwrap_or(DEFAULT_CONCURRENCY).max(1)
    }

    /// Crawl budgets.
    pub fn crawl_limits(&self) -> crate::crawl::CrawlLimits {
        crate::crawl::CrawlLimits {
            max_pages: self.max_pages.unwrap_or(DEFAULT_MAX_PAGES),
            max_depth: self.max_depth.unwrap_or(DEFAULT_MAX_DEPTH),
            ..crate::crawl::CrawlLimits::default()
        }
    }

    /// `--as-of` parsed, if given.
    pub fn as_of_date(&self) -> Result<Option<chrono::NaiveDate>, ConfigError> {
        self.as_of
            .as_deref()
            .map(|s| {
                chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ConfigError::Value {
                    key: "as-of",
                    message: format!("'{s}' is not a date in the form YYYY-MM-DD"),
                })
            })
            .transpose()
    }

    /// The fetcher's settings: User-Agent, rate, timeouts, body cap, resolve overrides and extra
    /// roots (files read here; errors name the file).
    pub fn fetch_settings(&self) -> Result<FetchSettings, ConfigError> {
        self.validate()?;
        let rate = self.rate.unwrap_or(DEFAULT_RATE_PER_HOST);
        let resolve = self
            .resolve
            .iter()
            .flatten()
            .map(|s| {
                s.parse::<ResolveOverride>()
                    .map_err(|e| ConfigError::Value {
                        key: "resolve",
                        message: e.to_string(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let extra_root_certs_pem = self
            .ca_cert
            .iter()
            .flatten()
            .map(|path| {
                let pem = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.clone(),
                    source,
                })?;
                match reqwest::Certificate::from_pem(pem.as_bytes()) {
                    Ok(_) if pem.contains("-----BEGIN CERTIFICATE-----") => Ok(pem),
                    _ => Err(ConfigError::Value {
                        key: "ca-cert",
                        message: format!("{}: not a PEM certificate", path.display()),
                    }),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let contact = self.contact.as_deref().unwrap_or(DEFAULT_CONTACT_URL);
        Ok(FetchSettings {
            user_agent: format!("pantau/{} (+{contact})", env!("CARGO_PKG_VERSION")),
            robots_token: "pantau".to_string(),
            rate_per_host: rate,
            connect_timeout: Duration::from_millis(
                self.connect_timeout_ms
                    .unwrap_or(DEFAULT_CONNECT_TIMEOUT_MS),
            ),
            timeout: Duration::from_millis(self.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS)),
            max_body_bytes: self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES),
            resolve,
            extra_root_certs_pem,
            allow_private: self.allow_private,
            ..FetchSettings::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        settings: Settings,
    }

    fn example_path() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pantau.example.toml")
    }

    #[test]
    fn every_long_flag_has_a_key_in_the_example_file() {
        let example = std::fs::read_to_string(example_path()).unwrap();
        let cmd = Wrapper::command();
        let longs: Vec<&str> = cmd.get_arguments().filter_map(|a| a.get_long()).collect();
        assert!(longs.len() >= 15, "flags: {longs:?}");
        for long in longs {
            if long == "config" {
                continue;
            }
            let key = format!("{long} =");
            assert!(
                example
                    .lines()
                    .any(|l| l.trim_start_matches("# ").starts_with(&key)),
                "pantau.example.toml lacks '{key}'"
            );
        }
    }

    #[test]
    fn example_file_loads_with_the_documented_defaults() {
        let s = Settings::from_file(&example_path()).unwrap();
        assert_eq!(s.max_pages, Some(DEFAULT_MAX_PAGES));
        assert_eq!(s.max_depth, Some(DEFAULT_MAX_DEPTH));
        assert_eq!(s.rate, Some(DEFAULT_RATE_PER_HOST));
        assert_eq!(s.concurrency, Some(DEFAULT_CONCURRENCY));
        assert_eq!(s.timeout_ms, Some(DEFAULT_TIMEOUT_MS));
        assert_eq!(s.connect_timeout_ms, Some(DEFAULT_CONNECT_TIMEOUT_MS));
        assert_eq!(s.max_body_bytes, Some(DEFAULT_MAX_BODY_BYTES));
        assert_eq!(s.contact.as_deref(), Some(DEFAULT_CONTACT_URL));
    }

    #[test]
    fn flags_win_over_the_file_and_the_file_over_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pantau.toml");
        std::fs::write(&path, "max-pages = 50\nrate = 1.5\n").unwrap();
        let cli =
            Wrapper::parse_from(["t", "--config", path.to_str().unwrap(), "--max-pages", "7"]);
        let s = cli.settings.resolve_file().unwrap();
        assert_eq!(s.max_pages, Some(7));
        assert_eq!(s.rate, Some(1.5));
        assert_eq!(s.crawl_limits().max_depth, DEFAULT_MAX_DEPTH);
        assert_eq!(s.concurrency(), DEFAULT_CONCURRENCY);
    }

    #[test]
    fn paths_in_the_file_are_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pantau.toml");
        std::fs::write(
            &path,
            "out = \"hasil\"\nrules = \"/etc/pantau/rules\"\nca-cert = [\"proxy.pem\"]\n",
        )
        .unwrap();
        let s = Settings::from_file(&path).unwrap();
        assert_eq!(s.out, Some(dir.path().join("hasil")));
        assert_eq!(s.rules, Some(PathBuf::from("/etc/pantau/rules")));
        assert_eq!(s.ca_cert, Some(vec![dir.path().join("proxy.pem")]));
    }

    #[test]
    fn unknown_key_is_an_error_naming_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pantau.toml");
        std::fs::write(&path, "rate = 2.0\n\nmax-pagez = 3\n").unwrap();
        let err = Settings::from_file(&path).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{}:3: ", path.display())), "{err}");
        assert!(err.contains("max-pagez"), "{err}");
    }

    #[test]
    fn bad_values_are_rejected_with_the_key() {
        let s = Settings {
            rate: Some(-1.0),
            ..Settings::default()
        };
        assert!(s
            .fetch_settings()
            .unwrap_err()
            .to_string()
            .starts_with("rate: "));
        let s = Settings {
            as_of: Some("1 Desember 2026".into()),
            ..Settings::default()
        };
        assert!(s
            .as_of_date()
            .unwrap_err()
            .to_string()
            .contains("YYYY-MM-DD"));
        let s = Settings {
            as_of: Some("2026-12-01".into()),
            ..Settings::default()
        };
        assert_eq!(
            s.as_of_date().unwrap(),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
        );
    }

    #[test]
    fn dns_guessing_is_off_with_no_dns_or_resolve_overrides() {
        assert!(Settings::default().dns_discovery());
        let s = Settings {
            no_dns: true,
            ..Settings::default()
        };
        assert!(!s.dns_discovery());
        let s = Settings {
            resolve: Some(vec!["*.sulbarprov.go.id:127.0.0.1:8080".into()]),
            ..Settings::default()
        };
        assert!(
            !s.dns_discovery(),
            "tests and demos map hosts; guesses must not reach real DNS"
        );
        let file = Settings {
            no_dns: true,
            ..Settings::default()
        };
        assert!(
            Settings::default().merge(file).no_dns,
            "no-dns in the file holds without the flag"
        );
    }

    #[test]
    fn user_agent_names_pantau_and_the_contact() {
        let s = Settings {
            contact: Some("https://diskominfo.example.go.id/pantau".into()),
            ..Settings::default()
        };
        let f = s.fetch_settings().unwrap();
        assert_eq!(
            f.user_agent,
            format!(
                "pantau/{} (+https://diskominfo.example.go.id/pantau)",
                env!("CARGO_PKG_VERSION")
            )
        );
    }
}

#[cfg(test)]
mod validation_tests {
    use super::*;

    fn key_of(s: Settings) -> String {
        match s.validate() {
            Err(ConfigError::Value { key, .. }) => key.to_string(),
            other => panic!("expected a value error, got {other:?}"),
        }
    }

    #[test]
    fn nonsense_values_are_rejected_naming_the_key() {
        let d = Settings::default;
        assert_eq!(
            key_of(Settings {
                max_pages: Some(0),
                ..d()
            }),
            "max-pages"
        );
        assert_eq!(
            key_of(Settings {
                concurrency: Some(0),
                ..d()
            }),
            "concurrency"
        );
        assert_eq!(
            key_of(Settings {
                timeout_ms: Some(0),
                ..d()
            }),
            "timeout-ms"
        );
        assert_eq!(
            key_of(Settings {
                connect_timeout_ms: Some(0),
                ..d()
            }),
            "connect-timeout-ms"
        );
        assert_eq!(
            key_of(Settings {
                max_body_bytes: Some(1500 - 1000),
                ..d()
            }),
            "max-body-bytes"
        );
        assert_eq!(
            key_of(Settings {
                rate: Some(1e-9),
                ..d()
            }),
            "rate"
        );
        assert_eq!(
            key_of(Settings {
                rate: Some(f64::NAN),
                ..d()
            }),
            "rate"
        );
        // 1e308 is finite, but twice it (the per-IP limit) is not: bad input, not a crash.
        assert_eq!(
            key_of(Settings {
                rate: Some(1e308),
                ..d()
            }),
            "rate"
        );
        assert!(Settings {
            rate: Some(MAX_RATE),
            ..d()
        }
        .validate()
        .is_ok());
        // Extreme values are shown in exponent form, not as hundreds of digits.
        for (rate, shown) in [(1e308, "1e308"), (1e-300, "1e-300"), (-1.0, "-1")] {
            let err = Settings {
                rate: Some(rate),
                ..d()
            }
            .validate()
            .unwrap_err()
            .to_string();
            assert!(
                err.starts_with(&format!("rate: {shown} is not a usable rate")),
                "{err}"
            );
        }
        assert_eq!(
            key_of(Settings {
                contact: Some("notaurl".into()),
                ..d()
            }),
            "contact"
        );
        assert_eq!(
            key_of(Settings {
                contact: Some("https://x\r\nX: 1".into()),
                ..d()
            }),
            "contact"
        );
        assert_eq!(
            key_of(Settings {
                deadline: Some(0),
                ..d()
            }),
            "deadline"
        );
        assert_eq!(
            key_of(Settings {
                as_of: Some("garbage".into()),
                ..d()
            }),
            "as-of"
        );
    }

    #[test]
    fn sensible_values_pass() {
        let s = Settings {
            max_pages: Some(1),
            max_depth: Some(0),
            rate: Some(0.0),
            concurrency: Some(1),
            max_body_bytes: Some(1024),
            contact: Some("https://diskominfo.sulbarprov.go.id/kontak".into()),
            deadline: Some(1),
            ..Settings::default()
        };
        assert!(s.validate().is_ok());
        assert!(Settings {
            rate: Some(0.01),
            ..Settings::default()
        }
        .validate()
        .is_ok());
    }

    #[test]
    fn a_ca_cert_that_is_not_pem_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("README.md");
        std::fs::write(&path, "# not a certificate\n").unwrap();
        let s = Settings {
            ca_cert: Some(vec![path.clone()]),
            ..Settings::default()
        };
        let err = s.fetch_settings().unwrap_err().to_string();
        assert_eq!(
            err,
            format!("ca-cert: {}: not a PEM certificate", path.display())
        );
    }
}
