//! The operator's commands against real clusters (issue 24): `members`
//! naming alarms, NOSPACE for real and `defrag --cluster --compact --disarm`
//! recovering from it, `defrag`'s rule, order (leader last, from the servers'
//! logs) and dry run, the health gate with a frozen member, `compact
//! --keep-revisions` and `alarm list` / `alarm disarm` checked with etcdctl.
//! Sizes are read from the servers (`etcdctl endpoint status -w json`), never
//! from etcdpy's report.

use crate::support::cluster::Cluster;
use crate::support::harness::{EtcdBin, etcdpy, for_each_etcd, http};
use crate::support::pty::pty;
use crate::support::util::expect;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::time::{Duration, Instant};

const QUOTA: &str = "2000000";

/// Every member's dbSize and dbSizeInUse as etcd reports them, in member order.
fn sizes(cluster: &Cluster) -> Vec<(i64, i64)> {
    (0..cluster.members.len())
        .map(|i| {
            let out = cluster.etcdctl(i, &["endpoint", "status", "-w", "json"]);
            let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
            let status = &doc[0]["Status"];
            (
                status["dbSize"].as_i64().unwrap(),
                status["dbSizeInUse"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

/// The database sizes alone, member by member (what a defragmentation changes).
fn db_sizes(sizes: &[(i64, i64)]) -> Vec<i64> {
    sizes.iter().map(|(size, _)| *size).collect()
}

/// etcdctl's alarm list, one "memberID:… alarm:…" line each.
fn alarm_lines(cluster: &Cluster) -> Vec<String> {
    let out = cluster.etcdctl(0, &["alarm", "list"]);
    out.lines().map(str::to_string).collect()
}

/// Put `key` with a `len`-byte value over the gateway of member `i`: the HTTP status and body.
fn put_raw(cluster: &Cluster, i: usize, key: &str, len: usize, tag: usize) -> (u16, String) {
    let value = format!("{tag:08}{}", "x".repeat(len));
    let body = format!(
        r#"{{"key":"{}","value":"{}"}}"#,
        STANDARD.encode(key),
        STANDARD.encode(value)
    );
    http(cluster.members[i].port, "POST", "/v3/kv/put", Some(&body)).unwrap_or((0, String::new()))
}

/// Overwrite one key with 60 kB values until etcd refuses with NOSPACE.
fn fill_until_nospace(cluster: &Cluster) -> usize {
    for n in 0..400 {
        let (status, body) = put_raw(cluster, 0, "fill", 60_000, n);
        if status != 200 {
            assert!(body.contains("database space exceeded"), "{status} {body}");
            return n;
        }
    }
    panic!("no NOSPACE after 400 writes of 60 kB with a {QUOTA}-byte quota");
}

fn cluster_args(cluster: &Cluster) -> Vec<String> {
    vec!["--endpoints".into(), cluster.endpoints()]
}

#[test]
fn nospace_is_named_by_members_and_defrag_recovers_from_it() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start_with_args(bin, 3, &["--quota-backend-bytes", QUOTA]);
        let writes = fill_until_nospace(&cluster);
        let alarms = alarm_lines(&cluster);
        assert!(alarms.iter().any(|l| l.contains("NOSPACE")), "{alarms:?}");

        let run = etcdpy()
            .args(cluster_args(&cluster))
            .args(["members", "-o", "json"])
            .run();
        expect(&run, 11);
        assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
        assert!(run.stderr.contains("has alarm NOSPACE"), "{run:?}");
        let rows: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let alarmed: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["alarms"] == serde_json::json!(["NOSPACE"]))
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert!(!alarmed.is_empty(), "{rows}");
        for name in &alarmed {
            assert!(run.stderr.contains(name), "{run:?}");
        }

        let before = sizes(&cluster);
        let run = etcdpy()
            .args(cluster_args(&cluster))
            .args([
                "defrag",
                "--cluster",
                "--compact",
                "--disarm",
                "--quota",
                QUOTA,
            ])
            .run();
        expect(&run, 0);
        let after = sizes(&cluster);
        eprintln!(
            "etcd {}: NOSPACE after {writes} writes; alarms {alarms:?}\n  sizes before (dbSize, inUse) {before:?}\n  `etcdpy defrag --cluster --compact --disarm`:\n{}  sizes after {after:?}",
            bin.version,
            run.out()
        );
        for (b, a) in before.iter().zip(&after) {
            assert!(a.0 * 4 < b.0, "not shrunk: {before:?} -> {after:?}");
        }
        assert_eq!(alarm_lines(&cluster), Vec::<String>::new());
        let (status, body) = put_raw(&cluster, 1, "after", 10, 0);
        assert_eq!(status, 200, "{body}");
        let run = etcdpy()
            .args(cluster_args(&cluster))
            .args(["members"])
            .run();
        expect(&run, 0);
    });
}

/// The "ts" of the last "finished defragment" line in a member's log (an ISO time).
fn defrag_finished_at(log: &str) -> Option<String> {
    log.lines()
        .filter(|l| l.contains(r#""msg":"finished defragment""#))
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            v["ts"].as_str().map(str::to_string)
        })
        .next_back()
}

#[test]
fn defrag_skips_by_rule_goes_leader_last_and_dry_run_changes_nothing() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        // Fragment every member: 1 MB that stays, 2 MB written, deleted and compacted away.
        for n in 0..20 {
            let (status, body) = put_raw(&cluster, 0, &format!("live/{n}"), 50_000, n);
            assert_eq!(status, 200, "{body}");
        }
        for n in 0..40 {
            let (status, body) = put_raw(&cluster, 0, &format!("frag/{n}"), 50_000, n);
            assert_eq!(status, 200, "{body}");
        }
        cluster.etcdctl(0, &["del", "--prefix", "frag/"]);
        let rev = cluster.etcdctl(0, &["get", "x", "-w", "json"]);
        let rev: serde_json::Value = serde_json::from_str(&rev).unwrap();
        let rev = rev["header"]["revision"].as_i64().unwrap().to_string();
        cluster.etcdctl(0, &["compaction", "--physical", &rev]);
        // --physical waits for the member asked only: wait until every one has compacted.
        let deadline = Instant::now() + Duration::from_secs(20);
        // (bbolt counts freed pages as in use until a later commit: a small write makes one.)
        while sizes(&cluster).iter().any(|(size, used)| used * 2 > *size) {
            assert!(Instant::now() < deadline, "{:?}", sizes(&cluster));
            put_raw(&cluster, 0, "tick", 1, 0);
            std::thread::sleep(Duration::from_millis(100));
        }
        let leader = cluster.leader().unwrap();
        // One follower is defragmented beforehand: the rule skips it.
        let clean = (leader + 1) % 3;
        cluster.etcdctl(clean, &["defrag"]);
        let before = sizes(&cluster);

        let run = etcdpy()
            .args(cluster_args(&cluster))
            .args(["defrag", "--cluster", "--if-fragmented", "10", "--dry-run"])
            .run();
        expect(&run, 0);
        assert!(run.out().starts_with("dry run"), "{run:?}");
        // The database's size is what a defragmentation shrinks; the size in use moves with
        // etcd's own background commits (seen: 24576 -> 16384 on an idle member), so it is not
        // compared. The servers' logs say no defragmentation ran.
        assert_eq!(
            db_sizes(&sizes(&cluster)),
            db_sizes(&before),
            "--dry-run changed sizes"
        );
        for (i, m) in cluster.members.iter().enumerate() {
            // Only the member etcdctl defragmented has done so yet.
            assert_eq!(defrag_finished_at(&m.log_text()).is_some(), i == clean);
        }

        let run = etcdpy()
            .args(cluster_args(&cluster))
            .args(["defrag", "--cluster", "--if-fragmented", "10", "-o", "json"])
            .run();
        expect(&run, 0);
        let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let after = sizes(&cluster);
        for (i, m) in cluster.members.iter().enumerate() {
            let row = report["members"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["name"] == m.name.as_str())
                .unwrap();
            if i == clean {
                assert_eq!(row["action"], "skipped", "{report}");
                assert_eq!(after[i], before[i]);
            } else {
                assert_eq!(row["action"], "defragmented", "{report}");
                assert!(after[i].0 * 2 < before[i].0, "{before:?} -> {after:?}");
            }
        }
        // The order, from the servers' own logs: the leader finished last.
        let leader_at = defrag_finished_at(&cluster.members[leader].log_text()).unwrap();
        let follower = (0..3).find(|i| *i != leader && *i != clean).unwrap();
        let follower_at = defrag_finished_at(&cluster.members[follower].log_text()).unwrap();
        assert!(
            follower_at < leader_at,
            "etcd {}: {follower_at} !< {leader_at}",
            bin.version
        );
    });
}

