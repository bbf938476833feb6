//! One message of the stream decoded: new events handed out in order (none twice), etcd's
//! in-band errors and cancellations classified, and the wire shapes of the watch's answers.

use super::{Break, Watch};
use crate::client::error::{Error, Kind};
use crate::client::v3::kv::KeyValue;
use crate::client::v3::transport::classify;
use crate::client::v3::wire::{self, ErrorBody, Header};
use crate::client::{EventKind, WatchEvent};
use serde::Deserialize;

impl Watch<'_> {
    /// One message: `Some(events)` when it carries changes not handed out yet.
    /// A whole line that is not etcd's JSON ends the watch (no etcd sends one); the
    /// unfinished rest of a stream that `ended` is a broken connection instead.
    pub(in crate::client) fn handle(
        &mut self,
        line: &[u8],
        ended: bool,
    ) -> std::result::Result<Option<Vec<WatchEvent>>, Break> {
        let message: Message = match decode_message(line) {
            Ok(message) => message,
            Err(_) if ended => {
                return Err(Break::Lost(Error::new(
                    Kind::Unreachable,
                    "the server ended the watch in the middle of a message",
                )));
            }
            Err(e) => {
                let base = self.stream.as_ref().map_or("", |s| s.base.as_str());
                return Err(Break::Fatal(Error::new(
                    Kind::NotEtcd,
                    format!(
                        "{base}/v3/watch did not answer like an etcd v3 gateway: the watch stream held something other than etcd's JSON ({e}): {}",
                        crate::client::v3::transport::preview(line)
                    ),
                )));
            }
        };
        if let Some(error) = message.error {
            let body = ErrorBody {
                code: None,
                message: None,
                error: Some(error),
            };
            let (code, text) = body
                .parts()
                .unwrap_or((14, "the server failed the watch".to_string()));
            return Err(stream_error(code, &text));
        }
        let Some(result) = message.result else {
            return Ok(None);
        };
        if let Some(stream) = self.stream.as_mut() {
            stream.spoke = stream.spoke.max(result.header.revision);
        }
        if result.canceled {
            self.compacted = result.compact_revision;
            return Err(self.canceled(&result));
        }
        if result.created {
            if self.next_revision == 0 {
                // Watching from "now": the first revision we are owed is the next one.
                self.next_revision = result.header.revision.saturating_add(1);
            }
            // Served only once an event or an answered check shows it (`down_since` stays).
            self.established = true;
        }
        if !result.events.is_empty() {
            let revisions = 1 + result
                .events
                .windows(2)
                .filter(|pair| pair[1].kv.mod_revision != pair[0].kv.mod_revision)
                .count();
            self.round = (result.header.revision, revisions);
        }
        let next = self.next_revision;
        let events: Vec<WatchEvent> = result
            .events
            .into_iter()
            .filter(|e| e.kv.mod_revision >= next)
            .map(WatchEvent::from)
            .collect();
        if let Some(last) = events.iter().map(|e| e.kv.mod_revision).max() {
            self.next_revision = last.saturating_add(1);
            self.served();
        }
        Ok((!events.is_empty()).then_some(events))
    }

    /// An event or an answered check shows the watch served.
    pub(super) fn served(&mut self) {
        self.down_since = None;
        self.late = 0;
        self.backoff.reset();
    }

    fn canceled(&self, result: &WatchResult) -> Break {
        if result.compact_revision > 0 {
            return Break::Fatal(Error::new(
                Kind::Compacted,
                format!(
                    "revision {} has been compacted away; the oldest revision still available is {}",
                    self.next_revision, result.compact_revision
                ),
            ));
        }
        let reason = &result.cancel_reason;
        let refused = [
            "invalid auth token",
            "PermissionDenied",
            "permission denied",
            "InvalidArgument",
            "Unauthenticated",
        ]
        .iter()
        .any(|r| reason.contains(r));
        let with_token = self.stream.as_ref().is_some_and(|s| s.token.is_some());
        if refused && with_token && self.renewed.is_none() {
            // A watch opened with a revoked token is refused like this rather
            // than with a 401: try once more with a new token.
            return Break::Lost(Error::new(
                Kind::StaleToken,
                format!("invalid auth token? ({reason})"),
            ));
        }
        if reason.contains("PermissionDenied") || reason.contains("permission denied") {
            return Break::Fatal(self.client.on_key(
                Error::new(Kind::PermissionDenied, reason.clone()),
                &self.spec.key,
                "watch",
            ));
        }
        if reason.contains("InvalidArgument") || reason.contains("Unauthenticated") {
            return Break::Fatal(Error::new(
                Kind::AuthRefused,
                format!("watch refused: {reason}"),
            ));
        }
        let why = if reason.is_empty() {
            "the server canceled the watch".to_string()
        } else {
            format!("the server canceled the watch: {reason}")
        };
        Break::Lost(Error::new(Kind::Unexpected, why))
    }
}

