//! The thread list.

use crate::model::{Thread, ThreadId};
use crate::text::sanitize_inline;

use super::input::LineInput;

#[derive(Debug, Default)]
pub struct ThreadsState {
    pub items: Vec<Thread>,
    pub selected: usize,
    pub filter: LineInput,
    pub has_more: bool,
    pub loaded: bool,
}

impl ThreadsState {
    /// Stores a page of threads, sanitised once here so drawing never sees raw text.
    pub fn set(&mut self, mut items: Vec<Thread>, has_more: bool, keep: Option<&ThreadId>) {
        for t in &mut items {
            t.title = sanitize_inline(&t.title);
        }
        self.items = items;
        self.has_more = has_more;
        self.loaded = true;
        self.selected = keep
            .and_then(|id| self.items.iter().position(|t| &t.id == id))
            .unwrap_or(self.selected)
            .min(self.items.len().saturating_sub(1));
    }

    pub fn current(&self) -> Option<&Thread> {
        self.items.get(self.selected)
    }

    pub fn move_by(&mut self, delta: isize) -> bool {
        if self.items.is_empty() {
            return false;
        }
        let last = self.items.len() - 1;
        let next = (self.selected as isize + delta).clamp(0, last as isize) as usize;
        let changed = next != self.selected;
        self.selected = next;
        changed
    }
}
