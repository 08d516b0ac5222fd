//! Person-name pools by naming tradition, and the ASCII folding used for emails and slugs.

/// A naming tradition; countries list the ones their people are drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// For a company whose country is unknown or absent: an internationally mixed team.
    pub const GLOBAL_MIX: &'static [NameStyle] = &[
        NameStyle::English,
        NameStyle::English,
        NameStyle::Spanish,
        NameStyle::Indian,
        NameStyle::Chinese,
        NameStyle::French,
        NameStyle::German,
        NameStyle::Portuguese,
    ];

    pub fn pool(self) -> &'static NamePool {
        match self {
            NameStyle::English => &ENGLISH,
            NameStyle::French => &FRENCH,
            NameStyle::German => &GERMAN,
            NameStyle::Spanish => &SPANISH,
            NameStyle::Portuguese => &PORTUGUESE,
            NameStyle::Italian => &ITALIAN,
            NameStyle::Dutch => &DUTCH,
            NameStyle::Nordic => &NORDIC,
            NameStyle::Finnish => &FINNISH,
            NameStyle::Polish => &POLISH,
            NameStyle::Japanese => &JAPANESE,
            NameStyle::Korean => &KOREAN,
            NameStyle::Chinese => &CHINESE,
            NameStyle::Indian => &INDIAN,
            NameStyle::Hebrew => &HEBREW,
            NameStyle::Arabic => &ARABIC,
            NameStyle::Indonesian => &INDONESIAN,
            NameStyle::Malay => &MALAY,
            NameStyle::Thai => &THAI,
            NameStyle::Vietnamese => &VIETNAMESE,
            NameStyle::Filipino => &FILIPINO,
        }
    }
}

static ENGLISH: NamePool = NamePool {
    first: &[
        "James",
        "Olivia",
        "Liam",
        "Emma",
        "Noah",
        "Ava",
        "Ethan",
        "Sophia",
        "Mason",
        "Isabella",
        "Lucas",
        "Mia",
        "Benjamin",
        "Charlotte",
        "Henry",
        "Amelia",
        "Daniel",
        "Harper",
        "Michael",
        "Grace",
        "Ryan",
        "Chloe",
        "Jack",
        "Emily",
    ],
    last: &[
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis",
        "Walker", "Hall", "Young", "Allen", "Wright", "Scott", "Green", "Baker", "Carter",
        "Mitchell", "Turner", "Parker",
    ],
};

static FRENCH: NamePool = NamePool {
    first: &[
        "Camille",
        "Léa",
        "Chloé",
        "Manon",
        "Inès",
        "Juliette",
        "Hélène",
        "Élodie",
        "Mathilde",
        "Claire",
        "Louis",
        "Hugo",
        "Théo",
        "Mathieu",
        "Nicolas",
        "Julien",
        "Antoine",
        "Étienne",
        "Guillaume",
        "Benoît",
        "François",
        "Jérôme",
        "Sébastien",
        "Aurélien",
    ],
    last: &[
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Leroy",
        "Moreau",
        "Simon",
        "Laurent",
        "Lefèvre",
        "Michel",
        "Fournier",
        "Girard",
        "Bonnet",
        "Dupont",
        "Lambert",
        "Fontaine",
        "Rousseau",
        "Vincent",
        "Mercier",
        "Boucher",
        "Chevalier",
        "Faure",
        "Gauthier",
        "Masson",
        "Lemaire",
        "Béranger",
    ],
};

static GERMAN: NamePool = NamePool {
    first: &[
        "Lukas",
        "Jonas",
        "Leon",
        "Felix",
        "Maximilian",
        "Paul",
        "Tobias",
        "Florian",
        "Sebastian",
        "Jan",
        "Matthias",
        "Stefan",
        "Anna",
        "Lena",
        "Laura",
        "Julia",
        "Sophie",
        "Katharina",
        "Hannah",
        "Marie",
        "Johanna",
        "Jana",
        "Sarah",
        "Jörg",
    ],
    last: &[
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schulz",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Bauer",
        "Richter",
        "Klein",
        "Wolf",
        "Schröder",
        "Neumann",
        "Schwarz",
        "Zimmermann",
        "Braun",
        "Krüger",
        "Hartmann",
        "Lange",
        "Werner",
        "Krause",
        "Köhler",
        "Weiß",
    ],
};

