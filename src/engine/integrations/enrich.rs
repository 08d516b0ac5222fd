//! Enriching a job's leads with a provider (skeleton: being written).

use crate::engine::Engine;
use crate::model::push::{EnrichRequest, EnrichResult, ProgressSender};
use crate::model::{Error, JobId};

impl Engine {
    /// Enriches a finished job's leads with a provider and stores what it learned.
    pub async fn enrich(
        &self,
        _job: &JobId,
        _request: EnrichRequest,
        _progress: Option<ProgressSender>,
    ) -> Result<EnrichResult, Error> {
        Err(Error::internal("enrichment is not implemented yet"))
    }
}
