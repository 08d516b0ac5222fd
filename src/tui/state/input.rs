//! A one-line text input for filters, the palette and dialogs (the chat uses ratatui-textarea).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    /// Receiving keys.
    pub active: bool,
    /// The caret as a char index; `None` is the end (so text appended by a paste keeps it there).
    pub cursor: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputOutcome {
    Changed,
    Submit,
    Cancel,
    /// The key means nothing to the input (arrows, function keys): let the caller use it.
    Ignored,
}

/// The longest one-line input we accept; longer pastes are cut.
const MAX_CHARS: usize = 500;

impl LineInput {
    pub fn with_text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            active: true,
            cursor: None,
        }
    }

    /// The caret's char index, within the text.
    pub fn caret(&self) -> usize {
        let n = self.text.chars().count();
        self.cursor.map_or(n, |c| c.min(n))
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_idx)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// The text with a thin bar at the caret, for drawing.
    pub fn display(&self) -> String {
        let b = self.byte_at(self.caret());
        format!("{}▏{}", &self.text[..b], &self.text[b..])
    }

    fn set_caret(&mut self, c: usize) {
        let n = self.text.chars().count();
        self.cursor = (c < n).then_some(c);
    }

    pub fn handle(&mut self, key: &KeyEvent) -> InputOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let caret = self.caret();
        match key.code {
            KeyCode::Enter => InputOutcome::Submit,
            KeyCode::Esc => InputOutcome::Cancel,
            KeyCode::Backspace => {
                if caret > 0 {
                    let b = self.byte_at(caret - 1);
                    self.text.remove(b);
                    self.set_caret(caret - 1);
                }
                InputOutcome::Changed
            }
            KeyCode::Delete => {
                if caret < self.text.chars().count() {
                    let b = self.byte_at(caret);
                    self.text.remove(b);
                    self.set_caret(caret);
                }
                InputOutcome::Changed
            }
            KeyCode::Left => {
                self.set_caret(caret.saturating_sub(1));
                InputOutcome::Changed
            }
            KeyCode::Right => {
                self.set_caret(caret + 1);
                InputOutcome::Changed
            }
            KeyCode::Home => {
                self.set_caret(0);
                InputOutcome::Changed
            }
            KeyCode::End => {
                self.cursor = None;
                InputOutcome::Changed
            }
            KeyCode::Char('a') if ctrl => {
                self.set_caret(0);
                InputOutcome::Changed
            }
            KeyCode::Char('e') if ctrl => {
                self.cursor = None;
                InputOutcome::Changed
            }
            KeyCode::Char('u') if ctrl => {
                self.text.clear();
                self.cursor = None;
                InputOutcome::Changed
            }
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                if !c.is_control() && self.text.chars().count() < MAX_CHARS {
                    let b = self.byte_at(caret);
                    self.text.insert(b, c);
                    self.set_caret(caret + 1);
                }
                InputOutcome::Changed
            }
            _ => InputOutcome::Ignored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn left_right_home_end_and_ctrl_a_e_move_the_caret_and_edits_happen_there() {
        let mut i = LineInput::with_text("acme");
        i.handle(&k(KeyCode::Left));
        i.handle(&k(KeyCode::Left));
        i.handle(&k(KeyCode::Char('X')));
        assert_eq!(i.text, "acXme");
        assert_eq!(i.display(), "acX▏me");
        i.handle(&k(KeyCode::Home));
        i.handle(&k(KeyCode::Delete));
        assert_eq!(i.text, "cXme");
        i.handle(&k(KeyCode::End));
        i.handle(&k(KeyCode::Backspace));
        assert_eq!(i.text, "cXm");
        i.handle(&KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL));
        i.handle(&k(KeyCode::Char('é')));
        assert_eq!(i.text, "écXm");
        i.handle(&KeyEvent::new(KeyCode::Char('e'), KeyModifiers::CONTROL));
        i.handle(&k(KeyCode::Char('!')));
        assert_eq!(i.display(), "écXm!▏");
        // Moving past either end stays at the end.
        for _ in 0..10 {
            i.handle(&k(KeyCode::Left));
        }
        i.handle(&k(KeyCode::Backspace));
        assert_eq!(i.text, "écXm!");
    }
}
