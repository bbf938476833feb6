//! `etcdpy watch` as the watch suites start it.

use crate::support::api::etcdpy_on;
use crate::support::harness::{Etcd, EtcdpyCmd};

/// `etcdpy --api API watch PREFIX -r --initial --timeout 1s`: a prefix's initial state, then a
/// second of changes (exit 5 when none comes).
pub fn initial_state(etcd: &Etcd, api: &str, prefix: &str) -> EtcdpyCmd {
    etcdpy_on(etcd, api).args(["watch", prefix, "-r", "--initial", "--timeout", "1s"])
}
