//! Funding stages: "Series B+", "Series B or later", "seed or Series A", "Series A–C",
//! "publicly traded", "late-stage", "bootstrapped".

use std::sync::LazyLock;

use super::lexicon::Lexicon;
use super::text::{Kind, Token};
use crate::engine::planner::vocab::FUNDING_STAGES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Atom {
    Stage(&'static str),
    /// The word "series"; the letter follows.
    Series,
    /// "early-stage": pre-seed to Series A.
    Early,
}

static ATOMS: LazyLock<Lexicon<Atom>> = LazyLock::new(|| {
    use Atom::*;
    Lexicon::new(
        [
            ("pre seed", Stage("pre_seed")),
            ("preseed", Stage("pre_seed")),
            ("seed", Stage("seed")),
            ("seed stage", Stage("seed")),
            ("seed round", Stage("seed")),
            ("seed funded", Stage("seed")),
            ("series", Series),
            ("late stage", Stage("late_stage")),
            ("growth stage", Stage("late_stage")),
            ("pre ipo", Stage("late_stage")),
            ("later stage", Stage("late_stage")),
            ("public", Stage("public")),
            ("publicly traded", Stage("public")),
            ("publicly listed", Stage("public")),
            ("listed", Stage("public")),
            ("public company", Stage("public")),
            ("ipo", Stage("public")),
            ("post ipo", Stage("public")),
            ("stock exchange listed", Stage("public")),
            ("nasdaq listed", Stage("public")),
            ("nyse listed", Stage("public")),
            ("bootstrapped", Stage("bootstrapped")),
            ("self funded", Stage("bootstrapped")),
            ("self financed", Stage("bootstrapped")),
            ("founder funded", Stage("bootstrapped")),
            ("vc free", Stage("bootstrapped")),
            ("early stage", Early),
        ],
        true,
    )
});

fn series_letter(t: &Token) -> Option<&'static str> {
    if t.kind != Kind::Word {
        return None;
    }
    Some(match t.norm.as_str() {
        "a" => "series_a",
        "b" => "series_b",
        "c" => "series_c",
        "d" => "series_d",
        "e" => "series_e",
        // Past Series E the contract has no letter; those rounds are late-stage.
        "f" | "g" | "h" => "late_stage",
        _ => return None,
    })
}

fn index(stage: &str) -> Option<usize> {
    FUNDING_STAGES.iter().position(|s| *s == stage)
}

/// Stages from `from` to `to` inclusive along pre-seed → Series E.
fn span(from: &'static str, to: &'static str) -> Vec<&'static str> {
    let last = index("series_e").unwrap_or(0);
    match (index(from), index(to)) {
        (Some(a), Some(b)) if a <= last && b <= last => {
            FUNDING_STAGES[a.min(b)..=a.max(b)].to_vec()
        }
        _ => vec![from, to],
    }
}

const LATER: &[&[&str]] = &[
    &["or", "later"],
    &["and", "later"],
    &["or", "beyond"],
    &["and", "beyond"],
    &["and", "above"],
    &["or", "above"],
    &["or", "higher"],
    &["and", "higher"],
    &["onwards"],
    &["onward"],
    &["and", "up"],
    &["or", "more"],
    &["and", "on"],
    &["plus"],
    &["or", "later", "stage"],
];

/// A `public` reading of "public" needs a company-ish context: "public sector" is government.
fn public_ok(tokens: &[Token], at: usize, len: usize) -> bool {
    let next = tokens.get(at + len).map(|t| t.norm.as_str()).unwrap_or("");
    !matches!(
        next,
        "sector"
            | "sectors"
            | "administration"
            | "health"
            | "services"
            | "relations"
            | "speaking"
            | "data"
            | "on"
    )
}

