//! The shell's statuses: 127 (CMD not found), 126 (cannot be run), 128+N
//! (signal N).

use crate::exit::Exit;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;

/// How etcdpy ends when a command could not be started, as a shell does
/// (the same for `lock`, `elect` and `watch`): 127 when it does not exist,
/// 126 when it cannot be run for any other reason (not executable, a
/// directory, a path through a file, a format exec does not know).
pub fn not_started(error: &io::Error) -> Exit {
    match error.kind() {
        io::ErrorKind::NotFound => Exit::CmdNotFound,
        _ => Exit::CannotRun,
    }
}

/// A status as a shell reports it: the exit code, or 128+N when signal N
/// killed the process.
pub fn status_code(status: ExitStatus) -> u8 {
    match (status.code(), status.signal()) {
        (Some(code), _) => code as u8,
        (None, Some(sig)) => (128 + sig).min(255) as u8,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::signal_name;

    #[test]
    fn statuses_read_like_a_shell() {
        assert_eq!(status_code(ExitStatus::from_raw(3 << 8)), 3);
        assert_eq!(status_code(ExitStatus::from_raw(libc::SIGTERM)), 143);
        assert_eq!(status_code(ExitStatus::from_raw(libc::SIGKILL)), 137);
        assert_eq!(signal_name(libc::SIGHUP), "SIGHUP");
    }
}
