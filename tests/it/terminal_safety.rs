//! Hostile text (escape sequences, 8-bit C1 forms, bidi overrides, zero-width characters) typed
//! into a prompt reaches the store raw; every terminal view of it (CLI text output, the TUI)
//! shows the printable text only.

use std::process::Command;

const HOSTILE: &str = "Find Series A\u{202E} fintechs\u{1b}]52;c;ZXZpbA==\u{7} in\u{9d}8;;http://x\u{9c} France\u{1b}[2J\u{1b}[H\u{200B} with 20+ engineers. Pull VP Eng.";

fn leadline(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_leadline"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .output()
        .expect("leadline runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Nothing a terminal would act on or hide, and no remnant of a half-stripped sequence.
fn assert_terminal_safe(text: &str) {
    for c in text.chars() {
        assert!(
            !(leadline::text::is_invisible_format(c) || c.is_control() && c != '\n'),
            "{:?} in {text:?}",
            c
        );
    }
    for remnant in ["]52;", "ZXZpbA", "8;;http", "[2J", "[H"] {
        assert!(!text.contains(remnant), "`{remnant}` left in {text:?}");
    }
}

#[test]
fn text_output_shows_hostile_prompts_as_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let plan = leadline(dir.path(), &["plan", HOSTILE, "--format", "text"]);
    assert_terminal_safe(&plan);
    let threads = leadline(dir.path(), &["threads", "--format", "text"]);
    assert_terminal_safe(&threads);
    assert!(
        threads.contains("Find Series A fintechs in France"),
        "{threads}"
    );
}
