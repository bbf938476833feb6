//! [`Group`]: a command running as the leader of its own process group, the
//! terminal handed over while etcdpy owns it (and taken back, also across
//! Ctrl-Z and `fg`), signals sent to the whole group, stopped with SIGTERM
//! then SIGKILL.

use super::guard::Order;
use super::guardian::Guardian;
use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;
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
