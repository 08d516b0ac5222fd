//! Making untrusted text safe to draw and to export.
//!
//! The one sanitiser for every string shown in a terminal (TUI and CLI text output); exports and
//! the API keep raw values. Hand-written rather than `vte`/`strip-ansi-escapes`: those parse bytes
//! for colours and do not promise to drop 8-bit C1 introducers given as characters (U+009B CSI,
//! U+009D OSC, …) with their whole payload, nor the bidi and zero-width format characters that
//! can reorder or hide what a line says. The state machine below follows ECMA-48 as xterm does.

/// Removes terminal escape sequences, control and invisible format characters. Newlines and tabs
/// become spaces.
pub fn sanitize_inline(s: &str) -> String {
    sanitize(s, false)
}

/// Like [`sanitize_inline`] but keeps `\n` (for multi-line text such as chat messages).
pub fn sanitize_multiline(s: &str) -> String {
    sanitize(s, true)
}

/// Bidi embeddings, overrides and isolates, marks, zero-width space and BOM: drawn as nothing
/// but able to reorder or hide what a line says (the "trojan source" characters).
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{061C}'
    )
}

/// Where the scanner is inside a (possible) escape sequence.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    Text,
    /// After ESC.
    Escape,
    /// After ESC and intermediate bytes (`ESC ( B`).
    EscapeIntermediate,
    /// Inside CSI parameters and intermediates, waiting for the final byte.
    Csi,
    /// Inside an OSC/DCS/SOS/PM/APC string, waiting for BEL or ST.
    Str,
    /// After ESC inside a string: `\` ends it (ST), anything else starts a new escape.
    StrEscape,
}

const ESC: char = '\u{1b}';
/// CAN and SUB abort any sequence in progress.
fn aborts(c: char) -> bool {
    c == '\u{18}' || c == '\u{1a}'
}

fn sanitize(s: &str, keep_newlines: bool) -> String {
    // Fast path: most strings are clean.
    if !s.chars().any(|c| c.is_control() || is_invisible_format(c)) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut scan = Scan::Text;
    for c in s.chars() {
        scan = step(scan, c, keep_newlines, &mut out);
    }
    out
}

/// One character through the state machine; printable text in `Text` goes to `out`.
fn step(scan: Scan, c: char, keep_newlines: bool, out: &mut String) -> Scan {
    match scan {
        Scan::Text => text(c, keep_newlines, out),
        Scan::Escape => match c {
            '[' => Scan::Csi,
            ']' | 'P' | 'X' | '^' | '_' => Scan::Str,
            ESC => Scan::Escape,
            ' '..='/' => Scan::EscapeIntermediate,
            '0'..='~' => Scan::Text,
            // Not a sequence: the ESC alone is dropped, the character is text again.
            _ => text(c, keep_newlines, out),
        },
        Scan::EscapeIntermediate => match c {
            ' '..='/' => Scan::EscapeIntermediate,
            '0'..='~' => Scan::Text,
            _ => text(c, keep_newlines, out),
        },
        Scan::Csi => match c {
            '0'..='?' | ' '..='/' => Scan::Csi,
            '@'..='~' => Scan::Text,
            ESC => Scan::Escape,
            c if aborts(c) => Scan::Text,
            // Other controls inside CSI are executed by a terminal, not shown: drop them.
            c if c.is_control() => Scan::Csi,
            _ => text(c, keep_newlines, out),
        },
        Scan::Str => match c {
            '\u{7}' | '\u{9c}' => Scan::Text,
            ESC => Scan::StrEscape,
            c if aborts(c) => Scan::Text,
            _ => Scan::Str,
        },
        Scan::StrEscape => match c {
            '\\' => Scan::Text,
            _ => step(Scan::Escape, c, keep_newlines, out),
        },
    }
}

