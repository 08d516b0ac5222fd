//! Where companies are: countries with their cities, naming traditions, web domains and
//! currency; the regions of docs/planner.md ("Places"); US states with their cities.

use super::names::NameStyle;

/// How funding is reported in a country: a prefix and units per US dollar.
#[derive(Debug)]
pub struct Currency {
    pub prefix: &'static str,
    pub per_usd: f64,
}

pub static USD: Currency = Currency {
    prefix: "$",
    per_usd: 1.0,
};
static EUR: Currency = Currency {
    prefix: "€",
    per_usd: 0.92,
};
static GBP: Currency = Currency {
    prefix: "£",
    per_usd: 0.79,
};
static CHF: Currency = Currency {
    prefix: "CHF ",
    per_usd: 0.88,
};
static SEK: Currency = Currency {
    prefix: "SEK ",
    per_usd: 10.5,
};
static NOK: Currency = Currency {
    prefix: "NOK ",
    per_usd: 10.7,
};
static DKK: Currency = Currency {
    prefix: "DKK ",
    per_usd: 6.9,
};
static PLN: Currency = Currency {
    prefix: "PLN ",
    per_usd: 4.0,
};
static JPY: Currency = Currency {
    prefix: "¥",
    per_usd: 150.0,
};
static BRL: Currency = Currency {
    prefix: "R$",
    per_usd: 5.0,
};
static CAD: Currency = Currency {
    prefix: "CA$",
    per_usd: 1.36,
};
static AUD: Currency = Currency {
    prefix: "A$",
    per_usd: 1.52,
};
static NZD: Currency = Currency {
    prefix: "NZ$",
    per_usd: 1.65,
};

#[derive(Debug)]
pub struct Country {
    pub code: &'static str,
    pub styles: &'static [NameStyle],
    /// Top-level domains, repeated to weight the common ones.
    pub tlds: &'static [&'static str],
    pub currency: &'static Currency,
    pub cities: &'static [&'static str],
}

use NameStyle as N;

macro_rules! country {
    ($code:literal, [$($style:ident),+], [$($tld:literal),+], $cur:ident, [$($city:literal),+ $(,)?]) => {
        Country {
            code: $code,
            styles: &[$(N::$style),+],
            tlds: &[$($tld),+],
            currency: &$cur,
            cities: &[$($city),+],
        }
    };
}

