//! The guardian's side: the orders it reads (16 bytes each), what it knows
//! when it starts, and its life in the forked child: async-signal-safe calls
//! only, nothing allocated (the clock, the group it signals, the descriptors
//! it closes, the process state it reads from /proc).

use std::os::fd::RawFd;

/// An order to the guardian: 16 bytes (kind, value), one atomic pipe write.
pub(super) struct Order;

impl Order {
    /// The command's process group (sent by the command before it execs).
    pub(super) const GROUP: u64 = 1;
    /// The new deadline (CLOCK_MONOTONIC nanoseconds).
    pub(super) const DEADLINE: u64 = 2;
    /// The command ended: exit (unless already stopping the group).
    pub(super) const STAND_DOWN: u64 = 3;
    /// etcdpy sent SIGTERM to the group: SIGKILL follows.
    pub(super) const TERMED: u64 = 4;

    pub(super) fn encode(kind: u64, value: u64) -> [u8; 16] {
        let mut order = [0u8; 16];
        order[..8].copy_from_slice(&kind.to_le_bytes());
        order[8..].copy_from_slice(&value.to_le_bytes());
        order
    }
}

/// What the guardian knows when it starts (all in nanoseconds).
#[derive(Clone, Copy)]
pub(super) struct Plan {
    pub(super) orders: RawFd,
    pub(super) reports: RawFd,
    pub(super) deadline: u64,
    pub(super) grace: u64,
    pub(super) margin: u64,
}

/// CLOCK_MONOTONIC now, in nanoseconds (async-signal-safe).
pub(super) fn monotonic() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes the local timespec.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    (ts.tv_sec as u64)
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec as u64)
}

/// The guardian's whole life, in the forked child of a multi-threaded
/// program: async-signal-safe calls only, nothing allocated, never returns.
pub(super) unsafe fn guard(plan: Plan) -> ! {
    // SAFETY: every call below is async-signal-safe and works on this
    // process's own descriptors, signal dispositions and the command's group.
    unsafe {
        let plan = detach(plan);
        let mut vigil = Vigil {
            group: 0,
            deadline: plan.deadline,
            orphaned: false,
            stood_down: false,
            termed_at: None,
        };
        loop {
            let ms = vigil.act(&plan);
            if vigil.orphaned || vigil.stood_down {
                libc::poll(std::ptr::null_mut(), 0, ms);
                continue;
            }
            vigil.take_order(&plan, ms);
        }
    }
}

/// The guardian leaves etcdpy's job and terminal behind: a process group of
/// its own, the signals a terminal sends ignored, no signal blocked; the
/// pipes move above 2 (etcdpy may have started without stdin), then 0-2
/// become /dev/null and every other descriptor closes. Returns the plan
/// with the pipes where they now are.
unsafe fn detach(plan: Plan) -> Plan {
    // SAFETY: async-signal-safe calls on this process's own descriptors and
    // signal dispositions.
    unsafe {
        libc::setpgid(0, 0);
        for sig in [
            libc::SIGINT,
            libc::SIGTERM,
            libc::SIGHUP,
            libc::SIGQUIT,
            libc::SIGTSTP,
            libc::SIGTTIN,
            libc::SIGTTOU,
            libc::SIGPIPE,
        ] {
            libc::signal(sig, libc::SIG_IGN);
        }
        libc::signal(libc::SIGCHLD, libc::SIG_DFL);
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        libc::pthread_sigmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
        let plan = Plan {
            orders: libc::fcntl(plan.orders, libc::F_DUPFD_CLOEXEC, 3),
            reports: libc::fcntl(plan.reports, libc::F_DUPFD_CLOEXEC, 3),
            ..plan
        };
        if plan.orders < 0 || plan.reports < 0 {
            libc::_exit(1);
        }
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
        if null >= 0 {
            for fd in 0..3 {
                libc::dup2(null, fd);
            }
        }
        close_all_but(plan.orders, plan.reports);
        plan
    }
}

/// What the guardian has learnt from etcdpy's orders, and what it did.
struct Vigil {
    group: libc::pid_t,
    deadline: u64,
    /// etcdpy's end closed (it died).
    orphaned: bool,
    /// etcdpy said the command ended.
    stood_down: bool,
    termed_at: Option<u64>,
}

