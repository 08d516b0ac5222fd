//! A job's artifact files: rendered by [`crate::export`] (re-exported here), kept under the data
//! directory.

use std::path::{Path, PathBuf};

pub use crate::export::{columns, render, render_csv, render_json, render_xlsx, write_atomic};
use crate::model::JobId;

/// Where a job's artifact files live.
pub fn job_dir(data_dir: &Path, job: &JobId) -> PathBuf {
    data_dir.join("artifacts").join(job.as_str())
}
