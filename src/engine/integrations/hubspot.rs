//! HubSpot push target (skeleton: the provider module is being written).

use async_trait::async_trait;

use super::{Planned, PushContext, PushTarget, Secrets, Unit, UnitResult};
use crate::config::ServiceConfig;
use crate::model::push::PushProvider;
use crate::model::{Error, Lead};

pub struct HubSpot {}

impl HubSpot {
    pub fn from_config(_config: &ServiceConfig, _secrets: &Secrets) -> Result<Self, Error> {
        Err(Error::internal("hubspot pushes are not implemented yet"))
    }
}

#[async_trait]
impl PushTarget for HubSpot {
    fn provider(&self) -> PushProvider {
        PushProvider::Hubspot
    }

    fn plan(&self, _ctx: &PushContext<'_>, _leads: &[Lead]) -> Result<Planned, Error> {
        Err(Error::internal("hubspot pushes are not implemented yet"))
    }

    async fn send(&self, unit: &Unit) -> UnitResult {
        UnitResult::fatal(
            unit,
            Error::internal("hubspot pushes are not implemented yet"),
        )
    }
}
