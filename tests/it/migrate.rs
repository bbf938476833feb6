//! `migrate`: python-etcd 0.4.5's v2 keyspace (5,000 keys, TTLs, nested and empty directories,
//! hidden keys, binary-safe values) copied into v3 on the same server and verified; a second
//! run writes nothing; a changed v2 key is updated; a v3 key written since the last migrate is
//! a conflict (exit 4, left alone) unless --overwrite.

use crate::harness::{Etcd, etcdpy, for_each_etcd, for_each_etcd_v2};
use crate::pyetcd::{py, py_within};
use crate::util::{count, expect, put, stored};
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
        let mut writer = crate::harness::spawn_guarded({
            let mut cmd = std::process::Command::new("sh");
            cmd.args(["-c", &crate::pyetcd::shell(etcd.port(), "i = 0\nwhile True:\n    i += 1\n    c.write('/src/zz', 'later %d' % i)\n    time.sleep(0.01)\n")]);
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
        crate::auth::enable_auth(|args| dst.etcdctl(args));
        let dir = tempfile::tempdir().unwrap();
        let (user, password) = crate::auth::ROOT.split_once(':').unwrap();
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
        let etcd = crate::harness::shared(bin);
        let dir = format!("/_{}", crate::harness::unique("hid").replace('/', "_"));
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
fn before_3_5_26(bin: &crate::harness::EtcdBin) -> bool {
    let patch: u32 = bin.version.split('.').nth(2).unwrap().parse().unwrap();
    bin.minor() < (3, 5) || (bin.minor() == (3, 5) && patch < 26)
}
