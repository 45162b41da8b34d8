//! `pantau audit`: discover → crawl → check → score → write, for a whole province.
//!
//! Input: an [`AuditPlan`] (domain, seed list, resolved [`Settings`], [`RuleSet`]). Output: the
//! run directory with one [`Scorecard`] per agency, written as soon as the agency is done, and an
//! `index.json` rewritten after each agency (so a run cut short keeps what it finished); returned
//! as an [`AuditOutcome`].
//!
//! Agencies are audited `concurrency` at a time. Within an agency the crawler fetches; each HTML
//! page is parsed and checked on a blocking thread, at most two parse slots per core (parsing
//! inside async tasks would stall the reactor and get no parallelism), and only the page's rule
//! results and small evidence are kept.

use crate::config::{ConfigError, Settings};
use crate::crawl::{crawl_agency, CrawledPage, FetchRecord};
use crate::discover::{
    agency_id, discover_with, load_ct_export, province_coverage, Agency, DiscoverError,
    DiscoverOptions, Discovery, SeedAgency,
};
use crate::fetch::{FailureClass, FetchError, FetchOutcome, Fetcher};
use crate::output::json::write_json;
use crate::output::run_dir::RunDir;
use crate::output::OutputError;
use crate::page::Page;
use crate::rules::{
    Category, CheckContext, FetchSeen, PageReport, RuleSet, SiteAccumulator, SiteFacts,
    SiteRuleResult,
};
use crate::score::{score_agency, score_unreachable, PageRuleTally, NO_PAGE_CHECKED};
use crate::scorecard::{
    AgencyInfo, AgencyStatus, IndexEntry, RuleStatus, RunIndex, RunInfo, Scorecard, StatusReason,
    SCHEMA_VERSION,
};
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use futures::StreamExt;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use url::Url;

/// What to audit and how.
#[derive(Debug)]
pub struct AuditPlan {
    /// The provincial domain (`sulbarprov.go.id`).
    pub domain: String,
    /// Agencies named by the user (`--agencies FILE`), with the file they came from.
    pub seeds: Vec<SeedAgency>,
    /// The seed file, for provenance.
    pub seed_file: Option<PathBuf>,
    /// Resolved settings (CLI > file > default).
    pub settings: Settings,
    /// The rule catalogue.
    pub rules: Arc<RuleSet>,
}

/// Errors that stop a run before or while it writes. Bad input is reported before anything is
/// written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// A setting is malformed.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The HTTP client could not be built.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// Discovery failed (bad domain, portal unreachable and no seeds).
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    /// Results could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl AuditError {
    /// True when the error is the user's input (exit code 2), not the machine's.
    pub fn is_bad_input(&self) -> bool {
        match self {
            AuditError::Config(_) => true,
            AuditError::Discover(e) => !matches!(e, DiscoverError::PortalUnreachable { .. }),
            AuditError::Fetch(_) | AuditError::Output(_) => false,
        }
    }

    /// True when the sites, not the input or the machine, stopped the run (the portal did not
    /// answer): exit code 1, as for a partial run.
    pub fn is_outage(&self) -> bool {
        matches!(
            self,
            AuditError::Discover(DiscoverError::PortalUnreachable { .. })
        )
    }
}

/// What a finished (or cut short) run produced.
#[derive(Debug)]
pub struct AuditOutcome {
    /// `out/<run-id>`.
    pub run_dir: PathBuf,
    /// The run's index.
    pub index: RunIndex,
    /// Scorecards, in index order.
    pub scorecards: Vec<Scorecard>,
    /// Ids of agencies the user named (seed list) that were unreachable: a loud failure.
    pub named_unreachable: Vec<String>,
}

/// Discovery's sources from the settings: DNS guesses unless `--no-dns` or `--resolve`, and
/// the `--ct` export (read here: a bad file is the user's input error).
pub fn discover_options(settings: &Settings) -> Result<DiscoverOptions, DiscoverError> {
    Ok(DiscoverOptions {
        dns: settings.dns_discovery(),
        ct: settings.ct.as_deref().map(load_ct_export).transpose()?,
        ..DiscoverOptions::default()
    })
}

