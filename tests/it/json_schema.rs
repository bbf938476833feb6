//! The `-o json` schema, written down a second time, independently of the
//! program's own types, with `deny_unknown_fields`: a schema change must be
//! made here too, on purpose. README's "JSON output" section is the same
//! schema in prose.

use crate::support::harness::{etcdpy, for_each_etcd, for_each_etcd_v2, shared, unique};
use crate::support::schema::{
    AlarmRow, CompactDoc, DefragDoc, DisarmDoc, DumpEnd, DumpHeader, GetDoc, InitialEndDoc, Kv,
    LeaderDoc, LoadDoc, MemberRow, MigrateDoc, MovedDoc, RefreshDoc, RmDoc, SavedDoc, SetDoc,
    UpgradeCheckDoc, WaitDoc, WatchEventDoc,
};
use crate::support::util::{expect, put};
use crate::support::watch::initial_state;
use serde::Deserialize;

/// Parse stdout as exactly one JSON document of type T (plus the newline).
fn one<T: for<'de> Deserialize<'de>>(stdout: &[u8]) -> (T, serde_json::Value) {
    let text = std::str::from_utf8(stdout).expect("JSON output is UTF-8");
    assert!(
        text.ends_with('\n') && text.matches('\n').count() == 1,
        "one line: {text}"
    );
    let typed: T = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (typed, serde_json::from_str(text).unwrap())
}

#[test]
fn every_command_matches_the_documented_schema() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("schema");
        let key = format!("{p}/k");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "set", &key, "v1", "--ttl", "60s"])
            .run();
        expect(&run, 0);
        let (set, raw) = one::<SetDoc>(&run.stdout);
        assert_eq!(
            (set.key.as_str(), set.ttl, set.key_encoding),
            (key.as_str(), Some(60), None)
        );
        assert!(
            set.lease
                .as_deref()
                .is_some_and(|l| u64::from_str_radix(l, 16).is_ok()),
            "{raw}"
        );
        assert!(raw.get("prev").is_none(), "prev only with --prev: {raw}");
        assert!(set.revision > 0);

        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "set", &key, "v2", "--prev"])
            .run();
        let (set, raw) = one::<SetDoc>(&run.stdout);
        assert_eq!(set.prev.unwrap().unwrap().value.as_deref(), Some("v1"));
        assert!(raw["lease"].is_null() && raw["ttl"].is_null(), "{raw}");

        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "get", &key])
            .run();
        let (get, raw) = one::<GetDoc>(&run.stdout);
        assert_eq!(get.kvs.len(), 1);
        assert_eq!((get.count, get.more, get.dirs.is_none()), (1, false, true));
        assert_eq!(get.dirs_encoding, None);
        let kv = &get.kvs[0];
        assert_eq!(
            (kv.key.as_str(), kv.value.as_deref(), kv.version),
            (key.as_str(), Some("v2"), 2)
        );
        assert_eq!(kv.lease, None);
        assert!(kv.create_revision < kv.mod_revision && kv.mod_revision <= get.revision);
        assert!(
            raw["kvs"][0]["lease"].is_null() && kv.ttl.is_none(),
            "{raw}"
        );

        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "get", &p, "-r", "--keys-only", "-l"])
            .run();
        let (get, raw) = one::<GetDoc>(&run.stdout);
        assert!(get.kvs[0].value.is_none(), "{raw}");
        assert!(
            raw["kvs"][0]["ttl"].is_null() && raw["kvs"][0].get("ttl").is_some(),
            "{raw}"
        );

        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "refresh", &key, "--ttl", "30s"])
            .run();
        let (refresh, _) = one::<RefreshDoc>(&run.stdout);
        assert_eq!(
            (refresh.key.as_str(), refresh.ttl, refresh.key_encoding),
            (key.as_str(), 30, None)
        );
        assert!(refresh.revision > 0 && refresh.lease.as_ref().is_some_and(|l| !l.is_empty()));

        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "rm", &key])
            .run();
        let (rm, _) = one::<RmDoc>(&run.stdout);
        assert_eq!(rm.deleted, 1);
        assert!(rm.revision > refresh.revision);
    });
}

