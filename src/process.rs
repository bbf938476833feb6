//! Running CMD, for `lock` and for `watch`: in its own process group
//! ([`Group`]: spawning with the terminal handed over when etcdpy owns it,
//! forwarding signals to the whole group, stopping it with SIGTERM then
//! SIGKILL) or in etcdpy's own ([`Inline`], a command per watched change);
//! the [`Guardian`] that stops a group when etcdpy cannot (killed, or stopped
//! past a deadline); catching the signals etcdpy reacts to; and the shell's
//! statuses: 127 (CMD not found), 126 (cannot be run), 128+N (signal N).

use crate::exit::Exit;
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};
use tokio::signal::unix::{Signal, SignalKind, signal};

/// A command running as the leader of its own process group.
pub struct Group {
    /// The process group ID (= the child's PID).
    pub pgid: i32,
    /// The terminal the group was made the foreground of.
    terminal: Option<i32>,
    /// SIGCHLD: the child exited or stopped.
    sigchld: Signal,
    exited: Option<ExitStatus>,
}

impl Group {
    /// Start `argv` in a new process group, with stdin, stdout and stderr
    /// inherited and `env` added. If etcdpy is in the foreground of the
    /// terminal on stdin, the group becomes the foreground (as a shell does
    /// for a job), so that CMD can read the terminal and Ctrl-C reaches it.
    /// On Linux the child also gets SIGTERM if etcdpy dies (even by SIGKILL).
    pub fn spawn(argv: &[OsString], env: &[(&str, OsString)]) -> io::Result<Group> {
        Group::spawn_with(argv, env, None)
    }

    /// [`Group::spawn`], the group watched by `guardian` from before the
    /// command runs.
    pub fn spawn_guarded(
        argv: &[OsString],
        env: &[(&str, OsString)],
        guardian: &Guardian,
    ) -> io::Result<Group> {
        Group::spawn_with(argv, env, Some(guardian.orders.as_raw_fd()))
    }

    fn spawn_with(
        argv: &[OsString],
        env: &[(&str, OsString)],
        guardian: Option<RawFd>,
    ) -> io::Result<Group> {
        let (program, args) = argv
            .split_first()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no command"))?;
        let terminal = foreground_terminal();
        // Before the child exists, so that no SIGCHLD is missed.
        let sigchld = signal(SignalKind::child())?;
        let mut cmd = std::process::Command::new(program);
        cmd.args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::inherit())
            .stdout(Stdio::inherit())
            .stderr(Stdio::inherit());
        // SAFETY: only async-signal-safe calls (setpgid, write, prctl,
        // sigprocmask, tcsetpgrp, getpid) between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setpgid(0, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // The guardian learns the group before the command runs (the
                // descriptor closes on exec).
                if let Some(fd) = guardian {
                    let order = Order::encode(Order::GROUP, libc::getpid() as u64);
                    if libc::write(fd, order.as_ptr().cast(), order.len()) != order.len() as isize {
                        return Err(io::Error::last_os_error());
                    }
                }
                #[cfg(target_os = "linux")]
                libc::prctl(
                    libc::PR_SET_PDEATHSIG,
                    libc::SIGTERM as libc::c_ulong,
                    0,
                    0,
                    0,
                );
                if let Some(fd) = terminal {
                    with_sigttou_blocked(|| {
                        libc::tcsetpgrp(fd, libc::getpid());
                    });
                }
                Ok(())
            });
        }
        // spawn returns once the child has exec'd, so the pre_exec work is done.
        let child = cmd.spawn()?;
        Ok(Group {
            pgid: child.id() as i32,
            terminal,
            sigchld,
            exited: None,
        })
    }

    /// Send `sig` to every process in the group (grandchildren included).
    pub fn signal(&self, sig: i32) {
        signal_group(self.pgid, sig);
    }

    /// Wait for the command to end, then take the terminal back. Cancel-safe.
    ///
    /// If the command is stopped from the terminal (Ctrl-Z), etcdpy takes the
    /// terminal back and stops itself too, so that the shell sees the job
    /// stopped; on `fg` it hands the terminal over again and continues the
    /// command. (While etcdpy is stopped, its lease is not kept alive.)
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        loop {
            if let Some(status) = self.try_wait()? {
                self.take_terminal_back();
                return Ok(status);
            }
            self.sigchld.recv().await;
        }
    }

    /// The command's status if it has ended (without waiting).
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        if let Some(status) = self.exited {
            return Ok(Some(status));
        }
        loop {
            let mut raw = 0;
            // SAFETY: waitpid on our own child.
            let pid =
                unsafe { libc::waitpid(self.pgid, &mut raw, libc::WNOHANG | libc::WUNTRACED) };
            match pid {
                0 => return Ok(None),
                -1 => {
                    let err = io::Error::last_os_error();
                    if err.kind() != io::ErrorKind::Interrupted {
                        return Err(err);
                    }
                }
                _ if libc::WIFSTOPPED(raw) => self.stopped(),
                _ => {
                    let status = ExitStatus::from_raw(raw);
                    self.exited = Some(status);
                    return Ok(Some(status));
                }
            }
        }
    }

    /// The command was stopped: if it was the terminal's foreground job, stop
    /// along with it (see [`Group::wait`]).
    fn stopped(&mut self) {
        let Some(fd) = self.terminal else { return };
        // SAFETY: terminal and signal syscalls on our own terminal and groups.
        unsafe {
            if libc::tcgetpgrp(fd) != self.pgid {
                return;
            }
            with_sigttou_blocked(|| {
                libc::tcsetpgrp(fd, libc::getpgrp());
            });
            // Stops etcdpy here, until the shell continues it.
            libc::kill(0, libc::SIGTSTP);
            if libc::tcgetpgrp(fd) == libc::getpgrp() {
                with_sigttou_blocked(|| {
                    libc::tcsetpgrp(fd, self.pgid);
                });
            }
        }
        self.signal(libc::SIGCONT);
    }

    fn take_terminal_back(&mut self) {
        if let Some(fd) = self.terminal.take() {
            // SAFETY: tcsetpgrp on our terminal, with SIGTTOU blocked because
            // etcdpy is in the background until the call succeeds; only while
            // the command's group still owns the terminal.
            unsafe {
                if libc::tcgetpgrp(fd) == self.pgid {
                    with_sigttou_blocked(|| {
                        libc::tcsetpgrp(fd, libc::getpgrp());
                    });
                }
            }
        }
    }
}

