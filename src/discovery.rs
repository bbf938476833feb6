//! Finding the endpoints before the first request: DNS SRV records
//! (`--discovery-srv`, python-etcd's `srv_domain=`), asked of the system's
//! resolvers or of `--dns-server`. What they name goes into the client's
//! options; the resolved `Config` is left as it is.

use crate::client::{Endpoint, Options, parse_endpoint};
use crate::error::{Error, Result};
use crate::exit::Exit;
use hickory_resolver::TokioResolver;
use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;
use std::net::IpAddr;
use std::time::Duration;

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

/// The client's options: `given`, with the endpoints the SRV records name
/// (and the addresses found for them) when there is a `query` (`--discovery-srv`).
pub async fn client_options(given: &Options, query: Option<&SrvQuery>) -> Result<Options> {
    let mut options = given.clone();
    if let Some(query) = query {
        let (endpoints, resolve) = lookup(query).await?;
        options.endpoints = endpoints.into_iter().map(|e| e.base).collect();
        options.resolve = resolve;
    }
    Ok(options)
}

/// The endpoints the SRV records name, in the order to try them, and the
/// addresses of their hosts when `--dns-server` names the DNS server.
async fn lookup(query: &SrvQuery) -> Result<(Vec<Endpoint>, Vec<(String, Vec<IpAddr>)>)> {
    let resolver = resolver(query)?;
    let (names, etcdctl_names) = srv_names(query);
    let mut found: Vec<Found> = Vec::new();
    // What each lookup got, for the message; `failed` when one got no answer (timeout,
    // REFUSED, SERVFAIL) rather than "no such records".
    let mut outcomes: Vec<String> = Vec::new();
    let mut failed = false;
    // Every name at once (there are at most three), so that a silent DNS
    // server costs one wait, not one per name.
    let ask = |index: usize| {
        let name = names.get(index).map(|(n, _)| n.clone());
        let resolver = &resolver;
        async move {
            match name {
                Some(name) => Some(resolver.srv_lookup(name.as_str()).await),
                None => None,
            }
        }
    };
    let (first, second, third) = tokio::join!(ask(0), ask(1), ask(2));
    let answers: Vec<_> = [first, second, third].into_iter().flatten().collect();
    for (index, ((name, scheme), answer)) in names.iter().zip(answers).enumerate() {
        if index == etcdctl_names && !found.is_empty() {
            break;
        }
        // A missing record is an answer ("none here"), not a failure.
        match answer {
            Ok(lookup) => {
                let before = found.len();
                for record in lookup.answers() {
                    if let RData::SRV(srv) = &record.data {
                        let host = srv.target.to_utf8().trim_end_matches('.').to_string();
                        found.push((srv.priority, u16::MAX - srv.weight, host, srv.port, scheme));
                    }
                }
                if found.len() == before {
                    outcomes.push(format!("{}: no SRV records", name.trim_end_matches('.')));
                }
            }
            Err(e) if e.is_no_records_found() => {
                outcomes.push(format!("{}: no SRV records", name.trim_end_matches('.')));
            }
            Err(e) => {
                failed = true;
                outcomes.push(format!("{}: {e}", name.trim_end_matches('.')));
            }
        }
    }
    if found.is_empty() {
        return Err(none_found(query, &names, &outcomes, failed));
    }
    found.sort();
    endpoints(query, &resolver, found).await
}

