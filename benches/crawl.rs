//! Crawl benchmark of issue 5, item 9. Modes (all sizes and switches from the environment; the
//! command line is not read):
//!
//! - **Throughput** (default, rate limits off): `cargo bench --bench crawl`. `BENCH_AGENCIES`
//!   (default 40) agencies × `BENCH_PAGES` (pages per agency, default 250).
//! - **One core**: `taskset -c 0 cargo bench --bench crawl` (the audit sizes its parse slots from
//!   `available_parallelism`, which follows the affinity mask; the fixture server and the
//!   baseline inherit the mask).
//! - **With the `spider` baseline**: build it first, `cargo build --release -p spider-baseline`
//!   (a workspace member outside `default-members`, so `cargo test` and `cargo clippy` do not
//!   build spider), then run any throughput command. The bench runs the binary it finds next to
//!   its own target folder (`target/release/spider-baseline`), or the one named by
//!   `BENCH_SPIDER=PATH`; `BENCH_SPIDER=off` (or `0`) skips it. If none is found it says so and
//!   goes on.
//! - **Politeness-bound**: `BENCH_RATE=r` (requests per second per host; the per-IP limit is the
//!   fetcher's default, twice that, and every agency answers from 127.0.0.1, one server), e.g.
//!   `BENCH_AGENCIES=4 BENCH_PAGES=20 BENCH_RATE=2 cargo bench --bench crawl`. Prints the bound
//!   the limits set (requests ÷ rate, per host and per IP), the measured wall time and the ratio,
//!   and the longest agency crawl (scorecard `duration_ms`, discovery left out) against the
//!   per-host bound. The spider baseline is not run in this mode (it has no limits to compare).
//!
//! A variable whose value does not parse (or is out of range: 1–100 agencies, more than 10
//! pages, a rate of 0 or at least 0.01) stops the bench with a message naming it, exit status 2.
//!
//! What a run does:
//!
//! 1. Generates a synthetic province into a temporary folder: `BENCH_AGENCIES` OPD hosts under
//!    `bench.go.id`, each with `BENCH_PAGES` pages of 60–120 KB of OPD-like HTML (navigation,
//!    news lists, paragraphs, tables, images with and without `alt`, forms, footer), linked
//!    home → 10 sections → articles, every page linking home, the sections and 12 articles;
//!    plus a bare portal (`bench.go.id`, `www.bench.go.id`); the agencies come as a seed list.
//! 2. Serves it with `pantau serve-fixtures` in a **child process** (plain HTTP: every host has
//!    `_no_tls`, so the https attempt fails once per agency and the crawl goes on over http), so
//!    the CPU time and peak RSS measured are the audit's alone.
//! 3. Audits it in-process with `pantau::audit::run_audit`, every rule on, 8 agencies at a time.
//! 4. Throughput mode: runs `spider-baseline` (a child process: the `spider` crate, crawl only —
//!    fetch and link extraction, no robots.txt, no delay, no rate limit — 8 sites at a time with
//!    4 requests in flight each, like the audit) over every agency of the same server, and
//!    prints its pages/s, its CPU ms per page (its own `getrusage`), both page counts and the
//!    ratio pantau pages/s ÷ spider pages/s (issue 5 target: at least 0.6).
//! 5. Parses the same pages with bare `scraper::Html::parse_document` on one thread.
//!
//! Prints pages/s, audit CPU ms per page (user + system, `getrusage`), peak RSS, bare parse ms
//! per page and MB/s, the ratio audit CPU per page ÷ bare parse per page, and the load average.

use pantau::audit::{run_audit, AuditPlan};
use pantau::config::Settings;
use pantau::discover::SeedAgency;
use pantau::rules::RuleSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// The provincial domain of the synthetic province.
const DOMAIN: &str = "bench.go.id";
/// Sections per agency.
const SECTIONS: usize = 10;

