//! Numbers in a prompt: company headcount, team sizes, list size, funding recency and (for
//! replans) a credit budget. Every comparison form of docs/planner.md ("Sizes: employees and
//! team_size") lands here ("20+", "at least",
//! "more than", "under", "up to", "N–M", "between N and M", "≥", "1k", "1,000").

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::lexicon::Lexicon;
use super::lexicons::{C_LEVEL, ENTITIES, Entity};
use super::text::{Kind, Token};
use crate::model::{Icp, Range};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Exact,
    AtLeast,
    MoreThan,
    LessThan,
    AtMost,
    Top,
    Recent,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Unit {
    Employees,
    Team(&'static str),
    Rows,
    Companies,
    /// Days per unit (weeks → 7).
    Days(u32),
    Credits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SizeBand {
    Smb,
    MidMarket,
    Enterprise,
}

/// A budget a replan asks for ("under 100 credits").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditLimit {
    pub credits: u32,
    /// "under 100" means < 100; "at most 100" means ≤ 100.
    pub strict: bool,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Numbers {
    pub employees: Range,
    pub team_size: BTreeMap<String, Range>,
    pub max_rows: Option<u32>,
    pub funded_within_days: Option<u32>,
    pub credit_limit: Option<CreditLimit>,
}

impl Numbers {
    pub fn apply(&self, icp: &mut Icp) {
        icp.employees = self.employees;
        icp.team_size = self.team_size.clone();
        icp.max_rows = self.max_rows;
        icp.funded_within_days = self.funded_within_days;
    }
}

static PREFIXES: LazyLock<Vec<(Vec<&'static str>, Cmp)>> = LazyLock::new(|| {
    use Cmp::*;
    let table: &[(&str, Cmp)] = &[
        ("at least", AtLeast),
        ("no less than", AtLeast),
        ("no fewer than", AtLeast),
        ("not less than", AtLeast),
        ("minimum of", AtLeast),
        ("a minimum of", AtLeast),
        ("minimum", AtLeast),
        ("min", AtLeast),
        ("min of", AtLeast),
        (">=", AtLeast),
        ("\u{2265}", AtLeast),
        ("more than", MoreThan),
        ("over", MoreThan),
        ("above", MoreThan),
        ("greater than", MoreThan),
        ("bigger than", MoreThan),
        ("larger than", MoreThan),
        ("in excess of", MoreThan),
        (">", MoreThan),
        ("fewer than", LessThan),
        ("less than", LessThan),
        ("under", LessThan),
        ("below", LessThan),
        ("smaller than", LessThan),
        ("<", LessThan),
        ("up to", AtMost),
        ("at most", AtMost),
        ("no more than", AtMost),
        ("not more than", AtMost),
        ("max", AtMost),
        ("maximum", AtMost),
        ("maximum of", AtMost),
        ("max of", AtMost),
        ("<=", AtMost),
        ("\u{2264}", AtMost),
        ("top", Top),
        ("list of", Top),
        ("limit", Top),
        ("limit to", Top),
        ("limit it to", Top),
        ("cap at", Top),
        ("capped at", Top),
        ("cap it at", Top),
        ("give me", Top),
        ("get me", Top),
        ("send me", Top),
        ("find me", Top),
        ("first", Top),
        ("last", Recent),
        ("past", Recent),
        ("previous", Recent),
        ("within", Recent),
        ("prior", Recent),
        ("trailing", Recent),
        ("recent", Recent),
        ("within the last", Recent),
        ("within the past", Recent),
        ("in the last", Recent),
        ("in the past", Recent),
    ];
    let mut v: Vec<(Vec<&'static str>, Cmp)> = table.iter().map(|(p, c)| (split(p), *c)).collect();
    v.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    v
});

fn split(p: &'static str) -> Vec<&'static str> {
    match p {
        ">=" => vec![">", "="],
        "<=" => vec!["<", "="],
        _ => p.split(' ').collect(),
    }
}

static UNITS: LazyLock<Lexicon<Unit>> = LazyLock::new(|| {
    use Unit::*;
    let table: Vec<(&'static str, Unit)> = vec![
        ("employee", Employees),
        ("staff", Employees),
        ("people", Employees),
        ("person", Employees),
        ("headcount", Employees),
        ("ppl", Employees),
        ("emp", Employees),
        ("emps", Employees),
        ("employees total", Employees),
        ("fte", Employees),
        ("full time employee", Employees),
        ("worker", Employees),
        ("team member", Employees),
        ("employees worldwide", Employees),
        ("staffers", Employees),
        ("engineer", Team("engineering")),
        ("developer", Team("engineering")),
        ("dev", Team("engineering")),
        ("software engineer", Team("engineering")),
        ("swe", Team("engineering")),
        ("engineering", Team("engineering")),
        ("engineering headcount", Team("engineering")),
        ("engineering staff", Team("engineering")),
        ("salespeople", Team("sales")),
        ("salesperson", Team("sales")),
        ("sales people", Team("sales")),
        ("sales rep", Team("sales")),
        ("sales representative", Team("sales")),
        ("rep", Team("sales")),
        ("seller", Team("sales")),
        ("account executive", Team("sales")),
        ("sales", Team("sales")),
        ("sales staff", Team("sales")),
        ("marketer", Team("marketing")),
        ("marketing people", Team("marketing")),
        ("marketing", Team("marketing")),
        ("marketing staff", Team("marketing")),
        ("product manager", Team("product")),
        ("pm", Team("product")),
        ("product people", Team("product")),
        ("data scientist", Team("data")),
        ("data engineer", Team("data")),
        ("data people", Team("data")),
        ("analyst", Team("data")),
        ("designer", Team("design")),
        ("support agent", Team("support")),
        ("support rep", Team("support")),
        ("support staff", Team("support")),
        ("support people", Team("support")),
        ("operations staff", Team("operations")),
        ("ops people", Team("operations")),
        ("row", Rows),
        ("lead", Rows),
        ("contact", Rows),
        ("result", Rows),
        ("record", Rows),
        ("prospect", Rows),
        ("row list", Rows),
        ("entries", Rows),
        ("entry", Rows),
        ("company", Companies),
        ("startup", Companies),
        ("firm", Companies),
        ("brand", Companies),
        ("business", Companies),
        ("account", Companies),
        ("organization", Companies),
        ("organisation", Companies),
        ("org", Companies),
        ("vendor", Companies),
        ("scaleup", Companies),
        ("agency", Companies),
        ("day", Days(1)),
        ("d", Days(1)),
        ("week", Days(7)),
        ("wk", Days(7)),
        ("month", Days(30)),
        ("mo", Days(30)),
        ("year", Days(365)),
        ("yr", Days(365)),
        ("quarter", Days(90)),
        ("credit", Credits),
        ("cr", Credits),
    ];
    Lexicon::new(table, true)
});

static BANDS: LazyLock<Lexicon<SizeBand>> = LazyLock::new(|| {
    use SizeBand::*;
    Lexicon::new(
        [
            ("smb", Smb),
            ("sme", Smb),
            ("small business", Smb),
            ("small and medium business", Smb),
            ("small and medium sized business", Smb),
            ("small and mid sized business", Smb),
            ("small company", Smb),
            ("mid market", MidMarket),
            ("midmarket", MidMarket),
            ("mid sized", MidMarket),
            ("mid size", MidMarket),
            ("midsize", MidMarket),
            ("midsized", MidMarket),
            ("medium sized", MidMarket),
            ("mid market company", MidMarket),
            ("enterprise", Enterprise),
            ("large enterprise", Enterprise),
            ("large company", Enterprise),
            ("large corporate", Enterprise),
            ("fortune 500", Enterprise),
            ("big company", Enterprise),
        ],
        false,
    )
});

/// Recency said without a number.
static RECENCY_WORDS: LazyLock<Lexicon<u32>> = LazyLock::new(|| {
    Lexicon::new(
        [
            ("last quarter", 90),
            ("past quarter", 90),
            ("this quarter", 90),
            ("previous quarter", 90),
            ("last month", 30),
            ("past month", 30),
            ("this month", 30),
            ("last week", 7),
            ("past week", 7),
            ("this week", 7),
            ("last year", 365),
            ("past year", 365),
            ("this year", 365),
            ("previous year", 365),
            ("last twelve months", 360),
            ("ytd", 365),
            ("last few months", 90),
            ("past few months", 90),
        ],
        false,
    )
});

#[derive(Debug, Clone, Copy)]
struct Expr {
    start: usize,
    end: usize,
    cmp: Cmp,
    lo: f64,
    hi: Option<f64>,
    unit: Option<Unit>,
}

const FILLERS: &[&str] = &[
    "full", "time", "total", "plus", "or", "so", "more", "strong", "odd", "-",
];

/// Reads every number phrase, claiming its tokens.
pub fn extract(tokens: &[Token], claimed: &mut [bool]) -> Numbers {
    let mut exprs: Vec<Expr> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if claimed[i]
            || tokens[i].kind != Kind::Number
            || (i > 0 && tokens[i - 1].norm == "fortune")
        {
            i += 1;
            continue;
        }
        let e = read_expr(tokens, claimed, i);
        i = e.end.max(i + 1);
        exprs.push(e);
    }
    // "more than 50 and fewer than 500 employees": the first bound borrows the second's unit.
    for k in 0..exprs.len() {
        if exprs[k].unit.is_none()
            && let Some(next) = exprs.get(k + 1).copied()
            && next.start.saturating_sub(exprs[k].end) <= 2
            && matches!(next.unit, Some(Unit::Employees | Unit::Team(_)))
            && !matches!(exprs[k].cmp, Cmp::Exact | Cmp::Top | Cmp::Recent)
        {
            exprs[k].unit = next.unit;
        }
    }
    let mut out = Numbers::default();
    for e in &exprs {
        let used = apply_expr(e, &mut out);
        if used {
            claimed[e.start..e.end].iter_mut().for_each(|c| *c = true);
        }
    }
    read_keywords(tokens, claimed, &mut out);
    out
}

fn read_expr(tokens: &[Token], claimed: &[bool], at: usize) -> Expr {
    let (mut cmp, mut start) = (Cmp::Exact, at);
    // "~300", "about 50", "roughly 1k": the approximation does not change the number.
    let mut before = at;
    if before > 0
        && matches!(
            tokens[before - 1].norm.as_str(),
            "~" | "about" | "approximately" | "approx" | "around" | "roughly" | "circa" | "ca."
        )
    {
        before -= 1;
        start = before;
    }
    for (words, c) in PREFIXES.iter() {
        let n = words.len();
        if before >= n
            && (0..n).all(|j| tokens[before - n + j].norm == words[j] && !claimed[before - n + j])
        {
            cmp = *c;
            start = before - n;
            break;
        }
    }
    // "in the last 6 months" — the cue may sit a word or two before the number.
    if cmp == Cmp::Exact
        && at >= 2
        && ["last", "past", "previous"].contains(&tokens[at - 1].norm.as_str())
    {
        cmp = Cmp::Recent;
        start = at - 1;
    }
    let mut between = false;
    if cmp == Cmp::Exact && at >= 1 && matches!(tokens[at - 1].norm.as_str(), "between" | "from") {
        between = true;
        start = at - 1;
    }
    let lo = tokens[at].value;
    let mut hi = None;
    let mut end = at + 1;
    if tokens.get(end).is_some_and(|t| t.is_punct("+")) {
        if cmp == Cmp::Exact {
            cmp = Cmp::AtLeast;
        }
        end += 1;
    } else if let Some(sep) = tokens.get(end)
        && (sep.is_punct("-")
            || sep.is_punct("\u{2013}")
            || sep.is_punct("\u{2014}")
            || sep.is("to")
            || sep.is("through")
            || (between && sep.is("and")))
        && let Some(second) = tokens.get(end + 1)
        && second.kind == Kind::Number
        && !claimed[end + 1]
    {
        hi = Some(second.value);
        end += 2;
        if cmp == Cmp::Exact || between {
            cmp = Cmp::Exact;
        }
        if tokens.get(end).is_some_and(|t| t.is_punct("+")) {
            end += 1;
        }
    }
    if hi.is_none()
        && let Some((c, e)) = suffix_comparison(tokens, end)
    {
        cmp = c;
        end = e;
    }
    let (unit, unit_end) = read_unit_after(tokens, claimed, end, cmp);
    let unit = unit.or_else(|| read_unit_before(tokens, start));
    if unit.is_some() {
        end = unit_end.max(end);
    }
    if let Some((m, e)) = suffix_after_unit(tokens, end)
        && hi.is_none()
    {
        cmp = m;
        end = e;
    }
    Expr {
        start,
        end,
        cmp,
        lo,
        hi,
        unit,
    }
}

/// Suffix comparisons: "20 or more", "50 and up", "100 or fewer" (not "or less than").
fn suffix_comparison(tokens: &[Token], end: usize) -> Option<(Cmp, usize)> {
    let rest = |j: usize, w: &str| tokens.get(j).is_some_and(|t| t.norm == w);
    let joined = rest(end, "or") || rest(end, "and");
    if joined
        && ["more", "above", "greater", "up", "over", "higher"]
            .iter()
            .any(|w| rest(end + 1, w))
    {
        return Some((Cmp::AtLeast, end + 2));
    }
    if joined
        && !rest(end + 2, "than")
        && ["fewer", "less", "under", "below"]
            .iter()
            .any(|w| rest(end + 1, w))
    {
        return Some((Cmp::AtMost, end + 2));
    }
    None
}

/// "20 engineers or more" puts the comparison after the unit.
fn suffix_after_unit(tokens: &[Token], at: usize) -> Option<(Cmp, usize)> {
    let w = |j: usize| tokens.get(j).map(|t| t.norm.as_str()).unwrap_or("");
    match (w(at), w(at + 1)) {
        ("or", "more") | ("or", "above") | ("and", "up") | ("and", "above") | ("or", "greater") => {
            Some((Cmp::AtLeast, at + 2))
        }
        ("or", "fewer") | ("or", "less") | ("and", "under") | ("and", "below") => {
            Some((Cmp::AtMost, at + 2))
        }
        ("max", _) | ("maximum", _) => Some((Cmp::AtMost, at + 1)),
        ("minimum", _) | ("min", _) => Some((Cmp::AtLeast, at + 1)),
        _ => None,
    }
}

fn read_unit_after(
    tokens: &[Token],
    claimed: &[bool],
    mut at: usize,
    cmp: Cmp,
) -> (Option<Unit>, usize) {
    let mut skipped = 0;
    while tokens
        .get(at)
        .is_some_and(|t| FILLERS.contains(&t.norm.as_str()))
        && skipped < 2
    {
        at += 1;
        skipped += 1;
    }
    if let Some(hit) = UNITS.match_at(tokens, at, claimed) {
        return (Some(hit.value), at + hit.len);
    }
    // "50 cybersecurity startups": a bare count, then a few describing words, then a company noun.
    if matches!(cmp, Cmp::Exact | Cmp::Top) {
        let mut j = at;
        while j < tokens.len() && j < at + 7 && tokens[j].kind == Kind::Word && !claimed[j] {
            if let Some(hit) = UNITS.match_at(tokens, j, claimed)
                && matches!(hit.value, Unit::Companies | Unit::Rows)
            {
                return (Some(Unit::Companies), at);
            }
            // "200 manufacturers", "50 fintechs": a plural industry word counts companies.
            if tokens[j].norm.ends_with('s')
                && ENTITIES
                    .match_at(tokens, j, claimed)
                    .is_some_and(|h| matches!(h.value, Entity::Industry { .. }))
                && tokens.get(j + 1).is_none_or(|n| {
                    n.kind == Kind::Punct || n.norm == "in" || n.norm == "with" || n.norm == "from"
                })
            {
                return (Some(Unit::Companies), at);
            }
            j += 1;
        }
        // "fifty heads of growth", "200 CFOs": a count of people is the list size.
        let leader_word = tokens.get(at).is_some_and(|t| {
            matches!(
                t.norm.as_str(),
                "head"
                    | "heads"
                    | "vp"
                    | "vps"
                    | "founder"
                    | "founders"
                    | "cofounders"
                    | "directors"
            )
        });
        if leader_word || C_LEVEL.match_at(tokens, at, claimed).is_some() {
            return (Some(Unit::Rows), at);
        }
    }
    (None, at)
}

/// "headcount of 50–200", "engineering team of 20+", "employees: 100-500".
fn read_unit_before(tokens: &[Token], start: usize) -> Option<Unit> {
    let mut j = start;
    while j > 0
        && matches!(
            tokens[j - 1].norm.as_str(),
            "of" | ":" | "is" | "size" | "between" | "from" | "around"
        )
    {
        if tokens[j - 1].norm == "size" {
            break;
        }
        j -= 1;
    }
    let word = |k: usize| tokens.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    if j == 0 {
        return None;
    }
    let last = word(j - 1);
    let dept_before = if j >= 2 {
        department(word(j - 2))
    } else {
        None
    };
    match last {
        "headcount" | "team" | "teams" | "size" => {
            Some(dept_before.map_or(Unit::Employees, Unit::Team))
        }
        "employees" | "staff" | "employee" => Some(Unit::Employees),
        _ => None,
    }
}

fn department(word: &str) -> Option<&'static str> {
    Some(match word {
        "engineering" | "eng" | "dev" | "development" | "r&d" => "engineering",
        "sales" => "sales",
        "marketing" => "marketing",
        "product" => "product",
        "data" => "data",
        "design" => "design",
        "support" => "support",
        "operations" | "ops" => "operations",
        _ => return None,
    })
}

fn to_u32(v: f64) -> u32 {
    if v.is_nan() || v <= 0.0 {
        0
    } else if v >= u32::MAX as f64 {
        u32::MAX
    } else {
        v.round() as u32
    }
}

fn bound(e: &Expr) -> Option<Range> {
    let v = to_u32(e.lo);
    Some(match (e.cmp, e.hi) {
        (_, Some(hi)) => {
            let (a, b) = (v.min(to_u32(hi)), v.max(to_u32(hi)));
            Range {
                min: Some(a),
                max: Some(b),
            }
        }
        (Cmp::AtLeast, None) => Range {
            min: Some(v),
            max: None,
        },
        (Cmp::MoreThan, None) => Range {
            min: Some(v.saturating_add(1)),
            max: None,
        },
        (Cmp::LessThan, None) => Range {
            min: None,
            max: Some(v.saturating_sub(1)),
        },
        (Cmp::AtMost, None) => Range {
            min: None,
            max: Some(v),
        },
        (Cmp::Exact, None) => Range {
            min: Some(v),
            max: Some(v),
        },
        (Cmp::Top | Cmp::Recent, None) => return None,
    })
}

fn merge(into: &mut Range, r: Range) {
    if r.min.is_some() {
        into.min = r.min;
    }
    if r.max.is_some() {
        into.max = r.max;
    }
}

fn apply_expr(e: &Expr, out: &mut Numbers) -> bool {
    match e.unit {
        Some(Unit::Employees) => bound(e).map(|r| merge(&mut out.employees, r)).is_some(),
        Some(Unit::Team(dept)) => {
            let Some(r) = bound(e) else { return false };
            merge(out.team_size.entry(dept.to_string()).or_default(), r);
            true
        }
        Some(Unit::Rows) | Some(Unit::Companies) if !matches!(e.cmp, Cmp::Recent) => {
            if e.unit == Some(Unit::Companies) && !matches!(e.cmp, Cmp::Exact | Cmp::Top)
                || e.hi.is_some()
            {
                return false;
            }
            if out.max_rows.is_none() {
                out.max_rows = Some(to_u32(e.lo).clamp(1, Icp::MAX_ROWS));
            }
            true
        }
        None if e.cmp == Cmp::Top => {
            if out.max_rows.is_none() {
                out.max_rows = Some(to_u32(e.lo).clamp(1, Icp::MAX_ROWS));
            }
            true
        }
        Some(Unit::Days(per)) if e.cmp == Cmp::Recent || e.cmp == Cmp::AtMost => {
            let days = to_u32(e.lo).saturating_mul(per);
            if out.funded_within_days.is_none() && days > 0 {
                out.funded_within_days = Some(days);
            }
            true
        }
        Some(Unit::Credits) => {
            let strict = matches!(e.cmp, Cmp::LessThan);
            out.credit_limit = Some(CreditLimit {
                credits: to_u32(e.lo),
                strict,
            });
            true
        }
        _ => false,
    }
}

fn read_keywords(tokens: &[Token], claimed: &mut [bool], out: &mut Numbers) {
    let mut i = 0;
    while i < tokens.len() {
        if let Some(hit) = RECENCY_WORDS.match_at(tokens, i, claimed) {
            if out.funded_within_days.is_none() {
                out.funded_within_days = Some(hit.value);
            }
            claimed[i..i + hit.len].iter_mut().for_each(|c| *c = true);
            i += hit.len;
            continue;
        }
        if let Some(hit) = BANDS.match_at(tokens, i, claimed) {
            if out.employees.is_open() {
                out.employees = match hit.value {
                    SizeBand::Smb => Range {
                        min: None,
                        max: Some(99),
                    },
                    SizeBand::MidMarket => Range {
                        min: Some(100),
                        max: Some(999),
                    },
                    SizeBand::Enterprise => Range {
                        min: Some(1000),
                        max: None,
                    },
                };
            }
            claimed[i..i + hit.len].iter_mut().for_each(|c| *c = true);
            i += hit.len;
            continue;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    fn read(s: &str) -> Numbers {
        let t = tokenize(s);
        let mut claimed = vec![false; t.len()];
        extract(&t, &mut claimed)
    }

    fn emp(s: &str) -> (Option<u32>, Option<u32>) {
        let r = read(s).employees;
        (r.min, r.max)
    }

    #[test]
    fn every_comparison_form() {
        assert_eq!(emp("200+ employees"), (Some(200), None));
        assert_eq!(emp("at least 1,000 employees"), (Some(1000), None));
        assert_eq!(emp("50 or more employees"), (Some(50), None));
        assert_eq!(emp("\u{2265}300 staff"), (Some(300), None));
        assert_eq!(emp(">= 300 staff"), (Some(300), None));
        assert_eq!(emp("more than 20 employees"), (Some(21), None));
        assert_eq!(emp("over 1k employees"), (Some(1001), None));
        assert_eq!(emp(">50 people"), (Some(51), None));
        assert_eq!(emp("fewer than 200 employees"), (None, Some(199)));
        assert_eq!(emp("under 500 employees"), (None, Some(499)));
        assert_eq!(emp("<50 employees"), (None, Some(49)));
        assert_eq!(emp("up to 250 employees"), (None, Some(250)));
        assert_eq!(emp("at most 2,500 employees"), (None, Some(2500)));
        assert_eq!(emp("\u{2264}80 employees"), (None, Some(80)));
        assert_eq!(emp("500\u{2013}5000 employees"), (Some(500), Some(5000)));
        assert_eq!(emp("50-250 staff"), (Some(50), Some(250)));
        assert_eq!(emp("50 to 200 employees"), (Some(50), Some(200)));
        assert_eq!(emp("between 20 and 200 employees"), (Some(20), Some(200)));
        assert_eq!(emp("1k-5k employees"), (Some(1000), Some(5000)));
        assert_eq!(emp("headcount of 100-500"), (Some(100), Some(500)));
        assert_eq!(
            emp("more than 50 and fewer than 500 employees"),
            (Some(51), Some(499))
        );
    }

    #[test]
    fn size_bands_apply_only_without_numbers() {
        assert_eq!(emp("SMBs"), (None, Some(99)));
        assert_eq!(emp("mid-market"), (Some(100), Some(999)));
        assert_eq!(emp("enterprise"), (Some(1000), None));
        assert_eq!(emp("enterprise, under 5000 employees"), (None, Some(4999)));
    }

    #[test]
    fn engineers_are_team_size_not_headcount() {
        let n = read("20+ engineers and at least 5 salespeople");
        assert!(n.employees.is_open());
        assert_eq!(
            n.team_size["engineering"],
            Range {
                min: Some(20),
                max: None
            }
        );
        assert_eq!(
            n.team_size["sales"],
            Range {
                min: Some(5),
                max: None
            }
        );
        assert_eq!(
            read("10-50 engineers").team_size["engineering"],
            Range {
                min: Some(10),
                max: Some(50)
            }
        );
        assert_eq!(
            read("engineering teams of 20+").team_size["engineering"],
            Range {
                min: Some(20),
                max: None
            }
        );
    }

    #[test]
    fn list_sizes() {
        assert_eq!(read("a 500-row list").max_rows, Some(500));
        assert_eq!(read("top 100").max_rows, Some(100));
        assert_eq!(read("Give me 50 cybersecurity startups").max_rows, Some(50));
        assert_eq!(read("300 leads").max_rows, Some(300));
        assert_eq!(read("top 50,000").max_rows, Some(10_000));
        assert_eq!(read("with 20 employees").max_rows, None);
        assert_eq!(
            read("list of 2,000 manufacturers in the Midwest").max_rows,
            Some(2000)
        );
        assert_eq!(read("a list of 40").max_rows, Some(40));
        assert_eq!(read("a list of ~300 fintechs").max_rows, Some(300));
        assert_eq!(read("give me 120").max_rows, Some(120));
        assert_eq!(read("over 100 staff, limit 30").max_rows, Some(30));
        assert_eq!(
            read("Give me 75 Series A-B climate tech startups").max_rows,
            Some(75)
        );
        assert_eq!(
            read("25-100 ppl").employees,
            Range {
                min: Some(25),
                max: Some(100)
            }
        );
    }

    #[test]
    fn recency_in_days_weeks_months_years() {
        assert_eq!(
            read("raised in the last 90 days").funded_within_days,
            Some(90)
        );
        assert_eq!(read("in the past 3 weeks").funded_within_days, Some(21));
        assert_eq!(read("last 6 months").funded_within_days, Some(180));
        assert_eq!(
            read("within the last 2 years").funded_within_days,
            Some(730)
        );
        assert_eq!(read("last quarter").funded_within_days, Some(90));
        assert_eq!(read("founded 5 years ago").funded_within_days, None);
    }

    #[test]
    fn credit_budgets() {
        assert_eq!(
            read("trim to under 100 credits").credit_limit,
            Some(CreditLimit {
                credits: 100,
                strict: true
            })
        );
        assert_eq!(
            read("at most 80 credits").credit_limit,
            Some(CreditLimit {
                credits: 80,
                strict: false
            })
        );
    }
}
