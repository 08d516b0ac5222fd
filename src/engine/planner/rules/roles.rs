//! Roles: C-level acronyms and long forms, "VP / Head of / Director of <function>", founders,
//! and other titles ("engineering managers" → "Engineering Manager"). Each found role is marked
//! as people to pull or as an open position ("hiring ML engineers").

use super::lexicons::{C_LEVEL, ENTITIES, Entity, FUNCTIONS, ROLE_ALIASES};
use super::text::{Kind, Token, singulars};
use crate::engine::planner::vocab::roles::{
    FILLERS, IRREGULAR_PLURALS, TITLE_NOUNS, TITLE_QUALIFIERS, TITLE_WORDS,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundRole {
    pub title: String,
    pub hiring: bool,
}

/// Words that end a title or may not start/extend one.
const STOP: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "in",
    "at",
    "for",
    "with",
    "from",
    "to",
    "by",
    "on",
    "who",
    "that",
    "which",
    "are",
    "is",
    "be",
    "find",
    "get",
    "pull",
    "give",
    "me",
    "us",
    "list",
    "show",
    "search",
    "need",
    "want",
    "please",
    "looking",
    "companies",
    "company",
    "startups",
    "startup",
    "firms",
    "firm",
    "brands",
    "businesses",
    "business",
    "orgs",
    "organizations",
    "hiring",
    "hire",
    "using",
    "use",
    "based",
    "top",
    "all",
    "any",
    "some",
    "their",
    "its",
    "only",
    "also",
    "plus",
    "including",
    "like",
    "such",
    "as",
    "new",
    "just",
    "recently",
    "raised",
    "funded",
    "announced",
    "series",
    "stage",
    "round",
    "contact",
    "contacts",
    "emails",
    "email",
    "names",
    "leads",
    "lead",
    "people",
    "persons",
    "them",
    "they",
    "it",
    "we",
    "our",
    "my",
    "your",
    "into",
    "via",
    "per",
    "each",
    "every",
    "both",
    "either",
    "there",
    "where",
    "when",
    "whose",
    "than",
    "more",
    "less",
    "over",
    "under",
    "about",
    "around",
    "across",
    "within",
    "without",
    "between",
    "plus",
    "but",
    "if",
    "then",
    "not",
    "no",
    "open",
    "jd",
    "jds",
    "roles",
    "role",
    "positions",
    "position",
    "jobs",
    "job",
    "titles",
    "title",
    "key",
    "target",
    "targeting",
    "reach",
    "out",
    "skip",
    "exclude",
    "excluding",
    "add",
    "drop",
    "remove",
    "also",
    "instead",
    "make",
    "keep",
    "trim",
    "and/or",
    "including",
    "enrich",
    "verify",
    "pulling",
    "find",
    "finding",
    "identify",
    "mid",
    "market",
    "enterprise",
    "smb",
    "smbs",
    "size",
    "employees",
    "running",
    "run",
    "on",
    "built",
    "powered",
    "located",
    "headquartered",
    "hq",
    "hq'd",
    "operating",
    "selling",
    "sell",
    "sells",
    "serving",
    "focused",
    "focus",
    "space",
    "sector",
    "industry",
    "vertical",
    "verticals",
    "decision",
    "makers",
    "maker",
    "leadership",
    "team",
    "teams",
    "their",
    "current",
    "currently",
];

/// Title nouns that are too vague alone ("partners", "owners") and need a qualifier.
const NEEDS_QUALIFIER: &[&str] = &[
    "lead",
    "leader",
    "partner",
    "owner",
    "associate",
    "operator",
    "producer",
    "investor",
    "advocate",
    "buyer",
    "steward",
    "executive",
    "officer",
    "rep",
    "representative",
    "admin",
    "administrator",
    "specialist",
    "coordinator",
    "technician",
    "secretary",
    "editor",
    "writer",
    "chair",
    "head",
    "vp",
    "advisor",
    "adviser",
    "principal",
    "member",
    "evangelist",
];