#[test]
fn bytes_that_are_not_utf8_come_out_as_base64_and_say_so() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/bin", unique("schema"));
        let value = b"\xff\x00\x1b[31m".to_vec();
        expect(
            &etcdpy()
                .endpoint(etcd)
                .args(["set", &key])
                .stdin(value.clone())
                .run(),
            0,
        );
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &key, "-o", "json"])
            .run();
        let (get, _) = one::<GetDoc>(&run.stdout);
        let kv = &get.kvs[0];
        assert_eq!(kv.value_encoding.as_deref(), Some("base64"));
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(kv.value.as_ref().unwrap())
            .unwrap();
        assert_eq!(decoded, value);
        assert_eq!(kv.key_encoding, None);

        // Control characters in UTF-8 stay text, JSON-escaped.
        let key2 = format!("{key}2");
        put(etcd, &key2, "tab\there");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", &key2, "-o", "json"])
            .run();
        let (get, _) = one::<GetDoc>(&run.stdout);
        assert_eq!(get.kvs[0].value.as_deref(), Some("tab\there"));
        assert_eq!(get.kvs[0].value_encoding, None);
    });
}

#[test]
fn members_and_leader_match_the_documented_schema() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["members", "-o", "json"])
            .run();
        expect(&run, 0);
        let (rows, _) = one::<Vec<MemberRow>>(&run.stdout);
        assert_eq!(rows.len(), 1);
        let m = &rows[0];
        assert!(u64::from_str_radix(&m.id, 16).is_ok(), "{m:?}");
        assert!(!m.name.is_empty() && !m.peer_urls.is_empty());
        assert_eq!(m.client_urls, vec![etcd.endpoint()]);
        assert!(m.leader && m.reachable && !m.learner && m.error.is_none());
        assert_eq!(m.role, "leader");
        assert_eq!(m.version.as_deref(), Some(bin.version.as_str()));
        assert!(m.raft_term.unwrap() >= 1 && m.raft_index.unwrap() > 0 && m.db_size.unwrap() > 0);
        let in_use = m.db_size_in_use.unwrap();
        assert!(in_use > 0 && in_use <= m.db_size.unwrap(), "{m:?}");
        let frag = m.fragmented_pct.unwrap();
        assert!((0.0..100.0).contains(&frag), "{m:?}");
        assert!(
            m.raft_applied_index.unwrap() > 0 && m.applied_lag == Some(0),
            "{m:?}"
        );
        assert!(m.alarms.is_empty(), "{m:?}");
        // What each version reports: the quota, storage version and /readyz arrived in 3.6.
        if bin.minor() >= (3, 6) {
            assert!(
                m.quota_bytes.unwrap() > 0 && m.quota_used_pct.unwrap() < 100.0,
                "{m:?}"
            );
            assert!(
                m.storage_version.as_deref().unwrap().starts_with("3."),
                "{m:?}"
            );
            assert_eq!(m.ready, Some(true), "{m:?}");
        } else {
            assert_eq!((m.quota_bytes, m.quota_used_pct), (None, None), "{m:?}");
            assert_eq!((&m.storage_version, m.ready), (&None, None), "{m:?}");
        }

        let run = etcdpy().endpoint(etcd).args(["leader", "-o", "json"]).run();
        expect(&run, 0);
        let (leader, _) = one::<LeaderDoc>(&run.stdout);
        assert_eq!(
            (leader.id.as_str(), leader.name.as_str()),
            (m.id.as_str(), m.name.as_str())
        );
        assert_eq!(
            (leader.client_urls.clone(), leader.peer_urls.clone()),
            (m.client_urls.clone(), m.peer_urls.clone())
        );
        assert_eq!(
            (leader.raft_term, leader.members, leader.answering),
            (m.raft_term.unwrap(), 1, 1)
        );
        assert_eq!(leader.version, m.version);
        assert_eq!(leader.storage_version, m.storage_version);
    });
}

