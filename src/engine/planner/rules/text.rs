//! Tokenising: the prompt becomes words, numbers and punctuation with their original spelling.
//! Vocabulary phrases go through the same tokeniser, so "e-commerce" in a table and in a prompt
//! always meet as the same tokens.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone)]
pub struct Token {
    /// As typed.
    pub raw: String,
    /// Lower case, typographic apostrophes straightened, possessive "'s" dropped.
    pub norm: String,
    pub kind: Kind,
    /// The value of a `Number` ("1,000", "1k" and "ten" are all numbers).
    pub value: f64,
    /// The token was joined to the previous one by a hyphen ("dev-tools", "Series A-B"). The
    /// hyphen itself is not a token, so phrases match across it.
    pub hyphen_before: bool,
}

impl Token {
    pub fn is_punct(&self, c: &str) -> bool {
        self.kind == Kind::Punct && self.norm == c
    }

    pub fn is(&self, word: &str) -> bool {
        self.kind != Kind::Punct && self.norm == word
    }
}

const NUMBER_WORDS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("thousand", 1000.0),
    ("dozen", 12.0),
];

/// Multipliers that combine with the number before them ("two hundred", "10 thousand").
const MULTIPLIERS: &[&str] = &["hundred", "thousand"];

fn is_number_word(t: &Token) -> bool {
    t.kind == Kind::Number && t.norm.chars().all(char::is_alphabetic)
}

/// Joins compound numbers into one token: "two hundred" → 200, "one thousand" → 1000, "twenty-five"
/// → 25, "a hundred" → 100, "two hundred and fifty" → 250, "10 thousand" → 10000.
fn join_number_words(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let starts = t.kind == Kind::Number
            || (t.norm == "a"
                && tokens
                    .get(i + 1)
                    .is_some_and(|n| MULTIPLIERS.contains(&n.norm.as_str())));
        if !starts {
            out.push(t.clone());
            i += 1;
            continue;
        }
        let (mut total, mut current) = (0.0, if t.kind == Kind::Number { t.value } else { 1.0 });
        let mut j = i + 1;
        let mut last_was_multiplier = MULTIPLIERS.contains(&t.norm.as_str());
        while let Some(n) = tokens.get(j) {
            // "two hundred and fifty": "and" only joins after a multiplier.
            let and_then_number = n.norm == "and"
                && last_was_multiplier
                && tokens
                    .get(j + 1)
                    .is_some_and(|m| is_number_word(m) && !MULTIPLIERS.contains(&m.norm.as_str()));
            if and_then_number {
                j += 1;
                continue;
            }
            if !is_number_word(n) {
                break;
            }
            match n.norm.as_str() {
                "hundred" => current = current.max(1.0) * 100.0,
                "thousand" => {
                    total += current.max(1.0) * 1000.0;
                    current = 0.0;
                }
                // "twenty-five" / "twenty five": a unit after a tens word; anything else ends it.
                _ if current % 100.0 >= 20.0 && current % 10.0 == 0.0 && n.value < 10.0 => {
                    current += n.value
                }
                _ if last_was_multiplier && n.value < 100.0 => current += n.value,
                _ => break,
            }
            last_was_multiplier = MULTIPLIERS.contains(&n.norm.as_str());
            j += 1;
        }
        if j == i + 1 || (i + 1..j).all(|k| tokens[k].norm == "and") {
            out.push(t.clone());
            i += 1;
            continue;
        }
        let raw: Vec<&str> = tokens[i..j].iter().map(|t| t.raw.as_str()).collect();
        out.push(Token {
            raw: raw.join(" "),
            norm: raw.join(" ").to_lowercase(),
            kind: Kind::Number,
            value: total + current,
            hyphen_before: t.hyphen_before,
        });
        i = j;
    }
    out
}

