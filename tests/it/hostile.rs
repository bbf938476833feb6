//! Servers that are not etcd, or a broken or malicious one: wrong content type, JSON of the
//! wrong shape, truncated or enormous answers, answers that trickle or never come, redirects,
//! huge headers, garbage in the watch stream. No real etcd can be made to do these, so the
//! server here is a few lines of raw HTTP over a loopback socket. Every case must end with a
//! documented exit code and one clear line on stderr, within the timeouts, with bounded
//! memory, and without a panic.

use crate::support::harness::{EtcdpyCmd, Run, etcdpy};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The timeouts every case runs with.
const DIAL: &str = "1s";
const COMMAND: Duration = Duration::from_secs(2);
/// Time allowed beyond the timeout a case should end at (process start, a loaded machine).
const SLACK: Duration = Duration::from_millis(2500);
/// Peak resident memory allowed while an enormous answer is refused.
const MAX_RSS_KB: i64 = 64 * 1024;

type Respond = dyn Fn(&str, &mut TcpStream) + Send + Sync;

/// A server on a free loopback port: every request is read whole, then `respond` gets its
/// path and the connection (which is closed when it returns).
fn serve(respond: impl Fn(&str, &mut TcpStream) + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let respond: Arc<Respond> = Arc::new(respond);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let respond = respond.clone();
            thread::spawn(move || {
                let mut stream = stream;
                if let Some(path) = read_request(&mut stream) {
                    respond(&path, &mut stream);
                }
            });
        }
    });
    port
}

/// Read one request (head and Content-Length body); its path.
fn read_request(stream: &mut TcpStream) -> Option<String> {
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut first = String::new();
    reader.read_line(&mut first).ok()?;
    let path = first.split_whitespace().nth(1)?.to_string();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(path)
}

fn write(stream: &mut TcpStream, bytes: &[u8]) -> bool {
    stream.write_all(bytes).is_ok()
}

