//! Discovery: the provincial domain → the list of [`Agency`] (OPD sites) to audit.
//!
//! Input: a provincial domain such as `sulbarprov.go.id`, a [`Fetcher`](crate::fetch::Fetcher)
//! and an optional seed list (`agencies.toml`). Output: [`Discovery`], the agencies sorted by id,
//! each with the [`Provenance`] of how it was found.

use serde::{Deserialize, Serialize};

/// How an agency host came to pantau's attention. Serialised in snake_case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "via")]
pub enum Provenance {
    /// Linked from a page of the provincial portal (`page` is that page's URL).
    PortalLink { page: String },
    /// Listed in the portal's sitemap (`sitemap` is the sitemap's URL).
    Sitemap { sitemap: String },
    /// Listed in the user's seed list (`--agencies FILE`).
    SeedList { file: String },
}

/// One OPD site: a host under (or named for) the provincial domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    /// Stable id: the leftmost subdomain label (`diskominfo` for `diskominfo.sulbarprov.go.id`);
    /// made unique within a run by appending the next label when two hosts share it.
    pub id: String,
    /// Lower-case host name, no port.
    pub host: String,
    /// Display name: the seed list's name, else the portal's link text, else the site's `<title>`,
    /// else the host.
    pub name: String,
    /// Every way the host was found, sorted and deduplicated.
    pub provenance: Vec<Provenance>,
    /// True when the user named the host (seed list): such an agency failing is loud.
    pub explicit: bool,
}

/// One entry of the seed list (`agencies.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SeedAgency {
    /// Host.
    pub host: String,
    /// Name.
    pub name: String,
}

/// Discovery errors.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError {
    /// The domain argument is not a host name.
    #[error("'{0}' is not a domain name")]
    BadDomain(String),
}

/// The result of discovery.
#[derive(Debug, Clone, Serialize)]
pub struct Discovery {
    /// Agencies, sorted by id.
    pub agencies: Vec<Agency>,
    /// Non-fatal problems.
    pub problems: Vec<String>,
}

/// Discover the agencies of `domain`.
pub async fn discover(
    domain: &str,
    _fetcher: &crate::fetch::Fetcher,
    _seeds: &[SeedAgency],
    _seed_file: Option<&std::path::Path>,
) -> Result<Discovery, DiscoverError> {
    Err(DiscoverError::BadDomain(domain.to_string()))
}

/// Load seeds.
pub fn load_seed_list(path: &std::path::Path) -> Result<Vec<SeedAgency>, DiscoverError> {
    Err(DiscoverError::BadDomain(path.display().to_string()))
}
