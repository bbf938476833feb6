//! `etcdpy leader`: the leader's name and client URLs, or exit 9 when there
//! is none the members agree on (the CI health check).

use crate::client::{ClusterView, Verdict};
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::Out;
use crate::output::cluster::LeaderResult;
use clap::Args;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy leader\n  etcdpy leader --wait 30s\n  etcdpy leader --all -o json"
)]
pub struct LeaderArgs {
    /// Wait up to this long for a leader to be elected (exit 5 if none appears in time)
    #[arg(long, value_name = "DURATION", value_parser = duration::parse, allow_hyphen_values = true)]
    pub wait: Option<Duration>,
    /// Also require every member to answer and agree on the leader
    #[arg(long)]
    pub all: bool,
}

/// `view` asks the backend for the cluster as it is now.
pub async fn run(
    args: LeaderArgs,
    view: impl AsyncFn() -> crate::client::Result<ClusterView>,
    out: &mut Out,
) -> Result<()> {
    let deadline = args.wait.map(|d| (Instant::now() + d, d));
    loop {
        let error = match view().await {
            Ok(view) => {
                let verdict = view.verdict(args.all);
                if let Some(result) = LeaderResult::new(&view, &verdict) {
                    return out.emit(&result);
                }
                let Verdict::NoLeader(why) = verdict else {
                    unreachable!()
                };
                Error::new(Exit::NoLeader, format!("no leader: {why}"))
            }
            Err(err) => err.into(),
        };
        let Some((deadline, wait)) = deadline else {
            return Err(error);
        };
        if Instant::now() >= deadline {
            return Err(Error::new(
                Exit::TimedOut,
                format!(
                    "no leader within {}: {}",
                    humantime::format_duration(wait),
                    error.message
                ),
            ));
        }
        tokio::time::sleep(Duration::from_millis(200).min(deadline - Instant::now())).await;
    }
}
