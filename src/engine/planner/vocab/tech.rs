//! Technologies: canonical product names and the spellings people use (assets/planner/
//! technologies.tsv). `weak` names are also ordinary English words ("Segment", "Rust", "Unity"),
//! so they only count after a cue such as "using", "on" or "built with" (or in a list that
//! follows one).

use std::sync::LazyLock;

use super::data::{asset, list, rows};

pub struct Tech {
    pub name: &'static str,
    pub aliases: Vec<&'static str>,
    pub weak: bool,
}

pub static TECHNOLOGIES: LazyLock<Vec<Tech>> = LazyLock::new(|| {
    let (file, text) = asset!("technologies.tsv");
    rows(file, text, 3)
        .into_iter()
        .map(|r| {
            assert!(
                matches!(r[1], "weak" | "-"),
                "{file}: {}: the second field is `weak` or `-`",
                r[0]
            );
            Tech {
                name: r[0],
                weak: r[1] == "weak",
                aliases: list(r[2]),
            }
        })
        .collect()
});
