//! `watch --on-compacted resync`: what the watcher last knew of its span (key → mod revision),
//! kept beside its checkpoint, and the difference between that and the span's current state.
//!
//! On disk: `FILE.state`, every key in key order (4-byte length, the key, 8-byte mod revision,
//! little-endian), and `FILE.journal`, the changes handled since (a kind byte, then the same),
//! appended, and synced before the checkpoint moves past them. A journal record beyond the
//! checkpoint was in flight and is dropped when read back. The journal is folded into the state
//! (a merge of the sorted file with the journal's keys, written beside it and renamed) when it
//! is opened and every [`FOLD_AT`] records, so memory holds at most that many keys; the diff
//! reads the state file as a stream, merged against the listing page by page.

use super::error::{Error, Result};
use super::{EventKind, KeyValue, Listing, WatchEvent};
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// Journal records kept before they are folded into the state file.
const FOLD_AT: usize = 10_000;

/// The last-known state of a watch's span.
pub struct State {
    base: PathBuf,
    journal_path: PathBuf,
    journal: File,
    /// Records in the journal file.
    records: usize,
    /// Records written since the last sync.
    unsynced: bool,
}

/// The mod revision of each key (`None`: deleted) in the journal.
type Changes = BTreeMap<Vec<u8>, Option<i64>>;

impl State {
    /// The state beside `checkpoint`, as of `revision` (the checkpoint's): the journal's
    /// records up to it folded in, the rest (changes in flight at a crash) dropped.
    pub fn open(checkpoint: &Path, revision: i64) -> Result<State> {
        let with = |suffix: &str| {
            let mut name = checkpoint.file_name().unwrap_or_default().to_os_string();
            name.push(suffix);
            checkpoint.with_file_name(name)
        };
        let (base, journal_path) = (with(".state"), with(".journal"));
        if revision == 0 {
            // Nothing recorded yet: whatever is there is from a run that never got so far.
            for path in [&base, &journal_path] {
                match fs::remove_file(path) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_error(path, e)),
                    _ => {}
                }
            }
        }
        let changes =
            read_journal(&journal_path, revision).map_err(|e| io_error(&journal_path, e))?;
        let journal = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&journal_path)
            .map_err(|e| io_error(&journal_path, e))?;
        let mut state = State {
            base,
            journal_path,
            journal,
            records: 0,
            unsynced: false,
        };
        state.fold(changes)?;
        Ok(state)
    }

    /// Record a change handled; [`State::sync`] before the checkpoint moves past it.
    pub fn record(&mut self, event: &WatchEvent) -> Result<()> {
        let mut record = vec![u8::from(event.kind == EventKind::Put)];
        encode(&mut record, &event.kv.key, event.kv.mod_revision);
        let path = &self.journal_path;
        self.journal
            .write_all(&record)
            .map_err(|e| io_error(path, e))?;
        self.records += 1;
        self.unsynced = true;
        if self.records >= FOLD_AT {
            let changes = read_journal(path, i64::MAX).map_err(|e| io_error(path, e))?;
            self.fold(changes)?;
        }
        Ok(())
    }

    /// The records written so far made durable.
    pub fn sync(&mut self) -> Result<()> {
        if self.unsynced {
            let path = &self.journal_path;
            self.journal.sync_data().map_err(|e| io_error(path, e))?;
            self.unsynced = false;
        }
        Ok(())
    }

    /// The state file with `changes` merged in, written anew; the journal emptied.
    fn fold(&mut self, changes: Changes) -> Result<()> {
        if !changes.is_empty() {
            let mut known = Known::open(&self.base)?;
            let mut changes = changes.into_iter().peekable();
            let mut out = Writer::create(&self.base)?;
            loop {
                let next = match (known.peek(), changes.peek()) {
                    (None, None) => break,
                    (Some((k, _)), Some((c, _))) if k < c => known.next()?,
                    (Some((k, _)), Some((c, _))) if k == c => {
                        known.next()?;
                        changes.next().and_then(|(k, r)| r.map(|r| (k, r)))
                    }
                    (Some(_), None) => known.next()?,
                    _ => changes.next().and_then(|(k, r)| r.map(|r| (k, r))),
                };
                if let Some((key, revision)) = next {
                    out.add(&key, revision)?;
                }
            }
            out.finish()?;
        }
        self.journal
            .set_len(0)
            .map_err(|e| io_error(&self.journal_path, e))?;
        self.records = 0;
        Ok(())
    }

    /// The difference between the last-known state and `listing` (the span now, at revision
    /// R), as events: PUT for a key added or changed, DELETE (at R) for a key gone.
    pub fn diff<L: Listing>(&self, listing: L) -> Result<Diff<L>> {
        Ok(Diff {
            known: Known::open(&self.base)?,
            listing,
            next: Writer::create(&self.base)?,
            done: false,
        })
    }
}

