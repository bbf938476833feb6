//! `etcdpy edit KEY`: the value opened in `$VISUAL`, `$EDITOR` or `vi`, written back only if
//! it changed, guarded by the mod revision read before editing, on the key's own lease
//! (`edit/`: the temporary file, the editing, the three-way merge, the guarded write).

mod file;
mod merge;
mod session;
mod write;

use crate::client::{At, Client, Keys};
use crate::commands::args::KeyParser;
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use crate::output::Out;
use crate::output::schema::SetResult;
use crate::text::escape;
use clap::Args;
use std::io::IsTerminal;

/// The largest value `edit` opens: 1 MiB (etcd's default request limit is 1.5 MiB).
pub const MAX_EDIT_BYTES: usize = 1 << 20;

#[derive(Args, Debug)]
#[command(
    after_help = "Examples:\n  etcdpy edit /config/app.json --validate 'jq . >/dev/null'\n  EDITOR='code --wait' etcdpy edit /config/app.json\n  EDITOR=vim etcdpy edit /config/app.yaml --validate 'yamllint \"$1\"'\n  export VISUAL='sed -i s/debug/info/' && etcdpy edit /config/app  # scripted, same guard\n\n\
The editor is $VISUAL, else $EDITOR, else vi on a terminal (any command that changes the file given to it; \
without a terminal, one of the two must be set: exit 2 otherwise), \
run through sh -c as git runs it, on a temporary file in $TMPDIR (mode 0600, removed afterwards). Nothing is written when the file is left as it \
was. Otherwise the value is written in one transaction guarded by the mod revision read before \
editing, on the key's lease. If the key changed meanwhile, the change is shown as a diff and \
merged with the edit when they touch different lines; when they overlap, the editor reopens with \
both between conflict markers. A key deleted meanwhile is re-created on a yes at the terminal \
(never without its lease, if that expired), else nothing is written (exit 4). A final newline \
the editor adds to a value that had none is dropped.\n\n\
--validate CMD runs CMD through sh -c with the edited file on stdin and its path as $1; when it \
fails, its output is shown and the editor reopens (on a terminal; elsewhere, or when the file \
is left as it was, nothing is written, exit 2). A value that is not UTF-8 text, holds a NUL \
byte or is over 1 MiB is refused (exit 2). An editor that exits non-zero or is killed: nothing \
written, exit 1. When an edit cannot be written, the file is kept and named."
)]
pub struct EditArgs {
    /// The key to edit (it must exist)
    #[arg(value_parser = KeyParser)]
    pub key: String,
    /// Check the edited value with CMD (sh -c; the file on stdin and as $1) before writing it
    #[arg(long, value_name = "CMD")]
    pub validate: Option<String>,
}

/// `value` as text the editor can show, or why not.
pub fn editable(key: &[u8], value: &[u8]) -> Result<String> {
    let key = escape(key);
    if value.len() > MAX_EDIT_BYTES {
        return Err(file::refused(format!(
            "{key} holds {} bytes, more than edit opens (1 MiB): use get and set",
            value.len()
        )));
    }
    let refuse = |what: &str| {
        file::refused(format!(
            "{key} holds a binary value ({what}): edit opens text only; use get and set"
        ))
    };
    if value.contains(&0) {
        return Err(refuse("a NUL byte"));
    }
    String::from_utf8(value.to_vec()).map_err(|_| refuse("not UTF-8"))
}

/// $VISUAL, else $EDITOR, else vi (empty ones skipped, as git does); vi only on a terminal.
fn editor(terminal: bool) -> Result<String> {
    let named = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|v| !v.trim().is_empty());
    match named {
        Some(editor) => Ok(editor),
        None if terminal => Ok("vi".into()),
        None => Err(Error::usage(
            "no editor: VISUAL and EDITOR are unset and vi needs a terminal; set EDITOR to a \
             command that edits the file given to it",
        )),
    }
}

pub async fn run(args: EditArgs, keys: KeyEncoding, client: &Client, out: &mut Out) -> Result<()> {
    let key = keys.decode("KEY", &args.key)?;
    if key.is_empty() {
        return Err(Error::usage("KEY must not be empty"));
    }
    if args
        .validate
        .as_ref()
        .is_some_and(|cmd| cmd.trim().is_empty())
    {
        return Err(Error::usage("--validate needs a command"));
    }
    let mut found = client.key(&key, At::Now, false).await?;
    let Some(kv) = found.kv.take() else {
        return Err(found.absent(&key).into());
    };
    let base = editable(&key, &kv.value)?;
    let terminal = std::io::stdin().is_terminal();
    let editor = editor(terminal)?;
    let session = session::Session {
        client,
        key: &key,
        editor,
        validate: args.validate,
        terminal,
        no_final_newline: !base.ends_with('\n'),
    };
    let mut file = file::TempFile::new(&key, &base)?;
    let Some(text) = session.edit(&mut file, base.clone())? else {
        crate::output::note(&format!("{}: no change, nothing written", escape(&key)));
        return Ok(());
    };
    let lease = kv.lease;
    // Whatever stops the write (a server gone, a permission taken away), the edit is kept.
    let written = session.write(&mut file, kv, base, text).await;
    let revision = written.map_err(|err| file.keep(err))?;
    out.emit(&SetResult::new(&key, revision, lease, None, None))
}
