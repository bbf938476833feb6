//! `etcdpy watch` when the way to etcd misbehaves: a watch started while the
//! cluster has no leader waits for one, and a watch stream that a TCP relay
//! stops forwarding (the member itself stays healthy) is noticed and replaced,
//! losing and repeating nothing.

use crate::support::cluster::Cluster;
use crate::support::harness::{etcdpy, for_each_etcd, http, shared, unique};
use crate::support::util::{del, put};
use crate::support::{EventDoc, Lines, exit_code, stderr_of};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// Whether the member on `port` answers and knows of no leader.
fn leaderless(port: u16) -> bool {
    let Some((200, body)) = http(port, "POST", "/v3/maintenance/status", Some("{}")) else {
        return false;
    };
    let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    matches!(v["leader"].as_str(), None | Some("0"))
}

/// Put `key` = `value` through the member on `port`; whether it was applied.
fn put_at(port: u16, key: &str, value: &str) -> bool {
    let body = format!(
        r#"{{"key":"{}","value":"{}"}}"#,
        STANDARD.encode(key),
        STANDARD.encode(value)
    );
    matches!(
        http(port, "POST", "/v3/kv/put", Some(&body)),
        Some((200, _))
    )
}

#[test]
fn a_watch_started_during_an_election_waits_for_the_leader() {
    for_each_etcd(|bin| {
        let mut cluster = Cluster::start(bin, 3);
        cluster.members[1].kill();
        cluster.members[2].kill();
        let survivor = cluster.members[0].port;
        let deadline = Instant::now() + Duration::from_secs(15);
        while !leaderless(survivor) {
            assert!(Instant::now() < deadline, "{} still has a leader", survivor);
            thread::sleep(Duration::from_millis(100));
        }
        let key = "/election/k";
        // Still no leader at the command timeout: exit 9, a dead endpoint beside it or not.
        let began = Instant::now();
        let run = etcdpy()
            .args(["--command-timeout", "2s", "--endpoints"])
            .arg(format!(
                "{},{}",
                cluster.members[2].endpoint(),
                cluster.members[0].endpoint()
            ))
            .args(["watch", key])
            .run();
        let took = began.elapsed();
        assert_eq!(run.code, 9, "{run:?}");
        assert!(
            took >= Duration::from_millis(1500) && took < Duration::from_secs(5),
            "{took:?}"
        );
        let said = run.stderr.trim_end();
        assert!(
            said.starts_with("etcdpy: error: cannot start the watch (no leader for ")
                && said.contains(&format!("tried {} (", cluster.members[2].endpoint()))
                && said.contains(&format!(
                    "{} (etcdserver: no leader)",
                    cluster.members[0].endpoint()
                ))
                && !said.contains('\n'),
            "{said}"
        );
        eprintln!("etcd {}: exit 9 after {took:.1?}: {said}", cluster.version);
        let started = Instant::now();
        let mut child = etcdpy()
            .args(["--endpoints", &cluster.members[0].endpoint()])
            .args(["watch", key, "--timeout", "20s", "-o", "json"])
            .spawn();
        let lines = Lines::of(&mut child);
        while started.elapsed() < Duration::from_secs(3) {
            if let Some(status) = child.try_wait().unwrap() {
                panic!(
                    "the watch ended before the cluster had a leader again: {status} after {:.2?}: {}",
                    started.elapsed(),
                    stderr_of(&mut child)
                );
            }
            thread::sleep(Duration::from_millis(10));
        }
        cluster.members[1].restart();
        // The watch starts from "now" once a leader is back: write until it shows a change.
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut written = 0;
        let line = loop {
            if put_at(survivor, key, &format!("after{written}")) {
                written += 1;
            }
            if let Ok(line) = lines.0.recv_timeout(Duration::from_millis(300)) {
                break line;
            }
            assert!(
                Instant::now() < deadline,
                "no change shown ({written} written)"
            );
        };
        let event: EventDoc = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(
            (event.kind.as_str(), event.key.as_str()),
            ("PUT", key),
            "{line}"
        );
        assert!(
            event
                .value
                .as_deref()
                .unwrap_or_default()
                .starts_with("after")
        );
        assert_eq!(exit_code(&mut child, Duration::from_secs(10)), 0);
        eprintln!(
            "etcd {}: the watch started {:.1?} before its event",
            cluster.version,
            started.elapsed()
        );
    });
}