/// One line of the watch stream, decoded.
pub(in crate::client) fn decode_message(line: &[u8]) -> serde_json::Result<Message> {
    serde_json::from_slice(line)
}

/// A failure reported by the server: "no leader" and the like move the watch
/// to another member; other answers would be the same everywhere.
pub(super) fn stream_error(code: i64, message: &str) -> Break {
    let error = classify(code, message);
    match error.kind {
        kind if kind.leaderless() => Break::Lost(error),
        Kind::Unexpected
        | Kind::AuthNotEnabled
        | Kind::LeaseNotFound
        | Kind::Unreachable
        | Kind::TimedOut => Break::Lost(error),
        _ => Break::Fatal(error),
    }
}

/// One line of the stream: `{"result":{…}}` or the nested `{"error":{…}}`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(in crate::client) struct Message {
    result: Option<WatchResult>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WatchResult {
    header: Header,
    created: bool,
    canceled: bool,
    #[serde(deserialize_with = "wire::de_i64")]
    compact_revision: i64,
    cancel_reason: String,
    events: Vec<WireEvent>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireEvent {
    /// Absent for PUT (the enum's zero value).
    #[serde(rename = "type")]
    kind: String,
    kv: wire::KeyValue,
    prev_kv: Option<wire::KeyValue>,
}

impl From<WireEvent> for WatchEvent {
    fn from(e: WireEvent) -> Self {
        WatchEvent {
            kind: if e.kind == "DELETE" || e.kind == "1" {
                EventKind::Delete
            } else {
                EventKind::Put
            },
            kv: e.kv.into(),
            prev: e.prev_kv.map(KeyValue::from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_decode() {
        let put: Message = serde_json::from_slice(
            br#"{"result":{"header":{"revision":"76"},"events":[{"kv":{"key":"dy9h","create_revision":"76","mod_revision":"76","version":"1","value":"MQ=="}}]}}"#,
        )
        .unwrap();
        let event = WatchEvent::from(put.result.unwrap().events.into_iter().next().unwrap());
        assert_eq!(event.kind, EventKind::Put);
        assert_eq!(event.kv.key, b"w/a");
        assert_eq!(event.kv.value, b"1");
        let del: Message = serde_json::from_slice(
            br#"{"result":{"events":[{"type":"DELETE","kv":{"key":"dy9h","mod_revision":"78"}}]}}"#,
        )
        .unwrap();
        let event = WatchEvent::from(del.result.unwrap().events.into_iter().next().unwrap());
        assert_eq!(event.kind, EventKind::Delete);
        assert_eq!(event.kv.mod_revision, 78);
        let cancel: Message = serde_json::from_slice(
            br#"{"result":{"header":{"raft_term":"2"},"canceled":true,"compact_revision":"50"}}"#,
        )
        .unwrap();
        assert_eq!(cancel.result.unwrap().compact_revision, 50);
        let error: Message = serde_json::from_slice(
            br#"{"error":{"grpc_code":14,"http_code":503,"message":"etcdserver: no leader","http_status":"Service Unavailable"}}"#,
        )
        .unwrap();
        assert!(error.error.is_some());
        assert!(matches!(
            stream_error(14, "etcdserver: no leader"),
            Break::Lost(_)
        ));
    }
}
