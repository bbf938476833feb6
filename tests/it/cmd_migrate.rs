//! `migrate`: python-etcd 0.4.5's v2 keyspace (5,000 keys, TTLs, nested and empty directories,
//! hidden keys, binary-safe values) copied into v3 on the same server and verified; a second
//! run writes nothing; a changed v2 key is updated; a v3 key written since the last migrate is
//! a conflict (exit 4, left alone) unless --overwrite, but not one migrate wrote itself in a
//! killed run; --follow under python-etcd's everyday writes, its heartbeat (refresh) and
//! recursive deletes.

mod big;
use crate::support::harness::{Etcd, etcdpy, for_each_etcd, for_each_etcd_v2};
use crate::support::pyetcd::{py, py_within};
use crate::support::util::{count, expect, put, stored};
use serde_json::Value;
use std::time::Duration;

fn migrate(etcd: &Etcd, extra: &[&str]) -> (i32, Value, String) {
    let run = etcdpy()
        .endpoint(etcd)
        .args(["-o", "json", "migrate"])
        .args(extra)
        .timeout(Duration::from_secs(180))
        .run();
    let doc = serde_json::from_slice(&run.stdout).unwrap_or(Value::Null);
    (run.code, doc, run.stderr)
}

#[test]
fn migrate_copies_python_etcds_keyspace_into_v3() {
    for_each_etcd_v2(|bin| {
        let etcd = Etcd::start(bin);
        py_within(
            &etcd,
            "for i in range(5000):\n    c.write('/app/d%d/k%04d' % (i % 10, i), 'v%d\\u00e9' % i, ttl=(600 if i % 100 == 0 else None))\n\
             c.write('/app/empty', None, dir=True)\nc.write('/app/nested/empty', None, dir=True)\n\
             c.write('/app/_hidden', 'h')\nc.write('/_locks/deploy/1', 'x', ttl=60)\n",
            Duration::from_secs(120),
        );
        let (code, doc, err) = migrate(&etcd, &[]);
        assert_eq!(code, 0, "{err} {doc}");
        assert_eq!(doc["plan"]["create"], 5000, "{doc}");
        // etcd's v2 listings leave hidden nodes out themselves: none seen, none copied.
        assert_eq!(doc["hidden_skipped"], 0, "{doc}");
        assert_eq!(doc["verified"], true);
        assert_eq!(
            doc["empty_dirs"],
            serde_json::json!(["/app/empty", "/app/nested/empty"])
        );
        assert_eq!(count(&etcd, "/app/"), 5000);
        assert!(
            stored(&etcd, "/app/_hidden").is_none() && stored(&etcd, "/_locks/deploy/1").is_none()
        );
        let key = stored(&etcd, "/app/d7/k0007").unwrap();
        assert_eq!(key.value, "v7é".as_bytes());
        assert_eq!(key.lease, 0);
        // Every key identical on both sides, byte for byte; TTLs within 2 s of v2's.
        let listing = |api: &str| {
            let run = etcdpy()
                .endpoint(&etcd)
                .args(["--api", api, "-o", "json", "get", "/app", "-r", "-l"])
                .run();
            let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
            doc["kvs"].as_array().unwrap().clone()
        };
        let (v3, v2) = (listing("v3"), listing("v2"));
        assert_eq!(v3.len(), v2.len());
        let mut with_ttl = 0;
        for (a, b) in v3.iter().zip(&v2) {
            assert_eq!((&a["key"], &a["value"]), (&b["key"], &b["value"]));
            match (a["ttl"].as_i64(), b["ttl"].as_i64()) {
                (Some(x), Some(y)) => {
                    with_ttl += 1;
                    assert!((x - y).abs() <= 2, "{a} {b}");
                }
                (x, y) => assert_eq!(x, y, "{a} {b}"),
            }
        }
        assert_eq!(with_ttl, 50);

        // Again: nothing written, the revision unchanged.
        let (code, doc, _) = migrate(&etcd, &[]);
        assert_eq!(code, 0);
        assert_eq!(doc["plan"]["unchanged"], 5000, "{doc}");
        assert_eq!(doc["applied"]["revision"], doc["plan_revision"], "{doc}");

        // A changed v2 key is updated; a v3 write since is a conflict, left alone.
        py_within(
            &etcd,
            "c.write('/app/d1/k0001', 'new')\nc.write('/app/d2/k0002', 'v2 side')\n",
            Duration::from_secs(30),
        );
        put(&etcd, "/app/d2/k0002", "v3 side");
        let (code, doc, err) = migrate(&etcd, &[]);
        assert_eq!(code, 4, "{err} {doc}");
        assert_eq!(
            (
                doc["plan"]["update"].clone(),
                doc["plan"]["conflict"].clone()
            ),
            (1.into(), 1.into()),
            "{doc}"
        );
        assert_eq!(stored(&etcd, "/app/d1/k0001").unwrap().value, b"new");
        assert_eq!(stored(&etcd, "/app/d2/k0002").unwrap().value, b"v3 side");
        let (code, doc, err) = migrate(&etcd, &["--overwrite"]);
        assert_eq!(code, 0, "{err} {doc}");
        assert_eq!(stored(&etcd, "/app/d2/k0002").unwrap().value, b"v2 side");
    });
}

