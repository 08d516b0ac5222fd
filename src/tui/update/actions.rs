//! What each key-map action does, given where the focus is: `dispatch` hands every action to one
//! named function (television's `handle_action` style). The single place keys get their meaning.

use super::leads_actions::*;
use super::*;

/// What an action does, given where the focus is.
pub fn dispatch(s: &mut AppState, action: Action) -> Effects {
    if let Some(file) = &s.importing
        && matches!(action, Action::Push | Action::Enrich | Action::Export)
    {
        let text = format!(
            "{file} is still being opened: {} works once its job is stored (see the status bar)",
            action.name()
        );
        toast(s, Level::Warn, text);
        return vec![];
    }
    match action {
        Action::Quit => quit(s),
        Action::Help => open_overlay(
            s,
            Overlay::Help {
                scroll: 0,
                search: LineInput::default(),
            },
        ),
        Action::Palette => open_palette(s),
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
        Action::HalfPageUp => move_selection(s, -500),
        Action::HalfPageDown => move_selection(s, 500),
        Action::Top => move_selection(s, isize::MIN),
        Action::Bottom => bottom(s),
        Action::Left => scroll_columns(s, -1),
        Action::Right => scroll_columns(s, 1),
        Action::Open => open(s),
        Action::Back => back(s),
        Action::Filter => filter(s),
        Action::NewThread if searching_leads(s) => next_match(s, true),
        Action::NewThread => new_thread(s),
        Action::PrevMatch => next_match(s, false),
        Action::Input => focus_input(s),
        Action::Rename => rename(s),
        Action::Delete => delete(s),
        Action::Approve => approve(s),
        Action::Stop => stop(s),
        Action::Replan => replan(s),
        Action::Push => push(s),
        Action::Enrich => enrich(s),
        Action::Export => export(s),
        Action::Sort => sort(s),
        Action::MinConfidence => min_confidence(s),
        Action::Copy => copy(s),
        Action::CopyRow => copy_row(s),
        Action::Mark => mark(s),
        Action::Columns => columns(s),
        Action::Mapping => super::mapping::open(s),
        Action::OpenUrl => open_url(s),
        Action::Follow => follow(s),
    }
}

/// A palette command with an argument (`:sort confidence`, `:filter city:lyon`,
/// `:export ~/x.csv`, `:rename Q3 list`, `:replan add CTOs`, `:approve 500`).
pub fn dispatch_with(s: &mut AppState, action: Action, arg: &str) -> Effects {
    match action {
        Action::Filter => {
            if s.leads.job.is_some() {
                s.focus = Pane::Leads;
                s.leads.detail = None;
                s.leads.filter = LineInput::with_text(arg);
                s.leads.filter.active = false;
                s.leads.set_query();
                s.leads.scroll_into_view(s.table_height());
                vec![]
            } else {
                s.focus = Pane::Threads;
                s.threads.filter = LineInput::with_text(arg);
                s.threads.filter.active = false;
                vec![list_threads(s)]
            }
        }
        Action::Sort | Action::Left | Action::Right => {
            let keys = &s.leads.field_keys;
            let col = Column::parse(arg, |k| keys.iter().any(|f| f.eq_ignore_ascii_case(k)));
            match col.and_then(|c| s.leads.columns.iter().position(|x| x.column == c)) {
                Some(i) => {
                    s.focus = Pane::Leads;
                    s.leads.column = i;
                    s.leads.col_offset = s.table_layout().first;
                    if action == Action::Sort {
                        s.leads.toggle_sort();
                        s.leads.scroll_into_view(s.table_height());
                    }
                }
                None => toast(
                    s,
                    Level::Warn,
                    format!("`{arg}` is not a shown column: add it with the column picker (C)"),
                ),
            }
            vec![]
        }
        Action::Export => {
            let fx = export(s);
            if let Some(Overlay::Export(d)) = s.overlay.as_mut() {
                d.path = LineInput::with_text(arg);
            }
            fx
        }
        Action::Rename | Action::Replan | Action::Approve => {
            let fx = dispatch(s, action);
            if let Some(Overlay::Prompt(p)) = s.overlay.as_mut() {
                p.input = LineInput::with_text(arg);
            }
            fx
        }
        other => {
            toast(
                s,
                Level::Warn,
                format!(
                    "`{}` takes no argument; ran it without `{arg}`",
                    other.name()
                ),
            );
            dispatch(s, other)
        }
    }
}