impl Vigil {
    /// SIGTERM to the group when etcdpy is gone or the deadline draws near
    /// (reporting whether the command was still running), SIGKILL a grace
    /// period later and at the latest a margin before the deadline, then
    /// exit; exit too once stood down or orphaned with nothing to stop.
    /// Returns how long to wait for the next order: whole milliseconds,
    /// rounded up; -1 waits without end.
    unsafe fn act(&mut self, plan: &Plan) -> i32 {
        let now = monotonic();
        let kill_by = self.deadline.saturating_sub(plan.margin);
        // SAFETY: a write to our own pipe, kill(2) of the command's group and
        // _exit: async-signal-safe.
        unsafe {
            if self.termed_at.is_none()
                && self.group > 0
                && (self.orphaned || now >= kill_by.saturating_sub(plan.grace))
            {
                let report: u8 = if leader_running(self.group) { 1 } else { 2 };
                libc::write(plan.reports, (&raw const report).cast(), 1);
                libc::kill(-self.group, libc::SIGTERM);
                self.termed_at = Some(now);
            }
            let wait = match self.termed_at {
                Some(at) => {
                    let kill_at = at.saturating_add(plan.grace).min(kill_by);
                    if now >= kill_at {
                        libc::kill(-self.group, libc::SIGKILL);
                        libc::_exit(0);
                    }
                    kill_at - now
                }
                None if self.orphaned || self.stood_down => libc::_exit(0),
                None if self.group > 0 => kill_by.saturating_sub(plan.grace) - now,
                None => u64::MAX,
            };
            if wait == u64::MAX {
                -1
            } else {
                wait.div_ceil(1_000_000).min(i32::MAX as u64) as i32
            }
        }
    }

    /// Wait up to `ms` for an order from etcdpy and follow it; a closed pipe
    /// means etcdpy died.
    unsafe fn take_order(&mut self, plan: &Plan, ms: i32) {
        let mut poll = libc::pollfd {
            fd: plan.orders,
            events: libc::POLLIN,
            revents: 0,
        };
        let mut order = [0u8; 16];
        // SAFETY: poll and read of our own pipe into a local buffer.
        let n = unsafe {
            if libc::poll(&mut poll, 1, ms) <= 0 {
                return;
            }
            libc::read(plan.orders, order.as_mut_ptr().cast(), order.len())
        };
        match n {
            0 => self.orphaned = true,
            16 => {
                let mut half = [0u8; 8];
                half.copy_from_slice(&order[..8]);
                let kind = u64::from_le_bytes(half);
                half.copy_from_slice(&order[8..]);
                let value = u64::from_le_bytes(half);
                match kind {
                    Order::GROUP => self.group = value as libc::pid_t,
                    Order::DEADLINE if self.termed_at.is_none() => self.deadline = value,
                    Order::STAND_DOWN => self.stood_down = true,
                    Order::TERMED if self.termed_at.is_none() => self.termed_at = Some(monotonic()),
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Close every descriptor from 3 up but `a` and `b`, both 3 or more
/// (async-signal-safe).
unsafe fn close_all_but(a: RawFd, b: RawFd) {
    let (low, high) = (a.min(b) as u32, a.max(b) as u32);
    for (first, last) in [(3, low - 1), (low + 1, high - 1), (high + 1, u32::MAX)] {
        if first > last {
            continue;
        }
        // SAFETY: closing descriptors of this (child) process.
        unsafe {
            if libc::syscall(libc::SYS_close_range, first, last, 0) != 0 {
                let mut limit = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
                let end = (limit.rlim_cur.min(65_536) as u32).min(last.saturating_add(1));
                for fd in first..end {
                    libc::close(fd as i32);
                }
            }
        }
    }
}

/// Whether process `pid` still runs (not a zombie, not reaped), read from
/// /proc/PID/stat without allocating (async-signal-safe).
unsafe fn leader_running(pid: libc::pid_t) -> bool {
    let mut path = *b"/proc/\0\0\0\0\0\0\0\0\0\0\0\0/stat\0\0\0\0\0\0";
    let mut digits = [0u8; 12];
    let mut n = 0;
    let mut rest = pid as u32;
    loop {
        digits[n] = b'0' + (rest % 10) as u8;
        n += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let mut at = 6;
    for i in (0..n).rev() {
        path[at] = digits[i];
        at += 1;
    }
    for b in b"/stat\0" {
        path[at] = *b;
        at += 1;
    }
    let mut buf = [0u8; 512];
    // SAFETY: open/read/close with local buffers.
    let len = unsafe {
        let fd = libc::open(path.as_ptr().cast(), libc::O_RDONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return false;
        }
        let len = libc::read(fd, buf.as_mut_ptr().cast(), buf.len());
        libc::close(fd);
        len
    };
    if len <= 0 {
        return false;
    }
    let stat = &buf[..len as usize];
    match stat.iter().rposition(|b| *b == b')') {
        Some(i) => !matches!(stat.get(i + 2), Some(b'Z' | b'X') | None),
        None => false,
    }
}
