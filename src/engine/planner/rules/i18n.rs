//! Prompts in other languages. Each language is a data file (assets/planner/i18n/<code>.tsv) of
//! phrases and the English the planner reads for them; the prompt's language is the one whose
//! phrases it uses most, those phrases are rewritten, and the English rules do the rest — so a
//! French prompt can only produce values the canonical vocabulary has.

use std::sync::LazyLock;

use super::lexicon::Lexicon;
use super::lexicons::{ENTITIES, Entity};
use super::text::{Kind, Token, tokenize};
use crate::engine::planner::vocab::data::{asset, rows};

/// One language's table.
pub struct Language {
    /// ISO 639-1 code ("fr").
    pub code: &'static str,
    /// Folded phrase → index into `english`.
    phrases: Lexicon<usize>,
    /// What each phrase becomes; `None` for a filler word.
    english: Vec<Option<&'static str>>,
    /// French "l'", "d'": a word starting with one is read as two.
    elisions: Vec<&'static str>,
    /// German "Logistikfirmen": a word ending in one of these is read as two when its start is a
    /// phrase of the table ("Logistik" + "firmen").
    suffixes: Vec<&'static str>,
    messages: Vec<(&'static str, &'static str)>,
}

impl Language {
    /// An assistant message in this language (`@name` lines of the data file).
    pub fn message(&self, name: &str) -> Option<&'static str> {
        self.messages
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| *m)
    }
}

fn load(code: &'static str, file: &'static str, text: &'static str) -> Language {
    let mut entries = Vec::new();
    let mut english = Vec::new();
    let mut elisions = Vec::new();
    let mut suffixes = Vec::new();
    let mut messages = Vec::new();
    for row in rows(file, text, 2) {
        let (phrase, value) = (row[0], row[1]);
        if phrase == "@elisions" {
            elisions = value.split_whitespace().collect();
        } else if phrase == "@suffixes" {
            suffixes = value.split_whitespace().collect();
        } else if let Some(name) = phrase.strip_prefix('@') {
            messages.push((name, value));
        } else {
            // One-letter words keep their accent: French "à" is not English "a".
            let key = if phrase.chars().count() > 1 {
                fold(phrase)
            } else {
                phrase.to_lowercase()
            };
            entries.push((key, english.len()));
            english.push((value != "-").then_some(value));
        }
    }
    // Lexicon keys are `'static`; the folded phrases live as long as the tables (the program).
    let phrases = Lexicon::new(
        entries
            .into_iter()
            .map(|(p, i)| (&*Box::leak(p.into_boxed_str()), i)),
        false,
    )
    .plural_anywhere();
    Language {
        code,
        phrases,
        english,
        elisions,
        suffixes,
        messages,
    }
}

/// The languages the planner reads besides English. Adding one: a data file and a line here.
pub static LANGUAGES: LazyLock<Vec<Language>> = LazyLock::new(|| {
    let (fr, fr_text) = asset!("i18n/fr.tsv");
    let (de, de_text) = asset!("i18n/de.tsv");
    let (es, es_text) = asset!("i18n/es.tsv");
    vec![
        load("fr", fr, fr_text),
        load("de", de, de_text),
        load("es", es, es_text),
    ]
});

/// Lower case without accents ("Série" → "serie", "Österreich" → "osterreich"), "ß" → "ss".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ÿ' | 'ý' => out.push('y'),
            'ß' => out.push_str("ss"),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            '\u{2019}' => out.push('\''),
            _ => out.push(c),
        }
    }
    out
}

/// A prompt after translation: the English text the rules read, and the language found.
#[derive(Debug, Clone)]
pub struct Translated {
    pub text: String,
    /// `None` for English (or nothing recognised).
    pub lang: Option<&'static str>,
}

/// Tokens with folded spellings for matching; one-letter words keep their accent ("à" ≠ "a").
fn folded_tokens(lang: &Language, text: &str) -> Vec<Token> {
    let elisions = &lang.elisions;
    let mut out = Vec::new();
    for t in tokenize(text) {
        if t.kind == Kind::Word
            && let Some((head, tail)) = split_compound(lang, &t.raw)
        {
            out.extend(tokenize(head));
            out.extend(tokenize(tail));
            continue;
        }
        if t.kind == Kind::Word
            && let Some(e) = elisions.iter().find(|e| fold(&t.raw).starts_with(**e))
            && t.raw.chars().count() > e.chars().count()
        {
            let split = t.raw.char_indices().nth(e.chars().count()).map(|(k, _)| k);
            if let Some(k) = split {
                out.extend(tokenize(&t.raw[..k]));
                out.extend(tokenize(&t.raw[k..]));
                continue;
            }
        }
        out.push(t);
    }
    for t in &mut out {
        if t.raw.chars().count() > 1 {
            t.norm = fold(&t.norm);
        }
    }
    out
}

/// "Logistikfirmen" → ("Logistik", "firmen") when "Logistik" is a phrase of the language.
fn split_compound<'a>(lang: &Language, word: &'a str) -> Option<(&'a str, &'a str)> {
    let folded = fold(word);
    let suffix = lang
        .suffixes
        .iter()
        .find(|s| folded.len() > s.len() + 2 && folded.ends_with(**s))?;
    let at = word.char_indices().rev().nth(suffix.chars().count() - 1)?.0;
    let head = &word[..at];
    let head_tokens = tokenize(head);
    let mut folded_head = head_tokens.clone();
    for t in &mut folded_head {
        t.norm = fold(&t.norm);
    }
    let blocked = vec![false; folded_head.len()];
    let hit = lang.phrases.match_at(&folded_head, 0, &blocked)?;
    (hit.len == folded_head.len()).then_some((head, &word[at..]))
}

