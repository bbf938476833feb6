//! `etcdpy watch KEY [-r] [-f | -n N] [-- CMD ARGS…]`: wait for a change,
//! stream changes, or run a command per change.

use crate::client::{Store, WatchEvent};
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::{KeyEncoding, KeyParser, KeySpan};
use crate::output::watch::{Event, describe, kind_name, show_key, warn, watching};
use crate::output::{Out, escape};
use crate::process::{Inline, not_started, status_code};
use clap::{Args, ValueEnum};
use std::ffi::{OsStr, OsString};
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
    /// Print (or run CMD for) every change until interrupted; Ctrl-C ends with exit 0
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

/// What a failing CMD does to the watch.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnError {
    /// Warn on stderr and keep watching
    Continue,
    /// Stop and exit with CMD's exit status (128+N when a signal N killed it)
    Exit,
}

pub async fn run(
    args: WatchArgs,
    keys: KeyEncoding,
    store: &impl Store,
    out: &mut Out,
) -> Result<()> {
    let span = KeySpan::new(keys.decode("KEY", &args.key)?, args.recursive);
    if span.key().is_empty() && !args.recursive {
        return Err(Error::usage(
            "KEY must not be empty (use watch \"\" -r to watch every key)",
        ));
    }
    let limit = match (args.count, args.forever) {
        (Some(n), _) => Some(n),
        (None, true) => None,
        (None, false) => Some(1),
    };
    let mut sigint = signal(SignalKind::interrupt())
        .map_err(|e| Error::unexpected(format!("cannot catch Ctrl-C: {e}")))?;
    let mut watch = store.watch(&span, args.rev.unwrap_or(0), args.prev);
    watching(out, &describe(&span));

    let mut delivered = 0u64;
    loop {
        let batch = tokio::select! {
            batch = watch.next_within(args.timeout) => batch,
            _ = sigint.recv() => return interrupted(args.forever),
        };
        let Some(batch) = batch else {
            let within = humantime::format_duration(args.timeout.unwrap_or_default());
            let message = format!("no change to {} within {within}", describe(&span));
            return Err(Error::new(Exit::TimedOut, message));
        };
        for event in &batch? {
            if args.command.is_empty() {
                out.emit(&Event::new(event, args.prev))?;
            } else if !exec(&args, event, &mut sigint).await? {
                return Ok(());
            }
            delivered += 1;
            if Some(delivered) == limit {
                return Ok(());
            }
        }
    }
}

/// Ctrl-C: the normal end of --forever; for a one-shot wait, an interruption.
fn interrupted(forever: bool) -> Result<()> {
    if forever {
        Ok(())
    } else {
        Err(Error::new(Exit::Interrupted, "interrupted"))
    }
}

/// Run CMD for one change and wait for it. `Ok(false)`: Ctrl-C came while it
/// ran; the watch ends once CMD has.
async fn exec(args: &WatchArgs, event: &WatchEvent, sigint: &mut Signal) -> Result<bool> {
    let kind = kind_name(event.kind);
    let revision = event.kv.mod_revision.to_string();
    let key = OsStr::from_bytes(&event.kv.key);
    let value = OsStr::from_bytes(&event.kv.value);
    let program = &args.command[0];
    let name = escape(program.as_bytes());
    if let Some(what) = [("key", &event.kv.key), ("value", &event.kv.value)]
        .into_iter()
        .find_map(|(what, bytes)| bytes.contains(&0).then_some(what))
    {
        let message = format!(
            "cannot run {name} for the {kind} of {} at revision {revision}: its {what} contains a NUL byte, which an environment variable cannot hold",
            show_key(&event.kv.key)
        );
        return match args.on_error {
            OnError::Continue => {
                warn(&format!("{message}; still watching"));
                Ok(true)
            }
            OnError::Exit => Err(Error::unexpected(message)),
        };
    }
    let env = [
        ("ETCDPY_WATCH_TYPE", OsStr::new(kind)),
        ("ETCDPY_WATCH_KEY", key),
        ("ETCDPY_WATCH_VALUE", value),
        ("ETCDPY_WATCH_REVISION", OsStr::new(&revision)),
        ("ETCD_WATCH_EVENT_TYPE", OsStr::new(kind)),
        ("ETCD_WATCH_KEY", key),
        ("ETCD_WATCH_VALUE", value),
        ("ETCD_WATCH_REVISION", OsStr::new(&revision)),
    ];
    let mut child = Inline::spawn(&args.command, &env).map_err(|e| {
        let status = not_started(&e).unwrap_or(126);
        Error::passthrough(status, format!("cannot run {name}: {e}"))
    })?;
    let mut stopping = false;
    let status = loop {
        tokio::select! {
            status = child.wait() => break status,
            _ = sigint.recv(), if !stopping => {
                // A terminal's Ctrl-C reaches CMD too; a signal to etcdpy alone is passed on.
                child.signal(libc::SIGINT);
                stopping = true;
            }
        }
    }
    .map_err(|e| Error::unexpected(format!("waiting for {name}: {e}")))?;
    if stopping {
        interrupted(args.forever)?;
        return Ok(false);
    }
    if status.success() {
        return Ok(true);
    }
    let code = status_code(status);
    let message = format!(
        "{name} exited with status {code} for the {kind} of {} at revision {revision}",
        show_key(&event.kv.key)
    );
    match args.on_error {
        OnError::Continue => {
            warn(&format!("{message}; still watching"));
            Ok(true)
        }
        OnError::Exit => Err(Error::passthrough(code, message)),
    }
}
