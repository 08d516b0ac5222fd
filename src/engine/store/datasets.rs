//! Dataset tables (migration 3): `datasets`, `dataset_rows` (one normalised row each, with the
//! columns ICP filters need) and `dataset_fts` (FTS5 over the text columns, rowid = row id).

use super::{Conn, Dialect, Param, Row, params};
use serde_json::{Map, Value};

use crate::engine::sources::dataset::{Record, normalise};
use crate::model::{Error, Icp, OrgId};

/// A row with the dataset it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct SourcedRecord {
    pub dataset: String,
    pub file_name: String,
    pub imported_at: i64,
    pub record: Record,
}

impl SourcedRecord {
    /// The row's address, as lead sources record it.
    pub fn url(&self) -> String {
        format!("dataset://{}#row={}", self.dataset, self.record.line)
    }
}

/// A dataset as listed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DatasetInfo {
    pub name: String,
    pub file_name: String,
    pub rows: u64,
    pub imported_at: i64,
}

/// A dataset to store.
pub struct NewDataset<'a> {
    pub name: &'a str,
    pub file_name: &'a str,
    /// The mapping as JSON.
    pub mapping: &'a str,
    /// [`fingerprint`] of the records.
    pub fingerprint: &'a str,
    pub records: &'a [Record],
    pub now: i64,
}

/// What storing a dataset replaced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replaced {
    /// An earlier dataset of the same name.
    pub same_name: bool,
    /// An earlier dataset under another name with exactly the same rows (the same export as CSV
    /// and as JSON): replaced too, so the file counts as one source, not two.
    pub same_rows: Option<String>,
}

