//! The real binary in a pseudo-terminal of our own (openpty), for what tmux hides: the exact
//! moment output reaches the terminal, and a terminal that disappears.

use std::io::Read;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the child holds its terminal.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Session {
    /// A new session whose controlling terminal is the pty, as a terminal emulator starts a
    /// shell: closing the master sends it SIGHUP.
    Controlling,
    /// A new session without a controlling terminal: closing the master sends no signal, the
    /// terminal just stops working (reads fail with EIO), as when SIGHUP is lost or ignored.
    Detached,
}

/// Starts `cmd` with stdin, stdout and stderr on a new pty of `cols`×`rows`; returns the child
/// and the master side (reading it shows what the child drew; dropping it closes the terminal).
pub fn spawn(mut cmd: Command, cols: u16, rows: u16, session: Session) -> (Child, std::fs::File) {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two fresh descriptors into the integers it is given.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty failed");
    // openpty's descriptors are inherited by default: a child holding its own copy of the
    // master would keep the terminal alive after this side closes it.
    for fd in [master, slave] {
        // SAFETY: fcntl on descriptors just opened here.
        unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) };
    }
    // SAFETY: both descriptors were just opened and are owned here alone.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    cmd.env("TERM", "xterm-256color")
        .stdin(Stdio::from(slave.try_clone().expect("dup")))
        .stdout(Stdio::from(slave.try_clone().expect("dup")))
        .stderr(Stdio::from(slave));
    let controlling = session == Session::Controlling;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            libc::setsid();
            if controlling {
                libc::ioctl(0, libc::TIOCSCTTY, 0);
            }
            Ok(())
        });
    }
    let child = cmd.spawn().expect("the binary starts");
    (child, std::fs::File::from(master))
}

/// Reads the terminal until `needle` has been written (bounded by `within`, checked between
/// reads, which block until output arrives).
pub fn read_until(master: &mut std::fs::File, needle: &[u8], within: Duration) -> bool {
    let start = Instant::now();
    let mut seen: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut buf = [0u8; 1 << 14];
    while start.elapsed() < within {
        match master.read(&mut buf) {
            Ok(0) | Err(_) => return false,
            Ok(n) => {
                seen.extend_from_slice(&buf[..n]);
                if seen.windows(needle.len()).any(|w| w == needle) {
                    return true;
                }
            }
        }
    }
    false
}

/// Waits (bounded) for the child to exit; its status, or `None` if it is still running.
pub fn wait_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < within {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}
