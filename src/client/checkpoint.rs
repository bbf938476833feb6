//! `watch --checkpoint FILE`: the revision a watch has processed so far, kept in a small file
//! that names the watch it belongs to (cluster ID, key, whether it is a prefix), so that a
//! restarted watch resumes from the next revision and a file of another watch is refused.
//! Every update is atomic: a temporary file beside FILE, fsync, rename, fsync of the directory.
//! A crash leaves the old revision or the new one, never a torn file.

use super::error::{Error, Kind, Result};
use serde::{Deserialize, Serialize};
use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Which watch a checkpoint belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub cluster_id: u64,
    pub key: Vec<u8>,
    /// `-r`: the key and every key under `KEY/`.
    pub prefix: bool,
}

impl Owner {
    fn describe(&self) -> String {
        let what = if self.prefix { "prefix" } else { "key" };
        format!(
            "{what} {} on cluster {:x}",
            crate::text::escape(&self.key),
            self.cluster_id
        )
    }
}

/// An open checkpoint: where the watch got to, written on each [`Checkpoint::advance`].
#[derive(Debug)]
pub struct Checkpoint {
    path: PathBuf,
    owner: Owner,
    /// Every change up to and including this revision was processed (0: none recorded yet).
    revision: i64,
}

/// The file, one JSON line.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    etcdpy_watch_checkpoint: u32,
    /// Hexadecimal, as etcdctl prints it.
    cluster_id: String,
    /// The key's bytes in hexadecimal (a key need not be text).
    key_hex: String,
    prefix: bool,
    revision: i64,
}

const VERSION: u32 = 1;

impl Checkpoint {
    /// Read FILE (a missing one: nothing recorded yet). A file that is not a checkpoint, or
    /// is one of another watch, is refused (`Kind::InvalidInput`).
    pub fn open(path: &Path, owner: Owner) -> Result<Checkpoint> {
        let shown = path.display();
        let text = match read_regular(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // Nothing recorded yet; its directory must be there to write it later (found
                // now, not after the first change was handled).
                let dir = match path.parent() {
                    Some(dir) if !dir.as_os_str().is_empty() => dir,
                    _ => Path::new("."),
                };
                if !dir.is_dir() {
                    return Err(Error::unexpected(format!(
                        "cannot write {shown}: its directory {} does not exist",
                        dir.display()
                    )));
                }
                return Ok(Checkpoint {
                    path: path.to_path_buf(),
                    owner,
                    revision: 0,
                });
            }
            Err(e) => return Err(Error::unexpected(format!("cannot read {shown}: {e}"))),
        };
        let stored = decode(&text).map_err(|why| {
            Error::new(
                Kind::InvalidInput,
                format!(
                    "--checkpoint {shown} is not an etcdpy watch checkpoint ({why}); move it away to start afresh"
                ),
            )
        })?;
        if stored.0 != owner {
            return Err(Error::new(
                Kind::InvalidInput,
                format!(
                    "--checkpoint {shown} belongs to another watch: it is for {}, this watch is of {}",
                    stored.0.describe(),
                    owner.describe()
                ),
            ));
        }
        Ok(Checkpoint {
            path: path.to_path_buf(),
            owner,
            revision: stored.1,
        })
    }

    /// The revision processed so far (0: none recorded).
    pub fn revision(&self) -> i64 {
        self.revision
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Record that every change up to `revision` was processed; a revision not beyond the
    /// recorded one writes nothing.
    pub fn advance(&mut self, revision: i64) -> Result<()> {
        if revision <= self.revision {
            return Ok(());
        }
        let stored = Stored {
            etcdpy_watch_checkpoint: VERSION,
            cluster_id: format!("{:x}", self.owner.cluster_id),
            key_hex: hex(&self.owner.key),
            prefix: self.owner.prefix,
            revision,
        };
        let mut line = serde_json::to_vec(&stored).map_err(super::error::encoding)?;
        line.push(b'\n');
        replace(&self.path, &line)
            .map_err(|e| Error::unexpected(format!("cannot write {}: {e}", self.path.display())))?;
        self.revision = revision;
        Ok(())
    }
}

/// `path`'s contents replaced by `bytes` atomically and durably.
/// A checkpoint's bytes: a regular file (a FIFO is refused at once rather than waited on)
/// of at most 64 KiB (a checkpoint is one short line).
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "Is a directory",
        ));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(64 << 10).read_to_end(&mut bytes)?;
    Ok(bytes)
}

pub(super) fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let temporary = path.with_file_name(name);
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temporary, path)?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

fn decode(text: &[u8]) -> std::result::Result<(Owner, i64), String> {
    let stored: Stored = serde_json::from_slice(text).map_err(|e| e.to_string())?;
    if stored.etcdpy_watch_checkpoint != VERSION {
        return Err(format!("version {}", stored.etcdpy_watch_checkpoint));
    }
    let cluster_id = u64::from_str_radix(&stored.cluster_id, 16)
        .map_err(|_| format!("cluster ID {:?}", stored.cluster_id))?;
    let key = unhex(&stored.key_hex).ok_or("a key that is not hexadecimal")?;
    if stored.revision < 0 {
        return Err(format!("revision {}", stored.revision));
    }
    let owner = Owner {
        cluster_id,
        key,
        prefix: stored.prefix,
    };
    Ok((owner, stored.revision))
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_reads_back_and_refuses_another_watchs_file() {
        let dir = std::env::temp_dir().join(format!("etcdpy-cp-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join("cp");
        let owner = Owner {
            cluster_id: 0xcdf8_1819_4e3a_8c32,
            key: b"/a\0b".to_vec(),
            prefix: true,
        };
        let mut cp = Checkpoint::open(&path, owner.clone()).unwrap();
        assert_eq!(cp.revision(), 0);
        cp.advance(42).unwrap();
        cp.advance(41).unwrap();
        assert_eq!(
            Checkpoint::open(&path, owner.clone()).unwrap().revision(),
            42
        );
        let other = Owner {
            prefix: false,
            ..owner.clone()
        };
        let err = Checkpoint::open(&path, other).unwrap_err();
        assert_eq!(err.kind, Kind::InvalidInput);
        assert!(err.message.contains("belongs to another watch"), "{err:?}");
        fs::write(&path, b"{\"etcdpy_watch_checkpoint\":1,").unwrap();
        let err = Checkpoint::open(&path, owner).unwrap_err();
        assert!(err.message.contains("is not an etcdpy watch checkpoint"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