/// Parses "20", "1,000", "1.5k", "10K", "2m" (no sign, no units beyond k/m).
pub fn parse_number(s: &str) -> Option<f64> {
    let (body, mult) = match s.chars().last()? {
        'k' | 'K' => (&s[..s.len() - 1], 1_000.0),
        'm' | 'M' => (&s[..s.len() - 1], 1_000_000.0),
        _ => (s, 1.0),
    };
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let cleaned: String = body.chars().filter(|c| *c != ',').collect();
    if !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.') || cleaned.matches('.').count() > 1
    {
        return None;
    }
    let v: f64 = cleaned.parse().ok()?;
    let v = v * mult;
    v.is_finite().then_some(v)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

pub fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\u{2019}' { '\'' } else { c })
        .collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let mut hyphen_pending = false;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            hyphen_pending = false;
            i += 1;
            continue;
        }
        if is_word_char(c) {
            let start = i;
            let starts_digit = c.is_ascii_digit();
            i += 1;
            while i < chars.len() {
                let c = chars[i];
                let next = chars.get(i + 1).copied();
                if is_word_char(c) {
                    i += 1;
                } else if matches!(c, '.' | '\'' | '&') && next.is_some_and(is_word_char) {
                    // "node.js", "d'ivoire", "R&D", "1.5k"
                    i += 1;
                } else if c == ',' && starts_digit && thousands_group(&chars, i) {
                    i += 1;
                } else if i - start == 1
                    && chars[start].eq_ignore_ascii_case(&'c')
                    && (c == '#' || (c == '+' && next == Some('+')))
                {
                    // "C++", "C#" (but "Series C+" is Series C and later)
                    i += if c == '#' { 1 } else { 2 };
                    break;
                } else {
                    break;
                }
            }
            let mut raw: String = chars[start..i].iter().collect();
            // "U.S." keeps its final dot so it reads as one abbreviation.
            if chars.get(i) == Some(&'.') && is_dotted_abbreviation(&raw) {
                raw.push('.');
                i += 1;
            }
            tokens.push(make_word(raw, hyphen_pending));
            hyphen_pending = false;
            continue;
        }
        if c == '-' {
            let prev_word = tokens.last().is_some_and(|t: &Token| t.kind != Kind::Punct);
            let next_word = chars.get(i + 1).is_some_and(|n| is_word_char(*n));
            let prev_number = tokens
                .last()
                .is_some_and(|t: &Token| t.kind == Kind::Number);
            let next_digit = chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
            i += 1;
            if prev_word
                && next_word
                && !(prev_number && next_digit)
                && i >= 2
                && !chars[i - 2].is_whitespace()
            {
                hyphen_pending = true;
                continue;
            }
            tokens.push(punct('-'));
            continue;
        }
        tokens.push(punct(c));
        hyphen_pending = false;
        i += 1;
    }
    join_number_words(tokens)
}

fn thousands_group(chars: &[char], comma: usize) -> bool {
    let digits = chars[comma + 1..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    digits == 3
}

fn is_dotted_abbreviation(raw: &str) -> bool {
    raw.contains('.') && raw.split('.').all(|part| part.chars().count() == 1)
}

fn make_word(raw: String, hyphen_before: bool) -> Token {
    let mut norm = raw.to_lowercase();
    if norm.ends_with("'s") && norm.chars().count() > 2 {
        norm.truncate(norm.len() - 2);
    }
    if let Some(v) = parse_number(&raw) {
        return Token {
            raw,
            norm,
            kind: Kind::Number,
            value: v,
            hyphen_before,
        };
    }
    if let Some((_, v)) = NUMBER_WORDS.iter().find(|(w, _)| *w == norm) {
        return Token {
            raw,
            norm,
            kind: Kind::Number,
            value: *v,
            hyphen_before,
        };
    }
    Token {
        raw,
        norm,
        kind: Kind::Word,
        value: 0.0,
        hyphen_before,
    }
}

fn punct(c: char) -> Token {
    let s = c.to_string();
    Token {
        raw: s.clone(),
        norm: s,
        kind: Kind::Punct,
        value: 0.0,
        hyphen_before: false,
    }
}

/// Singular candidates of a lower-case word: "companies" → "company", "brands" → "brand".
pub fn singulars(word: &str) -> impl Iterator<Item = String> + '_ {
    let ies = word
        .strip_suffix("ies")
        .filter(|s| !s.is_empty())
        .map(|s| format!("{s}y"));
    let es = word
        .strip_suffix("es")
        .filter(|s| s.len() > 2)
        .map(str::to_string);
    let s = word
        .strip_suffix('s')
        .filter(|s| s.len() > 1 && !s.ends_with('s'))
        .map(str::to_string);
    ies.into_iter().chain(es).chain(s)
}

