//! Unit tests of `update` (every binding, every stream event) and insta snapshots of every
//! screen state, driven message by message with model values: no terminal, no sleeps, no clock.

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

// ------------------------------------------------------------------ update: navigation keys

#[test]
fn tab_shift_tab_and_digits_move_between_panes() {
    let mut s = state();
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.focus, Pane::Chat);
    press(&mut s, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(s.focus, Pane::Threads);
    press(&mut s, KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(s.focus, Pane::Leads);
    for (c, p) in [
        ('1', Pane::Threads),
        ('2', Pane::Chat),
        ('3', Pane::Plan),
        ('4', Pane::Log),
        ('5', Pane::Leads),
    ] {
        ch(&mut s, c);
        assert_eq!(s.focus, p);
    }
}

#[test]
fn moving_in_the_thread_list_loads_the_thread_and_its_latest_job() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    let fx = ch(&mut s, 'j');
    assert_eq!(s.threads.selected, 1);
    assert_eq!(s.chat.thread, Some(thread_id(2)));
    let r = requests(&fx);
    assert!(
        r.contains(&&Request::Messages(thread_id(2))) && r.contains(&&Request::Job(job_id(2))),
        "{fx:?}"
    );
    assert!(fx.contains(&Effect::Unsubscribe));
    ch(&mut s, 'k');
    assert_eq!(s.threads.selected, 0);
    ch(&mut s, 'G');
    assert_eq!(s.threads.selected, 4);
    // The last thread has no job: nothing more to load, and older job replies are now stale.
    assert!(s.log.job.is_none());
    ch(&mut s, 'g');
    assert_eq!(s.threads.selected, 0);
    key(&mut s, KeyCode::PageDown);
    assert_eq!(s.threads.selected, 4);
    key(&mut s, KeyCode::PageUp);
    assert_eq!(s.threads.selected, 0);
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.focus, Pane::Chat);
}

#[test]
fn stale_replies_are_dropped_newest_request_wins() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'j'); // asks for thread 2's messages
    let stale = s.requests.issue(Slot::Messages);
    let fresh = s.requests.issue(Slot::Messages);
    update(
        &mut s,
        Msg::Reply {
            tag: fresh,
            result: Ok(Box::new(Reply::Messages {
                thread: thread_id(2),
                page: page(fixtures::messages(2)),
            })),
        },
    );
    update(
        &mut s,
        Msg::Reply {
            tag: stale,
            result: Ok(Box::new(Reply::Messages {
                thread: thread_id(2),
                page: page(vec![]),
            })),
        },
    );
    assert_eq!(
        s.chat.messages.len(),
        3,
        "the older reply did not overwrite the newer"
    );
    // A job reply for a thread no longer shown is ignored.
    let fx = reply(
        &mut s,
        Slot::Job,
        Reply::Job(fixtures::job(1, JobStatus::Running)),
    );
    assert!(fx.is_empty() && s.log.job.is_none());
}

#[test]
fn thread_filter_asks_the_server_and_esc_clears_it() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, '/');
    assert!(s.threads.filter.active);
    let fx = ch(&mut s, 'd');
    assert!(
        matches!(requests(&fx)[..], [Request::ListThreads { q: Some(q), .. }] if q == "d"),
        "{fx:?}"
    );
    // While typing, letters are text, not commands.
    ch(&mut s, 'q');
    assert!(!s.quit);
    key(&mut s, KeyCode::Enter);
    assert!(!s.threads.filter.active);
    assert_eq!(s.threads.filter.text, "dq");
    let fx = key(&mut s, KeyCode::Esc);
    assert!(matches!(
        requests(&fx)[..],
        [Request::ListThreads { q: None, .. }]
    ));
}

// ------------------------------------------------------------------ update: chat

#[test]
fn n_starts_a_new_thread_and_enter_posts_creating_it() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'n');
    assert!(s.chat.input_focused && s.chat.thread.is_none() && s.focus == Pane::Chat);
    typ(&mut s, "fintech CTOs");
    press(&mut s, KeyCode::Enter, KeyModifiers::ALT);
    typ(&mut s, "in France");
    assert_eq!(s.chat.input_text(), "fintech CTOs\nin France");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        requests(&fx),
        [&Request::Post {
            thread: None,
            content: "fintech CTOs\nin France".into()
        }]
    );
    assert!(s.chat.sending && s.chat.input_text().is_empty() && !s.chat.input_focused);
    // The reply creates the plan card and moves to the plan inspector.
    let fx = reply(
        &mut s,
        Slot::Action,
        Reply::Posted {
            thread: thread_id(9),
            result: Ok(fixtures::posted(9)),
        },
    );
    assert_eq!(s.chat.thread, Some(thread_id(9)));
    assert_eq!(s.focus, Pane::Plan);
    assert!(s.plan.plan.is_some() && !s.chat.sending);
    assert!(requests(&fx).contains(&&Request::Messages(thread_id(9))));
}

