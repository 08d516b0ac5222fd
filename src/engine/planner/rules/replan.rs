//! Replanning edits the previous ICP instead of starting over: "only VP Eng", "drop Head of
//! Growth", "also Germany", "make it 50 rows", "skip Crunchbase", "trim to under 100 credits".

use super::budget::trim_to;
use super::extract::{extract_tokens, has_audience};
use super::i18n;
use super::lexicons::SOURCES;
use super::numbers::CreditLimit;
use super::text::{Kind, Token, tokenize};
use crate::model::{Error, ErrorCode, Icp, Range};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Replace,
    Remove,
}

const REPLACE_CUES: &[&str] = &[
    "only",
    "just",
    "instead",
    "switch",
    "change",
    "replace",
    "solely",
    "exclusively",
    "rather",
];
const REMOVE_CUES: &[&str] = &[
    "drop", "remove", "exclude", "without", "no", "minus", "delete", "except", "not", "lose",
    "skip", "omit", "ditch", "cut", "don't", "dont", "avoid",
];
const ADD_CUES: &[&str] = &[
    "also",
    "add",
    "plus",
    "include",
    "too",
    "additionally",
    "another",
    "and",
    "more",
    "extra",
    "use",
    "get",
    "target",
];
const ROW_CUES: &[&str] = &[
    "make", "limit", "cap", "only", "just", "shrink", "reduce", "set", "keep",
];

/// The outcome of applying feedback.
#[derive(Debug, Clone)]
pub struct Edit {
    pub icp: Icp,
    pub notes: Vec<String>,
}

pub(super) fn reject(reason: impl Into<String>) -> Error {
    Error::new(ErrorCode::PlanRejected, reason)
}

/// Splits feedback into clauses that each carry one instruction.
fn clauses(tokens: &[Token]) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (k, t) in tokens.iter().enumerate() {
        let hard = t.kind == Kind::Punct && matches!(t.norm.as_str(), "." | ";" | "!" | "?" | "\n");
        let next_is_cue = tokens.get(k + 1).is_some_and(|n| {
            let w = n.norm.as_str();
            REPLACE_CUES.contains(&w)
                || REMOVE_CUES.contains(&w)
                || (ADD_CUES.contains(&w) && w != "and" && w != "more")
                || ROW_CUES.contains(&w)
                || w == "trim"
        });
        // "drop France, use the UK": a comma also ends a clause when the next one has its own cue.
        let comma_clause = t.is_punct(",")
            && tokens[k + 1..]
                .iter()
                .take_while(|n| !n.is_punct(","))
                .any(|n| is_cue(&n.norm));
        let soft = ((t.is_punct(",") || t.is("and") || t.is("but") || t.is("then")) && next_is_cue)
            || comma_clause;
        if hard || soft {
            if k > start {
                out.push(&tokens[start..k]);
            }
            start = k + 1;
        }
    }
    if start < tokens.len() {
        out.push(&tokens[start..]);
    }
    out
}

fn is_cue(w: &str) -> bool {
    REPLACE_CUES.contains(&w)
        || REMOVE_CUES.contains(&w)
        || (ADD_CUES.contains(&w) && w != "and" && w != "more")
}

/// "Germany instead of France" and "replace France with Germany" name what goes and what comes.
fn swap(clause: &[Token]) -> Option<(&[Token], &[Token])> {
    let w = |k: usize| clause.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    for k in 0..clause.len() {
        if (w(k) == "instead" && w(k + 1) == "of") || (w(k) == "rather" && w(k + 1) == "than") {
            return Some((&clause[k + 2..], &clause[..k]));
        }
    }
    let r = clause
        .iter()
        .position(|t| matches!(t.norm.as_str(), "replace" | "swap"))?;
    let with = clause[r..]
        .iter()
        .position(|t| matches!(t.norm.as_str(), "with" | "by" | "for"))?
        + r;
    Some((&clause[r + 1..with], &clause[with + 1..]))
}

