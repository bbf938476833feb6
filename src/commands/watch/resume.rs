//! `watch --checkpoint FILE`: where a restarted watch resumes, and the revision recorded after
//! each change is handled (printed, or CMD run for it).

use super::WatchArgs;
use crate::client::Kind;
use crate::client::{Checkpoint, Listing, Owner, WatchEvent};
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::KeySpan;

/// The checkpoint named by --checkpoint, read (refused when it is not one, or is another
/// watch's); the cluster's ID is asked for only then.
pub async fn open(
    args: &WatchArgs,
    span: &KeySpan,
    backend: &impl Listing,
) -> Result<Option<Checkpoint>> {
    let Some(path) = &args.checkpoint else {
        return Ok(None);
    };
    let owner = Owner {
        cluster_id: backend.cluster_id().await?,
        key: span.key().to_vec(),
        prefix: span.recursive(),
    };
    match Checkpoint::open(path, owner) {
        Ok(checkpoint) => Ok(Some(checkpoint)),
        // Input refused (exit 2), said in one line: no usage lines, the command line was fine.
        Err(e) if e.kind == Kind::InvalidInput => {
            Err(Error::passthrough(Exit::Usage.code(), e.message))
        }
        Err(e) => Err(e.into()),
    }
}

/// The revision every change of which is handled once `batch[i]` is: its own, unless the
/// next event belongs to the same revision (a transaction), then the one before.
pub fn completed(batch: &[WatchEvent], i: usize) -> i64 {
    let revision = batch[i].kv.mod_revision;
    match batch.get(i + 1) {
        Some(next) if next.kv.mod_revision == revision => revision - 1,
        _ => revision,
    }
}

/// Record `revision` as handled, if there is a checkpoint.
pub fn advance(checkpoint: &mut Option<Checkpoint>, revision: i64) -> Result<()> {
    if let Some(checkpoint) = checkpoint {
        checkpoint.advance(revision)?;
    }
    Ok(())
}