/// Words that may be uppercase function abbreviations even though they look like stop words.
const UPPER_OK: &[&str] = &["it", "hr", "ml", "ai", "bd", "cs", "qa", "ux", "ui", "pr"];

fn is_stop(t: &Token) -> bool {
    if t.kind != Kind::Word {
        return true;
    }
    if UPPER_OK.contains(&t.norm.as_str())
        && t.raw.chars().all(|c| c.is_uppercase())
        && t.raw.len() > 1
    {
        return false;
    }
    STOP.contains(&t.norm.as_str())
}

/// Whether a word may be part of a title: a function, a title noun, a known qualifier, a fixed
/// title spelling, or an industry/technology name. Anything else ("pls", "je", "veux") is not,
/// so the planner never makes a role out of ordinary words (#13).
fn known_title_word(tokens: &[Token], at: usize, blocked: &[bool]) -> bool {
    let t = &tokens[at];
    let norm = t.norm.as_str();
    TITLE_QUALIFIERS.contains(&norm)
        || TITLE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(norm))
        || title_noun(norm).is_some()
        || is_function_word(t)
        || ENTITIES
            .match_at(tokens, at, blocked)
            .is_some_and(|h| matches!(h.value, Entity::Industry { .. } | Entity::Tech { .. }))
}

fn unknown_word(t: &Token) -> bool {
    t.kind == Kind::Word
        && !is_glue(&t.norm)
        && !known_title_word(std::slice::from_ref(t), 0, &[false])
}

fn is_entity(tokens: &[Token], at: usize, blocked: &[bool]) -> bool {
    ENTITIES.match_at(tokens, at, blocked).is_some()
}

/// The singular of a title noun, if the word is one ("managers" → "manager").
fn title_noun(word: &str) -> Option<&'static str> {
    if let Some((_, s)) = IRREGULAR_PLURALS.iter().find(|(p, _)| *p == word) {
        return TITLE_NOUNS.iter().find(|n| *n == s).copied();
    }
    std::iter::once(word.to_string())
        .chain(singulars(word))
        .find_map(|w| TITLE_NOUNS.iter().find(|n| **n == w).copied())
}

/// A title noun or title prefix ("manager", "head", "vp", "director"): a word that makes an
/// unread span look like a role.
pub fn is_title_word(norm: &str) -> bool {
    title_noun(norm).is_some() || is_vp_word(norm)
}

fn is_vp_word(norm: &str) -> bool {
    matches!(norm, "vp" | "vps" | "svp" | "evp" | "chief")
}

/// Title-cases one word, keeping known spellings ("ML", "iOS") and the user's own inner capitals.
pub fn title_word(raw: &str) -> String {
    if let Some(w) = TITLE_WORDS.iter().find(|w| w.eq_ignore_ascii_case(raw)) {
        return (*w).to_string();
    }
    let inner_caps = raw.chars().skip(1).any(char::is_uppercase);
    let all_caps = raw.chars().all(|c| !c.is_lowercase());
    if inner_caps && !all_caps {
        return raw.to_string();
    }
    if all_caps && raw.chars().count() <= 3 && raw.chars().any(char::is_alphabetic) {
        return raw.to_string();
    }
    let mut chars = raw.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

fn singular_word(raw: &str) -> String {
    let lower = raw.to_lowercase();
    match title_noun(&lower) {
        Some(noun) if noun != lower => title_word(noun),
        _ => title_word(raw),
    }
}

/// What follows "VP", "Head of" or "Director of": a known function, or up to three words.
fn read_function(tokens: &[Token], mut at: usize, claimed: &[bool]) -> Option<(String, usize)> {
    if tokens.get(at).is_some_and(|t| t.is("of") || t.is(",")) {
        at += 1;
    }
    if tokens.get(at).is_some_and(|t| t.is("the")) {
        at += 1;
    }
    let start = at;
    if let Some(hit) = FUNCTIONS.match_at(tokens, at, claimed) {
        let after = at + hit.len;
        // "Data Science", "Growth Marketing": a known function that goes on is a longer name.
        if !continues(tokens, after, claimed) {
            return Some((hit.value.to_string(), after));
        }
    }
    let first = tokens.get(at)?;
    if first.kind != Kind::Word
        || is_stop(first)
        || claimed[at]
        || C_LEVEL.match_at(tokens, at, claimed).is_some()
        || !known_title_word(tokens, at, claimed)
    {
        return None;
    }
    let mut words = vec![title_word(&first.raw)];
    at += 1;
    while words.len() < 3 && continues(tokens, at, claimed) {
        words.push(title_word(&tokens[at].raw));
        at += 1;
    }
    (at > start).then(|| (words.join(" "), at))
}

fn continues(tokens: &[Token], at: usize, claimed: &[bool]) -> bool {
    let Some(t) = tokens.get(at) else {
        return false;
    };
    !claimed[at]
        && t.kind == Kind::Word
        && !is_stop(t)
        && known_title_word(tokens, at, claimed)
        && !is_entity(tokens, at, claimed)
        && title_noun(&t.norm).is_none()
        && C_LEVEL.match_at(tokens, at, claimed).is_none()
}

fn is_vp(t: &Token) -> Option<&'static str> {
    match t.norm.as_str() {
        "vp" | "vps" | "v.p." => Some("VP"),
        "svp" | "svps" => Some("SVP"),
        "evp" | "evps" => Some("EVP"),
        _ => None,
    }
}

