//! Every integration test in one binary: one link instead of one per file, and one set of shared
//! helpers (`common`, the loopback fakes). Run a group with `cargo test --test it <module>::`.

mod common;
mod fake_modernleads;
mod fakes;

mod attachments;
mod backend_contract;
mod cli;
mod cli_push;
mod demo_data;
mod engine_lifecycle;
mod engine_recovery;
mod enrich_modernleads;
mod enrich_modernleads_scale;
mod live_cli;
mod live_import;
mod live_job;
mod live_verify;
mod live_web;
mod open_file;
mod pg_instances;
mod planner_cases;
mod planner_examples;
mod planner_heldout;
mod planner_i18n;
mod planner_llm;
mod planner_props;
mod push_e2e;
mod push_hubspot;
mod push_providers;
mod remote_client;
mod serve_process;
mod serve_shutdown;
mod server_api;
mod server_fuzz;
mod server_idempotency;
mod server_modes;
mod server_ratelimit;
mod server_validation;
mod stream_stop;
mod terminal_safety;
mod tui_local;
mod tui_tmux;
mod webhooks;
mod wire_shapes;
