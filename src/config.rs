//! Options resolved once: endpoints parsed and validated, timeouts, output
//! format, colour decided. Nothing below this reads the environment or the
//! command line again.

use crate::cli::{GlobalArgs, Protocol};
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use crate::output::debug::CurlOptions;
use crate::output::{ColorChoice, OutputOptions};
use clap::parser::ValueSource;
use std::io::IsTerminal;
use std::time::Duration;

/// Where the v3 gateway of one etcd member lives: `scheme://host:port[/prefix]`
/// with no trailing slash; requests go to `base + "/v3/..."`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub base: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub endpoints: Vec<Endpoint>,
    pub dial_timeout: Duration,
    pub command_timeout: Duration,
    /// Format, colour and terminals, for `output`.
    pub output: OutputOptions,
    /// How key arguments are written (`--key-encoding`).
    pub key_encoding: KeyEncoding,
    /// Endpoints to look up in DNS before the first request.
    pub srv: Option<SrvQuery>,
    /// Add the cluster's advertised client URLs when the given endpoints fail.
    pub discover: bool,
    /// A CA certificate (PEM) for https endpoints, and the file it came from.
    pub ca_cert: Option<(String, Vec<u8>)>,
    /// A client certificate and its key (PEM), and the files they came from.
    pub client_cert: Option<ClientCert>,
    /// Accept any server certificate (`--insecure-skip-tls-verify`).
    pub insecure_skip_tls_verify: bool,
    /// Host names resolved by etcdpy itself (SRV targets via --dns-server),
    /// with every address found, in the order they are tried.
    pub resolve: Vec<(String, Vec<std::net::IpAddr>)>,
    /// `--user` and its password, for etcd's authentication.
    pub credentials: Option<Credentials>,
    /// The password was typed on the command line (warn: others can see it).
    pub password_on_command_line: bool,
    /// `--debug`: trace every HTTP request on stderr.
    pub debug: bool,
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

/// `--discovery-srv`: what to look up, and where.
#[derive(Debug, Clone)]
pub struct SrvQuery {
    pub domain: String,
    pub service_name: Option<String>,
    /// `Some(true)`: only https records; `Some(false)`: only http.
    pub https: Option<bool>,
    pub dns_server: Option<std::net::SocketAddr>,
    /// How long one DNS question may wait for an answer (the dial timeout).
    pub timeout: Duration,
    pub path_prefix: Option<String>,
}

pub const DEFAULT_ENDPOINT: &str = "http://127.0.0.1:2379";
const DEFAULT_PORT: u16 = 2379;

impl Config {
    pub fn resolve(args: &GlobalArgs, matches: &clap::ArgMatches) -> Result<Config> {
        let from_cli = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
        let single = args.host.is_some() || args.port.is_some() || args.protocol.is_some();
        let use_single = match (single, !args.endpoints.is_empty()) {
            (true, true) => {
                let single_cli = from_cli("host") || from_cli("port") || from_cli("protocol");
                match (single_cli, from_cli("endpoints")) {
                    (true, false) => true,
                    (false, true) => false,
                    _ => {
                        return Err(Error::usage(
                            "--endpoints and --host/--port/--protocol name the servers twice; give one of them",
                        ));
                    }
                }
            }
            (single, _) => single,
        };
        let prefix = args.path_prefix.as_deref();
        let endpoints = if use_single {
            let host = args.host.as_deref().unwrap_or("127.0.0.1");
            let scheme = match args.protocol {
                Some(Protocol::Https) => "https",
                _ => "http",
            };
            let port = args.port.unwrap_or(DEFAULT_PORT);
            vec![parse_endpoint(
                &format!("{scheme}://{}:{port}", bracket(host)),
                prefix,
            )?]
        } else if args.endpoints.is_empty() {
            vec![parse_endpoint(DEFAULT_ENDPOINT, prefix)?]
        } else {
            let mut list = Vec::new();
            for text in &args.endpoints {
                let endpoint = parse_endpoint(text, prefix)?;
                if !list.contains(&endpoint) {
                    list.push(endpoint);
                }
            }
            list
        };

        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let decide = |tty: bool| match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        let srv = match &args.discovery_srv {
            None => None,
            Some(domain) => Some(SrvQuery {
                domain: domain.trim_end_matches('.').to_string(),
                service_name: args.discovery_srv_name.clone(),
                https: args.protocol.map(|p| p == Protocol::Https),
                dns_server: args
                    .dns_server
                    .as_deref()
                    .map(parse_dns_server)
                    .transpose()?,
                timeout: args.dial_timeout,
                path_prefix: args.path_prefix.clone(),
            }),
        };
        let read = |flag: &str, path: &std::path::Path| {
            crate::input::option_file(flag, path).map(|bytes| (path.display().to_string(), bytes))
        };
        let ca_cert = args
            .cacert
            .as_deref()
            .map(|p| read("--cacert", p))
            .transpose()?;
        // clap's `requires` already makes --cert and --key come as a pair.
        let client_cert = match (&args.client_cert, &args.client_key) {
            (Some(cert), Some(key)) => {
                let (cert_path, cert) = read("--cert", cert)?;
                let (key_path, key) = read("--key", key)?;
                Some(ClientCert {
                    cert_path,
                    cert,
                    key_path,
                    key,
                })
            }
            _ => None,
        };
        let (credentials, password_on_command_line) = credentials(args, &from_cli)?;
        Ok(Config {
            credentials,
            password_on_command_line,
            debug: args.debug,
            srv,
            discover: args.discover,
            ca_cert,
            client_cert,
            insecure_skip_tls_verify: args.insecure_skip_tls_verify,
            resolve: Vec::new(),
            endpoints,
            dial_timeout: args.dial_timeout,
            command_timeout: args.command_timeout,
            output: OutputOptions {
                format: args.output,
                color: decide(stdout_tty),
                color_stderr: decide(stderr_tty),
                stdout_tty,
                stderr_tty,
            },
            key_encoding: args.key_encoding,
        })
    }
}

