//! Integrity site kinds.
//!
//! `spam_keywords`: online-gambling spam injected into go.id pages
//! (research `transparency-rules.md` §8.2). Pages report keyword hits with a snippet, where
//! they were (text, title, meta, image alt, link URL) and whether they were concealed (hidden
//! or off-screen ancestry); the agency result weighs them: one strong signal (concealed, or in
//! the title, meta or a link URL) or two medium ones (visible text) fail the rule.
//!
//! `charset_consistent`: every crawled HTML page whose `Content-Type` charset and `<meta>`
//! charset name different encodings (HTML Standard §13.2.3.2: the header wins, so one of the
//! two declarations is wrong and text may be garbled for other clients) is a failure with the
//! URL and both names as evidence (`charset_consistent`). The facts come from the fetcher's
//! decode step through the crawl, not from the page walk.

use super::text::{clip, drop_fillers, tokens, Phrase};
use crate::scorecard::{Evidence, RuleStatus};
use std::collections::{BTreeSet, HashSet};

/// A page whose `Content-Type` charset and `<meta>` charset disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CharsetConflict {
    /// The page's URL.
    pub url: String,
    /// WHATWG encoding name of the header's charset (`UTF-8`).
    pub header: String,
    /// WHATWG encoding name of the `<meta>` charset (`windows-1252`).
    pub meta: String,
}

/// The `charset_consistent` result over an agency's `pages_checked` HTML pages, of which
/// `conflicts` declare one encoding in the `Content-Type` header and another in `<meta>`
/// (HTML Standard §13.2.3.2; WHATWG Encoding labels, so `ISO-8859-1` and `windows-1252` agree):
/// `fail` with one evidence record per page (URL; the two declarations as the snippet), else
/// `pass`, or `unknown` when no page was checked.
pub(crate) fn charset_consistent(
    conflicts: &[CharsetConflict],
    pages_checked: u64,
) -> (RuleStatus, Option<String>, Vec<Evidence>) {
    if conflicts.is_empty() {
        if pages_checked == 0 {
            return (
                RuleStatus::Unknown,
                Some("no HTML page was checked".to_string()),
                Vec::new(),
            );
        }
        return (
            RuleStatus::Pass,
            Some(format!(
                "the HTTP header and <meta> charset agree on all {pages_checked} pages checked"
            )),
            Vec::new(),
        );
    }
    let mut sorted: Vec<&CharsetConflict> = conflicts.iter().collect();
    sorted.sort_by(|a, b| a.url.cmp(&b.url));
    let evidence = sorted
        .iter()
        .map(|c| Evidence {
            url: c.url.clone(),
            selector: Some("meta[charset], meta[http-equiv=content-type]".to_string()),
            snippet: Some(format!(
                "Content-Type charset={}; <meta> charset={}",
                c.header, c.meta
            )),
            message: format!(
                "the HTTP header declares {} but the page's <meta> declares {}; browsers use the header",
                c.header, c.meta
            ),
            pages: None,
        })
        .collect();
    let reason = format!(
        "{} of {} pages declare one charset in the HTTP header and another in <meta>",
        conflicts.len(),
        pages_checked.max(conflicts.len() as u64)
    );
    (RuleStatus::Fail, Some(reason), evidence)
}

/// Hits kept per page and per agency.
const MAX_HITS: usize = 10;

fn default_window() -> usize {
    8
}

/// Params of `spam_keywords`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SpamParams {
    /// Phrases that are gambling spam on their own (`slot gacor`, `togel`).
    pub terms: Vec<String>,
    /// Words that are spam only next to a co-term (`slot`, `bandar`, `scatter`): research
    /// §8.2 "False positives to avoid".
    #[serde(default)]
    pub guarded_terms: Vec<String>,
    /// Co-terms that confirm a guarded term within `window` words.
    #[serde(default)]
    pub co_terms: Vec<String>,
    /// Words either side of a guarded term searched for a co-term.
    #[serde(default = "default_window")]
    pub window: usize,
}

