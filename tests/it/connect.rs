//! Connection options: endpoint forms, python-etcd's host/port form,
//! environment variables, failover past dead endpoints, and servers that are
//! not etcd.

use crate::support::harness::{etcdpy, for_each_etcd, shared, unique};
use crate::support::util::{expect, put};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// A loopback port nothing listens on.
fn dead_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn endpoint_forms_host_port_and_environment() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("conn"));
        put(etcd, &key, "v");
        let port = etcd.port().to_string();
        let forms: Vec<Vec<String>> = vec![
            vec!["--endpoints".into(), format!("127.0.0.1:{port}")],
            vec!["--endpoints".into(), format!("http://127.0.0.1:{port}")],
            vec!["--endpoints".into(), format!("http://localhost:{port}/")],
            vec![
                "--host".into(),
                "127.0.0.1".into(),
                "--port".into(),
                port.clone(),
            ],
            vec![
                "--host".into(),
                "127.0.0.1".into(),
                "--port".into(),
                port.clone(),
                "--protocol".into(),
                "http".into(),
            ],
        ];
        for form in forms {
            let run = etcdpy().args(&form).args(["get", &key]).run();
            expect(&run, 0);
            assert_eq!(run.stdout, b"v\n", "{form:?}");
        }
        // Global options may also follow the subcommand.
        let run = etcdpy()
            .args(["get", &key, "--endpoints", &etcd.endpoint()])
            .run();
        assert_eq!(run.stdout, b"v\n");

        let run = etcdpy()
            .env("ETCDPY_ENDPOINTS", etcd.endpoint())
            .args(["get", &key])
            .run();
        assert_eq!(run.stdout, b"v\n");
        let run = etcdpy()
            .env("ETCDPY_HOST", "127.0.0.1")
            .env("ETCDPY_PORT", &port)
            .args(["get", &key])
            .run();
        assert_eq!(run.stdout, b"v\n");
        // A flag beats the environment's other form.
        let run = etcdpy()
            .env("ETCDPY_ENDPOINTS", format!("127.0.0.1:{}", dead_port()))
            .args(["--host", "127.0.0.1", "--port", &port, "get", &key])
            .run();
        assert_eq!(run.stdout, b"v\n", "{run:?}");
        // Both forms on the command line is a usage error.
        let run = etcdpy()
            .args([
                "--endpoints",
                &etcd.endpoint(),
                "--host",
                "127.0.0.1",
                "get",
                &key,
            ])
            .run();
        expect(&run, 2);
        assert!(run.stderr.contains("name the servers twice"), "{run:?}");
    });
}

#[test]
fn dead_endpoints_are_skipped() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("failover"));
        let endpoints = format!(
            "127.0.0.1:{},127.0.0.1:{},{}",
            dead_port(),
            dead_port(),
            etcd.endpoint()
        );
        expect(
            &etcdpy()
                .args(["--endpoints", &endpoints, "set", &key, "through"])
                .run(),
            0,
        );
        let run = etcdpy()
            .args(["--endpoints", &endpoints, "get", &key])
            .run();
        expect(&run, 0);
        assert_eq!(run.stdout, b"through\n");
    });
}

#[test]
fn unreachable_cluster_exits_7_naming_endpoints() {
    let (a, b) = (dead_port(), dead_port());
    let started = Instant::now();
    let run = etcdpy()
        .args([
            "--endpoints",
            &format!("127.0.0.1:{a},127.0.0.1:{b}"),
            "get",
            "/k",
        ])
        .run();
    expect(&run, 7);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        run.stderr
            .starts_with("etcdpy: error: cannot reach the cluster: tried "),
        "{run:?}"
    );
    assert!(
        run.stderr.contains(&format!("http://127.0.0.1:{a} (")),
        "{run:?}"
    );
    assert!(
        run.stderr.contains(&format!("http://127.0.0.1:{b} (")),
        "{run:?}"
    );
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
}