/// A complete answer.
fn answer(stream: &mut TcpStream, status: &str, content_type: &str, body: &str) {
    write(
        stream,
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
}

fn json(stream: &mut TcpStream, body: &str) {
    answer(stream, "200 OK", "application/json", body);
}

const CHUNKED_HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";

fn chunk(stream: &mut TcpStream, data: &[u8]) -> bool {
    let mut bytes = format!("{:x}\r\n", data.len()).into_bytes();
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(b"\r\n");
    write(stream, &bytes)
}

/// Valid-looking JSON at full speed, for as long as the client reads (at most 4 GiB).
fn endless_json(stream: &mut TcpStream, start: &[u8], repeat: &[u8]) {
    if !write(stream, CHUNKED_HEAD) || !chunk(stream, start) {
        return;
    }
    let block = repeat.repeat((64 << 10) / repeat.len());
    for _ in 0..(4u64 << 30) / block.len() as u64 {
        if !chunk(stream, &block) {
            return;
        }
    }
}

/// What a hostile server does to a unary call: (name, behaviour, expected exit, stderr must
/// contain, the case ends at the command timeout rather than at once, enormous).
struct Case {
    name: &'static str,
    respond: fn(&mut TcpStream),
    exit: i32,
    says: &'static str,
    at_timeout: bool,
    enormous: bool,
    /// `lock` takes this for a connection broken while waiting: it queues again until
    /// --timeout, as it must when a member dies.
    lock_retries: bool,
}

fn unary_cases() -> Vec<Case> {
    vec![
        Case {
            name: "an HTML page with 200",
            respond: |s| {
                answer(
                    s,
                    "200 OK",
                    "text/html",
                    "<html><body>Welcome to nginx!</body></html>\n",
                )
            },
            exit: 7,
            says: "the answer is not JSON (expected value at line 1 column 1): it starts \"<html><body>Welcome",
            at_timeout: false,
            enormous: false,
            lock_retries: false,
        },
        Case {
            name: "JSON of the wrong shape",
            respond: |s| {
                json(
                    s,
                    r#"{"header":{"revision":"x1"},"kvs":"none","members":7,"ID":[],"key":5}"#,
                )
            },
            exit: 7,
            says: "the JSON does not match etcd's",
            at_timeout: false,
            enormous: false,
            lock_retries: false,
        },
        Case {
            name: "a Content-Length longer than the body",
            respond: |s| {
                write(
                    s,
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"header\":{\"rev",
                );
            },
            exit: 7,
            says: "the answer was cut off",
            at_timeout: false,
            enormous: false,
            lock_retries: true,
        },
        Case {
            name: "a chunked body cut off",
            respond: |s| {
                write(s, CHUNKED_HEAD);
                write(s, b"40\r\n{\"header\":{\"revision\":\"5\"},\"kvs\":[");
            },
            exit: 7,
            says: "the answer was cut off",
            at_timeout: false,
            enormous: false,
            lock_retries: true,
        },
        Case {
            name: "4 GiB announced",
            respond: |s| {
                write(
                    s,
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4294967296\r\n\r\n{\"header\":{},\"kvs\":[",
                );
                let block = br#"{"key":"YQ==","value":"YQ=="},"#.repeat(2000);
                while write(s, &block) {}
            },
            exit: 7,
            says: "the answer is larger than etcdpy's limit of 16 MiB for one response",
            at_timeout: false,
            enormous: true,
            lock_retries: false,
        },
        Case {
            name: "a never-ending body of valid-looking JSON",
            respond: |s| {
                endless_json(
                    s,
                    br#"{"header":{"revision":"5"},"members":[],"kvs":["#,
                    br#"{"key":"YQ==","value":"YQ==","mod_revision":"5"},"#,
                )
            },
            exit: 7,
            says: "the answer is larger than etcdpy's limit of 16 MiB for one response",
            at_timeout: false,
            enormous: true,
            lock_retries: false,
        },
        Case {
            name: "a body that trickles forever",
            respond: |s| {
                write(
                    s,
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n",
                );
                while write(s, b" ") {
                    thread::sleep(Duration::from_millis(100));
                }
            },
            exit: 5,
            says: "the answer did not complete within the command timeout of 2s",
            at_timeout: true,
            enormous: false,
            lock_retries: true,
        },
        Case {
            name: "slowloris headers, one byte a second",
            respond: |s| {
                for byte in b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n" {
                    if !write(s, &[*byte]) {
                        return;
                    }
                    thread::sleep(Duration::from_secs(1));
                }
            },
            exit: 5,
            says: "within the command timeout of 2s",
            at_timeout: true,
            enormous: false,
            lock_retries: true,
        },
        Case {
            name: "accepts and never answers",
            respond: |_| thread::sleep(Duration::from_secs(30)),
            exit: 5,
            says: "within the command timeout of 2s",
            at_timeout: true,
            enormous: false,
            lock_retries: true,
        },
        Case {
            name: "1 MiB of headers",
            respond: |s| {
                let mut head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n".to_vec();
                for i in 0..1024 {
                    head.extend_from_slice(
                        format!("x-filler-{i}: {}\r\n", "y".repeat(1000)).as_bytes(),
                    );
                }
                head.extend_from_slice(b"content-length: 2\r\n\r\n{}");
                write(s, &head);
            },
            exit: 7,
            says: "message head is too large",
            at_timeout: false,
            enormous: false,
            lock_retries: true,
        },
        Case {
            name: "an error message with terminal escapes",
            respond: |s| {
                answer(
                    s,
                    "500 Internal Server Error",
                    "application/json",
                    r#"{"error":"x","code":2,"message":"boom\u001b[2J\u001b]0;owned\u0007\nsecond line\u0000"}"#,
                )
            },
            exit: 1,
            says: r"boom\x1b[2J\x1b]0;owned\x07\nsecond line\x00",
            at_timeout: false,
            enormous: false,
            lock_retries: false,
        },
    ]
}

/// A finished run, how long it took and its peak resident memory.
struct Measured {
    run: Run,
    took: Duration,
    max_rss_kb: i64,
}

/// Run the command to its end, reaping it with wait4 to learn its peak RSS.
fn measure(cmd: EtcdpyCmd) -> Measured {
    let started = Instant::now();
    let mut child = cmd.spawn();
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let err = thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stderr.read_to_end(&mut buf);
        buf
    });
    // The kernel's peak RSS of the process (VmHWM), sampled every millisecond until it exits:
    // wait4's ru_maxrss would count the test process it was forked from.
    let mut max_rss_kb = 0;
    let status = loop {
        max_rss_kb = max_rss_kb.max(vm_hwm_kb(pid).unwrap_or(0));
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("still running after 60 s");
        }
        thread::sleep(Duration::from_millis(1));
    };
    let took = started.elapsed();
    use std::os::unix::process::ExitStatusExt;
    let code = status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
    Measured {
        run: Run {
            code,
            stdout: out.join().unwrap(),
            stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        },
        took,
        max_rss_kb,
    }
}