/// A small deterministic generator (xorshift64*), so every run builds the same province.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const WORDS: [&str; 48] = [
    "pemerintah",
    "provinsi",
    "dinas",
    "pelayanan",
    "masyarakat",
    "informasi",
    "publik",
    "kegiatan",
    "program",
    "anggaran",
    "daerah",
    "kabupaten",
    "kota",
    "pembangunan",
    "kesehatan",
    "pendidikan",
    "infrastruktur",
    "jalan",
    "jembatan",
    "bantuan",
    "sosial",
    "laporan",
    "keuangan",
    "tahun",
    "rencana",
    "strategis",
    "kinerja",
    "pegawai",
    "aparatur",
    "sipil",
    "negara",
    "peraturan",
    "gubernur",
    "bupati",
    "wali",
    "rapat",
    "koordinasi",
    "evaluasi",
    "pengadaan",
    "barang",
    "jasa",
    "desa",
    "warga",
    "lingkungan",
    "hidup",
    "pariwisata",
    "investasi",
    "perizinan",
];

fn sentence(rng: &mut Rng) -> String {
    let n = 8 + rng.below(14);
    let mut words: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    let first = words[0];
    let cap = format!("{}{}", first[..1].to_uppercase(), &first[1..]);
    words[0] = &cap;
    format!("{}.", words.join(" "))
}

fn article_path(k: usize, j: usize) -> String {
    format!("/bagian-{k}/artikel-{j}.html")
}

/// One page of about `target` bytes.
fn page(
    rng: &mut Rng,
    host: &str,
    title: &str,
    articles: &[(usize, usize)],
    target: usize,
) -> String {
    let mut html = String::with_capacity(target + 4096);
    html.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title} - {host}</title>\n<link rel=\"stylesheet\" href=\"/assets/style.css\">\n<script src=\"/assets/jquery.min.js\"></script>\n</head>\n<body>\n<header class=\"site-header\"><a href=\"/\"><img src=\"/assets/logo.png\" alt=\"Logo {host}\"></a>\n<nav><ul>\n<li><a href=\"/\">Beranda</a></li>\n"
    ));
    for k in 0..SECTIONS {
        html.push_str(&format!(
            "<li><a href=\"/bagian-{k}/\">Bagian {k}</a></li>\n"
        ));
    }
    html.push_str("<li><a href=\"/ppid/\">PPID</a></li><li><a href=\"https://www.instagram.com/\">Instagram</a></li></ul></nav></header>\n<main id=\"konten\">\n");
    html.push_str(&format!(
        "<h1>{title}</h1>\n<div class=\"berita-terkait\"><h2>Berita terkait</h2><ul>\n"
    ));
    for _ in 0..12 {
        if let Some(&(k, j)) = articles.get(rng.below(articles.len())) {
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a> <span class=\"tgl\">12 November 2026</span></li>\n",
                article_path(k, j),
                sentence(rng)
            ));
        }
    }
    html.push_str("</ul></div>\n");
    let mut figure = 0;
    while html.len() < target {
        match rng.below(10) {
            0 => {
                figure += 1;
                let alt = if rng.below(3) == 0 {
                    String::new()
                } else {
                    format!(" alt=\"{}\"", sentence(rng))
                };
                html.push_str(&format!(
                    "<figure><img src=\"/uploads/foto-{figure}.jpg\"{alt} width=\"800\" height=\"450\"><figcaption>{}</figcaption></figure>\n",
                    sentence(rng)
                ));
            }
            1 => {
                html.push_str("<table class=\"tabel\"><thead><tr><th>No</th><th>Uraian</th><th>Anggaran (Rp)</th><th>Realisasi</th></tr></thead><tbody>\n");
                for r in 0..8 {
                    html.push_str(&format!(
                        "<tr><td>{}</td><td>{}</td><td>{}.000.000</td><td>{}%</td></tr>\n",
                        r + 1,
                        sentence(rng),
                        rng.below(900) + 100,
                        rng.below(100)
                    ));
                }
                html.push_str("</tbody></table>\n");
            }
            2 => html.push_str(&format!(
                "<h2>{}</h2>\n<ul><li>{}</li><li>{}</li><li>{}</li></ul>\n",
                sentence(rng),
                sentence(rng),
                sentence(rng),
                sentence(rng)
            )),
            _ => {
                html.push_str("<p>");
                for _ in 0..5 {
                    html.push_str(&sentence(rng));
                    html.push(' ');
                }
                html.push_str("</p>\n");
            }
        }
    }
    html.push_str("</main>\n<aside><form action=\"/cari/\" method=\"get\"><input type=\"text\" name=\"q\" placeholder=\"Cari\"><button>Cari</button></form></aside>\n<footer><p>Alamat: Jl. Abdul Malik Pattana Endeng, Mamuju. Telepon (0426) 123456. Email: <a href=\"mailto:info@bench.go.id\">info@bench.go.id</a></p><p>&copy; 2026 Pemerintah Provinsi</p></footer>\n</body>\n</html>\n");
    html
}

