//! The summary table printed at the end of `pantau audit`: one row per agency with pages
//! checked, score, grade, status and its three worst rules.

use crate::scorecard::{AgencyStatus, RuleStatus, Scorecard};
use std::fmt::Write;

/// The ids of the (up to) three worst rules: failed or partial rules by score ascending, then
/// weight descending, then id.
pub fn worst_rules(card: &Scorecard) -> Vec<&str> {
    let mut bad: Vec<_> = card
        .rules
        .iter()
        .filter(|r| matches!(r.status, RuleStatus::Fail | RuleStatus::Partial))
        .collect();
    bad.sort_by(|a, b| {
        a.score
            .unwrap_or(0.0)
            .total_cmp(&b.score.unwrap_or(0.0))
            .then_with(|| b.weight.total_cmp(&a.weight))
            .then_with(|| a.id.cmp(&b.id))
    });
    bad.into_iter().take(3).map(|r| r.id.as_str()).collect()
}

/// Render the table, rows in the order given (the caller sorts them like `index.json`).
pub fn render(cards: &[Scorecard]) -> String {
    let rows: Vec<[String; 6]> = cards
        .iter()
        .map(|c| {
            let status = match c.status {
                AgencyStatus::Ok if c.compromised => "compromised".to_string(),
                AgencyStatus::Ok => "ok".to_string(),
                AgencyStatus::Partial => "partial".to_string(),
                AgencyStatus::Unreachable => format!(
                    "unreachable ({})",
                    c.status_reason
                        .as_ref()
                        .map_or("unknown", |r| r.code.as_str())
                ),
            };
            [
                c.agency.id.clone(),
                c.crawl.pages_fetched.to_string(),
                c.score.map_or("-".to_string(), |s| format!("{s:.1}")),
                c.grade.clone().unwrap_or_else(|| "-".to_string()),
                status,
                worst_rules(c).join(", "),
            ]
        })
        .collect();
    let header = ["AGENCY", "PAGES", "SCORE", "GRADE", "STATUS", "WORST RULES"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut s = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            // Numbers right-aligned, text left-aligned; the last column unpadded.
            let _ = match i {
                1 | 2 => write!(s, "{cell:>w$}  "),
                5 => write!(s, "{cell}"),
                _ => write!(s, "{cell:<w$}  "),
            };
        }
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(&header.map(String::from));
    for row in &rows {
        line(row);
    }
    out
}