fn op_of(clause: &[Token]) -> Option<Op> {
    clause.iter().find_map(|t| {
        let w = t.norm.as_str();
        if REPLACE_CUES.contains(&w) {
            Some(Op::Replace)
        } else if REMOVE_CUES.contains(&w) {
            Some(Op::Remove)
        } else if ADD_CUES.contains(&w) && w != "and" && w != "more" {
            Some(Op::Add)
        } else {
            None
        }
    })
}

fn edit_list(list: &mut Vec<String>, new: &[String], op: Op) -> bool {
    if new.is_empty() {
        return false;
    }
    match op {
        Op::Replace => *list = new.to_vec(),
        Op::Add => {
            for v in new {
                if !list.iter().any(|x| x.eq_ignore_ascii_case(v)) {
                    list.push(v.clone());
                }
            }
        }
        Op::Remove => list.retain(|x| !new.iter().any(|v| v.eq_ignore_ascii_case(x))),
    }
    // Recognised even when it changes nothing ("also Germany" when Germany is in).
    true
}

fn words(clause: &[Token]) -> Vec<&str> {
    clause.iter().map(|t| t.norm.as_str()).collect()
}

/// Applies `feedback` to `previous`.
pub fn apply(previous: &Icp, feedback: &str) -> Result<Edit, Error> {
    // Feedback in French, German or Spanish is read like a prompt in those languages.
    let translated = i18n::translate(&crate::text::sanitize_multiline(feedback));
    let tokens = tokenize(&translated.text);
    let mut icp = previous.clone();
    let mut notes = Vec::new();
    let mut recognised = false;
    let mut limit: Option<CreditLimit> = None;
    let mut parts: Vec<(&[Token], Option<Op>)> = Vec::new();
    for clause in clauses(&tokens) {
        match swap(clause) {
            Some((out, into)) => {
                parts.push((out, Some(Op::Remove)));
                parts.push((into, Some(Op::Add)));
            }
            None => parts.push((clause, None)),
        }
    }
    let mut previous_op = None;
    for (clause, forced) in parts {
        let ex = extract_tokens(clause);
        let found = ex.icp.clone();
        limit = ex.credit_limit.or(limit);
        recognised |= ex.credit_limit.is_some();
        let mut op = forced.or_else(|| op_of(clause)).unwrap_or(Op::Add);
        // "no need for the CTO, get the CEO instead": the replacement of a removal is an addition.
        if op == Op::Replace
            && previous_op == Some(Op::Remove)
            && clause.iter().any(|t| t.is("instead"))
        {
            op = Op::Add;
        }
        previous_op = Some(op);
        if op == Op::Remove {
            // "don't use Crunchbase": a source named in a removal is skipped.
            recognised |= exclude_named_sources(clause, &mut icp);
        }
        let w = words(clause);

        recognised |= edit_lists(&mut icp, &found, op, &w);
        recognised |= edit_sizes(&mut icp, &found, op, &w, clause);
        for s in &found.excluded_sources {
            if !icp.excluded_sources.contains(s) {
                icp.excluded_sources.push(s.clone());
            }
            recognised = true;
        }
        if op != Op::Remove {
            // "use Crunchbase again" lifts an exclusion.
            recognised |= lift_exclusions(clause, &mut icp);
        }
        recognised |= drop_on_purpose(clause, &mut icp);
        if op == Op::Remove && !has_audience(&found) && found.excluded_sources.is_empty() {
            recognised |= remove_team_filter(clause, &mut icp) || remove_by_words(clause, &mut icp);
        }
    }
    if !recognised {
        return Err(reject(format!(
            "I couldn't tell what to change from \"{}\". Try e.g. \"only VP Engineering\", \"also Germany\", \
             \"drop Head of Growth\", \"make it 50 rows\", \"skip Crunchbase\" or \"trim to under 100 credits\".",
            short(feedback)
        )));
    }
    if !has_audience(&icp) {
        return Err(reject(
            "That change would leave the plan with no audience. Keep at least one industry, place, size, stage, role or technology.",
        ));
    }
    if let Some(widening) = widened_by(previous, &icp, &tokens) {
        return Err(reject(widening.question(translated.lang)));
    }
    if let Some(limit) = limit {
        trim_to(&mut icp, limit, &mut notes)?;
    }
    Ok(Edit { icp, notes })
}

