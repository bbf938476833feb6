//! `rollback` and `dump --rev`: one key back to its value at REV (etcdctl shows the old value at
//! a new revision; a key absent at REV is deleted), a writer racing it between the plan and the
//! answer on a real pty (exit 4, the writer's value kept), a 5,000-key prefix with adds,
//! changes and deletes since REV rolled back under a memory cap while a writer changes 10 of
//! its keys (those reported and kept, every other key as `etcdctl get --prefix --rev REV`
//! shows it), `--dry-run` writing nothing, bad and compacted revisions refused.

use crate::support::harness::{Etcd, EtcdpyCmd, etcdpy, for_each_etcd};
use crate::support::pty::pty_to_type_into;
use crate::support::util::{expect, put, revision, sealed, stored};
use std::io::{Read, Write};
use std::process::Child;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The store's revision now.
fn now(etcd: &Etcd) -> i64 {
    put(etcd, "/rollback-probe", "x")
}

/// `etcdctl get PREFIX --prefix [--rev REV]`, as printed.
fn listing(etcd: &Etcd, prefix: &str, rev: Option<i64>) -> Vec<u8> {
    let rev = rev.map(|r| format!("--rev={r}"));
    let mut args = vec!["get", prefix, "--prefix"];
    args.extend(rev.as_deref());
    let out = etcd.etcdctl(&args);
    assert!(out.status.success(), "{out:?}");
    out.stdout
}

fn rollback(etcd: &Etcd, args: &[&str]) -> crate::support::harness::Run {
    etcdpy().endpoint(etcd).arg("rollback").args(args).run()
}

/// A command on a pty that asks: the output until the question, then what comes after the
/// test (in `meanwhile`) wrote and typed `answer`.
fn asked(line: &str, meanwhile: impl FnOnce(), answer: &str) -> (Option<i32>, String) {
    let mut child: Child = pty_to_type_into(line);
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut shown = Vec::new();
    let start = Instant::now();
    while !String::from_utf8_lossy(&shown).contains("[y/N]") {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(bytes) => shown.extend(bytes),
            Err(_) => panic!(
                "no question after {:?}: {}",
                start.elapsed(),
                String::from_utf8_lossy(&shown)
            ),
        }
    }
    meanwhile();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(answer.as_bytes()).unwrap();
    let status = child.wait().unwrap();
    drop(stdin);
    let _ = reader.join();
    while let Ok(bytes) = rx.try_recv() {
        shown.extend(bytes);
    }
    let shown = String::from_utf8_lossy(&shown).replace("\r\n", "\n");
    (status.code(), shown)
}

