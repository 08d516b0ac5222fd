//! The headless CLI as a script would use it: the real binary on a temp data dir.

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use serde_json::Value;

use crate::common::cli::{CliEnv as Env, stderr};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

#[test]
fn search_prints_the_finished_job_with_its_leads() {
    let env = Env::new("");
    let job = env.ok_json(&["search", PROMPT, "--max-rows", "30", "--format", "json"]);
    assert_eq!(job["object"], "job");
    assert_eq!(job["status"], "succeeded");
    assert_eq!(job["livemode"], false);
    let leads = job["leads"].as_array().unwrap();
    assert_eq!(leads.len(), 30);
    assert!(
        leads
            .iter()
            .all(|l| l["object"] == "lead" && !l["sources"].as_array().unwrap().is_empty())
    );
    // Nullable fields are present.
    assert!(job.as_object().unwrap().contains_key("error"));
    assert!(job["error"].is_null());

    let csv = env.run(&["search", PROMPT, "--max-rows", "12", "--format", "csv"]);
    assert!(csv.status.success(), "{}", stderr(&csv));
    let text = String::from_utf8(csv.stdout.clone()).unwrap();
    assert_eq!(text.lines().count(), 13);
    assert!(text.starts_with("company_name,domain,"));
    assert!(stderr(&csv).contains("Plan:"), "progress goes to stderr");
}

#[test]
fn plan_prints_the_plan_object_with_its_icp_and_job() {
    let env = Env::new("");
    let plan = env.ok_json(&["plan", PROMPT, "--format", "json"]);
    assert_eq!(plan["object"], "plan");
    assert!(plan["id"].as_str().unwrap().starts_with("pln_"));
    assert!(plan["job_id"].as_str().unwrap().starts_with("job_"));
    assert_eq!(plan["icp"]["countries"], serde_json::json!(["FR"]));
    assert!(plan["steps"].as_array().unwrap().len() <= 12);

    let jobs = env.ok_json(&["jobs", "--status", "pending", "--format", "json"]);
    assert_eq!(jobs["data"][0]["id"], plan["job_id"]);
    assert_eq!(jobs["has_more"], false);
    assert!(jobs.as_object().unwrap().contains_key("next_cursor"));

    let text = env.run(&["plan", PROMPT]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Estimate:") && text.contains("leadline approve job_"),
        "{text}"
    );
}

#[test]
fn every_planner_example_is_planned_as_specified() {
    let env = Env::new("");
    let examples = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/planner-examples.jsonl"
    ))
    .expect("tests/data/planner-examples.jsonl is in the repository");
    for line in examples.lines().filter(|l| !l.trim().is_empty()) {
        let example: Value = serde_json::from_str(line).unwrap();
        let prompt = example["prompt"].as_str().unwrap();
        let out = env.run(&["plan", prompt, "--format", "json"]);
        if example["rejected"] == true {
            assert!(!out.status.success(), "{prompt:?} should be rejected");
            assert!(
                stderr(&out).contains("plan_rejected"),
                "{prompt:?}: {}",
                stderr(&out)
            );
            assert!(out.stdout.is_empty());
        } else {
            assert!(out.status.success(), "{prompt:?}: {}", stderr(&out));
            let plan: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(plan["icp"], example["icp"], "{prompt:?}");
        }
    }
}

