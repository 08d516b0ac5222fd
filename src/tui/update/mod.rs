//! `update(state, msg) -> effects`: the only place state changes. Pure apart from the state it is
//! given: no I/O, no clock, no awaiting; tests drive it message by message.

mod actions;
mod keys;
mod leads_actions;
mod mapping;
mod mouse;
mod overlay_keys;

pub use actions::dispatch;
use actions::{focus, move_selection};
use keys::on_key;
pub use keys::palette_matches;
use mouse::on_mouse;
use overlay_keys::on_overlay_key;

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use crate::backend::{BackendKind, StreamItem};
use crate::model::push::{
    EnrichProvider, EnrichRequest, EnrichResult, IntegrationStatus, PushMode, PushProvider,
    PushResult,
};
use crate::model::requests::PostedMessage;
use crate::model::{
    Error, ErrorCode, Event, EventKind, Job, JobId, JobStatus, Lead, Message, Page, Plan, Thread,
    ThreadId, Usage,
};

use super::effect::{Effect, Request, is_web_url};
use super::export_view::{CopyFormat, format_of, row_table, view_table};
use super::keymap::Action;
use super::message::{Msg, Reply};
use super::state::columns::{MAX_WIDTH, MIN_WIDTH};
use super::state::connection::{Connection, host_of, is_connection_error};
use super::state::input::{InputOutcome, LineInput};
use super::state::joblog::ConnState;
use super::state::leads::{Column, MIN_CONFIDENCE_STEPS, cell, detail_paths};
use super::state::overlay::{
    ColumnPicker, Confirm, Confirmed, ExportDialog, Overlay, PaletteState, Prompt, PromptPurpose,
    PushFlow, PushStage,
};
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
    let mut fx = update_msg(s, msg);
    fx.extend(paging(s));
    fx
}

/// In paged mode, after any change: ask for the view when the filter or sort changed, and for
/// the leads the screen needs that are not here yet.
fn paging(s: &mut AppState) -> Effects {
    let Some(job) = s.leads.job.clone().filter(|_| s.leads.paged) else {
        return vec![];
    };
    let mut fx = vec![];
    if let Some(spec) = s.leads.take_view_request() {
        fx.push(request(
            s,
            Slot::LeadView,
            Request::LeadView {
                job: job.clone(),
                spec,
            },
        ));
    }
    if !s.leads.view_pending {
        let ordinals = s.leads.wanted(s.table_height(), s.now);
        if !ordinals.is_empty() {
            fx.push(request(
                s,
                Slot::LeadPage,
                Request::LeadsAt { job, ordinals },
            ));
        }
    }
    fx
}

fn update_msg(s: &mut AppState, msg: Msg) -> Effects {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Press || key.kind == KeyEventKind::Repeat => {
            on_key(s, key)
        }
        Msg::Key(_) => vec![],
        Msg::Mouse(m) => on_mouse(s, m),
        Msg::Paste(text) => keys::on_paste(s, &text),
        Msg::Resize { width, height } => {
            s.size = (width, height);
            s.leads.scroll_into_view(s.table_height());
            s.leads.col_offset = s.table_layout().first;
            vec![]
        }
        Msg::Tick(now) => {
            s.now = now;
            s.tick += 1;
            s.toasts.expire(s.tick);
            if s.connection.retry_due(now) {
                return init(s);
            }
            vec![]
        }
        Msg::Reply { tag, result } => {
            if !s.requests.accept(tag) {
                return vec![];
            }
            match result {
                Ok(reply) => {
                    connected(s);
                    on_reply(s, *reply)
                }
                Err(e) => on_error(s, tag.slot, &e),
            }
        }
        Msg::IntegrationProgress(p) => {
            if let Some(Overlay::Push(flow)) = s.overlay.as_mut()
                && matches!(flow.stage, PushStage::Pushing(_))
            {
                flow.stage = PushStage::Pushing(p);
            }
            vec![]
        }
        Msg::Stream { job, item } => on_stream(s, job, item),
        Msg::StreamFailed { job, error } => {
            if lost_connection(s, &error) {
                s.connection.failed(&error, s.now);
            }
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
        Msg::Opened(result) => opened(s, result),
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
                || s.importing.is_some()
                || !s.toasts.items.is_empty()
                || s.connection.is_down()
                || s.log.is_running()
                || s.tick.is_multiple_of(20)
        }
        _ => true,
    }
}

/// A remote server that cannot be used at all (down, or refusing the key): the disconnected
/// state says so persistently, so it is not toasted on every retry.
fn lost_connection(s: &AppState, e: &Error) -> bool {
    s.backend.kind == BackendKind::Remote && is_connection_error(e)
}

fn connected(s: &mut AppState) {
    if s.connection.is_down() {
        let host = host_of(&s.backend.location);
        toast(s, Level::Info, format!("Connected to {host}"));
    }
    s.connection = Connection::Up;
}

