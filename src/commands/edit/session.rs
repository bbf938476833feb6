//! One edit's editing: the editor opened on the temporary file until its result passes
//! `--validate` (reopened on a failure when there is a terminal), the editor's and the
//! validator's failures in one line each. The write that follows is `write.rs`'s.

use super::file::{TempFile, refused};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::exit::Exit;
use crate::output::note;
use crate::process::{run_on_file, signal_name, status_code};

pub struct Session<'a> {
    pub client: &'a Client,
    pub key: &'a [u8],
    pub editor: String,
    pub validate: Option<String>,
    /// Standard input is a terminal: a failed --validate reopens the editor, a question is asked.
    pub terminal: bool,
    /// The value as read had no final newline: one the editor adds is not part of the edit.
    pub no_final_newline: bool,
}

/// How a program run through `sh -c` failed: sh reports a child killed by signal N as 128+N.
fn failed(status: std::process::ExitStatus) -> String {
    let code = status_code(status);
    match i32::from(code) - 128 {
        signal @ 1..=64 => format!("was killed by {} (status {code})", signal_name(signal)),
        _ => format!("exited with status {code}"),
    }
}

impl Session<'_> {
    pub(super) fn conflict(&self, message: String) -> Error {
        Error::new(Exit::ConditionFailed, message)
    }

    /// The editor run once; what the file holds afterwards.
    fn open(&self, file: &TempFile) -> Result<String> {
        let editor = &self.editor;
        let status = run_on_file(editor, &file.path, false)
            .map_err(|e| Error::unexpected(format!("cannot run the editor ({editor}): {e}")))?;
        if !status.success() {
            let how = failed(status);
            return Err(Error::unexpected(format!(
                "the editor ({editor}) {how}; nothing written"
            )));
        }
        Ok(self.trimmed(file.read()?))
    }

    /// `text` without the final newline an editor adds to a value that had none.
    fn trimmed(&self, mut text: String) -> String {
        if self.no_final_newline && text.ends_with('\n') {
            text.pop();
        }
        text
    }

    /// `--validate`'s verdict on the file: `None` when it passes (or there is none).
    pub(super) fn invalid(&self, file: &TempFile) -> Result<Option<String>> {
        let Some(check) = &self.validate else {
            return Ok(None);
        };
        let status = run_on_file(check, &file.path, true)
            .map_err(|e| Error::unexpected(format!("cannot run --validate ({check}): {e}")))?;
        Ok((!status.success()).then(|| format!("--validate ({check}) {}", failed(status))))
    }

    /// The editor on `shown` until its result passes --validate: `None` when it was closed
    /// without a change before any failed.
    pub fn edit(&self, file: &mut TempFile, mut shown: String) -> Result<Option<String>> {
        let mut rejected: Option<String> = None;
        // Compared as the editor's result is: a merge's final newline is not a change.
        shown = self.trimmed(shown);
        loop {
            let text = self.open(file)?;
            if text == shown {
                return match rejected {
                    None => Ok(None),
                    Some(why) => Err(file.keep(refused(format!(
                        "{why} and the edit was left as it was; nothing written"
                    )))),
                };
            }
            file.write(&text)?;
            let Some(why) = self.invalid(file)? else {
                return Ok(Some(text));
            };
            if !self.terminal {
                return Err(file.keep(refused(format!("{why}; nothing written"))));
            }
            note(&format!("{why}: reopening the editor"));
            (shown, rejected) = (text, Some(why));
        }
    }
}