/// A resync in progress: the events page by page, the new state written as they pass.
pub struct Diff<L> {
    known: Known,
    listing: L,
    next: Writer,
    done: bool,
}

impl<L: Listing> Diff<L> {
    /// The next events (possibly none); `None` at the end.
    pub async fn next_batch(&mut self) -> Result<Option<Vec<WatchEvent>>> {
        if self.done {
            return Ok(None);
        }
        let mut events = Vec::new();
        let Some(page) = self.listing.next_page().await? else {
            self.done = true;
            let revision = self.listing.revision();
            while let Some((key, _)) = self.known.next()? {
                events.push(deleted(key, revision));
            }
            return Ok(Some(events));
        };
        for kv in page {
            while self.known.peek().is_some_and(|(k, _)| *k < kv.key) {
                let (key, _) = self.known.next()?.expect("peeked");
                events.push(deleted(key, self.listing.revision()));
            }
            let same = match self.known.peek() {
                Some((k, r)) if *k == kv.key => {
                    let same = *r == kv.mod_revision;
                    self.known.next()?;
                    same
                }
                _ => false,
            };
            self.next.add(&kv.key, kv.mod_revision)?;
            if !same {
                events.push(WatchEvent {
                    kind: EventKind::Put,
                    kv,
                    prev: None,
                });
            }
        }
        Ok(Some(events))
    }

    /// The revision the span was read at.
    pub fn revision(&self) -> i64 {
        self.listing.revision()
    }

    /// Every event handled: the span as read becomes the last-known state.
    pub fn finish(self) -> Result<()> {
        self.next.finish()
    }
}

fn deleted(key: Vec<u8>, revision: i64) -> WatchEvent {
    WatchEvent {
        kind: EventKind::Delete,
        kv: KeyValue {
            key,
            mod_revision: revision,
            ..KeyValue::default()
        },
        prev: None,
    }
}

fn encode(out: &mut Vec<u8>, key: &[u8], revision: i64) {
    out.extend_from_slice(&(key.len() as u32).to_le_bytes());
    out.extend_from_slice(key);
    out.extend_from_slice(&revision.to_le_bytes());
}

/// One record's key and revision from `input`; `None` at the end (or a torn last record).
fn decode(input: &mut impl Read) -> io::Result<Option<(Vec<u8>, i64)>> {
    let mut len = [0u8; 4];
    if let Err(e) = input.read_exact(&mut len) {
        return torn(e);
    }
    let mut key = vec![0u8; u32::from_le_bytes(len) as usize];
    let mut revision = [0u8; 8];
    if let Err(e) = input
        .read_exact(&mut key)
        .and_then(|()| input.read_exact(&mut revision))
    {
        return torn(e);
    }
    Ok(Some((key, i64::from_le_bytes(revision))))
}

fn torn<T>(e: io::Error) -> io::Result<Option<T>> {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        Ok(None)
    } else {
        Err(e)
    }
}

/// The journal's changes up to `revision`, the last one per key.
fn read_journal(path: &Path, revision: i64) -> io::Result<Changes> {
    let mut changes = Changes::new();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(changes),
        Err(e) => return Err(e),
    };
    let mut input = BufReader::new(file);
    let mut kind = [0u8; 1];
    while input.read(&mut kind)? == 1 {
        let Some((key, rev)) = decode(&mut input)? else {
            break;
        };
        if rev <= revision {
            changes.insert(key, (kind[0] == 1).then_some(rev));
        }
    }
    Ok(changes)
}

/// The state file read as a stream, one key ahead.
struct Known {
    input: Option<BufReader<File>>,
    ahead: Option<(Vec<u8>, i64)>,
    path: PathBuf,
}

impl Known {
    fn open(path: &Path) -> Result<Known> {
        let input = match File::open(path) {
            Ok(file) => Some(BufReader::new(file)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(io_error(path, e)),
        };
        let mut known = Known {
            input,
            ahead: None,
            path: path.to_path_buf(),
        };
        known.next()?;
        Ok(known)
    }

    fn peek(&self) -> Option<&(Vec<u8>, i64)> {
        self.ahead.as_ref()
    }

    fn next(&mut self) -> Result<Option<(Vec<u8>, i64)>> {
        let read = match self.input.as_mut() {
            Some(input) => decode(input).map_err(|e| io_error(&self.path, e))?,
            None => None,
        };
        Ok(std::mem::replace(&mut self.ahead, read))
    }
}

/// A new state file, written beside the old one and renamed over it by `finish`.
struct Writer {
    out: BufWriter<File>,
    temporary: PathBuf,
    path: PathBuf,
}

impl Writer {
    fn create(path: &Path) -> Result<Writer> {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".new");
        let temporary = path.with_file_name(name);
        let file = File::create(&temporary).map_err(|e| io_error(&temporary, e))?;
        Ok(Writer {
            out: BufWriter::new(file),
            temporary,
            path: path.to_path_buf(),
        })
    }

