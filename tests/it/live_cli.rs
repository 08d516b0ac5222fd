//! `leadline import` through the real binary: the mapping and bad lines on stderr, the report on
//! stdout, a non-zero exit when nothing could be imported.

use crate::common::cli::CliEnv;

#[test]
fn import_prints_the_mapping_and_reports_bad_lines() {
    let env = CliEnv::new("");
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/live/people.csv");
    let out = env.run(&["import", file, "--name", "crm", "--format", "json"]);
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

    let empty = env.dir.path().join("empty.csv");
    std::fs::write(&empty, "company,website\n,not a domain\n").unwrap();
    let out = env.run(&["import", empty.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("No rows of empty.csv could be imported")
    );
}