/// Reads every role, claiming its tokens.
pub fn extract(tokens: &[Token], claimed: &mut [bool]) -> Vec<FoundRole> {
    let mut found: Vec<(usize, usize, Vec<String>)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if claimed[i] || tokens[i].kind == Kind::Punct {
            i += 1;
            continue;
        }
        if let Some((titles, end)) = read_role_at(tokens, i, claimed) {
            claimed[i..end].iter_mut().for_each(|c| *c = true);
            found.push((i, end, titles));
            i = end;
        } else {
            i += 1;
        }
    }
    let mut out: Vec<FoundRole> = Vec::new();
    let mut prev_end = 0;
    let mut prev_hiring = false;
    for (start, end, titles) in found {
        let mut hiring = hiring_before(tokens, start, prev_end, prev_hiring);
        // "hiring data analysts, Head of Product": after a comma, a leader is someone to pull,
        // not one more opening in the hiring list.
        let after_comma = tokens[prev_end.min(start)..start]
            .iter()
            .any(|t| t.is_punct(","));
        if hiring && prev_hiring && after_comma && titles.iter().all(|t| is_leader(t)) {
            hiring = false;
        }
        prev_end = end;
        prev_hiring = hiring;
        for title in titles {
            if !out.iter().any(|r| r.title == title && r.hiring == hiring) {
                out.push(FoundRole { title, hiring });
            }
        }
    }
    out
}

fn read_role_at(tokens: &[Token], i: usize, claimed: &[bool]) -> Option<(Vec<String>, usize)> {
    let t = &tokens[i];
    let word = |k: usize| tokens.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    // "C-suite" / "C-level"
    if t.norm == "c" && matches!(word(i + 1), "suite" | "level" | "levels") {
        return Some((
            ["CEO", "CTO", "CFO", "COO"].map(String::from).to_vec(),
            i + 2,
        ));
    }
    if let Some(hit) = C_LEVEL.match_at(tokens, i, claimed) {
        return Some((vec![hit.value.to_string()], i + hit.len));
    }
    if let Some(hit) = ROLE_ALIASES.match_at(tokens, i, claimed) {
        return Some((vec![hit.value.to_string()], i + hit.len));
    }
    if let Some(acronym) = chief_acronym(&t.raw) {
        return Some((vec![acronym], i + 1));
    }
    if matches!(
        t.norm.as_str(),
        "founder" | "founders" | "cofounder" | "cofounders"
    ) || (t.norm == "co" && matches!(word(i + 1), "founder" | "founders"))
        || (t.norm == "founding" && matches!(word(i + 1), "team" | "teams"))
    {
        let end = if matches!(t.norm.as_str(), "co" | "founding") {
            i + 2
        } else {
            i + 1
        };
        return Some((vec!["Founder".to_string()], end));
    }
    if let Some(prefix) = is_vp(t) {
        return Some(match read_function(tokens, i + 1, claimed) {
            Some((f, end)) => (vec![format!("{prefix} {f}")], end),
            None => (vec![prefix.to_string()], i + 1),
        });
    }
    if t.norm == "vice" && matches!(word(i + 1), "president" | "presidents") {
        return Some(match read_function(tokens, i + 2, claimed) {
            Some((f, end)) => (vec![format!("VP {f}")], end),
            None => (vec!["VP".to_string()], i + 2),
        });
    }
    if matches!(t.norm.as_str(), "head" | "heads") && word(i + 1) == "of" {
        let (f, end) = read_function(tokens, i + 1, claimed)?;
        return Some((vec![format!("Head of {f}")], end));
    }
    if matches!(t.norm.as_str(), "director" | "directors") && word(i + 1) == "of" {
        let (f, end) = read_function(tokens, i + 1, claimed)?;
        return Some((vec![format!("Director of {f}")], end));
    }
    read_other_title(tokens, i, claimed)
}

