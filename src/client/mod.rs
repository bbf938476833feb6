//! The etcd client: HTTP/1.1 to the v3 gateway (bulk reads over etcd's gRPC
//! API where the endpoint carries it), failover across endpoints,
//! etcd's answers turned into typed errors and plain result types. It knows
//! etcd and HTTP, nothing about terminals, and never prints.

mod backoff;
mod checkpoint;
mod defrag;
mod dumpfile;
mod edit;
mod election;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod history;
mod history_diff;
mod initial;
mod lease_admin;
mod lock_admin;
mod migrate;
mod mutex;
mod options;
mod peer;
mod recipes;
mod request;
mod resync;
mod roles;
mod rollback;
mod semaphore;
mod session;
mod tls;
mod transfer;
mod usage;
pub mod v2;
pub(crate) mod v3;
pub(crate) mod wait;

/// Key ranges are computed in the leaf [`crate::keys`]; re-exported for the client's own use.
pub use crate::keys::prefix_end;
pub use checkpoint::{Checkpoint, Owner};
pub use defrag::{DEFAULT_QUOTA, DefragOptions, Outcome, Progress, Refusal, Sweep, Target, Visit};
pub use dumpfile::{DumpFile, Ending};
pub use edit::Guarded;
pub use election::Observe;
pub use error::{Error, Kind, Result};
pub use history::{History, Operation, Revision};
pub use history_diff::{Compared, Side};
pub use initial::SpanPages;
pub use lease_admin::Lease;
pub use lock_admin::LockState;
pub use migrate::{Follow, Followed, TTL_SLACK, V2Tree};
pub use mutex::{Held, Mutex, Recipe, Waited, Watcher, lock_name};
pub use options::{
    ClientCert, Credentials, DEFAULT_ENDPOINT, DEFAULT_PORT, Endpoint, Options, Transport, bracket,
    parse_endpoint,
};
pub use recipes::{LeaseTtls, SpanWatch};
pub use resync::{Diff, State};
pub use roles::{
    At, Awaiting, Backend, Changes, Cluster, Conditions, Entry, Found, Keys, Leveled, Listing,
    Locking, Locks, Nearby, Paged, Refreshed, V3Only, Watching, Written,
};
pub use rollback::{
    KeyRollback, LeaseFate, PrefixRollback, PrefixWritten, compacted, compaction_floor,
};
pub use session::{Lost, Session};
pub use transfer::{Aborted, Action, Applied, Counts, OwnWrites, Prune, Source, Transfer, Wanted};
pub use usage::{Row, Tally, Usage, usage};
pub use v2::{Api, Node, V2, V2Conditions, V2Listing, V2Mutex};
pub use v3::cluster::{ClusterView, Confirmed, Member, MemberStatus, Probe, Role, Verdict};
pub use v3::kv::{Compare, Condition, Op, OpResult, TxnOutcome};
pub use v3::lease::LeaseInfo;
pub use v3::listing::{Level, Pages};
pub use v3::lock::{Acquired, Holder, HolderNote};
pub use v3::maintenance::Alarm;
pub use v3::pager::Pager;
pub use v3::range::{KeyValue, RangePage, RangeSpec};
pub use v3::snapshot::Snapshot;
pub use v3::watch::{EventKind, Watch, WatchEvent, WatchSpec};
pub use wait::{Reached, Until, wait};

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use v3::{auth, classify, unary};

pub struct Client {
    http: reqwest::Client,
    endpoints: Vec<String>,
    /// The endpoint that answered last; requests start there. Shared with
    /// every clone (a pager's reads), so that a member left once stays left.
    current: Arc<AtomicUsize>,
    dial_timeout: Duration,
    command_timeout: Duration,
    auth: Option<Arc<auth::Auth>>,
    tracer: Option<Tracer>,
    /// How bulk reads travel.
    transport: Transport,
    /// What the HTTP clients are made from (the gRPC one on first use).
    options: Arc<Options>,
    grpc: Arc<OnceLock<Result<reqwest::Client>>>,
    /// Which endpoints carry gRPC, as learnt during the run.
    routes: Arc<unary::Routes>,
    /// Whether the servers have etcd 3.7's RangeStream, as learnt during the run
    /// (`v3/stream.rs`).
    streams: Arc<std::sync::atomic::AtomicU8>,
}

/// One HTTP request as `--debug` reports it, secrets already redacted.
pub struct Exchange<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: Vec<(&'a str, String)>,
    pub body: &'a [u8],
    /// The status of the answer, or why there was none.
    pub outcome: std::result::Result<u16, String>,
    /// Until the answer's headers arrived.
    pub elapsed: Duration,
    /// Over etcd's gRPC API (HTTP/2; `body` shows the request as the
    /// gateway's JSON), not the gateway.
    pub grpc: bool,
}

/// Receives every request made (`--debug`); the client itself never prints.
pub type Tracer = Arc<dyn Fn(&Exchange) + Send + Sync>;

/// Whether a request may be sent again to another endpoint after it may
/// already have reached a server.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Retry {
    /// Reads and other requests that change nothing: retried on any failure.
    Idempotent,
    /// Writes that cannot apply twice (a compare that a repeat fails) or
    /// whose repeat changes nothing (a key on a lease granted for it): as
    /// `Once`, and also moved off a member found to hang (see
    /// `failover::Silence::MoveOn`). A broken connection is not enough: a
    /// repeat of a write that was applied would fail its compare and be
    /// reported as a conflict.
    Guarded,
    /// Writes: moved to another endpoint only when the first surely did not
    /// apply them (connection refused, "no leader" before proposing).
    Once,
}

