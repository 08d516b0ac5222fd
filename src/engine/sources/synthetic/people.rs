//! The person behind a role: how a canonical role is written on a team page, and the email
//! patterns companies use.

/// C-level acronyms and how people actually write them.
static C_LEVEL: &[(&str, &[&str])] = &[
    (
        "CEO",
        &["CEO", "Chief Executive Officer", "Co-founder & CEO"],
    ),
    (
        "CTO",
        &["CTO", "Chief Technology Officer", "Co-founder & CTO"],
    ),
    ("CFO", &["CFO", "Chief Financial Officer"]),
    ("COO", &["COO", "Chief Operating Officer"]),
    ("CMO", &["CMO", "Chief Marketing Officer"]),
    ("CRO", &["CRO", "Chief Revenue Officer"]),
    ("CIO", &["CIO", "Chief Information Officer"]),
    ("CISO", &["CISO", "Chief Information Security Officer"]),
    ("CPO", &["CPO", "Chief Product Officer"]),
    ("CDO", &["CDO", "Chief Data Officer"]),
    (
        "Founder",
        &["Founder", "Co-founder", "Co-founder & CEO", "Founder & CEO"],
    ),
];

/// Canonical prefix → ways of writing "<prefix> <Function>"; `{}` is the function.
static FUNCTION_TITLES: &[(&str, &[&str])] = &[
    (
        "VP ",
        &[
            "VP {}",
            "VP of {}",
            "Vice President, {}",
            "Vice President of {}",
        ],
    ),
    (
        "Head of ",
        &["Head of {}", "Head of {}", "Global Head of {}"],
    ),
    (
        "Director of ",
        &[
            "Director of {}",
            "{} Director",
            "Director, {}",
            "Senior Director of {}",
        ],
    ),
];

/// The ways `role` may appear as a title; a role outside the known shapes is used as written.
pub fn title_variants(role: &str) -> TitleVariants<'_> {
    if let Some((_, variants)) = C_LEVEL.iter().find(|(r, _)| *r == role) {
        return TitleVariants {
            templates: variants,
            function: "",
        };
    }
    for (prefix, templates) in FUNCTION_TITLES {
        if let Some(function) = role.strip_prefix(prefix).filter(|f| !f.trim().is_empty()) {
            return TitleVariants {
                templates,
                function,
            };
        }
    }
    TitleVariants {
        templates: &["{}"],
        function: role,
    }
}

pub struct TitleVariants<'a> {
    templates: &'static [&'static str],
    function: &'a str,
}

impl TitleVariants<'_> {
    pub fn len(&self) -> usize {
        self.templates.len()
    }

    pub fn render(&self, i: usize) -> String {
        self.templates[i % self.templates.len()].replace("{}", self.function)
    }
}

/// How a company spells addresses, how often, and how sure a pattern guess is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailPattern {
    FirstDotLast,
    InitialDotLast,
    First,
}

/// (pattern, weight out of 100, certainty); the weights leave room for "no address found".
pub static EMAIL_PATTERNS: &[(EmailPattern, u32, f64)] = &[
    (EmailPattern::FirstDotLast, 50, 0.95),
    (EmailPattern::InitialDotLast, 25, 0.85),
    (EmailPattern::First, 13, 0.70),
];

impl EmailPattern {
    /// `first` and `last` are already folded to ASCII.
    pub fn address(self, first: &str, last: &str, domain: &str) -> String {
        let mut out = String::with_capacity(first.len() + last.len() + domain.len() + 2);
        match self {
            EmailPattern::FirstDotLast => {
                out.push_str(first);
                out.push('.');
                out.push_str(last);
            }
            EmailPattern::InitialDotLast => {
                out.push_str(first.get(..1).unwrap_or(first));
                out.push('.');
                out.push_str(last);
            }
            EmailPattern::First => out.push_str(first),
        }
        out.push('@');
        out.push_str(domain);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(role: &str) -> Vec<String> {
        let v = title_variants(role);
        (0..v.len()).map(|i| v.render(i)).collect()
    }

    #[test]
    fn roles_render_as_natural_titles() {
        assert!(all("VP Engineering").contains(&"Vice President, Engineering".to_string()));
        assert!(all("VP Engineering").contains(&"VP of Engineering".to_string()));
        assert!(all("CTO").contains(&"Chief Technology Officer".to_string()));
        assert!(all("Founder").contains(&"Co-founder & CEO".to_string()));
        assert!(all("Director of IT").contains(&"IT Director".to_string()));
        assert_eq!(all("Engineering Manager"), ["Engineering Manager"]);
        assert_eq!(all("VP "), ["VP "]);
    }

    #[test]
    fn addresses_follow_their_pattern() {
        assert_eq!(
            EmailPattern::FirstDotLast.address("helene", "lefevre", "x.fr"),
            "helene.lefevre@x.fr"
        );
        assert_eq!(
            EmailPattern::InitialDotLast.address("helene", "lefevre", "x.fr"),
            "h.lefevre@x.fr"
        );
        assert_eq!(
            EmailPattern::First.address("helene", "lefevre", "x.fr"),
            "helene@x.fr"
        );
    }
}
