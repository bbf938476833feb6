//! Ctrl-C at a real terminal (a pty made by util-linux `script`, the key typed as the byte
//! 0x03, so the terminal sends SIGINT to the foreground process group as a person's Ctrl-C
//! does): every waiting command ends with exit 130 and no error line; and what a waiting or
//! holding command says on the terminal while it waits.

use crate::support::harness::{Etcd, etcdpy, for_each_etcd, shared, unique};
use crate::support::pty::pty;
use crate::support::util::{expect, put};
use std::io::{Read, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What the terminal showed (`\r\n` as `\n`), and the exit status etcdpy ended with (the shell
/// prints it after etcdpy: `rc=N`).
struct Shown {
    text: String,
    code: Option<i32>,
}

/// Run `etcdpy --endpoints ETCD ARGS` on a pty; once the terminal shows `ready`, and `also`
/// holds, press Ctrl-C, then wait for the end.
fn ctrl_c_when(etcd: &Etcd, args: &[&str], ready: &str, also: impl Fn() -> bool) -> Shown {
    ctrl_c_at(&etcd.endpoint(), args, ready, also)
}

/// [`ctrl_c_when`] with `--endpoints ENDPOINTS`.
fn ctrl_c_at(endpoints: &str, args: &[&str], ready: &str, also: impl Fn() -> bool) -> Shown {
    // The shell, in the same process group, gets the Ctrl-C too: its trap keeps it alive to
    // print etcdpy's status (the trap is reset to the default in etcdpy, as exec does).
    let mut line = format!(
        "trap : INT; {} --endpoints {}",
        env!("CARGO_BIN_EXE_etcdpy"),
        endpoints
    );
    for arg in args {
        line.push_str(&format!(" '{}'", arg.replace('\'', "'\\''")));
    }
    line.push_str("; echo rc=$?");
    let mut child = pty(&line)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("util-linux `script` is needed for the terminal tests");
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut shown = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(20);
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    while !(text(&shown).contains(ready) && also()) {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(chunk) => shown.extend(chunk),
            Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
            Err(_) => {
                let _ = child.kill();
                panic!("the terminal never showed {ready:?}: {:?}", text(&shown));
            }
        }
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"\x03").unwrap();
    stdin.flush().unwrap();
    loop {
        match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(chunk) => shown.extend(chunk),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                panic!("Ctrl-C did not end it: {:?}", text(&shown));
            }
        }
    }
    drop(stdin);
    let _ = child.wait();
    let text = text(&shown);
    let code = text
        .rsplit_once("rc=")
        .and_then(|(_, rest)| rest.trim().parse().ok());
    Shown { text, code }
}

/// Ctrl-C ended it with 130 and no error line.
#[track_caller]
fn interrupted(shown: &Shown) {
    assert_eq!(shown.code, Some(130), "{:?}", shown.text);
    assert!(!shown.text.contains("error"), "{:?}", shown.text);
}

#[test]
fn watch_says_what_it_waits_for_and_ctrl_c_exits_130() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/w", unique("int-watch"));
        // Before: "etcdpy: watching /w (Ctrl-C to stop)", though it ends after one change;
        // Ctrl-C then printed "etcdpy: error: interrupted" (130), and ended -f with 0.
        let one = format!("etcdpy: waiting for the next change to {key}; -f to keep watching");
        let shown = ctrl_c_when(etcd, &["watch", &key], &one, || true);
        interrupted(&shown);
        let shown = ctrl_c_when(etcd, &["watch", "-n", "2", &key], "next 2 changes", || true);
        interrupted(&shown);
        let forever = format!("etcdpy: watching {key}; Ctrl-C to stop");
        let shown = ctrl_c_when(etcd, &["watch", "-f", &key], &forever, || true);
        interrupted(&shown);
        // Ctrl-C while CMD runs: CMD gets it too, and the watch ends the same way.
        put(etcd, &key, "v");
        let shown = ctrl_c_when(
            etcd,
            &[
                "watch",
                "-f",
                &key,
                "--rev",
                "1",
                "--",
                "sh",
                "-c",
                "echo ran; sleep 30",
            ],
            "ran",
            // Once CMD is surely in its sleep: right after "ran", sh may be forking sleep,
            // and a SIGINT between that fork and sleep's exec is caught by the child's copy
            // of sh's handler and lost; sleep then runs its 30 s (seen on every version).
            || {
                std::thread::sleep(Duration::from_millis(300));
                true
            },
        );
        interrupted(&shown);
    });
}

