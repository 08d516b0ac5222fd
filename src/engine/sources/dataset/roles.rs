//! Matching free job titles against the ICP's canonical roles (docs/planner.md, "Roles"): "Vice
//! President of Engineering", "VP, Eng" and "VP Engineering" are all `VP Engineering`;
//! "Co-founder & CTO" is both `Founder` and `CTO`.

use super::normalise::fold;

const C_LEVEL: &[(&str, &[&str])] = &[
    ("ceo", &["chief executive officer"]),
    (
        "cto",
        &["chief technology officer", "chief technical officer"],
    ),
    ("cfo", &["chief financial officer"]),
    ("coo", &["chief operating officer"]),
    ("cmo", &["chief marketing officer"]),
    ("cro", &["chief revenue officer"]),
    ("cio", &["chief information officer"]),
    ("ciso", &["chief information security officer"]),
    ("cpo", &["chief product officer"]),
    ("cdo", &["chief data officer"]),
];

/// Function words and their aliases.
const FUNCTIONS: &[(&str, &[&str])] = &[
    ("engineering", &["engineering", "eng", "r&d", "r d"]),
    ("sales", &["sales"]),
    ("marketing", &["marketing"]),
    ("product", &["product"]),
    ("growth", &["growth"]),
    ("data", &["data"]),
    ("finance", &["finance"]),
    ("operations", &["operations", "ops"]),
    ("people", &["people", "hr", "human resources"]),
    ("customer success", &["customer success", "cs"]),
    ("security", &["security"]),
    ("it", &["it"]),
    ("design", &["design"]),
    ("revenue operations", &["revenue operations", "revops"]),
    ("partnerships", &["partnerships"]),
    (
        "business development",
        &["business development", "bd", "bizdev"],
    ),
    ("machine learning", &["machine learning", "ml"]),
    ("platform", &["platform"]),
    ("infrastructure", &["infrastructure", "infra"]),
    ("legal", &["legal"]),
    ("procurement", &["procurement"]),
];

/// Words and punctuation folded away so "VP, Eng." reads as "vp eng".
fn words(s: &str) -> String {
    let s = fold(s)
        .replace("vice president", "vp")
        .replace("co-founder", "founder")
        .replace("cofounder", "founder")
        .replace("co founder", "founder");
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '&' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let mut s = format!(" {} ", s.split_whitespace().collect::<Vec<_>>().join(" "));
    for (acronym, longs) in C_LEVEL {
        for long in *longs {
            s = s.replace(&format!(" {long} "), &format!(" {acronym} "));
        }
    }
    s.replace(" of ", " ")
        .replace(" the ", " ")
        .replace(" and ", " ")
}

/// The canonical function a phrase names, if any.
fn function_at(text: &str) -> Option<&'static str> {
    FUNCTIONS.iter().find_map(|(f, aliases)| {
        aliases
            .iter()
            .any(|a| text.starts_with(&format!("{a} ")))
            .then_some(*f)
    })
}

/// Whether a free title holds the canonical `role`.
pub fn title_matches(title: &str, role: &str) -> bool {
    let t = words(title);
    let r = words(role);
    let rt = r.trim();
    if C_LEVEL.iter().any(|(a, _)| *a == rt) || rt == "founder" {
        return t.contains(&format!(" {rt} "));
    }
    for level in ["vp", "head", "director"] {
        if let Some(func) = rt.strip_prefix(&format!("{level} ")) {
            let Some(want) = function_at(&format!("{func} ")) else {
                return t.contains(&r);
            };
            // "<level> <function>" anywhere, or "<function> director" for directors.
            let mut rest = t.as_str();
            while let Some(i) = rest.find(&format!(" {level} ")) {
                rest = &rest[i + level.len() + 1..];
                if function_at(rest.trim_start()) == Some(want) {
                    return true;
                }
            }
            if level == "director" {
                return FUNCTIONS
                    .iter()
                    .filter(|(f, _)| *f == want)
                    .flat_map(|(_, a)| a.iter())
                    .any(|a| t.contains(&format!(" {a} director ")));
            }
            return false;
        }
    }
    // Other canonical titles ("Engineering Manager"): the title contains them, word for word.
    t.contains(&r)
}

#[cfg(test)]
mod tests {
    use super::title_matches;

    #[test]
    fn titles_match_their_canonical_roles_and_no_others() {
        assert!(title_matches(
            "Vice President of Engineering",
            "VP Engineering"
        ));
        assert!(title_matches("VP, Eng.", "VP Engineering"));
        assert!(title_matches(
            "SVP Sales & VP Engineering",
            "VP Engineering"
        ));
        assert!(!title_matches("VP Sales", "VP Engineering"));
        assert!(title_matches("Co-founder & CTO", "CTO"));
        assert!(title_matches("Co-Founder & CTO", "Founder"));
        assert!(title_matches("Chief Technology Officer", "CTO"));
        assert!(!title_matches("Director, CTO Office", "CEO"));
        assert!(title_matches("Head of Growth", "Head of Growth"));
        assert!(!title_matches("Growth Marketing Manager", "Head of Growth"));
        assert!(title_matches(
            "Engineering Director",
            "Director of Engineering"
        ));
        assert!(title_matches(
            "Senior Engineering Manager",
            "Engineering Manager"
        ));
    }
}