/// A TCP relay on a free loopback port to `upstream`. [`Relay::stall`] makes every connection
/// open at that moment stop forwarding in both directions (the sockets stay open and silent,
/// as behind a proxy or NAT that lost them); connections accepted later are served normally.
/// [`Relay::stall_watches`] stalls only the open watch streams (`POST …/v3/watch`).
struct Relay {
    port: u16,
    state: Arc<RelayState>,
}

#[derive(Default)]
struct RelayState {
    /// Connections numbered below this are stalled…
    stalled_below: AtomicU64,
    /// … if they carry a watch, or whatever they carry.
    watches_only: AtomicBool,
    next_id: AtomicU64,
    closing: AtomicBool,
}

impl Relay {
    fn start(upstream: u16) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the relay");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(RelayState::default());
        let shared = state.clone();
        thread::spawn(move || {
            for client in listener.incoming() {
                if shared.closing.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let link = Arc::new(Link {
                    id: shared.next_id.fetch_add(1, Ordering::SeqCst),
                    watch: AtomicBool::new(false),
                });
                for (from, to, request) in [
                    (
                        client.try_clone().unwrap(),
                        server.try_clone().unwrap(),
                        true,
                    ),
                    (server, client, false),
                ] {
                    let (state, link) = (shared.clone(), link.clone());
                    thread::spawn(move || pump(from, to, request, &link, &state));
                }
            }
        });
        Relay { port, state }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stop forwarding on every connection open now.
    fn stall(&self) {
        self.state.watches_only.store(false, Ordering::SeqCst);
        let open = self.state.next_id.load(Ordering::SeqCst);
        self.state.stalled_below.store(open, Ordering::SeqCst);
    }

    /// Stop forwarding on the watch streams open now (not on connections that carry other
    /// requests, such as the watch's checks).
    fn stall_watches(&self) {
        self.state.watches_only.store(true, Ordering::SeqCst);
        let open = self.state.next_id.load(Ordering::SeqCst);
        self.state.stalled_below.store(open, Ordering::SeqCst);
    }

