//! The API a command suite's case runs on: an API-neutral case runs on `--api v3` against every
//! configured etcd and on `--api v2` against those that serve it (3.4 and 3.5, see
//! [`EtcdBin::has_v2`]). Keys are written independently of etcdpy on either: etcdctl on v3, the
//! v2 HTTP API itself on v2.

use crate::support::harness::{
    Etcd, EtcdBin, EtcdpyCmd, etcdpy, for_each_etcd, for_each_etcd_v2, http,
};
use crate::support::util::put;

/// Runs `f(bin, "v3")` for every configured etcd, then `f(bin, "v2")` for those serving v2.
#[track_caller]
pub fn for_each_api(f: impl Fn(&EtcdBin, &str)) {
    for_each_etcd(|bin| f(bin, "v3"));
    for_each_etcd_v2(|bin| f(bin, "v2"));
}

/// `etcdpy --endpoints ETCD --api API`.
pub fn etcdpy_on(etcd: &Etcd, api: &str) -> EtcdpyCmd {
    etcdpy().endpoint(etcd).args(["--api", api])
}

/// Writes `key` = `value` into `api`'s keyspace without etcdpy (etcdctl on v3, an HTTP PUT to
/// /v2/keys on v2).
#[track_caller]
pub fn put_on(etcd: &Etcd, api: &str, key: &str, value: &str) {
    match api {
        "v3" => {
            put(etcd, key, value);
        }
        "v2" => {
            let path = format!(
                "/v2/keys{}?value={}",
                escaped(key, true),
                escaped(value, false)
            );
            let (status, body) = http(etcd.port(), "PUT", &path, None).expect("v2 PUT");
            assert!(
                status == 200 || status == 201,
                "v2 PUT {key}: {status} {body}"
            );
        }
        other => panic!("no API {other}"),
    }
}

/// Percent-encoded for a URL's path (`/` kept) or its query.
fn escaped(text: &str, path: bool) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b'/' if path => "/".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
