//! `etcdpy lease list|show|revoke`: the leases, their TTLs and the keys each
//! holds (orphans: none); one lease by ID or by a key on it; revoking one
//! (asks on a terminal, --force in scripts), printing the keys it deleted.

use crate::client::{Client, Lease};
use crate::commands::args::KeyParser;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::KeyEncoding;
use crate::output::Out;
use crate::output::lease::{LeaseRow, Leases, Revoked};
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum LeaseCommand {
    /// Every lease: ID (hex and decimal), granted and remaining TTL, how many keys
    #[command(after_help = "Examples:\n  etcdpy lease list\n  etcdpy lease list --orphans -o json")]
    List(ListArgs),
    /// One lease (by hex ID, or the lease a key is attached to) with its keys
    #[command(
        after_help = "Examples:\n  etcdpy lease show --for-key /nodes/n2  # (exit 3) without such a key"
    )]
    Show(Which),
    /// Revoke a lease, deleting every key attached to it. Asks on a terminal; --force in scripts
    #[command(
        after_help = "Examples:\n  etcdpy lease revoke --for-key /nodes/n2 --dry-run  # (exit 3) without such a key"
    )]
    Revoke(RevokeArgs),
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Also list each lease's keys
    #[arg(long)]
    pub keys: bool,
    /// Only leases that hold no key
    #[arg(long)]
    pub orphans: bool,
}

#[derive(Args, Debug)]
#[command(group = clap::ArgGroup::new("which").required(true).args(["id", "for_key"]))]
pub struct Which {
    /// The lease ID in hex, as etcdctl and `lease list` print it
    pub id: Option<String>,
    /// The lease this key is attached to (--key is the TLS client key)
    #[arg(long, value_parser = KeyParser, value_name = "KEY")]
    pub for_key: Option<String>,
}

#[derive(Args, Debug)]
pub struct RevokeArgs {
    #[command(flatten)]
    pub which: Which,
    /// Do not ask (needed without a terminal)
    #[arg(long)]
    pub force: bool,
    /// Print the lease and the keys that would go; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  etcdpy lease list --keys")]
pub struct LeaseArgs {
    #[command(subcommand)]
    pub command: LeaseCommand,
}

impl Which {
    async fn find(&self, keys: KeyEncoding, client: &Client) -> Result<Lease> {
        let id = match (&self.id, &self.for_key) {
            (Some(hex), _) => i64::from_str_radix(hex.trim_start_matches("0x"), 16)
                .map_err(|_| Error::usage(format!("{hex:?} is not a lease ID in hex")))?,
            (None, Some(key)) => client.lease_of(&keys.decode("--for-key", key)?).await?,
            (None, None) => unreachable!("clap requires ID or --for-key"),
        };
        let missing = || Error::new(Exit::KeyNotFound, format!("lease {id:x} not found"));
        client.lease(id).await?.ok_or_else(missing)
    }
}

pub async fn run(args: LeaseArgs, keys: KeyEncoding, client: &Client, out: &mut Out) -> Result<()> {
    match args.command {
        LeaseCommand::List(list) => {
            let leases = client.leases().await.map_err(|e| e.context("lease list"))?;
            let rows = leases
                .iter()
                .filter(|l| !list.orphans || l.keys.is_empty())
                .map(|l| LeaseRow::new(l, list.keys))
                .collect();
            out.emit(&Leases(rows))
        }
        LeaseCommand::Show(which) => {
            out.emit(&LeaseRow::new(&which.find(keys, client).await?, true))
        }
        LeaseCommand::Revoke(args) => {
            let lease = args.which.find(keys, client).await?;
            let row = LeaseRow::new(&lease, true);
            if !args.force && !args.dry_run {
                let what = format!("lease {} with {} key(s)", row.id_hex, row.key_count);
                match crate::prompt::confirm(&format!("revoke {what}?")) {
                    Some(true) => {}
                    Some(false) => {
                        return Err(Error::new(
                            Exit::ConditionFailed,
                            format!("{what} not revoked: not confirmed"),
                        ));
                    }
                    None => {
                        return Err(Error::usage(format!(
                            "{what}: give --force to revoke it (there is no terminal to ask on)"
                        )));
                    }
                }
            }
            if !args.dry_run {
                client
                    .lease_revoke(lease.id)
                    .await
                    .map_err(|e| e.context("lease revoke"))?;
            }
            out.emit(&Revoked {
                revoked: row,
                dry_run: args.dry_run,
            })
        }
    }
}
