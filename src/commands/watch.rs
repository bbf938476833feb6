//! `etcdpy watch KEY [-r] [-f | -n N] [-- CMD ARGS…]`: wait for a change,
//! stream changes, or run a command per change.

use crate::client::{Changes, Listing, WatchEvent};
use crate::commands::args::{KeyParser, OnError};
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::Out;
use crate::output::watch::{Event, describe, watching};
use clap::Args;
use exec::{exec, initial};
pub use resume::Resume;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;
use tokio::signal::unix::{Signal, SignalKind, signal};

mod exec;
mod resume;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy watch /nodes/n1                       # the next change to /nodes/n1 (waits)\n  etcdpy watch /nodes -r --timeout 30s         # /nodes or under /nodes/; exit 5 after 30s (waits)\n  etcdpy watch /nodes -r --rev 1 --timeout 2s  # the first change since revision 1\n  etcdpy watch -f -r /config -o json | jq .    # every change as a JSON line (waits)\n  etcdpy watch -f -r /jobs --rev 1200 --prev   # replay, then follow (waits)\n  etcdpy watch -f -r /config --initial -o json  # current keys, a marker, then changes (waits)\n  etcdpy watch -f /app -- sh -c 'printf %s \"$ETCDPY_WATCH_VALUE\" > app.conf'  # (waits)"
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
    /// The keys at one revision R first (PUTs marked initial), a marker, then changes from R+1
    #[arg(long, conflicts_with = "rev")]
    pub initial: bool,
    /// With --initial: run CMD once for the initial state (its keys: ETCDPY_WATCH_INITIAL_FILE)
    #[arg(long, requires_all = ["initial", "command"])]
    pub initial_batch: bool,
    /// Resume after the revision in FILE; record there each change printed or CMD succeeded for
    #[arg(long, value_name = "FILE", value_parser = clap::value_parser!(PathBuf))]
    pub checkpoint: Option<PathBuf>,
    /// A resume revision compacted away: `exit` (the default; 10) or `resync`: what differs from
    /// the state last known (kept beside --checkpoint FILE) as PUT/DELETE events, then changes
    #[arg(
        long,
        value_enum,
        default_value = "exit",
        value_name = "WHAT",
        requires = "checkpoint"
    )]
    #[arg(hide_possible_values = true, hide_default_value = true)]
    pub on_compacted: resume::OnCompacted,
    /// When CMD exits non-zero: `continue` (the default) warns on stderr and keeps watching; `exit`
    /// stops and exits with CMD's own status (128+N if signal N killed it). A CMD that cannot be
    /// started always ends etcdpy, with 127 (not found) or 126
    #[arg(long, value_enum, default_value = "continue", value_name = "WHAT")]
    #[arg(
        requires = "command",
        hide_possible_values = true,
        hide_default_value = true
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

/// `open` starts the backend's watch of a span from a revision (0: now), with previous values;
/// `list` reads the span's current state (--initial) and names its cluster (--checkpoint).
pub async fn run<W: Changes, L: Listing>(
    args: WatchArgs,
    keys: KeyEncoding,
    open: impl Fn(&KeySpan, i64, bool) -> crate::client::Result<W>,
    list: impl Fn(&KeySpan) -> L,
    out: &mut Out,
) -> Result<()> {
    let span = KeySpan::typed(keys, &args.key, args.recursive, "watch", "watch")?;
    let limit = args.count.or((!args.forever).then_some(1));
    let mut sigint = signal(SignalKind::interrupt())
        .map_err(|e| Error::unexpected(format!("cannot catch Ctrl-C: {e}")))?;
    watching(out, &describe(&span), limit);
    let mut resume = Resume::open(&args, &span, &list(&span)).await?;
    let mut start = resume.start(args.rev);
    if args.initial && resume.revision() == 0 {
        match initial(&args, list(&span), out, &mut sigint, &mut resume).await? {
            Some(revision) => start = revision + 1,
            None => return Ok(()),
        }
        resume.advance(start - 1)?;
    }
    let mut watch = open(&span, start, args.prev)?;
    let mut delivered = 0u64;
    let mut handle = async |event: &WatchEvent, sigint: &mut Signal| match args.command.is_empty() {
        true => out.emit(&Event::new(event, args.prev)).map(|()| true),
        false => exec(&args, event, sigint).await,
    };
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
        let batch = match batch {
            Err(e) if resume.resyncs(&e) => {
                let each = async |event: &_| handle(event, &mut sigint).await;
                let Some(r) = resume.resync(start, list(&span), each).await? else {
                    return Ok(());
                };
                watch = open(&span, r + 1, args.prev)?;
                continue;
            }
            batch => batch?,
        };
        for (i, event) in batch.iter().enumerate() {
            if !handle(event, &mut sigint).await? {
                return Ok(());
            }
            resume.handled(&batch, i)?;
            delivered += 1;
            if Some(delivered) == limit {
                return Ok(());
            }
        }
    }
}
