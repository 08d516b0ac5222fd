//! Cell values → the canonical forms the ICP filters on: domains, emails, ISO countries, USPS
//! states, funding-stage and industry slugs, headcount ranges. Anything not recognised is kept
//! as raw text (shown, never filtered on) rather than guessed.

/// `https://www.Acme.io/about` → `acme.io`. `None` when it is not a host name.
pub fn domain(raw: &str) -> Option<String> {
    let mut s = raw.trim().to_ascii_lowercase();
    for scheme in ["https://", "http://", "//"] {
        if let Some(rest) = s.strip_prefix(scheme) {
            s = rest.to_string();
        }
    }
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    let host = host
        .strip_prefix("www.")
        .unwrap_or(host)
        .trim_end_matches('.');
    let valid = host.contains('.')
        && host.len() <= 253
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.len() <= 63 && !l.starts_with('-') && !l.ends_with('-'))
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    valid.then(|| host.to_string())
}

/// A syntactically plausible address, lower-cased; `None` otherwise.
pub fn email(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.strip_prefix("mailto:").unwrap_or(s).to_lowercase();
    let (local, host) = s.split_once('@')?;
    let ok_local = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-'".contains(c));
    (ok_local && domain(host).as_deref() == Some(host)).then_some(s)
}

/// Country names, demonyms and codes → ISO 3166-1 alpha-2. A small table of the countries lead
/// lists usually name; unknown names stay raw.
pub fn country(raw: &str) -> Option<&'static str> {
    let key = raw.trim().to_lowercase().replace(['.', '_'], "");
    let key = key.trim();
    COUNTRIES.iter().find_map(|(iso, names)| {
        (key.eq_ignore_ascii_case(iso) || names.contains(&key)).then_some(*iso)
    })
}

const COUNTRIES: &[(&str, &[&str])] = &[
    (
        "US",
        &[
            "usa",
            "united states",
            "united states of america",
            "america",
            "u s a",
            "us",
        ],
    ),
    (
        "GB",
        &[
            "uk",
            "united kingdom",
            "great britain",
            "britain",
            "england",
            "scotland",
            "wales",
            "gbr",
        ],
    ),
    ("FR", &["france", "fra", "french"]),
    ("DE", &["germany", "deutschland", "deu", "german"]),
    ("ES", &["spain", "españa", "espana", "esp"]),
    ("IT", &["italy", "italia", "ita"]),
    ("NL", &["netherlands", "the netherlands", "holland", "nld"]),
    ("BE", &["belgium", "belgique", "belgië"]),
    ("LU", &["luxembourg"]),
    ("CH", &["switzerland", "schweiz", "suisse"]),
    ("AT", &["austria", "österreich"]),
    ("IE", &["ireland"]),
    ("PT", &["portugal"]),
    ("SE", &["sweden", "sverige"]),
    ("NO", &["norway", "norge"]),
    ("DK", &["denmark", "danmark"]),
    ("FI", &["finland", "suomi"]),
    ("IS", &["iceland"]),
    ("PL", &["poland", "polska"]),
    ("CZ", &["czech republic", "czechia"]),
    ("EE", &["estonia"]),
    ("LT", &["lithuania"]),
    ("LV", &["latvia"]),
    ("RO", &["romania"]),
    ("GR", &["greece"]),
    ("HU", &["hungary"]),
    ("BG", &["bulgaria"]),
    ("HR", &["croatia"]),
    ("SK", &["slovakia"]),
    ("SI", &["slovenia"]),
    ("CY", &["cyprus"]),
    ("MT", &["malta"]),
    ("CA", &["canada"]),
    ("MX", &["mexico", "méxico"]),
    ("BR", &["brazil", "brasil"]),
    ("AR", &["argentina"]),
    ("CL", &["chile"]),
    ("CO", &["colombia"]),
    ("IL", &["israel"]),
    ("AE", &["united arab emirates", "uae"]),
    ("SA", &["saudi arabia"]),
    ("EG", &["egypt"]),
    ("TR", &["turkey", "türkiye"]),
    ("IN", &["india"]),
    ("CN", &["china"]),
    ("JP", &["japan"]),
    ("KR", &["south korea", "korea"]),
    ("SG", &["singapore"]),
    ("ID", &["indonesia"]),
    ("MY", &["malaysia"]),
    ("TH", &["thailand"]),
    ("VN", &["vietnam", "viet nam"]),
    ("PH", &["philippines"]),
    ("AU", &["australia"]),
    ("NZ", &["new zealand"]),
    ("ZA", &["south africa"]),
    ("NG", &["nigeria"]),
    ("KE", &["kenya"]),
];