/// VmHWM of a running process, in KiB.
fn vm_hwm_kb(pid: u32) -> Option<i64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// etcdpy against the server on `port`, with the cases' timeouts.
fn against(port: u16) -> EtcdpyCmd {
    etcdpy().args([
        "--endpoints",
        &format!("127.0.0.1:{port}"),
        "--dial-timeout",
        DIAL,
        "--command-timeout",
        &humantime::format_duration(COMMAND).to_string(),
    ])
}

/// Check one outcome; a description of what is wrong, if anything.
fn verdict(
    what: &str,
    m: &Measured,
    exit: i32,
    says: &str,
    by: Duration,
    enormous: bool,
) -> Option<String> {
    let run = &m.run;
    let mut wrong = Vec::new();
    if run.code != exit {
        wrong.push(format!("exit {} instead of {exit}", run.code));
    }
    if !run.stderr.contains(says) {
        wrong.push(format!("stderr does not say {says:?}"));
    }
    if run.stderr.lines().count() != 1 || !run.stderr.starts_with("etcdpy: error: ") {
        wrong.push("stderr is not one error line".into());
    }
    if run.stderr.contains("panicked") || run.stderr.contains('\x1b') {
        wrong.push("a panic or a raw escape on stderr".into());
    }
    if m.took > by {
        wrong.push(format!("took {:?}, more than {by:?}", m.took));
    }
    if enormous && m.max_rss_kb > MAX_RSS_KB {
        wrong.push(format!("peak RSS {} KiB > {MAX_RSS_KB} KiB", m.max_rss_kb));
    }
    eprintln!(
        "{what}: exit {} in {:.2?}, peak RSS {} MiB",
        run.code,
        m.took,
        m.max_rss_kb / 1024
    );
    (!wrong.is_empty()).then(|| format!("{what}: {}\n{run:?}", wrong.join("; ")))
}

/// One case: `None` when it went right, else what went wrong.
type Job = Box<dyn FnOnce() -> Option<String> + Send>;

