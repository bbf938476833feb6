//! The operator's commands (keeping etcd healthy): `defrag`, `compact`,
//! `alarm list|disarm`, `lease list|show|revoke`, `move-leader` and `snapshot save`, one file each; here their part of
//! the command tree (flattened into [`crate::commands::Command`]) and their
//! dispatcher.

pub mod alarm;
pub mod compact;
pub mod defrag;
pub mod lease;
pub mod move_leader;
pub mod snapshot;

use crate::client::Client;
use crate::error::Result;
use crate::keys::KeyEncoding;
use crate::output::Out;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum Operator {
    /// Defragment members safely: health gate, followers first, leader last; NOSPACE recovery
    Defrag(defrag::DefragArgs),
    /// Compact the keyspace's history to --rev, or keeping the newest --keep-revisions
    Compact(compact::CompactArgs),
    /// List or disarm the cluster's alarms (NOSPACE, CORRUPT)
    Alarm(alarm::AlarmArgs),
    /// List leases with their TTLs and keys (--orphans), show one, or revoke one
    Lease(lease::LeaseArgs),
    /// Hand the leadership to another voting member that answers
    MoveLeader(move_leader::MoveLeaderArgs),
    /// Save the backend snapshot of the leader (or a healthy member) to a file or stdout
    Snapshot(snapshot::SnapshotArgs),
}

pub async fn run(
    command: Operator,
    keys: KeyEncoding,
    client: &Client,
    out: &mut Out,
) -> Result<()> {
    match command {
        Operator::Defrag(args) => defrag::run(args, client, out).await,
        Operator::Compact(args) => compact::run(args, client, out).await,
        Operator::Alarm(args) => alarm::run(args, client, out).await,
        Operator::Lease(args) => lease::run(args, keys, client, out).await,
        Operator::MoveLeader(args) => move_leader::run(args, client, out).await,
        Operator::Snapshot(args) => snapshot::run(args, client, out).await,
    }
}
