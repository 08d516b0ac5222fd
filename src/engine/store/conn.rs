//! One connection interface over both databases. The query modules write their SQL once, with
//! `?N` (or bare `?`) placeholders, and bind values through [`Param`]; [`Conn`] runs it on SQLite
//! (rusqlite, the statement cache of the connection) or inside a PostgreSQL transaction (the
//! placeholders rewritten to `$N`, statements prepared once per pooled connection).
//!
//! Values cross the boundary as [`Value`]: the few SQL types the schema uses (integers, reals,
//! text, blobs). Booleans are stored as integers on both databases, so the same `= 1` and
//! comparisons work everywhere; on PostgreSQL the binder looks at the parameter type the server
//! inferred and writes the value in that type.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::types::{IsNull, ToSql as PgToSql, Type};

use crate::model::Error;

/// Which SQL the connection speaks, for the few queries that must differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A value bound to, or read from, a statement. Text and blobs are borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Something that can be bound to a placeholder.
pub trait Param {
    fn value(&self) -> Value<'_>;
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn value(&self) -> Value<'_> {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
int_param!(i64, i32, u32, u16, u8, bool);

impl Param for f64 {
    fn value(&self) -> Value<'_> {
        Value::Real(*self)
    }
}

impl Param for str {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for String {
    fn value(&self) -> Value<'_> {
        Value::Text(self)
    }
}

impl Param for [u8] {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl Param for Vec<u8> {
    fn value(&self) -> Value<'_> {
        Value::Blob(self)
    }
}

impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Param + ?Sized> Param for Box<T> {
    fn value(&self) -> Value<'_> {
        (**self).value()
    }
}

impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value<'_> {
        match self {
            Some(v) => v.value(),
            None => Value::Null,
        }
    }
}

/// A statement's parameters: a `params![…]` list, an array of one type, a vector of boxed
/// values (queries built at run time), or `()`.
pub trait Params {
    fn values(&self) -> Vec<Value<'_>>;
}

impl Params for () {
    fn values(&self) -> Vec<Value<'_>> {
        Vec::new()
    }
}

impl<T: Param, const N: usize> Params for [T; N] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(Param::value).collect()
    }
}

impl Params for &[&dyn Param] {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(|p| p.value()).collect()
    }
}

impl Params for Vec<Box<dyn Param>> {
    fn values(&self) -> Vec<Value<'_>> {
        self.iter().map(|p| p.value()).collect()
    }
}

/// `params![a, b, …]`: a heterogeneous parameter list.
#[macro_export]
#[doc(hidden)]
macro_rules! sql_params {
    () => { () };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::engine::store::Param),+] as &[&dyn $crate::engine::store::Param]
    };
}
pub use crate::sql_params as params;

/// Reading a column into a Rust type.
pub trait FromValue: Sized {
    fn from_value(v: Value<'_>) -> Result<Self, String>;
}

impl FromValue for i64 {
    fn from_value(v: Value<'_>) -> Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}

macro_rules! narrow_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value<'_>) -> Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} is out of range for {}", stringify!($t)))
            }
        }
    )*};
}
narrow_from_value!(i32, u32, u16, u64);

impl FromValue for bool {
    fn from_value(v: Value<'_>) -> Result<Self, String> {
        Ok(i64::from_value(v)? != 0)
    }
}

