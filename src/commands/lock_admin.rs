//! `etcdpy lock status NAME` and `etcdpy lock break NAME`: who holds a lock
//! and who waits (exit 3 when nobody holds it); revoke a holder's lease so
//! that the next waiter gets the lock (the holder's etcdpy stops its CMD and
//! exits 6).

use crate::client::{Client, Kind, lock_name};
use crate::commands::args::{KeyParser, non_empty};
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::KeyEncoding;
use crate::output::lock_admin::{Broken, Entry, LockStatus};
use crate::output::{Out, escape};
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum LockAdmin {
    /// Who holds lock NAME (host, pid, since, revision, lease TTL left) and who waits, in queue
    /// order; exit 0 when held, 3 when nobody holds it
    #[command(after_help = "Examples:\n  \
etcdpy lock status deploy -o json  # (exit 3) when nobody holds it\n  \
etcdpy lock status deploy --allow-empty  # exit 0 when nobody holds it (set -e)\n  \
if etcdpy lock status deploy >/dev/null; then echo held; fi")]
    Status(StatusArgs),
    /// Revoke the lease of lock NAME's holder (or of --holder's): the next waiter gets the lock, and
    /// the holder's etcdpy stops its CMD and exits 6. Asks on a terminal; --force in scripts
    #[command(after_help = "Examples:\n  \
etcdpy lock break deploy --force  # (exit 3) when nobody holds it")]
    Break(BreakArgs),
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The lock's name (as for `lock NAME`)
    #[arg(value_parser = KeyParser)]
    pub name: String,
    /// Where lock keys live [default: /_locks]
    #[arg(long, env = "ETCDPY_LOCK_PREFIX", value_parser = KeyParser, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// A free lock is fine: exit 0 instead of 3 when nobody holds it (for scripts under set -e;
    /// lock break: nothing to break)
    #[arg(long)]
    pub allow_empty: bool,
}

#[derive(Args, Debug)]
pub struct BreakArgs {
    #[command(flatten)]
    pub lock: StatusArgs,
    /// Break the hold of this lock key (a semaphore's holder, or a waiter) rather than the
    /// holder's (--key is the TLS client key)
    #[arg(long, value_parser = KeyParser, value_name = "KEY")]
    pub holder: Option<String>,
    /// Do not ask (needed without a terminal)
    #[arg(long)]
    pub force: bool,
}

impl StatusArgs {
    /// `<prefix>/NAME`.
    fn lock(&self, keys: KeyEncoding, parent: Option<String>) -> Result<Vec<u8>> {
        let name = non_empty("NAME", keys.decode("NAME", &self.name)?)?;
        let prefix = self.prefix.clone().or(parent);
        let prefix = prefix.map(|p| keys.decode("--prefix", &p)).transpose()?;
        Ok(lock_name(&prefix.unwrap_or(b"/_locks".into()), &name))
    }
}

pub async fn run(
    admin: LockAdmin,
    prefix: Option<String>,
    keys: KeyEncoding,
    client: &Client,
    out: &mut Out,
) -> Result<()> {
    match admin {
        LockAdmin::Status(args) => {
            let lock = args.lock(keys, prefix)?;
            let state = client.lock_state(&lock).await?;
            out.emit(&LockStatus::new(&lock, &state))?;
            match state.holders.is_empty() && !args.allow_empty {
                true => Err(Error::passthrough(Exit::KeyNotFound.code(), "")),
                false => Ok(()),
            }
        }
        LockAdmin::Break(args) => {
            let lock = args.lock.lock(keys, prefix)?;
            let key = args
                .holder
                .map(|k| keys.decode("--holder", &k))
                .transpose()?;
            let holder = match client.lock_victim(&lock, key.as_deref()).await {
                Err(err) if args.lock.allow_empty && err.kind == Kind::NotFound => return Ok(()),
                holder => holder?,
            };
            if !args.force {
                let question = format!(
                    "break lock {} held by {}?",
                    escape(&lock),
                    holder.describe()
                );
                match crate::prompt::confirm(&question) {
                    Some(true) => {}
                    Some(false) => {
                        let message = format!("lock {} not broken: not confirmed", escape(&lock));
                        return Err(Error::new(Exit::ConditionFailed, message));
                    }
                    None => {
                        let message = format!(
                            "lock {} is held by {}: give --force to break it (there is no terminal to ask on)",
                            escape(&lock),
                            holder.describe()
                        );
                        return Err(Error::usage(message));
                    }
                }
            }
            client.break_lock(&holder).await?;
            out.emit(&Broken {
                broken: Entry::new(&holder, None),
            })
        }
    }
}
