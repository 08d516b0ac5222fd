//! The leads table's index: one flattened row per lead (the text and number of every built-in
//! and well-known column, the other `fields` as JSON, and a lower-cased all-fields haystack), so
//! the TUI's filter and sort run as SQL over a job and only the rows on screen are read whole.
//!
//! Each value is what the TUI computes from the sanitised lead (`model::table`), so the SQL view
//! equals the in-memory one; `tests` checks that on random leads and queries.

use std::sync::LazyLock;

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, params, params_from_iter};
use serde_json::{Map, Value, json};

use super::{Conn, from_json};
use crate::model::table::columns::{Column, cell, number};
use crate::model::table::search::{Op, Term};
use crate::model::table::{LeadView, Sort, ViewSpec, haystack, sanitize_lead};
use crate::model::{Error, JobId, Lead};

/// The migration that adds the table. Existing leads are indexed on first use ([`ensure`]).
pub const MIGRATION: &str = r#"
CREATE TABLE lead_index (
    lead_seq INTEGER PRIMARY KEY REFERENCES leads(seq) ON DELETE CASCADE,
    job_id   TEXT NOT NULL,
    ordinal  INTEGER NOT NULL,
    hay      TEXT NOT NULL,
    t0 TEXT NOT NULL, t1 TEXT NOT NULL, t2 TEXT NOT NULL, t3 TEXT NOT NULL, t4 TEXT NOT NULL,
    t5 TEXT NOT NULL, t6 TEXT NOT NULL, t7 TEXT NOT NULL, t8 TEXT NOT NULL, t9 TEXT NOT NULL,
    t10 TEXT NOT NULL, t11 TEXT NOT NULL, t12 TEXT NOT NULL, t13 TEXT NOT NULL,
    t14 TEXT NOT NULL, t15 TEXT NOT NULL, t16 TEXT NOT NULL,
    n0 REAL, n1 REAL, n2 REAL, n3 REAL, n4 REAL, n5 REAL, n6 REAL, n7 REAL, n8 REAL, n9 REAL,
    n10 REAL, n11 REAL, n12 REAL, n13 REAL, n14 REAL, n15 REAL, n16 REAL,
    fields   TEXT NOT NULL
);
CREATE INDEX lead_index_by_job ON lead_index(job_id, ordinal);
"#;

/// The columns with their own `t{i}`/`n{i}` pair, in that order: the picker's catalogue (every
/// built-in column, then the well-known `fields.*`), built once. [`MIGRATION`] has a pair for
/// each of them; a test keeps the two the same length.
static INDEXED: LazyLock<Vec<Column>> = LazyLock::new(Column::catalogue);

fn indexed() -> &'static [Column] {
    &INDEXED
}

fn slot(col: &Column) -> Option<usize> {
    indexed().iter().position(|c| c == col)
}

/// SQLite's JSON paths cannot escape `"` inside a quoted key; sanitised keys hold no control
/// characters, so `"` is stored as U+0001 instead and mapped back when keys are listed.
fn json_key(key: &str) -> String {
    key.replace('"', "\u{1}")
}

const INSERT: &str = "INSERT OR REPLACE INTO lead_index (lead_seq, job_id, ordinal, hay,
    t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, t10, t11, t12, t13, t14, t15, t16,
    n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10, n11, n12, n13, n14, n15, n16, fields)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
    ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37,
    ?38, ?39)";

/// The index row of one lead (stored at `seq`, position `ordinal` of `job`).
fn row_values(seq: i64, job: &JobId, ordinal: i64, lead: &Lead) -> Vec<Sql> {
    let mut l = lead.clone();
    sanitize_lead(&mut l);
    let cols = indexed();
    let mut out = Vec::with_capacity(5 + 2 * cols.len());
    out.push(Sql::Integer(seq));
    out.push(Sql::Text(job.as_str().to_string()));
    out.push(Sql::Integer(ordinal));
    out.push(Sql::Text(haystack(&l)));
    for c in cols {
        out.push(Sql::Text(cell(&l, c).to_lowercase()));
    }
    for c in cols {
        out.push(number(&l, c).map_or(Sql::Null, Sql::Real));
    }
    let mut fields = Map::new();
    for k in l.fields.keys() {
        let col = Column::field(k);
        fields.insert(
            json_key(k),
            json!([cell(&l, &col).to_lowercase(), number(&l, &col)]),
        );
    }
    out.push(Sql::Text(Value::Object(fields).to_string()));
    out
}

