//! Modal layers over the panes. At most one is open; it gets every key first.

use crate::model::push::{
    IntegrationProgress, IntegrationStatus, PushMode, PushProvider, PushRequest, PushResult,
};
use crate::model::{JobId, PlanId, ThreadId};

use super::input::LineInput;

/// What a yes in a confirmation dialog does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    Quit,
    Stop(JobId),
    Delete { thread: ThreadId, force: bool },
    Enrich(JobId),
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
        /// `/` in help: only the keys matching this are listed.
        search: LineInput,
    },
    Palette(PaletteState),
    Confirm(Confirm),
    Prompt(Prompt),
    /// Push: provider picker → dry-run preview → confirm → progress → result.
    Push(PushFlow),
    Export(ExportDialog),
    /// The selected row, waiting for a format to copy it in.
    CopyRow(crate::tui::export_view::ViewTable),
    Columns(ColumnPicker),
    /// `M`: an opened file's column mapping, editable.
    Mapping(super::mapping::MappingDialog),
}

/// `e`: where to write, the view or everything, and whether replacing a file is agreed.
#[derive(Debug)]
pub struct ExportDialog {
    pub job: JobId,
    pub path: LineInput,
    /// Every lead with every column (the engine's full export) instead of the view.
    pub all: bool,
    /// The file exists and the user pressed Enter again to replace it.
    pub overwrite: bool,
    pub error: Option<String>,
}

/// `C`: every column the leads could show, ticked when shown, in table order then the rest.
#[derive(Debug)]
pub struct ColumnPicker {
    pub items: Vec<(super::columns::ColumnSpec, bool)>,
    pub selected: usize,
}

impl ColumnPicker {
    pub fn new(shown: &[super::columns::ColumnSpec], field_keys: &[std::sync::Arc<str>]) -> Self {
        use super::columns::{Column, ColumnSpec};
        let mut items: Vec<(ColumnSpec, bool)> = shown.iter().map(|c| (c.clone(), true)).collect();
        let more = Column::catalogue()
            .into_iter()
            .chain(field_keys.iter().map(|k| Column::Field(k.clone())));
        for col in more {
            if !items.iter().any(|(c, _)| c.column == col) {
                items.push((ColumnSpec::new(col), false));
            }
        }
        Self { items, selected: 0 }
    }

    /// The shown columns, in the picker's order.
    pub fn shown(&self) -> Vec<super::columns::ColumnSpec> {
        self.items
            .iter()
            .filter(|(_, on)| *on)
            .map(|(c, _)| c.clone())
            .collect()
    }
}

/// The push dialog's state.
#[derive(Debug)]
pub struct PushFlow {
    pub job: JobId,
    /// Index into [`PushProvider::ALL`].
    pub selected: usize,
    pub mode: PushMode,
    /// Let test-mode leads reach a real service (off unless the user turns it on).
    pub allow_test_data: bool,
    pub stage: PushStage,
    /// Which providers are configured, once the backend has said.
    pub status: Option<Vec<IntegrationStatus>>,
}

#[derive(Debug, PartialEq)]
pub enum PushStage {
    Pick,
    /// The dry run is on its way.
    Previewing,
    Preview(Box<PushResult>),
    Pushing(IntegrationProgress),
    Done(Box<PushResult>),
    /// The dry run or the push failed; the message says why and what to do.
    Failed(String),
}

impl PushFlow {
    pub fn new(job: JobId) -> Self {
        Self {
            job,
            selected: 0,
            mode: PushMode::Contacts,
            allow_test_data: false,
            stage: PushStage::Pick,
            status: None,
        }
    }

    pub fn provider(&self) -> PushProvider {
        PushProvider::ALL[self.selected.min(PushProvider::ALL.len() - 1)]
    }

    /// The request for the chosen provider; a file push writes next to where leadline runs.
    pub fn request(&self, dry_run: bool) -> PushRequest {
        let provider = self.provider();
        let mut r = PushRequest::new(provider);
        r.mode = self.mode;
        r.dry_run = dry_run;
        r.allow_test_data = self.allow_test_data;
        if provider == PushProvider::File {
            r.list_id = Some(format!("leadline-{}-{}.csv", self.job, self.mode));
        }
        r
    }
}
