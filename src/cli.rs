//! The command line (clap derive). `main.rs` turns these into library calls; library modules
//! never see clap types except [`Settings`], which doubles as the `pantau.toml` schema.

use crate::config::Settings;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Exit codes, as printed in `--help`.
pub const EXIT_CODES: &str = "\
Exit codes:
  0  the run finished; every agency found has a scorecard (a discovered site that did not
     answer is recorded in its scorecard as unreachable)
  1  the run finished with problems: an agency you named (--agencies) was unreachable, no
     agency was found, the portal did not answer, or the run was cut short (--deadline, Ctrl-C,
     SIGTERM); scorecards of finished agencies are written
  2  bad input: a malformed argument, agencies.toml, pantau.toml or rule file; nothing written
  3  pantau could not work: output not writable, HTTP client not buildable, fixture server failed
  130  a second Ctrl-C aborted at once";

/// pantau audits Indonesian government websites (go.id): it discovers the OPD sites of a
/// province, crawls them politely, checks transparency (UU 14/2008 KIP), accessibility
/// (WCAG 2.1 / W3C ACT), security and integrity, and writes a JSON scorecard per agency.
#[derive(Debug, Parser)]
#[command(name = "pantau", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Discover, crawl, check and score every agency of a provincial domain.
    Audit(AuditArgs),
    /// Run every page rule on one document (file or URL) and print the W3C ACT outcome per
    /// rule (passed, failed, inapplicable, cantTell) with each failing element, plus the
    /// gambling-spam keyword rule judged on that document.
    Check(CheckArgs),
    /// Serve the bundled fixture province on loopback and audit it (the embedded default).
    Demo(DemoArgs),
    /// List the agencies (OPD sites) of a provincial domain without auditing them.
    Discover(DiscoverArgs),
    /// List or validate the rule catalogue.
    Rules {
        /// `list` or `validate`.
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Serve a fixture province (folders of hosts) on loopback until Ctrl-C.
    ServeFixtures(ServeArgs),
}

/// `pantau audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    /// The provincial domain, e.g. sulbarprov.go.id.
    pub domain: String,
    /// Seed list of agencies (TOML: `[[agency]]` host, name, aliases); they are audited even when
    /// the portal does not link them, and an unreachable one fails the run (exit code 1).
    #[arg(long, value_name = "FILE")]
    pub agencies: Option<PathBuf>,
    /// Crawl and run settings.
    #[command(flatten)]
    pub settings: Settings,
}

/// `pantau check`. The settings it does not read are hidden from its help and refused
/// ([`CheckArgs::IGNORED_SETTINGS`]).
#[derive(Debug, clap::Args)]
#[command(mut_args(|arg| hide_if_listed(arg, CheckArgs::IGNORED_SETTINGS)))]
pub struct CheckArgs {
    /// An HTML (or SVG/XML) file, or an http(s) URL.
    #[arg(value_name = "FILE|URL")]
    pub target: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Fetch settings for a URL (rate, timeouts, --resolve, --ca-cert) and --rules.
    #[command(flatten)]
    pub settings: Settings,
}

impl CheckArgs {
    /// Settings `pantau check` does not read (crawl budgets, output, run and discovery
    /// settings): given as flags, they are refused ([`Settings::reject_ignored`]).
    pub const IGNORED_SETTINGS: &'static [&'static str] = &[
        "out",
        "max-pages",
        "max-depth",
        "concurrency",
        "deadline",
        "as-of",
        "no-dns",
        "ct",
    ];
}

/// Output format of `pantau check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One line per rule, failing elements indented.
    Text,
    /// Pretty JSON.
    Json,
}

/// `pantau demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// The fixture province to serve [default: the bundled fixtures/sulbar].
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// Crawl and run settings (the demo defaults to --rate 20 --concurrency 8 on loopback).
    #[command(flatten)]
    pub settings: Settings,
}

/// `pantau discover`. The settings it does not read are hidden from its help and refused
/// ([`DiscoverArgs::IGNORED_SETTINGS`]).
#[derive(Debug, clap::Args)]
#[command(mut_args(|arg| hide_if_listed(arg, DiscoverArgs::IGNORED_SETTINGS)))]
pub struct DiscoverArgs {
    /// The provincial domain, e.g. sulbarprov.go.id.
    pub domain: String,
    /// Seed list of agencies (TOML).
    #[arg(long, value_name = "FILE")]
    pub agencies: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Crawl settings (rate, timeouts, --resolve, --ca-cert).
    #[command(flatten)]
    pub settings: Settings,
}

impl DiscoverArgs {
    /// Settings `pantau discover` does not read (rules, crawl budgets, output and run
    /// settings): given as flags, they are refused ([`Settings::reject_ignored`]).
    pub const IGNORED_SETTINGS: &'static [&'static str] = &[
        "rules",
        "out",
        "max-pages",
        "max-depth",
        "concurrency",
        "deadline",
        "as-of",
    ];
}

/// Hides a flag whose long name is in `listed` from a subcommand's help (it stays
/// parseable, so that it can be refused with a message saying why, see
/// [`Settings::reject_ignored`]).
fn hide_if_listed(arg: clap::Arg, listed: &[&str]) -> clap::Arg {
    if arg.get_long().is_some_and(|long| listed.contains(&long)) {
        arg.hide(true)
    } else {
        arg
    }
}

/// Language of rule titles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

/// `pantau rules …`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Print the rule catalogue: id, category, weight, severity, title, source.
    List {
        /// Only this category (accessibility, transparency, security, integrity).
        #[arg(long)]
        category: Option<String>,
        /// Title language.
        #[arg(long, value_enum, default_value = "id")]
        lang: Lang,
        /// Rule directory [default: the built-in catalogue].
        #[arg(long, value_name = "DIR")]
        rules: Option<PathBuf>,
    },
    /// Check a rule directory: every problem with file and line; exit code 2 when any.
    Validate {
        /// Rule directory.
        #[arg(default_value = "rules")]
        dir: PathBuf,
    },
}

/// `pantau serve-fixtures`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The fixture province: a folder of host folders.
    pub dir: PathBuf,
    /// Port on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
}

#[cfg(test)]
mod tests {
    use super::{CheckArgs, Cli, DiscoverArgs};
    use clap::CommandFactory;

    /// The flags a subcommand hides from its help, as kebab-case names.
    fn hidden(sub: &str) -> Vec<String> {
        let cli = Cli::command();
        let sub = cli.find_subcommand(sub).expect("subcommand exists");
        let mut names: Vec<String> = sub
            .get_arguments()
            .filter(|a| a.is_hide_set())
            .filter_map(|a| a.get_long().map(str::to_string))
            .collect();
        names.sort();
        names
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn hidden_flags_are_exactly_the_refused_ones() {
        assert_eq!(hidden("check"), sorted(CheckArgs::IGNORED_SETTINGS));
        assert_eq!(hidden("discover"), sorted(DiscoverArgs::IGNORED_SETTINGS));
        assert!(hidden("audit").is_empty());
        assert!(hidden("demo").is_empty());
    }
}