impl Group {
    /// SIGTERM to the group, SIGKILL after `grace` (the guardian sends it
    /// should etcdpy not); waits for the command and stands the guardian
    /// down. Says what it did: "CMD got SIGTERM and, 5s later, SIGKILL".
    pub async fn stop(&mut self, guardian: &Guardian, grace: Duration) -> String {
        self.signal(libc::SIGTERM);
        guardian.termed();
        let mut what = "CMD got SIGTERM".to_string();
        if tokio::time::timeout(grace, self.wait()).await.is_err() {
            what.push_str(&format!(
                " and, {} later, SIGKILL",
                humantime::format_duration(grace)
            ));
        }
        // Whatever is left of the group must not go on without the lock.
        self.signal(libc::SIGKILL);
        let _ = self.wait().await;
        guardian.stand_down();
        what
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        self.take_terminal_back();
    }
}

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
    orders: OwnedFd,
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

/// An order to the guardian: 16 bytes (kind, value), one atomic pipe write.
struct Order;

impl Order {
    /// The command's process group (sent by the command before it execs).
    const GROUP: u64 = 1;
    /// The new deadline (CLOCK_MONOTONIC nanoseconds).
    const DEADLINE: u64 = 2;
    /// The command ended: exit (unless already stopping the group).
    const STAND_DOWN: u64 = 3;
    /// etcdpy sent SIGTERM to the group: SIGKILL follows.
    const TERMED: u64 = 4;

    fn encode(kind: u64, value: u64) -> [u8; 16] {
        let mut order = [0u8; 16];
        order[..8].copy_from_slice(&kind.to_le_bytes());
        order[8..].copy_from_slice(&value.to_le_bytes());
        order
    }
}