pub static COUNTRIES: &[Country] = &[
    country!(
        "US",
        [English],
        ["com", "com", "com", "io", "co", "ai"],
        USD,
        [
            "San Francisco",
            "New York",
            "Austin",
            "Boston",
            "Seattle",
            "Los Angeles",
            "Chicago",
            "Denver",
            "Miami",
            "Atlanta",
            "Palo Alto",
            "Brooklyn",
            "Salt Lake City",
            "Raleigh",
        ]
    ),
    country!(
        "CA",
        [English, English, French],
        ["ca", "com", "io"],
        CAD,
        [
            "Toronto",
            "Vancouver",
            "Montreal",
            "Waterloo",
            "Ottawa",
            "Calgary",
        ]
    ),
    country!(
        "MX",
        [Spanish],
        ["mx", "com.mx", "com"],
        USD,
        [
            "Mexico City",
            "Guadalajara",
            "Monterrey",
            "Querétaro",
            "Puebla",
        ]
    ),
    country!(
        "GB",
        [English],
        ["co.uk", "co.uk", "com", "io"],
        GBP,
        [
            "London",
            "Manchester",
            "Edinburgh",
            "Cambridge",
            "Bristol",
            "Oxford",
            "Leeds",
            "Birmingham",
            "Glasgow",
        ]
    ),
    country!(
        "IE",
        [English],
        ["ie", "com", "io"],
        EUR,
        ["Dublin", "Cork", "Galway", "Limerick"]
    ),
    country!(
        "FR",
        [French],
        ["fr", "fr", "com", "io"],
        EUR,
        [
            "Paris",
            "Lyon",
            "Marseille",
            "Toulouse",
            "Bordeaux",
            "Nantes",
            "Lille",
            "Montpellier",
            "Grenoble",
            "Rennes",
            "Nice",
            "Strasbourg",
        ]
    ),
    country!(
        "DE",
        [German],
        ["de", "de", "com", "io"],
        EUR,
        [
            "Berlin",
            "Munich",
            "Hamburg",
            "Frankfurt",
            "Cologne",
            "Stuttgart",
            "Düsseldorf",
            "Leipzig",
            "Karlsruhe",
            "Dresden",
        ]
    ),
    country!(
        "AT",
        [German],
        ["at", "com", "io"],
        EUR,
        ["Vienna", "Graz", "Linz", "Salzburg", "Innsbruck"]
    ),
    country!(
        "CH",
        [German, German, French],
        ["ch", "com", "io"],
        CHF,
        ["Zurich", "Geneva", "Lausanne", "Basel", "Bern", "Zug",]
    ),
    country!(
        "ES",
        [Spanish],
        ["es", "com", "io"],
        EUR,
        [
            "Madrid",
            "Barcelona",
            "Valencia",
            "Seville",
            "Málaga",
            "Bilbao",
        ]
    ),
    country!(
        "PT",
        [Portuguese],
        ["pt", "com", "io"],
        EUR,
        ["Lisbon", "Porto", "Braga", "Coimbra"]
    ),
    country!(
        "IT",
        [Italian],
        ["it", "com", "io"],
        EUR,
        ["Milan", "Rome", "Turin", "Bologna", "Florence", "Naples",]
    ),
    country!(
        "NL",
        [Dutch],
        ["nl", "com", "io"],
        EUR,
        [
            "Amsterdam",
            "Rotterdam",
            "Utrecht",
            "Eindhoven",
            "The Hague",
            "Delft",
        ]
    ),
    country!(
        "BE",
        [Dutch, French],
        ["be", "com", "io"],
        EUR,
        ["Brussels", "Antwerp", "Ghent", "Leuven", "Liège",]
    ),
    country!(
        "LU",
        [French, German],
        ["lu", "com"],
        EUR,
        ["Luxembourg", "Esch-sur-Alzette"]
    ),
    country!(
        "SE",
        [Nordic],
        ["se", "com", "io"],
        SEK,
        ["Stockholm", "Gothenburg", "Malmö", "Uppsala", "Lund"]
    ),
    country!(
        "NO",
        [Nordic],
        ["no", "com", "io"],
        NOK,
        ["Oslo", "Bergen", "Trondheim", "Stavanger"]
    ),
    country!(
        "DK",
        [Nordic],
        ["dk", "com", "io"],
        DKK,
        ["Copenhagen", "Aarhus", "Odense", "Aalborg"]
    ),
    country!(
        "FI",
        [Finnish],
        ["fi", "com", "io"],
        EUR,
        ["Helsinki", "Espoo", "Tampere", "Oulu", "Turku"]
    ),
    country!("IS", [Nordic], ["is", "com"], USD, ["Reykjavík"]),
    country!(
        "PL",
        [Polish],
        ["pl", "com", "io"],
        PLN,
        ["Warsaw", "Kraków", "Wrocław", "Gdańsk", "Poznań"]
    ),
    country!(
        "IL",
        [Hebrew],
        ["co.il", "com", "io"],
        USD,
        [
            "Tel Aviv",
            "Jerusalem",
            "Haifa",
            "Herzliya",
            "Ramat Gan",
            "Be'er Sheva",
        ]
    ),
    country!(
        "AE",
        [Arabic, Arabic, Indian, English],
        ["ae", "com", "io"],
        USD,
        ["Dubai", "Abu Dhabi", "Sharjah"]
    ),
    country!(
        "SA",
        [Arabic],
        ["sa", "com"],
        USD,
        ["Riyadh", "Jeddah", "Dammam"]
    ),
    country!(
        "EG",
        [Arabic],
        ["com.eg", "com", "io"],
        USD,
        ["Cairo", "Alexandria", "Giza"]
    ),
    country!(
        "MA",
        [Arabic, French],
        ["ma", "com"],
        USD,
        ["Casablanca", "Rabat", "Marrakesh"]
    ),
    country!(
        "BR",
        [Portuguese],
        ["com.br", "com.br", "com", "io"],
        BRL,
        [
            "São Paulo",
            "Rio de Janeiro",
            "Belo Horizonte",
            "Florianópolis",
            "Curitiba",
            "Porto Alegre",
            "Recife",
        ]
    ),
    country!(
        "AR",
        [Spanish],
        ["com.ar", "com", "io"],
        USD,
        ["Buenos Aires", "Córdoba", "Rosario", "Mendoza"]
    ),
    country!(
        "CO",
        [Spanish],
        ["com.co", "co", "com"],
        USD,
        ["Bogotá", "Medellín", "Cali", "Barranquilla"]
    ),
    country!(
        "CL",
        [Spanish],
        ["cl", "com"],
        USD,
        ["Santiago", "Valparaíso", "Concepción"]
    ),
    country!("PE", [Spanish], ["pe", "com"], USD, ["Lima", "Arequipa"]),
    country!(
        "JP",
        [Japanese],
        ["jp", "co.jp", "com", "io"],
        JPY,
        [
            "Tokyo", "Osaka", "Kyoto", "Fukuoka", "Yokohama", "Nagoya", "Sapporo",
        ]
    ),
    country!(
        "KR",
        [Korean],
        ["kr", "co.kr", "com", "io"],
        USD,
        ["Seoul", "Busan", "Seongnam", "Incheon"]
    ),
    country!(
        "CN",
        [Chinese],
        ["cn", "com.cn", "com"],
        USD,
        [
            "Beijing",
            "Shanghai",
            "Shenzhen",
            "Hangzhou",
            "Guangzhou",
            "Chengdu",
        ]
    ),
    country!(
        "HK",
        [Chinese, English],
        ["hk", "com.hk", "com"],
        USD,
        ["Hong Kong"]
    ),
    country!(
        "TW",
        [Chinese],
        ["tw", "com.tw", "com"],
        USD,
        ["Taipei", "Hsinchu", "Taichung"]
    ),
    country!(
        "IN",
        [Indian],
        ["in", "co.in", "com", "io", "ai"],
        USD,
        [
            "Bengaluru",
            "Mumbai",
            "New Delhi",
            "Gurugram",
            "Hyderabad",
            "Pune",
            "Chennai",
            "Noida",
        ]
    ),
    country!(
        "SG",
        [Chinese, English, Indian, Malay],
        ["sg", "com.sg", "com", "io"],
        USD,
        ["Singapore"]
    ),
    country!(
        "ID",
        [Indonesian],
        ["co.id", "id", "com"],
        USD,
        ["Jakarta", "Bandung", "Surabaya", "Yogyakarta"]
    ),
    country!(
        "MY",
        [Malay, Chinese],
        ["my", "com.my", "com"],
        USD,
        ["Kuala Lumpur", "Penang", "Johor Bahru", "Cyberjaya",]
    ),
    country!(
        "TH",
        [Thai],
        ["co.th", "com"],
        USD,
        ["Bangkok", "Chiang Mai", "Phuket"]
    ),
    country!(
        "VN",
        [Vietnamese],
        ["vn", "com.vn", "com"],
        USD,
        ["Ho Chi Minh City", "Hanoi", "Da Nang"]
    ),
    country!(
        "PH",
        [Filipino],
        ["ph", "com.ph", "com"],
        USD,
        ["Manila", "Makati", "Cebu City", "Taguig"]
    ),
    country!(
        "AU",
        [English],
        ["com.au", "com.au", "io", "com"],
        AUD,
        [
            "Sydney",
            "Melbourne",
            "Brisbane",
            "Perth",
            "Adelaide",
            "Canberra",
        ]
    ),
    country!(
        "NZ",
        [English],
        ["co.nz", "com", "io"],
        NZD,
        ["Auckland", "Wellington", "Christchurch"]
    ),
];

