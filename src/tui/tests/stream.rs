//! Stream events, the log's follow mode, ticks and backend errors.

use super::*;

// ------------------------------------------------------------------ update: stream events

/// The stream drops and comes back: the log says reconnecting, then live.
fn drops_and_reconnects(s: &mut AppState, j: &crate::model::JobId) {
    update(
        s,
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
        crate::tui::state::joblog::ConnState::Reconnecting { attempt: 2 }
    );
    update(
        s,
        Msg::Stream {
            job: j.clone(),
            item: StreamItem::Connected,
        },
    );
    assert_eq!(s.log.conn, crate::tui::state::joblog::ConnState::Live);
}

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
            .is_some_and(|l| l.message.contains("5 rows") && l.message.starts_with("art_1"))
    );
    drops_and_reconnects(&mut s, &j);
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
    assert_eq!(s.log.conn, crate::tui::state::joblog::ConnState::Idle);
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

#[test]
fn a_stopped_jobs_unfinished_step_loses_its_spinner() {
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
    let spinning = render_text(&s, 140, 40).unwrap();
    assert!(spinning.contains("Find people"), "{spinning}");
    assert!(!spinning.contains("■ Find people"), "{spinning}");
    let mut stopped = s.log.job.clone().expect("a job");
    stopped.status = JobStatus::Stopped;
    s.log.set_job(stopped);
    let text = render_text(&s, 140, 40).unwrap();
    assert!(text.contains("■ Find people"), "{text}");
}
