//! The terminal itself: noticing that it went away, and not dying of it. Once the terminal is
//! gone every write to it fails, and a failed `eprintln!` panics (a second one in the panic hook
//! aborts), so the end of a session must neither wait for it nor print to it.

use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use super::message::Msg;

/// How often the terminal watch looks for a hangup (it sleeps in `poll(2)` in between).
const WATCH_EVERY: Duration = Duration::from_millis(250);
/// How long the app has to end cleanly after its terminal went away before the watch ends the
/// process: the engine's own shutdown budget (5 s) and some slack.
const HANGUP_GRACE: Duration = Duration::from_secs(8);

/// Watches the terminal for a hangup, on its own thread.
///
/// Why: crossterm 0.29's reader retries forever when the terminal is gone (a read that fails
/// with EIO or returns 0 is read again at once; crossterm-rs/crossterm#793, unfixed upstream), so
/// a TUI whose terminal vanished without a SIGHUP reaching it spins on a core and holds
/// crossterm's reader lock, which also stalls the input task. This thread asks the kernel
/// instead: on POLLHUP/POLLERR it sends [`Msg::Terminate`], and if the process is still there
/// `HANGUP_GRACE` later, it ends it (there is no terminal left to restore; the store is
/// transactional and the next start recovers a job cut off there).
pub struct TtyWatch {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl TtyWatch {
    pub fn spawn(tx: UnboundedSender<Msg>) -> Self {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let spawned = std::thread::Builder::new()
            .name("tty-watch".into())
            .spawn(move || watch(&tx, &flag));
        if let Err(e) = spawned {
            tracing::warn!("cannot watch the terminal for a hangup: {e}");
        }
        Self { stop }
    }
}

impl Drop for TtyWatch {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The terminal crossterm reads (stdin when it is one, else /dev/tty), kept open while watched.
#[cfg(unix)]
enum Tty {
    Stdin,
    Opened(std::fs::File),
}

#[cfg(unix)]
impl Tty {
    fn find() -> Option<Self> {
        // SAFETY: isatty only inspects the descriptor.
        if unsafe { libc::isatty(0) } == 1 {
            return Some(Self::Stdin);
        }
        std::fs::File::open("/dev/tty").ok().map(Self::Opened)
    }

    /// Whether the kernel reports the terminal hung up (or unusable), waiting up to `millis`.
    fn hung_up(&self, millis: i32) -> bool {
        use std::os::fd::AsRawFd;
        let fd = match self {
            Self::Stdin => 0,
            Self::Opened(f) => f.as_raw_fd(),
        };
        let mut pfd = libc::pollfd {
            fd,
            events: 0, // only the conditions poll always reports: hangup, error, bad fd
            revents: 0,
        };
        // SAFETY: one valid pollfd, for the length given.
        let n = unsafe { libc::poll(&mut pfd, 1, millis) };
        n > 0 && pfd.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0
    }
}

/// Whether the terminal is gone right now: a failed draw is then the end of the session, not an
/// error to report (there is nobody to report it to).
#[cfg(unix)]
pub fn is_gone() -> bool {
    Tty::find().is_none_or(|t| t.hung_up(0))
}

#[cfg(not(unix))]
pub fn is_gone() -> bool {
    false
}

#[cfg(unix)]
fn watch(tx: &UnboundedSender<Msg>, stop: &std::sync::atomic::AtomicBool) {
    use std::sync::atomic::Ordering;
    let Some(tty) = Tty::find() else {
        return; // no terminal at all: nothing to watch
    };
    let millis = i32::try_from(WATCH_EVERY.as_millis()).unwrap_or(250);
    while !stop.load(Ordering::SeqCst) {
        if tty.hung_up(millis) {
            tracing::info!("the terminal went away; ending the session");
            let _ = tx.send(Msg::Terminate);
            // Past the app's own loop, the engine's shutdown or the runtime's may still hang on
            // the stalled input task: whatever is left after the grace period ends here.
            std::thread::sleep(HANGUP_GRACE);
            tracing::warn!("no clean exit {HANGUP_GRACE:?} after the hangup; exiting now");
            std::process::exit(129); // 128 + SIGHUP, as a shell reports a hung-up job
        }
    }
}

#[cfg(not(unix))]
fn watch(_tx: &UnboundedSender<Msg>, _stop: &std::sync::atomic::AtomicBool) {}

/// Points stdout and stderr at /dev/null once the terminal is gone, so what still prints on the
/// way out (ratatui's cursor restore, an error line, a panic message) cannot panic or abort.
#[cfg(unix)]
pub fn detach_dead_terminal() {
    use std::os::fd::AsRawFd;
    if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
        for fd in [1, 2] {
            // SAFETY: dup2 onto the standard descriptors, which stay open.
            unsafe { libc::dup2(null.as_raw_fd(), fd) };
        }
    }
}

#[cfg(not(unix))]
pub fn detach_dead_terminal() {}
