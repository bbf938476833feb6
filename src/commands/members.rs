//! `etcdpy members`: every member, found through the configured endpoints or
//! at its own client URLs, with its role and health.

use crate::client::Store;
use crate::error::Result;
use crate::output::Out;
use crate::output::cluster::Members;
use clap::Args;

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  etcdpy members\n  etcdpy members -o json")]
pub struct MembersArgs {}

pub async fn run(_args: MembersArgs, store: &impl Store, out: &mut Out) -> Result<()> {
    let view = store.cluster_view().await?;
    out.emit(&Members::new(&view))
}