#[test]
fn dump_and_load_match_the_documented_schema() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("schema-dump");
        put(etcd, &format!("{p}/a"), "1");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["set", &format!("{p}/t"), "2", "--ttl", "60s"])
            .run();
        expect(&run, 0);
        let run = etcdpy().endpoint(etcd).args(["dump", &p]).run();
        expect(&run, 0);
        let text = run.out();
        let mut lines = text.lines();
        let header: DumpHeader = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(
            (header.dump.as_str(), header.api.as_str()),
            ("etcdpy", "v3")
        );
        assert_eq!(header.prefix, p);
        assert!(header.prefix_encoding.is_none() && header.revision > 0);
        let mut lines: Vec<&str> = lines.collect();
        let end: DumpEnd = serde_json::from_str(lines.pop().unwrap()).unwrap();
        assert_eq!((end.end.as_str(), end.keys), ("etcdpy", 2), "{end:?}");
        assert!(
            end.sha256.len() == 64 && end.sha256.bytes().all(|b| b.is_ascii_hexdigit()),
            "{end:?}"
        );
        assert_eq!(lines.len(), 2);
        for line in &lines {
            let _: Kv = serde_json::from_str(line).unwrap();
        }
        let raw: Vec<serde_json::Value> = lines
            .iter()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(
            raw[0]["ttl"].is_null() && raw[0].get("ttl").is_some(),
            "ttl: null without a lease"
        );
        assert!(raw[1]["ttl"].as_i64().is_some_and(|t| t > 50), "{}", raw[1]);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.ndjson");
        std::fs::write(&path, &run.stdout).unwrap();
        for dry in [true, false] {
            let mut cmd = etcdpy()
                .endpoint(etcd)
                .args(["-o", "json", "load"])
                .arg(&path)
                .args(["--prefix-rename", &format!("{p}={p}-copy")]);
            if dry {
                cmd = cmd.arg("--dry-run");
            }
            let run = cmd.run();
            expect(&run, 0);
            let (doc, raw) = one::<LoadDoc>(&run.stdout);
            assert_eq!((doc.keys, doc.plan.create), (2, 2), "{raw}");
            assert!(
                doc.plan_revision > 0
                    && doc.plan.update + doc.plan.unchanged + doc.plan.delete + doc.plan.conflict
                        == 0
            );
            match doc.applied {
                None => assert!(dry, "{raw}"),
                Some(a) => {
                    assert!(!dry && a.done.create == 2 && a.transactions == 1 && a.leases == 1);
                    assert!(a.revision > doc.plan_revision && a.aborted.is_empty());
                    assert_eq!(a.done.update + a.done.unchanged + a.done.delete, 0);
                }
            }
        }
    });
}

#[test]
fn migrate_matches_the_documented_schema() {
    for_each_etcd_v2(|bin| {
        let etcd = crate::support::harness::Etcd::start(bin);
        let v2 = |args: &[&str]| {
            let run = etcdpy()
                .endpoint(&etcd)
                .args(["--api", "v2"])
                .args(args)
                .run();
            expect(&run, 0);
        };
        v2(&["set", "/m/a", "1"]);
        v2(&["set", "/m/d/b", "2", "--ttl", "60s"]);
        for extra in [&["--dry-run"][..], &["--delete-source"]] {
            let run = etcdpy()
                .endpoint(&etcd)
                .args(["-o", "json", "migrate", "/m"])
                .args(extra)
                .run();
            expect(&run, 0);
            let (doc, raw) = one::<MigrateDoc>(&run.stdout);
            assert_eq!((doc.keys, doc.plan.create), (2, 2), "{raw}");
            assert!(doc.v2_index > 0 && doc.followed.is_none(), "{raw}");
            match extra[0] {
                "--dry-run" => assert!(doc.applied.is_none() && doc.verified.is_none()),
                _ => assert_eq!((doc.verified, doc.source_deleted), (Some(true), Some(2))),
            }
        }
    });
}

