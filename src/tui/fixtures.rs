//! Deterministic model values for tests, snapshots and benches: no clock, no randomness.

use serde_json::{Map, json};

use crate::model::requests::PostedMessage;
use crate::model::{
    Company, Event, EventId, EventKind, Icp, Intent, Job, JobId, JobStatus, Lead, LeadId, Message,
    MessageId, MessageKind, Page, Person, Plan, PlanId, Progress, Range, Role, Source, SourceKind,
    Step, Thread, ThreadId, Timestamp,
};

/// 2026-04-21T14:22:01.430Z: "now" in every fixture.
pub const NOW: i64 = 1_776_781_321_430;

pub fn now() -> Timestamp {
    Timestamp::from_millis(NOW)
}

fn ago(secs: i64) -> Timestamp {
    Timestamp::from_millis(NOW - secs * 1000)
}

pub fn thread_id(n: u32) -> ThreadId {
    ThreadId::from_db(format!("thr_{n:04}"))
}

pub fn job_id(n: u32) -> JobId {
    JobId::from_db(format!("job_{n:04}"))
}

pub fn plan_id(n: u32) -> PlanId {
    PlanId::from_db(format!("pln_{n:04}"))
}

pub fn thread(n: u32, title: &str, status: Option<JobStatus>) -> Thread {
    Thread {
        id: thread_id(n),
        object: "thread".into(),
        title: title.into(),
        created_at: ago(i64::from(n) * 3600 + 60),
        updated_at: ago(i64::from(n) * 3600),
        message_count: 3,
        last_job_id: status.map(|_| job_id(n)),
        metadata: Map::new(),
        last_job_status: status,
    }
}

pub fn threads() -> Page<Thread> {
    Page {
        data: vec![
            thread(
                1,
                "French fintech VPs of Engineering",
                Some(JobStatus::Succeeded),
            ),
            thread(
                2,
                "DACH devtools founders hiring SREs",
                Some(JobStatus::Running),
            ),
            thread(3, "US healthtech CTOs, Series B", Some(JobStatus::Pending)),
            thread(4, "Nordic climate startups", Some(JobStatus::Failed)),
            thread(5, "Untitled", None),
        ],
        has_more: false,
        next_cursor: None,
        total: Some(5),
    }
}

pub fn message(n: u32, thread: u32, role: Role, kind: MessageKind, content: &str) -> Message {
    Message {
        id: MessageId::from_db(format!("msg_{n:04}")),
        object: "message".into(),
        thread_id: thread_id(thread),
        role,
        kind,
        content: content.into(),
        plan_id: (kind == MessageKind::Plan).then(|| plan_id(thread)),
        job_id: (kind != MessageKind::Text).then(|| job_id(thread)),
        created_at: ago(600 - i64::from(n) * 60),
    }
}

pub fn messages(thread: u32) -> Vec<Message> {
    vec![
        message(
            1,
            thread,
            Role::User,
            MessageKind::Text,
            "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.",
        ),
        message(
            2,
            thread,
            Role::Assistant,
            MessageKind::Plan,
            "Series A fintechs in France — 4 steps, ~420 credits. Review the plan, then approve.",
        ),
        message(
            3,
            thread,
            Role::Assistant,
            MessageKind::Result,
            "Captured 200 leads from 120 companies (avg confidence 0.81).",
        ),
    ]
}

pub fn plan(thread: u32) -> Plan {
    let step = |n: u32, intent: Intent, title: &str, task: &str, cols: &[&str]| Step {
        id: format!("stp_{n}"),
        title: title.into(),
        intent,
        task: task.into(),
        expected_columns: cols.iter().map(|c| c.to_string()).collect(),
        roles: vec![],
    };
    Plan {
        not_understood: vec![],
        id: plan_id(thread),
        object: "plan".into(),
        job_id: job_id(thread),
        title: "Series A fintechs in France".into(),
        steps: vec![
            step(
                1,
                Intent::Discover,
                "Find companies",
                "Search fintech companies in FR at Series A with 20+ engineers",
                &["company.name", "company.domain"],
            ),
            step(
                2,
                Intent::Enrich,
                "Find people",
                "Pull VP Engineering and Head of Growth at each company",
                &["person.full_name", "person.title"],
            ),
            step(
                3,
                Intent::Verify,
                "Verify emails",
                "Verify work emails",
                &["person.email"],
            ),
            step(
                4,
                Intent::Score,
                "Score",
                "Score each lead against the ICP",
                &["confidence"],
            ),
        ],
        credits_estimate: 420,
        created_at: ago(540),
        thread_id: thread_id(thread),
        icp: Icp {
            industries: vec!["fintech".into()],
            countries: vec!["FR".into()],
            funding_stages: vec!["series_a".into()],
            team_size: [(
                "engineering".to_string(),
                Range {
                    min: Some(20),
                    max: None,
                },
            )]
            .into_iter()
            .collect(),
            roles: vec!["VP Engineering".into(), "Head of Growth".into()],
            max_rows: Some(200),
            ..Icp::default()
        },
        notes: vec![],
        replaces: None,
    }
}