#[test]
fn silent_server_is_given_up_within_the_dial_timeout_then_next_tried() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let key = format!("{}/k", unique("silent"));
        put(etcd, &key, "v");
        // A listener whose backlog is full never completes the handshake for us.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // Fill the accept queue until a handshake no longer completes.
        let addr = listener.local_addr().unwrap();
        let mut _keep = Vec::new();
        while let Ok(stream) =
            std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100))
        {
            _keep.push(stream);
            assert!(_keep.len() < 10_000, "the listener never stopped accepting");
        }
        let started = Instant::now();
        let run = etcdpy()
            .args([
                "--dial-timeout",
                "500ms",
                "--endpoints",
                &format!("127.0.0.1:{port},{}", etcd.endpoint()),
                "get",
                &key,
            ])
            .run();
        expect(&run, 0);
        assert_eq!(run.stdout, b"v\n");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "took {:?}",
            started.elapsed()
        );
    });
}

/// A one-shot HTTP server that answers every request with `response`.
fn fake_server(response: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut buf = [0u8; 65536];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    port
}

#[test]
fn a_server_that_is_not_etcd_is_a_clear_error() {
    let html = fake_server(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 21\r\nconnection: close\r\n\r\n<html>welcome</html>\n",
    );
    let run = etcdpy()
        .args(["--endpoints", &format!("127.0.0.1:{html}"), "get", "/k"])
        .run();
    expect(&run, 7);
    assert!(
        run.stderr
            .contains("did not answer like an etcd v3 gateway"),
        "{run:?}"
    );
    assert_eq!(run.stderr.lines().count(), 1);

    // JSON, but not etcd's: every etcd answer has a header.
    let json = fake_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
    );
    let run = etcdpy()
        .args(["--endpoints", &format!("127.0.0.1:{json}"), "get", "/k"])
        .run();
    expect(&run, 7);
    assert!(
        run.stderr
            .contains("did not answer like an etcd v3 gateway"),
        "{run:?}"
    );
    assert!(run.stderr.contains("header"), "{run:?}");

    let not_found = fake_server(
        "HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: 9\r\nconnection: close\r\n\r\nNot Found",
    );
    let run = etcdpy()
        .args([
            "--endpoints",
            &format!("127.0.0.1:{not_found}"),
            "--path-prefix",
            "/etcd",
            "set",
            "/k",
            "v",
        ])
        .run();
    expect(&run, 7);
    assert!(
        run.stderr
            .contains(&format!("http://127.0.0.1:{not_found}/etcd/v3/kv/put")),
        "{run:?}"
    );
    assert!(run.stderr.contains("404"), "{run:?}");
}

#[test]
fn path_prefix_reaches_a_plain_etcd_as_404() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let run = etcdpy()
            .args([
                "--endpoints",
                &format!("{}/etcd", etcd.endpoint()),
                "get",
                "/k",
            ])
            .run();
        expect(&run, 7);
        assert!(run.stderr.contains("/etcd/v3/kv/range"), "{run:?}");
    });
}

#[test]
fn malformed_options_are_usage_errors() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--dial-timeout", "5x", "get", "/k"],
            "invalid duration '5x'",
        ),
        (
            &["--command-timeout", "-1s", "get", "/k"],
            "negative duration",
        ),
        (&["--dial-timeout", "0", "get", "/k"], "greater than zero"),
        (
            &["--endpoints", "ftp://a:1", "get", "/k"],
            "unsupported scheme 'ftp'",
        ),
        (
            &["--endpoints", "a:99999", "get", "/k"],
            "invalid endpoint 'a:99999'",
        ),
        (&["--port", "http", "get", "/k"], "invalid value 'http'"),
        (&["get", "/k", "--limit", "0"], "--limit"),
        (&["get"], "required"),
        (&["frobnicate"], "unrecognized subcommand"),
        (&["get", ""], "KEY must not be empty"),
    ];
    for (args, message) in cases {
        let run = etcdpy().args(*args).run();
        expect(&run, 2);
        assert!(run.stderr.contains(message), "{args:?}: {run:?}");
    }
}

#[test]
fn help_lists_the_exit_codes() {
    let run = etcdpy().arg("--help").run();
    expect(&run, 0);
    let text = run.out();
    for row in etcdpy::exit::TABLE {
        assert!(
            text.contains(&format!("{:>3}  {}", row.code, row.meaning)),
            "missing {} in --help",
            row.code
        );
    }
    // A subcommand's help points there in one line (issue 13: the table is 14 lines).
    let run = etcdpy().args(["set", "--help"]).run();
    let text = run.out();
    assert!(!text.contains("  4  condition failed"), "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("exit codes: etcdpy --help"), "{text}");
}
