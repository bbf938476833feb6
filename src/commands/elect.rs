//! `etcdpy elect NAME [-- CMD]`: campaign in an election (etcd's recipe, the
//! keys `etcdctl elect NAME` uses), run CMD while leader (stopped, exit 6,
//! when leadership is lost), resign when it ends; `--leader` prints the
//! leader once, `--observe` every change of leader.

use super::args::{HoldArgs, non_empty};
use super::holding::Holding;
use crate::client::{Client, Held, Holder, HolderNote, Mutex, Observe, Recipe, Session};
use crate::commands::args::KeyParser;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::keys::KeyEncoding;
use crate::output::elect::Leader;
use crate::output::{Out, escape};
use clap::Args;
use std::ffi::OsString;

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy elect scheduler --ttl 10s -- sh -c 'echo \"leading as $ETCDPY_LOCK_KEY\"'\n  \
etcdpy elect scheduler --leader  # (exit 3) when nobody leads\n  \
etcdpy elect scheduler --timeout 0 --value me -- true  # campaign once: exit 5 if another leads\n  \
etcdpy elect scheduler --observe -o json  # (waits) one JSON line per new leader\n\n\
The election's keys are NAME/<lease ID in hex>, each holding its candidate's proposal, the \
oldest one leading: etcd's election recipe, as `etcdctl elect NAME` runs it, so the two see \
each other's leaders. CMD gets the leader key as ETCDPY_LOCK_KEY and its create revision as \
ETCDPY_LOCK_REV (the same variables as lock's). When CMD ends etcdpy resigns and exits with \
CMD's status; when leadership is lost (lease lost, key deleted from outside) CMD is stopped \
as under a lost lock and etcdpy exits 6. Signals as for lock.")]
// --ttl, --timeout, --kill-after: lock's (HoldArgs), worded for a candidate.
#[command(mut_arg("ttl", |a| a.help(
    "The candidate's lease TTL (at least 2s): if etcdpy dies, another leads after at most this"
)))]
#[command(mut_arg("timeout", |a| a.help(
    "Give up campaigning after this long (exit 5); 0 campaigns once: exit 5 at once if another \
     leads, leaving no key behind"
)))]
#[command(mut_arg("kill_after", |a| a.help(
    "When CMD must stop (leadership lost, or could be): SIGTERM, then SIGKILL after this long \
     [default: 5s, at most a quarter of --ttl]"
)))]
pub struct ElectArgs {
    /// The election's name; its keys live under NAME/ (as etcdctl elect NAME)
    #[arg(value_parser = KeyParser)]
    pub name: String,
    /// The command to run while leader (after --). Without CMD: campaign, print the leader key
    /// once leading (-o json: the leader as JSON), hold until SIGINT, SIGTERM, SIGHUP or SIGQUIT
    #[arg(last = true, value_name = "CMD", conflicts_with_all = ["leader", "observe"])]
    pub command: Vec<OsString>,
    /// The proposal this candidate campaigns with (the leader's value) [default: HOST/PID]
    #[arg(long, value_name = "V", allow_hyphen_values = true)]
    pub value: Option<String>,
    /// Print the current leader's value once (-o json: the leader); exit 3 when none
    #[arg(long, conflicts_with_all = ["observe", "value"])]
    pub leader: bool,
    /// Print the leader's value each time the leader changes (-o json: one JSON line each), the
    /// current one first, until interrupted
    #[arg(long, conflicts_with = "value")]
    pub observe: bool,
    #[command(flatten)]
    pub hold: HoldArgs,
}

pub async fn run(
    args: ElectArgs,
    keys: KeyEncoding,
    client: &Client,
    out: &mut Out,
    color_stderr: bool,
) -> Result<()> {
    let name = non_empty("NAME", keys.decode("NAME", &args.name)?)?;
    if args.command.first().is_some_and(|c| c.is_empty()) {
        return Err(Error::usage("CMD must not be empty"));
    }
    if !args.command.is_empty() && name.contains(&0) {
        let message = format!(
            "election {} contains a NUL byte, which CMD's environment cannot hold",
            escape(&name)
        );
        return Err(Error::usage(message));
    }
    if args.leader {
        return match client.lock_holder(&name).await? {
            Some(holder) => out.emit(&Leader::new(&name, &holder, false)),
            None => Err(Error::new(
                Exit::KeyNotFound,
                format!("nobody leads election {}", escape(&name)),
            )),
        };
    }
    if args.observe {
        let mut observe = Observe::new(client, &name);
        return super::or_ctrl_c(async {
            loop {
                let leader = observe.next().await?;
                out.emit(&Leader::new(&name, &leader, false))?;
            }
        })
        .await;
    }
    let here = HolderNote::here();
    let value = args.value.unwrap_or(format!("{}/{}", here.host, here.pid));
    let holding = Holding {
        command: &args.command,
        hold: args.hold,
        recipe: Recipe::Election(value.clone().into_bytes()),
    };
    let announce = |held: &Held, lease: Option<i64>, out: &mut Out| {
        let holder = Holder {
            key: held.key.clone(),
            create_revision: held.created,
            lease: lease.unwrap_or_default(),
            note: None,
            value: value.into_bytes(),
        };
        out.emit(&Leader::new(&name, &holder, true))
    };
    let open = async |name, ttl, recipe| {
        Ok(Mutex::with(
            Session::grant(client, ttl).await?,
            name,
            recipe,
        ))
    };
    holding
        .run(open, name.clone(), out, color_stderr, announce)
        .await
}
