//! `etcdpy lock` for the lock suites: a fresh lock namespace and the command under it.

use crate::support::harness::{Etcd, etcdpy, unique};

/// A fresh lock namespace: (--prefix value, the prefix etcdctl sees for NAME "L").
pub fn namespace(what: &str) -> (String, String) {
    let prefix = unique(what);
    let keys = format!("{prefix}/L/");
    (prefix, keys)
}

pub fn lock_cmd(etcd: &Etcd, prefix: &str, extra: &[&str]) -> crate::support::harness::EtcdpyCmd {
    etcdpy()
        .endpoint(etcd)
        .args(["lock", "L", "--prefix", prefix])
        .args(extra)
}
