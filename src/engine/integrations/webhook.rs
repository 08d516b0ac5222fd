//! Webhook push target (skeleton: the provider module is being written).

use async_trait::async_trait;

use super::{Planned, PushContext, PushTarget, Secrets, Unit, UnitResult};
use crate::config::WebhookConfig;
use crate::model::push::PushProvider;
use crate::model::{Error, Lead};

pub struct Webhook {}

impl Webhook {
    pub fn from_config(_config: &WebhookConfig, _secrets: &Secrets) -> Result<Self, Error> {
        Err(Error::internal("webhook pushes are not implemented yet"))
    }
}

#[async_trait]
impl PushTarget for Webhook {
    fn provider(&self) -> PushProvider {
        PushProvider::Webhook
    }

    fn plan(&self, _ctx: &PushContext<'_>, _leads: &[Lead]) -> Result<Planned, Error> {
        Err(Error::internal("webhook pushes are not implemented yet"))
    }

    async fn send(&self, unit: &Unit) -> UnitResult {
        UnitResult::fatal(
            unit,
            Error::internal("webhook pushes are not implemented yet"),
        )
    }
}