#[test]
fn delete_source_keeps_a_key_written_after_the_copy() {
    for_each_etcd_v2(|bin| {
        let etcd = Etcd::start(bin);
        py_within(
            &etcd,
            "for i in range(1000):\n    c.write('/src/k%04d' % i, 'v%d' % i)\nc.write('/src/zz', 'first')\n",
            Duration::from_secs(60),
        );
        // python-etcd rewrites /src/zz (the last key deleted) every 10 ms while migrate runs.
        let mut writer = crate::support::harness::spawn_guarded({
            let mut cmd = std::process::Command::new("sh");
            cmd.args(["-c", &crate::support::pyetcd::shell(etcd.port(), "i = 0\nwhile True:\n    i += 1\n    c.write('/src/zz', 'later %d' % i)\n    time.sleep(0.01)\n")]);
            cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
            cmd
        })
        .unwrap();
        let (code, doc, err) = migrate(&etcd, &["/src", "--delete-source"]);
        let _ = writer.kill();
        let _ = writer.wait();
        assert_eq!(code, 0, "{err} {doc}");
        assert_eq!(doc["verified"], true);
        assert_eq!(doc["source_deleted"], 1000, "{doc}");
        assert_eq!(doc["source_kept"], serde_json::json!(["/src/zz"]), "{doc}");
        assert_eq!(count(&etcd, "/src/"), 1001, "every key copied into v3");
        let left = etcdpy()
            .endpoint(&etcd)
            .args(["--api", "v2", "get", "/src", "-r"])
            .run();
        assert_eq!(left.code, 0, "{left:?}");
        assert!(
            left.out().starts_with("/src/zz = later "),
            "only /src/zz is left in v2: {left:?}"
        );
        assert_eq!(left.out().lines().count(), 1, "{left:?}");
    });
}

#[test]
fn follow_carries_v2_writes_made_during_it() {
    for_each_etcd_v2(|bin| {
        let etcd = Etcd::start(bin);
        py_within(
            &etcd,
            "for i in range(300):\n    c.write('/f/k%03d' % i, 'v%d' % i)\n",
            Duration::from_secs(60),
        );
        let child = etcdpy()
            .endpoint(&etcd)
            .args(["-o", "json", "migrate", "/f", "--follow"])
            .spawn();
        let wait_for = |what: &str, done: &dyn Fn() -> bool| {
            let began = std::time::Instant::now();
            while !done() {
                assert!(began.elapsed() < Duration::from_secs(60), "{what}");
                std::thread::sleep(Duration::from_millis(100));
            }
        };
        wait_for("the copy", &|| count(&etcd, "/f/") == 300);
        // 200 v2 writes while it follows: 150 new keys, 40 changed, 10 deleted.
        py_within(
            &etcd,
            "for i in range(150):\n    c.write('/f/new%03d' % i, 'n%d' % i)\n\
             for i in range(40):\n    c.write('/f/k%03d' % i, 'changed')\n\
             for i in range(290, 300):\n    c.delete('/f/k%03d' % i)\n",
            Duration::from_secs(60),
        );
        wait_for("the 200 changes in v3", &|| {
            count(&etcd, "/f/") == 440
                && stored(&etcd, "/f/new149").is_some()
                && stored(&etcd, "/f/k039").is_some_and(|k| k.value == b"changed")
        });
        // SIGTERM ends it; it verifies again and exits 0.
        unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
        let output = child.wait_with_output().unwrap();
        let doc: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{stderr} {doc}");
        assert_eq!(doc["verified"], true, "{doc}");
        assert_eq!(doc["followed"]["events"], 200, "{doc}");
        assert_eq!(doc["followed"]["written"], 200, "{doc}");
        assert_eq!(doc["followed"]["conflicts"], serde_json::json!([]), "{doc}");
    });
}

