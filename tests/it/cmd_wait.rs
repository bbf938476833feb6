//! `etcdpy wait`: a condition that already holds (one read), timeouts (exit 5), -r, JSON,
//! and the race it exists for — a writer that makes the condition hold only for an instant,
//! right while wait starts (between its read and its watch): never missed, on v3 and v2.

use crate::support::api::{etcdpy_on, for_each_api, put_on};
use crate::support::harness::{
    Etcd, etcdpy, for_each_etcd, for_each_etcd_v2, http, shared, unique,
};
use crate::support::util::{expect, put};
use std::thread;
use std::time::{Duration, Instant};

/// Write `key` = `value` through the gateway (base64), quickly: no process per write.
fn put_fast(etcd: &Etcd, key: &str, value: &str) {
    use base64::Engine as _;
    let b = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let body = format!(r#"{{"key":"{}","value":"{}"}}"#, b(key), b(value));
    let (status, text) = http(etcd.port(), "POST", "/v3/kv/put", Some(&body)).expect("put");
    assert_eq!(status, 200, "{text}");
}

fn del_fast(etcd: &Etcd, key: &str) {
    use base64::Engine as _;
    let body = format!(
        r#"{{"key":"{}"}}"#,
        base64::engine::general_purpose::STANDARD.encode(key)
    );
    let (status, text) = http(etcd.port(), "POST", "/v3/kv/deleterange", Some(&body)).expect("del");
    assert_eq!(status, 200, "{text}");
}

/// Waits for `child` (a `wait` spawned with piped output): it must exit 0.
#[track_caller]
fn exits_0(child: std::process::Child) {
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn del_v2(etcd: &Etcd, key: &str) {
    let (status, body) = http(
        etcd.port(),
        "DELETE",
        &format!("/v2/keys{key}?recursive=true"),
        None,
    )
    .expect("v2 rm");
    assert_eq!(status, 200, "{body}");
}

/// Run `wait` with --debug and, as soon as its read has been answered (the trace line of the
/// read, printed before the watch is opened), `act`: the change lands between the read and
/// the watch. The exit code, stdout and stderr.
fn race(
    cmd: crate::support::harness::EtcdpyCmd,
    read: &str,
    act: impl FnOnce(),
) -> (i32, String, String) {
    use std::io::{BufRead, BufReader, Read};
    let mut child = cmd.arg("--debug").spawn();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    let mut act = Some(act);
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        seen.push_str(&line);
        if line.contains(read) && line.contains(" -> ") {
            (act.take().unwrap())();
            break;
        }
        line.clear();
    }
    assert!(act.is_none(), "wait never read ({read}):\n{seen}");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    let code = out.status.code().unwrap_or(-1);
    (
        code,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        seen + &rest,
    )
}

#[test]
fn a_condition_that_holds_returns_at_once_and_one_that_does_not_times_out_with_5() {
    for_each_api(|bin, api| {
        let etcd = shared(bin);
        let p = unique("wait-now");
        let (a, gone) = (format!("{p}/a"), format!("{p}/gone"));
        put_on(etcd, api, &a, "hello");
        let wait = |args: &[&str]| etcdpy_on(etcd, api).arg("wait").args(args).run();
        let run = wait(&[&a, "--for", "exists"]);
        expect(&run, 0);
        assert_eq!(run.out(), "hello\n");
        let run = wait(&[&a, "--for", "value=hello", "-o", "json"]);
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_str(run.out().trim()).unwrap();
        assert_eq!(doc["condition"], "value");
        assert_eq!(doc["kv"]["value"], "hello");
        let run = wait(&[&gone, "--for", "deleted"]);
        expect(&run, 0);
        assert_eq!(run.out(), "");
        let run = wait(&[&p, "-r", "--for", "exists"]);
        expect(&run, 0);
        assert_eq!(run.out(), "hello\n");
        let started = Instant::now();
        let run = wait(&[&gone, "--for", "exists", "--timeout", "1s"]);
        expect(&run, 5);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert!(run.stderr.contains("within 1s"), "{}", run.stderr);
        expect(&wait(&[&a, "--for", "value=other", "--timeout", "1s"]), 5);
        expect(&wait(&[&p, "-r", "--for", "deleted", "--timeout", "1s"]), 5);
        expect(&wait(&[&p, "-r", "--for", "value=x"]), 2);
        expect(&wait(&[&a, "--for", "maybe"]), 2);
    });
}

/// Each round makes the condition hold for an instant only (undone by the next write), at a
/// moment spread over wait's start-up: a wait that read and then watched "from now" would
/// miss the rounds whose instant fell between the two, and time out.
#[test]
fn a_condition_holding_only_for_an_instant_while_wait_starts_is_never_missed() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("wait-race");
        for round in 0..100u64 {
            let key = format!("{p}/k{round}");
            let condition = ["exists", "deleted", "value=go"][(round % 3) as usize];
            if round % 3 == 1 {
                put_fast(etcd, &key, "x");
            }
            let cmd = etcdpy().endpoint(etcd).args([
                "wait",
                &key,
                "--for",
                condition,
                "--timeout",
                "20s",
            ]);
            let (code, stdout, stderr) = race(cmd, "/v3/kv/range", || match round % 3 {
                0 => {
                    put_fast(etcd, &key, "here");
                    del_fast(etcd, &key);
                }
                1 => {
                    del_fast(etcd, &key);
                    put_fast(etcd, &key, "back");
                }
                _ => {
                    put_fast(etcd, &key, "go");
                    put_fast(etcd, &key, "gone");
                }
            });
            assert_eq!(code, 0, "round {round} ({condition}): {stderr}");
            let want = ["here\n", "", "go\n"][(round % 3) as usize];
            assert_eq!(stdout, want, "round {round} ({condition})");
        }
    });
}

