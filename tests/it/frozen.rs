//! A frozen member (SIGSTOP: the process is there, its socket accepts, nothing
//! answers) listed first, a follower or the leader: every command class
//! finishes, or fails with a clear message, within the dial timeout and a
//! second of what it takes with that member left out of the list, measured
//! side by side in the same test (issue 21). Also: a paged read whose member
//! freezes mid-read, lock waiters behind a waiter whose member froze, and a
//! leader killed under a command (no "https endpoint?" guess).

use crate::support::cluster::Cluster;
use crate::support::harness::{EtcdBin, etcdpy, for_each_etcd, http};
use base64::Engine as _;
use std::io::{BufRead, BufReader, Read};
use std::time::{Duration, Instant};

/// etcdpy's default dial timeout: what a frozen member may cost.
const DIAL: Duration = Duration::from_secs(2);
/// The issue's allowance on top of the dial timeout.
const ALLOWANCE: Duration = Duration::from_secs(1);
/// For the loaded test machine (2 cores, several clusters at once).
const SLACK: Duration = Duration::from_millis(1500);
/// A command timeout long enough that waiting it out shows.
const COMMAND_TIMEOUT: &str = "20s";

/// Thaws a frozen member when dropped (also when the test fails).
struct Thaw<'a>(&'a Cluster, usize);

impl Drop for Thaw<'_> {
    fn drop(&mut self) {
        self.0.members[self.1].thaw();
    }
}

