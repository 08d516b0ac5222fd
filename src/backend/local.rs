//! The in-process engine as a [`Backend`](super::Backend).
