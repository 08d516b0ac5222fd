//! Role vocabulary: C-level titles, the functions that follow "VP", "Head of" and "Director of",
//! and the nouns that make a phrase a job title.

/// C-level acronyms of docs/planner.md ("Roles") and their long forms (lower case, as typed).
pub const C_LEVEL: &[(&str, &[&str])] = &[
    ("CEO", &["chief executive officer", "chief executive"]),
    (
        "CTO",
        &[
            "chief technology officer",
            "chief technical officer",
            "chief technologist",
        ],
    ),
    ("CFO", &["chief financial officer", "chief finance officer"]),
    (
        "COO",
        &["chief operating officer", "chief operations officer"],
    ),
    ("CMO", &["chief marketing officer"]),
    ("CRO", &["chief revenue officer"]),
    ("CIO", &["chief information officer"]),
    (
        "CISO",
        &[
            "chief information security officer",
            "chief security officer",
            "ciso",
        ],
    ),
    ("CPO", &["chief product officer"]),
    ("CDO", &["chief data officer", "chief digital officer"]),
];

/// Other executive acronyms people use; kept as typed, upper case.
pub const OTHER_ACRONYMS: &[&str] = &["CHRO", "CCO", "CSO", "CAO", "CLO", "CBO", "CAIO", "CXO"];

/// Functions (canonical, lower-case aliases). Longest alias wins.
pub const FUNCTIONS: &[(&str, &[&str])] = &[
    (
        "Engineering",
        &[
            "engineering",
            "eng",
            "engg",
            "r&d engineering",
            "software engineering",
            "engineer",
        ],
    ),
    ("Sales", &["sales", "selling"]),
    ("Marketing", &["marketing", "mktg"]),
    ("Product", &["product", "product management"]),
    ("Growth", &["growth"]),
    ("Data", &["data"]),
    ("Finance", &["finance", "financial"]),
    ("Operations", &["operations", "ops", "operation"]),
    (
        "People",
        &[
            "people",
            "hr",
            "human resources",
            "people ops",
            "people operations",
        ],
    ),
    (
        "Customer Success",
        &["customer success", "cs", "customer experience", "cx"],
    ),
    ("Security", &["security", "infosec", "information security"]),
    ("IT", &["it", "information technology"]),
    ("Design", &["design", "ux", "product design"]),
    (
        "Revenue Operations",
        &["revenue operations", "revops", "rev ops", "revenue ops"],
    ),
    (
        "Partnerships",
        &["partnerships", "partnership", "partners", "alliances"],
    ),
    (
        "Business Development",
        &["business development", "bd", "bizdev", "biz dev"],
    ),
    (
        "Machine Learning",
        &["machine learning", "ml", "ai/ml", "ml/ai"],
    ),
    ("Platform", &["platform", "platform engineering"]),
    ("Infrastructure", &["infrastructure", "infra"]),
    ("Legal", &["legal"]),
    ("Procurement", &["procurement", "purchasing", "sourcing"]),
];

/// Head nouns that make a phrase a job title ("plant manager", "account executive"). Lower case,
/// singular.
pub const TITLE_NOUNS: &[&str] = &[
    "engineer",
    "manager",
    "director",
    "executive",
    "scientist",
    "analyst",
    "designer",
    "developer",
    "officer",
    "partner",
    "counsel",
    "recruiter",
    "representative",
    "rep",
    "specialist",
    "architect",
    "consultant",
    "administrator",
    "admin",
    "owner",
    "president",
    "associate",
    "coordinator",
    "buyer",
    "strategist",
    "marketer",
    "researcher",
    "accountant",
    "controller",
    "principal",
    "chair",
    "chairman",
    "chairwoman",
    "chairperson",
    "advisor",
    "adviser",
    "attorney",
    "lawyer",
    "paralegal",
    "nurse",
    "physician",
    "doctor",
    "pharmacist",
    "teacher",
    "professor",
    "dean",
    "superintendent",
    "treasurer",
    "secretary",
    "editor",
    "writer",
    "technician",
    "salesperson",
    "programmer",
    "investor",
    "evangelist",
    "advocate",
    "lead",
    "leader",
    "head",
    "vp",
    "founder",
    "steward",
];

/// Nouns whose plural is not "+s" (or is the same word).
pub const IRREGULAR_PLURALS: &[(&str, &str)] = &[
    ("salespeople", "salesperson"),
    ("chairmen", "chairman"),
    ("chairwomen", "chairwoman"),
    ("attorneys", "attorney"),
    ("secretaries", "secretary"),
    ("heads", "head"),
    ("vps", "vp"),
];

/// Words with a fixed spelling inside titles ("ML Engineer", "iOS Developer", "DevOps Lead").
pub const TITLE_WORDS: &[&str] = &[
    "ML", "AI", "IT", "QA", "UX", "UI", "SRE", "GPU", "HR", "BD", "CS", "SEO", "SEM", "PPC", "CRM",
    "ERP", "GTM", "API", "AWS", "GCP", "SDR", "BDR", "AE", "SMB", "R&D", "iOS", "PR", "NLP", "LLM",
    "DEI", "EMEA", "APAC", "VP", "SVP", "EVP", "AVP", "CX", "SaaS", "FP&A", "ESG", "EHS", "GIS",
    "CAD", "RF", "MLOps", "DevOps", "FinOps", "SecOps", "IoT", "B2B", "B2C", "QE", "DevRel",
    "RevOps", "GenAI", "US", "EU", "UK", "and", "of", "the", "for",
];
