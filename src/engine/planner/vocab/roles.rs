//! Role vocabulary: C-level titles, the functions that follow "VP", "Head of" and "Director of",
//! and the nouns that make a phrase a job title (assets/planner/*).

use std::sync::LazyLock;

use super::data::{aliased, asset, pairs, words};

type Aliased = LazyLock<Vec<(&'static str, Vec<&'static str>)>>;
type Words = LazyLock<Vec<&'static str>>;

/// C-level acronyms of docs/planner.md and their long forms (lower case, as typed).
pub static C_LEVEL: Aliased = LazyLock::new(|| {
    let (file, text) = asset!("c_level.tsv");
    aliased(file, text)
});

/// Other executive acronyms people use; kept as typed, upper case.
pub static OTHER_ACRONYMS: Words = LazyLock::new(|| {
    let (file, text) = asset!("other_acronyms.txt");
    words(file, text)
});

/// Functions (canonical, lower-case aliases). Longest alias wins.
pub static FUNCTIONS: Aliased = LazyLock::new(|| {
    let (file, text) = asset!("functions.tsv");
    aliased(file, text)
});

/// Head nouns that make a phrase a job title ("plant manager", "account executive"). Lower case,
/// singular.
pub static TITLE_NOUNS: Words = LazyLock::new(|| {
    let (file, text) = asset!("title_nouns.txt");
    words(file, text)
});

/// Nouns whose plural is not "+s" (or is the same word).
pub static IRREGULAR_PLURALS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    let (file, text) = asset!("irregular_plurals.tsv");
    pairs(file, text)
});

/// Words with a fixed spelling inside titles ("ML Engineer", "iOS Developer", "DevOps Lead").
pub static TITLE_WORDS: Words = LazyLock::new(|| {
    let (file, text) = asset!("title_words.txt");
    words(file, text)
});

/// Words that may qualify a title or name a function besides `FUNCTIONS` ("Plant", "Staff").
pub static TITLE_QUALIFIERS: Words = LazyLock::new(|| {
    let (file, text) = asset!("title_qualifiers.txt");
    words(file, text)
});

/// Shorthand for whole titles ("HoG" → Head of Growth, "eng managers" → Engineering Manager).
pub static ROLE_ALIASES: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    let (file, text) = asset!("role_aliases.tsv");
    pairs(file, text)
});

/// English glue words the planner reads but takes no value from (fillers.txt).
pub static FILLERS: Words = LazyLock::new(|| {
    let (file, text) = asset!("fillers.txt");
    words(file, text)
});
