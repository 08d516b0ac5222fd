//! Unit tests of `update` (every binding, every stream event) and insta snapshots of every
//! screen state, driven message by message with model values: no terminal, no sleeps, no clock.
//! This file holds the shared helpers; the tests are split by pane.

mod actions;
mod chat;
mod leads;
mod mouse;
mod navigation;
mod paged;
mod push;
mod remote;
mod snapshots;
mod stream;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use super::effect::{Effect, Request};
use super::fixtures::{self, job_id, thread_id};
use super::message::{Msg, Reply};
use super::render_text;
use super::state::overlay::{Confirmed, Overlay, PromptPurpose};
use super::state::requests::Slot;
use super::state::{AppState, Pane};
use super::update::update;
use crate::backend::StreamItem;
use crate::model::requests::ExportFormat;
use crate::model::{Error, ErrorCode, EventKind, JobStatus, Page};

// ------------------------------------------------------------------ helpers

fn push_result(dry_run: bool) -> crate::model::push::PushResult {
    use crate::model::push::*;
    PushResult {
        push_id: crate::model::PushId::from_db("psh_01TEST".into()),
        object: "push".into(),
        job_id: job_id(1),
        provider: PushProvider::Autoreach,
        mode: PushMode::Contacts,
        dry_run,
        created: if dry_run { 0 } else { 2 },
        updated: 0,
        skipped: 1,
        errors: if dry_run {
            vec![]
        } else {
            vec![PushItemIssue {
                item: "lead_3".into(),
                code: "http_400".into(),
                message: "autoreach answered 400: email is invalid".into(),
            }]
        },
        list_id: None,
        list_url: None,
        skips: vec![PushItemIssue {
            item: "lead_2".into(),
            code: "missing_email".into(),
            message: "no email: AutoReach needs one".into(),
        }],
        planned: if dry_run {
            vec![PlannedRequest {
                method: "POST".into(),
                url: "https://api.autoreach.work/api/leads".into(),
                items: vec!["lead_1".into()],
                body: json!({"email": "ana@example.fr", "name": "Ana"}),
            }]
        } else {
            vec![]
        },
        requests_sent: if dry_run { 0 } else { 3 },
        created_at: fixtures::now(),
    }
}

fn state() -> AppState {
    let mut s = AppState::for_tests(fixtures::now());
    s.size = (140, 40);
    s
}

fn reply(s: &mut AppState, slot: Slot, r: Reply) -> Vec<Effect> {
    let tag = s.requests.issue(slot);
    update(
        s,
        Msg::Reply {
            tag,
            result: Ok(Box::new(r)),
        },
    )
}

fn press(s: &mut AppState, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    update(s, Msg::Key(KeyEvent::new(code, mods)))
}

fn key(s: &mut AppState, code: KeyCode) -> Vec<Effect> {
    press(s, code, KeyModifiers::NONE)
}

fn ch(s: &mut AppState, c: char) -> Vec<Effect> {
    let mods = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    press(s, KeyCode::Char(c), mods)
}

fn typ(s: &mut AppState, text: &str) {
    for c in text.chars() {
        ch(s, c);
    }
}

fn requests(fx: &[Effect]) -> Vec<&Request> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Request { request, .. } => Some(request),
            _ => None,
        })
        .collect()
}

fn page<T>(data: Vec<T>) -> Page<T> {
    Page {
        data,
        has_more: false,
        next_cursor: None,
        total: None,
    }
}

/// Threads listed, thread `n` selected and its job in `status`, plan, messages and leads loaded.
fn loaded(n: u32, status: JobStatus, leads: usize) -> AppState {
    let mut s = state();
    let mut threads = fixtures::threads();
    if let Some(t) = threads.data.iter_mut().find(|t| t.id == thread_id(n)) {
        t.last_job_status = Some(status);
    }
    s.threads.selected = threads
        .data
        .iter()
        .position(|t| t.id == thread_id(n))
        .unwrap_or(0);
    let fx = reply(&mut s, Slot::Threads, Reply::Threads(threads));
    assert!(
        requests(&fx).contains(&&Request::Messages(thread_id(n))),
        "{fx:?}"
    );
    reply(
        &mut s,
        Slot::Messages,
        Reply::Messages {
            thread: thread_id(n),
            page: page(fixtures::messages(n)),
        },
    );
    let fx = reply(&mut s, Slot::Job, Reply::Job(fixtures::job(n, status)));
    reply(&mut s, Slot::Plan, Reply::Plan(fixtures::plan(n)));
    if status == JobStatus::Running {
        assert!(fx.contains(&Effect::Subscribe(job_id(n))));
        let ev = fixtures::event(
            &job_id(n),
            1,
            EventKind::Result,
            json!({
            "leads": fixtures::leads(&job_id(n), leads), "rows_captured": leads, "credits_used": 180,
            "progress": {"step": 2, "total": 4, "percent": 45}}),
        );
        update(
            &mut s,
            Msg::Stream {
                job: job_id(n),
                item: StreamItem::Event(ev),
            },
        );
    } else if status.is_terminal() {
        assert!(
            requests(&fx)
                .iter()
                .any(|r| matches!(r, Request::Leads { .. })),
            "{fx:?}"
        );
        reply(
            &mut s,
            Slot::Leads,
            Reply::Leads {
                job: job_id(n),
                leads: fixtures::leads(&job_id(n), leads),
                total: Some(leads as u64),
            },
        );
        reply(
            &mut s,
            Slot::Events,
            Reply::Events {
                job: job_id(n),
                events: log_events(n),
            },
        );
    }
    s
}

fn log_events(n: u32) -> Vec<crate::model::Event> {
    let j = job_id(n);
    vec![
        fixtures::event(
            &j,
            1,
            EventKind::Step,
            json!({"step_id": "stp_1", "status": "started", "title": "Find companies"}),
        ),
        fixtures::event(
            &j,
            2,
            EventKind::Log,
            json!({"message": "searching 1,204 fintech companies in FR", "level": "info"}),
        ),
        fixtures::event(
            &j,
            3,
            EventKind::Step,
            json!({"step_id": "stp_1", "status": "completed", "title": "Find companies"}),
        ),
        fixtures::event(
            &j,
            4,
            EventKind::Step,
            json!({"step_id": "stp_2", "status": "started", "title": "Find people"}),
        ),
        fixtures::event(
            &j,
            5,
            EventKind::Log,
            json!({"message": "\u{1b}[31mred\u{1b}[0m text is stripped", "level": "warn"}),
        ),
    ]
}

// ------------------------------------------------------------------ snapshots

/// Asserts a drawn frame against `src/tui/snapshots/leadline__tui__tests__{name}.snap`.
fn assert_frame(name: &str, text: String) {
    // The snapshots predate the split into tests/: keep their directory and names.
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!(name.to_string(), text);
    });
}

fn snap(name: &str, s: &mut AppState) {
    for (w, h) in [(80u16, 24u16), (140, 40)] {
        s.size = (w, h);
        let text = render_text(s, w, h).expect("renders");
        assert_frame(&format!("{name}_{w}x{h}"), text);
    }
}
