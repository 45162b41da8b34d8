//! Text normalisation and phrase matching for the site rules (research
//! `transparency-rules.md` §5 "Normalisation"): lowercase, accents folded, `&` → "dan",
//! `-`, `_`, `.`, `/`, `+`, `%20` and other punctuation → space, whitespace collapsed; filler
//! words ("dan", "serta", "yang", "di", "ke") dropped when comparing multi-word labels; slugs split at camelCase and digit boundaries (`InformasiBerkala` → "informasi
//! berkala", `lkjip2024` → "lkjip 2024").

/// Words dropped when comparing multi-word labels (§5). Research §5 also lists "tentang";
/// it is kept here because dropping it turns the label "Tentang Kami" into the bare word
/// "kami", which matches "Hubungi kami" and "Temukan kami di Media Sosial".
const FILLERS: &[&str] = &["dan", "serta", "yang", "di", "ke"];

fn fold(c: char) -> Option<char> {
    let c = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ñ' => 'n',
        'ç' => 'c',
        c if c.is_ascii_alphanumeric() => c,
        c if c.is_alphanumeric() => c,
        _ => return None,
    };
    Some(c)
}

/// Normalised tokens of `s`: lowercase, accents folded, `&` → "dan", `%20` and every
/// non-alphanumeric character (emoji included) a separator.
pub fn tokens(s: &str) -> Vec<String> {
    if s.is_ascii() {
        ascii_tokens(s, false)
    } else {
        unicode_tokens(s)
    }
}

/// [`tokens`] (`slug = false`) or [`slug_tokens`] (`slug = true`) of `s`, each handed to `emit`
/// in order without a `String` per token: ASCII text (most page text and URLs) is cut into
/// runs of the input, lower-cased in `scratch` only when a run has an upper-case letter.
/// Text with other characters is cut at those that are neither letters nor digits (`»`,
/// `–`, a no-break space: separators in every case) and only the pieces that still hold one
/// take the character-by-character path.
pub fn for_each_token(s: &str, slug: bool, scratch: &mut String, mut emit: impl FnMut(&str)) {
    let s = if slug { slug_stem(s) } else { s };
    let mut ascii = |piece: &str, emit: &mut dyn FnMut(&str)| {
        ascii_runs(piece, slug, |run, upper| {
            if upper {
                scratch.clear();
                scratch.push_str(run);
                scratch.make_ascii_lowercase();
                emit(scratch);
            } else {
                emit(run);
            }
        })
    };
    if s.is_ascii() {
        ascii(s, &mut emit);
        return;
    }
    if slug {
        unicode_slug_tokens(s).iter().for_each(|w| emit(w));
        return;
    }
    let mut start = 0;
    let mut piece = |p: &str, emit: &mut dyn FnMut(&str)| {
        if p.is_ascii() {
            ascii(p, emit);
        } else {
            unicode_tokens(p).iter().for_each(|w| emit(w));
        }
    };
    for (i, c) in s.char_indices() {
        if !c.is_ascii() && is_separator(c) {
            piece(&s[start..i], &mut emit);
            start = i + c.len_utf8();
        }
    }
    piece(&s[start..], &mut emit);
}

/// Is `c` a separator in every context for [`tokens`]: no character of its lower case is a
/// letter, a digit or `&`? (Splitting the text there and tokenising the pieces gives the
/// tokens of the whole.)
fn is_separator(c: char) -> bool {
    c.to_lowercase().all(|l| l != '&' && !l.is_alphanumeric())
}

