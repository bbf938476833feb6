//! Argument vocabulary the commands share, in clap's terms (clap stays in the
//! flag layer: `keys` knows none of it): the parser of a KEY, NAME or
//! --prefix argument ([`KeyParser`], UTF-8 or refused) and the refusal of
//! an empty one once decoded ([`non_empty`]), the values of `--key-encoding`, and the argument groups two commands flatten
//! ([`HoldArgs`]: lock's and elect's lease and patience; [`IfArgs`]: set's and rm's
//! conditions); `watch --on-error`'s
//! values ([`OnError`]).

use crate::client::Conditions;
use crate::duration;
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, ValueEnum};
use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStringExt;
use std::time::Duration;

/// A key typed on the command line: any valid UTF-8 text, decoded later by
/// [`KeyEncoding::decode`]. An argument that is not UTF-8 is refused here,
/// with a message naming the bytes and the way to give such a key.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyParser;

impl TypedValueParser for KeyParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> std::result::Result<String, clap::Error> {
        match value.to_str() {
            Some(text) => Ok(text.to_string()),
            None => {
                use std::os::unix::ffi::OsStrExt;
                let name = arg
                    .map(|a| a.get_id().to_string())
                    .unwrap_or_else(|| "KEY".into());
                let message = format!(
                    "{} '{}' is not valid UTF-8; give a key that is not UTF-8 as base64 with --key-encoding base64",
                    name.to_uppercase(),
                    crate::text::escape(value.as_bytes())
                );
                let mut cmd = cmd.clone();
                Err(cmd.error(clap::error::ErrorKind::InvalidUtf8, message))
            }
        }
    }
}

/// A KEY or NAME argument as decoded (`what` names it), refused when empty: "NAME must not be
/// empty" (exit 2).
pub fn non_empty(what: &str, key: Vec<u8>) -> Result<Vec<u8>> {
    if key.is_empty() {
        return Err(Error::usage(format!("{what} must not be empty")));
    }
    Ok(key)
}

/// `--key-encoding text|base64` (the global option `cli.rs` declares).
impl ValueEnum for KeyEncoding {
    fn value_variants<'a>() -> &'a [Self] {
        &[KeyEncoding::Text, KeyEncoding::Base64]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(match self {
            KeyEncoding::Text => PossibleValue::new("text").help("UTF-8 text, as typed"),
            KeyEncoding::Base64 => PossibleValue::new("base64").help(
                "Standard base64 of the key's bytes, as -o json prints a key with \
                 \"key_encoding\":\"base64\"; for keys that are not UTF-8 or contain NUL",
            ),
        })
    }
}

/// `--ttl`, `--timeout` and `--kill-after`, which `lock` and `elect` share (flattened into
/// each; elect words their help for a candidate, in `elect.rs`; `Holding` uses them).
#[derive(Args, Debug, Clone, Copy)]
pub struct HoldArgs {
    /// The lock's lease TTL (whole seconds, at least 2s): if etcdpy dies without releasing the
    /// lock, others get it after at most this long; keepalives go every TTL/3. 60s (etcdctl lock's
    /// is 10s) rides out a leader election or a short outage, and frees in a minute if etcdpy dies
    #[arg(long, default_value = "60s", value_parser = duration::parse_ttl, allow_hyphen_values = true, value_name = "DURATION")]
    pub ttl: u64,
    /// Give up waiting after this long: remove the waiter key and exit 5. 0 tries once (flock -n):
    /// if the lock is held, exit 5 at once naming the holder, leaving no key behind
    #[arg(long, value_parser = duration::parse, allow_hyphen_values = true, value_name = "DURATION")]
    pub timeout: Option<Duration>,
    /// When CMD must stop (the lock is lost, or could be), CMD's process group gets SIGTERM, then
    /// SIGKILL after this long [default: 5s]. At most a quarter of --ttl (a longer one is
    /// shortened, with a warning), so that SIGKILL comes before the lease can expire
    #[arg(long, value_parser = duration::parse, allow_hyphen_values = true, value_name = "DURATION")]
    pub kill_after: Option<Duration>,
}

/// What a failing CMD does to the command that runs it (`watch --on-error`).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnError {
    /// Warn on stderr and keep watching
    Continue,
    /// Stop and exit with CMD's exit status (128+N when a signal N killed it)
    Exit,
}

/// `--if-value` and `--if-revision` of set and rm: the key's state a write or delete needs.
#[derive(Args, Debug, Default)]
pub struct IfArgs {
    /// Only if KEY holds exactly this value (exit 4 otherwise); -1 works as it is, -x needs
    /// --if-value=-x
    #[arg(long, value_name = "VALUE", value_parser = clap::value_parser!(OsString))]
    pub if_value: Option<OsString>,
    /// Only if KEY's mod revision is REV (exit 4 otherwise); set --if-revision 0: only if KEY
    /// does not exist
    #[arg(long, value_name = "REV", value_parser = clap::value_parser!(i64).range(0..))]
    pub if_revision: Option<i64>,
}

impl IfArgs {
    /// The conditions these say, on KEY.
    pub fn conditions(self) -> Conditions {
        Conditions {
            value: self.if_value.map(OsString::into_vec),
            mod_revision: self.if_revision,
            ..Conditions::default()
        }
    }
}

/// Options that print text only, refused with -o json: each `(given, flag, what it does)`.
pub fn not_with_json(json: bool, flags: &[(bool, &str, &str)]) -> Result<()> {
    match flags.iter().find(|(given, _, _)| *given && json) {
        Some((_, flag, what)) => Err(Error::usage(format!(
            "{flag} {what}; it does not go with -o json"
        ))),
        None => Ok(()),
    }
}
