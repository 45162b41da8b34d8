//! Dates in Indonesian (and English) page text → [`NaiveDate`]s, for the freshness rules.
//!
//! Formats (research `transparency-rules.md` §5 "Indonesian dates"): `30 November 2018`,
//! `Jumat, 30 Nov 2018 10:00 WIB`, `30 Nov. 2018`, `30/11/2018`, `30-11-2018`, `30.11.2018`
//! (day first), `2018-11-30` (ISO 8601), and English `November 30, 2018`. Months in full and
//! short forms (Jan … Des, Agu/Agt/Ags, Sep/Sept, Okt, Peb/Pebruari). Day names and time zones
//! (WIB, WITA, WIT) may surround the date and are not needed. Two-digit years are ignored (too
//! ambiguous), years outside 1990–2100 are ignored, impossible dates (31 Februari) are rejected.

use chrono::NaiveDate;
use regex::Regex;
use std::sync::OnceLock;

/// A date found in text, with the byte range of the match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// The calendar date.
    pub date: NaiveDate,
    /// The matched text, as written.
    pub text: String,
}

const MONTHS: &str = "januari|january|februari|pebruari|february|maret|march|april|mei|may|juni|june|juli|july|agustus|august|september|oktober|october|november|desember|december|jan|feb|peb|mar|apr|jun|jul|agus|agu|agt|ags|aug|sept|sep|okt|oct|nov|des|dec";

struct Patterns {
    day_month_year: Regex,
    month_day_year: Regex,
    numeric: Regex,
    iso: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        // The patterns are constants; failing to compile them is a programming error caught by
        // every test in this module. ASCII-only classes and word boundaries (`-u`) keep the
        // regex engine on its fast DFA path over non-ASCII page text (about 10x faster).
        let build = |s: &str| Regex::new(s).expect("constant date regex");
        Patterns {
            day_month_year: build(&format!(
                r"(?i-u)\b(\d{{1,2}})\s+({MONTHS})\b\.?,?\s+(\d{{4}})\b"
            )),
            month_day_year: build(&format!(
                r"(?i-u)\b({MONTHS})\b\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b"
            )),
            numeric: build(r"(?-u)\b(\d{1,2})([/.\-])(\d{1,2})([/.\-])(\d{4})\b"),
            iso: build(r"(?-u)\b(\d{4})-(\d{2})-(\d{2})\b"),
        }
    })
}

/// Month number (1–12) of an Indonesian or English month name or short form, any case.
pub fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let m = match n.as_str() {
        "januari" | "january" | "jan" => 1,
        "februari" | "pebruari" | "february" | "feb" | "peb" => 2,
        "maret" | "march" | "mar" => 3,
        "april" | "apr" => 4,
        "mei" | "may" => 5,
        "juni" | "june" | "jun" => 6,
        "juli" | "july" | "jul" => 7,
        "agustus" | "august" | "agus" | "agu" | "agt" | "ags" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "oktober" | "october" | "okt" | "oct" => 10,
        "november" | "nov" => 11,
        "desember" | "december" | "des" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn ymd(y: &str, m: u32, d: &str) -> Option<NaiveDate> {
    let y: i32 = y.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    if !(1990..=2100).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Every date in `text`, in order of position. Overlapping matches are resolved in favour of
/// the first pattern that claimed the bytes (named months, then ISO, then numeric).
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    // The windows joined by NUL, which no pattern matches and which is a non-word byte like
    // the white space (or text end) at every window edge: each pattern runs once, and finds
    // in the joined text exactly what it finds window by window.
    let mut joined = String::new();
    // (start in `joined`, start in `text`) of each window.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (start, end) in year_windows(text) {
        if !joined.is_empty() {
            joined.push('\0');
        }
        starts.push((joined.len(), start));
        joined.push_str(&text[start..end]);
    }
    let mut found: Vec<(usize, usize, NaiveDate)> = Vec::new();
    dates_in(&joined, 0, &mut found);
    for (s, e, _) in &mut found {
        let k = starts.partition_point(|&(j, _)| j <= *s).saturating_sub(1);
        if let Some(&(j, t)) = starts.get(k) {
            (*s, *e) = (*s - j + t, *e - j + t);
        }
    }
    found.sort_by_key(|&(s, _, _)| s);
    found
        .into_iter()
        .map(|(s, e, date)| FoundDate {
            date,
            text: text[s..e].to_string(),
        })
        .collect()
}

