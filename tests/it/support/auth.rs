//! A server with auth on (set up with etcdctl): root, and alice whose role may read and write
//! `/app/` and lock `/_locks/app/` only.

use crate::support::harness::{Etcd, EtcdBin, etcdpy};
use std::process::Output;

pub const ROOT: &str = "root:R00t-pw-5x";

/// alice's password (she may read and write `/app/` only).
pub const PASSWORD: &str = "Al1ce-secret-pw";

/// A fresh server with auth on: root, and alice with role `app`.
pub fn auth_etcd(bin: &EtcdBin) -> Etcd {
    let etcd = Etcd::start(bin);
    enable_auth(|args| etcd.etcdctl(args));
    etcd
}

/// Turns auth on (root, and alice with role `app`) with `etcdctl`, which runs etcdctl with
/// the given arguments against the server or cluster.
pub fn enable_auth(etcdctl: impl Fn(&[&str]) -> Output) {
    let alice = format!("alice:{PASSWORD}");
    for args in [
        &["user", "add", ROOT][..],
        &["role", "add", "app"],
        &[
            "role",
            "grant-permission",
            "app",
            "readwrite",
            "/app/",
            "--prefix",
        ],
        &[
            "role",
            "grant-permission",
            "app",
            "readwrite",
            "/_locks/app/",
            "--prefix",
        ],
        &["user", "add", &alice],
        &["user", "grant-role", "alice", "app"],
        &["user", "grant-role", "root", "root"],
        &["auth", "enable"],
    ] {
        as_root(&etcdctl, args);
    }
}

/// etcdctl as root.
#[track_caller]
pub fn root_ctl(etcd: &Etcd, args: &[&str]) -> String {
    as_root(|args| etcd.etcdctl(args), args)
}

#[track_caller]
fn as_root(etcdctl: impl Fn(&[&str]) -> Output, args: &[&str]) -> String {
    let mut all = vec!["--user", ROOT];
    all.extend_from_slice(args);
    let out = etcdctl(&all);
    assert!(
        out.status.success() || args == ["user", "add", ROOT],
        "etcdctl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// etcdpy as alice, the password from ETCDPY_PASSWORD.
pub fn alice(etcd: &Etcd) -> crate::support::harness::EtcdpyCmd {
    etcdpy()
        .endpoint(etcd)
        .args(["--user", "alice"])
        .env("ETCDPY_PASSWORD", PASSWORD)
}