#[test]
fn wait_r_deleted_holds_when_the_last_key_goes_even_if_one_comes_back_at_once() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let p = unique("wait-r");
        put(etcd, &format!("{p}/a"), "1");
        put(etcd, &format!("{p}/b"), "1");
        let child = etcdpy()
            .endpoint(etcd)
            .args(["wait", &p, "-r", "--for", "deleted", "--timeout", "20s"])
            .spawn();
        thread::sleep(Duration::from_millis(300));
        del_fast(etcd, &format!("{p}/a"));
        del_fast(etcd, &format!("{p}/b"));
        put_fast(etcd, &format!("{p}/c"), "again");
        exits_0(child);
    });
}

#[test]
fn wait_on_api_v2_uses_the_index_of_its_read() {
    for_each_etcd_v2(|bin| {
        let etcd = shared(bin);
        let p = unique("wait-v2");
        let v2 = || etcdpy().endpoint(etcd).args(["--api", "v2", "wait"]);
        put_on(etcd, "v2", &format!("{p}/a"), "one");
        let run = v2().args([&format!("{p}/a"), "--for", "value=one"]).run();
        expect(&run, 0);
        assert_eq!(run.out(), "one\n");
        let run = v2()
            .args([&format!("{p}/nope"), "--for", "exists", "--timeout", "1s"])
            .run();
        expect(&run, 5);
        for round in 0..30u64 {
            let key = format!("{p}/r{round}");
            let cmd = v2().args([&key, "--for", "value=go", "--timeout", "20s"]);
            let (code, stdout, stderr) = race(cmd, "quorum=true", || {
                put_on(etcd, "v2", &key, "go");
                put_on(etcd, "v2", &key, "gone");
            });
            assert_eq!(code, 0, "round {round}: {stderr}");
            assert_eq!(stdout, "go\n", "round {round}");
        }
        // -r deleted: a directory removed in one event, then a key made again at once.
        put_on(etcd, "v2", &format!("{p}/d/x"), "1");
        put_on(etcd, "v2", &format!("{p}/d/y/z"), "1");
        let child = v2()
            .args([
                &format!("{p}/d"),
                "-r",
                "--for",
                "deleted",
                "--timeout",
                "20s",
            ])
            .spawn();
        thread::sleep(Duration::from_millis(300));
        del_v2(etcd, &format!("{p}/d"));
        put_on(etcd, "v2", &format!("{p}/d/x"), "again");
        exits_0(child);
    });
}

#[test]
fn ctrl_c_ends_a_wait_with_130() {
    use std::io::{BufRead, BufReader};
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/never", unique("wait-int"));
        let mut child = etcdpy()
            .endpoint(etcd)
            .args(["--debug", "wait", &key, "--for", "exists"])
            .spawn();
        // Interrupted once its watch is open (the trace line of the watch).
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut line = String::new();
        while stderr.read_line(&mut line).unwrap() > 0 && !line.contains("/v3/watch -> ") {
            line.clear();
        }
        assert!(line.contains("/v3/watch -> "), "no watch opened");
        // SAFETY: a plain kill(2) of our own child.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(130));
        assert!(out.stdout.is_empty());
    });
}