impl FromValue for f64 {
    fn from_value(v: Value<'_>) -> Result<Self, String> {
        match v {
            Value::Real(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}

impl FromValue for String {
    fn from_value(v: Value<'_>) -> Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s.to_string()),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: Value<'_>) -> Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b.to_vec()),
            Value::Text(s) => Ok(s.as_bytes().to_vec()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value<'_>) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One result row.
pub struct Row<'r>(RowInner<'r>);

enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Pg(&'r postgres::Row),
}

impl Row<'_> {
    /// Column `idx` (from 0) as `T`.
    pub fn get<T: FromValue>(&self, idx: usize) -> Result<T, Error> {
        let bad = |e: String| Error::internal(format!("database column {idx}: {e}"));
        match &self.0 {
            RowInner::Sqlite(r) => {
                let v = r.get_ref(idx)?;
                let v = match v {
                    rusqlite::types::ValueRef::Null => Value::Null,
                    rusqlite::types::ValueRef::Integer(i) => Value::Int(i),
                    rusqlite::types::ValueRef::Real(f) => Value::Real(f),
                    rusqlite::types::ValueRef::Text(t) => {
                        Value::Text(std::str::from_utf8(t).map_err(|e| bad(e.to_string()))?)
                    }
                    rusqlite::types::ValueRef::Blob(b) => Value::Blob(b),
                };
                T::from_value(v).map_err(bad)
            }
            RowInner::Pg(r) => T::from_value(pg_cell(r, idx).map_err(bad)?).map_err(bad),
        }
    }
}

/// A PostgreSQL cell as a [`Value`], by the column's type.
fn pg_cell<'r>(r: &'r postgres::Row, idx: usize) -> Result<Value<'r>, String> {
    let Some(column) = r.columns().get(idx) else {
        return Err("no such column".into());
    };
    let ty = column.type_().clone();
    let e = |e: postgres::Error| e.to_string();
    Ok(if ty == Type::INT8 {
        r.try_get::<_, Option<i64>>(idx)
            .map_err(e)?
            .map_or(Value::Null, Value::Int)
    } else if ty == Type::INT4 {
        r.try_get::<_, Option<i32>>(idx)
            .map_err(e)?
            .map_or(Value::Null, |i| Value::Int(i64::from(i)))
    } else if ty == Type::INT2 {
        r.try_get::<_, Option<i16>>(idx)
            .map_err(e)?
            .map_or(Value::Null, |i| Value::Int(i64::from(i)))
    } else if ty == Type::BOOL {
        r.try_get::<_, Option<bool>>(idx)
            .map_err(e)?
            .map_or(Value::Null, |b| Value::Int(i64::from(b)))
    } else if ty == Type::FLOAT8 {
        r.try_get::<_, Option<f64>>(idx)
            .map_err(e)?
            .map_or(Value::Null, Value::Real)
    } else if ty == Type::FLOAT4 {
        r.try_get::<_, Option<f32>>(idx)
            .map_err(e)?
            .map_or(Value::Null, |f| Value::Real(f64::from(f)))
    } else if ty == Type::BYTEA {
        r.try_get::<_, Option<&[u8]>>(idx)
            .map_err(e)?
            .map_or(Value::Null, Value::Blob)
    } else if ty == Type::TEXT || ty == Type::VARCHAR || ty == Type::NAME || ty == Type::BPCHAR {
        r.try_get::<_, Option<&str>>(idx)
            .map_err(e)?
            .map_or(Value::Null, Value::Text)
    } else {
        return Err(format!(
            "unsupported PostgreSQL type {ty} (cast it to BIGINT, DOUBLE PRECISION or TEXT)"
        ));
    })
}

impl rusqlite::ToSql for Value<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(i),
            Value::Real(f) => ValueRef::Real(f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

impl PgToSql for Value<'_> {
    /// Writes the value in the type PostgreSQL inferred for the parameter: integers go to
    /// BIGINT, INTEGER, SMALLINT or BOOLEAN columns alike, so the SQL needs no casts.
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match *self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) if *ty == Type::INT8 => i.to_sql(ty, out),
            Value::Int(i) if *ty == Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
            Value::Int(i) if *ty == Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
            Value::Int(i) if *ty == Type::BOOL => (i != 0).to_sql(ty, out),
            Value::Int(i) if *ty == Type::FLOAT8 => (i as f64).to_sql(ty, out),
            Value::Int(i) if *ty == Type::TEXT || *ty == Type::VARCHAR => {
                i.to_string().as_str().to_sql(ty, out)
            }
            Value::Real(f) if *ty == Type::FLOAT8 => f.to_sql(ty, out),
            Value::Real(f) if *ty == Type::FLOAT4 => (f as f32).to_sql(ty, out),
            Value::Text(s) if *ty == Type::BYTEA => s.as_bytes().to_sql(ty, out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) if *ty == Type::BYTEA => b.to_sql(ty, out),
            other => Err(format!("cannot bind {other:?} to a {ty} parameter").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

/// `?N` → `$N`, and bare `?` → `$1`, `$2`, … in order, outside quoted strings and names.
pub(crate) fn to_pg_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut bare = 0;
    while let Some(ch) = chars.next() {
        match quote {
            Some(q) => {
                if ch == q {
                    quote = None;
                }
                out.push(ch);
            }
            None if ch == '\'' || ch == '"' => {
                quote = Some(ch);
                out.push(ch);
            }
            None if ch == '?' => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    bare += 1;
                    out.push_str(&bare.to_string());
                }
            }
            None => out.push(ch),
        }
    }
    out
}

/// An open PostgreSQL transaction and the statement cache of its connection.
pub(crate) struct PgTx<'a> {
    pub tx: postgres::Transaction<'a>,
    pub cache: &'a mut HashMap<String, postgres::Statement>,
}