#[test]
fn a_key_goes_back_to_its_value_at_rev() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let rev = put(&etcd, "/rb/k", "old\nsame\n");
        put(&etcd, "/rb/k", "new\nsame\n");
        let later = put(&etcd, "/rb/added", "x");

        // --dry-run: the diff, nothing written.
        let before = now(&etcd);
        let dry = rollback(&etcd, &["/rb/k", "--to", &rev.to_string(), "--dry-run"]);
        expect(&dry, 0);
        assert!(dry.out().contains("-new\n+old\n"), "{dry:?}");
        assert!(dry.out().contains("dry run: nothing written"), "{dry:?}");
        assert_eq!(now(&etcd), before + 1, "the dry run wrote nothing");

        // No terminal and no --yes: refused, nothing written.
        let refused = rollback(&etcd, &["/rb/k", "--to", &rev.to_string()]);
        expect(&refused, 2);
        assert!(refused.stderr.contains("give --yes"), "{refused:?}");
        assert_eq!(stored(&etcd, "/rb/k").unwrap().value, b"new\nsame\n");

        let run = rollback(&etcd, &["/rb/k", "--to", &rev.to_string(), "--yes"]);
        expect(&run, 0);
        let k = stored(&etcd, "/rb/k").unwrap();
        assert_eq!(k.value, b"old\nsame\n");
        assert!(k.mod_revision > later, "a new revision: {}", k.mod_revision);
        assert!(
            run.out()
                .contains(&format!("written at revision {}", k.mod_revision)),
            "{run:?}"
        );
        // Again: nothing to do.
        let again = rollback(&etcd, &["/rb/k", "--to", &rev.to_string(), "--yes"]);
        expect(&again, 0);
        assert!(again.out().contains("nothing to roll back"), "{again:?}");

        // A key that did not exist at REV is deleted.
        let run = rollback(&etcd, &["/rb/added", "--to", &rev.to_string(), "--yes"]);
        expect(&run, 0);
        assert!(stored(&etcd, "/rb/added").is_none());

        // Bad revisions: 0, negative, not a number, beyond now (exit 2, nothing written).
        let beyond = (now(&etcd) + 1000).to_string();
        for bad in ["0", "-3", "abc", "99999999999999999999"] {
            let run = rollback(&etcd, &["/rb/k", "--to", bad, "--yes"]);
            expect(&run, 2);
            assert!(run.stderr.contains("--to"), "{run:?}");
        }
        let run = rollback(&etcd, &["/rb/k", "--to", &beyond, "--yes"]);
        assert!(
            run.stderr.contains("beyond the current revision"),
            "{run:?}"
        );
        assert!(run.stderr.starts_with("error: revision "), "{run:?}");

        // The whole keyspace ("" -r): planned like any prefix.
        let all = rollback(&etcd, &["", "-r", "--to", &rev.to_string(), "--dry-run"]);
        expect(&all, 0);
        assert!(all.out().contains("delete    /rollback-probe\n"), "{all:?}");

        // dump --rev: the subtree as it was, the same keys etcdctl shows at REV.
        let dumped = etcdpy()
            .endpoint(&etcd)
            .args(["dump", "/rb", "--rev", &later.to_string()])
            .run();
        expect(&dumped, 0);
        let text = dumped.out();
        assert!(text.contains(&format!("\"revision\":{later}")), "{text}");
        assert!(text.contains(r#""key":"/rb/added""#), "{text}");
        assert!(text.contains(r#""value":"new\nsame\n""#), "{text}");

        // A compacted REV: refused, naming the oldest revision still held.
        let top = now(&etcd);
        let out = etcd.etcdctl(&["compaction", &top.to_string()]);
        assert!(out.status.success(), "{out:?}");
        let floor = format!("the oldest revision still available is {top}");
        let run = rollback(&etcd, &["/rb/k", "--to", &rev.to_string(), "--yes"]);
        expect(&run, 10);
        assert!(run.stderr.contains(&floor), "{run:?}");
        let run = rollback(&etcd, &["/rb", "-r", "--to", &rev.to_string(), "--yes"]);
        expect(&run, 10);
        assert!(run.stderr.contains(&floor), "{run:?}");
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["dump", "/rb", "--rev", &rev.to_string()])
            .run();
        expect(&run, 10);
        assert!(run.stderr.contains(&floor), "{run:?}");
    });
}

#[test]
fn a_writer_racing_a_key_rollback_wins_with_exit_4() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let rev = put(&etcd, "/race/k", "old\n");
        put(&etcd, "/race/k", "new\n");
        let line = format!(
            "{} --endpoints {} rollback /race/k --to {rev}",
            env!("CARGO_BIN_EXE_etcdpy"),
            etcd.endpoint()
        );
        let mut theirs = 0;
        let (code, shown) = asked(&line, || theirs = put(&etcd, "/race/k", "theirs"), "y\n");
        assert_eq!(code, Some(4), "{shown}");
        assert!(shown.contains("-new\n+old\n"), "{shown}");
        assert!(
            shown.contains(&format!("changed at revision {theirs}")),
            "{shown}"
        );
        assert_eq!(stored(&etcd, "/race/k").unwrap().value, b"theirs");
        // Answered no: nothing written.
        let (code, shown) = asked(&line, || {}, "n\n");
        assert_eq!(code, Some(4), "{shown}");
        assert_eq!(stored(&etcd, "/race/k").unwrap().value, b"theirs");
    });
}

/// Bring /big to exactly `keys` (in key order) with one `etcdpy load --prune` of a
/// hand-made dump: the fast way to write thousands of keys.
fn bulk(etcd: &Etcd, dir: &tempfile::TempDir, keys: impl Iterator<Item = (String, String)>) {
    let mut text =
        String::from("{\"dump\":\"etcdpy\",\"api\":\"v3\",\"prefix\":\"/big\",\"revision\":1}\n");
    for (key, value) in keys {
        text.push_str(&format!(
            "{{\"key\":\"{key}\",\"value\":\"{value}\",\"ttl\":null}}\n"
        ));
    }
    let path = dir.path().join("big.ndjson");
    std::fs::write(&path, sealed(&text)).unwrap();
    let run = etcdpy()
        .endpoint(etcd)
        .arg("load")
        .arg(&path)
        .arg("--prune")
        .run();
    expect(&run, 0);
}