/// The content of a dataset, independent of its format, row order and file name: the SHA-256 of
/// its normalised records (record numbers left out), sorted.
pub fn fingerprint(records: &[Record]) -> String {
    use sha2::{Digest, Sha256};
    let mut keys: Vec<String> = records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.line = 0;
            serde_json::to_string(&r).unwrap_or_default()
        })
        .collect();
    keys.sort();
    let mut h = Sha256::new();
    for k in &keys {
        h.update(k.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

fn delete(c: &Conn<'_>, id: i64) -> Result<(), Error> {
    // PostgreSQL searches the rows themselves (no separate index table to keep in step).
    if c.dialect() == Dialect::Sqlite {
        c.execute(
            "DELETE FROM dataset_fts WHERE rowid IN (SELECT id FROM dataset_rows WHERE dataset_id = ?1)",
            [id],
        )?;
    }
    c.execute("DELETE FROM dataset_rows WHERE dataset_id = ?1", [id])?;
    c.execute("DELETE FROM datasets WHERE id = ?1", [id])?;
    Ok(())
}

/// Stores a dataset, replacing an earlier one of that name or with the same rows. Runs inside
/// the caller's transaction.
pub fn insert(c: &Conn<'_>, org: &OrgId, d: &NewDataset<'_>) -> Result<Replaced, Error> {
    let NewDataset {
        name,
        file_name,
        mapping,
        fingerprint,
        records,
        now,
    } = *d;
    let replaced = replace_earlier(c, org, name, fingerprint)?;
    let id: i64 = c.query_row(
        "INSERT INTO datasets (org_id, name, file_name, rows, mapping, imported_at, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
        params![
            org.as_str(),
            name,
            file_name,
            records.len() as i64,
            mapping,
            now,
            fingerprint
        ],
        |r| r.get(0),
    )?;
    insert_rows(c, id, records)?;
    Ok(replaced)
}

/// Drops an earlier dataset of the organisation with this name or these same rows (the same
/// export imported again, maybe in another format: one file is one source).
fn replace_earlier(
    c: &Conn<'_>,
    org: &OrgId,
    name: &str,
    fingerprint: &str,
) -> Result<Replaced, Error> {
    let mut replaced = Replaced::default();
    let old: Option<i64> = c.query_opt(
        "SELECT id FROM datasets WHERE org_id = ?1 AND name = ?2",
        params![org.as_str(), name],
        |r| r.get(0),
    )?;
    if let Some(id) = old {
        delete(c, id)?;
        replaced.same_name = true;
    }
    let twin: Option<(i64, String)> = c.query_opt(
        "SELECT id, name FROM datasets WHERE org_id = ?1 AND fingerprint = ?2",
        params![org.as_str(), fingerprint],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if let Some((id, twin_name)) = twin {
        delete(c, id)?;
        replaced.same_rows = Some(twin_name);
    }
    Ok(replaced)
}

/// A dataset's rows and their full-text index entries.
fn insert_rows(c: &Conn<'_>, dataset: i64, records: &[Record]) -> Result<(), Error> {
    let row_sql = "INSERT INTO dataset_rows (dataset_id, line, company_key, company_name, domain, full_name, title,
            email, person_linkedin, company_linkedin, city, country, us_state, industry, industry_slug,
            employees, employees_min, employees_max, funding_stage, funding_slug, technologies,
            tech_key, description, extra)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
            ?19, ?20, ?21, ?22, ?23, ?24) RETURNING id";
    let fts_sql = "INSERT INTO dataset_fts (rowid, company_name, full_name, title, industry, city, technologies, description)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    let fts = c.dialect() == Dialect::Sqlite;
    for r in records {
        let Some(key) = r.company_key() else { continue };
        let techs = r.technologies.join(", ");
        let tech_key = if r.technologies.is_empty() {
            String::new()
        } else {
            format!(
                "|{}|",
                r.technologies
                    .iter()
                    .map(|t| t.to_lowercase())
                    .collect::<Vec<_>>()
                    .join("|")
            )
        };
        let id: i64 = c.query_row(
            row_sql,
            params![
                dataset,
                r.line as i64,
                key,
                r.company_name,
                r.domain,
                r.full_name,
                r.title,
                r.email,
                r.person_linkedin,
                r.company_linkedin,
                r.city,
                r.country,
                r.us_state,
                r.industry,
                slug_key(r),
                r.employees,
                r.employees_min,
                r.employees_max,
                r.funding_stage,
                r.funding_slug,
                serde_json::to_string(&r.technologies).unwrap_or_else(|_| "[]".into()),
                tech_key,
                r.description,
                serde_json::to_string(&r.extra).unwrap_or_else(|_| "{}".into()),
            ],
            |r| r.get(0),
        )?;
        if fts {
            c.execute(
                fts_sql,
                params![
                    id,
                    r.company_name,
                    r.full_name,
                    r.title,
                    r.industry,
                    r.city,
                    techs,
                    r.description
                ],
            )?;
        }
    }
    Ok(())
}

/// The `industry_slug` column: the slug, or `|a|b|` when a multi-valued cell names several (the
/// ICP filter matches either form).
fn slug_key(r: &Record) -> Option<String> {
    match r.industry_slugs.as_slice() {
        [] => r.industry_slug.clone(),
        [one] => Some(one.clone()),
        many => Some(format!("|{}|", many.join("|"))),
    }
}

fn slugs_of(key: Option<String>) -> (Option<String>, Vec<String>) {
    match key {
        Some(k) if k.starts_with('|') => {
            let all: Vec<String> = k
                .split('|')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect();
            (all.first().cloned(), all)
        }
        Some(k) => (Some(k.clone()), vec![k]),
        None => (None, Vec::new()),
    }
}

pub fn list(c: &Conn<'_>, org: &OrgId) -> Result<Vec<DatasetInfo>, Error> {
    c.query_map(
        "SELECT name, file_name, rows, imported_at FROM datasets WHERE org_id = ?1 ORDER BY id",
        [org.as_str()],
        |r| {
            Ok(DatasetInfo {
                name: r.get(0)?,
                file_name: r.get(1)?,
                rows: r.get::<i64>(2)? as u64,
                imported_at: r.get(3)?,
            })
        },
    )
}

const COLUMNS: &str = "d.name, d.file_name, d.imported_at, r.line, r.company_name, r.domain,
    r.full_name, r.title, r.email, r.person_linkedin, r.company_linkedin, r.city, r.country,
    r.us_state, r.industry, r.industry_slug, r.employees, r.employees_min, r.employees_max,
    r.funding_stage, r.funding_slug, r.technologies, r.description, r.extra";

fn read_row(r: &Row<'_>) -> Result<SourcedRecord, Error> {
    let techs: String = r.get(21)?;
    let extra: String = r.get(23)?;
    let (industry_slug, industry_slugs) = slugs_of(r.get(15)?);
    Ok(SourcedRecord {
        dataset: r.get(0)?,
        file_name: r.get(1)?,
        imported_at: r.get(2)?,
        record: Record {
            line: r.get::<i64>(3)? as u64,
            company_name: r.get(4)?,
            domain: r.get(5)?,
            full_name: r.get(6)?,
            title: r.get(7)?,
            email: r.get(8)?,
            person_linkedin: r.get(9)?,
            company_linkedin: r.get(10)?,
            city: r.get(11)?,
            country: r.get(12)?,
            us_state: r.get(13)?,
            industry: r.get(14)?,
            industry_slug,
            industry_slugs,
            employees: r.get(16)?,
            employees_min: r.get(17)?,
            employees_max: r.get(18)?,
            funding_stage: r.get(19)?,
            funding_slug: r.get(20)?,
            technologies: serde_json::from_str(&techs).unwrap_or_default(),
            description: r.get(22)?,
            extra: serde_json::from_str::<Map<String, Value>>(&extra).unwrap_or_default(),
        },
    })
}

/// Every row of every company some row of which may match the ICP, in import order. The SQL
/// filter is a coarse pass (a row that does not state a field passes it); the runner checks the
/// merged company strictly, so a company is only kept when its facts prove the match.
pub fn rows_for_icp(c: &Conn<'_>, org: &OrgId, icp: &Icp) -> Result<Vec<SourcedRecord>, Error> {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn Param>> = vec![Box::new(org.as_str().to_string())];
    // A multi-valued cell is stored as `|a|b|`.
    if !icp.industries.is_empty() {
        let mut alts = vec!["r2.industry_slug IS NULL".to_string()];
        for i in &icp.industries {
            args.push(Box::new(i.clone()));
            alts.push(format!("r2.industry_slug = ?{}", args.len()));
            args.push(Box::new(format!("%|{i}|%")));
            alts.push(format!("r2.industry_slug LIKE ?{}", args.len()));
        }
        clauses.push(format!("({})", alts.join(" OR ")));
    }
    let mut any_of = |col: &str, values: Vec<String>, args: &mut Vec<Box<dyn Param>>| {
        if values.is_empty() {
            return;
        }
        let marks: Vec<String> = values
            .into_iter()
            .map(|v| {
                args.push(Box::new(v));
                format!("?{}", args.len())
            })
            .collect();
        clauses.push(format!(
            "(r2.{col} IS NULL OR r2.{col} IN ({}))",
            marks.join(", ")
        ));
    };
    any_of("country", wanted_countries(icp), &mut args);
    any_of(
        "us_state",
        icp.us_states.iter().map(|s| s.to_uppercase()).collect(),
        &mut args,
    );
    any_of("funding_slug", icp.funding_stages.clone(), &mut args);
    if !icp.cities.is_empty() {
        let marks: Vec<String> = icp
            .cities
            .iter()
            .map(|v| {
                args.push(Box::new(normalise::fold(v)));
                format!("?{}", args.len())
            })
            .collect();
        clauses.push(format!(
            "(r2.city IS NULL OR lower(r2.city) IN ({}))",
            marks.join(", ")
        ));
    }
    if let Some(min) = icp.employees.min {
        args.push(Box::new(i64::from(min)));
        clauses.push(format!(
            "(r2.employees_max IS NULL OR r2.employees_max >= ?{})",
            args.len()
        ));
    }
    if let Some(max) = icp.employees.max {
        args.push(Box::new(i64::from(max)));
        clauses.push(format!(
            "(r2.employees_min IS NULL OR r2.employees_min <= ?{})",
            args.len()
        ));
    }
    if !icp.technologies.is_empty() {
        let mut alts = vec!["r2.tech_key = ''".to_string()];
        for t in &icp.technologies {
            args.push(Box::new(format!("%|{}|%", t.to_lowercase())));
            alts.push(format!("r2.tech_key LIKE ?{}", args.len()));
        }
        clauses.push(format!("({})", alts.join(" OR ")));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!(" AND {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM dataset_rows r JOIN datasets d ON d.id = r.dataset_id
         WHERE d.org_id = ?1 AND r.company_key IN (
            SELECT r2.company_key FROM dataset_rows r2 JOIN datasets d2 ON d2.id = r2.dataset_id
            WHERE d2.org_id = ?1{filter})
         ORDER BY r.id"
    );
    c.query_map(&sql, args, read_row)
}

/// Every row of the named companies (keys as [`Record::company_key`] makes them), in import
/// order: an attached seed list is enriched from whatever the datasets know of its companies.
pub fn rows_for_companies(
    c: &Conn<'_>,
    org: &OrgId,
    keys: &[String],
) -> Result<Vec<SourcedRecord>, Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM dataset_rows r JOIN datasets d ON d.id = r.dataset_id
         WHERE d.org_id = ?1 AND r.company_key IN ({})
         ORDER BY r.id",
        match c.dialect() {
            Dialect::Sqlite => "SELECT value FROM json_each(?2)",
            Dialect::Postgres => "SELECT jsonb_array_elements_text(CAST(?2 AS jsonb))",
        }
    );
    let keys = serde_json::to_string(keys).unwrap_or_else(|_| "[]".into());
    c.query_map(&sql, params![org.as_str(), keys], read_row)
}

