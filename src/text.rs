//! Making untrusted text safe to draw and to export.
//!
//! Hand-written because the job is small and exact: drop every C0/C1 control character and whole
//! escape sequences (CSI, OSC, DCS, …), which crates that merely strip ANSI colours do not promise.

/// Removes terminal escape sequences and control characters. Newlines and tabs become spaces.
pub fn sanitize_inline(s: &str) -> String {
    sanitize(s, false)
}

/// Like [`sanitize_inline`] but keeps `\n` (for multi-line text such as chat messages).
pub fn sanitize_multiline(s: &str) -> String {
    sanitize(s, true)
}

fn sanitize(s: &str, keep_newlines: bool) -> String {
    // Fast path: most strings are clean.
    if !s.chars().any(|c| c.is_control() || c == '\u{9b}') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\t' => out.push(' '),
            '\r' => {}
            '\u{1b}' => match chars.peek() {
                // CSI: ESC [ params… final byte in @..~
                Some('[') => {
                    chars.next();
                    for n in chars.by_ref() {
                        if ('@'..='~').contains(&n) {
                            break;
                        }
                    }
                }
                // OSC, DCS, SOS, PM, APC: strings ended by BEL or ST (ESC \)
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    while let Some(n) = chars.next() {
                        if n == '\u{7}' {
                            break;
                        }
                        if n == '\u{1b}' {
                            if chars.peek() == Some(&'\\') {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                // Two-character escapes (ESC c, ESC 7, …)
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            // 8-bit CSI
            '\u{9b}' => {
                for n in chars.by_ref() {
                    if ('@'..='~').contains(&n) {
                        break;
                    }
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
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
