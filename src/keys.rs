//! Key arguments and the spans they name: how a KEY is typed
//! ([`KeyEncoding`], `--key-encoding`), and [`KeySpan`], the one type for
//! "KEY", "KEY and everything under KEY/" and "every key" that `get`, `rm`
//! and `watch` share. A leaf: it imports nothing above it, and knows no clap
//! (the flag's values and the parser of KEY arguments are in
//! `commands/args.rs`).

/// How KEY arguments (and lock NAME, --prefix) are written on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum KeyEncoding {
    /// UTF-8 text, as typed
    #[default]
    Text,
    /// Standard base64 of the key's bytes, as -o json prints a key with "key_encoding":"base64";
    /// for keys that are not UTF-8 or contain NUL
    Base64,
}

impl KeyEncoding {
    /// The bytes of a key argument, `what` naming the argument in errors.
    pub fn decode(self, what: &str, typed: &str) -> Result<Vec<u8>> {
        match self {
            KeyEncoding::Text => Ok(typed.as_bytes().to_vec()),
            KeyEncoding::Base64 => {
                use base64::Engine as _;
                // Line breaks are ignored, as base64 -d does: `base64` wraps long output.
                let compact: String = typed
                    .chars()
                    .filter(|c| !matches!(c, '\n' | '\r'))
                    .collect();
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .map_err(|e| {
                        BadKey(format!(
                            "{what} '{}' is not valid base64 (--key-encoding base64): {e}",
                            crate::text::escape(typed.as_bytes())
                        ))
                    })
            }
        }
    }
}

/// The smallest key greater than every key that starts with `prefix`
/// (etcd's `range_end` for a prefix); `[0]` means "to the end of the keyspace".
pub fn prefix_end(prefix: &[u8]) -> Vec<u8> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return end;
        }
    }
    vec![0]
}

/// etcd's range for every key: from `\0` to the end of the keyspace (etcd
/// refuses an empty key, so "" cannot start it).
fn everything() -> (Vec<u8>, Vec<u8>) {
    (vec![0], vec![0])
}

/// What a KEY argument names: KEY alone, or with -r KEY and everything under
/// KEY/ (not KEY2). A KEY that is "" or ends with `/` names a directory: with
/// -r it has no key of its own, and "" means every key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySpan {
    key: Vec<u8>,
    recursive: bool,
}

impl KeySpan {
    pub fn new(key: Vec<u8>, recursive: bool) -> KeySpan {
        KeySpan { key, recursive }
    }

    /// The span a KEY argument of `command` names, decoded as `keys` says.
    /// An empty KEY needs -r (then it means every key): the refusal says so,
    /// as "use COMMAND "" -r to `every` every key".
    pub fn typed(
        keys: KeyEncoding,
        typed: &str,
        recursive: bool,
        command: &str,
        every: &str,
    ) -> Result<KeySpan> {
        let span = KeySpan::new(keys.decode("KEY", typed)?, recursive);
        if span.key.is_empty() && !recursive {
            return Err(BadKey(format!(
                "KEY must not be empty (use {command} \"\" -r to {every} every key)"
            )));
        }
        Ok(span)
    }

    /// KEY as given.
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    pub fn recursive(&self) -> bool {
        self.recursive
    }

    /// KEY is "" or ends with `/`.
    pub fn is_dir(&self) -> bool {
        self.key.is_empty() || self.key.ends_with(b"/")
    }

    /// With -r, "" or "/": the whole keyspace, or all of it that lives under `/`.
    pub fn is_root(&self) -> bool {
        self.recursive && (self.key.is_empty() || self.key == b"/")
    }

    /// KEY itself is a key to read or delete on its own: always without -r;
    /// with -r unless KEY/ already covers it.
    pub fn has_own_key(&self) -> bool {
        !(self.recursive && self.is_dir())
    }

    /// KEY/ (KEY itself when it is a directory name).
    pub fn dir(&self) -> Vec<u8> {
        let mut dir = self.key.clone();
        if !self.is_dir() {
            dir.push(b'/');
        }
        dir
    }

    /// `[start, end)` of everything under KEY/; every key for "".
    pub fn below(&self) -> (Vec<u8>, Vec<u8>) {
        if self.key.is_empty() {
            return everything();
        }
        let dir = self.dir();
        let end = prefix_end(&dir);
        (dir, end)
    }

    /// One range that covers the whole span, for a single watch: KEY alone
    /// (no end) without -r; with -r `[KEY, end of KEY/)`, which also holds
    /// the few keys between them (`KEY-x`, `KEY.x`) that [`KeySpan::contains`]
    /// leaves out.
    pub fn covering(&self) -> (Vec<u8>, Option<Vec<u8>>) {
        if !self.recursive {
            return (self.key.clone(), None);
        }
        if self.key.is_empty() {
            let (start, end) = everything();
            return (start, Some(end));
        }
        (self.key.clone(), Some(prefix_end(&self.dir())))
    }

    /// Whether `key` is in the span, for a key found in [`KeySpan::covering`].
    pub fn contains(&self, key: &[u8]) -> bool {
        !self.recursive || self.is_dir() || key == self.key || key.starts_with(&self.dir())
    }
}

/// A key argument refused (not base64 when it should be; empty without -r): a
/// usage error, exit 2, once it reaches the program's error type (`keys` does
/// not import that type, so that `error` can hold the client kind → exit mapping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadKey(pub String);

impl std::fmt::Display for BadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadKey {}

pub type Result<T> = std::result::Result<T, BadKey>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_ends() {
        assert_eq!(prefix_end(b"dir/"), b"dir0".to_vec());
        assert_eq!(prefix_end(b"a\xff"), b"b".to_vec());
        assert_eq!(prefix_end(b"\xff\xff"), vec![0]);
        assert_eq!(prefix_end(b""), vec![0]);
    }

    #[test]
    fn spans() {
        let t = KeySpan::new(b"/a".to_vec(), true);
        assert_eq!(t.covering(), (b"/a".to_vec(), Some(b"/a0".to_vec())));
        assert!(t.contains(b"/a"));
        assert!(t.contains(b"/a/b/c"));
        assert!(!t.contains(b"/a-b"));
        assert!(!t.contains(b"/a2"));
        assert!(t.has_own_key());
        assert_eq!(t.below(), (b"/a/".to_vec(), b"/a0".to_vec()));
        let dir = KeySpan::new(b"/a/".to_vec(), true);
        assert_eq!(dir.covering().1, Some(b"/a0".to_vec()));
        assert!(dir.contains(b"/a/x"));
        assert!(!dir.has_own_key());
        let all = KeySpan::new(b"".to_vec(), true);
        assert_eq!(all.covering(), (vec![0], Some(vec![0])));
        assert_eq!(all.below(), (vec![0], vec![0]));
        assert!(all.is_root() && KeySpan::new(b"/".to_vec(), true).is_root());
        let one = KeySpan::new(b"/a".to_vec(), false);
        assert_eq!(one.covering(), (b"/a".to_vec(), None));
        assert!(!one.is_root());
    }
}
