//! Reading an answer's body whole, bounded: refused as soon as it says (Content-Length) or
//! grows past [`MAX_RESPONSE_BYTES`]; a stall or a cut-off connection named as one.

use crate::client::error::{Error, Kind, Result};
use crate::client::v3::classify::root_cause;
use crate::duration::show;
use std::time::Duration;

/// The most one answer (a unary body, or one line of a watch stream) may hold
/// before it is refused. etcd's largest single value is 1.5 MiB by default
/// (`--max-request-bytes`), 2 MiB as base64; 16 MiB leaves room for a value
/// several times that, with its previous value. A range page larger than this
/// is asked for again in smaller pages (see `Pager`), and a server sending
/// more is cut off here instead of filling the memory.
pub(in crate::client) const MAX_RESPONSE_BYTES: usize = 16 << 20;

/// The limit as the error message names it.
pub(in crate::client) const TOO_LARGE: &str = "the answer is larger than etcdpy's limit of 16 MiB";

/// Read a whole answer, refusing one larger than [`MAX_RESPONSE_BYTES`] as soon as it says
/// (Content-Length) or grows so; the request's own timeout bounds the time.
pub(in crate::client) async fn read_body(
    response: reqwest::Response,
    timeout: Duration,
) -> Result<Vec<u8>> {
    read_sized(response, timeout, |_| None).await
}

/// [`read_body`], where `size` may tell the whole answer's size from its
/// first bytes (a gRPC frame's header): the buffer is made that size, and an
/// answer announced larger than [`MAX_RESPONSE_BYTES`] is refused at once.
pub(in crate::client) async fn read_sized(
    mut response: reqwest::Response,
    timeout: Duration,
    size: impl Fn(&[u8]) -> Option<usize>,
) -> Result<Vec<u8>> {
    let url = response.url().to_string();
    let announced = response.content_length().unwrap_or(0);
    if announced > MAX_RESPONSE_BYTES as u64 {
        return Err(too_large(&url));
    }
    let mut bytes = Vec::with_capacity(announced as usize);
    let mut sized = false;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(too_large(&url));
                }
                bytes.extend_from_slice(&chunk);
                if !sized && let Some(whole) = size(&bytes) {
                    sized = true;
                    if whole > MAX_RESPONSE_BYTES {
                        return Err(too_large(&url));
                    }
                    bytes.reserve_exact(whole.saturating_sub(bytes.len()));
                }
            }
            Ok(None) => return Ok(bytes),
            Err(err) if err.is_timeout() => {
                return Err(Error::new(
                    Kind::TimedOut,
                    format!(
                        "{url}: the answer did not complete within the command timeout of {}",
                        show(timeout)
                    ),
                ));
            }
            Err(err) => {
                return Err(Error::new(
                    Kind::Unreachable,
                    format!("{url}: the answer was cut off ({})", root_cause(&err)),
                ));
            }
        }
    }
}

fn too_large(url: &str) -> Error {
    Error::new(
        Kind::TooLarge,
        format!("{url}: {TOO_LARGE} for one response"),
    )
}
