//! leadline: a terminal client for AI lead research.
//!
//! The library holds everything: the reference's object model, the engine (store, planner,
//! runner, sources, artifacts), the `Backend` trait the UI and CLI talk to, and the CLI itself;
//! `main.rs` only dispatches.

pub mod backend;
pub mod cli;
pub mod config;
pub mod engine;
pub mod export;
pub mod logging;
pub mod model;
pub mod net;
pub mod server;
pub mod text;
pub mod tui;
