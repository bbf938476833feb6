//! `etcdpy move-leader --to NAME|ID`: hand the leadership to another voting
//! member that answers (a learner, or a member that does not answer, is
//! refused before anything is asked of the leader).

use crate::client::{Client, Verdict};
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::Out;
use crate::output::maintenance::Moved;
use clap::Args;

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy move-leader --to etcd-2               # (exit 3) when no member has that name\n  \
etcdpy move-leader --to 8e9e05c52164694d -o json\n\n\
Exit 3 for a name or ID that is not a member, 2 for a learner, 11 for a member that does not
answer, 9 when the cluster has no leader.")]
pub struct MoveLeaderArgs {
    /// The member to lead: its name, or its ID in hex
    #[arg(long, value_name = "NAME|ID")]
    pub to: String,
}

pub async fn run(args: MoveLeaderArgs, client: &Client, out: &mut Out) -> Result<()> {
    let view = client.cluster_view().await?;
    let leader = match view.verdict(false) {
        Verdict::Leader(i) => &view.probes[i],
        Verdict::NoLeader(why) => {
            return Err(Error::new(Exit::NoLeader, format!("no leader: {why}")));
        }
    };
    let wanted = args.to.to_ascii_lowercase();
    let target = view
        .probes
        .iter()
        .find(|p| p.member.name == args.to || format!("{:x}", p.member.id) == wanted)
        .ok_or_else(|| {
            Error::new(
                Exit::KeyNotFound,
                format!("{} is not a member of the cluster", args.to),
            )
        })?;
    let name = |p: &crate::client::Probe| p.member.name.clone();
    let mut moved = Moved {
        from: name(leader),
        to: name(target),
        moved: false,
    };
    if target.member.id == leader.member.id {
        return out.emit(&moved);
    }
    if target.member.is_learner {
        return Err(Error::usage(format!(
            "{} is a learner: it cannot lead",
            moved.to
        )));
    }
    if let Err(why) = &target.status {
        let message = format!(
            "{} does not answer ({why}): not moving the leadership to it",
            moved.to
        );
        return Err(Error::new(Exit::MemberTrouble, message));
    }
    let url = leader.url.as_deref().ok_or_else(|| {
        Error::new(
            Exit::Unreachable,
            format!("the leader {} cannot be reached", moved.from),
        )
    })?;
    client
        .move_leader(url, target.member.id)
        .await
        .map_err(|e| e.context(format!("move-leader to {}", moved.to)))?;
    moved.moved = true;
    out.emit(&moved)
}