/// Edits the list filters (places, industries, roles, technologies, hiring, stages).
fn edit_lists(icp: &mut Icp, found: &Icp, op: Op, w: &[&str]) -> bool {
    let mut recognised = false;
    // Places move together: "only Germany" replaces every geographic filter.
    let geo_named = !(found.countries.is_empty()
        && found.regions.is_empty()
        && found.cities.is_empty()
        && found.us_states.is_empty());
    if op == Op::Replace && geo_named {
        icp.countries = found.countries.clone();
        icp.regions = found.regions.clone();
        icp.cities = found.cities.clone();
        icp.us_states = found.us_states.clone();
        recognised = true;
    } else {
        recognised |= edit_list(&mut icp.countries, &found.countries, op);
        recognised |= edit_list(&mut icp.regions, &found.regions, op);
        recognised |= edit_list(&mut icp.cities, &found.cities, op);
        recognised |= edit_list(&mut icp.us_states, &found.us_states, op);
    }
    recognised |= edit_list(&mut icp.industries, &found.industries, op);
    recognised |= edit_list(&mut icp.roles, &found.roles, op);
    recognised |= edit_list(&mut icp.technologies, &found.technologies, op);
    recognised |= edit_list(&mut icp.hiring_for, &found.hiring_for, op);
    // A stage named without "also" replaces the stages: "Series B instead", "make it seed".
    let stage_op = if op == Op::Add && !w.iter().any(|x| ADD_CUES.contains(x) && *x != "and") {
        Op::Replace
    } else {
        op
    };
    recognised |= edit_list(&mut icp.funding_stages, &found.funding_stages, stage_op);
    recognised
}

/// Edits the number filters (headcount, team sizes, recency, rows).
fn edit_sizes(icp: &mut Icp, found: &Icp, op: Op, w: &[&str], clause: &[Token]) -> bool {
    let mut recognised = false;
    if !found.employees.is_open() {
        icp.employees = if op == Op::Remove {
            Range::default()
        } else {
            found.employees
        };
        recognised = true;
    } else if op == Op::Remove
        && w.iter()
            .any(|x| matches!(*x, "size" | "employees" | "headcount" | "employee"))
    {
        icp.employees = Range::default();
        recognised = true;
    }
    for (dept, r) in &found.team_size {
        if op == Op::Remove {
            icp.team_size.remove(dept);
        } else {
            icp.team_size.insert(dept.clone(), *r);
        }
        recognised = true;
    }
    if op == Op::Remove
        && w.contains(&"team")
        && w.iter().any(|x| matches!(*x, "size" | "sizes" | "filter"))
    {
        icp.team_size.clear();
        recognised = true;
    }
    if let Some(d) = found.funded_within_days {
        icp.funded_within_days = if op == Op::Remove { None } else { Some(d) };
        recognised = true;
    }
    if let Some(r) = found.max_rows.or_else(|| bare_rows(clause)) {
        icp.max_rows = Some(r.clamp(1, Icp::MAX_ROWS));
        recognised = true;
    }
    recognised
}

/// A filter the feedback emptied without naming a replacement widens the search silently ("drop
/// France" → worldwide): that is asked about, unless the feedback says so ("any country"). The
/// question is in the feedback's language.
pub fn widened(previous: &Icp, new: &Icp, feedback: &str) -> Option<String> {
    let translated = i18n::translate(&crate::text::sanitize_multiline(feedback));
    widened_by(previous, new, &tokenize(&translated.text)).map(|w| w.question(translated.lang))
}

/// The filter a replan emptied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Widening {
    Place,
    Industry,
    Role,
    Stage,
}

