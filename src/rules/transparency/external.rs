//! The `external_service` kind (research `transparency-rules.md` §3.3–§3.10, §5 "Cross-host
//! attribution"): a link from the agency's site to a national or provincial service —
//! SP4N-LAPOR! (`lapor.go.id`), e-LHKPN (`elhkpn.kpk.go.id`), SiRUP and SPSE (`inaproc.id`),
//! JDIH (`jdih.<province>`, `jdihn.go.id`), Satu Data (`satudata.<province>`, `data.go.id`),
//! the province's PPID (`ppid.<province>`) — or, with `accounts = true`, to the agency's own
//! social media accounts (share buttons do not count).
//!
//! Input → output: per page, `ExternalFact` (links whose host matches, links whose text or
//! image `alt` names the service); per agency, `ExternalAcc` decides:
//! - pass: a link to a matching host (the link's presence; pantau does not follow it unless
//!   the audit feeds a one-hop check through [`crate::rules::SiteAccumulator::add_fetch`],
//!   in which case a dead target does not count);
//! - partial: only a link or banner whose text names the service, to another host;
//! - fail: nothing, or only dead links (evidence kept).
//!
//! `{province}` in a host pattern is the provincial domain: the agency's host without its
//! first label (`dinkes.sulbarprov.go.id` → `sulbarprov.go.id`).

use super::{clip, compile, ev, norm_url, strip_fragment, EvLink, LabelIds, SiteInputs, MAX_LINKS};
use crate::rules::text::Phrase;
use crate::rules::{CheckContext, PageScan};
use crate::scorecard::{Evidence, RuleStatus};
use std::collections::BTreeMap;

/// Path segments of share, post and login links on social hosts: not an account.
const NOT_ACCOUNT: &[&str] = &[
    "sharer",
    "sharer.php",
    "share",
    "share.php",
    "intent",
    "dialog",
    "plugins",
    "hashtag",
    "login",
    "watch",
    "embed",
    "p",
    "reel",
    "status",
    "search",
];

/// Params of `external_service`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExternalParams {
    /// Host patterns: a host name matches itself and its subdomains (`lapor.go.id` matches
    /// `www.lapor.go.id`); `{province}` is replaced by the provincial domain.
    pub hosts: Vec<String>,
    /// Labels that name the service in link text or image `alt` ("SP4N-LAPOR!").
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Only links to an account count: the first path segment names the account, and is not
    /// a share, post or login path.
    #[serde(default)]
    pub accounts: bool,
    /// As for `site_content`.
    #[serde(default = "super::default_extra")]
    pub max_extra_words: usize,
}

/// Compiled `external_service` check.
#[derive(Debug, Clone)]
pub(crate) struct ExternalMatcher {
    hosts: Vec<String>,
    synonyms: Vec<Phrase>,
    accounts: bool,
    max_extra: usize,
}

impl ExternalParams {
    /// Validate and compile.
    pub fn compiled(&self) -> Result<ExternalMatcher, String> {
        if self.hosts.is_empty() {
            return Err("hosts must not be empty".to_string());
        }
        let mut hosts = Vec::new();
        for h in &self.hosts {
            let h = h.trim().to_ascii_lowercase();
            let plain = h.replace("{province}", "province.go.id");
            let ok = !plain.is_empty()
                && plain.contains('.')
                && plain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if !ok {
                return Err(format!(
                    "host '{h}' is not a host name (a-z, 0-9, '.', '-', or {{province}})"
                ));
            }
            hosts.push(h);
        }
        Ok(ExternalMatcher {
            hosts,
            synonyms: compile(&self.synonyms, "synonym")?,
            accounts: self.accounts,
            max_extra: self.max_extra_words,
        })
    }
}

/// The provincial domain of an agency host: the host without its first label when it has
/// at least four labels (`dinkes.sulbarprov.go.id` → `sulbarprov.go.id`), else the host.
pub fn province_of(agency_host: &str) -> String {
    let h = agency_host.trim_end_matches('.').to_ascii_lowercase();
    match h.split_once('.') {
        Some((_, rest)) if h.split('.').count() >= 4 => rest.to_string(),
        _ => h,
    }
}

