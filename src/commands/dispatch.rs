//! The commands on one backend, either API's ([`Backend`]): each subcommand's `run` with the
//! roles it needs; what only v3 has asked of the backend, which refuses it on v2.

use super::{
    Command, diff, du, dump, edit, elect, get, hints, history, leader, load, lock, members,
    operator, or_ctrl_c, refresh, rm, rollback, set, wait, watch,
};
use crate::client::{Backend, V3Only};
use crate::error::Result;
use crate::exit::Exit;
use crate::keys::KeyEncoding;
use crate::output::Out;

/// Run one command on `backend`; on "key not found", say where else the key is.
pub(super) async fn on(
    command: Command,
    backend: &impl Backend,
    out: &mut Out,
    keys: KeyEncoding,
    color_stderr: bool,
) -> Result<()> {
    let key = match &command {
        Command::Get(a) => Some(&a.key),
        Command::Rm(a) => Some(&a.key),
        Command::Refresh(a) => Some(&a.key),
        Command::Edit(a) => Some(&a.key),
        _ => None,
    };
    let key = key.and_then(|k| keys.decode("KEY", k).ok());
    let result = dispatch(command, backend, out, keys, color_stderr).await;
    match (result, key) {
        (Err(err), Some(key)) if err.exit == Exit::KeyNotFound => {
            Err(hints::in_other_keyspace(err, backend, &key).await)
        }
        (result, _) => result,
    }
}

async fn dispatch(
    command: Command,
    backend: &impl Backend,
    out: &mut Out,
    keys: KeyEncoding,
    color_stderr: bool,
) -> Result<()> {
    match command {
        Command::Get(args) => get::run(args, keys, backend, out).await,
        Command::Set(args) => set::run(args, keys, backend, out).await,
        Command::Rm(args) => rm::run(args, keys, backend, out).await,
        Command::Watch(args) => {
            let open = |span: &_, rev, prev| backend.watch(span, rev, prev);
            watch::run(args, keys, open, |span| backend.listing(span), out).await
        }
        Command::Wait(args) => wait::run(args, keys, backend, out).await,
        Command::Refresh(args) => refresh::run(args, keys, backend, out).await,
        Command::Lock(args) => {
            let open = async |name, ttl, recipe| backend.lock_queue(name, ttl, recipe).await;
            let admin = backend.v3(V3Only::LockAdmin);
            lock::run(args, keys, admin, open, out, color_stderr).await
        }
        Command::Elect(args) => {
            let client = backend.v3(V3Only::Elect)?;
            elect::run(args, keys, client, out, color_stderr).await
        }
        Command::Members(args) => members::run(args, backend, out).await,
        Command::Leader(args) => {
            or_ctrl_c(leader::run(
                args,
                async || backend.cluster_view().await,
                out,
            ))
            .await
        }
        Command::Dump(args) => dump::run(args, keys, backend, out).await,
        Command::Edit(args) => edit::run(args, keys, backend.v3(V3Only::Edit)?, out).await,
        Command::Load(args) => load::run(args, backend.v3(V3Only::Load)?, out).await,
        // rollback (issue 26)
        Command::Rollback(args) => {
            rollback::run(args, keys, backend.v3(V3Only::Rollback)?, out).await
        }
        Command::Migrate(_) => Err(crate::error::Error::unexpected(
            "migrate is dispatched before the API",
        )),
        Command::Du(args) => du::run(args, keys, backend.v3(V3Only::Du)?, out).await,
        Command::History(args) => {
            let client = backend.v3(V3Only::History)?;
            history::run(args, keys, client, out).await
        }
        Command::Diff(args) => diff::run(args, keys, backend.v3(V3Only::Diff)?, out).await,
        Command::Operator(command) => {
            let client = backend.v3(V3Only::Operator)?;
            operator::run(command, keys, client, out).await
        }
    }
}