pub fn job(thread: u32, status: JobStatus) -> Job {
    let started = !matches!(status, JobStatus::Pending);
    Job {
        id: job_id(thread),
        object: "job".into(),
        thread_id: thread_id(thread),
        plan_id: plan_id(thread),
        status,
        progress: match status {
            JobStatus::Pending => Progress::default(),
            JobStatus::Running => Progress {
                step: 2,
                total: 4,
                percent: 45,
            },
            _ => Progress {
                step: 4,
                total: 4,
                percent: 100,
            },
        },
        started_at: started.then(|| ago(95)),
        finished_at: status.is_terminal().then(|| ago(12)),
        credits_used: if started { 180 } else { 0 },
        artifact: None,
        summary: None,
        error: None,
        metadata: Map::new(),
        livemode: false,
        created_at: ago(540),
        rows_captured: if started { 90 } else { 0 },
        max_credits: None,
        superseded_by: None,
    }
}

const COMPANIES: [&str; 8] = [
    "Qonto",
    "Alan",
    "Swile",
    "Lydia",
    "Pennylane",
    "Spendesk",
    "Ledgy",
    "Payfit",
];
const PEOPLE: [&str; 6] = [
    "Camille Martin",
    "Lucas Bernard",
    "Chloé Dubois",
    "Hugo Moreau",
    "Léa Laurent",
    "Nathan Petit",
];
const TITLES: [&str; 3] = ["VP Engineering", "Head of Growth", "CTO"];

pub fn lead(job: &JobId, i: usize) -> Lead {
    let company = format!("{} {}", COMPANIES[i % COMPANIES.len()], i / COMPANIES.len());
    let domain = format!(
        "{}{}.fr",
        COMPANIES[i % COMPANIES.len()].to_lowercase(),
        i / COMPANIES.len()
    );
    let person = PEOPLE[i % PEOPLE.len()];
    let email = format!(
        "{}@{domain}",
        person.split(' ').next().unwrap_or("x").to_lowercase()
    );
    let src = |kind, name: &str, url: Option<String>, fields: &[&str]| Source {
        kind,
        url,
        retrieved_at: Timestamp::from_millis(NOW - 3_600_000),
        name: Some(name.into()),
        fields: fields.iter().map(|f| (*f).into()).collect(),
    };
    let mut fields = Map::new();
    fields.insert("funding_stage".into(), json!("series_a"));
    fields.insert("engineers".into(), json!(20 + i % 40));
    fields.insert("employees".into(), json!(50 + (i * 13) % 400));
    fields.insert("industry".into(), json!("fintech"));
    Lead {
        id: LeadId::from_db(format!("lead_{i:05}")),
        object: "lead".into(),
        job_id: job.clone(),
        company: Company {
            name: company,
            domain: Some(domain.clone()),
            linkedin: None,
            hq_city: Some(if i % 7 == 3 { "Lyon" } else { "Paris" }.into()),
            hq_country: Some("FR".into()),
        },
        person: Some(Person {
            full_name: person.into(),
            title: Some(TITLES[i % TITLES.len()].into()),
            email: Some(email),
            linkedin: None,
        }),
        fields,
        sources: vec![
            src(
                SourceKind::Synthetic,
                "synthetic-registry",
                Some(format!("https://{domain}/about")),
                &[
                    "company.name",
                    "company.domain",
                    "company.hq_city",
                    "company.hq_country",
                    "fields.funding_stage",
                    "fields.engineers",
                ],
            ),
            src(
                SourceKind::Synthetic,
                "synthetic-people",
                None,
                &["person.full_name", "person.title", "person.email"],
            ),
        ],
        confidence: 0.5 + ((i * 37) % 50) as f64 / 100.0,
        livemode: false,
    }
}

pub fn leads(job: &JobId, n: usize) -> Vec<Lead> {
    (0..n).map(|i| lead(job, i)).collect()
}

pub fn event(job: &JobId, n: u64, kind: EventKind, data: serde_json::Value) -> Event {
    Event {
        id: EventId(n),
        object: "event".into(),
        job_id: job.clone(),
        kind,
        data,
        created_at: Timestamp::from_millis(NOW - 60_000 + n as i64 * 1000),
    }
}

pub fn posted(thread: u32) -> PostedMessage {
    PostedMessage {
        message: message(
            2,
            thread,
            Role::Assistant,
            MessageKind::Plan,
            "Drafted a plan.",
        ),
        plan: plan(thread),
        job: job(thread, JobStatus::Pending),
    }
}