impl Widening {
    /// The message's name in a language file (`@widen_place`…) and its English text.
    fn message(self) -> (&'static str, &'static str) {
        match self {
            Self::Place => (
                "widen_place",
                "That removes the last place, so the search would be worldwide. Which countries or regions should I use instead?",
            ),
            Self::Industry => (
                "widen_industry",
                "That removes the last industry, so every industry would match. Which industries should I use instead?",
            ),
            Self::Role => (
                "widen_role",
                "That removes the last role, so no one would be pulled. Which roles should I use instead?",
            ),
            Self::Stage => (
                "widen_stage",
                "That removes the last funding stage, so every stage would match. Which stages should I use instead?",
            ),
        }
    }

    fn question(self, lang: Option<&str>) -> String {
        let (name, english) = self.message();
        let localised = lang
            .and_then(i18n::language)
            .and_then(|l| Some((l.message(name)?, l.message("widen_any")?)));
        match localised {
            Some((question, hint)) => format!("{question} {hint}"),
            None => format!("{english} (Say \"any\" to drop the filter on purpose.)"),
        }
    }
}

fn widened_by(previous: &Icp, new: &Icp, tokens: &[Token]) -> Option<Widening> {
    let says_any = tokens.iter().any(|t| {
        matches!(
            t.norm.as_str(),
            "any" | "anywhere" | "worldwide" | "global" | "globally" | "all" | "every"
        )
    });
    if says_any {
        return None;
    }
    let geo = |i: &Icp| i.countries.len() + i.regions.len() + i.cities.len() + i.us_states.len();
    let checks = [
        (geo(previous) > 0 && geo(new) == 0, Widening::Place),
        (
            !previous.industries.is_empty() && new.industries.is_empty(),
            Widening::Industry,
        ),
        (
            !previous.roles.is_empty() && new.roles.is_empty(),
            Widening::Role,
        ),
        (
            !previous.funding_stages.is_empty() && new.funding_stages.is_empty(),
            Widening::Stage,
        ),
    ];
    checks.iter().find(|c| c.0).map(|c| c.1)
}

/// "any country", "any industry", "worldwide": the answer to the widening question drops a
/// filter on purpose.
fn drop_on_purpose(clause: &[Token], icp: &mut Icp) -> bool {
    let w = words(clause);
    let worldwide = w
        .iter()
        .any(|x| matches!(*x, "worldwide" | "anywhere" | "globally" | "global"));
    let any = w.iter().any(|x| matches!(*x, "any" | "all" | "every"));
    let named = |names: &[&str]| any && w.iter().any(|x| names.contains(x));
    let mut changed = false;
    if worldwide
        || named(&[
            "country",
            "countries",
            "place",
            "places",
            "location",
            "region",
            "regions",
            "geo",
            "city",
            "cities",
        ])
    {
        icp.countries.clear();
        icp.regions.clear();
        icp.cities.clear();
        icp.us_states.clear();
        changed = true;
    }
    if named(&[
        "industry",
        "industries",
        "sector",
        "sectors",
        "vertical",
        "verticals",
    ]) {
        icp.industries.clear();
        changed = true;
    }
    if named(&["stage", "stages", "round", "rounds", "funding"]) {
        icp.funding_stages.clear();
        changed = true;
    }
    changed
}

/// Adds the sources a removal clause names to `excluded_sources`.
fn exclude_named_sources(clause: &[Token], icp: &mut Icp) -> bool {
    let blocked = vec![false; clause.len()];
    let mut found = false;
    for k in 0..clause.len() {
        if let Some(hit) = SOURCES.match_at(clause, k, &blocked) {
            if !icp.excluded_sources.iter().any(|s| s == hit.value) {
                icp.excluded_sources.push(hit.value.to_string());
            }
            found = true;
        }
    }
    found
}

fn short(s: &str) -> String {
    let t: String = s.trim().chars().take(80).collect();
    if s.trim().chars().count() > 80 {
        format!("{t}\u{2026}")
    } else {
        t
    }
}

