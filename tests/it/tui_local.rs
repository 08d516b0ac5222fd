//! The TUI against the REAL in-process engine on a temp dir (test mode, unpaced): a headless
//! driver feeds keys to `update`, runs the effects it asks for against the backend, and reads
//! the screen from a `TestBackend`. No mocks, no sleeps: every step awaits its replies.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use leadline::backend::Backend;
use leadline::backend::local::LocalBackend;
use leadline::engine::{Engine, EngineOptions};
use leadline::model::{JobStatus, Timestamp};
use leadline::tui::effect::{Effect, execute};
use leadline::tui::message::Msg;
use leadline::tui::state::{AppState, Pane};
use leadline::tui::{SnapshotOptions, TuiConfig, View, render_text, snapshot, update};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const PROMPT: &str =
    "Find Series A fintechs in France with 20+ engineers. Pull VP Eng and Head of Growth.";

async fn backend(dir: &std::path::Path) -> Arc<dyn Backend> {
    let engine = Engine::open(EngineOptions::new(dir))
        .await
        .expect("engine opens");
    Arc::new(LocalBackend::new(engine))
}

struct Driver {
    state: AppState,
    backend: Arc<dyn Backend>,
}

impl Driver {
    async fn start(backend: Arc<dyn Backend>) -> Self {
        let mut state = AppState::new(
            backend.info(),
            Default::default(),
            leadline::tui::theme::Theme::plain(),
            Timestamp::now(),
        );
        state.size = (140, 40);
        let fx = update::init(&mut state);
        let mut d = Self { state, backend };
        d.run(fx).await;
        d
    }

    /// Runs effects to quiescence: each reply may ask for more (bounded).
    async fn run(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        let mut budget = 200;
        while let Some(effect) = queue.pop_front() {
            budget -= 1;
            assert!(budget > 0, "effects did not settle");
            match effect {
                Effect::Request { tag, request } => {
                    let result = execute(self.backend.as_ref(), request).await.map(Box::new);
                    queue.extend(update::update(&mut self.state, Msg::Reply { tag, result }));
                }
                Effect::Subscribe(job) => {
                    let stream = self.backend.subscribe(&job, None).await.expect("subscribe");
                    let items =
                        tokio::time::timeout(Duration::from_secs(60), stream.collect::<Vec<_>>())
                            .await
                            .expect("the job ends within 60 s");
                    for item in items {
                        let msg = match item {
                            Ok(item) => Msg::Stream {
                                job: job.clone(),
                                item,
                            },
                            Err(error) => Msg::StreamFailed {
                                job: job.clone(),
                                error,
                            },
                        };
                        queue.extend(update::update(&mut self.state, msg));
                    }
                    queue.extend(update::update(&mut self.state, Msg::StreamEnded { job }));
                }
                Effect::Unsubscribe | Effect::Copy(_) | Effect::OpenUrl(_) => {}
            }
        }
    }

    async fn press(&mut self, code: KeyCode, mods: KeyModifiers) {
        let fx = update::update(&mut self.state, Msg::Key(KeyEvent::new(code, mods)));
        self.run(fx).await;
    }

    async fn key(&mut self, code: KeyCode) {
        self.press(code, KeyModifiers::NONE).await;
    }

    async fn typ(&mut self, text: &str) {
        for c in text.chars() {
            let mods = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            self.press(KeyCode::Char(c), mods).await;
        }
    }

    fn screen(&self) -> String {
        render_text(&self.state, 140, 40).expect("renders")
    }
}

