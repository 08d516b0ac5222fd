//! End to end in a real terminal: tmux runs the leadline binary (embedded engine, test mode,
//! unpaced, temp data dir), we send keys and read the screen with `capture-pane` at each step,
//! with bounded polling (no fixed sleeps). Skipped, with the reason printed, when tmux is not
//! installed or the binary does not open the TUI.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::tmux::{binary, have_tmux, start, start_with};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

#[test]
fn new_thread_prompt_approve_leads_filter_detail_help_quit_in_tmux() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let s = start(dir.path());
    // The first frame, or the binary saying it has no TUI.
    let start_at = Instant::now();
    let first = loop {
        let screen = s.screen();
        if screen.contains("1 Threads") || start_at.elapsed() > Duration::from_secs(20) {
            break screen;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        first.contains("1 Threads"),
        "`leadline` did not open the TUI:\n{first}"
    );
    s.wait_for("No threads yet", Duration::from_secs(10));

    let screen = s.plan_and_approve(PROMPT);
    assert!(screen.contains("Steps ("), "{screen}");
    s.wait_for("✓ succeeded", Duration::from_secs(60));

    s.keys(&["5"]);
    let leads = s.wait_for("Company", Duration::from_secs(10));
    assert!(leads.contains("5 Leads ("), "{leads}");
    assert!(
        leads.contains(".fr"),
        "French fintechs have French domains:\n{leads}"
    );

    s.keys(&["/"]);
    s.literal("a");
    s.keys(&["Enter"]);
    s.wait_for("/a", Duration::from_secs(5));

    s.keys(&["Enter"]);
    let detail = s.wait_for("company.name", Duration::from_secs(5));
    assert!(detail.contains("retrieved"), "{detail}");
    // An Escape followed at once by another key reads as Alt+key: wait for it to land.
    s.keys(&["Escape"]);
    s.wait_for("5 Leads (", Duration::from_secs(5));

    s.keys(&["?"]);
    s.wait_for("Keys (from the key map", Duration::from_secs(5));
    s.keys(&["Escape"]);
    s.wait_gone("Keys (from the key map", Duration::from_secs(5));

    // Push to a file: picker → dry run (nothing written) → confirm → result.
    s.keys(&["p"]);
    s.wait_for("Push the leads of", Duration::from_secs(5));
    s.keys(&["Up"]); // the list wraps: Up from the first provider is `file`
    s.keys(&["Enter"]);
    s.wait_for("Dry run to file", Duration::from_secs(10));
    let written = || {
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().ends_with("-contacts.csv"))
    };
    assert!(!written(), "a dry run writes nothing");
    s.keys(&["Enter"]);
    let done = s.wait_for("Pushed to file", Duration::from_secs(10));
    assert!(done.contains("200 created"), "{done}");
    assert!(written());
    s.keys(&["Enter"]);

    // Bracketed paste: a pasted newline lands in the message box instead of sending it.
    s.tmux(&["set-buffer", "--", "CTOs of devtools companies\nin Berlin"]);
    s.tmux(&["paste-buffer", "-p", "-t", &s.name]);
    let pasted = s.wait_for("in Berlin", Duration::from_secs(5));
    // Both lines sit together in the input box: had the newline been an Enter, the first would
    // have been sent into the chat history and only the second left in the box.
    let lines: Vec<&str> = pasted.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.contains("CTOs of devtools companies"))
        .unwrap_or_else(|| panic!("the paste is not on screen:\n{pasted}"));
    assert!(
        lines
            .get(first + 1)
            .is_some_and(|l| l.contains("in Berlin")),
        "the paste was split or sent:\n{pasted}"
    );
    s.keys(&["Escape"]);
    s.wait_for("i to type", Duration::from_secs(5));

    s.keys(&["q"]);
    // The process exits (the shell then sleeps): the TUI is gone and the terminal restored.
    let start_at = Instant::now();
    while s.screen().contains("1 Threads") {
        assert!(
            start_at.elapsed() < Duration::from_secs(10),
            "q did not quit:\n{}",
            s.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(s.alive(), "the session outlives the app");
}

#[test]
fn an_unreachable_server_shows_disconnected_with_the_host_and_no_log_text() {
    if !have_tmux() {
        return;
    }
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = tempfile::tempdir().unwrap();
    // Debug logging on, so any log line that reached the terminal would show.
    let s = start_with(
        dir.path(),
        "remote",
        "RUST_LOG=debug LEADEX_API_KEY=sk_test_0123456789abcdef",
        &format!("--remote http://127.0.0.1:{port}/v1"),
    );
    let host = format!("127.0.0.1:{port}");
    s.wait_for(
        &format!("Disconnected from {host}"),
        Duration::from_secs(60),
    );
    // The status bar is written after the panes: capture-pane can land between the two, so
    // wait for it too rather than assert on the first capture.
    let screen = s.wait_for("✗ disconnected", Duration::from_secs(10));
    assert!(screen.contains(&format!("REMOTE {host}")), "{screen}");
    assert!(!screen.contains("Loading…"), "{screen}");
    assert!(
        !screen.contains("0123456789abcdef"),
        "the key is never drawn:\n{screen}"
    );
    for log_text in [
        "DEBUG", "INFO", "WARN", "ERROR", "TRACE", "hyper", "reqwest",
    ] {
        assert!(
            !screen.contains(log_text),
            "log text `{log_text}` on screen:\n{screen}"
        );
    }
    // The logs went to the data dir instead.
    let log = dir.path().join("data").join("leadline.log");
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(!logged.is_empty(), "nothing logged to {}", log.display());
    s.keys(&["q"]);
}

/// `leadline serve` on `port` with its own data dir, paced so a job runs for a while.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(dir: &Path, port: u16) -> (Server, String) {
    let config = dir.join("server.toml");
    std::fs::write(&config, "[engine]\npace_ms = 400\n").expect("config written");
    let run = |args: &[&str]| {
        let mut c = Command::new(binary());
        c.arg("--data-dir")
            .arg(dir.join("server-data"))
            .arg("--config")
            .arg(&config)
            .env_remove("RUST_LOG")
            .args(args);
        c
    };
    let out = run(&[
        "api-keys", "create", "--name", "tmux", "--scopes", "read,run",
    ])
    .output()
    .expect("api-keys runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let child = run(&["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve starts");
    let server = Server(child);
    let start_at = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start_at.elapsed() < Duration::from_secs(20),
            "serve did not listen"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    (server, key)
}

#[test]
fn a_server_going_away_mid_job_prints_no_log_line_over_the_screen() {
    if !have_tmux() {
        return;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = tempfile::tempdir().unwrap();
    let (server, key) = serve(dir.path(), port);
    // Library warnings (eventsource's transport errors) are what used to land on the screen.
    let s = start_with(
        dir.path(),
        "gone",
        &format!("RUST_LOG=warn LEADEX_API_KEY={key}"),
        &format!("--remote http://127.0.0.1:{port}/v1"),
    );
    s.wait_for("No threads yet", Duration::from_secs(20));
    s.plan_and_approve(PROMPT);
    s.wait_for("streaming", Duration::from_secs(20));
    drop(server);
    // The event stream says it is reconnecting, or (when the periodic refresh notices first)
    // the status bar says the server is gone; either way the outage is shown, in the UI only.
    let screen = s.wait_for_any(&["reconnecting", "disconnected"], Duration::from_secs(30));
    // A few more failed attempts, each of which logs a warning.
    std::thread::sleep(Duration::from_secs(3));
    let screen = format!("{screen}\n{}", s.screen());
    for log_text in ["eventsource_client", " WARN ", "transport error:"] {
        assert!(
            !screen
                .lines()
                .any(|l| l.contains(log_text) && !l.contains("Reconnecting")),
            "log text `{log_text}` on screen:\n{screen}"
        );
    }
    assert!(
        screen.contains(&format!("REMOTE 127.0.0.1:{port}")),
        "{screen}"
    );
    assert!(!screen.contains(&key), "the key is never drawn:\n{screen}");
    s.keys(&["q"]);
}

/// The number before ` of ` in the leads title, `5 Leads (37 of 200)`.
fn shown_count(screen: &str) -> usize {
    let at = screen.find("5 Leads (").expect("the leads title") + "5 Leads (".len();
    let rest = &screen[at..];
    let end = rest.find(' ').expect("a count");
    rest[..end]
        .replace(',', "")
        .parse()
        .unwrap_or_else(|e| panic!("{e}: no count in the leads title:\n{screen}"))
}

#[test]
fn search_n_and_shift_n_column_picker_and_export_of_the_filtered_view_in_tmux() {
    if !have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let s = start_with(dir.path(), "viewer", "", "");
    s.wait_for("No threads yet", Duration::from_secs(20));
    s.plan_and_approve(PROMPT);
    s.wait_for("✓ succeeded", Duration::from_secs(60));
    s.keys(&["5"]);
    s.wait_for("[Company]", Duration::from_secs(10));

    // A typed filter; n/N walk the matching cells (the Confidence column), row by row.
    s.keys(&["/"]);
    s.literal("confidence>0.8");
    s.keys(&["Enter"]);
    // "row 1 of 200" is on screen before the filter lands: wait for the filtered title.
    let screen = s.wait_for(" of 200)", Duration::from_secs(5));
    let shown = shown_count(&screen);
    assert!(
        shown > 1 && screen.contains(&format!("{shown} of 200")),
        "{screen}"
    );
    s.keys(&["n"]);
    let screen = s.wait_for("[Conf", Duration::from_secs(5));
    assert!(
        screen.contains("row 1 of"),
        "the first match is on the first row:\n{screen}"
    );
    s.keys(&["n"]);
    s.wait_for("row 2 of", Duration::from_secs(5));
    s.keys(&["N"]);
    s.wait_for("row 1 of", Duration::from_secs(5));
    s.keys(&["N"]);
    s.wait_for(&format!("row {shown} of"), Duration::from_secs(5));

    // Export what is shown: the default path is in the data dir's exports folder.
    s.keys(&["e"]);
    let dialog = s.wait_for("Export leads", Duration::from_secs(5));
    assert!(dialog.contains("exports/leadline-job_"), "{dialog}");
    assert!(
        dialog.contains(&format!("the {shown} rows shown")),
        "{dialog}"
    );
    let out = dir.path().join("view.csv");
    s.keys(&["C-u"]);
    s.literal(&out.display().to_string());
    s.keys(&["Enter"]);
    s.wait_for(&format!("Wrote {shown} rows to"), Duration::from_secs(10));
    let mut csv = csv::Reader::from_path(&out).expect("the export is CSV");
    let headers = csv.headers().expect("a header").clone();
    assert_eq!(headers.get(0), Some("company"));
    assert!(headers.iter().any(|h| h == "email"));
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("a row")).collect();
    assert_eq!(rows.len(), shown, "exactly the visible rows");
    let conf = headers
        .iter()
        .position(|h| h == "confidence")
        .expect("confidence");
    for r in &rows {
        let c: f64 = r[conf].parse().expect("a number");
        assert!(c > 0.8, "a row the filter hides was exported: {r:?}");
    }
    // Again to the same path: nothing is replaced without asking.
    let before = std::fs::read(&out).unwrap();
    s.keys(&["e"]);
    s.wait_for("Export leads", Duration::from_secs(5));
    s.keys(&["C-u"]);
    s.literal(&out.display().to_string());
    s.keys(&["Enter"]);
    s.wait_for("exists: Enter replaces it", Duration::from_secs(10));
    s.keys(&["Escape"]);
    s.wait_gone("Export leads", Duration::from_secs(5));
    assert_eq!(std::fs::read(&out).unwrap(), before);

    // The column picker: hide Person, saved into the config file next to what was there.
    assert!(s.screen().contains("Person"));
    s.keys(&["C"]);
    s.wait_for("Columns ·", Duration::from_secs(5));
    s.keys(&["Down"]);
    s.keys(&["Space"]);
    s.keys(&["Enter"]);
    s.wait_for("Columns saved to", Duration::from_secs(10));
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    assert!(config.contains("pace_ms = 0"), "{config}");
    assert!(
        config.contains("[tui]") && config.contains("\"company\", \"title\""),
        "{config}"
    );
    let screen = s.screen();
    let header = screen
        .lines()
        .find(|l| l.contains("Company"))
        .unwrap_or_default();
    assert!(!header.contains("Person"), "{screen}");
    s.keys(&["q"]);
}