#[test]
fn defrag_refuses_to_start_with_a_frozen_member_within_the_dial_timeout() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().unwrap();
        let frozen = (leader + 1) % 3;
        let before = sizes(&cluster);
        cluster.members[frozen].freeze();
        let started = Instant::now();
        let run = etcdpy()
            .args(["--dial-timeout", "1s"])
            .args(cluster_args(&cluster))
            .args(["defrag", "--cluster"])
            .run();
        let took = started.elapsed();
        cluster.members[frozen].thaw();
        eprintln!(
            "etcd {}: defrag with a frozen member: exit {} in {took:.2?}",
            bin.version, run.code
        );
        expect(&run, 11);
        assert!(took < Duration::from_secs(4), "took {took:?}");
        assert!(
            run.stderr
                .starts_with("etcdpy: error: defrag not started: ")
                && run.stderr.contains(&cluster.members[frozen].name)
                && run.stderr.lines().count() == 1,
            "{run:?}"
        );
        assert_eq!(run.stdout, b"");
        for m in &cluster.members {
            assert_eq!(defrag_finished_at(&m.log_text()), None, "{}", m.name);
        }
        assert_eq!(db_sizes(&sizes(&cluster)), db_sizes(&before));
    });
}

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
            let mut child = pty(&line)
                .env("TERM", "dumb")
                .env("NO_COLOR", "1")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("util-linux `script` is needed for the terminal tests");
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

