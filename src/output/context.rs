//! What `etcdpy context ls` and `context show` print: the contexts (the current one marked,
//! labels coloured on a terminal), and every setting with where it came from. A secret's
//! value is never here: the caller hands over `(set)` in its place.

use super::{Out, Render};
use serde::Serialize;
use std::io::{self, Write};

/// `context ls`: the contexts in the file's order.
#[derive(Serialize, Debug)]
pub struct Contexts {
    pub file: String,
    pub contexts: Vec<ContextRow>,
    /// `--names`: one name a line, nothing else (for completion scripts).
    #[serde(skip)]
    pub names_only: bool,
}

#[derive(Serialize, Debug)]
pub struct ContextRow {
    pub name: String,
    pub current: bool,
    pub endpoints: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub read_only: bool,
    pub confirm: bool,
}

impl Render for Contexts {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        if self.names_only {
            for row in &self.contexts {
                writeln!(out.writer, "{}", row.name)?;
            }
            return Ok(());
        }
        if self.contexts.is_empty() {
            return writeln!(
                out.writer,
                "no contexts in {} (etcdpy context add NAME --endpoints ...)",
                self.file
            );
        }
        let width = self
            .contexts
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(0);
        // Labels padded to the widest (`[LABEL]` or ` LABEL `: two more columns).
        let labels = self
            .contexts
            .iter()
            .filter_map(|r| r.label.as_deref())
            .map(|l| super::escape(l.as_bytes()).chars().count())
            .max()
            .unwrap_or(0);
        for row in &self.contexts {
            let mark = if row.current { "*" } else { " " };
            write!(
                out.writer,
                "{mark} {:width$}  ",
                super::escape(row.name.as_bytes())
            )?;
            if labels > 0 {
                let label = row.label.as_deref().unwrap_or_default();
                let shown = super::escape(label.as_bytes()).chars().count();
                match label {
                    "" => write!(out.writer, "{:w$}", "", w = labels + 2)?,
                    label => out.label(label)?,
                }
                let pad = if label.is_empty() { 0 } else { labels - shown };
                write!(out.writer, "{:pad$}  ", "")?;
            }
            let mut guards = Vec::new();
            if row.read_only {
                guards.push("read-only");
            }
            if row.confirm {
                guards.push("confirm");
            }
            let endpoints = super::escape(row.endpoints.join(",").as_bytes());
            write!(out.writer, "{endpoints}")?;
            if !guards.is_empty() {
                out.dim(&format!("  ({})", guards.join(", ")))?;
            }
            writeln!(out.writer)?;
        }
        Ok(())
    }
}

/// `context show`: the context shown and every setting's value and source.
#[derive(Serialize, Debug)]
pub struct ContextShown {
    pub file: String,
    pub context: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub read_only: bool,
    pub confirm: bool,
    pub settings: Vec<SettingRow>,
}

#[derive(Serialize, Debug)]
pub struct SettingRow {
    pub key: String,
    pub value: Option<String>,
    /// "command line", "environment variable ETCDPY_X", "context NAME", "default"
    pub from: String,
}

impl Render for ContextShown {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        match &self.context {
            Some(name) => write!(out.writer, "context {}", super::escape(name.as_bytes()))?,
            None => write!(out.writer, "no context")?,
        }
        if let Some(label) = &self.label {
            write!(out.writer, " ")?;
            out.label(label)?;
        }
        writeln!(out.writer, " ({})", self.file)?;
        let flags = [("read_only", self.read_only), ("confirm", self.confirm)];
        let width = self
            .settings
            .iter()
            .map(|r| r.key.len())
            .max()
            .unwrap_or(0)
            .max(9);
        for (key, on) in flags {
            writeln!(out.writer, "  {key:width$}  {on}")?;
        }
        for row in &self.settings {
            let value = row.value.as_deref().unwrap_or("-");
            write!(
                out.writer,
                "  {:width$}  {}  ",
                row.key,
                super::escape(value.as_bytes())
            )?;
            out.dim(&format!("({})", row.from))?;
            writeln!(out.writer)?;
        }
        Ok(())
    }
}
