//! Bytes the user hands etcdpy: a value on stdin (`set`) and the files options
//! name (`--password-file`, `--cacert`, `--cert`, `--key`). Each is read up to
//! a bound, in bounded memory, and a FIFO that no process writes to is refused
//! instead of waited on forever. A leaf: it imports only the error type and
//! the escaping of text.

use crate::error::{Error, Result};
use crate::text::escape;
use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read};
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

/// The largest value `set` takes from stdin: 10 MiB, the largest
/// `--max-request-bytes` etcd recommends (it warns above it; its default is
/// 1.5 MiB). Such a value still fits one answer (16 MiB) as base64, so what
/// etcdpy writes it can read back. No more than one byte past it is read.
pub const MAX_VALUE_BYTES: usize = 10 << 20;

/// The largest file an option may name: 4 MiB, many times a PEM bundle of
/// every public CA (about 200 KiB), let alone a password.
pub const MAX_FILE_BYTES: usize = 4 << 20;

/// How long a FIFO that no process has opened for writing is waited for
/// (`mkfifo f; etcdpy --password-file f ... & echo pw > f` still works).
pub const NO_WRITER_WAIT: Duration = Duration::from_secs(2);

/// The value on stdin, refused (exit 2) when it is larger than [`MAX_VALUE_BYTES`].
pub fn value_from_stdin() -> Result<Vec<u8>> {
    let mut value = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_VALUE_BYTES as u64 + 1)
        .read_to_end(&mut value)
        .map_err(|e| Error::unexpected(format!("cannot read the value from stdin: {e}")))?;
    if value.len() > MAX_VALUE_BYTES {
        return Err(Error::usage(format!(
            "value too large: more than {} MiB on stdin (etcdpy's limit; etcd's own is 1.5 MiB unless its --max-request-bytes is raised)",
            MAX_VALUE_BYTES >> 20
        )));
    }
    Ok(value)
}

/// The whole of the file the option `flag` names, at most [`MAX_FILE_BYTES`].
/// A FIFO or pipe is read as its writer writes; one that no process opens for
/// writing within [`NO_WRITER_WAIT`] is refused. Every failure is a usage
/// error (exit 2) naming `flag` and the file.
pub fn option_file(flag: &str, path: &Path) -> Result<Vec<u8>> {
    let shown = format!("{flag} {}", escape(path.as_os_str().as_bytes()));
    let cannot = |e: std::io::Error| Error::usage(format!("cannot read {shown}: {e}"));
    // Non-blocking, so that opening a FIFO does not wait for a writer.
    let mut file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(cannot)?;
    let fifo = file.metadata().map_err(cannot)?.file_type().is_fifo();
    let no_writer_until = Instant::now() + NO_WRITER_WAIT;
    let mut writer_seen = false;
    let mut contents = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        match file.read(&mut chunk) {
            // The end; for a FIFO, only once a writer has come (and gone).
            Ok(0) if writer_seen || !fifo => return Ok(contents),
            Ok(0) => {
                let left = no_writer_until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(Error::usage(format!(
                        "nothing to read from {shown}: no process opened it for writing within {}",
                        humantime::format_duration(NO_WRITER_WAIT)
                    )));
                }
                writer_seen = readable(&file, Some(left)).map_err(cannot)?;
            }
            Ok(n) => {
                writer_seen = true;
                if contents.len() + n > MAX_FILE_BYTES {
                    return Err(Error::usage(format!(
                        "{shown} is too large: more than {} MiB",
                        MAX_FILE_BYTES >> 20
                    )));
                }
                contents.extend_from_slice(&chunk[..n]);
            }
            // A writer is there and has not written yet: wait for it, as `cat` would.
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                writer_seen = true;
                readable(&file, None).map_err(cannot)?;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(cannot(e)),
        }
    }
}

/// Wait until `file` can be read (data, or its writer gone) or `timeout`
/// passes; whether something happened.
fn readable(file: &File, timeout: Option<Duration>) -> std::io::Result<bool> {
    let mut poll = libc::pollfd {
        fd: file.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = timeout.map_or(-1, |t| t.as_millis().clamp(1, i32::MAX as u128) as i32);
    // SAFETY: one pollfd, owned here, for a descriptor `file` keeps open.
    match unsafe { libc::poll(&mut poll, 1, millis) } {
        -1 => {
            let err = std::io::Error::last_os_error();
            if err.kind() == ErrorKind::Interrupted {
                Ok(false)
            } else {
                Err(err)
            }
        }
        n => Ok(n > 0 && poll.revents != 0),
    }
}

/// The most `load -` spools from stdin: 16 GiB, twice etcd's largest recommended backend
/// quota (8 GiB), so any real dump fits and a stream without end stops here.
pub const MAX_SPOOL_BYTES: u64 = 16 << 30;

/// stdin as a file that can be read more than once (`load -`): stdin itself when it is a
/// regular file (from its current offset, which is returned), else its bytes copied into a
/// temporary file in `dir` that is unlinked as soon as it is made (nothing is left behind,
/// even after a SIGKILL). More than [`MAX_SPOOL_BYTES`] is refused (exit 2); a full disk is
/// one line (exit 1).
pub fn spool_stdin(dir: &Path) -> Result<(File, u64)> {
    use std::io::{Seek, Write};
    use std::os::fd::FromRawFd;
    // SAFETY: dup returns a new descriptor (or -1, checked), owned by the File made from it.
    let fd = unsafe { libc::dup(libc::STDIN_FILENO) };
    if fd < 0 {
        let e = std::io::Error::last_os_error();
        return Err(Error::usage(format!(
            "cannot read the dump from stdin: {e}"
        )));
    }
    let mut stdin = unsafe { File::from_raw_fd(fd) };
    if stdin.metadata().is_ok_and(|m| m.is_file()) {
        let start = stdin.stream_position().unwrap_or(0);
        return Ok((stdin, start));
    }
    let shown = escape(dir.as_os_str().as_bytes());
    let full = |e: std::io::Error| {
        Error::unexpected(format!(
            "cannot spool the dump from stdin to a temporary file in {shown}: {e}; set TMPDIR to a directory with room, or save the dump to a file and load that"
        ))
    };
    let name = dir.join(format!(
        ".etcdpy-load-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let mut spool = OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&name)
        .map_err(full)?;
    let _ = std::fs::remove_file(&name);
    let copied = std::io::copy(&mut (&mut stdin).take(MAX_SPOOL_BYTES + 1), &mut spool);
    let copied = copied.map_err(|e| match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => full(e),
        _ => Error::unexpected(format!("cannot read the dump from stdin: {e}")),
    })?;
    if copied > MAX_SPOOL_BYTES {
        return Err(Error::usage(format!(
            "more than {} GiB on stdin: load - spools at most that; save the dump to a file and load that",
            MAX_SPOOL_BYTES >> 30
        )));
    }
    spool.flush().map_err(full)?;
    spool.rewind().map_err(full)?;
    Ok((spool, 0))
}
