//! Modal layers over the panes. At most one is open; it gets every key first.

use crate::model::{JobId, PlanId, ThreadId};

use super::input::LineInput;

/// What a yes in a confirmation dialog does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    Quit,
    Stop(JobId),
    Delete { thread: ThreadId, force: bool },
}

/// What the text of a prompt dialog is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptPurpose {
    Rename(ThreadId),
    Replan(PlanId),
    /// The text is an optional credit ceiling.
    Approve(JobId),
}

#[derive(Debug)]
pub struct Confirm {
    pub title: String,
    pub body: String,
    pub on_yes: Confirmed,
}

#[derive(Debug)]
pub struct Prompt {
    pub title: String,
    pub hint: String,
    pub input: LineInput,
    pub purpose: PromptPurpose,
    /// A validation message shown under the input.
    pub error: Option<String>,
}

#[derive(Debug, Default)]
pub struct PaletteState {
    pub input: LineInput,
    pub selected: usize,
}

#[derive(Debug)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Palette(PaletteState),
    Confirm(Confirm),
    Prompt(Prompt),
    /// The push provider picker (providers exist; none is configured yet).
    Push,
    Export(JobId),
}

/// Providers the push issue wires; listed so the picker is honest about what exists.
pub const PUSH_PROVIDERS: [(&str, &str); 5] = [
    ("magnetite", "add leads to a Magnetite campaign"),
    ("autoreach", "create leads / add to an AutoReach workflow"),
    ("hubspot", "upsert HubSpot contacts and companies"),
    ("webhook", "POST signed JSON to a URL"),
    ("file", "write CSV / JSON / XLSX"),
];
