//! `Maintenance.Snapshot`: the backend's snapshot streamed from one member —
//! the leader if it answers, else the first member that does — over gRPC
//! where the endpoint carries it (frames of `SnapshotResponse`), else the
//! gateway's stream of JSON lines. Every chunk goes to the caller's sink as it
//! arrives (bounded memory); a stream that brings nothing for the stall
//! timeout fails (TimedOut), a slow one that moves never does. etcd ends the
//! stream with the SHA-256 of everything before it: checked at the end.

use crate::client::error::{Error, Kind, Result};
use crate::client::request::{Credentials, Request, Shown};
use crate::client::v3::classify::{classify, not_etcd, root_cause};
use crate::client::v3::cluster::display_name;
use crate::client::v3::unary::{has_prefix, unescape};
use crate::client::{Client, Transport, Verdict};
use crate::duration::show;
use reqwest::header::HeaderValue;
use std::time::Duration;

const SNAPSHOT_PATH: &str = "/etcdserverpb.Maintenance/Snapshot";
const HASH_LEN: usize = 32;

/// `etcdserverpb.SnapshotResponse` (its header, field 1, is left unread).
#[derive(Clone, PartialEq, prost::Message)]
struct SnapshotResponse {
    #[prost(uint64, tag = "2")]
    remaining_bytes: u64,
    #[prost(bytes = "vec", tag = "3")]
    blob: Vec<u8>,
}

/// The gateway's line: `{"result":{"remaining_bytes":"…","blob":"…"}}` or `{"error":…}`.
#[derive(serde::Deserialize)]
struct Line {
    result: Option<LineResult>,
    error: Option<crate::client::v3::wire::ErrorBody>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct LineResult {
    #[serde(deserialize_with = "crate::client::v3::wire::de_i64")]
    remaining_bytes: i64,
    #[serde(deserialize_with = "crate::client::v3::wire::de_b64")]
    blob: Vec<u8>,
}

/// Where the snapshot came from and what it holds.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub member: String,
    pub url: String,
    /// Bytes received, the trailing hash included.
    pub size: u64,
    /// The SHA-256 etcd sent (hex).
    pub sha256: String,
    /// Whether the hash matched the bytes before it.
    pub hash_ok: bool,
    pub grpc: bool,
}

/// Everything after the last 32 bytes is hashed; the last 32 are etcd's hash.
struct Tail {
    hasher: ring::digest::Context,
    tail: Vec<u8>,
    size: u64,
}

impl Tail {
    fn push(&mut self, bytes: &[u8]) {
        self.size += bytes.len() as u64;
        self.tail.extend_from_slice(bytes);
        if self.tail.len() > HASH_LEN {
            let cut = self.tail.len() - HASH_LEN;
            self.hasher.update(&self.tail[..cut]);
            self.tail.drain(..cut);
        }
    }
}

impl Client {
    /// The member to take the snapshot from, and the URL to reach it at:
    /// the leader (through a configured endpoint, else at its own URL), else
    /// the first configured endpoint that answers, else any member that does.
    pub async fn snapshot_source(&self) -> Result<(String, String)> {
        let view = self.cluster_view().await?;
        let leader = match view.verdict(false) {
            Verdict::Leader(i) => Some(i),
            Verdict::NoLeader(_) => None,
        };
        let name_of = |id: u64| {
            let probe = view.probes.iter().find(|p| p.member.id == id);
            probe.map_or(format!("{id:x}"), |p| display_name(&p.member))
        };
        let mut first = None;
        for url in &self.endpoints {
            let asked = tokio::time::timeout(self.probe_timeout(), self.status_at(url));
            if let Ok(Ok(status)) = asked.await {
                let found = (name_of(status.member_id), url.clone());
                if leader.is_some_and(|i| view.probes[i].member.id == status.member_id) {
                    return Ok(found);
                }
                first.get_or_insert(found);
            }
        }
        let reachable = |i: &usize| view.probes[*i].status.is_ok() && view.probes[*i].url.is_some();
        let any = leader
            .filter(reachable)
            .or_else(|| (0..view.probes.len()).find(reachable));
        let own = any.map(|i| {
            let probe = &view.probes[i];
            (
                display_name(&probe.member),
                probe.url.clone().unwrap_or_default(),
            )
        });
        match (leader.filter(reachable).and(own.clone()), first, own) {
            (Some(leader), _, _) => Ok(leader),
            (None, Some(first), _) | (None, None, Some(first)) => Ok(first),
            (None, None, None) => Err(Error::new(Kind::Unreachable, "no member answered")),
        }
    }

