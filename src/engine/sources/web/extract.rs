//! What a page proves: its description, people with titles (team cards, schema.org markup,
//! tables, "Name — Title" lists), emails (mailto links, plain and `[at]`/`[dot]` obfuscated text),
//! open roles on careers pages, technologies from scripts and headers, social links.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};

/// Which kind of page a text came from (people and roles are only read where they belong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    About,
    Team,
    Careers,
    Contact,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundPerson {
    pub name: String,
    pub title: Option<String>,
    /// Only when the page puts it with the person (a mailto in their card).
    pub email: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageFacts {
    pub description: Option<String>,
    pub people: Vec<FoundPerson>,
    pub emails: Vec<String>,
    pub open_roles: Vec<String>,
    pub technologies: Vec<String>,
    pub social_links: Vec<String>,
}

fn sel(s: &str) -> Selector {
    // Our own constant selectors: a typo is a bug caught by the extractor tests.
    Selector::parse(s).unwrap_or_else(|_| panic!("bad selector {s}"))
}

static META_DESC: LazyLock<Selector> = LazyLock::new(|| {
    sel(r#"meta[name="description"], meta[property="og:description"], meta[name="og:description"]"#)
});
static CARDS: LazyLock<Selector> = LazyLock::new(|| {
    sel(
        r#"[class*="member"], [class*="person"], [class*="leader"], [class*="profile"], [class*="founder"]"#,
    )
});
static CARD_NAME: LazyLock<Selector> =
    LazyLock::new(|| sel(r#"[class*="name"], h2, h3, h4, strong"#));
static CARD_TITLE: LazyLock<Selector> = LazyLock::new(|| {
    sel(r#"[class*="title"], [class*="role"], [class*="position"], [class*="job"], p, em, span"#)
});
static SCHEMA_PERSON: LazyLock<Selector> =
    LazyLock::new(|| sel(r#"[itemtype*="schema.org/Person"]"#));
static ITEM_NAME: LazyLock<Selector> = LazyLock::new(|| sel(r#"[itemprop="name"]"#));
static ITEM_TITLE: LazyLock<Selector> = LazyLock::new(|| sel(r#"[itemprop="jobTitle"]"#));
static ROWS: LazyLock<Selector> = LazyLock::new(|| sel("table tr"));
static CELLS: LazyLock<Selector> = LazyLock::new(|| sel("td"));
static ITEMS: LazyLock<Selector> = LazyLock::new(|| sel("li, dd, p"));
static LINKS: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));
static SCRIPTS: LazyLock<Selector> = LazyLock::new(|| sel("script[src], link[href]"));
static JOBS: LazyLock<Selector> = LazyLock::new(|| {
    sel(
        r#"[class*="job"] h2, [class*="job"] h3, [class*="job"] a, [class*="opening"] h3, [class*="opening"] a, [class*="position"] h3, [class*="position"] a, .job-title"#,
    )
});
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b")
        .unwrap_or_else(|e| panic!("{e}"))
});
static OBFUSCATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z0-9._%+-]+)\s*[\[\(\{]\s*at\s*[\]\)\}]\s*([a-z0-9-]+(?:\s*[\[\(\{]\s*dot\s*[\]\)\}]\s*[a-z0-9-]+)+)")
        .unwrap_or_else(|e| panic!("{e}"))
});
static DOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*[\[\(\{]\s*dot\s*[\]\)\}]\s*").unwrap_or_else(|e| panic!("{e}"))
});
static DASHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*([A-Z][\p{L}'.-]+(?:\s+[A-Z][\p{L}'.-]+){1,3})\s*(?:—|–|-|,|\|)\s*(.{2,80}?)\s*$",
    )
    .unwrap_or_else(|e| panic!("{e}"))
});

/// Script sources and header values → technologies (a small signature table).
const SIGNATURES: &[(&str, &str)] = &[
    ("googletagmanager.com", "Google Tag Manager"),
    ("google-analytics.com", "Google Analytics"),
    ("js.hs-scripts.com", "HubSpot"),
    ("hubspot", "HubSpot"),
    ("cdn.segment.com", "Segment"),
    ("widget.intercom.io", "Intercom"),
    ("js.intercomcdn.com", "Intercom"),
    ("js.stripe.com", "Stripe"),
    ("static.hotjar.com", "Hotjar"),
    ("cdn.shopify.com", "Shopify"),
    ("/wp-content/", "WordPress"),
    ("/_next/", "Next.js"),
    ("react-dom", "React"),
    ("vue.runtime", "Vue.js"),
    ("jquery", "jQuery"),
    ("js.driftt.com", "Drift"),
    ("static.zdassets.com", "Zendesk"),
    ("browser.sentry-cdn.com", "Sentry"),
    ("salesforce.com", "Salesforce"),
    ("marketo", "Marketo"),
];
const HEADER_SIGNATURES: &[(&str, &str)] = &[
    ("next.js", "Next.js"),
    ("express", "Express"),
    ("php", "PHP"),
    ("cloudflare", "Cloudflare"),
    ("nginx", "nginx"),
    ("vercel", "Vercel"),
    ("netlify", "Netlify"),
];
const SOCIAL_HOSTS: &[&str] = &[
    "linkedin.com",
    "twitter.com",
    "x.com",
    "github.com",
    "facebook.com",
    "instagram.com",
    "youtube.com",
];

fn text_of(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Two to four capitalised words: what a person's name on a team page looks like.
fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && s.len() <= 60
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !s.chars().any(|c| c.is_ascii_digit() || c == '@')
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
        v.push(s);
    }
}