/// etcdpy under `prlimit --as` (address space, in MiB), as a shell command line.
fn capped_line(mib: u64) -> String {
    format!(
        "prlimit --as={} -- {}",
        mib << 20,
        env!("CARGO_BIN_EXE_etcdpy")
    )
}

#[test]
fn a_5000_key_prefix_goes_back_and_a_writer_keeps_its_10_keys() {
    const WRITER: [&str; 10] = [
        "/big/00000",
        "/big/00130",
        "/big/00260",
        "/big/00390",
        "/big/00499",
        "/big/01000",
        "/big/01500",
        "/big/01999",
        "/big/new/00000",
        "/big/new/00499",
    ];
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        bulk(
            &etcd,
            &dir,
            (0..5000).map(|i| (format!("/big/{i:05}"), "v".repeat(40))),
        );
        let rev = now(&etcd);
        // Since REV: 500 changed, 1,000 deleted, 500 added (one load --prune).
        let after = (0..5000)
            .filter(|i| !(1000..2000).contains(i))
            .map(|i| {
                (
                    format!("/big/{i:05}"),
                    if i < 500 { "w" } else { "v" }.repeat(40),
                )
            })
            .chain((0..500).map(|i| (format!("/big/new/{i:05}"), "n".to_string())));
        bulk(&etcd, &dir, after);

        let before = now(&etcd);
        let dry = EtcdpyCmd::with_program("sh")
            .args([
                "-c",
                &format!(
                    "{} --endpoints {} rollback /big -r --to {rev} --dry-run",
                    capped_line(64),
                    etcd.endpoint()
                ),
            ])
            .run();
        expect(&dry, 0);
        assert!(
            dry.out()
                .contains("1000 to create, 500 to update, 3500 unchanged, 500 to delete"),
            "{}",
            &dry.out()[dry.out().len().saturating_sub(400)..]
        );
        assert!(
            dry.out().contains("delete    /big/new/00007\n"),
            "the keys are listed"
        );
        assert_eq!(now(&etcd), before + 1, "the dry run wrote nothing");

        let line = format!(
            "{} --endpoints {} rollback /big -r --to {rev} --max-txn-ops 100",
            capped_line(64),
            etcd.endpoint()
        );
        let writer = || {
            for key in WRITER {
                put(&etcd, key, "theirs");
            }
        };
        let (code, shown) = asked(&line, writer, "y\n");
        assert_eq!(code, Some(4), "{shown}");
        for key in WRITER {
            assert!(
                shown.contains(&format!("(changed during the rollback): {key}\n")),
                "{key} reported: {shown}"
            );
            assert_eq!(stored(&etcd, key).unwrap().value, b"theirs", "{key} kept");
        }
        // Every other key as it was at REV.
        let strip = |listing: Vec<u8>| -> Vec<(String, String)> {
            pairs(listing)
                .into_iter()
                .filter(|(k, _)| !WRITER.contains(&k.as_str()))
                .collect()
        };
        let then = strip(listing(&etcd, "/big/", Some(rev)));
        let now_ = strip(listing(&etcd, "/big/", None));
        assert_eq!(then.len(), 5000 - 8);
        assert!(
            then == now_,
            "the prefix is as it was at REV, but for the writer's keys"
        );
    });
}

/// `etcdctl get PREFIX --prefix` output as a map from key to value.
fn pairs(listing: Vec<u8>) -> std::collections::BTreeMap<String, String> {
    let text = String::from_utf8(listing).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    lines
        .chunks(2)
        .map(|p| (p[0].to_string(), p[1].to_string()))
        .collect()
}