/// Run every case in parallel (each with its own server); fail listing every wrong one.
fn run_all(cases: Vec<(String, Job)>) {
    let handles: Vec<_> = cases
        .into_iter()
        .map(|(name, case)| (name, thread::spawn(case)))
        .collect();
    let failures: Vec<String> = handles
        .into_iter()
        .filter_map(|(name, h)| {
            h.join()
                .unwrap_or_else(|_| Some(format!("{name}: panicked")))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The unary cases against one command; `setup` answers the calls that come before the one
/// under attack (`target`), as etcd would.
fn unary(
    command: &'static [&'static str],
    target: &'static str,
    setup: fn(&str, &mut TcpStream) -> bool,
) {
    let cases = unary_cases()
        .into_iter()
        .map(|case| {
            let name = format!("{command:?} / {}", case.name);
            let job: Job = Box::new(move || {
                let respond = case.respond;
                let port = serve(move |path, s| {
                    if path == target || !setup(path, s) {
                        respond(s)
                    }
                });
                let by = if case.at_timeout {
                    COMMAND + SLACK
                } else {
                    SLACK
                };
                let m = measure(against(port).args(command));
                verdict(
                    &format!("{command:?} / {}", case.name),
                    &m,
                    case.exit,
                    case.says,
                    by,
                    case.enormous,
                )
            });
            (name, job)
        })
        .collect();
    run_all(cases);
}

fn no_setup(_: &str, _: &mut TcpStream) -> bool {
    false
}

/// etcd's answers to what `lock` asks before the lock call itself.
fn lock_setup(path: &str, s: &mut TcpStream) -> bool {
    match path {
        "/v3/lease/grant" => json(s, r#"{"header":{"revision":"3"},"ID":"7587","TTL":"60"}"#),
        "/v3/lease/keepalive" => json(
            s,
            r#"{"result":{"header":{"revision":"3"},"ID":"7587","TTL":"60"}}"#,
        ),
        "/v3/lease/revoke" | "/v3/kv/txn" => json(s, r#"{"header":{"revision":"3"}}"#),
        "/v3/kv/range" => json(s, r#"{"header":{"revision":"3"}}"#),
        _ => return false,
    }
    true
}

/// etcd's member list, naming the server itself as the only member.
fn members_setup(path: &str, s: &mut TcpStream) -> bool {
    if path != "/v3/cluster/member/list" {
        return false;
    }
    let port = s.local_addr().unwrap().port();
    json(
        s,
        &format!(
            r#"{{"header":{{"revision":"3"}},"members":[{{"ID":"1","name":"m1","peerURLs":["http://127.0.0.1:1"],"clientURLs":["http://127.0.0.1:{port}"]}}]}}"#
        ),
    );
    true
}

#[test]
fn hostile_answers_to_get() {
    unary(&["get", "/k"], "/v3/kv/range", no_setup);
}

#[test]
fn hostile_answers_to_set() {
    unary(&["set", "/k", "v"], "/v3/kv/put", no_setup);
}

#[test]
fn hostile_answers_to_the_member_list() {
    unary(&["members"], "/v3/cluster/member/list", no_setup);
}

#[test]
fn hostile_answers_to_leader() {
    unary(&["leader"], "/v3/cluster/member/list", no_setup);
}

#[test]
fn hostile_answers_to_the_lock_call() {
    // The lock call has no timeout of its own (it blocks in etcd until the lock is free):
    // --timeout bounds it, and the cases that end at a timeout end at that one, exit 5.
    let cases = unary_cases()
        .into_iter()
        .map(|case| {
            let name = format!("lock / {}", case.name);
            let label = name.clone();
            let job: Job = Box::new(move || {
                let respond = case.respond;
                let port = serve(move |path, s| {
                    if path == "/v3/lock/lock" || !lock_setup(path, s) {
                        respond(s)
                    }
                });
                let m = measure(against(port).args(["lock", "--timeout", "2s", "L", "--", "true"]));
                let (exit, says, by) = if case.at_timeout || case.lock_retries {
                    (
                        5,
                        "timed out after 2s waiting for lock /_locks/L",
                        COMMAND + SLACK,
                    )
                } else {
                    (case.exit, case.says, SLACK)
                };
                verdict(&label, &m, exit, says, by, case.enormous)
            });
            (name, job)
        })
        .collect();
    run_all(cases);
}

#[test]
fn hostile_member_status_answers_end_leader_and_members() {
    // The member list is etcd's; the member's own status answer is hostile. `members` shows
    // the member as not answering (exit 11, naming it), `leader` finds none (exit 9), both in
    // time.
    let cases = unary_cases()
        .into_iter()
        .flat_map(|case| {
            [("members", 11), ("leader", 9)].map(|(command, exit)| {
                let name = format!("{command} status / {}", case.name);
                let label = name.clone();
                let respond = case.respond;
                let (at_timeout, enormous) = (case.at_timeout, case.enormous);
                let job: Job = Box::new(move || {
                    let port = serve(move |path, s| {
                        if !members_setup(path, s) {
                            respond(s)
                        }
                    });
                    let m = measure(against(port).arg(command));
                    let by = if at_timeout { COMMAND + SLACK } else { SLACK };
                    let mut wrong = Vec::new();
                    if m.run.code != exit {
                        wrong.push(format!("exit {} instead of {exit}", m.run.code));
                    }
                    if m.took > by {
                        wrong.push(format!("took {:?}", m.took));
                    }
                    if m.run.stderr.contains("panicked")
                        || m.run.stderr.contains('\x1b')
                        || m.run.out().contains('\x1b')
                    {
                        wrong.push("a panic or a raw escape".into());
                    }
                    if enormous && m.max_rss_kb > MAX_RSS_KB {
                        wrong.push(format!("peak RSS {} KiB", m.max_rss_kb));
                    }
                    eprintln!(
                        "{label}: exit {} in {:.2?}, peak RSS {} MiB",
                        m.run.code,
                        m.took,
                        m.max_rss_kb / 1024
                    );
                    (!wrong.is_empty())
                        .then(|| format!("{label}: {}\n{:?}", wrong.join("; "), m.run))
                });
                (name, job)
            })
        })
        .collect();
    run_all(cases);
}

const CREATED: &[u8] = b"{\"result\":{\"header\":{\"revision\":\"5\"},\"created\":true}}\n";

/// A watch stream: the chunked head, then whatever `body` writes.
fn watch_server(body: fn(&mut TcpStream), check_answers: bool) -> u16 {
    serve(move |path, s| match path {
        "/v3/watch" => {
            if write(s, CHUNKED_HEAD) {
                body(s)
            }
        }
        "/v3/kv/range" if check_answers => json(s, r#"{"header":{"revision":"5"}}"#),
        _ => thread::sleep(Duration::from_secs(30)),
    })
}

#[test]
fn hostile_watch_streams() {
    type Body = fn(&mut TcpStream);
    // (name, stream body, does the endpoint answer checks, exit, says, by, enormous)
    let cases: Vec<(&str, Body, bool, i32, &str, Duration, bool)> = vec![
        (
            "an HTML page with 200",
            |s| {
                chunk(s, b"<html>\n<body>Welcome to nginx!</body>\n</html>\n");
                chunk(s, b"");
            },
            true,
            7,
            "the watch stream held something other than etcd's JSON",
            SLACK,
            false,
        ),
        (
            "an endless stream of garbage lines",
            |s| while chunk(s, &b"garbage\n".repeat(1000)) {},
            true,
            7,
            "something other than etcd's JSON (expected value at line 1 column 1): \"garbage\"",
            SLACK,
            false,
        ),
        (
            "created, then JSON of the wrong shape",
            |s| {
                chunk(s, CREATED);
                chunk(s, b"{\"result\":{\"events\":\"none\",\"created\":7}}\n");
                thread::sleep(Duration::from_secs(30));
            },
            true,
            7,
            "something other than etcd's JSON (invalid type",
            SLACK,
            false,
        ),
        (
            "one enormous line without a newline",
            |s| {
                while chunk(
                    s,
                    &br#"{"result":{"events":[{"kv":{"key":"YQ=="}}"#.repeat(2000),
                ) {}
            },
            true,
            7,
            "a watch message is larger than etcdpy's limit of 16 MiB",
            SLACK,
            true,
        ),
        (
            "created, then an endless line trickling",
            |s| {
                chunk(s, CREATED);
                while chunk(s, b"{") {
                    thread::sleep(Duration::from_millis(200));
                }
            },
            true,
            5,
            "a watch message did not complete within the command timeout of 2s",
            COMMAND + SLACK,
            false,
        ),
        (
            "created, then silence, and checks unanswered",
            |s| {
                chunk(s, CREATED);
                thread::sleep(Duration::from_secs(60));
            },
            false,
            7,
            "the endpoint did not answer a check",
            // Silence is noticed after 5 s, the check waits 4 s.
            Duration::from_secs(9) + SLACK,
            false,
        ),
        (
            "a message cut off by the end of the stream",
            |s| {
                chunk(s, b"{\"result\":{\"header\":");
                chunk(s, b"");
            },
            true,
            7,
            "the server ended the watch in the middle of a message",
            SLACK,
            false,
        ),
    ];
    let mut jobs: Vec<(String, Job)> = cases
        .into_iter()
        .map(|(name, body, checks, exit, says, by, enormous)| {
            let name = format!("watch / {name}");
            let job: Job = Box::new(move || {
                let port = watch_server(body, checks);
                let m = measure(against(port).args(["watch", "/k"]));
                verdict(&name, &m, exit, says, by, enormous)
            });
            (format!("watch {exit}"), job)
        })
        .collect();
    // Before the watch stream: the same as any call.
    for (name, respond, exit, says) in [
        (
            "accepts and never answers",
            (|_: &mut TcpStream| thread::sleep(Duration::from_secs(30))) as fn(&mut TcpStream),
            5,
            "no answer within 2s",
        ),
        (
            "a redirect",
            |s: &mut TcpStream| answer(s, "307 Temporary Redirect", "text/plain", ""),
            7,
            "HTTP 307",
        ),
    ] {
        jobs.push((
            name.to_string(),
            Box::new(move || {
                let port = serve(move |_, s| respond(s));
                let m = measure(against(port).args(["watch", "/k"]));
                verdict(
                    &format!("watch / {name}"),
                    &m,
                    exit,
                    says,
                    COMMAND + SLACK,
                    false,
                )
            }),
        ));
    }
    run_all(jobs);
}

#[test]
fn redirects_are_not_followed() {
    // Where a redirect points: it must never see the request.
    let visits = Arc::new(AtomicUsize::new(0));
    let seen = visits.clone();
    let elsewhere = serve(move |_, s| {
        seen.fetch_add(1, Ordering::SeqCst);
        json(s, r#"{"header":{"revision":"3"}}"#);
    });
    let port = serve(move |path, s| {
        write(
            s,
            format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: http://127.0.0.1:{elsewhere}{path}\r\ncontent-length: 0\r\n\r\n"
            )
            .as_bytes(),
        );
    });
    for command in [&["get", "/k"][..], &["set", "/k", "v"], &["members"]] {
        let m = measure(against(port).args(command));
        let says =
            format!("HTTP 307 Temporary Redirect, a redirect to http://127.0.0.1:{elsewhere}/v3/");
        if let Some(wrong) = verdict(
            &format!("{command:?} / redirect"),
            &m,
            7,
            &says,
            SLACK,
            false,
        ) {
            panic!("{wrong}");
        }
    }
    assert_eq!(visits.load(Ordering::SeqCst), 0, "a redirect was followed");
}

#[test]
fn a_real_range_larger_than_the_answer_limit_is_read_in_smaller_pages() {
    // 1200 keys of 14 KiB: a page of 1000 is about 19 MB of JSON, more than the 16 MiB one
    // answer may hold, so the pages shrink until they fit; every key still comes out once.
    crate::support::harness::for_each_etcd(|bin| {
        let etcd = crate::support::harness::shared(bin);
        let prefix = crate::support::harness::unique("bigrange");
        crate::support::util::load(etcd, &prefix, 1200, 14 << 10);
        let run = etcdpy()
            .endpoint(etcd)
            .args(["get", "-r", &format!("{prefix}/"), "-o", "json"])
            .run();
        crate::support::util::expect(&run, 0);
        let out: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        let text = out.to_string();
        assert_eq!(
            text.matches(&"v".repeat(14 << 10)).count(),
            1200,
            "{}",
            &text[..200]
        );
    });
}

/// "key not found" asks a little more for its hint (issue 13); when that lookup stalls or is
/// answered with garbage, the error stays the plain one, exit 3, well within one command
/// timeout (each lookup alone could take one).
#[test]
fn a_failing_hint_lookup_leaves_key_not_found_as_it_is() {
    for stall in [true, false] {
        let asked = Arc::new(AtomicUsize::new(0));
        let seen = asked.clone();
        let port = serve(move |path, s| {
            // Not the gateway (gRPC's HTTP/2 preface, `PRI *`): dropped, so the read falls back.
            if !path.starts_with("/v3/") {
                return;
            }
            // `get k`: the key, then the level below it: nothing. Then the hint's lookups.
            if seen.fetch_add(1, Ordering::SeqCst) < 2 {
                json(s, r#"{"header":{"revision":"5"}}"#);
            } else if stall {
                thread::sleep(Duration::from_secs(30));
            } else {
                answer(
                    s,
                    "500 Internal Server Error",
                    "text/html",
                    "<html>oops</html>",
                );
            }
        });
        // A long command timeout: the hint's wait is bounded on its own (2 s), far below it.
        let long = Duration::from_secs(10);
        let cmd = etcdpy().args(["--endpoints", &format!("127.0.0.1:{port}")]);
        let m = measure(cmd.args(["--command-timeout", "10s", "get", "k"]));
        let what = format!(
            "stall: {stall}, {} requests, took {:?}",
            asked.load(Ordering::SeqCst),
            m.took
        );
        assert_eq!(m.run.code, 3, "{what}\n{:?}", m.run);
        assert_eq!(m.run.stderr, "etcdpy: error: key not found: k\n", "{what}");
        assert!(m.run.stdout.is_empty(), "{what}\n{:?}", m.run);
        assert!(asked.load(Ordering::SeqCst) > 2, "no hint lookup: {what}");
        assert!(m.took < long, "{what}");
    }
}

/// What a hostile HTTP/2 server does to a gRPC Range (`get -r KEY/`, whose first request it is).
#[derive(Clone, Copy, Debug)]
enum Grpc {
    /// A frame announcing 100 bytes, 50 sent, then the end of the stream.
    CutFrame,
    /// 200 with `application/grpc`, no frame and no grpc-status.
    NoFrame,
    /// A frame announcing 2 GiB, then bytes for as long as the client reads.
    Endless,
    /// A whole frame whose bytes are no RangeResponse.
    NotProtobuf,
    /// Trailers-Only: grpc-status 11, "compacted".
    Compacted,
    /// Trailers-Only with a grpc-status that is no number.
    BadStatus,
    /// The request is taken and never answered.
    Silence,
}

/// An HTTP/2 (h2c) server on a free loopback port doing `behaviour` to every request.
fn serve_h2(behaviour: Grpc) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    listener.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let Ok(mut connection) = h2::server::handshake(socket).await else {
                        return;
                    };
                    while let Some(Ok((_, respond))) = connection.accept().await {
                        tokio::spawn(answer_h2(behaviour, respond));
                    }
                });
            }
        });
    });
    port
}

