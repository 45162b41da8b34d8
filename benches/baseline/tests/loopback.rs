//! `spider-baseline` against a tiny HTTP/1.1 server on 127.0.0.1: the host is resolved through
//! the override (no DNS), links are followed, pages are counted by status.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};

/// The site: `/` links to `/a` and `/missing`; `/a` links to `/b` and back home; `/b` links home.
fn answer(path: &str) -> (&'static str, &'static str) {
    match path {
        "/" => (
            "200 OK",
            "<html><body><a href=\"/a\">a</a> <a href=\"/missing\">m</a></body></html>",
        ),
        "/a" => (
            "200 OK",
            "<html><body><a href=\"/b\">b</a> <a href=\"/\">home</a></body></html>",
        ),
        "/b" => ("200 OK", "<html><body><a href=\"/\">home</a></body></html>"),
        _ => ("404 Not Found", "<html><body>not found</body></html>"),
    }
}

/// `(Host header, path)` of every request the server answered.
type RequestLog = Arc<Mutex<Vec<(String, String)>>>;

/// Serves [`answer`] on an ephemeral loopback port, one connection per request; returns the
/// address (`127.0.0.1:PORT`) and the request log.
fn serve() -> (String, RequestLog) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address").to_string();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let (mut path, mut host) = (String::new(), String::new());
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                let text = line.trim_end();
                if text.is_empty() {
                    break;
                }
                if let Some(rest) = text.strip_prefix("GET ") {
                    path = rest.split(' ').next().unwrap_or("").to_string();
                } else if let Some((name, value)) = text.split_once(':') {
                    if name.eq_ignore_ascii_case("host") {
                        host = value.trim().to_string();
                    }
                }
                line.clear();
            }
            let (status, body) = answer(&path);
            log.lock().expect("log lock").push((host, path));
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (addr, seen)
}

#[test]
fn crawls_the_loopback_site_and_counts_pages_by_status() {
    let (addr, seen) = serve();
    let output = Command::new(env!("CARGO_BIN_EXE_spider-baseline"))
        .args([&addr, "--concurrency", "1", "--per-host", "2", "site.test"])
        .output()
        .expect("run spider-baseline");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.starts_with("spider-baseline "))
        .expect("the key=value line");
    assert!(
        line.starts_with("spider-baseline pages=3 other=1 urls=4 sites=1 wall_s="),
        "{line}"
    );
    let seen = seen.lock().expect("log lock").clone();
    let mut paths: Vec<&str> = seen.iter().map(|(_, p)| p.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["/", "/a", "/b", "/missing"], "robots.txt not read");
    assert!(seen.iter().all(|(host, _)| host == "site.test"), "{seen:?}");
}

#[test]
fn a_bad_address_is_named_and_exits_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_spider-baseline"))
        .args(["not-an-address", "site.test"])
        .output()
        .expect("run spider-baseline");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ADDR `not-an-address`"));
}
