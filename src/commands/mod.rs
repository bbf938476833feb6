//! One file per subcommand, each with its arguments and one `run` function
//! written against the backend seam [`crate::client::Store`]. Here: the
//! subcommand tree ([`Command`], which `cli` names) and the dispatcher.

pub mod context;
pub mod destination;
pub mod dump;
pub mod elect;
mod exits;
pub mod get;
mod held_cmd;
mod hints;
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
pub mod set;
mod upgrade_check;
pub mod v2;
pub mod wait;
pub mod watch;
mod watch_exec;
mod writes;

use self::{
    dump::DumpArgs, elect::ElectArgs, get::GetArgs, leader::LeaderArgs, load::LoadArgs,
    lock::LockArgs, members::MembersArgs, migrate::MigrateArgs, refresh::RefreshArgs, rm::RmArgs,
    set::SetArgs, wait::WaitArgs, watch::WatchArgs,
};
use crate::client::{Api, Client, Mutex, Session, Store, V2};
use crate::keys::KeyEncoding;
use crate::output::Out;
use crate::{error::Result, exit::Exit};
use clap::Subcommand;
pub use exits::exit_for;
use exits::or_ctrl_c;
pub use hints::not_found;

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
    /// Write a prefix as NDJSON (one key per line, at one revision), for load
    Dump(DumpArgs),
    /// Bring the keyspace to what a dump file holds: plan, then guarded transactions
    Load(LoadArgs),
    /// Copy python-etcd's v2 keyspace into v3 (same cluster), then verify it
    Migrate(MigrateArgs),
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
    if api == Api::V2 && !matches!(command, Command::Migrate(_)) {
        return v2::run(command, &V2::new(client), out, keys, color_stderr).await;
    }
    let key = match &command {
        Command::Get(a) => Some(&a.key),
        Command::Rm(a) => Some(&a.key),
        Command::Refresh(a) => Some(&a.key),
        _ => None,
    };
    let key = key.and_then(|k| keys.decode("KEY", k).ok());
    let result = run_v3(command, client, to, out, keys, color_stderr).await;
    match (result, key) {
        (Err(err), Some(key)) if err.exit == Exit::KeyNotFound => {
            Err(hints::in_v2(err, &V2::new(client), &key).await)
        }
        (result, _) => result,
    }
}

async fn run_v3(
    command: Command,
    client: &Client,
    to: Option<&Client>,
    out: &mut Out,
    keys: KeyEncoding,
    color_stderr: bool,
) -> Result<()> {
    match command {
        Command::Get(args) => get::run(args, keys, client, out).await,
        Command::Set(args) => set::run(args, keys, client, out).await,
        Command::Rm(args) => rm::run(args, keys, client, out).await,
        Command::Watch(args) => {
            let open = |span: &_, rev, prev| Ok(Store::watch(client, span, rev, prev));
            watch::run(args, keys, open, |span| client.listing(span), out).await
        }
        Command::Wait(args) => wait::run(args, keys, client, out).await,
        Command::Refresh(args) => refresh::run(args, keys, client, out).await,
        Command::Lock(args) => {
            let open = async |name, ttl, recipe| {
                Ok(Mutex::with(
                    Session::grant(client, ttl).await?,
                    name,
                    recipe,
                ))
            };
            lock::run(args, keys, Some(client), open, out, color_stderr).await
        }
        Command::Elect(args) => elect::run(args, keys, client, out, color_stderr).await,
        Command::Members(args) => members::run(args, client, out).await,
        Command::Leader(args) => {
            or_ctrl_c(leader::run(args, async || client.cluster_view().await, out)).await
        }
        Command::Dump(args) => dump::run(args, keys, client, out).await,
        Command::Load(args) => load::run(args, client, out).await,
        Command::Migrate(args) if args.check => upgrade_check::run(&args.prefix, client, out).await,
        Command::Migrate(args) => migrate::run(args, keys, client, to, out).await,
        Command::Operator(command) => operator::run(command, keys, client, out).await,
    }
}
