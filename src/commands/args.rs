//! Argument vocabulary the commands share, in clap's terms (clap stays in the
//! flag layer: `keys` knows none of it): the parser of a KEY, NAME or
//! --prefix argument ([`KeyParser`], UTF-8 or refused) and the values of
//! `--key-encoding`.

use crate::keys::KeyEncoding;
use clap::ValueEnum;
use clap::builder::{PossibleValue, TypedValueParser};
use std::ffi::OsStr;

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
