//! One file per subcommand, each with its arguments and one `run` function.
//! Here: the dispatcher and the condition helpers `set` and `rm` share.

pub mod get;
pub mod leader;
pub mod lock;
pub mod members;
pub mod refresh;
pub mod rm;
pub mod set;
pub mod watch;

use crate::cli::Command;
use crate::client::{Client, Compare, Condition, OpResult};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::{Out, escape};

pub async fn run(command: Command, config: &Config) -> Result<()> {
    let keys = config.key_encoding;
    let options = crate::discovery::client_options(&config.client, config.srv.as_ref()).await?;
    let mut client = Client::new(&options)?;
    if config.debug {
        client.set_tracer(crate::output::debug::tracer(&options));
    }
    if options.discover {
        client.discover().await;
    }
    let mut out = Out::new(config);
    match command {
        Command::Get(args) => get::run(args, keys, &client, &mut out).await,
        Command::Set(args) => set::run(args, keys, &client, &mut out).await,
        Command::Rm(args) => rm::run(args, keys, &client, &mut out).await,
        Command::Watch(args) => watch::run(args, keys, &client, &mut out).await,
        Command::Refresh(args) => refresh::run(args, keys, &client, &mut out).await,
        Command::Lock(args) => lock::run(args, keys, &client, &mut out, config.color_stderr).await,
        Command::Members(args) => members::run(args, &client, &mut out).await,
        Command::Leader(args) => leader::run(args, &client, &mut out).await,
    }
}

/// The compares for `--if-absent`, `--if-exists`, `--if-value`, `--if-revision`.
pub fn conditions(
    key: &[u8],
    absent: bool,
    exists: bool,
    value: Option<&[u8]>,
    revision: Option<i64>,
) -> Vec<Compare> {
    let mut list = Vec::new();
    let mut add = |condition| {
        list.push(Compare {
            key: key.to_vec(),
            condition,
        })
    };
    if absent {
        add(Condition::Absent);
    }
    if exists {
        add(Condition::Exists);
    }
    if let Some(value) = value {
        add(Condition::ValueIs(value.to_vec()));
    }
    if let Some(revision) = revision {
        add(Condition::ModRevisionIs(revision));
    }
    list
}

/// "condition failed: KEY holds 'v' (mod revision 7)", from the range a
/// failed transaction ran in its failure branch.
pub fn condition_failed(key: &[u8], results: &[OpResult]) -> Error {
    let now = match results.first() {
        Some(OpResult::Range(page)) => page.kvs.first(),
        _ => None,
    };
    let state = match now {
        Some(kv) => format!(
            "it holds '{}' (mod revision {}, version {})",
            shorten(&kv.value),
            kv.mod_revision,
            kv.version
        ),
        None => "it does not exist".to_string(),
    };
    Error::new(
        Exit::ConditionFailed,
        format!("condition failed for {}: {state}", escape(key)),
    )
}

/// A value for a one-line message: escaped, and cut after 60 characters.
fn shorten(value: &[u8]) -> String {
    let text = escape(value);
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(60).collect();
        format!("{cut}… ({} bytes)", value.len())
    } else {
        text
    }
}
