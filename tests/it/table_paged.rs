//! The leads table at scale (#11 item 7): a 20,000-lead job opened from a file pages from SQLite.
//! The real engine on a temp dir, the TUI's own `update` and effects, and an in-memory oracle
//! (every lead loaded, filtered and sorted the way the table did before paging) that the paged
//! view's first, middle and last rows must equal after a filter and a sort.

use std::collections::VecDeque;
use std::sync::Arc;

use leadline::backend::Backend;
use leadline::backend::local::LocalBackend;
use leadline::engine::{Engine, EngineOptions};
use leadline::model::table::search::parse;
use leadline::model::table::{Sort, haystack, sanitize_lead, view_in_memory};
use leadline::model::{JobId, Lead, Timestamp};
use leadline::tui::effect::{Effect, execute};
use leadline::tui::message::Msg;
use leadline::tui::state::AppState;
use leadline::tui::state::columns::Column;
use leadline::tui::state::leads::CACHE_CAP;
use leadline::tui::{render_text, update};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

struct Driver {
    state: AppState,
    backend: Arc<dyn Backend>,
}

impl Driver {
    async fn start(backend: Arc<dyn Backend>, export_dir: &std::path::Path) -> Self {
        let mut state = AppState::new(
            backend.info(),
            Default::default(),
            leadline::tui::theme::Theme::plain(),
            Timestamp::now(),
        );
        state.size = (160, 40);
        state.page_leads = true;
        state.export_dir = export_dir.to_path_buf();
        let fx = update::init(&mut state);
        let mut d = Self { state, backend };
        d.run(fx).await;
        d
    }

    async fn run(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        let mut budget = 200;
        while let Some(effect) = queue.pop_front() {
            budget -= 1;
            assert!(budget > 0, "effects did not settle");
            if let Effect::Request { tag, request } = effect {
                let result = execute(self.backend.as_ref(), request).await.map(Box::new);
                queue.extend(update::update(&mut self.state, Msg::Reply { tag, result }));
            }
        }
    }

    async fn send(&mut self, msg: Msg) {
        let fx = update::update(&mut self.state, msg);
        self.run(fx).await;
    }

    async fn typ(&mut self, text: &str) {
        for c in text.chars() {
            let mods = if c.is_ascii_uppercase() {
                KeyModifiers::SHIFT
            } else {
                KeyModifiers::NONE
            };
            self.send(Msg::Key(KeyEvent::new(KeyCode::Char(c), mods)))
                .await;
        }
    }