/// For a country code outside the table: people from everywhere, a `.com`, dollars, no city.
pub static ELSEWHERE: Country = Country {
    code: "",
    styles: NameStyle::GLOBAL_MIX,
    tlds: &["com"],
    currency: &USD,
    cities: &[],
};

/// The regions of docs/planner.md ("Places"). Countries outside the table above are left out.
pub static REGIONS: &[(&str, &[&str])] = &[
    (
        "EU",
        &[
            "AT", "BE", "DE", "DK", "ES", "FI", "FR", "IE", "IT", "LU", "NL", "PL", "PT", "SE",
        ],
    ),
    (
        "EUROPE",
        &[
            "AT", "BE", "CH", "DE", "DK", "ES", "FI", "FR", "GB", "IE", "IS", "IT", "LU", "NL",
            "NO", "PL", "PT", "SE",
        ],
    ),
    ("DACH", &["DE", "AT", "CH"]),
    ("NORDICS", &["SE", "NO", "DK", "FI", "IS"]),
    ("BENELUX", &["BE", "NL", "LU"]),
    ("NA", &["US", "CA"]),
    ("LATAM", &["MX", "BR", "AR", "CO", "CL", "PE"]),
    (
        "APAC",
        &[
            "JP", "KR", "CN", "HK", "TW", "IN", "SG", "AU", "NZ", "ID", "MY", "TH", "VN", "PH",
        ],
    ),
    ("SEA", &["SG", "ID", "MY", "TH", "VN", "PH"]),
    ("MENA", &["IL", "AE", "SA", "EG", "MA"]),
];

