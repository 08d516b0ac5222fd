//! The loop: drain queued messages in batches, update, run effects, redraw only when something
//! visible changed. Many stream events arriving together become one frame.

use std::io::Write;
use std::sync::Arc;

use ratatui::DefaultTerminal;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use tokio::sync::mpsc::unbounded_channel;
use tokio_util::sync::CancellationToken;

use super::effect::Runner;
use super::state::AppState;
use super::{event, ui, update};
use crate::backend::Backend;

/// Messages handled per batch before a frame is drawn.
const BATCH: usize = 1024;

/// A file being opened while the app runs: its job arrives as [`super::message::Msg::Opened`].
pub type OpenTask = futures::future::BoxFuture<'static, crate::model::Result<crate::model::Job>>;

pub async fn run_app(
    terminal: &mut DefaultTerminal,
    backend: Arc<dyn Backend>,
    mut state: AppState,
    opening: Option<OpenTask>,
) -> anyhow::Result<()> {
    let (tx, mut rx) = unbounded_channel();
    if let Some(task) = opening {
        let tx = tx.clone();
        tokio::spawn(async move {
            let result = task.await;
            // The app may have quit; a closed channel is fine.
            let _ = tx.send(super::message::Msg::Opened(result));
        });
    }
    let cancel = CancellationToken::new();
    let input = event::spawn_input(tx.clone(), cancel.clone());
    let _watch = super::tty::TtyWatch::spawn(tx.clone());
    let mut runner = Runner::new(backend, tx);
    if let Ok(size) = terminal.size() {
        state.size = (size.width, size.height);
    }
    for e in update::init(&mut state) {
        runner.run(e);
    }
    let mut batch = Vec::with_capacity(BATCH);
    let mut dirty = true;
    let result = loop {
        if dirty {
            if let Err(e) = draw(terminal, &state) {
                // A terminal that went away ends the session as a hangup does.
                break if super::tty::is_gone() {
                    Ok(())
                } else {
                    Err(e)
                };
            }
            dirty = false;
        }
        if rx.recv_many(&mut batch, BATCH).await == 0 {
            break Ok(());
        }
        for msg in batch.drain(..) {
            dirty |= update::needs_redraw(&state, &msg);
            for effect in update::update(&mut state, msg) {
                runner.run(effect);
            }
        }
        if state.quit {
            break Ok(());
        }
    };
    cancel.cancel();
    drop(runner); // aborts the stream task
    // Bounded: on a terminal that went away, crossterm's reader can hold the input task inside
    // a poll that never returns (see `tty::TtyWatch`); that task is then left to the runtime.
    let _ = tokio::time::timeout(std::time::Duration::from_millis(500), input).await;
    result
}

fn draw(terminal: &mut DefaultTerminal, state: &AppState) -> anyhow::Result<()> {
    // Synchronized update: terminals that support it show the frame at once, without tearing.
    let mut out = std::io::stdout();
    let _ = ratatui::crossterm::queue!(out, BeginSynchronizedUpdate);
    terminal.draw(|f| ui::draw(f, state))?;
    let _ = ratatui::crossterm::queue!(out, EndSynchronizedUpdate);
    let _ = out.flush();
    Ok(())
}