#[tokio::test]
async fn prompt_plan_approve_stream_and_browse_leads_on_the_real_engine() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Driver::start(backend(dir.path()).await).await;
    assert!(d.screen().contains("No threads yet"), "{}", d.screen());

    // n → type → Enter: a thread is created and the planner's plan is shown.
    d.typ("n").await;
    d.typ(PROMPT).await;
    d.key(KeyCode::Enter).await;
    assert_eq!(
        d.state.focus,
        Pane::Plan,
        "{:?} {:?}",
        d.state.toasts.items,
        d.state.chat.input_text()
    );
    let screen = d.screen();
    assert!(
        screen.contains("Audience") && screen.contains("fintech") && screen.contains("FR"),
        "{screen}"
    );
    assert!(screen.contains("Steps ("), "{screen}");
    assert_eq!(d.state.threads.items.len(), 1, "the new thread is listed");

    // a → Enter (no ceiling): the job runs; the stream is followed to its end.
    d.typ("a").await;
    d.key(KeyCode::Enter).await;
    let job = d.state.log.job.clone().expect("a job");
    assert_eq!(job.status, JobStatus::Succeeded, "{job:?}");
    assert!(
        d.state
            .log
            .steps
            .iter()
            .all(|s| s.status == leadline::tui::state::joblog::StepStatus::Completed)
    );
    let screen = d.screen();
    assert!(
        screen.contains("succeeded") && screen.contains("rows"),
        "{screen}"
    );

    // Leads: every captured row arrived through the stream.
    d.typ("5").await;
    let n = d.state.leads.leads.len();
    assert!(
        n > 0 && n as u64 == d.state.log.rows_captured,
        "{n} leads vs {}",
        d.state.log.rows_captured
    );
    let first_company = d
        .state
        .leads
        .selected_lead()
        .map(|(_, l)| l.company.name.clone())
        .unwrap();
    let needle: String = first_company
        .chars()
        .take(4)
        .collect::<String>()
        .to_lowercase();
    d.typ("/").await;
    d.typ(&needle).await;
    d.key(KeyCode::Enter).await;
    assert!(!d.state.leads.view.is_empty() && d.state.leads.view.len() <= n);
    d.key(KeyCode::Enter).await;
    let screen = d.screen();
    assert!(
        screen.contains("company.name") && screen.contains("synthetic"),
        "{screen}"
    );
    d.key(KeyCode::Esc).await;
    d.typ("?").await;
    assert!(d.screen().contains("Keys (from the key map"));
    d.key(KeyCode::Esc).await;

    // The chat shows the prompt, the plan card and the result summary.
    d.typ("2").await;
    let screen = d.screen();
    assert!(
        screen.contains("you") && screen.contains("plan") && screen.contains("result"),
        "{screen}"
    );

    // A fresh start shows the stored log of the finished job (job_events) and its leads.
    let mut again = Driver::start(d.backend.clone()).await;
    assert_eq!(
        again.state.log.job.as_ref().map(|j| j.status),
        Some(JobStatus::Succeeded)
    );
    assert!(again.state.log.events_loaded && !again.state.log.lines.is_empty());
    assert_eq!(again.state.leads.leads.len(), n);
    again.typ("q").await;
    assert!(again.state.quit);
}

#[tokio::test]
async fn a_rejected_prompt_shows_the_assistant_explanation() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Driver::start(backend(dir.path()).await).await;
    d.typ("n").await;
    d.typ("hello").await;
    d.key(KeyCode::Enter).await;
    assert!(
        d.state
            .toasts
            .items
            .iter()
            .any(|t| t.text.contains("plan_rejected"))
    );
    assert!(
        d.state.chat.messages.len() >= 2,
        "{:?}",
        d.state.chat.messages
    );
    assert_eq!(d.state.focus, Pane::Chat);
}

#[tokio::test]
async fn stop_and_delete_through_the_real_engine() {
    let dir = tempfile::tempdir().unwrap();
    let mut d = Driver::start(backend(dir.path()).await).await;
    d.typ("n").await;
    d.typ(PROMPT).await;
    d.key(KeyCode::Enter).await;
    // s on a pending plan declines it.
    d.typ("s").await;
    d.typ("y").await;
    assert_eq!(
        d.state.log.job.as_ref().map(|j| j.status),
        Some(JobStatus::Stopped)
    );
    d.typ("1").await;
    d.typ("d").await;
    d.typ("y").await;
    assert!(d.state.threads.items.is_empty());
}

