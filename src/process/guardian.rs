//! The [`Guardian`], etcdpy's side: forking it, the orders it is sent (the
//! command's group, a new deadline, SIGTERM sent, stand down) and what it
//! reports back. The orders themselves and its life in the forked child are
//! in `guard.rs`.

use super::guard::{Order, Plan, guard, monotonic};
use super::timing::Timing;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

/// A small process, forked from etcdpy before a command starts, that stops
/// the command's whole process group (grandchildren included) when etcdpy
/// cannot or when told to:
///
/// - etcdpy dies, even by SIGKILL (its end of a pipe closes): SIGTERM to the
///   group at once, SIGKILL after the grace period;
/// - etcdpy does not move the deadline it gave (the moment the lock's lease
///   could expire) while it draws near, because etcdpy is stopped or starved:
///   SIGTERM a grace period plus a margin before the deadline.
///
/// SIGKILL follows SIGTERM after the grace period (also SIGTERM that etcdpy
/// sent itself: [`Guardian::termed`]), and always a margin before the
/// deadline. The guardian is in a process group of its own (signals to
/// etcdpy's job or to the command's group do not reach it), ignores the
/// signals a terminal sends, holds none of etcdpy's descriptors (etcdpy's
/// stdout ends when etcdpy exits), and exits once told to stand down or once
/// it has sent SIGKILL. Dropping it without [`Guardian::stand_down`] is
/// etcdpy's death as far as it knows.
pub struct Guardian {
    /// etcdpy's orders (write end).
    pub(super) orders: OwnedFd,
    /// What the guardian did (read end, non-blocking).
    reports: OwnedFd,
    acted: std::cell::Cell<Option<Acted>>,
}

/// What the guardian did to the command's group.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Acted {
    /// It signalled the group while the command was running.
    StoppedCommand,
    /// It signalled what was left of the group after the command had ended.
    AfterCommand,
}

impl Guardian {
    /// Fork the guardian. `deadline`: the earliest moment the lock could be
    /// lost (moved on with [`Guardian::renewed`]); `timing`: the grace from
    /// SIGTERM to SIGKILL, and the margin SIGKILL comes before the deadline.
    pub fn start(deadline: Instant, timing: Timing) -> io::Result<Guardian> {
        let (orders_in, orders) = pipe()?;
        let (reports, reports_out) = pipe()?;
        // SAFETY: fcntl on a descriptor we own.
        if unsafe { libc::fcntl(reports.as_raw_fd(), libc::F_SETFL, libc::O_NONBLOCK) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let plan = Plan {
            orders: orders_in.as_raw_fd(),
            reports: reports_out.as_raw_fd(),
            deadline: monotonic_at(deadline),
            grace: nanos(timing.grace),
            margin: nanos(timing.margin),
        };
        // SAFETY: the child runs only `guard`, which makes async-signal-safe
        // calls only and never returns.
        match unsafe { libc::fork() } {
            -1 => Err(io::Error::last_os_error()),
            0 => unsafe { guard(plan) },
            _ => Ok(Guardian {
                orders,
                reports,
                acted: std::cell::Cell::new(None),
            }),
        }
    }

    /// The lock cannot be lost before `deadline` (the lease was renewed).
    pub fn renewed(&self, deadline: Instant) {
        self.send(Order::DEADLINE, monotonic_at(deadline));
    }

    /// etcdpy sent SIGTERM to the group: the guardian sends SIGKILL after the
    /// grace period (sooner if the deadline comes first), should etcdpy not.
    pub fn termed(&self) {
        self.send(Order::TERMED, 0);
    }

    /// The command ended: the guardian exits, unless it is already stopping
    /// the group. Returns what it did, if anything.
    pub fn stand_down(&self) -> Option<Acted> {
        self.send(Order::STAND_DOWN, 0);
        self.acted()
    }

    /// What the guardian did to the group so far, if anything.
    pub fn acted(&self) -> Option<Acted> {
        if self.acted.get().is_none() {
            let mut byte = 0u8;
            // SAFETY: a one-byte read into a local, on a non-blocking pipe we own.
            let n = unsafe { libc::read(self.reports.as_raw_fd(), (&raw mut byte).cast(), 1) };
            self.acted.set(match (n, byte) {
                (1, 1) => Some(Acted::StoppedCommand),
                (1, _) => Some(Acted::AfterCommand),
                _ => None,
            });
        }
        self.acted.get()
    }

    fn send(&self, kind: u64, value: u64) {
        let order = Order::encode(kind, value);
        // SAFETY: a write of a local buffer to a pipe we own. A guardian that
        // is gone (EPIPE; SIGPIPE is ignored) has nothing left to do.
        unsafe {
            libc::write(self.orders.as_raw_fd(), order.as_ptr().cast(), order.len());
        }
    }
}

/// A pipe (read end, write end), both closed on exec.
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills two descriptors that we then own.
    unsafe {
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok((OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])))
    }
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// `at` on CLOCK_MONOTONIC (which `Instant` is measured on, so only the
/// offset from now matters).
fn monotonic_at(at: Instant) -> u64 {
    let now = Instant::now();
    let base = monotonic();
    if at >= now {
        base.saturating_add(nanos(at - now))
    } else {
        base.saturating_sub(nanos(now - at))
    }
}