#[test]
fn empty_prompts_are_not_sent_and_esc_leaves_the_input() {
    let mut s = state();
    ch(&mut s, 'i');
    assert!(s.chat.input_focused);
    assert!(key(&mut s, KeyCode::Enter).is_empty());
    assert_eq!(s.toasts.items.len(), 1);
    key(&mut s, KeyCode::Esc);
    assert!(!s.chat.input_focused);
}

#[test]
fn a_rejected_prompt_reloads_the_thread_to_show_why() {
    let mut s = state();
    ch(&mut s, 'n');
    typ(&mut s, "hello");
    key(&mut s, KeyCode::Enter);
    let err = Error::new(
        ErrorCode::PlanRejected,
        "That does not describe an audience.",
    );
    let fx = reply(
        &mut s,
        Slot::Action,
        Reply::Posted {
            thread: thread_id(7),
            result: Err(err),
        },
    );
    assert_eq!(s.chat.thread, Some(thread_id(7)));
    assert!(requests(&fx).contains(&&Request::Messages(thread_id(7))));
    assert!(s.toasts.items[0].text.contains("plan_rejected"));
}

// ------------------------------------------------------------------ update: actions

#[test]
fn a_approves_with_an_optional_credit_ceiling() {
    let mut s = loaded(3, JobStatus::Pending, 0);
    ch(&mut s, 'a');
    assert!(
        matches!(&s.overlay, Some(Overlay::Prompt(p)) if p.purpose == PromptPurpose::Approve(job_id(3)))
    );
    typ(&mut s, "lots");
    assert!(key(&mut s, KeyCode::Enter).is_empty(), "not a number");
    assert!(matches!(&s.overlay, Some(Overlay::Prompt(p)) if p.error.is_some()));
    for _ in 0..4 {
        key(&mut s, KeyCode::Backspace);
    }
    typ(&mut s, "500");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        requests(&fx),
        [&Request::Approve {
            job: job_id(3),
            max_credits: Some(500)
        }]
    );
    let fx = reply(
        &mut s,
        Slot::Action,
        Reply::Approved(fixtures::job(3, JobStatus::Running)),
    );
    assert!(fx.contains(&Effect::Subscribe(job_id(3))));
    assert_eq!(s.focus, Pane::Log);
    // Without a ceiling.
    let mut s = loaded(3, JobStatus::Pending, 0);
    ch(&mut s, 'a');
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        requests(&fx),
        [&Request::Approve {
            job: job_id(3),
            max_credits: None
        }]
    );
}

#[test]
fn action_keys_work_from_any_pane_but_explain_when_they_cannot() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    for pane in ['1', '2', '3', '4', '5'] {
        ch(&mut s, pane);
        ch(&mut s, 'a');
        assert!(s.overlay.is_none());
    }
    assert!(
        s.toasts
            .items
            .iter()
            .all(|t| t.text.contains("no plan waiting"))
    );
}

#[test]
fn s_stops_a_running_job_after_confirmation() {
    let mut s = loaded(2, JobStatus::Running, 5);
    ch(&mut s, '3');
    ch(&mut s, 's');
    assert!(
        matches!(&s.overlay, Some(Overlay::Confirm(c)) if c.on_yes == Confirmed::Stop(job_id(2)))
    );
    assert!(ch(&mut s, 'n').is_empty() && s.overlay.is_none());
    ch(&mut s, 's');
    let fx = ch(&mut s, 'y');
    assert_eq!(requests(&fx), [&Request::Stop(job_id(2))]);
    let fx = reply(
        &mut s,
        Slot::Action,
        Reply::Stopped(fixtures::job(2, JobStatus::Stopped)),
    );
    assert_eq!(
        s.log.job.as_ref().map(|j| j.status),
        Some(JobStatus::Stopped)
    );
    assert!(requests(&fx).contains(&&Request::Usage));
}

