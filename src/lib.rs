//! pantau audits the websites of an Indonesian provincial government (Pemda) and its agencies
//! (OPD) for transparency (UU 14/2008 KIP), accessibility (WCAG 2.1 / W3C ACT), security and
//! integrity (online-gambling spam injected into go.id pages).
//!
//! # The flow
//! ```text
//! discover ─► Agency ─► crawl (Fetcher: robots.txt, rate limit, HTTP, charset) ─► FetchedDocument
//!   ─► Page (parsed once) ─► RuleSet::check_page ─► PageReport ─► aggregate (counters, evidence)
//!   ─► site rules ─► score ─► Scorecard ─► output (agencies/<id>.json, index.json)
//! ```

pub mod audit;
pub mod check;
pub mod cli;
pub mod config;
pub mod crawl;
pub mod demo;
pub mod discover;
pub mod fetch;
pub mod fixture;
pub mod output;
pub mod page;
pub mod rules;
pub mod score;
pub mod scorecard;
pub mod sitemap;