impl PgTx<'_> {
    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, Error> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(&to_pg_placeholders(sql))?;
        // Run-time built queries (filters, IN lists) vary; keep the cache bounded.
        if self.cache.len() >= 256 {
            self.cache.clear();
        }
        self.cache.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn query(&mut self, sql: &str, params: &[Value<'_>]) -> Result<Vec<postgres::Row>, Error> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn PgToSql + Sync)> =
            params.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        Ok(self.tx.query(&stmt, &refs)?)
    }

    fn execute(&mut self, sql: &str, params: &[Value<'_>]) -> Result<u64, Error> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn PgToSql + Sync)> =
            params.iter().map(|v| v as &(dyn PgToSql + Sync)).collect();
        Ok(self.tx.execute(&stmt, &refs)?)
    }
}

/// A connection inside one transaction (a read snapshot or the write), on either database.
pub struct Conn<'a>(ConnInner<'a>);

enum ConnInner<'a> {
    Sqlite(&'a rusqlite::Connection),
    Pg(RefCell<PgTx<'a>>),
}

impl<'a> Conn<'a> {
    pub(crate) fn sqlite(c: &'a rusqlite::Connection) -> Self {
        Conn(ConnInner::Sqlite(c))
    }

    pub(crate) fn pg(tx: PgTx<'a>) -> Self {
        Conn(ConnInner::Pg(RefCell::new(tx)))
    }

    /// The PostgreSQL transaction back, to commit it.
    pub(crate) fn into_pg(self) -> Option<PgTx<'a>> {
        match self.0 {
            ConnInner::Pg(tx) => Some(tx.into_inner()),
            ConnInner::Sqlite(_) => None,
        }
    }

    /// The SQLite connection underneath, for the store's one SQLite-only part: the leads
    /// table's local index (see `lead_index`). `None` on PostgreSQL.
    pub(crate) fn as_sqlite(&self) -> Option<&'a rusqlite::Connection> {
        match self.0 {
            ConnInner::Sqlite(c) => Some(c),
            ConnInner::Pg(_) => None,
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.0 {
            ConnInner::Sqlite(_) => Dialect::Sqlite,
            ConnInner::Pg(_) => Dialect::Postgres,
        }
    }

    /// Runs a statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize, Error> {
        let values = params.values();
        match &self.0 {
            ConnInner::Sqlite(c) => Ok(c
                .prepare_cached(sql)?
                .execute(rusqlite::params_from_iter(values.iter()))?),
            ConnInner::Pg(tx) => Ok(tx.borrow_mut().execute(sql, &values)? as usize),
        }
    }

    /// Every row, each through `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T, Error>,
    ) -> Result<Vec<T>, Error> {
        let values = params.values();
        match &self.0 {
            ConnInner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&Row(RowInner::Sqlite(r)))?);
                }
                Ok(out)
            }
            ConnInner::Pg(tx) => {
                let rows = tx.borrow_mut().query(sql, &values)?;
                rows.iter().map(|r| f(&Row(RowInner::Pg(r)))).collect()
            }
        }
    }

    /// The first row through `f`, if there is one.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T, Error>,
    ) -> Result<Option<T>, Error> {
        let values = params.values();
        match &self.0 {
            ConnInner::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                match rows.next()? {
                    Some(r) => f(&Row(RowInner::Sqlite(r))).map(Some),
                    None => Ok(None),
                }
            }
            ConnInner::Pg(tx) => {
                let rows = tx.borrow_mut().query(sql, &values)?;
                rows.first().map(|r| f(&Row(RowInner::Pg(r)))).transpose()
            }
        }
    }

    /// The first row through `f`; no row at all is an internal error (the query always has one).
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        self.query_opt(sql, params, f)?
            .ok_or_else(|| Error::internal("database error: a query expected a row and found none"))
    }

    /// Several statements without parameters (migrations).
    pub fn execute_batch(&self, sql: &str) -> Result<(), Error> {
        match &self.0 {
            ConnInner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            ConnInner::Pg(tx) => Ok(tx.borrow_mut().tx.batch_execute(sql)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_pg_placeholders;

    #[test]
    fn placeholders_are_rewritten_outside_strings() {
        assert_eq!(
            to_pg_placeholders("SELECT ?1, ?12 FROM t WHERE a = '?' AND b = ?"),
            "SELECT $1, $12 FROM t WHERE a = '?' AND b = $1"
        );
        assert_eq!(
            to_pg_placeholders(r#"x LIKE ? ESCAPE '\' AND "q?" = ? LIMIT ?"#),
            r#"x LIKE $1 ESCAPE '\' AND "q?" = $2 LIMIT $3"#
        );
    }
}