#[test]
fn r_replans_with_feedback() {
    let mut s = loaded(3, JobStatus::Pending, 0);
    ch(&mut s, 'r');
    assert!(
        key(&mut s, KeyCode::Enter).is_empty(),
        "feedback is required"
    );
    typ(&mut s, "only Paris");
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        requests(&fx),
        [&Request::Replan {
            plan: fixtures::plan_id(3),
            feedback: "only Paris".into()
        }]
    );
    reply(&mut s, Slot::Action, Reply::Replanned(fixtures::posted(3)));
    assert_eq!(s.focus, Pane::Plan);
}

#[test]
fn rename_and_delete_confirm_and_force_stop_a_running_job() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'R');
    key(&mut s, KeyCode::Backspace);
    let fx = key(&mut s, KeyCode::Enter);
    assert!(
        matches!(requests(&fx)[..], [Request::Rename { title, .. }] if title == "French fintech VPs of Engineerin")
    );
    ch(&mut s, 'd');
    let fx = key(&mut s, KeyCode::Enter);
    assert_eq!(
        requests(&fx),
        [&Request::Delete {
            thread: thread_id(1),
            force: false
        }]
    );
    let fx = reply(&mut s, Slot::Action, Reply::Deleted(thread_id(1)));
    assert!(s.chat.thread.is_none() && fx.contains(&Effect::Unsubscribe));

    let mut s = loaded(2, JobStatus::Running, 1);
    ch(&mut s, '1');
    ch(&mut s, 'd');
    assert!(matches!(&s.overlay, Some(Overlay::Confirm(c)) if c.body.contains("RUNNING")));
    let fx = ch(&mut s, 'y');
    assert_eq!(
        requests(&fx),
        [&Request::Delete {
            thread: thread_id(2),
            force: true
        }]
    );
}

#[test]
fn p_opens_the_push_picker_and_e_exports() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'p');
    assert!(matches!(s.overlay, Some(Overlay::Push(_))));
    key(&mut s, KeyCode::Esc);
    ch(&mut s, 'e');
    assert!(matches!(s.overlay, Some(Overlay::Export(_))));
    let fx = ch(&mut s, 'j');
    assert_eq!(
        requests(&fx),
        [&Request::Export {
            job: job_id(1),
            format: ExportFormat::Json
        }]
    );
    reply(
        &mut s,
        Slot::Action,
        Reply::Exported {
            path: "/tmp/x.json".into(),
            bytes: 10,
        },
    );
    assert!(
        s.toasts
            .items
            .iter()
            .any(|t| t.text.contains("/tmp/x.json"))
    );
}

#[test]
fn quit_asks_only_while_a_job_runs_and_ctrl_c_always_works() {
    let mut s = loaded(1, JobStatus::Succeeded, 1);
    ch(&mut s, 'q');
    assert!(s.quit);
    let mut s = loaded(2, JobStatus::Running, 1);
    ch(&mut s, 'q');
    assert!(
        !s.quit && matches!(&s.overlay, Some(Overlay::Confirm(c)) if c.on_yes == Confirmed::Quit)
    );
    ch(&mut s, 'y');
    assert!(s.quit);
    let mut s = state();
    ch(&mut s, 'i');
    press(&mut s, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(s.quit);
    let mut s = state();
    update(&mut s, Msg::Terminate);
    assert!(s.quit);
}

#[test]
fn help_and_palette_overlays() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, '?');
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll: 0 })));
    ch(&mut s, 'j');
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll: 1 })));
    ch(&mut s, '?');
    assert!(s.overlay.is_none());
    ch(&mut s, ':');
    typ(&mut s, "export");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(fx.is_empty());
    assert!(
        matches!(s.overlay, Some(Overlay::Export(_))),
        "the palette ran `export`"
    );
}

// ------------------------------------------------------------------ update: leads

