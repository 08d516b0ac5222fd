//! robots.txt, as RFC 9309 and Google's crawler read it (groups for our product token, `*`
//! otherwise; `*` and `$` in paths; the longest match wins, Allow on a tie) — by
//! `texting_robots`, which is tested against real sites' files; this wrapper only picks the
//! token and the fallback.

/// The rules that apply to us on one host.
pub struct Robots {
    robot: Option<texting_robots::Robot>,
    /// The file could not be reached (a 5xx or no answer): RFC 9309 says assume nothing is
    /// allowed.
    closed: bool,
}

impl std::fmt::Debug for Robots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Robots")
            .field("rules", &self.robot.is_some())
            .finish()
    }
}

impl Robots {
    pub fn allow_all() -> Self {
        Self {
            robot: None,
            closed: false,
        }
    }

    pub fn disallow_all() -> Self {
        Self {
            robot: None,
            closed: true,
        }
    }

    /// `agent` is our whole User-Agent header; groups are matched on its product token
    /// (`leadline` of `leadline/0.1 (+https://…)`). A file that cannot be parsed at all
    /// restricts nothing, as the RFC asks.
    pub fn parse(text: &str, agent: &str) -> Self {
        let token = agent
            .split(['/', ' '])
            .next()
            .filter(|t| !t.is_empty())
            .unwrap_or("leadline");
        Self {
            robot: texting_robots::Robot::new(token, text.as_bytes()).ok(),
            closed: false,
        }
    }

    /// Whether `path` (starting with `/`, query included) may be fetched.
    pub fn allowed(&self, path: &str) -> bool {
        !self.closed && self.robot.as_ref().is_none_or(|r| r.allowed(path))
    }
}

#[cfg(test)]
mod tests {
    use super::Robots;

    #[test]
    fn our_group_wins_and_the_longest_rule_decides() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /\n\nUser-agent: leadline\nDisallow: /team\nAllow: /team/public\n",
            "leadline/0.1 (+https://example.com)",
        );
        assert!(r.allowed("/"));
        assert!(!r.allowed("/team"));
        assert!(r.allowed("/team/public/x"));
        let star = Robots::parse("User-agent: *\nDisallow: /careers\n", "leadline");
        assert!(!star.allowed("/careers"));
        assert!(star.allowed("/about"));
        assert!(Robots::parse("User-agent: *\nDisallow:\n", "leadline").allowed("/x"));
    }

    #[test]
    fn wildcards_and_end_anchors_follow_the_rfc() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /*.pdf$\nDisallow: /people*/private\nAllow: /careers$\nDisallow: /careers\n",
            "leadline/0.1",
        );
        assert!(!r.allowed("/files/deck.pdf"));
        assert!(r.allowed("/files/deck.pdf?download=1"));
        assert!(!r.allowed("/people-and-teams/private"));
        assert!(r.allowed("/careers"));
        assert!(!r.allowed("/careers/engineering"));
    }

    #[test]
    fn groups_naming_us_twice_are_merged() {
        let r = Robots::parse(
            "User-agent: leadline\nDisallow: /a\n\nUser-agent: other\nDisallow: /\n\nUser-agent: leadline\nDisallow: /b\n",
            "leadline/0.1",
        );
        assert!(!r.allowed("/a") && !r.allowed("/b"));
        assert!(r.allowed("/c"));
    }
}
