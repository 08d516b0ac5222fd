//! Reads the planner's data files under `assets/planner/`, embedded at build time: one entry a
//! line, fields separated by tabs, lists inside a field separated by " | ", `#` starts a comment
//! line. The text is `'static`, so every value is a slice of it and nothing is copied.

/// The entries of a data file: each line split into trimmed fields. A line with the wrong
/// number of fields is a bug in the shipped data (the unit tests parse every file), so it stops
/// the program with the file and line rather than dropping a word silently.
pub fn rows(file: &'static str, text: &'static str, fields: usize) -> Vec<Vec<&'static str>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(n, line)| {
            let row: Vec<&'static str> = line.split('\t').map(str::trim).collect();
            assert!(
                row.len() == fields && row.iter().all(|f| !f.is_empty()),
                "{file}:{}: expected {fields} non-empty tab-separated fields",
                n + 1
            );
            row
        })
        .collect()
}

/// A " | "-separated list field.
pub fn list(field: &'static str) -> Vec<&'static str> {
    field
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A one-word-a-line file.
pub fn words(file: &'static str, text: &'static str) -> Vec<&'static str> {
    rows(file, text, 1).into_iter().map(|r| r[0]).collect()
}

/// `key<TAB>value` pairs.
pub fn pairs(file: &'static str, text: &'static str) -> Vec<(&'static str, &'static str)> {
    rows(file, text, 2)
        .into_iter()
        .map(|r| (r[0], r[1]))
        .collect()
}

/// `key<TAB>alias | alias…` entries.
pub fn aliased(file: &'static str, text: &'static str) -> Vec<(&'static str, Vec<&'static str>)> {
    rows(file, text, 2)
        .into_iter()
        .map(|r| (r[0], list(r[1])))
        .collect()
}

/// `key<TAB>name<TAB>alias | alias…` entries.
pub fn named(
    file: &'static str,
    text: &'static str,
) -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    rows(file, text, 3)
        .into_iter()
        .map(|r| (r[0], r[1], list(r[2])))
        .collect()
}

/// Embeds `assets/planner/<name>` and names it in parse errors.
macro_rules! asset {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/planner/",
                $name
            )),
        )
    };
}
pub(crate) use asset;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_lists_and_comments() {
        let text = "# comment\nUS\t=US | u.s. |\n\nGB\tuk\n";
        assert_eq!(
            aliased("t", text),
            [("US", vec!["=US", "u.s."]), ("GB", vec!["uk"])]
        );
    }

    #[test]
    #[should_panic(expected = "t:1: expected 2")]
    fn a_malformed_line_names_its_file_and_line() {
        let _ = pairs("t", "only-one-field\n");
    }
}
