//! The open-web source against real HTTP servers on 127.0.0.1 serving pages written for the
//! test: which facts come back, from which URLs, and what is refused (robots.txt, a redirect
//! loop, a slow page, a huge page).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use leadline::engine::sources::grounding::Fact;
use leadline::engine::sources::web::{WebOptions, WebSource, fetch};
use leadline::model::SourceKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    delay: Duration,
}

fn page(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/live/site")
            .join(name),
    )
    .unwrap()
}

fn ok(body: Vec<u8>) -> Reply {
    Reply {
        status: 200,
        headers: vec![("Content-Type", "text/html".into())],
        body,
        delay: Duration::ZERO,
    }
}

fn status(code: u16) -> Reply {
    Reply {
        status: code,
        headers: vec![],
        body: vec![],
        delay: Duration::ZERO,
    }
}

fn acme(path: &str) -> Reply {
    match path {
        "/robots.txt" => Reply {
            headers: vec![("Content-Type", "text/plain".into())],
            ..ok(b"User-agent: *\nDisallow: /leadership\n".to_vec())
        },
        "/" => {
            let mut r = ok(page("home.html"));
            r.headers.push(("X-Powered-By", "Next.js".into()));
            r
        }
        "/about" => ok(page("about.html")),
        "/team" => ok(page("team.html")),
        "/leadership" => ok(page("leadership.html")),
        "/careers" => ok(page("careers.html")),
        // A redirect loop.
        "/jobs" => Reply {
            headers: vec![("Location", "/jobs/".into())],
            ..status(302)
        },
        "/jobs/" => Reply {
            headers: vec![("Location", "/jobs".into())],
            ..status(302)
        },
        // Windows-1252 bytes, no charset named.
        "/contact" => ok(page("contact.html")),
        _ => status(404),
    }
}

fn slow(path: &str) -> Reply {
    match path {
        "/" => Reply {
            delay: Duration::from_secs(3),
            ..ok(
                b"<html><head><meta name=\"description\" content=\"too late\"></head></html>"
                    .to_vec(),
            )
        },
        "/about" => {
            let mut body =
                b"<html><head><meta name=\"description\" content=\"Big pages\"></head><body>"
                    .to_vec();
            while body.len() < 3 * 1024 * 1024 {
                body.extend_from_slice(b"<p>filler filler filler filler filler filler</p>\n");
            }
            body.extend_from_slice(
                b"<div class=\"team-member\"><h3>Hidden Person</h3><p>CFO</p></div></body></html>",
            );
            ok(body)
        }
        _ => status(404),
    }
}

/// A real HTTP/1.1 server on loopback; records each request's path and User-Agent.
async fn serve(site: fn(&str) -> Reply) -> (String, Arc<Mutex<Vec<(String, String)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).to_string();
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                let ua = head
                    .lines()
                    .find_map(|l| {
                        l.strip_prefix("user-agent: ")
                            .or_else(|| l.strip_prefix("User-Agent: "))
                    })
                    .unwrap_or("")
                    .to_string();
                seen.lock().unwrap().push((path.clone(), ua));
                let r = site(&path);
                tokio::time::sleep(r.delay).await;
                let mut out = format!(
                    "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    r.status,
                    r.body.len()
                );
                for (k, v) in &r.headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                if sock.write_all(out.as_bytes()).await.is_err() {
                    return;
                }
                // The client may hang up early (size cap): that ends the write.
                for part in r.body.chunks(16 * 1024) {
                    if sock.write_all(part).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (base, log)
}

fn options(domain: &str, base: &str) -> WebOptions {
    WebOptions {
        timeout: Duration::from_millis(500),
        max_bytes: 64 * 1024,
        max_redirects: 3,
        per_host_interval: Duration::from_millis(50),
        base_urls: HashMap::from([(domain.to_string(), base.to_string())]),
        ..WebOptions::default()
    }
}