impl Config {
    /// Warnings that follow from the resolved options, printed before any command runs.
    pub fn warnings(&self) -> Vec<&'static str> {
        let mut warnings = Vec::new();
        if self.insecure_skip_tls_verify {
            warnings.push("--insecure-skip-tls-verify: server certificates are NOT verified; anyone on the network path can read and change this traffic");
        }
        if self.password_on_command_line {
            warnings.push("a password on the command line is visible to other users of this machine; use --password-file or ETCDPY_PASSWORD");
        }
        warnings
    }

    /// What `--debug`'s curl commands need from the options.
    pub fn curl_options(&self) -> CurlOptions {
        CurlOptions {
            ca_cert: self.ca_cert.as_ref().map(|(path, _)| path.clone()),
            client_cert: self
                .client_cert
                .as_ref()
                .map(|c| (c.cert_path.clone(), c.key_path.clone())),
            insecure: self.insecure_skip_tls_verify,
            resolve: self.resolve.clone(),
        }
    }
}

/// The user and password from `--user NAME[:PASSWORD]`, `--password`,
/// `--password-file` and their variables, or a prompt on the terminal; and
/// whether the password was typed on the command line.
fn credentials(
    args: &GlobalArgs,
    from_cli: &dyn Fn(&str) -> bool,
) -> Result<(Option<Credentials>, bool)> {
    let Some(user_arg) = &args.user else {
        for (id, flag) in [
            ("password", "--password"),
            ("password_file", "--password-file"),
        ] {
            if from_cli(id) {
                return Err(Error::usage(format!("{flag} needs --user")));
            }
        }
        return Ok((None, false));
    };
    let (user, inline) = match user_arg.split_once(':') {
        Some((user, password)) => (user.to_string(), Some(password.to_string())),
        None => (user_arg.clone(), None),
    };
    if user.is_empty() {
        return Err(Error::usage("--user needs a user name"));
    }
    let read_file = |path: &std::path::Path| -> Result<String> {
        let text = crate::input::option_file("--password-file", path)?;
        let line = text.split(|b| *b == b'\n').next().unwrap_or_default();
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        String::from_utf8(line.to_vec()).map_err(|_| {
            Error::usage(format!(
                "--password-file {} does not hold UTF-8 text",
                path.display()
            ))
        })
    };
    // Each source: (its name, typed on the command line, the password).
    let mut given: Vec<(&str, bool, String)> = Vec::new();
    if let Some(password) = inline {
        given.push(("--user NAME:PASSWORD", from_cli("user"), password));
    }
    if let Some(password) = &args.password {
        given.push(("--password", from_cli("password"), password.clone()));
    }
    if let Some(path) = &args.password_file {
        given.push((
            "--password-file",
            from_cli("password_file"),
            read_file(path)?,
        ));
    }
    let typed: Vec<&str> = given.iter().filter(|g| g.1).map(|g| g.0).collect();
    if typed.len() > 1 {
        return Err(Error::usage(format!(
            "{} both give a password; give one",
            typed.join(" and ")
        )));
    }
    // The command line wins over the environment.
    let chosen = given.iter().find(|g| g.1).or_else(|| given.first());
    let on_command_line =
        chosen.is_some_and(|(source, typed, _)| *typed && *source != "--password-file");
    let password = match chosen {
        Some((source, _, password)) => {
            if password.is_empty() {
                return Err(Error::usage(format!("{source} gives an empty password")));
            }
            password.clone()
        }
        None => crate::prompt::password(&user)?,
    };
    Ok((Some(Credentials { user, password }), on_command_line))
}

/// `--dns-server`: `IP` (port 53) or `IP:PORT`.
fn parse_dns_server(text: &str) -> Result<std::net::SocketAddr> {
    let text = text.trim();
    if let Ok(addr) = text.parse() {
        return Ok(addr);
    }
    text.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .map(|ip| std::net::SocketAddr::new(ip, 53))
        .map_err(|_| {
            Error::usage(format!(
                "invalid --dns-server '{text}': give an IP address, optionally with :PORT"
            ))
        })
}

fn bracket(host: &str) -> String {
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
    let bad = |why: &str| Error::usage(format!("invalid endpoint '{text}': {why}"));
    if text.is_empty() {
        return Err(bad("it is empty"));
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
        return Err(Error::usage(format!(
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
