//! `import` on messy real-world files: BOM, semicolons, quoted newlines, mixed encodings,
//! duplicate rows, missing columns, bad rows reported by record number and skipped; every known
//! export shape (tests/data/imports) with its expected mapping.

use leadline::engine::{Engine, EngineOptions};
use leadline::model::OrgId;

fn data(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/live")
        .join(name)
}

/// On the test store (`LEADLINE_TEST_STORE=postgres` puts it on PostgreSQL, as CI's second pass
/// does: dataset search is the one query written differently there).
async fn engine(dir: &std::path::Path) -> Engine {
    let mut options = EngineOptions::new(dir);
    options.database = crate::common::pg::test_store();
    Engine::open(options).await.unwrap()
}

/// PostgreSQL searches datasets through its GIN index, not by reading every row: on 5,000
/// imported companies (analysed, as autovacuum would), the plan of the very query `search` runs
/// for a rare word goes through the index.
#[tokio::test]
async fn dataset_search_on_postgres_uses_its_index() {
    let Some(db) = crate::common::pg::database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("many.csv");
    let mut csv = String::from("Company Name,Website,Industry,City\n");
    for i in 0..5_000 {
        csv.push_str(&format!("Company {i},company{i}.com,Software,Paris\n"));
    }
    csv.push_str("Zebracorp,zebracorp.com,Fintech,Lyon\n");
    std::fs::write(&file, csv).unwrap();
    let mut options = EngineOptions::new(dir.path());
    options.database = Some(db);
    let engine = Engine::open(options).await.unwrap();
    engine.import_dataset(&file, None).await.unwrap();
    let hits = engine.search_datasets("zebracorp lyon", 5).await.unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].record.domain.as_deref(), Some("zebracorp.com"));
    let plan = leadline::engine::store::blocking(|| {
        engine.store().write(|c| {
            c.execute("ANALYZE dataset_rows", ())?;
            let (sql, params) = leadline::engine::store::datasets::search_pg_query(
                &OrgId::local(),
                "zebracorp lyon",
                5,
            );
            c.query_map(&format!("EXPLAIN {sql}"), params, |r| r.get::<String>(0))
        })
    })
    .unwrap();
    assert!(
        plan.iter().any(|l| l.contains("dataset_rows_search")),
        "the search does not use its index:\n{}",
        plan.join("\n")
    );
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
            (5, "'not a domain' is not a domain"),
            (6, "no company name or domain")
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
    assert_eq!(zurich[0].record.line, 10, "the record number, not the line");
    let qonto = engine.search_datasets("business banking", 5).await.unwrap();
    assert_eq!(qonto.len(), 1);
    assert_eq!(
        qonto[0].record.description.as_deref(),
        Some("Business banking\nfor SMEs")
    );
    assert_eq!(qonto[0].record.domain.as_deref(), Some("qonto.com"));
    assert_eq!(qonto[0].record.employees_min, Some(1400));
    assert_eq!(qonto[0].record.funding_slug.as_deref(), Some("series_d"));
    // The row after the two-line cell is record 2 (line 4 of the file).
    let pennylane = engine.search_datasets("pennylane", 5).await.unwrap();
    assert_eq!(pennylane.len(), 1, "the duplicate row was collapsed");
    assert_eq!(pennylane[0].record.line, 2);
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
    assert_eq!(people.bad_rows[0].line, 6);
    assert!(people.bad_rows[0].reason.contains("not-an-email"));
    let ana = engine.search_datasets("Lopez", 5).await.unwrap();
    assert_eq!(ana[0].record.full_name.as_deref(), Some("Ana Lopez"));
    assert_eq!(ana[0].record.email.as_deref(), Some("ana@pennylane.com"));
    assert_eq!(ana[0].url(), "dataset://crm-export#row=1");
    assert_eq!(ana[0].file_name, "people.csv");

    let json = engine
        .import_dataset(&data("companies.json"), Some("extra"))
        .await
        .unwrap();
    assert_eq!(json.delimiter, None);
    assert_eq!(json.imported, 2);
    assert_eq!(json.bad_rows.len(), 1);
    assert_eq!(json.bad_rows[0].line, 3);
    // Swan is in both datasets; equally good matches rank differently on FTS5 and PostgreSQL.
    let swans = engine.search_datasets("swan", 5).await.unwrap();
    let swan = swans
        .iter()
        .find(|h| h.dataset == "extra")
        .unwrap_or_else(|| panic!("no Swan from the JSON file: {swans:?}"));
    assert_eq!(swan.record.technologies, vec!["Node.js", "AWS"]);
    assert_eq!(swan.record.employees_min, Some(80));

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

