//! The client's error: a [`Kind`] for each situation the program reacts to,
//! and a one-line message. etcd's answers are classified into a kind once,
//! where they are decoded (`transport::classify`, the watch's cancel reasons);
//! every later decision (fail over, renew the token, page smaller, requeue)
//! reads the kind, never the message. Which exit status a kind ends the
//! program with is decided outside the client (`crate::error`).

use std::fmt;

/// What went wrong, as far as anyone reacting to it needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// No endpoint could be reached, or a connection broke.
    Unreachable,
    /// Something answered, but not as an etcd v3 gateway does.
    NotEtcd,
    /// An answer larger than the client's limit (`MAX_RESPONSE_BYTES`).
    TooLarge,
    /// No (complete) answer within a timeout.
    TimedOut,
    /// "no leader": the member refused the request before proposing it.
    NoLeader,
    /// etcd's Unavailable for another reason ("request timed out", "leader
    /// changed"): proposed, its fate unknown.
    Unavailable,
    /// etcd gave up waiting inside the server ("context deadline exceeded").
    DeadlineExceeded,
    /// The requested revision was compacted away.
    Compacted,
    /// Wrong user name or password.
    AuthFailed,
    /// The cluster requires authentication and no user was given.
    AuthRequired,
    /// `/v3/auth/authenticate` on a cluster whose authentication is off.
    AuthNotEnabled,
    /// The server refused the auth token itself (expired or revoked).
    StaleToken,
    /// The user may not do this.
    PermissionDenied,
    /// Refused for another authentication reason (Unauthenticated, …).
    AuthRefused,
    /// A key that does not exist.
    NotFound,
    /// A transaction's condition did not hold.
    ConditionFailed,
    /// A lock held was lost.
    LockLost,
    /// The server refused a value or request as too large.
    ValueTooLarge,
    /// Input refused: by the server (InvalidArgument, a future revision) or
    /// before sending (certificates that are not PEM).
    InvalidInput,
    /// etcd does not know the lease.
    LeaseNotFound,
    /// Something this backend cannot do.
    Unsupported,
    /// Anything else.
    Unexpected,
}

impl Kind {
    /// etcd has no leader to take the request (or could not reach one in time).
    pub fn leaderless(self) -> bool {
        matches!(
            self,
            Kind::NoLeader | Kind::Unavailable | Kind::DeadlineExceeded
        )
    }

    /// Refused because of who is asking (credentials, token, permissions).
    pub fn auth(self) -> bool {
        matches!(
            self,
            Kind::AuthFailed
                | Kind::AuthRequired
                | Kind::StaleToken
                | Kind::PermissionDenied
                | Kind::AuthRefused
        )
    }
}

#[derive(Debug, Clone)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }
    pub fn unexpected(message: impl Into<String>) -> Self {
        Self::new(Kind::Unexpected, message)
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(Kind::InvalidInput, message)
    }
    pub fn not_found(key: &[u8]) -> Self {
        Self::new(
            Kind::NotFound,
            format!("key not found: {}", crate::text::escape(key)),
        )
    }
    /// What the v2 API (`--api v2`) cannot do, worded once: `what` names the option or
    /// command, `why` says why and what to do instead.
    pub fn unsupported(what: &str, why: &str) -> Self {
        let verb = if what.contains(" and ") { "are" } else { "is" };
        Self::new(
            Kind::Unsupported,
            format!("{what} {verb} not available with --api v2 (etcd's v2 API): {why}"),
        )
    }
    /// Put `context` in front of the message, keeping the kind.
    pub fn context(mut self, context: impl fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// A request body that could not be encoded as JSON.
pub(super) fn encoding(e: serde_json::Error) -> Error {
    Error::unexpected(format!("cannot encode request: {e}"))
}
