//! Security site kind `https_available` (PSTE, PP 71/2019; SPBE security aspect; research
//! `transparency-rules.md` §3.1 `site-https-valid`): decided from the crawler's HTTPS probe in
//! [`SiteFacts::https`], not from page bodies.

use super::SiteFacts;
use crate::scorecard::{Evidence, RuleStatus};

/// Pass when `https://<host>/` answered with a valid certificate, fail with the probe's reason
/// otherwise, unknown when it was not probed.
pub(crate) fn https_available(
    facts: &SiteFacts,
    agency_host: &str,
) -> (RuleStatus, Option<String>, Vec<Evidence>) {
    let url = format!("https://{agency_host}/");
    match &facts.https {
        Some(Ok(())) => (
            RuleStatus::Pass,
            Some("HTTPS answered with a valid certificate".to_string()),
            Vec::new(),
        ),
        Some(Err(reason)) => (
            RuleStatus::Fail,
            Some(format!("HTTPS not available: {reason}")),
            vec![Evidence {
                url,
                selector: None,
                snippet: None,
                message: reason.clone(),
                pages: None,
            }],
        ),
        None => (
            RuleStatus::Unknown,
            Some("HTTPS was not probed".to_string()),
            Vec::new(),
        ),
    }
}