fn text(c: char, keep_newlines: bool, out: &mut String) -> Scan {
    match c {
        ESC => return Scan::Escape,
        // 8-bit C1 introducers: CSI, then OSC, DCS, SOS, PM, APC.
        '\u{9b}' => return Scan::Csi,
        '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => return Scan::Str,
        '\n' if keep_newlines => out.push('\n'),
        '\n' | '\t' => out.push(' '),
        c if c.is_control() || is_invisible_format(c) => {}
        c => out.push(c),
    }
    Scan::Text
}

/// Neutralises a CSV cell against formula injection: a cell that a spreadsheet would evaluate
/// (starting with `= + - @`, or a tab / carriage return that hides one) is prefixed with `'`.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Shows the first characters of a secret's prefix and its last four: `sk_live_…c0ff`.
pub fn mask_secret(secret: &str) -> String {
    let prefix_end = secret.rfind('_').map(|i| i + 1).unwrap_or(0).min(8);
    let tail: String = {
        let chars: Vec<char> = secret.chars().collect();
        // Short secrets would be mostly revealed by their last four: show none of them.
        if chars.len() < 12 || chars.len() <= prefix_end + 4 {
            String::new()
        } else {
            chars[chars.len() - 4..].iter().collect()
        }
    };
    format!("{}…{}", &secret[..prefix_end], tail)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn strips_csi_osc_and_bare_controls() {
        assert_eq!(sanitize_inline("a\u{1b}[31mred\u{1b}[0m b"), "ared b");
        assert_eq!(sanitize_inline("x\u{1b}]52;c;ZXZpbA==\u{7}y"), "xy");
        assert_eq!(
            sanitize_inline("x\u{1b}]8;;http://e\u{1b}\\link\u{1b}]8;;\u{1b}\\"),
            "xlink"
        );
        assert_eq!(sanitize_inline("bell\u{7}\u{8}\u{0}!"), "bell!");
        assert_eq!(sanitize_inline("tab\tnl\ncr\r"), "tab nl cr");
        assert_eq!(sanitize_inline("c1\u{9b}2Jz"), "c1z");
        assert_eq!(sanitize_multiline("a\nb\u{1b}c"), "a\nb");
        assert_eq!(sanitize_inline("Zoë — Café ✓"), "Zoë — Café ✓");
    }

    #[test]
    fn whole_sequences_go_not_just_their_escape_byte() {
        // 8-bit C1 forms: OSC 52 ended by 8-bit ST, and by BEL; CSI; DCS; APC.
        assert_eq!(sanitize_inline("a\u{9d}52;c;ZXZpbA==\u{9c}b"), "ab");
        assert_eq!(sanitize_inline("a\u{9d}8;;http://e\u{7}link"), "alink");
        assert_eq!(sanitize_inline("a\u{9b}2J\u{9b}Hb"), "ab");
        assert_eq!(sanitize_inline("a\u{90}q#0;2;0;0;0\u{9c}b"), "ab");
        assert_eq!(sanitize_inline("a\u{1b}_payload\u{1b}\\b"), "ab");
        assert_eq!(sanitize_inline("a\u{1b}Pq#0\u{1b}\\b"), "ab");
        assert_eq!(sanitize_inline("a\u{1b}[2J\u{1b}[Hb"), "ab");
        // Two-byte and intermediate escapes; CAN aborts a string.
        assert_eq!(sanitize_inline("a\u{1b}cb\u{1b}7c\u{1b}(Bd"), "abcd");
        assert_eq!(sanitize_inline("a\u{1b}]0;t\u{18}b"), "ab");
        // An unterminated string swallows the rest, as a terminal would.
        assert_eq!(sanitize_inline("a\u{1b}]52;c;ZXZp"), "a");
    }

    #[test]
    fn bidi_and_zero_width_format_characters_are_dropped() {
        let evil = "a\u{202E}b\u{202A}\u{202B}\u{202C}\u{202D}\u{2066}\u{2067}\u{2068}\u{2069}c\u{200B}\u{200E}\u{200F}\u{FEFF}\u{061C}d";
        assert_eq!(sanitize_inline(evil), "abcd");
        assert_eq!(sanitize_multiline(evil), "abcd");
        // Other format characters that shape scripts (ZWJ in emoji) stay.
        assert_eq!(sanitize_inline("👩\u{200D}💻"), "👩\u{200D}💻");
    }

    /// Anything a terminal would act on, or draw as nothing.
    fn unsafe_char(c: char, keep_newlines: bool) -> bool {
        (c.is_control() && !(keep_newlines && c == '\n')) || is_invisible_format(c)
    }

    /// One piece of generated input: printable text, or a sequence a terminal would act on.
    fn piece() -> impl Strategy<Value = (String, bool)> {
        let text = "[a-zA-Z0-9 .,;:/=é✓—]{0,6}".prop_map(|t| (t, true));
        let payload = "[a-zA-Z0-9 ;:/=.]{0,12}";
        let params = "[0-9;?]{0,6}";
        let seq = prop_oneof![
            (params, "[@-~]").prop_map(|(p, f)| format!("\u{1b}[{p}{f}")),
            (params, "[@-~]").prop_map(|(p, f)| format!("\u{9b}{p}{f}")),
            (
                prop::sample::select(vec![']', 'P', 'X', '^', '_']),
                payload,
                prop::sample::select(vec!["\u{7}", "\u{1b}\\", "\u{9c}"])
            )
                .prop_map(|(k, p, end)| format!("\u{1b}{k}{p}{end}")),
            (
                prop::sample::select(vec!['\u{9d}', '\u{90}', '\u{98}', '\u{9e}', '\u{9f}']),
                payload
            )
                .prop_map(|(k, p)| format!("{k}{p}\u{9c}")),
            // Finals that do not open a longer sequence (`[ ] P X ^ _` do).
            "[0-9A-OQ-WYZa-z=<>`{|}~]".prop_map(|f| format!("\u{1b}{f}")),
            "[ -/][0-~]".prop_map(|f| format!("\u{1b}{f}")),
            prop::sample::select(vec![
                '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200B}', '\u{200E}', '\u{200F}',
                '\u{FEFF}', '\u{061C}', '\u{0}', '\u{7}', '\u{8}', '\u{7f}', '\u{85}', '\r'
            ])
            .prop_map(String::from),
        ];
        prop_oneof![text, seq.prop_map(|s| (s, false))]
    }

    proptest! {
        #[test]
        fn output_is_safe_and_keeps_the_text_around_sequences(pieces in prop::collection::vec(piece(), 0..12)) {
            let input: String = pieces.iter().map(|(p, _)| p.as_str()).collect();
            let kept: String = pieces.iter().filter(|(_, text)| *text).map(|(p, _)| p.as_str()).collect();
            let out = sanitize_inline(&input);
            prop_assert!(!out.chars().any(|c| unsafe_char(c, false)), "{out:?}");
            prop_assert_eq!(&out, &kept);
            prop_assert_eq!(sanitize_multiline(&input), kept);
        }

        #[test]
        fn arbitrary_strings_come_out_safe(input in any::<String>(), raw in prop::collection::vec(0u32..0x3000, 0..40)) {
            let odd: String = raw.into_iter().filter_map(char::from_u32).collect();
            for s in [input, odd] {
                prop_assert!(!sanitize_inline(&s).chars().any(|c| unsafe_char(c, false)));
                prop_assert!(!sanitize_multiline(&s).chars().any(|c| unsafe_char(c, true)));
            }
        }
    }

    #[test]
    fn csv_cells_that_a_spreadsheet_would_evaluate_are_neutralised() {
        for bad in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert!(csv_safe(bad).starts_with('\''), "{bad}");
        }
        assert_eq!(csv_safe("Acme"), "Acme");
        assert_eq!(csv_safe(""), "");
    }

    #[test]
    fn secrets_are_masked_to_prefix_and_last_four() {
        assert_eq!(
            mask_secret("sk_live_5b9bfa7ab3fc10b981f5c0ff"),
            "sk_live_…c0ff"
        );
        assert_eq!(mask_secret("short"), "…");
    }
}