fn on_error(s: &mut AppState, slot: Slot, e: &Error) -> Effects {
    let lost = lost_connection(s, e);
    if lost {
        s.connection.failed(e, s.now);
    }
    if slot == Slot::Push {
        match s.overlay.as_mut() {
            Some(Overlay::Push(flow)) => {
                flow.stage = PushStage::Failed(format!("{}: {}", e.code, e.message))
            }
            _ => toast_error(s, e),
        }
        return vec![];
    }
    if slot == Slot::Import {
        s.importing = None;
    }
    if slot == Slot::Action && s.chat.sending {
        s.chat.restore_in_flight();
    }
    if !lost {
        toast_error(s, e);
    }
    vec![]
}

fn current_job_id(s: &AppState) -> Option<&JobId> {
    s.log.job.as_ref().map(|j| &j.id)
}

// ---------------------------------------------------------------- replies

fn on_reply(s: &mut AppState, reply: Reply) -> Effects {
    match reply {
        Reply::Threads(page) => threads_listed(s, page),
        Reply::Messages { thread, page } => messages_loaded(s, &thread, page.data),
        Reply::Job(job) => job_loaded(s, job),
        Reply::Plan(plan) => plan_loaded(s, plan),
        Reply::Leads { job, leads, total } => leads_loaded(s, &job, leads, total),
        Reply::Events { job, events } => events_loaded(s, &job, &events),
        Reply::FileMapping { path, summary, map } => {
            let dialog = super::state::mapping::MappingDialog::new(path, summary, &map);
            s.overlay = Some(Overlay::Mapping(dialog));
            vec![]
        }
        Reply::OpenedFile(job) => opened(s, Ok(job)),
        Reply::LeadView { job, view } => {
            if s.leads.paged && s.leads.job.as_ref() == Some(&job) {
                s.leads.set_view(view);
                s.leads.scroll_into_view(s.table_height());
            }
            vec![]
        }
        Reply::LeadsAt { job, leads } => {
            if s.leads.paged && s.leads.job.as_ref() == Some(&job) {
                let h = s.table_height();
                s.leads.fill(leads, h);
            }
            vec![]
        }
        Reply::LeadsAtFailed { job, asked, error } => {
            if s.leads.job.as_ref() == Some(&job) {
                // Said once per run of failures; the retries back off quietly.
                if s.leads.unfetch(&asked, s.now) == 1 {
                    toast_error(s, &error);
                }
            }
            vec![]
        }
        Reply::Usage(u) => usage_loaded(s, u),
        Reply::Posted { thread, result } => posted(s, thread, result),
        Reply::Replanned(pm) => planned(s, pm, "Replanned"),
        Reply::Approved(job) => approved(s, job),
        Reply::Stopped(job) => stopped(s, job),
        Reply::Renamed(_) => vec![list_threads(s)],
        Reply::Deleted(id) => deleted(s, &id),
        Reply::Exported { path, rows } => exported(s, &path, rows),
        Reply::ExportExists { path } => export_exists(s, &path),
        Reply::ColumnsSaved { path } => {
            toast(s, Level::Info, format!("Columns saved to {path}"));
            vec![]
        }
        Reply::Pushed(result) => pushed(s, result),
        Reply::Integrations(list) => integrations_listed(s, list),
        Reply::Enriched(result) => enriched(s, &result),
    }
}

fn threads_listed(s: &mut AppState, page: Page<Thread>) -> Effects {
    let first_load = !s.threads.loaded;
    let keep = s.chat.thread.clone();
    s.threads.set(page.data, page.has_more, keep.as_ref());
    // While a file opens, the table shows its first rows: nothing else is selected for it.
    if first_load && s.chat.thread.is_none() && !s.chat.input_focused && s.importing.is_none() {
        return select_thread(s);
    }
    // A filter that hides the open thread: show the selected match instead, so the chat pane
    // and `d` are about the thread the list shows as selected.
    let filtering = !s.threads.filter.text.trim().is_empty();
    let hidden = keep.is_some_and(|k| !s.threads.items.iter().any(|t| t.id == k));
    if filtering && hidden && !s.chat.input_focused {
        return select_thread(s);
    }
    vec![]
}

fn messages_loaded(s: &mut AppState, thread: &ThreadId, messages: Vec<Message>) -> Effects {
    if s.chat.thread.as_ref() == Some(thread) {
        s.chat.set_messages(messages);
    }
    vec![]
}

/// The file opened in the background is a job now: show it, paged from the store.
fn opened(s: &mut AppState, result: Result<Job, Error>) -> Effects {
    let file = s.importing.take().unwrap_or_default();
    let job = match result {
        Ok(job) => job,
        Err(e) => {
            s.leads.reset(None);
            toast(
                s,
                Level::Error,
                format!("{file} was not opened: {}: {}", e.code, e.message),
            );
            return vec![];
        }
    };
    toast(
        s,
        Level::Info,
        format!("Opened {file}: {} leads", ui_thousands(job.rows_captured)),
    );
    let thread = job.thread_id.clone();
    clear_thread(s, Some(thread.clone()));
    let mut fx = vec![
        request(s, Slot::Messages, Request::Messages(thread)),
        list_threads(s),
    ];
    fx.extend(load_job(s, job));
    fx
}

fn ui_thousands(n: u64) -> String {
    super::ui::thousands(n)
}