#[test]
fn migrate_into_another_cluster_with_its_own_auth() {
    for_each_etcd_v2(|bin| {
        let (src, dst) = (Etcd::start(bin), Etcd::start(bin));
        py_within(
            &src,
            "for i in range(300):\n    c.write('/x/k%03d' % i, 'v%d' % i, ttl=(300 if i < 10 else None))\n",
            Duration::from_secs(60),
        );
        crate::support::auth::enable_auth(|args| dst.etcdctl(args));
        let dir = tempfile::tempdir().unwrap();
        let (user, password) = crate::support::auth::ROOT.split_once(':').unwrap();
        let good = dir.path().join("pw");
        std::fs::write(&good, format!("{password}\n")).unwrap();
        let bad = dir.path().join("bad");
        std::fs::write(&bad, "wrong\n").unwrap();
        let to = |file: &std::path::Path| {
            etcdpy()
                .endpoint(&src)
                .args([
                    "-o",
                    "json",
                    "migrate",
                    "/x",
                    "--to-endpoints",
                    &dst.endpoint(),
                ])
                .args(["--to-user", user, "--to-password-file"])
                .arg(file)
                .run()
        };
        let refused = to(&bad);
        assert_eq!(refused.code, 8, "{refused:?}");

        let run = to(&good);
        assert_eq!(run.code, 0, "{run:?}");
        let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(
            (doc["plan"]["create"].clone(), doc["verified"].clone()),
            (300.into(), true.into()),
            "{doc}"
        );
        assert_eq!(
            count(&src, "/x/"),
            0,
            "nothing written into the source's v3"
        );
        let listed = etcdpy()
            .endpoint(&dst)
            .args(["--user", user, "--password-file"])
            .arg(&good)
            .args(["get", "/x", "-r", "-l", "-o", "json"])
            .run();
        let doc: Value = serde_json::from_slice(&listed.stdout).unwrap();
        assert_eq!(doc["count"], 300, "{doc}");
        let leased = doc["kvs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|kv| kv["lease"].is_string())
            .count();
        assert_eq!(leased, 10);
        // Again: nothing to write.
        let again: Value = serde_json::from_slice(&to(&good).stdout).unwrap();
        assert_eq!(again["plan"]["unchanged"], 300, "{again}");
    });
}

/// Hidden keys: etcd's v2 listings never show them, so `migrate /` copies none; naming a hidden
/// directory finds them, and then they are skipped (and counted, in text and JSON) unless
/// --include-hidden, which copies them.
#[test]
fn a_hidden_directory_named_as_prefix_is_copied_only_with_include_hidden() {
    for_each_etcd_v2(|bin| {
        let etcd = crate::support::harness::shared(bin);
        let dir = format!(
            "/_{}",
            crate::support::harness::unique("hid").replace('/', "_")
        );
        py_within(
            etcd,
            &format!("c.write('{dir}/a', '1')\nc.write('{dir}/sub/b', '2')\n"),
            Duration::from_secs(30),
        );
        let run = etcdpy().endpoint(etcd).args(["migrate", &dir]).run();
        assert_eq!(run.code, 0, "{run:?}");
        let text = String::from_utf8_lossy(&run.stdout).into_owned();
        assert!(
            text.contains(": 2 hidden keys skipped (--include-hidden copies them)"),
            "{text}"
        );
        assert!(stored(etcd, &format!("{dir}/a")).is_none());
        let (code, doc, err) = migrate(etcd, &[&dir, "--include-hidden"]);
        assert_eq!(code, 0, "{err} {doc}");
        assert_eq!(doc["hidden_skipped"], 0, "{doc}");
        assert_eq!(doc["plan"]["create"], 2, "{doc}");
        assert_eq!(stored(etcd, &format!("{dir}/a")).unwrap().value, b"1");
        assert_eq!(stored(etcd, &format!("{dir}/sub/b")).unwrap().value, b"2");
    });
}

/// `migrate --check` on a 3.4/3.5 server with v2 on: the member serving v2 blocks 3.6, so do
/// v2 keys left (visible ones, and python-etcd's hidden /_locks, probed by name), and a member
/// older than 3.5.26; one line each, exit 4; the data directory is named as not checked.
#[test]
fn migrate_check_names_what_blocks_the_upgrade_to_3_6() {
    for_each_etcd_v2(|bin| {
        let etcd = Etcd::start(bin);
        let check = |json: bool| {
            let mut cmd = etcdpy().endpoint(&etcd);
            if json {
                cmd = cmd.args(["-o", "json"]);
            }
            cmd.args(["migrate", "--check"]).run()
        };
        let old = before_3_5_26(bin);
        let run = check(false);
        expect(&run, 4);
        let out = run.out();
        let blocks: Vec<&str> = out
            .lines()
            .filter(|l| l.starts_with("blocks etcd 3.6: "))
            .collect();
        assert_eq!(blocks.len(), 1 + usize::from(old), "{run:?}");
        assert!(
            out.contains("serves the v2 API (started with --enable-v2)"),
            "{run:?}"
        );
        if old {
            assert!(
                out.contains(&format!("runs etcd {}", bin.version)),
                "{run:?}"
            );
        }
        let last = out.lines().last().unwrap();
        assert!(
            last.starts_with("not checked: each member's data directory")
                && last.contains("etcdutl check v2store --data-dir DIR"),
            "{run:?}"
        );
        assert_eq!(run.stderr.trim_end().lines().count(), 1, "{run:?}");
        // v2 data left: a visible key, an empty directory, a python-etcd lock key.
        let v2 = |args: &[&str]| {
            let run = etcdpy()
                .endpoint(&etcd)
                .args(["--api", "v2"])
                .args(args)
                .run();
            expect(&run, 0);
        };
        v2(&["set", "/svc/a", "1"]);
        v2(&["set", "/_locks/deploy/1", "holder"]);
        py(&etcd, "c.write('/empty', None, dir=True)");
        let run = check(false);
        expect(&run, 4);
        let out = run.out();
        assert!(
            out.contains("v2 still holds 1 keys and 1 empty directories"),
            "{run:?}"
        );
        assert!(
            out.contains("v2's hidden directory /_locks holds 1 keys"),
            "{run:?}"
        );
        let run = check(true);
        expect(&run, 4);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let kinds: Vec<&str> = doc["blockers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["kind"].as_str().unwrap())
            .collect();
        let mut want = vec!["v2_enabled", "v2_keys", "v2_hidden"];
        if old {
            want.insert(0, "version");
        }
        assert_eq!(kinds, want, "{doc}");
        assert_eq!(doc["members"][0]["version"], bin.version.as_str(), "{doc}");
    });
}

/// Without the v2 API (3.4/3.5 started without --enable-v2, or 3.6/3.7), nothing a client
/// sees blocks 3.6 but a member's version: exit 0 on 3.5.26 and later, saying what it did not
/// check; 3.4 is one minor too far back, 3.5.1 too old a patch.
#[test]
fn migrate_check_without_v2_passes_where_the_version_allows() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start_with(
            bin,
            if bin.has_v2() {
                &["--enable-v2=false"]
            } else {
                &[]
            },
        );
        let run = etcdpy().endpoint(&etcd).args(["migrate", "--check"]).run();
        let out = run.out();
        if before_3_5_26(bin) {
            expect(&run, 4);
            let why = match bin.minor() < (3, 5) {
                true => "upgrade it to 3.5.26 or later first",
                false => "the upgrade to 3.6 needs 3.5.26 or later on every member first",
            };
            assert!(
                out.contains(&format!("runs etcd {}: {why}", bin.version)),
                "{run:?}"
            );
        } else {
            expect(&run, 0);
            assert!(
                out.starts_with("nothing a client can see blocks etcd 3.6 (")
                    && out.contains(&bin.version),
                "{run:?}"
            );
            assert_eq!(run.stderr, "", "{run:?}");
        }
        assert!(
            out.lines().last().unwrap().starts_with("not checked: "),
            "{run:?}"
        );
    });
}