/// [`tokens`] for any text, character by character.
fn unicode_tokens(s: &str) -> Vec<String> {
    let s = if s.contains('%') {
        std::borrow::Cow::Owned(s.replace("%20", " "))
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in s.chars().flat_map(char::to_lowercase) {
        if ch == '&' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push("dan".to_string());
            continue;
        }
        match fold(ch) {
            Some(c) => cur.push(c),
            None => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A URL path segment or file name without its trailing extension (2–5 characters after the
/// last `.`, with a non-empty stem before it).
fn slug_stem(segment: &str) -> &str {
    match segment.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && (2..=5).contains(&ext.len()) => stem,
        _ => segment,
    }
}

/// Tokens of a URL path segment or file name: camelCase and letter/digit boundaries split
/// first, then [`tokens`]; a trailing file extension (`.html`, `.php`, `.pdf`, …) is dropped.
pub fn slug_tokens(segment: &str) -> Vec<String> {
    let seg = slug_stem(segment);
    if seg.is_ascii() {
        ascii_tokens(seg, true)
    } else {
        unicode_slug_tokens(seg)
    }
}

/// [`slug_tokens`] of a segment without its extension, character by character.
fn unicode_slug_tokens(seg: &str) -> Vec<String> {
    let mut split = String::with_capacity(seg.len() + 8);
    let mut prev: Option<char> = None;
    for c in seg.chars() {
        if let Some(p) = prev {
            let camel = p.is_lowercase() && c.is_uppercase();
            let digit = (p.is_alphabetic() && c.is_ascii_digit())
                || (p.is_ascii_digit() && c.is_alphabetic());
            if camel || digit {
                split.push(' ');
            }
        }
        split.push(c);
        prev = Some(c);
    }
    unicode_tokens(&split)
}

/// [`tokens`] (and, with `slug_breaks`, [`slug_tokens`] after its extension is dropped) of
/// ASCII text in one pass over the bytes: the same tokens as the general path, which decodes
/// and case-maps every character through Unicode tables (a tenth of `check_page` on pages
/// with hundreds of links).
fn ascii_tokens(s: &str, slug_breaks: bool) -> Vec<String> {
    let mut out = Vec::new();
    ascii_runs(s, slug_breaks, |run, _| out.push(run.to_ascii_lowercase()));
    out
}

/// Byte classes of [`ascii_runs`].
const SEP: u8 = 0;
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const DIGIT: u8 = 3;
const AMP: u8 = 4;
const PCT: u8 = 5;

/// The class of every byte: ASCII letters and digits, `&`, `%`, anything else a separator.
static CLASS: [u8; 256] = {
    let mut t = [SEP; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_lowercase() {
            LOWER
        } else if b.is_ascii_uppercase() {
            UPPER
        } else if b.is_ascii_digit() {
            DIGIT
        } else if b == b'&' {
            AMP
        } else if b == b'%' {
            PCT
        } else {
            SEP
        };
        i += 1;
    }
    t
};

/// The tokens of ASCII `s` before lower-casing, handed to `emit` in order with whether they
/// hold an upper-case letter: each token is a run of ASCII letters and digits of `s` (ended by
/// any other byte, by `%20`, and with `slug_breaks` at a camelCase or letter/digit boundary),
/// or "dan" for `&`.
fn ascii_runs<'s>(s: &'s str, slug_breaks: bool, mut emit: impl FnMut(&'s str, bool)) {
    let b = s.as_bytes();
    let class = |i: usize| CLASS[usize::from(b[i])];
    let alnum = |k: u8| (LOWER..=DIGIT).contains(&k);
    let slug_break = |p: u8, k: u8| {
        (p == LOWER && k == UPPER) || (p != DIGIT && k == DIGIT) || (p == DIGIT && k != DIGIT)
    };
    let mut i = 0;
    while i < b.len() {
        let k = class(i);
        if !alnum(k) {
            i += match k {
                AMP => {
                    emit("dan", false);
                    1
                }
                // `%20` is a space.
                PCT if b.get(i + 1) == Some(&b'2') && b.get(i + 2) == Some(&b'0') => 3,
                _ => 1,
            };
            continue;
        }
        let start = i;
        let mut upper = k == UPPER;
        let mut prev = k;
        i += 1;
        while i < b.len() {
            let k = class(i);
            if !alnum(k) || (slug_breaks && slug_break(prev, k)) {
                break;
            }
            upper |= k == UPPER;
            prev = k;
            i += 1;
        }
        emit(&s[start..i], upper);
    }
}

/// A compiled label (synonym or slug): its tokens, fillers removed when it has several words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    /// As written in the rule file.
    pub label: String,
    words: Vec<String>,
    /// The words without separators (`visimisi`), for slugs written as one word.
    joined: String,
    /// [`word_hash`] of each word, then of `joined`: looked up on every page.
    hashes: Vec<u64>,
}

impl Phrase {
    /// Compile a label; `None` when it has no letters or digits.
    pub fn new(label: &str) -> Option<Phrase> {
        let words = drop_fillers(tokens(label));
        (!words.is_empty()).then(|| {
            let joined = words.concat();
            let hashes = words
                .iter()
                .chain(std::iter::once(&joined))
                .map(|w| word_hash(w))
                .collect();
            Phrase {
                label: label.to_string(),
                joined,
                words,
                hashes,
            }
        })
    }

    /// Does the label occur, as a contiguous run of whole words, in `text`?
    pub fn in_text(&self, text: &str) -> bool {
        self.in_tokens(&drop_fillers(tokens(text)))
    }

    /// The label's words written without separators (`visimisi` for "visi-misi").
    pub fn joined(&self) -> &str {
        &self.joined
    }

    /// The label's first word (labels always have one).
    pub fn first_word(&self) -> &str {
        self.words.first().map(String::as_str).unwrap_or("")
    }

    /// The label's words as ids of `vocab`, appended to `out`; `false` (and `out` unchanged)
    /// when one of them is not in `vocab`: the label then occurs in none of its texts.
    pub(crate) fn push_ids(&self, vocab: &Vocab, out: &mut Vec<u32>) -> bool {
        let start = out.len();
        for (w, &hash) in self.words.iter().zip(&self.hashes) {
            match vocab.get(w, hash) {
                Some(id) => out.push(id),
                None => {
                    out.truncate(start);
                    return false;
                }
            }
        }
        true
    }

    /// The id of the label written as one word ([`Phrase::joined`]), if `vocab` has it.
    pub(crate) fn joined_id(&self, vocab: &Vocab) -> Option<u32> {
        vocab.get(&self.joined, self.hashes.last().copied().unwrap_or(0))
    }

    /// Does the label occur as a contiguous run of words in `words` (already filler-free)?
    pub fn in_tokens(&self, words: &[String]) -> bool {
        words.windows(self.words.len()).any(|w| w == self.words)
    }

    /// Does the label occur in a short `text`: at most `max_extra` words besides the label's
    /// own? Menu entries and page titles are short; a news headline that mentions the label
    /// ("Dinas Kominfo gelar monev PPID 2023 …") is not an entry for it.
    pub fn in_short_text(&self, text: &str, max_extra: usize) -> bool {
        self.in_short_words(&drop_fillers(tokens(text)), max_extra)
    }

    /// [`Phrase::in_short_text`] on already tokenised, filler-free words.
    pub fn in_short_words(&self, words: &[String], max_extra: usize) -> bool {
        words.len() <= self.words.len() + max_extra && self.in_tokens(words)
    }

    /// Does a URL path segment match the label as a slug: its words contain the label's words
    /// in a row with at most `max_extra` other words (`profil-visi-misi` ⊇ `visi-misi`), or
    /// the segment written without separators equals the label without separators
    /// (`visimisi` = `visi-misi`)?
    pub fn in_slug(&self, segment: &str, max_extra: usize) -> bool {
        self.in_slug_words(&drop_fillers(slug_tokens(segment)), max_extra)
    }

    /// [`Phrase::in_slug`] on already tokenised, filler-free slug words.
    pub fn in_slug_words(&self, words: &[String], max_extra: usize) -> bool {
        if words.len() <= self.words.len() + max_extra && self.in_tokens(words) {
            return true;
        }
        words.len() <= 1 + max_extra && words.contains(&self.joined)
    }
}

/// Remove filler words, unless that would leave nothing (a label that is only "di").
pub fn drop_fillers(mut words: Vec<String>) -> Vec<String> {
    let filler = |w: &String| FILLERS.contains(&w.as_str());
    if words.len() >= 2 && !words.iter().all(filler) {
        words.retain(|w| !filler(w));
    }
    words
}

/// The words of one page, each stored once and named by a `u32` id, so that the site kinds
/// compare ids instead of strings and keep one copy of a word however often it occurs. The
/// filler words ([`drop_fillers`]) always have the ids `0..5`. The words sit back to back in
/// one string (no allocation per word); the table finds them by [`word_hash`].
#[derive(Debug)]
pub(crate) struct Vocab {
    table: hashbrown::HashTable<u32>,
    /// Every word, back to back.
    text: String,
    /// Word id → the end of the word in `text` (it starts at the previous word's end).
    ends: Vec<u32>,
}

/// The hash by which a [`Vocab`] finds a word (FxHash).
pub(crate) fn word_hash(word: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(word)
}

/// Word `id` of the words `text` ending at `ends`.
fn word_of<'v>(text: &'v str, ends: &[u32], id: u32) -> &'v str {
    let i = id as usize;
    let start = match i.checked_sub(1) {
        Some(prev) => ends.get(prev).copied().unwrap_or(0) as usize,
        None => 0,
    };
    let end = ends.get(i).copied().unwrap_or(0) as usize;
    text.get(start..end).unwrap_or("")
}