#[test]
fn leads_sort_filter_confidence_columns_detail_copy_and_open() {
    let mut s = loaded(1, JobStatus::Succeeded, 40);
    ch(&mut s, '5');
    assert_eq!(s.leads.view.len(), 40);
    ch(&mut s, 'j');
    key(&mut s, KeyCode::PageDown);
    ch(&mut s, 'G');
    assert_eq!(s.leads.selected, 39);
    ch(&mut s, 'g');
    // l/h pick the column; o sorts by it, again reverses, a third time clears.
    ch(&mut s, 'l');
    assert_eq!(s.leads.column, 1);
    ch(&mut s, 'h');
    ch(&mut s, 'o');
    let first = s.leads.view[0] as usize;
    assert!(s.leads.leads[first].company.name.starts_with("Alan"));
    ch(&mut s, 'o');
    assert!(
        s.leads.leads[s.leads.view[0] as usize]
            .company
            .name
            .starts_with("Swile")
    );
    ch(&mut s, 'o');
    assert!(s.leads.sort.is_none());
    // Minimum confidence.
    ch(&mut s, 'c');
    assert!(
        s.leads
            .view
            .iter()
            .all(|&i| s.leads.leads[i as usize].confidence >= 0.5)
    );
    ch(&mut s, 'c');
    let n07 = s.leads.view.len();
    assert!(
        n07 < 40
            && s.leads
                .view
                .iter()
                .all(|&i| s.leads.leads[i as usize].confidence >= 0.7)
    );
    ch(&mut s, 'c');
    ch(&mut s, 'c');
    assert_eq!(s.leads.view.len(), 40);
    // Text filter.
    ch(&mut s, '/');
    typ(&mut s, "qonto");
    assert_eq!(s.leads.view.len(), 5);
    key(&mut s, KeyCode::Enter);
    // y copies the selected cell via OSC 52.
    let fx = ch(&mut s, 'y');
    assert!(matches!(&fx[..], [Effect::Copy(t)] if t.starts_with("Qonto")));
    // x opens the lead's source URL.
    let fx = ch(&mut s, 'x');
    assert!(matches!(&fx[..], [Effect::OpenUrl(u)] if u.starts_with("https://qonto")));
    // Enter opens the detail; j moves over fields; y copies the field; Esc closes; Esc clears the filter.
    key(&mut s, KeyCode::Enter);
    assert!(s.leads.detail.is_some());
    ch(&mut s, 'j');
    let fx = ch(&mut s, 'y');
    assert!(matches!(&fx[..], [Effect::Copy(t)] if t.starts_with("qonto")));
    let fx = ch(&mut s, 'x');
    assert!(matches!(&fx[..], [Effect::OpenUrl(_)]));
    key(&mut s, KeyCode::Esc);
    assert!(s.leads.detail.is_none());
    key(&mut s, KeyCode::Esc);
    assert_eq!(s.leads.view.len(), 40);
}

#[test]
fn fields_without_a_web_source_are_not_opened() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, '5');
    key(&mut s, KeyCode::Enter);
    for _ in 0..5 {
        ch(&mut s, 'j'); // person.full_name: backed by a source without URL
    }
    assert!(ch(&mut s, 'x').is_empty());
}

// ------------------------------------------------------------------ update: stream events

#[test]
fn every_stream_event_type_updates_the_log() {
    let mut s = loaded(2, JobStatus::Running, 2);
    let j = job_id(2);
    let send = |s: &mut AppState, n: u64, kind: EventKind, data: serde_json::Value| {
        update(
            s,
            Msg::Stream {
                job: j.clone(),
                item: StreamItem::Event(fixtures::event(&j, n, kind, data)),
            },
        )
    };
    send(
        &mut s,
        2,
        EventKind::Step,
        json!({"step_id": "stp_1", "status": "started", "title": "Find companies"}),
    );
    send(
        &mut s,
        3,
        EventKind::Log,
        json!({"message": "hello \u{1b}]52;c;ZXZpbA==\u{7}world", "level": "info"}),
    );
    assert_eq!(
        s.log.lines.last().map(|l| l.message.as_str()),
        Some("hello world"),
        "escapes stripped"
    );
    send(
        &mut s,
        4,
        EventKind::Step,
        json!({"step_id": "stp_1", "status": "completed", "title": "Find companies"}),
    );
    assert_eq!(s.log.steps.len(), 1);
    let fx = send(
        &mut s,
        5,
        EventKind::Result,
        json!({"leads": fixtures::leads(&j, 3), "rows_captured": 5, "credits_used": 250, "progress": {"step": 3, "total": 4, "percent": 70}}),
    );
    assert!(fx.is_empty());
    assert_eq!(
        (
            s.leads.leads.len(),
            s.log.rows_captured,
            s.log.credits_used,
            s.log.progress.percent
        ),
        (5, 5, 250, 70)
    );
    // A replayed event (same id) changes nothing.
    send(
        &mut s,
        5,
        EventKind::Result,
        json!({"leads": fixtures::leads(&j, 3), "rows_captured": 5}),
    );
    assert_eq!(s.leads.leads.len(), 5);
    send(
        &mut s,
        6,
        EventKind::Artifact,
        json!({"artifact_id": "art_1", "rows": 5, "bytes": 900}),
    );
    assert!(
        s.log
            .lines
            .last()
            .is_some_and(|l| l.message.contains("5 rows"))
    );
    update(
        &mut s,
        Msg::Stream {
            job: j.clone(),
            item: StreamItem::Reconnecting {
                attempt: 2,
                reason: "reset".into(),
            },
        },
    );
    assert_eq!(
        s.log.conn,
        super::state::joblog::ConnState::Reconnecting { attempt: 2 }
    );
    update(
        &mut s,
        Msg::Stream {
            job: j.clone(),
            item: StreamItem::Connected,
        },
    );
    assert_eq!(s.log.conn, super::state::joblog::ConnState::Live);
    let mut done_job = fixtures::job(2, JobStatus::Succeeded);
    done_job.rows_captured = 5;
    let fx = send(
        &mut s,
        7,
        EventKind::Done,
        json!({"job_id": j, "status": "succeeded", "artifact_id": "art_1", "summary": "5 leads", "job": done_job}),
    );
    assert_eq!(
        s.log.job.as_ref().map(|j| j.status),
        Some(JobStatus::Succeeded)
    );
    let r = requests(&fx);
    assert!(
        r.contains(&&Request::Usage) && r.contains(&&Request::Messages(thread_id(2))),
        "{fx:?}"
    );
    assert!(
        !r.iter().any(|r| matches!(r, Request::Leads { .. })),
        "all rows already streamed"
    );
    assert_eq!(s.log.conn, super::state::joblog::ConnState::Idle);
}