impl Clone for Client {
    fn clone(&self) -> Self {
        Client {
            http: self.http.clone(),
            endpoints: self.endpoints.clone(),
            current: self.current.clone(),
            dial_timeout: self.dial_timeout,
            command_timeout: self.command_timeout,
            auth: self.auth.clone(),
            tracer: self.tracer.clone(),
            transport: self.transport,
            options: self.options.clone(),
            grpc: self.grpc.clone(),
            routes: self.routes.clone(),
            streams: self.streams.clone(),
        }
    }
}

impl Options {
    /// An HTTP client with these TLS settings, timeouts and resolved names:
    /// HTTP/1.1 only for the gateway, or HTTP/2 only for gRPC (with prior
    /// knowledge on plain http, `h2` by ALPN on https).
    fn build_http(&self, grpc: bool) -> Result<reqwest::Client> {
        // Reading the system's CA store takes longer than a whole plain-http
        // command: only for https endpoints (or ones --discover may add).
        let tls = self.discover || self.endpoints.iter().any(|e| e.starts_with("https://"));
        let mut builder = reqwest::Client::builder().tls_built_in_root_certs(tls);
        if let Some((path, pem)) = &self.ca_cert {
            let cert = reqwest::Certificate::from_pem(pem).map_err(|e| {
                Error::invalid(format!("--cacert {path} is not a PEM certificate: {e}"))
            })?;
            builder = builder.add_root_certificate(cert);
        }
        if let Some(client) = &self.client_cert {
            let mut pem = client.cert.clone();
            pem.push(b'\n');
            pem.extend_from_slice(&client.key);
            let identity = reqwest::Identity::from_pem(&pem).map_err(|e| {
                Error::invalid(format!(
                    "--cert {} and --key {} are not a PEM certificate and private key: {}",
                    client.cert_path,
                    client.key_path,
                    classify::root_cause(&e)
                ))
            })?;
            builder = builder.identity(identity);
        }
        if self.insecure_skip_tls_verify {
            builder = builder.danger_accept_invalid_certs(true);
        }
        // With --cacert, rustls as `tls` sets it up (the files were checked above, for the same
        // messages): a self-signed server certificate given as --cacert is accepted.
        if let Some(config) = tls::config(self, grpc)? {
            builder = builder.use_preconfigured_tls(config);
        }
        for (host, ips) in &self.resolve {
            // The port given here is not used: each URL has its own.
            let addrs: Vec<std::net::SocketAddr> = ips
                .iter()
                .map(|ip| std::net::SocketAddr::new(*ip, 0))
                .collect();
            builder = builder.resolve_to_addrs(host, &addrs);
        }
        // With reqwest's http2 feature, ALPN could pick h2 for the gateway over
        // TLS: the gateway stays on HTTP/1.1.
        builder = if grpc {
            builder.http2_prior_knowledge()
        } else {
            builder.http1_only()
        };
        builder
            // A redirect is no etcd answer; following it would resend the request (and any
            // credentials) to wherever the server points.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.dial_timeout)
            .tcp_keepalive(Duration::from_secs(15))
            .tcp_nodelay(true)
            .pool_idle_timeout(Duration::from_secs(60))
            .user_agent(concat!("etcdpy/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| match &self.client_cert {
                // rustls checks that the key belongs to the certificate here.
                Some(client) => Error::invalid(format!(
                    "--cert {} and --key {} cannot be used: {}",
                    client.cert_path,
                    client.key_path,
                    classify::root_cause(&e)
                )),
                None => Error::unexpected(format!("cannot set up the HTTP client: {e}")),
            })
    }
}

impl Client {
    pub fn new(options: &Options) -> Result<Client> {
        if options.transport == Transport::Grpc
            && let Some(endpoint) = options.endpoints.iter().find(|e| unary::has_prefix(e))
        {
            return Err(Error::invalid(format!(
                "--transport grpc: the endpoint {endpoint} has a path prefix, which etcd's gRPC API cannot be reached under; use --transport auto or gateway"
            )));
        }
        let http = options.build_http(false)?;
        Ok(Client {
            http,
            endpoints: options.endpoints.clone(),
            current: Arc::default(),
            dial_timeout: options.dial_timeout,
            command_timeout: options.command_timeout,
            auth: options
                .credentials
                .clone()
                .map(|c| Arc::new(auth::Auth::new(c))),
            tracer: None,
            transport: options.transport,
            options: Arc::new(options.clone()),
            grpc: Arc::default(),
            routes: Arc::default(),
            streams: Arc::default(),
        })
    }

    /// Report every request to `tracer` (`--debug`).
    pub fn set_tracer(&mut self, tracer: Tracer) {
        self.tracer = Some(tracer);
    }

    /// Add the client URLs the cluster advertises to the endpoints
    /// (`--discover`). Without an answer, the given endpoints stay as they are.
    pub async fn discover(&mut self) {
        if let Ok(members) = self.member_list().await {
            for url in members.into_iter().flat_map(|m| m.client_urls) {
                let url = url.trim_end_matches('/').to_string();
                if !self.endpoints.contains(&url) {
                    self.endpoints.push(url);
                }
            }
        }
    }

    fn start_index(&self) -> usize {
        self.current.load(Ordering::Relaxed) % self.endpoints.len().max(1)
    }

    fn set_current(&self, index: usize) {
        self.current.store(index, Ordering::Relaxed);
    }
}

/// Lease IDs are shown as lower-case hex, as etcd's lock keys and etcdctl do.
pub fn lease_hex(id: i64) -> String {
    format!("{id:x}")
}
