//! Everything the program prints on stdout: human text through the [`Render`]
//! trait, or JSON through `Serialize` (the result types in `schema` *are* the
//! documented `-o json` schema). Keys and values go to a pipe as raw bytes and
//! to a terminal with control characters escaped.

pub mod cluster;
pub mod context;
pub mod debug;
pub mod diff;
pub mod du;
pub mod edit;
pub mod elect;
pub mod history;
pub mod lease;
pub mod lock;
pub mod lock_admin;
pub mod maintenance;
pub mod rollback;
pub mod schema;
pub mod transfer;
pub mod tree;
pub mod upgrade;
pub mod wait;
pub mod watch;

use crate::error::Result;
use colored::Colorize;
use serde::Serialize;
use std::io::{self, BufWriter, Stdout, Write};

pub use crate::text::escape;

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// Human-readable text (etcdctl's -w simple; `simple` is an alias)
    #[default]
    Text,
    /// One JSON document per command (see README for the schema)
    Json,
}

/// When to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset
    Auto,
    Always,
    Never,
}

/// What output needs to know, decided once from the options and the terminals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputOptions {
    pub format: OutputFormat,
    /// Colour on stdout.
    pub color: bool,
    /// Colour on stderr (the labels of errors and warnings).
    pub color_stderr: bool,
    /// stdout is a terminal: escape control characters in keys and values.
    pub stdout_tty: bool,
    /// stderr is a terminal: show progress notes ("watching …").
    pub stderr_tty: bool,
}

/// Human-readable rendering of a command's result.
pub trait Render {
    fn render(&self, out: &mut Out) -> io::Result<()>;
}

pub struct Out {
    writer: BufWriter<Stdout>,
    pub json: bool,
    color: bool,
    tty: bool,
    stderr_tty: bool,
}

impl Out {
    pub fn new(options: &OutputOptions) -> Out {
        colored::control::set_override(true);
        Out {
            writer: BufWriter::with_capacity(64 * 1024, io::stdout()),
            json: options.format == OutputFormat::Json,
            color: options.color,
            tty: options.stdout_tty,
            stderr_tty: options.stderr_tty,
        }
    }

    /// stderr is a terminal (decided once, in [`OutputOptions`]).
    pub fn stderr_tty(&self) -> bool {
        self.stderr_tty
    }

    /// Print one command result, as JSON or as text.
    pub fn emit<T: Render + Serialize>(&mut self, result: &T) -> Result<()> {
        if self.json {
            json(&mut self.writer, result)?;
            self.writer.write_all(b"\n")?;
        } else {
            result.render(self)?;
        }
        self.flush()
    }

    pub fn flush(&mut self) -> Result<()> {
        self.writer.flush()?;
        Ok(())
    }

    /// Raw bytes, as they are: JSON fragments and plain text.
    pub fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)
    }

    /// A key or value: raw to a pipe, escaped on a terminal.
    pub fn data(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.tty {
            self.writer.write_all(escape(bytes).as_bytes())
        } else {
            self.writer.write_all(bytes)
        }
    }

    /// A key, coloured (bold blue) when colour is on; its bytes as [`Out::data`] gives them.
    pub fn key(&mut self, key: &[u8]) -> io::Result<()> {
        if self.color {
            self.writer.write_all(b"\x1b[1;34m")?;
            self.data(key)?;
            self.writer.write_all(b"\x1b[0m")
        } else {
            self.data(key)
        }
    }

    /// A context's label (`context ls`, `show`): reverse video when colour is on.
    pub fn label(&mut self, label: &str) -> io::Result<()> {
        let label = escape(label.as_bytes());
        if self.color {
            write!(self.writer, "{}", format!(" {label} ").reversed().bold())
        } else {
            write!(self.writer, "[{label}]")
        }
    }

    /// Secondary text (metadata), dimmed when colour is on.
    pub fn dim(&mut self, text: &str) -> io::Result<()> {
        if self.color {
            write!(self.writer, "{}", text.dimmed())
        } else {
            self.writer.write_all(text.as_bytes())
        }
    }
}

/// A one-line warning on stderr: `etcdpy: warning: ...`, coloured when `color`.
pub fn warn(message: &str, color: bool) {
    colored::control::set_override(color);
    stderr_line("warning:".yellow().bold(), message);
}

/// A one-line notice on stderr (`etcdpy: ...`), for a person at a terminal; with the label of
/// the context in use (see [`set_label`]) after `etcdpy`.
pub fn note(message: &str) {
    let label = LABEL.get().map(String::as_str).unwrap_or_default();
    let _ = writeln!(io::stderr(), "etcdpy{label}: {message}");
}

/// The context's label in every notice: ` PROD ` in reverse video when `color`, else `[PROD]`.
static LABEL: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Set once, before the command runs, from the context in use.
pub fn set_label(label: &str, color: bool) {
    let label = escape(label.as_bytes());
    let shown = if color {
        format!(" {}", format!(" {label} ").reversed().bold())
    } else {
        format!(" [{label}]")
    };
    let _ = LABEL.set(shown);
}

/// The one-line error the program ends with: `etcdpy: error: ...`, coloured when `color`.
pub fn error(message: &str, color: bool) {
    colored::control::set_override(color);
    stderr_line("error:".red().bold(), message);
}

/// A line after an error: `etcdpy: hint: ...`, coloured when `color`.
pub fn hint(message: &str, color: bool) {
    colored::control::set_override(color);
    stderr_line("hint:".cyan().bold(), message);
}

/// `etcdpy: LABEL MESSAGE` on stderr. A stderr that cannot be written (a closed pipe) is
/// passed over: `eprintln!` would panic, and exit 101 instead of the code the line goes with.
fn stderr_line(label: colored::ColoredString, message: &str) {
    let _ = writeln!(io::stderr(), "etcdpy: {label} {message}");
}

/// `value` as compact JSON, like `serde_json::to_writer`, but with DEL, the C1
/// controls (U+007F–U+009F: U+009B is a CSI to some terminals) and the bidi
/// overrides escaped as `\u00XX` too (serde_json escapes only U+0000–U+001F),
/// so `-o json` on a terminal cannot carry a control sequence. Still the same
/// JSON strings.
pub fn json<W: Write, T: Serialize + ?Sized>(writer: W, value: &T) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(writer, Escaping);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

struct Escaping;

impl serde_json::ser::Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        // Every such character is encoded starting with 0x7f, 0xc2 or 0xe2.
        if !fragment.bytes().any(|b| matches!(b, 0x7f | 0xc2 | 0xe2)) {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if matches!(c, '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn json_escapes_del_c1_and_bidi_and_stays_the_same_string() {
        let text = "a\u{1b}[31m\u{7f}\u{9b}2J\u{85}\u{202e}caf\u{e9}\u{2014}";
        let mut out = Vec::new();
        super::json(&mut out, &text).unwrap();
        let json = String::from_utf8(out).unwrap();
        assert_eq!(
            json,
            "\"a\\u001b[31m\\u007f\\u009b2J\\u0085\\u202ecaf\u{e9}\u{2014}\""
        );
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), text);
    }
}
