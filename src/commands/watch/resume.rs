//! `watch --checkpoint FILE` and `--on-compacted`: where a restarted watch resumes, the revision
//! (and, for a resync, the key's state) recorded after each change is handled, and the resync
//! that replaces a compacted resume revision.

use super::WatchArgs;
use crate::client::{Checkpoint, Kind, Listing, Owner, State, WatchEvent};
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::KeySpan;
use clap::ValueEnum;

/// What a watch does when the revision it resumes from was compacted away.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OnCompacted {
    /// Exit 10, naming the oldest revision still available.
    Exit,
    /// Emit what differs from the last state known (PUT, DELETE), then go on.
    Resync,
}

/// The checkpoint and, with `--on-compacted resync`, the last-known state beside it.
pub struct Resume {
    checkpoint: Option<Checkpoint>,
    state: Option<State>,
}

impl Resume {
    /// The checkpoint named by --checkpoint, read (refused when it is not one, or is another
    /// watch's); the cluster's ID is asked for only then.
    pub async fn open(args: &WatchArgs, span: &KeySpan, backend: &impl Listing) -> Result<Resume> {
        let Some(path) = &args.checkpoint else {
            return Ok(Resume {
                checkpoint: None,
                state: None,
            });
        };
        let owner = Owner {
            cluster_id: backend.cluster_id().await?,
            key: span.key().to_vec(),
            prefix: span.recursive(),
        };
        let checkpoint = match Checkpoint::open(path, owner) {
            Ok(checkpoint) => checkpoint,
            // Input refused (exit 2), said in one line: no usage lines, the command line was fine.
            Err(e) if e.kind == Kind::InvalidInput => {
                return Err(Error::passthrough(Exit::Usage.code(), e.message));
            }
            Err(e) => return Err(e.into()),
        };
        let state = (args.on_compacted == OnCompacted::Resync)
            .then(|| State::open(path, checkpoint.revision()))
            .transpose()?;
        Ok(Resume {
            checkpoint: Some(checkpoint),
            state,
        })
    }

    /// The revision recorded (0: none).
    pub fn revision(&self) -> i64 {
        self.checkpoint.as_ref().map_or(0, Checkpoint::revision)
    }

    /// `batch[i]` handled: its key's state, then the revision every change of which is handled.
    pub fn handled(&mut self, batch: &[WatchEvent], i: usize) -> Result<()> {
        self.note(&batch[i])?;
        self.advance(completed(batch, i))
    }

    /// A change handled, in the state only (an initial key; the checkpoint moves at the end).
    pub fn note(&mut self, event: &WatchEvent) -> Result<()> {
        if let Some(state) = self.state.as_mut() {
            state.record(event)?;
        }
        Ok(())
    }

    /// Record `revision` as handled, if there is a checkpoint.
    pub fn advance(&mut self, revision: i64) -> Result<()> {
        if let Some(state) = self.state.as_mut() {
            state.sync()?;
        }
        if let Some(checkpoint) = self.checkpoint.as_mut() {
            checkpoint.advance(revision)?;
        }
        Ok(())
    }

    /// Where the watch starts: after the revision recorded, else at `rev` (0: now).
    pub fn start(&self, rev: Option<i64>) -> i64 {
        match self.revision() {
            0 => rev.unwrap_or(0),
            recorded => recorded + 1,
        }
    }

    /// Whether a compacted resume revision is resynced.
    pub fn resyncs(&self, error: &crate::client::Error) -> bool {
        error.kind == Kind::Compacted && self.state.is_some()
    }

    /// The resync of a watch whose start revision `compacted` was compacted away: the span
    /// now (`listing`) against the last state known, each difference handed to `each`
    /// (`Ok(false)`: stop, the state left as it was), then one line on stderr; the revision
    /// read at, or `None` when `each` stopped it.
    pub async fn resync<L: Listing>(
        &mut self,
        compacted: i64,
        listing: L,
        mut each: impl AsyncFnMut(&WatchEvent) -> Result<bool>,
    ) -> Result<Option<i64>> {
        let state = self.state.as_ref().expect("resyncs");
        let mut diff = state.diff(listing)?;
        let (mut puts, mut deletes) = (0, 0);
        while let Some(events) = diff.next_batch().await? {
            for event in &events {
                if !each(event).await? {
                    return Ok(None);
                }
                match event.kind {
                    crate::client::EventKind::Put => puts += 1,
                    crate::client::EventKind::Delete => deletes += 1,
                }
            }
        }
        let revision = diff.revision();
        diff.finish()?;
        self.advance(revision)?;
        crate::output::watch::resynced(compacted, revision, puts, deletes);
        Ok(Some(revision))
    }
}

/// The revision every change of which is handled once `batch[i]` is: its own, unless the
/// next event belongs to the same revision (a transaction), then the one before.
fn completed(batch: &[WatchEvent], i: usize) -> i64 {
    let revision = batch[i].kv.mod_revision;
    match batch.get(i + 1) {
        Some(next) if next.kv.mod_revision == revision => revision - 1,
        _ => revision,
    }
}
