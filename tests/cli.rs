//! The binary as a user meets it: exit codes, one-line errors naming the input, nothing written
//! on bad input, and the README's promises (its two opening commands; `.ci/run` runs the same
//! test command).

use std::path::Path;
use std::process::{Command, Output};

fn pantau(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pantau"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("pantau runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn bad_domain_exits_2_with_one_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for domain in ["http://sulbarprov.go.id", "sulbar prov.go.id", ""] {
        let out = pantau(&["audit", domain, "--out", "out"], dir.path());
        assert_eq!(
            out.status.code(),
            Some(2),
            "domain {domain:?}: {}",
            stderr(&out)
        );
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.starts_with("pantau: "), "{err}");
        assert!(
            !dir.path().join("out").exists(),
            "nothing written for {domain:?}"
        );
    }
}

#[test]
fn malformed_seed_list_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("agencies.toml"),
        "[[agency]]\nhost = \"diskominfo.sulbarprov.go.id\"\nnama = \"Diskominfo\"\n",
    )
    .unwrap();
    let out = pantau(
        &[
            "audit",
            "sulbarprov.go.id",
            "--agencies",
            "agencies.toml",
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("agencies.toml:3"),
        "file and line named: {err}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn malformed_config_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pantau.toml"),
        "rate = 2.0\nmax_pages = 3\n",
    )
    .unwrap();
    let out = pantau(
        &["audit", "sulbarprov.go.id", "--config", "pantau.toml"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("pantau.toml:2: "), "{}", stderr(&out));
}

#[test]
fn rules_validate_reports_file_and_line_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("extra.toml"),
        "[[rule]]\nid = \"ppid-page\"\ncategory = \"transparency\"\nweight = 5\nseverity = \"critical\"\n\
         source = \"UU 14/2008 Ps.13\"\ntitle.id = \"PPID\"\ntitle.en = \"PPID\"\nkind = \"link_txt\"\n",
    )
    .unwrap();
    let out = pantau(&["rules", "validate", "rules"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("extra.toml:"), "{err}");
    assert!(err.contains("link_txt"), "{err}");
}

#[test]
fn rules_validate_accepts_the_bundled_catalogue() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = pantau(&["rules", "validate", "rules"], repo);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("all valid"));
}

#[test]
fn help_documents_the_exit_codes() {
    let out = pantau(&["--help"], Path::new("."));
    let help = String::from_utf8_lossy(&out.stdout);
    for line in ["Exit codes:", "  0  ", "  1  ", "  2  ", "  3  "] {
        assert!(help.contains(line), "--help lacks {line:?}:\n{help}");
    }
    for sub in ["audit", "demo", "discover", "rules", "serve-fixtures"] {
        assert!(help.contains(sub), "--help lacks {sub}");
    }
}

#[test]
fn readme_opens_with_the_demo_and_the_test_command_that_ci_runs() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let block: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("```"))
        .skip(1)
        .take_while(|l| !l.starts_with("```"))
        .collect();
    assert_eq!(block.len(), 2, "two commands: {block:?}");
    let command = |l: &str| l.split('#').next().unwrap_or_default().trim().to_string();
    assert_eq!(command(block[0]), "cargo run --release --locked -- demo");
    let test_command = command(block[1]);
    assert_eq!(test_command, "cargo test --locked");
    let ci = std::fs::read_to_string(repo.join(".ci/run")).unwrap();
    assert!(
        ci.lines().any(|l| l.trim() == test_command),
        ".ci/run must run the README's test command '{test_command}'"
    );
}

/// `serve-fixtures` stopped by SIGTERM (what `timeout`, systemd and `kill` send) removes the CA
/// file it wrote, as Ctrl-C does.
#[cfg(unix)]
#[test]
fn serve_fixtures_removes_its_ca_file_on_sigterm() {
    use std::io::{BufRead, BufReader};
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_pantau"))
        .args(["serve-fixtures", "fixtures/sulbar", "--port", "0"])
        .current_dir(repo)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pantau serve-fixtures runs");
    let stdout = child.stdout.take().expect("stdout");
    let mut ca = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("a line");
        if let Some((_, path)) = line.split_once("--ca-cert ") {
            ca = Some(std::path::PathBuf::from(path.trim()));
        }
        if line == "Ctrl-C stops" {
            break;
        }
    }
    let ca = ca.expect("the CA path is printed");
    assert!(ca.is_file(), "{}", ca.display());
    let pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: kill(2) with a child's pid and SIGTERM has no memory effects.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    let status = child.wait().expect("the server stops");
    assert_eq!(status.code(), Some(0));
    assert!(!ca.exists(), "{} is left behind", ca.display());
}

