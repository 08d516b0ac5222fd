//! Word wrapping for the panes that must know how many lines a text takes (chat, toasts, the
//! lead detail view scroll to a line): ratatui's `Wrap` cannot say, so the text is wrapped here
//! with textwrap and drawn line by line.

use textwrap::{Options, WordSeparator, WordSplitter};

/// `text` in lines of at most `width` cells, broken at spaces and at its own newlines. A word
/// longer than a line (a URL) is split across lines rather than cut, so it shows whole; words are
/// never split at their hyphens (a domain or a title reads better whole on the next line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = Options::new(width.max(1))
        .word_separator(WordSeparator::AsciiSpace)
        .word_splitter(WordSplitter::NoHyphenation)
        .break_words(true);
    textwrap::wrap(text, options)
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::text::Span;

    #[test]
    fn lines_fit_keep_every_word_and_split_only_what_cannot_fit() {
        let url = "https://example.com/a/very/long/path/that/is/wider/than/the/pane?q=1";
        let lines = wrap(&format!("see {url} now"), 20);
        assert!(
            lines.iter().all(|l| Span::raw(l.as_str()).width() <= 20),
            "{lines:?}"
        );
        assert!(lines.concat().contains(url), "{lines:?}");
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("a b c", 3), ["a b", "c"]);
        assert_eq!(wrap("one\ntwo three", 20), ["one", "two three"]);
        assert_eq!(
            wrap("Head of Growth-Marketing", 14),
            ["Head of", "Growth-Marketi", "ng"]
        );
        // Double-width characters count as two cells.
        assert!(
            wrap("東京 大阪 名古屋", 5)
                .iter()
                .all(|l| Span::raw(l.as_str()).width() <= 5)
        );
    }
}
