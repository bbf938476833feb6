//! `etcdpy watch` with a frozen member (SIGSTOP: its sockets accept, nothing answers), on
//! both APIs: a watch started while its first endpoint is frozen misses no change made after
//! it started, and a watch whose member freezes under it moves to another member within the
//! silence check (the v3 watch also with a command timeout shorter than the check), losing
//! and repeating nothing.

use crate::support::cluster::{Cluster, Member};
use crate::support::harness::{etcdpy, for_each_etcd, for_each_etcd_v2, http};
use crate::support::{EventDoc, Lines, exit_code, stderr_of};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use std::process::Child;
use std::thread;
use std::time::{Duration, Instant};

/// A member frozen while this lives (thawed on drop, also when the test fails).
struct Frozen<'a>(&'a Member);

impl<'a> Frozen<'a> {
    fn new(member: &'a Member) -> Frozen<'a> {
        member.freeze();
        Frozen(member)
    }
}

impl Drop for Frozen<'_> {
    fn drop(&mut self) {
        self.0.thaw();
    }
}

/// The leader and a follower (the member to freeze).
fn leader_and_follower(cluster: &Cluster) -> (usize, usize) {
    let leader = cluster.leader().expect("a leader");
    let follower = (0..cluster.members.len())
        .find(|&i| i != leader)
        .expect("a follower");
    (leader, follower)
}

/// Put `key` = `value` on v3 through the member on `port`: the revision of the write.
#[track_caller]
fn put_v3(port: u16, key: &str, value: &str) -> i64 {
    let body = format!(
        r#"{{"key":"{}","value":"{}"}}"#,
        STANDARD.encode(key),
        STANDARD.encode(value)
    );
    let (status, body) = http(port, "POST", "/v3/kv/put", Some(&body)).expect("put");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["header"]["revision"].as_str().unwrap().parse().unwrap()
}