/// What the guardian knows when it starts (all in nanoseconds).
#[derive(Clone, Copy)]
struct Plan {
    orders: RawFd,
    reports: RawFd,
    deadline: u64,
    grace: u64,
    margin: u64,
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

/// CLOCK_MONOTONIC now, in nanoseconds (async-signal-safe).
fn monotonic() -> u64 {
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

/// The guardian's whole life, in the forked child of a multi-threaded
/// program: async-signal-safe calls only, nothing allocated, never returns.
unsafe fn guard(plan: Plan) -> ! {
    // SAFETY: every call below is async-signal-safe and works on this
    // process's own descriptors, signal dispositions and the command's group.
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
        // The pipes move above 2 (etcdpy may have started without stdin),
        // then 0-2 become /dev/null and every other descriptor closes.
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

        let mut group: libc::pid_t = 0;
        let mut deadline = plan.deadline;
        // etcdpy's end closed (it died) / it said the command ended.
        let mut orphaned = false;
        let mut stood_down = false;
        let mut termed_at: Option<u64> = None;
        loop {
            let now = monotonic();
            let kill_by = deadline.saturating_sub(plan.margin);
            if termed_at.is_none()
                && group > 0
                && (orphaned || now >= kill_by.saturating_sub(plan.grace))
            {
                let report: u8 = if leader_running(group) { 1 } else { 2 };
                libc::write(plan.reports, (&raw const report).cast(), 1);
                libc::kill(-group, libc::SIGTERM);
                termed_at = Some(now);
            }
            let wait = match termed_at {
                Some(at) => {
                    let kill_at = at.saturating_add(plan.grace).min(kill_by);
                    if now >= kill_at {
                        libc::kill(-group, libc::SIGKILL);
                        libc::_exit(0);
                    }
                    kill_at - now
                }
                None if orphaned || stood_down => libc::_exit(0),
                None if group > 0 => kill_by.saturating_sub(plan.grace) - now,
                None => u64::MAX,
            };
            // Whole milliseconds, rounded up; -1 waits without end.
            let ms = if wait == u64::MAX {
                -1
            } else {
                wait.div_ceil(1_000_000).min(i32::MAX as u64) as i32
            };
            if orphaned || stood_down {
                libc::poll(std::ptr::null_mut(), 0, ms);
                continue;
            }
            let mut poll = libc::pollfd {
                fd: plan.orders,
                events: libc::POLLIN,
                revents: 0,
            };
            if libc::poll(&mut poll, 1, ms) <= 0 {
                continue;
            }
            let mut order = [0u8; 16];
            match libc::read(plan.orders, order.as_mut_ptr().cast(), order.len()) {
                0 => orphaned = true,
                16 => {
                    let mut half = [0u8; 8];
                    half.copy_from_slice(&order[..8]);
                    let kind = u64::from_le_bytes(half);
                    half.copy_from_slice(&order[8..]);
                    let value = u64::from_le_bytes(half);
                    match kind {
                        Order::GROUP => group = value as libc::pid_t,
                        Order::DEADLINE if termed_at.is_none() => deadline = value,
                        Order::STAND_DOWN => stood_down = true,
                        Order::TERMED if termed_at.is_none() => termed_at = Some(monotonic()),
                        _ => {}
                    }
                }
                _ => {}
            }
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

/// Send `sig` to every process in the group `pgid` (grandchildren included).
pub fn signal_group(pgid: i32, sig: i32) {
    if pgid > 0 {
        // SAFETY: kill(2) on a process group this program started.
        unsafe {
            libc::kill(-pgid, sig);
        }
    }
}

/// The terminal fd (stdin) if etcdpy is in its foreground process group.
fn foreground_terminal() -> Option<i32> {
    // SAFETY: plain queries on fd 0.
    unsafe { (libc::isatty(0) == 1 && libc::tcgetpgrp(0) == libc::getpgrp()).then_some(0) }
}

/// Run `f` with SIGTTOU blocked in this thread: a background process may then
/// call tcsetpgrp instead of being stopped.
///
/// # Safety
/// `f` runs between fork and exec in the child: it must be async-signal-safe.
unsafe fn with_sigttou_blocked(f: impl FnOnce()) {
    // SAFETY: sigset manipulation on stack memory, then the thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGTTOU);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut old);
        f();
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
    }
}

/// The signals etcdpy forwards to a command, or that end a wait:
/// SIGINT, SIGTERM, SIGHUP and SIGQUIT. Created early, so that from then on
/// they no longer kill etcdpy itself.
pub struct Signals {
    streams: [(i32, Signal); 4],
}

impl Signals {
    pub fn catch() -> io::Result<Signals> {
        Ok(Signals {
            streams: [
                (libc::SIGINT, signal(SignalKind::interrupt())?),
                (libc::SIGTERM, signal(SignalKind::terminate())?),
                (libc::SIGHUP, signal(SignalKind::hangup())?),
                (libc::SIGQUIT, signal(SignalKind::quit())?),
            ],
        })
    }

    /// The next signal received (its number).
    pub async fn recv(&mut self) -> i32 {
        let [(a, sa), (b, sb), (c, sc), (d, sd)] = &mut self.streams;
        tokio::select! {
            _ = sa.recv() => *a,
            _ = sb.recv() => *b,
            _ = sc.recv() => *c,
            _ = sd.recv() => *d,
        }
    }
}

/// A command run in etcdpy's own process group (a terminal's Ctrl-C reaches
/// both), stdin, stdout and stderr inherited: `watch` runs CMD so per change.
pub struct Inline {
    child: tokio::process::Child,
}

/// What a failing CMD does to the command that runs it (`watch --on-error`).
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnError {
    /// Warn on stderr and keep watching
    Continue,
    /// Stop and exit with CMD's exit status (128+N when a signal N killed it)
    Exit,
}

/// Why [`Inline::run`] has no status, with a message naming CMD.
pub enum NotRun {
    /// It could not be started: the shell's status, 127 (not found) or 126
    /// (cannot be run, for any other reason).
    Start(Exit, String),
    /// Waiting for it failed.
    Wait(String),
}

/// How a command run by [`Inline::run`] ended.
pub struct Ran {
    /// Its status as a shell reports it, when not 0.
    pub failed: Option<u8>,
    /// A SIGINT came (and was passed on) while it ran.
    pub interrupted: bool,
}

impl Inline {
    /// Start `argv` with `env` added.
    pub fn spawn(argv: &[OsString], env: &[(&str, &OsStr)]) -> io::Result<Inline> {
        let (program, args) = argv
            .split_first()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no command"))?;
        let child = tokio::process::Command::new(program)
            .args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .spawn()?;
        Ok(Inline { child })
    }

    /// Send `sig` to the command alone (not to its children).
    pub fn signal(&self, sig: i32) {
        if let Some(pid) = self.child.id() {
            // SAFETY: a plain kill(2) of our own child.
            unsafe { libc::kill(pid as libc::pid_t, sig) };
        }
    }

    /// Wait for the command to end. Cancel-safe.
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        self.child.wait().await
    }

    /// Run `argv` with `env` added and wait for it, SIGINT passed on as
    /// [`Inline::finish`] does.
    pub async fn run(
        argv: &[OsString],
        env: &[(&str, &OsStr)],
        sigint: &mut Signal,
    ) -> Result<Ran, NotRun> {
        let name = crate::text::escape(argv.first().map_or(&[][..], |p| p.as_bytes()));
        let mut child = Inline::spawn(argv, env)
            .map_err(|e| NotRun::Start(not_started(&e), format!("cannot run {name}: {e}")))?;
        let (status, interrupted) = child
            .finish(sigint)
            .await
            .map_err(|e| NotRun::Wait(format!("waiting for {name}: {e}")))?;
        let failed = (!status.success()).then(|| status_code(status));
        Ok(Ran {
            failed,
            interrupted,
        })
    }

    /// Wait for the command to end, passing a SIGINT that reaches etcdpy on to
    /// it (a terminal's Ctrl-C reaches it too; a signal to etcdpy alone is
    /// passed on). Returns its status and whether a SIGINT came meanwhile.
    pub async fn finish(&mut self, sigint: &mut Signal) -> io::Result<(ExitStatus, bool)> {
        let mut interrupted = false;
        loop {
            tokio::select! {
                status = self.child.wait() => return Ok((status?, interrupted)),
                _ = sigint.recv(), if !interrupted => {
                    self.signal(libc::SIGINT);
                    interrupted = true;
                }
            }
        }
    }
}

/// How etcdpy ends when a command could not be started, as a shell does
/// (the same for `lock`, `elect` and `watch`): 127 when it does not exist,
/// 126 when it cannot be run for any other reason (not executable, a
/// directory, a path through a file, a format exec does not know).
pub fn not_started(error: &io::Error) -> Exit {
    match error.kind() {
        io::ErrorKind::NotFound => Exit::CmdNotFound,
        _ => Exit::CannotRun,
    }
}

/// A status as a shell reports it: the exit code, or 128+N when signal N
/// killed the process.
pub fn status_code(status: ExitStatus) -> u8 {
    match (status.code(), status.signal()) {
        (Some(code), _) => code as u8,
        (None, Some(sig)) => (128 + sig).min(255) as u8,
        _ => 1,
    }
}

/// The conventional name of a signal: "SIGTERM".
pub fn signal_name(sig: i32) -> String {
    match sig {
        libc::SIGINT => "SIGINT".into(),
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGHUP => "SIGHUP".into(),
        libc::SIGQUIT => "SIGQUIT".into(),
        libc::SIGKILL => "SIGKILL".into(),
        other => format!("signal {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_like_a_shell() {
        assert_eq!(status_code(ExitStatus::from_raw(3 << 8)), 3);
        assert_eq!(status_code(ExitStatus::from_raw(libc::SIGTERM)), 143);
        assert_eq!(status_code(ExitStatus::from_raw(libc::SIGKILL)), 137);
        assert_eq!(signal_name(libc::SIGHUP), "SIGHUP");
    }
}
