//! Options resolved once: endpoints parsed and validated, timeouts, output
//! format, colour decided. Nothing below this reads the environment or the
//! command line again.

use crate::cli::{GlobalArgs, Matches, Protocol, TransportChoice};
use crate::client::{
    Api, ClientCert, Credentials, DEFAULT_ENDPOINT, DEFAULT_PORT, Options, Transport, bracket,
    parse_endpoint,
};
use crate::commands::destination::DestinationArgs;
use crate::discovery::SrvQuery;
use crate::error::{Error, Result};
use crate::keys::KeyEncoding;
use crate::output::debug::CurlOptions;
use crate::output::{ColorChoice, OutputOptions};
use std::io::IsTerminal;

mod guard;
mod layers;
mod show;
pub use layers::{Layers, Source};
pub use show::{describe, worked};

/// The context in use, as the guards and the notices need it.
#[derive(Debug, Clone, Default)]
pub struct InUse {
    pub name: String,
    pub read_only: bool,
    pub confirm: bool,
    pub label: Option<String>,
    /// The context's options the environment overrides: (key, variable), for --debug.
    pub shadowed: Vec<(String, String)>,
    /// The context's options left out: the person named the servers or the user otherwise.
    pub left_out: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// What the client is given (endpoints, TLS, credentials, timeouts).
    pub client: Options,
    /// Format, colour and terminals, for `output`.
    pub output: OutputOptions,
    /// How key arguments are written (`--key-encoding`).
    pub key_encoding: KeyEncoding,
    /// Endpoints to look up in DNS before the first request (they replace
    /// the client's; see `discovery::client_options`).
    pub srv: Option<SrvQuery>,
    /// The password was typed on the command line (warn: others can see it).
    pub password_on_command_line: bool,
    /// `--debug`: trace every HTTP request on stderr.
    pub debug: bool,
    /// `--api`: which of etcd's APIs (and keyspaces) the commands work on.
    pub api: Api,
    /// etcdctl's variables set here whose ETCDPY_* counterpart is not (names only): etcdpy
    /// ignores them, and says so when it cannot connect.
    pub etcdctl_env: Vec<String>,
    /// The context in use (`--context`, ETCDPY_CONTEXT, the config file's current one).
    pub context: Option<InUse>,
    /// `--yes`: a context's `confirm` is answered.
    pub yes: bool,
}

impl Config {
    pub fn resolve(args: &GlobalArgs, matches: &Matches, layers: &Layers) -> Result<Config> {
        let from_cli = |id: &str| matches.typed(id);
        let endpoints = endpoints(args, &from_cli)?;
        let srv = srv(args)?;
        // clap's `requires` already makes --cert and --key come as a pair.
        let (ca_cert, client_cert) = tls_files(
            ["--cacert", "--cert", "--key"],
            args.cacert.as_deref(),
            args.client_cert.as_deref().zip(args.client_key.as_deref()),
        )?;
        let (credentials, password_on_command_line) =
            credentials(args, &from_cli, layers.password_command())?;
        Ok(Config {
            client: Options {
                endpoints,
                dial_timeout: args.dial_timeout,
                command_timeout: args.command_timeout,
                discover: args.discover,
                ca_cert,
                client_cert,
                insecure_skip_tls_verify: args.insecure_skip_tls_verify,
                resolve: Vec::new(),
                credentials,
                transport: match args.transport {
                    TransportChoice::Auto => Transport::Auto,
                    TransportChoice::Gateway => Transport::Gateway,
                    TransportChoice::Grpc => Transport::Grpc,
                },
            },
            password_on_command_line,
            debug: args.debug,
            api: args.api,
            srv,
            output: output_options(args),
            key_encoding: args.key_encoding,
            etcdctl_env: etcdctl_env(),
            context: layers.context.as_ref().map(|c| InUse {
                name: c.name.clone(),
                read_only: c.read_only,
                confirm: c.confirm,
                label: c.label.clone(),
                shadowed: layers.shadowed.clone(),
                left_out: layers.left_out.clone(),
            }),
            yes: args.yes,
        })
    }
}

/// The endpoints: --endpoints, or the single-server form (--host/--port/--protocol), or
/// the default; the one typed wins when both are given, else giving both is an error.
fn endpoints(args: &GlobalArgs, from_cli: &dyn Fn(&str) -> bool) -> Result<Vec<String>> {
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
    Ok(endpoints.into_iter().map(|e| e.base).collect())
}

impl Config {
    /// The output options alone, for commands that need no server (`context`).
    pub fn output_only(args: &GlobalArgs) -> OutputOptions {
        output_options(args)
    }
}

/// Format, colour and the terminals, decided once.
fn output_options(args: &GlobalArgs) -> OutputOptions {
    let stdout_tty = std::io::stdout().is_terminal();
    let stderr_tty = std::io::stderr().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let decide = |tty: bool| match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && !no_color,
    };
    OutputOptions {
        format: args.output,
        color: decide(stdout_tty),
        color_stderr: decide(stderr_tty),
        stdout_tty,
        stderr_tty,
    }
}

/// `--discovery-srv`: what to look up in DNS before the first request.
fn srv(args: &GlobalArgs) -> Result<Option<SrvQuery>> {
    let Some(domain) = &args.discovery_srv else {
        return Ok(None);
    };
    Ok(Some(SrvQuery {
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
    }))
}

