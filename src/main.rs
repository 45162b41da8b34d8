//! The `pantau` binary: parse the command line, call the library, map the outcome to an exit
//! code (see `pantau --help`).

use anyhow::Context;
use clap::Parser;
use pantau::audit::{discover_options, run_audit, AuditOutcome, AuditPlan};
use pantau::cli::{
    AuditArgs, CheckArgs, CheckFormat, Cli, Command, DemoArgs, DiscoverArgs, Lang, RulesCommand,
    ServeArgs,
};
use pantau::config::Settings;
use pantau::discover::{discover_with, load_seed_list};
use pantau::fetch::Fetcher;
use pantau::fixture::FixtureServer;
use pantau::output::summary;
use pantau::rules::RuleSet;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use tokio_util::sync::CancellationToken;

/// Exit statuses; the numbers are documented in `pantau::cli::EXIT_CODES`.
#[derive(Debug, Clone, Copy)]
enum Exit {
    Ok = 0,
    Problems = 1,
    BadInput = 2,
    Failure = 3,
}

/// An error with the exit status it maps to.
struct Failed(Exit, anyhow::Error);

fn bad_input(e: impl Into<anyhow::Error>) -> Failed {
    Failed(Exit::BadInput, e.into())
}

fn failure(e: impl Into<anyhow::Error>) -> Failed {
    Failed(Exit::Failure, e.into())
}

/// `print!` that never panics or kills pantau when stdout is closed (`pantau rules list |
/// head`): the output stops, the work and its exit code do not. SIGPIPE stays ignored (Rust's
/// default), because with its default action a peer that resets a TLS connection killed a
/// whole audit mid-run (exit 141, no index written).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `println!` with the behaviour of [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pantau: cannot start the async runtime: {e}");
            return ExitCode::from(Exit::Failure as u8);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(exit) => ExitCode::from(exit as u8),
        Err(Failed(exit, e)) => {
            eprintln!("pantau: {}", one_line(&e));
            ExitCode::from(exit as u8)
        }
    }
}

/// The error and its causes on one line, each cause once: our error types already carry their
/// source in their message, so a cause whose text is already there is not repeated.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string().replace('\n', "; ");
        if !line.contains(&text) {
            if !line.is_empty() {
                line.push_str(": ");
            }
            line.push_str(&text);
        }
    }
    line
}

async fn run(cli: Cli) -> Result<Exit, Failed> {
    match cli.command {
        Command::Audit(args) => audit(args).await,
        Command::Check(args) => check_cmd(args).await,
        Command::Demo(args) => demo(args).await,
        Command::Discover(args) => discover_cmd(args).await,
        Command::Rules { command } => rules_cmd(command),
        Command::ServeFixtures(args) => serve(args).await,
    }
}

/// The rule set: `--rules DIR` or the built-in catalogue.
fn load_rules(dir: Option<&PathBuf>) -> Result<RuleSet, Failed> {
    match dir {
        Some(dir) => RuleSet::load_dir(dir).map_err(bad_input),
        None => RuleSet::embedded().map_err(failure),
    }
}

async fn audit(args: AuditArgs) -> Result<Exit, Failed> {
    let settings = args.settings.resolve_file().map_err(bad_input)?;
    let seeds = match &args.agencies {
        Some(path) => load_seed_list(path).map_err(bad_input)?,
        None => Vec::new(),
    };
    let rules = Arc::new(load_rules(settings.rules.as_ref())?);
    let plan = AuditPlan {
        domain: args.domain,
        seeds,
        seed_file: args.agencies,
        settings,
        rules,
    };
    audit_and_report(plan).await
}

async fn audit_and_report(plan: AuditPlan) -> Result<Exit, Failed> {
    let cancel = CancellationToken::new();
    let on_signal = cancel.clone();
    tokio::spawn(async move {
        stop_signal().await;
        eprintln!("pantau: interrupted; writing what is finished (Ctrl-C again to abort at once)");
        on_signal.cancel();
        stop_signal().await;
        std::process::exit(130);
    });
    let outcome: AuditOutcome = run_audit(plan, cancel).await.map_err(|e| {
        if e.is_bad_input() {
            bad_input(e)
        } else if e.is_outage() {
            Failed(Exit::Problems, e.into())
        } else {
            failure(e)
        }
    })?;
    out!("{}", summary::render(&outcome.scorecards));
    outln!(
        "\nScorecards: {}",
        outcome.run_dir.join("agencies").display()
    );
    outln!(
        "Index:      {}",
        outcome.run_dir.join("index.json").display()
    );
    if !outcome.index.not_audited.is_empty() {
        eprintln!(
            "pantau: not audited (the run stopped first): {}",
            outcome.index.not_audited.join(", ")
        );
    }
    for id in &outcome.named_unreachable {
        eprintln!("pantau: agency '{id}' from the seed list is unreachable");
    }
    Ok(
        if outcome.named_unreachable.is_empty() && outcome.index.status == "complete" {
            Exit::Ok
        } else {
            Exit::Problems
        },
    )
}

