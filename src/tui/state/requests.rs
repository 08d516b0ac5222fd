//! Request tags: "newest request wins". Each kind of load has a slot; a reply is applied only if
//! it answers the latest request issued for its slot. Mutations are never dropped.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    Threads,
    Messages,
    Job,
    Plan,
    Leads,
    Events,
    Usage,
    /// User actions (post, approve, stop, …): every reply matters.
    Action,
    /// Push dry runs and pushes: every reply matters, and errors land in the push dialog.
    Push,
    /// Which providers are configured (for the push dialog).
    Integrations,
    /// The paged leads table's view (newest wins: the filter or sort changed since).
    LeadView,
    /// Pages of the paged leads table: every reply fills the cache.
    LeadPage,
    /// Opening a file again with mapping corrections.
    Import,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub slot: Slot,
    pub seq: u64,
}

#[derive(Debug, Default)]
pub struct Requests {
    next: u64,
    latest: HashMap<Slot, u64>,
    /// In-flight requests: drives the spinner.
    pub pending: u32,
}

impl Requests {
    pub fn issue(&mut self, slot: Slot) -> Tag {
        self.next += 1;
        self.latest.insert(slot, self.next);
        self.pending += 1;
        Tag {
            slot,
            seq: self.next,
        }
    }

    /// Marks the request answered; true when its reply should be applied.
    pub fn accept(&mut self, tag: Tag) -> bool {
        self.pending = self.pending.saturating_sub(1);
        matches!(tag.slot, Slot::Action | Slot::Push | Slot::LeadPage)
            || self.latest.get(&tag.slot) == Some(&tag.seq)
    }

    /// Forget a slot, so any reply still in flight for it is dropped.
    pub fn cancel(&mut self, slot: Slot) {
        self.next += 1;
        self.latest.insert(slot, self.next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_request_wins_and_actions_always_land() {
        let mut r = Requests::default();
        let old = r.issue(Slot::Threads);
        let new = r.issue(Slot::Threads);
        let a1 = r.issue(Slot::Action);
        let a2 = r.issue(Slot::Action);
        assert_eq!(r.pending, 4);
        assert!(!r.accept(old));
        assert!(r.accept(new));
        assert!(r.accept(a1) && r.accept(a2));
        assert_eq!(r.pending, 0);
    }
}
