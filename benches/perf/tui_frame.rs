//! One full frame of the leads view with 10,000 leads loaded, at 140×40 (budget ≤ 1 ms), plus
//! the same with a sort and a filter applied. Draws into ratatui's `TestBackend`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group};
use leadline::tui::fixtures;
use leadline::tui::state::{AppState, Pane};
use leadline::tui::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn leads_state(n: usize) -> AppState {
    let mut s = AppState::for_tests(fixtures::now());
    s.size = (140, 40);
    let job = fixtures::job_id(1);
    s.leads.reset(Some(job.clone()));
    s.leads.set(fixtures::leads(&job, n), Some(n as u64));
    s.focus = Pane::Leads;
    s.threads.set(fixtures::threads().data, false, None);
    s
}

fn frame(c: &mut Criterion) {
    let mut s = leads_state(10_000);
    let mut terminal = Terminal::new(TestBackend::new(140, 40)).expect("test terminal");
    c.bench_function("leads_frame_10k_140x40", |b| {
        b.iter(|| {
            terminal.draw(|f| ui::draw(f, black_box(&s))).expect("draw");
        })
    });
    // Mid-table, sorted by confidence, filtered: the window is still all that is drawn.
    s.leads.move_by(5_000);
    s.leads.scroll_into_view(s.table_height());
    s.leads.column = 4;
    s.leads.toggle_sort();
    c.bench_function("leads_frame_10k_140x40_sorted_mid", |b| {
        b.iter(|| {
            terminal.draw(|f| ui::draw(f, black_box(&s))).expect("draw");
        })
    });
    // A search that highlights cells, the cursor scrolled to a far column.
    s.leads.filter.text = "country=FR a".into();
    s.leads.set_query();
    s.leads.column = s.leads.columns.len() - 1;
    c.bench_function("leads_frame_10k_140x40_searched_scrolled", |b| {
        b.iter(|| {
            terminal.draw(|f| ui::draw(f, black_box(&s))).expect("draw");
        })
    });
    s.leads.filter.text.clear();
    s.leads.set_query();
    c.bench_function("leads_filter_rebuild_10k", |b| {
        b.iter(|| {
            s.leads.filter.text = "qonto".into();
            s.leads.set_query();
            s.leads.filter.text.clear();
            s.leads.set_query();
        })
    });
}

criterion_group!(benches, frame);
