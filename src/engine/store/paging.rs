//! Keyset pagination for the store's list queries: one place that validates `limit`, decodes the
//! cursor, adds the `key > ?` / `key < ?` condition, orders, fetches `limit + 1` rows and builds
//! the page (the extra row only says there is more).

use super::{Conn, Param, Row};

use crate::model::list::{decode_cursor, encode_cursor};
use crate::model::{Error, Order, Page, PageParams};

/// A list's paging rules: its default and largest page, and its natural order.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paging {
    pub default_limit: u32,
    pub max_limit: u32,
    pub order: Order,
}

/// Rows that carry their sort key first.
pub(crate) trait SeqRow {
    fn seq(&self) -> i64;
}

impl<A, B> SeqRow for (i64, A, B) {
    fn seq(&self) -> i64 {
        self.0
    }
}

impl<A> SeqRow for (i64, A) {
    fn seq(&self) -> i64 {
        self.0
    }
}

/// A list query being built: `SELECT … WHERE <base>` plus filters, then the keyset tail.
pub(crate) struct KeysetQuery {
    sql: String,
    args: Vec<Box<dyn Param>>,
    key: &'static str,
    limit: u32,
    order: Order,
}

impl KeysetQuery {
    /// `select_where` ends in a WHERE clause whose placeholders `args` fill; `key` is the sort
    /// column the cursor encodes.
    pub fn new(
        select_where: &str,
        args: Vec<Box<dyn Param>>,
        key: &'static str,
        page: &PageParams,
        rules: Paging,
    ) -> Result<Self, Error> {
        let limit = page.limit_or(rules.default_limit, rules.max_limit)?;
        let order = page.order.unwrap_or(rules.order);
        let cursor = page.cursor.as_deref().map(decode_cursor).transpose()?;
        let mut query = Self {
            sql: select_where.to_string(),
            args,
            key,
            limit,
            order,
        };
        if let Some(cursor) = cursor {
            let cmp = match order {
                Order::Desc => "<",
                Order::Asc => ">",
            };
            query.filter(&format!("{key} {cmp} ?"), cursor);
        }
        Ok(query)
    }

    /// Adds ` AND <clause>` with one placeholder value.
    pub fn filter(&mut self, clause: &str, arg: impl Param + 'static) {
        self.sql.push_str(" AND ");
        self.sql.push_str(clause);
        self.args.push(Box::new(arg));
    }

    /// Adds ` AND <clause>` with several placeholder values.
    pub fn filter_all(&mut self, clause: &str, args: Vec<Box<dyn Param>>) {
        self.sql.push_str(" AND ");
        self.sql.push_str(clause);
        self.args.extend(args);
    }

    /// Runs the query and builds the page.
    pub fn fetch<R: SeqRow, T>(
        mut self,
        c: &Conn<'_>,
        row: impl FnMut(&Row<'_>) -> Result<R, Error>,
        finish: impl Fn(R) -> Result<T, Error>,
    ) -> Result<Page<T>, Error> {
        let dir = match self.order {
            Order::Desc => "DESC",
            Order::Asc => "ASC",
        };
        self.sql
            .push_str(&format!(" ORDER BY {} {dir} LIMIT ?", self.key));
        self.args.push(Box::new(i64::from(self.limit) + 1));
        let rows = c.query_map(&self.sql, self.args, row)?;
        page(rows, self.limit, finish)
    }
}

fn page<R: SeqRow, T>(
    mut rows: Vec<R>,
    limit: u32,
    finish: impl Fn(R) -> Result<T, Error>,
) -> Result<Page<T>, Error> {
    let has_more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = if has_more {
        rows.last().map(|r| encode_cursor(r.seq()))
    } else {
        None
    };
    let data = rows
        .into_iter()
        .map(finish)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        data,
        has_more,
        next_cursor,
        total: None,
    })
}
