//! A TUI whose terminal goes away ends instead of lingering. crossterm's reader retries a dead
//! terminal forever (crossterm-rs/crossterm#793): before `tui::event::TtyWatch`, a TUI whose
//! terminal vanished without a SIGHUP reaching it spun on a core, ignored SIGTERM and never
//! exited, or ended only when a later redraw failed (exit status 1, after seconds of spinning).
//! Both ways a terminal can vanish are driven here on a real pty; each must end the session
//! cleanly (status 0), as a hangup handled on purpose does.

use std::process::Command;
use std::time::Duration;

use crate::common::pty::{self, Session};

const BIN: &str = env!("CARGO_BIN_EXE_leadline");

/// Starts the TUI on a fresh data dir in a pty, waits for its first frame, closes the terminal
/// and returns how the process ended (`None`: still running 20 s later; it is then killed).
fn close_terminal_under_tui(session: Session) -> Option<std::process::ExitStatus> {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").expect("empty config");
    let mut cmd = Command::new(BIN);
    cmd.arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path())
        .env("NO_COLOR", "1");
    let (mut child, mut master) = pty::spawn(cmd, 120, 40, session);
    let drawn = pty::read_until(&mut master, b"Threads", Duration::from_secs(30));
    assert!(drawn, "the TUI never drew its first frame");
    drop(master);
    let status = pty::wait_exit(&mut child, Duration::from_secs(20));
    if status.is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
    status
}

#[test]
fn tui_exits_when_its_terminal_vanishes_without_a_signal() {
    let status = close_terminal_under_tui(Session::Detached)
        .expect("the TUI was still running 20 s after its terminal went away (no SIGHUP sent)");
    assert!(
        status.success(),
        "the vanished terminal was not handled as a hangup: {status}"
    );
}

#[test]
fn tui_exits_on_the_hangup_of_its_controlling_terminal() {
    let status = close_terminal_under_tui(Session::Controlling)
        .expect("the TUI was still running 20 s after its controlling terminal hung up");
    assert!(
        status.success(),
        "the hangup did not end the session cleanly: {status}"
    );
}
