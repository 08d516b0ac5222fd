//! `leadline push` and `leadline enrich` as a script would use them: the real binary, a temp data
//! dir, a config file. Providers that need a network are covered by tests/it/push_providers.rs
//! against loopback fakes; here: the file provider, the refusals and the messages.

use crate::common::cli::{CliEnv as Env, stderr};

/// A finished test-mode job of `rows` French fintech leads.
fn search(env: &Env, rows: &str) -> String {
    let job = env.ok_json(&[
        "search",
        "Find Series A fintechs in France. Pull the VP Engineering.",
        "--max-rows",
        rows,
        "--format",
        "json",
    ]);
    job["id"].as_str().unwrap().to_string()
}

#[test]
fn a_file_push_dry_runs_then_writes_and_is_recorded() {
    let env = Env::new("");
    let job = search(&env, "25");
    let path = env.path("out.xlsx");
    let dry = env.ok_json(&[
        "push",
        &job,
        "--provider",
        "file",
        "--list-id",
        &path,
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["planned"][0]["method"], "WRITE");
    assert_eq!(dry["planned"][0]["body"]["rows"], 25);
    assert!(!std::path::Path::new(&path).exists());

    let out = env.run(&["push", &job, "--provider", "file", "--list-id", &path]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("25 created"), "{text}");
    assert!(
        std::fs::read(&path).unwrap().starts_with(b"PK"),
        "an XLSX file"
    );
}

#[test]
fn pushes_explain_what_is_wrong_and_what_to_do() {
    let env = Env::new("[integrations.webhook]\nurl = \"http://127.0.0.1:9/hook\"\n");
    let job = search(&env, "5");

    let out = env.run(&["push", &job, "--provider", "webhook"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("test-mode") && err.contains("--allow-test-data"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let out = env.run(&["push", &job, "--provider", "magnetite", "--allow-test-data"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("[integrations.magnetite]"), "{err}");

    let out = env.run(&["push", &job, "--provider", "salesforce"]);
    let err = stderr(&out);
    assert!(
        !out.status.success() && err.contains("magnetite, autoreach, hubspot, webhook, file"),
        "{err}"
    );

    let out = env.run(&["push", &job, "--provider", "file", "--list-id", "leads.txt"]);
    let err = stderr(&out);
    assert!(
        !out.status.success() && err.contains(".csv, .json or .xlsx"),
        "{err}"
    );

    let out = env.run(&["push", &job, "--provider", "file", "--mode", "people"]);
    let err = stderr(&out);
    assert!(
        !out.status.success() && err.contains("contacts, companies or both"),
        "{err}"
    );

    // A job that has not run has nothing to push.
    let plan = env.ok_json(&[
        "plan",
        "Find CTOs of US devtools companies",
        "--format",
        "json",
    ]);
    let pending = plan["job_id"].as_str().unwrap();
    let out = env.run(&[
        "push",
        pending,
        "--provider",
        "file",
        "--list-id",
        &env.path("x.csv"),
    ]);
    let err = stderr(&out);
    assert!(!out.status.success() && err.contains("conflict"), "{err}");

    let out = env.run(&["enrich", &job]);
    let err = stderr(&out);
    assert!(
        !out.status.success() && err.contains("[providers.modernleads]"),
        "{err}"
    );
}
