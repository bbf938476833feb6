//! `etcdpy alarm list` and `etcdpy alarm disarm`: the cluster's active
//! alarms (NOSPACE, CORRUPT) with the member each is on; disarming them
//! (asks on a terminal, `--force` without one).

use crate::client::Client;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::Out;
use crate::output::maintenance::{AlarmRow, Alarms, Disarmed};
use clap::{Args, Subcommand};

#[derive(Subcommand, Debug)]
pub enum AlarmCommand {
    /// The active alarms, each with the member it is on (nothing when none)
    #[command(after_help = "Examples:\n  etcdpy alarm list\n  etcdpy alarm list -o json")]
    List,
    /// Disarm every active alarm (or only --alarm's). Asks on a terminal; --force in scripts
    #[command(after_help = "Examples:\n  \
etcdpy alarm disarm --force\n  \
etcdpy alarm disarm --dry-run\n\n\
Disarming NOSPACE while the database is still over its quota lets the next write raise it
again: reclaim space first (etcdpy defrag --cluster --compact --disarm does both).")]
    Disarm(DisarmArgs),
}

#[derive(Args, Debug)]
pub struct DisarmArgs {
    /// Only this kind of alarm
    #[arg(long, value_parser = ["NOSPACE", "CORRUPT"], ignore_case = true)]
    pub alarm: Option<String>,
    /// Do not ask (needed without a terminal)
    #[arg(long)]
    pub force: bool,
    /// Print the alarms it would disarm; change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy alarm list\n  \
etcdpy alarm disarm --dry-run\n\n\
A NOSPACE alarm refuses every write until it is disarmed; disarm it after reclaiming space
(etcdpy defrag --cluster --compact --disarm).")]
pub struct AlarmArgs {
    #[command(subcommand)]
    pub command: AlarmCommand,
}

pub async fn run(args: AlarmArgs, client: &Client, out: &mut Out) -> Result<()> {
    let what = match args.command {
        AlarmCommand::List => "alarm list",
        AlarmCommand::Disarm(_) => "alarm disarm",
    };
    let alarms = client.alarms().await.map_err(|e| e.context(what))?;
    let names: Vec<(u64, String)> = match client.member_list().await {
        Ok(members) => members.into_iter().map(|m| (m.id, m.name)).collect(),
        Err(_) => Vec::new(),
    };
    let rows = |alarms: &[crate::client::Alarm]| -> Vec<AlarmRow> {
        alarms.iter().map(|a| AlarmRow::new(a, &names)).collect()
    };
    let DisarmArgs {
        alarm,
        force,
        dry_run,
    } = match args.command {
        AlarmCommand::List => return out.emit(&Alarms(rows(&alarms))),
        AlarmCommand::Disarm(disarm) => disarm,
    };
    let wanted: Vec<_> = alarms
        .into_iter()
        .filter(|a| {
            alarm
                .as_ref()
                .is_none_or(|k| a.alarm.eq_ignore_ascii_case(k))
        })
        .collect();
    if dry_run {
        return out.emit(&Disarmed {
            disarmed: rows(&wanted),
            dry_run,
        });
    }
    if !wanted.is_empty() && !force {
        let list: Vec<String> = rows(&wanted)
            .iter()
            .map(|r| format!("{} on {}", r.alarm, r.member))
            .collect();
        match crate::prompt::confirm(&format!("disarm {}?", list.join(", "))) {
            Some(true) => {}
            Some(false) => {
                return Err(Error::new(
                    Exit::ConditionFailed,
                    "alarms not disarmed: not confirmed",
                ));
            }
            None => {
                return Err(Error::usage(format!(
                    "{} active: give --force to disarm (there is no terminal to ask on)",
                    list.join(", ")
                )));
            }
        }
    }
    for alarm in &wanted {
        client
            .disarm(alarm)
            .await
            .map_err(|e| e.context("alarm disarm"))?;
    }
    out.emit(&Disarmed {
        disarmed: rows(&wanted),
        dry_run,
    })
}
