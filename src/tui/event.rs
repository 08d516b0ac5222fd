//! The input task: one `select!` over crossterm's event stream, a tick, termination signals and
//! cancellation. Forwards key presses (not releases) and resizes as `Msg`s.

use std::time::Duration;

use futures::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::message::Msg;
use crate::model::Timestamp;

/// Spinner frames, toast expiry and relative times advance on this.
pub const TICK: Duration = Duration::from_millis(250);

pub fn spawn_input(tx: UnboundedSender<Msg>, cancel: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        let terminate = termination();
        tokio::pin!(terminate);
        loop {
            let msg = tokio::select! {
                _ = cancel.cancelled() => break,
                _ = &mut terminate => Msg::Terminate,
                _ = tick.tick() => Msg::Tick(Timestamp::now()),
                ev = events.next() => match ev {
                    Some(Ok(Event::Key(k))) if k.kind != KeyEventKind::Release => Msg::Key(k),
                    Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                    Some(Ok(Event::Mouse(m))) => Msg::Mouse(m),
                    Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                    Some(Ok(_)) => continue,
                    // The terminal went away: leave rather than spin.
                    Some(Err(_)) | None => Msg::Terminate,
                },
            };
            let stop = matches!(msg, Msg::Terminate);
            if tx.send(msg).is_err() || stop {
                break;
            }
        }
    })
}

/// Resolves on SIGTERM or SIGHUP (the terminal closing), so the app can restore the terminal.
async fn termination() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            (Ok(mut term), Ok(mut hup)) => {
                tokio::select! {
                    _ = term.recv() => {},
                    _ = hup.recv() => {},
                }
            }
            _ => std::future::pending::<()>().await,
        }
    }
    #[cfg(not(unix))]
    std::future::pending::<()>().await
}