/// Compiled `spam_keywords` matcher.
#[derive(Debug, Clone)]
pub(crate) struct SpamMatcher {
    /// Any first word of a term or guarded term, as a case-insensitive substring: a cheap
    /// necessary condition checked before tokenising a text.
    trigger: regex::Regex,
    terms: Vec<Phrase>,
    guarded: Vec<Phrase>,
    co: Vec<Phrase>,
    window: usize,
}

impl SpamParams {
    /// Validate and compile.
    pub fn matcher(&self) -> Result<SpamMatcher, String> {
        if self.terms.is_empty() {
            return Err("terms must not be empty".to_string());
        }
        if !self.guarded_terms.is_empty() && self.co_terms.is_empty() {
            return Err("guarded_terms need co_terms".to_string());
        }
        for g in &self.guarded_terms {
            let gt = tokens(g);
            if self.co_terms.iter().any(|c| tokens(c) == gt) {
                return Err(format!(
                    "'{g}' is both a guarded term and a co-term: two ambiguous words would confirm each other"
                ));
            }
        }
        let compile = |v: &[String]| -> Result<Vec<Phrase>, String> {
            v.iter()
                .map(|t| {
                    Phrase::new(t).ok_or_else(|| format!("term '{t}' has no letters or digits"))
                })
                .collect()
        };
        let terms = compile(&self.terms)?;
        let guarded = compile(&self.guarded_terms)?;
        let firsts: BTreeSet<&str> = terms
            .iter()
            .chain(guarded.iter())
            .map(Phrase::first_word)
            .collect();
        let alternation: Vec<String> = firsts.into_iter().map(regex::escape).collect();
        let trigger = regex::Regex::new(&format!("(?i-u)(?:{})", alternation.join("|")))
            .map_err(|e| format!("terms do not compile to a pattern: {e}"))?;
        Ok(SpamMatcher {
            trigger,
            terms,
            guarded,
            co: compile(&self.co_terms)?,
            window: self.window,
        })
    }
}

/// Where a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Location {
    Text,
    Alt,
    Title,
    Meta,
    Href,
}

impl Location {
    fn as_str(self) -> &'static str {
        match self {
            Location::Text => "text",
            Location::Alt => "image alt",
            Location::Title => "title",
            Location::Meta => "meta",
            Location::Href => "link URL",
        }
    }
}

/// One keyword hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    pub term: String,
    pub snippet: String,
    pub location: Location,
    pub concealed: bool,
    pub selector: Option<String>,
}

impl Hit {
    fn strong(&self) -> bool {
        self.concealed
            || matches!(
                self.location,
                Location::Title | Location::Meta | Location::Href
            )
    }
}

/// Hits on one page.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpamFact {
    pub hits: Vec<Hit>,
}

/// A piece of page text to scan.
#[derive(Debug)]
pub(crate) struct Segment {
    pub text: String,
    pub location: Location,
    pub concealed: bool,
    /// The element the text belongs to (for the evidence selector).
    pub node: Option<ego_tree::NodeId>,
}

impl SpamMatcher {
    /// The first term (or confirmed guarded term) in `text`.
    pub fn find(&self, text: &str) -> Option<String> {
        // Only for ASCII text: tokenising folds accents ("slöt" → "slot"), which the
        // ASCII-case-insensitive trigger would not see.
        if text.is_ascii() && !self.trigger.is_match(text) {
            return None;
        }
        let words = drop_fillers(tokens(text));
        // A phrase can only occur if its first word does: a set look-up skips most phrases.
        let present: HashSet<&str> = words.iter().map(String::as_str).collect();
        if let Some(t) = self
            .terms
            .iter()
            .filter(|p| present.contains(p.first_word()))
            .find(|p| p.in_tokens(&words))
        {
            return Some(t.label.clone());
        }
        for g in self
            .guarded
            .iter()
            .filter(|p| present.contains(p.first_word()))
        {
            let glen = g.label.split_whitespace().count().max(1);
            for start in 0..words.len() {
                let end = (start + glen).min(words.len());
                if !g.in_tokens(&words[start..end]) {
                    continue;
                }
                let lo = start.saturating_sub(self.window);
                let hi = (end + self.window).min(words.len());
                let around: Vec<String> = words[lo..start]
                    .iter()
                    .chain(words[end..hi].iter())
                    .cloned()
                    .collect();
                if let Some(c) = self.co.iter().find(|c| c.in_tokens(&around)) {
                    return Some(format!("{} + {}", g.label, c.label));
                }
            }
        }
        None
    }