/// "make it 50", "limit to 75": a bare number after a size cue is a row count.
fn bare_rows(clause: &[Token]) -> Option<u32> {
    if !clause.iter().any(|t| ROW_CUES.contains(&t.norm.as_str())) {
        return None;
    }
    let nums: Vec<&Token> = clause.iter().filter(|t| t.kind == Kind::Number).collect();
    let has_unit_words = clause.iter().any(|t| {
        matches!(
            t.norm.as_str(),
            "credits"
                | "credit"
                | "employees"
                | "days"
                | "months"
                | "weeks"
                | "years"
                | "engineers"
                | "staff"
                | "people"
        )
    });
    match nums.as_slice() {
        [n] if !has_unit_words && n.value >= 1.0 => {
            Some(n.value.min(f64::from(Icp::MAX_ROWS)) as u32)
        }
        _ => None,
    }
}

fn lift_exclusions(clause: &[Token], icp: &mut Icp) -> bool {
    let blocked = vec![false; clause.len()];
    let mut changed = false;
    for k in 0..clause.len() {
        if let Some(hit) = SOURCES.match_at(clause, k, &blocked)
            && let Some(pos) = icp.excluded_sources.iter().position(|s| s == hit.value)
        {
            icp.excluded_sources.remove(pos);
            changed = true;
        }
    }
    changed
}

/// "no engineering filter", "drop the sales team size": a department named next to a filter word.
fn remove_team_filter(clause: &[Token], icp: &mut Icp) -> bool {
    let w = words(clause);
    let filter_word = w.iter().any(|x| {
        matches!(
            *x,
            "filter" | "team" | "size" | "headcount" | "minimum" | "requirement" | "engineers"
        )
    });
    if !filter_word {
        return false;
    }
    let before = icp.team_size.len();
    icp.team_size.retain(|dept, _| {
        let named = w.iter().any(|x| {
            *x == dept.as_str() || (dept == "engineering" && matches!(*x, "engineers" | "eng"))
        });
        !named
    });
    icp.team_size.len() != before
}