static SPANISH: NamePool = NamePool {
    first: &[
        "Alejandro",
        "Pablo",
        "Javier",
        "Diego",
        "Sergio",
        "Carlos",
        "Andrés",
        "Miguel",
        "Álvaro",
        "Mateo",
        "Lucía",
        "María",
        "Carmen",
        "Sofía",
        "Paula",
        "Elena",
        "Marta",
        "Valentina",
        "Isabel",
        "Ximena",
        "Gabriela",
        "Jimena",
    ],
    last: &[
        "García",
        "Rodríguez",
        "González",
        "Fernández",
        "López",
        "Martínez",
        "Sánchez",
        "Pérez",
        "Gómez",
        "Jiménez",
        "Ruiz",
        "Hernández",
        "Díaz",
        "Moreno",
        "Muñoz",
        "Álvarez",
        "Romero",
        "Torres",
        "Ramírez",
        "Flores",
        "Castillo",
        "Vargas",
        "Ortega",
        "Navarro",
    ],
};

static PORTUGUESE: NamePool = NamePool {
    first: &[
        "João", "Pedro", "Gabriel", "Lucas", "Rafael", "Thiago", "Bruno", "Felipe", "Gustavo",
        "Tiago", "Ana", "Beatriz", "Mariana", "Juliana", "Camila", "Larissa", "Fernanda", "Inês",
        "Carolina", "Letícia",
    ],
    last: &[
        "Silva",
        "Santos",
        "Oliveira",
        "Souza",
        "Pereira",
        "Costa",
        "Rodrigues",
        "Almeida",
        "Nascimento",
        "Lima",
        "Araújo",
        "Ferreira",
        "Carvalho",
        "Gomes",
        "Martins",
        "Rocha",
        "Ribeiro",
        "Barbosa",
        "Cardoso",
        "Teixeira",
        "Gonçalves",
    ],
};

static ITALIAN: NamePool = NamePool {
    first: &[
        "Marco",
        "Luca",
        "Alessandro",
        "Giuseppe",
        "Matteo",
        "Francesco",
        "Lorenzo",
        "Davide",
        "Andrea",
        "Stefano",
        "Giulia",
        "Francesca",
        "Chiara",
        "Sara",
        "Martina",
        "Valentina",
        "Elisa",
        "Federica",
        "Niccolò",
    ],
    last: &[
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
        "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini", "Rizzo",
        "Lombardi", "Moretti",
    ],
};

static DUTCH: NamePool = NamePool {
    first: &[
        "Daan", "Sem", "Thijs", "Bram", "Jeroen", "Pieter", "Sander", "Joost", "Maarten", "Ruben",
        "Sanne", "Lotte", "Fleur", "Anouk", "Eva", "Femke", "Iris", "Lieke", "Marloes", "Noor",
    ],
    last: &[
        "de Jong",
        "Jansen",
        "de Vries",
        "van den Berg",
        "van Dijk",
        "Bakker",
        "Janssens",
        "Visser",
        "Smit",
        "Meijer",
        "de Boer",
        "Mulder",
        "de Groot",
        "Bos",
        "Vos",
        "Peeters",
        "Hendriks",
        "van Leeuwen",
        "Dekker",
        "Brouwer",
        "Maes",
        "Willems",
    ],
};

static NORDIC: NamePool = NamePool {
    first: &[
        "Erik", "Lars", "Anders", "Johan", "Magnus", "Henrik", "Oskar", "Nils", "Mikael", "Søren",
        "Bjørn", "Astrid", "Ingrid", "Freja", "Elin", "Maja", "Sofie", "Karin", "Sigrid", "Linnea",
        "Ebba", "Ida",
    ],
    last: &[
        "Andersson",
        "Johansson",
        "Karlsson",
        "Nilsson",
        "Eriksson",
        "Larsson",
        "Olsen",
        "Hansen",
        "Nielsen",
        "Jensen",
        "Pedersen",
        "Berg",
        "Lindqvist",
        "Dahl",
        "Holm",
        "Lund",
        "Sørensen",
        "Haugen",
        "Bakke",
        "Åberg",
        "Strand",
        "Lindgren",
    ],
};

