//! Remote mode: a server that is down or refuses the key shows a persistent disconnected state
//! and is retried with backoff; a finished job's timer and credits are the server's.

use super::*;
use crate::backend::{BackendInfo, BackendKind};
use crate::model::Timestamp;
use crate::tui::state::connection::Connection;

const URL: &str = "http://127.0.0.1:9/v1";

fn remote() -> AppState {
    let info = BackendInfo {
        kind: BackendKind::Remote,
        livemode: false,
        location: URL.into(),
    };
    let mut s = AppState::new(
        info,
        crate::tui::keymap::Keymap::default(),
        crate::tui::theme::Theme::plain(),
        fixtures::now(),
    );
    s.size = (140, 40);
    s
}

fn fail(s: &mut AppState, slot: Slot, e: Error) -> Vec<Effect> {
    let tag = s.requests.issue(slot);
    update(
        s,
        Msg::Reply {
            tag,
            result: Err(e),
        },
    )
}

fn tick_at(s: &mut AppState, ms_after_now: i64) -> Vec<Effect> {
    update(
        s,
        Msg::Tick(Timestamp::from_millis(fixtures::NOW + ms_after_now)),
    )
}

fn unreachable() -> Error {
    Error::new(
        ErrorCode::Unavailable,
        "GET /threads: cannot reach the server at http://127.0.0.1:9/v1 (connection refused)",
    )
}

fn down_attempt(s: &AppState) -> Option<u32> {
    match &s.connection {
        Connection::Down(d) => Some(d.attempt),
        _ => None,
    }
}

#[test]
fn an_unreachable_server_is_shown_as_disconnected_and_retried_with_backoff() {
    let mut s = remote();
    let first = crate::tui::update::init(&mut s);
    assert_eq!(first.len(), 2);
    // Both first requests fail: one attempt, no toast (the state itself says it).
    fail(&mut s, Slot::Threads, unreachable());
    fail(&mut s, Slot::Usage, unreachable());
    assert_eq!(down_attempt(&s), Some(1));
    assert!(s.toasts.items.is_empty(), "{:?}", s.toasts.items);
    let screen = render_text(&s, 140, 40).expect("renders");
    assert!(screen.contains("Disconnected from 127.0.0.1:9"), "{screen}");
    assert!(screen.contains("REMOTE 127.0.0.1:9"), "{screen}");
    assert!(!screen.contains("Loading…"), "{screen}");

    // Nothing before the first backoff (1 s) is up; then the first requests again.
    assert!(tick_at(&mut s, 900).is_empty());
    let retry = tick_at(&mut s, 1_000);
    let r = requests(&retry);
    assert!(
        r.iter().any(|r| matches!(r, Request::ListThreads { .. })) && r.contains(&&Request::Usage),
        "{retry:?}"
    );
    // Only one retry in flight at a time.
    assert!(tick_at(&mut s, 1_250).is_empty());
    fail(&mut s, Slot::Threads, unreachable());
    assert_eq!(down_attempt(&s), Some(2));
    // The second wait is twice the first.
    assert!(tick_at(&mut s, 1_250 + 1_900).is_empty());
    assert!(!tick_at(&mut s, 1_250 + 2_000).is_empty());

    // The server comes back: connected, the thread list loads, a toast says so.
    reply(&mut s, Slot::Threads, Reply::Threads(fixtures::threads()));
    assert_eq!(s.connection, Connection::Up);
    assert!(
        s.toasts
            .items
            .iter()
            .any(|t| t.text.contains("Connected to 127.0.0.1:9"))
    );
    assert!(
        tick_at(&mut s, 60_000).is_empty(),
        "no retry once connected"
    );
}

#[test]
fn a_bad_key_says_which_variable_to_set() {
    let mut s = remote();
    fail(
        &mut s,
        Slot::Threads,
        Error::new(ErrorCode::Authentication, "Invalid API key."),
    );
    let screen = render_text(&s, 140, 40).expect("renders");
    assert!(
        screen.contains("401 bad key — set LEADEX_API_KEY"),
        "{screen}"
    );
    assert!(screen.contains("disconnected"), "{screen}");
}

#[test]
fn local_errors_still_toast_and_never_disconnect() {
    let mut s = state();
    fail(&mut s, Slot::Threads, unreachable());
    assert_eq!(s.connection, Connection::Unknown);
    assert!(
        s.toasts
            .items
            .iter()
            .any(|t| t.text.contains("service_unavailable"))
    );
}

#[test]
fn a_failed_job_stops_its_timer_and_shows_the_servers_credits() {
    let mut s = loaded(2, JobStatus::Running, 3);
    let j = job_id(2);
    // Running: the timer follows the clock.
    let at = |s: &AppState, ms: i64| s.log.elapsed_ms(Timestamp::from_millis(fixtures::NOW + ms));
    assert_eq!(at(&s, 5_000), at(&s, 0).map(|ms| ms + 5_000));
    let ev = fixtures::event(
        &j,
        9,
        EventKind::Error,
        json!({"code": "internal_error", "message": "source crashed"}),
    );
    let fx = update(
        &mut s,
        Msg::Stream {
            job: j.clone(),
            item: StreamItem::Event(ev.clone()),
        },
    );
    // Frozen at the error, whatever the clock says.
    let frozen = at(&s, 0);
    assert_eq!(at(&s, 600_000), frozen);
    assert_eq!(
        frozen,
        Some(
            ev.created_at.millis()
                - fixtures::job(2, JobStatus::Running)
                    .started_at
                    .map_or(0, |t| t.millis())
        )
    );
    // The job's own figures are asked for, and win over the events' running count.
    assert!(requests(&fx).contains(&&Request::Job(j.clone())), "{fx:?}");
    assert_eq!(s.log.credits_used, 180);
    let mut failed = fixtures::job(2, JobStatus::Failed);
    failed.credits_used = 0;
    reply(&mut s, Slot::Job, Reply::Job(failed));
    assert_eq!(s.log.credits_used, 0);
    let screen = render_text(
        &{
            let mut s2 = s;
            s2.focus = Pane::Log;
            s2
        },
        140,
        40,
    )
    .expect("renders");
    assert!(screen.contains("· 0 credits"), "{screen}");
}

#[test]
fn snapshot_disconnected() {
    let mut s = remote();
    fail(&mut s, Slot::Threads, unreachable());
    snap("disconnected", &mut s);
}
