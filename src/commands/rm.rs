//! `etcdpy rm KEY [-r]`: delete a key, or a key and everything under it.

use super::{condition_failed, conditions};
use crate::cli::{KeyEncoding, KeyParser};
use crate::client::{Client, Op, OpResult, RangeSpec, prefix_end};
use crate::error::{Error, Result};
use crate::output::schema::RmResult;
use crate::output::{Out, escape};
use clap::Args;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy rm /nodes/n1\n  etcdpy rm /nodes -r\n  etcdpy rm /lock/owner --if-value me"
)]
pub struct RmArgs {
    /// The key to delete. With -r, "" means every key (needs --force)
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// Delete KEY and every key under KEY/ (not KEY2), atomically, and report how many went
    #[arg(short, long)]
    pub recursive: bool,
    /// Only if KEY holds exactly this value (exit 4 otherwise)
    #[arg(long, value_name = "VALUE", value_parser = clap::value_parser!(OsString))]
    pub if_value: Option<OsString>,
    /// Only if KEY's mod revision is REV (exit 4 otherwise)
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(1..))]
    pub if_revision: Option<i64>,
    /// Allow deleting the whole keyspace (rm -r / or rm -r "")
    #[arg(long)]
    pub force: bool,
}

pub async fn run(args: RmArgs, keys: KeyEncoding, client: &Client, out: &mut Out) -> Result<()> {
    let key = keys.decode("KEY", &args.key)?;
    if key.is_empty() && !args.recursive {
        return Err(Error::usage("KEY must not be empty"));
    }
    if args.recursive && (key.is_empty() || key == b"/") && !args.force {
        return Err(Error::usage(format!(
            "refusing to delete the whole keyspace (rm -r '{}'); add --force if you mean it",
            escape(&key)
        )));
    }
    let mut ops = Vec::new();
    if args.recursive && key.is_empty() {
        ops.push(delete(vec![0], Some(vec![0])));
    } else {
        if !(args.recursive && key.ends_with(b"/")) {
            ops.push(delete(key.clone(), None));
        }
        if args.recursive {
            let mut dir = key.clone();
            if !dir.ends_with(b"/") {
                dir.push(b'/');
            }
            let end = prefix_end(&dir);
            ops.push(delete(dir, Some(end)));
        }
    }
    let if_value = args.if_value.map(OsString::into_vec);
    let compares = conditions(&key, false, false, if_value.as_deref(), args.if_revision);

    let (revision, deleted) = if compares.is_empty() && ops.len() == 1 {
        let Op::Delete { key, end, .. } = &ops[0] else {
            unreachable!()
        };
        client.delete(key, end.clone()).await?
    } else {
        let outcome = client
            .txn(&compares, &ops, &[Op::Range(RangeSpec::key(&key))])
            .await?;
        if !outcome.succeeded {
            return Err(condition_failed(&key, &outcome.results));
        }
        let deleted = outcome
            .results
            .iter()
            .map(|r| match r {
                OpResult::Delete { deleted, .. } => *deleted,
                _ => 0,
            })
            .sum();
        (outcome.revision, deleted)
    };
    if deleted == 0 {
        return Err(Error::not_found(&key));
    }
    out.emit(&RmResult {
        revision,
        deleted,
        recursive: args.recursive,
    })
}

fn delete(key: Vec<u8>, end: Option<Vec<u8>>) -> Op {
    Op::Delete {
        key,
        end,
        prev: false,
    }
}