#[test]
fn errors_name_the_code_and_print_nothing_on_stdout() {
    let env = Env::new("");
    for (args, code) in [
        (vec!["plan", ""], "plan_rejected"),
        (vec!["plan", "   "], "plan_rejected"),
        (vec!["approve", "job_01HXA4Z2M8V5WC9T7R1K"], "not_found"),
        (
            vec!["stop", "thr_01HXA4Z2M8V5WC9T7R1K"],
            "invalid_request_error",
        ),
        (vec!["leads", "job_01HXA4Z2M8V5WC9T7R1K"], "not_found"),
    ] {
        let out = env.run(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed to stdout");
        assert!(
            stderr(&out).contains(&format!("error: {code}:")),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let long = "x".repeat(8_001);
    let out = env.run(&["plan", &long]);
    assert!(
        stderr(&out).contains("invalid_request_error"),
        "{}",
        stderr(&out)
    );

    let plan = env.ok_json(&["plan", PROMPT, "--format", "json"]);
    let job = plan["job_id"].as_str().unwrap();
    env.ok_json(&["approve", job, "--wait", "--format", "json"]);
    let again = env.run(&["approve", job]);
    assert!(
        stderr(&again).contains("error: conflict:"),
        "{}",
        stderr(&again)
    );
    let stop = env.run(&["stop", job]);
    assert!(
        stderr(&stop).contains("error: conflict:") && stderr(&stop).contains("already finished"),
        "{}",
        stderr(&stop)
    );
}

#[test]
fn a_malformed_config_is_reported_with_file_line_and_column() {
    let env = Env::new("[engine]\nseed = 7\npace_ms = \"fast\"\n");
    let out = env.run(&["threads"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}:3:11:", env.config.display())),
        "{err}"
    );
}

#[test]
fn exports_write_csv_json_and_xlsx() {
    let env = Env::new("");
    let job = env.ok_json(&["search", PROMPT, "--max-rows", "20", "--format", "json"]);
    let id = job["id"].as_str().unwrap();
    for (format, check) in [
        ("csv", b"company_name".as_slice()),
        ("json", b"[".as_slice()),
        ("xlsx", b"PK".as_slice()),
    ] {
        let path = env.dir.path().join(format!("out.{format}"));
        let out = env.run(&[
            "export",
            id,
            "--format",
            format,
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(check), "{format}");
    }
    let json: Value =
        serde_json::from_slice(&std::fs::read(env.dir.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 20);
    let csv = env.run(&["leads", id, "--format", "csv", "--min-confidence", "0.0"]);
    assert_eq!(String::from_utf8(csv.stdout).unwrap().lines().count(), 21);
}

fn job_json(env: &Env, id: &str) -> Value {
    env.ok_json(&["job", id, "--format", "json"])
}

fn poll<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    for _ in 0..300 {
        if let Some(v) = f() {
            return v;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn approve_runs_in_the_background_and_stop_reaches_it_from_another_process() {
    let env = Env::new("[engine]\npace_ms = 30\n");
    let plan = env.ok_json(&["plan", PROMPT, "--format", "json"]);
    let id = plan["job_id"].as_str().unwrap().to_string();
    let approved = env.ok_json(&["approve", &id, "--format", "json"]);
    assert_eq!(approved["status"], "running");
    poll("rows from the background worker", || {
        (job_json(&env, &id)["rows_captured"].as_u64()? >= 5).then_some(())
    });
    let stopped = env.ok_json(&["stop", &id, "--format", "json"]);
    assert_eq!(stopped["status"], "stopped", "{stopped}");
    let rows = stopped["rows_captured"].as_u64().unwrap();
    assert!((5..200).contains(&rows));
    assert_eq!(stopped["artifact"]["rows"].as_u64(), Some(rows));
}

fn sqlite(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn sigkill_mid_job_loses_nothing_reported_and_corrupts_nothing() {
    let env = Env::new("[engine]\npace_ms = 40\n");
    let plan = env.ok_json(&["plan", PROMPT, "--format", "json"]);
    let id = plan["job_id"].as_str().unwrap().to_string();
    let mut child = env
        .cmd()
        .args(["approve", &id, "--wait"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let db = env.data().join("leadline.db");
    poll("ten captured leads", || {
        let rows: i64 = sqlite(&db)
            .query_row("SELECT count(*) FROM leads", [], |r| r.get(0))
            .ok()?;
        (rows >= 10).then_some(())
    });
    // SIGKILL: no destructor, no shutdown hook runs.
    child.kill().unwrap();
    child.wait().unwrap();

    // The next invocation recovers the job.
    let job = job_json(&env, &id);
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["error"]["code"], "job_halted");
    assert_eq!(job["error"]["message"], "interrupted");

    let conn = sqlite(&db);
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    // Every lead a persisted result event reported is present.
    let reported: i64 = conn
        .query_row("SELECT COALESCE(MAX(json_extract(data, '$.rows_captured')), 0) FROM events WHERE job_id = ?1 AND kind = 'result'", [&id], |r| r.get(0))
        .unwrap();
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM leads WHERE job_id = ?1", [&id], |r| {
            r.get(0)
        })
        .unwrap();
    let orphans: i64 = conn
        .query_row("SELECT count(*) FROM leads l WHERE job_id = ?1 AND NOT EXISTS (SELECT 1 FROM events e WHERE e.job_id = l.job_id AND e.seq = l.event_seq AND e.kind = 'result')", [&id], |r| r.get(0))
        .unwrap();
    assert!(reported >= 10);
    assert_eq!(stored, reported);
    assert_eq!(orphans, 0);
    assert_eq!(job["rows_captured"].as_i64(), Some(reported));
    assert_eq!(job["artifact"]["rows"].as_i64(), Some(reported));
}

#[test]
fn an_unreachable_llm_planner_falls_back_to_the_rules_with_a_visible_note() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let env = Env::new(&format!(
        "[planner]\nkind = \"llm\"\nbase_url = \"http://127.0.0.1:{port}/v1\"\nmodel = \"test\"\napi_key_env = \"LEADLINE_TEST_LLM_KEY\"\ntimeout_ms = 2000\n"
    ));
    let plan = env.ok_json(&["plan", PROMPT, "--format", "json"]);
    assert_eq!(plan["icp"]["countries"], serde_json::json!(["FR"]));
    let notes = plan["notes"].as_array().unwrap();
    assert!(!notes.is_empty(), "the fallback is noted on the plan");
    let incomplete = Env::new("[planner]\nkind = \"llm\"\n");
    let out = incomplete.run(&["plan", PROMPT]);
    assert!(
        stderr(&out).contains("needs base_url and model"),
        "{}",
        stderr(&out)
    );
}

/// Waits (bounded) for a child to exit and returns its exit code.
fn exit_code(child: &mut std::process::Child) -> Option<i32> {
    let status = poll("the process to exit", || child.try_wait().ok().flatten());
    status.code()
}

fn signal(child: &std::process::Child, name: &str) {
    let sent = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .expect("kill runs");
    assert!(sent.success(), "kill -{name} failed");
}

fn lead_count(env: &Env) -> Option<i64> {
    let db = env.data().join("leadline.db");
    // Not yet created by the child: opening it here would race its migrations.
    if !db.exists() {
        return None;
    }
    sqlite(&db)
        .query_row("SELECT count(*) FROM leads", [], |r| r.get(0))
        .ok()
}

/// The only job of the data dir, as `jobs --format json` lists it.
fn only_job(env: &Env) -> Value {
    let page = env.ok_json(&["jobs", "--format", "json"]);
    let jobs = page["data"].as_array().expect("a page of jobs");
    assert_eq!(jobs.len(), 1, "{page}");
    jobs[0].clone()
}

#[test]
fn sigterm_on_approve_wait_stops_the_job_with_its_partial_results_and_exits_143() {
    let env = Env::new("[engine]\npace_ms = 40\n");
    let plan = env.ok_json(&["plan", PROMPT, "--format", "json"]);
    let id = plan["job_id"].as_str().unwrap().to_string();
    let mut child = env
        .cmd()
        .args(["approve", &id, "--wait"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    poll("five captured leads", || {
        (lead_count(&env)? >= 5).then_some(())
    });
    signal(&child, "TERM");
    assert_eq!(exit_code(&mut child), Some(143));

    let job = only_job(&env);
    assert_eq!(job["id"], id.as_str());
    assert_eq!(job["status"], "stopped", "{job}");
    let rows = job["rows_captured"].as_u64().unwrap();
    assert!(rows >= 5, "{job}");
    assert_eq!(job["artifact"]["rows"].as_u64(), Some(rows));
}

#[test]
fn sigint_and_sighup_on_search_stop_the_job_and_exit_with_the_signal_status() {
    for (name, code) in [("INT", 130), ("HUP", 129)] {
        let env = Env::new("[engine]\npace_ms = 40\n");
        let mut child = env
            .cmd()
            .args(["search", PROMPT, "--max-rows", "500"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        poll("five captured leads", || {
            (lead_count(&env)? >= 5).then_some(())
        });
        signal(&child, name);
        assert_eq!(exit_code(&mut child), Some(code), "SIG{name}");
        let job = only_job(&env);
        assert_eq!(job["status"], "stopped", "SIG{name}: {job}");
        assert!(job["rows_captured"].as_u64().unwrap() >= 5);
    }
}

/// Reads the first line of a command's stdout, then closes the pipe while the command still has
/// more to write (the output is far larger than a pipe buffer), like `| head -1`.
fn first_line_then_close(env: &Env, args: &[&str]) -> (String, Output) {
    use std::io::BufRead;
    let mut child = env
        .cmd()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap();
    // The reader (and with it the pipe's read end) is dropped here.
    exit_code(&mut child);
    (line, child.wait_with_output().unwrap())
}

#[test]
fn a_closed_stdout_pipe_ends_export_and_leads_quietly_with_success() {
    let env = Env::new("");
    let job = env.ok_json(&["search", PROMPT, "--max-rows", "2000", "--format", "json"]);
    let id = job["id"].as_str().unwrap().to_string();
    for args in [
        vec!["export", id.as_str(), "--format", "csv"],
        vec!["export", id.as_str(), "--format", "json"],
        vec!["leads", id.as_str(), "--format", "csv"],
    ] {
        let (line, out) = first_line_then_close(&env, &args);
        assert!(!line.is_empty(), "{args:?} printed nothing");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

#[test]
fn stderr_carries_no_colour_codes_when_it_is_not_a_terminal() {
    let env = Env::new("");
    let out = env
        .cmd()
        .env("RUST_LOG", "leadline=info")
        .args(["search", PROMPT, "--max-rows", "5", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("job finished"), "the log line is there: {err}");
    assert!(
        !err.contains('\u{1b}'),
        "ANSI escapes on a piped stderr: {err:?}"
    );
}