/// Is `host` the host `pattern` or a subdomain of it (dot-suffix match on the parsed host,
/// never a substring: `xlapor.go.id` is not under `lapor.go.id`)?
pub(crate) fn host_matches(host: &str, pattern: &str) -> bool {
    host.strip_suffix(pattern)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// Facts of one page for `external_service`.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExternalFact {
    /// Links to a matching host.
    pub links: Vec<EvLink>,
    /// Links whose text names the service, to other hosts.
    pub text_links: Vec<EvLink>,
}

impl ExternalMatcher {
    /// The host patterns with `{province}` replaced.
    fn patterns(&self, province: &str) -> Vec<String> {
        self.hosts
            .iter()
            .map(|p| p.replace("{province}", province))
            .collect()
    }

    fn host_match(&self, url: &url::Url, patterns: &[String]) -> Option<String> {
        // The url crate lower-cases the hosts of http(s) URLs.
        let host = url.host_str()?;
        let pattern = patterns.iter().find(|p| host_matches(host, p))?.clone();
        if self.accounts {
            let first = url
                .path_segments()
                .and_then(|mut s| s.find(|x| !x.is_empty()))
                .unwrap_or("")
                .to_ascii_lowercase();
            if first.is_empty() || NOT_ACCOUNT.contains(&first.as_str()) {
                return None;
            }
        }
        Some(pattern)
    }

    /// The page's facts.
    pub fn collect(&self, scan: &PageScan<'_>, ctx: &CheckContext) -> ExternalFact {
        let patterns = self.patterns(&province_of(&ctx.agency_host));
        let mut fact = ExternalFact::default();
        let words = scan.derived.words(scan, &ctx.agency_host);
        // Per distinct host of the page: may an anchor there match (before `accounts`)?
        let host_hit: Vec<bool> = words
            .hosts
            .iter()
            .map(|h| patterns.iter().any(|p| host_matches(h, p)))
            .collect();
        let ids = LabelIds::of(&self.synonyms, &[], &words.vocab);
        // Only anchors holding a synonym's first word can name the service.
        let named = words.holding(ids.keys());
        let mut named = named.iter().copied().peekable();
        for (pos, aw) in words.anchors.iter().enumerate() {
            let Some(a) = scan.anchors.get(aw.index) else {
                continue;
            };
            let hit = host_hit.get(aw.host as usize).copied().unwrap_or(false);
            if let Some(pattern) = hit.then(|| self.host_match(&a.url, &patterns)).flatten() {
                let url = strip_fragment(&a.url);
                if fact.links.len() < MAX_LINKS && !fact.links.iter().any(|l| l.url == url) {
                    fact.links.push(EvLink {
                        url,
                        text: clip(&a.text, 120),
                        label: pattern,
                    });
                }
                continue;
            }
            while named.next_if(|&p| (p as usize) < pos).is_some() {}
            if named.peek().is_none_or(|&p| p as usize != pos) {
                continue;
            }
            if let Some(p) = ids.text_match(&self.synonyms, words, aw.text, self.max_extra) {
                let url = strip_fragment(&a.url);
                if fact.text_links.len() < MAX_LINKS
                    && !fact.text_links.iter().any(|l| l.url == url)
                {
                    fact.text_links.push(EvLink {
                        url,
                        text: clip(&a.text, 120),
                        label: p.label.clone(),
                    });
                }
            }
        }
        fact
    }
}

/// Agency-wide fold for `external_service`.
#[derive(Debug, Default)]
pub(crate) struct ExternalAcc {
    links: BTreeMap<String, (EvLink, String)>,
    text_links: BTreeMap<String, (EvLink, String)>,
}

impl ExternalAcc {
    pub fn add(&mut self, page: &super::PageSeen, fact: ExternalFact) {
        for (into, list) in [
            (&mut self.links, fact.links),
            (&mut self.text_links, fact.text_links),
        ] {
            for l in list {
                super::keep_first(into, norm_url(&l.url), l, &page.url, MAX_LINKS * 5);
            }
        }
    }