// --- migrate --check (issue 22) ------------------------------------------------------------

#[test]
fn migrate_check_matches_the_documented_schema() {
    for_each_etcd(|bin| {
        let etcd = crate::support::harness::Etcd::start(bin);
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["-o", "json", "migrate", "--check"])
            .run();
        let (doc, raw) = one::<UpgradeCheckDoc>(&run.stdout);
        assert_eq!(
            run.code,
            if doc.blockers.is_empty() { 0 } else { 4 },
            "{raw}"
        );
        assert_eq!(doc.members.len(), 1, "{raw}");
        let member = &doc.members[0];
        assert_eq!(
            member.version.as_deref(),
            Some(bin.version.as_str()),
            "{raw}"
        );
        assert!(member.url.is_some() && !member.name.is_empty(), "{raw}");
        // v2 is on exactly where the server has it (the harness's --enable-v2).
        let v2_on = doc.blockers.iter().any(|b| b.kind == "v2_enabled");
        assert_eq!(v2_on, bin.has_v2(), "{raw}");
        for b in &doc.blockers {
            assert!(
                [
                    "version",
                    "unreachable",
                    "v2_enabled",
                    "v2_keys",
                    "v2_hidden"
                ]
                .contains(&b.kind.as_str())
                    && !b.message.is_empty(),
                "{raw}"
            );
            assert_eq!(
                b.member.is_some(),
                !b.kind.starts_with("v2_k") && !b.kind.starts_with("v2_h"),
                "{raw}"
            );
        }
        assert!(doc.not_checked.contains("etcdutl check v2store"), "{raw}");
    });
}

// issue 29: an empty listing (get --allow-empty) and rm -f of a missing key are the documented
// documents, with nothing in them.
#[test]
fn allow_empty_and_rm_f_keep_the_schema() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("schema-empty");
        for recursive in [true, false] {
            let run = etcdpy()
                .endpoint(etcd)
                .args(["get", &p, "--allow-empty", "-o", "json"])
                .args(recursive.then_some("-r"))
                .run();
            expect(&run, 0);
            let doc: GetDoc = serde_json::from_slice(&run.stdout).expect("a get document");
            assert_eq!(
                (doc.count, doc.kvs.len(), doc.more),
                (0, 0, false),
                "{run:?}"
            );
            assert!(doc.revision > 0, "{run:?}");
            assert_eq!(doc.dirs.is_some(), !recursive, "{run:?}");
        }
        let run = etcdpy()
            .endpoint(etcd)
            .args(["rm", "-f", &p, "-o", "json"])
            .run();
        expect(&run, 0);
        let doc: RmDoc = serde_json::from_slice(&run.stdout).expect("an rm document");
        assert_eq!(doc.deleted, 0);
        assert!(doc.revision > 0);
    });
}

// The operator's commands (issue 24).

#[test]
fn the_operator_commands_match_the_documented_schema() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let json = |args: &[&str]| {
            let run = etcdpy()
                .endpoint(etcd)
                .args(args)
                .args(["-o", "json"])
                .run();
            expect(&run, 0);
            run.stdout
        };
        let (plan, _) = one::<DefragDoc>(&json(&["defrag", "--cluster", "--compact", "--dry-run"]));
        assert!(
            plan.dry_run && plan.compacted.is_some() && plan.members.len() == 1,
            "{plan:?}"
        );
        assert_eq!(plan.members[0].action, "planned");
        let (compact, _) =
            one::<CompactDoc>(&json(&["compact", "--keep-revisions", "5", "--dry-run"]));
        assert!(compact.dry_run && compact.current > 0, "{compact:?}");
        let (alarms, _) = one::<Vec<AlarmRow>>(&json(&["alarm", "list"]));
        assert!(alarms.is_empty());
        let (disarm, _) = one::<DisarmDoc>(&json(&["alarm", "disarm", "--dry-run"]));
        assert!(disarm.dry_run && disarm.disarmed.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.db");
        let (saved, _) = one::<SavedDoc>(&json(&["snapshot", "save", file.to_str().unwrap()]));
        assert_eq!(saved.size, std::fs::metadata(&file).unwrap().len());
        assert_eq!(saved.sha256.len(), 64);
    });
}

