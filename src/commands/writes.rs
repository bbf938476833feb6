//! Which commands write: a context's read_only and confirm guard them (see `config`),
//! asked of the command in one place before anything is sent.

use super::{Command, lock_admin, operator};

impl Command {
    /// Whether the command writes, deletes, locks or changes the cluster (a context's
    /// read_only and confirm guard these). Reads, watches, snapshots and dry runs do not.
    pub fn writes(&self) -> bool {
        use operator::Operator as Op;
        match self {
            Command::Get(_) | Command::Watch(_) | Command::Wait(_) => false,
            Command::Members(_) | Command::Leader(_) | Command::Dump(_) => false,
            Command::History(_) | Command::Diff(_) => false,
            Command::Elect(a) => !(a.leader || a.observe),
            Command::Lock(a) => !matches!(a.admin, Some(lock_admin::LockAdmin::Status(_))),
            Command::Load(a) => !a.dry_run,
            Command::Rollback(a) => !a.dry_run,
            Command::Migrate(a) => !(a.check || a.dry_run),
            Command::Operator(Op::Snapshot(_)) => false,
            Command::Operator(Op::Defrag(a)) => !a.dry_run,
            Command::Operator(Op::Compact(a)) => !a.dry_run,
            Command::Operator(Op::MoveLeader(_)) => true,
            Command::Operator(Op::Alarm(a)) => match &a.command {
                operator::alarm::AlarmCommand::Disarm(d) => !d.dry_run,
                _ => false,
            },
            Command::Operator(Op::Lease(a)) => match &a.command {
                operator::lease::LeaseCommand::Revoke(r) => !r.dry_run,
                _ => false,
            },
            Command::Set(_) | Command::Rm(_) | Command::Refresh(_) => true,
            Command::Du(_) => false,
            Command::Edit(_) => true,
        }
    }
}
