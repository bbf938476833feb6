//! `etcdpy lock NAME [-- CMD ARGS…]`: wait for a cluster-wide lock, run CMD
//! while holding it (or hold it until SIGINT/SIGTERM/SIGHUP/SIGQUIT), release it at once.
//!
//! The lock recipe (lease, queue, requeue, keepalive, why the lock is lost)
//! is the client's [`Mutex`]; running CMD, its guardian and its statuses are
//! [`crate::process`]'s. Here: the arguments, CMD's environment, the signals,
//! and stopping CMD (exit 6) when the lock is lost or could be. On every way
//! out the lease is revoked, which hands the lock to the next waiter.

use super::args::{HoldArgs, non_empty};
use super::holding::Holding;
use super::lock_admin::LockAdmin;
use crate::client::{Client, Held, Locking, Recipe, lock_name};
use crate::commands::args::KeyParser;
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use crate::output::lock::LockResult;
use crate::output::{Out, escape};
use clap::Args;
use std::ffi::OsString;

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy lock backup -- sh -c 'echo \"$ETCDPY_LOCK_KEY holds fencing token $ETCDPY_LOCK_REV\"'\n  \
etcdpy lock nightly-report --timeout 0 -- date  # try once (flock -n): exit 5 at once if held\n  \
etcdpy lock migrate --ttl 120s --kill-after 30s -- sleep 1\n  \
etcdpy lock maintenance  # (waits) prints the lock key, holds the lock until Ctrl-C\n  \
etcdpy lock crawler --limit 4 -- sh -c 'echo \"slot $ETCDPY_LOCK_SLOT\"'  # at most 4 at once\n\n\
CMD gets ETCDPY_LOCK_KEY and ETCD_LOCK_KEY (the lock key) and ETCDPY_LOCK_REV and ETCD_LOCK_REV \
(the fencing token: the revision at which the lock was acquired, as etcdctl lock sets \
ETCD_LOCK_REV; it grows with every acquisition, by etcdpy or etcdctl) and ETCDPY_LOCK_SLOT (with --limit N: its slot, 0 to N-1, and the token is its key's create revision; 0 otherwise). etcdpy exits with CMD's \
status (128+N if signal N killed it; 127 if CMD cannot be found, 126 if it cannot be run). \
SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded to CMD's process group while it runs; while \
waiting they cancel the wait and exit 128+N (130 for Ctrl-C, with no error line). A waiter whose lease ran out \
(etcdpy was stopped) queues again. If the lock is lost while CMD runs, or could be lost before \
CMD is stopped (no keepalive succeeded in time), CMD's process group gets SIGTERM, then SIGKILL \
after --kill-after, and etcdpy exits 6. If etcdpy dies (even by SIGKILL) or is stopped, a \
guardian process does the same: SIGTERM at once (or when the lease draws near its end), and \
SIGKILL always before the lease could expire and another holder start. \
Lock keys are <prefix>/NAME/<lease ID in hex>, as etcdctl lock makes them, so \
`etcdpy lock NAME` and `etcdctl lock /_locks/NAME` exclude each other. With --limit N, waiters write N into their keys (one queue with etcdctl's keys); a key ahead that uses another N, or a plain lock, is refused (exit 2).")]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct LockArgs {
    #[command(subcommand)]
    pub admin: Option<LockAdmin>,
    /// The lock's name; its keys live under <prefix>/NAME/ (a lock named status or break:
    /// give an option first, as in `lock --ttl 60s status`)
    #[arg(value_parser = KeyParser, required = true)]
    pub name: Option<String>,
    /// The command to run while holding the lock (after --); stdout is then CMD's alone, etcdpy
    /// prints nothing there. Without CMD, print the lock key (-o json: the lock as JSON), hold
    /// the lock until SIGINT, SIGTERM, SIGHUP or SIGQUIT, then release it: exit 130 for Ctrl-C
    /// (SIGINT), as every interrupted wait, 0 for the others
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<OsString>,
    /// Where lock keys live (python-etcd's lock_prefix) [default: /_locks]
    #[arg(long, env = "ETCDPY_LOCK_PREFIX", value_parser = KeyParser, value_name = "PREFIX")]
    pub prefix: Option<String>,
    #[command(flatten)]
    pub hold: HoldArgs,
    /// A semaphore: at most N holders at once, in queue order, each in its own slot
    /// (ETCDPY_LOCK_SLOT, 0 to N-1); all holders of NAME must use the same N. 1: the plain lock
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..), value_name = "N")]
    pub limit: u32,
}

/// `--prefix` when not given (in any --key-encoding).
const DEFAULT_PREFIX: &[u8] = b"/_locks";

/// `open(name, ttl, recipe)`: the backend's lock queue (v3's Mutex on a new Session, or
/// v2's); `admin`: the v3 client `lock status` and `lock break` read (v2 refuses them).
pub async fn run<M: Locking>(
    args: LockArgs,
    keys: KeyEncoding,
    admin: crate::client::Result<&Client>,
    open: impl AsyncFnOnce(Vec<u8>, u64, Recipe) -> crate::client::Result<M>,
    out: &mut Out,
    color_stderr: bool,
) -> Result<()> {
    if let Some(command) = args.admin {
        return super::lock_admin::run(command, args.prefix, keys, admin?, out).await;
    }
    let given = keys.decode("NAME", args.name.as_deref().unwrap_or_default())?;
    let prefix = args.prefix.as_ref().map(|p| keys.decode("--prefix", p));
    let prefix = prefix.transpose()?.unwrap_or(DEFAULT_PREFIX.into());
    let given = non_empty("NAME", given)?;
    if args.command.first().is_some_and(|c| c.is_empty()) {
        return Err(Error::usage("CMD must not be empty"));
    }
    let name = lock_name(&prefix, &given);
    if !args.command.is_empty() && name.contains(&0) {
        return Err(Error::usage(format!(
            "lock {} contains a NUL byte, which CMD's environment (ETCDPY_LOCK_KEY) cannot hold",
            escape(&name)
        )));
    }
    let holding = Holding {
        command: &args.command,
        hold: args.hold,
        recipe: Recipe::Semaphore(args.limit),
    };
    let announce = |held: &Held, lease, out: &mut Out| {
        let ttl = args.hold.ttl as i64;
        out.emit(&LockResult::new(&given, &held.key, held.token, lease, ttl))
    };
    holding.run(open, name, out, color_stderr, announce).await
}
