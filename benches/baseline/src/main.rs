//! `spider-baseline`: the crawl-only baseline of pantau's crawl benchmark (issue 5, item 9).
//!
//! ```text
//! spider-baseline ADDR [--concurrency N] [--per-host N] [--limit N] HOST...
//! ```
//!
//! Crawls `http://HOST/` for every HOST with the [`spider`] crate (fetch + link extraction with
//! `lol_html`, no DOM, no rules), every HOST resolved to ADDR (`IP:PORT`, the address printed by
//! `pantau serve-fixtures`, which routes on the Host header) through reqwest's `resolve`
//! override, so no DNS server is asked. Crawl-only: robots.txt not read, no delay, no rate
//! limit, same-host links only, at most `--limit` pages per host (default 260). `--concurrency`
//! sites at once (default 8) with `--per-host` requests in flight each (default 4): pantau's
//! `concurrency` and `crawl::CONCURRENCY`, so both crawlers keep the same number of requests in
//! flight.
//!
//! Prints one human line, then one `key=value` line for `benches/crawl.rs`:
//! `spider-baseline pages=N other=N urls=N sites=N wall_s=S cpu_s=S`, where `pages` counts the
//! pages answered 2xx, `other` those with another status (or lost to a lagging channel: none
//! with the channel sized to the limit), `urls` the URLs spider marked visited, `wall_s` the
//! wall time of the crawl in seconds and `cpu_s` this process's user + system CPU time
//! (`getrusage(RUSAGE_SELF)`) over the crawl, in seconds. Bad arguments or a client that cannot
//! be built: a message naming the argument or host on stderr and exit status 2.

use futures::stream::{self, StreamExt};
use spider::tokio::sync::broadcast::error::RecvError;
use spider::website::Website;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// What the command line asks for.
struct Args {
    /// Where every host is served.
    addr: SocketAddr,
    /// Sites crawled at once.
    concurrency: usize,
    /// Requests in flight per site.
    per_host: usize,
    /// Pages per site at most.
    limit: u32,
    /// The hosts to crawl.
    hosts: Vec<String>,
}

/// Parses the arguments (without the program name); errors name the bad argument.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let addr = args
        .next()
        .ok_or("missing ADDR (IP:PORT of the fixture server)")?;
    let addr: SocketAddr = addr
        .parse()
        .map_err(|e| format!("ADDR `{addr}` is not IP:PORT: {e}"))?;
    let (mut concurrency, mut per_host, mut limit) = (8usize, 4usize, 260u32);
    let mut hosts = Vec::new();
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            let value = args.next().ok_or_else(|| format!("{name} needs a value"))?;
            match value.parse::<u64>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(format!("{name} `{value}` is not a positive integer")),
            }
        };
        match arg.as_str() {
            "--concurrency" => concurrency = number("--concurrency")? as usize,
            "--per-host" => per_host = number("--per-host")? as usize,
            "--limit" => {
                limit = u32::try_from(number("--limit")?)
                    .map_err(|_| "--limit is too large".to_string())?
            }
            other if other.starts_with("--") => return Err(format!("unknown option `{other}`")),
            host => hosts.push(host.to_string()),
        }
    }
    if hosts.is_empty() {
        return Err("no HOST given".to_string());
    }
    Ok(Args {
        addr,
        concurrency,
        per_host,
        limit,
        hosts,
    })
}

/// What one site's crawl counted.
#[derive(Default)]
struct Count {
    /// Pages answered 2xx.
    pages: u64,
    /// Pages with another status, or dropped by a lagging channel.
    other: u64,
    /// URLs spider marked visited.
    urls: usize,
}