static FINNISH: NamePool = NamePool {
    first: &[
        "Mikko", "Juha", "Antti", "Ville", "Jussi", "Heikki", "Tuomas", "Laura", "Aino", "Elina",
        "Sanna", "Katja", "Riikka", "Eero",
    ],
    last: &[
        "Virtanen",
        "Korhonen",
        "Nieminen",
        "Mäkinen",
        "Hämäläinen",
        "Laine",
        "Heikkinen",
        "Koskinen",
        "Järvinen",
        "Lehtonen",
        "Salonen",
        "Lahtinen",
    ],
};

static POLISH: NamePool = NamePool {
    first: &[
        "Jakub",
        "Kacper",
        "Piotr",
        "Tomasz",
        "Michał",
        "Paweł",
        "Krzysztof",
        "Łukasz",
        "Marcin",
        "Anna",
        "Katarzyna",
        "Magdalena",
        "Agnieszka",
        "Zofia",
        "Joanna",
        "Małgorzata",
    ],
    last: &[
        "Nowak",
        "Kowalski",
        "Wiśniewski",
        "Wójcik",
        "Kowalczyk",
        "Kamiński",
        "Lewandowski",
        "Zieliński",
        "Szymański",
        "Woźniak",
        "Dąbrowski",
        "Kozłowski",
        "Mazur",
        "Krawczyk",
    ],
};

static JAPANESE: NamePool = NamePool {
    first: &[
        "Haruto", "Yuto", "Sota", "Ren", "Takumi", "Kenji", "Hiroshi", "Daiki", "Shota", "Yui",
        "Hina", "Sakura", "Aoi", "Yuna", "Mei", "Haruka", "Misaki", "Akiko",
    ],
    last: &[
        "Sato",
        "Suzuki",
        "Takahashi",
        "Tanaka",
        "Watanabe",
        "Ito",
        "Yamamoto",
        "Nakamura",
        "Kobayashi",
        "Kato",
        "Yoshida",
        "Yamada",
        "Sasaki",
        "Matsumoto",
        "Inoue",
        "Kimura",
        "Hayashi",
        "Shimizu",
    ],
};

static KOREAN: NamePool = NamePool {
    first: &[
        "Min-jun", "Seo-yeon", "Ji-ho", "Ha-eun", "Do-yun", "Ji-woo", "Seo-jun", "Su-bin",
        "Jae-won", "Hye-jin", "Hyun-woo", "Eun-ji",
    ],
    last: &[
        "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh",
        "Shin", "Seo",
    ],
};

static CHINESE: NamePool = NamePool {
    first: &[
        "Wei", "Jun", "Hao", "Lei", "Yang", "Jie", "Ming", "Tao", "Xin", "Mei", "Yan", "Ling",
        "Xiaoyu", "Jing", "Hui", "Fang", "Yuxuan", "Zihan",
    ],
    last: &[
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
        "Ma", "Zhu", "Hu", "Guo", "Lin", "He",
    ],
};

static INDIAN: NamePool = NamePool {
    first: &[
        "Arjun",
        "Rohan",
        "Aditya",
        "Vikram",
        "Rahul",
        "Karthik",
        "Siddharth",
        "Aniket",
        "Nikhil",
        "Priya",
        "Ananya",
        "Kavya",
        "Neha",
        "Divya",
        "Sneha",
        "Meera",
        "Pooja",
        "Ishita",
    ],
    last: &[
        "Sharma",
        "Patel",
        "Gupta",
        "Iyer",
        "Reddy",
        "Nair",
        "Mehta",
        "Singh",
        "Kumar",
        "Rao",
        "Joshi",
        "Agarwal",
        "Desai",
        "Menon",
        "Chatterjee",
        "Bhat",
        "Kapoor",
        "Verma",
    ],
};

