//! The message box: new threads, posting, rejected prompts, pastes.

use super::*;

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
