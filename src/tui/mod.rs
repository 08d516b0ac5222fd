//! The terminal UI. One direction of data: input, backend replies and stream events become
//! `Msg`s; `update` changes `AppState` and returns `Effect`s; the runner executes effects as
//! tasks that send `Msg`s back; `ui::draw` reads the state. See `app.rs` for the loop.

pub mod app;
pub mod config;
pub mod effect;
pub mod event;
pub mod export_view;
pub mod keymap;
pub mod layout;
pub mod message;
pub mod state;
pub mod theme;
pub mod tty;
pub mod ui;
pub mod update;

#[doc(hidden)]
pub mod fixtures;
#[cfg(test)]
mod tests;

use std::collections::VecDeque;
use std::sync::Arc;

use anyhow::Context;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::text::Span;

use crate::backend::{Backend, StreamItem};
use crate::model::{JobId, ThreadId, Timestamp};

pub use config::{KeysConfig, ThemeConfig, TuiConfig};
use effect::{Effect, Request, execute};
use keymap::Keymap;
use message::Msg;
use state::requests::Slot;
use state::{AppState, Pane};
use theme::Theme;

/// The screen a snapshot shows is a pane: `View` is the name the snapshot command knows it by.
pub use state::Pane as View;

#[derive(Debug, Clone)]
pub struct SnapshotOptions {
    pub width: u16,
    pub height: u16,
    pub view: Pane,
    pub thread: Option<ThreadId>,
    pub job: Option<JobId>,
}

fn build_state(
    backend: &dyn Backend,
    config: &TuiConfig,
    now: Timestamp,
) -> anyhow::Result<AppState> {
    let keymap = Keymap::from_config(&config.keys)
        .map_err(anyhow::Error::msg)
        .context("invalid [keys]")?;
    let theme = Theme::new(
        &config.theme,
        config.no_color || TuiConfig::no_color_from_env(),
    )
    .map_err(anyhow::Error::msg)
    .context("invalid [theme]")?;
    let mut state = AppState::new(backend.info(), keymap, theme, now);
    state.leads.columns = state::columns::from_config(&config.tui.columns)
        .map_err(anyhow::Error::msg)
        .context("invalid [tui]")?;
    state.config_file = config.config_file.clone();
    // A local engine answers the table's views in SQL: 100,000 leads need not be in memory.
    state.page_leads = backend.info().kind == crate::backend::BackendKind::Local;
    if let Some(dir) = &config.export_dir {
        state.export_dir = dir.clone();
    }
    Ok(state)
}

/// The app. The terminal is restored on every exit: quit, error, SIGTERM/SIGHUP (a message that
/// ends the loop) and panic (`ratatui::init` installs a hook that restores before reporting).
pub async fn run(backend: Arc<dyn Backend>, config: TuiConfig) -> anyhow::Result<()> {
    let mut state = build_state(backend.as_ref(), &config, Timestamp::now())?;
    if config.open_job.is_some() {
        state.focus = state::Pane::Leads;
    }
    run_state(backend, state, None).await
}

/// A file being opened: the first rows read straight from it, and the task storing it as a job.
pub struct Opening {
    pub file_name: String,
    pub preview: Vec<crate::model::Lead>,
    pub task: app::OpenTask,
}

/// [`run`] while a file is opened in the background: the first frame shows `preview` at once,
/// and the table switches to the stored job (paged from the store) when `task` finishes.
pub async fn run_opening(
    backend: Arc<dyn Backend>,
    config: TuiConfig,
    opening: Opening,
) -> anyhow::Result<()> {
    let mut state = build_state(backend.as_ref(), &config, Timestamp::now())?;
    state.focus = state::Pane::Leads;
    state.importing = Some(opening.file_name);
    state.leads.set(opening.preview, None);
    run_state(backend, state, Some(opening.task)).await
}

async fn run_state(
    backend: Arc<dyn Backend>,
    state: AppState,
    opening: Option<app::OpenTask>,
) -> anyhow::Result<()> {
    let mut terminal = ratatui::init();
    // Mouse reporting and bracketed paste are ours to undo: ratatui's restore does not know about it, so wrap its
    // panic hook to switch it off first.
    let _ =
        ratatui::crossterm::execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let ratatui_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::crossterm::execute!(
            std::io::stdout(),
            DisableMouseCapture,
            DisableBracketedPaste
        );
        ratatui_hook(info);
    }));
    let result = app::run_app(&mut terminal, backend, state, opening).await;
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste
    );
    // A terminal that went away cannot be restored: say nothing more to it (see `tty`).
    if ratatui::try_restore().is_err() || terminal.show_cursor().is_err() {
        tty::detach_dead_terminal();
    }
    result
}

/// Renders one frame as plain text: loads only what that frame shows, through the backend.
pub async fn snapshot(
    backend: Arc<dyn Backend>,
    config: TuiConfig,
    opts: SnapshotOptions,
) -> anyhow::Result<String> {
    let mut state = build_state(backend.as_ref(), &config, Timestamp::now())?;
    snapshot_with_state(backend.as_ref(), &mut state, &opts).await
}

