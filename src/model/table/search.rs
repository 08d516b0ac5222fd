//! The leads table's `/` query: words match anywhere in a lead, `column:value` within one column,
//! and typed comparisons (`confidence>0.8`, `country=FR`, `employees>=50`) compare numbers when
//! both sides are numbers, text (case-insensitively) otherwise. Terms are ANDed.
//!
//! Written by hand: the grammar is a dozen lines and no query crate knows our columns.

use super::columns::{Column, cell, number, parse_number};
use crate::model::Lead;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Contains,
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// One condition of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// `None`: anywhere in the lead.
    pub column: Option<Column>,
    pub op: Op,
    /// Lower-cased.
    pub value: String,
    pub number: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub terms: Vec<Term>,
    /// What the parser did that the user may not expect (shown next to the query).
    pub notes: Vec<String>,
}

/// Splits on spaces, keeping `"quoted text"` together (quotes removed).
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The operators, longest first so `>=` is not read as `>`.
const OPS: [(&str, Op); 7] = [
    (">=", Op::Ge),
    ("<=", Op::Le),
    ("!=", Op::Ne),
    (":", Op::Contains),
    ("=", Op::Eq),
    (">", Op::Gt),
    ("<", Op::Lt),
];

/// Where the first operator of a token is, if what precedes it could be a column name.
fn split_op(token: &str) -> Option<(&str, Op, &str)> {
    let name_end = token
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .filter(|&i| i > 0)?;
    let rest = &token[name_end..];
    OPS.iter()
        .find(|(sym, _)| rest.starts_with(sym))
        .map(|(sym, op)| (&token[..name_end], *op, &rest[sym.len()..]))
}

/// Parses a query; `known_field` says whether a bare name is a `fields` key of the loaded leads.
pub fn parse(text: &str, known_field: impl Fn(&str) -> bool) -> Query {
    let mut q = Query::default();
    for token in tokens(text) {
        let term = match split_op(&token) {
            Some((name, op, value)) => match Column::parse(name, &known_field) {
                Some(column) => Term {
                    column: Some(column),
                    op,
                    number: parse_number(value),
                    value: value.to_lowercase(),
                },
                None => {
                    q.notes
                        .push(format!("`{name}` is not a column: searched as text"));
                    text_term(&token)
                }
            },
            None => text_term(&token),
        };
        q.terms.push(term);
    }
    q
}

fn text_term(token: &str) -> Term {
    Term {
        column: None,
        op: Op::Contains,
        value: token.to_lowercase(),
        number: None,
    }
}

impl Term {
    /// Whether a lead passes, given its lower-cased all-fields text.
    pub fn matches(&self, lead: &Lead, haystack: &str) -> bool {
        let Some(col) = &self.column else {
            return haystack.contains(&self.value);
        };
        if self.op == Op::Contains {
            return cell(lead, col).to_lowercase().contains(&self.value);
        }
        let ord = match (self.number, number(lead, col)) {
            (Some(want), Some(have)) => have.partial_cmp(&want),
            // `>`/`<` on a value that is not a number: no match rather than a text order.
            (Some(_), None) if !matches!(self.op, Op::Eq | Op::Ne) => return false,
            _ => Some(
                cell(lead, col)
                    .to_lowercase()
                    .as_str()
                    .cmp(self.value.as_str()),
            ),
        };
        let Some(ord) = ord else { return false };
        match self.op {
            Op::Eq => ord.is_eq(),
            Op::Ne => ord.is_ne(),
            Op::Gt => ord.is_gt(),
            Op::Ge => ord.is_ge(),
            Op::Lt => ord.is_lt(),
            Op::Le => ord.is_le(),
            Op::Contains => true,
        }
    }

    /// Where in a shown cell of `col` this term matches: a byte range of `text` to highlight.
    pub fn highlight(&self, col: &Column, lead: &Lead, text: &str) -> Option<(usize, usize)> {
        if self.op == Op::Contains {
            if self.column.as_ref().is_some_and(|c| c != col) || self.value.is_empty() {
                return None;
            }
            return find_ci(text, &self.value);
        }
        match &self.column {
            Some(c) if c == col && self.matches(lead, "") => Some((0, text.len())),
            _ => None,
        }
    }
}

