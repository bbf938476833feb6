//! One file per subcommand, each with its arguments and one `run` function written once for
//! both APIs, against the client's role traits ([`crate::client::Keys`], `Watching`, `Locks`,
//! `Cluster`). Here: the subcommand tree ([`Command`], which `cli` names) and the dispatcher,
//! which picks the backend in one place.

pub mod args;
pub mod context;
pub mod destination;
pub mod diff;
mod dispatch;
pub mod du;
pub mod dump;
pub mod edit;
pub mod elect;
mod exits;
pub mod get;
mod held_cmd;
mod hints;
pub mod history;
mod holding;
pub mod leader;
pub mod load;
pub mod lock;
pub mod lock_admin;
pub mod members;
pub mod migrate;
pub mod operator;
pub mod refresh;
pub mod rm;
// rollback (issue 26)
pub mod rollback;
pub mod set;
mod upgrade_check;
pub mod wait;
pub mod watch;
mod writes;

use self::{
    dump::DumpArgs, edit::EditArgs, elect::ElectArgs, get::GetArgs, leader::LeaderArgs,
    load::LoadArgs, lock::LockArgs, members::MembersArgs, migrate::MigrateArgs,
    refresh::RefreshArgs, rm::RmArgs, set::SetArgs, wait::WaitArgs, watch::WatchArgs,
};
use crate::client::{Api, Client};
use crate::error::Result;
pub use crate::error::exit_for;
use crate::keys::KeyEncoding;
use crate::output::Out;
use clap::Subcommand;
use exits::or_ctrl_c;
pub use hints::{not_found, unless_absent};

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read a key, a directory level, or a whole prefix (-r)
    #[command(alias = "read")]
    Get(GetArgs),
    /// Write a key, optionally with a TTL or a condition
    #[command(aliases = ["put", "write"])]
    Set(SetArgs),
    /// Delete a key, or a key and everything under it (-r)
    #[command(aliases = ["del", "delete"])]
    Rm(RmArgs),
    /// Wait for a change to a key or a subtree, print it, or run a command per change
    Watch(WatchArgs),
    /// Wait until a key exists, is gone, or holds a value (race-free; exit 5 on --timeout)
    Wait(WaitArgs),
    /// Give a key a new TTL, or renew its current one, keeping its value
    Refresh(RefreshArgs),
    /// Hold a cluster-wide lock while a command runs, or until interrupted
    Lock(LockArgs),
    /// Campaign to lead an election and run a command while leader; or show the leader
    Elect(ElectArgs),
    /// List the cluster's members, each probed for health, version and raft state
    #[command(alias = "machines")]
    Members(MembersArgs),
    /// Print the leader; exit 9 when the cluster has none (for CI health checks)
    Leader(LeaderArgs),
    /// Edit a value in $EDITOR; written back if changed, never over a concurrent change
    Edit(EditArgs),
    /// Write a prefix as NDJSON (one key per line, at one revision), for load
    Dump(DumpArgs),
    /// Bring the keyspace to what a dump file holds: plan, then guarded transactions
    Load(LoadArgs),
    /// Copy python-etcd's v2 keyspace into v3 (same cluster), then verify it
    Migrate(MigrateArgs),
    /// Every revision etcd still holds for a key or (-r) a prefix, oldest first
    History(history::HistoryArgs),
    /// A unified diff of a key's value at two revisions (-1: before its last change)
    Diff(diff::DiffArgs),
    /// Where the space goes: keys, key bytes and value bytes per directory of a prefix
    Du(du::DuArgs),
    // rollback (issue 26)
    /// Bring a key, or a prefix (-r), back to what it held at a past revision
    Rollback(rollback::RollbackArgs),
    #[command(flatten)]
    Operator(operator::Operator),
}

/// Run one command against a connected client on `api`, printing through
/// `out`; `keys` says how its key arguments are written (migrate: v2 to v3 on either API).
pub async fn run(
    command: Command,
    client: &Client,
    to: Option<&Client>,
    api: Api,
    out: &mut Out,
    keys: KeyEncoding,
    color_stderr: bool,
) -> Result<()> {
    match command {
        Command::Migrate(args) if args.check => upgrade_check::run(&args.prefix, client, out).await,
        Command::Migrate(args) => migrate::run(args, keys, client, to, out).await,
        command if api == Api::V2 => {
            dispatch::on(command, &client.v2(), out, keys, color_stderr).await
        }
        command => dispatch::on(command, client, out, keys, color_stderr).await,
    }
}
