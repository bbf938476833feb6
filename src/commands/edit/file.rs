//! `edit`'s temporary file: made in `$TMPDIR` (mode 0600, a new name that no other file has,
//! ending in the key's last segment when that is a safe file name, for the editor's syntax
//! highlighting), read back bounded, removed when the edit ends, or kept, and named, when a
//! change the person made could not be written.

use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::input::MAX_VALUE_BYTES;
use std::fs::OpenOptions;
use std::io::{Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

/// Input refused (exit 2) with a one-line message, without clap's usage lines.
pub(super) fn refused(message: String) -> Error {
    Error::passthrough(Exit::Usage.code(), message)
}

pub struct TempFile {
    pub path: PathBuf,
    keep: bool,
}

/// The key's last segment, when it is a plain file name (letters, digits, `.`, `_`, `-`).
fn suffix(key: &[u8]) -> String {
    let last = key.rsplit(|&b| b == b'/').next().unwrap_or_default();
    let plain = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
    match last {
        [] | [b'.', ..] => "value".into(),
        _ if last.len() <= 64 && last.iter().all(plain) => String::from_utf8_lossy(last).into(),
        _ => "value".into(),
    }
}

impl TempFile {
    /// A new file holding `text`.
    pub fn new(key: &[u8], text: &str) -> Result<TempFile> {
        let dir = std::env::temp_dir();
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let cannot = |e: std::io::Error, path: &PathBuf| {
            Error::unexpected(format!("cannot write {}: {e}", path.display()))
        };
        for n in 0..100u32 {
            let name = format!(
                "etcdpy-edit-{}-{stamp:x}{n}-{}",
                std::process::id(),
                suffix(key)
            );
            let path = dir.join(name);
            let file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path);
            match file {
                Ok(mut file) => {
                    let made = TempFile { path, keep: false };
                    file.write_all(text.as_bytes())
                        .map_err(|e| cannot(e, &made.path))?;
                    return Ok(made);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(cannot(e, &path)),
            }
        }
        Err(Error::unexpected(format!(
            "cannot make a temporary file in {}",
            dir.display()
        )))
    }

    /// Replace what the file holds (an editor may have replaced the file itself: write anew).
    pub fn write(&self, text: &str) -> Result<()> {
        std::fs::write(&self.path, text)
            .map_err(|e| Error::unexpected(format!("cannot write {}: {e}", self.path.display())))
    }

    /// What the file holds now: a regular file of at most [`MAX_VALUE_BYTES`], UTF-8.
    pub fn read(&self) -> Result<String> {
        let shown = self.path.display();
        // Not a FIFO or a device put in its place: their reads could block or never end.
        match std::fs::metadata(&self.path) {
            Ok(meta) if meta.is_file() => {}
            Ok(_) => {
                return Err(refused(format!(
                    "{shown} is no longer a regular file after the editor; nothing written"
                )));
            }
            Err(e) => return Err(Error::unexpected(format!("cannot read {shown}: {e}"))),
        }
        let file = std::fs::File::open(&self.path)
            .map_err(|e| Error::unexpected(format!("cannot read {shown}: {e}")))?;
        let mut bytes = Vec::new();
        file.take(MAX_VALUE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::unexpected(format!("cannot read {shown}: {e}")))?;
        if bytes.len() > MAX_VALUE_BYTES {
            return Err(refused(format!(
                "the edited value is larger than {} MiB; nothing written",
                MAX_VALUE_BYTES >> 20
            )));
        }
        String::from_utf8(bytes)
            .map_err(|_| refused("the edited value is not UTF-8 text; nothing written".into()))
    }

    /// Keep the file when the edit ends, and say where it is in `err` (once).
    pub fn keep(&mut self, err: Error) -> Error {
        if self.keep {
            return err;
        }
        self.keep = true;
        let message = format!(
            "{} (your edit is kept in {})",
            err.message,
            self.path.display()
        );
        Error { message, ..err }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_suffix_is_the_last_segment_when_safe() {
        assert_eq!(super::suffix(b"/app/config.json"), "config.json");
        assert_eq!(super::suffix(b"/app/"), "value");
        assert_eq!(super::suffix(b"/a/.hidden"), "value");
        assert_eq!(super::suffix(b"/a/x y;rm"), "value");
    }
}