/// A case-insensitive find returning a byte range of `text` (ASCII folding keeps byte offsets;
/// other text is compared as is).
fn find_ci(text: &str, needle_lower: &str) -> Option<(usize, usize)> {
    if text.is_ascii() && needle_lower.is_ascii() {
        let start = text.to_ascii_lowercase().find(needle_lower)?;
        return Some((start, start + needle_lower.len()));
    }
    let lower = text.to_lowercase();
    // Only when lower-casing kept the length can its offsets be used on `text`.
    if lower.len() != text.len() {
        return None;
    }
    let start = lower.find(needle_lower)?;
    let end = start + needle_lower.len();
    (text.is_char_boundary(start) && text.is_char_boundary(end)).then_some((start, end))
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn matches(&self, lead: &Lead, haystack: &str) -> bool {
        self.terms.iter().all(|t| t.matches(lead, haystack))
    }

    /// The first highlight any term gives a cell.
    pub fn highlight(&self, col: &Column, lead: &Lead, text: &str) -> Option<(usize, usize)> {
        self.terms.iter().find_map(|t| t.highlight(col, lead, text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::fixtures;

    fn q(text: &str) -> Query {
        parse(text, |k| k == "technologies")
    }

    #[test]
    fn words_column_values_and_typed_comparisons_parse() {
        let t = q("Lyon").terms.remove(0);
        assert_eq!((t.column.clone(), t.op), (None, Op::Contains));
        assert_eq!(t.value, "lyon");
        let t = q("country=FR").terms.remove(0);
        assert_eq!((t.column.clone(), t.op), (Some(Column::Country), Op::Eq));
        let t = q("confidence>0.8").terms.remove(0);
        assert_eq!((t.op, t.number), (Op::Gt, Some(0.8)));
        let t = q("employees>=50").terms.remove(0);
        assert_eq!(t.column, Some(Column::field("employees")));
        assert_eq!((t.op, t.number), (Op::Ge, Some(50.0)));
        let t = q("funding<=€5M").terms.remove(0);
        assert_eq!((t.op, t.number), (Op::Le, Some(5e6)));
        let t = q("title:\"head of sales\"").terms.remove(0);
        assert_eq!(
            (t.column.clone(), t.value.as_str()),
            (Some(Column::Title), "head of sales")
        );
        let t = q("technologies:rust").terms.remove(0);
        assert_eq!(t.column, Some(Column::field("technologies")));
        assert_eq!(q("a b c").terms.len(), 3);
        let t = q("email!=x@y.z").terms.remove(0);
        assert_eq!(t.op, Op::Ne);
    }

    #[test]
    fn a_name_that_is_no_column_is_searched_as_text_and_says_so() {
        let query = q("https://acme.io");
        assert_eq!(query.terms[0].column, None);
        assert_eq!(query.terms[0].value, "https://acme.io");
        assert!(query.notes[0].contains("`https` is not a column"));
        let query = q("nope=3");
        assert_eq!(query.terms[0].column, None);
        assert_eq!(query.notes.len(), 1);
        // Operators with nothing before them are plain text too.
        assert_eq!(q(">5").terms[0].column, None);
        assert!(q("").is_empty());
    }

    #[test]
    fn terms_match_numbers_numerically_and_text_case_insensitively() {
        let job = fixtures::job_id(1);
        let mut lead = fixtures::leads(&job, 1).remove(0);
        lead.confidence = 0.85;
        lead.company.hq_country = Some("FR".into());
        lead.fields.insert("employees".into(), 120.into());
        let hay = "acme lyon";
        assert!(q("confidence>0.8").matches(&lead, hay));
        assert!(!q("confidence>0.9").matches(&lead, hay));
        assert!(q("country=fr").matches(&lead, hay));
        assert!(!q("country!=FR").matches(&lead, hay));
        assert!(q("employees>=120 lyon").matches(&lead, hay));
        assert!(!q("employees<100").matches(&lead, hay));
        assert!(!q("paris").matches(&lead, hay));
        // A number compared with a text column that holds no number: no match, no panic.
        assert!(!q("country>3").matches(&lead, hay));
    }

    #[test]
    fn highlights_fall_on_the_matched_text_only() {
        let job = fixtures::job_id(1);
        let lead = fixtures::leads(&job, 1).remove(0);
        let query = q("LYON");
        assert_eq!(
            query.highlight(&Column::City, &lead, "Lyon 3e"),
            Some((0, 4))
        );
        assert_eq!(query.highlight(&Column::City, &lead, "Paris"), None);
        let query = q("city:yon");
        assert_eq!(query.highlight(&Column::City, &lead, "Lyon"), Some((1, 4)));
        assert_eq!(query.highlight(&Column::Company, &lead, "Lyon"), None);
        // Non-ASCII text whose lower case changes length is not highlighted at a wrong offset.
        assert_eq!(find_ci("İstanbul", "stan"), None);
        assert_eq!(find_ci("Zürich", "rich"), Some((3, 7)));
    }
}
