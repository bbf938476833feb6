//! `etcdpy wait KEY --for exists|deleted|value=V [-r] [--timeout D]`: block until a condition
//! on a key (or a span) holds, race-free (`client::wait`), then print the key's value.

use crate::client::{Awaiting, Until};
use crate::commands::args::KeyParser;
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::{KeyEncoding, KeySpan};
use crate::output::Out;
use crate::output::wait::WaitResult;
use crate::output::watch::{describe, waiting_until};
use clap::Args;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};

#[derive(Args, Debug)]
#[command(
    after_help = "The key is read at one revision R and watched from R+1, so a change made between \
the read and the watch is never missed; a condition that already holds returns at once (one read).\n\n\
Exits 0 when the condition holds (its key's value is printed; nothing for deleted),\n\
5 when --timeout passed first, 130 on Ctrl-C, and with the usual codes on errors.\n\n\
Examples:\n  etcdpy wait /nodes/n1 --for exists --timeout 2s    # prints its value once it exists, else exit 5\n  \
etcdpy wait /lock/owner --for deleted                # until the key is gone (waits)\n  \
etcdpy wait /app/state --for value=ready             # (waits) until the key holds \"ready\"\n  \
etcdpy wait /jobs -r --for deleted --timeout 1m      # until /jobs and every key under /jobs/ are gone"
)]
pub struct WaitArgs {
    /// The key to wait on. With -r, "" means every key
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// What to wait for: `exists`, `deleted`, or `value=V` (the key holds exactly V)
    #[arg(long = "for", value_name = "CONDITION", value_parser = parse_until)]
    pub until: Until,
    /// KEY itself and every key under KEY/: `exists` waits for any of them, `deleted` for all
    /// of them to be gone
    #[arg(short, long)]
    pub recursive: bool,
    /// Give up (exit 5) when the condition does not hold within DURATION
    #[arg(long, value_parser = duration::parse_positive, allow_hyphen_values = true, value_name = "DURATION")]
    pub timeout: Option<Duration>,
}

fn parse_until(text: &str) -> std::result::Result<Until, String> {
    match text {
        "exists" => Ok(Until::Exists),
        "deleted" => Ok(Until::Deleted),
        _ => match text.strip_prefix("value=") {
            Some(value) => Ok(Until::Value(value.as_bytes().to_vec())),
            None => Err("expected exists, deleted or value=V".into()),
        },
    }
}

pub async fn run(
    args: WaitArgs,
    keys: KeyEncoding,
    backend: &impl Awaiting,
    out: &mut Out,
) -> Result<()> {
    let span = KeySpan::typed(keys, &args.key, args.recursive, "wait", "wait")?;
    if args.recursive && matches!(args.until, Until::Value(_)) {
        return Err(Error::usage(
            "--for value=V waits on one key: it cannot be used with -r",
        ));
    }
    let mut sigint = signal(SignalKind::interrupt())
        .map_err(|e| Error::unexpected(format!("cannot catch Ctrl-C: {e}")))?;
    let timeout = async {
        match args.timeout {
            Some(within) => tokio::time::sleep(within).await,
            None => std::future::pending().await,
        }
    };
    let what = format!(
        "--for {} to hold for {}",
        condition(&args.until),
        describe(&span)
    );
    waiting_until(out, &what);
    let reached = tokio::select! {
        reached = crate::client::wait(backend, &span, &args.until) => reached?,
        _ = timeout => {
            let within = humantime::format_duration(args.timeout.unwrap_or_default());
            let message = format!("--for {} did not hold for {} within {within}", condition(&args.until), describe(&span));
            return Err(Error::new(Exit::TimedOut, message));
        }
        _ = sigint.recv() => return Err(Error::new(Exit::Interrupted, "interrupted")),
    };
    out.emit(&WaitResult::new(&args.until, &reached))
}

fn condition(until: &Until) -> String {
    match until {
        Until::Exists => "exists".into(),
        Until::Deleted => "deleted".into(),
        Until::Value(v) => format!("value={}", crate::output::escape(v)),
    }
}
