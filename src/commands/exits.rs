//! The one place that says which exit status each kind of client error ends
//! the program with, and how a wait ends on Ctrl-C.

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

/// A wait that the person may end with Ctrl-C (`leader --wait`, `elect --observe`): exit 130
/// with no error line, as every waiting command does (exit table: interrupted).
pub async fn or_ctrl_c(
    wait: impl Future<Output = crate::error::Result<()>>,
) -> crate::error::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut sigint = signal(SignalKind::interrupt())
        .map_err(|e| crate::error::Error::unexpected(format!("cannot catch Ctrl-C: {e}")))?;
    tokio::select! {
        result = wait => result,
        _ = sigint.recv() => Err(crate::error::Error::interrupted()),
    }
}