/// Set `key` = `value` on v2 through the member on `port`: the write's index.
#[track_caller]
fn set_v2(port: u16, key: &str, value: &str) -> i64 {
    let path = format!("/v2/keys{key}?value={value}");
    let (status, body) = http(port, "PUT", &path, None).expect("v2 set");
    assert!(status == 200 || status == 201, "{status} {body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["node"]["modifiedIndex"].as_i64().unwrap()
}

/// The (type, value, revision) of a JSON event line.
#[track_caller]
fn event(line: &str) -> (String, String, i64) {
    let e: EventDoc = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    (e.kind, e.value.unwrap_or_default(), e.revision)
}

/// The next line within `within` of `since`; when none comes, the panic says whether the
/// watch still runs or how it ended (the figure before a fix).
#[track_caller]
fn line_by(
    lines: &Lines,
    child: &mut Child,
    what: &str,
    since: Instant,
    within: Duration,
) -> String {
    match lines.0.recv_timeout(within.saturating_sub(since.elapsed())) {
        Ok(line) => {
            eprintln!("  {what}: after {:.1?}", since.elapsed());
            line
        }
        Err(_) => {
            let state = match child.try_wait().unwrap() {
                Some(status) => format!("the watch had ended ({status}): {}", stderr_of(child)),
                None => "the watch still ran".to_string(),
            };
            let _ = child.kill();
            panic!("{what}: nothing within {within:?}; {state}");
        }
    }
}

/// Nothing more within half a second (no change repeated), and the watch still runs.
#[track_caller]
fn nothing_more(lines: &Lines, child: &mut Child, what: &str) {
    if let Ok(line) = lines.0.recv_timeout(Duration::from_millis(500)) {
        panic!("{what}: an extra line: {line}");
    }
    if let Some(status) = child.try_wait().unwrap() {
        panic!("{what}: the watch ended ({status}): {}", stderr_of(child));
    }
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// How long after its write a change may take to arrive when the watch has to notice a
/// member that froze under it: 5 s of silence, a check bounded by the dial timeout (2 s), the
/// watch opened again elsewhere, and a margin for a loaded machine.
const AFTER_SILENCE: Duration = Duration::from_secs(12);
/// The default --dial-timeout.
const DIAL: Duration = Duration::from_secs(2);
/// How long a change may take when nothing had to be noticed (milliseconds when idle).
const PROMPT: Duration = Duration::from_secs(4);

#[test]
fn a_watch_started_while_its_first_endpoint_is_frozen_misses_no_change() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let (leader, frozen) = leader_and_follower(&cluster);
        let endpoints = cluster.endpoints_from(frozen);
        let writer = cluster.members[leader].port;
        let key = "/frozen-start/k";
        let _frozen = Frozen::new(&cluster.members[frozen]);
        eprintln!("etcd {}:", cluster.version);
        let started = Instant::now();
        // -f with the default command timeout, -f with a short one, and a one-shot wait.
        let watch = |extra: &[&str]| {
            let mut child = etcdpy()
                .args(["--endpoints", &endpoints])
                .args(extra)
                .args(["-o", "json"])
                .spawn();
            let lines = Lines::of(&mut child);
            (child, lines)
        };
        let (mut follow, follow_lines) = watch(&["watch", "-f", key]);
        let (mut short, short_lines) = watch(&["--command-timeout", "3s", "watch", "-f", key]);
        let (mut once, once_lines) = watch(&["watch", key, "--timeout", "10s"]);
        thread::sleep(Duration::from_secs(1).saturating_sub(started.elapsed()));
        let first = put_v3(writer, key, "first");
        thread::sleep(Duration::from_secs(4).saturating_sub(started.elapsed()));
        let second_at = Instant::now();
        let second = put_v3(writer, key, "second");
        // Each watch shows both puts (the one-shot the first, and exits 0), promptly: after
        // `PROMPT` past the second put, everything shown so far is taken.
        thread::sleep(PROMPT.saturating_sub(second_at.elapsed()));
        let shown = |lines: &Lines| -> Vec<(String, String, i64)> {
            lines.0.try_iter().map(|l| event(&l)).collect()
        };
        let seen = [
            shown(&follow_lines),
            shown(&short_lines),
            shown(&once_lines),
        ];
        let once_status = once.try_wait().unwrap();
        let put = |value: &str, revision| ("PUT".to_string(), value.to_string(), revision);
        let want = [
            vec![put("first", first), put("second", second)],
            vec![put("first", first), put("second", second)],
            vec![put("first", first)],
        ];
        eprintln!("  shown: {seen:?}, the one-shot: {once_status:?}");
        assert_eq!(seen, want, "-f, --command-timeout 3s -f, --timeout 10s");
        assert_eq!(
            once_status.and_then(|s| s.code()),
            Some(0),
            "{}",
            stderr_of(&mut once)
        );
        nothing_more(&follow_lines, &mut follow, "-f");
        nothing_more(&short_lines, &mut short, "--command-timeout 3s -f");
        stop(follow);
        stop(short);
    });
}

#[test]
fn watch_f_moves_off_a_member_that_freezes_under_it_with_a_short_command_timeout() {
    for_each_etcd(|bin| {
        let cluster = Cluster::start(bin, 3);
        let (leader, frozen) = leader_and_follower(&cluster);
        let writer = cluster.members[leader].port;
        let key = "/frozen-under/k";
        eprintln!("etcd {}:", cluster.version);
        let mut child = etcdpy()
            .args(["--command-timeout", "3s", "--endpoints"])
            .arg(cluster.endpoints_from(frozen))
            .args(["watch", "-f", key, "-o", "json"])
            .spawn();
        let lines = Lines::of(&mut child);
        // The issue's case: the member freezes 1.5 s in, before the watch delivered anything.
        thread::sleep(Duration::from_millis(1500));
        let frozen_member = Frozen::new(&cluster.members[frozen]);
        thread::sleep(Duration::from_millis(500));
        let during_at = Instant::now();
        let during = put_v3(writer, key, "during");
        let line = line_by(
            &lines,
            &mut child,
            "the put while frozen",
            during_at,
            AFTER_SILENCE,
        );
        assert_eq!(event(&line), ("PUT".into(), "during".into(), during));
        let after_at = Instant::now();
        let after = put_v3(writer, key, "after");
        let line = line_by(&lines, &mut child, "the next put", after_at, PROMPT);
        assert_eq!(event(&line), ("PUT".into(), "after".into(), after));
        nothing_more(&lines, &mut child, "still frozen");
        drop(frozen_member);
        nothing_more(&lines, &mut child, "thawed");
        stop(child);
    });
}