/// A title ending in a title noun, with up to three qualifiers before it. Called at the first
/// qualifier candidate, so it looks ahead for the noun.
fn read_other_title(tokens: &[Token], i: usize, claimed: &[bool]) -> Option<(Vec<String>, usize)> {
    if tokens[i].norm == "chief" {
        return read_chief(tokens, i, claimed);
    }
    let mut j = i;
    let mut quals: Vec<usize> = Vec::new();
    loop {
        let t = tokens.get(j)?;
        if claimed[j] || t.kind != Kind::Word {
            return None;
        }
        // "developer tools" is an industry, not a developer.
        if ENTITIES
            .match_at(tokens, j, claimed)
            .is_some_and(|h| h.len > 1)
        {
            return None;
        }
        if let Some(noun) = title_noun(&t.norm) {
            // "Executive Director": a title noun may itself qualify a following one.
            let next_is_noun = tokens.get(j + 1).is_some_and(|n| {
                n.kind == Kind::Word && !claimed[j + 1] && title_noun(&n.norm).is_some()
            }) && quals.len() < 3;
            if next_is_noun && !matches!(noun, "founder") {
                quals.push(j);
                j += 1;
                continue;
            }
            // "partners" alone is ambiguous inside a sentence, but an item of its own in a
            // list ("…, partners", "partners and CFOs") names people to pull.
            if quals.is_empty() && NEEDS_QUALIFIER.contains(&noun) && !list_item(tokens, j) {
                return None;
            }
            // "Blorp Wrangler Manager": a title whose qualifier is an unknown word is not
            // guessed at (neither whole nor as a bare "Manager"); it is reported instead.
            if quals.is_empty() && j > 0 && unknown_word(&tokens[j - 1]) && !claimed[j - 1] {
                return None;
            }
            let qual_words: Vec<&Token> = quals.iter().map(|k| &tokens[*k]).collect();
            if noun == "director"
                && !qual_words.is_empty()
                && let Some(f) = function_of(&qual_words)
            {
                return Some((vec![format!("Director of {f}")], j + 1));
            }
            let mut words: Vec<String> = qual_words.iter().map(|t| title_word(&t.raw)).collect();
            words.push(singular_word(&t.raw));
            return Some((vec![words.join(" ")], j + 1));
        }
        if is_stop(t) || quals.len() >= 3 {
            return None;
        }
        // An industry or technology word qualifies a title only right before its noun
        // ("robotics engineers", "Senior Software Engineers"); otherwise it is the audience.
        let noun_next = tokens.get(j + 1).is_some_and(|n| {
            !claimed[j + 1]
                && title_noun(&n.norm)
                    .is_some_and(|noun| noun != "founder" && !NEEDS_QUALIFIER.contains(&noun))
        });
        if is_entity(tokens, j, claimed) && !is_function_word(t) && !noun_next {
            return None;
        }
        if !known_title_word(tokens, j, claimed) {
            return None;
        }
        quals.push(j);
        j += 1;
    }
}