pub(super) fn focus(s: &mut AppState, pane: Pane) -> Effects {
    s.focus = pane;
    vec![]
}

fn open_overlay(s: &mut AppState, overlay: Overlay) -> Effects {
    s.overlay = Some(overlay);
    vec![]
}

fn quit(s: &mut AppState) -> Effects {
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

fn open_palette(s: &mut AppState) -> Effects {
    open_overlay(
        s,
        Overlay::Palette(PaletteState {
            input: LineInput::with_text(""),
            selected: 0,
        }),
    )
}

fn bottom(s: &mut AppState) -> Effects {
    if s.focus == Pane::Log {
        s.log.follow = true;
        return vec![];
    }
    move_selection(s, isize::MAX)
}

fn open(s: &mut AppState) -> Effects {
    match s.focus {
        Pane::Threads => {
            let fx = select_thread(s);
            s.focus = Pane::Chat;
            fx
        }
        Pane::Chat => focus_input(s),
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
    }
}

fn back(s: &mut AppState) -> Effects {
    if s.leads.detail.is_some() && s.focus == Pane::Leads {
        s.leads.detail = None;
    } else if s.focus == Pane::Leads && !s.leads.filter.text.is_empty() {
        s.leads.filter = LineInput::default();
        s.leads.set_query();
    } else if s.focus == Pane::Threads && !s.threads.filter.text.is_empty() {
        s.threads.filter = LineInput::default();
        return vec![list_threads(s)];
    }
    vec![]
}

fn filter(s: &mut AppState) -> Effects {
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

fn new_thread(s: &mut AppState) -> Effects {
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

/// The message box: the chat pane is where it lives.
fn focus_input(s: &mut AppState) -> Effects {
    s.focus = Pane::Chat;
    s.chat.input_focused = true;
    vec![]
}

fn rename(s: &mut AppState) -> Effects {
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
    open_overlay(
        s,
        Overlay::Prompt(Prompt {
            title: "Rename thread".into(),
            hint: "Enter to save · Esc to cancel".into(),
            input: LineInput::with_text(t.title.clone()),
            purpose: PromptPurpose::Rename(t.id),
            error: None,
        }),
    )
}

fn delete(s: &mut AppState) -> Effects {
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
    open_overlay(
        s,
        Overlay::Confirm(Confirm {
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
        }),
    )
}

fn current_job(s: &AppState) -> Option<(JobId, JobStatus)> {
    s.log.job.as_ref().map(|j| (j.id.clone(), j.status))
}

fn approve(s: &mut AppState) -> Effects {
    match current_job(s) {
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

fn stop(s: &mut AppState) -> Effects {
    match current_job(s) {
        Some((id, JobStatus::Running)) => {
            s.overlay = Some(Overlay::Confirm(Confirm {
                title: "Stop the job?".into(),
                body: "The job halts at its next checkpoint; leads captured so far are kept."
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

fn replan(s: &mut AppState) -> Effects {
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

/// A job whose leads are final: succeeded, or stopped with what it had.
fn finished(status: JobStatus) -> bool {
    matches!(status, JobStatus::Succeeded | JobStatus::Stopped)
}

fn push(s: &mut AppState) -> Effects {
    match s.log.job.as_ref() {
        Some(j) if finished(j.status) => {
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

fn enrich(s: &mut AppState) -> Effects {
    match s.log.job.as_ref() {
        Some(j) if finished(j.status) => {
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

fn export(s: &mut AppState) -> Effects {
    match s.log.job.as_ref() {
        Some(j) if j.status != JobStatus::Pending => {
            let path = s.export_dir.join(format!("leadline-{}.csv", j.id));
            s.overlay = Some(Overlay::Export(ExportDialog {
                job: j.id.clone(),
                path: LineInput::with_text(path.display().to_string()),
                all: false,
                overwrite: false,
                error: None,
            }))
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

fn follow(s: &mut AppState) -> Effects {
    if s.focus == Pane::Log {
        s.log.follow = !s.log.follow;
        if !s.log.follow {
            s.log.scroll = s.log.lines.len().saturating_sub(1);
        }
    }
    vec![]
}

pub(super) fn move_selection(s: &mut AppState, delta: isize) -> Effects {
    let page = s.table_height() as isize;
    let delta = match delta {
        isize::MIN => -(1 << 30),
        isize::MAX => 1 << 30,
        d if d.abs() == 1000 => d.signum() * page,
        d if d.abs() == 500 => d.signum() * (page / 2).max(1),
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