    /// Decide (see the module doc).
    pub fn finish(
        self,
        what: &str,
        _m: &ExternalMatcher,
        inputs: &SiteInputs<'_>,
    ) -> (RuleStatus, Option<String>, Vec<Evidence>) {
        let mut live = Vec::new();
        let mut dead = Vec::new();
        for (key, (l, from)) in &self.links {
            let snippet = Some(clip(&format!("{} → {}", l.text, l.url), 200));
            match (inputs.dead(key), inputs.fetches.get(key)) {
                (Some(why), _) => dead.push(ev(
                    from,
                    snippet,
                    format!("{what}: link to {} is dead ({why})", l.label),
                )),
                (None, Some(f)) => live.push(ev(
                    from,
                    snippet,
                    format!(
                        "{what}: link to {} answers (HTTP {})",
                        l.label,
                        f.status.unwrap_or(0)
                    ),
                )),
                (None, None) => live.push(ev(
                    from,
                    snippet,
                    format!("{what}: link to {} (present; not followed)", l.label),
                )),
            }
        }
        if !live.is_empty() {
            return (
                RuleStatus::Pass,
                Some(format!("{what}: linked from the site")),
                live,
            );
        }
        if !self.text_links.is_empty() {
            let mut weak: Vec<Evidence> = self
                .text_links
                .values()
                .map(|(l, from)| {
                    ev(
                        from,
                        Some(clip(&format!("{} → {}", l.text, l.url), 200)),
                        format!(
                            "{what}: link text names the service ('{}' matched) but does not lead to its host",
                            l.label
                        ),
                    )
                })
                .collect();
            weak.append(&mut dead);
            return (
                RuleStatus::Partial,
                Some(format!(
                    "{what}: named on the site, but no link to the service's host"
                )),
                weak,
            );
        }
        if !dead.is_empty() {
            return (
                RuleStatus::Fail,
                Some(format!("{what}: every link to the service is dead")),
                dead,
            );
        }
        (
            RuleStatus::Fail,
            Some(format!(
                "{what}: no link to the service on {} crawled page(s)",
                inputs.seen.len()
            )),
            Vec::new(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_match_exactly_or_as_a_dot_suffix() {
        assert!(host_matches("lapor.go.id", "lapor.go.id"));
        assert!(host_matches("www.lapor.go.id", "lapor.go.id"));
        assert!(!host_matches("xlapor.go.id", "lapor.go.id"));
        assert!(!host_matches("lapor.go.id.evil.com", "lapor.go.id"));
        assert!(!host_matches("go.id", "lapor.go.id"));
    }

    #[test]
    fn province_domain_of_agency_hosts() {
        assert_eq!(province_of("dinkes.sulbarprov.go.id"), "sulbarprov.go.id");
        assert_eq!(province_of("Dinkes.Sulbarprov.go.id."), "sulbarprov.go.id");
        assert_eq!(province_of("bappedasultra.go.id"), "bappedasultra.go.id");
    }

    #[test]
    fn hosts_and_accounts() {
        let m = ExternalParams {
            hosts: vec!["instagram.com".into(), "ppid.{province}".into()],
            synonyms: vec![],
            accounts: true,
            max_extra_words: 4,
        }
        .compiled()
        .expect("compiles");
        let u = |s: &str| url::Url::parse(s).expect("url");
        let p = &m.patterns("sulbarprov.go.id");
        assert_eq!(
            m.host_match(&u("https://www.instagram.com/dinkes_sulbar/"), p),
            Some("instagram.com".to_string())
        );
        assert_eq!(
            m.host_match(&u("https://www.instagram.com/p/Cx1/"), p),
            None
        );
        assert_eq!(m.host_match(&u("https://instagram.com/"), p), None);
        assert_eq!(m.host_match(&u("https://notinstagram.com/x"), p), None);
        assert_eq!(
            m.host_match(&u("https://ppid.sulbarprov.go.id/opd/dinkes"), p),
            Some("ppid.sulbarprov.go.id".to_string())
        );
        let bad = ExternalParams {
            hosts: vec!["http://lapor.go.id/".into()],
            synonyms: vec![],
            accounts: false,
            max_extra_words: 4,
        };
        assert!(bad.compiled().is_err());
    }
}