/// Whether the word at `at` stands alone after a list separator (a comma, "and", "+") and
/// before another or the end ("…, partners"); a prompt of only "partners" says too little.
fn list_item(tokens: &[Token], at: usize) -> bool {
    let separator = |t: &Token| {
        (t.kind == Kind::Punct
            && matches!(t.norm.as_str(), "," | ";" | ":" | "+" | "&" | "." | "/"))
            || matches!(t.norm.as_str(), "and" | "or" | "plus")
    };
    let before = at > 0 && separator(&tokens[at - 1]);
    let after = tokens.get(at + 1).is_none_or(separator);
    before && after
}

/// Other chief-officer acronyms typed in capitals ("CMIO", "CHROs"): C…O, three to five letters.
fn chief_acronym(raw: &str) -> Option<String> {
    let word = raw.strip_suffix('s').unwrap_or(raw);
    let n = word.chars().count();
    let shaped = (3..=5).contains(&n)
        && word.starts_with('C')
        && word.ends_with('O')
        && word.chars().all(|c| c.is_ascii_uppercase());
    shaped.then(|| word.to_string())
}

/// "Chief People Officer", "Chief Scientific Officer": any words between "Chief" and "Officer".
fn read_chief(tokens: &[Token], i: usize, claimed: &[bool]) -> Option<(Vec<String>, usize)> {
    let mut words = vec!["Chief".to_string()];
    for j in i + 1..(i + 5).min(tokens.len()) {
        let t = &tokens[j];
        if claimed[j] || t.kind != Kind::Word {
            return None;
        }
        if matches!(t.norm.as_str(), "officer" | "officers") {
            words.push("Officer".into());
            return (words.len() > 2).then(|| (vec![words.join(" ")], j + 1));
        }
        words.push(title_word(&t.raw));
    }
    None
}

fn is_function_word(t: &Token) -> bool {
    FUNCTIONS
        .match_at(std::slice::from_ref(t), 0, &[false])
        .is_some()
}

fn function_of(words: &[&Token]) -> Option<&'static str> {
    let owned: Vec<Token> = words.iter().map(|t| (*t).clone()).collect();
    let hit = FUNCTIONS.match_at(&owned, 0, &vec![false; owned.len()])?;
    (hit.len == owned.len()).then_some(hit.value)
}

/// C-level, VP, Head of, Director of, Chief… and founders: the people a list is usually after.
fn is_leader(title: &str) -> bool {
    ["VP", "SVP ", "EVP ", "Head of ", "Director of ", "Chief "]
        .iter()
        .any(|p| title.starts_with(p))
        || title == "Founder"
        || chief_acronym(title).is_some()
}

/// Words a rule reads without taking a value from them: the English fillers and the cue words
/// of the role grammar. Anything else left unread is "not understood".
pub fn is_glue(word: &str) -> bool {
    FILLERS.contains(&word)
        || STOP.contains(&word)
        || HIRING_CUES.contains(&word)
        || HIRING_FILLER.contains(&word)
}

const HIRING_CUES: &[&str] = &[
    "hiring",
    "hire",
    "hires",
    "recruiting",
    "recruit",
    "jd",
    "jds",
    "opening",
    "openings",
    "vacancy",
    "vacancies",
    "posting",
    "postings",
    "reqs",
    "req",
    "open",
];
const HIRING_FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "for",
    "more",
    "new",
    "several",
    "multiple",
    "and",
    "or",
    "&",
    ",",
    "/",
    "some",
    "many",
    "actively",
    "currently",
    "now",
    "of",
    "with",
    "open",
    "roles",
    "positions",
    "jobs",
    "job",
    "role",
    "position",
    "description",
    "descriptions",
    "is",
    "are",
];

