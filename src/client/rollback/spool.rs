//! The subtree as it was at a past revision, read page by page over the bulk-read path and
//! spooled to a temporary file (removed as soon as it is open) ([`Spool`]), so that load's engine can read it twice
//! (plan, apply) in key order with memory bounded by a page. A key goes back on the lease it
//! had at that revision while that lease is alive (it lives and dies with it, as before); a
//! lease that has expired is not revived (the key comes back without one, counted in
//! [`Spool::expired`]).

use crate::client::error::{Error, Result};
use crate::client::{Client, KeyValue, Paged, Pages, Source, Wanted};
use crate::keys::KeySpan;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;
use std::time::Instant;

/// Which wanted keys a later pass takes: those within one of `spans` (inclusive), not in `skip`.
#[derive(Default, Clone)]
pub(super) struct Only {
    pub spans: Vec<(Vec<u8>, Vec<u8>)>,
    pub skip: HashSet<Vec<u8>>,
}

impl Only {
    pub(super) fn takes(&self, key: &[u8]) -> bool {
        !self.skip.contains(key)
            && self
                .spans
                .iter()
                .any(|(first, last)| first.as_slice() <= key && key <= last.as_slice())
    }
}

pub(super) struct Spool {
    file: BufReader<File>,
    read_at: Instant,
    /// Keys spooled.
    pub keys: u64,
    /// Keys whose lease at that revision has expired since.
    pub expired: u64,
    /// Set for a later pass: the keys it takes.
    pub only: Option<Only>,
}

impl Spool {
    /// `span` as it was at `revision`.
    pub async fn read(client: &Client, span: &KeySpan, revision: i64, dir: &Path) -> Result<Spool> {
        let (start, end) = span.covering();
        let end = end.unwrap_or_else(|| {
            let mut end = start.clone();
            end.push(0);
            end
        });
        let io = |e: std::io::Error| Error::unexpected(format!("cannot spool the keys: {e}"));
        let file = unnamed(dir).map_err(io)?;
        let mut writer = BufWriter::new(file);
        let mut pages = Pages::new(client, (start, end), revision, false, None);
        let mut leases: HashMap<i64, i64> = HashMap::new();
        let read_at = Instant::now();
        let (mut keys, mut expired) = (0, 0);
        while let Some(page) = pages.next().await? {
            for kv in page.kvs.iter().filter(|kv| span.contains(&kv.key)) {
                let ttl = match kv.lease {
                    0 => -1,
                    id => match leases.get(&id) {
                        Some(left) => *left,
                        None => {
                            let left = client.lease_time_to_live(id, false).await?.ttl.max(0);
                            leases.insert(id, left);
                            left
                        }
                    },
                };
                expired += u64::from(ttl == 0);
                // A lease alive now is the one the key goes back on.
                let lease = if ttl > 0 { kv.lease } else { 0 };
                record(&mut writer, kv, ttl, lease).map_err(io)?;
                keys += 1;
            }
        }
        let mut file = writer.into_inner().map_err(|e| io(e.into_error()))?;
        file.rewind().map_err(io)?;
        Ok(Spool {
            file: BufReader::new(file),
            read_at,
            keys,
            expired,
            only: None,
        })
    }

    fn next_record(&mut self) -> std::io::Result<Option<Wanted>> {
        let mut len = [0u8; 4];
        match self.file.read_exact(&mut len) {
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            other => other?,
        }
        let key = bytes(&mut self.file, u32::from_le_bytes(len))?;
        self.file.read_exact(&mut len)?;
        let value = bytes(&mut self.file, u32::from_le_bytes(len))?;
        let ttl = number(&mut self.file)?;
        let lease = number(&mut self.file)?;
        Ok(Some(Wanted {
            key,
            value,
            // 0: expired, not revived; -1: no lease.
            ttl: (ttl > 0).then_some(ttl),
            lease: (lease != 0).then_some(lease),
        }))
    }
}

/// A new file in `dir`, removed at once (gone with its last descriptor, whatever happens).
fn unnamed(dir: &Path) -> std::io::Result<File> {
    let name = dir.join(format!(
        ".etcdpy-rollback-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&name)?;
    std::fs::remove_file(&name)?;
    Ok(file)
}

fn record(w: &mut impl Write, kv: &KeyValue, ttl: i64, lease: i64) -> std::io::Result<()> {
    w.write_all(&(kv.key.len() as u32).to_le_bytes())?;
    w.write_all(&kv.key)?;
    w.write_all(&(kv.value.len() as u32).to_le_bytes())?;
    w.write_all(&kv.value)?;
    w.write_all(&ttl.to_le_bytes())?;
    w.write_all(&lease.to_le_bytes())
}

fn number(r: &mut impl Read) -> std::io::Result<i64> {
    let mut buf = [0u8; 8];
    r.read_exact(&mut buf)?;
    Ok(i64::from_le_bytes(buf))
}

fn bytes(r: &mut impl Read, len: u32) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0; len as usize];
    r.read_exact(&mut buf)?;
    Ok(buf)
}

impl Source for Spool {
    fn rewind(&mut self) -> Result<()> {
        self.file
            .rewind()
            .map_err(|e| Error::unexpected(format!("cannot read the spooled keys: {e}")))
    }

    fn next_wanted(&mut self) -> Result<Option<Wanted>> {
        loop {
            let wanted = self
                .next_record()
                .map_err(|e| Error::unexpected(format!("cannot read the spooled keys: {e}")))?;
            match (&wanted, &self.only) {
                (Some(w), Some(only)) if !only.takes(&w.key) => continue,
                _ => return Ok(wanted),
            }
        }
    }

    fn read_at(&self) -> Option<Instant> {
        Some(self.read_at)
    }
}