/// Writes the province; returns the page files written.
fn generate(dir: &Path, agencies: usize, pages: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut files = Vec::with_capacity(agencies * pages);
    // A bare portal (apex and www) so discovery reads it at once instead of retrying a host
    // that drops the connection.
    for portal in [DOMAIN.to_string(), format!("www.{DOMAIN}")] {
        let root = dir.join(portal);
        std::fs::create_dir_all(&root)?;
        std::fs::write(root.join("_no_tls"), "")?;
        std::fs::write(
            root.join("index.html"),
            "<!DOCTYPE html><html lang=\"id\"><head><title>Portal</title></head><body><p>Portal</p></body></html>\n",
        )?;
    }
    let articles_per_section = pages.saturating_sub(1 + SECTIONS).div_ceil(SECTIONS);
    for a in 0..agencies {
        let host = format!("opd{a:02}.{DOMAIN}");
        let root = dir.join(&host);
        std::fs::create_dir_all(&root)?;
        std::fs::write(root.join("_no_tls"), "")?;
        std::fs::write(root.join("robots.txt"), "User-agent: *\nDisallow: /cari/\n")?;
        let mut articles = Vec::new();
        'outer: for k in 0..SECTIONS {
            for j in 0..articles_per_section {
                if articles.len() + 1 + SECTIONS >= pages {
                    break 'outer;
                }
                articles.push((k, j));
            }
        }
        let mut write = |rel: &str,
                         title: &str,
                         rng: &mut Rng,
                         own: &[(usize, usize)]|
         -> std::io::Result<()> {
            let size = 60_000 + rng.below(60_000);
            let links: &[(usize, usize)] = if own.is_empty() { &articles } else { own };
            let html = page(rng, &host, title, links, size);
            let path = root.join(rel.trim_start_matches('/'));
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, html)?;
            files.push(path);
            Ok(())
        };
        write("/index.html", "Beranda", &mut rng, &[])?;
        for k in 0..SECTIONS {
            let own: Vec<(usize, usize)> =
                articles.iter().copied().filter(|&(s, _)| s == k).collect();
            write(
                &format!("/bagian-{k}/index.html"),
                &format!("Bagian {k}"),
                &mut rng,
                &own,
            )?;
        }
        for &(k, j) in &articles {
            write(
                &article_path(k, j),
                &format!("Artikel {k}-{j}"),
                &mut rng,
                &[],
            )?;
        }
    }
    Ok(files)
}

/// This process's resource use so far (`getrusage(RUSAGE_SELF)`).
#[derive(Debug, Clone, Copy)]
struct Usage {
    /// CPU time in user mode.
    user: Duration,
    /// CPU time in the kernel (system calls, page faults) on the process's behalf.
    system: Duration,
    /// Peak resident set size, bytes.
    peak_rss: u64,
}

impl Usage {
    /// User + system CPU time.
    fn cpu(&self) -> Duration {
        self.user + self.system
    }
}

fn usage() -> Usage {
    // SAFETY: getrusage writes into the zeroed struct we own; RUSAGE_SELF is always valid.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    Usage {
        user: tv(ru.ru_utime),
        system: tv(ru.ru_stime),
        peak_rss: ru.ru_maxrss as u64 * 1024,
    }
}