/// One SRV record found: (priority, weight from the top, host, port, scheme), in the order
/// to try them.
type Found = (u16, u16, String, u16, &'static str);

/// The SRV names to ask, each with its scheme, and how many of them are etcdctl's
/// (`_etcd-client-ssl`, `_etcd-client`; python-etcd's `_etcd` comes after them).
fn srv_names(query: &SrvQuery) -> (Vec<(String, &'static str)>, usize) {
    let suffix = query
        .service_name
        .as_ref()
        .map(|n| format!("-{n}"))
        .unwrap_or_default();
    let mut names = Vec::new();
    if query.https != Some(false) {
        names.push((
            format!("_etcd-client-ssl{suffix}._tcp.{}.", query.domain),
            "https",
        ));
    }
    if query.https != Some(true) {
        names.push((
            format!("_etcd-client{suffix}._tcp.{}.", query.domain),
            "http",
        ));
    }
    // python-etcd's own record (`srv_domain=`), with its protocol (http unless
    // told otherwise): used only when etcdctl's names find nothing. It knows
    // no service name.
    let etcdctl_names = names.len();
    if query.service_name.is_none() {
        let scheme = if query.https == Some(true) {
            "https"
        } else {
            "http"
        };
        names.push((format!("_etcd._tcp.{}.", query.domain), scheme));
    }
    (names, etcdctl_names)
}

/// Unreachable, when no name had a record: the names asked, or, when a lookup got no answer,
/// what each one got.
fn none_found(
    query: &SrvQuery,
    names: &[(String, &str)],
    outcomes: &[String],
    failed: bool,
) -> Error {
    let asked = query
        .dns_server
        .map(|a| a.to_string())
        .unwrap_or_else(|| "the system's resolvers".into());
    let tried: Vec<&str> = names.iter().map(|(n, _)| n.trim_end_matches('.')).collect();
    let message = if !failed {
        format!(
            "no etcd endpoints found in DNS: no SRV records for {} (asked {asked})",
            tried.join(" or ")
        )
    } else {
        format!(
            "no etcd endpoints found in DNS (asked {asked}): {}",
            outcomes.join("; ")
        )
    };
    Error::new(Exit::Unreachable, message)
}

/// The endpoints of the records `found` (sorted), each once, and the addresses of their
/// hosts when `--dns-server` names the DNS server.
async fn endpoints(
    query: &SrvQuery,
    resolver: &TokioResolver,
    found: Vec<Found>,
) -> Result<(Vec<Endpoint>, Vec<(String, Vec<IpAddr>)>)> {
    let mut endpoints: Vec<Endpoint> = Vec::new();
    let mut addresses: Vec<(String, Vec<IpAddr>)> = Vec::new();
    for (_, _, host, port, scheme) in found {
        let endpoint = parse_endpoint(
            &format!("{scheme}://{host}:{port}"),
            query.path_prefix.as_deref(),
        )?;
        if endpoints.contains(&endpoint) {
            continue;
        }
        // Targets named by a DNS server of our choosing resolve there too: every
        // address, tried in turn (one may be unreachable, e.g. an AAAA where the
        // member listens on IPv4 only).
        if query.dns_server.is_some()
            && !addresses.iter().any(|(h, _)| *h == host)
            && let Ok(ips) = resolver.lookup_ip(format!("{host}.").as_str()).await
        {
            let ips: Vec<IpAddr> = ips.iter().collect();
            if !ips.is_empty() {
                addresses.push((host.clone(), ips));
            }
        }
        endpoints.push(endpoint);
    }
    Ok((endpoints, addresses))
}

fn resolver(query: &SrvQuery) -> Result<TokioResolver> {
    let failed = |e: &dyn std::fmt::Display| {
        Error::new(
            Exit::Unreachable,
            format!("cannot set up DNS resolution: {e}"),
        )
    };
    let mut builder = match query.dns_server {
        None => TokioResolver::builder_tokio().map_err(|e| failed(&e))?,
        Some(addr) => {
            let mut udp = ConnectionConfig::udp();
            udp.port = addr.port();
            let mut tcp = ConnectionConfig::tcp();
            tcp.port = addr.port();
            let server = NameServerConfig::new(addr.ip(), true, vec![udp, tcp]);
            let config = ResolverConfig::from_name_servers(vec![server]);
            TokioResolver::builder_with_config(config, TokioRuntimeProvider::default())
        }
    };
    // A silent DNS server costs one dial timeout per transport (UDP, then TCP).
    builder.options_mut().timeout = query.timeout;
    builder.options_mut().attempts = 1;
    builder.build().map_err(|e| failed(&e))
}
