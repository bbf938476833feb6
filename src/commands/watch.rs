//! `etcdpy watch KEY [-r] [-f | -n N] [-- CMD ARGS…]`: wait for a change,
//! stream changes, or run a command per change.

use crate::client::{Changes, WatchEvent};
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::{KeyEncoding, KeyParser, KeySpan};
use crate::output::watch::{Event, describe, environment, kind_name, show_key, warn, watching};
use crate::output::{Out, escape};
use crate::process::{Inline, OnError};
use clap::Args;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::time::Duration;
use tokio::signal::unix::{Signal, SignalKind, signal};

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy watch /nodes/n1                       # the next change to /nodes/n1 (waits)\n  etcdpy watch /nodes -r --timeout 30s         # /nodes or under /nodes/; exit 5 after 30s (waits)\n  etcdpy watch /nodes -r --rev 1 --timeout 2s  # the first change since revision 1\n  etcdpy watch -f -r /config -o json | jq .    # every change as a JSON line (waits)\n  etcdpy watch -f -r /jobs --rev 1200 --prev   # replay, then follow (waits)\n  etcdpy watch -f /app -- sh -c 'printf %s \"$ETCDPY_WATCH_VALUE\" > app.conf'  # (waits)"
)]
pub struct WatchArgs {
    /// The key to watch. With -r, "" means every key.
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// Watch KEY itself and every key under KEY/ (not KEY2)
    #[arg(short, long)]
    pub recursive: bool,
    /// Print (or run CMD for) every change until interrupted (Ctrl-C: exit 130)
    #[arg(short, long)]
    pub forever: bool,
    /// Stop after N changes [default: 1 without --forever]
    #[arg(short = 'n', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Give up (exit 5) when no change arrives within DURATION (counted again after each change)
    #[arg(long, value_parser = duration::parse_positive, allow_hyphen_values = true, value_name = "DURATION")]
    pub timeout: Option<Duration>,
    /// Start at revision REV, replaying the changes since then (exit 10 if it was compacted away)
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(1..))]
    pub rev: Option<i64>,
    /// Also show each key's previous value
    #[arg(long)]
    pub prev: bool,
    /// When CMD exits non-zero: `continue` warns on stderr and keeps watching; `exit` stops and exits
    /// with CMD's own status (128+N if signal N killed it). A CMD that cannot be started always ends
    /// etcdpy, with 127 (not found) or 126
    #[arg(
        long,
        value_enum,
        default_value = "continue",
        value_name = "WHAT",
        requires = "command"
    )]
    pub on_error: OnError,
    /// Run CMD once per change, one at a time, in order, instead of printing the change.
    /// Its environment holds the change as raw values: ETCDPY_WATCH_TYPE (PUT or DELETE),
    /// ETCDPY_WATCH_KEY, ETCDPY_WATCH_VALUE (empty for DELETE), ETCDPY_WATCH_REVISION, and the
    /// same under etcdctl's names ETCD_WATCH_EVENT_TYPE, ETCD_WATCH_KEY, ETCD_WATCH_VALUE,
    /// ETCD_WATCH_REVISION. A change whose key or value contains a NUL byte, which the environment
    /// cannot hold, is not run: it counts as a failure of CMD for --on-error (exit 1 with `exit`)
    #[arg(last = true, value_name = "CMD", value_parser = clap::value_parser!(OsString))]
    pub command: Vec<OsString>,
}

/// `open` starts the backend's watch of a span from a revision (0: now), with previous values.
pub async fn run<W: Changes>(
    args: WatchArgs,
    keys: KeyEncoding,
    open: impl FnOnce(&KeySpan, i64, bool) -> crate::client::Result<W>,
    out: &mut Out,
) -> Result<()> {
    let span = KeySpan::typed(keys, &args.key, args.recursive, "watch", "watch")?;
    let limit = args.count.or((!args.forever).then_some(1));
    let mut sigint = signal(SignalKind::interrupt())
        .map_err(|e| Error::unexpected(format!("cannot catch Ctrl-C: {e}")))?;
    let mut watch = open(&span, args.rev.unwrap_or(0), args.prev)?;
    watching(out, &describe(&span), limit);
    let mut delivered = 0u64;
    loop {
        let batch = tokio::select! {
            batch = watch.next_within(args.timeout) => batch,
            _ = sigint.recv() => return Err(Error::interrupted()),
        };
        let Some(batch) = batch else {
            let within = humantime::format_duration(args.timeout.unwrap_or_default());
            let message = format!("no change to {} within {within}", describe(&span));
            return Err(Error::new(Exit::TimedOut, message));
        };
        for event in &batch? {
            if args.command.is_empty() {
                out.emit(&Event::new(event, args.prev))?;
            } else {
                exec(&args, event, &mut sigint).await?;
            }
            delivered += 1;
            if Some(delivered) == limit {
                return Ok(());
            }
        }
    }
}

/// Run CMD for one change and wait for it. Ctrl-C while it ran: the watch
/// ends (exit 130) once CMD has.
async fn exec(args: &WatchArgs, event: &WatchEvent, sigint: &mut Signal) -> Result<()> {
    let kind = kind_name(event.kind);
    let revision = event.kv.mod_revision.to_string();
    let name = escape(args.command[0].as_bytes());
    let env = match environment(event, &revision) {
        Ok(env) => env,
        Err(what) => {
            let message = format!(
                "cannot run {name} for the {kind} of {} at revision {revision}: its {what} contains a NUL byte, which an environment variable cannot hold",
                show_key(&event.kv.key)
            );
            return failed(args.on_error, message, Error::unexpected);
        }
    };
    let ran = Inline::run(&args.command, &env, sigint).await?;
    if ran.interrupted {
        return Err(Error::interrupted());
    }
    let Some(code) = ran.failed else {
        return Ok(());
    };
    let message = format!(
        "{name} exited with status {code} for the {kind} of {} at revision {revision}",
        show_key(&event.kv.key)
    );
    failed(args.on_error, message, |m| Error::passthrough(code, m))
}

/// CMD failed for a change: warn and keep watching, or end with `error`.
fn failed(on_error: OnError, message: String, error: impl Fn(String) -> Error) -> Result<()> {
    match on_error {
        OnError::Continue => {
            warn(&format!("{message}; still watching"));
            Ok(())
        }
        OnError::Exit => Err(error(message)),
    }
}
