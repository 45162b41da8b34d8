//! Crawl benchmark: `cargo bench --bench crawl` (sizes from the environment:
//! `BENCH_AGENCIES`, default 40; `BENCH_PAGES`, pages per agency, default 250; `BENCH_RATE`,
//! requests per second per host, default 0 = rate limits off; when set, the wall time is compared
//! with the bound the per-host and per-IP limits set).
//!
//! 1. Generates a synthetic province into a temporary folder: `BENCH_AGENCIES` OPD hosts under
//!    `bench.go.id`, each with `BENCH_PAGES` pages of 60–120 KB of OPD-like HTML (navigation,
//!    news lists, paragraphs, tables, images with and without `alt`, forms, footer), linked
//!    home → 10 sections → articles, every page linking home, the sections and 12 articles;
//!    plus a bare portal (`bench.go.id`, `www.bench.go.id`); the agencies come as a seed list.
//! 2. Serves it with `pantau serve-fixtures` in a **child process** (plain HTTP: every host has
//!    `_no_tls`, so the https attempt fails once per agency and the crawl goes on over http), so
//!    the CPU time and peak RSS measured are the audit's alone.
//! 3. Audits it in-process with `pantau::audit::run_audit`, rate limits off, every rule on.
//! 4. Parses the same pages with bare `scraper::Html::parse_document` on one thread.
//!
//! Prints pages/s, audit CPU ms per page (user + system, `getrusage`), peak RSS, bare parse ms
//! per page and MB/s, and the ratio audit CPU per page ÷ bare parse per page. Run on one core
//! with `taskset -c 0 cargo bench --bench crawl` to get the one-core figure (the audit sizes its
//! parse slots from `available_parallelism`, which follows the affinity mask).

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

/// CPU time (user + system) and peak RSS (bytes) of this process so far.
fn usage() -> (Duration, u64) {
    // SAFETY: getrusage writes into the zeroed struct we own; RUSAGE_SELF is always valid.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    (
        tv(ru.ru_utime) + tv(ru.ru_stime),
        ru.ru_maxrss as u64 * 1024,
    )
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

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    let agencies = env_usize("BENCH_AGENCIES", 40);
    let pages = env_usize("BENCH_PAGES", 250);
    // Requests per second per host; 0 (default) = limits off. The per-IP limit is then twice
    // that (the fetcher's default), shared by every agency: they all answer from 127.0.0.1.
    let rate: f64 = std::env::var("BENCH_RATE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
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
        concurrency: Some(8),
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
    let seeds = (0..agencies)
        .map(|a| SeedAgency {
            host: format!("opd{a:02}.{DOMAIN}"),
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
    let (cpu_before, _) = usage();
    let wall = Instant::now();
    let outcome = runtime
        .block_on(run_audit(plan, CancellationToken::new()))
        .expect("audit runs");
    let wall = wall.elapsed();
    let (cpu_after, peak_rss) = usage();
    let _ = child.kill();
    let _ = child.wait();
    let fetched: u64 = outcome
        .scorecards
        .iter()
        .map(|c| c.crawl.pages_fetched)
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
    let audit_cpu = cpu_after.saturating_sub(cpu_before);
    let audit_cpu_ms_per_page = audit_cpu.as_secs_f64() * 1e3 / fetched.max(1) as f64;

    // Bare parse of the same pages, one thread, measured in CPU time like the audit (the machine
    // may be shared: wall time would count other processes' turns).
    drop(runtime);
    let (parse_cpu_before, _) = usage();
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
    let (parse_cpu_after, _) = usage();
    let parse = parse_cpu_after.saturating_sub(parse_cpu_before);
    let parse_ms_per_page = parse.as_secs_f64() * 1e3 / files.len().max(1) as f64;

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut report = std::io::stdout().lock();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let _ = writeln!(
        report,
        "cores (available_parallelism): {cores}; load average: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let _ = writeln!(
        report,
        "audit: {fetched} pages of {} agencies in {:.2} s = {:.0} pages/s",
        outcome.scorecards.len(),
        wall.as_secs_f64(),
        fetched as f64 / wall.as_secs_f64()
    );
    if rate > 0.0 {
        // Requests through the limiters per agency: the pages, plus the failed https attempt,
        // robots.txt and /sitemap.xml.
        let per_agency = (fetched as f64 / agencies.max(1) as f64) + 3.0;
        let host_bound = per_agency / rate;
        let ip_bound = per_agency * agencies as f64 / (2.0 * rate);
        let bound = host_bound.max(ip_bound);
        let _ = writeln!(
            report,
            "politeness: {rate} req/s per host, {} req/s per IP: bound {bound:.1} s (host {host_bound:.1} s, IP {ip_bound:.1} s); measured {:.1} s = {:.0}% of the bound",
            2.0 * rate,
            wall.as_secs_f64(),
            100.0 * wall.as_secs_f64() / bound
        );
    }
    let _ = writeln!(
        report,
        "audit CPU: {:.2} s = {audit_cpu_ms_per_page:.2} ms per page",
        audit_cpu.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "peak RSS: {:.1} MiB",
        peak_rss as f64 / (1024.0 * 1024.0)
    );
    let _ = writeln!(
        report,
        "bare scraper parse (CPU, one thread, file reads included): {parse_ms_per_page:.2} ms per page, {:.1} MB/s ({nodes} nodes; wall {:.2} s)",
        parsed_bytes as f64 / 1e6 / parse.as_secs_f64(),
        parse_wall.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "ratio audit CPU per page / bare parse per page: {:.2}",
        audit_cpu_ms_per_page / parse_ms_per_page
    );
}