fn shape(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/imports")
        .join(name)
}

/// What one known export must map to: the export recognised, header → lead path pairs, and the
/// first record's normalised values.
struct Shape {
    file: &'static str,
    export: &'static str,
    mapping: &'static [(&'static str, &'static str)],
    check: fn(&[leadline::engine::sources::dataset::Record]),
}

const SHAPES: &[Shape] = &[
    Shape {
        file: "hubspot_contacts.csv",
        export: "HubSpot contacts",
        mapping: &[
            ("Associated Company", "company.name"),
            ("Website URL", "company.domain"),
            ("City", "fields.person_city"),
            ("Country/Region", "fields.person_country"),
            ("Lifecycle Stage", "fields.lifecycle_stage"),
            ("Job Title", "person.title"),
        ],
        check: |r| {
            assert_eq!(r.len(), 3, "every contact imports (none lacks a company)");
            assert_eq!(r[0].company_name.as_deref(), Some("BrightPath Logistics"));
            assert_eq!(r[0].domain.as_deref(), Some("brightpath-logistics.com"));
            assert_eq!(r[0].full_name.as_deref(), Some("Maya Okafor"));
            // The contact's own city is not the company's headquarters.
            assert_eq!(r[0].city, None);
            assert_eq!(r[0].country, None);
            assert_eq!(r[0].extra["person_city"], "Oakland");
        },
    },
    Shape {
        file: "hubspot_companies.csv",
        export: "HubSpot companies",
        mapping: &[
            ("Name", "company.name"),
            ("Company Domain Name", "company.domain"),
            ("City", "company.hq_city"),
            ("Country/Region", "company.hq_country"),
            ("LinkedIn Company Page", "company.linkedin"),
        ],
        check: |r| {
            assert_eq!(r[0].country.as_deref(), Some("US"));
            assert_eq!(r[0].us_state.as_deref(), Some("CA"));
            assert_eq!(r[0].industry_slug.as_deref(), Some("logistics"));
            assert_eq!(r[0].employees_min, Some(340));
            assert_eq!(r[0].full_name, None);
        },
    },
    Shape {
        file: "salesforce_leads.csv",
        export: "Salesforce",
        mapping: &[
            ("Company / Account", "company.name"),
            ("State/Province", "fields.us_state"),
            ("No. of Employees", "fields.employees"),
            ("Lead Status", "fields.lead_status"),
        ],
        check: |r| {
            assert_eq!(r[0].company_name.as_deref(), Some("Ferrowave Systems"));
            assert_eq!(r[0].domain.as_deref(), Some("ferrowave.com"));
            assert_eq!(r[0].us_state.as_deref(), Some("TX"));
            assert_eq!(r[0].employees_min, Some(1200));
            assert_eq!(r[0].industry_slug.as_deref(), Some("semiconductors"));
            assert_eq!(r[1].country.as_deref(), Some("SE"));
            assert_eq!(r[1].industry_slug.as_deref(), Some("healthcare"));
        },
    },
    Shape {
        file: "apollo.csv",
        export: "Apollo",
        mapping: &[
            ("Company", "company.name"),
            ("Stage", "fields.crm_stage"),
            ("Latest Funding", "fields.funding_stage"),
            ("Person Linkedin Url", "person.linkedin"),
            ("Company Linkedin Url", "company.linkedin"),
            ("City", "fields.person_city"),
            ("Country", "fields.person_country"),
            ("Company City", "company.hq_city"),
            ("Company Country", "company.hq_country"),
            ("# Employees", "fields.employees"),
        ],
        check: |r| {
            let lena = &r[0];
            assert_eq!(
                lena.funding_slug.as_deref(),
                Some("series_b"),
                "Latest Funding"
            );
            assert_eq!(lena.extra["crm_stage"], "Cold", "Stage is a CRM stage");
            assert_eq!(lena.city.as_deref(), Some("Berlin"), "Company City");
            assert_eq!(lena.country.as_deref(), Some("DE"));
            assert_eq!(lena.extra["person_city"], "Munich");
            assert_eq!(
                lena.person_linkedin.as_deref(),
                Some("http://www.linkedin.com/in/lenafischer")
            );
            assert_eq!(
                lena.company_linkedin.as_deref(),
                Some("http://www.linkedin.com/company/kernwerk")
            );
            assert_eq!(lena.technologies, vec!["AWS", "Kubernetes", "Go"]);
            let omar = &r[1];
            assert_eq!(
                omar.country.as_deref(),
                Some("GB"),
                "HQ London, person Lisbon"
            );
            // "Financial Services" is kept as stated, never rewritten to fintech.
            assert_eq!(omar.industry.as_deref(), Some("Financial Services"));
            assert_eq!(omar.industry_slug, None);
        },
    },
    Shape {
        file: "sales_navigator.json",
        export: "Sales Navigator (PhantomBuster)",
        mapping: &[
            ("linkedInProfileUrl", "person.linkedin"),
            ("regularCompanyUrl", "company.domain"),
            ("companyLocation", "company.hq_location"),
            ("location", "fields.person_location"),
            ("summary", "fields.person_summary"),
            ("profileUrl", "fields.sales_navigator_url"),
        ],
        check: |r| {
            let hannah = &r[0];
            assert_eq!(
                hannah.person_linkedin.as_deref(),
                Some("https://www.linkedin.com/in/ACwAAB1x2y3")
            );
            // A LinkedIn company page is the company's LinkedIn, not its domain.
            assert_eq!(hannah.domain, None);
            assert_eq!(
                hannah.company_linkedin.as_deref(),
                Some("https://www.linkedin.com/company/80451277")
            );
            assert_eq!(hannah.city.as_deref(), Some("Oslo"));
            assert_eq!(hannah.country.as_deref(), Some("NO"));
            assert_eq!(hannah.description, None, "the summary is the person's");
            assert!(hannah.extra.contains_key("person_summary"));
            let ravi = &r[1];
            assert_eq!(ravi.domain.as_deref(), Some("tidewell-energy.com"));
            assert_eq!(ravi.country.as_deref(), Some("SG"));
        },
    },
    Shape {
        file: "crunchbase.csv",
        export: "Crunchbase",
        mapping: &[
            ("Organization Name", "company.name"),
            ("LinkedIn", "company.linkedin"),
            ("Headquarters Location", "company.hq_location"),
            ("Industries", "fields.industry"),
            ("Number of Employees", "fields.employees"),
            ("Last Funding Type", "fields.funding_stage"),
        ],
        check: |r| {
            let lumora = &r[0];
            assert_eq!(lumora.domain.as_deref(), Some("lumora.ai"));
            assert_eq!(lumora.person_linkedin, None);
            assert_eq!(
                lumora.company_linkedin.as_deref(),
                Some("https://www.linkedin.com/company/lumora-ai")
            );
            assert_eq!(lumora.city.as_deref(), Some("San Francisco"));
            assert_eq!(lumora.us_state.as_deref(), Some("CA"));
            assert_eq!(lumora.country.as_deref(), Some("US"));
            assert_eq!(lumora.industry_slugs, vec!["ai", "saas"]);
            assert_eq!(
                (lumora.employees_min, lumora.employees_max),
                (Some(51), Some(100))
            );
            assert_eq!(lumora.funding_slug.as_deref(), Some("series_a"));
            assert!(
                r[2].industry_slugs.is_empty(),
                "financial services is not fintech"
            );
            assert_eq!(r[2].country.as_deref(), Some("IE"));
        },
    },
    Shape {
        file: "pdl_companies.csv",
        export: "People Data Labs companies",
        mapping: &[
            ("name", "company.name"),
            ("linkedin url", "company.linkedin"),
            ("size range", "fields.employees"),
            ("locality", "company.hq_location"),
            (
                "current employee estimate",
                "fields.current_employee_estimate",
            ),
        ],
        check: |r| {
            let harbor = &r[0];
            assert_eq!(harbor.company_name.as_deref(), Some("harbor bank"));
            assert_eq!(harbor.person_linkedin, None);
            assert_eq!(
                harbor.company_linkedin.as_deref(),
                Some("linkedin.com/company/harbor-bank")
            );
            assert_eq!(
                (harbor.employees_min, harbor.employees_max),
                (Some(1001), Some(5000))
            );
            assert_eq!(harbor.city.as_deref(), Some("baltimore"));
            assert_eq!(harbor.us_state.as_deref(), Some("MD"));
            assert_eq!(harbor.country.as_deref(), Some("US"));
            assert_eq!(harbor.industry_slug, None);
            assert_eq!(
                (r[2].employees_min, r[2].employees_max),
                (Some(5001), Some(10_000))
            );
            assert_eq!(r[2].industry_slug.as_deref(), Some("saas"));
        },
    },
    Shape {
        file: "pdl_people.jsonl",
        export: "People Data Labs people",
        mapping: &[
            ("job_company_name", "company.name"),
            ("linkedin_url", "person.linkedin"),
            ("job_company_linkedin_url", "company.linkedin"),
            ("location_name", "fields.person_location"),
            ("job_company_location_name", "company.hq_location"),
        ],
        check: |r| {
            assert_eq!(r.len(), 2);
            assert_eq!(r[0].line, 1);
            assert_eq!(r[1].line, 2);
            assert_eq!(r[0].country.as_deref(), Some("CA"));
            assert_eq!(r[0].city.as_deref(), Some("toronto"));
            assert_eq!(
                r[0].person_linkedin.as_deref(),
                Some("linkedin.com/in/martasilva")
            );
            assert_eq!(r[1].email, None);
        },
    },
    Shape {
        file: "clay.csv",
        export: "Clay",
        mapping: &[
            ("LinkedIn Profile", "person.linkedin"),
            ("Company LinkedIn", "company.linkedin"),
            ("Location", "fields.person_location"),
            ("Primary Industry", "fields.industry"),
        ],
        check: |r| {
            assert_eq!(r[0].domain.as_deref(), Some("soramilabs.jp"));
            assert_eq!(r[0].industry_slug.as_deref(), Some("martech"));
            assert_eq!(r[0].country, None, "the person's location is not the HQ");
        },
    },
    Shape {
        file: "hunter.csv",
        export: "Hunter",
        mapping: &[
            ("Organization", "company.name"),
            ("Domain name", "company.domain"),
            ("Email address", "person.email"),
            ("Position", "person.title"),
            ("Linkedin URL", "person.linkedin"),
            ("Confidence score", "fields.email_confidence"),
        ],
        check: |r| {
            assert_eq!(r[0].email.as_deref(), Some("t.herrera@quillbyte.io"));
            assert_eq!(r[0].full_name.as_deref(), Some("Tomás Herrera"));
            assert_eq!(r[1].full_name, None, "a generic address is no person");
        },
    },
    Shape {
        file: "zoominfo.csv",
        export: "ZoomInfo",
        mapping: &[
            ("Email Address", "person.email"),
            ("LinkedIn Contact Profile URL", "person.linkedin"),
            ("LinkedIn Company Profile URL", "company.linkedin"),
            ("Person City", "fields.person_city"),
            ("Country", "fields.person_country"),
            ("Company City", "company.hq_city"),
            ("Company Country", "company.hq_country"),
            ("Primary Industry", "fields.industry"),
        ],
        check: |r| {
            assert_eq!(r[0].city.as_deref(), Some("Seattle"));
            assert_eq!(r[0].us_state.as_deref(), Some("WA"));
            assert_eq!(r[0].country.as_deref(), Some("US"));
            assert_eq!(r[0].domain.as_deref(), Some("cascadeparts.com"));
            assert_eq!(r[0].employees_min, Some(640));
            assert_eq!(r[0].industry_slug.as_deref(), Some("automotive"));
        },
    },
];