/// The byte ranges of `text` that may hold a date, in order and disjoint: every date form
/// has a year of exactly four ASCII digits, so each such run gets a window reaching left over
/// white space, a word (a month name, `30/11/`), white space and another word (the day or
/// month before it), and right over `-mm-dd` ([`super::text::digit_windows`] widens and merges
/// them); a date never crosses a window edge. Page text has few years, so the patterns read a
/// few hundred bytes instead of the whole body text (which cost more than the rest of the
/// date handling).
fn year_windows(text: &str) -> Vec<(usize, usize)> {
    super::text::digit_windows(text, |b, start, end| {
        if end - start != 4 {
            return None;
        }
        // Left: white space, a word of at most 12 bytes, white space, a word of at most 12
        // bytes (then on to the start of that word). Right: `-mm-dd` at most.
        let ws = |i: usize| b[i].is_ascii_whitespace();
        let mut s = start;
        for _ in 0..2 {
            while s > 0 && ws(s - 1) {
                s -= 1;
            }
            let mut n = 0;
            while s > 0 && !ws(s - 1) && n < 12 {
                s -= 1;
                n += 1;
            }
        }
        Some((s, end + 6))
    })
}

/// The dates of one window of text (`offset` is its start in the whole text), appended to
/// `found` as `(start, end, date)`; overlaps are resolved against every date found so far.
fn dates_in(text: &str, offset: usize, found: &mut Vec<(usize, usize, NaiveDate)>) {
    let p = patterns();
    let overlaps = |found: &[(usize, usize, NaiveDate)], s: usize, e: usize| {
        found.iter().any(|&(fs, fe, _)| s < fe && fs < e)
    };
    // A pattern runs only where it can match: month names need an ASCII letter, ISO dates a
    // `-`, numeric dates a `/`, `.` or `-` (a window is a few dozen bytes; most lack some).
    let (mut letter, mut dash, mut sep) = (false, false, false);
    for b in text.bytes() {
        letter |= b.is_ascii_alphabetic();
        dash |= b == b'-';
        sep |= matches!(b, b'/' | b'.' | b'-');
    }
    let run = |re: &'static Regex, can_match: bool| {
        can_match
            .then(|| re.captures_iter(text))
            .into_iter()
            .flatten()
    };
    for c in run(&p.day_month_year, letter) {
        let (Some(all), Some(d), Some(m), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        if let Some(date) = month_number(m.as_str()).and_then(|m| ymd(y.as_str(), m, d.as_str())) {
            found.push((all.start() + offset, all.end() + offset, date));
        }
    }
    for c in run(&p.month_day_year, letter) {
        let (Some(all), Some(m), Some(d), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        let (s, e) = (all.start() + offset, all.end() + offset);
        if overlaps(found, s, e) {
            continue;
        }
        if let Some(date) = month_number(m.as_str()).and_then(|m| ymd(y.as_str(), m, d.as_str())) {
            found.push((s, e, date));
        }
    }
    for c in run(&p.iso, dash) {
        let (Some(all), Some(y), Some(m), Some(d)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        let (s, e) = (all.start() + offset, all.end() + offset);
        if overlaps(found, s, e) {
            continue;
        }
        if let Some(date) = m
            .as_str()
            .parse()
            .ok()
            .and_then(|m| ymd(y.as_str(), m, d.as_str()))
        {
            found.push((s, e, date));
        }
    }
    for c in run(&p.numeric, sep) {
        let (Some(all), Some(d), Some(s1), Some(m), Some(s2), Some(y)) =
            (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5))
        else {
            continue;
        };
        let (s, e) = (all.start() + offset, all.end() + offset);
        // Mixed separators (`1.2/2020`) are version numbers or fractions, not dates.
        if s1.as_str() != s2.as_str() || overlaps(found, s, e) {
            continue;
        }
        if let Some(date) = m
            .as_str()
            .parse()
            .ok()
            .and_then(|m| ymd(y.as_str(), m, d.as_str()))
        {
            found.push((s, e, date));
        }
    }
}

/// The date of a machine-readable value: `<time datetime>` or
/// `<meta property="article:published_time">` (`2018-11-30`, `2018-11-30T10:00:00+07:00`,
/// `2018-11-30 10:00:00`). The calendar date as written (the local date of the publisher).
pub fn parse_machine_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    let head = v.get(..10)?;
    let rest = &v[10..];
    if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
        return None;
    }
    let date = NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
    let y = chrono::Datelike::year(&date);
    (1990..=2100).contains(&y).then_some(date)
}