    /// Forward again what the stalled connections held back.
    fn resume(&self) {
        self.state.stalled_below.store(0, Ordering::SeqCst);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.state.closing.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees `closing`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// One relayed connection.
struct Link {
    id: u64,
    /// Its request was a watch.
    watch: AtomicBool,
}

impl Link {
    fn stalled(&self, state: &RelayState) -> bool {
        self.id < state.stalled_below.load(Ordering::SeqCst)
            && (!state.watches_only.load(Ordering::SeqCst) || self.watch.load(Ordering::SeqCst))
    }
}

/// Copy `from` to `to` until either closes, holding the bytes while the connection is stalled.
/// `request`: this is the client's side, whose request lines say whether it is a watch.
fn pump(mut from: TcpStream, mut to: TcpStream, request: bool, link: &Link, state: &RelayState) {
    let _ = from.set_read_timeout(Some(Duration::from_millis(100)));
    let mut buf = [0u8; 16 << 10];
    while !state.closing.load(Ordering::SeqCst) {
        if link.stalled(state) {
            thread::sleep(Duration::from_millis(20));
            continue;
        }
        let n = match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(_) => break,
        };
        // A request line (a pooled connection carries one request after another).
        if request && buf[..n].starts_with(b"POST ") {
            let line = buf[..n].split(|b| *b == b'\n').next().unwrap_or_default();
            let watch = line.windows(9).any(|w| w == b"/v3/watch");
            link.watch.store(watch, Ordering::SeqCst);
        }
        while link.stalled(state) && !state.closing.load(Ordering::SeqCst) {
            thread::sleep(Duration::from_millis(20));
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// The most an event may take to arrive through a stalled stream (it must be noticed and
/// replaced); a healthy one takes milliseconds.
const STALLED_DELIVERY: Duration = Duration::from_secs(12);
/// How long the relay stalls when the watch does not notice (the figure before the fix).
const STALL: Duration = Duration::from_secs(20);

/// Make the changes with `write` while the relay is stalled and wait for the first line they
/// bring: it must come within [`STALLED_DELIVERY`]. When it does not come within [`STALL`],
/// end the stall and report when it came (the figure before the fix). Returns the line and
/// what `write` returned.
#[track_caller]
fn through_stall<T>(
    lines: &Lines,
    relay: &Relay,
    version: &str,
    what: &str,
    write: impl FnOnce() -> T,
) -> (String, T) {
    let written = Instant::now();
    let wrote = write();
    let Ok(line) = lines
        .0
        .recv_timeout(STALL.saturating_sub(written.elapsed()))
    else {
        relay.resume();
        let late = lines.0.recv_timeout(Duration::from_secs(20));
        panic!(
            "{what}: nothing within the {STALL:?} stall; it came {:.1?} after the write, once the stall ended ({late:?})",
            written.elapsed()
        );
    };
    let took = written.elapsed();
    eprintln!("etcd {version}: {what} during the stall came after {took:.1?}");
    assert!(took <= STALLED_DELIVERY, "{what} came after {took:.1?}");
    (line, wrote)
}

#[test]
fn a_stalled_watch_stream_is_replaced_and_exec_mode_runs_once_per_change() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let relay = Relay::start(etcd.port());
        let key = format!("{}/k", unique("watch-stall"));
        let mut child = etcdpy()
            .args(["--endpoints", &relay.endpoint()])
            .args(["watch", "-f", &key, "--"])
            .args([
                "sh",
                "-c",
                "echo \"$ETCDPY_WATCH_TYPE $ETCDPY_WATCH_VALUE $ETCDPY_WATCH_REVISION\"",
            ])
            .spawn();
        let lines = Lines::of(&mut child);
        // The stream is up once a change comes through it.
        let mut i = 0;
        loop {
            put(etcd, &key, "before");
            if lines.0.recv_timeout(Duration::from_millis(300)).is_ok() {
                break;
            }
            i += 1;
            assert!(i < 30, "the watch printed nothing");
        }
        // Any further "before" lines were written before the stall: take them now.
        while let Ok(line) = lines.0.recv_timeout(Duration::from_millis(500)) {
            assert!(line.starts_with("PUT before "), "{line}");
        }
        relay.stall();
        thread::sleep(Duration::from_millis(500));
        let (line, during) = through_stall(&lines, &relay, &bin.version, "a put", || {
            put(etcd, &key, "during")
        });
        assert_eq!(line, format!("PUT during {during}"));
        // Again, with only a delete during the stall, and the checks' own connection working.
        relay.resume();
        thread::sleep(Duration::from_millis(500));
        relay.stall_watches();
        let (line, gone) =
            through_stall(&lines, &relay, &bin.version, "a delete", || del(etcd, &key));
        assert_eq!(line, format!("DELETE  {gone}"));
        // What the old connections held back is not shown again once they flow.
        relay.resume();
        let after = put(etcd, &key, "after");
        assert_eq!(
            lines.next(Duration::from_secs(10)),
            format!("PUT after {after}")
        );
        assert!(lines.0.recv_timeout(Duration::from_millis(500)).is_err());
        assert!(
            child.try_wait().unwrap().is_none(),
            "{}",
            stderr_of(&mut child)
        );
        let _ = child.kill();
        let _ = child.wait();
    });
}

#[test]
fn a_stalled_recursive_watch_delivers_every_change_in_order_once() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let relay = Relay::start(etcd.port());
        let p = unique("watch-stall-r");
        put(etcd, &format!("{p}/old"), "0");
        let mut child = etcdpy()
            .args(["--endpoints", &relay.endpoint()])
            .args(["watch", "-f", "-r", &p, "-o", "json"])
            .spawn();
        let lines = Lines::of(&mut child);
        let mut i = 0;
        loop {
            put(etcd, &format!("{p}/ready"), &i.to_string());
            if lines.0.recv_timeout(Duration::from_millis(300)).is_ok() {
                break;
            }
            i += 1;
            assert!(i < 30, "the watch printed nothing");
        }
        while lines.0.recv_timeout(Duration::from_millis(500)).is_ok() {}
        relay.stall();
        thread::sleep(Duration::from_millis(500));
        // Puts, a delete of a key that was there, a key that comes and goes.
        let put_k = |k: &str, v: &str| {
            let key = format!("{p}/{k}");
            ("PUT".to_string(), key.clone(), put(etcd, &key, v))
        };
        let del_k = |k: &str| {
            let key = format!("{p}/{k}");
            ("DELETE".to_string(), key.clone(), del(etcd, &key))
        };
        let (first, mut want) = through_stall(&lines, &relay, &bin.version, "6 changes", || {
            vec![
                put_k("a", "1"),
                put_k("b/c", "2"),
                del_k("old"),
                put_k("tmp", "3"),
                del_k("tmp"),
                put_k("a", "4"),
            ]
        });
        let mut seen = vec![first];
        while seen.len() < want.len() {
            seen.push(lines.next(Duration::from_secs(5)));
        }
        // What the old connection held back is not shown again once it flows.
        relay.resume();
        want.push(put_k("z", "after"));
        seen.push(lines.next(Duration::from_secs(10)));
        assert!(lines.0.recv_timeout(Duration::from_millis(500)).is_err());
        let events: Vec<(String, String, i64)> = seen
            .iter()
            .map(|l| {
                let e: EventDoc = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
                (e.kind, e.key, e.revision)
            })
            .collect();
        assert_eq!(events, want);
        let _ = child.kill();
        let _ = child.wait();
    });
}

