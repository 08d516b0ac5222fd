//! The `file` provider, which lives in [`crate::export::file`] because the remote backend writes
//! files on this machine too; re-exported where the engine's push looks for it.

pub use crate::export::file::*;