/// `demo` reports a bad flag or rules folder before it serves anything.
#[test]
fn demo_reports_bad_input_before_serving() {
    let dir = tempfile::tempdir().expect("tempdir");
    for args in [
        vec!["demo", "--resolve", "dinas.go.id:localhost:80"],
        vec!["demo", "--rules", "no-such-rules-dir"],
    ] {
        let out = pantau(&args, dir.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(!err.contains("serving"), "{args:?}: {err}");
        assert!(
            err.contains("localhost") || err.contains("no-such-rules-dir"),
            "{args:?}: {err}"
        );
    }
    assert!(!dir.path().join("out").exists(), "nothing written");
}

/// Agencies a run never reached (its `--deadline` passed first) are named on stderr, not only
/// in `index.json`.
#[test]
fn agencies_not_audited_are_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    // One agency at a time at 5 requests per second: discovery fits in the 6 s, all 11
    // agencies do not.
    let args = [
        "demo",
        "--deadline",
        "6",
        "--concurrency",
        "1",
        "--rate",
        "5",
    ];
    let out = pantau(&args, dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    let line = err
        .lines()
        .find_map(|l| l.strip_prefix("pantau: not audited (the run stopped first): "))
        .unwrap_or_else(|| panic!("no not-audited line in {err}"));
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/latest/index.json")).expect("index"),
    )
    .expect("index JSON");
    let listed: Vec<&str> = index["not_audited"]
        .as_array()
        .expect("not_audited")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(!listed.is_empty());
    assert_eq!(line, listed.join(", "));
}

#[test]
fn check_and_discover_refuse_settings_they_do_not_use() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("page.html"),
        "<html lang=id><title>t</title></html>",
    )
    .unwrap();
    let out = pantau(&["check", "page.html", "--max-pages", "5"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("max-pages: `pantau check` does not use this setting"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "nothing checked on bad input");
    let out = pantau(&["discover", "sulbarprov.go.id", "--out", "o"], dir.path());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("out: `pantau discover` does not use this setting"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("o").exists());
    // A pantau.toml is shared by every subcommand: its crawl settings are not refused.
    std::fs::write(
        dir.path().join("pantau.toml"),
        "max-pages = 3\nout = \"o\"\n",
    )
    .unwrap();
    let out = pantau(
        &["check", "page.html", "--config", "pantau.toml"],
        dir.path(),
    );
    assert_ne!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("html-has-lang"));
}

/// A portal that does not answer is the sites' failure, not the user's: `discover` exits 1
/// like `audit` (it exited 2, "bad input").
#[test]
fn an_unreachable_portal_exits_1_for_discover_as_for_audit() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let resolve = [
        format!("sulbarprov.go.id:127.0.0.1:{port}"),
        format!("*.sulbarprov.go.id:127.0.0.1:{port}"),
    ];
    for command in ["discover", "audit"] {
        let out = pantau(
            &[
                command,
                "sulbarprov.go.id",
                "--resolve",
                &resolve[0],
                "--resolve",
                &resolve[1],
            ],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("cannot be read"),
            "{command}: {}",
            stderr(&out)
        );
    }
}

/// SIGPIPE stays ignored: a closed stdout (`pantau rules list | head -1`) ends the output, not
/// the process (with SIGPIPE's default action, a TLS peer resetting a connection killed a
/// whole audit with exit 141 and no index written).
#[test]
fn a_closed_stdout_neither_kills_nor_panics_pantau() {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pantau"))
        .args(["rules", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("pantau runs");
    // Close the reading end at once: every write pantau makes goes to a closed pipe.
    drop(child.stdout.take());
    let status = child.wait().expect("pantau ends");
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr piped")
        .read_to_string(&mut err)
        .expect("stderr read");
    assert_eq!(
        status.code(),
        Some(0),
        "killed by a signal? {status:?}; {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}
