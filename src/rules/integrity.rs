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
    /// The first word of every term and guarded term: a phrase occurs in a text only if its
    /// first word is one of the text's tokens, a cheap necessary condition checked before
    /// tokenising the text.
    pub(crate) first_words: FirstWords,
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
        let mut first_words = FirstWords::default();
        first_words.extend(terms.iter().chain(guarded.iter()).map(Phrase::first_word));
        Ok(SpamMatcher {
            first_words,
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
        if !self.first_words.may_match(text) {
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

    /// Which segments [`SpamMatcher::find`] tokenises: those where a phrase's first word may
    /// be a token ([`FirstWords::may_match`]).
    #[cfg(test)]
    fn trigger_candidates(&self, segments: &[Segment]) -> Vec<bool> {
        segments
            .iter()
            .map(|s| self.first_words.may_match(&s.text))
            .collect()
    }

    /// Scan a page's segments.
    pub fn collect(
        &self,
        segments: &[Segment],
        selector_of: impl Fn(ego_tree::NodeId) -> Option<String>,
    ) -> SpamFact {
        let mut fact = SpamFact::default();
        let mut seen: BTreeSet<(String, Location, bool)> = BTreeSet::new();
        for s in segments {
            if fact.hits.len() >= MAX_HITS {
                break;
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
    style_flags(style).1
}

/// `(hides, conceals)` of an inline style in one pass without copies: `hides` is
/// `accname::style_hides` (`display:none`, `visibility:hidden|collapse`; CSS Display §2.5,
/// CSS2 §11.2) and `conceals` is [`style_conceals`] (`hides` or a zero or off-screen size or
/// position). Declarations as `accname::style_declarations` reads them: split at `;` and the
/// first `:`, trimmed, a trailing `!important` dropped, property and value compared without
/// ASCII case.
pub(crate) fn style_flags(style: &str) -> (bool, bool) {
    let mut conceals = false;
    for decl in style.split(';') {
        let Some((prop, val)) = decl.split_once(':') else {
            continue;
        };
        let prop = prop.trim();
        let val = val.trim().trim_end_matches("!important").trim();
        let is = |p: &str| prop.eq_ignore_ascii_case(p);
        if (is("display") && val.eq_ignore_ascii_case("none"))
            || (is("visibility")
                && (val.eq_ignore_ascii_case("hidden") || val.eq_ignore_ascii_case("collapse")))
        {
            return (true, true);
        }
        if conceals {
            continue;
        }
        let px = || css_number(val);
        conceals = if is("opacity") {
            px() == Some(0.0)
        } else if is("font-size") || is("height") || is("max-height") || is("width") {
            px().is_some_and(|v| v <= 1.0)
        } else if is("left") || is("top") || is("text-indent") || is("margin-left") {
            px().is_some_and(|v| v <= -999.0)
        } else {
            false
        };
    }
    (false, conceals)
}

/// The number of a CSS length value as [`style_conceals`] reads it: the lower-cased value
/// with trailing `px` then trailing `em` removed (repeatedly), trimmed, parsed as `f64`.
fn css_number(val: &str) -> Option<f64> {
    if val.bytes().any(|b| b.is_ascii_uppercase()) {
        return css_number(&val.to_ascii_lowercase());
    }
    // `trim_end_matches` with a string pattern sets up a substring searcher per call; these
    // loops remove the same suffixes.
    let mut v = val;
    while let Some(rest) = v.strip_suffix("px") {
        v = rest;
    }
    while let Some(rest) = v.strip_suffix("em") {
        v = rest;
    }
    v.trim().parse::<f64>().ok()
}

/// The first words of spam phrases (lower-case tokens, as [`super::text::tokens`] makes
/// them), tested as whole tokens of a text without tokenising it.
#[derive(Debug, Clone)]
pub(crate) struct FirstWords {
    /// ASCII words by byte length, each list sorted.
    by_len: Vec<Vec<Box<[u8]>>>,
    /// A quick test for words shorter than [`QUICK_LEN`] bytes: bit `ALNUM[last]` of
    /// `quick[len][ALNUM[first]]` is set when some word of that length begins with `first`
    /// and ends with `last`.
    quick: Box<[[u64; 36]; QUICK_LEN]>,
    /// "dan" is a first word: tokenising turns `&` into the token "dan".
    amp: bool,
}

impl Default for FirstWords {
    fn default() -> FirstWords {
        FirstWords {
            by_len: Vec::new(),
            quick: Box::new([[0; 36]; QUICK_LEN]),
            amp: false,
        }
    }
}

/// Word lengths (bytes) with a quick first/last-letter test in [`FirstWords`].
const QUICK_LEN: usize = 24;

/// ASCII letters (either case) → 0–25, digits → 26–35, every other byte → [`NOT_ALNUM`].
static ALNUM: [u8; 256] = {
    let mut t = [NOT_ALNUM; 256];
    let mut c = 0;
    while c < 26 {
        t[b'a' as usize + c] = c as u8;
        t[b'A' as usize + c] = c as u8;
        c += 1;
    }
    let mut d = 0;
    while d < 10 {
        t[b'0' as usize + d] = 26 + d as u8;
        d += 1;
    }
    t
};
const NOT_ALNUM: u8 = u8::MAX;

impl FirstWords {
    /// Add words (tokens: lower case, letters and digits only). A word that is not ASCII can
    /// never be a token of text this type reads (see [`FirstWords::may_match`]).
    pub fn extend<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        for w in words {
            self.amp |= w == "dan";
            if w.is_ascii() {
                self.insert(w.as_bytes());
            }
        }
    }

    /// Add every word of `other`.
    pub fn absorb(&mut self, other: &FirstWords) {
        self.amp |= other.amp;
        for w in other.by_len.iter().flatten() {
            self.insert(w);
        }
    }

    fn insert(&mut self, w: &[u8]) {
        if w.is_empty() {
            return;
        }
        if self.by_len.len() <= w.len() {
            self.by_len.resize(w.len() + 1, Vec::new());
        }
        if let (Some(q), Some(&f), Some(&l)) = (self.quick.get_mut(w.len()), w.first(), w.last()) {
            let (f, l) = (ALNUM[usize::from(f)], ALNUM[usize::from(l)]);
            if f != NOT_ALNUM && l != NOT_ALNUM {
                q[usize::from(f)] |= 1 << l;
            }
        }
        let list = &mut self.by_len[w.len()];
        if let Err(at) = list.binary_search_by(|x| (**x).cmp(w)) {
            list.insert(at, w.into());
        }
    }

    /// May one of the words be a token of `text` ([`super::text::tokens`])? `false` only
    /// when none can be. ASCII letters and digits make tokens, in runs (lower-cased); `%20`
    /// separates like a space, so a run after `%` that begins with `20` is also read from
    /// its third byte; `&` is the token "dan". A non-ASCII character that is neither
    /// alphanumeric nor lower-cases to one separates like any other punctuation (no-break
    /// spaces, typographic quotes, dashes); any other non-ASCII character (an accented
    /// letter, which tokenising folds: "slöt" → "slot") answers `true`.
    pub fn may_match(&self, text: &str) -> bool {
        if !text.is_ascii() && text.chars().any(|c| !c.is_ascii() && !separates_folded(c)) {
            return true;
        }
        let b = text.as_bytes();
        if self.amp && b.contains(&b'&') {
            return true;
        }
        // Runs of ASCII letters and digits, found 64 bytes at a time from a bit mask (bit j:
        // byte j is a letter or digit): a run starts at a set bit after a clear one and ends
        // at a set bit before a clear one. Bytes of non-ASCII characters are clear: those
        // characters separate (tested above).
        let mut open: Option<usize> = None;
        let mut base = 0;
        while base < b.len() {
            let len = (b.len() - base).min(64);
            let m = alnum_mask(&b[base..base + len]);
            if m & 1 == 0 {
                // A run left open by the previous block ended with it.
                if let Some(start) = open.take() {
                    if self.run_matches(b, start, base) {
                        return true;
                    }
                }
            }
            let mut starts = m & !((m << 1) | u64::from(open.is_some()));
            let mut ends = m & !(m >> 1);
            if base + len < b.len() {
                // A run at the block's last byte may go on in the next block.
                ends &= !(1u64 << (len - 1));
            }
            while ends != 0 {
                let end = base + ends.trailing_zeros() as usize + 1;
                ends &= ends - 1;
                let start = open.take().unwrap_or_else(|| {
                    let s = base + starts.trailing_zeros() as usize;
                    starts &= starts.wrapping_sub(1);
                    s
                });
                if self.run_matches(b, start, end) {
                    return true;
                }
            }
            if starts != 0 {
                open = Some(base + starts.trailing_zeros() as usize);
            }
            base += len;
        }
        false
    }

    /// Is the run of letters and digits `b[start..end]` one of the words, or (after `%20`)
    /// the run without its first two bytes?
    #[inline(always)]
    fn run_matches(&self, b: &[u8], start: usize, end: usize) -> bool {
        let run = &b[start..end];
        self.has(run)
            || (start > 0 && b[start - 1] == b'%' && run.starts_with(b"20")) && self.has(&run[2..])
    }

    /// Is `run` (ASCII letters and digits) one of the words, ignoring ASCII case?
    #[inline(always)]
    fn has(&self, run: &[u8]) -> bool {
        if let (Some(q), Some(&f), Some(&l)) = (self.quick.get(run.len()), run.first(), run.last())
        {
            let (f, l) = (ALNUM[usize::from(f)], ALNUM[usize::from(l)]);
            if f == NOT_ALNUM || l == NOT_ALNUM || q[usize::from(f) % 36] >> (l % 64) & 1 == 0 {
                return false;
            }
        }
        self.listed(run)
    }

    /// The exact test of [`FirstWords::has`]: a binary search among the words of `run`'s length.
    fn listed(&self, run: &[u8]) -> bool {
        let Some(list) = self.by_len.get(run.len()) else {
            return false;
        };
        list.binary_search_by(|w| {
            w.iter()
                .copied()
                .cmp(run.iter().map(u8::to_ascii_lowercase))
        })
        .is_ok()
    }
}

/// Does a non-ASCII character separate tokens like punctuation: neither it nor its lower
/// case is alphanumeric or `&` (no-break and ideographic spaces, typographic quotes, dashes)?
fn separates_folded(c: char) -> bool {
    let separates = |c: char| !c.is_alphanumeric() && c != '&';
    separates(c) && c.to_lowercase().all(separates)
}

/// Bit `j` set when `chunk[j]` (≤ 64 bytes) is an ASCII letter or digit.
fn alnum_mask(chunk: &[u8]) -> u64 {
    let mut m = 0;
    let mut eights = chunk.chunks_exact(8);
    let mut k = 0;
    for eight in eights.by_ref() {
        let mut w = [0u8; 8];
        w.copy_from_slice(eight);
        m |= alnum_bits(u64::from_le_bytes(w)) << (8 * k);
        k += 1;
    }
    let rest = eights.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        m |= alnum_bits(u64::from_le_bytes(w)) << (8 * k);
    }
    m
}

/// Bit `k` set when byte `k` of `x` (little-endian) is an ASCII letter or digit: range tests
/// on all eight bytes at once (each byte's high bit cleared first, so no sum carries into the
/// next byte), then the eight flags gathered by one multiplication.
fn alnum_bits(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn rep(b: u8) -> u64 {
        u64::from_ne_bytes([b; 8])
    }
    let v = x & !HIGH;
    let lower = v | rep(0x20);
    let letter = (lower + rep(0x80 - b'a')) & !(lower + rep(0x80 - b'z' - 1));
    let digit = (v + rep(0x80 - b'0')) & !(v + rep(0x80 - b'9' - 1));
    let alnum = (letter | digit) & !x & HIGH;
    (alnum >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
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

    /// `style_conceals` as it was: `accname::style_hides`, or a declaration (lower-cased by
    /// `accname::style_declarations`) with a zero or off-screen number.
    fn style_conceals_reference(style: &str) -> bool {
        if crate::rules::accname::style_hides(style) {
            return true;
        }
        crate::rules::accname::style_declarations(style).any(|(prop, val)| {
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

    #[test]
    fn style_flags_agree_with_declarations() {
        let parts = [
            "display",
            "DISPLAY",
            "visibility",
            "opacity",
            "font-size",
            "Height",
            "max-height",
            "width",
            "left",
            "top",
            "text-indent",
            "margin-left",
            "color",
            ":",
            ":",
            ";",
            ";",
            " ",
            "none",
            "NONE",
            "hidden",
            "collapse",
            "0",
            "0.0",
            "1",
            "1PX",
            "px",
            "pxpx",
            "em",
            "EM",
            "-999",
            "-1000px",
            "2",
            "!important",
            "!IMPORTANT",
            "inf",
            "-INF",
            "NaN",
            "1e0",
            "é",
        ];
        let mut next = crate::rules::text::test_rng(0x0057_11e5);
        for _ in 0..20000 {
            let style: String = (0..next(9)).map(|_| parts[next(parts.len())]).collect();
            let (hides, conceals) = style_flags(&style);
            assert_eq!(
                hides,
                crate::rules::accname::style_hides(&style),
                "{style:?}"
            );
            assert_eq!(conceals, style_conceals_reference(&style), "{style:?}");
        }
    }

    /// [`SpamMatcher::find`] with no first-word test: every text tokenised.
    fn find_reference(m: &SpamMatcher, text: &str) -> Option<String> {
        let always = SpamMatcher {
            first_words: FirstWords {
                amp: true,
                ..FirstWords::default()
            },
            ..m.clone()
        };
        let mut every = FirstWords::default();
        every.extend(tokens(text).iter().map(String::as_str));
        let always = SpamMatcher {
            first_words: every,
            ..always
        };
        always.find(text)
    }

    /// The first-word test never hides a token: on random texts (case, `%20`, `&`, accents,
    /// no-break spaces, typographic quotes, Kelvin sign, dotted capital I) it answers `true`
    /// whenever a first word is among `tokens(text)`, and `find` equals tokenising every text.
    #[test]
    fn first_word_test_is_a_necessary_condition() {
        let m = matcher();
        let firsts: BTreeSet<String> = ["slot", "togel", "judi", "bandar"]
            .into_iter()
            .map(String::from)
            .collect();
        let parts = [
            "slot", "SLOT", "Slöt", "gacor", "togel", "TOGEL", "judi", "online", "bandar",
            "deposit", "%20", "%2", "20", "%", "&", " ", "-", "\u{a0}", "\u{201c}", "\u{212a}",
            "\u{130}", "é", "x", "9", "sl", "ot", "slots", "\n",
        ];
        let mut next = crate::rules::text::test_rng(0x7065_0001);
        let mut hits = 0;
        for _ in 0..20000 {
            let text: String = (0..next(7)).map(|_| parts[next(parts.len())]).collect();
            if tokens(&text).iter().any(|t| firsts.contains(t)) {
                assert!(m.first_words.may_match(&text), "{text:?}");
            }
            let found = m.find(&text);
            assert_eq!(found, find_reference(&m, &text), "{text:?}");
            hits += usize::from(found.is_some());
        }
        assert!(hits > 500, "{hits}");
        // Words are found as whole tokens only: "agenda" holds no "agen".
        let mut agen = FirstWords::default();
        agen.extend(["agen", "slot88"]);
        assert!(!agen.may_match("Agenda kegiatan; slot888"));
        assert!(agen.may_match("AGEN-resmi"));
        assert!(agen.may_match("x%20Slot88"));
        assert!(!agen.may_match("x%2020slot88"));
    }
    /// [`FirstWords::may_match`] byte by byte, as first written.
    fn may_match_reference(w: &FirstWords, text: &str) -> bool {
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_alphanumeric() {
                let start = i;
                while i < b.len() && b[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                let run = &b[start..i];
                if w.has(run)
                    || (start > 0 && b[start - 1] == b'%' && run.starts_with(b"20"))
                        && w.has(&run[2..])
                {
                    return true;
                }
                continue;
            }
            if c == b'&' && w.amp {
                return true;
            }
            if c.is_ascii() {
                i += 1;
                continue;
            }
            let Some(ch) = text[i..].chars().next() else {
                break;
            };
            if !separates_folded(ch) {
                return true;
            }
            i += ch.len_utf8();
        }
        false
    }

    #[test]
    fn blockwise_runs_agree_with_byte_by_byte() {
        let m = matcher();
        let parts = [
            "slot",
            "SLOT",
            "togel",
            "judi",
            "bandar",
            "%20",
            "%",
            "20",
            "&",
            " ",
            ".",
            "x",
            "9",
            "lorem",
            "ipsumdolor",
            "\u{a0}",
            "\u{2013}",
            "sl",
            "ot",
            "aaaaaaaaaaaaaaaa",
        ];
        let mut next = crate::rules::text::test_rng(0x0b10_c4ed);
        let mut yes = 0;
        for _ in 0..20000 {
            let text: String = (0..next(60)).map(|_| parts[next(parts.len())]).collect();
            let got = m.first_words.may_match(&text);
            assert_eq!(got, may_match_reference(&m.first_words, &text), "{text:?}");
            yes += usize::from(got);
        }
        assert!(yes > 5000 && yes < 19000, "{yes}");
        for x in 0..=255u8 {
            let want = u64::from(x.is_ascii_alphanumeric());
            assert_eq!(alnum_bits(u64::from(x) << 24), want << 3, "{x}");
        }
    }
}
