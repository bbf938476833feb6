//! Entry points for the fuzz targets in `fuzz/` (not an API): arbitrary bytes through the
//! same decoding the client applies to what a server sends, without a network.

use super::v3::classify::{classify, decode};
use super::v3::wire::{self, ErrorBody};
use super::{Client, KeyValue, Options, RangePage, WatchEvent, WatchSpec};
use serde::de::DeserializeOwned;
use std::sync::OnceLock;
use std::time::Duration;

const URL: &str = "http://fuzz:2379/v3/fuzz";

fn try_decode<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let result = decode::<T>(URL, bytes);
    if let Err(error) = &result {
        // Every decoding error is one line that names the URL.
        assert!(error.message.starts_with(URL), "{}", error.message);
    }
    result.ok()
}

/// One unary answer, decoded as every call's answer type, then as an error body, and
/// turned into what the commands see.
pub fn unary_answer(bytes: &[u8]) {
    if let Some(r) = try_decode::<wire::RangeResponse>(bytes) {
        let page = RangePage::from(r);
        let _ = page.kvs.last().map(|kv| kv.key.len());
    }
    // The same answer as a page of `get -r`, which is peeked at before it is decoded.
    if let Err(error) = super::v3::pager::take_page(bytes, URL) {
        assert!(error.message.starts_with(URL), "{}", error.message);
    }
    if let Some(r) = try_decode::<wire::PutResponse>(bytes) {
        let _ = r.prev_kv.map(KeyValue::from);
    }
    if let Some(r) = try_decode::<wire::DeleteRangeResponse>(bytes) {
        let _: Vec<KeyValue> = r.prev_kvs.into_iter().map(KeyValue::from).collect();
    }
    if let Some(r) = try_decode::<wire::TxnResponse>(bytes) {
        for op in r.responses {
            let _ = op.response_range.map(RangePage::from);
        }
    }
    let _ = try_decode::<wire::LeaseGrantResponse>(bytes);
    let _ = try_decode::<wire::LeaseTimeToLiveResponse>(bytes);
    let _ = try_decode::<wire::Empty>(bytes);
    let _ = try_decode::<super::v3::cluster::MemberListResponse>(bytes);
    let _ = try_decode::<super::v3::cluster::StatusResponse>(bytes);
    let _ = try_decode::<super::v3::lock::LockResponse>(bytes);
    if let Ok(body) = serde_json::from_slice::<ErrorBody>(bytes)
        && let Some((code, message)) = body.parts()
    {
        let _ = classify(code, &message);
    }
}

/// A gRPC answer's body to a bulk read: one frame holding a `RangeResponse`, decoded and
/// taken in by a pager as `get -r` does; and the same bytes as a `grpc-message` header.
pub fn grpc_answer(bytes: &[u8]) {
    let taken = super::v3::unary::check_frame(URL, bytes).and_then(|()| {
        let raw = super::v3::bulk::RawPage::new(
            bytes.to_vec(),
            URL.to_string(),
            super::v3::bulk::Wire::Grpc,
        );
        super::v3::pager::take_raw(raw)
    });
    if let Err(error) = taken {
        assert!(error.message.starts_with(URL), "{}", error.message);
        assert!(!error.message.contains('\n'), "{}", error.message);
    }
    let message = super::v3::unary::unescape(bytes);
    assert!(!message.contains('\n'));
    let _ = classify(14, &message);
}

fn client() -> &'static Client {
    static CLIENT: OnceLock<Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        let options = Options {
            endpoints: vec!["http://fuzz:2379".into()],
            dial_timeout: Duration::from_secs(1),
            command_timeout: Duration::from_secs(1),
            discover: false,
            ca_cert: None,
            client_cert: None,
            insecure_skip_tls_verify: false,
            resolve: Vec::new(),
            credentials: None,
            transport: Default::default(),
        };
        Client::new(&options).expect("a client")
    })
}

/// A watch stream: `data` cut into chunks (each chunk's length is its first byte), split
/// into lines with a small bound, each line handled as the watch handles it (the lock's
/// deletion watch is the same watch).
pub fn watch_stream(data: &[u8], start_revision: i64) {
    let mut watch = client().watch(WatchSpec {
        key: b"k".to_vec(),
        end: None,
        start_revision,
        prev_kv: true,
        no_put: false,
    });
    let mut lines = wire::Lines::default();
    let mut rest = data;
    while let Some((&len, tail)) = rest.split_first() {
        let (chunk, tail) = tail.split_at((len as usize).min(tail.len()));
        rest = tail;
        if lines.push(chunk, 4096).is_err() {
            return;
        }
        while let Some(line) = lines.next_line() {
            assert!(line.len() <= 4096 + 256);
            match watch.handle(&line, false) {
                Ok(Some(events)) => check_events(&events),
                Ok(None) => {}
                Err(_) => return,
            }
        }
    }
    let rest = lines.take_rest();
    if let Ok(Some(events)) = watch.handle(&rest, true) {
        check_events(&events);
    }
}

fn check_events(events: &[WatchEvent]) {
    assert!(!events.is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `data` as the fuzz target reads it: chunks of at most 255 bytes, each after its length.
    fn chunked(stream: &[u8]) -> Vec<u8> {
        stream
            .chunks(255)
            .flat_map(|c| std::iter::once(c.len() as u8).chain(c.iter().copied()))
            .collect()
    }

    #[test]
    fn revisions_at_the_end_of_i64_do_not_overflow() {
        let stream = chunked(
            b"{\"result\":{\"header\":{\"revision\":\"9223372036854775807\"},\"created\":true}}\n\
              {\"result\":{\"events\":[{\"kv\":{\"key\":\"aw==\",\"mod_revision\":\"9223372036854775807\"}}]}}\n",
        );
        watch_stream(&stream, 0);
        watch_stream(&stream, 9223372036854775807);
    }

    #[test]
    fn grpc_answers_decode_or_are_refused() {
        // A real etcd 3.5 answer (fuzz/seeds/grpc_answer/range_one): "/a/k1" = "v1".
        grpc_answer(include_bytes!("../../fuzz/seeds/grpc_answer/range_one"));
        grpc_answer(include_bytes!("../../fuzz/seeds/grpc_answer/range_more"));
        grpc_answer(&[0, 0, 0, 0, 200, 10]);
        grpc_answer(b"");
        grpc_answer(b"%zz%0a%");
    }

    #[test]
    fn real_answers_decode() {
        unary_answer(br#"{"header":{"revision":"5"},"kvs":[{"key":"Zm9v","value":"YmFy"}]}"#);
        unary_answer(b"<html>");
        unary_answer(b"");
    }
}
