//! The open web: for a company domain, its home, about/team/leadership, careers and contact
//! pages, fetched politely (robots.txt, a per-host pace, timeouts, a size cap, a redirect limit,
//! a real User-Agent), and what they prove as facts sourced to each page's URL.
//!
//! Off unless configured (`EngineOptions::web`): tests and offline runs never touch the network,
//! and a loopback test maps each domain to `http://127.0.0.1:PORT` with `base_urls`.

pub mod extract;
pub mod fetch;
pub mod robots;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::grounding::{Fact, Origin, Strength};
use crate::model::{Error, SourceKind, Timestamp};
use extract::PageKind;
use fetch::FetchError;
use robots::Robots;

#[derive(Debug, Clone)]
pub struct WebOptions {
    pub user_agent: String,
    /// Per request, body included.
    pub timeout: Duration,
    /// Bytes read from one page before the rest is dropped.
    pub max_bytes: usize,
    pub max_redirects: usize,
    /// The least time between two requests to one host.
    pub per_host_interval: Duration,
    /// Domain → base URL (`acme.io` → `http://127.0.0.1:41234`); others use `https://<domain>`.
    pub base_urls: HashMap<String, String>,
}

impl Default for WebOptions {
    fn default() -> Self {
        Self {
            user_agent: format!(
                "leadline/{} (lead research; +https://github.com/leadline/leadline)",
                env!("CARGO_PKG_VERSION")
            ),
            timeout: Duration::from_secs(10),
            max_bytes: 2 * 1024 * 1024,
            max_redirects: 5,
            per_host_interval: Duration::from_secs(1),
            base_urls: HashMap::new(),
        }
    }
}

/// The pages read for each company, in order.
pub const PAGES: &[(&str, PageKind)] = &[
    ("/", PageKind::Home),
    ("/about", PageKind::About),
    ("/team", PageKind::Team),
    ("/leadership", PageKind::Team),
    ("/careers", PageKind::Careers),
    ("/jobs", PageKind::Careers),
    ("/contact", PageKind::Contact),
];

/// What the web proved about one company.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WebFindings {
    /// Company-level facts (description, technologies, hiring_for, social links, emails).
    pub facts: Vec<Fact>,
    /// Each person's facts (name, title, email when the page pairs them).
    pub people: Vec<Vec<Fact>>,
    /// Pages not read, and why (robots.txt, timeouts, size cap…), for the job log.
    pub skipped: Vec<String>,
}

pub struct WebSource {
    options: WebOptions,
    client: reqwest::Client,
    last_hit: Mutex<HashMap<String, Instant>>,
}

impl std::fmt::Debug for WebSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSource")
            .field("options", &self.options)
            .finish()
    }
}

impl WebSource {
    pub fn new(options: WebOptions) -> Result<Self, Error> {
        Ok(Self {
            client: fetch::client(&options)?,
            options,
            last_hit: Mutex::new(HashMap::new()),
        })
    }

    fn base(&self, domain: &str) -> String {
        self.options
            .base_urls
            .get(domain)
            .cloned()
            .unwrap_or_else(|| format!("https://{domain}"))
            .trim_end_matches('/')
            .to_string()
    }

    /// Waits until this host may be asked again.
    async fn pace(&self, host: &str) {
        let wait = {
            let mut hits = self.last_hit.lock().unwrap_or_else(|p| p.into_inner());
            let now = Instant::now();
            let next = hits
                .get(host)
                .map(|t| *t + self.options.per_host_interval)
                .unwrap_or(now)
                .max(now);
            hits.insert(host.to_string(), next);
            next - now
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    async fn robots(&self, base: &str) -> Robots {
        self.pace(base).await;
        match fetch::get(&self.client, &format!("{base}/robots.txt"), &self.options).await {
            Ok(f) => Robots::parse(&f.body, &self.options.user_agent),
            // RFC 9309: a server error or no answer means "assume everything is disallowed";
            // no file (4xx) or a redirect loop means no rules.
            Err(FetchError::Status(s)) if s >= 500 => Robots::disallow_all(),
            Err(FetchError::Timeout | FetchError::Network(_)) => Robots::disallow_all(),
            Err(_) => Robots::allow_all(),
        }
    }

    /// Reads the company's pages and returns what they prove.
    pub async fn research(&self, domain: &str) -> WebFindings {
        let base = self.base(domain);
        let robots = self.robots(&base).await;
        let mut out = WebFindings::default();
        let mut seen_urls: Vec<String> = Vec::new();
        for (path, kind) in PAGES {
            if !robots.allowed(path) {
                out.skipped
                    .push(format!("{base}{path}: disallowed by robots.txt"));
                continue;
            }
            self.pace(&base).await;
            let url = format!("{base}{path}");
            let page = match fetch::get(&self.client, &url, &self.options).await {
                Ok(p) => p,
                Err(fetch::FetchError::Status(404)) => continue,
                Err(e) => {
                    out.skipped.push(format!("{url}: {e}"));
                    continue;
                }
            };
            // A redirect to a page already read (e.g. /jobs → /careers) proves nothing new.
            if seen_urls.contains(&page.url) {
                continue;
            }
            seen_urls.push(page.url.clone());
            if page.truncated {
                out.skipped.push(format!(
                    "{url}: larger than {} bytes; only its start was read",
                    self.options.max_bytes
                ));
            }
            let facts = extract::extract(&page.body, &page.headers, *kind);
            let origin = Origin {
                kind: SourceKind::Web,
                url: Some(page.url.clone()),
                name: Some(domain.to_string()),
                retrieved_at: Timestamp::now(),
                strength: Strength::Page,
            };
            let fact = |path: &str, value: Value| Fact {
                path: path.to_string(),
                value,
                origin: origin.clone(),
            };
            if let Some(d) = facts.description {
                out.facts.push(fact("fields.description", json!(d)));
            }
            for t in facts.technologies {
                out.facts.push(fact("fields.technologies", json!(t)));
            }
            for r in facts.open_roles {
                out.facts.push(fact("fields.hiring_for", json!(r)));
            }
            for e in facts.emails {
                out.facts.push(fact("fields.emails", json!(e)));
            }
            for s in facts.social_links {
                if s.contains("linkedin.com/company/") {
                    out.facts.push(fact("company.linkedin", json!(s)));
                }
                out.facts.push(fact("fields.social_links", json!(s)));
            }
            for p in facts.people {
                let mut pf = vec![fact("person.full_name", json!(p.name))];
                if let Some(t) = p.title {
                    pf.push(fact("person.title", json!(t)));
                }
                if let Some(e) = p.email {
                    pf.push(fact("person.email", json!(e)));
                }
                out.people.push(pf);
            }
        }
        out
    }
}
