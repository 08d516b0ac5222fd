//! `update(state, msg) -> effects`: the only place state changes. Pure apart from the state it is
//! given: no I/O, no clock, no awaiting; tests drive it message by message.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use crate::backend::StreamItem;
use crate::model::requests::{ExportFormat, PostedMessage};
use crate::model::{Error, ErrorCode, EventKind, Job, JobId, JobStatus, ThreadId};

use super::effect::{Effect, Request, is_web_url};
use super::keymap::Action;
use super::message::{Msg, Reply};
use super::state::input::{InputOutcome, LineInput};
use super::state::joblog::ConnState;
use super::state::leads::{Column, MIN_CONFIDENCE_STEPS, cell, detail_paths};
use super::state::overlay::{Confirm, Confirmed, Overlay, PaletteState, Prompt, PromptPurpose};
use super::state::requests::Slot;
use super::state::toast::Level;
use super::state::{AppState, Pane};

type Effects = Vec<Effect>;

fn request(s: &mut AppState, slot: Slot, request: Request) -> Effect {
    Effect::Request {
        tag: s.requests.issue(slot),
        request,
    }
}

fn toast(s: &mut AppState, level: Level, text: impl Into<String>) {
    let tick = s.tick;
    s.toasts.push(level, text, tick);
}

fn toast_error(s: &mut AppState, e: &Error) {
    let mut text = format!("{}: {}", e.code, e.message);
    if let Some(id) = &e.request_id {
        text.push_str(&format!(" (request {id})"));
    }
    toast(s, Level::Error, text);
}

/// The first requests of a session.
pub fn init(s: &mut AppState) -> Effects {
    vec![list_threads(s), request(s, Slot::Usage, Request::Usage)]
}

fn list_threads(s: &mut AppState) -> Effect {
    let q = Some(s.threads.filter.text.trim().to_string()).filter(|q| !q.is_empty());
    let limit = s.thread_page;
    request(s, Slot::Threads, Request::ListThreads { q, limit })
}

pub fn update(s: &mut AppState, msg: Msg) -> Effects {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat => {
            on_key(s, key)
        }
        Msg::Key(_) => vec![],
        Msg::Mouse(m) => on_mouse(s, m),
        Msg::Resize { width, height } => {
            s.size = (width, height);
            s.leads.scroll_into_view(s.table_height());
            vec![]
        }
        Msg::Tick(now) => {
            s.now = now;
            s.tick += 1;
            s.toasts.expire(s.tick);
            vec![]
        }
        Msg::Reply { tag, result } => {
            if !s.requests.accept(tag) {
                return vec![];
            }
            match result {
                Ok(reply) => on_reply(s, *reply),
                Err(e) => {
                    if tag.slot == Slot::Action && s.chat.sending {
                        s.chat.restore_in_flight();
                    }
                    toast_error(s, &e);
                    vec![]
                }
            }
        }
        Msg::Stream { job, item } => on_stream(s, job, item),
        Msg::StreamFailed { job, error } => {
            if current_job_id(s) == Some(&job) {
                s.log.conn = ConnState::Idle;
                toast_error(s, &error);
            }
            vec![]
        }
        Msg::StreamEnded { job } => {
            if current_job_id(s) == Some(&job) {
                s.log.conn = ConnState::Idle;
            }
            vec![]
        }
        Msg::Terminate => {
            s.quit = true;
            vec![]
        }
    }
}

/// Whether a message can change what is on screen (ticks only when something animates).
pub fn needs_redraw(s: &AppState, msg: &Msg) -> bool {
    match msg {
        // Every 5 s regardless, so relative times ("2m ago") stay true on an idle screen.
        Msg::Tick(_) => {
            s.requests.pending > 0
                || !s.toasts.items.is_empty()
                || s.log.is_running()
                || s.tick.is_multiple_of(20)
        }
        _ => true,
    }
}

fn current_job_id(s: &AppState) -> Option<&JobId> {
    s.log.job.as_ref().map(|j| &j.id)
}

// ---------------------------------------------------------------- replies

