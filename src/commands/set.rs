//! `etcdpy set KEY [VALUE]`: write a key, optionally with a TTL and conditions.

use super::args::IfArgs;
use crate::client::Keys;
use crate::commands::args::KeyParser;
use crate::duration;
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use crate::output::Out;
use crate::output::schema::SetResult;
use clap::Args;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::os::unix::ffi::OsStringExt;

#[derive(Args, Debug)]
#[command(
    allow_negative_numbers = true,
    after_help = "Examples:\n  etcdpy set /nodes/n1 1\n  etcdpy set /nodes/n2 2 --ttl 4s\n  printf '{}' | etcdpy set /config/app --if-absent\n  etcdpy set /counter 2 --if-value 1 --prev\n  etcdpy set /counter -1 --if-value 2\n  etcdpy set /k -- -x    # a VALUE that starts with - and is not a number\n\n\
Without VALUE, the value is read from stdin (on a terminal, etcdpy says so; end it with Ctrl-D). \
An empty stdin is refused (exit 2), so that `etcdpy set /k $UNSET` writes nothing: give '' for an \
empty value, or - to take stdin as it is, even empty. A VALUE or --if-value that starts with - is \
taken as it is when it is a number (-1, -2.5); any other (-x) is read as an option: write \
--if-value=-x, and put such a VALUE after -- (etcdpy set /k --ttl 5s -- -x)."
)]
pub struct SetArgs {
    /// The key to write
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// The value (-1 is a value; -x needs --, see below); read from stdin (binary-safe) when
    /// omitted (not empty) or - (even empty)
    #[arg(value_parser = clap::value_parser!(OsString))]
    pub value: Option<OsString>,
    /// Attach a new lease with this TTL (whole seconds, at least 2s; from 1s with --api v2); without --ttl the key is permanent
    #[arg(long, value_parser = duration::parse_any_ttl, allow_hyphen_values = true, value_name = "DURATION")]
    pub ttl: Option<duration::Ttl>,
    /// Only create: fail (exit 4) if the key exists
    #[arg(long, conflicts_with_all = ["if_exists", "if_value", "if_revision"])]
    pub if_absent: bool,
    /// Only update: fail (exit 4) if the key does not exist
    #[arg(long)]
    pub if_exists: bool,
    #[command(flatten)]
    pub when: IfArgs,
    /// Print the previous value (nothing if the key did not exist)
    #[arg(long)]
    pub prev: bool,
}

/// KEY (not empty) and the value: VALUE, or stdin when it is omitted or `-`.
pub fn key_value(args: &SetArgs, keys: KeyEncoding) -> Result<(Vec<u8>, Vec<u8>)> {
    let key = keys.decode("KEY", &args.key)?;
    if key.is_empty() {
        return Err(Error::usage("KEY must not be empty"));
    }
    let value = match &args.value {
        Some(v) if v != "-" => v.clone().into_vec(),
        given => value_from_stdin(given.is_some())?,
    };
    Ok((key, value))
}

pub async fn run(args: SetArgs, keys: KeyEncoding, store: &impl Keys, out: &mut Out) -> Result<()> {
    let (key, value) = key_value(&args, keys)?;
    let mut when = args.when.conditions();
    when.absent = args.if_absent;
    when.exists = args.if_exists;
    let written = store
        .set(&key, value, args.ttl.as_ref(), args.prev, &when)
        .await?;
    let prev = args.prev.then_some(written.prev.as_ref());
    let ttl = args.ttl.map(|t| t.secs as i64);
    let lease = written.lease;
    out.emit(&SetResult::new(&key, written.revision, lease, ttl, prev))
}

/// The value on stdin: announced on a terminal; an empty one only when `-`
/// asked for stdin explicitly (`etcdpy set /k $UNSET` must not write "").
fn value_from_stdin(explicit: bool) -> Result<Vec<u8>> {
    if std::io::stdin().is_terminal() {
        crate::output::note("reading the value from stdin (end it with Ctrl-D)");
    }
    let value = crate::input::value_from_stdin()?;
    if value.is_empty() && !explicit {
        return Err(Error::usage(
            "no VALUE and nothing on stdin: give the value, '' for an empty value, or - to take \
             stdin even when empty",
        ));
    }
    Ok(value)
}
