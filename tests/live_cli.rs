//! `leadline import` through the real binary: the mapping and bad lines on stderr, the report on
//! stdout, a non-zero exit when nothing could be imported.

use std::process::Command;

fn leadline(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    // An empty config file: the defaults, whatever the machine's own config says.
    let config = dir.join("config.toml");
    std::fs::write(&config, "").unwrap();
    Command::new(env!("CARGO_BIN_EXE_leadline"))
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .env_remove("LEADLINE_CONFIG")
        .env_remove("LEADLINE_DATA_DIR")
        .env_remove("RUST_LOG")
        .output()
        .unwrap()
}

#[test]
fn import_prints_the_mapping_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/live/people.csv");
    let out = leadline(
        dir.path(),
        &["import", file, "--name", "crm", "--format", "json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("Column mapping for people.csv"), "{stderr}");
    assert!(stderr.contains("→ person.email"), "{stderr}");
    assert!(
        stderr.contains("skipped line 7: 'not-an-email' is not an email address"),
        "{stderr}"
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["name"], "crm");
    assert_eq!(report["imported"], 5);
    assert_eq!(report["duplicates"], 1);

    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "company,website\n,not a domain\n").unwrap();
    let out = leadline(dir.path(), &["import", empty.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("No rows of empty.csv could be imported")
    );
}