    async fn key(&mut self, code: KeyCode) {
        self.send(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
            .await;
    }

    /// Puts the selection on row `i` of the view, as scrolling there would.
    async fn select(&mut self, i: usize) {
        self.state.leads.selected = i;
        self.send(Msg::Resize {
            width: 160,
            height: 40,
        })
        .await;
    }

    fn selected_company(&self) -> String {
        let (_, lead) = self
            .state
            .leads
            .selected_lead()
            .expect("the row is fetched");
        lead.company.name.clone()
    }

    fn screen(&self) -> String {
        render_text(&self.state, 160, 40).expect("renders")
    }
}

/// The table's rows as the in-memory table computed them: every lead loaded, then filtered and
/// sorted.
async fn oracle(backend: &dyn Backend, job: &JobId, query: &str, sort: Option<Sort>) -> Vec<Lead> {
    let mut leads = backend.all_leads(job).await.expect("leads");
    leads.iter_mut().for_each(sanitize_lead);
    let hay: Vec<String> = leads.iter().map(haystack).collect();
    let q = parse(query, |_| false);
    view_in_memory(&leads, &hay, &q, sort.as_ref(), 0.0)
        .into_iter()
        .map(|i| leads[i as usize].clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_20k_lead_job_pages_filters_sorts_jumps_and_exports_like_the_in_memory_table() {
    const N: usize = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leads_20k.csv");
    crate::common::leads_file::write_leads_csv(&file, N);
    let engine = Engine::open(EngineOptions::new(dir.path().join("data")))
        .await
        .expect("engine opens");
    let opened = engine.open_file(&file, &[]).await.expect("opens");
    assert_eq!(opened.job.rows_captured, N as u64);
    let job = opened.job.id.clone();
    let backend: Arc<dyn Backend> = Arc::new(LocalBackend::new(engine));
    let mut d = Driver::start(backend.clone(), dir.path()).await;
    d.typ("5").await;

    // Paged: every ordinal in the view, only a few screens of whole leads held.
    let st = &d.state.leads;
    assert!(st.paged, "a finished local job pages");
    assert_eq!(st.view.len(), N);
    assert!(
        st.leads.is_empty() && st.cache.len() <= 3 * d.state.table_height(),
        "{} cached",
        st.cache.len()
    );
    let screen = d.screen();
    assert!(
        screen.contains("Lena Row0") && screen.contains("(20,000)"),
        "{screen}"
    );

    // G: the last row is fetched and drawn.
    d.typ("G").await;
    assert_eq!(d.selected_company(), format!("Company {:06}", N - 1));
    assert!(
        d.screen().contains(&format!("Row{}", N - 1)),
        "{}",
        d.screen()
    );

    // A filter and a sort (Employees, highest first), compared with the in-memory table.
    let query = "city:lyon employees>=2500";
    d.typ("g/").await;
    d.typ(query).await;
    d.key(KeyCode::Enter).await;
    let sort = Sort {
        column: Column::field("employees"),
        descending: true,
    };
    let col = d
        .state
        .leads
        .columns
        .iter()
        .position(|c| c.column == sort.column)
        .expect("employees is shown");
    d.state.leads.column = col;
    d.typ("o").await;
    assert_eq!(d.state.leads.sort.as_ref(), Some(&sort));
    let want = oracle(backend.as_ref(), &job, query, Some(sort)).await;
    assert!(want.len() > 100 && want.len() < N / 5, "{}", want.len());
    assert_eq!(d.state.leads.view.len(), want.len());
    for at in [0, want.len() / 2, want.len() - 1] {
        d.select(at).await;
        assert_eq!(d.selected_company(), want[at].company.name, "row {at}");
    }
    // Scrolling the whole view keeps the cache bounded.
    for at in (0..want.len()).step_by(30) {
        d.select(at).await;
    }
    assert!(d.state.leads.cache.len() <= CACHE_CAP + 3 * d.state.table_height());

    // e, Enter: the filtered, sorted view is written, read back from the store.
    d.typ("e").await;
    d.key(KeyCode::Enter).await;
    let path = dir.path().join(format!("leadline-{job}.csv"));
    let mut rows = csv::Reader::from_path(&path).expect("the export exists");
    let companies: Vec<String> = rows
        .records()
        .map(|r| r.expect("a row")[0].to_string())
        .collect();
    let expected: Vec<String> = want.iter().map(|l| l.company.name.clone()).collect();
    assert_eq!(companies, expected);
}

/// The index follows its job: deleting the thread (and so the job and its leads) removes the
/// job's index rows and nobody else's, and a lead deleted on its own takes its index row with
/// it, so the next view leaves it out.
#[tokio::test]
async fn the_index_follows_its_job_and_its_leads() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    crate::common::leads_file::write_leads_csv(&a, 30);
    crate::common::leads_file::write_leads_csv(&b, 20);
    std::fs::write(
        &b,
        std::fs::read_to_string(&b)
            .unwrap()
            .replace("Company", "Firm"),
    )
    .unwrap();
    let engine = Engine::open(EngineOptions::new(dir.path().join("data")))
        .await
        .expect("engine opens");
    let ja = engine.open_file(&a, &[]).await.expect("opens").job;
    let jb = engine.open_file(&b, &[]).await.expect("opens").job;
    let spec = leadline::model::table::ViewSpec::default();
    engine.lead_view(&ja.id, spec.clone()).await.unwrap();
    engine.lead_view(&jb.id, spec.clone()).await.unwrap();
    let rows = |job: &JobId| {
        let job = job.to_string();
        leadline::engine::store::blocking(|| {
            engine.store().read(|c| {
                c.query_row(
                    "SELECT count(*) FROM lead_index WHERE job_id = ?1",
                    [job.as_str()],
                    |r| r.get::<i64>(0),
                )
            })
        })
        .unwrap()
    };
    assert_eq!((rows(&ja.id), rows(&jb.id)), (30, 20));

    // A lead removed on its own: its index row goes with it.
    let b_id = jb.id.to_string();
    leadline::engine::store::blocking(|| {
        engine.store().write(|c| {
            c.execute(
                "DELETE FROM leads WHERE job_id = ?1 AND ordinal = 3",
                [b_id.as_str()],
            )
        })
    })
    .unwrap();
    let view = engine.lead_view(&jb.id, spec).await.unwrap();
    assert_eq!(view.ordinals.len(), 19);
    assert!(!view.ordinals.contains(&3));
    assert_eq!(rows(&jb.id), 19);

    engine.delete_thread(&ja.thread_id, true).await.unwrap();
    assert_eq!(
        (rows(&ja.id), rows(&jb.id)),
        (0, 19),
        "only the deleted job's rows go"
    );
}

/// "Export all" streams from the store (the job is never in memory whole) and writes what the
/// in-memory export renders, byte for byte: same columns (the fields' keys read from the stored
/// JSON in first-seen order), same rows, same JSON.
#[tokio::test]
async fn exporting_every_lead_to_a_file_equals_the_rendered_export() {
    use leadline::model::requests::ExportFormat;
    let dir = tempfile::tempdir().unwrap();
    let engine = crate::common::engine(&dir.path().join("data"), 0).await;
    let job = crate::common::finished_job(&engine, 60).await;
    for format in [ExportFormat::Csv, ExportFormat::Json] {
        let path = dir.path().join(format!("all.{}", format.extension()));
        let (written, rows) = engine
            .export_to_file(&job, format, &path, false)
            .await
            .unwrap();
        assert_eq!(written, leadline::export::Written::Done);
        assert_eq!(rows, 60);
        let streamed = std::fs::read(&path).unwrap();
        assert_eq!(
            streamed,
            engine.export(&job, format).await.unwrap(),
            "{format:?}"
        );
        // Asked again without leave to replace: the file stays as it is.
        let (again, _) = engine
            .export_to_file(&job, format, &path, false)
            .await
            .unwrap();
        assert_eq!(again, leadline::export::Written::Exists);
    }
    let header = std::fs::read_to_string(dir.path().join("all.csv")).unwrap();
    let header = header.lines().next().unwrap().to_string();
    assert!(
        header.starts_with("company_name,") && header.ends_with(",confidence,source_count,sources"),
        "{header}"
    );
}