#[test]
fn a_key_created_and_deleted_while_only_the_watch_stream_stalls_arrives_within_seconds() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let relay = Relay::start(etcd.port());
        let p = unique("watch-gap");
        let mut child = etcdpy()
            .args(["--endpoints", &relay.endpoint()])
            .args(["watch", "-f", "-r", &p, "-o", "json"])
            .spawn();
        let lines = Lines::of(&mut child);
        let mut i = 0;
        loop {
            put(etcd, &format!("{p}/ready"), &i.to_string());
            if lines.0.recv_timeout(Duration::from_millis(300)).is_ok() {
                break;
            }
            i += 1;
            assert!(i < 30, "the watch printed nothing");
        }
        while lines.0.recv_timeout(Duration::from_millis(500)).is_ok() {}
        relay.stall_watches();
        thread::sleep(Duration::from_millis(500));
        // Nothing else in the span changes: the key leaves no trace in the store but history.
        let key = format!("{p}/tmp");
        let (first, (created, deleted)) = through_stall(
            &lines,
            &relay,
            &bin.version,
            "a key created and deleted",
            || (put(etcd, &key, "1"), del(etcd, &key)),
        );
        let second = lines.next(Duration::from_secs(5));
        let event = |l: &str| {
            let e: EventDoc = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (e.kind, e.key, e.revision)
        };
        assert_eq!(
            [event(&first), event(&second)],
            [
                ("PUT".to_string(), key.clone(), created),
                ("DELETE".to_string(), key.clone(), deleted)
            ]
        );
        // What the old connection held back is not shown again once it flows.
        relay.resume();
        assert!(lines.0.recv_timeout(Duration::from_millis(500)).is_err());
        let _ = child.kill();
        let _ = child.wait();
    });
}