/// Words too common to be read as typos of vocabulary words.
pub const COMMON_WORDS: &[&str] = &[
    "companies",
    "company",
    "startups",
    "startup",
    "business",
    "businesses",
    "brands",
    "within",
    "between",
    "people",
    "employees",
    "employee",
    "engineers",
    "looking",
    "please",
    "series",
    "stage",
    "around",
    "across",
    "number",
    "million",
    "billion",
    "should",
    "would",
    "could",
    "called",
    "having",
    "active",
    "recent",
    "recently",
    "raised",
    "funded",
    "funding",
    "latest",
    "global",
    "market",
    "sector",
    "industry",
    "industries",
    "leaders",
    "leader",
    "focused",
    "based",
    "located",
    "headquartered",
    "hiring",
    "offices",
    "office",
    "operating",
    "selling",
    "building",
    "working",
    "making",
    "platform",
    "platforms",
    "service",
    "services",
    "solutions",
    "solution",
    "provider",
    "providers",
    "vendors",
    "vendor",
    "customers",
    "customer",
    "clients",
    "client",
    "contacts",
    "contact",
    "emails",
    "email",
    "phones",
    "numbers",
    "titles",
    "decision",
    "makers",
    "maker",
    "senior",
    "junior",
    "current",
    "former",
    "public",
    "private",
    "listed",
    "excluding",
    "without",
    "except",
    "include",
    "including",
    "exclude",
    "limited",
    "groups",
    "studios",
    "studio",
    "agencies",
    "agency",
    "season",
    "states",
    "stated",
    "nation",
    "nations",
    "region",
    "regions",
    "cities",
    "country",
    "countries",
    "united",
    "worldwide",
    "largest",
    "biggest",
    "smaller",
    "bigger",
    "larger",
    "fastest",
    "growing",
    "scaling",
    "scaleups",
    "scaleup",
    "enterprise",
    "enterprises",
    "records",
    "results",
    "prospects",
    "accounts",
    "return",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn hyphens_between_words_disappear_but_number_ranges_keep_them() {
        assert_eq!(
            norms("dev-tools 50-250"),
            ["dev", "tools", "50", "-", "250"]
        );
        assert!(tokenize("Series A-B")[2].hyphen_before);
    }

    #[test]
    fn numbers_in_every_format() {
        let t = tokenize("1,000 1k 1.5K 20+ ten 500\u{2013}5000");
        let values: Vec<f64> = t
            .iter()
            .filter(|t| t.kind == Kind::Number)
            .map(|t| t.value)
            .collect();
        assert_eq!(values, [1000.0, 1000.0, 1500.0, 20.0, 10.0, 500.0, 5000.0]);
        assert!(t[4].is_punct("+"));
    }

    #[test]
    fn abbreviations_and_symbols_stay_whole() {
        assert_eq!(
            norms("U.S. R&D node.js C++ C# company's"),
            ["u.s.", "r&d", "node.js", "c++", "c#", "company"]
        );
    }

    #[test]
    fn compound_number_words_are_one_number() {
        let cases = [
            ("two hundred leads", 200.0),
            ("one thousand", 1000.0),
            ("ten thousand rows", 10_000.0),
            ("a hundred", 100.0),
            ("twenty-five", 25.0),
            ("two hundred and fifty", 250.0),
            ("10 thousand", 10_000.0),
            ("fifty", 50.0),
            ("three thousand five hundred", 3500.0),
        ];
        for (text, want) in cases {
            let t = tokenize(text);
            assert_eq!((t[0].kind, t[0].value), (Kind::Number, want), "{text}");
        }
        assert_eq!(tokenize("one and two").len(), 3);
    }

    #[test]
    fn list_commas_are_not_thousands_separators() {
        assert_eq!(norms("10,20"), ["10", ",", "20"]);
    }
}