    /// Which segments [`SpamMatcher::find`] must look at: every non-ASCII one (tokenising
    /// folds accents the trigger cannot see) and the ASCII ones the trigger matches. The
    /// trigger runs once over the ASCII segments joined by newlines (no first word holds a
    /// newline, so no match crosses a segment) instead of once per segment: a page has
    /// thousands of segments and almost never a trigger word.
    fn trigger_candidates(&self, segments: &[Segment]) -> Vec<bool> {
        let mut joined = String::new();
        let mut starts = Vec::with_capacity(segments.len());
        let mut candidate = Vec::with_capacity(segments.len());
        for s in segments {
            starts.push(joined.len());
            let ascii = s.text.is_ascii();
            if ascii {
                joined.push_str(&s.text);
            }
            joined.push('\n');
            candidate.push(!ascii);
        }
        for m in self.trigger.find_iter(&joined) {
            let i = starts.partition_point(|&st| st <= m.start()) - 1;
            if let Some(c) = candidate.get_mut(i) {
                *c = true;
            }
        }
        candidate
    }

    /// Scan a page's segments.
    pub fn collect(
        &self,
        segments: &[Segment],
        selector_of: impl Fn(ego_tree::NodeId) -> Option<String>,
    ) -> SpamFact {
        let mut fact = SpamFact::default();
        let mut seen: BTreeSet<(String, Location, bool)> = BTreeSet::new();
        let candidate = self.trigger_candidates(segments);
        for (s, candidate) in segments.iter().zip(candidate) {
            if fact.hits.len() >= MAX_HITS {
                break;
            }
            if !candidate {
                continue;
            }
            if let Some(term) = self.find(&s.text) {
                if seen.insert((term.clone(), s.location, s.concealed)) {
                    fact.hits.push(Hit {
                        term,
                        snippet: clip(&s.text, 200),
                        location: s.location,
                        concealed: s.concealed,
                        selector: s.node.and_then(&selector_of),
                    });
                }
            }
        }
        fact
    }
}

/// Does an inline style conceal its element (research §8.2 "Hidden blocks"): `display:none`,
/// `visibility:hidden`, `opacity:0`, `font-size:0`, `height:0`/`1px` (with overflow hidden or
/// not), `left`/`top`/`text-indent` at -999px or beyond?
pub fn style_conceals(style: &str) -> bool {
    if super::accname::style_hides(style) {
        return true;
    }
    super::accname::style_declarations(style).any(|(prop, val)| {
        let px = val
            .trim_end_matches("px")
            .trim_end_matches("em")
            .trim()
            .parse::<f64>()
            .ok();
        match prop.as_str() {
            "opacity" => px == Some(0.0),
            "font-size" | "height" | "max-height" | "width" => px.is_some_and(|v| v <= 1.0),
            "left" | "top" | "text-indent" | "margin-left" => px.is_some_and(|v| v <= -999.0),
            _ => false,
        }
    })
}

/// Agency-wide fold for `spam_keywords`.
#[derive(Debug, Default)]
pub(crate) struct SpamAcc {
    hits: Vec<(Hit, String)>,
    pages_with_hits: u32,
}

impl SpamAcc {
    pub fn add(&mut self, url: &str, fact: SpamFact) {
        if !fact.hits.is_empty() {
            self.pages_with_hits += 1;
        }
        for h in fact.hits {
            if self.hits.len() < MAX_HITS * 2 {
                self.hits.push((h, url.to_string()));
            }
        }
    }

