//! The program's error: an [`Exit`] outcome and a one-line message; `main`
//! prints it and exits. The client's errors become these here ([`exit_for`]),
//! the one place that says which exit status each kind of client error ends
//! the program with; a refused key argument ([`crate::keys::BadKey`]) is a
//! usage error.

use crate::client::Kind;
use crate::exit::Exit;
use std::fmt;

#[derive(Debug)]
pub struct Error {
    pub exit: Exit,
    pub message: String,
    /// Exit with this status instead of the table's: a child command's own
    /// status passed through (`etcdpy lock NAME -- CMD`).
    pub status: Option<u8>,
    /// A second line after the error: what the user may have meant.
    pub hint: Option<String>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(exit: Exit, message: impl Into<String>) -> Self {
        Error {
            exit,
            message: message.into(),
            status: None,
            hint: None,
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Exit::Usage, message)
    }
    pub fn unexpected(message: impl Into<String>) -> Self {
        Self::new(Exit::Unexpected, message)
    }
    pub fn not_found(key: &[u8]) -> Self {
        Self::new(
            Exit::KeyNotFound,
            format!("key not found: {}", crate::text::escape(key)),
        )
    }
    /// The person's own Ctrl-C ended a wait: exit 130, as shells report it, with no error line.
    pub fn interrupted() -> Self {
        Self::new(Exit::Interrupted, "")
    }
    /// End with `status` (a child's exit status), printing `message` if not empty.
    pub fn passthrough(status: u8, message: impl Into<String>) -> Self {
        Error {
            exit: Exit::Unexpected,
            message: message.into(),
            status: Some(status),
            hint: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader went away (`etcdpy get -r / | head`): end quietly.
            Error::new(Exit::Success, "")
        } else {
            Error::unexpected(format!("I/O error: {err}"))
        }
    }
}

/// The exit status a kind of client error ends the program with.
pub fn exit_for(kind: Kind) -> Exit {
    match kind {
        Kind::Unreachable | Kind::NotEtcd | Kind::TooLarge => Exit::Unreachable,
        Kind::TimedOut => Exit::TimedOut,
        Kind::NoLeader | Kind::Unavailable | Kind::DeadlineExceeded => Exit::NoLeader,
        Kind::Compacted => Exit::Compacted,
        Kind::AuthFailed
        | Kind::AuthRequired
        | Kind::StaleToken
        | Kind::PermissionDenied
        | Kind::AuthRefused => Exit::AuthRefused,
        Kind::NotFound => Exit::KeyNotFound,
        Kind::ConditionFailed => Exit::ConditionFailed,
        Kind::LockLost => Exit::LockLost,
        Kind::ValueTooLarge | Kind::InvalidInput | Kind::Unsupported => Exit::Usage,
        Kind::AuthNotEnabled | Kind::LeaseNotFound | Kind::Unexpected => Exit::Unexpected,
    }
}

impl From<crate::client::Error> for Error {
    fn from(err: crate::client::Error) -> Self {
        Error::new(exit_for(err.kind), err.message)
    }
}

impl From<crate::keys::BadKey> for Error {
    fn from(err: crate::keys::BadKey) -> Self {
        Error::usage(err.0)
    }
}

impl From<crate::process::NotRun> for Error {
    fn from(err: crate::process::NotRun) -> Self {
        match err {
            crate::process::NotRun::Start(exit, message) => Error::new(exit, message),
            crate::process::NotRun::Wait(message) => Error::unexpected(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_errors_and_refused_keys_end_as_the_table_says() {
        let err: Error = crate::client::Error::new(Kind::NotFound, "key not found: /a").into();
        assert_eq!(
            (err.exit, err.message.as_str()),
            (Exit::KeyNotFound, "key not found: /a")
        );
        assert_eq!(exit_for(Kind::Unsupported), Exit::Usage);
        assert_eq!(exit_for(Kind::StaleToken), Exit::AuthRefused);
        let err: Error = crate::keys::BadKey("KEY must not be empty".into()).into();
        assert_eq!(
            (err.exit, err.message.as_str()),
            (Exit::Usage, "KEY must not be empty")
        );
    }
}
