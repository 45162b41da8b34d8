//! A fetched, decoded, parsed document: [`Page`]. Built once per page on a blocking thread,
//! checked by every page rule, and dropped.
//!
//! INTERFACE CONTRACT (used by `audit.rs`): `Page::parse(url: Url, status: u16, html: &str) -> Page`
//! and `Page::links(&self) -> Vec<Link>` (absolute, resolved against the first `<base href>`).

use url::Url;

/// A hyperlink found on a page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Link {
    /// Absolute URL, fragment kept (the crawler drops it).
    pub url: Url,
    /// Visible text, whitespace collapsed.
    pub text: String,
}

/// One parsed HTML document.
pub struct Page {
    /// Final URL of the response.
    pub url: Url,
    /// HTTP status.
    pub status: u16,
    /// The DOM.
    pub html: scraper::Html,
}

impl Page {
    /// Parse a decoded HTML body.
    pub fn parse(url: Url, status: u16, html: &str) -> Page {
        Page {
            url,
            status,
            html: scraper::Html::parse_document(html),
        }
    }
    /// Every `<a href>` / `<area href>` resolved against the page URL (placeholder: no `<base>`).
    pub fn links(&self) -> Vec<Link> {
        let sel = scraper::Selector::parse("a[href], area[href]").expect("static selector");
        self.html
            .select(&sel)
            .filter_map(|a| {
                let href = a.value().attr("href")?;
                let url = self.url.join(href.trim()).ok()?;
                let text = a.text().collect::<Vec<_>>().join(" ");
                Some(Link {
                    url,
                    text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                })
            })
            .collect()
    }
}