/// "drop growth", "no people": remove by the words left when nothing canonical was named.
fn remove_by_words(clause: &[Token], icp: &mut Icp) -> bool {
    let w = words(clause);
    if w.iter().any(|x| {
        matches!(
            *x,
            "roles" | "people" | "contacts" | "persons" | "titles" | "person"
        )
    }) {
        let had = !icp.roles.is_empty();
        icp.roles.clear();
        return had;
    }
    let content: Vec<&str> = w
        .iter()
        .copied()
        .filter(|x| {
            !REMOVE_CUES.contains(x)
                && !matches!(
                    *x,
                    "the" | "a" | "an" | "please" | "role" | "filter" | "and" | ","
                )
        })
        .collect();
    if content.is_empty() {
        return false;
    }
    let needle = content.join(" ");
    let mut changed = false;
    for list in [
        &mut icp.roles,
        &mut icp.hiring_for,
        &mut icp.technologies,
        &mut icp.cities,
    ] {
        let before = list.len();
        list.retain(|v| !v.to_lowercase().contains(&needle));
        changed |= list.len() != before;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::super::steps;
    use super::*;

    fn base() -> Icp {
        Icp {
            industries: vec!["fintech".into()],
            countries: vec!["FR".into()],
            funding_stages: vec!["series_a".into()],
            roles: vec!["VP Engineering".into(), "Head of Growth".into()],
            ..Icp::default()
        }
    }

    fn edit(feedback: &str) -> Icp {
        apply(&base(), feedback)
            .map(|e| e.icp)
            .unwrap_or_else(|e| panic!("{feedback}: {e}"))
    }

    #[test]
    fn role_edits() {
        assert_eq!(edit("Only VP Eng").roles, ["VP Engineering"]);
        assert_eq!(edit("drop Head of Growth").roles, ["VP Engineering"]);
        assert_eq!(edit("drop growth").roles, ["VP Engineering"]);
        assert_eq!(
            edit("add CTO").roles,
            ["VP Engineering", "Head of Growth", "CTO"]
        );
    }

    #[test]
    fn place_stage_rows_and_source_edits() {
        assert_eq!(edit("also Germany").countries, ["FR", "DE"]);
        assert_eq!(edit("remove France, add Spain").countries, ["ES"]);
        assert_eq!(edit("only Berlin").cities, ["Berlin"]);
        assert_eq!(edit("Germany instead of France").countries, ["DE"]);
        assert_eq!(edit("replace France with Spain").countries, ["ES"]);
        assert!(edit("only Berlin").countries.is_empty());
        assert_eq!(edit("only Series B").funding_stages, ["series_b"]);
        assert_eq!(edit("make it 50 rows").max_rows, Some(50));
        assert_eq!(edit("make it 75").max_rows, Some(75));
        assert_eq!(edit("skip Crunchbase").excluded_sources, ["crunchbase"]);
        let e = edit("skip Crunchbase. also Germany");
        assert_eq!((e.excluded_sources.len(), e.countries.len()), (1, 2));
    }

    #[test]
    fn filters_can_be_dropped() {
        let with_team = Icp {
            team_size: [(
                "engineering".to_string(),
                Range {
                    min: Some(20),
                    max: None,
                },
            )]
            .into(),
            ..base()
        };
        let e = apply(&with_team, "no engineering filter")
            .map(|e| e.icp)
            .expect("edit");
        assert!(e.team_size.is_empty());
        assert_eq!(e.roles, base().roles);
    }

    #[test]
    fn trimming_credits_shrinks_rows_until_under_the_budget() {
        let e = apply(&base(), "trim to under 100 credits").unwrap();
        let credits = steps::credits(&e.icp, false);
        assert!(credits < 100, "{credits}");
        assert!(e.icp.max_rows.is_some_and(|r| r < 200));
        assert_eq!(e.icp.roles, base().roles);
        // Still as many rows as fit: one more would cross the line.
        let more = Icp {
            max_rows: e.icp.max_rows.map(|r| r + 1),
            ..e.icp.clone()
        };
        assert!(steps::credits(&more, false) >= 100);
    }

    #[test]
    fn tiny_budgets_drop_people_then_fail_cleanly() {
        let e = apply(&base(), "under 2 credits").unwrap();
        assert!(steps::credits(&e.icp, false) < 2);
        let err = apply(&base(), "under 1 credit").unwrap_err();
        assert_eq!(err.code, ErrorCode::PlanRejected);
    }

    #[test]
    fn widening_is_asked_in_the_feedbacks_language_and_any_answers_it() {
        let two = Icp {
            countries: vec!["FR".into()],
            industries: vec!["fintech".into()],
            ..Icp::default()
        };
        let asked = |feedback: &str| match apply(&two, feedback) {
            Err(e) if e.code == ErrorCode::PlanRejected => e.message,
            other => panic!("{feedback}: expected a question, got {other:?}"),
        };
        let cases = [
            ("remove France", "Which countries or regions"),
            ("retire la France", "Quels pays ou régions"),
            ("entferne Frankreich", "Welche Länder oder Regionen"),
            ("quita Francia", "¿Qué países o regiones"),
        ];
        for (feedback, question) in cases {
            let message = asked(feedback);
            assert!(message.contains(question), "{feedback}: {message}");
        }
        // The answer the question suggests, in each language, drops the filter on purpose.
        for answer in [
            "remove France, any country",
            "retire la France, peu importe le pays",
            "entferne Frankreich, Land egal",
            "quita Francia, cualquier país",
            "retire la France, monde entier",
            "entferne Frankreich, weltweit",
            "quita Francia, todo el mundo",
        ] {
            let e = apply(&two, answer).map(|e| e.icp).expect(answer);
            assert!(e.countries.is_empty(), "{answer}: {:?}", e.countries);
            assert_eq!(e.industries, two.industries, "{answer}");
        }
    }

    #[test]
    fn unrecognised_feedback_and_emptying_the_audience_are_rejected() {
        assert_eq!(
            apply(&base(), "hmm, not sure").unwrap_err().code,
            ErrorCode::PlanRejected
        );
        let only_france = Icp {
            countries: vec!["FR".into()],
            ..Icp::default()
        };
        assert_eq!(
            apply(&only_france, "remove France").unwrap_err().code,
            ErrorCode::PlanRejected
        );
    }
}