/// (path, value, page path) for each fact: exactly what was proved, and where.
fn described(facts: &[Fact], base: &str) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = facts
        .iter()
        .map(|f| {
            assert_eq!(f.origin.kind, SourceKind::Web);
            (
                f.path.clone(),
                f.value
                    .as_str()
                    .map_or_else(|| f.value.to_string(), str::to_string),
                f.origin
                    .url
                    .clone()
                    .unwrap()
                    .trim_start_matches(base)
                    .to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

fn t(a: &str, b: &str, c: &str) -> (String, String, String) {
    (a.into(), b.into(), c.into())
}

#[tokio::test]
async fn a_company_site_yields_exactly_its_sourced_facts() {
    let (base, log) = serve(acme).await;
    let web = WebSource::new(options("acme.io", &base)).unwrap();
    let started = Instant::now();
    let found = web.research("acme.io").await;
    let elapsed = started.elapsed();

    assert_eq!(
        described(&found.facts, &base),
        vec![
            t(
                "company.linkedin",
                "https://www.linkedin.com/company/acme-pay/",
                "/"
            ),
            t(
                "fields.description",
                "Acme builds payment APIs for European SMEs.",
                "/"
            ),
            t("fields.emails", "contact@acme.io", "/contact"),
            t("fields.emails", "hello@acme.io", "/"),
            t("fields.emails", "jane@acme.io", "/about"),
            t("fields.emails", "press@acme.io", "/contact"),
            t("fields.hiring_for", "Product Designer", "/careers"),
            t("fields.hiring_for", "Staff Engineer", "/careers"),
            t("fields.social_links", "https://github.com/acme-pay", "/"),
            t(
                "fields.social_links",
                "https://www.linkedin.com/company/acme-pay/",
                "/"
            ),
            t("fields.technologies", "Google Tag Manager", "/"),
            t("fields.technologies", "Next.js", "/"),
            t("fields.technologies", "Stripe", "/"),
        ]
    );
    let people: Vec<Vec<(String, String, String)>> =
        found.people.iter().map(|p| described(p, &base)).collect();
    assert_eq!(
        people,
        vec![
            vec![
                t("person.email", "jane@acme.io", "/about"),
                t("person.full_name", "Jane Doe", "/about"),
                t("person.title", "VP Engineering", "/about"),
            ],
            vec![
                t("person.full_name", "Karl Meyer", "/about"),
                t("person.title", "Co-founder & CEO", "/about"),
            ],
            vec![
                t("person.full_name", "Sofia Rossi", "/team"),
                t("person.title", "CTO", "/team"),
            ],
            vec![
                t("person.full_name", "Lars Berg", "/team"),
                t("person.title", "Head of Sales", "/team"),
            ],
            vec![
                t("person.full_name", "Omar Haddad", "/team"),
                t("person.title", "Head of Growth", "/team"),
            ],
        ]
    );
    // robots.txt forbade /leadership: never requested; the redirect loop gave up.
    let skipped: Vec<String> = found
        .skipped
        .iter()
        .map(|s| s.trim_start_matches(&base).to_string())
        .collect();
    assert_eq!(
        skipped,
        vec![
            "/leadership: disallowed by robots.txt".to_string(),
            "/jobs: too many redirects".to_string()
        ]
    );
    let requests = log.lock().unwrap().clone();
    assert!(!requests.iter().any(|(p, _)| p == "/leadership"));
    assert_eq!(requests[0].0, "/robots.txt");
    assert!(requests.iter().all(|(_, ua)| ua.starts_with("leadline/")));
    // Per-host pace: robots + 6 pages (the loop's hops share one request slot) ≥ 6 × 50 ms.
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    for f in &found.facts {
        assert_eq!(f.origin.name.as_deref(), Some("acme.io"));
    }
}

/// RFC 9309: robots.txt answering 5xx means "assume complete disallow"; a 404 means no rules.
#[tokio::test]
async fn a_failing_robots_txt_closes_the_site_and_a_missing_one_opens_it() {
    fn down(path: &str) -> Reply {
        match path {
            "/robots.txt" => status(503),
            other => acme(other),
        }
    }
    let (base, requests) = serve(down).await;
    let web = WebSource::new(options("acme.io", &base)).unwrap();
    let found = web.research("acme.io").await;
    assert!(found.facts.is_empty() && found.people.is_empty());
    let seen: Vec<String> = requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.0.clone())
        .collect();
    assert_eq!(seen, ["/robots.txt"], "no page is fetched: {seen:?}");
    assert!(!found.skipped.is_empty());

    fn none(path: &str) -> Reply {
        match path {
            "/robots.txt" => status(404),
            other => acme(other),
        }
    }
    let (base, _) = serve(none).await;
    let web = WebSource::new(options("acme.io", &base)).unwrap();
    assert!(!web.research("acme.io").await.facts.is_empty());
}

#[tokio::test]
async fn non_utf8_pages_decode_as_windows_1252() {
    let (base, _) = serve(acme).await;
    let o = options("acme.io", &base);
    let client = fetch::client(&o).unwrap();
    let page = fetch::get(&client, &format!("{base}/contact"), &o)
        .await
        .unwrap();
    assert!(page.body.contains("Société Acme SAS"), "{}", page.body);
    assert!(!page.truncated);
}

#[tokio::test]
async fn slow_pages_time_out_and_huge_pages_are_cut_at_the_cap() {
    let (base, _) = serve(slow).await;
    let web = WebSource::new(options("slow.io", &base)).unwrap();
    let started = Instant::now();
    let found = web.research("slow.io").await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the slow page was waited for"
    );
    let skipped: Vec<String> = found
        .skipped
        .iter()
        .map(|s| s.trim_start_matches(&base).to_string())
        .collect();
    assert_eq!(
        skipped,
        vec![
            "/: timed out".to_string(),
            "/about: larger than 65536 bytes; only its start was read".to_string()
        ]
    );
    // The start of the huge page was read; the person past the cap was not.
    assert_eq!(
        described(&found.facts, &base),
        vec![t("fields.description", "Big pages", "/about")]
    );
    assert!(found.people.is_empty());
}

mod live_job {
    use super::*;

    use leadline::engine::{Engine, EngineOptions, Mode};

    use leadline::model::{Icp, JobStatus};

    use crate::common::planner::FixedPlanner;

    #[tokio::test]
    async fn a_live_job_with_the_web_step_adds_page_sourced_people_and_checks_hiring() {
        let (base, _) = serve(acme).await;
        let (slow_base, _) = serve(slow).await;
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("accounts.csv");
        std::fs::write(
            &csv,
            "Company,Website,Industry,Country\nAcme,acme.io,FinTech,France\nSlowCo,slow.io,FinTech,France\n",
        )
        .unwrap();
        let mut options = EngineOptions::new(dir.path().join("data"));
        options.mode = Mode::Live;
        let mut web = super::options("acme.io", &base);
        web.base_urls.insert("slow.io".into(), slow_base);
        web.per_host_interval = Duration::ZERO;
        options.web = Some(web);
        options.planner = Arc::new(FixedPlanner(Icp {
            industries: vec!["fintech".into()],
            countries: vec!["FR".into()],
            roles: vec!["VP Engineering".into(), "CTO".into()],
            hiring_for: vec!["Staff Engineer".into()],
            ..Icp::default()
        }));
        let engine = Engine::open(options).await.unwrap();
        engine.import_dataset(&csv, None).await.unwrap();
        let (_, job, _) = crate::common::run_to_end(&engine, "x").await;
        assert_eq!(job.status, JobStatus::Succeeded, "{job:?}");
        let leads = engine.all_leads(&job.id).await.unwrap();
        // SlowCo's site proves no open Staff Engineer role: excluded. Acme's careers page does.
        let people: Vec<(&str, Option<&str>)> = leads
            .iter()
            .map(|l| {
                let p = l.person.as_ref().unwrap();
                (p.full_name.as_str(), p.title.as_deref())
            })
            .collect();
        assert_eq!(
            people,
            vec![
                ("Jane Doe", Some("VP Engineering")),
                ("Sofia Rossi", Some("CTO"))
            ]
        );
        let jane = &leads[0];
        assert!(jane.livemode);
        assert_eq!(
            jane.person.as_ref().unwrap().email.as_deref(),
            Some("jane@acme.io")
        );
        let email_sources: Vec<_> = jane.sources_for("person.email").collect();
        assert_eq!(email_sources.len(), 1);
        assert_eq!(email_sources[0].kind, SourceKind::Web);
        assert_eq!(
            email_sources[0].url.as_deref(),
            Some(format!("{base}/about").as_str())
        );
        let name_sources: Vec<_> = jane.sources_for("company.name").collect();
        assert_eq!(name_sources[0].kind, SourceKind::Dataset);
        assert_eq!(
            name_sources[0].url.as_deref(),
            Some("dataset://accounts#row=2")
        );
        assert_eq!(
            jane.fields["hiring_for"],
            serde_json::json!(["Staff Engineer", "Product Designer"])
        );
        assert_eq!(
            jane.company.linkedin.as_deref(),
            Some("https://www.linkedin.com/company/acme-pay/")
        );
        // Page facts outweigh the dataset's: higher confidence than a dataset-only lead (0.6).
        assert!(jane.confidence > 0.7, "{}", jane.confidence);
        // Sofia has no email on the site: none is guessed.
        assert_eq!(leads[1].person.as_ref().unwrap().email, None);
    }
}
