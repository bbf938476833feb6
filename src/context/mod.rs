//! Named clusters: the config file (`$XDG_CONFIG_HOME/etcdpy/config.toml`, `--config FILE`,
//! `ETCDPY_CONFIG`) and its contexts. Read and written with `toml_edit`, so that an edit
//! (`context use`, `add`, `rm`) keeps the person's comments, order and layout; written
//! atomically (a temporary file renamed over the old one, see [`write`]). What keys a context
//! may hold is the caller's to say ([`Known`]): every global option, under its variable's name
//! (ETCDPY_DIAL_TIMEOUT: `dial_timeout`), and the guards of [`GUARDS`].

pub mod complete;
mod write;

use crate::error::{Error, Result};
use crate::exit::Exit;
use std::path::{Path, PathBuf};
use toml_edit::{DocumentMut, Item, Table, Value};

/// The keys a context holds that are not options: guards, a label, the password command.
pub const GUARDS: &[&str] = &["read_only", "confirm", "label", "password_command"];

/// What the caller knows of an option key: a flag (a TOML boolean), a list (a TOML array of
/// strings, or a comma-separated string), or one value (a string or an integer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Flag,
    List,
    One,
}

/// The option keys a context may hold, with their shapes.
pub type Known = [(String, Shape)];

/// One option a context sets: its key, its value as its environment variable would hold it
/// (a list joined with commas, a flag as true/false), and where it is written (line, column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: String,
    pub value: String,
    pub at: (usize, usize),
}

/// One named context, checked.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub name: String,
    pub settings: Vec<Setting>,
    pub read_only: bool,
    pub confirm: bool,
    pub label: Option<String>,
    pub password_command: Option<String>,
}

impl Context {
    pub fn get(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.key == key)
    }
}

/// The config file: where it is, the text read (for atomic writes that change one thing), the
/// editable document, and its contexts checked.
#[derive(Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub exists: bool,
    doc: DocumentMut,
    pub contexts: Vec<Context>,
}

/// Where the config file is: `--config FILE` / `ETCDPY_CONFIG` (`explicit`), else
/// `$XDG_CONFIG_HOME/etcdpy/config.toml`, else `~/.config/etcdpy/config.toml`.
pub fn path(explicit: Option<PathBuf>) -> PathBuf {
    if let Some(path) = explicit {
        return path;
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .unwrap_or_else(|| PathBuf::from(".config"));
    base.join("etcdpy").join("config.toml")
}

impl ConfigFile {
    /// Read and check the file at `path` (a missing file is an empty one). A syntax error, an
    /// unknown key or a value of the wrong type names the file, line and column (exit 2).
    pub fn load(path: &Path, known: &Known) -> Result<ConfigFile> {
        let text = match read_bounded(path) {
            Ok(bytes) => Some(
                String::from_utf8(bytes)
                    .map_err(|_| Error::usage(format!("{}: not UTF-8 text", path.display())))?,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(Error::usage(format!("cannot read {}: {e}", path.display())));
            }
        };
        let exists = text.is_some();
        let text = text.unwrap_or_default();
        let parsed = toml_edit::Document::parse(text.as_str()).map_err(|e| {
            let at = position(&text, e.span().map(|s| s.start).unwrap_or(0));
            let message = e.message().lines().next().unwrap_or("invalid TOML").trim();
            located(path, at, &format!("TOML syntax error: {message}"))
        })?;
        let checker = Checker {
            path,
            text: &text,
            known,
        };
        let contexts = checker.contexts(parsed.as_table())?;
        let file = ConfigFile {
            path: path.to_path_buf(),
            exists,
            doc: parsed.into_mut(),
            contexts,
        };
        file.check_password_mode()?;
        Ok(file)
    }

    pub fn names(&self) -> Vec<&str> {
        self.contexts.iter().map(|c| c.name.as_str()).collect()
    }

    /// The context `current` names, if any.
    pub fn current(&self) -> Option<&str> {
        self.doc.get("current").and_then(Item::as_str)
    }

    pub fn previous(&self) -> Option<&str> {
        self.doc.get("previous").and_then(Item::as_str)
    }

    /// The context called `name`; an unknown name lists the known ones (exit 2).
    pub fn context(&self, name: &str) -> Result<&Context> {
        self.contexts
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| self.unknown(name))
    }

    fn unknown(&self, name: &str) -> Error {
        let known = self.names();
        let listed = if known.is_empty() {
            format!(
                "{} defines none (etcdpy context add NAME --endpoints ...)",
                self.path.display()
            )
        } else {
            format!("known: {}", known.join(", "))
        };
        Error::usage(format!(
            "unknown context '{}'; {listed}",
            crate::text::escape(name.as_bytes())
        ))
    }

    /// `context use NAME`: NAME becomes current, the current one previous.
    pub fn switch(&mut self, name: &str) -> Result<()> {
        self.context(name)?;
        let old = self.current().map(str::to_string);
        if old.as_deref() != Some(name) {
            if let Some(old) = old.filter(|old| self.context(old).is_ok()) {
                self.doc["previous"] = toml_edit::value(old);
            }
            self.doc["current"] = toml_edit::value(name);
            // A blank line between these keys and the first table after them.
            if let Some((_, first)) = self.doc.iter_mut().find(|(_, item)| item.is_table())
                && let Some(table) = first.as_table_mut()
                && let Some(sub) = table.iter_mut().find_map(|(_, item)| item.as_table_mut())
                && sub.decor().prefix().and_then(|p| p.as_str()) == Some("")
            {
                sub.decor_mut().set_prefix("\n");
            }
        }
        self.save()
    }

    /// `context add NAME`: a context with these settings (`force`: replacing one of that name).
    pub fn add(&mut self, name: &str, settings: &[(String, Item)], force: bool) -> Result<()> {
        if name.is_empty() || name == "-" || name.chars().any(char::is_control) {
            return Err(Error::usage(format!("'{name}' cannot name a context")));
        }
        if self.context(name).is_ok() && !force {
            return Err(Error::usage(format!(
                "context {name} exists in {}; give --force to replace it",
                self.path.display()
            )));
        }
        let contexts = self.doc["contexts"].or_insert(Item::Table(implicit()));
        let Some(contexts) = contexts.as_table_mut() else {
            return Err(Error::usage("contexts is not a table"));
        };
        let mut table = Table::new();
        for (key, item) in settings {
            table.insert(key, item.clone());
        }
        contexts.insert(name, Item::Table(table));
        self.save()
    }

    /// `context rm NAME`; `current` and `previous` no longer name it.
    pub fn remove(&mut self, name: &str) -> Result<()> {
        self.context(name)?;
        if let Some(contexts) = self.doc["contexts"].as_table_mut() {
            contexts.remove(name);
        }
        for key in ["current", "previous"] {
            if self.doc.get(key).and_then(Item::as_str) == Some(name) {
                self.doc.remove(key);
            }
        }
        self.save()
    }

    fn save(&self) -> Result<()> {
        write::atomically(&self.path, self.doc.to_string().as_bytes())
    }

    /// A plaintext `password` in a file that group or others can read is refused.
    fn check_password_mode(&self) -> Result<()> {
        use std::os::unix::fs::PermissionsExt;
        if !self.contexts.iter().any(|c| c.get("password").is_some()) {
            return Ok(());
        }
        let mode = std::fs::metadata(&self.path)
            .map(|m| m.permissions().mode())
            .unwrap_or(0);
        if mode & 0o077 != 0 {
            return Err(Error::new(
                Exit::AuthRefused,
                format!(
                    "{} holds a password and can be read by others (mode {:o}): chmod 600 {}",
                    self.path.display(),
                    mode & 0o777,
                    self.path.display()
                ),
            ));
        }
        Ok(())
    }
}