/// The ETCDCTL_* variables set in the environment (by name, sorted) that etcdpy has a variable
/// of its own for, which is not set: ETCDCTL_ENDPOINTS without ETCDPY_ENDPOINTS. ETCDCTL_API
/// (etcdctl's API version) has no such meaning here and is left out.
fn etcdctl_env() -> Vec<String> {
    let mut names: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| name.starts_with("ETCDCTL_") && name != "ETCDCTL_API")
        .filter(|name| std::env::var_os(name.replacen("ETCDCTL_", "ETCDPY_", 1)).is_none())
        .collect();
    names.sort();
    names
}

impl Config {
    /// A second line for a failure to connect or to authenticate while etcdctl's variables are
    /// set: etcdpy reads its own (ETCDPY_ENDPOINTS, not ETCDCTL_ENDPOINTS).
    pub fn etcdctl_env_hint(&self) -> Option<String> {
        let names = &self.etcdctl_env;
        let example = names
            .iter()
            .find(|name| *name == "ETCDCTL_ENDPOINTS")
            .or(names.first())?;
        let ours = example.replacen("ETCDCTL_", "ETCDPY_", 1);
        Some(format!(
            "etcdpy reads ETCDPY_* variables, not etcdctl's {} (set here): export {ours}=\"${example}\"",
            names.join(", ")
        ))
    }
}

impl Config {
    /// The client options of `migrate --to-endpoints` (`None` without it): the global
    /// timeouts, the destination's own endpoints, TLS files and credentials.
    pub fn destination(&self, to: &DestinationArgs) -> Result<Option<Options>> {
        if to.to_endpoints.is_empty() {
            return Ok(None);
        }
        let mut endpoints = Vec::new();
        for text in &to.to_endpoints {
            endpoints.push(parse_endpoint(text, None)?.base);
        }
        let (ca_cert, client_cert) = tls_files(
            ["--to-cacert", "--to-cert", "--to-key"],
            to.to_cacert.as_deref(),
            to.to_cert.as_deref().zip(to.to_key.as_deref()),
        )?;
        let credentials = match (&to.to_user, &to.to_password_file) {
            (Some(user), Some(path)) => Some(Credentials {
                user: user.clone(),
                password: password_file("--to-password-file", path)?,
            }),
            _ => None,
        };
        Ok(Some(Options {
            endpoints,
            discover: false,
            ca_cert,
            client_cert,
            resolve: Vec::new(),
            credentials,
            ..self.client.clone()
        }))
    }

    /// Warnings that follow from the resolved options, printed before any command runs.
    pub fn warnings(&self) -> Vec<&'static str> {
        let mut warnings = Vec::new();
        if self.client.insecure_skip_tls_verify {
            warnings.push("--insecure-skip-tls-verify: server certificates are NOT verified; anyone on the network path can read and change this traffic");
        }
        if self.password_on_command_line {
            warnings.push("a password on the command line is visible to other users of this machine; use --password-file or ETCDPY_PASSWORD");
        }
        warnings
    }
}

/// What `--debug`'s curl commands need from the client's options (after
/// discovery, which may add the addresses it resolved).
pub fn curl_options(options: &Options) -> CurlOptions {
    CurlOptions {
        ca_cert: options.ca_cert.as_ref().map(|(path, _)| path.clone()),
        client_cert: options
            .client_cert
            .as_ref()
            .map(|c| (c.cert_path.clone(), c.key_path.clone())),
        insecure: options.insecure_skip_tls_verify,
        resolve: options.resolve.clone(),
    }
}

/// The user and password from `--user NAME[:PASSWORD]`, `--password`,
/// `--password-file` and their variables, or a prompt on the terminal; and
/// whether the password was typed on the command line.
fn credentials(
    args: &GlobalArgs,
    from_cli: &dyn Fn(&str) -> bool,
    command: Option<(&str, &str)>,
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
    let read_file = |path: &std::path::Path| password_file("--password-file", path);
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
        None => match command {
            Some((context, command)) => guard::password_command(context, command)?,
            None => crate::prompt::password(&user)?,
        },
    };
    Ok((Some(Credentials { user, password }), on_command_line))
}

/// The CA bundle and the client certificate and key the options (`flags`) name, read.
type TlsFiles = (Option<(String, Vec<u8>)>, Option<ClientCert>);
fn tls_files(
    [ca_flag, cert_flag, key_flag]: [&str; 3],
    ca: Option<&std::path::Path>,
    pair: Option<(&std::path::Path, &std::path::Path)>,
) -> Result<TlsFiles> {
    let read = |flag: &str, path: &std::path::Path| {
        crate::input::option_file(flag, path).map(|bytes| (path.display().to_string(), bytes))
    };
    let ca_cert = ca.map(|p| read(ca_flag, p)).transpose()?;
    let client_cert = match pair {
        Some((cert, key)) => {
            let (cert_path, cert) = read(cert_flag, cert)?;
            let (key_path, key) = read(key_flag, key)?;
            Some(ClientCert {
                cert_path,
                cert,
                key_path,
                key,
            })
        }
        None => None,
    };
    Ok((ca_cert, client_cert))
}

/// The password in the first line of the file `flag` names (a CR before the newline dropped).
fn password_file(flag: &str, path: &std::path::Path) -> Result<String> {
    let text = crate::input::option_file(flag, path)?;
    let line = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8(line.to_vec()).map_err(|_| {
        Error::usage(format!(
            "{flag} {} does not hold UTF-8 text",
            path.display()
        ))
    })
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