fn on_reply(s: &mut AppState, reply: Reply) -> Effects {
    match reply {
        Reply::Threads(page) => {
            let first_load = !s.threads.loaded;
            let keep = s.chat.thread.clone();
            s.threads.set(page.data, page.has_more, keep.as_ref());
            if first_load && s.chat.thread.is_none() && !s.chat.input_focused {
                return select_thread(s);
            }
            vec![]
        }
        Reply::Messages { thread, page } => {
            if s.chat.thread.as_ref() == Some(&thread) {
                s.chat.set_messages(page.data);
            }
            vec![]
        }
        Reply::Job(job) => {
            if s.chat.thread.as_ref() != Some(&job.thread_id) {
                return vec![];
            }
            load_job(s, job)
        }
        Reply::Plan(plan) => {
            if current_job_id(s) == Some(&plan.job_id)
                || s.chat.thread.as_ref() == Some(&plan.thread_id)
            {
                s.plan.set(plan);
            }
            vec![]
        }
        Reply::Leads { job, leads, total } => {
            if s.leads.job.as_ref() == Some(&job) {
                s.leads.set(leads, total);
            }
            vec![]
        }
        Reply::Events { job, events } => {
            if current_job_id(s) == Some(&job) {
                s.log.reset_events();
                for ev in &events {
                    // Leads of a finished job come from the leads request, not from replayed events.
                    let _ = s.log.apply(ev);
                }
                if let Some(j) = s.log.job.clone() {
                    s.log.set_job(j);
                }
                s.log.events_loaded = true;
            }
            vec![]
        }
        Reply::Usage(u) => {
            s.usage = Some(u);
            vec![]
        }
        Reply::Posted { thread, result } => {
            s.chat.sending = false;
            s.chat.thread = Some(thread.clone());
            match result {
                Ok(pm) => {
                    s.chat.in_flight = None;
                    planned(s, pm, "Plan drafted")
                }
                Err(e) => {
                    if e.code != ErrorCode::PlanRejected {
                        s.chat.restore_in_flight();
                    }
                    s.chat.in_flight = None;
                    if e.code == ErrorCode::PlanRejected {
                        // The thread now holds the assistant's explanation: show it.
                        toast(s, Level::Warn, format!("{}: {}", e.code, e.message));
                        s.focus = Pane::Chat;
                    } else {
                        toast_error(s, &e);
                    }
                    vec![
                        request(s, Slot::Messages, Request::Messages(thread)),
                        list_threads(s),
                    ]
                }
            }
        }
        Reply::Replanned(pm) => planned(s, pm, "Replanned"),
        Reply::Approved(job) => {
            let id = job.id.clone();
            s.log.set_job(job);
            s.log.reset_events();
            s.log.conn = ConnState::Live;
            s.leads.reset(Some(id.clone()));
            s.leads.loaded = true;
            s.focus = Pane::Log;
            toast(s, Level::Info, "Approved: the job is running");
            vec![Effect::Subscribe(id), list_threads(s)]
        }
        Reply::Stopped(job) => {
            let thread = job.thread_id.clone();
            let status = job.status;
            if current_job_id(s) == Some(&job.id) {
                s.log.set_job(job);
            }
            toast(s, Level::Info, format!("Job {}", status.as_str()));
            vec![
                request(s, Slot::Messages, Request::Messages(thread)),
                list_threads(s),
                request(s, Slot::Usage, Request::Usage),
            ]
        }
        Reply::Renamed(_) => vec![list_threads(s)],
        Reply::Deleted(id) => {
            if s.chat.thread.as_ref() == Some(&id) {
                clear_thread(s, None);
            }
            toast(s, Level::Info, "Thread deleted");
            vec![Effect::Unsubscribe, list_threads(s)]
        }
        Reply::Exported { path, bytes } => {
            toast(s, Level::Info, format!("Exported {bytes} bytes to {path}"));
            vec![]
        }
    }
}

fn planned(s: &mut AppState, pm: PostedMessage, what: &str) -> Effects {
    let thread = pm.plan.thread_id.clone();
    s.chat.thread = Some(thread.clone());
    let job_id = pm.job.id.clone();
    s.plan.set(pm.plan);
    s.log = Default::default();
    s.log.set_job(pm.job);
    s.leads.reset(Some(job_id));
    s.leads.loaded = true;
    s.focus = Pane::Plan;
    let approve = s.keymap.short_label(Action::Approve);
    let replan = s.keymap.short_label(Action::Replan);
    toast(
        s,
        Level::Info,
        format!("{what}: {approve} approve · {replan} replan"),
    );
    vec![
        Effect::Unsubscribe,
        request(s, Slot::Messages, Request::Messages(thread)),
        list_threads(s),
    ]
}

