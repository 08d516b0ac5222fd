//! Everything that can happen to the app arrives as a `Msg`: keys, ticks, backend replies and
//! stream items. `update` is the only consumer.

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use crate::backend::StreamItem;
use crate::model::push::{EnrichResult, IntegrationProgress, IntegrationStatus, PushResult};
use crate::model::requests::PostedMessage;
use crate::model::{
    Error, Event, Job, JobId, Lead, Message, Page, Plan, Thread, ThreadId, Timestamp, Usage,
};

use super::state::requests::Tag;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    /// Clicks and the wheel (mouse capture is on in the app).
    Mouse(MouseEvent),
    /// Text pasted into the terminal (bracketed paste is on in the app): arrives whole, so a
    /// pasted newline is not an Enter.
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// Drives the spinner, toast expiry and relative times; carries the clock so update stays pure.
    Tick(Timestamp),
    /// A backend request finished. Stale replies (an older request of the same slot) are dropped.
    Reply {
        tag: Tag,
        result: Result<Box<Reply>, Error>,
    },
    Stream {
        job: JobId,
        item: StreamItem,
    },
    StreamFailed {
        job: JobId,
        error: Error,
    },
    StreamEnded {
        job: JobId,
    },
    /// A push or enrichment in flight reported progress.
    IntegrationProgress(IntegrationProgress),
    /// The file opened in the background is stored as a job (or could not be).
    Opened(Result<Job, Error>),
    /// SIGTERM / SIGHUP: leave now, restoring the terminal.
    Terminate,
}

#[derive(Debug)]
pub enum Reply {
    Threads(Page<Thread>),
    Messages {
        thread: ThreadId,
        page: Page<Message>,
    },
    Job(Job),
    Plan(Plan),
    Leads {
        job: JobId,
        leads: Vec<Lead>,
        total: Option<u64>,
    },
    Events {
        job: JobId,
        events: Vec<Event>,
    },
    LeadView {
        job: JobId,
        view: crate::model::table::LeadView,
    },
    FileMapping {
        path: std::path::PathBuf,
        summary: crate::engine::sources::dataset::stream::FileSummary,
        map: Vec<String>,
    },
    OpenedFile(Job),
    LeadsAt {
        job: JobId,
        leads: Vec<(u32, Lead)>,
    },
    /// A page of leads could not be read (the error is shown; the page is asked for again).
    LeadsAtFailed {
        job: JobId,
        asked: Vec<u32>,
        error: Error,
    },
    Usage(Usage),
    /// A prompt was posted (creating the thread first when needed). The inner result carries a
    /// `plan_rejected` error, which still needs the thread to show the explanation.
    Posted {
        thread: ThreadId,
        result: Result<PostedMessage, Error>,
    },
    Replanned(PostedMessage),
    Approved(Job),
    Stopped(Job),
    Renamed(Thread),
    Deleted(ThreadId),
    Exported {
        path: String,
        rows: usize,
    },
    /// Nothing was written: the file is there and replacing it was not agreed.
    ExportExists {
        path: String,
    },
    ColumnsSaved {
        path: String,
    },
    Pushed(PushResult),
    Integrations(Vec<IntegrationStatus>),
    Enriched(EnrichResult),
}
