//! Probing a silent endpoint: whether its member hangs while another answers (a status
//! request to every endpoint), and whether a server that closed an http:// connection speaks
//! TLS (a ClientHello), so that the failover loop and the errors can say which.

use crate::client::Client;
use std::time::Duration;

/// The first `Some` of `futures`, or `None` once every one has ended without.
async fn first_some<T, F: Future<Output = Option<T>>>(
    mut futures: Vec<std::pin::Pin<Box<F>>>,
) -> Option<T> {
    std::future::poll_fn(|cx| {
        let mut at = 0;
        while at < futures.len() {
            match futures[at].as_mut().poll(cx) {
                std::task::Poll::Ready(Some(found)) => return std::task::Poll::Ready(Some(found)),
                std::task::Poll::Ready(None) => {
                    futures.swap_remove(at);
                }
                std::task::Poll::Pending => at += 1,
            }
        }
        if futures.is_empty() {
            std::task::Poll::Ready(None)
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

impl Client {
    /// Whether the member at `index` hangs: it gives no answer to a status
    /// request within `within` while another endpoint does. Returns the index
    /// of that other endpoint. (Any HTTP answer counts: the member is not frozen.)
    pub(in crate::client) async fn hangs(&self, index: usize, within: Duration) -> Option<usize> {
        let ask = |i: usize| async move {
            let url = format!("{}/v3/maintenance/status", self.endpoints[i]);
            self.send(&url, b"{}".to_vec(), None, Some(within))
                .await
                .ok()
                .map(|_| i)
        };
        let others: Vec<_> = (0..self.endpoints.len())
            .filter(|&i| i != index)
            .map(|i| Box::pin(ask(i)))
            .collect();
        let (this, other) = tokio::join!(ask(index), first_some(others));
        match (this, other) {
            (None, Some(other)) => Some(other),
            _ => None,
        }
    }

    /// Whether the server at `url` (an http:// one whose connection closed
    /// without an answer) speaks TLS: it answers a TLS ClientHello with a TLS
    /// record (a ServerHello or an alert) within the dial timeout.
    pub(in crate::client) async fn speaks_tls(&self, url: &str) -> bool {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let Ok(parsed) = reqwest::Url::parse(url) else {
            return false;
        };
        let (Some(host), Some(port)) = (parsed.host_str(), parsed.port_or_known_default()) else {
            return false;
        };
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let check = async {
            let mut stream = tokio::net::TcpStream::connect((host.as_str(), port))
                .await
                .ok()?;
            stream.write_all(&client_hello()).await.ok()?;
            let mut head = [0u8; 2];
            stream.read_exact(&mut head).await.ok()?;
            // A handshake (22) or alert (21) record of TLS 1.x.
            Some(matches!(head, [21 | 22, 3]))
        };
        tokio::time::timeout(self.dial_timeout, check)
            .await
            .ok()
            .flatten()
            .unwrap_or(false)
    }
}

/// A minimal TLS 1.2 ClientHello (two cipher suites, no extensions): a TLS
/// server answers it with a ServerHello or an alert, a plain HTTP one with
/// HTTP or nothing.
fn client_hello() -> Vec<u8> {
    let mut hello = vec![3, 3]; // client_version: TLS 1.2
    hello.extend_from_slice(&[7; 32]); // random
    hello.push(0); // no session id
    hello.extend_from_slice(&[0, 4, 0xc0, 0x2f, 0x00, 0x9c]); // two cipher suites
    hello.extend_from_slice(&[1, 0]); // no compression
    hello.extend_from_slice(&[0, 0]); // no extensions
    let mut handshake = vec![1, 0, (hello.len() >> 8) as u8, hello.len() as u8];
    handshake.extend_from_slice(&hello);
    let mut record = vec![
        22,
        3,
        1,
        (handshake.len() >> 8) as u8,
        handshake.len() as u8,
    ];
    record.extend_from_slice(&handshake);
    record
}
