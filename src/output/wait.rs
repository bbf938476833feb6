//! What `etcdpy wait` prints once its condition holds: the key's value (text), or one JSON
//! object; nothing in text for `--for deleted`.

use super::schema::Kv;
use super::{Out, Render};
use crate::client::{Reached, Until};
use serde::Serialize;
use std::io;

/// JSON: `{"condition":"exists"|"deleted"|"value","revision":R,"kv":Kv|null}`; `kv` is the
/// key that made the condition hold (null for deleted).
#[derive(Serialize, Debug)]
pub struct WaitResult {
    pub condition: &'static str,
    /// The revision (v2: index) at which the condition was seen to hold.
    pub revision: i64,
    pub kv: Option<Kv>,
    #[serde(skip)]
    value: Option<Vec<u8>>,
}

impl WaitResult {
    pub fn new(until: &Until, reached: &Reached) -> WaitResult {
        let condition = match until {
            Until::Exists => "exists",
            Until::Deleted => "deleted",
            Until::Value(_) => "value",
        };
        WaitResult {
            condition,
            revision: reached.revision,
            kv: reached.kv.as_ref().map(|kv| Kv::new(kv, false, None)),
            value: reached.kv.as_ref().map(|kv| kv.value.clone()),
        }
    }
}

impl Render for WaitResult {
    fn render(&self, out: &mut Out) -> io::Result<()> {
        let Some(value) = &self.value else {
            return Ok(());
        };
        out.data(value)?;
        out.raw(b"\n")
    }
}
