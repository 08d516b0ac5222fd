//! Every criterion benchmark in one binary (`cargo bench --bench perf`, or one group with
//! `cargo bench --bench perf -- engine`). The helpers are the integration tests' own, so a bench
//! runs a job exactly the way the tests do.

#[path = "../../tests/it/common/mod.rs"]
mod common;

mod engine_job;
mod export;
mod live_dataset;
mod planner;
mod server_load;
mod server_pg;
mod snapshot;
mod table_scale;
mod tui_frame;

criterion::criterion_main!(
    engine_job::benches,
    export::benches,
    live_dataset::benches,
    planner::benches,
    server_load::benches,
    server_pg::benches,
    snapshot::benches,
    table_scale::benches,
    tui_frame::benches,
);