static HEBREW: NamePool = NamePool {
    first: &[
        "Noa", "Yael", "Tamar", "Avi", "Yosef", "Eitan", "Omer", "Itai", "Shira", "Maya", "Ariel",
        "Noam", "Michal", "Ronit", "Gal", "Amit", "Yonatan", "Dafna", "Lior", "Nadav",
    ],
    last: &[
        "Cohen",
        "Levi",
        "Mizrahi",
        "Peretz",
        "Biton",
        "Friedman",
        "Shapiro",
        "Katz",
        "Avraham",
        "Ben-David",
        "Golan",
        "Barak",
        "Ashkenazi",
        "Segal",
        "Halevi",
        "Dahan",
        "Oren",
        "Carmeli",
        "Stern",
        "Rosen",
    ],
};

static ARABIC: NamePool = NamePool {
    first: &[
        "Omar", "Ahmed", "Khalid", "Yousef", "Faisal", "Hassan", "Karim", "Tariq", "Ali", "Sami",
        "Layla", "Fatima", "Noura", "Mariam", "Huda", "Rania", "Salma", "Aisha",
    ],
    last: &[
        "Al-Mansouri",
        "Haddad",
        "Khalil",
        "Nasser",
        "Hamdan",
        "Saleh",
        "El-Sayed",
        "Farouk",
        "Aziz",
        "Rahman",
        "Al-Hashimi",
        "Mahmoud",
        "Qasim",
        "Darwish",
        "Bakr",
        "Othman",
    ],
};

static INDONESIAN: NamePool = NamePool {
    first: &[
        "Budi", "Agus", "Rizky", "Dimas", "Andi", "Fajar", "Putri", "Dewi", "Sari", "Ayu", "Intan",
        "Ratna",
    ],
    last: &[
        "Santoso", "Wijaya", "Pratama", "Saputra", "Hidayat", "Kusuma", "Nugroho", "Setiawan",
        "Halim", "Gunawan", "Susanto", "Wibowo",
    ],
};

static MALAY: NamePool = NamePool {
    first: &[
        "Ahmad", "Hafiz", "Amir", "Faizal", "Aiman", "Nurul", "Siti", "Aisyah", "Farah", "Amira",
        "Zulaikha", "Irfan",
    ],
    last: &[
        "Rahman", "Ismail", "Hassan", "Yusof", "Ibrahim", "Abdullah", "Osman", "Hamid", "Razak",
        "Hashim",
    ],
};

static THAI: NamePool = NamePool {
    first: &[
        "Somchai",
        "Anan",
        "Niran",
        "Kittisak",
        "Thanawat",
        "Preecha",
        "Siriporn",
        "Malee",
        "Nattaya",
        "Ploy",
        "Kanya",
        "Pimchanok",
    ],
    last: &[
        "Srisuk",
        "Chaiyaporn",
        "Wongsawat",
        "Saetang",
        "Rattanakorn",
        "Boonmee",
        "Thongchai",
        "Phrommin",
        "Sukjai",
        "Kittikhun",
    ],
};

static VIETNAMESE: NamePool = NamePool {
    first: &[
        "Minh", "Anh", "Duc", "Huy", "Khanh", "Tuan", "Quang", "Linh", "Trang", "Huong", "Thao",
        "Mai", "Ngoc", "Phuong",
    ],
    last: &[
        "Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Vo", "Dang", "Bui", "Do", "Ngo",
        "Duong",
    ],
};

static FILIPINO: NamePool = NamePool {
    first: &[
        "Juan", "Jose", "Mark", "Paolo", "Miguel", "Carlo", "Rafael", "Maria", "Angelica",
        "Kristine", "Patricia", "Camille", "Bea", "Andrea",
    ],
    last: &[
        "Santos",
        "Reyes",
        "Cruz",
        "Bautista",
        "Ocampo",
        "Garcia",
        "Mendoza",
        "Torres",
        "Del Rosario",
        "Villanueva",
        "Ramos",
        "Aquino",
        "Castro",
        "Navarro",
    ],
};

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