/// Why the run stopped early, recorded for `status_reason`.
#[derive(Debug, Default)]
struct StopCause(Mutex<Option<&'static str>>);

impl StopCause {
    fn set(&self, code: &'static str) {
        let mut cause = self.0.lock().unwrap_or_else(|e| e.into_inner());
        cause.get_or_insert(code);
    }
    fn code(&self) -> &'static str {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or("interrupted")
    }
}

/// The run's clock: start time and the "now" freshness is judged against.
fn reference_time(
    settings: &Settings,
    started: DateTime<Utc>,
) -> Result<DateTime<FixedOffset>, ConfigError> {
    Ok(match settings.as_of_date()? {
        // Midday in WITA (UTC+8), the province's own zone, so the date is the same in all three
        // Indonesian zones.
        Some(date) => {
            let wita = FixedOffset::east_opt(8 * 3600).expect("valid offset");
            date.and_hms_opt(12, 0, 0)
                .expect("valid time")
                .and_local_timezone(wita)
                .single()
                .expect("fixed offsets are unambiguous")
        }
        None => started.fixed_offset(),
    })
}

/// `OUT/<run-id>/` for a run started at `started`.
fn create_run_dir(plan: &AuditPlan, started: DateTime<Utc>) -> Result<RunDir, OutputError> {
    RunDir::create(
        &plan.settings.out_dir(),
        &started.format("%Y%m%dT%H%M%SZ").to_string(),
    )
}

/// The run block of every scorecard and of the index.
fn run_info(
    run_dir: &RunDir,
    plan: &AuditPlan,
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
) -> RunInfo {
    RunInfo {
        run_id: run_dir.run_id().to_string(),
        started_at: started.to_rfc3339_opts(SecondsFormat::Secs, true),
        finished_at: finished.to_rfc3339_opts(SecondsFormat::Secs, true),
        pantau_version: env!("CARGO_PKG_VERSION").to_string(),
        ruleset_sha256: plan.rules.sha256().to_string(),
        as_of: plan.settings.as_of.clone(),
    }
}

/// The run was cut short (`--deadline`, Ctrl-C, SIGTERM) before discovery finished: no agency
/// was audited, but the run still gets its folder and an `index.json` saying `partial`, with
/// the seed-list agencies as not audited, and `OUT/latest` points at it, so a nightly job that
/// ran out of time never leaves the previous night's run looking like the newest.
fn cut_during_discovery(
    plan: &AuditPlan,
    started: DateTime<Utc>,
    stop: &StopCause,
) -> Result<AuditOutcome, AuditError> {
    eprintln!(
        "pantau: {} while discovering the agencies; nothing was audited",
        match stop.code() {
            "deadline" => "the deadline came",
            _ => "interrupted",
        }
    );
    let run_dir = create_run_dir(plan, started)?;
    let mut not_audited: Vec<String> = plan
        .seeds
        .iter()
        .map(|seed| agency_id(&seed.host, &plan.domain))
        .collect();
    not_audited.sort();
    not_audited.dedup();
    let index = build_index(
        &plan.domain,
        run_info(&run_dir, plan, started, Utc::now()),
        &[],
        &not_audited,
        "partial",
    );
    run_dir.write_index(&index)?;
    run_dir.mark_latest()?;
    Ok(AuditOutcome {
        run_dir: run_dir.path().to_path_buf(),
        index,
        scorecards: Vec::new(),
        named_unreachable: Vec::new(),
    })
}

