//! Budgets for the TUI as a whole process:
//! - `leadline snapshot` on a data dir of 1,000 threads / 100,000 leads: ≤ 50 ms;
//! - peak RSS of the interactive TUI with a 10,000-lead job loaded in the leads view: ≤ 60 MB
//!   (the real binary in tmux, read from /proc; skipped with a message when tmux is absent).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
use leadline::engine::{Engine, EngineOptions};

const BIN: &str = env!("CARGO_BIN_EXE_leadline");
use crate::common::FRENCH_FINTECH as PROMPT;

/// Built once and kept (it takes a while): 909 threads with a plan, 90 with a 1,000-lead job and,
/// most recent, one with a 10,000-lead job: 1,000 threads, 100,000 leads.
fn data_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("snapshot-1000-threads-100k-leads");
    if dir.join("complete").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let engine = Engine::open(EngineOptions::new(&dir)).await.unwrap();
        let run = |rows: Option<u32>, approve: bool| {
            let engine = engine.clone();
            async move {
                if approve {
                    crate::common::run_with(&engine, PROMPT, rows).await;
                } else {
                    crate::common::post_with(&engine, PROMPT, rows).await;
                }
            }
        };
        for _ in 0..909 {
            run(None, false).await;
        }
        for _ in 0..90 {
            run(Some(1_000), true).await;
        }
        run(Some(10_000), true).await;
    });
    std::fs::write(dir.join("complete"), b"").unwrap();
    dir
}

fn config(dir: &Path) -> PathBuf {
    let path = dir.join("bench-config.toml");
    std::fs::write(&path, "").unwrap();
    path
}

fn snapshot(c: &mut Criterion) {
    let dir = data_dir();
    let cfg = config(&dir);
    let mut group = c.benchmark_group("tui_process");
    group.sample_size(20);
    for view in ["leads", "threads"] {
        group.bench_function(format!("snapshot_{view}_1000_threads_100k_leads"), |b| {
            b.iter(|| {
                let out = Command::new(BIN)
                    .arg("--data-dir")
                    .arg(&dir)
                    .arg("--config")
                    .arg(&cfg)
                    .args(["snapshot", "--size", "140x40", "--view", view])
                    .output()
                    .unwrap();
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                out.stdout.len()
            })
        });
    }
    group.finish();
    peak_rss_with_10k_leads(&dir, &cfg);
}

fn tmux(args: &[&str]) -> String {
    let out = Command::new("tmux").args(args).output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn status_kb(pid: &str, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// The real TUI, with the 10,000-lead job open in the leads view; its peak RSS from /proc.
fn peak_rss_with_10k_leads(dir: &Path, cfg: &Path) {
    if Command::new("tmux")
        .arg("-V")
        .output()
        .map(|o| !o.status.success())
        .unwrap_or(true)
    {
        eprintln!("peak RSS: skipped (tmux is not installed)");
        return;
    }
    let name = format!("leadline-rss-{}", std::process::id());
    let cmd = format!(
        "exec env NO_COLOR=1 {BIN} --data-dir {} --config {}",
        dir.display(),
        cfg.display()
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &name,
        "-x",
        "140",
        "-y",
        "40",
        &cmd,
    ]);
    let wait = |needle: &str| {
        let start = Instant::now();
        loop {
            let screen = tmux(&["capture-pane", "-p", "-t", &name]);
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "`{needle}` never showed:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait("1 Threads");
    tmux(&["send-keys", "-t", &name, "5"]);
    wait("5 Leads (10,000)");
    std::thread::sleep(Duration::from_millis(300));
    let pid = tmux(&["list-panes", "-t", &name, "-F", "#{pane_pid}"])
        .trim()
        .to_string();
    let (hwm, rss) = (status_kb(&pid, "VmHWM:"), status_kb(&pid, "VmRSS:"));
    tmux(&["kill-session", "-t", &name]);
    let hwm = hwm.expect("the TUI's /proc status");
    println!(
        "tui peak RSS with 10,000 leads loaded: {:.1} MB (now {:.1} MB); budget 60 MB",
        hwm as f64 / 1024.0,
        rss.unwrap_or(0) as f64 / 1024.0
    );
    assert!(
        hwm <= 60 * 1024,
        "peak RSS {hwm} kB is over the 60 MB budget"
    );
}

criterion_group!(benches, snapshot);
