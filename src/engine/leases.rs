//! Several `serve` instances on one PostgreSQL database: the instance that approves a job runs it
//! and holds its lease (engine/store/leases.rs); a heartbeat renews this instance's leases and
//! sweeps the expired ones of instances that died, ending those jobs as the SQLite recovery does.

use std::sync::Arc;
use std::time::Duration;

use super::{Engine, Mode, store};
use crate::model::{Error, OrgId, Timestamp};

impl Engine {
    /// This process's name in lease columns.
    pub(crate) fn instance(&self) -> &str {
        &self.inner.instance
    }

    pub(crate) fn lease_until(&self) -> Timestamp {
        let lease = i64::try_from(self.inner.options.lease.as_millis()).unwrap_or(i64::MAX / 2);
        Timestamp::from_millis(Timestamp::now().millis().saturating_add(lease))
    }

    /// One heartbeat: renew the leases of the jobs this instance runs, then take over the jobs
    /// whose lease ran out and end them as interrupted.
    pub(super) async fn lease_round(&self) -> Result<(), Error> {
        let (owner, until) = (self.instance().to_string(), self.lease_until());
        let held = self
            .db(move |s| s.write(|c| store::leases::renew(c, &owner, until)))
            .await?;
        for id in self.running().keys() {
            if !held.contains(id) {
                tracing::warn!(job = %id, "this instance runs a job whose lease it no longer holds");
            }
        }
        let (owner, until) = (self.instance().to_string(), self.lease_until());
        let taken = self
            .db(move |s| {
                s.write(|c| store::leases::take_expired(c, &owner, Timestamp::now(), until))
            })
            .await?;
        for id in taken {
            tracing::warn!(job = %id, "taking over a job whose runner's lease ran out");
            self.end_interrupted(&id, Some(self.instance().to_string()))
                .await?;
        }
        Ok(())
    }

    /// Starts the heartbeat (PostgreSQL only), every third of the lease, for as long as the
    /// engine lives.
    pub(super) fn start_heartbeat(&self) {
        if self.inner.store.dialect() != store::Dialect::Postgres {
            return;
        }
        let every = (self.inner.options.lease / 3).max(Duration::from_millis(100));
        let weak = Arc::downgrade(&self.inner);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let Some(inner) = weak.upgrade() else { break };
                let engine = Engine {
                    inner,
                    org: OrgId::local(),
                    mode: Mode::Test,
                    mode_bound: false,
                };
                if let Err(e) = engine.lease_round().await {
                    tracing::warn!(error = %e, "job lease heartbeat failed; retrying");
                }
            }
        });
    }
}
