//! `compact --keep-revisions` and `alarm list` / `alarm disarm` against a real cluster, checked
//! with etcdctl (moved from the operator suite).

use crate::support::cluster::{Cluster, alarm_lines, cluster_args};
use crate::support::harness::{EtcdBin, etcdpy, for_each_etcd, http};
use crate::support::pty::pty_to_type_into;
use crate::support::util::expect;
use std::process::Command;

/// A member ID (decimal) and NOSPACE raised by hand over the gateway.
fn raise_nospace(bin: &EtcdBin, port: u16) {
    let (_, status) = http(port, "POST", "/v3/maintenance/status", Some("{}")).unwrap();
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    let id = status["header"]["member_id"].as_str().unwrap();
    let body = format!(r#"{{"action":"ACTIVATE","memberID":"{id}","alarm":"NOSPACE"}}"#);
    let (code, answer) = http(port, "POST", "/v3/maintenance/alarm", Some(&body)).unwrap();
    assert_eq!(code, 200, "etcd {}: {answer}", bin.version);
}

#[test]
fn compact_keep_revisions_and_alarms_agree_with_etcdctl() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 1);
        for n in 0..10 {
            cluster.etcdctl(0, &["put", "k", &n.to_string()]);
        }
        let doc = cluster.etcdctl(0, &["get", "k", "-w", "json"]);
        let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
        let current = doc["header"]["revision"].as_i64().unwrap();
        let args = cluster_args(&cluster);
        let run = etcdpy()
            .args(&args)
            .args(["compact", "--keep-revisions", "3", "--dry-run"])
            .run();
        expect(&run, 0);
        let run = etcdpy()
            .args(&args)
            .args([
                "compact",
                "--keep-revisions",
                "3",
                "--physical",
                "-o",
                "json",
            ])
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["revision"], current - 3);
        // etcdctl: the revision compacted to is readable, the one before it is gone.
        let kept = (current - 3).to_string();
        cluster.etcdctl(0, &["get", "k", "--rev", &kept]);
        let gone = Command::new(&cluster.etcdctl)
            .env("ETCDCTL_API", "3")
            .args(["--endpoints", &cluster.endpoints(), "get", "k", "--rev"])
            .arg((current - 4).to_string())
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&gone.stderr).contains("compacted"));
        // Again: already compacted, exit 10 with etcd's numbers.
        let run = etcdpy()
            .args(&args)
            .args(["compact", "--rev", &(current - 4).to_string()])
            .run();
        expect(&run, 10);
        assert!(
            run.stderr.contains(&format!("at revision {current}")),
            "{run:?}"
        );
        let run = etcdpy()
            .args(&args)
            .args(["compact", "--rev", &(current + 100).to_string()])
            .run();
        expect(&run, 2);
        assert!(run.stderr.contains("future"), "{run:?}");

        // Alarms: none, then NOSPACE raised by hand.
        let run = etcdpy()
            .args(&args)
            .args(["alarm", "list", "-o", "json"])
            .run();
        expect(&run, 0);
        assert_eq!(run.out(), "[]\n");
        raise_nospace(bin, cluster.members[0].port);
        let run = etcdpy().args(&args).args(["alarm", "list"]).run();
        expect(&run, 0);
        assert!(
            run.out()
                .starts_with(&format!("NOSPACE on {} (", cluster.members[0].name)),
            "{run:?}"
        );
        // No terminal, no --force: refused, nothing changed.
        let run = etcdpy().args(&args).args(["alarm", "disarm"]).run();
        expect(&run, 2);
        assert!(run.stderr.contains("--force"), "{run:?}");
        let run = etcdpy()
            .args(&args)
            .args(["alarm", "disarm", "--dry-run"])
            .run();
        expect(&run, 0);
        assert_eq!(alarm_lines(&cluster).len(), 1);
        // On a terminal: asked; "n" keeps it (exit 4), "y" disarms it.
        let on_terminal = |answer: &str| {
            let line = format!(
                "{} --endpoints {} alarm disarm",
                env!("CARGO_BIN_EXE_etcdpy"),
                cluster.endpoints()
            );
            let mut child = pty_to_type_into(&line);
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(answer.as_bytes()).unwrap();
            drop(stdin);
            let out = child.wait_with_output().unwrap();
            let shown = String::from_utf8_lossy(&out.stdout).into_owned();
            (out.status.code(), shown)
        };
        let (code, shown) = on_terminal("n\n");
        assert_eq!(code, Some(4), "{shown}");
        assert!(shown.contains("disarm NOSPACE on "), "{shown}");
        assert_eq!(alarm_lines(&cluster).len(), 1);
        let (code, shown) = on_terminal("y\n");
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("disarmed NOSPACE on "), "{shown}");
        assert_eq!(alarm_lines(&cluster), Vec::<String>::new());
        raise_nospace(bin, cluster.members[0].port);
        let run = etcdpy()
            .args(&args)
            .args(["alarm", "disarm", "--force"])
            .run();
        expect(&run, 0);
        assert!(run.out().starts_with("disarmed NOSPACE on "), "{run:?}");
        assert_eq!(alarm_lines(&cluster), Vec::<String>::new());
    });
}
