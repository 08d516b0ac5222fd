//! Keys while an overlay is open: help, palette, confirm, prompt, push and export dialogs.

use super::*;

pub(super) fn on_overlay_key(s: &mut AppState, key: KeyEvent) -> Effects {
    let Some(overlay) = s.overlay.take() else {
        return vec![];
    };
    let action = s.keymap.action_for(&key);
    match overlay {
        Overlay::Help { scroll } => {
            let scroll = match action {
                Some(Action::Down) => scroll.saturating_add(1),
                Some(Action::Up) => scroll.saturating_sub(1),
                Some(Action::PageDown) => scroll.saturating_add(10),
                Some(Action::PageUp) => scroll.saturating_sub(10),
                Some(Action::Top) => 0,
                Some(Action::Help | Action::Back | Action::Quit) => return vec![],
                _ => scroll,
            };
            s.overlay = Some(Overlay::Help { scroll });
            vec![]
        }
        Overlay::Palette(mut p) => {
            let matches = palette_matches(&p.input.text);
            match p.input.handle(&key) {
                InputOutcome::Cancel => vec![],
                InputOutcome::Submit => match matches.get(p.selected) {
                    Some(&a) => dispatch(s, a),
                    None => vec![],
                },
                InputOutcome::Changed => {
                    p.selected = 0;
                    s.overlay = Some(Overlay::Palette(p));
                    vec![]
                }
                InputOutcome::Ignored => {
                    match key.code {
                        KeyCode::Up => p.selected = p.selected.saturating_sub(1),
                        KeyCode::Down => {
                            p.selected = (p.selected + 1).min(matches.len().saturating_sub(1))
                        }
                        _ => {}
                    }
                    s.overlay = Some(Overlay::Palette(p));
                    vec![]
                }
            }
        }
        Overlay::Confirm(c) => match key.code {
            KeyCode::Char('y' | 'Y') | KeyCode::Enter => confirmed(s, c.on_yes),
            KeyCode::Char('n' | 'N') | KeyCode::Esc => vec![],
            _ => {
                s.overlay = Some(Overlay::Confirm(c));
                vec![]
            }
        },
        Overlay::Prompt(mut p) => match p.input.handle(&key) {
            InputOutcome::Cancel => vec![],
            InputOutcome::Submit => submit_prompt(s, p),
            InputOutcome::Changed | InputOutcome::Ignored => {
                p.error = None;
                s.overlay = Some(Overlay::Prompt(p));
                vec![]
            }
        },
        Overlay::Push(flow) => push_key(s, flow, key),
        Overlay::Export(job) => {
            let format = match key.code {
                KeyCode::Char('c' | 'C') | KeyCode::Enter => ExportFormat::Csv,
                KeyCode::Char('j' | 'J') => ExportFormat::Json,
                KeyCode::Char('x' | 'X') => ExportFormat::Xlsx,
                KeyCode::Esc | KeyCode::Char('q') => return vec![],
                _ => {
                    s.overlay = Some(Overlay::Export(job));
                    return vec![];
                }
            };
            toast(s, Level::Info, format!("Exporting {}…", format.extension()));
            vec![request(s, Slot::Action, Request::Export { job, format })]
        }
    }
}

fn confirmed(s: &mut AppState, what: Confirmed) -> Effects {
    match what {
        Confirmed::Quit => {
            s.quit = true;
            vec![]
        }
        Confirmed::Stop(job) => {
            toast(s, Level::Info, "Stopping…");
            vec![request(s, Slot::Action, Request::Stop(job))]
        }
        Confirmed::Delete { thread, force } => {
            vec![request(s, Slot::Action, Request::Delete { thread, force })]
        }
        Confirmed::Enrich(job) => {
            toast(s, Level::Info, "Enriching with Modern Leads…");
            let request = EnrichRequest::new(EnrichProvider::Modernleads).normalised();
            vec![super::request(
                s,
                Slot::Action,
                Request::Enrich { job, request },
            )]
        }
    }
}

/// The push dialog: pick → (Enter) dry run → preview → (Enter) push → progress → result.
fn push_key(s: &mut AppState, mut flow: PushFlow, key: KeyEvent) -> Effects {
    let n = PushProvider::ALL.len();
    let mut fx = vec![];
    match (&flow.stage, key.code) {
        // Esc always closes; a push already sent keeps going and reports in a toast.
        (_, KeyCode::Esc | KeyCode::Char('q')) => return vec![],
        (PushStage::Pick, KeyCode::Up | KeyCode::Char('k')) => {
            flow.selected = (flow.selected + n - 1) % n
        }
        (PushStage::Pick, KeyCode::Down | KeyCode::Char('j')) => {
            flow.selected = (flow.selected + 1) % n
        }
        (PushStage::Pick, KeyCode::Char('m')) => {
            flow.mode = match flow.mode {
                PushMode::Contacts => PushMode::Companies,
                PushMode::Companies => PushMode::Both,
                PushMode::Both => PushMode::Contacts,
            }
        }
        (PushStage::Pick, KeyCode::Char('t')) => flow.allow_test_data = !flow.allow_test_data,
        (PushStage::Pick, KeyCode::Enter) => {
            flow.stage = PushStage::Previewing;
            let (job, request) = (flow.job.clone(), flow.request(true));
            fx.push(super::request(
                s,
                Slot::Push,
                Request::Push { job, request },
            ));
        }
        (PushStage::Preview(_), KeyCode::Enter | KeyCode::Char('y')) => {
            flow.stage = PushStage::Pushing(Default::default());
            let (job, request) = (flow.job.clone(), flow.request(false));
            fx.push(super::request(
                s,
                Slot::Push,
                Request::Push { job, request },
            ));
        }
        (
            PushStage::Preview(_) | PushStage::Failed(_),
            KeyCode::Backspace | KeyCode::Char('n' | 'b'),
        ) => flow.stage = PushStage::Pick,
        (PushStage::Done(_) | PushStage::Failed(_), KeyCode::Enter) => return vec![],
        _ => {}
    }
    s.overlay = Some(Overlay::Push(flow));
    fx
}

fn submit_prompt(s: &mut AppState, mut p: Prompt) -> Effects {
    let text = p.input.text.trim().to_string();
    match p.purpose.clone() {
        PromptPurpose::Rename(thread) => {
            if text.is_empty() {
                p.error = Some("A title cannot be empty.".into());
                s.overlay = Some(Overlay::Prompt(p));
                return vec![];
            }
            vec![request(
                s,
                Slot::Action,
                Request::Rename {
                    thread,
                    title: text,
                },
            )]
        }
        PromptPurpose::Replan(plan) => {
            if text.is_empty() {
                p.error = Some("Say what to change, e.g. \"only Series A, add CTOs\".".into());
                s.overlay = Some(Overlay::Prompt(p));
                return vec![];
            }
            toast(s, Level::Info, "Replanning…");
            vec![request(
                s,
                Slot::Action,
                Request::Replan {
                    plan,
                    feedback: text,
                },
            )]
        }
        PromptPurpose::Approve(job) => {
            let max_credits = if text.is_empty() {
                None
            } else {
                match text.replace(['_', ','], "").parse::<u32>() {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        p.error = Some(
                            "Enter a whole number of credits, or leave empty for no ceiling."
                                .into(),
                        );
                        s.overlay = Some(Overlay::Prompt(p));
                        return vec![];
                    }
                }
            };
            vec![request(
                s,
                Slot::Action,
                Request::Approve { job, max_credits },
            )]
        }
    }
}