    fn add(&mut self, key: &[u8], revision: i64) -> Result<()> {
        let mut record = Vec::with_capacity(key.len() + 12);
        encode(&mut record, key, revision);
        self.out
            .write_all(&record)
            .map_err(|e| io_error(&self.temporary, e))
    }

    fn finish(self) -> Result<()> {
        let file = self
            .out
            .into_inner()
            .map_err(|e| io_error(&self.temporary, e.into_error()))?;
        file.sync_all().map_err(|e| io_error(&self.temporary, e))?;
        drop(file);
        fs::rename(&self.temporary, &self.path).map_err(|e| io_error(&self.path, e))?;
        // The directory entry made durable, as for the checkpoint.
        replace_dir_sync(&self.path).map_err(|e| io_error(&self.path, e))
    }
}

fn replace_dir_sync(path: &Path) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

fn io_error(path: &Path, e: io::Error) -> Error {
    Error::unexpected(format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A listing of fixed pages at one revision.
    struct Fixed(Vec<Vec<KeyValue>>, i64);

    impl Listing for Fixed {
        async fn next_page(&mut self) -> Result<Option<Vec<KeyValue>>> {
            Ok((!self.0.is_empty()).then(|| self.0.remove(0)))
        }
        fn revision(&self) -> i64 {
            self.1
        }
    }

    fn kv(key: &str, revision: i64) -> KeyValue {
        KeyValue {
            key: key.as_bytes().to_vec(),
            mod_revision: revision,
            ..KeyValue::default()
        }
    }

    fn change(kind: EventKind, key: &str, revision: i64) -> WatchEvent {
        WatchEvent {
            kind,
            kv: kv(key, revision),
            prev: None,
        }
    }

    #[test]
    fn the_state_folds_its_journal_and_diffs_against_a_listing() {
        let dir = tempfile::tempdir().unwrap();
        let cp = dir.path().join("cp");
        let mut state = State::open(&cp, 0).unwrap();
        for (kind, key, rev) in [
            (EventKind::Put, "a", 2),
            (EventKind::Put, "b", 3),
            (EventKind::Put, "c", 4),
            (EventKind::Delete, "b", 5),
            // In flight: beyond the checkpoint (5) when read back.
            (EventKind::Put, "z", 6),
        ] {
            state.record(&change(kind, key, rev)).unwrap();
        }
        state.sync().unwrap();
        drop(state);
        // A torn last record is dropped too.
        let journal = dir.path().join("cp.journal");
        let mut torn = fs::read(&journal).unwrap();
        torn.extend_from_slice(&[1, 9, 0]);
        fs::write(&journal, torn).unwrap();
        let state = State::open(&cp, 5).unwrap();
        assert_eq!(fs::metadata(&journal).unwrap().len(), 0);
        // Now: a unchanged, c changed, d added; b and z were never there, nothing of a, c gone.
        let listing = Fixed(vec![vec![kv("a", 2)], vec![kv("c", 9), kv("d", 8)]], 10);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut diff = state.diff(listing).unwrap();
        let mut events = Vec::new();
        while let Some(batch) = runtime.block_on(diff.next_batch()).unwrap() {
            events.extend(
                batch
                    .into_iter()
                    .map(|e| (e.kind, e.kv.key, e.kv.mod_revision)),
            );
        }
        diff.finish().unwrap();
        let put = |k: &str, r| (EventKind::Put, k.as_bytes().to_vec(), r);
        assert_eq!(events, vec![put("c", 9), put("d", 8)]);
        // The listing is the new state: a key gone now is a DELETE at the listing's revision.
        let state = State::open(&cp, 10).unwrap();
        let mut diff = state.diff(Fixed(vec![vec![kv("a", 2)]], 12)).unwrap();
        let batch = runtime.block_on(diff.next_batch()).unwrap().unwrap();
        assert!(batch.is_empty());
        let batch = runtime.block_on(diff.next_batch()).unwrap().unwrap();
        let gone: Vec<_> = batch
            .iter()
            .map(|e| (e.kind, e.kv.key.clone(), e.kv.mod_revision))
            .collect();
        assert_eq!(
            gone,
            vec![
                (EventKind::Delete, b"c".to_vec(), 12),
                (EventKind::Delete, b"d".to_vec(), 12)
            ]
        );
    }
}