#[test]
fn a_lock_waiter_says_who_holds_it_and_a_holder_says_it_holds_and_ctrl_c_exits_130() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = unique("int-lock");
        let keys = format!("/_locks/{name}/");
        let count = || {
            let out = etcd.etcdctl(&["get", &keys, "--prefix", "--keys-only"]);
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| !l.is_empty())
                .count()
        };
        // Without CMD, on a terminal: the key, then what to do (before: nothing, and Ctrl-C
        // exited 0).
        let holding = format!("etcdpy: holding lock /_locks/{name}; Ctrl-C to release");
        let shown = ctrl_c_when(etcd, &["lock", &name], &holding, || true);
        interrupted(&shown);
        assert!(
            shown.text.contains(&keys),
            "the key on stdout: {:?}",
            shown.text
        );
        assert_eq!(count(), 0, "Ctrl-C released the lock");

        // A waiter, while another holds it: who, since when, rewritten in place (before:
        // nothing until Ctrl-C).
        let mut holder = etcdpy()
            .endpoint(etcd)
            .args(["lock", &name, "--", "sleep", "60"])
            .spawn();
        let started = Instant::now();
        while count() < 1 {
            assert!(started.elapsed() < Duration::from_secs(10), "no holder");
            std::thread::sleep(Duration::from_millis(50));
        }
        let waiting = format!("etcdpy: waiting for lock /_locks/{name}: held by ");
        let shown = ctrl_c_when(etcd, &["lock", &name, "--", "true"], &waiting, || {
            count() == 2
        });
        interrupted(&shown);
        assert!(
            shown.text.contains(&format!(" pid {} (", holder.id())),
            "names the holder's pid: {:?}",
            shown.text
        );
        assert!(
            shown.text.contains("\r\x1b[K"),
            "in place: {:?}",
            shown.text
        );
        assert_eq!(count(), 1, "the waiter's key is gone, the holder's kept");
        let _ = holder.kill();
        let _ = holder.wait();
    });
}

#[test]
fn elect_observe_a_leader_without_cmd_and_leader_wait_end_with_130_on_ctrl_c() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = unique("int-elect");
        // Before: SIGINT's default, death by signal, the shell's 130 without etcdpy's say.
        // leader --wait, waiting on an endpoint that does not answer (before: SIGINT's
        // default, death by signal).
        let shown = ctrl_c_at(
            "http://127.0.0.1:1",
            &["leader", "--wait", "60s"],
            "",
            || {
                std::thread::sleep(Duration::from_millis(500));
                true
            },
        );
        interrupted(&shown);
        let mut leader = etcdpy()
            .endpoint(etcd)
            .args(["elect", &name, "--value", "leader-one"])
            .spawn();
        let shown = ctrl_c_when(etcd, &["elect", &name, "--observe"], "leader-one", || true);
        interrupted(&shown);
        let _ = leader.kill();
        let _ = leader.wait();
        // A candidate without CMD, once leading: what it does, and Ctrl-C resigns with 130.
        let other = unique("int-elect2");
        let leading = format!("etcdpy: leading election {other}; Ctrl-C to resign");
        let shown = ctrl_c_when(etcd, &["elect", &other], &leading, || true);
        interrupted(&shown);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["elect", &other, "--leader"])
            .run();
        expect(&run, 3);
    });
}

#[test]
fn leader_wait_and_elect_observe_exit_130_rather_than_die_of_sigint() {
    // On a terminal the shell shows 130 either way; its exit status tells them apart. Before,
    // these two had no handler: killed by SIGINT (a status with no exit code).
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let name = unique("int-observe");
        for (endpoint, args) in [
            (
                "http://127.0.0.1:1".to_string(),
                vec!["leader", "--wait", "60s"],
            ),
            (etcd.endpoint(), vec!["elect", &name, "--observe"]),
        ] {
            let mut child = etcdpy()
                .args(["--endpoints", &endpoint])
                .args(&args)
                .spawn();
            std::thread::sleep(Duration::from_millis(1000));
            // SAFETY: kill(2) on our own child.
            unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
            let status = child.wait().unwrap();
            assert_eq!(status.code(), Some(130), "{args:?}: {status:?}");
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            assert_eq!(err, "", "{args:?}");
        }
    });
}

#[test]
fn ctrl_c_at_the_password_prompt_exits_130_without_an_error_line() {
    // Before: "etcdpy: error: interrupted" (130).
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let shown = ctrl_c_when(
            etcd,
            &["--user", "alice", "get", "/k"],
            "Password for alice: ",
            || true,
        );
        interrupted(&shown);
    });
}