/// Snapshot with a caller-made state (tests inject `now` and colours through it).
pub async fn snapshot_with_state(
    backend: &dyn Backend,
    state: &mut AppState,
    opts: &SnapshotOptions,
) -> anyhow::Result<String> {
    let (width, height) = (opts.width.max(1), opts.height.max(1));
    state.size = (width, height);
    state.focus = opts.view;
    // One page: what the first frame can show.
    state.lead_page_limit = Some(u32::from(height).clamp(1, 100));
    state.thread_page = u32::from(height).clamp(1, 100);

    let job = match &opts.job {
        Some(id) => Some(backend.get_job(id).await.map_err(anyhow::Error::new)?),
        None => None,
    };
    let target_thread = opts
        .thread
        .clone()
        .or_else(|| job.as_ref().map(|j| j.thread_id.clone()));

    let mut queue: VecDeque<Effect> = VecDeque::new();
    let tag = state.requests.issue(Slot::Threads);
    let threads = execute(
        backend,
        Request::ListThreads {
            q: None,
            limit: state.thread_page,
        },
    )
    .await;
    let mut threads = match threads {
        Ok(message::Reply::Threads(page)) => page,
        Ok(_) => anyhow::bail!("unexpected reply to a thread listing"),
        Err(e) => return Err(e.into()),
    };
    if let Some(id) = &target_thread
        && !threads.data.iter().any(|t| &t.id == id)
    {
        let t = backend.get_thread(id).await.map_err(anyhow::Error::new)?;
        threads.data.insert(0, t);
    }
    // Select the wanted thread before the reply lands, so the first-load selection picks it.
    let wanted = target_thread
        .as_ref()
        .and_then(|id| threads.data.iter().position(|t| &t.id == id))
        .unwrap_or(0);
    state.threads.selected = wanted;
    queue.extend(update::update(
        state,
        Msg::Reply {
            tag,
            result: Ok(Box::new(message::Reply::Threads(threads))),
        },
    ));
    if let Some(j) = job {
        // Show the requested job rather than the thread's latest.
        queue.retain(|e| {
            !matches!(
                e,
                Effect::Request {
                    request: Request::Job(_),
                    ..
                }
            )
        });
        let tag = state.requests.issue(Slot::Job);
        queue.extend(update::update(
            state,
            Msg::Reply {
                tag,
                result: Ok(Box::new(message::Reply::Job(j))),
            },
        ));
    }
    let tag = state.requests.issue(Slot::Usage);
    queue.push_back(Effect::Request {
        tag,
        request: Request::Usage,
    });

    drain(backend, state, queue).await?;
    // A snapshot never shows the spinner of requests it chose not to wait for.
    state.requests.pending = 0;
    render_text(state, width, height)
}

/// Runs a snapshot's effects to completion, without a live stream.
async fn drain(
    backend: &dyn Backend,
    state: &mut AppState,
    mut queue: VecDeque<Effect>,
) -> anyhow::Result<()> {
    // Bounded: each reply can only ask for the next layer (thread → job → plan/leads/events).
    let mut budget = 32;
    while let Some(effect) = queue.pop_front() {
        budget -= 1;
        if budget == 0 {
            break;
        }
        match effect {
            Effect::Request { tag, request } => {
                let result = execute(backend, request).await.map(Box::new);
                queue.extend(update::update(state, Msg::Reply { tag, result }));
            }
            // No live stream in a snapshot: replay what is stored so far.
            Effect::Subscribe(job) => {
                let events = backend
                    .job_events(&job, None)
                    .await
                    .map_err(anyhow::Error::new)?;
                for ev in events {
                    let msg = Msg::Stream {
                        job: job.clone(),
                        item: StreamItem::Event(ev),
                    };
                    queue.extend(update::update(state, msg));
                }
                state.log.conn = state::joblog::ConnState::Idle;
            }
            Effect::Unsubscribe | Effect::Copy(_) | Effect::OpenUrl(_) => {}
        }
    }
    Ok(())
}

/// Draws one frame of `state` into a `TestBackend` and returns it as text lines.
pub fn render_text(state: &AppState, width: u16, height: u16) -> anyhow::Result<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height))?;
    terminal.draw(|f| ui::draw(f, state))?;
    Ok(buffer_text(terminal.backend().buffer()))
}

/// A buffer as plain text: one line per row, trailing spaces trimmed, wide glyphs once.
pub fn buffer_text(buf: &Buffer) -> String {
    let width = usize::from(buf.area.width).max(1);
    let mut out = String::with_capacity(buf.content.len() + usize::from(buf.area.height));
    for row in buf.content.chunks(width) {
        let mut line = String::with_capacity(width);
        let mut skip = 0usize;
        for cell in row {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = cell.symbol();
            line.push_str(sym);
            skip = Span::raw(sym).width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
