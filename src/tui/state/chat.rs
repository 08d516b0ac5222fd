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
    /// The prompt in flight, put back in the input if posting fails so nothing typed is lost.
    pub in_flight: Option<String>,
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

    /// Posting failed (not a rejection): give the prompt back to the user.
    pub fn restore_in_flight(&mut self) {
        self.sending = false;
        if let Some(text) = self.in_flight.take()
            && self.input.is_empty()
        {
            self.input = TextArea::new(text.split('\n').map(String::from).collect());
        }
    }
}
