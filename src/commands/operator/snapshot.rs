//! `etcdpy snapshot save FILE|-`: the backend's snapshot from the leader (or
//! the first member that answers), written to FILE.part, fsynced, checked
//! against the SHA-256 etcd ends it with, then renamed to FILE; or to stdout.

use crate::client::Client;
use crate::duration;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::Out;
use crate::output::maintenance::Saved;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Subcommand, Debug)]
pub enum SnapshotCommand {
    /// Stream the backend snapshot into FILE (or - for stdout), checked against its SHA-256
    #[command(after_help = "Examples:\n  \
etcdpy snapshot save backup.db\n  \
etcdpy snapshot save - | gzip > backup.db.gz\n  \
etcdpy snapshot save backup.db --stall-timeout 1m -o json\n\n\
Taken from the leader if it answers, else from the first member that does. FILE appears only
complete: the stream goes to FILE.part, which is fsynced, checked against the SHA-256 etcd ends
the snapshot with, and renamed. A snapshot that fails the check is kept as FILE.part (exit 1); a
stream that brings nothing for --stall-timeout exits 5 and leaves no file. With -, only the
snapshot goes to stdout (the summary goes to stderr). Restore with etcdutl snapshot restore.")]
    Save(SaveArgs),
}

#[derive(Args, Debug)]
pub struct SaveArgs {
    /// Where to write the snapshot (- for stdout)
    pub file: PathBuf,
    /// Fail (exit 5) when the stream brings nothing for this long; a slow stream that moves never does
    #[arg(long, value_name = "DURATION", value_parser = duration::parse_positive, default_value = "30s")]
    pub stall_timeout: Duration,
}

#[derive(Args, Debug)]
#[command(after_help = "Examples:\n  \
etcdpy snapshot save backup.db\n  \
etcdpy snapshot save - | gzip > backup.db.gz")]
pub struct SnapshotArgs {
    #[command(subcommand)]
    pub command: SnapshotCommand,
}

pub async fn run(args: SnapshotArgs, client: &Client, out: &mut Out) -> Result<()> {
    let SnapshotCommand::Save(args) = args.command;
    let (member, url) = client.snapshot_source().await?;
    let revision = client.current_revision().await?;
    let context = |e: crate::client::Error| e.context(format!("snapshot of {member}"));
    if args.file.as_os_str() == "-" {
        let mut stdout = std::io::BufWriter::with_capacity(256 << 10, std::io::stdout().lock());
        let mut sink = |bytes: &[u8]| stdout.write_all(bytes);
        let taken = client
            .snapshot(&member, &url, args.stall_timeout, &mut sink)
            .await;
        let taken = taken.map_err(context)?;
        stdout.flush()?;
        let saved = Saved::new(&taken, revision, None);
        crate::output::note(&saved.summary());
        return check(&taken.hash_ok, &saved, "stdout");
    }
    let mut part = args.file.clone().into_os_string();
    part.push(".part");
    let part = PathBuf::from(part);
    let file = std::fs::File::create(&part)
        .map_err(|e| Error::unexpected(format!("cannot create {}: {e}", part.display())))?;
    let mut writer = std::io::BufWriter::with_capacity(256 << 10, file);
    let mut sink = |bytes: &[u8]| writer.write_all(bytes);
    let taken = client
        .snapshot(&member, &url, args.stall_timeout, &mut sink)
        .await;
    let finished = taken
        .map_err(|e| Error::from(context(e)))
        .and_then(|taken| {
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            Ok(taken)
        });
    let taken = match finished {
        Ok(taken) => taken,
        Err(error) => {
            // Cut, stalled or refused: nothing worth keeping.
            let _ = std::fs::remove_file(&part);
            return Err(error);
        }
    };
    let saved = Saved::new(&taken, revision, Some(args.file.display().to_string()));
    if !taken.hash_ok {
        return check(&false, &saved, &part.display().to_string());
    }
    std::fs::rename(&part, &args.file).map_err(|e| {
        Error::unexpected(format!(
            "cannot rename {} to {}: {e}",
            part.display(),
            args.file.display()
        ))
    })?;
    if let Some(dir) = args.file.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    out.emit(&saved)
}

fn check(hash_ok: &bool, saved: &Saved, kept: &str) -> Result<()> {
    if *hash_ok {
        return Ok(());
    }
    Err(Error::new(
        Exit::Unexpected,
        format!(
            "the snapshot from {} does not match the SHA-256 it ends with (corrupted on the way?); kept as {kept}",
            saved.member
        ),
    ))
}