#[test]
fn a_prefix_rollback_killed_half_way_leaves_whole_keys_and_a_rerun_finishes_it() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let dir = tempfile::tempdir().unwrap();
        bulk(
            &etcd,
            &dir,
            (0..2000).map(|i| (format!("/big/{i:05}"), format!("old{i}"))),
        );
        let rev = now(&etcd);
        // Since REV: 1,000 changed, 500 deleted, 500 added.
        let after = (0..2000)
            .filter(|i| !(1000..1500).contains(i))
            .map(|i| {
                let value = if i < 1000 { "new" } else { "old" };
                (format!("/big/{i:05}"), format!("{value}{i}"))
            })
            .chain((0..500).map(|i| (format!("/big/new/{i:05}"), format!("added{i}"))));
        bulk(&etcd, &dir, after);
        let then = pairs(listing(&etcd, "/big/", Some(rev)));
        let bad = pairs(listing(&etcd, "/big/", None));

        // Two keys a transaction, 1,000 of them: SIGKILLed once 20 have landed, with the server
        // frozen first so that the rollback cannot finish in between (seen: 14 more landed
        // between the poll and the freeze, with 980 to go).
        let start = revision(etcd.port());
        let mut child = etcdpy()
            .endpoint(&etcd)
            .args(["--yes", "rollback", "/big", "-r", "--to", &rev.to_string()])
            .args(["--max-txn-ops", "2"])
            .spawn();
        let deadline = Instant::now() + Duration::from_secs(60);
        while revision(etcd.port()) < start + 20 {
            assert!(
                child.try_wait().unwrap().is_none(),
                "ended before it was killed"
            );
            assert!(Instant::now() < deadline, "no 20 transactions within 60 s");
            std::thread::sleep(Duration::from_millis(2));
        }
        etcd.freeze();
        child.kill().unwrap();
        child.wait().unwrap();
        etcd.thaw();

        // Every key is whole: as it was at REV or as it was before the rollback.
        let mid = pairs(listing(&etcd, "/big/", None));
        let keys: std::collections::BTreeSet<&String> =
            then.keys().chain(bad.keys()).chain(mid.keys()).collect();
        let (mut back, mut not_yet) = (0, 0);
        for key in keys {
            let now = mid.get(key);
            assert!(
                now == then.get(key) || now == bad.get(key),
                "{key}: {now:?}, neither {:?} (REV) nor {:?}",
                then.get(key),
                bad.get(key)
            );
            if then.get(key) != bad.get(key) {
                if now == then.get(key) {
                    back += 1
                } else {
                    not_yet += 1
                }
            }
        }
        assert!(back >= 40 && not_yet > 0, "{back} back, {not_yet} not yet");
        eprintln!(
            "etcd {}: killed with {back} keys back, {not_yet} not yet",
            bin.version
        );

        // Run again: the rest goes back; what the first run did is unchanged, not reported.
        let run = rollback(&etcd, &["/big", "-r", "--to", &rev.to_string(), "--yes"]);
        expect(&run, 0);
        assert!(
            !run.out().contains("changed during the rollback"),
            "{run:?}"
        );
        assert_eq!(pairs(listing(&etcd, "/big/", None)), then);
    });
}