/// CPU time (user + system) the process `pid` has used so far, from `/proc/PID/stat` (fields
/// 14 and 15, in clock ticks); `None` when it cannot be read (not Linux, process gone).
fn process_cpu(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state): utime is field 14, stime field 15.
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // SAFETY: sysconf has no preconditions.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let per_second = u64::try_from(per_second).ok().filter(|&t| t > 0)?;
    Some(Duration::from_secs_f64(ticks as f64 / per_second as f64))
}

/// Starts `pantau serve-fixtures DIR --port 0` and reads its address from the first line.
fn serve(dir: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pantau"))
        .arg("serve-fixtures")
        .arg(dir)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start pantau serve-fixtures");
    let stdout = child.stdout.take().expect("child stdout");
    let mut first = String::new();
    let mut reader = BufReader::new(stdout);
    reader.read_line(&mut first).expect("read the address");
    // Keep draining: the child lists its hosts next, and a closed pipe would kill it.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    // `serving DIR on ADDR (HTTP and HTTPS)`
    let addr = first
        .split(" on ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("`serving DIR on ADDR …`")
        .to_string();
    (child, addr)
}

/// A number from the environment variable `name`, or `default` when it is unset. A value that
/// does not parse (or that `valid` refuses) stops the bench with a message naming the variable.
fn env_number<T: std::str::FromStr + Copy>(name: &str, default: T, valid: fn(T) -> bool) -> T {
    match std::env::var(name) {
        Err(_) => default,
        Ok(text) => match text.trim().parse::<T>() {
            Ok(value) if valid(value) => value,
            _ => {
                eprintln!("bench: {name}={text:?} is not a usable value");
                std::process::exit(2);
            }
        },
    }
}

/// The 1, 5 and 15 minute load averages from `/proc/loadavg`, e.g. `"1.52 1.70 1.88"`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Agencies audited at once (`Settings::concurrency`); the spider baseline crawls as many
/// sites at once.
const AGENCIES_AT_ONCE: usize = 8;

/// The `spider-baseline` binary to run: `BENCH_SPIDER=PATH`, or `target/release/spider-baseline`
/// next to this bench's own binary (`target/release/deps/crawl-…`). Errors give the reason it is
/// not run: switched off (`BENCH_SPIDER=off` or `0`), not a file, or not built.
fn spider_binary() -> Result<PathBuf, String> {
    match std::env::var("BENCH_SPIDER") {
        Ok(v) if v == "off" || v == "0" => Err("switched off (BENCH_SPIDER=off)".to_string()),
        Ok(path) => {
            let path = PathBuf::from(path);
            if path.is_file() {
                Ok(path)
            } else {
                Err(format!("BENCH_SPIDER={} is not a file", path.display()))
            }
        }
        Err(_) => {
            let found = std::env::current_exe().ok().and_then(|exe| {
                let path = exe.parent()?.parent()?.join("spider-baseline");
                path.is_file().then_some(path)
            });
            found.ok_or_else(|| {
                "not built: run `cargo build --release -p spider-baseline` first".to_string()
            })
        }
    }
}

/// What `spider-baseline` reported (its `key=value` line).
struct SpiderRun {
    /// Pages answered 2xx.
    pages: u64,
    /// Pages with another status.
    other: u64,
    /// URLs spider marked visited.
    urls: u64,
    /// Wall time of its crawl, in seconds.
    wall_s: f64,
    /// Its user + system CPU time over the crawl, in seconds.
    cpu_s: f64,
}

/// Runs `spider-baseline ADDR --concurrency 8 --per-host 4 --limit L HOST...` over the fixture
/// server; errors carry the binary's exit status and stderr, or the line that did not parse.
fn run_spider(
    binary: &Path,
    addr: &str,
    hosts: &[String],
    limit: usize,
) -> Result<SpiderRun, String> {
    let output = Command::new(binary)
        .arg(addr)
        .args(["--concurrency", &AGENCIES_AT_ONCE.to_string()])
        .args(["--per-host", &pantau::crawl::CONCURRENCY.to_string()])
        .args(["--limit", &limit.to_string()])
        .args(hosts)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "{} exited with {}: {}{}",
            binary.display(),
            output.status,
            stdout.trim(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("spider-baseline "))
        .ok_or_else(|| format!("no `spider-baseline key=value` line in: {stdout}"))?;
    let field = |key: &str| -> Result<f64, String> {
        line.split_whitespace()
            .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.parse::<f64>().ok())
            .ok_or_else(|| format!("no number `{key}=` in `{line}`"))
    };
    Ok(SpiderRun {
        pages: field("pages")? as u64,
        other: field("other")? as u64,
        urls: field("urls")? as u64,
        wall_s: field("wall_s")?,
        cpu_s: field("cpu_s")?,
    })
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    let agencies: usize = env_number("BENCH_AGENCIES", 40, |n| (1..=100).contains(&n));
    let pages: usize = env_number("BENCH_PAGES", 250, |n| n > SECTIONS);
    // Requests per second per host; 0 (default) = limits off. The per-IP limit is then the
    // fetcher's default (twice that), shared by every agency: they all answer from 127.0.0.1.
    let rate: f64 = env_number("BENCH_RATE", 0.0, |r: f64| {
        r == 0.0 || (r.is_finite() && r >= 0.01)
    });
    let mode = if rate > 0.0 {
        format!("politeness-bound, {rate} req/s per host")
    } else {
        "throughput, rate limits off".to_string()
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "mode: {mode}; {agencies} agencies × {pages} pages; cores (available_parallelism): {cores}; load average: {}",
        load_average()
    );
    let tmp = tempfile::tempdir().expect("temp dir");
    let province = tmp.path().join("province");
    let started = Instant::now();
    let files = generate(&province, agencies, pages).expect("generate the province");
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "generated {} pages ({:.1} MB, mean {:.1} KB) for {agencies} agencies in {:.1} s",
        files.len(),
        total_bytes as f64 / 1e6,
        total_bytes as f64 / files.len().max(1) as f64 / 1e3,
        started.elapsed().as_secs_f64()
    );

    let (mut child, addr) = serve(&province);
    let out = tmp.path().join("out");
    let settings = Settings {
        out: Some(out),
        rate: Some(rate),
        concurrency: Some(AGENCIES_AT_ONCE),
        timeout_ms: Some(30_000),
        connect_timeout_ms: Some(5_000),
        max_pages: Some(pages + 10),
        resolve: Some(vec![
            format!("*.{DOMAIN}:{addr}"),
            format!("{DOMAIN}:{addr}"),
        ]),
        as_of: Some("2026-12-01".to_string()),
        ..Settings::default()
    };
    let rate_per_ip = settings
        .fetch_settings()
        .expect("bench settings")
        .effective_rate_per_ip();
    let hosts: Vec<String> = (0..agencies)
        .map(|a| format!("opd{a:02}.{DOMAIN}"))
        .collect();
    let seeds = hosts
        .iter()
        .enumerate()
        .map(|(a, host)| SeedAgency {
            host: host.clone(),
            name: Some(format!("OPD {a:02}")),
            aliases: Vec::new(),
        })
        .collect();
    let plan = AuditPlan {
        domain: DOMAIN.to_string(),
        seeds,
        seed_file: None,
        settings,
        rules: Arc::new(RuleSet::embedded().expect("built-in rules")),
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let audit_load = load_average();
    let before = usage();
    let server_before = process_cpu(child.id());
    let wall = Instant::now();
    let outcome = runtime
        .block_on(run_audit(plan, CancellationToken::new()))
        .expect("audit runs");
    let wall = wall.elapsed();
    let after = usage();
    let server_after = process_cpu(child.id());
    let peak_rss = after.peak_rss;
    drop(runtime);
    let audit_load_after = load_average();

    // The baseline: same server process, same pages, after the audit (the two never share the
    // cores). Not in the politeness-bound mode: spider has no limits to compare.
    let spider = if rate > 0.0 {
        Err("not run in the politeness-bound mode".to_string())
    } else {
        let spider_load = load_average();
        let server_before = process_cpu(child.id());
        spider_binary()
            .and_then(|binary| run_spider(&binary, &addr, &hosts, pages + 10))
            .map(|run| {
                let server = server_before
                    .zip(process_cpu(child.id()))
                    .map(|(b, a)| a.saturating_sub(b));
                (run, server, spider_load, load_average())
            })
    };
    let _ = child.kill();
    let _ = child.wait();

    let fetched: u64 = outcome
        .scorecards
        .iter()
        .map(|c| c.crawl.pages_fetched)
        .sum();
    let failed: u64 = outcome
        .scorecards
        .iter()
        .map(|c| c.crawl.pages_failed)
        .sum();
    for card in outcome
        .scorecards
        .iter()
        .filter(|c| c.crawl.pages_fetched == 0)
    {
        println!(
            "unreachable: {} {:?}",
            card.agency.host,
            card.status_reason.as_ref().map(|r| (&r.code, &r.message))
        );
    }
    if let Some(card) = outcome.scorecards.first() {
        let (mut passed, mut failed, mut other) = (0, 0, 0);
        for c in card.categories.values() {
            passed += c.rules_passed + c.rules_partial;
            failed += c.rules_failed;
            other += c.rules_not_applicable + c.rules_unknown + c.rules_error;
        }
        println!(
            "first scorecard: {} rules ({passed} pass/partial, {failed} fail, {other} n/a, unknown or error)",
            card.rules.len()
        );
    }
    let audit_cpu = after.cpu().saturating_sub(before.cpu());
    let per_page_ms = |d: Duration| d.as_secs_f64() * 1e3 / fetched.max(1) as f64;
    let audit_cpu_ms_per_page = per_page_ms(audit_cpu);
    let audit_system_ms_per_page = per_page_ms(after.system.saturating_sub(before.system));
    let audit_user_ms_per_page = per_page_ms(after.user.saturating_sub(before.user));
    let audit_pages_per_s = fetched as f64 / wall.as_secs_f64();

    // Bare parse of the same pages, one thread, measured in CPU time like the audit (the machine
    // may be shared: wall time would count other processes' turns).
    let parse_load = load_average();
    let parse_cpu_before = usage().cpu();
    let parse_started = Instant::now();
    let mut parsed_bytes = 0u64;
    let mut nodes = 0usize;
    for file in &files {
        let html = std::fs::read_to_string(file).expect("read page");
        parsed_bytes += html.len() as u64;
        let doc = scraper::Html::parse_document(&html);
        nodes += doc.tree.nodes().count();
    }
    let parse_wall = parse_started.elapsed();
    let parse_cpu_after = usage().cpu();
    let parse = parse_cpu_after.saturating_sub(parse_cpu_before);
    let parse_ms_per_page = parse.as_secs_f64() * 1e3 / files.len().max(1) as f64;

    let mut report = std::io::stdout().lock();
    let _ = writeln!(
        report,
        "audit: {fetched} pages ({failed} failed requests) of {} agencies in {:.2} s = {audit_pages_per_s:.0} pages/s (load average before {audit_load}, after {audit_load_after})",
        outcome.scorecards.len(),
        wall.as_secs_f64(),
    );
    if rate > 0.0 {
        // Requests through the limiters per agency: the pages fetched and failed, plus the
        // failed https attempt, robots.txt and /sitemap.xml. Every agency is on one IP (one
        // server), so the per-IP limit sees all of them; the per-host limit bounds each agency,
        // and agencies run AGENCIES_AT_ONCE at a time.
        let requests = (fetched + failed) as f64 + 3.0 * agencies as f64;
        let per_agency = requests / agencies as f64;
        let waves = agencies.div_ceil(AGENCIES_AT_ONCE) as f64;
        let host_bound = waves * per_agency / rate;
        let ip_bound = requests / rate_per_ip;
        let bound = host_bound.max(ip_bound);
        let _ = writeln!(
            report,
            "politeness bound: {requests:.0} requests ({per_agency:.1} per agency) on 1 server; per host {rate} req/s → {host_bound:.1} s ({waves:.0} wave(s) of {AGENCIES_AT_ONCE} agencies); per IP {rate_per_ip} req/s → {ip_bound:.1} s; bound {bound:.1} s",
        );
        let _ = writeln!(
            report,
            "politeness measured: {:.1} s = {:.3} × the bound ({:+.1}%; target within 10%)",
            wall.as_secs_f64(),
            wall.as_secs_f64() / bound,
            100.0 * (wall.as_secs_f64() / bound - 1.0)
        );
        // The wall time above includes discovery (the portal hosts, before any agency crawl);
        // each scorecard's `duration_ms` is its agency's crawl alone.
        let longest_crawl_s = outcome
            .scorecards
            .iter()
            .map(|c| c.crawl.duration_ms)
            .max()
            .unwrap_or(0) as f64
            / 1e3;
        let _ = writeln!(
            report,
            "politeness, longest agency crawl (scorecard duration_ms, discovery not included): {longest_crawl_s:.1} s = {:.3} × the per-host bound {host_bound:.1} s",
            longest_crawl_s / host_bound
        );
    }
    let _ = writeln!(
        report,
        "audit CPU: {:.2} s = {audit_cpu_ms_per_page:.2} ms per page (user {audit_user_ms_per_page:.2}, system {audit_system_ms_per_page:.2})",
        audit_cpu.as_secs_f64()
    );
    if let Some(server) = server_before
        .zip(server_after)
        .map(|(b, a)| a.saturating_sub(b))
    {
        let _ = writeln!(
            report,
            "fixture server CPU during the audit (another process, not counted above): {:.2} ms per page",
            per_page_ms(server)
        );
    }
    let _ = writeln!(
        report,
        "peak RSS: {:.1} MiB",
        peak_rss as f64 / (1024.0 * 1024.0)
    );
    match &spider {
        Ok((run, server, before, after)) => {
            let spider_pages_per_s = run.pages as f64 / run.wall_s;
            let _ = writeln!(
                report,
                "spider baseline (crawl only): {} pages (2xx; {} other, {} URLs visited) in {:.2} s = {spider_pages_per_s:.0} pages/s; CPU {:.2} s = {:.2} ms per page (load average before {before}, after {after})",
                run.pages,
                run.other,
                run.urls,
                run.wall_s,
                run.cpu_s,
                run.cpu_s * 1e3 / run.pages.max(1) as f64
            );
            if let Some(server) = server {
                let _ = writeln!(
                    report,
                    "fixture server CPU during the spider crawl: {:.2} ms per page",
                    server.as_secs_f64() * 1e3 / run.pages.max(1) as f64
                );
            }
            let _ = writeln!(
                report,
                "page counts: pantau {fetched}, spider {} (spider − pantau = {:+})",
                run.pages,
                run.pages as i64 - fetched as i64
            );
            let _ = writeln!(
                report,
                "ratio pantau pages/s / spider pages/s: {:.2} (target at least 0.6)",
                audit_pages_per_s / spider_pages_per_s
            );
        }
        Err(why) => {
            let _ = writeln!(report, "spider baseline: {why}");
        }
    }
    let _ = writeln!(
        report,
        "bare scraper parse (CPU, one thread, file reads included): {parse_ms_per_page:.2} ms per page, {:.1} MB/s ({nodes} nodes; wall {:.2} s; load average before {parse_load})",
        parsed_bytes as f64 / 1e6 / parse.as_secs_f64(),
        parse_wall.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "ratio audit CPU per page / bare parse per page: {:.2}",
        audit_cpu_ms_per_page / parse_ms_per_page
    );
    let _ = writeln!(report, "load average at the end: {}", load_average());
}
