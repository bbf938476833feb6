//! `snapshot save` against real servers: the file restores with the
//! version's own restore tool (etcdutl; etcdctl on 3.4) into a data dir where
//! a server starts and holds the same keys; `-` writes the snapshot alone to
//! stdout; a relay that stops forwarding the stream makes it exit 5 within
//! the stall timeout and leave no file; a relay that changes one byte of the
//! stream fails the SHA-256 check (kept as FILE.part).

use crate::support::harness::{
    Etcd, EtcdBin, etcdpy, for_each_etcd, free_ports, http, spawn_guarded,
};
use crate::support::util::expect;
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// etcd's trailing SHA-256 holds for `bytes`.
fn hash_ok(bytes: &[u8]) -> bool {
    let (content, hash) = bytes.split_at(bytes.len() - 32);
    ring::digest::digest(&ring::digest::SHA256, content).as_ref() == hash
}

/// Restore `snapshot` into `dir` with the version's tool and start a member there:
/// its client endpoint (the child is killed when `guard` drops).
fn restore_and_start(bin: &EtcdBin, snapshot: &Path, dir: &Path) -> (String, std::process::Child) {
    let (client, peer) = free_ports();
    let peer_url = format!("http://127.0.0.1:{peer}");
    let cluster = format!("restored={peer_url}");
    let data = dir.join("restored");
    let etcdutl = bin.etcd.with_file_name("etcdutl");
    let mut restore = if etcdutl.exists() {
        Command::new(etcdutl)
    } else {
        let mut c = Command::new(&bin.etcdctl);
        c.env("ETCDCTL_API", "3");
        c
    };
    let out = restore
        .args(["snapshot", "restore"])
        .arg(snapshot)
        .arg("--data-dir")
        .arg(&data)
        .args(["--name", "restored", "--initial-cluster", &cluster])
        .args(["--initial-advertise-peer-urls", &peer_url])
        .output()
        .unwrap();
    assert!(out.status.success(), "restore: {out:?}");
    let client_url = format!("http://127.0.0.1:{client}");
    let mut cmd = Command::new(&bin.etcd);
    cmd.arg("--data-dir")
        .arg(&data)
        .args(["--name", "restored", "--initial-cluster", &cluster])
        .args(["--listen-client-urls", &client_url])
        .args(["--advertise-client-urls", &client_url])
        .args(["--listen-peer-urls", &peer_url])
        .args(["--initial-advertise-peer-urls", &peer_url])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = spawn_guarded(cmd).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !matches!(http(client, "GET", "/health", None), Some((200, b)) if b.contains("true")) {
        assert!(
            Instant::now() < deadline,
            "the restored member did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (client_url, child)
}

#[test]
fn a_saved_snapshot_restores_and_stdout_carries_it_alone() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        for n in 0..50 {
            crate::support::util::put(&etcd, &format!("/snap/{n:02}"), &format!("value {n}"));
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("backup.db");
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["snapshot", "save", "-o", "json"])
            .arg(&file)
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let bytes = std::fs::read(&file).unwrap();
        assert!(!dir.path().join("backup.db.part").exists());
        assert_eq!(doc["size"].as_u64(), Some(bytes.len() as u64), "{doc}");
        assert!(hash_ok(&bytes));
        let hex: String = bytes[bytes.len() - 32..]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(doc["sha256"], hex.as_str());
        assert_eq!(doc["transport"], "grpc");

        // The gateway's stream gives a snapshot that holds as well.
        let gateway = dir.path().join("gateway.db");
        let run = etcdpy()
            .endpoint(&etcd)
            .args(["--transport", "gateway", "snapshot", "save"])
            .arg(&gateway)
            .run();
        expect(&run, 0);
        assert!(hash_ok(&std::fs::read(&gateway).unwrap()));

        // `-`: only the snapshot on stdout (the summary on stderr), piped through sha256sum.
        let line = format!(
            "{} --endpoints {} snapshot save - | tee {}/piped.db | sha256sum",
            env!("CARGO_BIN_EXE_etcdpy"),
            etcd.endpoint(),
            dir.path().display()
        );
        let out = Command::new("sh").args(["-c", &line]).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        let piped = std::fs::read(dir.path().join("piped.db")).unwrap();
        let sum: String = ring::digest::digest(&ring::digest::SHA256, &piped)
            .as_ref()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert!(String::from_utf8_lossy(&out.stdout).starts_with(&sum));
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("etcdpy: snapshot of "));
        assert!(hash_ok(&piped));

        let (endpoint, mut child) = restore_and_start(bin, &file, dir.path());
        let run = etcdpy()
            .args([
                "--endpoints",
                &endpoint,
                "get",
                "-r",
                "/snap/",
                "-o",
                "json",
            ])
            .run();
        let _ = child.kill();
        let _ = child.wait();
        expect(&run, 0);
        let text = run.out();
        for n in 0..50 {
            assert!(text.contains(&format!("/snap/{n:02}")), "{text}");
            assert!(text.contains(&format!("value {n}")), "{text}");
        }
    });
}

