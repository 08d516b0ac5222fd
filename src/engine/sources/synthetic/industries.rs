//! What companies in each industry of docs/planner.md ("Industries") are called, do, run on and
//! hire for.

#[derive(Debug, Clone)]
pub struct Industry {
    pub slug: &'static str,
    /// Appended to a coined stem: " Robotics" is a separate word, "Pay" is fused ("KalrixPay").
    pub suffixes: &'static [&'static str],
    pub offerings: &'static [&'static str],
    pub audiences: &'static [&'static str],
    pub technologies: &'static [&'static str],
    pub hiring: &'static [&'static str],
}

macro_rules! industry {
    ($slug:literal, $suffixes:expr, $offerings:expr, $audiences:expr, $tech:expr, $hiring:expr $(,)?) => {
        Industry {
            slug: $slug,
            suffixes: &$suffixes,
            offerings: &$offerings,
            audiences: &$audiences,
            technologies: &$tech,
            hiring: &$hiring,
        }
    };
}

pub static INDUSTRIES: &[Industry] = &[
    industry!(
        "accounting",
        [" Ledger", " Books", "Tax", " Accounting", "Close"],
        [
            "automated bookkeeping",
            "month-end close software",
            "AI-assisted tax preparation"
        ],
        ["accounting firms", "small businesses", "finance teams"],
        ["Python", "PostgreSQL", "QuickBooks API"],
        ["Accountant", "Senior Software Engineer"]
    ),
    industry!(
        "adtech",
        [" Ads", " Media", "Bid", " Reach", "Signal"],
        [
            "a programmatic advertising platform",
            "privacy-safe ad measurement",
            "a retail media network"
        ],
        ["advertisers", "publishers", "agencies"],
        ["Go", "Kafka", "ClickHouse"],
        ["Data Engineer", "Account Executive"]
    ),
    industry!(
        "agtech",
        [" Agro", " Farms", "Crop", " Harvest", " Fields"],
        [
            "precision-farming software",
            "crop monitoring from satellite imagery",
            "farm management tools"
        ],
        ["growers", "agricultural cooperatives", "food producers"],
        ["Python", "TensorFlow", "AWS IoT"],
        ["Agronomist", "Data Scientist"]
    ),
    industry!(
        "ai",
        [" AI", " Labs", "Mind", " Intelligence", "ML"],
        [
            "AI agents for back-office work",
            "a generative AI writing assistant",
            "computer-vision APIs"
        ],
        ["enterprises", "customer support teams", "developers"],
        ["PyTorch", "Python", "OpenAI API"],
        ["ML Engineer", "Research Scientist"]
    ),
    industry!(
        "ai_infrastructure",
        [" Compute", " Inference", "Stack", " Vector", "Serve"],
        [
            "a GPU inference platform",
            "a vector database",
            "model training infrastructure"
        ],
        ["ML teams", "AI startups", "platform engineers"],
        ["Kubernetes", "Rust", "CUDA"],
        ["ML Engineer", "Infrastructure Engineer"]
    ),
    industry!(
        "automotive",
        [" Motors", " Mobility", "Drive", " Automotive", "Auto"],
        [
            "connected-car software",
            "EV fleet management",
            "dealer retail software"
        ],
        ["carmakers", "fleet operators", "dealerships"],
        ["C++", "AUTOSAR", "AWS"],
        ["Embedded Software Engineer", "Product Manager"]
    ),
    industry!(
        "biotech",
        [" Bio", " Therapeutics", "Gen", " Biosciences", "Cell"],
        [
            "an AI drug-discovery platform",
            "gene-editing therapeutics",
            "lab automation software"
        ],
        ["pharma partners", "research labs", "hospitals"],
        ["Python", "Benchling", "AWS"],
        ["Computational Biologist", "Research Scientist"]
    ),
    industry!(
        "climate",
        [" Climate", " Carbon", "Grid", " Earth", "Zero"],
        [
            "carbon accounting software",
            "carbon removal verification",
            "emissions tracking"
        ],
        ["manufacturers", "sustainability teams", "utilities"],
        ["Python", "PostgreSQL", "GCP"],
        ["Climate Scientist", "Full Stack Engineer"]
    ),
    industry!(
        "construction",
        [" Build", " Construct", "Site", " Structures", "Plan"],
        [
            "construction project management software",
            "site safety monitoring",
            "estimating tools"
        ],
        ["general contractors", "developers", "subcontractors"],
        ["React", "Node.js", "Autodesk Forge"],
        ["Customer Success Manager", "Software Engineer"]
    ),
    industry!(
        "consulting",
        [
            " Partners",
            " Advisory",
            " Consulting",
            " Group",
            " Associates"
        ],
        [
            "digital transformation consulting",
            "data strategy advisory",
            "cloud migration services"
        ],
        [
            "mid-market companies",
            "public-sector agencies",
            "enterprises"
        ],
        ["Salesforce", "Microsoft 365", "Snowflake"],
        ["Senior Consultant", "Engagement Manager"]
    ),
    industry!(
        "consumer",
        [" Home", " Living", "Go", " Co", "Joy"],
        [
            "a subscription app for everyday wellbeing",
            "a social shopping app",
            "smart home products"
        ],
        ["young families", "Gen Z consumers", "urban households"],
        ["React Native", "Firebase", "Segment"],
        ["Mobile Engineer", "Growth Marketer"]
    ),
    industry!(
        "crypto",
        [" Chain", " Protocol", "Coin", " Labs", "Vault"],
        [
            "self-custody wallet infrastructure",
            "on-chain compliance tooling",
            "a stablecoin payments network"
        ],
        ["exchanges", "fintechs", "DeFi protocols"],
        ["Rust", "Solidity", "Go"],
        ["Smart Contract Engineer", "Protocol Engineer"]
    ),
    industry!(
        "cybersecurity",
        [" Security", " Shield", "Guard", " Defense", "Sec"],
        [
            "cloud security posture management",
            "identity threat detection",
            "an email security gateway"
        ],
        ["security teams", "CISOs at mid-market companies", "MSSPs"],
        ["Go", "Kubernetes", "Elasticsearch"],
        ["Security Engineer", "Detection Engineer"]
    ),
    industry!(
        "data_analytics",
        [" Analytics", " Data", "Metrics", " Insights", "Query"],
        [
            "a semantic layer for analytics",
            "self-serve BI",
            "product analytics"
        ],
        ["data teams", "product managers", "analysts"],
        ["Snowflake", "dbt", "Python"],
        ["Analytics Engineer", "Data Engineer"]
    ),
    industry!(
        "devtools",
        [" Dev", " Code", "Ops", " CI", "Stack"],
        [
            "a CI/CD platform",
            "developer portals",
            "code review automation"
        ],
        [
            "engineering teams",
            "platform teams",
            "open-source maintainers"
        ],
        ["Go", "TypeScript", "Kubernetes"],
        ["Staff Engineer", "Developer Advocate"]
    ),
    industry!(
        "ecommerce",
        [" Commerce", " Shop", "Cart", " Store", "Checkout"],
        [
            "a headless commerce platform",
            "checkout optimisation",
            "returns management"
        ],
        ["DTC brands", "online retailers", "marketplaces"],
        ["Shopify", "React", "Node.js"],
        ["Frontend Engineer", "Account Executive"]
    ),
    industry!(
        "edtech",
        [" Learning", " Academy", "Learn", " Edu", "Class"],
        [
            "an adaptive learning platform",
            "online tutoring",
            "a course authoring tool"
        ],
        ["schools", "universities", "corporate L&D teams"],
        ["React", "Ruby on Rails", "PostgreSQL"],
        ["Instructional Designer", "Full Stack Engineer"]
    ),
    industry!(
        "energy",
        [" Energy", " Power", "Volt", " Solar", "Grid"],
        [
            "battery storage optimisation",
            "solar asset management",
            "energy trading software"
        ],
        [
            "utilities",
            "independent power producers",
            "commercial buildings"
        ],
        ["Python", "TimescaleDB", "AWS"],
        ["Energy Analyst", "Backend Engineer"]
    ),
    industry!(
        "fintech",
        ["Pay", " Ledger", " Capital", " Finance", "Card", " Money"],
        [
            "spend management software",
            "a payments API",
            "treasury automation",
            "embedded lending"
        ],
        [
            "finance teams at mid-sized companies",
            "online marketplaces",
            "SMBs"
        ],
        ["Kotlin", "PostgreSQL", "Stripe"],
        ["Backend Engineer", "Risk Analyst"]
    ),
    industry!(
        "food_beverage",
        [" Foods", " Kitchen", "Brew", " Provisions", "Fresh"],
        [
            "plant-based protein products",
            "a craft beverage brand",
            "restaurant supply ordering"
        ],
        [
            "grocery chains",
            "restaurants",
            "health-conscious consumers"
        ],
        ["Shopify", "NetSuite", "Klaviyo"],
        ["Food Scientist", "Supply Chain Manager"]
    ),
    industry!(
        "gaming",
        [" Games", " Studios", "Play", " Interactive", "Quest"],
        [
            "cross-platform multiplayer games",
            "live-ops tooling for game studios",
            "mobile puzzle games"
        ],
        ["players worldwide", "game studios", "esports teams"],
        ["Unity", "Unreal Engine", "C#"],
        ["Gameplay Engineer", "Game Designer"]
    ),
    industry!(
        "government",
        [" Civic", " Public", "Gov", " Commons", "Civ"],
        [
            "permitting software",
            "digital public services",
            "procurement tools"
        ],
        ["city governments", "state agencies", "public utilities"],
        ["Java", "Azure", "PostgreSQL"],
        ["Solutions Engineer", "Product Manager"]
    ),
    industry!(
        "hardware",
        [" Devices", " Hardware", "Tronics", " Systems", "Works"],
        [
            "industrial IoT sensors",
            "edge computing hardware",
            "smart lab devices"
        ],
        ["manufacturers", "facilities teams", "research labs"],
        ["C", "Altium", "Embedded Linux"],
        ["Hardware Engineer", "Firmware Engineer"]
    ),
    industry!(
        "healthcare",
        [" Health", " Care", "Med", " Clinic", "Vita"],
        [
            "virtual care for chronic conditions",
            "clinical documentation AI",
            "patient intake software"
        ],
        ["clinics", "hospital systems", "payers"],
        ["Python", "FHIR", "AWS"],
        ["Clinical Operations Manager", "Backend Engineer"]
    ),
    industry!(
        "hospitality",
        [" Hospitality", " Stays", "Host", " Hotels", "Guest"],
        [
            "hotel revenue management",
            "a guest messaging platform",
            "restaurant POS software"
        ],
        [
            "independent hotels",
            "restaurant groups",
            "short-term rental hosts"
        ],
        ["React", "Node.js", "Twilio"],
        [
            "Customer Success Manager",
            "Sales Development Representative"
        ]
    ),
    industry!(
        "hr_tech",
        [" People", " Talent", "Hire", " Workforce", "Team"],
        [
            "a global payroll platform",
            "skills-based hiring software",
            "employee engagement surveys"
        ],
        ["HR teams", "recruiters", "fast-growing startups"],
        ["TypeScript", "PostgreSQL", "Workday API"],
        ["Full Stack Engineer", "People Partner"]
    ),
    industry!(
        "insurance",
        [" Assurance", " Insurance", "Cover", " Mutual", "Risk"],
        [
            "commercial insurance brokerage",
            "claims management software",
            "parametric insurance"
        ],
        ["small businesses", "brokers", "carriers"],
        ["Java", "Guidewire", "Salesforce"],
        ["Underwriter", "Actuary"]
    ),
    industry!(
        "insurtech",
        [" Insure", "Cover", " Protect", "Claim", " Risk"],
        [
            "embedded insurance APIs",
            "AI claims triage",
            "usage-based car insurance"
        ],
        ["insurers", "e-commerce platforms", "drivers"],
        ["Python", "Kotlin", "GCP"],
        ["Data Scientist", "Backend Engineer"]
    ),
    industry!(
        "legaltech",
        [" Legal", " Law", "Lex", " Counsel", "Clause"],
        [
            "contract lifecycle management",
            "AI legal research",
            "e-discovery software"
        ],
        ["in-house legal teams", "law firms", "compliance teams"],
        ["Python", "Elasticsearch", "React"],
        ["Legal Engineer", "ML Engineer"]
    ),
    industry!(
        "logistics",
        [" Logistics", " Freight", "Ship", " Cargo", "Route"],
        [
            "freight visibility software",
            "warehouse robotics orchestration",
            "last-mile delivery routing"
        ],
        ["shippers", "3PLs", "retailers"],
        ["Java", "Kafka", "Google Maps API"],
        ["Operations Manager", "Backend Engineer"]
    ),
    industry!(
        "manufacturing",
        [" Industries", " Manufacturing", "Fab", " Works", "Forge"],
        [
            "a manufacturing execution system",
            "predictive maintenance",
            "quality inspection AI"
        ],
        ["factories", "contract manufacturers", "industrial OEMs"],
        ["SAP", "Python", "Azure IoT"],
        ["Manufacturing Engineer", "Solutions Engineer"]
    ),
    industry!(
        "martech",
        [" Marketing", " Growth", "Reach", " Engage", "Funnel"],
        [
            "a customer data platform",
            "lifecycle email automation",
            "attribution analytics"
        ],
        ["marketing teams", "growth teams at B2C apps", "agencies"],
        ["Segment", "HubSpot", "Snowflake"],
        ["Growth Engineer", "Product Marketing Manager"]
    ),
    industry!(
        "media",
        [" Media", " Press", "Cast", " Studio", "Story"],
        [
            "a podcast network",
            "newsletter publishing tools",
            "short-form video production"
        ],
        ["creators", "publishers", "brands"],
        ["WordPress", "React", "AWS"],
        ["Editor", "Video Producer"]
    ),
    industry!(
        "nonprofit",
        [
            " Foundation",
            " Alliance",
            " Collective",
            " Initiative",
            " Trust"
        ],
        [
            "open educational resources",
            "digital literacy programmes",
            "climate research grants"
        ],
        ["underserved communities", "schools", "researchers"],
        [
            "Salesforce Nonprofit Cloud",
            "WordPress",
            "Google Workspace"
        ],
        ["Program Manager", "Grant Writer"]
    ),
    industry!(
        "pharma",
        [" Pharma", " Pharmaceuticals", "Thera", " Labs", "Cure"],
        [
            "specialty generics",
            "clinical trial management software",
            "biologics manufacturing"
        ],
        ["hospitals", "CROs", "patients with rare diseases"],
        ["Veeva", "SAS", "Python"],
        ["Clinical Research Associate", "Regulatory Affairs Manager"]
    ),
    industry!(
        "proptech",
        [" Homes", " Property", "Nest", " Estates", "Lease"],
        [
            "property management software",
            "digital mortgages",
            "tenant experience apps"
        ],
        ["landlords", "property managers", "home buyers"],
        ["React", "Ruby on Rails", "AWS"],
        ["Full Stack Engineer", "Account Executive"]
    ),
    industry!(
        "real_estate",
        [
            " Realty",
            " Properties",
            " Real Estate",
            " Estates",
            " Land"
        ],
        [
            "commercial real estate brokerage",
            "build-to-rent housing",
            "flexible office space"
        ],
        ["investors", "tenants", "developers"],
        ["Salesforce", "Yardi", "Excel"],
        ["Real Estate Analyst", "Leasing Manager"]
    ),
    industry!(
        "retail",
        [" Retail", " Goods", "Mart", " Outfitters", "Shop"],
        [
            "a multi-brand retail chain",
            "in-store analytics",
            "retail inventory planning"
        ],
        ["shoppers", "retail chains", "brands"],
        ["SAP", "Shopify POS", "Snowflake"],
        ["Store Operations Manager", "Merchandise Planner"]
    ),
    industry!(
        "robotics",
        [" Robotics", " Dynamics", "Bot", " Automation", "Motion"],
        [
            "autonomous mobile robots",
            "robotic picking arms",
            "inspection drones"
        ],
        ["warehouses", "factories", "infrastructure operators"],
        ["ROS", "C++", "NVIDIA Jetson"],
        ["Robotics Engineer", "Controls Engineer"]
    ),
    industry!(
        "saas",
        [" Cloud", " Software", "ly", " HQ", "Flow"],
        [
            "workflow automation",
            "a customer feedback platform",
            "collaborative planning software"
        ],
        ["operations teams", "B2B companies", "project managers"],
        ["TypeScript", "PostgreSQL", "AWS"],
        ["Senior Software Engineer", "Account Executive"]
    ),
    industry!(
        "semiconductors",
        [" Semiconductor", " Silicon", "Chip", " Photonics", "Logic"],
        [
            "AI accelerator chips",
            "silicon photonics",
            "chip design automation"
        ],
        ["data centres", "device makers", "automotive OEMs"],
        ["Verilog", "Cadence", "Python"],
        ["ASIC Design Engineer", "Verification Engineer"]
    ),
    industry!(
        "telecom",
        [" Telecom", " Networks", "Link", " Wireless", "Wave"],
        [
            "private 5G networks",
            "telecom billing software",
            "network automation"
        ],
        ["carriers", "enterprises", "IoT operators"],
        ["Java", "Kubernetes", "Kafka"],
        ["Network Engineer", "Site Reliability Engineer"]
    ),
    industry!(
        "travel",
        [" Travel", " Trips", "Go", " Journeys", "Voyage"],
        [
            "corporate travel management",
            "a hotel booking API",
            "itinerary planning"
        ],
        ["business travellers", "travel agencies", "tour operators"],
        ["Java", "React", "GCP"],
        ["Backend Engineer", "Partnerships Manager"]
    ),
];

