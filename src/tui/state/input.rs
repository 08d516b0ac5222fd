//! A one-line text input for filters, the palette and dialogs (the chat uses ratatui-textarea).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    pub text: String,
    /// Receiving keys.
    pub active: bool,
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
        }
    }

    pub fn handle(&mut self, key: &KeyEvent) -> InputOutcome {
        match key.code {
            KeyCode::Enter => InputOutcome::Submit,
            KeyCode::Esc => InputOutcome::Cancel,
            KeyCode::Backspace => {
                self.text.pop();
                InputOutcome::Changed
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.text.clear();
                InputOutcome::Changed
            }
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                if !c.is_control() && self.text.chars().count() < MAX_CHARS {
                    self.text.push(c);
                }
                InputOutcome::Changed
            }
            _ => InputOutcome::Ignored,
        }
    }
}