fn clear_thread(s: &mut AppState, thread: Option<ThreadId>) {
    s.chat.thread = thread;
    s.chat.messages.clear();
    s.chat.loaded = false;
    s.chat.scroll = 0;
    s.plan = Default::default();
    s.log = Default::default();
    s.leads.reset(None);
}

/// Shows the selected thread: its messages, then its latest job (and that job's plan and leads).
fn select_thread(s: &mut AppState) -> Effects {
    let Some(t) = s.threads.current().cloned() else {
        return vec![];
    };
    if s.chat.thread.as_ref() == Some(&t.id) {
        return vec![];
    }
    clear_thread(s, Some(t.id.clone()));
    let mut fx = vec![
        Effect::Unsubscribe,
        request(s, Slot::Messages, Request::Messages(t.id)),
    ];
    match t.last_job_id {
        Some(job) => fx.push(request(s, Slot::Job, Request::Job(job))),
        None => {
            for slot in [Slot::Job, Slot::Plan, Slot::Leads, Slot::Events] {
                s.requests.cancel(slot);
            }
        }
    }
    fx
}

fn load_job(s: &mut AppState, job: Job) -> Effects {
    let id = job.id.clone();
    let is_new = current_job_id(s) != Some(&id);
    let mut fx = vec![];
    if s.plan.plan.as_ref().map(|p| &p.id) != Some(&job.plan_id) {
        fx.push(request(s, Slot::Plan, Request::Plan(job.plan_id.clone())));
    }
    let status = job.status;
    s.log.set_job(job);
    match status {
        JobStatus::Running => {
            s.log.reset_events();
            s.log.conn = ConnState::Live;
            s.leads.reset(Some(id.clone()));
            s.leads.loaded = true;
            fx.push(Effect::Subscribe(id));
        }
        JobStatus::Pending => {
            s.leads.reset(Some(id));
            s.leads.loaded = true;
        }
        _ => {
            if is_new || !s.log.events_loaded {
                // The snapshot's first frame only needs the log when it shows the log.
                if s.lead_page_limit.is_none() || s.focus == Pane::Log {
                    fx.push(request(s, Slot::Events, Request::Events(id.clone())));
                }
            }
            if is_new || !s.leads.loaded {
                s.leads.reset(Some(id.clone()));
                let limit = s.lead_page_limit;
                fx.push(request(s, Slot::Leads, Request::Leads { job: id, limit }));
            }
        }
    }
    fx
}

// ---------------------------------------------------------------- stream

fn on_stream(s: &mut AppState, job: JobId, item: StreamItem) -> Effects {
    if current_job_id(s) != Some(&job) {
        return vec![];
    }
    match item {
        StreamItem::Reconnecting { attempt, reason } => {
            s.log.conn = ConnState::Reconnecting { attempt };
            toast(
                s,
                Level::Warn,
                format!("Reconnecting (attempt {attempt}): {reason}"),
            );
            vec![]
        }
        StreamItem::Connected => {
            s.log.conn = ConnState::Live;
            vec![]
        }
        StreamItem::Event(ev) => {
            let kind = ev.kind;
            let applied = s.log.apply(&ev);
            if !applied.new_leads.is_empty() && s.leads.job.as_ref() == Some(&job) {
                s.leads.append(applied.new_leads);
            }
            if !applied.finished {
                return vec![];
            }
            if let Some((code, message)) = &applied.error {
                toast(s, Level::Error, format!("Job failed: {code}: {message}"));
            } else if kind == EventKind::Done {
                let status = s
                    .log
                    .job
                    .as_ref()
                    .map(|j| j.status.as_str())
                    .unwrap_or("done");
                let rows = s.log.rows_captured;
                toast(s, Level::Info, format!("Job {status}: {rows} rows"));
            }
            let thread = s.log.job.as_ref().map(|j| j.thread_id.clone());
            let mut fx = vec![list_threads(s), request(s, Slot::Usage, Request::Usage)];
            if let Some(t) = thread {
                fx.push(request(s, Slot::Messages, Request::Messages(t)));
            }
            // The stream may have been joined late or lost a malformed lead: reload if short.
            if (s.leads.leads.len() as u64) < s.log.rows_captured {
                fx.push(request(
                    s,
                    Slot::Leads,
                    Request::Leads {
                        job,
                        limit: s.lead_page_limit,
                    },
                ));
            }
            fx
        }
    }
}