impl Default for Vocab {
    fn default() -> Vocab {
        Vocab::with_capacity(0)
    }
}

impl Vocab {
    /// An empty vocabulary (but for the fillers) with room for about `words` words without
    /// growing.
    pub(crate) fn with_capacity(words: usize) -> Vocab {
        let n = words + FILLERS.len();
        let mut v = Vocab {
            table: hashbrown::HashTable::with_capacity(n),
            text: String::with_capacity(n * 8),
            ends: Vec::with_capacity(n),
        };
        for w in FILLERS {
            v.intern(w);
        }
        v
    }

    /// The id of `word` (a normalised token), adding it when new.
    pub(crate) fn intern(&mut self, word: &str) -> u32 {
        let hash = word_hash(word);
        let (text, ends) = (&self.text, &self.ends);
        if let Some(&id) = self.table.find(hash, |&id| word_of(text, ends, id) == word) {
            return id;
        }
        let id = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.text.push_str(word);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .insert_unique(hash, id, |&id| word_hash(word_of(text, ends, id)));
        id
    }

    /// The id of `word`, if the page has it; `hash` is its [`word_hash`].
    pub(crate) fn get(&self, word: &str, hash: u64) -> Option<u32> {
        self.table
            .find(hash, |&id| word_of(&self.text, &self.ends, id) == word)
            .copied()
    }