/// The 3.6 upgrade guide wants 3.5.26 or later first.
fn before_3_5_26(bin: &crate::support::harness::EtcdBin) -> bool {
    let patch: u32 = bin.version.split('.').nth(2).unwrap().parse().unwrap();
    bin.minor() < (3, 5) || (bin.minor() == (3, 5) && patch < 26)
}
/// A key as one API lists it: (value, TTL left).
type Listed = std::collections::BTreeMap<String, (String, Option<i64>)>;

/// The keys under `prefix` as `--api API get -r -l` lists them (nothing: empty).
fn listed(etcd: &Etcd, api: &str, prefix: &str) -> Listed {
    let run = etcdpy()
        .endpoint(etcd)
        .args(["--api", api, "-o", "json", "get", prefix, "-r", "-l"])
        .run();
    if run.code == 3 {
        return Listed::new();
    }
    assert_eq!(run.code, 0, "{run:?}");
    let doc: Value = serde_json::from_slice(&run.stdout).unwrap();
    doc["kvs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kv| {
            let key = kv["key"].as_str().unwrap().to_string();
            (
                key,
                (
                    kv["value"].as_str().unwrap().to_string(),
                    kv["ttl"].as_i64(),
                ),
            )
        })
        .collect()
}

/// How v3 differs from v2 under `prefix`: keys missing or left over, other values, a TTL on
/// one side only or more than 2 s apart. A key about to expire (2 s or less) may be gone
/// from the other side already.
fn differences(etcd: &Etcd, prefix: &str) -> Vec<String> {
    let (v2, v3) = (listed(etcd, "v2", prefix), listed(etcd, "v3", prefix));
    let expiring = |ttl: &Option<i64>| ttl.is_some_and(|t| t <= 2);
    let mut found = Vec::new();
    for (key, (value, ttl)) in &v2 {
        match v3.get(key) {
            None if expiring(ttl) => {}
            None => found.push(format!("{key}: missing in v3 (v2: {value:?}, ttl {ttl:?})")),
            Some((v, t)) if v != value => found.push(format!("{key}: v3 {v:?}, v2 {value:?}")),
            Some((_, t)) => match (ttl, t) {
                (Some(a), Some(b)) if (a - b).abs() > 2 => {
                    found.push(format!("{key}: ttl v2 {a}, v3 {b}"))
                }
                (Some(_), Some(_)) | (None, None) => {}
                _ => found.push(format!("{key}: ttl v2 {ttl:?}, v3 {t:?}")),
            },
        }
    }
    for (key, (_, ttl)) in &v3 {
        if !v2.contains_key(key) && !expiring(ttl) {
            found.push(format!("{key}: in v3 only"));
        }
    }
    if found.len() > 12 {
        let more = found.len() - 12;
        found.truncate(12);
        found.push(format!("and {more} more"));
    }
    found
}