fn add_person(people: &mut Vec<FoundPerson>, p: FoundPerson) {
    let key = p.name.to_lowercase();
    match people.iter_mut().find(|o| o.name.to_lowercase() == key) {
        Some(o) => {
            if o.title.is_none() {
                o.title = p.title;
            }
            if o.email.is_none() {
                o.email = p.email;
            }
        }
        None => people.push(p),
    }
}

fn mailto(e: ElementRef<'_>) -> Option<String> {
    e.select(&LINKS)
        .filter_map(|a| a.value().attr("href"))
        .find_map(|h| h.strip_prefix("mailto:"))
        .and_then(|m| crate::engine::sources::dataset::normalise::email(m.split('?').next()?))
}

fn people(doc: &Html) -> Vec<FoundPerson> {
    let mut out = Vec::new();
    // schema.org Person markup: the most explicit layout.
    for p in doc.select(&SCHEMA_PERSON) {
        if let Some(name) = p.select(&ITEM_NAME).next().map(text_of) {
            let title = p
                .select(&ITEM_TITLE)
                .next()
                .map(text_of)
                .filter(|t| !t.is_empty());
            add_person(
                &mut out,
                FoundPerson {
                    name,
                    title,
                    email: mailto(p),
                },
            );
        }
    }
    // Cards: a name element and a title element inside a member/person/leader block.
    for card in doc.select(&CARDS) {
        let Some(name_el) = card
            .select(&CARD_NAME)
            .find(|e| looks_like_name(&text_of(*e)))
        else {
            continue;
        };
        let name = text_of(name_el);
        let title = card
            .select(&CARD_TITLE)
            .filter(|e| e.id() != name_el.id())
            .map(text_of)
            .find(|t| !t.is_empty() && *t != name && !t.contains('@') && t.len() <= 80);
        add_person(
            &mut out,
            FoundPerson {
                name,
                title,
                email: mailto(card),
            },
        );
    }
    // Tables: name in the first cell, title in the second.
    for row in doc.select(&ROWS) {
        let cells: Vec<String> = row.select(&CELLS).map(text_of).collect();
        if cells.len() >= 2 && looks_like_name(&cells[0]) && !cells[1].is_empty() {
            add_person(
                &mut out,
                FoundPerson {
                    name: cells[0].clone(),
                    title: Some(cells[1].clone()),
                    email: mailto(row),
                },
            );
        }
    }
    // Lists: "Jane Doe — VP Engineering".
    for item in doc.select(&ITEMS) {
        let t = text_of(item);
        if let Some(c) = DASHED.captures(&t) {
            add_person(
                &mut out,
                FoundPerson {
                    name: c[1].to_string(),
                    title: Some(c[2].to_string()),
                    email: mailto(item),
                },
            );
        }
    }
    out
}

fn emails(doc: &Html) -> Vec<String> {
    let mut out = Vec::new();
    for a in doc.select(&LINKS) {
        if let Some(m) = a
            .value()
            .attr("href")
            .and_then(|h| h.strip_prefix("mailto:"))
            && let Some(e) = m
                .split('?')
                .next()
                .and_then(crate::engine::sources::dataset::normalise::email)
        {
            push_unique(&mut out, e);
        }
    }
    let text = doc.select(&BODY).next().map(text_of).unwrap_or_default();
    for m in EMAIL.find_iter(&text) {
        if let Some(e) = crate::engine::sources::dataset::normalise::email(m.as_str()) {
            push_unique(&mut out, e);
        }
    }
    for c in OBFUSCATED.captures_iter(&text) {
        let raw = format!("{}@{}", &c[1], DOT.replace_all(&c[2], "."));
        if let Some(e) = crate::engine::sources::dataset::normalise::email(&raw) {
            push_unique(&mut out, e);
        }
    }
    out
}

pub fn extract(html: &str, headers: &[(String, String)], kind: PageKind) -> PageFacts {
    let doc = Html::parse_document(html);
    let mut facts = PageFacts {
        description: doc
            .select(&META_DESC)
            .filter_map(|m| m.value().attr("content"))
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .find(|c| !c.is_empty()),
        emails: emails(&doc),
        ..PageFacts::default()
    };
    if matches!(kind, PageKind::Team | PageKind::About) {
        facts.people = people(&doc);
    }
    if kind == PageKind::Careers {
        for j in doc.select(&JOBS) {
            let t = text_of(j);
            if (3..=80).contains(&t.len()) && !t.eq_ignore_ascii_case("apply") {
                push_unique(&mut facts.open_roles, t);
            }
        }
    }
    for s in doc.select(&SCRIPTS) {
        let src = s
            .value()
            .attr("src")
            .or_else(|| s.value().attr("href"))
            .unwrap_or("");
        let src = src.to_lowercase();
        for (sig, tech) in SIGNATURES {
            if src.contains(sig) {
                push_unique(&mut facts.technologies, (*tech).to_string());
            }
        }
    }
    for (name, value) in headers {
        if matches!(name.as_str(), "x-powered-by" | "server") {
            let v = value.to_lowercase();
            for (sig, tech) in HEADER_SIGNATURES {
                if v.contains(sig) {
                    push_unique(&mut facts.technologies, (*tech).to_string());
                }
            }
        }
    }
    for a in doc.select(&LINKS) {
        let Some(href) = a.value().attr("href") else {
            continue;
        };
        let Ok(url) = url::Url::parse(href) else {
            continue;
        };
        let host = url.host_str().unwrap_or("").trim_start_matches("www.");
        if SOCIAL_HOSTS.contains(&host) && url.path().len() > 1 {
            push_unique(&mut facts.social_links, url.to_string());
        }
    }
    facts
}
