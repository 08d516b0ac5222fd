//! Insta snapshots of every screen state, and drawing at any size.

use super::*;

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
    assert_frame("too_small_40x10", render_text(&s, 40, 10).expect("renders"));
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
    let cfg: crate::tui::KeysConfig =
        toml::from_str("approve = \"ctrl-a\"\nhelp = \"F1\"").unwrap();
    let mut s = loaded(3, JobStatus::Pending, 0);
    s.keymap = crate::tui::keymap::Keymap::from_config(&cfg).unwrap();
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

/// #13: a replanned plan shows what changed (old → new) and what the planner could not read,
/// before it is approved; reloading the same plan keeps the diff, another plan drops it.
#[test]
fn snapshot_replanned_plan_shows_the_icp_diff_and_not_understood() {
    let mut s = loaded(3, JobStatus::Pending, 0);
    let mut pm = fixtures::posted(3);
    pm.plan.id = fixtures::plan_id(33);
    pm.plan.replaces = Some(fixtures::plan_id(3));
    pm.plan.icp.countries = vec!["GB".into()];
    pm.plan.icp.roles = vec!["CEO".into()];
    pm.plan.icp.max_rows = Some(200);
    pm.plan.not_understood = vec!["Zorblax".into(), "\u{1b}[31mred".into()];
    reply(&mut s, Slot::Action, Reply::Replanned(pm));
    let text = render_text(&s, 140, 40).expect("renders");
    assert!(text.contains("Changes (old → new)"), "{text}");
    assert!(text.contains("FR → GB"), "{text}");
    assert!(text.contains("Not understood: Zorblax, red"), "{text}");
    assert!(!text.contains('\u{1b}'), "control sequences are stripped");
    snap("plan_replanned", &mut s);
    let mut reloaded = s.plan.plan.clone().expect("plan");
    reloaded.title.push('!');
    reply(&mut s, Slot::Plan, Reply::Plan(reloaded));
    assert!(
        s.plan.previous_icp.is_some(),
        "same plan reloaded keeps the diff"
    );
    reply(&mut s, Slot::Plan, Reply::Plan(fixtures::plan(3)));
    assert!(s.plan.previous_icp.is_none(), "another plan drops it");
}
