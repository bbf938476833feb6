//! `etcdpy defrag`: defragment members safely — a health gate, optional
//! compaction, one member at a time with the leader last, a rule for which
//! members need it, NOSPACE disarmed once space is back (the procedure is
//! `client/defrag.rs`); a report per member.

use crate::client::{Client, DefragOptions, Refusal};
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::Out;
use crate::output::maintenance::DefragReport;
use clap::Args;
use std::time::Duration;

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy defrag --cluster --dry-run                      # the plan: order, sizes, what a rule skips\n  \
etcdpy defrag --cluster --if-fragmented 25             # only members at least 25% free pages\n  \
etcdpy defrag --cluster --compact --disarm             # recover from NOSPACE\n  \
etcdpy defrag                                          # the members behind --endpoints\n\n\
Before anything changes, every target member must answer within the dial timeout and the cluster
must have a leader (a NOSPACE alarm does not block: recovering from it is the point); otherwise
exit 11 (a member did not answer) or 9 (no leader). Members are defragmented one at a time,
followers first and the leader last. A member that fails stops the sweep (exit 12, the report
names it and what was done) unless --continue-on-error.")]
pub struct DefragArgs {
    /// Every member of the member list (default: the members behind --endpoints)
    #[arg(long)]
    pub cluster: bool,
    /// First compact the history to the current revision (physical), so defragmentation reclaims it
    #[arg(long)]
    pub compact: bool,
    /// Skip members with less than PCT percent of their database free
    #[arg(long, value_name = "PCT", value_parser = pct)]
    pub if_fragmented: Option<f64>,
    /// Skip members with less than SIZE free (bytes, or with KB, MB, GB, KiB, MiB, GiB)
    #[arg(long, value_name = "SIZE", value_parser = size)]
    pub if_free: Option<i64>,
    /// Print the plan (gate, compaction revision, order, skips); change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Go on to the next member when one fails (exit 12 at the end all the same)
    #[arg(long)]
    pub continue_on_error: bool,
    /// Afterwards, disarm NOSPACE if every member is below --disarm-below of its quota
    #[arg(long)]
    pub disarm: bool,
    /// See --disarm
    #[arg(long, value_name = "PCT", value_parser = pct, default_value = "80")]
    pub disarm_below: f64,
    /// The members' --quota-backend-bytes, for servers that do not report it (before etcd 3.6) [default: 2GiB]
    #[arg(long, value_name = "SIZE", value_parser = size)]
    pub quota: Option<i64>,
    /// How long one member's defragmentation may take
    #[arg(long, value_name = "DURATION", value_parser = duration::parse_positive, default_value = "5m")]
    pub member_timeout: Duration,
}

fn pct(text: &str) -> std::result::Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("{text:?} is not a percentage from 0 to 100")),
    }
}

/// `SIZE`: bytes, or a number with KB/MB/GB (powers of 1000) or KiB/MiB/GiB (of 1024).
pub fn size(text: &str) -> std::result::Result<i64, String> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit_bytes: i64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1000,
        "mb" => 1000 * 1000,
        "gb" => 1000 * 1000 * 1000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        _ => {
            return Err(format!(
                "{text:?}: unknown unit (bytes, KB, MB, GB, KiB, MiB, GiB)"
            ));
        }
    };
    let n: i64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size"))?;
    n.checked_mul(unit_bytes)
        .ok_or_else(|| format!("{text:?} is too large"))
}

pub async fn run(args: DefragArgs, client: &Client, out: &mut Out) -> Result<()> {
    let targets = match client.defrag_gate(args.cluster).await? {
        Ok(targets) => targets,
        Err(Refusal::Silent(who)) => {
            let message = format!("defrag not started: {} did not answer", who.join(", "));
            return Err(Error::new(Exit::MemberTrouble, message));
        }
        Err(Refusal::NoLeader(why)) => {
            let message = format!("defrag not started: the cluster has no leader ({why})");
            return Err(Error::new(Exit::NoLeader, message));
        }
    };
    let options = DefragOptions {
        cluster: args.cluster,
        compact: args.compact,
        if_fragmented: args.if_fragmented,
        if_free: args.if_free,
        dry_run: args.dry_run,
        continue_on_error: args.continue_on_error,
        disarm: args.disarm,
        disarm_below: args.disarm_below,
        quota: args.quota,
        timeout: args.member_timeout,
    };
    let tty = out.stderr_tty() && !args.dry_run;
    let progress = |at: usize, of: usize, name: &str| {
        if tty {
            crate::output::note(&format!("defragmenting {name} ({at}/{of})…"));
        }
    };
    let sweep = client
        .defrag_sweep(targets, &options, &progress)
        .await
        .map_err(|e| e.context("defrag"))?;
    let report = DefragReport::new(&sweep);
    out.emit(&report)?;
    let failed: Vec<&str> = report
        .members
        .iter()
        .filter(|m| m.action == "failed")
        .map(|m| m.name.as_str())
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    let stopped = match &sweep.stopped_at {
        Some(name) => format!("; stopped at {name}, the members after it were not reached"),
        None => String::new(),
    };
    let message = format!("defragmentation failed on {}{stopped}", failed.join(", "));
    Err(Error::new(Exit::SweepStopped, message))
}