use std::process::Command;

#[test]
fn a_user_without_root_gets_exit_8_naming_the_operation_where_etcd_refuses_it() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 1);
        for n in 0..5 {
            cluster.etcdctl(0, &["put", "/app/k", &n.to_string()]);
        }
        let endpoint = cluster.members[0].endpoint();
        let etcdctl = |args: &[&str]| {
            Command::new(&cluster.etcdctl)
                .env("ETCDCTL_API", "3")
                .args(["--endpoints", &endpoint])
                .args(args)
                .output()
                .unwrap()
        };
        crate::support::auth::enable_auth(etcdctl);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.db");
        let (file, theirs) = (file.to_str().unwrap(), dir.path().join("e.db"));
        let alice = format!("alice:{}", crate::support::auth::PASSWORD);
        // What etcd lets a non-root user do differs by version (3.4 lets anyone compact):
        // etcdctl as the same user says which, and etcdpy must agree.
        for (ours, etcdctls, names) in [
            (
                &["compact", "--rev", "3"][..],
                &["compaction", "2"][..],
                "compact",
            ),
            (&["alarm", "list"], &["alarm", "list"], "alarm list"),
            (&["defrag", "--cluster"], &["defrag"], "defrag"),
            (
                &["snapshot", "save", file],
                &["snapshot", "save", theirs.to_str().unwrap()],
                "snapshot",
            ),
        ] {
            let refused = {
                let out = etcdctl(&[&["--user", &alice][..], etcdctls].concat());
                String::from_utf8_lossy(&out.stderr).contains("permission denied")
            };
            let run = etcdpy()
                .args(["--endpoints", &endpoint, "--user", "alice"])
                .env("ETCDPY_PASSWORD", crate::support::auth::PASSWORD)
                .args(ours)
                .run();
            eprintln!(
                "etcd {} {ours:?}: etcdctl refused {refused}, etcdpy exit {}",
                bin.version, run.code
            );
            if !refused {
                expect(&run, 0);
                continue;
            }
            expect(&run, 8);
            assert!(
                run.stderr.starts_with("etcdpy: error: ")
                    && run.stderr.contains(names)
                    && run.stderr.contains("permission denied"),
                "{ours:?}: {run:?}"
            );
            assert!(!dir.path().join("s.db").exists() && !dir.path().join("s.db.part").exists());
        }
    });
}

