//! The `official_email` kind (research `transparency-rules.md` §3.1 site-official-email;
//! Pedoman Situs Web Pemda 2003: the home page gives an e-mail on go.id only): the agency's
//! contact e-mail addresses (from `mailto:` links and page text) must include one on an
//! official domain. A free-mail address (gmail, yahoo) as the only contact is its own
//! finding.
//!
//! Pass: an address on an official domain (free-mail addresses beside it are reported).
//! Fail: addresses only on free-mail or other domains (each reported), or no address at all.

use super::{ev, PageScan, MAX_CONTACTS};
use crate::scorecard::{Evidence, RuleStatus};

/// Addresses kept per agency.
const MAX_EMAILS: usize = 10;

/// Params of `official_email`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EmailParams {
    /// Official domains: an address's domain equals one or ends with `.<suffix>`.
    #[serde(default = "default_official")]
    pub official_suffixes: Vec<String>,
    /// Free-mail domains, reported as such.
    #[serde(default = "default_free")]
    pub free_mail: Vec<String>,
}

fn default_official() -> Vec<String> {
    vec!["go.id".to_string()]
}

fn default_free() -> Vec<String> {
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.id",
        "ymail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

impl EmailParams {
    /// `official_suffixes` must not be empty.
    pub fn validate(&self) -> Result<(), String> {
        if self.official_suffixes.iter().all(|s| s.trim().is_empty()) {
            return Err("official_suffixes must name at least one domain".to_string());
        }
        Ok(())
    }

    fn domain_is(domain: &str, list: &[String]) -> bool {
        list.iter().any(|s| {
            let s = s.trim().trim_start_matches('.').to_ascii_lowercase();
            !s.is_empty() && (domain == s || domain.ends_with(&format!(".{s}")))
        })
    }
}

/// The e-mail addresses of a page (`mailto:` targets, then addresses in the text), lower
/// case, at most 5.
pub(crate) fn collect_emails(scan: &PageScan<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mailto = scan
        .anchors
        .iter()
        .filter(|a| a.url.scheme() == "mailto")
        .map(|a| a.url.path().split('?').next().unwrap_or("").to_string());
    for e in mailto.chain(scan.derived.emails(scan).iter().cloned()) {
        let e = e.to_ascii_lowercase();
        if e.contains('@') && out.len() < MAX_CONTACTS && !out.contains(&e) {
            out.push(e);
        }
    }
    out
}

/// Agency-wide fold for `official_email`: (address, first page).
#[derive(Debug, Default)]
pub(crate) struct EmailAcc {
    emails: Vec<(String, String)>,
}

impl EmailAcc {
    pub fn add(&mut self, page: &super::PageSeen, emails: Vec<String>) {
        // Each address once with the smallest page URL; the smallest addresses kept: the same
        // result whatever the page order.
        for e in emails {
            match self.emails.iter_mut().find(|(x, _)| *x == e) {
                Some((_, from)) if *from > page.url => *from = page.url.clone(),
                Some(_) => {}
                None => self.emails.push((e, page.url.clone())),
            }
        }
        self.emails.sort();
        self.emails.truncate(MAX_EMAILS);
    }

    /// Decide (see the module doc).
    pub fn finish(self, p: &EmailParams) -> (RuleStatus, Option<String>, Vec<Evidence>) {
        let mut official = Vec::new();
        let mut other = Vec::new();
        for (e, url) in &self.emails {
            let domain = e.rsplit('@').next().unwrap_or("");
            if EmailParams::domain_is(domain, &p.official_suffixes) {
                official.push(ev(
                    url,
                    Some(e.clone()),
                    "Official e-mail address".to_string(),
                ));
            } else if EmailParams::domain_is(domain, &p.free_mail) {
                other.push(ev(
                    url,
                    Some(e.clone()),
                    "Free-mail address (gmail/yahoo) given as a contact".to_string(),
                ));
            } else {
                other.push(ev(
                    url,
                    Some(e.clone()),
                    "E-mail address not on an official domain".to_string(),
                ));
            }
        }
        let suffixes = p.official_suffixes.join(", ");
        if !official.is_empty() {
            official.append(&mut other);
            return (
                RuleStatus::Pass,
                Some(format!("an e-mail address on {suffixes} is given")),
                official,
            );
        }
        if !other.is_empty() {
            return (
                RuleStatus::Fail,
                Some(format!(
                    "no e-mail address on {suffixes}: the contact addresses are free-mail or other domains"
                )),
                other,
            );
        }
        (
            RuleStatus::Fail,
            Some("no e-mail address found on the crawled pages".to_string()),
            Vec::new(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_match_suffixes_not_substrings() {
        let list = vec!["go.id".to_string()];
        assert!(EmailParams::domain_is("sulbarprov.go.id", &list));
        assert!(EmailParams::domain_is("go.id", &list));
        assert!(!EmailParams::domain_is("notgo.id", &list));
        assert!(!EmailParams::domain_is("gmail.com", &list));
        let bad = EmailParams {
            official_suffixes: vec![" ".into()],
            free_mail: vec![],
        };
        assert!(bad.validate().is_err());
    }
}