#[test]
fn a_v2_watch_started_while_its_first_endpoint_is_frozen_sees_a_change_1s_in() {
    for_each_etcd_v2(|bin| {
        let cluster = Cluster::start(bin, 3);
        let (leader, frozen) = leader_and_follower(&cluster);
        let writer = cluster.members[leader].port;
        eprintln!("etcd {}:", cluster.version);
        let key = "/frozen-v2/once";
        let _frozen = Frozen::new(&cluster.members[frozen]);
        let started = Instant::now();
        let mut once = etcdpy()
            .args([
                "--api",
                "v2",
                "--endpoints",
                &cluster.endpoints_from(frozen),
            ])
            .args(["watch", key, "--timeout", "12s", "-o", "json"])
            .spawn();
        let lines = Lines::of(&mut once);
        thread::sleep(Duration::from_secs(1));
        let first = set_v2(writer, key, "first");
        // The first endpoint gets the dial timeout to answer where the watch starts.
        let line = line_by(&lines, &mut once, "--timeout 12s", started, DIAL + PROMPT);
        assert_eq!(event(&line), ("PUT".into(), "first".into(), first));
        assert_eq!(exit_code(&mut once, Duration::from_secs(5)), 0);
    });
}

#[test]
fn a_v2_watch_f_moves_off_a_member_that_freezes_under_it() {
    for_each_etcd_v2(|bin| {
        let cluster = Cluster::start(bin, 3);
        let (leader, frozen) = leader_and_follower(&cluster);
        let writer = cluster.members[leader].port;
        eprintln!("etcd {}:", cluster.version);
        let key = "/frozen-v2/follow";
        let mut follow = etcdpy()
            .args([
                "--api",
                "v2",
                "--endpoints",
                &cluster.endpoints_from(frozen),
            ])
            .args(["watch", "-f", key, "-o", "json"])
            .spawn();
        let lines = Lines::of(&mut follow);
        let mut i = 0;
        loop {
            let index = set_v2(writer, key, "ready");
            if let Ok(line) = lines.0.recv_timeout(Duration::from_millis(300)) {
                assert_eq!(event(&line), ("PUT".into(), "ready".into(), index));
                break;
            }
            i += 1;
            assert!(
                i < 30,
                "the watch printed nothing: {}",
                stderr_of(&mut follow)
            );
        }
        while lines.0.recv_timeout(Duration::from_millis(300)).is_ok() {}
        let frozen_member = Frozen::new(&cluster.members[frozen]);
        thread::sleep(Duration::from_millis(500));
        let during_at = Instant::now();
        let during = set_v2(writer, key, "during");
        let line = line_by(
            &lines,
            &mut follow,
            "the set while frozen",
            during_at,
            AFTER_SILENCE,
        );
        assert_eq!(event(&line), ("PUT".into(), "during".into(), during));
        let after_at = Instant::now();
        let after = set_v2(writer, key, "after");
        let line = line_by(&lines, &mut follow, "the next set", after_at, PROMPT);
        assert_eq!(event(&line), ("PUT".into(), "after".into(), after));
        nothing_more(&lines, &mut follow, "still frozen");
        drop(frozen_member);
        nothing_more(&lines, &mut follow, "thawed");
        stop(follow);
    });
}
