//! Writing the config file atomically: the new text goes to a temporary file in the same
//! directory, is synced, and is renamed over the old file (then the directory is synced), so
//! that a reader, or another etcdpy writing at the same time, sees the old file or the new one,
//! never a torn one. The last rename wins.

use crate::error::{Error, Result};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Replace the file at `path` with `bytes`, keeping its mode (a new file: 0600, as it may come
/// to hold a password). A file or directory that cannot be written is an error.
pub fn atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |what: &str, e: std::io::Error| {
        Error::unexpected(format!("cannot write {}: {what}: {e}", path.display()))
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(|e| fail("creating its directory", e))?;
    let mode = match std::fs::metadata(path) {
        Ok(meta) => {
            // rename() would replace a file its owner made read-only: refuse, as a write would.
            if meta.permissions().readonly() || !writable(path) {
                return Err(Error::unexpected(format!(
                    "cannot write {}: permission denied (the file is not writable)",
                    path.display()
                )));
            }
            meta.permissions().mode() & 0o7777
        }
        Err(_) => 0o600,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "config.toml".into());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let temp = dir.join(format!(".{name}.{}.{nanos}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&temp)
            .map_err(|e| fail("creating a temporary file beside it", e))?;
        file.set_permissions(std::fs::Permissions::from_mode(mode))
            .map_err(|e| fail("setting its mode", e))?;
        file.write_all(bytes).map_err(|e| fail("writing", e))?;
        file.sync_all().map_err(|e| fail("syncing", e))?;
        std::fs::rename(&temp, path).map_err(|e| fail("renaming the temporary file", e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result?;
    if let Ok(dir) = std::fs::File::open(&dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn writable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a NUL-terminated path; access() only reads it.
    unsafe { libc::access(c.as_ptr(), libc::W_OK) == 0 }
}