/// The most a config file may hold: 4 MiB, thousands of contexts.
pub const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// The config file's bytes: a regular file of at most [`MAX_CONFIG_BYTES`]. A FIFO (which
/// would block every command until something wrote to it), a device or a directory is
/// refused at once, without reading; so is a larger file, without reading it whole.
fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::{Error as IoError, ErrorKind, Read};
    use std::os::unix::fs::OpenOptionsExt;
    // Non-blocking, so that opening a FIFO does not wait for a writer.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(IoError::new(ErrorKind::IsADirectory, "Is a directory"));
    }
    if !meta.is_file() {
        return Err(IoError::other("not a regular file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(IoError::other(format!(
            "larger than {} MiB",
            MAX_CONFIG_BYTES >> 20
        )));
    }
    Ok(bytes)
}

/// Typed option values (key, text, shape) as TOML items: a flag a boolean, a list an array of
/// strings, a port an integer, any other value a string.
pub fn items(typed: &[(String, String, Shape)]) -> Vec<(String, Item)> {
    typed
        .iter()
        .map(|(key, text, shape)| {
            let item = match shape {
                Shape::Flag => toml_edit::value(text != "false"),
                Shape::List => {
                    let list: toml_edit::Array = text.split(',').map(str::trim).collect();
                    toml_edit::value(list)
                }
                Shape::One => match text.parse::<i64>() {
                    Ok(n) if key == "port" => toml_edit::value(n),
                    _ => toml_edit::value(text.as_str()),
                },
            };
            (key.clone(), item)
        })
        .collect()
}

fn implicit() -> Table {
    let mut table = Table::new();
    table.set_implicit(true);
    table
}

/// Checks a parsed file's keys and values against what is known.
struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    known: &'a Known,
}

