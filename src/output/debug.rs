//! `--debug`: every HTTP request on stderr, with the curl command that makes
//! it again. The client hands over each request with its secrets already
//! replaced by `<redacted>` (the Authorization header, any password field).

use crate::client::{Exchange, Tracer};
use crate::config::Config;
use std::fmt::Write as _;
use std::io::Write as _;
use std::sync::Arc;

/// Bodies longer than this are left out of the curl command.
const MAX_SHOWN_BODY: usize = 4096;

/// A tracer that prints each request to stderr.
pub fn tracer(config: &Config) -> Tracer {
    let mut tls = String::new();
    if let Some((path, _)) = &config.ca_cert {
        let _ = write!(tls, " --cacert {}", quote(path));
    }
    if let Some(client) = &config.client_cert {
        let _ = write!(
            tls,
            " --cert {} --key {}",
            quote(&client.cert_path),
            quote(&client.key_path)
        );
    }
    if config.insecure_skip_tls_verify {
        tls.push_str(" --insecure");
    }
    for (host, addr) in &config.resolve {
        let _ = write!(
            tls,
            " --resolve {}",
            quote(&format!("{host}:{}:{}", addr.port(), addr.ip()))
        );
    }
    Arc::new(move |exchange: &Exchange| {
        let _ = std::io::stderr().write_all(describe(exchange, &tls).as_bytes());
    })
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
}
