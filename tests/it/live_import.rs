//! `import` on messy real-world files: BOM, semicolons, quoted newlines, mixed encodings,
//! duplicate rows, missing columns, bad rows reported by line and skipped.

use leadline::engine::{Engine, EngineOptions};

fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/live")
        .join(name)
}

async fn engine(dir: &std::path::Path) -> Engine {
    Engine::open(EngineOptions::new(dir)).await.unwrap()
}

#[tokio::test]
async fn a_messy_semicolon_csv_imports_with_its_mapping_and_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path()).await;
    let report = engine
        .import_dataset(&data("companies.csv"), None)
        .await
        .unwrap();
    assert_eq!(report.name, "companies");
    assert_eq!(report.delimiter, Some(';'));
    let mapping: Vec<(&str, &str)> = report
        .mapping
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        mapping,
        vec![
            ("Company Name", "company.name"),
            ("Website", "company.domain"),
            ("Industry", "fields.industry"),
            ("Country", "company.hq_country"),
            ("City", "company.hq_city"),
            ("Employees", "fields.employees"),
            ("Funding Stage", "fields.funding_stage"),
            ("Tech Stack", "fields.technologies"),
            ("Description", "fields.description"),
        ]
    );
    assert_eq!(report.rows_read, 10);
    assert_eq!(report.imported, 7);
    assert_eq!(report.duplicates, 1);
    let bad: Vec<(u64, &str)> = report
        .bad_rows
        .iter()
        .map(|b| (b.line, b.reason.as_str()))
        .collect();
    assert_eq!(
        bad,
        vec![
            (7, "'not a domain' is not a domain"),
            (8, "no company name or domain")
        ]
    );

    // Windows-1252 and UTF-8 cells in one file both read right; the quoted newline is kept.
    let hits = engine.search_datasets("fintech paris", 50).await.unwrap();
    let names: Vec<String> = hits
        .iter()
        .filter_map(|h| h.record.company_name.clone())
        .collect();
    assert!(names.contains(&"Société Fintech".to_string()), "{names:?}");
    let zurich = engine.search_datasets("Zürich", 5).await.unwrap();
    assert_eq!(zurich.len(), 1);
    assert_eq!(zurich[0].record.city.as_deref(), Some("Zürich"));
    assert_eq!(zurich[0].record.country.as_deref(), Some("CH"));
    assert_eq!(zurich[0].record.line, 12);
    let qonto = engine.search_datasets("business banking", 5).await.unwrap();
    assert_eq!(qonto.len(), 1);
    assert_eq!(
        qonto[0].record.description.as_deref(),
        Some("Business banking\nfor SMEs")
    );
    assert_eq!(qonto[0].record.domain.as_deref(), Some("qonto.com"));
    assert_eq!(qonto[0].record.employees_min, Some(1400));
    assert_eq!(qonto[0].record.funding_slug.as_deref(), Some("series_d"));
    // The row after the two-line cell still has its own line number.
    let pennylane = engine.search_datasets("pennylane", 5).await.unwrap();
    assert_eq!(pennylane.len(), 1, "the duplicate row was collapsed");
    assert_eq!(pennylane[0].record.line, 4);
    assert_eq!(
        pennylane[0].record.industry_slug.as_deref(),
        Some("fintech")
    );
    // A short row (missing trailing columns) imports with what it has.
    let swan = engine.search_datasets("swan", 5).await.unwrap();
    assert_eq!(swan[0].record.technologies, Vec::<String>::new());
    assert_eq!(swan[0].record.description, None);
    // Search text is never FTS syntax.
    assert!(
        engine
            .search_datasets("\"AND OR (", 5)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn people_json_and_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path()).await;
    let people = engine
        .import_dataset(&data("people.csv"), Some("CRM export"))
        .await
        .unwrap();
    assert_eq!(people.name, "crm-export");
    assert_eq!(people.delimiter, Some(','));
    assert_eq!(people.imported, 5);
    assert_eq!(
        people.duplicates, 1,
        "the same person, email in another case"
    );
    assert_eq!(people.bad_rows.len(), 1);
    assert_eq!(people.bad_rows[0].line, 7);
    assert!(people.bad_rows[0].reason.contains("not-an-email"));
    let ana = engine.search_datasets("Lopez", 5).await.unwrap();
    assert_eq!(ana[0].record.full_name.as_deref(), Some("Ana Lopez"));
    assert_eq!(ana[0].record.email.as_deref(), Some("ana@pennylane.com"));
    assert_eq!(ana[0].url(), "dataset://crm-export#row=2");
    assert_eq!(ana[0].file_name, "people.csv");

    let json = engine
        .import_dataset(&data("companies.json"), Some("extra"))
        .await
        .unwrap();
    assert_eq!(json.delimiter, None);
    assert_eq!(json.imported, 2);
    assert_eq!(json.bad_rows.len(), 1);
    assert_eq!(json.bad_rows[0].line, 3);
    let swan = engine.search_datasets("swan", 5).await.unwrap();
    assert_eq!(swan[0].record.technologies, vec!["Node.js", "AWS"]);
    assert_eq!(swan[0].record.employees_min, Some(80));

    // Importing the same name again replaces it (no doubled rows).
    let again = engine
        .import_dataset(&data("people.csv"), Some("CRM export"))
        .await
        .unwrap();
    assert!(again.replaced);
    assert_eq!(engine.search_datasets("Lopez", 5).await.unwrap().len(), 1);
    let names: Vec<String> = engine
        .list_datasets()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, vec!["extra", "crm-export"]);
}

#[tokio::test]
async fn an_unreadable_file_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path()).await;
    let e = engine
        .import_dataset(&dir.path().join("missing.csv"), None)
        .await
        .unwrap_err();
    assert_eq!(e.code, leadline::model::ErrorCode::InvalidRequest);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, b"[{\"a\": ").unwrap();
    let e = engine.import_dataset(&bad, None).await.unwrap_err();
    assert!(e.message.contains("not valid JSON"), "{}", e.message);
}
