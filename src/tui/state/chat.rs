//! The chat pane: the thread's messages and the multi-line input.

use ratatui_textarea::TextArea;

use crate::model::{Message, ThreadId};
use crate::text::sanitize_multiline;

#[derive(Debug, Default)]
pub struct ChatState {
    /// `None` for a new thread that exists only once the first prompt is sent.
    pub thread: Option<ThreadId>,
    pub messages: Vec<Message>,
    /// Lines scrolled up from the bottom.
    pub scroll: u16,
    pub input: TextArea<'static>,
    pub input_focused: bool,
    pub sending: bool,
    pub loaded: bool,
}

impl ChatState {
    pub fn set_messages(&mut self, mut messages: Vec<Message>) {
        for m in &mut messages {
            m.content = sanitize_multiline(&m.content);
        }
        self.messages = messages;
        self.loaded = true;
    }

    pub fn input_text(&self) -> String {
        self.input.lines().join("\n")
    }

    pub fn clear_input(&mut self) {
        self.input = TextArea::default();
    }
}
