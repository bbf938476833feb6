//! The one table of exit codes. `--help`, the man pages (EXIT STATUS) and the
//! uniqueness test all read [`TABLE`]; nothing else in the program spells a
//! number.

use std::fmt::Write as _;

/// Why the program ended. Every error carries one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    Success,
    Unexpected,
    Usage,
    KeyNotFound,
    ConditionFailed,
    TimedOut,
    LockLost,
    Unreachable,
    AuthRefused,
    NoLeader,
    Compacted,
    MemberTrouble,
    SweepStopped,
    ContextGuard,
    CannotRun,
    CmdNotFound,
    Interrupted,
}

/// One row of the exit-code table.
pub struct Row {
    pub exit: Exit,
    pub code: u8,
    pub meaning: &'static str,
}

/// The exit codes, in the order they are documented.
pub const TABLE: &[Row] = &[
    Row {
        exit: Exit::Success,
        code: 0,
        meaning: "success",
    },
    Row {
        exit: Exit::Unexpected,
        code: 1,
        meaning: "unexpected error (a server error with no better code, an I/O error)",
    },
    Row {
        exit: Exit::Usage,
        code: 2,
        meaning: "bad usage or input refused (unknown flag, malformed duration, empty key, value too large)",
    },
    Row {
        exit: Exit::KeyNotFound,
        code: 3,
        meaning: "key not found",
    },
    Row {
        exit: Exit::ConditionFailed,
        code: 4,
        meaning: "condition failed (--if-*, or the key changed concurrently)",
    },
    Row {
        exit: Exit::TimedOut,
        code: 5,
        meaning: "timed out (--timeout, --command-timeout)",
    },
    Row {
        exit: Exit::LockLost,
        code: 6,
        meaning: "lock lost",
    },
    Row {
        exit: Exit::Unreachable,
        code: 7,
        meaning: "cannot reach the cluster (no endpoint answered, or not an etcd v3 gateway)",
    },
    Row {
        exit: Exit::AuthRefused,
        code: 8,
        meaning: "authentication failed (wrong user name or password), or permission denied",
    },
    Row {
        exit: Exit::NoLeader,
        code: 9,
        meaning: "no leader / cluster unhealthy",
    },
    Row {
        exit: Exit::Compacted,
        code: 10,
        meaning: "the requested revision was compacted away",
    },
    Row {
        exit: Exit::MemberTrouble,
        code: 11,
        meaning: "a member has an alarm (NOSPACE, CORRUPT) or did not answer (members, defrag's health gate)",
    },
    Row {
        exit: Exit::SweepStopped,
        code: 12,
        meaning: "defrag stopped: a member's defragmentation failed (the report names it and what was done)",
    },
    Row {
        exit: Exit::ContextGuard,
        code: 13,
        meaning: "refused by the context's guard, nothing sent (read_only; confirm not answered y, or no --yes)",
    },
    Row {
        exit: Exit::CannotRun,
        code: 126,
        meaning: "CMD cannot be run (not executable, a directory, ...), as a shell says 126",
    },
    Row {
        exit: Exit::CmdNotFound,
        code: 127,
        meaning: "CMD not found, as a shell says 127",
    },
    Row {
        exit: Exit::Interrupted,
        code: 130,
        meaning: "interrupted by Ctrl-C (SIGINT) while waiting or holding (no error line, as shells report it)",
    },
];

impl Exit {
    /// The process exit code for this outcome, read from [`TABLE`].
    pub fn code(self) -> u8 {
        TABLE
            .iter()
            .find(|row| row.exit == self)
            .map(|row| row.code)
            .unwrap_or(1)
    }
}

/// The table as text, for `--help` and the man pages.
pub fn help_text() -> String {
    let mut text = String::from("Exit status:\n");
    for row in TABLE {
        let _ = writeln!(text, "  {:>3}  {}", row.code, row.meaning);
    }
    text.push_str(
        "  A closed stdout pipe (etcdpy get -r / | head) ends the program quietly with 0.",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_outcomes_are_unique() {
        let codes: HashSet<u8> = TABLE.iter().map(|r| r.code).collect();
        let exits: HashSet<Exit> = TABLE.iter().map(|r| r.exit).collect();
        assert_eq!(codes.len(), TABLE.len(), "two rows share an exit code");
        assert_eq!(exits.len(), TABLE.len(), "an outcome is listed twice");
    }

    #[test]
    fn documented_codes_match_the_issue() {
        let pairs: Vec<(u8, Exit)> = TABLE.iter().map(|r| (r.code, r.exit)).collect();
        assert_eq!(Exit::KeyNotFound.code(), 3);
        assert_eq!(Exit::Interrupted.code(), 130);
        assert_eq!(pairs.len(), 17);
        assert_eq!(Exit::ContextGuard.code(), 13);
        assert_eq!(Exit::MemberTrouble.code(), 11);
        assert_eq!(Exit::SweepStopped.code(), 12);
        assert_eq!(Exit::CannotRun.code(), 126);
        assert_eq!(Exit::CmdNotFound.code(), 127);
        assert!(help_text().contains("  10  the requested revision was compacted away"));
    }
}
