//! [`Timing`]: when a command that needs a lease is stopped, from the lease's
//! TTL (the grace from SIGTERM to SIGKILL, the margin before the deadline).

use std::time::Duration;

/// When a command that needs a lease is stopped, for a lease of `ttl`: the
/// lease could expire a TTL after the last keepalive that succeeded was sent
/// (the deadline the [`Guardian`] is given).
#[derive(Clone, Copy)]
pub struct Timing {
    pub ttl: Duration,
    /// From SIGTERM to SIGKILL: at most a quarter of the TTL.
    pub grace: Duration,
    /// SIGKILL comes at least this long before the deadline (a twelfth of the TTL).
    pub margin: Duration,
}

impl Timing {
    /// The timing for a lease of `ttl`, with `grace` shortened to a quarter of it.
    pub fn new(ttl: Duration, grace: Duration) -> Timing {
        Timing {
            ttl,
            grace: grace.min(ttl / 4),
            margin: ttl / 12,
        }
    }

    /// How long after the last renewal a holder gives up and stops the
    /// command (if there is one): in time for SIGKILL (a grace period later)
    /// to come two margins before the deadline, a margin before the guardian
    /// would step in.
    pub fn give_up_after(&self, command: bool) -> Duration {
        let grace = if command { self.grace } else { Duration::ZERO };
        self.ttl
            .saturating_sub(grace)
            .saturating_sub(self.margin * 2)
    }
}