/// Indexes one lead just written (same transaction).
fn insert_row(
    c: &Connection,
    seq: i64,
    job: &JobId,
    ordinal: i64,
    lead: &Lead,
) -> Result<(), Error> {
    let mut stmt = c.prepare_cached(INSERT)?;
    stmt.execute(params_from_iter(row_values(seq, job, ordinal, lead)))?;
    Ok(())
}

/// Indexes a lead rewritten in place (by id).
fn reindex_sqlite(c: &Connection, lead: &Lead) -> Result<(), Error> {
    let found: Option<(i64, String, i64)> = c
        .prepare_cached("SELECT seq, job_id, ordinal FROM leads WHERE id = ?1")?
        .query_row([lead.id.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    if let Some((seq, job, ordinal)) = found {
        let job = JobId::from_db(job);
        insert_row(c, seq, &job, ordinal, lead)?;
    }
    Ok(())
}

/// Whether every lead of `job` is indexed (leads stored before the index existed are not).
fn is_complete_sqlite(c: &Connection, job: &JobId) -> Result<bool, Error> {
    let (leads, indexed): (i64, i64) = c.query_row(
        "SELECT (SELECT count(*) FROM leads WHERE job_id = ?1),
                (SELECT count(*) FROM lead_index WHERE job_id = ?1)",
        [job.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(leads == indexed)
}

/// Indexes every lead of `job` again (the backfill for leads older than the index).
fn rebuild_sqlite(c: &Connection, job: &JobId) -> Result<(), Error> {
    c.execute("DELETE FROM lead_index WHERE job_id = ?1", [job.as_str()])?;
    let mut stmt = c.prepare_cached("SELECT seq, ordinal, data FROM leads WHERE job_id = ?1")?;
    let rows = stmt.query_map([job.as_str()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (seq, ordinal, raw) = row?;
        insert_row(c, seq, job, ordinal, &from_json::<Lead>(&raw, "lead")?)?;
    }
    Ok(())
}

/// A column's lower-cased text and its number, as SQL expressions (with their parameters).
struct Expr {
    text: String,
    number: String,
    params: Vec<Sql>,
}

fn column_expr(col: &Column) -> Expr {
    if let Some(i) = slot(col) {
        return Expr {
            text: format!("t{i}"),
            number: format!("n{i}"),
            params: vec![],
        };
    }
    let Column::Field(k) = col else {
        // Every built-in column has a slot; an empty column keeps the query well-formed.
        return Expr {
            text: "''".into(),
            number: "NULL".into(),
            params: vec![],
        };
    };
    let path = format!("$.\"{}\"", json_key(k));
    Expr {
        text: "coalesce(json_extract(fields, ? || '[0]'), '')".into(),
        number: "json_extract(fields, ? || '[1]')".into(),
        params: vec![Sql::Text(path)],
    }
}

fn op_sql(op: Op) -> &'static str {
    match op {
        Op::Eq | Op::Contains => "=",
        Op::Ne => "!=",
        Op::Gt => ">",
        Op::Ge => ">=",
        Op::Lt => "<",
        Op::Le => "<=",
    }
}

/// One term as a WHERE condition, mirroring `Term::matches`.
fn term_sql(t: &Term, params: &mut Vec<Sql>) -> String {
    let value = Sql::Text(t.value.clone());
    let Some(col) = &t.column else {
        params.push(value);
        return "instr(hay, ?) > 0".into();
    };
    let e = column_expr(col);
    if t.op == Op::Contains {
        params.extend(e.params);
        params.push(value);
        return format!("instr({}, ?) > 0", e.text);
    }
    let op = op_sql(t.op);
    match t.number {
        None => {
            params.extend(e.params);
            params.push(value);
            format!("{} {op} ?", e.text)
        }
        Some(want) => {
            // A number compared with a lead that has none: text for = and !=, else no match.
            let fallback = if matches!(t.op, Op::Eq | Op::Ne) {
                format!("{} {op} ?", e.text)
            } else {
                "0".into()
            };
            params.extend(e.params.iter().cloned());
            params.extend(e.params.iter().cloned());
            params.push(Sql::Real(want));
            if matches!(t.op, Op::Eq | Op::Ne) {
                params.extend(e.params);
                params.push(value);
            }
            format!(
                "(CASE WHEN {n} IS NOT NULL THEN {n} {op} ? ELSE {fallback} END)",
                n = e.number
            )
        }
    }
}

/// `ORDER BY` for a sort, mirroring `view_in_memory`: blanks last either way, ties in capture
/// order.
fn order_sql(sort: Option<&Sort>, params: &mut Vec<Sql>) -> String {
    let Some(sort) = sort else {
        return "ordinal".into();
    };
    let e = column_expr(&sort.column);
    let dir = if sort.descending { "DESC" } else { "ASC" };
    if sort.column.numeric() {
        params.extend(e.params.iter().cloned());
        params.extend(e.params);
        format!("({n} IS NULL), {n} {dir}, ordinal", n = e.number)
    } else {
        params.extend(e.params.iter().cloned());
        params.extend(e.params);
        format!("({t} = ''), {t} {dir}, ordinal", t = e.text)
    }
}

/// The job's view: ordinals of the matching leads in order, and the job's total.
fn view_sqlite(c: &Connection, job: &JobId, spec: &ViewSpec) -> Result<LeadView, Error> {
    let mut params = vec![Sql::Text(job.as_str().to_string())];
    let conf = slot(&Column::Confidence).unwrap_or(9);
    let mut filter = format!("FROM lead_index WHERE job_id = ? AND n{conf} >= ?");
    params.push(Sql::Real(spec.min_confidence));
    for t in &spec.query.terms {
        filter.push_str(" AND ");
        filter.push_str(&term_sql(t, &mut params));
    }
    let ordinals = match spec.sort.as_ref().and_then(|s| Some((slot(&s.column)?, s))) {
        Some((i, sort)) => sorted_here(c, &filter, params, i, sort)?,
        None => {
            let sql = format!(
                "SELECT ordinal {filter} ORDER BY {}",
                order_sql(spec.sort.as_ref(), &mut params)
            );
            let mut stmt = c.prepare(&sql)?;
            stmt.query_map(params_from_iter(params), |r| r.get::<_, i64>(0))?
                .map(|r| r.map(|o| o as u32))
                .collect::<Result<Vec<u32>, _>>()?
        }
    };
    let total = super::leads::count(&Conn::sqlite(c), job)?;
    let field_keys = if spec.field_keys {
        Some(field_keys_sqlite(c, job)?)
    } else {
        None
    };
    Ok(LeadView {
        ordinals,
        total,
        field_keys,
    })
}

/// A sort on a column with its own slot, done here rather than by SQLite: the matching rows'
/// keys are read in one pass and sorted in memory, the same order as [`order_sql`] (blanks last
/// either way, ties in capture order; text compared byte-wise, as SQLite's BINARY collation
/// does). Measured on 100,000 leads, SQLite's sorter (which unpacks each record to compare it)
/// took about twice as long.
fn sorted_here(
    c: &Connection,
    filter: &str,
    params: Vec<Sql>,
    slot: usize,
    sort: &Sort,
) -> Result<Vec<u32>, Error> {
    let desc = sort.descending;
    if sort.column.numeric() {
        let mut stmt = c.prepare(&format!("SELECT ordinal, n{slot} {filter}"))?;
        let mut keys = stmt
            .query_map(params_from_iter(params), |r| {
                Ok((r.get::<_, i64>(0)? as u32, r.get::<_, Option<f64>>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        keys.sort_unstable_by(|a, b| {
            let value = match (a.1, b.1) {
                (Some(x), Some(y)) => {
                    let o = x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal);
                    if desc { o.reverse() } else { o }
                }
                (x, y) => x.is_none().cmp(&y.is_none()),
            };
            value.then(a.0.cmp(&b.0))
        });
        return Ok(keys.into_iter().map(|(o, _)| o).collect());
    }
    let mut stmt = c.prepare(&format!("SELECT ordinal, t{slot} {filter}"))?;
    let mut keys = stmt
        .query_map(params_from_iter(params), |r| {
            Ok((r.get::<_, i64>(0)? as u32, r.get::<_, String>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    keys.sort_unstable_by(|a, b| {
        let text = if desc { b.1.cmp(&a.1) } else { a.1.cmp(&b.1) };
        a.1.is_empty()
            .cmp(&b.1.is_empty())
            .then(text)
            .then(a.0.cmp(&b.0))
    });
    Ok(keys.into_iter().map(|(o, _)| o).collect())
}

/// The `fields` keys of a job's leads, in first-seen order.
fn field_keys_sqlite(c: &Connection, job: &JobId) -> Result<Vec<String>, Error> {
    let mut stmt = c.prepare_cached(
        "SELECT j.key FROM lead_index, json_each(lead_index.fields) AS j
         WHERE lead_index.job_id = ?1
         GROUP BY j.key ORDER BY min(lead_index.ordinal * 1000000 + j.id)",
    )?;
    let keys = stmt
        .query_map([job.as_str()], |r| r.get::<_, String>(0))?
        .map(|k| k.map(|k| k.replace('\u{1}', "\"")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(keys)
}

/// Whole leads at these ordinals of `job`, in the order asked (unknown ordinals are skipped).
fn at_sqlite(c: &Connection, job: &JobId, ordinals: &[u32]) -> Result<Vec<(u32, Lead)>, Error> {
    let mut stmt = c.prepare_cached("SELECT data FROM leads WHERE job_id = ?1 AND ordinal = ?2")?;
    let mut out = Vec::with_capacity(ordinals.len());
    for &o in ordinals {
        let raw: Option<String> = stmt
            .query_row(params![job.as_str(), i64::from(o)], |r| r.get(0))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?;
        if let Some(raw) = raw {
            out.push((o, from_json::<Lead>(&raw, "lead")?));
        }
    }
    Ok(out)
}

/// The index serves the TUI's table, which runs on the local SQLite store only: `serve` on
/// PostgreSQL keeps no index (its API pages leads by cursor), so writes skip it there and reads
/// say so.
fn local_only() -> Error {
    Error::internal("the leads table index exists only in the local SQLite store")
}

/// Indexes the lead just inserted into `leads` (same transaction).
pub fn insert(c: &Conn<'_>, job: &JobId, ordinal: i64, lead: &Lead) -> Result<(), Error> {
    match c.as_sqlite() {
        Some(c) => insert_row(c, c.last_insert_rowid(), job, ordinal, lead),
        None => Ok(()),
    }
}

/// Indexes a lead rewritten in place (by id).
pub fn reindex(c: &Conn<'_>, lead: &Lead) -> Result<(), Error> {
    match c.as_sqlite() {
        Some(c) => reindex_sqlite(c, lead),
        None => Ok(()),
    }
}

/// Whether every lead of `job` is indexed (leads stored before the index existed are not).
pub fn is_complete(c: &Conn<'_>, job: &JobId) -> Result<bool, Error> {
    is_complete_sqlite(c.as_sqlite().ok_or_else(local_only)?, job)
}

/// Indexes every lead of `job` again (the backfill for leads older than the index).
pub fn rebuild(c: &Conn<'_>, job: &JobId) -> Result<(), Error> {
    rebuild_sqlite(c.as_sqlite().ok_or_else(local_only)?, job)
}

/// The ordinals of `job`'s leads that pass the filter, in the sort's order.
pub fn view(c: &Conn<'_>, job: &JobId, spec: &ViewSpec) -> Result<LeadView, Error> {
    view_sqlite(c.as_sqlite().ok_or_else(local_only)?, job, spec)
}

/// The `fields` keys of `job`'s leads.
pub fn field_keys(c: &Conn<'_>, job: &JobId) -> Result<Vec<String>, Error> {
    field_keys_sqlite(c.as_sqlite().ok_or_else(local_only)?, job)
}

/// The leads at these ordinals.
pub fn at(c: &Conn<'_>, job: &JobId, ordinals: &[u32]) -> Result<Vec<(u32, Lead)>, Error> {
    at_sqlite(c.as_sqlite().ok_or_else(local_only)?, job, ordinals)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::model::table::search::parse;
    use crate::model::table::view_in_memory;
    use crate::tui::fixtures;

    /// A bare database with the schema (foreign keys off: no threads, plans or jobs needed).
    fn db() -> Connection {
        let c = Connection::open_in_memory().expect("sqlite");
        c.execute_batch("PRAGMA foreign_keys = OFF")
            .expect("pragma");
        for sql in super::super::schema::MIGRATIONS {
            c.execute_batch(sql).expect("migration");
        }
        c
    }

    /// Text with the characters that trip SQL (`%`, `_`, quotes, backslashes), case and
    /// non-ASCII case folding, numbers in the forms `parse_number` reads, and blanks.
    const WORDS: [&str; 16] = [
        "",
        "Acme",
        "ACME sas",
        "lyon",
        "Zürich",
        "İstanbul",
        "50%",
        "a_b",
        "o'neil",
        "\"q\"",
        "back\\slash",
        "12",
        "€5M",
        "1,200",
        "series_a",
        "x",
    ];

    fn word() -> impl Strategy<Value = String> {
        (0..WORDS.len()).prop_map(|i| WORDS[i].to_string())
    }

    fn opt_word() -> impl Strategy<Value = Option<String>> {
        prop::option::of(word())
    }

    fn lead_strategy() -> impl Strategy<Value = Lead> {
        (
            (word(), opt_word(), opt_word(), opt_word()),
            (opt_word(), opt_word(), opt_word()),
            (0u32..=100, 0usize..4),
            (
                opt_word(),
                prop::option::of(0i64..500),
                opt_word(),
                opt_word(),
            ),
        )
            .prop_map(|(company, person, conf, fields)| {
                let job = fixtures::job_id(1);
                let mut l = fixtures::lead(&job, 0);
                (l.company.name, l.company.domain, l.company.hq_city) =
                    (company.0, company.1, company.2);
                l.company.hq_country = company.3;
                match (&mut l.person, person.0) {
                    (Some(p), Some(name)) => {
                        p.full_name = name;
                        p.title = person.1;
                        p.email = person.2;
                    }
                    (_, None) => l.person = None,
                    _ => {}
                }
                l.confidence = f64::from(conf.0) / 100.0;
                l.sources.truncate(conf.1);
                l.fields.clear();
                if let Some(v) = fields.0 {
                    l.fields.insert("industry".into(), json!(v));
                }
                if let Some(n) = fields.1 {
                    l.fields.insert("employees".into(), json!(n));
                }
                if let Some(v) = fields.2 {
                    l.fields.insert("funding_amount".into(), json!(v));
                }
                if let Some(v) = fields.3 {
                    l.fields.insert("tech \"stack\"".into(), json!([v, "rust"]));
                    l.fields.insert("region".into(), json!(v));
                }
                l
            })
    }

    const TERMS: [&str; 24] = [
        "acme",
        "LYON",
        "zür",
        "%",
        "_",
        "'",
        "\\",
        "\"q\"",
        "city:yon",
        "company=acme",
        "country!=x",
        "confidence>0.5",
        "confidence<=0.3",
        "employees>=100",
        "employees<12",
        "funding>1000",
        "funding=€5m",
        "industry:series",
        "sources>1",
        "fields.region:a",
        "region=12",
        "fields.tech_stack:r",
        "person>l",
        "email:",
    ];

    fn query() -> impl Strategy<Value = String> {
        prop::collection::vec(0..TERMS.len(), 0..3)
            .prop_map(|ix| ix.iter().map(|&i| TERMS[i]).collect::<Vec<_>>().join(" "))
    }

    #[test]
    fn the_migration_has_a_text_and_number_pair_for_every_indexed_column() {
        let last = indexed().len() - 1;
        for i in 0..=last {
            assert!(MIGRATION.contains(&format!("t{i} TEXT")), "t{i}");
            assert!(MIGRATION.contains(&format!("n{i} REAL")), "n{i}");
        }
        assert!(!MIGRATION.contains(&format!("t{} TEXT", last + 1)));
    }

    fn sort() -> impl Strategy<Value = Option<Sort>> {
        prop::option::of((0usize..20, any::<bool>()).prop_map(|(i, descending)| {
            let mut cols = indexed().to_vec();
            cols.extend([
                Column::field("region"),
                Column::field("tech \"stack\""),
                Column::field("missing"),
            ]);
            Sort {
                column: cols[i].clone(),
                descending,
            }
        }))
    }

    fn store(c: &Connection, job: &JobId, leads: &[Lead]) {
        c.execute("DELETE FROM leads", []).expect("clear");
        c.execute("DELETE FROM lead_index", []).expect("clear");
        let mut leads = leads.to_vec();
        for (i, l) in leads.iter_mut().enumerate() {
            l.id = crate::model::LeadId::from_db(format!("lead_{i:05}"));
        }
        super::super::leads::insert_batch(&Conn::sqlite(c), job, &leads, 0, 1).expect("insert");
    }

    fn oracle(leads: &[Lead], spec: &ViewSpec) -> Vec<u32> {
        let mut clean = leads.to_vec();
        clean.iter_mut().for_each(sanitize_lead);
        let hay: Vec<String> = clean.iter().map(haystack).collect();
        let q = &spec.query;
        view_in_memory(&clean, &hay, q, spec.sort.as_ref(), spec.min_confidence)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn the_sql_view_equals_the_in_memory_view(
            leads in prop::collection::vec(lead_strategy(), 0..40),
            text in query(),
            sort in sort(),
            min in 0usize..4,
        ) {
            let c = db();
            let job = fixtures::job_id(1);
            store(&c, &job, &leads);
            let known = |k: &str| k == "region";
            let spec = ViewSpec {
                query: parse(&text, known),
                sort,
                min_confidence: [0.0, 0.5, 0.7, 0.9][min],
                field_keys: false,
            };
            let got = view_sqlite(&c, &job, &spec).expect("view");
            prop_assert_eq!(got.ordinals, oracle(&leads, &spec), "query {:?}", text);
            prop_assert_eq!(got.total, leads.len() as u64);
        }
    }

    #[test]
    fn hostile_search_strings_match_literally() {
        let c = db();
        let job = fixtures::job_id(1);
        let mut leads = fixtures::leads(&job, 6);
        let names = ["100% fit", "a_b", "it's", "say \"hi\"", "C:\\dir", "plain"];
        for (l, n) in leads.iter_mut().zip(names) {
            l.company.name = n.into();
        }
        store(&c, &job, &leads);
        let run = |text: &str| {
            let spec = ViewSpec {
                query: parse(text, |_| false),
                ..ViewSpec::default()
            };
            view_sqlite(&c, &job, &spec)
                .expect("a hostile string is data")
                .ordinals
        };
        assert_eq!(run("%"), [0]);
        assert_eq!(run("company:_"), [1]);
        assert_eq!(run("'"), [2]);
        assert_eq!(run("company:'"), [2]);
        assert_eq!(run("\\"), [4]);
        assert_eq!(run("'; DROP TABLE leads; --"), Vec::<u32>::new());
        assert_eq!(run("company=plain"), [5]);
        assert_eq!(
            super::super::leads::count(&Conn::sqlite(&c), &job).expect("count"),
            6
        );
    }

    #[test]
    fn old_leads_are_indexed_on_first_use_and_field_keys_come_in_first_seen_order() {
        let c = db();
        let job = fixtures::job_id(1);
        let leads = fixtures::leads(&job, 5);
        store(&c, &job, &leads);
        c.execute("DELETE FROM lead_index", []).expect("forget");
        assert!(!is_complete_sqlite(&c, &job).expect("count"));
        rebuild_sqlite(&c, &job).expect("rebuild");
        assert!(is_complete_sqlite(&c, &job).expect("count"));
        let keys = field_keys_sqlite(&c, &job).expect("keys");
        let mut want: Vec<String> = Vec::new();
        for l in &leads {
            for k in l.fields.keys() {
                if !want.contains(k) {
                    want.push(k.clone());
                }
            }
        }
        assert_eq!(keys, want);
        let got = at_sqlite(&c, &job, &[3, 0, 99]).expect("at");
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].0, &got[0].1.id), (3, &leads[3].id));
        assert_eq!((got[1].0, &got[1].1.id), (0, &leads[0].id));
    }
}