/// The countries a region stands for, so a region filter can be checked against a country fact.
pub fn region_countries(region: &str) -> &'static [&'static str] {
    const EU: &[&str] = &[
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ];
    const EUROPE: &[&str] = &[
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "GB", "CH", "NO",
        "IS",
    ];
    match region.to_ascii_uppercase().as_str() {
        "EU" => EU,
        "EUROPE" => EUROPE,
        "DACH" => &["DE", "AT", "CH"],
        "NORDICS" => &["SE", "NO", "DK", "FI", "IS"],
        "BENELUX" => &["BE", "NL", "LU"],
        "NA" => &["US", "CA"],
        "LATAM" => &["MX", "BR", "AR", "CL", "CO"],
        "APAC" => &[
            "IN", "CN", "JP", "KR", "SG", "ID", "MY", "TH", "VN", "PH", "AU", "NZ",
        ],
        "SEA" => &["SG", "ID", "MY", "TH", "VN", "PH"],
        "MENA" => &["IL", "AE", "SA", "EG", "TR"],
        _ => &[],
    }
}

/// US state names or USPS codes → the USPS code.
pub fn us_state(raw: &str) -> Option<&'static str> {
    let key = raw.trim().to_lowercase();
    US_STATES
        .iter()
        .find(|(code, name)| key.eq_ignore_ascii_case(code) || key == *name)
        .map(|(code, _)| *code)
}

const US_STATES: &[(&str, &str)] = &[
    ("AL", "alabama"),
    ("AK", "alaska"),
    ("AZ", "arizona"),
    ("AR", "arkansas"),
    ("CA", "california"),
    ("CO", "colorado"),
    ("CT", "connecticut"),
    ("DE", "delaware"),
    ("DC", "district of columbia"),
    ("FL", "florida"),
    ("GA", "georgia"),
    ("HI", "hawaii"),
    ("ID", "idaho"),
    ("IL", "illinois"),
    ("IN", "indiana"),
    ("IA", "iowa"),
    ("KS", "kansas"),
    ("KY", "kentucky"),
    ("LA", "louisiana"),
    ("ME", "maine"),
    ("MD", "maryland"),
    ("MA", "massachusetts"),
    ("MI", "michigan"),
    ("MN", "minnesota"),
    ("MS", "mississippi"),
    ("MO", "missouri"),
    ("MT", "montana"),
    ("NE", "nebraska"),
    ("NV", "nevada"),
    ("NH", "new hampshire"),
    ("NJ", "new jersey"),
    ("NM", "new mexico"),
    ("NY", "new york"),
    ("NC", "north carolina"),
    ("ND", "north dakota"),
    ("OH", "ohio"),
    ("OK", "oklahoma"),
    ("OR", "oregon"),
    ("PA", "pennsylvania"),
    ("RI", "rhode island"),
    ("SC", "south carolina"),
    ("SD", "south dakota"),
    ("TN", "tennessee"),
    ("TX", "texas"),
    ("UT", "utah"),
    ("VT", "vermont"),
    ("VA", "virginia"),
    ("WA", "washington"),
    ("WV", "west virginia"),
    ("WI", "wisconsin"),
    ("WY", "wyoming"),
];

/// "Series A", "series-a", "Seed round", "IPO" → the funding slugs of docs/planner.md
/// ("Funding stages").
pub fn funding_stage(raw: &str) -> Option<&'static str> {
    let k: String = raw
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let k = k.split_whitespace().collect::<Vec<_>>().join(" ");
    let k = k.strip_suffix(" round").unwrap_or(&k);
    Some(match k {
        "pre seed" | "preseed" | "angel" => "pre_seed",
        "seed" => "seed",
        "series a" | "a" => "series_a",
        "series b" | "b" => "series_b",
        "series c" | "c" => "series_c",
        "series d" | "d" => "series_d",
        "series e" | "e" => "series_e",
        "series f" | "series g" | "series h" | "late stage" | "late" | "growth" => "late_stage",
        "public" | "ipo" | "listed" | "publicly traded" => "public",
        "bootstrapped" | "self funded" | "bootstrap" => "bootstrapped",
        _ => return None,
    })
}

