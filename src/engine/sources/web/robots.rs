//! robots.txt: the group for our agent (else `*`), longest matching Allow/Disallow wins.

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    /// (allow, path prefix)
    rules: Vec<(bool, String)>,
}

/// A robots.txt group: its user agents and (allow, prefix) rules.
type Group = (Vec<String>, Vec<(bool, String)>);

impl Robots {
    pub fn allow_all() -> Self {
        Self::default()
    }

    pub fn parse(text: &str, agent: &str) -> Self {
        let agent = agent.to_lowercase();
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let (k, v) = (k.trim().to_lowercase(), v.trim().to_string());
            match k.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new()));
                    }
                    in_agents = true;
                    if let Some(g) = groups.last_mut() {
                        g.0.push(v.to_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut()
                        && !(k == "disallow" && v.is_empty())
                    {
                        g.1.push((k == "allow", v));
                    }
                }
                _ => {}
            }
        }
        let ours = groups
            .iter()
            .find(|(agents, _)| {
                agents
                    .iter()
                    .any(|a| a != "*" && agent.contains(a.as_str()))
            })
            .or_else(|| {
                groups
                    .iter()
                    .find(|(agents, _)| agents.iter().any(|a| a == "*"))
            });
        Self {
            rules: ours.map(|g| g.1.clone()).unwrap_or_default(),
        }
    }

    pub fn allowed(&self, path: &str) -> bool {
        self.rules
            .iter()
            .filter(|(_, prefix)| path.starts_with(prefix.trim_end_matches('*')))
            .max_by_key(|(allow, prefix)| (prefix.len(), *allow))
            .is_none_or(|(allow, _)| *allow)
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
}