/// `etcdctl lease grant TTL`: the lease ID in hex as etcdpy writes it (etcdctl pads it).
fn grant(etcd: &Etcd, ttl: &str) -> String {
    let out = etcd.etcdctl(&["lease", "grant", ttl]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let hex = text.split_whitespace().nth(1).expect("lease ID");
    format!("{:x}", i64::from_str_radix(hex, 16).unwrap())
}

#[test]
fn leases_are_kept_not_revived_or_new_and_json_matches_the_schema() {
    use crate::support::schema::{RollbackKeyDoc, RollbackPrefixDoc};
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        let alive = grant(&etcd, "600");
        let gone = grant(&etcd, "600");
        let out = etcd.etcdctl(&["put", "/lz/alive", "a1", "--lease", &alive]);
        assert!(out.status.success(), "{out:?}");
        let out = etcd.etcdctl(&["put", "/lz/gone", "g1", "--lease", &gone]);
        assert!(out.status.success(), "{out:?}");
        let rev = now(&etcd);
        put(&etcd, "/lz/alive", "a2");
        let out = etcd.etcdctl(&["lease", "revoke", &gone]);
        assert!(out.status.success(), "{out:?}");
        put(&etcd, "/lz/other", "o2");

        let json = |args: &[&str]| {
            let run = etcdpy()
                .endpoint(&etcd)
                .args(["-o", "json", "--yes", "rollback"])
                .args(args)
                .run();
            expect(&run, 0);
            let text = run.out();
            assert_eq!(text.lines().count(), 1, "one document: {text}");
            text
        };
        let to = rev.to_string();
        // The lease of REV, still alive: the key is on it again.
        let doc: RollbackKeyDoc = serde_json::from_str(&json(&["/lz/alive", "--to", &to])).unwrap();
        assert_eq!((doc.action.as_str(), doc.lease.as_str()), ("put", "kept"));
        assert_eq!(doc.lease_id.as_deref(), Some(alive.as_str()));
        let k = stored(&etcd, "/lz/alive").unwrap();
        assert_eq!(
            (k.value.as_slice(), format!("{:x}", k.lease)),
            (&b"a1"[..], alive.clone())
        );
        assert_eq!(doc.written, Some(k.mod_revision));
        // Its lease revoked since: not revived, the value comes back without one.
        let doc: RollbackKeyDoc = serde_json::from_str(&json(&["/lz/gone", "--to", &to])).unwrap();
        assert_eq!(doc.lease, "expired");
        let k = stored(&etcd, "/lz/gone").unwrap();
        assert_eq!((k.value.as_slice(), k.lease), (&b"g1"[..], 0));
        // --ttl: a new lease.
        put(&etcd, "/lz/gone", "g3");
        let doc: RollbackKeyDoc =
            serde_json::from_str(&json(&["/lz/gone", "--to", &to, "--ttl", "30s"])).unwrap();
        assert_eq!(doc.lease, "new");
        let k = stored(&etcd, "/lz/gone").unwrap();
        assert!(
            k.lease != 0 && format!("{:x}", k.lease) != gone,
            "a new lease"
        );

        // The prefix: /lz/other goes, /lz/gone comes back without its lease.
        put(&etcd, "/lz/gone", "g4");
        let dry: RollbackPrefixDoc =
            serde_json::from_str(&json(&["/lz", "-r", "--to", &to, "--dry-run"])).unwrap();
        assert_eq!((dry.plan.update, dry.plan.delete, dry.keys), (1, 1, 2));
        assert!(dry.applied.is_none());
        // No terminal, no --yes: refused after the plan, nothing written.
        let refused = rollback(&etcd, &["/lz", "-r", "--to", &to]);
        expect(&refused, 2);
        assert!(refused.stderr.contains("give --yes"), "{refused:?}");
        assert!(stored(&etcd, "/lz/other").is_some());
        let doc: RollbackPrefixDoc =
            serde_json::from_str(&json(&["/lz", "-r", "--to", &to])).unwrap();
        assert!(doc.changed.is_empty() && doc.applied.is_some());
        assert!(stored(&etcd, "/lz/other").is_none());
        assert_eq!(stored(&etcd, "/lz/gone").unwrap().value, b"g1");
        assert_eq!(
            listing(&etcd, "/lz/", Some(rev)).len(),
            listing(&etcd, "/lz/", None).len()
        );
        // A key moved off its lease since REV goes back on that same lease while it lives (not
        // a new one: the lease's owner keeps it alive), and one still on it is unchanged.
        put(&etcd, "/lz/alive", "a3");
        let out = etcd.etcdctl(&["put", "/lz/more", "m1", "--lease", &alive]);
        assert!(out.status.success(), "{out:?}");
        let rev = now(&etcd);
        put(&etcd, "/lz/alive", "a4");
        let doc: RollbackPrefixDoc =
            serde_json::from_str(&json(&["/lz", "-r", "--to", &rev.to_string()])).unwrap();
        assert_eq!((doc.plan.update, doc.plan.unchanged), (1, 2), "{doc:?}");
        let k = stored(&etcd, "/lz/alive").unwrap();
        assert_eq!(
            (k.value.as_slice(), k.lease),
            (&b"a3"[..], 0),
            "no lease at REV"
        );
        // The same value, off its lease: that alone is a change to roll back.
        put(&etcd, "/lz/more", "m1");
        let doc: RollbackPrefixDoc =
            serde_json::from_str(&json(&["/lz", "-r", "--to", &rev.to_string()])).unwrap();
        assert_eq!((doc.plan.update, doc.plan.unchanged), (1, 2), "{doc:?}");
        let k = stored(&etcd, "/lz/more").unwrap();
        assert_eq!(
            (k.value.as_slice(), format!("{:x}", k.lease)),
            (&b"m1"[..], alive.clone()),
            "back on the lease it had at REV"
        );
    });
}
