//! Action keys: approve, stop, replan, rename, delete, push, export, quit, overlays.

use super::*;

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
    // The format follows the path's extension.
    for _ in 0..3 {
        key(&mut s, KeyCode::Backspace);
    }
    typ(&mut s, "json");
    let fx = key(&mut s, KeyCode::Enter);
    assert!(matches!(
        requests(&fx)[..],
        [Request::Export {
            format: ExportFormat::Json,
            rows: 3,
            ..
        }]
    ));
    reply(
        &mut s,
        Slot::Action,
        Reply::Exported {
            path: "/tmp/x.json".into(),
            rows: 3,
        },
    );
    assert!(
        s.toasts
            .items
            .iter()
            .any(|t| t.text.contains("Wrote 3 rows to /tmp/x.json"))
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
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll: 0, .. })));
    ch(&mut s, 'j');
    assert!(matches!(s.overlay, Some(Overlay::Help { scroll: 1, .. })));
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

#[test]
fn help_is_searchable_and_lists_the_dialog_keys_too() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, '?');
    let all = render_text(&s, 140, 90).unwrap();
    for needle in [
        "half_page_down",
        "Column picker",
        "prev_match",
        "CSV / JSON / XLSX",
    ] {
        assert!(all.contains(needle), "help lacks {needle}:\n{all}");
    }
    ch(&mut s, '/');
    typ(&mut s, "picker");
    let found = render_text(&s, 140, 60).unwrap();
    assert!(found.contains("Column picker: move"), "{found}");
    assert!(!found.contains("Half a page"), "{found}");
    // Esc clears the search first, then closes.
    key(&mut s, KeyCode::Esc);
    assert!(matches!(&s.overlay, Some(Overlay::Help { search, .. }) if search.text.is_empty()));
    key(&mut s, KeyCode::Esc);
    assert!(s.overlay.is_none());
}

#[test]
fn palette_commands_take_arguments() {
    let mut s = loaded(1, JobStatus::Succeeded, 20);
    ch(&mut s, ':');
    typ(&mut s, "sort confidence");
    key(&mut s, KeyCode::Enter);
    let sort = s.leads.sort.clone().expect("sorted");
    assert_eq!(sort.column, crate::tui::state::leads::Column::Confidence);
    assert_eq!(s.focus, Pane::Leads);
    ch(&mut s, ':');
    typ(&mut s, "filter city:lyon");
    key(&mut s, KeyCode::Enter);
    assert_eq!(s.leads.view.len(), (0..20).filter(|i| i % 7 == 3).count());
    ch(&mut s, ':');
    typ(&mut s, "export /tmp/out.json");
    key(&mut s, KeyCode::Enter);
    assert!(matches!(&s.overlay, Some(Overlay::Export(d)) if d.path.text == "/tmp/out.json"));
    key(&mut s, KeyCode::Esc);
    ch(&mut s, ':');
    typ(&mut s, "rename Q3 list");
    key(&mut s, KeyCode::Enter);
    assert!(matches!(&s.overlay, Some(Overlay::Prompt(p)) if p.input.text == "Q3 list"));
}

/// A long path wraps and the dialog grows with it: the answer under it ("exists: Enter
/// replaces it") stays in sight at 100 columns (it used to fall below a fixed-height box).
#[test]
fn the_export_dialog_grows_to_show_a_long_path_and_its_answer() {
    let mut s = loaded(1, JobStatus::Succeeded, 3);
    ch(&mut s, 'e');
    let Some(Overlay::Export(d)) = s.overlay.as_mut() else {
        panic!("no export dialog");
    };
    let path = format!("/data/{}/exports/leads.csv", "deep/".repeat(30));
    d.path = crate::tui::state::input::LineInput::with_text(path.clone());
    d.error = Some(format!(
        "{path} exists: Enter replaces it, or edit the path"
    ));
    let screen = render_text(&s, 100, 30).unwrap();
    assert!(screen.contains("replaces it, or edit the path"), "{screen}");
    assert!(screen.contains("exports/leads.csv"), "{screen}");
}