/// Poll `done` every 200 ms for up to `limit`: how long it took, or panic with `what`.
fn within(limit: Duration, what: &dyn Fn() -> String, done: &dyn Fn() -> bool) -> Duration {
    let began = std::time::Instant::now();
    while !done() {
        assert!(began.elapsed() < limit, "after {limit:?}: {}", what());
        std::thread::sleep(Duration::from_millis(200));
    }
    began.elapsed()
}

/// `migrate PREFIX --follow -o json` in the background, once its copy is in v3.
fn follow(etcd: &Etcd, prefix: &str, copied: usize) -> std::process::Child {
    let child = etcdpy()
        .endpoint(etcd)
        .args(["-o", "json", "migrate", prefix, "--follow"])
        .spawn();
    within(Duration::from_secs(60), &|| "the copy".into(), &|| {
        count(etcd, &format!("{prefix}/")) >= copied
    });
    // The watch starts right after the copy.
    std::thread::sleep(Duration::from_millis(500));
    child
}

/// SIGTERM: the exit code and the report.
fn terminate(child: std::process::Child) -> (Option<i32>, Value, String) {
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let output = child.wait_with_output().unwrap();
    let doc = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), doc, stderr)
}

/// SIGTERM to a `migrate --follow`: it exits 0 with a verified report and no conflicts.
#[track_caller]
fn ends_verified_without_conflicts(child: std::process::Child) {
    let (code, doc, stderr) = terminate(child);
    assert_eq!(code, Some(0), "{stderr} {doc}");
    assert_eq!(doc["verified"], true, "{doc}");
    assert_eq!(doc["followed"]["conflicts"], serde_json::json!([]), "{doc}");
}

