//! The dump file `etcdpy dump` writes and `etcdpy load` reads: NDJSON, a header line
//! (`{"dump":"etcdpy","api":…,"prefix":…,"revision":…}`), one key per line in key order, in
//! `get -o json`'s fields (text, or base64 with `*_encoding`) with `ttl` the seconds left
//! (null: no TTL), and the end line `{"end":"etcdpy","keys":N,"sha256":HEX}` (the number of key
//! lines, the SHA-256 of every byte before it), which dump writes only after a complete read.
//! Read here as a [`Source`]: checked whole before anything is written (a bad line is named by
//! its number; a file without its end line was cut off and is refused unless
//! [`Ending::Optional`]), then read again for the plan and the writes, one line at a time.

use super::error::{Error, Result};
use super::transfer::{Source, Wanted};
use crate::keys::KeySpan;
use crate::text::escape;
use base64::Engine as _;
use serde::Deserialize;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// The longest line read: a 10 MiB value as base64, with room to spare.
const MAX_LINE_BYTES: u64 = 32 << 20;

/// What a line may hold: a key's fields, the header's or the end line's.
#[derive(Deserialize)]
struct Line {
    dump: Option<String>,
    end: Option<String>,
    keys: Option<u64>,
    sha256: Option<String>,
    prefix: Option<String>,
    prefix_encoding: Option<String>,
    key: Option<String>,
    key_encoding: Option<String>,
    value: Option<String>,
    value_encoding: Option<String>,
    ttl: Option<i64>,
}

/// Whether a dump must end with its end line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// A file without it (cut off, or `dump` did not finish) is refused, naming where it stops.
    Required,
    /// Hand-made files: the keys it holds are what is wanted (never with a prune).
    Optional,
}

/// A dump file, checked, with `OLD=NEW` applied to its keys.
pub struct DumpFile {
    path: PathBuf,
    reader: BufReader<File>,
    /// Where the dump starts in the file (stdin given as a file may be read from an offset).
    start: u64,
    line: u64,
    /// The checksum of the bytes read so far (the first, whole reading only).
    digest: Option<ring::digest::Context>,
    /// The last line read was the end line.
    ended: bool,
    last: Option<Vec<u8>>,
    rename: Option<(Vec<u8>, Vec<u8>)>,
    /// The span the dump covers (renamed).
    pub span: KeySpan,
    /// How many keys it holds.
    pub keys: u64,
}

