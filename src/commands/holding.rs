//! Waiting for a lock (a semaphore slot, an election) and holding it, shared
//! by `lock` and `elect`: the signals, CMD run while held and stopped (exit
//! 6) when the lock is lost or could be, the release on every way out.

use super::args::HoldArgs;
use super::held_cmd::{Ending, ended, spawn};
use crate::client::{Held, Locking, Recipe, Waited};
use crate::error::{Error, Result};
use crate::output::lock::{WaitNotice, holding_notice};
use crate::output::{Out, warn};
use crate::process::{Guardian, Signals, Timing, signal_name};
use std::ffi::OsString;
use std::time::Duration;
use tokio::time::Instant;

/// `--kill-after` when not given (shortened for a short TTL).
const DEFAULT_KILL_AFTER: Duration = Duration::from_secs(5);

/// What to hold, and how.
pub struct Holding<'a> {
    pub command: &'a [OsString],
    pub hold: HoldArgs,
    pub recipe: Recipe,
}

impl Holding<'_> {
    /// Wait for `name` in the queue `open(name, ttl, recipe)` makes, hold it
    /// (`announce`, without CMD, says so once it is held, with the lease),
    /// release it.
    pub async fn run<M: Locking>(
        &self,
        open: impl AsyncFnOnce(Vec<u8>, u64, Recipe) -> crate::client::Result<M>,
        name: Vec<u8>,
        out: &mut Out,
        color_stderr: bool,
        announce: impl FnOnce(&Held, Option<i64>, &mut Out) -> Result<()>,
    ) -> Result<()> {
        let ttl = Duration::from_secs(self.hold.ttl);
        let timing = Timing::new(ttl, self.hold.kill_after.unwrap_or(DEFAULT_KILL_AFTER));
        if let Some(asked) = self.hold.kill_after.filter(|asked| *asked > timing.grace) {
            let show = humantime::format_duration;
            let (asked, ttl, most) = (show(asked), show(ttl), show(timing.grace));
            let warning = format!(
                "--kill-after {asked} is longer than a quarter of --ttl {ttl}; using {most}, so \
                 that CMD is killed before the lease can expire"
            );
            warn(&warning, color_stderr);
        }
        // From here on these signals no longer kill etcdpy: they clean up.
        let mut signals = Signals::catch()
            .map_err(|e| Error::unexpected(format!("cannot catch signals: {e}")))?;
        let mutex = open(name, self.hold.ttl, self.recipe.clone()).await?;
        let outcome = self.hold(&mutex, timing, out, &mut signals, announce).await;
        match (outcome, mutex.release().await) {
            (Ok(Ending::Command(0)) | Ok(Ending::Released), Ok(())) => Ok(()),
            (Ok(Ending::Interrupted), Ok(())) => Err(Error::interrupted()),
            (Ok(Ending::Interrupted), Err(e)) => Err(e.into()),
            (Ok(Ending::Command(code)), Ok(())) => Err(Error::passthrough(code, "")),
            (Ok(Ending::Command(code)), Err(e)) => Err(Error::passthrough(code, e.message)),
            (Ok(Ending::Released), Err(e)) => Err(e.into()),
            (Err(err), _) => Err(err),
        }
    }

    /// Wait for the lock (a signal ends the wait), then hold it: until CMD ends,
    /// or, without CMD, until a signal asks for the release (`given`: NAME).
    async fn hold(
        &self,
        mutex: &impl Locking,
        timing: Timing,
        out: &mut Out,
        signals: &mut Signals,
        announce: impl FnOnce(&Held, Option<i64>, &mut Out) -> Result<()>,
    ) -> Result<Ending> {
        let what = mutex.what();
        let mut notice = WaitNotice::new();
        let enabled = notice.enabled();
        let mut show = |holder: Option<&_>, seen| notice.show(&what, holder, seen);
        let watcher = enabled.then_some(&mut show as _);
        // Forked while waiting, so that the turn's coming costs one fork (CMD's), not two; it
        // guards nothing until CMD's group is named, and exits when dropped.
        let guardian = (!self.command.is_empty())
            .then(|| Guardian::start((mutex.renewed() + timing.ttl).into_std(), timing))
            .transpose()
            .map_err(|e| Error::unexpected(format!("cannot start CMD's guardian: {e}")))?;
        let waited = mutex
            .acquire(self.hold.timeout, signals.recv(), watcher)
            .await;
        notice.clear();
        let held = match waited? {
            Waited::Held(held) => held,
            // Ctrl-C: exit 130 and nothing to say; another signal is named.
            Waited::Stopped(libc::SIGINT) => return Err(Error::interrupted()),
            Waited::Stopped(sig) => {
                let signal = signal_name(sig);
                let message = format!("interrupted by {signal} while waiting for {what}");
                return Err(Error::passthrough((128 + sig) as u8, message));
            }
        };
        // Told before CMD starts, so that it watches CMD from its first instruction.
        if let Some(guardian) = &guardian {
            guardian.renewed((mutex.renewed() + timing.ttl).into_std());
        }
        let on_renew = |sent: Instant| {
            if let Some(guardian) = &guardian {
                guardian.renewed((sent + timing.ttl).into_std());
            }
        };
        let lost = mutex.keep(&held, timing.give_up_after(guardian.is_some()), &on_renew);
        tokio::pin!(lost);
        let Some(guardian) = &guardian else {
            announce(&held, mutex.lease(), out)?;
            holding_notice(&what);
            tokio::select! {
                // Ctrl-C releases the lock and exits 130, as for every wait; the other
                // signals (a service manager's stop) release it and exit 0.
                sig = signals.recv() => {
                    return Ok(if sig == libc::SIGINT { Ending::Interrupted } else { Ending::Released });
                }
                lost = &mut lost => return Err(lost.error(&what, timing.ttl, &held.key, None).into()),
            }
        };
        let mut group = spawn(self.command, &held, guardian)?;
        let waited = |e| Error::unexpected(format!("cannot wait for the command: {e}"));
        loop {
            tokio::select! {
                biased;
                status = group.wait() => {
                    return ended(mutex, &held, status.map_err(waited)?, guardian, None);
                }
                sig = signals.recv() => group.signal(sig),
                lost = &mut lost => {
                    // CMD may have ended before etcdpy noticed (etcdpy was stopped).
                    if let Ok(Some(_)) = group.try_wait() {
                        let status = group.wait().await.map_err(waited)?;
                        return ended(mutex, &held, status, guardian, Some(lost));
                    }
                    let stopped = group.stop(guardian, timing.grace).await;
                    return Err(lost.error(&what, timing.ttl, &held.key, Some(&stopped)).into());
                }
            }
        }
    }
}