#[test]
fn every_known_export_shape_maps_person_and_company_fields_apart() {
    for s in SHAPES {
        let read = leadline::engine::import::read_file(&shape(s.file), &[])
            .unwrap_or_else(|e| panic!("{}: {}", s.file, e.message));
        assert_eq!(read.export.as_deref(), Some(s.export), "{}", s.file);
        assert!(read.bad_rows.is_empty(), "{}: {:?}", s.file, read.bad_rows);
        for (header, path) in s.mapping {
            let got = read
                .mapping
                .iter()
                .find(|(h, _)| h == header)
                .map(|(_, p)| p.as_str());
            assert_eq!(got, Some(*path), "{}: column {header}", s.file);
        }
        (s.check)(&read.records);
    }
}

#[test]
fn a_map_corrects_a_column_and_an_unknown_target_lists_the_valid_ones() {
    use leadline::engine::sources::dataset::columns::Override;
    let o = Override::parse("Lifecycle Stage=fields.funding_stage").unwrap();
    let read = leadline::engine::import::read_file(&shape("hubspot_contacts.csv"), &[o]).unwrap();
    assert!(
        read.mapping
            .contains(&("Lifecycle Stage".into(), "fields.funding_stage".into()))
    );
    assert_eq!(read.records[0].funding_stage.as_deref(), Some("Lead"));
    let e = Override::parse("Associated Company=company.title").unwrap_err();
    assert!(e.message.contains("company.name"), "{}", e.message);
}