/// Run the audit. `cancel` is triggered by Ctrl-C (the caller) or by `--deadline` (here).
pub async fn run_audit(
    plan: AuditPlan,
    cancel: CancellationToken,
) -> Result<AuditOutcome, AuditError> {
    let started = Utc::now();
    let now = reference_time(&plan.settings, started)?;
    let fetcher = Arc::new(Fetcher::new(plan.settings.fetch_settings()?)?);
    let stop = Arc::new(StopCause::default());
    if let Some(secs) = plan.settings.deadline {
        let (cancel, stop) = (cancel.clone(), stop.clone());
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(secs)).await;
            stop.set("deadline");
            cancel.cancel();
        });
    }
    let options = discover_options(&plan.settings)?;
    let discovery: Discovery = tokio::select! {
        found = discover_with(&plan.domain, &fetcher, &plan.seeds, plan.seed_file.as_deref(), &options) => found?,
        _ = cancel.cancelled() => return cut_during_discovery(&plan, started, &stop),
    };
    for problem in &discovery.problems {
        eprintln!("pantau: discover: {problem}");
    }
    for site in &discovery.off_domain {
        eprintln!(
            "pantau: finding: the OPD site of '{}' is outside {}: {}",
            site.name, discovery.domain, site.url
        );
    }

    let run_dir = create_run_dir(&plan, started)?;
    write_json(&run_dir.path().join("discovery.json"), &discovery)?;
    let coverage = province_coverage(&discovery, &options.nomenclature);
    write_json(&run_dir.path().join("province.json"), &coverage)?;
    let run_info = |finished: DateTime<Utc>| run_info(&run_dir, &plan, started, finished);
    let parse_slots = Arc::new(Semaphore::new(
        2 * std::thread::available_parallelism().map_or(1, |n| n.get()),
    ));
    let done: Mutex<Vec<Scorecard>> = Mutex::new(Vec::new());
    let mut not_audited = Vec::new();
    let limits = plan.settings.crawl_limits();

    let mut results = futures::stream::iter(discovery.agencies.iter())
        .map(|agency| {
            let ctx = CheckContext {
                now,
                agency_host: agency.host.clone(),
                // `None` when no nomenclature unit matches: type-specific rules are then unknown.
                agency_types: options
                    .nomenclature
                    .known_agency_types(agency, &discovery.domain),
            };
            let (fetcher, rules, slots, cancel, stop, limits) = (
                fetcher.clone(),
                plan.rules.clone(),
                parse_slots.clone(),
                cancel.clone(),
                stop.clone(),
                limits.clone(),
            );
            async move {
                if cancel.is_cancelled() {
                    return Err(agency.id.clone());
                }
                let card = audit_agency(
                    agency, &fetcher, &rules, &limits, &cancel, &stop, slots, ctx,
                )
                .await;
                Ok(card)
            }
        })
        .buffer_unordered(plan.settings.concurrency());

    while let Some(result) = results.next().await {
        match result {
            Err(id) => not_audited.push(id),
            Ok(mut card) => {
                card.run = run_info(Utc::now());
                run_dir.write_scorecard(&card)?;
                eprintln!(
                    "pantau: {} ({}): {} pages, score {}",
                    card.agency.id,
                    card.agency.host,
                    card.crawl.pages_fetched,
                    card.score.map_or("-".to_string(), |s| format!("{s:.1}"))
                );
                let mut done = done.lock().unwrap_or_else(|e| e.into_inner());
                done.push(card);
                let index = build_index(
                    &plan.domain,
                    run_info(Utc::now()),
                    &done,
                    &not_audited,
                    "running",
                );
                run_dir.write_index(&index)?;
            }
        }
    }
    drop(results);

    let mut scorecards = done.into_inner().unwrap_or_else(|e| e.into_inner());
    not_audited.sort();
    let cut_short = cancel.is_cancelled()
        && (!not_audited.is_empty()
            || scorecards.iter().any(|c| c.status == AgencyStatus::Partial));
    let index = build_index(
        &plan.domain,
        run_info(Utc::now()),
        &scorecards,
        &not_audited,
        if cut_short { "partial" } else { "complete" },
    );
    run_dir.write_index(&index)?;
    run_dir.mark_latest()?;
    let order: Vec<&str> = index.agencies.iter().map(|e| e.id.as_str()).collect();
    scorecards.sort_by_key(|c| order.iter().position(|id| *id == c.agency.id));
    let named_unreachable = discovery
        .agencies
        .iter()
        .filter(|a| a.explicit)
        .filter(|a| {
            scorecards
                .iter()
                .any(|c| c.agency.id == a.id && c.status == AgencyStatus::Unreachable)
        })
        .map(|a| a.id.clone())
        .collect();
    Ok(AuditOutcome {
        run_dir: run_dir.path().to_path_buf(),
        index,
        scorecards,
        named_unreachable,
    })
}

