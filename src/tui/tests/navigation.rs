//! Moving between panes and threads, stale replies, the thread filter.

use super::*;

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

#[test]
fn filtering_the_threads_shows_the_selected_match_and_d_deletes_it() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    assert_eq!(s.chat.thread, Some(thread_id(1)));
    ch(&mut s, '/');
    ch(&mut s, 'd');
    // The server answers with thread 2 only: the open thread 1 is filtered out.
    let mut only = fixtures::threads();
    only.data.retain(|t| t.id == thread_id(2));
    let fx = reply(&mut s, Slot::Threads, Reply::Threads(only));
    assert_eq!(
        s.chat.thread,
        Some(thread_id(2)),
        "the chat follows the selection"
    );
    assert!(
        requests(&fx).contains(&&Request::Messages(thread_id(2))),
        "{fx:?}"
    );
    key(&mut s, KeyCode::Enter);
    ch(&mut s, 'd');
    assert!(
        matches!(&s.overlay, Some(Overlay::Confirm(c)) if matches!(&c.on_yes, Confirmed::Delete { thread, .. } if *thread == thread_id(2))),
        "{:?}",
        s.overlay
    );
}