#[tokio::test]
async fn one_file_is_one_source_and_the_same_export_as_csv_and_json_is_kept_once() {
    use leadline::engine::sources::dataset::query;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path()).await;
    let csv = engine
        .import_dataset(&shape("apollo.csv"), Some("apollo-csv"))
        .await
        .unwrap();
    assert_eq!(csv.same_rows_as, None);
    let json = engine
        .import_dataset(&shape("apollo.json"), Some("apollo-json"))
        .await
        .unwrap();
    assert_eq!(json.same_rows_as.as_deref(), Some("apollo-csv"));
    let names: Vec<String> = engine
        .list_datasets()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(names, vec!["apollo-json"]);
    // Another organisation's identical import is its own: nothing of this one is replaced.
    let other = engine.for_org(leadline::model::OrgId::generate());
    let theirs = other
        .import_dataset(&shape("apollo.csv"), Some("apollo-csv"))
        .await
        .unwrap();
    assert_eq!(theirs.same_rows_as, None);
    assert_eq!(engine.list_datasets().await.unwrap().len(), 1);
    assert_eq!(other.list_datasets().await.unwrap().len(), 1);

    // Three rows of one file stating the same company: one source, 0.6, not 0.94.
    let csv3 = dir.path().join("three.csv");
    std::fs::write(
        &csv3,
        "Company,Website,Country\nAcme,acme.io,France\nACME,acme.io,france\nacme,acme.io,FRANCE\n",
    )
    .unwrap();
    engine.import_dataset(&csv3, None).await.unwrap();
    let rows = engine.search_datasets("acme", 10).await.unwrap();
    assert_eq!(rows.len(), 3);
    let companies = query::companies(&rows);
    assert_eq!(companies.len(), 1);
    let lead = query::draft(&companies[0].facts, None, &[]);
    assert_eq!(lead.confidence, 0.6);
    assert_eq!(lead.sources.len(), 1);
    let url = lead.sources[0].url.as_deref().unwrap_or_default();
    assert!(url.starts_with("dataset://three#row="), "{url}");
}