// ---------------------------------------------------------------- keys

fn on_key(s: &mut AppState, key: KeyEvent) -> Effects {
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
        Overlay::Push => vec![],
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
    }
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

fn move_selection(s: &mut AppState, delta: isize) -> Effects {
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
                    s.leads.detail = Some(super::state::leads::DetailState {
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
            if s.log.job.is_some() {
                s.overlay = Some(Overlay::Push);
            } else {
                toast(s, Level::Warn, "No job with leads to push");
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

fn focus(s: &mut AppState, pane: Pane) -> Effects {
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

// ---------------------------------------------------------------- mouse

/// Click to focus and select, wheel to scroll. Hit-testing uses the same layout as drawing.
fn on_mouse(s: &mut AppState, m: MouseEvent) -> Effects {
    if s.overlay.is_some() || s.chat.input_focused && !matches!(m.kind, MouseEventKind::Down(_)) {
        return vec![];
    }
    let Some(a) = super::ui::areas(Rect::new(0, 0, s.size.0, s.size.1)) else {
        return vec![];
    };
    let at = Position::new(m.column, m.row);
    let pane_at = if a.threads.contains(at) {
        Some(Pane::Threads)
    } else if a.content.contains(at) {
        Some(super::ui::shown_pane(s))
    } else {
        None
    };
    match m.kind {
        MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
            let Some(p) = pane_at else { return vec![] };
            s.focus = p;
            let step = if p == Pane::Threads || p == Pane::Leads {
                1
            } else {
                3
            };
            move_selection(
                s,
                if m.kind == MouseEventKind::ScrollUp {
                    -step
                } else {
                    step
                },
            )
        }
        MouseEventKind::Down(MouseButton::Left) => {
            s.chat.input_focused = false;
            if a.tabs.contains(at) {
                return match super::ui::tab_at(a.tabs, m.column) {
                    Some(p) => focus(s, p),
                    None => vec![],
                };
            }
            match pane_at {
                Some(Pane::Threads) => {
                    s.focus = Pane::Threads;
                    // Inside the border (and the filter line when shown); the list keeps the
                    // selection on screen by scrolling just enough, as ratatui's List does.
                    let filter =
                        u16::from(s.threads.filter.active || !s.threads.filter.text.is_empty());
                    let top = a.threads.y + 1 + filter;
                    let h = usize::from(a.threads.height.saturating_sub(2 + filter)).max(1);
                    let offset = s.threads.selected.saturating_sub(h - 1);
                    if m.row >= top {
                        let i = offset + usize::from(m.row - top);
                        if i < s.threads.items.len() && i != s.threads.selected {
                            s.threads.selected = i;
                            return select_thread(s);
                        }
                    }
                    vec![]
                }
                Some(Pane::Leads) if s.leads.detail.is_none() => {
                    s.focus = Pane::Leads;
                    // Border, filter line and header sit above the first row.
                    let top = a.content.y + 3;
                    if m.row >= top && !s.leads.view.is_empty() {
                        let i = s.leads.offset + usize::from(m.row - top);
                        if i < s.leads.view.len() {
                            s.leads.selected = i;
                        }
                    }
                    vec![]
                }
                Some(Pane::Chat) => {
                    s.focus = Pane::Chat;
                    // The message box is the bottom of the chat pane.
                    let input_h = s.chat.input.lines().len().clamp(1, 6) as u16 + 2;
                    if m.row >= a.content.y + a.content.height.saturating_sub(input_h) {
                        s.chat.input_focused = true;
                    }
                    vec![]
                }
                Some(p) => focus(s, p),
                None => vec![],
            }
        }
        _ => vec![],
    }
}