/// What the relay does to the answer of a snapshot request.
#[derive(Clone, Copy)]
enum Fault {
    /// Stop forwarding after this many bytes (the connection stays open).
    StallAfter(usize),
    /// Swap the case of one base64 letter deep in the gateway's JSON stream.
    Flip,
}

/// A TCP relay to `upstream` that applies `fault` to a connection's answers once a request
/// on it names the snapshot (HTTP/1.1: the gateway).
fn relay(upstream: u16, fault: Fault) -> (u16, Arc<AtomicBool>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            if stopped.load(Ordering::Relaxed) {
                return;
            }
            let Ok(client) = client else { return };
            let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                return;
            };
            let armed = Arc::new(AtomicBool::new(false));
            let (c2, s2, a2) = (
                client.try_clone().unwrap(),
                server.try_clone().unwrap(),
                armed.clone(),
            );
            std::thread::spawn(move || forward_requests(c2, s2, &a2));
            std::thread::spawn(move || forward_answers(server, client, &armed, fault));
        }
    });
    (port, stop)
}

fn forward_requests(mut from: TcpStream, mut to: TcpStream, armed: &AtomicBool) {
    let mut buf = [0u8; 16384];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            break;
        }
        if buf[..n].windows(20).any(|w| w == b"maintenance/snapshot") {
            armed.store(true, Ordering::Relaxed);
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

fn forward_answers(mut from: TcpStream, mut to: TcpStream, armed: &AtomicBool, fault: Fault) {
    let mut buf = [0u8; 16384];
    let (mut seen, mut flipped, mut run) = (0usize, false, 0usize);
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 {
            break;
        }
        let chunk = &mut buf[..n];
        if armed.load(Ordering::Relaxed) {
            match fault {
                Fault::StallAfter(limit) => {
                    let room = limit.saturating_sub(seen);
                    if room < n {
                        let _ = to.write_all(&chunk[..room]);
                        // Silence, the connection open, until the test ends.
                        std::thread::sleep(Duration::from_secs(60));
                        return;
                    }
                }
                Fault::Flip => {
                    for (i, b) in chunk.iter_mut().enumerate() {
                        let base64 = b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/';
                        run = if base64 { run + 1 } else { 0 };
                        if !flipped && seen + i > 10_000 && run > 16 && b.is_ascii_alphabetic() {
                            *b ^= 0x20;
                            flipped = true;
                        }
                    }
                }
            }
            seen += n;
        }
        if to.write_all(chunk).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

#[test]
fn a_stalled_stream_exits_5_and_a_corrupted_one_fails_the_hash() {
    for_each_etcd(|bin| {
        let etcd = Etcd::start(bin);
        for n in 0..200 {
            crate::support::util::put(&etcd, &format!("/fill/{n}"), &"v".repeat(200));
        }
        let dir = tempfile::tempdir().unwrap();

        let (port, stop) = relay(etcd.port(), Fault::StallAfter(6000));
        let file = dir.path().join("stalled.db");
        let started = Instant::now();
        let run = etcdpy()
            .args(["--endpoints", &format!("http://127.0.0.1:{port}")])
            .args([
                "--transport",
                "gateway",
                "snapshot",
                "save",
                "--stall-timeout",
                "2s",
            ])
            .arg(&file)
            .run();
        let took = started.elapsed();
        stop.store(true, Ordering::Relaxed);
        expect(&run, 5);
        assert!(run.stderr.contains("brought nothing for 2s"), "{run:?}");
        assert!(
            took >= Duration::from_secs(2) && took < Duration::from_secs(6),
            "{took:?}"
        );
        assert!(!file.exists() && !dir.path().join("stalled.db.part").exists());

        let (port, stop) = relay(etcd.port(), Fault::Flip);
        let file = dir.path().join("flipped.db");
        let run = etcdpy()
            .args(["--endpoints", &format!("http://127.0.0.1:{port}")])
            .args(["--transport", "gateway", "snapshot", "save"])
            .arg(&file)
            .run();
        stop.store(true, Ordering::Relaxed);
        expect(&run, 1);
        assert!(run.stderr.contains("does not match the SHA-256"), "{run:?}");
        let part = dir.path().join("flipped.db.part");
        assert!(!file.exists() && part.exists(), "{run:?}");
        assert!(!hash_ok(&std::fs::read(&part).unwrap()));
        let _ = bin;
    });
}

#[test]
fn over_tls_the_snapshot_goes_over_grpc_and_members_and_defrag_work() {
    let certs = crate::support::tls::Certs::new();
    for_each_etcd(|bin| {
        let etcd = certs.start(bin, "server");
        let endpoint = crate::support::tls::https(&etcd);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tls.db");
        let run = etcdpy()
            .args(["--endpoints", &endpoint])
            .args(certs.flags())
            .args(["snapshot", "save", "-o", "json"])
            .arg(&file)
            .run();
        expect(&run, 0);
        let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(doc["transport"], "grpc", "{doc}");
        assert!(hash_ok(&std::fs::read(&file).unwrap()));
        for args in [
            &["members"][..],
            &["defrag", "--cluster"],
            &["alarm", "list"],
        ] {
            let run = etcdpy()
                .args(["--endpoints", &endpoint])
                .args(certs.flags())
                .args(args)
                .run();
            expect(&run, 0);
        }
    });
}
