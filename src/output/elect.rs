//! What `etcdpy elect` prints: a leader ([`Leader`], its `-o json` schema),
//! as text its value (`--leader`, `--observe`) or, once this process leads
//! without CMD, its key.

use super::schema::text;
use super::{Out, Render};
use crate::client::{Holder, lease_hex};
use serde::Serialize;
use std::io;

/// An election's leader.
#[derive(Serialize, Debug)]
pub struct Leader {
    /// The election's NAME.
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name_encoding: Option<&'static str>,
    /// The leader's key: `NAME/<lease ID in hex>`.
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_encoding: Option<&'static str>,
    /// The leader's proposal.
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_encoding: Option<&'static str>,
    /// The key's create revision (the leadership's fencing token).
    pub revision: i64,
    /// The leader's lease ID in hex.
    pub lease: String,
    #[serde(skip)]
    raw: Vec<u8>,
}

impl Leader {
    /// `holder` leads `name`; as text, its key when `show_key`, else its value.
    pub fn new(name: &[u8], holder: &Holder, show_key: bool) -> Leader {
        let (name, name_encoding) = text(name);
        let (key, key_encoding) = text(&holder.key);
        let (value, value_encoding) = text(&holder.value);
        let raw = match show_key {
            true => holder.key.clone(),
            false => holder.value.clone(),
        };
        Leader {
            name,
            name_encoding,
            key,
            key_encoding,
            value,
            value_encoding,
            revision: holder.create_revision,
            lease: lease_hex(holder.lease),
            raw,
        }
    }
}

impl Render for Leader {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        out.data(&self.raw)?;
        out.raw(b"\n")
    }
}
