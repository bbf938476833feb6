//! [`Inline`]: a command run in etcdpy's own process group, as `watch` runs
//! CMD per change, and how such a run ended ([`Ran`], [`NotRun`]).

use super::status::{not_started, status_code};
use crate::exit::Exit;
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::process::ExitStatus;
use tokio::signal::unix::Signal;

/// A command run in etcdpy's own process group (a terminal's Ctrl-C reaches
/// both), stdin, stdout and stderr inherited: `watch` runs CMD so per change.
pub struct Inline {
    child: tokio::process::Child,
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