#[test]
fn lease_list_show_and_revoke_agree_with_etcdctl() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 1);
        let grant = |ttl: &str| {
            let out = cluster.etcdctl(0, &["lease", "grant", ttl]);
            out.split_whitespace().nth(1).unwrap().to_string()
        };
        let (held, orphan) = (grant("300"), grant("200"));
        cluster.etcdctl(0, &["put", "/lease/a", "1", "--lease", &held]);
        cluster.etcdctl(0, &["put", "/lease/b", "2", "--lease", &held]);
        let args = cluster_args(&cluster);
        let run = etcdpy()
            .args(&args)
            .args(["lease", "list", "--keys", "-o", "json"])
            .run();
        expect(&run, 0);
        let rows: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let listed: Vec<&str> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id_hex"].as_str().unwrap())
            .collect();
        let mut theirs: Vec<String> = cluster
            .etcdctl(0, &["lease", "list"])
            .lines()
            .skip(1)
            .map(str::to_string)
            .collect();
        theirs.sort();
        let mut ours: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
        ours.sort();
        assert_eq!(ours, theirs);
        for row in rows.as_array().unwrap() {
            let hex = row["id_hex"].as_str().unwrap();
            let ttl = cluster.etcdctl(0, &["lease", "timetolive", hex, "--keys", "-w", "json"]);
            let ttl: serde_json::Value = serde_json::from_str(&ttl).unwrap();
            assert_eq!(
                row["id"].as_str().unwrap(),
                ttl["id"].to_string(),
                "{row} {ttl}"
            );
            assert_eq!(row["granted_ttl"], ttl["granted-ttl"], "{row} {ttl}");
            let keys = ttl["keys"].as_array().map_or(0, Vec::len);
            assert_eq!(row["key_count"].as_u64(), Some(keys as u64), "{row} {ttl}");
        }
        let run = etcdpy()
            .args(&args)
            .args(["lease", "list", "--orphans", "-o", "json"])
            .run();
        expect(&run, 0);
        let orphans: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let orphans: Vec<&str> = orphans
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id_hex"].as_str().unwrap())
            .collect();
        assert_eq!(orphans, vec![orphan.as_str()]);

        let run = etcdpy()
            .args(&args)
            .args(["lease", "show", "--for-key", "/lease/a"])
            .run();
        expect(&run, 0);
        assert!(run.out().starts_with(&held), "{run:?}");
        // Without a terminal and --force: refused, nothing revoked.
        let run = etcdpy()
            .args(&args)
            .args(["lease", "revoke", "--for-key", "/lease/a"])
            .run();
        expect(&run, 2);
        let run = etcdpy()
            .args(&args)
            .args(["lease", "revoke", "--for-key", "/lease/a", "--dry-run"])
            .run();
        expect(&run, 0);
        assert_eq!(
            cluster.etcdctl(0, &["get", "/lease/b", "--print-value-only"]),
            "2\n"
        );
        let run = etcdpy()
            .args(&args)
            .args(["lease", "revoke", "--for-key", "/lease/a", "--force"])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!(
                "revoked lease {held} ({}), deleting 2 key(s)\n  /lease/a\n  /lease/b\n",
                i64::from_str_radix(&held, 16).unwrap()
            )
        );
        assert_eq!(
            cluster.etcdctl(0, &["get", "/lease/", "--prefix", "--keys-only"]),
            ""
        );
        assert!(!cluster.etcdctl(0, &["lease", "list"]).contains(&held));
        let run = etcdpy().args(&args).args(["lease", "show", &held]).run();
        expect(&run, 3);
    });
}

#[test]
fn defrag_shows_progress_on_a_terminal_and_none_in_a_pipe() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 1);
        let name = &cluster.members[0].name;
        let line = format!(
            "{} --endpoints {} defrag --cluster",
            env!("CARGO_BIN_EXE_etcdpy"),
            cluster.endpoints()
        );
        let out = pty(&line).env("NO_COLOR", "1").output().unwrap();
        let shown = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n");
        assert_eq!(out.status.code(), Some(0), "{shown}");
        assert!(
            shown.contains(&format!("etcdpy: defragmenting {name} (1/1)…\n")),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("{name} (leader): defragmented ")),
            "{shown}"
        );
        let run = etcdpy()
            .args(cluster_args(&cluster))
            .args(["defrag", "--cluster"])
            .run();
        expect(&run, 0);
        assert_eq!(run.stderr, "", "{run:?}");
        let _ = bin;
    });
}

#[test]
fn move_leader_hands_over_and_refuses_a_member_that_does_not_answer() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let args = cluster_args(&cluster);
        let old = cluster.leader().unwrap();
        let (to, frozen) = ((old + 1) % 3, (old + 2) % 3);
        let run = etcdpy()
            .args(&args)
            .args(["move-leader", "--to", &cluster.members[to].name])
            .run();
        expect(&run, 0);
        assert_eq!(
            run.out(),
            format!(
                "leadership moved from {} to {}\n",
                cluster.members[old].name, cluster.members[to].name
            )
        );
        // The members themselves say so (etcd answers once the transfer is done).
        assert_eq!(cluster.leader(), Some(to), "{}", bin.version);
        let run = etcdpy()
            .args(&args)
            .args(["move-leader", "--to", &cluster.members[to].name])
            .run();
        expect(&run, 0);
        assert!(run.out().ends_with(" already leads\n"), "{run:?}");
        let run = etcdpy()
            .args(&args)
            .args(["move-leader", "--to", "nosuch"])
            .run();
        expect(&run, 3);
        assert!(run.stderr.contains("nosuch is not a member"), "{run:?}");

        cluster.members[frozen].freeze();
        let started = Instant::now();
        let run = etcdpy()
            .args(["--dial-timeout", "1s"])
            .args(&args)
            .args(["move-leader", "--to", &cluster.members[frozen].name])
            .run();
        let took = started.elapsed();
        cluster.members[frozen].thaw();
        expect(&run, 11);
        assert!(run.stderr.contains("does not answer"), "{run:?}");
        assert!(took < Duration::from_secs(4), "{took:?}");
        assert_eq!(cluster.leader(), Some(to));
    });
}