#[test]
fn an_error_event_fails_the_job_and_toasts_its_code() {
    let mut s = loaded(2, JobStatus::Running, 0);
    let j = job_id(2);
    let ev = fixtures::event(
        &j,
        9,
        EventKind::Error,
        json!({"code": "insufficient_credits", "message": "ceiling reached"}),
    );
    let fx = update(
        &mut s,
        Msg::Stream {
            job: j.clone(),
            item: StreamItem::Event(ev),
        },
    );
    assert_eq!(
        s.log.job.as_ref().map(|j| j.status),
        Some(JobStatus::Failed)
    );
    assert!(
        s.toasts
            .items
            .iter()
            .any(|t| t.text.contains("insufficient_credits"))
    );
    assert!(!fx.is_empty());
    // Events of another job are ignored.
    let other = fixtures::event(&job_id(5), 1, EventKind::Log, json!({"message": "x"}));
    let before = s.log.lines.len();
    update(
        &mut s,
        Msg::Stream {
            job: job_id(5),
            item: StreamItem::Event(other),
        },
    );
    assert_eq!(s.log.lines.len(), before);
    update(
        &mut s,
        Msg::StreamFailed {
            job: j,
            error: Error::new(ErrorCode::Unavailable, "gone"),
        },
    );
    assert!(
        s.toasts
            .items
            .iter()
            .any(|t| t.text.contains("service_unavailable"))
    );
}

#[test]
fn log_scrolling_leaves_follow_mode_and_f_or_g_resumes_it() {
    let mut s = loaded(1, JobStatus::Succeeded, 1);
    ch(&mut s, '4');
    assert!(s.log.follow);
    ch(&mut s, 'k');
    assert!(!s.log.follow);
    ch(&mut s, 'G');
    assert!(s.log.follow);
    ch(&mut s, 'f');
    assert!(!s.log.follow);
    ch(&mut s, 'f');
    assert!(s.log.follow);
}

#[test]
fn ticks_advance_the_clock_and_expire_toasts() {
    let mut s = state();
    ch(&mut s, 'a'); // a warning toast
    assert_eq!(s.toasts.items.len(), 1);
    for i in 0..50 {
        update(
            &mut s,
            Msg::Tick(crate::model::Timestamp::from_millis(
                fixtures::NOW + i * 250,
            )),
        );
    }
    assert!(s.toasts.items.is_empty());
    assert_eq!(s.tick, 50);
}

#[test]
fn backend_errors_become_toasts_with_code_and_request_id() {
    let mut s = state();
    let tag = s.requests.issue(Slot::Threads);
    let mut e = Error::new(ErrorCode::Internal, "disk full");
    e.request_id = Some("req_42".into());
    update(
        &mut s,
        Msg::Reply {
            tag,
            result: Err(e),
        },
    );
    assert!(
        s.toasts.items[0]
            .text
            .contains("internal_error: disk full (request req_42)")
    );
}

// ------------------------------------------------------------------ snapshots

