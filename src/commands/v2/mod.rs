//! The commands on etcd's v2 API (`--api v2`, python-etcd's keyspace): the same arguments as
//! the v3 commands, python-etcd's semantics, the same output types. Options v2 cannot honour
//! exit 2 naming the option and the API ([`unsupported`]).

mod get;
mod rm;
mod set;

use super::{dump, leader, lock, wait, watch};
use crate::output::cluster::Members;

use super::Command;
use crate::client::{Recipe, V2, V2Mutex};
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use crate::output::Out;

/// Run one command on the v2 API.
pub async fn run(
    command: Command,
    v2: &V2<'_>,
    out: &mut Out,
    keys: KeyEncoding,
    color_stderr: bool,
) -> Result<()> {
    match command {
        Command::Get(args) => get::run(args, keys, v2, out).await,
        Command::Set(args) => set::run(args, keys, v2, out).await,
        Command::Rm(args) => rm::run(args, keys, v2, out).await,
        Command::Refresh(args) => set::refresh(args, keys, v2, out).await,
        Command::Watch(args) => {
            let open = |span: &_, rev, _| v2.watch(span, rev);
            watch::run(args, keys, open, |span| v2.listing(span), out).await
        }
        Command::Wait(args) => wait::run(args, keys, v2, out).await,
        Command::Lock(args) => {
            let open = async |name, ttl, recipe| match recipe {
                Recipe::Semaphore(n) if n > 1 => Err(crate::client::Error::new(
                    crate::client::Kind::Unsupported,
                    "lock --limit above 1 is not available with --api v2 (etcd's v2 API): \
                     python-etcd's lock has one holder",
                )),
                _ => Ok(V2Mutex::new(v2, name, ttl)),
            };
            lock::run(args, keys, None, open, out, color_stderr).await
        }
        Command::Elect(_) => Err(Error::usage(
            "elect is not available with --api v2 (etcd's v2 API): python-etcd 0.4.5 has no \
             election to agree with; elections live in v3",
        )),
        Command::Members(_) => out.emit(&Members::new(&v2.cluster_view().await?)),
        Command::Leader(args) => {
            super::or_ctrl_c(leader::run(args, async || v2.cluster_view().await, out)).await
        }
        Command::Dump(args) => dump::run_v2(args, keys, v2, out).await,
        Command::Migrate(_) => Err(Error::unexpected("migrate is dispatched before the API")),
        Command::Load(_) => Err(Error::usage(
            "load writes to etcd's v3 keyspace only: run it without --api v2 (a dump made with \
             --api v2 loads into v3)",
        )),
        Command::Operator(_) => Err(unsupported(
            "the operator commands (defrag, compact, alarm, lease, move-leader, snapshot)",
            "are etcd's v3 maintenance API and are not available",
        )),
    }
}

/// `--if-value`, as v2 compares it: text.
fn if_value(value: Option<std::ffi::OsString>) -> Result<Option<String>> {
    value.map(|v| v.into_string()).transpose().map_err(|_| {
        Error::usage("--if-value is not UTF-8 text, which etcd's v2 API (--api v2) cannot compare")
    })
}

/// `what` cannot be done on v2: exit 2, naming it and the API.
pub fn unsupported(what: &str, why: &str) -> Error {
    Error::usage(format!("{what} {why} with --api v2 (etcd's v2 API)"))
}
