//! `leadline open FILE` (and `leadline FILE`): any leads file, ours or another tool's export,
//! becomes a job of kind `import` whose leads are the file's rows with the import mapping; the
//! TUI opens on its leads. Through the real binary on a temp data dir, and in tmux.

use std::time::Duration;

use serde_json::Value;

use crate::common::cli::{CliEnv, stderr};
use crate::common::tmux;

fn fixture(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/imports")
        .join(name)
        .display()
        .to_string()
}

/// Opens `file` without the TUI: (the job, its leads).
fn open(env: &CliEnv, file: &str, extra: &[&str]) -> (Value, Vec<Value>) {
    let mut args = vec!["open", file, "--no-tui", "--format", "json"];
    args.extend_from_slice(extra);
    let job = env.ok_json(&args);
    let id = job["id"].as_str().expect("a job id").to_string();
    let page = env.ok_json(&["leads", &id, "--limit", "100", "--format", "json"]);
    let leads = page["data"].as_array().cloned().unwrap_or_default();
    (job, leads)
}

fn companies(leads: &[Value]) -> Vec<String> {
    leads
        .iter()
        .map(|l| {
            l["company"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

#[test]
fn opening_each_known_shape_makes_an_import_job_with_the_mapped_leads() {
    let env = CliEnv::new("");
    // (file, leads, first company, a path of the first lead and its value)
    let shapes: &[(&str, usize, &str, &str, Value)] = &[
        (
            "hubspot_contacts.csv",
            3,
            "BrightPath Logistics",
            "/person/full_name",
            "Maya Okafor".into(),
        ),
        (
            "hubspot_companies.csv",
            2,
            "BrightPath Logistics",
            "/company/hq_country",
            "US".into(),
        ),
        (
            "salesforce_leads.csv",
            2,
            "Ferrowave Systems",
            "/fields/us_state",
            "TX".into(),
        ),
        (
            "apollo.csv",
            3,
            "Kernwerk",
            "/fields/funding_stage",
            "series_b".into(),
        ),
        (
            "apollo.json",
            3,
            "Kernwerk",
            "/fields/crm_stage",
            "Cold".into(),
        ),
        (
            "sales_navigator.json",
            2,
            "Vektorlabs",
            "/person/linkedin",
            "https://www.linkedin.com/in/ACwAAB1x2y3".into(),
        ),
        (
            "crunchbase.csv",
            3,
            "Lumora AI",
            "/fields/industry",
            serde_json::json!(["ai", "saas"]),
        ),
        (
            "pdl_companies.csv",
            3,
            "harbor bank",
            "/company/linkedin",
            "linkedin.com/company/harbor-bank".into(),
        ),
        (
            "pdl_people.jsonl",
            2,
            "pinecrest software",
            "/company/hq_country",
            "CA".into(),
        ),
        (
            "clay.csv",
            2,
            "Sorami Labs",
            "/fields/industry",
            "martech".into(),
        ),
        (
            "hunter.csv",
            2,
            "Quillbyte",
            "/person/email",
            "t.herrera@quillbyte.io".into(),
        ),
        (
            "zoominfo.csv",
            1,
            "Cascade Parts Co",
            "/company/hq_city",
            "Seattle".into(),
        ),
    ];
    for (file, n, first, path, value) in shapes {
        let (job, leads) = open(&env, &fixture(file), &[]);
        assert_eq!(job["status"], "succeeded", "{file}");
        assert_eq!(job["metadata"]["kind"], "import", "{file}");
        assert_eq!(job["rows_captured"], *n as u64, "{file}");
        assert_eq!(leads.len(), *n, "{file}");
        assert_eq!(companies(&leads)[0], *first, "{file}");
        assert_eq!(leads[0].pointer(path), Some(value), "{file}: {path}");
        // Every value is sourced to its row by record number.
        let url = leads[0]["sources"][0]["url"].as_str().unwrap_or_default();
        assert!(url.ends_with("#row=1"), "{file}: {url}");
    }
}

#[test]
fn a_spreadsheet_and_a_tsv_open_like_the_csv() {
    let env = CliEnv::new("");
    let csv = std::fs::read_to_string(fixture("apollo.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            // Numbers as numbers, the way a spreadsheet holds them.
            match v.parse::<f64>() {
                Ok(n) => sheet.write_number(r as u32 + 1, c as u16, n),
                Err(_) => sheet.write_string(r as u32 + 1, c as u16, v),
            }
            .unwrap();
        }
    }
    let xlsx = env.path("apollo export.xlsx");
    book.save(&xlsx).unwrap();
    let (_, from_xlsx) = open(&env, &xlsx, &[]);

    let tsv = env.path("apollo.tsv");
    let mut text = headers.join("\t") + "\n";
    for row in &rows {
        text += &(row.join("\t") + "\n");
    }
    std::fs::write(&tsv, text).unwrap();
    let (_, from_tsv) = open(&env, &tsv, &[]);
    let (_, from_csv) = open(&env, &fixture("apollo.csv"), &[]);
    for leads in [&from_xlsx, &from_tsv] {
        assert_eq!(companies(leads), companies(&from_csv));
        assert_eq!(leads[0]["fields"]["employees"], 180);
        assert_eq!(leads[0]["company"]["hq_city"], "Berlin");
        assert_eq!(leads[1]["fields"]["funding_stage"], "series_a");
    }
}

#[test]
fn a_map_corrects_the_mapping_and_bad_input_says_what_to_do() {
    let env = CliEnv::new("");
    let file = fixture("hubspot_contacts.csv");
    let (_, leads) = open(
        &env,
        &file,
        &[
            "--map",
            "Lead Status=fields.funding_stage",
            "--map",
            "Phone Number=ignore",
        ],
    );
    assert_eq!(leads[0]["fields"]["funding_stage"], "New");
    assert!(leads[0]["fields"].get("phone_number").is_none());

    let out = env.run(&[
        "open",
        &file,
        "--no-tui",
        "--map",
        "Associated Company=company.nam",
    ]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("company.name") && err.contains("fields.<name>"),
        "{err}"
    );

    let out = env.run(&["open", &file, "--no-tui", "--map", "Nope=company.name"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("Associated Company"),
        "{}",
        stderr(&out)
    );

    let out = env.run(&["serach", "x"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("did you mean `search`"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&[&env.path("no-such-file.csv")]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("neither a command nor an existing file"),
        "{}",
        stderr(&out)
    );

    // A file that names no company anywhere is refused, and nothing is stored.
    let people = env.path("people.csv");
    std::fs::write(&people, "Email,Phone\nana@example.org,123\n").unwrap();
    let jobs = |env: &CliEnv| {
        env.ok_json(&["jobs", "--format", "json"])["data"]
            .as_array()
            .map(Vec::len)
    };
    let before = jobs(&env);
    let out = env.run(&["open", &people, "--no-tui"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--map"), "{}", stderr(&out));
    assert_eq!(jobs(&env), before, "a refused file leaves no job behind");
}

#[test]
fn hostile_headers_and_cells_never_reach_the_terminal_raw() {
    let env = CliEnv::new("");
    let file = env.path("hostile.csv");
    std::fs::write(
        &file,
        "Company,Website,\u{1b}]52;c;aGk=\u{7}Notes\n\u{1b}[2JEvil\u{1b}[0m Corp,evil.example.com,=HYPERLINK(\"x\")\n",
    )
    .unwrap();
    let out = env.run(&["open", &file, "--no-tui"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!out.stderr.contains(&0x1b), "escape in the printed mapping");
    assert!(!out.stdout.contains(&0x1b));
    let job = env.ok_json(&["jobs", "--format", "json"]);
    let id = job["data"][0]["id"].as_str().unwrap().to_string();
    let leads = env.ok_json(&["leads", &id, "--format", "json"]);
    // Control characters never make it into a stored fact.
    assert_eq!(leads["data"][0]["company"]["name"], "[2JEvil[0m Corp");
}

#[test]
fn reopening_and_pushing_an_opened_file_again_creates_nothing_new() {
    let env = CliEnv::new("");
    let (job, _) = open(&env, &fixture("apollo.csv"), &[]);
    let id = job["id"].as_str().unwrap();
    let path = env.path("pushed.csv");
    let first = env.run(&["push", id, "--provider", "file", "--list-id", &path]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(String::from_utf8_lossy(&first.stdout).contains("3 created"));
    // Opening the unchanged file again reopens its job (so its push ledger applies).
    let (reopened, _) = open(&env, &fixture("apollo.csv"), &[]);
    assert_eq!(reopened["id"], job["id"]);
    // A corrected mapping is another reading of the file: a new job.
    let (remapped, _) = open(&env, &fixture("apollo.csv"), &["--map", "Keywords=ignore"]);
    assert_ne!(remapped["id"], job["id"]);
    let again = env.run(&["push", id, "--provider", "file", "--list-id", &path]);
    assert!(again.status.success(), "{}", stderr(&again));
    let text = String::from_utf8_lossy(&again.stdout);
    assert!(
        text.contains("0 created, 3 updated"),
        "the push ledger keeps it idempotent: {text}"
    );
}

#[test]
fn open_starts_the_tui_on_the_files_leads_in_tmux() {
    if !tmux::have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let s = tmux::start_with(dir.path(), "open", "", &fixture("crunchbase.csv"));
    s.wait_for("Lumora AI", Duration::from_secs(20));
    // The capture can land mid-frame: wait for the frame's later rows rather than assume them.
    let screen = s.wait_for("Corvid Health", Duration::from_secs(20));
    assert!(
        screen.contains("Leads ("),
        "the leads table is open:\n{screen}"
    );
    // The first rows come straight from the file; push waits for the stored job.
    s.wait_for("✓ Opened crunchbase", Duration::from_secs(60));
    // The opened file's leads push like a job's: the push picker opens on them.
    s.keys(&["p"]);
    s.wait_for("Push the leads of", Duration::from_secs(5));
    s.keys(&["Escape"]);
    s.wait_gone("Push the leads of", Duration::from_secs(5));
    s.keys(&["q"]);
}

#[test]
fn a_wrong_mapping_is_corrected_in_the_tui_and_the_file_opens_again() {
    if !tmux::have_tmux() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // A HubSpot contacts export whose company column has a name no alias knows: the leads are
    // named after their domains until the column is mapped to company.name.
    let file = dir.path().join("hubspot_unmapped.csv");
    std::fs::write(
        &file,
        "Record ID,First Name,Last Name,Email,Job Title,Employer Legal Name,Website URL,City,Country/Region\n\
         51234001,Maya,Okafor,maya.okafor@brightpath-logistics.com,VP of Operations,BrightPath Logistics,https://www.brightpath-logistics.com,Oakland,United States\n\
         51234002,Tomás,Herrera,t.herrera@quillbyte.io,Head of Growth,Quillbyte,quillbyte.io,Madrid,Spain\n",
    )
    .unwrap();
    let s = tmux::start_with(dir.path(), "mapping", "", &file.display().to_string());
    let screen = s.wait_for("✓ Opened hubspot_unmapped", Duration::from_secs(60));
    assert!(!screen.contains("BrightPath Logistics"), "{screen}");
    s.keys(&["M"]);
    let screen = s.wait_for("Mapping of hubspot_unmapped.csv", Duration::from_secs(10));
    assert!(
        screen.contains("Employer Legal Name") && screen.contains("fields.employer_legal_name"),
        "each header with its target:\n{screen}"
    );
    assert!(
        screen.contains("BrightPath Logistics"),
        "a sample value:\n{screen}"
    );
    for _ in 0..5 {
        s.keys(&["Down"]);
    }
    s.keys(&["Right"]);
    let screen = s.wait_for("* Employer Legal Name", Duration::from_secs(5));
    assert!(screen.contains("company.name"), "{screen}");
    s.keys(&["Enter"]);
    // A second job (the corrected mapping is other content), shown at once.
    s.wait_for("Threads (2)", Duration::from_secs(60));
    let screen = s.wait_for("Quillbyte ", Duration::from_secs(10));
    assert!(screen.contains("BrightPath Lo"), "{screen}");
    s.keys(&["q"]);
}
