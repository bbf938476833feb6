//! The one place that says which exit status each kind of client error ends
//! the program with.

use crate::client::Kind;
use crate::exit::Exit;

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

impl From<crate::client::Error> for crate::error::Error {
    fn from(err: crate::client::Error) -> Self {
        crate::error::Error::new(exit_for(err.kind), err.message)
    }
}