/// Free-text industries → the slugs of docs/planner.md ("Industries"): the slug itself or a
/// phrasing listed in assets/import/industries.toml.
pub fn industry(raw: &str) -> Option<&'static str> {
    let k = raw.trim().to_lowercase().replace(['-', '_', '/'], " ");
    let k = k.split_whitespace().collect::<Vec<_>>().join(" ");
    INDUSTRY_PHRASES.get(&k).map(String::as_str)
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct IndustryFile {
    phrases: std::collections::BTreeMap<String, Vec<String>>,
    plain: Vec<String>,
}

/// Phrase → slug. The table ships inside the binary and a unit test loads it, so a malformed
/// file is a build defect and the panic names it.
static INDUSTRY_PHRASES: std::sync::LazyLock<std::collections::HashMap<String, String>> =
    std::sync::LazyLock::new(|| {
        let file: IndustryFile =
            match toml::from_str(include_str!("../../../../assets/import/industries.toml")) {
                Ok(f) => f,
                Err(e) => panic!("assets/import/industries.toml is malformed: {e}"),
            };
        let mut map = std::collections::HashMap::new();
        let named = file.plain.into_iter().map(|slug| (slug, Vec::new()));
        for (slug, phrases) in file.phrases.into_iter().chain(named) {
            map.insert(slug.replace('_', " "), slug.clone());
            for phrase in phrases {
                map.insert(phrase, slug.clone());
            }
        }
        map
    });

/// A multi-valued industries cell ("Artificial Intelligence, SaaS, Financial Services") → each
/// item with the slug it names, if any. A cell that is one known industry as a whole stays one
/// item ("Food, Beverages" is not split when the whole phrase is known).
pub fn industries(raw: &str) -> Vec<(String, Option<&'static str>)> {
    if let Some(slug) = industry(raw) {
        return vec![(raw.trim().to_string(), Some(slug))];
    }
    let mut out: Vec<(String, Option<&'static str>)> = Vec::new();
    for item in raw.split([',', ';', '|']) {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let slug = industry(item);
        let dup = out
            .iter()
            .any(|(i, s)| i.eq_ignore_ascii_case(item) || (slug.is_some() && *s == slug));
        if !dup {
            out.push((item.to_string(), slug));
        }
    }
    out
}

/// "San Francisco, California, United States" → (city, US state, ISO country). The city is the
/// first part when the cell has several and it is not itself a country; a lone part is only
/// ever a country (it could as well be a region). Unrecognised parts give `None`, never a guess.
pub fn location(raw: &str) -> (Option<String>, Option<&'static str>, Option<&'static str>) {
    let parts: Vec<&str> = raw
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    // "Denver, CO": Colorado or Colombia? A two-letter code that is both is left unread.
    let ambiguous = |p: &str| p.len() == 2 && us_state(p).is_some() && country(p).is_some();
    let country_at = parts
        .iter()
        .rposition(|p| !ambiguous(p) && country(p).is_some());
    let iso = country_at.and_then(|i| country(parts[i]));
    let state = parts
        .iter()
        .enumerate()
        .filter(|(i, p)| *i > 0 && Some(*i) != country_at && !ambiguous(p))
        .find_map(|(_, p)| us_state(p))
        .filter(|_| iso.is_none_or(|c| c == "US"));
    let city = (parts.len() > 1 && country_at != Some(0) && us_state(parts[0]).is_none())
        .then(|| parts[0].to_string());
    (city, state, iso)
}

/// Whether a host is LinkedIn's (a company page is not the company's own domain).
pub fn is_linkedin(host: &str) -> bool {
    host == "linkedin.com" || host.ends_with(".linkedin.com")
}

/// "120", "1,200", "51-200", "10k", "1000+" → an inclusive range of headcount.
pub fn headcount(raw: &str) -> Option<(u32, Option<u32>)> {
    let s = raw.trim().to_lowercase().replace([',', ' ', '_'], "");
    let s = s.trim_end_matches("employees");
    let num = |t: &str| -> Option<u32> {
        match t.strip_suffix('k') {
            Some(k) => k.parse::<f64>().ok().map(|v| (v * 1000.0) as u32),
            None => t.parse().ok(),
        }
    };
    if let Some(open) = s.strip_suffix('+') {
        return num(open).map(|n| (n, None));
    }
    if let Some((a, b)) = s.split_once(['-', '–']) {
        let (a, b) = (num(a)?, num(b)?);
        return (a <= b).then_some((a, Some(b)));
    }
    num(s).map(|n| (n, Some(n)))
}

/// "AWS, Snowflake; dbt" → the listed technologies, trimmed, first spelling kept.
pub fn technologies(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in raw.split([',', ';', '|']) {
        let t = t.trim();
        if !t.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_string());
        }
    }
    out
}

