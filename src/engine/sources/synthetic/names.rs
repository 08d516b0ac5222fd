//! Person-name pools by naming tradition (data in assets/synthetic/names.toml), and the ASCII
//! folding used for emails and slugs.

use std::sync::LazyLock;

/// A naming tradition; countries list the ones their people are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameStyle {
    English,
    French,
    German,
    Spanish,
    Portuguese,
    Italian,
    Dutch,
    Nordic,
    Finnish,
    Polish,
    Japanese,
    Korean,
    Chinese,
    Indian,
    Hebrew,
    Arabic,
    Indonesian,
    Malay,
    Thai,
    Vietnamese,
    Filipino,
}

#[derive(Debug)]
pub struct NamePool {
    pub first: &'static [&'static str],
    pub last: &'static [&'static str],
}

impl NameStyle {
    #[cfg(test)]
    pub const ALL: &'static [NameStyle] = &[
        NameStyle::English,
        NameStyle::French,
        NameStyle::German,
        NameStyle::Spanish,
        NameStyle::Portuguese,
        NameStyle::Italian,
        NameStyle::Dutch,
        NameStyle::Nordic,
        NameStyle::Finnish,
        NameStyle::Polish,
        NameStyle::Japanese,
        NameStyle::Korean,
        NameStyle::Chinese,
        NameStyle::Indian,
        NameStyle::Hebrew,
        NameStyle::Arabic,
        NameStyle::Indonesian,
        NameStyle::Malay,
        NameStyle::Thai,
        NameStyle::Vietnamese,
        NameStyle::Filipino,
    ];

    pub fn pool(self) -> &'static NamePool {
        let pools: &'static Pools = &POOLS;
        match self {
            NameStyle::English => &pools.english,
            NameStyle::French => &pools.french,
            NameStyle::German => &pools.german,
            NameStyle::Spanish => &pools.spanish,
            NameStyle::Portuguese => &pools.portuguese,
            NameStyle::Italian => &pools.italian,
            NameStyle::Dutch => &pools.dutch,
            NameStyle::Nordic => &pools.nordic,
            NameStyle::Finnish => &pools.finnish,
            NameStyle::Polish => &pools.polish,
            NameStyle::Japanese => &pools.japanese,
            NameStyle::Korean => &pools.korean,
            NameStyle::Chinese => &pools.chinese,
            NameStyle::Indian => &pools.indian,
            NameStyle::Hebrew => &pools.hebrew,
            NameStyle::Arabic => &pools.arabic,
            NameStyle::Indonesian => &pools.indonesian,
            NameStyle::Malay => &pools.malay,
            NameStyle::Thai => &pools.thai,
            NameStyle::Vietnamese => &pools.vietnamese,
            NameStyle::Filipino => &pools.filipino,
        }
    }
}

/// One pool per style: a field each, so a style missing from the file fails the parse (and the
/// unit test) rather than a lookup at generation time.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Pools {
    english: NamePool,
    french: NamePool,
    german: NamePool,
    spanish: NamePool,
    portuguese: NamePool,
    italian: NamePool,
    dutch: NamePool,
    nordic: NamePool,
    finnish: NamePool,
    polish: NamePool,
    japanese: NamePool,
    korean: NamePool,
    chinese: NamePool,
    indian: NamePool,
    hebrew: NamePool,
    arabic: NamePool,
    indonesian: NamePool,
    malay: NamePool,
    thai: NamePool,
    vietnamese: NamePool,
    filipino: NamePool,
}

impl<'de> serde::Deserialize<'de> for NamePool {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            first: Vec<String>,
            last: Vec<String>,
        }
        let raw = Raw::deserialize(d)?;
        Ok(NamePool {
            first: super::assets::leak_strs(raw.first),
            last: super::assets::leak_strs(raw.last),
        })
    }
}

static POOLS: LazyLock<Pools> = LazyLock::new(|| {
    super::assets::parse(
        "names.toml",
        include_str!("../../../../assets/synthetic/names.toml"),
    )
});

/// Latin letters with diacritics (and ligatures) as plain ASCII, for email local parts and slugs.
const FOLDS: &[(char, &str)] = &[
    ('à', "a"),
    ('á', "a"),
    ('â', "a"),
    ('ã', "a"),
    ('ä', "a"),
    ('å', "a"),
    ('ą', "a"),
    ('æ', "ae"),
    ('ç', "c"),
    ('ć', "c"),
    ('č', "c"),
    ('è', "e"),
    ('é', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ę', "e"),
    ('ì', "i"),
    ('í', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('ł', "l"),
    ('ñ', "n"),
    ('ń', "n"),
    ('ò', "o"),
    ('ó', "o"),
    ('ô', "o"),
    ('õ', "o"),
    ('ö', "o"),
    ('ø', "o"),
    ('œ', "oe"),
    ('ś', "s"),
    ('š', "s"),
    ('ß', "ss"),
    ('ù', "u"),
    ('ú', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ý', "y"),
    ('ÿ', "y"),
    ('ź', "z"),
    ('ż', "z"),
    ('ž', "z"),
];

/// Lower-case ASCII letters and digits of `s`, accents folded, everything else dropped
/// ("Lefèvre" → "lefevre", "Ben-David" → "bendavid", "de Jong" → "dejong").
pub fn ascii_alnum(s: &str, out: &mut String) {
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some((_, folded)) = FOLDS.iter().find(|(from, _)| *from == c) {
            out.push_str(folded);
        }
    }
}

/// A URL slug: ASCII words joined by single hyphens ("Kalrix Robotics" → "kalrix-robotics").
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || c == '-' || c == '&' || c == '.') {
        let start = out.len();
        if start > 0 {
            out.push('-');
        }
        ascii_alnum(word, &mut out);
        if out.len() == start + usize::from(start > 0) {
            out.truncate(start);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_strips_accents_and_punctuation() {
        let mut out = String::new();
        for name in [
            "Lefèvre",
            "Ben-David",
            "de Jong",
            "Łukasz",
            "Weiß",
            "Sørensen",
        ] {
            out.clear();
            ascii_alnum(name, &mut out);
            assert!(
                out.bytes().all(|b| b.is_ascii_lowercase()),
                "{name} → {out}"
            );
        }
        out.clear();
        ascii_alnum("Élodie Lefèvre", &mut out);
        assert_eq!(out, "elodielefevre");
    }

    #[test]
    fn slugs_are_hyphenated_ascii_words() {
        assert_eq!(slug("Kalrix Robotics"), "kalrix-robotics");
        assert_eq!(slug("Hélène  van den Berg"), "helene-van-den-berg");
        assert_eq!(slug("Ben-David & Co."), "ben-david-co");
    }

    #[test]
    fn every_pool_has_ascii_foldable_names() {
        let mut out = String::new();
        for &style in NameStyle::ALL {
            let pool = style.pool();
            assert!(!pool.first.is_empty() && !pool.last.is_empty());
            for name in pool.first.iter().chain(pool.last) {
                out.clear();
                ascii_alnum(name, &mut out);
                assert!(out.len() >= 2, "{name} folds to {out:?}");
            }
        }
    }
}