pub fn extract(tokens: &[Token], claimed: &mut [bool]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let Some(hit) = ATOMS.match_at(tokens, i, claimed) else {
            i += 1;
            continue;
        };
        let mut end = i + hit.len;
        let first = match hit.value {
            Atom::Stage("public") if !public_ok(tokens, i, hit.len) => {
                i += 1;
                continue;
            }
            Atom::Stage("seed")
                if tokens
                    .get(end)
                    .is_some_and(|t| t.norm == "list" || t.norm == "lists") =>
            {
                i += 1;
                continue;
            }
            Atom::Stage(s) => s,
            Atom::Early => {
                push_all(&mut out, &["pre_seed", "seed", "series_a"]);
                claim(claimed, i, end);
                i = end;
                continue;
            }
            Atom::Series => match tokens.get(end).and_then(series_letter) {
                Some(s) => {
                    end += 1;
                    s
                }
                None => {
                    i += 1;
                    continue;
                }
            },
        };
        let mut stages = vec![first];
        let mut last = first;
        loop {
            let t = |k: usize| tokens.get(k);
            // "Series B+" and "Series B or later"
            if t(end).is_some_and(|t| t.is_punct("+")) {
                stages.extend(span(last, "series_e"));
                end += 1;
                break;
            }
            if let Some(words) = LATER.iter().find(|w| {
                w.iter()
                    .enumerate()
                    .all(|(j, w)| t(end + j).is_some_and(|t| t.norm == *w))
            }) {
                stages.extend(span(last, "series_e"));
                end += words.len();
                break;
            }
            // Ranges: "Series A–C", "seed to Series B", "Series A-B".
            let is_range = t(end).is_some_and(|t| {
                t.is_punct("-")
                    || t.is_punct("\u{2013}")
                    || t.is_punct("\u{2014}")
                    || t.is("to")
                    || t.is("through")
                    || t.is("thru")
            });
            let hyphenated =
                t(end).and_then(series_letter).is_some() && t(end).is_some_and(|t| t.hyphen_before);
            if is_range || hyphenated {
                let k = if hyphenated { end } else { end + 1 };
                if let Some((next, len)) = next_stage(tokens, k, claimed) {
                    stages.extend(span(last, next));
                    last = next;
                    end = k + len;
                    continue;
                }
                break;
            }
            // Lists: "Series A or B", "seed or Series A", "Series A, B and C".
            let is_sep = t(end).is_some_and(|t| {
                t.is_punct(",") || t.is_punct("/") || t.is_punct("&") || t.is("or") || t.is("and")
            });
            if is_sep && let Some((next, len)) = next_stage(tokens, end + 1, claimed) {
                stages.push(next);
                last = next;
                end = end + 1 + len;
                continue;
            }
            break;
        }
        push_all(&mut out, &stages);
        claim(claimed, i, end);
        i = end;
    }
    out
}

/// A stage right at `k`: a full atom, or a bare series letter ("B" in "Series A or B").
fn next_stage(tokens: &[Token], k: usize, claimed: &[bool]) -> Option<(&'static str, usize)> {
    if let Some(hit) = ATOMS.match_at(tokens, k, claimed) {
        return match hit.value {
            Atom::Stage(s) => Some((s, hit.len)),
            Atom::Series => tokens.get(k + 1).and_then(series_letter).map(|s| (s, 2)),
            Atom::Early => None,
        };
    }
    let t = tokens.get(k)?;
    // A lone lower-case "a" is an article, not Series A.
    if t.raw == "a" {
        return None;
    }
    let s = series_letter(t)?;
    (t.raw.chars().count() == 1).then_some((s, 1))
}

fn push_all(out: &mut Vec<&'static str>, stages: &[&'static str]) {
    for s in stages {
        if !out.contains(s) {
            out.push(s);
        }
    }
}

fn claim(claimed: &mut [bool], from: usize, to: usize) {
    let to = to.min(claimed.len());
    claimed[from..to].iter_mut().for_each(|c| *c = true);
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    fn stages(s: &str) -> Vec<&'static str> {
        let t = tokenize(s);
        let mut claimed = vec![false; t.len()];
        extract(&t, &mut claimed)
    }

    #[test]
    fn plus_and_or_later_run_to_series_e() {
        let b_plus = ["series_b", "series_c", "series_d", "series_e"];
        assert_eq!(stages("Series B+"), b_plus);
        assert_eq!(stages("series B or later"), b_plus);
        assert_eq!(stages("Series D and beyond"), ["series_d", "series_e"]);
    }

    #[test]
    fn lists_and_ranges() {
        assert_eq!(stages("seed or Series A"), ["seed", "series_a"]);
        assert_eq!(stages("Series A or B"), ["series_a", "series_b"]);
        assert_eq!(
            stages("Series A\u{2013}C"),
            ["series_a", "series_b", "series_c"]
        );
        assert_eq!(stages("seed to Series B"), ["seed", "series_a", "series_b"]);
        assert_eq!(stages("Series B and a CTO"), ["series_b"]);
    }

    #[test]
    fn other_stage_words() {
        assert_eq!(stages("publicly traded"), ["public"]);
        assert_eq!(stages("listed companies"), ["public"]);
        assert_eq!(stages("public sector"), Vec::<&str>::new());
        assert_eq!(stages("late-stage"), ["late_stage"]);
        assert_eq!(stages("Pre-seed"), ["pre_seed"]);
        assert_eq!(stages("bootstrapped"), ["bootstrapped"]);
        assert_eq!(stages("enrich my seed list"), Vec::<&str>::new());
    }
}
