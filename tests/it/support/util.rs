//! Helpers the command tests share: assertions on a run, and reading or
//! writing etcd state through etcdctl, independently of etcdpy.

use crate::support::harness::{Etcd, EtcdpyCmd, Run, http};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::path::PathBuf;

/// Assert the run ended with `code`, showing the whole run if not.
#[track_caller]
pub fn expect(run: &Run, code: i32) {
    assert_eq!(run.code, code, "unexpected exit code\n{run:?}");
}

/// The store's current revision, read over the HTTP gateway at `port` (not through etcdpy).
#[track_caller]
pub fn revision(port: u16) -> i64 {
    let (status, body) =
        http(port, "POST", "/v3/kv/range", Some(r#"{"key":"AA=="}"#)).expect("range");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["header"]["revision"].as_str().unwrap().parse().unwrap()
}

/// Write a key with etcdctl; the revision of the write.
#[track_caller]
pub fn put(etcd: &Etcd, key: &str, value: &str) -> i64 {
    header_revision(etcd.etcdctl(&["put", key, value, "-w", "json"]), "put")
}

/// Delete `key` with etcdctl; the store's revision after the delete.
#[track_caller]
pub fn del(etcd: &Etcd, key: &str) -> i64 {
    header_revision(etcd.etcdctl(&["del", key, "-w", "json"]), "del")
}

/// `header.revision` of an etcdctl `-w json` answer. Other tests write to
/// the shared server at the same time, so a test compares revisions with
/// these, never with "the previous one + 1".
#[track_caller]
fn header_revision(out: std::process::Output, what: &str) -> i64 {
    assert!(
        out.status.success(),
        "etcdctl {what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("etcdctl json");
    doc["header"]["revision"]
        .as_i64()
        .unwrap_or_else(|| panic!("etcdctl {what}: no header.revision"))
}

/// A key as etcd holds it, read with etcdctl: (value, lease, mod revision).
pub struct Stored {
    pub value: Vec<u8>,
    pub lease: i64,
    pub mod_revision: i64,
}

#[track_caller]
pub fn stored(etcd: &Etcd, key: &str) -> Option<Stored> {
    let out = etcd.etcdctl(&["get", key, "-w", "json"]);
    assert!(
        out.status.success(),
        "etcdctl get failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("etcdctl json");
    let kv = doc.get("kvs")?.as_array()?.first()?.clone();
    Some(Stored {
        value: kv
            .get("value")
            .and_then(|v| v.as_str())
            .map(|v| STANDARD.decode(v).unwrap())
            .unwrap_or_default(),
        lease: kv.get("lease").and_then(|v| v.as_i64()).unwrap_or(0),
        mod_revision: kv.get("mod_revision").and_then(|v| v.as_i64()).unwrap_or(0),
    })
}

/// How many keys start with `prefix`, counted by etcdctl.
#[track_caller]
pub fn count(etcd: &Etcd, prefix: &str) -> usize {
    let out = etcd.etcdctl(&["get", prefix, "--prefix", "--keys-only"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .count()
}

/// Load `n` keys `<prefix>/NNNNN` with `value_len`-byte values, 100 per
/// etcdctl transaction.
#[track_caller]
pub fn load(etcd: &Etcd, prefix: &str, n: usize, value_len: usize) {
    let value = "v".repeat(value_len);
    let mut start = 0;
    while start < n {
        let end = (start + 100).min(n);
        let mut script = String::from("\n");
        for i in start..end {
            script.push_str(&format!("put {prefix}/{i:05} {value}\n"));
        }
        script.push_str("\n\n");
        let mut child = std::process::Command::new(etcd.etcdctl_path())
            .args(["--endpoints", &etcd.endpoint(), "txn"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("etcdctl txn");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(script.as_bytes())
            .unwrap();
        assert!(child.wait().unwrap().success(), "etcdctl txn failed");
        start = end;
    }
}

/// The lease IDs etcd knows, listed by etcdctl.
pub fn leases(etcd: &Etcd) -> Vec<String> {
    let out = etcd.etcdctl(&["lease", "list"]);
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A hand-made dump `text` (header and key lines) with the end line `etcdpy dump` writes
/// after a complete read: the key lines' count and the SHA-256 of every byte before it,
/// computed by coreutils' `sha256sum`, independently of etcdpy.
pub fn sealed(text: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("sha256sum")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("sha256sum");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let sum = String::from_utf8_lossy(&out.stdout);
    let sum = sum.split_whitespace().next().expect("a sum");
    let keys = text.lines().count().saturating_sub(1);
    format!("{text}{{\"end\":\"etcdpy\",\"keys\":{keys},\"sha256\":\"{sum}\"}}\n")
}

/// etcdpy under `prlimit --as` (its address space, in MiB): a regression that makes it read
/// without bound fails the test instead of exhausting the machine.
pub fn capped(mib: u64) -> EtcdpyCmd {
    EtcdpyCmd::with_program("prlimit")
        .arg(format!("--as={}", mib << 20))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_etcdpy"))
}

/// Write `bytes` to the file `name` in `dir`; its path.
pub fn file(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
