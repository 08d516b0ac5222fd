//! A driver for the TUI in a real terminal: tmux runs the leadline binary in a temp dir, tests
//! send keys and read the screen with `capture-pane`, polling with a bound (no fixed sleeps).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux session running leadline (killed on drop).
pub struct Session {
    pub name: String,
}

impl Session {
    pub fn tmux(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux").args(args).output().expect("tmux runs")
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    pub fn literal(&self, text: &str) {
        self.tmux(&["send-keys", "-t", &self.name, "-l", text]);
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", &self.name]).stdout)
            .into_owned()
    }

    pub fn alive(&self) -> bool {
        self.tmux(&["has-session", "-t", &self.name])
            .status
            .success()
    }

    /// From the empty thread list: a new thread, `prompt` sent, the plan shown (its screen is
    /// returned) and approved with no credit ceiling.
    pub fn plan_and_approve(&self, prompt: &str) -> String {
        self.keys(&["n"]);
        self.wait_for("Enter send", Duration::from_secs(5));
        self.literal(prompt);
        self.keys(&["Enter"]);
        let plan = self.wait_for("Audience", Duration::from_secs(20));
        self.keys(&["a"]);
        self.wait_for("Credit ceiling", Duration::from_secs(5));
        self.keys(&["Enter"]);
        plan
    }

    /// Polls the screen until one of `needles` shows (bounded); panics with the last screen
    /// otherwise.
    pub fn wait_for_any(&self, needles: &[&str], within: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if needles.iter().any(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                start.elapsed() < within,
                "none of {needles:?} appeared within {within:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Polls the screen until `needle` shows (bounded); panics with the last screen otherwise.
    pub fn wait_for(&self, needle: &str, within: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < within,
                "`{needle}` did not appear within {within:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `needle` is no longer on the screen (an overlay closed). Keys sent before that
    /// can land in the overlay; an Escape followed at once by a letter even reaches the app as
    /// one Alt-chord.
    pub fn wait_gone(&self, needle: &str, within: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if !screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < within,
                "`{needle}` was still on screen after {within:?}:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .output();
    }
}

/// The release binary when CI names it (`LEADLINE_E2E_BIN`, set by .ci/run after
/// `cargo build --release`), else the one cargo built for this test run.
pub fn binary() -> String {
    match std::env::var("LEADLINE_E2E_BIN") {
        Ok(path) if !path.is_empty() => {
            assert!(
                Path::new(&path).is_file(),
                "LEADLINE_E2E_BIN={path} is not a file"
            );
            path
        }
        _ => env!("CARGO_BIN_EXE_leadline").to_string(),
    }
}

pub fn start(dir: &Path) -> Session {
    start_with(dir, "local", "", "")
}

/// Runs leadline in tmux with `env` (`NAME=value …`) and extra `args`, in a session named after
/// `tag` so tests running at once do not share one.
pub fn start_with(dir: &Path, tag: &str, env: &str, args: &str) -> Session {
    let config = dir.join("config.toml");
    std::fs::write(&config, "[engine]\npace_ms = 0\n").expect("config written");
    let name = format!("leadline-e2e-{tag}-{}", std::process::id());
    let cmd = format!(
        "cd {home} && env NO_COLOR=1 HOME={home} XDG_CONFIG_HOME={home} XDG_DATA_HOME={home} {env} {bin} --config {config} --data-dir {data} {args}; sleep 5",
        home = dir.display(),
        bin = binary(),
        config = config.display(),
        data = dir.join("data").display(),
    );
    let out = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "140",
            "-y",
            "40",
            &cmd,
        ])
        .output()
        .expect("tmux starts");
    assert!(
        out.status.success(),
        "tmux new-session: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Session { name }
}

/// Whether tmux can run here; outside CI a missing tmux skips the test with the reason.
pub fn have_tmux() -> bool {
    if Command::new("tmux")
        .arg("-V")
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true)
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install tmux (.ci/run does)"
        );
        eprintln!("SKIPPED: tmux is not installed (.ci/run installs it)");
        return false;
    }
    true
}
