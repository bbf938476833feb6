//! The python-etcd shop's road from etcd 3.5 to 3.7, driven on one 3-member cluster and its
//! data directories (issue 22): python-etcd 0.4.5 writes a tree and holds its lock on 3.5 with
//! --enable-v2; `etcdpy migrate --delete-source` moves the tree into v3; `migrate --check` says
//! what still blocks 3.6; each member's v2 snapshot is rewritten (`--snapshot-count=1`) until
//! `etcdutl check v2store` finds no custom content; then the members restart one by one on 3.6
//! (no --enable-v2) and one by one on 3.7, while an `etcdpy lock` holder, an `etcdpy watch -r -f`
//! and an `etcdpy elect` leader run through every restart.
//!
//! The versions come from ETCDPY_TEST_ETCD: the newest 3.5 at 3.5.26 or later (the 3.6 upgrade
//! guide's floor), a 3.6 and a 3.7. A narrowed list without them runs nothing here; under
//! `scripts/test`'s default matrix (ETCDPY_TEST_MATRIX=default) their absence fails the test.

use crate::support::cluster::{Cluster, Member};
use crate::support::harness::{EtcdBin, etcd_binaries, etcdpy, spawn_guarded};
use crate::support::pyetcd::{at, py_as, python};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The newest configured etcd of `minor` (for 3.5: at 3.5.26 or later).
fn newest(minor: (u32, u32)) -> Option<&'static EtcdBin> {
    let patch = |b: &EtcdBin| -> u32 {
        b.version
            .split('.')
            .nth(2)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    };
    etcd_binaries()
        .iter()
        .filter(|b| b.minor() == minor && (minor != (3, 5) || patch(b) >= 26))
        .max_by_key(|b| patch(b))
}

/// 3.5.26+, 3.6 and 3.7 from the configured list, or `None` (a panic under the default matrix).
fn road() -> Option<[&'static EtcdBin; 3]> {
    let found = [newest((3, 5)), newest((3, 6)), newest((3, 7))];
    if let [Some(a), Some(b), Some(c)] = found {
        return Some([a, b, c]);
    }
    let listed: Vec<&str> = etcd_binaries().iter().map(|b| b.version.as_str()).collect();
    let why = format!(
        "the upgrade road needs etcd 3.5.26+, 3.6 and 3.7 in ETCDPY_TEST_ETCD; it lists {listed:?}"
    );
    if std::env::var("ETCDPY_TEST_MATRIX").as_deref() == Ok("default") {
        panic!("{why} (scripts/setup-etcd should have built them)");
    }
    eprintln!("upgrade: not run: {why}");
    None
}

/// `etcdutl` beside `bin`'s etcd.
fn etcdutl(bin: &EtcdBin) -> PathBuf {
    bin.etcd.with_file_name("etcdutl")
}

/// `etcdutl check v2store` on a stopped member's data dir: its exit success and all it said.
fn check_v2store(bin: &EtcdBin, data_dir: &Path) -> (bool, String) {
    let out: Output = Command::new(etcdutl(bin))
        .args(["check", "v2store", "--data-dir"])
        .arg(data_dir)
        .output()
        .expect("run etcdutl check v2store");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// A shell CMD that runs until `stop` exists, notes its start, and notes a SIGTERM in `term`.
fn held_cmd(stop: &Path, started: &Path, term: &Path) -> Vec<String> {
    let script = format!(
        "trap 'echo TERM >> {term}; exit 1' TERM; echo start >> {started}; \
         while [ ! -e {stop} ]; do sleep 0.2; done",
        term = term.display(),
        started = started.display(),
        stop = stop.display()
    );
    vec!["sh".into(), "-c".into(), script]
}

/// Wait until `path` exists.
#[track_caller]
fn wait_for_file(path: &Path, within: Duration, what: &str) {
    let deadline = Instant::now() + within;
    while !path.exists() {
        assert!(
            Instant::now() < deadline,
            "{what} did not start within {within:?}"
        );
        thread::sleep(Duration::from_millis(100));
    }
}

/// `etcdpy set KEY VALUE --if-absent` through every endpoint until it is known to be written:
/// a retry after an answer lost in an election finds the key there (exit 4), so each key is
/// written exactly once.
#[track_caller]
fn write_once(endpoints: &str, key: &str, value: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let run = etcdpy()
            .args(["--endpoints", endpoints, "set", key, value, "--if-absent"])
            .timeout(Duration::from_secs(30))
            .run();
        if run.code == 0 || run.code == 4 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "could not write {key} within a minute: {run:?}"
        );
        thread::sleep(Duration::from_millis(200));
    }
}

