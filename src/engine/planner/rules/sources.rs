//! Sources to skip: "skip Crunchbase", "exclude LinkedIn and PitchBook", "no Apollo".

use super::lexicons::SOURCES;
use super::text::Token;

const CUES: &[&str] = &[
    "skip",
    "skipping",
    "exclude",
    "excluding",
    "without",
    "no",
    "not",
    "avoid",
    "except",
    "minus",
    "ignore",
    "omit",
    "drop",
    "remove",
    "ban",
    "never",
];
const FILLER: &[&str] = &[
    "and", "or", "&", ",", "/", "nor", "the", "use", "using", "from", "data", "via", "any",
];

pub fn extract(tokens: &[Token], claimed: &mut [bool]) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_cue = CUES.contains(&tokens[i].norm.as_str())
            || (tokens[i].norm == "don't" || tokens[i].norm == "dont" || tokens[i].norm == "leave");
        if !is_cue || claimed[i] {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut any = false;
        while j < tokens.len() {
            if let Some(hit) = SOURCES.match_at(tokens, j, claimed) {
                if !out.contains(&hit.value) {
                    out.push(hit.value);
                }
                claimed[j..j + hit.len].iter_mut().for_each(|c| *c = true);
                j += hit.len;
                any = true;
            } else if FILLER.contains(&tokens[j].norm.as_str()) || tokens[j].norm == "out" {
                j += 1;
            } else {
                break;
            }
        }
        if any {
            claimed[i] = true;
        }
        i = j.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::text::tokenize;
    use super::*;

    fn skipped(s: &str) -> Vec<&'static str> {
        let t = tokenize(s);
        extract(&t, &mut vec![false; t.len()])
    }

    #[test]
    fn cues_then_lists_of_sources() {
        assert_eq!(skipped("skip Crunchbase"), ["crunchbase"]);
        assert_eq!(
            skipped("exclude Crunchbase and PitchBook"),
            ["crunchbase", "pitchbook"]
        );
        assert_eq!(skipped("no Apollo, no ZoomInfo"), ["apollo", "zoominfo"]);
        assert_eq!(skipped("don't use LinkedIn"), ["linkedin"]);
        assert!(skipped("using LinkedIn").is_empty());
    }
}