/// Crawls `http://HOST/` with spider, HOST resolved to `addr`; errors name the host.
async fn crawl_site(host: String, args: &Args) -> Result<Count, String> {
    let mut website = Website::new(&format!("http://{host}/"));
    website
        .with_respect_robots_txt(false)
        .with_delay(0)
        .with_subdomains(false)
        .with_tld(false)
        .with_concurrency_limit(Some(args.per_host))
        .with_limit(args.limit);
    let client = website
        .configure_http_client_builder()
        .no_proxy()
        .resolve(&host, args.addr)
        .build()
        .map_err(|e| format!("{host}: cannot build the HTTP client: {e}"))?;
    website.set_http_client(client);
    let mut pages = website.subscribe(args.limit as usize + 16);
    let counter = spider::tokio::spawn(async move {
        let mut count = Count::default();
        loop {
            match pages.recv().await {
                Ok(page) if page.status_code.is_success() => count.pages += 1,
                Ok(_) => count.other += 1,
                Err(RecvError::Lagged(n)) => count.other += n,
                Err(RecvError::Closed) => return count,
            }
        }
    });
    website.crawl().await;
    let urls = website.get_links().len();
    // Dropping the website drops the channel's sender, which ends the counter.
    drop(website);
    let mut count = counter
        .await
        .map_err(|e| format!("{host}: page counter failed: {e}"))?;
    count.urls = urls;
    Ok(count)
}

/// User + system CPU time of this process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage writes into the zeroed struct we own; RUSAGE_SELF is always valid.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(why) => {
            eprintln!("spider-baseline: {why}\nusage: spider-baseline ADDR [--concurrency N] [--per-host N] [--limit N] HOST...");
            return ExitCode::from(2);
        }
    };
    let runtime = match spider::tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("spider-baseline: cannot start the tokio runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let cpu_before = cpu_time();
    let started = Instant::now();
    let results: Vec<Result<Count, String>> = runtime.block_on(
        stream::iter(args.hosts.iter().cloned())
            .map(|host| crawl_site(host, &args))
            .buffer_unordered(args.concurrency)
            .collect(),
    );
    let wall = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_before);
    let mut total = Count::default();
    let mut failed = false;
    for result in results {
        match result {
            Ok(count) => {
                total.pages += count.pages;
                total.other += count.other;
                total.urls += count.urls;
            }
            Err(why) => {
                eprintln!("spider-baseline: {why}");
                failed = true;
            }
        }
    }
    println!(
        "spider: {} pages (2xx; {} other) of {} sites, {} URLs visited, in {:.2} s = {:.0} pages/s; CPU {:.2} s = {:.2} ms per page",
        total.pages,
        total.other,
        args.hosts.len(),
        total.urls,
        wall.as_secs_f64(),
        total.pages as f64 / wall.as_secs_f64(),
        cpu.as_secs_f64(),
        cpu.as_secs_f64() * 1e3 / total.pages.max(1) as f64
    );
    println!(
        "spider-baseline pages={} other={} urls={} sites={} wall_s={:.6} cpu_s={:.6}",
        total.pages,
        total.other,
        total.urls,
        args.hosts.len(),
        wall.as_secs_f64(),
        cpu.as_secs_f64()
    );
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_address_options_and_hosts() {
        let a = args(&[
            "127.0.0.1:8080",
            "--concurrency",
            "3",
            "--per-host",
            "2",
            "--limit",
            "50",
            "a.bench.go.id",
            "b.bench.go.id",
        ])
        .expect("valid arguments");
        assert_eq!(a.addr, "127.0.0.1:8080".parse::<SocketAddr>().unwrap());
        assert_eq!((a.concurrency, a.per_host, a.limit), (3, 2, 50));
        assert_eq!(a.hosts, ["a.bench.go.id", "b.bench.go.id"]);
    }

    #[test]
    fn defaults_match_the_bench() {
        let a = args(&["127.0.0.1:1", "h"]).expect("valid arguments");
        assert_eq!((a.concurrency, a.per_host, a.limit), (8, 4, 260));
    }

    #[test]
    fn bad_arguments_name_the_argument() {
        let err = |list: &[&str]| args(list).err().expect("an error");
        assert!(err(&[]).contains("missing ADDR"));
        assert!(err(&["localhost"]).contains("ADDR `localhost`"));
        assert!(err(&["127.0.0.1:1"]).contains("no HOST"));
        assert!(err(&["127.0.0.1:1", "--limit", "0", "h"]).contains("--limit `0`"));
        assert!(err(&["127.0.0.1:1", "--per-host"]).contains("--per-host needs a value"));
        assert!(err(&["127.0.0.1:1", "--fast", "h"]).contains("unknown option `--fast`"));
    }
}
