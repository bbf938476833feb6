//! `etcdpy lock` for the lock suites: a fresh lock namespace and the command under it.

use crate::support::harness::EtcdpyCmd;
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

/// [`lock_cmd`] on `api` (`--api v3` or `--api v2`).
pub fn lock_cmd_on(etcd: &Etcd, api: &str, prefix: &str, extra: &[&str]) -> EtcdpyCmd {
    etcdpy()
        .endpoint(etcd)
        .args(["--api", api, "lock", "L", "--prefix", prefix])
        .args(extra)
}