#[test]
fn move_leader_matches_the_documented_schema() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["members", "-o", "json"])
            .run();
        let (rows, _) = one::<Vec<MemberRow>>(&run.stdout);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["move-leader", "--to", &rows[0].name, "-o", "json"])
            .run();
        expect(&run, 0);
        let (moved, _) = one::<MovedDoc>(&run.stdout);
        assert!(!moved.moved && moved.from == moved.to, "{moved:?}");
    });
}

#[test]
fn wait_matches_the_documented_schema() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("schema-wait");
        let rev = put(etcd, &format!("{p}/a"), "1");
        let wait = |args: &[&str]| etcdpy().endpoint(etcd).arg("wait").args(args).run();
        let run = wait(&[&format!("{p}/a"), "--for", "exists", "-o", "json"]);
        expect(&run, 0);
        let (doc, _): (WaitDoc, _) = one(&run.stdout);
        assert_eq!(doc.condition, "exists");
        assert!(doc.revision >= rev, "{doc:?}");
        assert_eq!(doc.kv.unwrap().value.as_deref(), Some("1"));
        let run = wait(&[&format!("{p}/b"), "--for", "deleted", "-o", "json"]);
        expect(&run, 0);
        let (doc, _): (WaitDoc, _) = one(&run.stdout);
        assert_eq!(doc.condition, "deleted");
        assert!(doc.kv.is_none());
    });
}

#[test]
fn watch_initial_matches_the_documented_schema() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("schema-initial");
        put(etcd, &format!("{p}/a"), "1");
        let rev = put(etcd, &format!("{p}/b"), "2");
        let run = initial_state(etcd, "v3", &p).args(["-o", "json"]).run();
        expect(&run, 5);
        let out = run.out();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        for line in &lines[..2] {
            let e: WatchEventDoc =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            assert_eq!((e.kind.as_str(), e.initial), ("PUT", Some(true)), "{line}");
            assert!(
                e.value.is_some() && e.revision <= rev && e.prev.is_none(),
                "{e:?}"
            );
            let _ = (
                e.key,
                e.key_encoding,
                e.value_encoding,
                e.create_revision,
                e.version,
                e.lease,
            );
        }
        let end: InitialEndDoc = serde_json::from_str(lines[2]).unwrap();
        assert_eq!((end.kind.as_str(), end.keys), ("initial-end", 2));
        assert!(end.revision >= rev);
    });
}

#[test]
fn du_matches_the_documented_schema() {
    use crate::support::schema::DuDoc;
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("schema-du");
        put(etcd, &format!("{p}/a/k"), "v");
        let run = etcdpy()
            .endpoint(etcd)
            .args(["-o", "json", "du", &p, "--sort", "name"])
            .run();
        expect(&run, 0);
        let (du, raw) = one::<DuDoc>(&run.stdout);
        assert_eq!((du.depth, du.sort.as_str()), (1, "name"), "{raw}");
        assert!(du.revision > 0);
        let paths: Vec<(&str, u32)> = du.rows.iter().map(|r| (r.path.as_str(), r.depth)).collect();
        assert_eq!(paths, [(p.as_str(), 0), (format!("{p}/a/").as_str(), 1)]);
        let row = &du.rows[1];
        let key_bytes = p.len() as u64 + 4;
        assert_eq!(
            (row.keys, row.key_bytes, row.value_bytes, row.leased),
            (1, key_bytes, 1, 0)
        );
        assert!(raw["rows"][0].get("path_encoding").is_none(), "{raw}");
    });
}