/// Used for slugs outside the vocabulary, which still get a company.
pub static GENERIC: Industry = Industry {
    slug: "",
    suffixes: &[" Labs", " Systems", " Technologies", "ly", " HQ"],
    offerings: &[
        "software for operations teams",
        "a B2B platform",
        "workflow automation",
    ],
    audiences: &["mid-sized companies", "enterprises", "SMBs"],
    technologies: &["TypeScript", "PostgreSQL", "AWS"],
    hiring: &["Software Engineer", "Account Executive"],
};

/// Tools almost any software company might run, for the "plus a couple of others".
pub static COMMON_TECHNOLOGIES: &[&str] = &[
    "AWS",
    "GCP",
    "Azure",
    "PostgreSQL",
    "Kubernetes",
    "Terraform",
    "Datadog",
    "React",
    "Python",
    "Go",
    "Node.js",
    "Snowflake",
    "dbt",
    "HubSpot",
    "Salesforce",
    "Segment",
    "Stripe",
    "GitHub",
    "Slack",
    "Notion",
];

/// Open roles almost any growing company has.
pub static COMMON_OPENINGS: &[&str] = &[
    "Senior Software Engineer",
    "Account Executive",
    "Product Manager",
    "Customer Success Manager",
    "Data Engineer",
    "Product Designer",
    "Sales Development Representative",
    "DevOps Engineer",
];

