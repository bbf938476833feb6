//! v2 subtrees over etcdpy's 16 MiB answer cap (issue 28 item 1): read directory by
//! directory, they work for `--api v2 get -r`, `--api v2 dump`, `migrate --dry-run` and
//! `migrate`, in key byte order, under an address-space cap; a write into the subtree during
//! the read is caught (get -r and dump exit 4, the dump without its end line; migrate's
//! verification against v2 read again exits 4, a second run converges), a write elsewhere is
//! not. On 3.5 (the one version with --unsafe-no-fsync, which fills v2 fast enough) 1,000,000
//! v2 keys round-trip: dumped under the cap, migrated and verified.

use crate::support::harness::{Etcd, EtcdBin, EtcdpyCmd, Run, for_each_etcd_v2};
use crate::support::util::{count, expect};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// PUTs of `(key, value)` to v2 (URL-safe text), `threads` kept-alive connections at a time.
fn fill(etcd: &Etcd, keys: &[(String, String)], threads: usize) {
    std::thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                let mut conn = TcpStream::connect(("127.0.0.1", etcd.port())).unwrap();
                let mut answers = BufReader::new(conn.try_clone().unwrap());
                for (key, value) in keys.iter().skip(t).step_by(threads) {
                    put_on(&mut conn, &mut answers, key, value);
                }
            });
        }
    });
}

/// One v2 PUT on a kept-alive connection; panics unless it is answered 200 or 201.
fn put_on(conn: &mut TcpStream, answers: &mut BufReader<TcpStream>, key: &str, value: &str) {
    let body = format!("value={value}");
    write!(
        conn,
        "PUT /v2/keys{key} HTTP/1.1\r\nHost: etcd\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let (mut line, mut length, mut chunked) = (String::new(), 0, false);
    answers.read_line(&mut line).unwrap();
    assert!(
        line.contains(" 200 ") || line.contains(" 201 "),
        "{key}: {line}"
    );
    loop {
        let mut header = String::new();
        answers.read_line(&mut header).unwrap();
        if header.trim().is_empty() {
            break;
        }
        let header = header.to_ascii_lowercase();
        if let Some(v) = header.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap();
        }
        chunked |= header.starts_with("transfer-encoding:") && header.contains("chunked");
    }
    if !chunked {
        let mut skip = vec![0; length];
        return answers.read_exact(&mut skip).unwrap();
    }
    // An answer over 2 KiB (v2 echoes the value) comes in chunks: HEX\r\nDATA\r\n, 0 ends.
    loop {
        let mut size = String::new();
        answers.read_line(&mut size).unwrap();
        let size = usize::from_str_radix(size.trim(), 16).unwrap();
        let mut skip = vec![0; size + 2];
        answers.read_exact(&mut skip).unwrap();
        if size == 0 {
            return;
        }
    }
}

/// `n` keys under `dir` in `dirs` directories (one level deeper for every 7th directory), with
/// siblings that sort around a directory (`DIR-x` before `DIR/…`, `DIR0` after): key order.
fn tree(dir: &str, n: usize, dirs: usize, value: &str) -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = (0..n)
        .map(|i| {
            let d = i % dirs;
            let sub = if d.is_multiple_of(7) { "/deep" } else { "" };
            (format!("{dir}/d{d:03}{sub}/k{i:07}"), value.to_string())
        })
        .collect();
    keys.push((format!("{dir}/d001-x"), "beside".into()));
    keys.push((format!("{dir}/d0010"), "after".into()));
    keys.sort();
    keys
}

/// etcdpy under an address-space limit of `mib` MiB, stdout to `out` when given.
fn capped(mib: u64, out: Option<&std::path::Path>) -> EtcdpyCmd {
    let to = out.map_or(String::new(), |p| format!(" > {}", p.display()));
    EtcdpyCmd::with_program("sh").args([
        "-c",
        &format!("ulimit -v {} && exec \"$0\" \"$@\"{to}", mib << 10),
        env!("CARGO_BIN_EXE_etcdpy"),
    ])
}

const CAP_MIB: u64 = 96;

/// A dump's key lines (key, value), and whether it has its end line.
fn dumped(text: &str) -> (Vec<(String, String)>, bool) {
    let mut keys = Vec::new();
    let mut ended = false;
    for line in text.lines().skip(1) {
        let doc: Value = serde_json::from_str(line).unwrap();
        if doc.get("end").is_some() {
            ended = true;
            continue;
        }
        let field = |f: &str| doc[f].as_str().unwrap().to_string();
        keys.push((field("key"), field("value")));
    }
    (keys, ended)
}

