//! What the client is given: endpoints, TLS material, credentials, timeouts,
//! host names resolved beforehand. `crate::config` resolves these once from
//! the command line (and SRV discovery fills in the endpoints); the client
//! reads nothing else.

use super::error::{Error, Result};
use std::net::IpAddr;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Options {
    /// Base URLs of the v3 gateways, `scheme://host:port[/prefix]` with no
    /// trailing slash, in the order they are tried.
    pub endpoints: Vec<String>,
    pub dial_timeout: Duration,
    pub command_timeout: Duration,
    /// Add the cluster's advertised client URLs to the endpoints (`--discover`).
    pub discover: bool,
    /// A CA certificate (PEM) for https endpoints, and the file it came from.
    pub ca_cert: Option<(String, Vec<u8>)>,
    /// A client certificate and its key (PEM), and the files they came from.
    pub client_cert: Option<ClientCert>,
    /// Accept any server certificate (`--insecure-skip-tls-verify`).
    pub insecure_skip_tls_verify: bool,
    /// Host names resolved by etcdpy itself (SRV targets via --dns-server),
    /// with every address found, in the order they are tried.
    pub resolve: Vec<(String, Vec<IpAddr>)>,
    /// `--user` and its password, for etcd's authentication.
    pub credentials: Option<Credentials>,
    /// How bulk reads travel (`--transport`).
    pub transport: Transport,
}

/// How the bulk reads (`get -r`, a directory level) reach etcd; every other
/// request uses the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transport {
    /// etcd's gRPC API where the endpoint carries it, else the gateway.
    #[default]
    Auto,
    /// The v3 JSON gateway only.
    Gateway,
    /// etcd's gRPC API only: an endpoint that cannot carry it is an error.
    Grpc,
}

/// A user name and password. `Debug` never shows the password.
#[derive(Clone)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// `--cert` and `--key`, read.
#[derive(Clone)]
pub struct ClientCert {
    pub cert_path: String,
    pub cert: Vec<u8>,
    pub key_path: String,
    pub key: Vec<u8>,
}

impl std::fmt::Debug for ClientCert {
    // Never the key's contents.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCert")
            .field("cert_path", &self.cert_path)
            .field("key_path", &self.key_path)
            .finish_non_exhaustive()
    }
}

/// Where the v3 gateway of one etcd member lives: `scheme://host:port[/prefix]`
/// with no trailing slash; requests go to `base + "/v3/..."`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub base: String,
}

pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:2379";
pub const DEFAULT_PORT: u16 = 2379;

/// `host`, in brackets when it is an IPv6 address.
pub fn bracket(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Parse one endpoint: `host:port` (http) or `http(s)://host[:port][/prefix]`.
/// `prefix` (from --path-prefix) applies when the endpoint has no path itself.
pub fn parse_endpoint(text: &str, prefix: Option<&str>) -> Result<Endpoint> {
    let text = text.trim();
    let bad = |why: &str| Error::invalid(format!("invalid endpoint '{text}': {why}"));
    if text.is_empty() {
        return Err(bad("it is empty"));
    }
    if text.contains(char::is_whitespace) {
        let commas = text.split_whitespace().collect::<Vec<_>>().join(",");
        return Err(bad(&format!(
            "endpoints are separated by commas, not spaces: --endpoints {commas}"
        )));
    }
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    let url = reqwest::Url::parse(&with_scheme).map_err(|e| bad(&e.to_string()))?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(bad(&format!(
                "unsupported scheme '{other}' (use http or https)"
            )));
        }
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("no host"))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("an endpoint takes no query or fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("credentials do not belong in the endpoint"));
    }
    // host:port without a scheme defaults to etcd's port; a URL to its scheme's.
    let port = match url.port() {
        Some(port) => port,
        None if !text.contains("://") => DEFAULT_PORT,
        None => url.port_or_known_default().unwrap_or(DEFAULT_PORT),
    };
    let mut path = url.path().trim_end_matches('/').to_string();
    let prefix = prefix.map(|p| p.trim().trim_end_matches('/')).unwrap_or("");
    // Pasted into every request's URL: it must stay a path (found by fuzzing: "?x" made
    // every request URL end in a query).
    if prefix
        .chars()
        .any(|c| matches!(c, '?' | '#') || c.is_whitespace() || c.is_control())
    {
        return Err(Error::invalid(format!(
            "invalid --path-prefix '{}': a URL path has no '?', '#', spaces or control characters",
            crate::text::escape(prefix.as_bytes())
        )));
    }
    if path.is_empty() && !prefix.is_empty() {
        if !prefix.starts_with('/') {
            path.push('/');
        }
        path.push_str(prefix);
    }
    // Percent-encoded as in the request URL, so the base is one canonical form.
    let mut encoded = url.clone();
    encoded.set_path(&path);
    let path = encoded.path().trim_end_matches('/');
    Ok(Endpoint {
        base: format!("{}://{}:{port}{path}", url.scheme(), bracket(host)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(text: &str, prefix: Option<&str>) -> String {
        parse_endpoint(text, prefix)
            .map(|e| e.base)
            .unwrap_or_else(|e| e.message)
    }

    #[test]
    fn endpoint_forms() {
        assert_eq!(base("127.0.0.1:4003", None), "http://127.0.0.1:4003");
        assert_eq!(base("localhost", None), "http://localhost:2379");
        assert_eq!(
            base("https://api.example.com:443/etcd", None),
            "https://api.example.com:443/etcd"
        );
        assert_eq!(
            base("https://api.example.com/etcd/", None),
            "https://api.example.com:443/etcd"
        );
        assert_eq!(base("http://a:1", Some("/etcd")), "http://a:1/etcd");
        assert_eq!(base("http://a:1/own", Some("/etcd")), "http://a:1/own");
        assert_eq!(base("http://a:1", Some("etcd/")), "http://a:1/etcd");
        assert_eq!(base("[::1]:2379", None), "http://[::1]:2379");
    }

    #[test]
    fn bad_endpoints_are_named() {
        assert!(base("ftp://a:1", None).contains("unsupported scheme 'ftp'"));
        assert!(base("a:99999", None).starts_with("invalid endpoint 'a:99999'"));
        assert!(base("a:1 b:2", None).ends_with("not spaces: --endpoints a:1,b:2"));
        assert!(base("", None).contains("empty"));
        assert!(base("http://u:p@a:1", None).contains("credentials"));
        // Found by fuzzing: a prefix that is no path.
        assert!(base("0.1", Some("/e7?")).starts_with("invalid --path-prefix '/e7?'"));
        assert!(base("a:1", Some("/a b")).contains("invalid --path-prefix"));
        assert!(base("a:1", Some("/x#y")).contains("invalid --path-prefix"));
        // Found by fuzzing: the base is canonical (percent-encoded as requested).
        assert_eq!(base("a:1", Some("/é")), "http://a:1/%C3%A9");
        assert_eq!(base("http://a:1/%C3%A9", None), "http://a:1/%C3%A9");
    }
}
