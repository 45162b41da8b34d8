//! The crawl of one agency: frontier, URL normalisation, scope, dedupe, budgets.
//!
//! INTERFACE CONTRACT (used by `audit.rs`):
//! `crawl_agency(&Agency, &Fetcher, &CrawlLimits, &CancellationToken, on_page) -> CrawlResult`,
//! where `on_page: Fn(CrawledPage) -> Future<Output = Vec<Url>>` is called for every HTML
//! document and returns the links found on it.

use crate::discover::Agency;
use crate::fetch::{FetchedDocument, Fetcher};
use crate::scorecard::{CrawlSummary, StatusReason};
use std::future::Future;
use tokio_util::sync::CancellationToken;
use url::Url;

/// Default page budget per agency.
pub const DEFAULT_MAX_PAGES: usize = 200;
/// Default link depth from the home page (home = 0).
pub const DEFAULT_MAX_DEPTH: u32 = 5;

/// Per-agency budgets.
#[derive(Debug, Clone)]
pub struct CrawlLimits {
    /// Pages fetched at most (HTML and otherwise).
    pub max_pages: usize,
    /// Link depth at most (home = 0).
    pub max_depth: u32,
}

/// An HTML document handed to the checker.
#[derive(Debug, Clone)]
pub struct CrawledPage {
    /// The response.
    pub document: FetchedDocument,
    /// Link depth from the home page.
    pub depth: u32,
}

/// The outcome of one agency's crawl.
#[derive(Debug, Clone)]
pub struct CrawlResult {
    /// Counters for the scorecard.
    pub summary: CrawlSummary,
    /// Set when no page of the agency answered: why.
    pub unreachable: Option<StatusReason>,
    /// Did `https://<host>/` answer with a valid certificate (`Err(reason)` when not)?
    pub https: Option<Result<(), String>>,
    /// True when cancellation (deadline, Ctrl-C) stopped the crawl before the frontier emptied.
    pub cut_short: bool,
}

/// Crawl one agency breadth first.
pub async fn crawl_agency<F, Fut>(
    _agency: &Agency,
    _fetcher: &Fetcher,
    _limits: &CrawlLimits,
    _cancel: &CancellationToken,
    _on_page: F,
) -> CrawlResult
where
    F: Fn(CrawledPage) -> Fut + Sync,
    Fut: Future<Output = Vec<Url>> + Send,
{
    CrawlResult {
        summary: CrawlSummary::default(),
        unreachable: None,
        https: None,
        cut_short: false,
    }
}