fn job_loaded(s: &mut AppState, job: Job) -> Effects {
    if s.chat.thread.as_ref() != Some(&job.thread_id) {
        return vec![];
    }
    load_job(s, job)
}

fn plan_loaded(s: &mut AppState, plan: Plan) -> Effects {
    if current_job_id(s) == Some(&plan.job_id) || s.chat.thread.as_ref() == Some(&plan.thread_id) {
        s.plan.set(plan);
    }
    vec![]
}

fn leads_loaded(s: &mut AppState, job: &JobId, leads: Vec<Lead>, total: Option<u64>) -> Effects {
    if s.leads.job.as_ref() == Some(job) {
        s.leads.set(leads, total);
    }
    vec![]
}

fn events_loaded(s: &mut AppState, job: &JobId, events: &[Event]) -> Effects {
    if current_job_id(s) == Some(job) {
        s.log.reset_events();
        for ev in events {
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

fn usage_loaded(s: &mut AppState, usage: Usage) -> Effects {
    s.usage = Some(usage);
    vec![]
}

fn posted(s: &mut AppState, thread: ThreadId, result: Result<PostedMessage, Error>) -> Effects {
    s.chat.sending = false;
    s.chat.thread = Some(thread.clone());
    let e = match result {
        Ok(pm) => {
            s.chat.in_flight = None;
            return planned(s, pm, "Plan drafted");
        }
        Err(e) => e,
    };
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

fn approved(s: &mut AppState, job: Job) -> Effects {
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

fn stopped(s: &mut AppState, job: Job) -> Effects {
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

fn deleted(s: &mut AppState, id: &ThreadId) -> Effects {
    if s.chat.thread.as_ref() == Some(id) {
        clear_thread(s, None);
    }
    toast(s, Level::Info, "Thread deleted");
    vec![Effect::Unsubscribe, list_threads(s)]
}

fn exported(s: &mut AppState, path: &str, rows: usize) -> Effects {
    s.leads.export_pending = None;
    toast(
        s,
        Level::Info,
        format!(
            "Wrote {} rows to {path}",
            crate::tui::ui::thousands(rows as u64)
        ),
    );
    vec![]
}

/// The file is there: the dialog comes back asking whether to replace it.
fn export_exists(s: &mut AppState, path: &str) -> Effects {
    match s.leads.export_pending.take() {
        Some(mut d) if s.overlay.is_none() => {
            d.overwrite = true;
            d.error = Some(format!(
                "{path} exists: Enter replaces it, or edit the path"
            ));
            s.overlay = Some(Overlay::Export(d));
        }
        _ => toast(s, Level::Warn, format!("Not exported: {path} exists")),
    }
    vec![]
}

fn pushed(s: &mut AppState, result: PushResult) -> Effects {
    if let Some(Overlay::Push(flow)) = s.overlay.as_mut()
        && flow.job == result.job_id
    {
        flow.stage = if result.dry_run {
            PushStage::Preview(Box::new(result))
        } else {
            PushStage::Done(Box::new(result))
        };
    } else if !result.dry_run {
        let level = if result.errors.is_empty() {
            Level::Info
        } else {
            Level::Warn
        };
        toast(
            s,
            level,
            format!(
                "Pushed to {}: {} created, {} updated, {} skipped, {} errors",
                result.provider,
                result.created,
                result.updated,
                result.skipped,
                result.errors.len()
            ),
        );
    }
    vec![]
}

fn integrations_listed(s: &mut AppState, list: Vec<IntegrationStatus>) -> Effects {
    if let Some(Overlay::Push(flow)) = s.overlay.as_mut() {
        flow.status = Some(list);
    }
    vec![]
}

fn enriched(s: &mut AppState, result: &EnrichResult) -> Effects {
    toast(
        s,
        Level::Info,
        format!(
            "Enriched {} leads: {} emails verified ({} invalid), {} found, {} companies scored",
            result.leads_updated,
            result.emails_verified,
            result.emails_invalid,
            result.emails_found,
            result.companies_qualified
        ),
    );
    // Fields and confidences changed in the store: reload the table.
    let job = result.job_id.clone();
    if s.leads.paged && s.leads.job.as_ref() == Some(&job) {
        s.leads.cache.clear();
        s.leads.fetching.clear();
        s.leads.rebuild();
        vec![]
    } else if s.leads.job.as_ref() == Some(&job) {
        let limit = s.lead_page_limit;
        vec![request(s, Slot::Leads, Request::Leads { job, limit })]
    } else {
        vec![]
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
                // A finished local job pages from the store; a remote one (whose API has no
                // view) and a snapshot's first page load into memory.
                if s.lead_page_limit.is_none() && s.page_leads {
                    s.leads.start_paged();
                    return fx;
                }
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
            if applied.error.is_some() {
                // An error event carries no final figures: the job's own credits and end time
                // come from the server.
                fx.push(request(s, Slot::Job, Request::Job(job.clone())));
            }
            if let Some(t) = thread {
                fx.push(request(s, Slot::Messages, Request::Messages(t)));
            }
            // The stream may have been joined late or lost a malformed lead: reload if short.
            if s.leads.count() < s.log.rows_captured {
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