pub fn industry(slug: &str) -> Option<&'static Industry> {
    INDUSTRIES
        .iter()
        .find(|i| i.slug.eq_ignore_ascii_case(slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vocabulary of docs/planner.md ("Industries"), so a slug added there but not here is
    /// noticed.
    const PLANNER_SLUGS: &str = "accounting adtech agtech ai ai_infrastructure automotive biotech \
        climate construction consulting consumer crypto cybersecurity data_analytics devtools \
        ecommerce edtech energy fintech food_beverage gaming government hardware healthcare \
        hospitality hr_tech insurance insurtech legaltech logistics manufacturing martech media \
        nonprofit pharma proptech real_estate retail robotics saas semiconductors telecom travel";

    #[test]
    fn every_planner_industry_has_a_full_entry() {
        for slug in PLANNER_SLUGS.split_whitespace() {
            let i = industry(slug).unwrap_or_else(|| panic!("no entry for {slug}"));
            assert!(!i.suffixes.is_empty() && !i.offerings.is_empty() && !i.audiences.is_empty());
            assert!(!i.technologies.is_empty() && !i.hiring.is_empty());
        }
        assert_eq!(INDUSTRIES.len(), PLANNER_SLUGS.split_whitespace().count());
    }

    #[test]
    fn suffixes_either_start_a_word_or_fuse_with_a_capital() {
        // The uniqueness of company names relies on this: the stem ends where the suffix begins.
        for i in INDUSTRIES.iter().chain([&GENERIC]) {
            for s in i.suffixes {
                let first = s.chars().next().unwrap_or(' ');
                assert!(first == ' ' || first.is_uppercase() || *s == "ly", "{s:?}");
            }
        }
    }
}
