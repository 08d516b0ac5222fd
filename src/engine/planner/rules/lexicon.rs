//! Phrase lookup over tokens: longest match first, plurals of the last word accepted, and one
//! typo tolerated on long single words.

use std::collections::HashMap;

use super::text::{COMMON_WORDS, Kind, Token, singulars, tokenize};

struct Entry<T> {
    words: Vec<String>,
    /// Set for `=`-prefixed aliases: the raw spelling must match exactly ("US", not "us").
    exact: Option<Vec<String>>,
    value: T,
}

pub struct Lexicon<T> {
    by_first: HashMap<String, Vec<Entry<T>>>,
    /// Single long words that typos may be matched against.
    fuzzy: Vec<(String, T)>,
    /// Every word of a phrase may be plural, not just the last ("directores de ventas").
    plural_any: bool,
}

/// A phrase found in the prompt.
#[derive(Debug, Clone, Copy)]
pub struct Hit<T> {
    pub value: T,
    /// Tokens covered.
    pub len: usize,
}

const MIN_FUZZY_CHARS: usize = 6;

impl<T: Copy> Lexicon<T> {
    /// Earlier phrases win over later ones with the same spelling, so callers list the reading
    /// they prefer first.
    pub fn new(phrases: impl IntoIterator<Item = (&'static str, T)>, fuzzy: bool) -> Self {
        let mut by_first: HashMap<String, Vec<Entry<T>>> = HashMap::new();
        let mut fuzzy_words = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (phrase, value) in phrases {
            let (exact, phrase) = match phrase.strip_prefix('=') {
                Some(p) => (true, p),
                None => (false, phrase),
            };
            let tokens = tokenize(phrase);
            if tokens.is_empty() {
                continue;
            }
            let words: Vec<String> = tokens.iter().map(|t| t.norm.clone()).collect();
            let key = (
                words.clone(),
                exact.then(|| tokens.iter().map(|t| t.raw.clone()).collect::<Vec<_>>()),
            );
            if !seen.insert(key.clone()) {
                continue;
            }
            if fuzzy && !exact && words.len() == 1 && words[0].chars().count() >= MIN_FUZZY_CHARS {
                fuzzy_words.push((words[0].clone(), value));
            }
            by_first.entry(words[0].clone()).or_default().push(Entry {
                words,
                exact: key.1,
                value,
            });
        }
        for entries in by_first.values_mut() {
            entries.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
        }
        Self {
            by_first,
            fuzzy: fuzzy_words,
            plural_any: false,
        }
    }

    /// Lets every word of a phrase be plural (languages that inflect the head noun first).
    pub fn plural_anywhere(mut self) -> Self {
        self.plural_any = true;
        self
    }

    /// The longest phrase starting at `at`, skipping tokens `blocked` says are taken.
    pub fn match_at(&self, tokens: &[Token], at: usize, blocked: &[bool]) -> Option<Hit<T>> {
        let first = tokens.get(at)?;
        if blocked.get(at).copied().unwrap_or(false) {
            return None;
        }
        let mut best: Option<Hit<T>> = None;
        let keys = std::iter::once(first.norm.clone()).chain(singulars(&first.norm));
        for key in keys {
            let Some(entries) = self.by_first.get(&key) else {
                continue;
            };
            for e in entries {
                if best.is_some_and(|b| b.len >= e.words.len()) {
                    break;
                }
                if self.entry_matches(e, tokens, at, blocked) {
                    best = Some(Hit {
                        value: e.value,
                        len: e.words.len(),
                    });
                    break;
                }
            }
        }
        if best.is_none() && first.kind == Kind::Word {
            best = self
                .fuzzy_match(&first.norm)
                .map(|value| Hit { value, len: 1 });
        }
        best
    }

    fn entry_matches(&self, e: &Entry<T>, tokens: &[Token], at: usize, blocked: &[bool]) -> bool {
        let n = e.words.len();
        if at + n > tokens.len() || blocked[at..at + n].iter().any(|b| *b) {
            return false;
        }
        e.words.iter().enumerate().all(|(j, w)| {
            let t = &tokens[at + j];
            let last = j + 1 == n || self.plural_any;
            let same = t.norm == *w
                || (last && t.kind == Kind::Word && singulars(&t.norm).any(|s| s == *w));
            let exact_ok = match &e.exact {
                Some(raws) => raws.get(j).is_some_and(|r| *r == t.raw),
                None => true,
            };
            same && exact_ok
        })
    }

    fn fuzzy_match(&self, word: &str) -> Option<T> {
        let chars = word.chars().count();
        if chars < MIN_FUZZY_CHARS
            || COMMON_WORDS.contains(&word)
            || !word.chars().all(char::is_alphabetic)
        {
            return None;
        }
        let mut found: Option<(&str, T)> = None;
        for (candidate, value) in &self.fuzzy {
            let c = candidate.chars().count();
            if c.abs_diff(chars) > 1 {
                continue;
            }
            if strsim::osa_distance(word, candidate) <= 1 {
                match found {
                    // Two different words one typo away: too ambiguous to guess.
                    Some((other, _)) if other != candidate => return None,
                    _ => found = Some((candidate, *value)),
                }
            }
        }
        found.map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon<u8> {
        Lexicon::new(
            [
                ("france", 1),
                ("dev tools", 2),
                ("=US", 3),
                ("new york", 4),
                ("new york state", 5),
            ],
            true,
        )
    }

    fn find(s: &str) -> Option<(u8, usize)> {
        let t = tokenize(s);
        lex()
            .match_at(&t, 0, &vec![false; t.len()])
            .map(|h| (h.value, h.len))
    }

    #[test]
    fn longest_phrase_wins_and_plurals_of_the_last_word_match() {
        assert_eq!(find("new york state"), Some((5, 3)));
        assert_eq!(find("New York"), Some((4, 2)));
        assert_eq!(find("dev-tools"), Some((2, 2)));
        assert_eq!(find("dev tool"), None);
    }

    #[test]
    fn exact_case_aliases_and_typos() {
        assert_eq!(find("US"), Some((3, 1)));
        assert_eq!(find("us"), None);
        assert_eq!(find("Frnace"), Some((1, 1)));
        assert_eq!(find("Fraaaance"), None);
    }
}
