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

/// Free-text industries → the slugs of docs/planner.md ("Industries"): the slug itself, its words,
/// common phrasings.
pub fn industry(raw: &str) -> Option<&'static str> {
    let k = raw.trim().to_lowercase().replace(['-', '_', '/'], " ");
    let k = k.split_whitespace().collect::<Vec<_>>().join(" ");
    const ALIASES: &[(&str, &[&str])] = &[
        (
            "fintech",
            &[
                "fintech",
                "financial technology",
                "fin tech",
                "payments",
                "financial services",
            ],
        ),
        (
            "devtools",
            &[
                "devtools",
                "dev tools",
                "developer tools",
                "developer tooling",
            ],
        ),
        (
            "ai_infrastructure",
            &[
                "ai infrastructure",
                "ai infra",
                "ml infrastructure",
                "mlops",
            ],
        ),
        (
            "ai",
            &[
                "ai",
                "artificial intelligence",
                "machine learning",
                "generative ai",
            ],
        ),
        (
            "healthcare",
            &[
                "healthcare",
                "health care",
                "digital health",
                "healthtech",
                "health tech",
                "hospital & health care",
            ],
        ),
        (
            "ecommerce",
            &["ecommerce", "e commerce", "dtc", "online retail"],
        ),
        (
            "cybersecurity",
            &[
                "cybersecurity",
                "cyber security",
                "infosec",
                "security software",
                "computer & network security",
            ],
        ),
        (
            "crypto",
            &["crypto", "web3", "blockchain", "cryptocurrency"],
        ),
        (
            "climate",
            &["climate", "cleantech", "climate tech", "clean tech"],
        ),
        (
            "logistics",
            &["logistics", "supply chain", "logistics & supply chain"],
        ),
        (
            "hr_tech",
            &[
                "hr tech",
                "hrtech",
                "hr software",
                "human resources software",
            ],
        ),
        (
            "martech",
            &["martech", "marketing tech", "marketing technology"],
        ),
        (
            "saas",
            &[
                "saas",
                "b2b saas",
                "software as a service",
                "software",
                "computer software",
            ],
        ),
        (
            "data_analytics",
            &["data analytics", "analytics", "big data"],
        ),
        ("adtech", &["adtech", "ad tech", "advertising technology"]),
        ("agtech", &["agtech", "agritech", "agriculture technology"]),
        ("edtech", &["edtech", "education technology", "e learning"]),
        ("insurtech", &["insurtech"]),
        ("legaltech", &["legaltech", "legal tech"]),
        ("proptech", &["proptech", "property technology"]),
        ("real_estate", &["real estate"]),
        (
            "food_beverage",
            &["food beverage", "food & beverage", "food and beverage"],
        ),
        ("semiconductors", &["semiconductors", "semiconductor"]),
    ];
    const SLUGS: &[&str] = &[
        "accounting",
        "automotive",
        "biotech",
        "construction",
        "consulting",
        "consumer",
        "energy",
        "gaming",
        "government",
        "hardware",
        "hospitality",
        "insurance",
        "manufacturing",
        "media",
        "nonprofit",
        "pharma",
        "retail",
        "robotics",
        "telecom",
        "travel",
    ];
    ALIASES
        .iter()
        .find(|(_, names)| names.contains(&k.as_str()))
        .map(|(slug, _)| *slug)
        .or_else(|| SLUGS.iter().find(|s| **s == k).copied())
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
        assert_eq!(headcount("51-200"), Some((51, Some(200))));
        assert_eq!(headcount("1,200"), Some((1200, Some(1200))));
        assert_eq!(headcount("10k+"), Some((10_000, None)));
        assert_eq!(headcount("lots"), None);
    }
}