async fn answer_h2(behaviour: Grpc, mut respond: h2::server::SendResponse<bytes::Bytes>) {
    use bytes::Bytes;
    let head = |status: Option<&str>| {
        let mut response = http::Response::builder()
            .status(200)
            .header("content-type", "application/grpc");
        if let Some(status) = status {
            response = response.header("grpc-status", status).header(
                "grpc-message",
                "etcdserver: mvcc: required revision has been compacted",
            );
        }
        response.body(()).unwrap()
    };
    let (status, end) = match behaviour {
        Grpc::Compacted => (Some("11"), true),
        Grpc::BadStatus => (Some("eleven"), true),
        Grpc::NoFrame => (None, true),
        Grpc::Silence => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            return;
        }
        _ => (None, false),
    };
    let Ok(mut stream) = respond.send_response(head(status), end) else {
        return;
    };
    match behaviour {
        Grpc::CutFrame => {
            let mut frame = vec![0, 0, 0, 0, 100];
            frame.extend_from_slice(&[0x20; 50]);
            let _ = stream.send_data(Bytes::from(frame), true);
        }
        Grpc::NotProtobuf => {
            let _ = stream.send_data(Bytes::from_static(&[0, 0, 0, 0, 3, 0xff, 0xff, 0xff]), true);
        }
        Grpc::Endless => {
            let _ = stream.send_data(Bytes::from_static(&[0, 0x7f, 0xff, 0xff, 0xff]), false);
            let block = Bytes::from(vec![0x0a; 64 << 10]);
            // Only as fast as the client's flow control allows: nothing piles up here.
            for _ in 0..(4u64 << 30) / block.len() as u64 {
                stream.reserve_capacity(block.len());
                match std::future::poll_fn(|cx| stream.poll_capacity(cx)).await {
                    Some(Ok(n)) if stream.send_data(block.slice(..n), false).is_ok() => {}
                    _ => return,
                }
            }
        }
        _ => {}
    }
    // Keep the stream open until the client is done with it.
    tokio::time::sleep(Duration::from_secs(30)).await;
}

