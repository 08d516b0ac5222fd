//! The app's state, composed of one state per pane plus the overlay, toasts and request tags.
//! Only the app task owns it; drawing reads it; `update` changes it.

pub mod chat;
pub use crate::model::table::columns;
pub mod connection;
pub mod input;
pub mod joblog;
pub mod leads;
pub mod mapping;
pub mod overlay;
pub mod plan;
pub mod requests;
pub use crate::model::table::search;
pub mod table;
pub mod threads;
pub mod toast;

use crate::backend::{BackendInfo, BackendKind};
use crate::model::{Timestamp, Usage};

use super::keymap::Keymap;
use super::theme::Theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Threads,
    Chat,
    Plan,
    Log,
    Leads,
}

impl Pane {
    pub const ALL: [Pane; 5] = [
        Self::Threads,
        Self::Chat,
        Self::Plan,
        Self::Log,
        Self::Leads,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Threads => "Threads",
            Self::Chat => "Chat",
            Self::Plan => "Plan",
            Self::Log => "Job log",
            Self::Leads => "Leads",
        }
    }

    /// The pane named on the command line (`snapshot --view NAME`).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "threads" => Some(Self::Threads),
            "chat" => Some(Self::Chat),
            "plan" => Some(Self::Plan),
            "log" | "joblog" | "job" => Some(Self::Log),
            "leads" => Some(Self::Leads),
            _ => None,
        }
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn cycle(self, delta: isize) -> Self {
        let n = Self::ALL.len() as isize;
        Self::ALL[((self.index() as isize + delta).rem_euclid(n)) as usize]
    }
}

#[derive(Debug)]
pub struct AppState {
    /// The clock as of the last tick: injected so drawing is deterministic in tests.
    pub now: Timestamp,
    pub tick: u64,
    pub size: (u16, u16),
    pub focus: Pane,
    pub backend: BackendInfo,
    /// Whether the backend answers (a remote server can be down or refuse the key).
    pub connection: connection::Connection,
    pub usage: Option<Usage>,
    pub threads: threads::ThreadsState,
    pub chat: chat::ChatState,
    pub plan: plan::PlanState,
    pub log: joblog::JobLogState,
    pub leads: leads::LeadsState,
    pub overlay: Option<overlay::Overlay>,
    pub toasts: toast::Toasts,
    pub requests: requests::Requests,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Load only one page of leads (the snapshot command's first frame); `None` loads all.
    pub lead_page_limit: Option<u32>,
    /// Page a finished job's leads from the backend (a local engine answers views in SQL)
    /// instead of loading them all; off for tests driving replies by hand.
    pub page_leads: bool,
    /// A file being opened in the background (its name): the table shows its first rows, read
    /// straight from the file, until the job is stored.
    pub importing: Option<String>,
    /// Threads loaded per listing (the API allows at most 100 per page).
    pub thread_page: u32,
    /// Where `e` proposes to write (the data dir's `exports/`).
    pub export_dir: std::path::PathBuf,
    /// The config file the column picker saves `[tui] columns` to; `None`: not saved.
    pub config_file: Option<std::path::PathBuf>,
    pub quit: bool,
}

impl AppState {
    pub fn new(backend: BackendInfo, keymap: Keymap, theme: Theme, now: Timestamp) -> Self {
        Self {
            now,
            tick: 0,
            size: (80, 24),
            focus: Pane::Threads,
            backend,
            connection: Default::default(),
            usage: None,
            threads: Default::default(),
            chat: Default::default(),
            plan: Default::default(),
            log: Default::default(),
            leads: Default::default(),
            overlay: None,
            toasts: Default::default(),
            requests: Default::default(),
            keymap,
            theme,
            lead_page_limit: None,
            page_leads: false,
            importing: None,
            thread_page: 100,
            export_dir: std::path::PathBuf::from("exports"),
            config_file: None,
            quit: false,
        }
    }

    /// A state for tests and benches: local test-mode backend, default keys, colours off.
    pub fn for_tests(now: Timestamp) -> Self {
        let info = BackendInfo {
            kind: BackendKind::Local,
            livemode: false,
            location: "/tmp/leadline".into(),
        };
        Self::new(info, Keymap::default(), Theme::plain(), now)
    }

    /// Rows of the leads table that fit on screen (terminal minus status bar, tabs, borders,
    /// the filter line and the header), for paging.
    pub fn table_height(&self) -> usize {
        usize::from(self.size.1.saturating_sub(6)).max(1)
    }

    /// Cells across the leads table (the content area less its borders).
    pub fn table_width(&self) -> u16 {
        let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        super::layout::areas(area)
            .map(|a| a.content.width.saturating_sub(2))
            .unwrap_or(self.size.0)
    }

    /// The leads table's columns as they fit now.
    pub fn table_layout(&self) -> table::TableLayout {
        let st = &self.leads;
        table::fit(&st.columns, self.table_width(), st.column, st.col_offset)
    }
}
