//! Keys: overlays first, then the message box, then an active filter, then the key map.

use super::*;

pub(super) fn on_key(s: &mut AppState, key: KeyEvent) -> Effects {
    // Ctrl-C leaves from anywhere, even from the input box.
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return dispatch(s, Action::Quit);
    }
    if s.overlay.is_some() {
        return on_overlay_key(s, key);
    }
    if s.chat.input_focused {
        return on_input_key(s, key);
    }
    if let Some(fx) = on_filter_key(s, &key) {
        return fx;
    }
    match s.keymap.action_for(&key) {
        Some(action) => dispatch(s, action),
        None => vec![],
    }
}

/// Pasted text goes where typing would: a dialog's line, an active filter, else the message box
/// (focused for it, as a chat client does). Control characters other than newlines and tabs are
/// dropped; one-line inputs get newlines as spaces.
pub(super) fn on_paste(s: &mut AppState, text: &str) -> Effects {
    let multi: String = text
        .replace("\r\n", "\n")
        // Terminals (and tmux) deliver pasted line ends as CR.
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    let line: String = multi
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect();
    match s.overlay.as_mut() {
        Some(Overlay::Prompt(p)) => {
            p.input.text.push_str(&line);
            p.error = None;
            return vec![];
        }
        Some(Overlay::Palette(p)) => {
            p.input.text.push_str(&line);
            p.selected = 0;
            return vec![];
        }
        Some(_) => return vec![],
        None => {}
    }
    if !s.chat.input_focused {
        match s.focus {
            Pane::Threads if s.threads.filter.active => {
                s.threads.filter.text.push_str(&line);
                return vec![list_threads(s)];
            }
            Pane::Leads if s.leads.filter.active => {
                s.leads.filter.text.push_str(&line);
                s.leads.rebuild();
                s.leads.scroll_into_view(s.table_height());
                return vec![];
            }
            _ => {}
        }
        s.chat.input_focused = true;
        s.focus = Pane::Chat;
    }
    s.chat.input.insert_str(multi);
    vec![]
}

fn on_input_key(s: &mut AppState, key: KeyEvent) -> Effects {
    match key.code {
        KeyCode::Esc => {
            s.chat.input_focused = false;
            vec![]
        }
        KeyCode::Enter if key.modifiers.contains(KeyModifiers::ALT) => {
            s.chat.input.insert_newline();
            vec![]
        }
        KeyCode::Enter => send(s),
        _ => {
            s.chat.input.input(key);
            vec![]
        }
    }
}

fn send(s: &mut AppState) -> Effects {
    let content = s.chat.input_text();
    if content.trim().is_empty() {
        toast(s, Level::Warn, "Type what you are looking for first");
        return vec![];
    }
    if s.chat.sending {
        toast(s, Level::Warn, "Still planning the previous prompt…");
        return vec![];
    }
    s.chat.sending = true;
    s.chat.in_flight = Some(content.clone());
    s.chat.clear_input();
    s.chat.input_focused = false;
    let thread = s.chat.thread.clone();
    vec![request(s, Slot::Action, Request::Post { thread, content })]
}

/// Keys for an active `/` filter; `None` when no filter is being typed or the key is not for it.
fn on_filter_key(s: &mut AppState, key: &KeyEvent) -> Option<Effects> {
    match s.focus {
        Pane::Threads if s.threads.filter.active => match s.threads.filter.handle(key) {
            InputOutcome::Ignored => None,
            InputOutcome::Changed => Some(vec![list_threads(s)]),
            InputOutcome::Submit => {
                s.threads.filter.active = false;
                Some(vec![])
            }
            InputOutcome::Cancel => {
                s.threads.filter = LineInput::default();
                Some(vec![list_threads(s)])
            }
        },
        Pane::Leads if s.leads.filter.active => {
            match s.leads.filter.handle(key) {
                InputOutcome::Ignored => return None,
                InputOutcome::Changed => {}
                InputOutcome::Submit => s.leads.filter.active = false,
                InputOutcome::Cancel => s.leads.filter = LineInput::default(),
            }
            s.leads.rebuild();
            s.leads.scroll_into_view(s.table_height());
            Some(vec![])
        }
        _ => None,
    }
}