#[tokio::test]
async fn snapshot_renders_each_view_from_the_backend() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path()).await;
    let opts = |view| SnapshotOptions {
        width: 120,
        height: 40,
        view,
        thread: None,
        job: None,
    };
    // Empty database.
    let text = snapshot(backend.clone(), TuiConfig::default(), opts(View::Threads))
        .await
        .unwrap();
    assert!(text.contains("No threads yet"), "{text}");
    assert_eq!(text.lines().count(), 40);

    let mut d = Driver::start(backend.clone()).await;
    d.typ("n").await;
    d.typ(PROMPT).await;
    d.key(KeyCode::Enter).await;
    d.typ("a").await;
    d.key(KeyCode::Enter).await;
    let job = d.state.log.job.clone().unwrap();

    for (view, needle) in [
        (View::Threads, "Threads (1)"),
        (View::Chat, "you"),
        (View::Plan, "Audience"),
        (View::Log, "succeeded"),
        (View::Leads, "Company"),
    ] {
        let text = snapshot(backend.clone(), TuiConfig::default(), opts(view))
            .await
            .unwrap();
        assert!(text.contains(needle), "{view:?}:\n{text}");
        assert!(!text.contains('\u{1b}'));
    }
    let text = snapshot(
        backend.clone(),
        TuiConfig::default(),
        SnapshotOptions {
            width: 80,
            height: 24,
            view: View::Leads,
            thread: None,
            job: Some(job.id.clone()),
        },
    )
    .await
    .unwrap();
    assert!(text.contains("Leads ("), "{text}");
    // Too small, and tiny sizes, never panic.
    for (w, h) in [(1, 1), (2, 2), (20, 5)] {
        snapshot(
            backend.clone(),
            TuiConfig::default(),
            SnapshotOptions {
                width: w,
                height: h,
                view: View::Leads,
                thread: None,
                job: None,
            },
        )
        .await
        .unwrap();
    }
    assert_eq!(View::parse("LOG"), Some(View::Log));
    assert_eq!(View::parse("nope"), None);
}

/// The first frame of a big job reads one page of leads, not the whole job.
#[tokio::test]
async fn snapshot_of_a_big_job_reads_one_page_of_leads() {
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path()).await;
    let mut d = Driver::start(backend.clone()).await;
    d.typ("n").await;
    d.typ("Give me 2000 fintech companies in France").await;
    d.key(KeyCode::Enter).await;
    d.typ("a").await;
    d.key(KeyCode::Enter).await;
    assert!(
        d.state.log.rows_captured > 100,
        "{}",
        d.state.log.rows_captured
    );
    let mut state = AppState::new(
        backend.info(),
        Default::default(),
        leadline::tui::theme::Theme::plain(),
        Timestamp::now(),
    );
    let opts = SnapshotOptions {
        width: 140,
        height: 40,
        view: View::Leads,
        thread: None,
        job: None,
    };
    let started = std::time::Instant::now();
    let text = leadline::tui::snapshot_with_state(backend.as_ref(), &mut state, &opts)
        .await
        .unwrap();
    eprintln!(
        "snapshot (debug build) of a {}-lead job: {:?}",
        d.state.log.rows_captured,
        started.elapsed()
    );
    assert!(
        text.contains(&format!(
            "5 Leads (first 40 of {})",
            leadline::tui::ui::thousands(d.state.log.rows_captured)
        )),
        "{text}"
    );
    assert_eq!(
        state.leads.leads.len(),
        40,
        "one page: what 40 rows of terminal can show"
    );
}

#[tokio::test]
async fn hostile_prompts_are_drawn_as_plain_text() {
    let hostile = "Find Series A\u{202E} fintechs\u{1b}]52;c;ZXZpbA==\u{7} in\u{9d}8;;http://x\u{9c} France\u{1b}[2J\u{1b}[H\u{200B} with 20+ engineers. Pull VP Eng.";
    let dir = tempfile::tempdir().unwrap();
    let backend = backend(dir.path()).await;
    // Straight into the store, as a remote client or an import could put it there.
    let thread = backend
        .create_thread(leadline::model::requests::CreateThread {
            title: Some(hostile.into()),
            metadata: None,
        })
        .await
        .unwrap();
    let message = leadline::model::requests::PostMessage {
        content: hostile.into(),
        ..Default::default()
    };
    backend.post_message(&thread.id, message).await.unwrap();
    // The store and the API keep what was sent.
    let stored = backend
        .list_messages(&thread.id, Default::default())
        .await
        .unwrap();
    assert!(stored.data.iter().any(|m| m.content == hostile));
    let mut d = Driver::start(backend.clone()).await;
    for pane in ['1', '2', '3'] {
        d.typ(&pane.to_string()).await;
        let screen = render_text(&d.state, 140, 40).unwrap();
        assert!(screen.contains("France"), "{screen}");
        for c in screen.chars() {
            assert!(
                !(leadline::text::is_invisible_format(c) || c.is_control() && c != '\n'),
                "{c:?} drawn:\n{screen}"
            );
        }
        for remnant in ["]52;", "ZXZpbA", "8;;http", "[2J", "[H"] {
            assert!(!screen.contains(remnant), "`{remnant}` drawn:\n{screen}");
        }
    }
}
