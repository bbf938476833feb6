//! `--debug`: every HTTP request on stderr, with the curl command that makes
//! it again. The client hands over each request with its secrets already
//! replaced by `<redacted>` (the Authorization header, any password field).

use crate::client::{Exchange, Tracer};
use std::fmt::Write as _;
use std::io::Write as _;
use std::net::IpAddr;
use std::sync::Arc;

/// Bodies longer than this are left out of the curl command.
const MAX_SHOWN_BODY: usize = 4096;

/// What the curl commands need to reach the servers as etcdpy did.
#[derive(Debug, Clone, Default)]
pub struct CurlOptions {
    /// `--cacert` FILE.
    pub ca_cert: Option<String>,
    /// `--cert` FILE and `--key` FILE.
    pub client_cert: Option<(String, String)>,
    /// `--insecure-skip-tls-verify`.
    pub insecure: bool,
    /// Host names etcdpy resolved itself, with their addresses.
    pub resolve: Vec<(String, Vec<IpAddr>)>,
}

/// A tracer that prints each request to stderr.
pub fn tracer(options: &CurlOptions) -> Tracer {
    let mut tls = String::new();
    if let Some(path) = &options.ca_cert {
        let _ = write!(tls, " --cacert {}", quote(path));
    }
    if let Some((cert, key)) = &options.client_cert {
        let _ = write!(tls, " --cert {} --key {}", quote(cert), quote(key));
    }
    if options.insecure {
        tls.push_str(" --insecure");
    }
    let resolve = options.resolve.clone();
    Arc::new(move |exchange: &Exchange| {
        if exchange.grpc {
            let _ = std::io::stderr().write_all(describe_grpc(exchange, &tls).as_bytes());
            return;
        }
        let options = format!("{}{tls}", resolved(exchange.url, &resolve));
        let _ = std::io::stderr().write_all(describe(exchange, &options).as_bytes());
    })
}

/// curl's `--resolve HOST:PORT:ADDR[,ADDR…]` for a URL whose host etcdpy
/// resolved itself (SRV targets via `--dns-server`): curl's entry is per host
/// and port, so it is made for this URL's port.
fn resolved(url: &str, resolve: &[(String, Vec<IpAddr>)]) -> String {
    let Ok(url) = reqwest::Url::parse(url) else {
        return String::new();
    };
    let (Some(host), Some(port)) = (url.host_str(), url.port_or_known_default()) else {
        return String::new();
    };
    let Some((_, ips)) = resolve.iter().find(|(h, _)| h.eq_ignore_ascii_case(host)) else {
        return String::new();
    };
    let ips: Vec<String> = ips
        .iter()
        .map(|ip| match ip {
            IpAddr::V4(ip) => ip.to_string(),
            IpAddr::V6(ip) => format!("[{ip}]"),
        })
        .collect();
    format!(
        " --resolve {}",
        quote(&format!("{host}:{port}:{}", ips.join(",")))
    )
}

/// Two lines: what was sent and what came back, then the curl command.
fn describe(exchange: &Exchange, tls: &str) -> String {
    let outcome = match &exchange.outcome {
        Ok(status) => format!("HTTP {status}"),
        Err(cause) => format!("failed: {cause}"),
    };
    let mut curl = format!(
        "curl -sS --http1.1 -X {} {}",
        exchange.method,
        quote(exchange.url)
    );
    curl.push_str(tls);
    for (name, value) in &exchange.headers {
        let _ = write!(curl, " -H {}", quote(&format!("{name}: {value}")));
    }
    if exchange.body.len() > MAX_SHOWN_BODY {
        let _ = write!(
            curl,
            " --data-binary @-   # the {}-byte body is not shown",
            exchange.body.len()
        );
    } else {
        let body = String::from_utf8_lossy(exchange.body);
        let _ = write!(curl, " --data-binary {}", quote(&body));
    }
    format!(
        "etcdpy: debug: {} {} -> {} in {:.1} ms\netcdpy: debug: {curl}\n",
        exchange.method,
        exchange.url,
        outcome,
        exchange.elapsed.as_secs_f64() * 1000.0
    )
}