fn snap(name: &str, s: &mut AppState) {
    for (w, h) in [(80u16, 24u16), (140, 40)] {
        s.size = (w, h);
        let text = render_text(s, w, h).expect("renders");
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

#[test]
fn snapshot_empty_first_run() {
    let mut s = state();
    reply(&mut s, Slot::Threads, Reply::Threads(page(vec![])));
    snap("empty", &mut s);
}

#[test]
fn snapshot_chat_with_thread_list() {
    let mut s = loaded(1, JobStatus::Succeeded, 20);
    snap("chat", &mut s);
}

#[test]
fn snapshot_plan_pending() {
    let mut s = loaded(3, JobStatus::Pending, 0);
    ch(&mut s, '3');
    snap("plan_pending", &mut s);
}

#[test]
fn snapshot_running_job_log() {
    let mut s = loaded(2, JobStatus::Running, 30);
    for ev in log_events(2).into_iter().map(|mut e| {
        e.id.0 += 10;
        e
    }) {
        update(
            &mut s,
            Msg::Stream {
                job: job_id(2),
                item: StreamItem::Event(ev),
            },
        );
    }
    ch(&mut s, '4');
    snap("log_running", &mut s);
}

#[test]
fn snapshot_leads_table_and_detail() {
    let mut s = loaded(1, JobStatus::Succeeded, 200);
    ch(&mut s, '5');
    snap("leads", &mut s);
    for _ in 0..4 {
        ch(&mut s, 'l');
    }
    ch(&mut s, 'o');
    ch(&mut s, 'c');
    snap("leads_scrolled_sorted", &mut s);
    key(&mut s, KeyCode::Enter);
    snap("lead_detail", &mut s);
}

#[test]
fn push_flow_previews_then_pushes_and_shows_per_lead_errors() {
    use super::state::overlay::PushStage;
    use crate::model::push::{IntegrationProgress, PushMode, PushProvider};
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    let fx = ch(&mut s, 'p');
    assert_eq!(requests(&fx), [&Request::Integrations]);
    let status =
        |provider: &str, connected: bool, detail: &str| crate::model::push::IntegrationStatus {
            object: "integration".into(),
            provider: provider.into(),
            connected,
            detail: detail.into(),
        };
    reply(
        &mut s,
        Slot::Integrations,
        Reply::Integrations(vec![
            status(
                "magnetite",
                false,
                "magnetite is not configured: set campaign_id under [integrations.magnetite]",
            ),
            status("autoreach", true, "create AutoReach leads"),
            status("file", true, "CSV, JSON or XLSX on this machine"),
        ]),
    );
    snap("push_picker_status", &mut s);
    let text = render_text(&s, 140, 40).unwrap();
    assert!(text.contains("✓ autoreach"), "{text}");
    assert!(text.contains("· magnetite"), "{text}");
    assert!(
        text.contains("set campaign_id under [integrations.magnetite]"),
        "{text}"
    );
    // Pick autoreach, companies mode, allow test data; Enter asks for a dry run only.
    ch(&mut s, 'j');
    ch(&mut s, 'm');
    ch(&mut s, 't');
    let fx = key(&mut s, KeyCode::Enter);
    let [Request::Push { job, request }] = requests(&fx)[..] else {
        panic!("expected one push request, got {fx:?}");
    };
    assert_eq!(job, &job_id(1));
    assert_eq!(request.provider, PushProvider::Autoreach);
    assert_eq!(request.mode, PushMode::Companies);
    assert!(request.dry_run && request.allow_test_data && !request.force);
    snap("push_previewing", &mut s);

    reply(&mut s, Slot::Push, Reply::Pushed(push_result(true)));
    assert!(
        matches!(&s.overlay, Some(Overlay::Push(f)) if matches!(f.stage, PushStage::Preview(_)))
    );
    snap("push_preview", &mut s);

    // Enter confirms: the same request, for real.
    let fx = key(&mut s, KeyCode::Enter);
    let [Request::Push { request, .. }] = requests(&fx)[..] else {
        panic!("expected the real push, got {fx:?}");
    };
    assert!(!request.dry_run);
    update(
        &mut s,
        Msg::IntegrationProgress(IntegrationProgress { done: 1, total: 3 }),
    );
    assert!(
        matches!(&s.overlay, Some(Overlay::Push(f)) if f.stage == PushStage::Pushing(IntegrationProgress { done: 1, total: 3 }))
    );
    snap("push_progress", &mut s);

    reply(&mut s, Slot::Push, Reply::Pushed(push_result(false)));
    snap("push_done", &mut s);
    let text = render_text(&s, 140, 40).unwrap();
    assert!(text.contains("2 created"), "{text}");
    assert!(text.contains("email is invalid"), "{text}");
    key(&mut s, KeyCode::Enter);
    assert!(s.overlay.is_none());
}

#[test]
fn a_failed_dry_run_stays_in_the_push_dialog_with_the_reason() {
    use super::state::overlay::PushStage;
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'p');
    key(&mut s, KeyCode::Enter);
    let tag = s.requests.issue(Slot::Push);
    update(
        &mut s,
        Msg::Reply {
            tag,
            result: Err(Error::invalid(
                "magnetite is not configured: set api_key_env, campaign_id under [integrations.magnetite]",
            )),
        },
    );
    assert!(
        matches!(&s.overlay, Some(Overlay::Push(f)) if matches!(&f.stage, PushStage::Failed(m) if m.contains("campaign_id")))
    );
    assert!(
        render_text(&s, 140, 40)
            .unwrap()
            .contains("[integrations.magnetite]")
    );
    ch(&mut s, 'b');
    assert!(matches!(&s.overlay, Some(Overlay::Push(f)) if matches!(f.stage, PushStage::Pick)));
}

#[test]
fn push_is_refused_while_the_job_runs_and_enrich_asks_first() {
    let mut s = loaded(1, JobStatus::Running, 3);
    ch(&mut s, 'p');
    assert!(s.overlay.is_none());
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'E');
    assert!(
        matches!(&s.overlay, Some(Overlay::Confirm(c)) if c.on_yes == Confirmed::Enrich(job_id(1)))
    );
    let fx = ch(&mut s, 'y');
    assert!(matches!(requests(&fx)[..], [Request::Enrich { .. }]));
}