/// Lower-case, whitespace collapsed: how names and titles are compared.
pub fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_industry_table_names_only_planner_slugs_and_keeps_unstated_phrasings() {
        let planner: std::collections::HashSet<&str> =
            crate::engine::planner::vocab::industries::INDUSTRIES
                .iter()
                .map(|(slug, _)| *slug)
                .collect();
        assert!(INDUSTRY_PHRASES.len() > 40, "the table did not load");
        for (phrase, slug) in INDUSTRY_PHRASES.iter() {
            assert!(
                planner.contains(slug.as_str()),
                "{phrase} → {slug}: not a planner slug"
            );
        }
        assert_eq!(industry("Developer-Tools"), Some("devtools"));
        assert_eq!(industry("real_estate"), Some("real_estate"));
        assert_eq!(industry("Travel"), Some("travel"));
        // The file says something else: kept as written, not moved to a neighbouring slug.
        assert_eq!(industry("Financial Services"), None);
    }

    #[test]
    fn domains_lose_scheme_www_path_and_port() {
        assert_eq!(
            domain("https://www.Acme.io/about?x=1").as_deref(),
            Some("acme.io")
        );
        assert_eq!(domain("acme.io:8080").as_deref(), Some("acme.io"));
        assert_eq!(domain("not a domain"), None);
        assert_eq!(domain("localhost"), None);
    }

    #[test]
    fn emails_and_codes_normalise_or_refuse() {
        assert_eq!(email("mailto:Ana@Acme.IO").as_deref(), Some("ana@acme.io"));
        assert_eq!(email("ana at acme"), None);
        assert_eq!(country("France"), Some("FR"));
        assert_eq!(country("U.S.A."), Some("US"));
        assert_eq!(country("uk"), Some("GB"));
        assert_eq!(country("Atlantis"), None);
        assert_eq!(us_state("California"), Some("CA"));
        assert_eq!(funding_stage("Series A round"), Some("series_a"));
        assert_eq!(funding_stage("Pre-Seed"), Some("pre_seed"));
        assert_eq!(industry("Developer Tools"), Some("devtools"));
        assert_eq!(industry("FinTech"), Some("fintech"));
        // Financial services is not fintech: the source never said so.
        assert_eq!(industry("Financial Services"), None);
        let many = industries("Artificial Intelligence, Financial Services, SaaS, AI");
        assert_eq!(
            many,
            vec![
                ("Artificial Intelligence".to_string(), Some("ai")),
                ("Financial Services".to_string(), None),
                ("SaaS".to_string(), Some("saas")),
            ]
        );
        assert_eq!(
            location("San Francisco, California, United States"),
            (Some("San Francisco".into()), Some("CA"), Some("US"))
        );
        assert_eq!(
            location("Paris, Île-de-France, France"),
            (Some("Paris".into()), None, Some("FR"))
        );
        assert_eq!(location("France"), (None, None, Some("FR")));
        assert_eq!(location("Greater Lyon Area"), (None, None, None));
        assert_eq!(location("Denver, CO"), (Some("Denver".into()), None, None));
        assert_eq!(
            location("Austin, TX, US"),
            (Some("Austin".into()), Some("TX"), Some("US"))
        );
        assert_eq!(headcount("5001-10000"), Some((5001, Some(10_000))));
        assert_eq!(headcount("1K-5K"), Some((1000, Some(5000))));
        assert_eq!(headcount("10,001+ employees"), Some((10_001, None)));
        assert_eq!(headcount("1,000 - 5,000"), Some((1000, Some(5000))));
        assert_eq!(headcount("51-200"), Some((51, Some(200))));
        assert_eq!(headcount("1,200"), Some((1200, Some(1200))));
        assert_eq!(headcount("10k+"), Some((10_000, None)));
        assert_eq!(headcount("lots"), None);
    }
}