/// A gRPC request: what was sent and what came back, then the grpcurl
/// command that makes it again (given etcd's rpc.proto; the body is the
/// request as JSON, which grpcurl's `-d` takes). grpcurl's flags take one
/// dash or two, so the TLS options are curl's.
fn describe_grpc(exchange: &Exchange, tls: &str) -> String {
    let outcome = match &exchange.outcome {
        Ok(status) => format!("HTTP/2 {status}"),
        Err(cause) => format!("failed: {cause}"),
    };
    let (address, method) = match exchange.url.split_once("://") {
        Some((_, rest)) => rest.split_once('/').unwrap_or((rest, "")),
        None => (exchange.url, ""),
    };
    let mut grpcurl = String::from("grpcurl -proto rpc.proto");
    if exchange.url.starts_with("http://") {
        grpcurl.push_str(" -plaintext");
    }
    grpcurl.push_str(tls);
    for (name, value) in &exchange.headers {
        if matches!(*name, "content-type" | "te") {
            continue;
        }
        let _ = write!(grpcurl, " -H {}", quote(&format!("{name}: {value}")));
    }
    let body = String::from_utf8_lossy(exchange.body);
    let _ = write!(grpcurl, " -d {} {address} {method}", quote(&body));
    format!(
        "etcdpy: debug: gRPC POST {} -> {} in {:.1} ms\netcdpy: debug: {grpcurl}\n",
        exchange.url,
        outcome,
        exchange.elapsed.as_secs_f64() * 1000.0
    )
}

/// `text` as one shell word, in single quotes.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_request_and_its_curl_command() {
        let exchange = Exchange {
            method: "POST",
            url: "http://127.0.0.1:2379/v3/kv/range",
            headers: vec![
                ("content-type", "application/json".into()),
                ("authorization", "<redacted>".into()),
            ],
            body: br#"{"key":"YSdi"}"#,
            outcome: Ok(200),
            elapsed: Duration::from_micros(1500),
            grpc: false,
        };
        let text = describe(&exchange, " --cacert '/ca.pem'");
        assert_eq!(
            text,
            "etcdpy: debug: POST http://127.0.0.1:2379/v3/kv/range -> HTTP 200 in 1.5 ms\n\
             etcdpy: debug: curl -sS --http1.1 -X POST 'http://127.0.0.1:2379/v3/kv/range' \
             --cacert '/ca.pem' -H 'content-type: application/json' -H 'authorization: <redacted>' \
             --data-binary '{\"key\":\"YSdi\"}'\n"
        );
        assert_eq!(quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn a_grpc_request_and_its_grpcurl_command() {
        let exchange = Exchange {
            method: "POST",
            url: "http://127.0.0.1:2379/etcdserverpb.KV/Range",
            headers: vec![
                ("content-type", "application/grpc".into()),
                ("te", "trailers".into()),
                ("token", "<redacted>".into()),
            ],
            body: br#"{"key":"YSdi"}"#,
            outcome: Ok(200),
            elapsed: Duration::from_micros(1500),
            grpc: true,
        };
        assert_eq!(
            describe_grpc(&exchange, ""),
            "etcdpy: debug: gRPC POST http://127.0.0.1:2379/etcdserverpb.KV/Range -> HTTP/2 200 in 1.5 ms\n\
             etcdpy: debug: grpcurl -proto rpc.proto -plaintext -H 'token: <redacted>' \
             -d '{\"key\":\"YSdi\"}' 127.0.0.1:2379 etcdserverpb.KV/Range\n"
        );
    }

    #[test]
    fn resolve_options_follow_the_urls_port() {
        let resolve = vec![(
            "m1.example.test".to_string(),
            vec!["127.0.0.2".parse().unwrap(), "::1".parse().unwrap()],
        )];
        assert_eq!(
            resolved("http://m1.example.test:2379/v3/kv/range", &resolve),
            " --resolve 'm1.example.test:2379:127.0.0.2,[::1]'"
        );
        assert_eq!(
            resolved("https://m1.example.test/etcd/v3/kv/range", &resolve),
            " --resolve 'm1.example.test:443:127.0.0.2,[::1]'"
        );
        assert_eq!(
            resolved("http://m2.example.test:2379/v3/kv/range", &resolve),
            ""
        );
    }
}