/// Whether the role starting at `start` follows a hiring cue ("hiring a Head of Sales and
/// Account Executives"): walk back over fillers and earlier hiring roles to a cue.
fn hiring_before(tokens: &[Token], start: usize, prev_end: usize, prev_hiring: bool) -> bool {
    let mut j = start;
    while j > 0 {
        j -= 1;
        let t = &tokens[j];
        if HIRING_CUES.contains(&t.norm.as_str()) {
            return true;
        }
        if j + 1 == prev_end {
            return prev_hiring
                && tokens[j + 1..start]
                    .iter()
                    .all(|t| HIRING_FILLER.contains(&t.norm.as_str()));
        }
        if !HIRING_FILLER.contains(&t.norm.as_str()) {
            return false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    fn roles(s: &str) -> Vec<(String, bool)> {
        let t = tokenize(s);
        let mut claimed = vec![false; t.len()];
        extract(&t, &mut claimed)
            .into_iter()
            .map(|r| (r.title, r.hiring))
            .collect()
    }

    fn people(s: &str) -> Vec<String> {
        roles(s).into_iter().filter(|r| !r.1).map(|r| r.0).collect()
    }

    fn hiring(s: &str) -> Vec<String> {
        roles(s).into_iter().filter(|r| r.1).map(|r| r.0).collect()
    }

    #[test]
    fn c_level_acronyms_and_long_forms() {
        assert_eq!(people("CTOs and ceo"), ["CTO", "CEO"]);
        assert_eq!(people("Chief Technology Officer"), ["CTO"]);
        assert_eq!(people("Chief Information Security Officers"), ["CISO"]);
        assert_eq!(
            people("Chief Scientific Officer"),
            ["Chief Scientific Officer"]
        );
    }

    #[test]
    fn vp_head_director_with_function_aliases() {
        assert_eq!(
            people("Pull VP Eng and Head of Growth."),
            ["VP Engineering", "Head of Growth"]
        );
        assert_eq!(people("Vice President of Sales"), ["VP Sales"]);
        assert_eq!(people("Heads of Data at US healthcare"), ["Head of Data"]);
        assert_eq!(people("Head of RevOps"), ["Head of Revenue Operations"]);
        assert_eq!(people("Director of IT"), ["Director of IT"]);
        assert_eq!(people("Marketing directors"), ["Director of Marketing"]);
        assert_eq!(people("VP of BizDev"), ["VP Business Development"]);
        assert_eq!(people("Head of Data Science"), ["Head of Data Science"]);
        assert_eq!(people("VP Enginering"), ["VP Engineering"]);
        assert_eq!(
            people("Head of Ecommerce or CMO"),
            ["Head of Ecommerce", "CMO"]
        );
    }

    #[test]
    fn founders_and_other_titles_singular_title_cased() {
        assert_eq!(people("with their co-founders"), ["Founder"]);
        assert_eq!(
            people("engineering managers at fintechs"),
            ["Engineering Manager"]
        );
        assert_eq!(people("Executive Director"), ["Executive Director"]);
        assert_eq!(people("plant managers"), ["Plant Manager"]);
        assert!(people("find leads").is_empty());
        assert!(people("partners").is_empty());
        assert!(people("our partners in crime").is_empty());
        assert_eq!(people("consulting firms in Benelux, partners"), ["Partner"]);
        assert_eq!(
            people("law firms, partners and associates"),
            ["Partner", "Associate"]
        );
    }

    #[test]
    fn hiring_cues_make_open_roles() {
        assert_eq!(hiring("CTOs hiring Staff Engineers"), ["Staff Engineer"]);
        assert_eq!(people("CTOs hiring Staff Engineers"), ["CTO"]);
        assert_eq!(hiring("hiring ML engineers"), ["ML Engineer"]);
        assert_eq!(
            hiring("with open JD for Staff Engineer"),
            ["Staff Engineer"]
        );
        assert_eq!(
            hiring("hiring for Head of Marketing"),
            ["Head of Marketing"]
        );
        assert_eq!(
            hiring("hiring a Head of Sales and Account Executives"),
            ["Head of Sales", "Account Executive"]
        );
    }
}