    pub fn finish(self) -> (RuleStatus, Option<String>, Vec<Evidence>) {
        let strong = self.hits.iter().filter(|(h, _)| h.strong()).count();
        let terms: BTreeSet<&str> = self.hits.iter().map(|(h, _)| h.term.as_str()).collect();
        let evidence: Vec<Evidence> = self
            .hits
            .iter()
            .map(|(h, url)| Evidence {
                url: url.clone(),
                selector: h.selector.clone(),
                snippet: Some(h.snippet.clone()),
                message: format!(
                    "Gambling term '{}' in {}{}",
                    h.term,
                    h.location.as_str(),
                    if h.concealed {
                        " (hidden: injected content)"
                    } else {
                        ""
                    }
                ),
                pages: None,
            })
            .collect();
        if self.hits.is_empty() {
            return (
                RuleStatus::Pass,
                Some("no gambling spam terms found".to_string()),
                evidence,
            );
        }
        if strong > 0 || terms.len() >= 2 || self.pages_with_hits >= 2 {
            let reason = format!(
                "gambling spam: {} hit(s), {strong} hidden or in title/meta/URL, terms: {}",
                self.hits.len(),
                terms.into_iter().collect::<Vec<_>>().join(", ")
            );
            return (RuleStatus::Fail, Some(reason), evidence);
        }
        (
            RuleStatus::Partial,
            Some("one visible gambling term on one page: check by hand".to_string()),
            evidence,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher() -> SpamMatcher {
        SpamParams {
            terms: vec!["slot gacor".into(), "togel".into(), "judi online".into()],
            guarded_terms: vec!["slot".into(), "bandar".into()],
            co_terms: vec![
                "gacor".into(),
                "maxwin".into(),
                "situs".into(),
                "deposit".into(),
            ],
            window: 8,
        }
        .matcher()
        .expect("valid params")
    }

    #[test]
    fn terms_and_guarded_terms() {
        let m = matcher();
        assert_eq!(
            m.find("Daftar SLOT-GACOR hari ini"),
            Some("slot gacor".into())
        );
        assert_eq!(m.find("Prediksi Togel SGP"), Some("togel".into()));
        assert_eq!(m.find("Jadwal slot waktu pendaftaran"), None);
        assert_eq!(m.find("Bandar Lampung dan bandara"), None);
        assert_eq!(
            m.find("bandar terpercaya deposit 10rb"),
            Some("bandar + deposit".into())
        );
        assert_eq!(m.find("slot kuota antrian"), None);
        assert_eq!(m.find("Slöt Gacör"), Some("slot gacor".into()));
    }

    /// The one trigger pass over joined segments finds the same hits as a `find` on every
    /// segment, including a term at a segment's very end and accented (non-ASCII) text.
    #[test]
    fn joined_trigger_pass_finds_every_hit() {
        let m = matcher();
        let seg = |text: &str, location| Segment {
            text: text.to_string(),
            location,
            concealed: false,
            node: None,
        };
        let segments = vec![
            seg("Beranda Profil Berita", Location::Text),
            seg("Situs resmi Dinas", Location::Text),
            seg("Prediksi TOGEL", Location::Text),
            seg("gacor", Location::Text),
            seg("Slöt Gacör", Location::Alt),
            seg("Bandar Lampung", Location::Text),
            seg("bandar deposit", Location::Meta),
        ];
        assert_eq!(
            m.trigger_candidates(&segments),
            vec![false, false, true, false, true, true, true]
        );
        let hits: Vec<String> = m
            .collect(&segments, |_| None)
            .hits
            .into_iter()
            .map(|h| h.term)
            .collect();
        let naive: Vec<String> = segments.iter().filter_map(|s| m.find(&s.text)).collect();
        assert_eq!(hits, vec!["togel", "slot gacor", "bandar + deposit"]);
        assert_eq!(hits, naive);
    }

    #[test]
    fn concealing_styles() {
        assert!(style_conceals("position:absolute; left:-9999px"));
        assert!(style_conceals("display:none"));
        assert!(style_conceals("font-size: 0"));
        assert!(style_conceals("height:1px;overflow:hidden"));
        assert!(!style_conceals("color:red; left: 10px"));
    }
}