/// Number words become digits ("quatre-vingts" → 80, "zweihundertfünfzig" → 250) through
/// text2num; isolated "un", "ein", "uno" (articles as often as numbers) stay words.
fn digits(code: &str, text: &str) -> String {
    let numbers = match code {
        "fr" => text2num::Language::french(),
        "de" => text2num::Language::german(),
        "es" => text2num::Language::spanish(),
        _ => return text.to_string(),
    };
    text2num::replace_numbers_in_text(text, &numbers, 3.0)
}

/// How many of a language's phrases the prompt uses, and the rewritten text.
fn rewrite(lang: &Language, text: &str) -> (usize, String) {
    let tokens = folded_tokens(lang, text);
    let blocked = vec![false; tokens.len()];
    let (mut hits, mut out, mut i) = (0, String::new(), 0);
    // Where the current clause starts in `out`: a verb-final phrase ("die Data Engineers
    // einstellen", English `<hiring`) moves there so the English rules read it first.
    let mut clause_start = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let sep = if t.hyphen_before { "-" } else { " " };
        if t.kind == Kind::Punct && matches!(t.norm.as_str(), "," | "." | ";" | ":") {
            out.push_str(&t.raw);
            clause_start = out.len();
            i += 1;
            continue;
        }
        // A place known by its own name ("Los Angeles", "Le Mans", "Den Haag") is kept whole,
        // before its first word is read as an article.
        if let Some(place) = ENTITIES
            .match_at(&tokens, i, &blocked)
            .filter(|h| h.len > 1 && matches!(h.value, Entity::City(_) | Entity::Country(_)))
        {
            for t in &tokens[i..i + place.len] {
                out.push_str(match (out.is_empty(), t.hyphen_before) {
                    (true, _) => "",
                    (false, true) => "-",
                    (false, false) => " ",
                });
                out.push_str(&t.raw);
            }
            i += place.len;
            continue;
        }
        match lang.phrases.match_at(&tokens, i, &blocked) {
            Some(hit) => {
                let english = lang.english[hit.value];
                // A phrase spelled the same in English ("Series", "startup") is no evidence, nor
                // is a filler alone ("Los" in "Los Angeles", "die" in "die hard").
                if english.is_some_and(|e| fold(e) != t.norm || hit.len > 1) {
                    hits += 1;
                }
                match english.map(|e| (e.strip_prefix('<'), e)) {
                    Some((Some(front), _)) => out.insert_str(clause_start, &format!(" {front} ")),
                    Some((None, e)) => {
                        out.push(' ');
                        out.push_str(e);
                    }
                    None => {}
                }
                i += hit.len;
            }
            None => {
                out.push_str(if out.is_empty() { "" } else { sep });
                out.push_str(&t.raw);
                i += 1;
            }
        }
    }
    (hits, out.trim().to_string())
}

/// Finds the prompt's language and rewrites it into English; English prompts come back as typed.
pub fn translate(prompt: &str) -> Translated {
    let mut best: Option<(usize, &Language, String)> = None;
    for lang in LANGUAGES.iter() {
        let (hits, text) = rewrite(lang, prompt);
        if best.as_ref().is_none_or(|(h, _, _)| hits > *h) {
            best = Some((hits, lang, text));
        }
    }
    match best {
        // One phrase that is not also English makes a language ("ohne Crunchbase"); its number
        // words are read once the language is known.
        Some((hits, lang, _)) if hits >= 1 => Translated {
            text: rewrite(lang, &digits(lang.code, prompt)).1,
            lang: Some(lang.code),
        },
        _ => Translated {
            text: prompt.to_string(),
            lang: None,
        },
    }
}

pub fn language(code: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_parses_without_duplicates() {
        for lang in LANGUAGES.iter() {
            let (file, text) = match lang.code {
                "fr" => asset!("i18n/fr.tsv"),
                "de" => asset!("i18n/de.tsv"),
                _ => asset!("i18n/es.tsv"),
            };
            let mut seen = std::collections::HashMap::new();
            for row in rows(file, text, 2) {
                if let Some(prev) = seen.insert(fold(row[0]), row[1]) {
                    assert_eq!(prev, row[1], "{file}: {} has two readings", row[0]);
                    panic!("{file}: {} is listed twice", row[0]);
                }
            }
            for m in [
                "rejected",
                "unknown_roles",
                "plan",
                "not_understood",
                "widen_place",
                "widen_industry",
                "widen_role",
                "widen_stage",
                "widen_any",
            ] {
                assert!(lang.message(m).is_some(), "{file}: @{m}");
            }
        }
    }

    #[test]
    fn languages_are_found_and_rewritten() {
        let cases = [
            ("Trouve des fintechs en série A en France", Some("fr")),
            (
                "Finde SaaS-Firmen in Deutschland mit mehr als 50 Mitarbeitern",
                Some("de"),
            ),
            ("Busca startups de fintech en España, serie A", Some("es")),
            ("Series A fintechs in France, VP Engineering", None),
            ("fintechs in Deutschland", Some("de")),
        ];
        for (prompt, lang) in cases {
            assert_eq!(translate(prompt).lang, lang, "{prompt}");
        }
        assert_eq!(
            translate("Trouve des fintechs en série A en France").text,
            "fintechs in Series A in France"
        );
        assert_eq!(
            translate("l'entreprise").text.trim(),
            translate("entreprise").text.trim()
        );
    }
}