/// `datePublished` values of a JSON-LD block (schema.org `Article`, `NewsArticle`,
/// `BlogPosting`), found by pattern rather than a full JSON parse so that a broken block
/// still yields its dates; each with the text `JSON-LD datePublished <value>`. At most 5.
pub fn json_ld_dates(json: &str) -> Vec<(NaiveDate, String)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#""datePublished"\s*:\s*"([^"]{4,40})""#).expect("constant JSON-LD regex")
    });
    re.captures_iter(json)
        .filter_map(|c| {
            let v = c.get(1)?.as_str();
            parse_machine_date(v).map(|d| (d, format!("JSON-LD datePublished {v}")))
        })
        .take(5)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn dates(text: &str) -> Vec<NaiveDate> {
        find_dates(text).into_iter().map(|f| f.date).collect()
    }

    /// The windowed search finds exactly what the patterns find over the whole text, on
    /// random texts built from date parts, separators, long white space and non-ASCII.
    #[test]
    fn year_windows_lose_no_date() {
        const PARTS: &[&str] = &[
            "12",
            "30",
            "1",
            "2024",
            "2018",
            "1999",
            "20245",
            "024",
            " ",
            "  \n\t  ",
            ", ",
            "Januari",
            "Nov.",
            "agustus",
            "November",
            "Des",
            "/",
            "-",
            ".",
            "-11-30",
            "x",
            "abc",
            "é",
            "Jumat,",
            "WIB",
            "_",
            "08",
            "2024-08-26",
        ];
        let mut next = crate::rules::text::test_rng(0x2545_F491_4F6C_DD1D);
        let mut with_dates = 0;
        for _ in 0..3000 {
            let len = 1 + next(40);
            let text: String = (0..len).map(|_| PARTS[next(PARTS.len())]).collect();
            let mut whole = Vec::new();
            dates_in(&text, 0, &mut whole);
            whole.sort_by_key(|&(s, _, _)| s);
            let windowed: Vec<(usize, usize, NaiveDate)> = find_dates(&text)
                .into_iter()
                .map(|f| {
                    let start = text.find(&f.text).unwrap_or(usize::MAX);
                    (start, start + f.text.len(), f.date)
                })
                .collect();
            let dates = |v: &[(usize, usize, NaiveDate)]| v.iter().map(|d| d.2).collect::<Vec<_>>();
            assert_eq!(dates(&windowed), dates(&whole), "text: {text:?}");
            with_dates += usize::from(!whole.is_empty());
        }
        // The corpus really exercises the patterns.
        assert!(with_dates > 200, "{with_dates} texts with dates");
    }

    #[test]
    fn indonesian_long_form_with_day_name_and_zone() {
        let f = find_dates("Diposting: Jumat, 30 November 2018 10:00 WIB oleh Admin");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].date, d(2018, 11, 30));
        assert_eq!(f[0].text, "30 November 2018");
    }

    #[test]
    fn short_months_including_variants() {
        assert_eq!(dates("30 Nov 2018"), vec![d(2018, 11, 30)]);
        assert_eq!(dates("1 Agu 2024"), vec![d(2024, 8, 1)]);
        assert_eq!(dates("2 Agt 2024"), vec![d(2024, 8, 2)]);
        assert_eq!(dates("3 Ags 2024"), vec![d(2024, 8, 3)]);
        assert_eq!(dates("4 Sept 2024"), vec![d(2024, 9, 4)]);
        assert_eq!(dates("5 Okt. 2024"), vec![d(2024, 10, 5)]);
        assert_eq!(dates("6 Des 2024"), vec![d(2024, 12, 6)]);
        assert_eq!(dates("7 mei 2024"), vec![d(2024, 5, 7)]);
        assert_eq!(dates("8 Pebruari 2024"), vec![d(2024, 2, 8)]);
    }

    #[test]
    fn numeric_and_iso_forms() {
        assert_eq!(dates("Senin, 30/11/2018"), vec![d(2018, 11, 30)]);
        assert_eq!(dates("30-11-2018"), vec![d(2018, 11, 30)]);
        assert_eq!(dates("30.11.2018"), vec![d(2018, 11, 30)]);
        assert_eq!(dates("2018-11-30"), vec![d(2018, 11, 30)]);
        assert_eq!(dates("1/2/2020"), vec![d(2020, 2, 1)]);
    }

    #[test]
    fn english_month_first() {
        assert_eq!(dates("November 30, 2018"), vec![d(2018, 11, 30)]);
        assert_eq!(dates("Aug 26, 2024"), vec![d(2024, 8, 26)]);
    }

    #[test]
    fn invalid_dates_are_rejected() {
        assert!(dates("31 Februari 2024").is_empty());
        assert!(dates("30/02/2024").is_empty());
        assert!(dates("32-01-2024").is_empty());
        assert!(dates("12/13/2024").is_empty());
        assert!(dates("2024-13-01").is_empty());
        assert_eq!(dates("29 Februari 2024"), vec![d(2024, 2, 29)]);
        assert!(dates("29 Februari 2023").is_empty());
    }

    #[test]
    fn two_digit_and_out_of_range_years_are_ignored() {
        assert!(dates("30/11/18").is_empty());
        assert!(dates("30 Nov 18").is_empty());
        assert!(dates("1 Januari 1850").is_empty());
        assert!(dates("versi 1.2/2020 dan 130 November 2018x").is_empty());
    }

    #[test]
    fn several_dates_in_order_without_double_counting() {
        let text = "Berita 2024-08-26 · 25 Agustus 2024 · 24/08/2024 · no date 2024";
        assert_eq!(
            dates(text),
            vec![d(2024, 8, 26), d(2024, 8, 25), d(2024, 8, 24)]
        );
    }

    #[test]
    fn json_ld_date_published() {
        let json = r#"{"@context":"https://schema.org","@type":"NewsArticle",
            "datePublished": "2026-11-20T08:00:00+08:00","dateModified":"2026-11-21"}"#;
        assert_eq!(
            json_ld_dates(json),
            vec![(
                d(2026, 11, 20),
                "JSON-LD datePublished 2026-11-20T08:00:00+08:00".to_string()
            )]
        );
        assert!(json_ld_dates(r#"{"datePublished":"kemarin"}"#).is_empty());
    }

    #[test]
    fn time_zones_wib_wita_wit_do_not_disturb_the_date() {
        assert_eq!(dates("Kamis, 12 Nov 2026 23:30 WIT"), vec![d(2026, 11, 12)]);
        assert_eq!(dates("12/11/2026 08.00 WITA"), vec![d(2026, 11, 12)]);
        assert_eq!(
            dates("Jum'at, 13 November 2026 - 10:00 WIB"),
            vec![d(2026, 11, 13)]
        );
    }

    #[test]
    fn machine_dates() {
        assert_eq!(parse_machine_date("2018-11-30"), Some(d(2018, 11, 30)));
        assert_eq!(
            parse_machine_date(" 2018-11-30T10:00:00+07:00"),
            Some(d(2018, 11, 30))
        );
        assert_eq!(
            parse_machine_date("2018-11-30 10:00:00"),
            Some(d(2018, 11, 30))
        );
        assert_eq!(parse_machine_date("2018-02-30"), None);
        assert_eq!(parse_machine_date("30 Nov 2018"), None);
        assert_eq!(parse_machine_date("2018-11-30X"), None);
        assert_eq!(parse_machine_date(""), None);
    }
}