    /// How many words (ids are `0..count`).
    pub(crate) fn count(&self) -> usize {
        self.ends.len()
    }

    /// The words by id (for tests that turn ids back into words).
    #[cfg(test)]
    pub(crate) fn words(&self) -> Vec<&str> {
        (0..self.ends.len())
            .map(|id| word_of(&self.text, &self.ends, id as u32))
            .collect()
    }
}

/// [`drop_fillers`] on the ids `ids[start..]` of a [`Vocab`], in place.
pub(crate) fn drop_filler_ids(ids: &mut Vec<u32>, start: usize) {
    let filler = |id: u32| (id as usize) < FILLERS.len();
    let words = &ids[start..];
    if words.len() >= 2 && !words.iter().all(|&id| filler(id)) {
        let mut keep = start;
        for i in start..ids.len() {
            if !filler(ids[i]) {
                ids[keep] = ids[i];
                keep += 1;
            }
        }
        ids.truncate(keep);
    }
}

/// [`Phrase::in_short_words`] on [`Vocab`] ids: `label` is the phrase's words.
pub(crate) fn ids_in_short(label: &[u32], words: &[u32], max_extra: usize) -> bool {
    words.len() <= label.len() + max_extra && words.windows(label.len()).any(|w| w == label)
}

/// [`Phrase::in_slug_words`] on [`Vocab`] ids: `label` is the phrase's words (`None` when one
/// of them is not on the page), `joined` the phrase written as one word.
pub(crate) fn ids_in_slug(
    label: Option<&[u32]>,
    joined: Option<u32>,
    words: &[u32],
    max_extra: usize,
) -> bool {
    if label.is_some_and(|l| ids_in_short(l, words, max_extra)) {
        return true;
    }
    words.len() <= 1 + max_extra && joined.is_some_and(|j| words.contains(&j))
}

