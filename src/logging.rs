//! Where log lines go. While the TUI owns the terminal no log line may reach it (a library's
//! warning printed over the screen corrupts it), so the TUI logs to a file: `--log-file PATH`,
//! else `leadline.log` in the data dir. Headless commands log to stderr unless `--log-file` is
//! given. The level comes from `RUST_LOG` (default `warn`).

use std::fs::{File, OpenOptions};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The file the TUI logs to when no `--log-file` is given.
pub fn default_log_file(data_dir: Option<&Path>) -> PathBuf {
    crate::config::data_dir(data_dir).join("leadline.log")
}

fn open(path: &Path) -> std::io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    OpenOptions::new().create(true).append(true).open(path)
}

/// Installs the global subscriber. `tui`: the terminal belongs to the TUI, so logs never go to
/// stderr; a log file that cannot be opened then means no logs rather than a broken screen.
pub fn init(log_file: Option<&Path>, data_dir: Option<&Path>, tui: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let path = match log_file {
        Some(p) => Some(p.to_path_buf()),
        None if tui => Some(default_log_file(data_dir)),
        None => None,
    };
    // Colours only for a person at a terminal.
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match path {
        None => builder
            .with_ansi(colour)
            .with_writer(std::io::stderr)
            .try_init(),
        Some(p) => match open(&p) {
            Ok(file) => builder
                .with_ansi(false)
                .with_writer(Mutex::new(file))
                .try_init(),
            Err(e) if !tui => {
                eprintln!("warning: cannot open the log file {}: {e}", p.display());
                builder
                    .with_ansi(colour)
                    .with_writer(std::io::stderr)
                    .try_init()
            }
            Err(_) => builder.with_writer(std::io::sink).try_init(),
        },
    };
}