impl Checker<'_> {
    fn at(&self, span: Option<std::ops::Range<usize>>) -> (usize, usize) {
        position(self.text, span.map(|s| s.start).unwrap_or(0))
    }

    fn contexts(&self, root: &Table) -> Result<Vec<Context>> {
        let top = ["current", "previous", "contexts"];
        for (key, item) in root.iter() {
            let at = self.at(root.key(key).and_then(|k| k.span()));
            if !top.contains(&key) {
                return Err(self.unknown_key(at, key, &top, "at the top level"));
            }
            if key != "contexts" && item.as_str().is_none() {
                return Err(located(self.path, at, &format!("{key} must be a string")));
            }
        }
        let Some(item) = root.get("contexts") else {
            return Ok(Vec::new());
        };
        let Some(table) = item.as_table() else {
            let at = self.at(root.key("contexts").and_then(|k| k.span()));
            return Err(located(self.path, at, "contexts must be a table"));
        };
        let mut contexts = Vec::new();
        for (name, item) in table.iter() {
            let at = self.at(table.key(name).and_then(|k| k.span()));
            let Some(body) = item.as_table_like() else {
                return Err(located(
                    self.path,
                    at,
                    &format!("context {name} must be a table ([contexts.{name}])"),
                ));
            };
            contexts.push(self.context(name, body)?);
        }
        Ok(contexts)
    }

    fn context(&self, name: &str, body: &dyn toml_edit::TableLike) -> Result<Context> {
        let mut context = Context {
            name: name.to_string(),
            ..Context::default()
        };
        for (key, item) in body.iter() {
            let at = self.at(body.key(key).and_then(|k| k.span()));
            let value = item.as_value();
            let wrong = |what: &str| {
                let message = format!("{key} (context {name}) must be {what}");
                located(self.path, at, &message)
            };
            match key {
                "read_only" | "confirm" => {
                    let flag = value
                        .and_then(Value::as_bool)
                        .ok_or_else(|| wrong("true or false"))?;
                    if key == "read_only" {
                        context.read_only = flag;
                    } else {
                        context.confirm = flag;
                    }
                }
                "label" | "password_command" => {
                    let text = value
                        .and_then(Value::as_str)
                        .ok_or_else(|| wrong("a string"))?;
                    if key == "label" {
                        context.label = Some(text.to_string());
                    } else {
                        context.password_command = Some(text.to_string());
                    }
                }
                _ => {
                    let Some((_, shape)) = self.known.iter().find(|(k, _)| k == key) else {
                        let names: Vec<&str> = self
                            .known
                            .iter()
                            .map(|(k, _)| k.as_str())
                            .chain(GUARDS.iter().copied())
                            .collect();
                        return Err(self.unknown_key(
                            at,
                            key,
                            &names,
                            &format!("in context {name}"),
                        ));
                    };
                    let value = text_of(value, *shape).ok_or_else(|| {
                        wrong(match shape {
                            Shape::Flag => "true or false",
                            Shape::List => "an array of strings",
                            Shape::One => "a string",
                        })
                    })?;
                    context.settings.push(Setting {
                        key: key.to_string(),
                        value,
                        at,
                    });
                }
            }
        }
        if context.get("password_file").is_some() && context.password_command.is_some() {
            return Err(Error::usage(format!(
                "{}: context {name} gives both password_file and password_command; keep one",
                self.path.display()
            )));
        }
        Ok(context)
    }

    fn unknown_key(&self, at: (usize, usize), key: &str, names: &[&str], place: &str) -> Error {
        let mut message = format!(
            "unknown key '{}' {place}",
            crate::text::escape(key.as_bytes())
        );
        if let Some(near) = closest(key, names) {
            message.push_str(&format!("; did you mean '{near}'?"));
        }
        located(self.path, at, &message)
    }
}

/// A value as its environment variable would hold it, if it has the shape wanted.
fn text_of(value: Option<&Value>, shape: Shape) -> Option<String> {
    let value = value?;
    match (shape, value) {
        (Shape::Flag, Value::Boolean(b)) => Some(b.value().to_string()),
        (Shape::List, Value::Array(items)) => {
            let items: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            Some(items?.join(","))
        }
        (Shape::List | Shape::One, Value::String(s)) => Some(s.value().clone()),
        (Shape::One, Value::Integer(i)) => Some(i.value().to_string()),
        _ => None,
    }
}

/// An error at `path:line:column` (exit 2).
pub fn located(path: &Path, (line, column): (usize, usize), message: &str) -> Error {
    Error::usage(format!("{}:{line}:{column}: {message}", path.display()))
}

/// Line and column (both from 1, the column in characters) of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The known name nearest to `key` (edit distance at most a third of its length, at least 2).
pub fn closest<'a>(key: &str, names: &[&'a str]) -> Option<&'a str> {
    let limit = (key.chars().count() / 3).max(2);
    names
        .iter()
        .map(|n| (distance(key, n), *n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Levenshtein distance, `-` and `_` counted as the same.
fn distance(a: &str, b: &str) -> usize {
    let norm = |c: char| {
        if c == '-' {
            '_'
        } else {
            c.to_ascii_lowercase()
        }
    };
    let a: Vec<char> = a.chars().map(norm).collect();
    let b: Vec<char> = b.chars().map(norm).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_keys() {
        assert_eq!(
            closest("endpoint", &["endpoints", "cacert"]),
            Some("endpoints")
        );
        assert_eq!(
            closest("dial-timeout", &["dial_timeout"]),
            Some("dial_timeout")
        );
        assert_eq!(closest("zzzzzz", &["endpoints"]), None);
    }

    #[test]
    fn positions() {
        assert_eq!(position("a\nbc\n", 3), (2, 2));
        assert_eq!(position("", 0), (1, 1));
    }
}