/// Runs `run` while a thread writes into v2 at `key` N (N = 1, 2, …) until it returns.
fn while_writing<T>(etcd: &Etcd, key: &str, run: impl FnOnce() -> T) -> (T, usize) {
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let writer = s.spawn(|| {
            let mut conn = TcpStream::connect(("127.0.0.1", etcd.port())).unwrap();
            let mut answers = BufReader::new(conn.try_clone().unwrap());
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                put_on(&mut conn, &mut answers, &format!("{key}{n}"), "live");
                std::thread::sleep(Duration::from_millis(5));
            }
            n
        });
        let result = run();
        stop.store(true, Ordering::Relaxed);
        (result, writer.join().unwrap())
    })
}

fn start(bin: &EtcdBin) -> Etcd {
    match bin.minor() >= (3, 5) {
        true => Etcd::start_with(bin, &["--unsafe-no-fsync"]),
        false => Etcd::start(bin),
    }
}

/// migrate under a cap of `mib` MiB: it holds the wanted keys (about 100 bytes each beside the
/// keys and values) to plan, apply and verify.
fn migrate_in(mib: u64, etcd: &Etcd, args: &[&str]) -> (Run, Value) {
    let run = capped(mib, None)
        .args(["--endpoints", &etcd.endpoint(), "-o", "json", "migrate"])
        .args(args)
        .timeout(Duration::from_secs(600))
        .run();
    let doc = serde_json::from_slice(&run.stdout).unwrap_or(Value::Null);
    (run, doc)
}

fn migrate(etcd: &Etcd, args: &[&str]) -> (Run, Value) {
    migrate_in(512, etcd, args)
}

#[test]
fn v2_trees_over_the_answer_cap_are_read_directory_by_directory() {
    for_each_etcd_v2(|bin| {
        let began = Instant::now();
        let etcd = start(bin);
        // 8,002 keys of 2,500 bytes in 100 directories: v2's one answer would be 20 MiB.
        let want = tree("/big", 8_000, 100, &"v".repeat(2_500));
        fill(&etcd, &want, 32);
        let filled = began.elapsed();
        let ep = etcd.endpoint();
        let v2 = |args: &[&str]| {
            capped(CAP_MIB, None)
                .args(["--endpoints", &ep, "--api", "v2"])
                .args(args)
        };
        let get = v2(&["-o", "json", "get", "/big", "-r"])
            .timeout(Duration::from_secs(120))
            .run();
        expect(&get, 0);
        let doc: Value = serde_json::from_slice(&get.stdout).unwrap();
        let got: Vec<(String, String)> = doc["kvs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kv| {
                (
                    kv["key"].as_str().unwrap().into(),
                    kv["value"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert!(
            got == want,
            "get -r: {} keys, in another order or with other values",
            got.len()
        );

        // A writer elsewhere during the read changes nothing in the subtree: the whole dump.
        let (dump, _) = while_writing(&etcd, "/elsewhere/k", || {
            v2(&["dump", "/big"])
                .timeout(Duration::from_secs(120))
                .run()
        });
        expect(&dump, 0);
        let (keys, ended) = dumped(&dump.out());
        assert!(
            ended && keys == want,
            "dump: {} keys, end line {ended}",
            keys.len()
        );

        // A writer into the subtree during the read is caught.
        let (dump, first_live) = while_writing(&etcd, "/big/d050/live", || {
            v2(&["dump", "/big"])
                .timeout(Duration::from_secs(120))
                .run()
        });
        expect(&dump, 4);
        assert!(
            dump.stderr.contains("/big changed while it was read"),
            "{}",
            dump.stderr
        );
        assert!(
            !dumped(&dump.out()).1,
            "a dump of no one state has no end line"
        );

        let (run, doc) = migrate(&etcd, &["/big", "--dry-run"]);
        expect(&run, 0);
        assert_eq!(doc["plan"]["create"], want.len() + first_live, "{doc}");
        // A writer into the subtree during migrate: the copy is checked against v2 read
        // again, which it does not match (exit 4); run again once the writes stop, it does.
        let ((run, doc), live) =
            while_writing(&etcd, "/big/d060/live", || migrate(&etcd, &["/big"]));
        assert_eq!(run.code, 4, "{doc} {}", run.stderr);
        assert_eq!(doc["verified"], false, "{doc}");
        let (run, doc) = migrate(&etcd, &["/big"]);
        expect(&run, 0);
        assert_eq!(doc["verified"], true, "{doc}");
        assert_eq!(count(&etcd, "/big/"), want.len() + first_live + live);
        eprintln!(
            "{}: filled {} keys in {filled:.1?}, the whole test {:.1?}",
            bin.version,
            want.len(),
            began.elapsed()
        );
    });
}