/// Write `n` keys `PREFIX/NNNNNN` (values of `len` bytes) through member `i`'s
/// gateway, 128 to a transaction.
fn seed(cluster: &Cluster, i: usize, prefix: &str, n: usize, len: usize) {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let value = b64(&"v".repeat(len));
    for start in (0..n).step_by(128) {
        let puts: Vec<String> = (start..(start + 128).min(n))
            .map(|k| {
                let key = b64(&format!("{prefix}/{k:06}"));
                format!(r#"{{"request_put":{{"key":"{key}","value":"{value}"}}}}"#)
            })
            .collect();
        let body = format!(r#"{{"success":[{}]}}"#, puts.join(","));
        let port = cluster.members[i].port;
        let answer = http(port, "POST", "/v3/kv/txn", Some(&body));
        assert!(matches!(answer, Some((200, _))), "seed: {answer:?}");
    }
}

/// The endpoints of `order`, comma-separated.
fn list(cluster: &Cluster, order: &[usize]) -> String {
    let urls: Vec<String> = order
        .iter()
        .map(|&i| cluster.members[i].endpoint())
        .collect();
    urls.join(",")
}

/// Run etcdpy with `endpoints` and `args`; its run and how long it took.
fn timed(endpoints: &str, args: &[&str]) -> (crate::support::harness::Run, Duration) {
    let started = Instant::now();
    let run = etcdpy()
        .args([
            "--endpoints",
            endpoints,
            "--command-timeout",
            COMMAND_TIMEOUT,
        ])
        .args(args)
        .timeout(Duration::from_secs(90))
        .run();
    (run, started.elapsed())
}

/// Freeze member `frozen` (the leader or a follower) and wait until the others
/// agree on a leader among themselves.
fn freeze(cluster: &Cluster, frozen: usize) -> Vec<usize> {
    let others: Vec<usize> = (0..cluster.members.len())
        .filter(|&i| i != frozen)
        .collect();
    cluster.members[frozen].freeze();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let leaders: Vec<Option<String>> = others
            .iter()
            .map(|&i| {
                let port = cluster.members[i].port;
                let (200, body) = http(port, "POST", "/v3/maintenance/status", Some("{}"))? else {
                    return None;
                };
                let v: serde_json::Value = serde_json::from_str(&body).ok()?;
                v["leader"].as_str().map(str::to_string)
            })
            .collect();
        let frozen_id = member_id(cluster, frozen);
        if leaders.iter().all(|l| l.is_some() && *l == leaders[0])
            && leaders[0].as_deref() != Some("0")
            && leaders[0] != frozen_id
        {
            return others;
        }
        assert!(
            Instant::now() < deadline,
            "no leader among the others\n{}",
            cluster.logs()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A member's ID (as status names the leader), asked of another member.
fn member_id(cluster: &Cluster, i: usize) -> Option<String> {
    let asked = (0..cluster.members.len()).find(|&j| j != i)?;
    let port = cluster.members[asked].port;
    let (200, body) = http(port, "POST", "/v3/cluster/member/list", Some("{}"))? else {
        return None;
    };
    let v: serde_json::Value = serde_json::from_str(&body).ok()?;
    v["members"]
        .as_array()?
        .iter()
        .find(|m| m["name"].as_str() == Some(&cluster.members[i].name))
        .and_then(|m| m["ID"].as_str().map(str::to_string))
}

/// A command's arguments, given a fresh tag.
type Args = Box<dyn Fn(&str) -> Vec<String>>;
/// Through a live member (its index), what a command given a tag needs.
type Prepare = Box<dyn Fn(&Cluster, usize, &str)>;

/// One command class: its arguments (given a fresh tag), what it must end
/// with when the frozen member is first, and what to do before each run.
struct Class {
    name: &'static str,
    args: Args,
    /// Before each run, through a live member: make what the command needs.
    prepare: Prepare,
    /// The exit status with the frozen member first (`None`: the same as
    /// with it absent), and a part of the message it must then hold.
    frozen: Option<(i32, &'static str)>,
}

fn class(name: &'static str, args: impl Fn(&str) -> Vec<String> + 'static) -> Class {
    Class {
        name,
        args: Box::new(args),
        prepare: Box::new(|_, _, _| {}),
        frozen: None,
    }
}

fn put_key(cluster: &Cluster, live: usize, key: &str) {
    cluster.etcdctl(live, &["put", key, "v"]);
}

/// Every command class of the issue, on prefix `/fz`.
fn classes(dump: String) -> Vec<Class> {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    vec![
        class("get", move |_| owned(&["get", "/fz/r/000007"])),
        class("get -r", move |_| {
            owned(&["get", "-r", "/fz/r", "--keys-only"])
        }),
        class("dump", move |_| owned(&["dump", "/fz/r"])),
        class("members", move |_| owned(&["members"])),
        class("leader", move |_| owned(&["leader"])),
        class("lock status", move |_| owned(&["lock", "status", "fz-l"])),
        class("elect --leader", move |_| {
            owned(&["elect", "fz-e", "--leader"])
        }),
        Class {
            // Unguarded: may or may not have been applied, said within the bound.
            frozen: Some((5, "may or may not have been applied")),
            ..class("set", move |tag| {
                owned(&["set", &format!("/fz/s/{tag}"), "v"])
            })
        },
        class("set --ttl", move |tag| {
            owned(&["set", &format!("/fz/t/{tag}"), "v", "--ttl", "60s"])
        }),
        Class {
            prepare: Box::new(|c, live, tag| put_key(c, live, &format!("/fz/i/{tag}"))),
            ..class("set --if-value", move |tag| {
                owned(&["set", &format!("/fz/i/{tag}"), "w", "--if-value", "v"])
            })
        },
        Class {
            prepare: Box::new(|c, live, tag| put_key(c, live, &format!("/fz/d/{tag}"))),
            frozen: Some((5, "may or may not have been applied")),
            ..class("rm", move |tag| owned(&["rm", &format!("/fz/d/{tag}")]))
        },
        Class {
            prepare: Box::new(|c, live, tag| put_key(c, live, &format!("/fz/e/{tag}"))),
            ..class("rm --if-value", move |tag| {
                owned(&["rm", &format!("/fz/e/{tag}"), "--if-value", "v"])
            })
        },
        Class {
            prepare: Box::new(|c, live, tag| {
                let key = format!("/fz/f/{tag}");
                c.etcdctl(live, &["put", &key, "v"]);
            }),
            ..class("refresh", move |tag| {
                owned(&["refresh", &format!("/fz/f/{tag}"), "--ttl", "60s"])
            })
        },
        class("lock", move |tag| {
            owned(&["lock", &format!("fz-l{tag}"), "--", "true"])
        }),
        class("elect", move |tag| {
            owned(&["elect", &format!("fz-e{tag}"), "--", "true"])
        }),
        class("load", move |_| owned(&["load", &dump])),
    ]
}

/// Every command class with `frozen` first, against the same with it absent.
fn every_class_with_a_frozen_first_endpoint(freeze_leader: bool) {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let frozen = if freeze_leader {
            leader
        } else {
            (0..3).find(|&i| i != leader).unwrap()
        };
        let live = (0..3).find(|&i| i != frozen).unwrap();
        seed(&cluster, live, "/fz/r", 300, 10);
        let dir = tempfile::tempdir().unwrap();
        let dump = dir.path().join("fz.ndjson");
        let out = etcdpy()
            .args(["--endpoints", &cluster.members[live].endpoint()])
            .args(["dump", "/fz/r"])
            .run();
        assert_eq!(out.code, 0, "{out:?}");
        std::fs::write(&dump, &out.stdout).unwrap();
        let dump = dump.display().to_string();

        let others = freeze(&cluster, frozen);
        let _thaw = Thaw(&cluster, frozen);
        let mut first = vec![frozen];
        first.extend(&others);
        let (with, without) = (list(&cluster, &first), list(&cluster, &others));
        let what = if freeze_leader { "leader" } else { "follower" };
        // Every class is measured before any failure is reported: the table is the figures.
        let mut failures = Vec::new();
        for (n, class) in classes(dump.clone()).iter().enumerate() {
            let (tag_a, tag_b) = (format!("a{n}"), format!("b{n}"));
            (class.prepare)(&cluster, others[0], &tag_a);
            (class.prepare)(&cluster, others[0], &tag_b);
            let args_a = (class.args)(&tag_a);
            let args_a: Vec<&str> = args_a.iter().map(String::as_str).collect();
            let (base, base_took) = timed(&without, &args_a);
            let args_b = (class.args)(&tag_b);
            let args_b: Vec<&str> = args_b.iter().map(String::as_str).collect();
            let (run, took) = timed(&with, &args_b);
            let line = format!(
                "etcd {} frozen {what} first: {:<15} absent: exit {} in {:.2?}; frozen: exit {} in {:.2?}",
                bin.version, class.name, base.code, base_took, run.code, took
            );
            eprintln!("{line}");
            let bound = base_took + DIAL + ALLOWANCE + SLACK;
            let named = cluster.members[frozen].endpoint();
            let ok = took <= bound
                && match class.frozen {
                    None => run.code == base.code,
                    Some((code, says)) => {
                        base.code == 0
                            && run.code == code
                            && run.stderr.contains(says)
                            && run.stderr.contains(&named)
                            && run.stderr.lines().count() == 1
                    }
                };
            if !ok {
                failures.push(format!("{line} (bound {bound:.2?})\n{run:?}\n{base:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    });
}

#[test]
fn every_command_class_with_a_frozen_follower_first_costs_at_most_the_dial_timeout() {
    every_class_with_a_frozen_first_endpoint(false);
}

#[test]
fn every_command_class_with_a_frozen_leader_first_costs_at_most_the_dial_timeout() {
    every_class_with_a_frozen_first_endpoint(true);
}

/// `--user` with the first endpoint frozen: authentication moves on too.
#[test]
fn authentication_moves_off_a_frozen_first_endpoint() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let frozen = (0..3).find(|&i| i != leader).unwrap();
        let live = leader;
        // Frozen first: with auth on, the status that `freeze` waits with needs a token.
        let others = freeze(&cluster, frozen);
        let _thaw = Thaw(&cluster, frozen);
        cluster.etcdctl(live, &["user", "add", "root:rootpw"]);
        cluster.etcdctl(live, &["put", "/fz/auth", "v"]);
        cluster.etcdctl(live, &["auth", "enable"]);
        let mut first = vec![frozen];
        first.extend(&others);
        let args = ["--user", "root:rootpw", "get", "/fz/auth"];
        let (base, base_took) = timed(&list(&cluster, &others), &args);
        let (run, took) = timed(&list(&cluster, &first), &args);
        eprintln!(
            "etcd {}: --user get, frozen follower first: absent: exit {} in {base_took:.2?}; frozen: exit {} in {took:.2?}",
            bin.version, base.code, run.code
        );
        assert_eq!(base.code, 0, "{base:?}");
        assert_eq!(run.code, 0, "{run:?}");
        assert!(took <= base_took + DIAL + ALLOWANCE + SLACK, "{took:?}");
    });
}

/// Item 6: `get -r` whose serving member freezes after the first pages moves
/// off it once (a dial timeout) and reads the rest elsewhere, on each
/// transport.
#[test]
fn a_paged_read_whose_member_freezes_mid_read_costs_one_dial_timeout() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let frozen = (0..3).find(|&i| i != leader).unwrap();
        seed(&cluster, leader, "/fz/p", 60_000, 20);
        let mut order = vec![frozen];
        order.extend((0..3).filter(|&i| i != frozen));
        let endpoints = list(&cluster, &order);
        // TLS too: each member behind its own path of an nginx with TLS (a path prefix: the
        // pages come through the gateway).
        let routes: Vec<(String, u16)> = order
            .iter()
            .map(|&i| (format!("m{i}"), cluster.members[i].port))
            .collect();
        let routes: Vec<(&str, u16)> = routes.iter().map(|(n, p)| (n.as_str(), *p)).collect();
        let proxy = crate::support::proxy::Proxy::start_routes(&routes);
        let tls: Vec<String> = order
            .iter()
            .map(|i| proxy.url_of(&format!("m{i}")))
            .collect();
        let tls = tls.join(",");
        let ca = proxy.ca().display().to_string();
        let variants = [
            (
                "gateway",
                endpoints.as_str(),
                vec!["--transport", "gateway"],
            ),
            ("grpc", endpoints.as_str(), vec!["--transport", "grpc"]),
            ("https", tls.as_str(), vec!["--cacert", ca.as_str()]),
        ];
        for (transport, endpoints, extra) in variants {
            let mut args = vec!["--endpoints", endpoints, "--command-timeout", "5s"];
            args.extend(extra);
            args.extend(["get", "-r", "/fz/p", "--keys-only"]);
            // Unfrozen: the whole read, for the baseline.
            let started = Instant::now();
            let whole = etcdpy().args(&args).timeout(Duration::from_secs(90)).run();
            let base = started.elapsed();
            assert_eq!(whole.code, 0, "{whole:?}");
            // Frozen once the first lines are out (the rest waits for the pipe).
            let mut child = etcdpy().args(&args).spawn();
            let mut out = BufReader::new(child.stdout.take().unwrap());
            let mut line = String::new();
            out.read_line(&mut line).unwrap();
            cluster.members[frozen].freeze();
            let _thaw = Thaw(&cluster, frozen);
            let frozen_at = Instant::now();
            let mut rest = Vec::new();
            out.read_to_end(&mut rest).unwrap();
            let status = child.wait().unwrap();
            let took = frozen_at.elapsed();
            let lines = 1 + rest.iter().filter(|b| **b == b'\n').count();
            eprintln!(
                "etcd {} {transport}: get -r of 60000 keys: whole read {base:.2?}; after a freeze mid-read {took:.2?}, exit {:?}, {lines} lines",
                bin.version,
                status.code()
            );
            assert_eq!(status.code(), Some(0));
            assert_eq!(lines, 60_000);
            // The rest of the read plus one dial timeout; the rest is counted as a whole read
            // twice over, because the baseline was measured at another moment on 2 cores that
            // other tests load (a load average of 17 was seen to triple a whole read), and the
            // stretches in flight at the freeze are asked twice. Before the fix: one command
            // timeout (5 s) per pair of stretches, 16-21 s.
            let bound = base * 2 + DIAL + ALLOWANCE + SLACK;
            assert!(
                took <= bound,
                "{took:?} after the freeze (over {bound:?}), {base:?} for a whole read"
            );
            drop(_thaw);
            // Let the thawed member catch up before the next transport.
            std::thread::sleep(Duration::from_secs(1));
        }
    });
}

/// Waiters behind a waiter whose member froze: the frozen waiter leaves the
/// queue (and queues again elsewhere), so the next one gets the lock within
/// the TTL and the dial timeout of its release.
#[test]
fn lock_waiters_behind_one_whose_member_froze_wait_at_most_ttl_and_dial_timeout() {
    for_each_etcd(lock_waiters);
}

fn lock_waiters(bin: &EtcdBin) {
    let cluster = Cluster::start(bin, 3);
    let leader = cluster.leader().expect("a leader");
    let frozen = (0..3).find(|&i| i != leader).unwrap();
    let other = (0..3).find(|&i| i != leader && i != frozen).unwrap();
    let live = list(&cluster, &[leader, other]);
    let stuck_endpoints = list(&cluster, &[frozen, leader, other]);
    let dir = tempfile::tempdir().unwrap();
    let got = dir.path().join("got");
    let lock = |endpoints: &str, script: String| {
        etcdpy()
            .args(["--endpoints", endpoints, "lock", "fz-q", "--ttl", "5s"])
            .args(["--", "sh", "-c", &script])
            .timeout(Duration::from_secs(90))
            .spawn()
    };
    let queued = |n: usize| {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let run = etcdpy()
                .args(["--endpoints", &live, "lock", "status", "fz-q", "-o", "json"])
                .run();
            let v: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap_or_default();
            let count = v["holders"].as_array().map_or(0, Vec::len)
                + v["waiters"].as_array().map_or(0, Vec::len);
            if count >= n {
                return;
            }
            assert!(Instant::now() < deadline, "{n} in the queue: {run:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    // The holder lets go 3 s after it is told to (a file appears).
    let release = dir.path().join("release");
    let mut holder = lock(
        &live,
        format!("while [ ! -e {} ]; do sleep 0.1; done", release.display()),
    );
    queued(1);
    // The waiter whose member will freeze, then one behind it.
    let mut stuck = lock(&stuck_endpoints, "true".to_string());
    queued(2);
    let mut behind = lock(&live, format!("touch {}", got.display()));
    queued(3);
    cluster.members[frozen].freeze();
    let _thaw = Thaw(&cluster, frozen);
    std::fs::write(&release, "").unwrap();
    let released = Instant::now();
    let deadline = released + Duration::from_secs(5) + DIAL + ALLOWANCE + SLACK + SLACK;
    while !got.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let took = released.elapsed();
    eprintln!(
        "etcd {}: a waiter behind one whose member froze got the lock {took:.2?} after the release (TTL 5s)",
        bin.version
    );
    assert!(got.exists(), "the waiter behind never got the lock");
    let _ = holder.wait();
    let _ = behind.wait();
    // The stuck waiter queued again elsewhere and ran CMD too.
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = stuck.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the stuck waiter never ended");
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    let _ = stuck.stderr.take().unwrap().read_to_string(&mut stderr);
    assert_eq!(status.code(), Some(0), "{stderr}");
}

/// Item 8: a leader killed under a command closes its connections; that is no
/// evidence of TLS, and the error (if the command fails at all) does not ask
/// "is this an https endpoint?". `load` is the command the chaos run saw it
/// with (its guarded transactions now move to the next member).
#[test]
fn a_leader_killed_under_a_command_is_not_called_an_https_endpoint() {
    for_each_etcd(|bin| {
        let mut cluster = Cluster::start(bin, 3);
        let leader = cluster.leader().expect("a leader");
        let source = (0..3).find(|&i| i != leader).unwrap();
        seed(&cluster, source, "/fz/src", 40_000, 100);
        let dir = tempfile::tempdir().unwrap();
        let dump = dir.path().join("big.ndjson");
        let out = etcdpy()
            .args(["--endpoints", &cluster.members[source].endpoint()])
            .args(["dump", "/fz/src"])
            .timeout(Duration::from_secs(90))
            .run();
        assert_eq!(out.code, 0, "{out:?}");
        std::fs::write(&dump, &out.stdout).unwrap();
        let endpoints = list(&cluster, &cluster.order_from(leader));
        let child = etcdpy()
            .args(["--endpoints", &endpoints, "load"])
            .arg(&dump)
            .args(["--prefix-rename", "/fz/src=/fz/dst"])
            .timeout(Duration::from_secs(90))
            .spawn();
        // Kill the leader once the load is writing.
        let deadline = Instant::now() + Duration::from_secs(30);
        while count(&cluster, source, "/fz/dst") == 0 {
            assert!(Instant::now() < deadline, "the load never wrote");
            std::thread::sleep(Duration::from_millis(20));
        }
        cluster.members[leader].kill();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        eprintln!(
            "etcd {}: load with its leader killed: exit {:?}: {stderr}",
            bin.version,
            output.status.code()
        );
        assert!(!stderr.contains("https endpoint"), "{stderr}");
    });
}

/// How many keys `prefix` holds, asked of member `i`.
fn count(cluster: &Cluster, i: usize, prefix: &str) -> usize {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut end = prefix.as_bytes().to_vec();
    *end.last_mut().unwrap() += 1;
    let body = format!(
        r#"{{"key":"{}","range_end":"{}","count_only":true,"serializable":true}}"#,
        b64(prefix),
        base64::engine::general_purpose::STANDARD.encode(&end)
    );
    let Some((200, answer)) = http(cluster.members[i].port, "POST", "/v3/kv/range", Some(&body))
    else {
        return 0;
    };
    let v: serde_json::Value = serde_json::from_str(&answer).unwrap_or_default();
    v["count"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}