/// The fold of one agency's pages while it is crawled.
struct AgencyFold {
    tallies: Vec<PageRuleTally>,
    site: SiteAccumulator,
    /// Links to national and provincial services (SP4N-LAPOR!, e-LHKPN, SiRUP…) to check with
    /// one request each after the crawl; at most [`MAX_SERVICE_LINKS`].
    service_links: BTreeSet<String>,
    /// HTML pages checked (every page report folded in).
    pages: u64,
}

/// Service links checked per agency (one request each, never crawled).
const MAX_SERVICE_LINKS: usize = 20;
/// Time all service checks of one agency may take together.
const SERVICE_CHECKS_BUDGET: Duration = Duration::from_secs(60);

impl AgencyFold {
    fn new(rules: &RuleSet) -> AgencyFold {
        AgencyFold {
            tallies: vec![PageRuleTally::default(); rules.rules().len()],
            site: rules.site_accumulator(),
            service_links: BTreeSet::new(),
            pages: 0,
        }
    }

    fn add(&mut self, report: PageReport) {
        self.pages += 1;
        for result in report.results {
            if let Some(tally) = self.tallies.get_mut(result.rule) {
                tally.add(result);
            }
        }
        for link in report.evidence.one_hop_links() {
            if self.service_links.len() < MAX_SERVICE_LINKS {
                self.service_links.insert(link);
            }
        }
        self.site.add(report.evidence);
    }
}

/// May a service link be followed? Always on a real audit; when `--resolve` maps hosts (tests,
/// demos, a closed network) only hosts it maps, so that no request leaves for real DNS.
fn service_host_allowed(fetcher: &Fetcher, url: &Url) -> bool {
    let overrides = &fetcher.settings().resolve;
    let host = url.host_str().unwrap_or_default();
    overrides.is_empty() || overrides.iter().any(|o| o.matches(host))
}

/// Check each service link with one request (robots.txt and the rate limit apply; redirects to
/// another host count as an answer), within [`SERVICE_CHECKS_BUDGET`] and until cancelled.
/// Links not checked keep their presence-only judgement.
async fn check_service_links(
    fetcher: &Fetcher,
    links: &BTreeSet<String>,
    cancel: &CancellationToken,
) -> Vec<FetchRecord> {
    let mut seen = Vec::new();
    let checks = async {
        for link in links {
            let Ok(url) = Url::parse(link) else { continue };
            if !service_host_allowed(fetcher, &url) {
                continue;
            }
            let (status, content_type) = match fetcher.fetch(&url).await {
                FetchOutcome::Document(d) => (Some(d.status), d.content_type),
                // Services move between their own hosts (lapor.go.id → www.lapor.go.id): a
                // redirect is an answer, not a dead link.
                FetchOutcome::Failed(f) if f.class == FailureClass::OffScopeRedirect => {
                    (Some(302), None)
                }
                FetchOutcome::Failed(_) => (None, None),
                FetchOutcome::RobotsDisallowed(_) => continue,
            };
            seen.push(FetchRecord {
                url: link.clone(),
                status,
                content_type,
            });
        }
    };
    tokio::select! {
        _ = tokio::time::timeout(SERVICE_CHECKS_BUDGET, checks) => {}
        _ = cancel.cancelled() => {}
    }
    seen
}