/// The maximal runs of ASCII digits of `text`, as byte ranges `(start, end)`, in order.
/// Skips 32 bytes at a time while they hold no digit (a branch-free test the compiler turns
/// into vector compares): page text is mostly letters, and the date and phone searches only
/// look around digits.
pub fn digit_runs(text: &str) -> DigitRuns<'_> {
    DigitRuns {
        bytes: text.as_bytes(),
        at: 0,
    }
}

/// Byte ranges of `text` where a pattern anchored on digits may match, in order and
/// disjoint. For each digit run `(start, end)`, `reach` gives the range a match around it can
/// cover (`None`: no match can use this run); the range is widened to ASCII white space (or
/// the text's ends) on both sides and overlapping ranges are merged. A pattern with ASCII word
/// boundaries (`(?-u)`) matches in such a window exactly as in the whole text, as long as
/// `reach` covers every match: white space is a non-word ASCII byte, so a window edge is a
/// boundary in the window exactly when it is one in the text, and an edge is always a
/// character boundary.
pub fn digit_windows(
    text: &str,
    reach: impl Fn(&[u8], usize, usize) -> Option<(usize, usize)>,
) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let ws = |i: usize| b[i].is_ascii_whitespace();
    let mut windows: Vec<(usize, usize)> = Vec::new();
    for (run_start, run_end) in digit_runs(text) {
        let Some((mut s, e)) = reach(b, run_start, run_end) else {
            continue;
        };
        s = s.min(run_start);
        while s > 0 && !ws(s - 1) {
            s -= 1;
        }
        let mut e = e.clamp(run_end, b.len());
        while e < b.len() && !ws(e) {
            e += 1;
        }
        match windows.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => windows.push((s, e)),
        }
    }
    windows
}

/// A small deterministic pseudo-random source for the equivalence tests (xorshift64):
/// `next(n)` is in `0..n`.
#[cfg(test)]
pub(crate) fn test_rng(mut state: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    }
}

/// Iterator of [`digit_runs`].
#[derive(Debug, Clone)]
pub struct DigitRuns<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Iterator for DigitRuns<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        const CHUNK: usize = 32;
        let b = self.bytes;
        let mut i = self.at;
        let start = loop {
            let rest = b.get(i..)?;
            if rest.is_empty() {
                self.at = i;
                return None;
            }
            let chunk = &rest[..rest.len().min(CHUNK)];
            if chunk.len() == CHUNK && !chunk.iter().fold(false, |any, c| any | c.is_ascii_digit())
            {
                i += CHUNK;
                continue;
            }
            match chunk.iter().position(u8::is_ascii_digit) {
                Some(p) => break i + p,
                None => i += chunk.len(),
            }
        };
        let mut end = start;
        while end < b.len() && b[end].is_ascii_digit() {
            end += 1;
        }
        self.at = end;
        Some((start, end))
    }
}

