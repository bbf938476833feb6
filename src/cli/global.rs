//! The global options (`--endpoints`, `--user`, `-o`, ...): what was typed before or
//! after the command, as clap parses it; `config` resolves them once.

use crate::client::Api;
use crate::duration;
use crate::keys::KeyEncoding;
use crate::output::{ColorChoice, OutputFormat};
use clap::{Args, ValueEnum};
use std::time::Duration;

/// How bulk reads travel, for --transport.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportChoice {
    /// etcd's gRPC API where the endpoint carries it, else the v3 gateway
    Auto,
    /// The v3 JSON gateway only
    Gateway,
    /// etcd's gRPC API only
    Grpc,
}

/// http or https, for --host/--port.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    Http,
    Https,
}

#[derive(Args, Debug)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Comma-separated etcd endpoints: host:port or http(s)://host:port[/path-prefix]
    ///
    /// [default: http://127.0.0.1:2379]. An endpoint that refuses the connection or does not
    /// answer within the dial timeout is skipped and the next one tried. python-etcd:
    /// host=(('a', 4001), ('b', 4002)) is --endpoints a:4001,b:4002.
    #[arg(
        long,
        env = "ETCDPY_ENDPOINTS",
        value_delimiter = ',',
        global = true,
        value_name = "ENDPOINTS"
    )]
    pub endpoints: Vec<String>,

    /// Find the endpoints in DNS (python-etcd's srv_domain=): SRV records _etcd-client-ssl._tcp.DOMAIN
    /// (https) and _etcd-client._tcp.DOMAIN (http), as etcdctl; --protocol limits it to one of them.
    /// When they find nothing, python-etcd's _etcd._tcp.DOMAIN (with --protocol, http by default)
    #[arg(long, env = "ETCDPY_DISCOVERY_SRV", global = true, value_name = "DOMAIN", conflicts_with_all = ["endpoints", "host", "port"], hide_short_help = true)]
    pub discovery_srv: Option<String>,

    /// Service name for --discovery-srv (like etcdctl): looks up _etcd-client[-ssl]-NAME._tcp.DOMAIN
    #[arg(
        long,
        env = "ETCDPY_DISCOVERY_SRV_NAME",
        global = true,
        value_name = "NAME",
        requires = "discovery_srv",
        hide_short_help = true
    )]
    pub discovery_srv_name: Option<String>,

    /// The DNS server to ask for --discovery-srv, as IP or IP:PORT [default: the system's resolvers]
    #[arg(
        long,
        env = "ETCDPY_DNS_SERVER",
        global = true,
        value_name = "ADDR",
        hide_short_help = true
    )]
    pub dns_server: Option<String>,

    /// When the given endpoints fail, also try the client URLs the cluster advertises in its member
    /// list (python-etcd's allow_reconnect)
    #[arg(long, env = "ETCDPY_DISCOVER", global = true, hide_short_help = true)]
    pub discover: bool,

    /// Verify https endpoints with this CA certificate (PEM) instead of the system's roots
    #[arg(long, env = "ETCDPY_CACERT", global = true, value_name = "FILE")]
    pub cacert: Option<std::path::PathBuf>,

    /// Client certificate (PEM) to present to https endpoints, for etcd's --client-cert-auth;
    /// needs --key
    #[arg(
        long = "cert",
        env = "ETCDPY_CERT",
        global = true,
        value_name = "FILE",
        requires = "client_key"
    )]
    pub client_cert: Option<std::path::PathBuf>,

    /// Private key (PEM) of the --cert client certificate; needs --cert
    #[arg(
        long = "key",
        env = "ETCDPY_KEY",
        global = true,
        value_name = "FILE",
        requires = "client_cert"
    )]
    pub client_key: Option<std::path::PathBuf>,

    /// Do not verify https endpoints' certificates (insecure: anyone on the path can read and
    /// change the traffic); prints a warning on every run
    #[arg(
        long,
        env = "ETCDPY_INSECURE_SKIP_TLS_VERIFY",
        global = true,
        hide_short_help = true
    )]
    pub insecure_skip_tls_verify: bool,

    /// Authenticate to etcd as this user (etcd's auth, like etcdctl --user and python-etcd's
    /// username=)
    ///
    /// The password comes from NAME:PASSWORD, --password, --password-file or
    /// ETCDPY_PASSWORD, in that order; with none of them, it is asked for on the terminal
    #[arg(
        long,
        env = "ETCDPY_USER",
        hide_env_values = true,
        global = true,
        value_name = "NAME[:PASSWORD]"
    )]
    pub user: Option<String>,

    /// Password for --user
    #[arg(
        long,
        long_help = "Password for --user. Typed on the command line it is visible to other users of \
this machine in the process list: prefer --password-file or ETCDPY_PASSWORD",
        env = "ETCDPY_PASSWORD",
        hide_env_values = true,
        global = true,
        value_name = "PASSWORD",
        hide_short_help = true
    )]
    pub password: Option<String>,

    /// Read the password for --user from the first line of this file
    #[arg(
        long,
        env = "ETCDPY_PASSWORD_FILE",
        global = true,
        value_name = "FILE",
        hide_short_help = true
    )]
    pub password_file: Option<std::path::PathBuf>,

    /// Print every HTTP request to stderr
    ///
    /// Method, URL, status, time taken and the equivalent curl command (the Authorization header and passwords are redacted)
    #[arg(long, env = "ETCDPY_DEBUG", global = true)]
    pub debug: bool,

    /// Single-server form (python-etcd's host=): the server's host name or address
    #[arg(long, env = "ETCDPY_HOST", global = true, hide_short_help = true)]
    pub host: Option<String>,

    /// Single-server form (python-etcd's port=) [default: 2379]
    #[arg(long, env = "ETCDPY_PORT", global = true, hide_short_help = true)]
    pub port: Option<u16>,

    /// Single-server form (python-etcd's protocol=) [default: http]
    #[arg(
        long,
        env = "ETCDPY_PROTOCOL",
        value_enum,
        global = true,
        hide_short_help = true
    )]
    pub protocol: Option<Protocol>,

    /// URL path in front of /v3/..., e.g. /etcd behind a reverse proxy; applies to every endpoint
    /// that has no path of its own. With --api v2 it replaces /v2, as python-etcd's version_prefix
    /// does (/etcd/keys/KEY)
    #[arg(
        long,
        env = "ETCDPY_PATH_PREFIX",
        global = true,
        value_name = "PATH",
        hide_short_help = true
    )]
    pub path_prefix: Option<String>,

    /// Which etcd API, and so which keyspace: v3, or v2 (/v2/keys), python-etcd's, a separate
    /// store on servers run with --enable-v2
    #[arg(
        long,
        env = "ETCDPY_API",
        value_enum,
        default_value = "v3",
        global = true
    )]
    pub api: Api,
    /// How bulk reads (get -r, get DIR) reach etcd. auto: over etcd's gRPC API (HTTP/2, faster for
    /// large ranges) where the endpoint carries it, else through the gateway, silently (an endpoint
    /// with a path prefix, an HTTP/1.1-only proxy); --debug shows which. Every other request uses
    /// the gateway
    #[arg(
        long,
        env = "ETCDPY_TRANSPORT",
        value_enum,
        default_value = "auto",
        global = true,
        hide_short_help = true
    )]
    pub transport: TransportChoice,

    /// How long to wait for a TCP (and TLS) connection to an endpoint before trying the next
    #[arg(long, env = "ETCDPY_DIAL_TIMEOUT", default_value = "2s", value_parser = duration::parse_positive, allow_hyphen_values = true, global = true, value_name = "DURATION", hide_short_help = true)]
    pub dial_timeout: Duration,

    /// How long one request may take; longer than etcd's own 7 s so that a write survives a leader election
    #[arg(long, env = "ETCDPY_COMMAND_TIMEOUT", default_value = "15s", value_parser = duration::parse_positive, allow_hyphen_values = true, global = true, value_name = "DURATION", hide_short_help = true)]
    pub command_timeout: Duration,

    /// Output format
    #[arg(
        short = 'o',
        long,
        short_alias = 'w',
        alias = "write-out",
        env = "ETCDPY_OUTPUT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub output: OutputFormat,

    /// When to use colour (NO_COLOR in the environment turns auto off)
    #[arg(
        long,
        env = "ETCDPY_COLOR",
        value_enum,
        default_value = "auto",
        global = true,
        value_name = "WHEN",
        hide_short_help = true
    )]
    pub color: ColorChoice,

    /// How KEY, lock NAME and --prefix arguments are given: as text, or as standard base64 of the
    /// key's bytes (the form -o json prints with "key_encoding":"base64"), for keys that are not
    /// UTF-8 or contain NUL. Values are read as bytes either way
    #[arg(
        long,
        env = "ETCDPY_KEY_ENCODING",
        value_enum,
        default_value = "text",
        global = true,
        value_name = "ENCODING",
        hide_short_help = true
    )]
    pub key_encoding: KeyEncoding,

    // Contexts (issue 25): named clusters in the config file; see commands/context.rs.
    /// Use this context of the config file for this command (default: its current one)
    #[arg(long, env = "ETCDPY_CONTEXT", global = true, value_name = "CONTEXT")]
    pub context: Option<String>,

    /// The config file [default: $XDG_CONFIG_HOME/etcdpy/config.toml]
    #[arg(
        long,
        env = "ETCDPY_CONFIG",
        global = true,
        value_name = "FILE",
        hide_short_help = true
    )]
    pub config: Option<std::path::PathBuf>,

    /// Answer yes to a context's confirm = true (in scripts, without a terminal)
    #[arg(long, global = true, hide_short_help = true)]
    pub yes: bool,
}
