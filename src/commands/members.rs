//! `etcdpy members`: every member, found through the configured endpoints or
//! at its own client URLs, with its role, health, database use and alarms;
//! exit 11 when a member has an alarm or did not answer.

use crate::client::Cluster;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::Out;
use crate::output::cluster::Members;
use clap::Args;

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy members\n  \
etcdpy members -o json\n  \
etcdpy members >/dev/null || echo 'a member has an alarm or does not answer'  # (exit 11)\n\n\
Beside each member's role and raft state: database size and size in use, fragmentation (the share
a defragmentation would give back), quota use (where the server reports its quota: etcd 3.6+),
how far its applied index lags the leader's, readiness (/readyz, etcd 3.6+) and active alarms
(NOSPACE, CORRUPT). A member with an alarm, or one that did not answer, is named on stderr in one
line and the exit status is 11.")]
pub struct MembersArgs {}

pub async fn run(_args: MembersArgs, cluster: &impl Cluster, out: &mut Out) -> Result<()> {
    let view = cluster.cluster_view().await?;
    let members = Members::new(&view);
    out.emit(&members)?;
    match members.trouble().filter(|_| cluster.trouble_fails()) {
        Some(trouble) => Err(Error::new(Exit::MemberTrouble, trouble)),
        None => Ok(()),
    }
}