/// Ctrl-C (SIGINT) or, on Unix, SIGTERM (what `timeout`, systemd and cron's kill send). The
/// SIGTERM handler is installed when this is called, not when the future is first polled, so
/// a SIGTERM sent right after the caller announced itself is not fatal.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        #[cfg(unix)]
        if let Some(mut term) = term {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn demo(args: DemoArgs) -> Result<Exit, Failed> {
    // Settings and rules first: a bad flag or file is reported before anything is served.
    let demo_defaults = Settings {
        rate: Some(20.0),
        concurrency: Some(8),
        ..Settings::default()
    };
    let mut settings = args
        .settings
        .resolve_file()
        .map_err(bad_input)?
        .merge(demo_defaults);
    settings.fetch_settings().map_err(bad_input)?;
    let rules = Arc::new(load_rules(settings.rules.as_ref())?);
    let bundled;
    let dir = match args.fixtures {
        Some(dir) => dir,
        None => {
            bundled = pantau::demo::bundled_province()
                .context("cannot write the embedded fixture province to a temp directory")
                .map_err(failure)?;
            bundled.path().to_path_buf()
        }
    };
    let server = FixtureServer::start(&dir, 0)
        .await
        .with_context(|| format!("cannot serve the fixture province {}", dir.display()))
        .map_err(failure)?;
    let addr = server.addr();
    // The province's domain is the fixture's one root host (the portal); its subdomains are
    // the agencies.
    let overrides = server.resolve_overrides();
    let roots: Vec<&str> = overrides
        .iter()
        .map(|o| o.host.as_str())
        .filter(|h| !h.starts_with("*."))
        .collect();
    let domain = match roots.as_slice() {
        [one] => one.to_string(),
        _ => {
            return Err(bad_input(anyhow::anyhow!(
                "{}: a fixture province needs exactly one portal host with the agencies under it; found {}",
                dir.display(),
                roots.join(", ")
            )))
        }
    };
    eprintln!("pantau: serving {} on {addr}", dir.display());
    let mut resolve: Vec<String> = overrides
        .iter()
        .map(|o| format!("{}:{addr}", o.host))
        .collect();
    resolve.extend(settings.resolve.take().unwrap_or_default());
    settings.resolve = Some(resolve);
    let ca = write_ca(&server).map_err(failure)?;
    settings
        .ca_cert
        .get_or_insert_with(Vec::new)
        .push(ca.path().to_path_buf());
    let plan = AuditPlan {
        domain,
        seeds: Vec::new(),
        seed_file: None,
        settings,
        rules,
    };
    let result = audit_and_report(plan).await;
    server.shutdown().await;
    result
}

/// The fixture server's CA certificate in a temp file, for `--ca-cert` (removed on drop).
fn write_ca(server: &FixtureServer) -> anyhow::Result<tempfile::NamedTempFile> {
    let mut file = tempfile::Builder::new()
        .prefix("pantau-fixture-ca-")
        .suffix(".pem")
        .tempfile()?;
    std::io::Write::write_all(&mut file, server.ca_cert_pem().as_bytes())
        .with_context(|| format!("cannot write {}", file.path().display()))?;
    Ok(file)
}

async fn discover_cmd(args: DiscoverArgs) -> Result<Exit, Failed> {
    args.settings
        .reject_ignored("discover", DiscoverArgs::IGNORED_SETTINGS)
        .map_err(bad_input)?;
    let settings = args.settings.resolve_file().map_err(bad_input)?;
    let seeds = match &args.agencies {
        Some(path) => load_seed_list(path).map_err(bad_input)?,
        None => Vec::new(),
    };
    let fetcher = Fetcher::new(settings.fetch_settings().map_err(bad_input)?).map_err(failure)?;
    let options = discover_options(&settings).map_err(bad_input)?;
    let found = discover_with(
        &args.domain,
        &fetcher,
        &seeds,
        args.agencies.as_deref(),
        &options,
    )
    .await
    .map_err(|e| match e {
        // The sites, not the input, failed: exit 1, as `audit` does for the same portal.
        pantau::discover::DiscoverError::PortalUnreachable { .. } => {
            Failed(Exit::Problems, e.into())
        }
        e => bad_input(e),
    })?;
    if args.json {
        let json = serde_json::to_string_pretty(&found).map_err(failure)?;
        outln!("{json}");
    } else {
        out!("{}", discovery_table(&found));
    }
    for problem in &found.problems {
        eprintln!("pantau: discover: {problem}");
    }
    Ok(Exit::Ok)
}

/// `pantau discover`'s table: agencies with how each was found, then application hosts and OPD
/// sites off the provincial domain.
fn discovery_table(found: &pantau::discover::Discovery) -> String {
    use pantau::discover::Provenance;
    use std::fmt::Write;
    let via = |p: &Provenance| match p {
        Provenance::PortalLink { .. } => "portal",
        Provenance::Sitemap { .. } => "sitemap",
        Provenance::SeedList { .. } => "seed",
        Provenance::Dns => "dns",
        Provenance::CertificateTransparency { .. } => "ct",
    };
    let id_w = found
        .agencies
        .iter()
        .map(|a| a.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let host_w = found
        .agencies
        .iter()
        .map(|a| a.host.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<id_w$}  {:<host_w$}  {:<14}  NAME",
        "ID", "HOST", "FOUND VIA"
    );
    for a in &found.agencies {
        let mut ways: Vec<&str> = a.provenance.iter().map(via).collect();
        ways.dedup();
        let _ = writeln!(
            out,
            "{:<id_w$}  {:<host_w$}  {:<14}  {}",
            a.id,
            a.host,
            ways.join(","),
            a.name
        );
    }
    if !found.applications.is_empty() {
        let _ = writeln!(out, "\nApplication hosts (listed, not audited):");
        for app in &found.applications {
            let _ = writeln!(out, "  {}  ({})", app.host, wire_name(&app.kind));
        }
    }
    if !found.off_domain.is_empty() {
        let _ = writeln!(out, "\nOPD sites outside {} (a finding):", found.domain);
        for site in &found.off_domain {
            let _ = writeln!(
                out,
                "  {}  {}  ({})",
                site.name,
                site.url,
                wire_name(&site.kind)
            );
        }
    }
    out
}

/// The snake_case name an enum value has in JSON.
fn wire_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn rules_cmd(command: RulesCommand) -> Result<Exit, Failed> {
    match command {
        RulesCommand::Validate { dir } => match RuleSet::load_dir(&dir) {
            Ok(set) => {
                outln!("{}: {} rules, all valid", dir.display(), set.rules().len());
                Ok(Exit::Ok)
            }
            Err(e) => Err(bad_input(e)),
        },
        RulesCommand::List {
            category,
            lang,
            rules,
        } => {
            let set = load_rules(rules.as_ref())?;
            if let Some(c) = category.as_deref() {
                if pantau::rules::Category::parse(c).is_none() {
                    return Err(bad_input(anyhow::anyhow!(
                        "--category '{c}': not a category; give one of accessibility, transparency, security, integrity"
                    )));
                }
            }
            for rule in set.rules() {
                if category
                    .as_deref()
                    .is_some_and(|c| c != rule.category.as_str())
                {
                    continue;
                }
                let title = match lang {
                    Lang::Id => &rule.title_id,
                    Lang::En => &rule.title_en,
                };
                outln!(
                    "{:<28} {:<14} {:>4} {:<9} {}  [{}]",
                    rule.id,
                    rule.category.as_str(),
                    rule.weight,
                    rule.severity,
                    title,
                    rule.source
                );
            }
            Ok(Exit::Ok)
        }
    }
}

/// `pantau check FILE|URL`: exit 0 when no rule fails, 1 when one does.
async fn check_cmd(args: CheckArgs) -> Result<Exit, Failed> {
    use pantau::check::{check_file, check_url, Target};
    args.settings
        .reject_ignored("check", CheckArgs::IGNORED_SETTINGS)
        .map_err(bad_input)?;
    let settings = args.settings.resolve_file().map_err(bad_input)?;
    let rules = load_rules(settings.rules.as_ref())?;
    let report = match Target::parse(&args.target).map_err(bad_input)? {
        Target::File(path) => {
            let cap = settings
                .max_body_bytes
                .unwrap_or(pantau::fetch::DEFAULT_MAX_BODY_BYTES);
            check_file(&rules, &path, cap).map_err(bad_input)?
        }
        Target::Url(url) => {
            let fetch = settings.fetch_settings().map_err(bad_input)?;
            let fetcher = Fetcher::new(fetch).map_err(failure)?;
            check_url(&rules, &fetcher, &url).await.map_err(bad_input)?
        }
    };
    let out = match args.format {
        CheckFormat::Text => report.to_text(),
        CheckFormat::Json => report.to_json() + "\n",
    };
    // A closed pipe (`pantau check … | head`) is not an error.
    let written = std::io::Write::write_all(&mut std::io::stdout().lock(), out.as_bytes());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(failure(e));
        }
    }
    Ok(if report.any_failed() {
        Exit::Problems
    } else {
        Exit::Ok
    })
}

async fn serve(args: ServeArgs) -> Result<Exit, Failed> {
    let server = FixtureServer::start(&args.dir, args.port)
        .await
        .with_context(|| format!("cannot serve {}", args.dir.display()))
        .map_err(failure)?;
    let ca = write_ca(&server).map_err(failure)?;
    let addr = server.addr();
    outln!("serving {} on {addr} (HTTP and HTTPS)", args.dir.display());
    for host in server.hosts() {
        outln!("  {host}");
    }
    let flags: Vec<String> = server
        .resolve_overrides()
        .iter()
        .map(|o| format!("--resolve '{}:{addr}'", o.host))
        .collect();
    // SIGTERM too, so that the CA file is removed however the server is stopped; the handler
    // is in place before the lines that tell a caller the server is ready.
    let stop = stop_signal();
    outln!(
        "audit it with: {} --ca-cert {}",
        flags.join(" "),
        ca.path().display()
    );
    outln!("Ctrl-C stops");
    stop.await;
    server.shutdown().await;
    Ok(Exit::Ok)
}