/// With no location in the ICP: roughly where startups are, repeated to weight.
pub static GLOBAL_MIX: &[&str] = &[
    "US", "US", "US", "US", "US", "US", "US", "US", "GB", "GB", "GB", "DE", "DE", "FR", "FR", "CA",
    "CA", "IN", "IN", "NL", "SE", "IL", "SG", "AU", "BR", "ES", "JP", "IE", "CH", "DK", "FI",
];

/// USPS code → cities, the main startup hubs first.
pub static US_STATES: &[(&str, &[&str])] = &[
    ("AL", &["Birmingham", "Huntsville", "Montgomery"]),
    ("AK", &["Anchorage", "Juneau"]),
    ("AZ", &["Phoenix", "Scottsdale", "Tempe", "Tucson"]),
    ("AR", &["Little Rock", "Bentonville", "Fayetteville"]),
    (
        "CA",
        &[
            "San Francisco",
            "Los Angeles",
            "San Diego",
            "San Jose",
            "Palo Alto",
            "Oakland",
            "Mountain View",
            "Santa Monica",
            "Irvine",
            "Sacramento",
            "Menlo Park",
        ],
    ),
    ("CO", &["Denver", "Boulder", "Colorado Springs"]),
    ("CT", &["Stamford", "New Haven", "Hartford"]),
    ("DE", &["Wilmington", "Dover"]),
    ("DC", &["Washington"]),
    (
        "FL",
        &[
            "Miami",
            "Tampa",
            "Orlando",
            "Jacksonville",
            "Fort Lauderdale",
        ],
    ),
    ("GA", &["Atlanta", "Alpharetta", "Savannah"]),
    ("HI", &["Honolulu"]),
    ("ID", &["Boise", "Idaho Falls"]),
    ("IL", &["Chicago", "Evanston", "Naperville"]),
    ("IN", &["Indianapolis", "Carmel", "Fort Wayne"]),
    ("IA", &["Des Moines", "Iowa City"]),
    ("KS", &["Kansas City", "Wichita", "Overland Park"]),
    ("KY", &["Louisville", "Lexington"]),
    ("LA", &["New Orleans", "Baton Rouge"]),
    ("ME", &["Portland", "Bangor"]),
    ("MD", &["Baltimore", "Bethesda", "Columbia"]),
    ("MA", &["Boston", "Cambridge", "Somerville", "Waltham"]),
    ("MI", &["Detroit", "Ann Arbor", "Grand Rapids"]),
    ("MN", &["Minneapolis", "St. Paul", "Rochester"]),
    ("MS", &["Jackson", "Oxford"]),
    ("MO", &["St. Louis", "Kansas City"]),
    ("MT", &["Bozeman", "Missoula"]),
    ("NE", &["Omaha", "Lincoln"]),
    ("NV", &["Las Vegas", "Reno"]),
    ("NH", &["Manchester", "Portsmouth"]),
    ("NJ", &["Jersey City", "Newark", "Princeton", "Hoboken"]),
    ("NM", &["Albuquerque", "Santa Fe"]),
    ("NY", &["New York", "Brooklyn", "Buffalo", "Rochester"]),
    ("NC", &["Raleigh", "Durham", "Charlotte", "Chapel Hill"]),
    ("ND", &["Fargo", "Bismarck"]),
    ("OH", &["Columbus", "Cleveland", "Cincinnati"]),
    ("OK", &["Oklahoma City", "Tulsa"]),
    ("OR", &["Portland", "Beaverton", "Bend"]),
    ("PA", &["Philadelphia", "Pittsburgh"]),
    ("RI", &["Providence"]),
    ("SC", &["Charleston", "Greenville", "Columbia"]),
    ("SD", &["Sioux Falls"]),
    ("TN", &["Nashville", "Chattanooga", "Memphis"]),
    (
        "TX",
        &["Austin", "Dallas", "Houston", "San Antonio", "Plano"],
    ),
    ("UT", &["Salt Lake City", "Lehi", "Provo"]),
    ("VT", &["Burlington"]),
    ("VA", &["Arlington", "Reston", "Richmond"]),
    ("WA", &["Seattle", "Bellevue", "Redmond"]),
    ("WV", &["Charleston", "Morgantown"]),
    ("WI", &["Milwaukee", "Madison"]),
    ("WY", &["Cheyenne", "Jackson"]),
];