/// The ICP's countries plus the countries of its regions.
pub fn wanted_countries(icp: &Icp) -> Vec<String> {
    let mut out: Vec<String> = icp.countries.iter().map(|c| c.to_uppercase()).collect();
    for r in &icp.regions {
        for c in normalise::region_countries(r) {
            if !out.iter().any(|o| o == c) {
                out.push((*c).to_string());
            }
        }
    }
    out
}

/// Full-text search over the rows (company, person, title, industry, city, technologies,
/// description). Every word must appear; words are quoted so user text is never FTS syntax.
pub fn search(
    c: &Conn<'_>,
    org: &OrgId,
    query: &str,
    limit: u32,
) -> Result<Vec<SourcedRecord>, Error> {
    let terms: Vec<String> = query
        .split_whitespace()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    if c.dialect() == Dialect::Postgres {
        return search_pg(c, org, query, limit);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM dataset_fts f JOIN dataset_rows r ON r.id = f.rowid
         JOIN datasets d ON d.id = r.dataset_id
         WHERE dataset_fts MATCH ?1 AND d.org_id = ?2 ORDER BY f.rank LIMIT ?3"
    );
    c.query_map(
        &sql,
        params![terms.join(" "), org.as_str(), i64::from(limit)],
        read_row,
    )
}

