//! The signals that end a headless command early: Ctrl-C (SIGINT), SIGTERM and a closed terminal
//! (SIGHUP). Catching them lets the command stop its jobs the way the TUI's quit does (partial
//! results kept, the job `stopped`) instead of leaving them `running` until the next start.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupt {
    Int,
    Term,
    Hup,
}

impl Interrupt {
    /// What a shell reports for a process this signal ended: 128 + the signal's number.
    pub fn exit_status(self) -> u8 {
        match self {
            Interrupt::Hup => 129,
            Interrupt::Int => 130,
            Interrupt::Term => 143,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Interrupt::Hup => "SIGHUP",
            Interrupt::Int => "SIGINT",
            Interrupt::Term => "SIGTERM",
        }
    }
}

/// Resolves at the first SIGINT or SIGTERM (and SIGHUP when `hangup`). From the first poll on,
/// these signals no longer kill the process: whoever awaits this decides what happens.
pub async fn interrupted(hangup: bool) -> Interrupt {
    let ctrl_c = async {
        match tokio::signal::ctrl_c().await {
            Ok(()) => Interrupt::Int,
            // No handler could be installed: the default (terminate) still applies.
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let on = |kind: SignalKind, wanted: bool, what: Interrupt| async move {
            match signal(kind) {
                Ok(mut s) if wanted => {
                    s.recv().await;
                    what
                }
                _ => std::future::pending().await,
            }
        };
        tokio::select! {
            i = ctrl_c => i,
            i = on(SignalKind::terminate(), true, Interrupt::Term) => i,
            i = on(SignalKind::hangup(), hangup, Interrupt::Hup) => i,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = hangup;
        ctrl_c.await
    }
}