/// Crawl, check and score one agency. Never fails: an unreachable agency gets a scorecard that
/// says why.
#[allow(clippy::too_many_arguments)]
async fn audit_agency(
    agency: &Agency,
    fetcher: &Fetcher,
    rules: &Arc<RuleSet>,
    limits: &crate::crawl::CrawlLimits,
    cancel: &CancellationToken,
    stop: &StopCause,
    parse_slots: Arc<Semaphore>,
    ctx: CheckContext,
) -> Scorecard {
    let fold = Arc::new(Mutex::new(AgencyFold::new(rules)));
    let started = Instant::now();
    let on_page = |crawled: CrawledPage| {
        let (rules, fold, slots, ctx) = (
            rules.clone(),
            fold.clone(),
            parse_slots.clone(),
            ctx.clone(),
        );
        async move {
            let Ok(_slot) = slots.acquire_owned().await else {
                return Vec::new();
            };
            let checked = tokio::task::spawn_blocking(move || {
                let doc = crawled.document;
                let page = Page::parse(doc.final_url, doc.status, &doc.text);
                let mut report = rules.check_page(&page, &ctx);
                let links = std::mem::take(&mut report.links);
                fold.lock().unwrap_or_else(|e| e.into_inner()).add(report);
                links
            })
            .await;
            // A check that panicked loses only this page's results; the crawl goes on.
            checked.unwrap_or_default()
        }
    };
    let crawl = crawl_agency(agency, fetcher, limits, cancel, on_page).await;
    let mut summary = crawl.summary;
    if summary.duration_ms == 0 {
        summary.duration_ms = started.elapsed().as_millis() as u64;
    }
    // A page check cancelled mid-way may still hold the fold; take what is in it now.
    let fold = std::mem::replace(
        &mut *fold.lock().unwrap_or_else(|e| e.into_inner()),
        AgencyFold::new(rules),
    );
    let info = AgencyInfo {
        id: agency.id.clone(),
        host: agency.host.clone(),
        name: agency.name.clone(),
    };
    let (status, status_reason, scored) = match crawl.unreachable {
        Some(reason) => {
            let scored =
                score_unreachable(rules, &format!("agency unreachable: {}", reason.message));
            (AgencyStatus::Unreachable, Some(reason), scored)
        }
        None => {
            let facts = SiteFacts {
                https: crawl.https,
                pages_checked: summary.pages_fetched,
            };
            // Documents and failed links tell a working document link from a dead one; sorted so
            // that the result does not depend on the order fetches completed.
            let mut fetches = crawl.fetches;
            fetches.sort_by(|a, b| a.url.cmp(&b.url).then(a.status.cmp(&b.status)));
            let mut site = fold.site;
            fetches.extend(check_service_links(fetcher, &fold.service_links, cancel).await);
            for f in fetches {
                site.add_fetch(FetchSeen {
                    url: f.url,
                    status: f.status,
                    content_type: f.content_type,
                    head: Vec::new(),
                });
            }
            for c in &crawl.charset_conflicts {
                site.add_charset_conflict(&c.url, &c.header, &c.meta);
            }
            let mut lastmods = crawl.sitemap_lastmods;
            lastmods.sort();
            for (url, lastmod) in &lastmods {
                site.add_sitemap_lastmod(url, lastmod);
            }
            let mut site_results = site.finish(&facts, &ctx);
            let home_only = summary.pages_fetched <= 1 && summary.budget_skipped > 0;
            let not_fully_seen = crawl.cut_short || home_only;
            if not_fully_seen {
                let why = if crawl.cut_short {
                    "the crawl was cut short before the whole site was seen"
                } else {
                    "only the home page was crawled (--max-pages or --max-depth)"
                };
                undecided_when_site_not_seen(rules, &mut site_results, why);
            }
            if fold.pages == 0 {
                undecided_without_pages(rules, &mut site_results);
            }
            let mut scored = score_agency(rules, &fold.tallies, fold.pages, site_results);
            if not_fully_seen {
                scored.withhold_score();
            }
            if crawl.cut_short {
                let code = stop.code();
                let message = match code {
                    "deadline" => "the run's --deadline passed before the crawl finished",
                    _ => "the run was interrupted before the crawl finished",
                };
                (
                    AgencyStatus::Partial,
                    Some(StatusReason {
                        code: code.to_string(),
                        message: message.to_string(),
                    }),
                    scored,
                )
            } else {
                (AgencyStatus::Ok, None, scored)
            }
        }
    };
    Scorecard {
        schema_version: SCHEMA_VERSION.to_string(),
        agency: info,
        run: RunInfo {
            run_id: String::new(),
            started_at: String::new(),
            finished_at: String::new(),
            pantau_version: String::new(),
            ruleset_sha256: String::new(),
            as_of: None,
        },
        status,
        status_reason,
        crawl: summary,
        score: scored.score,
        grade: scored.grade,
        compromised: scored.compromised,
        categories: scored.categories,
        rules: scored.rules,
    }
}

