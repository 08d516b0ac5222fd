//! Short-lived notices. They expire by tick count, not wall-clock time, so tests stay exact.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone)]
pub struct Toast {
    pub level: Level,
    pub text: String,
    pub expires_at_tick: u64,
}

/// Ticks are 250 ms: info lasts ~4 s, errors ~10 s.
const INFO_TICKS: u64 = 16;
const ERROR_TICKS: u64 = 40;
const MAX_TOASTS: usize = 4;

#[derive(Debug, Default)]
pub struct Toasts {
    pub items: Vec<Toast>,
}

impl Toasts {
    pub fn push(&mut self, level: Level, text: impl Into<String>, now_tick: u64) {
        let ttl = if level == Level::Info {
            INFO_TICKS
        } else {
            ERROR_TICKS
        };
        self.items.push(Toast {
            level,
            text: crate::text::sanitize_inline(&text.into()),
            expires_at_tick: now_tick + ttl,
        });
        if self.items.len() > MAX_TOASTS {
            self.items.remove(0);
        }
    }

    /// Drops expired toasts; true when something disappeared.
    pub fn expire(&mut self, tick: u64) -> bool {
        let before = self.items.len();
        self.items.retain(|t| t.expires_at_tick > tick);
        before != self.items.len()
    }
}
