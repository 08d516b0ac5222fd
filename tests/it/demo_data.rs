//! The demo data in assets/demo works offline as the README says: imported through the real
//! binary, a live search finds exactly the companies the files prove, and an attached account
//! list is enriched company by company.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::common::cli::CliEnv;

fn demo(file: &str) -> String {
    format!("{}/assets/demo/{file}", env!("CARGO_MANIFEST_DIR"))
}

fn imported() -> CliEnv {
    let env = CliEnv::new("");
    for (file, name) in [
        ("companies.csv", "demo-companies"),
        ("people.csv", "demo-people"),
    ] {
        let report = env.ok_json(&["import", &demo(file), "--name", name, "--format", "json"]);
        assert_eq!(
            report["bad_rows"],
            serde_json::json!([]),
            "{file}: {report}"
        );
        assert_eq!(report["imported"], report["rows_read"], "{file}: {report}");
    }
    env
}

fn companies(job: &Value) -> BTreeSet<String> {
    job["leads"]
        .as_array()
        .expect("the job's leads")
        .iter()
        .map(|l| l["company"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_live_search_over_the_demo_data_finds_the_companies_the_files_prove() {
    let env = imported();
    let job = env.ok_json(&[
        "--live",
        "search",
        "Series A fintechs in France or Germany, their CTO and VP Engineering",
        "--format",
        "json",
    ]);
    assert_eq!(job["status"], "succeeded", "{job}");
    // Read off companies.csv by hand: fintech, FR or DE, Series A. Credvista (Series B, and
    // "Financial Services"), Tresorio (Seed) and Bilanzly (accounting) must not come back.
    let want: BTreeSet<String> = ["Facturo", "Kassenwerk", "Ledgerline", "Paysoleil"]
        .map(String::from)
        .into();
    assert_eq!(companies(&job), want);
    let leads = job["leads"].as_array().unwrap();
    // people.csv has one CTO at each and a VP Engineering too at Facturo.
    assert_eq!(leads.len(), 5, "{job}");
    for lead in leads {
        let title = lead["person"]["title"].as_str().unwrap();
        assert!(
            ["CTO", "Chief Technology Officer", "VP Engineering"].contains(&title),
            "{title}"
        );
        assert_eq!(lead["fields"]["funding_stage"], "series_a");
        let sources = lead["sources"].as_array().unwrap();
        assert!(
            sources
                .iter()
                .all(|s| s["url"].as_str().unwrap().starts_with("dataset://demo-")),
            "{lead}"
        );
    }
}

#[test]
fn the_demo_account_list_is_enriched_company_by_company() {
    let env = imported();
    let job = env.ok_json(&[
        "--live",
        "search",
        "For each company in the attached list, pull the CEO",
        "--attach",
        &demo("accounts.csv"),
        "--format",
        "json",
    ]);
    assert_eq!(job["status"], "succeeded", "{job}");
    let listed: BTreeSet<String> = std::fs::read_to_string(demo("accounts.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(listed.len(), 8);
    assert_eq!(companies(&job), listed);
}
