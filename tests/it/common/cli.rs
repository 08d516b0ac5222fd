//! The real binary on a temp data dir with its own config file: what every CLI test starts from.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

/// Variables from the developer's shell that would change what the binary does.
const SCRUBBED: [&str; 5] = [
    "LEADLINE_CONFIG",
    "LEADLINE_DATA_DIR",
    "RUST_LOG",
    "MAGNETITE_API_KEY",
    "MODERNLEADS_API_KEY",
];

pub struct CliEnv {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

impl CliEnv {
    /// A temp dir holding `config.toml` with `config` (empty: the defaults, whatever the machine's
    /// own config says) and the data dir `data/`.
    pub fn new(config: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, config).expect("config written");
        Self { dir, config: path }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A path inside the temp dir, as an argument.
    pub fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_leadline"));
        c.arg("--config")
            .arg(&self.config)
            .arg("--data-dir")
            .arg(self.data());
        for var in SCRUBBED {
            c.env_remove(var);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("the binary runs")
    }

    /// Runs a command that must succeed and print JSON on stdout.
    pub fn ok_json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: stdout is not JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