/// Palette entries matching the typed text, in key-map order.
pub fn palette_matches(query: &str) -> Vec<Action> {
    let q = query.trim().to_lowercase();
    Action::ALL
        .iter()
        .copied()
        .filter(|a| *a != Action::Palette)
        .filter(|a| {
            q.is_empty() || a.name().contains(&q) || a.description().to_lowercase().contains(&q)
        })
        .collect()
}

fn on_overlay_key(s: &mut AppState, key: KeyEvent) -> Effects {
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

pub(super) fn move_selection(s: &mut AppState, delta: isize) -> Effects {
    let page = s.table_height() as isize;
    let delta = match delta {
        isize::MIN => -(1 << 30),
        isize::MAX => 1 << 30,
        d if d.abs() == 1000 => d.signum() * page,
        d => d,
    };
    match s.focus {
        Pane::Threads => {
            if s.threads.move_by(delta) {
                return select_thread(s);
            }
        }
        Pane::Chat => {
            // Chat scrolls from the bottom: up shows older messages.
            s.chat.scroll =
                (i64::from(s.chat.scroll) - delta as i64).clamp(0, i64::from(u16::MAX)) as u16;
        }
        Pane::Plan => {
            s.plan.scroll =
                (i64::from(s.plan.scroll) + delta as i64).clamp(0, i64::from(u16::MAX)) as u16
        }
        Pane::Log => {
            let max = s.log.lines.len().saturating_sub(1);
            let from = if s.log.follow { max } else { s.log.scroll };
            s.log.scroll = (from as isize + delta).clamp(0, max as isize) as usize;
            s.log.follow = delta > 0 && s.log.scroll >= max;
        }
        Pane::Leads => match &mut s.leads.detail {
            Some(d) => {
                let n = s
                    .leads
                    .leads
                    .get(d.lead)
                    .map(|l| detail_paths(l).len())
                    .unwrap_or(0);
                d.selected =
                    (d.selected as isize + delta).clamp(0, n.saturating_sub(1) as isize) as usize;
            }
            None => {
                s.leads.move_by(delta);
                s.leads.scroll_into_view(s.table_height());
            }
        },
    }
    vec![]
}

/// What an action does, given where the focus is. The single place keys get their meaning.
pub fn dispatch(s: &mut AppState, action: Action) -> Effects {
    match action {
        Action::Quit => {
            if s.log.is_running() {
                s.overlay = Some(Overlay::Confirm(Confirm {
                    title: "Quit?".into(),
                    body: "A job is running. It keeps running in the engine only while leadline is open in local mode. Quit anyway?".into(),
                    on_yes: Confirmed::Quit,
                }));
            } else {
                s.quit = true;
            }
            vec![]
        }
        Action::Help => {
            s.overlay = Some(Overlay::Help { scroll: 0 });
            vec![]
        }
        Action::Palette => {
            s.overlay = Some(Overlay::Palette(PaletteState {
                input: LineInput::with_text(""),
                selected: 0,
            }));
            vec![]
        }
        Action::NextPane => focus(s, s.focus.cycle(1)),
        Action::PrevPane => focus(s, s.focus.cycle(-1)),
        Action::PaneThreads => focus(s, Pane::Threads),
        Action::PaneChat => focus(s, Pane::Chat),
        Action::PanePlan => focus(s, Pane::Plan),
        Action::PaneLog => focus(s, Pane::Log),
        Action::PaneLeads => focus(s, Pane::Leads),
        Action::Up => move_selection(s, -1),
        Action::Down => move_selection(s, 1),
        Action::PageUp => move_selection(s, -1000),
        Action::PageDown => move_selection(s, 1000),
        Action::Top => move_selection(s, isize::MIN),
        Action::Bottom => {
            if s.focus == Pane::Log {
                s.log.follow = true;
                return vec![];
            }
            move_selection(s, isize::MAX)
        }
        Action::Left | Action::Right if s.focus == Pane::Leads && s.leads.detail.is_none() => {
            let last = Column::ALL.len() - 1;
            s.leads.column = if action == Action::Left {
                s.leads.column.saturating_sub(1)
            } else {
                (s.leads.column + 1).min(last)
            };
            vec![]
        }
        Action::Left | Action::Right => vec![],
        Action::Open => match s.focus {
            Pane::Threads => {
                let fx = select_thread(s);
                s.focus = Pane::Chat;
                fx
            }
            Pane::Chat => {
                s.chat.input_focused = true;
                vec![]
            }
            Pane::Leads => {
                if let Some((i, _)) = s.leads.selected_lead() {
                    s.leads.detail = Some(crate::tui::state::leads::DetailState {
                        lead: i,
                        selected: 0,
                    });
                }
                vec![]
            }
            Pane::Plan | Pane::Log => vec![],
        },
        Action::Back => {
            if s.leads.detail.is_some() && s.focus == Pane::Leads {
                s.leads.detail = None;
            } else if s.focus == Pane::Leads && !s.leads.filter.text.is_empty() {
                s.leads.filter = LineInput::default();
                s.leads.rebuild();
            } else if s.focus == Pane::Threads && !s.threads.filter.text.is_empty() {
                s.threads.filter = LineInput::default();
                return vec![list_threads(s)];
            }
            vec![]
        }
        Action::Filter => {
            match s.focus {
                Pane::Threads => s.threads.filter.active = true,
                Pane::Leads if s.leads.detail.is_none() => s.leads.filter.active = true,
                _ => toast(
                    s,
                    Level::Info,
                    "Filter works in the thread list and the leads table",
                ),
            }
            vec![]
        }
        Action::NewThread => {
            clear_thread(s, None);
            s.focus = Pane::Chat;
            s.chat.input_focused = true;
            for slot in [
                Slot::Messages,
                Slot::Job,
                Slot::Plan,
                Slot::Leads,
                Slot::Events,
            ] {
                s.requests.cancel(slot);
            }
            vec![Effect::Unsubscribe]
        }
        Action::Input => {
            s.focus = Pane::Chat;
            s.chat.input_focused = true;
            vec![]
        }
        Action::Rename => {
            let Some(t) = s
                .threads
                .current()
                .filter(|_| s.focus == Pane::Threads)
                .cloned()
                .or_else(|| {
                    s.chat
                        .thread
                        .as_ref()
                        .and_then(|id| s.threads.items.iter().find(|t| &t.id == id))
                        .cloned()
                })
            else {
                toast(s, Level::Warn, "No thread to rename");
                return vec![];
            };
            s.overlay = Some(Overlay::Prompt(Prompt {
                title: "Rename thread".into(),
                hint: "Enter to save · Esc to cancel".into(),
                input: LineInput::with_text(t.title.clone()),
                purpose: PromptPurpose::Rename(t.id),
                error: None,
            }));
            vec![]
        }
        Action::Delete => {
            let Some(t) = s.threads.current().cloned() else {
                toast(s, Level::Warn, "No thread to delete");
                return vec![];
            };
            let running = t.last_job_status == Some(JobStatus::Running)
                || (s.chat.thread.as_ref() == Some(&t.id) && s.log.is_running());
            let body = if running {
                format!(
                    "\"{}\" has a RUNNING job. Stop it and delete the thread with its plans, jobs and leads?",
                    t.title
                )
            } else {
                format!("Delete \"{}\" with its plans, jobs and leads?", t.title)
            };
            s.overlay = Some(Overlay::Confirm(Confirm {
                title: if running {
                    "Stop the job and delete?".into()
                } else {
                    "Delete thread?".into()
                },
                body,
                on_yes: Confirmed::Delete {
                    thread: t.id,
                    force: running,
                },
            }));
            vec![]
        }
        Action::Approve => {
            match s.log.job.as_ref().map(|j| (j.id.clone(), j.status)) {
                Some((id, JobStatus::Pending)) => {
                    let estimate = s
                        .plan
                        .plan
                        .as_ref()
                        .map(|p| p.credits_estimate)
                        .unwrap_or(0);
                    s.overlay = Some(Overlay::Prompt(Prompt {
                        title: "Approve plan".into(),
                        hint: format!(
                            "Credit ceiling (estimate {estimate}); empty = none · Enter approves · Esc cancels"
                        ),
                        input: LineInput::with_text(""),
                        purpose: PromptPurpose::Approve(id),
                        error: None,
                    }));
                }
                Some((_, status)) => toast(
                    s,
                    Level::Warn,
                    format!(
                        "The job is {}; there is no plan waiting for approval",
                        status.as_str()
                    ),
                ),
                None => toast(s, Level::Warn, "No plan to approve: type a prompt first"),
            }
            vec![]
        }
        Action::Stop => {
            match s.log.job.as_ref().map(|j| (j.id.clone(), j.status)) {
                Some((id, JobStatus::Running)) => {
                    s.overlay = Some(Overlay::Confirm(Confirm {
                        title: "Stop the job?".into(),
                        body:
                            "The job halts at its next checkpoint; leads captured so far are kept."
                                .into(),
                        on_yes: Confirmed::Stop(id),
                    }));
                }
                Some((id, JobStatus::Pending)) => {
                    s.overlay = Some(Overlay::Confirm(Confirm {
                        title: "Decline the plan?".into(),
                        body: "The pending job is cancelled; nothing runs.".into(),
                        on_yes: Confirmed::Stop(id),
                    }));
                }
                Some((_, status)) => toast(
                    s,
                    Level::Warn,
                    format!("The job already {}; nothing to stop", status.as_str()),
                ),
                None => toast(s, Level::Warn, "No job to stop"),
            }
            vec![]
        }
        Action::Replan => {
            let pending = s
                .log
                .job
                .as_ref()
                .is_some_and(|j| j.status == JobStatus::Pending);
            match s.plan.plan.as_ref().map(|p| p.id.clone()) {
                Some(plan) if pending => {
                    s.overlay = Some(Overlay::Prompt(Prompt {
                        title: "Replan".into(),
                        hint: "What should change? Enter sends · Esc cancels".into(),
                        input: LineInput::with_text(""),
                        purpose: PromptPurpose::Replan(plan),
                        error: None,
                    }));
                }
                Some(_) => toast(
                    s,
                    Level::Warn,
                    "Only a plan waiting for approval can be replanned; post a new prompt instead",
                ),
                None => toast(s, Level::Warn, "No plan to replan"),
            }
            vec![]
        }
        Action::Push => {
            match s.log.job.as_ref() {
                Some(j) if matches!(j.status, JobStatus::Succeeded | JobStatus::Stopped) => {
                    s.overlay = Some(Overlay::Push(PushFlow::new(j.id.clone())));
                    return vec![request(s, Slot::Integrations, Request::Integrations)];
                }
                Some(j) => toast(
                    s,
                    Level::Warn,
                    format!(
                        "The job is {}: push its leads once it has succeeded or been stopped",
                        j.status.as_str()
                    ),
                ),
                None => toast(s, Level::Warn, "No job with leads to push"),
            }
            vec![]
        }
        Action::Enrich => {
            match s.log.job.as_ref() {
                Some(j) if matches!(j.status, JobStatus::Succeeded | JobStatus::Stopped) => {
                    let job = j.id.clone();
                    let rows = j.rows_captured;
                    s.overlay = Some(Overlay::Confirm(Confirm {
                        title: " Enrich leads ".into(),
                        body: format!(
                            "Verify the emails of {rows} leads with Modern Leads ([providers.modernleads] in the config)? Fields and confidence are updated in place. y/n"
                        ),
                        on_yes: Confirmed::Enrich(job),
                    }));
                }
                Some(_) => toast(s, Level::Warn, "Enrich a job once it has finished"),
                None => toast(s, Level::Warn, "No job with leads to enrich"),
            }
            vec![]
        }
        Action::Export => {
            match s.log.job.as_ref() {
                Some(j) if j.status != JobStatus::Pending => {
                    s.overlay = Some(Overlay::Export(j.id.clone()))
                }
                Some(_) => toast(
                    s,
                    Level::Warn,
                    "Nothing to export yet: approve the plan first",
                ),
                None => toast(s, Level::Warn, "No job to export"),
            }
            vec![]
        }
        Action::Sort => {
            if s.focus == Pane::Leads {
                s.leads.toggle_sort();
                s.leads.scroll_into_view(s.table_height());
            }
            vec![]
        }
        Action::MinConfidence => {
            if s.focus == Pane::Leads {
                s.leads.min_conf_step = (s.leads.min_conf_step + 1) % MIN_CONFIDENCE_STEPS.len();
                s.leads.rebuild();
                s.leads.scroll_into_view(s.table_height());
            }
            vec![]
        }
        Action::Copy => copy(s),
        Action::OpenUrl => open_url(s),
        Action::Follow => {
            if s.focus == Pane::Log {
                s.log.follow = !s.log.follow;
                if !s.log.follow {
                    s.log.scroll = s.log.lines.len().saturating_sub(1);
                }
            }
            vec![]
        }
    }
}

pub(super) fn focus(s: &mut AppState, pane: Pane) -> Effects {
    s.focus = pane;
    vec![]
}

fn detail_selection(s: &AppState) -> Option<(&crate::model::Lead, String)> {
    let d = s.leads.detail.as_ref()?;
    let lead = s.leads.leads.get(d.lead)?;
    let path = detail_paths(lead).into_iter().nth(d.selected)?;
    Some((lead, path))
}

fn copy(s: &mut AppState) -> Effects {
    if s.focus != Pane::Leads {
        return vec![];
    }
    let text = if s.leads.detail.is_some() {
        detail_selection(s).and_then(|(l, path)| l.field_text(&path))
    } else {
        let col = Column::ALL[s.leads.column.min(Column::ALL.len() - 1)];
        s.leads
            .selected_lead()
            .map(|(_, l)| cell(l, col).into_owned())
    };
    match text.filter(|t| !t.is_empty()) {
        Some(t) => {
            toast(
                s,
                Level::Info,
                format!("Copied {} chars", t.chars().count()),
            );
            vec![Effect::Copy(t)]
        }
        None => {
            toast(s, Level::Warn, "Nothing to copy here");
            vec![]
        }
    }
}

fn open_url(s: &mut AppState) -> Effects {
    if s.focus != Pane::Leads {
        return vec![];
    }
    let url = if s.leads.detail.is_some() {
        detail_selection(s)
            .and_then(|(l, path)| l.sources_for(&path).find_map(|src| src.url.clone()))
    } else {
        s.leads
            .selected_lead()
            .and_then(|(_, l)| l.sources.iter().find_map(|src| src.url.clone()))
    };
    match url {
        Some(u) if is_web_url(&u) => {
            toast(s, Level::Info, format!("Opening {u}"));
            vec![Effect::OpenUrl(u)]
        }
        Some(u) => {
            toast(
                s,
                Level::Warn,
                format!("Not opening {u}: only http(s) links are opened"),
            );
            vec![]
        }
        None => {
            toast(s, Level::Warn, "No source URL for this field");
            vec![]
        }
    }
}