impl DumpFile {
    /// Open `path` and check every line of it.
    pub fn open(
        path: &Path,
        rename: Option<(Vec<u8>, Vec<u8>)>,
        ending: Ending,
    ) -> Result<DumpFile> {
        let shown = escape(path.as_os_str().as_bytes());
        let file = File::open(path)
            .map_err(|e| Error::invalid(format!("cannot read the dump file {shown}: {e}")))?;
        // Read twice (checked whole first, then planned and written): a pipe cannot be.
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(Error::invalid(format!(
                "{shown} is not a regular file: load reads its file twice (checked whole first), so save the dump to a file, or give - to spool stdin into a temporary one"
            )));
        }
        DumpFile::read(file, 0, path, rename, ending)
    }

    /// A dump in `file` from offset `start` (stdin spooled: `load -`), named `name` in errors.
    pub fn read(
        file: File,
        start: u64,
        name: &Path,
        rename: Option<(Vec<u8>, Vec<u8>)>,
        ending: Ending,
    ) -> Result<DumpFile> {
        let mut dump = DumpFile {
            path: name.to_path_buf(),
            reader: BufReader::with_capacity(256 << 10, file),
            start,
            line: 0,
            digest: Some(ring::digest::Context::new(&ring::digest::SHA256)),
            ended: false,
            last: None,
            rename,
            span: KeySpan::new(Vec::new(), true),
            keys: 0,
        };
        dump.span = dump.header()?;
        while dump.next_wanted()?.is_some() {
            dump.keys += 1;
        }
        if dump.ended {
            // Nothing may follow the end line.
            dump.read_line()?;
        } else if ending == Ending::Required {
            return Err(dump.bad(
                "the dump stops here, without the end line dump writes after a complete read \
                 ({\"end\":\"etcdpy\",…}): it was cut off, or dump did not finish (--allow-partial \
                 loads a hand-made file as it is, never with --prune)",
            ));
        }
        dump.digest = None;
        Ok(dump)
    }

    /// The end line, checked against the key lines read and the bytes before it.
    fn end(&mut self, line: Line) -> Result<()> {
        self.ended = true;
        // Checked on the first reading; the later ones read the file already checked.
        let Some(digest) = self.digest.take() else {
            return Ok(());
        };
        if line.keys != Some(self.keys) {
            return Err(self.bad(format!(
                "the end line counts {} keys, but {} key lines came before it",
                line.keys.map_or("no".into(), |k| k.to_string()),
                self.keys
            )));
        }
        let hex: String = digest
            .finish()
            .as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if line.sha256.as_deref() != Some(hex.as_str()) {
            return Err(self.bad(
                "the SHA-256 of the lines before the end line is not the one it gives: the file was changed or damaged",
            ));
        }
        Ok(())
    }

    fn bad(&self, what: impl std::fmt::Display) -> Error {
        let path = escape(self.path.as_os_str().as_bytes());
        Error::invalid(format!(
            "{path}: line {}: {what}; nothing was written",
            self.line
        ))
    }

    /// The next line, parsed; `None` at the end of the file.
    fn read_line(&mut self) -> Result<Option<Line>> {
        let mut bytes = Vec::new();
        let read = (&mut self.reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut bytes)
            .map_err(|e| self.bad(format!("cannot read: {e}")))?;
        if read == 0 {
            return Ok(None);
        }
        self.line += 1;
        if self.ended {
            return Err(self.bad("a line after the end line"));
        }
        if bytes.len() as u64 > MAX_LINE_BYTES {
            return Err(self.bad(format!("longer than {} MiB", MAX_LINE_BYTES >> 20)));
        }
        let line: Line = serde_json::from_slice(&bytes).map_err(|e| match bytes.last() {
            Some(b'\n') => self.bad(format!("not a dump line ({e})")),
            _ => self.bad("the file stops in the middle of this line: it was cut off"),
        })?;
        if line.end.is_none()
            && let Some(digest) = &mut self.digest
        {
            digest.update(&bytes);
        }
        Ok(Some(line))
    }

    /// The header line: the span the dump covers.
    fn header(&mut self) -> Result<KeySpan> {
        let line = self.read_line()?;
        let Some(Line {
            dump: Some(_),
            prefix: Some(prefix),
            prefix_encoding,
            ..
        }) = line
        else {
            self.line = self.line.max(1);
            return Err(
                self.bad("not the header etcdpy dump writes ({\"dump\":\"etcdpy\",\"prefix\":…})")
            );
        };
        let prefix = self.bytes("prefix", prefix, prefix_encoding)?;
        Ok(KeySpan::new(self.renamed("prefix", prefix)?, true))
    }

    fn bytes(&self, what: &str, text: String, encoding: Option<String>) -> Result<Vec<u8>> {
        match encoding.as_deref() {
            None => Ok(text.into_bytes()),
            Some("base64") => base64::engine::general_purpose::STANDARD
                .decode(text)
                .map_err(|e| self.bad(format!("the {what} is not base64 ({e})"))),
            Some(other) => Err(self.bad(format!(
                "unknown {what}_encoding '{}'",
                escape(other.as_bytes())
            ))),
        }
    }

    fn renamed(&self, what: &str, key: Vec<u8>) -> Result<Vec<u8>> {
        let Some((old, new)) = &self.rename else {
            return Ok(key);
        };
        match key.strip_prefix(&old[..]) {
            Some(rest) => Ok([&new[..], rest].concat()),
            None => Err(self.bad(format!(
                "the {what} {} does not start with {} (--prefix-rename)",
                escape(&key),
                escape(old)
            ))),
        }
    }
}

impl Source for DumpFile {
    fn rewind(&mut self) -> Result<()> {
        self.reader
            .seek(std::io::SeekFrom::Start(self.start))
            .map_err(|e| self.bad(format!("cannot read it again: {e}")))?;
        self.line = 0;
        self.ended = false;
        self.last = None;
        self.header().map(|_| ())
    }

    fn next_wanted(&mut self) -> Result<Option<Wanted>> {
        let Some(line) = self.read_line()? else {
            return Ok(None);
        };
        if line.end.is_some() {
            self.end(line)?;
            return Ok(None);
        }
        let (Some(key), Some(value)) = (line.key, line.value) else {
            return Err(self.bad("a key line needs \"key\" and \"value\""));
        };
        let key = self.bytes("key", key, line.key_encoding)?;
        let key = self.renamed("key", key)?;
        let value = self.bytes("value", value, line.value_encoding)?;
        if !self.span.contains(&key) {
            return Err(self.bad(format!("{} is outside the dump's prefix", escape(&key))));
        }
        if self.last.as_ref().is_some_and(|last| *last >= key) {
            return Err(self.bad(format!(
                "{} is not after the key before it (a dump is in key order, each key once)",
                escape(&key)
            )));
        }
        self.last = Some(key.clone());
        Ok(Some(Wanted {
            key,
            value,
            ttl: line.ttl,
            lease: None,
        }))
    }
}
