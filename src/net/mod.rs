//! HTTP plumbing shared by the engine's integrations and the remote backend, kept outside both so
//! neither imports the other: one retry policy with one `Retry-After` parser, and the
//! Server-Sent Events reader the remote backend streams job events with.

pub mod retry;
pub mod sse;