/// PostgreSQL's full-text search over the same columns: every word must appear as a word
/// (`simple` configuration: no stemming, like FTS5's default tokenizer), best matches first.
fn search_pg(
    c: &Conn<'_>,
    org: &OrgId,
    query: &str,
    limit: u32,
) -> Result<Vec<SourcedRecord>, Error> {
    let (sql, params) = search_pg_query(org, query, limit);
    c.query_map(&sql, params, read_row)
}

/// The SQL and parameters of a PostgreSQL dataset search (public so a test can check its plan).
pub fn search_pg_query(org: &OrgId, query: &str, limit: u32) -> (String, Vec<Box<dyn Param>>) {
    let doc = search_doc("r.");
    // Each word becomes a quoted lexeme, so user text is never tsquery syntax.
    let words: Vec<String> = query
        .split_whitespace()
        .map(|t| format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''")))
        .collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM dataset_rows r JOIN datasets d ON d.id = r.dataset_id
         WHERE d.org_id = ?2 AND {doc} @@ to_tsquery('simple', ?1)
         ORDER BY ts_rank({doc}, to_tsquery('simple', ?1)) DESC, r.id LIMIT ?3"
    );
    let params: Vec<Box<dyn Param>> = vec![
        Box::new(words.join(" & ")),
        Box::new(org.as_str().to_string()),
        Box::new(i64::from(limit)),
    ];
    (sql, params)
}

/// The text PostgreSQL searches a dataset row by, as a `tsvector`; `prefix` is the table alias
/// (with its dot) or empty. The index of PostgreSQL migration 4 is built on this very expression,
/// which is why it avoids `concat_ws` (only STABLE; an index needs IMMUTABLE functions).
pub fn search_doc(prefix: &str) -> String {
    let text = [
        "company_name",
        "full_name",
        "title",
        "industry",
        "city",
        "technologies",
        "description",
    ]
    .map(|c| format!("coalesce({prefix}{c}, '')"))
    .join(" || ' ' || ");
    format!("to_tsvector('simple'::regconfig, {text})")
}

pub const FINGERPRINT_MIGRATION: &str = r#"
    ALTER TABLE datasets ADD COLUMN fingerprint TEXT;
    CREATE INDEX datasets_by_fingerprint ON datasets(org_id, fingerprint);
"#;

pub const MIGRATION: &str = r#"
    CREATE TABLE datasets (
        id          INTEGER PRIMARY KEY,
        org_id      TEXT NOT NULL,
        name        TEXT NOT NULL,
        file_name   TEXT NOT NULL,
        rows        INTEGER NOT NULL,
        mapping     TEXT NOT NULL,
        imported_at INTEGER NOT NULL,
        UNIQUE (org_id, name)
    );
    CREATE TABLE dataset_rows (
        id               INTEGER PRIMARY KEY,
        dataset_id       INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        line             INTEGER NOT NULL,
        company_key      TEXT NOT NULL,
        company_name     TEXT,
        domain           TEXT,
        full_name        TEXT,
        title            TEXT,
        email            TEXT,
        person_linkedin  TEXT,
        company_linkedin TEXT,
        city             TEXT,
        country          TEXT,
        us_state         TEXT,
        industry         TEXT,
        industry_slug    TEXT,
        employees        TEXT,
        employees_min    INTEGER,
        employees_max    INTEGER,
        funding_stage    TEXT,
        funding_slug     TEXT,
        technologies     TEXT NOT NULL DEFAULT '[]',
        tech_key         TEXT NOT NULL DEFAULT '',
        description      TEXT,
        extra            TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX dataset_rows_by_company ON dataset_rows(company_key);
    CREATE INDEX dataset_rows_by_dataset ON dataset_rows(dataset_id, line);
    CREATE VIRTUAL TABLE dataset_fts USING fts5(
        company_name, full_name, title, industry, city, technologies, description
    );
"#;