/// The first `max` characters of `s` (whitespace collapsed), with `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    let s = crate::page::collapse_ws(s);
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_normalise() {
        assert_eq!(
            tokens("Visi & Misi — Dinas_Kominfo/PPID%20Pelaksana 🎉 Café"),
            vec![
                "visi",
                "dan",
                "misi",
                "dinas",
                "kominfo",
                "ppid",
                "pelaksana",
                "cafe"
            ]
        );
    }

    #[test]
    fn phrases_match_words_not_substrings() {
        let p = Phrase::new("Visi dan Misi").expect("phrase");
        assert!(p.in_text("Profil: Visi & Misi Dinas"));
        assert!(p.in_text("VISI-MISI"));
        assert!(p.in_text("Visi Misi"));
        assert!(!p.in_text("Televisi Misi"));
        let ppid = Phrase::new("PPID").expect("phrase");
        assert!(ppid.in_text("Layanan PPID Pelaksana"));
        assert!(!ppid.in_text("eppidx"));
    }

    #[test]
    fn slugs_split_camel_case_digits_and_extensions() {
        assert_eq!(
            slug_tokens("InformasiBerkala"),
            vec!["informasi", "berkala"]
        );
        assert_eq!(slug_tokens("lkjip2024.pdf"), vec!["lkjip", "2024"]);
        let p = Phrase::new("visi-misi").expect("phrase");
        assert!(p.in_slug("visimisi", 2));
        assert!(p.in_slug("profil-visi-misi.html", 2));
        assert!(p.in_slug("visi_misi", 2));
        assert!(!p.in_slug("misi-visi", 2));
        assert!(!p.in_slug("berita-rapat-visi-misi-bupati-2024", 2));
        assert!(p.in_short_text("Profil Visi & Misi", 4));
        assert!(!p.in_short_text("Bupati paparkan visi misi di depan DPRD hari ini", 4));
    }

    #[test]
    fn digit_runs_are_the_maximal_runs_of_ascii_digits() {
        let naive = |t: &str| {
            let b = t.as_bytes();
            let mut out = Vec::new();
            let mut i = 0;
            while i < b.len() {
                if b[i].is_ascii_digit() {
                    let s = i;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    out.push((s, i));
                } else {
                    i += 1;
                }
            }
            out
        };
        let long_gap = "x".repeat(70);
        let texts = [
            String::new(),
            "abc".to_string(),
            "2024".to_string(),
            format!("{long_gap}12{long_gap}0426-21234 é ٣ 7"),
            format!("1{}2", "a".repeat(31)),
            format!("{}99{}", "a".repeat(30), "b".repeat(40)),
            "0".repeat(100),
        ];
        for t in &texts {
            assert_eq!(digit_runs(t).collect::<Vec<_>>(), naive(t), "{t:?}");
        }
        assert_eq!(
            digit_runs(&texts[3]).collect::<Vec<_>>(),
            vec![(70, 72), (142, 146), (147, 152), (159, 160)]
        );
    }

    /// The ASCII fast path gives the tokens of the character-by-character path.
    #[test]
    fn ascii_path_tokenises_like_the_unicode_path() {
        const ALPHABET: &[u8] = b"aZbY09%20&-_./ +PpidLKjIP2024xX";
        let mut next = test_rng(0x1234_5678_9ABC_DEF1);
        for _ in 0..5000 {
            let len = next(24);
            let text: String = (0..len)
                .map(|_| char::from(ALPHABET[next(ALPHABET.len())]))
                .collect();
            assert_eq!(
                ascii_tokens(&text, false),
                unicode_tokens(&text),
                "{text:?}"
            );
            assert_eq!(
                ascii_tokens(&text, true),
                unicode_slug_tokens(&text),
                "{text:?}"
            );
        }
    }

    /// Random text from pieces that exercise case, `&`, `%20`, slug breaks, extensions,
    /// fillers and non-ASCII.
    fn random_text(next: &mut impl FnMut(usize) -> usize) -> String {
        const PIECES: &[&str] = &[
            "Visi",
            "misi",
            " ",
            "-",
            "_",
            "&",
            "%20",
            "%2",
            "PPID",
            "di",
            "ke",
            "dan",
            "yang",
            "InformasiBerkala",
            "lkjip2024",
            ".pdf",
            ".html",
            ".",
            "Café",
            "Σ",
            "K",
            "2024",
            "x",
            "/",
            "serta",
            "LKjIP",
            "é",
            " » ",
            "–",
            "\u{a0}",
            "🎉",
            "Ⅻ",
            "ǅ",
            "İ",
            "Ⓐ",
        ];
        let len = next(8);
        (0..len).map(|_| PIECES[next(PIECES.len())]).collect()
    }

    /// `for_each_token` hands out exactly [`tokens`] and [`slug_tokens`].
    #[test]
    fn token_visitor_gives_the_tokens() {
        let mut next = test_rng(0xC0FF_EE12_3456_789B);
        let mut scratch = String::new();
        for _ in 0..5000 {
            let text = random_text(&mut next);
            for slug in [false, true] {
                let mut seen: Vec<String> = Vec::new();
                for_each_token(&text, slug, &mut scratch, |t| seen.push(t.to_string()));
                let want = if slug {
                    slug_tokens(&text)
                } else {
                    tokens(&text)
                };
                assert_eq!(seen, want, "{text:?} slug={slug}");
            }
        }
    }

    /// Dropping fillers and matching labels on [`Vocab`] ids agrees with the same on words.
    #[test]
    fn id_matching_agrees_with_word_matching() {
        let mut next = test_rng(0x0DDB_A11C_AFE5_1234);
        let mut with_match = [0usize; 2];
        for _ in 0..5000 {
            const LABELS: &[&str] = &[
                "Visi Misi",
                "visi-misi",
                "PPID",
                "di",
                "Informasi Berkala",
                "LKjIP 2024",
                "Café",
                "misi & visi",
            ];
            let label = if next(2) == 0 {
                LABELS[next(LABELS.len())].to_string()
            } else {
                random_text(&mut next)
            };
            let Some(phrase) = Phrase::new(&label) else {
                continue;
            };
            let text = match next(3) {
                0 => format!(
                    "{}{label}{}",
                    random_text(&mut next),
                    random_text(&mut next)
                ),
                _ => random_text(&mut next),
            };
            let mut vocab = Vocab::default();
            let mut ids: Vec<u32> = vec![7, 7];
            let start = ids.len();
            for w in tokens(&text) {
                ids.push(vocab.intern(&w));
            }
            drop_filler_ids(&mut ids, start);
            let words = drop_fillers(tokens(&text));
            let back = vocab.words();
            let decoded: Vec<&str> = ids[start..].iter().map(|&id| back[id as usize]).collect();
            assert_eq!(decoded, words, "{text:?}");
            let part = &ids[start..];
            let mut label_ids = Vec::new();
            let known = phrase.push_ids(&vocab, &mut label_ids);
            let joined = phrase.joined_id(&vocab);
            for max_extra in [0, 2, 4] {
                let short = known && ids_in_short(&label_ids, part, max_extra);
                assert_eq!(
                    short,
                    phrase.in_short_words(&words, max_extra),
                    "{label:?} in {text:?}"
                );
                let slug = ids_in_slug(known.then_some(&label_ids[..]), joined, part, max_extra);
                assert_eq!(
                    slug,
                    phrase.in_slug_words(&words, max_extra),
                    "{label:?} in {text:?}"
                );
                with_match[0] += usize::from(short);
                with_match[1] += usize::from(slug);
            }
        }
        assert!(with_match.iter().all(|&n| n > 100), "{with_match:?}");
    }

    #[test]
    fn clip_cuts_with_ellipsis() {
        assert_eq!(clip("a  b", 10), "a b");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
