//! Exec mode and the initial state of `etcdpy watch`: CMD run for one change (its environment,
//! its failure under --on-error, Ctrl-C while it runs), and `--initial`'s pages and marker.

use super::WatchArgs;
use crate::client::{EventKind, Listing, WatchEvent};
use crate::commands::args::OnError;
use crate::error::{Error, Result};
use crate::output::watch::{
    Event, InitialEnd, InitialFile, environment, kind_name, show_key, warn,
};
use crate::output::{Out, escape};
use crate::process::Inline;
use std::os::unix::ffi::OsStrExt;
use tokio::signal::unix::Signal;

/// --initial: every key of the span at one revision R, printed (or run) as a PUT marked
/// initial, page by page, then the marker; returns R (the watch goes on from R + 1), or
/// `None` when Ctrl-C ended a --forever watch meanwhile.
pub async fn initial(
    args: &WatchArgs,
    mut list: impl Listing,
    out: &mut Out,
    sigint: &mut Signal,
    resume: &mut super::Resume,
) -> Result<Option<i64>> {
    let mut keys = 0u64;
    let mut batch = args.initial_batch.then(InitialFile::create).transpose()?;
    loop {
        let page = tokio::select! {
            page = list.next_page() => page?,
            _ = sigint.recv() => return interrupted().map(|()| None),
        };
        let Some(page) = page else { break };
        for kv in &page {
            keys += 1;
            resume.note(&initial_put(kv))?;
            if let Some(batch) = batch.as_mut() {
                batch.add(kv)?;
            } else if args.command.is_empty() {
                out.emit(&Event::initial(kv))?;
            } else if !exec(args, &initial_put(kv), sigint).await? {
                return Ok(None);
            }
        }
    }
    let revision = list.revision();
    if revision <= 0 {
        return Err(Error::unexpected(
            "the initial state was read at no revision",
        ));
    }
    if let Some(mut batch) = batch {
        batch.finish()?;
        if !run_batch(args, &batch, revision, keys, sigint).await? {
            return Ok(None);
        }
    } else if args.command.is_empty() {
        out.emit(&InitialEnd::new(revision, keys))?;
    }
    Ok(Some(revision))
}

fn initial_put(kv: &crate::client::KeyValue) -> WatchEvent {
    WatchEvent {
        kind: EventKind::Put,
        kv: kv.clone(),
        prev: None,
    }
}

/// --initial-batch: CMD once for the whole initial state, with ETCDPY_WATCH_TYPE=INITIAL, the
/// revision, the number of keys and the file of their JSON lines in its environment.
async fn run_batch(
    args: &WatchArgs,
    batch: &InitialFile,
    revision: i64,
    keys: u64,
    sigint: &mut Signal,
) -> Result<bool> {
    let (revision, keys) = (revision.to_string(), keys.to_string());
    let env = [
        ("ETCDPY_WATCH_TYPE", std::ffi::OsStr::new("INITIAL")),
        ("ETCDPY_WATCH_REVISION", std::ffi::OsStr::new(&revision)),
        ("ETCDPY_WATCH_INITIAL_KEYS", std::ffi::OsStr::new(&keys)),
        ("ETCDPY_WATCH_INITIAL_FILE", batch.path.as_os_str()),
    ];
    let ran = Inline::run(&args.command, &env, sigint).await?;
    if ran.interrupted {
        interrupted()?;
        return Ok(false);
    }
    let Some(code) = ran.failed else {
        return Ok(true);
    };
    let name = escape(args.command[0].as_bytes());
    let message =
        format!("{name} exited with status {code} for the initial state at revision {revision}");
    failed(args.on_error, message, |m| Error::passthrough(code, m))
}
/// Ctrl-C ends every wait, --forever or not, with exit 130 and no error line.
fn interrupted() -> Result<()> {
    Err(Error::interrupted())
}

/// Run CMD for one change and wait for it. `Ok(false)`: Ctrl-C came while it
/// ran; the watch ends once CMD has.
pub async fn exec(args: &WatchArgs, event: &WatchEvent, sigint: &mut Signal) -> Result<bool> {
    let kind = kind_name(event.kind);
    let revision = event.kv.mod_revision.to_string();
    let name = escape(args.command[0].as_bytes());
    let env = match environment(event, &revision) {
        Ok(env) => env,
        Err(what) => {
            let message = format!(
                "cannot run {name} for the {kind} of {} at revision {revision}: its {what} contains a NUL byte, which an environment variable cannot hold",
                show_key(&event.kv.key)
            );
            return failed(args.on_error, message, Error::unexpected);
        }
    };
    let ran = Inline::run(&args.command, &env, sigint).await?;
    if ran.interrupted {
        interrupted()?;
        return Ok(false);
    }
    let Some(code) = ran.failed else {
        return Ok(true);
    };
    let message = format!(
        "{name} exited with status {code} for the {kind} of {} at revision {revision}",
        show_key(&event.kv.key)
    );
    failed(args.on_error, message, |m| Error::passthrough(code, m))
}

/// CMD failed for a change: warn and keep watching, or end with `error`.
fn failed(on_error: OnError, message: String, error: impl Fn(String) -> Error) -> Result<bool> {
    match on_error {
        OnError::Continue => {
            warn(&format!("{message}; still watching"));
            Ok(true)
        }
        OnError::Exit => Err(error(message)),
    }
}
