//! One file per subcommand, each with its arguments and one `run` function
//! written against the backend seam [`crate::client::Store`]. Here: the
//! subcommand tree ([`Command`], which `cli` names) and the dispatcher.

pub mod elect;
pub mod get;
mod held_cmd;
mod holding;
pub mod leader;
pub mod lock;
pub mod lock_admin;
pub mod members;
pub mod refresh;
pub mod rm;
pub mod set;
pub mod watch;

use crate::client::{Client, Kind, Nearby, Store};
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::KeyEncoding;
use crate::output::Out;
use clap::Subcommand;
use elect::ElectArgs;
use get::GetArgs;
use leader::LeaderArgs;
use lock::LockArgs;
use members::MembersArgs;
use refresh::RefreshArgs;
use rm::RmArgs;
use set::SetArgs;
use watch::WatchArgs;

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
}

/// Run one command against a connected client, printing through `out`;
/// `keys` says how its key arguments are written.
pub async fn run(
    command: Command,
    client: &Client,
    out: &mut Out,
    keys: KeyEncoding,
    color_stderr: bool,
) -> Result<()> {
    match command {
        Command::Get(args) => get::run(args, keys, client, out).await,
        Command::Set(args) => set::run(args, keys, client, out).await,
        Command::Rm(args) => rm::run(args, keys, client, out).await,
        Command::Watch(args) => watch::run(args, keys, client, out).await,
        Command::Refresh(args) => refresh::run(args, keys, client, out).await,
        Command::Lock(args) => lock::run(args, keys, client, out, color_stderr).await,
        Command::Elect(args) => elect::run(args, keys, client, out, color_stderr).await,
        Command::Members(args) => members::run(args, client, out).await,
        Command::Leader(args) => leader::run(args, client, out).await,
    }
}

/// The exit status a kind of client error ends the program with.
pub fn exit_for(kind: Kind) -> Exit {
    match kind {
        Kind::Unreachable | Kind::NotEtcd | Kind::TooLarge => Exit::Unreachable,
        Kind::TimedOut => Exit::TimedOut,
        Kind::NoLeader | Kind::Unavailable | Kind::DeadlineExceeded => Exit::NoLeader,
        Kind::Compacted => Exit::Compacted,
        Kind::AuthFailed
        | Kind::AuthRequired
        | Kind::StaleToken
        | Kind::PermissionDenied
        | Kind::AuthRefused => Exit::AuthRefused,
        Kind::NotFound => Exit::KeyNotFound,
        Kind::ConditionFailed => Exit::ConditionFailed,
        Kind::LockLost => Exit::LockLost,
        Kind::ValueTooLarge | Kind::InvalidInput | Kind::Unsupported => Exit::Usage,
        Kind::AuthNotEnabled | Kind::LeaseNotFound | Kind::Unexpected => Exit::Unexpected,
    }
}

impl From<crate::client::Error> for crate::error::Error {
    fn from(err: crate::client::Error) -> Self {
        crate::error::Error::new(exit_for(err.kind), err.message)
    }
}

/// How long "key not found" waits for its hint at most (a slow or failing
/// lookup leaves the message as it is).
const HINT_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// "key not found: KEY", with a hint when something lies near it (looked up
/// only now, on the error path): keys below KEY/ (`below` says what to do with
/// them; `None`: not looked for), or KEY with a leading `/`.
pub async fn not_found(store: &impl Store, key: &[u8], below: Option<&str>) -> Error {
    let mut error = Error::not_found(key);
    let nearby = tokio::time::timeout(HINT_WAIT, store.nearby(key, below.is_some())).await;
    let hint = match nearby.ok().flatten() {
        Some(Nearby::Below(n)) => {
            let keys = if n == 1 { "key" } else { "keys" };
            let dir = crate::output::escape(key);
            let slash = if key.ends_with(b"/") { "" } else { "/" };
            format!(
                "{dir}{slash} is a directory of {n} {keys}: {}",
                below.unwrap_or("")
            )
        }
        Some(Nearby::Slashed(slashed)) => {
            format!("did you mean {}?", crate::output::escape(&slashed))
        }
        None => return error,
    };
    error.message = format!("{} ({hint})", error.message);
    error
}