#[test]
fn a_paste_lands_whole_in_the_message_box_without_sending() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    assert!(!s.chat.input_focused);
    let fx = update(
        &mut s,
        Msg::Paste("CTOs of fintechs\r\nin France\u{1b}[31m".into()),
    );
    assert!(requests(&fx).is_empty(), "a pasted newline is not Enter");
    assert!(s.chat.input_focused && s.focus == Pane::Chat);
    assert_eq!(s.chat.input.lines(), ["CTOs of fintechs", "in France[31m"]);
}

#[test]
fn a_paste_goes_to_the_open_dialog_or_filter_on_one_line() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'R');
    update(&mut s, Msg::Paste("New\rname".into()));
    assert!(matches!(&s.overlay, Some(Overlay::Prompt(p)) if p.input.text.ends_with("New name")));
    key(&mut s, KeyCode::Esc);

    ch(&mut s, '5');
    ch(&mut s, '/');
    update(&mut s, Msg::Paste("zzz-no-such-lead".into()));
    assert_eq!(s.leads.filter.text, "zzz-no-such-lead");
    assert!(!s.chat.input_focused);
}

#[test]
fn snapshot_overlays_and_toasts() {
    let mut s = loaded(1, JobStatus::Succeeded, 5);
    ch(&mut s, '?');
    snap("help", &mut s);
    key(&mut s, KeyCode::Esc);
    ch(&mut s, ':');
    typ(&mut s, "pane");
    snap("palette", &mut s);
    key(&mut s, KeyCode::Esc);
    ch(&mut s, 'p');
    snap("push_picker", &mut s);
    key(&mut s, KeyCode::Esc);
    ch(&mut s, 'd');
    snap("confirm_delete", &mut s);
    key(&mut s, KeyCode::Esc);
    let tag = s.requests.issue(Slot::Action);
    update(
        &mut s,
        Msg::Reply {
            tag,
            result: Err(Error::new(
                ErrorCode::Conflict,
                "Job job_0001 already finished (succeeded); there is nothing to stop.",
            )),
        },
    );
    snap("error_toast", &mut s);
}

#[test]
fn snapshot_input_focused_and_approve_prompt() {
    let mut s = loaded(3, JobStatus::Pending, 0);
    ch(&mut s, 'i');
    typ(&mut s, "only Paris please");
    snap("chat_input", &mut s);
    key(&mut s, KeyCode::Esc);
    ch(&mut s, 'a');
    typ(&mut s, "300");
    snap("approve_prompt", &mut s);
}

#[test]
fn snapshot_too_small() {
    let s = loaded(1, JobStatus::Succeeded, 5);
    insta::assert_snapshot!("too_small_40x10", render_text(&s, 40, 10).expect("renders"));
}