#[test]
fn hostile_answers_to_a_grpc_range() {
    let cases: Vec<(Grpc, i32, &str, bool, bool)> = vec![
        // (behaviour, exit, stderr says, ends at the command timeout, enormous)
        (
            Grpc::CutFrame,
            7,
            "the gRPC answer was cut off (50 of 100 bytes)",
            false,
            false,
        ),
        (
            Grpc::NoFrame,
            7,
            "neither a gRPC frame nor a grpc-status",
            false,
            false,
        ),
        (
            Grpc::Endless,
            7,
            "larger than etcdpy's limit of 16 MiB",
            false,
            true,
        ),
        (
            Grpc::NotProtobuf,
            7,
            // (a RangeStreamResponse, where RangeStream is asked first)
            "the protobuf is not a Range",
            false,
            false,
        ),
        (
            Grpc::Compacted,
            10,
            "required revision has been compacted",
            false,
            false,
        ),
        (Grpc::BadStatus, 7, "grpc-status eleven", false, false),
        (
            Grpc::Silence,
            5,
            "within the command timeout of 2s",
            true,
            false,
        ),
    ];
    let jobs = cases
        .into_iter()
        .map(|(behaviour, exit, says, at_timeout, enormous)| {
            let name = format!("get -r over gRPC / {behaviour:?}");
            let job: Job = Box::new(move || {
                let port = serve_h2(behaviour);
                // The 16 MiB refusal halves the page until one key: ten refusals.
                let by = match (at_timeout, enormous) {
                    (true, _) => COMMAND + SLACK,
                    (_, true) => 4 * SLACK,
                    _ => SLACK,
                };
                let m = measure(against(port).args([
                    "--transport",
                    "grpc",
                    "get",
                    "-r",
                    "/k/",
                    "--rev",
                    "5",
                ]));
                verdict(&format!("{behaviour:?}"), &m, exit, says, by, enormous)
            });
            (name, job)
        })
        .collect();
    run_all(jobs);
}