    /// Stream the snapshot of the member at `url` into `sink`.
    pub async fn snapshot(
        &self,
        member: &str,
        url: &str,
        stall: Duration,
        sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<Snapshot> {
        let grpc = self.transport != Transport::Gateway && !has_prefix(url);
        let mut tail = Tail {
            hasher: ring::digest::Context::new(&ring::digest::SHA256),
            tail: Vec::new(),
            size: 0,
        };
        let token = self.token().await?;
        let chunks = if grpc { Chunks::Frames } else { Chunks::Lines };
        self.stream(url, chunks, token.as_deref(), stall, &mut tail, sink)
            .await?;
        let computed = tail.hasher.finish();
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        Ok(Snapshot {
            member: member.to_string(),
            url: url.to_string(),
            size: tail.size,
            sha256: hex(&tail.tail),
            hash_ok: tail.tail.len() == HASH_LEN && computed.as_ref() == tail.tail.as_slice(),
            grpc,
        })
    }

    async fn open(
        &self,
        url: &str,
        grpc: bool,
        token: Option<&str>,
        stall: Duration,
    ) -> Result<reqwest::Response> {
        let (http, target, body, kind, token_header) = if grpc {
            let target = format!("{url}{SNAPSHOT_PATH}");
            let http = self.grpc_client()?;
            (http, target, vec![0; 5], "application/grpc", "token")
        } else {
            let target = format!("{url}/v3/maintenance/snapshot");
            let body = b"{}".to_vec();
            (
                &self.http,
                target,
                body,
                "application/json",
                "authorization",
            )
        };
        let mut request = Request::new(http, reqwest::Method::POST, &target, body);
        request.headers.push(("content-type", kind));
        if grpc {
            request.headers.push(("te", "trailers"));
        }
        request.credentials = Credentials::Token(token_header, token);
        request.shown = Shown::As(b"{}");
        request.grpc = grpc;
        let sent = tokio::time::timeout(stall, self.send_request(request)).await;
        let sent = sent.map_err(|_| stalled(&target, stall))?;
        let response = sent
            .map_err(|e| Error::new(Kind::Unreachable, format!("{target}: {}", root_cause(&e))))?;
        let header = |name: &str| response.headers().get(name).map(HeaderValue::as_bytes);
        if let Some(code) = header("grpc-status") {
            let code: i64 = std::str::from_utf8(code)
                .ok()
                .and_then(|c| c.trim().parse().ok())
                .unwrap_or(2);
            if code != 0 {
                let message = unescape(header("grpc-message").unwrap_or_default());
                return Err(classify(code, &message).context(&target));
            }
        }
        if !response.status().is_success() {
            let status = response.status();
            let body = response.text().await.unwrap_or_default();
            let parsed: Option<crate::client::v3::wire::ErrorBody> =
                serde_json::from_str(&body).ok();
            if let Some((code, message)) = parsed.and_then(|b| b.parts()) {
                return Err(classify(code, &message).context(&target));
            }
            return Err(not_etcd(&target, &format!("HTTP {status}")));
        }
        Ok(response)
    }

    /// The next chunk of a stream, or `None` at its end; a stall is an error.
    async fn next_chunk(
        response: &mut reqwest::Response,
        url: &str,
        stall: Duration,
    ) -> Result<Option<Vec<u8>>> {
        match tokio::time::timeout(stall, response.chunk()).await {
            Err(_) => Err(stalled(url, stall)),
            Ok(Ok(chunk)) => Ok(chunk.map(|c| c.to_vec())),
            Ok(Err(e)) => Err(Error::new(
                Kind::Unreachable,
                format!("{url}: the snapshot stream broke ({})", root_cause(&e)),
            )),
        }
    }

    /// Open the snapshot stream and hand every piece's bytes to `tail` and `sink` as
    /// whole pieces (`chunks`) arrive, until the stream ends after its last piece.
    async fn stream(
        &self,
        url: &str,
        chunks: Chunks,
        token: Option<&str>,
        stall: Duration,
        tail: &mut Tail,
        sink: &mut dyn FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<()> {
        let grpc = chunks == Chunks::Frames;
        let mut response = self.open(url, grpc, token, stall).await?;
        let mut buffer: Vec<u8> = Vec::new();
        let mut last = false;
        while let Some(chunk) = Self::next_chunk(&mut response, url, stall).await? {
            buffer.extend_from_slice(&chunk);
            let mut each = |blob: &[u8], end: bool| {
                tail.push(blob);
                sink(blob).map_err(write_failed)?;
                last = end;
                Ok(())
            };
            let used = chunks.take(url, &buffer, &mut each)?;
            buffer.drain(..used);
        }
        // A gRPC stream ends with its last frame; a line may be followed by blanks.
        if !last || (grpc && !buffer.is_empty()) {
            return Err(cut(url, tail.size));
        }
        Ok(())
    }
}

/// What a snapshot stream is made of.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Chunks {
    /// gRPC frames of `SnapshotResponse`.
    Frames,
    /// The gateway's JSON lines.
    Lines,
}

/// Receives each piece's blob and whether it was the last (`remaining_bytes` 0).
type Each<'a> = dyn FnMut(&[u8], bool) -> Result<()> + 'a;

impl Chunks {
    /// Hand the whole pieces at the start of `buffer` to `each`; how many bytes they took.
    fn take(self, url: &str, buffer: &[u8], each: &mut Each) -> Result<usize> {
        match self {
            Chunks::Frames => take_frames(url, buffer, each),
            Chunks::Lines => take_lines(url, buffer, each),
        }
    }
}

fn take_frames(url: &str, buffer: &[u8], each: &mut Each) -> Result<usize> {
    use prost::Message as _;
    let mut at = 0;
    while let Some(head) = buffer[at..].first_chunk::<5>() {
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if len > 16 << 20 {
            return Err(not_etcd(url, "a snapshot frame over 16 MiB"));
        }
        if buffer.len() - at < 5 + len {
            break;
        }
        let message = SnapshotResponse::decode(&buffer[at + 5..at + 5 + len])
            .map_err(|e| not_etcd(url, &format!("a snapshot frame that does not decode ({e})")))?;
        at += 5 + len;
        each(&message.blob, message.remaining_bytes == 0)?;
    }
    Ok(at)
}

fn take_lines(url: &str, buffer: &[u8], each: &mut Each) -> Result<usize> {
    if buffer.len() > 16 << 20 {
        return Err(not_etcd(url, "a snapshot line over 16 MiB"));
    }
    let mut at = 0;
    while let Some(end) = memchr::memchr(b'\n', &buffer[at..]) {
        let line = &buffer[at..at + end];
        at += end + 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let line: Line = serde_json::from_slice(line)
            .map_err(|e| not_etcd(url, &format!("a snapshot line that does not decode ({e})")))?;
        if let Some((code, message)) = line.error.and_then(|e| e.parts()) {
            return Err(classify(code, &message).context(url));
        }
        let result = line.result.unwrap_or_default();
        each(&result.blob, result.remaining_bytes == 0)?;
    }
    Ok(at)
}

fn stalled(url: &str, stall: Duration) -> Error {
    Error::new(
        Kind::TimedOut,
        format!(
            "{url}: the snapshot stream brought nothing for {} (--stall-timeout)",
            show(stall)
        ),
    )
}

fn cut(url: &str, size: u64) -> Error {
    Error::new(
        Kind::Unreachable,
        format!("{url}: the snapshot stream ended early, after {size} bytes"),
    )
}

fn write_failed(e: std::io::Error) -> Error {
    Error::unexpected(format!("cannot write the snapshot: {e}"))
}