pub fn country(code: &str) -> Option<&'static Country> {
    COUNTRIES.iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

pub fn region(code: &str) -> Option<&'static [&'static str]> {
    REGIONS
        .iter()
        .find(|(r, _)| r.eq_ignore_ascii_case(code))
        .map(|(_, cs)| *cs)
}

pub fn us_state(code: &str) -> Option<&'static [&'static str]> {
    US_STATES
        .iter()
        .find(|(s, _)| s.eq_ignore_ascii_case(code))
        .map(|(_, cities)| *cities)
}

/// The country a named city is in, when the tables know it (case-insensitive, accents kept).
pub fn country_of_city(city: &str) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|c| {
            c.cities
                .iter()
                .any(|known| known.eq_ignore_ascii_case(city))
        })
        .or_else(|| {
            let in_us = US_STATES
                .iter()
                .any(|(_, cities)| cities.iter().any(|k| k.eq_ignore_ascii_case(city)));
            in_us.then(|| country("US")).flatten()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_region_country_and_mix_entry_is_in_the_table() {
        let listed = REGIONS
            .iter()
            .flat_map(|(_, cs)| cs.iter())
            .chain(GLOBAL_MIX);
        for code in listed {
            assert!(country(code).is_some(), "{code} has no country entry");
        }
    }

    #[test]
    fn tables_have_no_empty_lists_and_all_fifty_states_plus_dc() {
        for c in COUNTRIES {
            assert!(
                !c.cities.is_empty() && !c.tlds.is_empty() && !c.styles.is_empty(),
                "{}",
                c.code
            );
        }
        assert_eq!(US_STATES.len(), 51);
        assert!(US_STATES.iter().all(|(_, cities)| !cities.is_empty()));
    }

    #[test]
    fn cities_resolve_to_their_country() {
        assert_eq!(country_of_city("Lyon").map(|c| c.code), Some("FR"));
        assert_eq!(country_of_city("boulder").map(|c| c.code), Some("US"));
        assert!(country_of_city("Atlantis").is_none());
    }
}