/// A transparency rule that found nothing (fail) or only an entry (partial) on a crawl that did
/// not see the whole site cannot say the item is missing: it becomes `unknown` with `why`
/// (research catalogue §2: `unknown` when the host was not fully visible). Passes stand, and so
/// do integrity and security findings: gambling spam found on the pages seen is there.
fn undecided_when_site_not_seen(rules: &RuleSet, results: &mut [SiteRuleResult], why: &str) {
    make_unknown(
        rules,
        results,
        |category, status| {
            category == Category::Transparency
                && matches!(status, RuleStatus::Fail | RuleStatus::Partial)
        },
        &format!("{why}; on the pages seen"),
    );
}

/// Without a single HTML page checked, a site rule that judges page content (transparency,
/// integrity) has seen nothing: a `pass` ("no gambling spam found", "charsets agree") would
/// claim what was never looked at. Every such result that is not already `unknown` or `error`
/// becomes `unknown`; security results (the HTTPS probe) do not depend on pages and stand.
fn undecided_without_pages(rules: &RuleSet, results: &mut [SiteRuleResult]) {
    make_unknown(
        rules,
        results,
        |category, status| {
            category != Category::Security
                && !matches!(status, RuleStatus::Unknown | RuleStatus::Error)
        },
        &format!("{NO_PAGE_CHECKED}; the rule alone said"),
    );
}

/// Every result `selects` picks (by its rule's category and its status) becomes `unknown`, its
/// reason `"{prefix}: {what it said}"`.
fn make_unknown(
    rules: &RuleSet,
    results: &mut [SiteRuleResult],
    selects: impl Fn(Category, RuleStatus) -> bool,
    prefix: &str,
) {
    for r in results.iter_mut() {
        let picked = rules
            .rules()
            .get(r.rule)
            .is_some_and(|rule| selects(rule.category, r.status));
        if picked {
            let was = r.reason.take().unwrap_or_default();
            r.status = RuleStatus::Unknown;
            r.reason = Some(format!("{prefix}: {was}"));
        }
    }
}

/// The index: best grade first, then best score (so an agency made E by a failed gate or a
/// compromise ranks below every D, whatever its score), unscored last, then by id.
fn build_index(
    domain: &str,
    run: RunInfo,
    cards: &[Scorecard],
    not_audited: &[String],
    status: &str,
) -> RunIndex {
    let mut agencies: Vec<IndexEntry> = cards
        .iter()
        .map(|c| IndexEntry {
            id: c.agency.id.clone(),
            host: c.agency.host.clone(),
            name: c.agency.name.clone(),
            status: c.status,
            score: c.score,
            grade: c.grade.clone(),
            pages_fetched: c.crawl.pages_fetched,
            compromised: c.compromised,
            status_reason: c.status_reason.clone(),
        })
        .collect();
    agencies.sort_by(|a, b| match (a.score, b.score) {
        (Some(x), Some(y)) => a
            .grade
            .cmp(&b.grade)
            .then_with(|| y.total_cmp(&x))
            .then_with(|| a.id.cmp(&b.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.id.cmp(&b.id),
    });
    let mut not_audited = not_audited.to_vec();
    not_audited.sort();
    RunIndex {
        schema_version: SCHEMA_VERSION.to_string(),
        run,
        domain: domain.to_string(),
        status: status.to_string(),
        not_audited,
        agencies,
    }
}
