//! The bundled research engine.

pub mod credits;
pub mod planner;
pub mod sources;
