//! One edit's write: put back in one transaction guarded by the mod revision the edit started
//! from; when the key changed meanwhile, the change shown and merged (different lines) or the
//! editor reopened with both versions between conflict markers (overlapping lines); when it
//! was deleted, re-created on a yes (not without its lease, if that expired) or nothing written.

use super::file::TempFile;
use super::merge::{Merged, has_markers, merge3};
use super::session::Session;
use crate::client::{Guarded, KeyValue};
use crate::error::Result;
use crate::output::diff::{Side, unified};
use crate::output::note;
use crate::text::escape;

impl Session<'_> {
    /// Write `text` over `kv` (its value `base`), settling concurrent changes; the revision.
    pub async fn write(
        &self,
        file: &mut TempFile,
        kv: KeyValue,
        base: String,
        text: String,
    ) -> Result<i64> {
        let (mut guard, mut lease, mut base, mut text) = (kv.mod_revision, kv.lease, base, text);
        let key = escape(self.key);
        loop {
            let value = text.clone().into_bytes();
            match self
                .client
                .put_guarded(self.key, value, lease, guard)
                .await?
            {
                Guarded::Written(revision) => return Ok(revision),
                Guarded::Changed(now) => {
                    let Ok(now_text) = super::editable(self.key, &now.value) else {
                        let why = format!("{key} changed meanwhile to a value edit cannot merge");
                        return Err(file.keep(self.conflict(format!("{why}; nothing written"))));
                    };
                    let before = Side::new(format!("{key}@{guard}"), Some(base.as_bytes()));
                    let after = format!("{key}@{}", now.mod_revision);
                    note(&format!(
                        "{key} changed meanwhile (mod revision {guard} -> {}):",
                        now.mod_revision
                    ));
                    crate::output::edit::changed_meanwhile(&unified(
                        &before,
                        &Side::new(after.clone(), Some(now_text.as_bytes())),
                        3,
                    ));
                    text = self.merge(file, &base, text, &now_text, &after)?;
                    (guard, lease, base) = (now.mod_revision, now.lease, now_text);
                }
                Guarded::Deleted => {
                    self.recreate(file, lease).await?;
                    guard = 0;
                }
            }
        }
    }

    /// Merge the edit with the key's new value: merged (and validated), or settled in the editor.
    fn merge(
        &self,
        file: &mut TempFile,
        base: &str,
        text: String,
        now: &str,
        label: &str,
    ) -> Result<String> {
        let (merged, clean) = match merge3(base, &text, now, ("your edit", label)) {
            Merged::Clean(merged) => (merged, true),
            Merged::Conflict(marked) => (marked, false),
        };
        file.write(&merged)?;
        if clean {
            note("merged your edit with that change (they touch different lines)");
            if self.invalid(file)?.is_none() {
                return Ok(merged);
            }
            note("the merged value fails --validate: reopening the editor");
        } else {
            note("your edit and that change overlap: reopening the editor with both");
        }
        let settled = self.edit(file, merged)?;
        match settled {
            Some(text) if !has_markers(&text) => Ok(text),
            _ => {
                let why = format!(
                    "{} changed meanwhile and the conflict was not settled",
                    escape(self.key)
                );
                Err(file.keep(self.conflict(format!("{why}; nothing written"))))
            }
        }
    }

    /// The key was deleted during the edit: re-create it on a yes, on its lease if it lives.
    async fn recreate(&self, file: &mut TempFile, lease: i64) -> Result<()> {
        let key = escape(self.key);
        if lease != 0 && !self.client.lease_alive(lease).await? {
            let why = format!("{key} was deleted meanwhile: its lease {lease:x} expired");
            return Err(file.keep(self.conflict(format!(
                "{why}; nothing written (edit does not write it without its lease)"
            ))));
        }
        let question = format!("{key} was deleted meanwhile; re-create it with your edit?");
        match crate::prompt::confirm(&question) {
            Some(true) => Ok(()),
            _ => {
                Err(file
                    .keep(self.conflict(format!("{key} was deleted meanwhile; nothing written"))))
            }
        }
    }
}