#[test]
fn an_http1_only_server_gets_bulk_reads_through_its_gateway() {
    // A server that speaks HTTP/1.1 only: the h2c request fails, and `get -r` reads the range
    // from the gateway instead; pinned to gRPC it is an error.
    let port = serve(|path, s| {
        if path == "/v3/kv/range" {
            json(
                s,
                r#"{"header":{"revision":"5"},"kvs":[{"key":"L2svYQ==","value":"MQ==","mod_revision":"5"}],"count":"1"}"#,
            );
        } else {
            answer(s, "400 Bad Request", "text/plain", "HTTP/1.1 only\n");
        }
    });
    let run = against(port).args(["--debug", "get", "-r", "/k/"]).run();
    crate::support::util::expect(&run, 0);
    assert_eq!(run.out(), "/k/a = 1\n");
    assert_eq!(run.stderr.matches("debug: gRPC POST").count(), 1, "{run:?}");
    assert!(run.stderr.contains("/v3/kv/range -> HTTP 200"), "{run:?}");
    let run = against(port)
        .args(["--transport", "grpc", "get", "-r", "/k/"])
        .run();
    crate::support::util::expect(&run, 7);
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(
        run.stderr.contains("(no gRPC there (HTTP/2 failed"),
        "{run:?}"
    );
}