/// Stop member `i`, start it on `bin` with `extra`, wait until healthy.
fn restart(cluster: &mut Cluster, i: usize, bin: &EtcdBin, extra: &[&str]) {
    let m: &mut Member = &mut cluster.members[i];
    m.stop();
    m.restart_on(bin, extra);
    m.wait_healthy(Duration::from_secs(60));
}

/// Nobody but the holder gets the lock, nobody but the leader leads, the leader is the one.
#[track_caller]
fn nobody_else_holds(endpoints: &str) {
    let lock = etcdpy()
        .args([
            "--endpoints",
            endpoints,
            "lock",
            "road-lock",
            "--timeout",
            "1s",
            "--",
            "true",
        ])
        .timeout(Duration::from_secs(60))
        .run();
    assert_eq!(lock.code, 5, "a second holder got the lock: {lock:?}");
    let leader = etcdpy()
        .args(["--endpoints", endpoints, "elect", "road-elect", "--leader"])
        .timeout(Duration::from_secs(60))
        .run();
    assert_eq!(leader.out(), "road-leader\n", "{leader:?}");
}

#[test]
fn python_etcd_shop_goes_from_3_5_through_3_6_to_3_7() {
    let Some([b35, b36, b37]) = road() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let mut cluster = Cluster::start(b35, 3);
    let eps = cluster.endpoints();
    let port = cluster.members[0].port;

    // --- 3.5 with --enable-v2: python-etcd's tree and its lock ---------------------------------
    py_as(
        &at(port),
        "c.write('/app/db/url', 'postgres://db/app'); c.write('/app/db/pool', '10'); \
         c.write('/app/cfg/deep/er/key', 'nested'); c.write('/app/name', 'shop'); \
         c.write('/app/session/s1', 'alive', ttl=3600); c.write('/app/session/s2', 'alive', ttl=1800)",
    );
    let released = work.path().join("py-release");
    let py_held = work.path().join("py-held");
    let script = format!(
        "import etcd, os, time\nc = etcd.Client({})\nl = etcd.Lock(c, 'deploy')\n\
         l.acquire(blocking=True, lock_ttl=600)\nopen('{}', 'w').close()\n\
         while not os.path.exists('{}'): time.sleep(0.1)\nl.release()\n",
        at(port),
        py_held.display(),
        released.display()
    );
    let mut holder: Child = spawn_guarded({
        let mut c = Command::new(python());
        c.arg("-c").arg(script).stdin(Stdio::null());
        c
    })
    .expect("run python-etcd's lock holder");
    wait_for_file(
        &py_held,
        Duration::from_secs(30),
        "python-etcd's lock holder",
    );

    // --- migrate, and what --check says before and after the v2 cleanup ------------------------
    let migrate = etcdpy()
        .args([
            "--endpoints",
            &eps,
            "-o",
            "json",
            "migrate",
            "--delete-source",
        ])
        .run();
    assert_eq!(migrate.code, 0, "{migrate:?}");
    let doc: serde_json::Value = serde_json::from_slice(&migrate.stdout).unwrap();
    assert_eq!(
        (doc["keys"].as_u64(), doc["source_deleted"].as_u64()),
        (Some(6), Some(6)),
        "{doc}"
    );
    let check = etcdpy()
        .args(["--endpoints", &eps, "migrate", "--check"])
        .run();
    assert_eq!(check.code, 4, "{check:?}");
    let said = check.out();
    assert!(
        said.contains("v2 still holds 0 keys and"),
        "empty dirs are left: {check:?}"
    );
    assert!(
        said.contains("hidden directory /_locks holds 1 keys"),
        "python-etcd's lock: {check:?}"
    );
    assert_eq!(said.matches("serves the v2 API").count(), 3, "{check:?}");
    std::fs::write(&released, "").unwrap();
    assert!(
        holder.wait().unwrap().success(),
        "python-etcd's lock holder failed"
    );
    let rm = etcdpy()
        .args(["--endpoints", &eps, "--api", "v2", "rm", "/app", "-r"])
        .run();
    assert_eq!(rm.code, 0, "{rm:?}");
    // python-etcd's release leaves its (empty) lock directory: v2 custom content too.
    let rm = etcdpy()
        .args(["--endpoints", &eps, "--api", "v2", "rm", "/_locks", "-r"])
        .run();
    assert_eq!(rm.code, 0, "{rm:?}");
    let check = etcdpy()
        .args(["--endpoints", &eps, "migrate", "--check"])
        .run();
    assert_eq!(check.code, 4, "{check:?}");
    let blocks: Vec<String> = check
        .out()
        .lines()
        .filter(|l| l.starts_with("blocks"))
        .map(String::from)
        .collect();
    assert_eq!(blocks.len(), 3, "only --enable-v2 is left: {check:?}");
    assert!(
        blocks.iter().all(|l| l.contains("serves the v2 API")),
        "{check:?}"
    );

    // --- the long runners: a lock holder, a watch, an election leader --------------------------
    let stop = work.path().join("stop");
    let (lock_started, lock_term) = (
        work.path().join("lock-started"),
        work.path().join("lock-term"),
    );
    let (elect_started, elect_term) = (
        work.path().join("elect-started"),
        work.path().join("elect-term"),
    );
    let mut lock = etcdpy()
        .args([
            "--endpoints",
            &eps,
            "lock",
            "road-lock",
            "--ttl",
            "20s",
            "--",
        ])
        .args(held_cmd(&stop, &lock_started, &lock_term))
        .spawn();
    wait_for_file(&lock_started, Duration::from_secs(30), "the lock's CMD");
    let mut elect = etcdpy()
        .args([
            "--endpoints",
            &eps,
            "elect",
            "road-elect",
            "--value",
            "road-leader",
            "--ttl",
            "20s",
            "--",
        ])
        .args(held_cmd(&stop, &elect_started, &elect_term))
        .spawn();
    wait_for_file(&elect_started, Duration::from_secs(30), "the leader's CMD");
    let mut watch = etcdpy()
        .args(["--endpoints", &eps, "watch", "-r", "-f", "/road/"])
        .spawn();
    let watched = watch.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    thread::spawn(move || {
        for line in BufReader::new(watched).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // The watch is on: its first write shows.
    write_once(&eps, "/road/w00", "before");
    let first = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the watch prints");
    assert!(first.starts_with("PUT /road/w00 = before"), "{first}");
    let mut written = vec!["/road/w00".to_string()];
    let mut step = 0;
    let mut write = |written: &mut Vec<String>, what: &str| {
        step += 1;
        let key = format!("/road/w{step:02}");
        write_once(&eps, &key, what);
        written.push(key);
    };

    // --- each member: v2 off, its v2 snapshot rewritten, etcdutl's verdict ----------------------
    for i in 0..3 {
        // --enable-v2=false overrides the harness's --enable-v2=true (the last flag wins).
        restart(
            &mut cluster,
            i,
            b35,
            &["--enable-v2=false", "--snapshot-count=1"],
        );
        write(&mut written, "3.5 without v2");
        let m = &mut cluster.members[i];
        m.stop();
        let (ok, said) = check_v2store(b35, &m.data_dir());
        assert!(
            ok && said.contains("No custom content found"),
            "member {i}: {said}"
        );
        m.restart_on(b35, &["--enable-v2=false"]);
        m.wait_healthy(Duration::from_secs(60));
        nobody_else_holds(&eps);
    }
    let check = etcdpy()
        .args(["--endpoints", &eps, "migrate", "--check"])
        .run();
    assert_eq!(check.code, 0, "nothing blocks 3.6 now: {check:?}");

    // --- one by one on 3.6, then on 3.7 --------------------------------------------------------
    for (bin, minor) in [(b36, "3.6"), (b37, "3.7")] {
        for i in 0..3 {
            restart(&mut cluster, i, bin, &[]);
            write(&mut written, &format!("member {i} on {minor}"));
            nobody_else_holds(&eps);
        }
        let v2 = etcdpy()
            .args(["--endpoints", &eps, "--api", "v2", "get", "/app"])
            .run();
        assert_eq!(v2.code, 7, "{v2:?}");
        assert!(v2.stderr.contains("etcd 3.6 removed it"), "{v2:?}");
    }
    let members = etcdpy().args(["--endpoints", &eps, "members"]).run();
    assert_eq!(members.code, 0, "{members:?}");
    assert_eq!(
        members.out().matches(&b37.version).count(),
        3,
        "{members:?}"
    );

    // --- afterwards: the migrated tree on 3.7, with leases for the TTL keys ---------------------
    let get = etcdpy()
        .args(["--endpoints", &eps, "-o", "json", "get", "-r", "/app", "-l"])
        .run();
    assert_eq!(get.code, 0, "{get:?}");
    let doc: serde_json::Value = serde_json::from_slice(&get.stdout).unwrap();
    let kvs: Vec<(String, String, bool)> = doc["kvs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kv| {
            let leased = kv["lease"].is_string() && kv["ttl"].as_i64().unwrap_or(0) > 0;
            (
                kv["key"].as_str().unwrap().into(),
                kv["value"].as_str().unwrap().into(),
                leased,
            )
        })
        .collect();
    let want = [
        ("/app/cfg/deep/er/key", "nested", false),
        ("/app/db/pool", "10", false),
        ("/app/db/url", "postgres://db/app", false),
        ("/app/name", "shop", false),
        ("/app/session/s1", "alive", true),
        ("/app/session/s2", "alive", true),
    ];
    let want: Vec<(String, String, bool)> = want
        .iter()
        .map(|(k, v, l)| (k.to_string(), v.to_string(), *l))
        .collect();
    assert_eq!(kvs, want, "{doc}");

    // --- the long runners were never interrupted -----------------------------------------------
    write(&mut written, "the end");
    let mut seen = vec![first];
    let deadline = Instant::now() + Duration::from_secs(30);
    while seen.len() < written.len() && Instant::now() < deadline {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            seen.push(line);
        }
    }
    // Nothing more comes (no write shown twice).
    if let Ok(extra) = rx.recv_timeout(Duration::from_secs(2)) {
        seen.push(extra);
    }
    let keys: Vec<String> = seen
        .iter()
        .map(|l| {
            l.strip_prefix("PUT ")
                .and_then(|l| l.split(" = ").next())
                .unwrap_or(l)
                .to_string()
        })
        .collect();
    assert_eq!(keys, written, "every write once, in order: {seen:#?}");
    let _ = watch.kill();
    let _ = watch.wait();
    std::fs::write(&stop, "").unwrap();
    for (name, child, term) in [
        ("lock", &mut lock, &lock_term),
        ("elect", &mut elect, &elect_term),
    ] {
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "{name} did not end after its CMD"
            );
            thread::sleep(Duration::from_millis(100));
        };
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut stderr);
        }
        assert!(status.success(), "{name} exited {status}: {stderr}");
        assert!(!term.exists(), "{name}'s CMD got SIGTERM: {stderr}");
        let starts = std::fs::read_to_string(if name == "lock" {
            &lock_started
        } else {
            &elect_started
        })
        .unwrap();
        assert_eq!(starts.lines().count(), 1, "{name}'s CMD ran once");
    }
}

/// The negative case: a 3.5 data dir whose v2 store still holds python-etcd's keys (no
/// migration) is what etcd's guide says not to upgrade; etcdutl says so, and 3.6 refuses it.
#[test]
fn etcd_3_6_refuses_a_data_dir_that_skipped_the_migration() {
    let Some([b35, b36, _]) = road() else {
        return;
    };
    let mut cluster = Cluster::start(b35, 1);
    py_as(
        &at(cluster.members[0].port),
        "c.write('/app/db/url', 'postgres://db/app')",
    );
    let m = &mut cluster.members[0];
    m.stop();
    let (ok, said) = check_v2store(b35, &m.data_dir());
    assert!(
        !ok && said.contains("custom"),
        "etcdutl finds the v2 data: {said}"
    );
    m.restart_on(b36, &[]);
    let status = m.wait_exit(Duration::from_secs(30));
    let log = m.log_text();
    assert!(
        status.is_some_and(|s| !s.success()),
        "etcd {} started on a data dir with v2 data ({status:?}):\n{log}",
        b36.version
    );
    // 3.6 replays the WAL and panics at the first v2 record.
    assert!(
        log.contains("panic: detected disallowed v2 WAL for stage --v2-deprecation=write-only"),
        "{log}"
    );
}