#[test]
fn every_view_draws_at_tiny_sizes_without_panicking() {
    let mut s = loaded(2, JobStatus::Running, 50);
    for pane in ['1', '2', '3', '4', '5'] {
        ch(&mut s, pane);
        for (w, h) in [
            (1, 1),
            (2, 2),
            (20, 5),
            (59, 14),
            (60, 15),
            (61, 16),
            (300, 100),
        ] {
            render_text(&s, w, h).expect("renders");
        }
    }
    ch(&mut s, '5');
    key(&mut s, KeyCode::Enter);
    for overlay in ['?', ':'] {
        ch(&mut s, overlay);
        for (w, h) in [(1, 1), (2, 2), (20, 5), (60, 15), (61, 16)] {
            render_text(&s, w, h).expect("renders");
        }
        key(&mut s, KeyCode::Esc);
    }
}

#[test]
fn hints_and_help_come_from_the_key_map() {
    let cfg: super::KeysConfig = toml::from_str("approve = \"ctrl-a\"\nhelp = \"F1\"").unwrap();
    let mut s = loaded(3, JobStatus::Pending, 0);
    s.keymap = super::keymap::Keymap::from_config(&cfg).unwrap();
    ch(&mut s, '3');
    let text = render_text(&s, 140, 40).unwrap();
    assert!(text.contains("Ctrl-a approve"), "{text}");
    assert!(text.contains("F1 help"), "{text}");
    press(&mut s, KeyCode::F(1), KeyModifiers::NONE);
    let text = render_text(&s, 140, 40).unwrap();
    assert!(
        text.contains("Ctrl-a") && text.contains("Approve the plan"),
        "{text}"
    );
}

// ------------------------------------------------------------------ mouse

fn click(s: &mut AppState, column: u16, row: u16) -> Vec<Effect> {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    update(
        s,
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    )
}

fn wheel(s: &mut AppState, column: u16, row: u16, down: bool) -> Vec<Effect> {
    use ratatui::crossterm::event::{MouseEvent, MouseEventKind};
    let kind = if down {
        MouseEventKind::ScrollDown
    } else {
        MouseEventKind::ScrollUp
    };
    update(
        s,
        Msg::Mouse(MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }),
    )
}

#[test]
fn clicks_focus_and_select_and_the_wheel_scrolls() {
    let mut s = loaded(1, JobStatus::Succeeded, 100);
    // 140×40: threads on the left, the tab bar on row 0 to their right, content below it.
    let a = super::ui::areas(ratatui::layout::Rect::new(0, 0, 140, 40)).unwrap();
    // Tabs: " 1 Threads " is 11 wide, then " 2 Chat " … " 5 Leads " last.
    let x5 = a.tabs.x + 11 + 8 + 8 + 11 + 2;
    click(&mut s, x5, a.tabs.y);
    assert_eq!(s.focus, Pane::Leads);
    click(&mut s, a.content.x + 5, a.content.y + 3 + 4);
    assert_eq!(s.leads.selected, 4);
    wheel(&mut s, a.content.x + 5, a.content.y + 10, true);
    assert_eq!(s.leads.selected, 5);
    wheel(&mut s, 5, 5, true);
    assert_eq!((s.focus, s.threads.selected), (Pane::Threads, 1));
    let fx = click(&mut s, 5, 3); // third thread row (the border is row 0)
    assert_eq!(s.threads.selected, 2);
    assert!(requests(&fx).contains(&&Request::Messages(thread_id(3))));
    // Clicking the message box focuses it.
    ch(&mut s, '2');
    click(&mut s, a.content.x + 5, a.content.y + a.content.height - 2);
    assert!(s.chat.input_focused);
}

#[test]
fn a_failed_post_gives_the_prompt_back() {
    let mut s = state();
    ch(&mut s, 'n');
    typ(&mut s, "fintech CTOs");
    key(&mut s, KeyCode::Enter);
    assert!(s.chat.input_text().is_empty());
    let err = Error::new(ErrorCode::Internal, "planner failed");
    reply(
        &mut s,
        Slot::Action,
        Reply::Posted {
            thread: thread_id(8),
            result: Err(err),
        },
    );
    assert_eq!(s.chat.input_text(), "fintech CTOs");
    assert!(!s.chat.sending);
    // Also when the request itself failed (e.g. the thread could not be created).
    key(&mut s, KeyCode::Esc);
    ch(&mut s, 'i');
    key(&mut s, KeyCode::Enter);
    let tag = s.requests.issue(Slot::Action);
    update(
        &mut s,
        Msg::Reply {
            tag,
            result: Err(Error::new(ErrorCode::Unavailable, "down")),
        },
    );
    assert_eq!(s.chat.input_text(), "fintech CTOs");
}