/// python-etcd's service heartbeat (issue 21): `refresh(k, ttl=8)` and `write(k, v, ttl=8)`
/// every 2 s for 20 s keep the keys alive in v2; etcd's v2 watch reports no refresh at all,
/// yet in v3 both keys stay (checked every 250 ms) with TTLs within 2 s of v2's.
#[test]
fn follow_renews_the_lease_of_a_heartbeat_key() {
    for_each_etcd_v2(|bin| {
        let etcd = Etcd::start(bin);
        py_within(
            &etcd,
            "c.write('/hb/refreshed', 'up', ttl=8)\nc.write('/hb/rewritten', 'up', ttl=8)\n",
            Duration::from_secs(30),
        );
        let child = follow(&etcd, "/hb", 2);
        let mut writer = crate::support::pyetcd::py_spawn(
            &etcd,
            "for i in range(10):\n    c.refresh('/hb/refreshed', ttl=8)\n    c.write('/hb/rewritten', 'up', ttl=8)\n    time.sleep(2)\n",
        );
        let (mut gone, began) = (Vec::new(), std::time::Instant::now());
        while writer.try_wait().unwrap().is_none() {
            for key in ["/hb/refreshed", "/hb/rewritten"] {
                if stored(&etcd, key).is_none() {
                    gone.push(format!("{key} at {:?}", began.elapsed()));
                }
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        assert!(writer.wait().unwrap().success());
        assert_eq!(gone, Vec::<String>::new(), "a live key vanished from v3");
        assert_eq!(differences(&etcd, "/hb"), Vec::<String>::new());
        // The leases replaced are revoked, not left to expire without keys.
        let keyless: Vec<String> = crate::support::util::leases(&etcd)
            .into_iter()
            .filter(|id| {
                let out = etcd.etcdctl(&["lease", "timetolive", id, "--keys", "-w", "json"]);
                let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
                doc["ttl"].as_i64().is_some_and(|t| t > 0)
                    && doc["keys"].as_array().is_none_or(|k| k.is_empty())
            })
            .collect();
        assert_eq!(keyless, Vec::<String>::new(), "leases without keys");
        let (code, doc, stderr) = terminate(child);
        assert_eq!(code, Some(0), "{stderr} {doc}");
        assert_eq!(doc["verified"], true, "{doc}");
    });
}

/// A directory made during --follow and deleted with `recursive=True` is deleted in v3 too
/// (it was reported as a conflict and left there); a v3 key that v2 never had stays.
#[test]
fn follow_deletes_a_directory_deleted_recursively() {
    for_each_etcd_v2(|bin| {
        let etcd = Etcd::start(bin);
        py_within(&etcd, "c.write('/rd/keep', 'k')\n", Duration::from_secs(30));
        let child = follow(&etcd, "/rd", 1);
        put(&etcd, "/rd/d1/v3-own", "v3");
        py_within(
            &etcd,
            "for k in ['a', 'b', 'c', 'sub/x']:\n    c.write('/rd/d1/' + k, k)\nc.write('/rd/d2/a', 'a')\n\
             c.write('/rd/d1/t', 't', ttl=60)\ntime.sleep(1)\nc.delete('/rd/d1', recursive=True)\n",
            Duration::from_secs(30),
        );
        within(
            Duration::from_secs(10),
            &|| format!("{:?}", differences(&etcd, "/rd/d")),
            &|| count(&etcd, "/rd/d1/") == 1 && stored(&etcd, "/rd/d2/a").is_some(),
        );
        assert_eq!(stored(&etcd, "/rd/d1/v3-own").unwrap().value, b"v3");
        ends_verified_without_conflicts(child);
    });
}

/// The live-writer case of issue 21: python-etcd doing 1,000 mixed operations (about 15 s
/// here) while `migrate /lw --follow` runs: new keys, TTL keys (3-15 s), overwrites, refreshes,
/// re-sets with the same value and a new TTL, deletes, directories made and deleted with
/// `recursive=True`, and a heartbeat every 2 s. Once the writer stops, v3 equals v2 (keys,
/// values, TTLs within 2 s) within seconds; SIGTERM then exits 0, verified.
#[test]
fn follow_converges_under_python_etcds_everyday_writes() {
    const WRITER: &str = r#"
import random
r = random.Random(21)
keys, ttls, dirs = [], [], []
hb = 0
for n in range(1000):
    if time.time() - hb >= 2:
        c.refresh('/lw/hb/refreshed', ttl=8)
        c.write('/lw/hb/rewritten', 'alive', ttl=8)
        hb = time.time()
    op = r.random()
    try:
        if op < 0.22:
            keys.append('/lw/k%d' % n)
            c.write(keys[-1], 'v%d' % n)
        elif op < 0.36:
            ttls.append('/lw/t%d' % n)
            c.write(ttls[-1], 't', ttl=r.randint(3, 15))
        elif op < 0.50 and keys:
            c.write(r.choice(keys), 'over%d' % n)
        elif op < 0.58 and ttls:
            c.refresh(r.choice(ttls), ttl=r.randint(5, 20))
        elif op < 0.64 and ttls:
            c.write(r.choice(ttls), 't', ttl=r.randint(5, 20))
        elif op < 0.74 and keys:
            c.delete(keys.pop(r.randrange(len(keys))))
        elif op < 0.88:
            dirs.append('/lw/d%d' % n)
            for j in range(r.randint(1, 4)):
                c.write('%s/x%d' % (dirs[-1], j), 'x', ttl=(r.randint(5, 20) if j == 3 else None))
            c.write(dirs[-1] + '/sub/y', 'y')
        elif dirs:
            c.delete(dirs.pop(r.randrange(len(dirs))), recursive=True)
    except etcd.EtcdKeyNotFound:
        pass
    time.sleep(0.005)
"#;
    for_each_etcd_v2(|bin| {
        let etcd = Etcd::start(bin);
        py_within(
            &etcd,
            "for i in range(200):\n    c.write('/lw/old/k%d' % i, 'v%d' % i, ttl=(30 if i % 10 == 0 else None))\n\
             c.write('/lw/hb/refreshed', 'up', ttl=8)\n",
            Duration::from_secs(60),
        );
        let child = follow(&etcd, "/lw", 201);
        let began = std::time::Instant::now();
        py_within(&etcd, WRITER, Duration::from_secs(120));
        let wrote = began.elapsed();
        let took = within(
            Duration::from_secs(20),
            &|| format!("{:?}", differences(&etcd, "/lw")),
            &|| differences(&etcd, "/lw").is_empty(),
        );
        eprintln!(
            "etcd {}: writer {wrote:?}, v3 equal to v2 {took:?} after",
            bin.version
        );
        ends_verified_without_conflicts(child);
    });
}

/// After a SIGKILLed `migrate --follow` (which wrote v3 keys but never marked a verified
/// migrate), a re-run recognises the keys migrate itself wrote (every migrate transaction
/// also writes `etcdpy/migrating`) and updates them, where it reported them as conflicts
/// that needed --overwrite; a key written in v3 by someone else still is a conflict.
#[test]
fn a_rerun_after_a_killed_migrate_recognises_its_own_writes() {
    for_each_etcd_v2(|bin| {
        let etcd = Etcd::start(bin);
        py_within(
            &etcd,
            "c.write('/rk/a', '1')\nc.write('/rk/b', '1')\n",
            Duration::from_secs(30),
        );
        let (code, doc, err) = migrate(&etcd, &["/rk"]);
        assert_eq!(code, 0, "{err} {doc}");
        let mut child = follow(&etcd, "/rk", 2);
        py_within(
            &etcd,
            "c.write('/rk/a', '2')\nc.write('/rk/b', '2')\n",
            Duration::from_secs(30),
        );
        within(
            Duration::from_secs(10),
            &|| "the follow's writes".into(),
            &|| {
                ["/rk/a", "/rk/b"]
                    .iter()
                    .all(|k| stored(&etcd, k).is_some_and(|s| s.value == b"2"))
            },
        );
        child.kill().unwrap();
        child.wait().unwrap();
        py_within(
            &etcd,
            "c.write('/rk/a', '3')\nc.write('/rk/b', '3')\n",
            Duration::from_secs(30),
        );
        put(&etcd, "/rk/b", "v3 side");
        let (code, doc, err) = migrate(&etcd, &["/rk"]);
        assert_eq!(code, 4, "{err} {doc}");
        assert_eq!(
            (
                doc["plan"]["update"].clone(),
                doc["plan"]["conflict"].clone()
            ),
            (1.into(), 1.into()),
            "{doc}"
        );
        assert_eq!(stored(&etcd, "/rk/a").unwrap().value, b"3");
        assert_eq!(stored(&etcd, "/rk/b").unwrap().value, b"v3 side");
    });
}
