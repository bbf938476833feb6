//! The one retry policy: exponential back-off with full jitter. The n-th pause
//! (from 0) is drawn uniformly from [0, min(CAP, BASE × 2ⁿ)], so that many
//! clients that failed together (an election, a member killed) do not ask
//! again together, and each asks a leaderless cluster about once a second
//! (CAP / 2 on average) once the pauses reach the cap, however long the
//! election lasts. A pause never takes a request past its deadline.

use std::time::{Duration, Instant};

/// The first pause's upper bound.
pub(in crate::client) const BASE: Duration = Duration::from_millis(50);

/// The most any pause may be.
pub(in crate::client) const CAP: Duration = Duration::from_secs(2);

/// The least time a last attempt is given before its deadline.
pub(in crate::client) const LAST_TRY: Duration = Duration::from_millis(100);

/// One retry loop's pauses.
pub(in crate::client) struct Backoff {
    tries: u32,
    /// splitmix64's state (no crate for a few random pauses).
    state: u64,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff::new()
    }
}

impl Backoff {
    /// A retry loop's first failure is next.
    pub(in crate::client) fn new() -> Backoff {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        // Processes started in the same nanosecond differ by pid; loops in one
        // process by the stack address of the loop's state.
        let here = &now as *const u64 as u64;
        let seed = now ^ (u64::from(std::process::id()) << 32) ^ here.rotate_left(17);
        Backoff::seeded(seed)
    }

    fn seeded(seed: u64) -> Backoff {
        Backoff {
            tries: 0,
            state: seed,
        }
    }

    /// The next pause (the policy above).
    pub(in crate::client) fn next_pause(&mut self) -> Duration {
        let ceiling = BASE.saturating_mul(1 << self.tries.min(16)).min(CAP);
        self.tries = self.tries.saturating_add(1);
        let nanos = ceiling.as_nanos() as u64;
        Duration::from_nanos(self.random() % (nanos + 1))
    }

    /// The next pause, shortened so that the next attempt still starts [`LAST_TRY`] before
    /// `deadline`; `None` when less than that is left (nothing is asked that could not be
    /// answered in time). A long pause drawn near the deadline is cut, not a reason to give
    /// up early: a command asks until its timeout, as it did before the jitter.
    pub(in crate::client) fn before(&mut self, deadline: Instant) -> Option<Duration> {
        let pause = self.next_pause();
        let left = deadline.checked_duration_since(Instant::now())?;
        Some(pause.min(left.checked_sub(LAST_TRY)?))
    }

    /// Start again from the first pause (the thing retried worked).
    pub(in crate::client) fn reset(&mut self) {
        self.tries = 0;
    }

    fn random(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_to_the_cap_and_stay_under_it() {
        let mut backoff = Backoff::seeded(7);
        for n in 0..40u32 {
            let ceiling = BASE.saturating_mul(1 << n.min(16)).min(CAP);
            assert!(backoff.next_pause() <= ceiling, "pause {n}");
        }
        // Full jitter: pauses at the cap are spread over [0, CAP], about CAP / 2 on average.
        let sum: Duration = (0..1000).map(|_| backoff.next_pause()).sum();
        let mean = sum / 1000;
        assert!(mean > CAP / 3 && mean < CAP * 2 / 3, "{mean:?}");
        backoff.reset();
        assert!(backoff.next_pause() <= BASE);
    }

    #[test]
    fn two_loops_draw_different_pauses() {
        let (mut a, mut b) = (Backoff::seeded(1), Backoff::seeded(2));
        let a: Vec<_> = (0..8).map(|_| a.next_pause()).collect();
        let b: Vec<_> = (0..8).map(|_| b.next_pause()).collect();
        assert_ne!(a, b);
    }

    #[test]
    fn no_pause_past_the_deadline() {
        let mut backoff = Backoff::seeded(3);
        for _ in 0..10 {
            backoff.next_pause();
        }
        let soon = Instant::now() + Duration::from_millis(1);
        // At the cap a pause under 1 ms is rare; whichever comes, it ends before the deadline.
        if let Some(pause) = backoff.before(soon) {
            assert!(pause < Duration::from_millis(1));
        }
        assert_eq!(backoff.before(Instant::now()), None);
    }

    #[test]
    fn a_long_pause_near_the_deadline_is_cut_not_dropped() {
        let mut backoff = Backoff::seeded(5);
        for _ in 0..10 {
            backoff.next_pause();
        }
        // At the cap, pauses are drawn up to 2 s; with 1 s left each is at most 900 ms, and
        // none is refused: the last attempt still comes before the deadline.
        for _ in 0..100 {
            let pause = backoff.before(Instant::now() + Duration::from_secs(1));
            assert!(
                pause.is_some_and(|p| p <= Duration::from_millis(900)),
                "{pause:?}"
            );
        }
    }
}
