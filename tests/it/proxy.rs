//! HTTPS behind a reverse proxy under a path prefix, exactly python-etcd's
//! `etcd.Client(host=..., protocol='https', port=..., version_prefix='/etcd')`:
//! a real nginx on a free loopback port terminates TLS with a throwaway test CA
//! (made with the `openssl` CLI) and forwards `/etcd/` to a real etcd. get,
//! set (with --ttl), rm, rm -r, refresh, watch streaming and lock go through
//! it, in both the `--endpoints URL` and the `--host/--protocol/--port/
//! --path-prefix` forms; a server the CA does not vouch for is refused.
//!
//! [`Proxy`] is also used by `dns.rs` (an https SRV record pointing at it).
//! nginx runs with `master_process off`: one process, spawned with the
//! harness's PDEATHSIG guard, so it can never outlive the test process (a
//! master's workers would be orphaned, not killed, if the master died).

use crate::certs;
use crate::harness::{Etcd, etcdpy, for_each_etcd, free_ports, shared, spawn_guarded, unique};
use crate::util::{count, expect, put, stored};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// A host name the server certificate also covers, for SRV targets (`dns.rs`).
pub const PROXY_DNS_NAME: &str = "etcd-proxy.example.test";
/// How long [`Proxy::start`] waits for nginx to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(10);
const START_ATTEMPTS: u32 = 3;

/// A program the tests need, or a panic naming the Debian package that has it: never a skip.
pub fn tool(name: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::env::split_paths(&path).chain(["/usr/sbin".into(), "/sbin".into()]);
    for dir in dirs {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "\n==================================================================================\n\
         `{name}` is not installed (not on PATH, not in /usr/sbin). The proxy and DNS tests run\n\
         a real {name} and never skip. Install the Debian package `{package}`:\n\
         \n\
         \x20   apt-get install {package}      (or run scripts/setup-test-tools; scripts/test does)\n\
         ==================================================================================\n"
    )
}

/// A throwaway CA (`ca.pem`) and a server certificate it signed (`server.pem`, `server.key`)
/// for localhost, 127.0.0.1 and [`PROXY_DNS_NAME`], written into `dir`.
fn make_certificates(dir: &Path) {
    certs::make_ca(dir, "ca");
    let dns = format!("DNS:{PROXY_DNS_NAME}");
    certs::make_leaf(
        dir,
        &certs::Leaf {
            name: "server",
            ca: "ca",
            san: &["DNS:localhost", &dns, "IP:127.0.0.1"],
            dates: None,
        },
    );
}

/// A real nginx on a free loopback port: TLS with a test CA, `/etcd/` forwarded to one etcd
/// client port. Killed on drop; shows its error log when a test fails.
pub struct Proxy {
    child: Child,
    port: u16,
    // Last: removed after the server is killed.
    dir: tempfile::TempDir,
}

impl Proxy {
    /// Starts nginx in front of `127.0.0.1:etcd_port` and waits until it accepts connections.
    pub fn start(etcd_port: u16) -> Proxy {
        Proxy::start_routes(&[("etcd", etcd_port)])
    }

    /// Starts nginx forwarding `/NAME/` to `127.0.0.1:PORT` for each `(NAME, PORT)` (one
    /// path per member of a cluster), and waits until it accepts connections.
    pub fn start_routes(routes: &[(&str, u16)]) -> Proxy {
        let nginx = tool("nginx", "nginx-light");
        let dir = tempfile::Builder::new()
            .prefix("etcdpy-nginx-")
            .tempdir()
            .expect("create a temp dir for nginx");
        make_certificates(dir.path());
        for attempt in 1..=START_ATTEMPTS {
            match Proxy::try_start(&nginx, dir.path(), routes) {
                Ok((child, port)) => return Proxy { child, port, dir },
                Err(log) if log.contains("Address already in use") && attempt < START_ATTEMPTS => {
                    eprintln!("proxy: nginx lost its port (attempt {attempt}), retrying: {log}");
                }
                Err(log) => panic!("could not start nginx (attempt {attempt}):\n{log}"),
            }
        }
        unreachable!()
    }

    fn try_start(nginx: &Path, dir: &Path, routes: &[(&str, u16)]) -> Result<(Child, u16), String> {
        let (port, _) = free_ports();
        let locations: String = routes
            .iter()
            .map(|(name, etcd_port)| {
                // The name "" routes the whole server, with no path prefix.
                let path = if name.is_empty() {
                    "/".to_string()
                } else {
                    format!("/{name}/")
                };
                format!(
                    "
        location {path} {{
            proxy_pass http://127.0.0.1:{etcd_port}/;
            proxy_http_version 1.1;
            proxy_buffering off;
            proxy_request_buffering off;
            proxy_read_timeout 1h;
        }}"
                )
            })
            .collect();
        let d = dir.display();
        // Running as root, `user root;` keeps nginx from switching to `nobody` (which could not
        // enter the 0700 temp dir); otherwise nginx cannot switch users and needs nothing.
        // SAFETY: geteuid cannot fail.
        let user = if unsafe { libc::geteuid() } == 0 {
            "user root;"
        } else {
            ""
        };
        let conf = format!(
            "{user}
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/client_body;
    proxy_temp_path {d}/proxy;
    fastcgi_temp_path {d}/fastcgi;
    uwsgi_temp_path {d}/uwsgi;
    scgi_temp_path {d}/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name localhost {PROXY_DNS_NAME};
        ssl_certificate {d}/server.pem;
        ssl_certificate_key {d}/server.key;{locations}
    }}
}}
"
        );
        std::fs::write(dir.join("nginx.conf"), conf).expect("write nginx.conf");
        let log = dir.join("nginx.out");
        let out = File::create(&log).expect("create nginx.out");
        let mut cmd = Command::new(nginx);
        cmd.arg("-p")
            .arg(dir)
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .arg("-e")
            .arg(dir.join("error.log"))
            .args(["-g", "daemon off;"])
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("clone a file handle"))
            .stderr(out);
        let mut child = spawn_guarded(cmd).map_err(|e| format!("cannot run nginx: {e}"))?;
        let report = |dir: &Path| {
            let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            format!(
                "--- nginx output ---\n{}--- error.log ---\n{}",
                read("nginx.out"),
                read("error.log")
            )
        };
        let deadline = Instant::now() + START_TIMEOUT;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        loop {
            if let Some(status) = child.try_wait().expect("wait for nginx") {
                return Err(format!("nginx exited ({status})\n{}", report(dir)));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok((child, port));
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "nginx did not accept connections on port {port} within {START_TIMEOUT:?}\n{}",
                    report(dir)
                ));
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The test CA's certificate (PEM), for `--cacert`.
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    /// `https://localhost:PORT/etcd`
    pub fn url(&self) -> String {
        self.url_of("etcd")
    }

    /// `https://localhost:PORT/NAME`, for a route of [`Proxy::start_routes`].
    pub fn url_of(&self, name: &str) -> String {
        format!("https://localhost:{}/{name}", self.port)
    }

    fn error_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("error.log")).unwrap_or_default()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if thread::panicking() {
            let text = self.error_log();
            let lines: Vec<&str> = text.lines().collect();
            eprintln!(
                "----- nginx on port {}: error.log tail -----\n{}\n----- end of nginx log -----",
                self.port,
                lines[lines.len().saturating_sub(30)..].join("\n")
            );
        }
    }
}

/// The two ways to name the proxy: python-etcd's single-server arguments and an endpoint URL.
fn forms(proxy: &Proxy) -> [(&'static str, Vec<String>); 2] {
    let ca = proxy.ca().display().to_string();
    [
        (
            "--endpoints URL",
            vec![
                "--endpoints".into(),
                proxy.url(),
                "--cacert".into(),
                ca.clone(),
            ],
        ),
        (
            "--host/--protocol/--port/--path-prefix",
            vec![
                "--host".into(),
                "localhost".into(),
                "--protocol".into(),
                "https".into(),
                "--port".into(),
                proxy.port().to_string(),
                "--path-prefix".into(),
                "/etcd".into(),
                "--cacert".into(),
                ca,
            ],
        ),
    ]
}

#[test]
fn get_set_rm_refresh_through_an_https_proxy_under_a_path_prefix() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        for (form, conn) in forms(&proxy) {
            let p = unique("proxy");
            let via = || etcdpy().args(&conn);

            // set, and the value is really in etcd.
            let run = via().args(["set", &format!("{p}/a"), "1"]).run();
            expect(&run, 0);
            assert_eq!(
                stored(etcd, &format!("{p}/a")).unwrap().value,
                b"1",
                "{form}"
            );

            // get of what etcdctl wrote.
            put(etcd, &format!("{p}/b"), "from etcdctl");
            let run = via().args(["get", &format!("{p}/b")]).run();
            expect(&run, 0);
            assert_eq!(run.out(), "from etcdctl\n", "{form}");
            let run = via().args(["get", &format!("{p}/missing")]).run();
            expect(&run, 3);

            // set --ttl attaches a lease; refresh gives a new TTL and keeps the value.
            let key = format!("{p}/ttl");
            expect(
                &via().args(["set", &key, "leased", "--ttl", "30s"]).run(),
                0,
            );
            let before = stored(etcd, &key).unwrap();
            assert_ne!(before.lease, 0, "{form}: set --ttl left no lease");
            let run = via()
                .args(["refresh", &key, "--ttl", "600s", "-o", "json"])
                .run();
            expect(&run, 0);
            let doc: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
            assert_eq!(doc["ttl"], 600, "{form}: {run:?}");
            let after = stored(etcd, &key).unwrap();
            assert_eq!(after.value, b"leased", "{form}");
            assert_ne!(after.lease, 0, "{form}");
            // refresh without --ttl renews the current lease.
            expect(&via().args(["refresh", &key]).run(), 0);
            assert_eq!(stored(etcd, &key).unwrap().lease, after.lease, "{form}");

            // rm, then rm -r of a subtree.
            expect(&via().args(["rm", &format!("{p}/a")]).run(), 0);
            assert!(stored(etcd, &format!("{p}/a")).is_none(), "{form}");
            for k in ["x", "x/1", "x/2/3"] {
                put(etcd, &format!("{p}/{k}"), "v");
            }
            put(etcd, &format!("{p}/x2"), "stays");
            let run = via().args(["rm", "-r", &format!("{p}/x")]).run();
            expect(&run, 0);
            assert_eq!(run.out(), "deleted 3 keys\n", "{form}");
            assert_eq!(count(etcd, &format!("{p}/x")), 1, "{form}: only x2 is left");
            assert!(stored(etcd, &format!("{p}/x2")).is_some(), "{form}");
        }
    });
}

#[test]
fn a_server_certificate_the_ca_does_not_vouch_for_is_refused() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        let key = format!("{}/k", unique("proxy-untrusted"));
        put(etcd, &key, "secret");
        // No --cacert: the system's roots do not know the test CA.
        let run = etcdpy()
            .args(["--endpoints", &proxy.url(), "get", &key])
            .run();
        assert_ne!(run.code, 0, "{run:?}");
        expect(&run, 7);
        assert!(run.stdout.is_empty(), "{run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "one line: {run:?}");
        assert!(
            run.stderr.contains("certificate"),
            "stderr must name the certificate problem: {run:?}"
        );
        crate::tls::no_tls_library_text(&run.stderr);
        assert!(
            run.stderr.contains(&proxy.url()),
            "names the endpoint: {run:?}"
        );
        // The same with python-etcd's form, and a write is refused too (nothing written).
        let run = etcdpy()
            .args(["--host", "localhost", "--protocol", "https"])
            .args([
                "--port",
                &proxy.port().to_string(),
                "--path-prefix",
                "/etcd",
            ])
            .args(["set", &key, "changed"])
            .run();
        expect(&run, 7);
        assert!(run.stderr.contains("certificate"), "{run:?}");
        crate::tls::no_tls_library_text(&run.stderr);
        assert_eq!(stored(etcd, &key).unwrap().value, b"secret");
        // A CA that did not sign the server's certificate is no better.
        let other = tempfile::tempdir().unwrap();
        make_certificates(other.path());
        let run = etcdpy()
            .args(["--endpoints", &proxy.url(), "--cacert"])
            .arg(other.path().join("ca.pem"))
            .args(["get", &key])
            .run();
        expect(&run, 7);
        assert!(run.stderr.contains("certificate"), "{run:?}");
        crate::tls::no_tls_library_text(&run.stderr);
    });
}

/// stdout lines of a spawned command, as they arrive.
fn lines_of(child: &mut Child) -> Receiver<String> {
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits for a spawned command to end: its exit code (128+N for signal N) and stderr.
#[track_caller]
fn finish(mut child: Child, within: Duration) -> (i32, String) {
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > within {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the command still ran after {within:?}");
        }
        thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    let code = status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
    (code, stderr)
}

#[test]
fn watch_streams_through_the_proxy() {
    for_each_etcd(|bin| {
        let etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        for (form, conn) in forms(&proxy) {
            let key = format!("{}/w", unique("proxy-watch"));
            let mut child = etcdpy().args(&conn).args(["watch", &key]).spawn();
            let lines = lines_of(&mut child);
            // The watch may not be open yet: write (to etcd directly) until it reports a change.
            let mut i = 0;
            let line = loop {
                put(etcd, &key, &format!("v{i}"));
                i += 1;
                if let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
                    break line;
                }
                assert!(i < 100, "{form}: the watch printed nothing");
            };
            let (code, stderr) = finish(child, Duration::from_secs(10));
            assert_eq!(code, 0, "{form}: {stderr}");
            assert!(
                line.starts_with(&format!("PUT {key} = v")),
                "{form}: {line}"
            );
            assert!(line.contains("[rev="), "{form}: {line}");
        }
        // A watch that streams several events: each arrives while the stream stays open.
        let key = format!("{}/f", unique("proxy-watch"));
        let (_, conn) = &forms(&proxy)[0];
        let mut child = etcdpy()
            .args(conn)
            .args(["watch", &key, "-n", "3", "--timeout", "20s"])
            .spawn();
        let lines = lines_of(&mut child);
        let mut got = Vec::new();
        let mut i = 0;
        while got.len() < 3 {
            put(etcd, &key, &format!("n{i}"));
            i += 1;
            while let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
                got.push(line);
            }
            assert!(i < 100, "the watch printed only {got:?}");
        }
        let (code, stderr) = finish(child, Duration::from_secs(10));
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(got.len(), 3, "{got:?}");
        for line in &got {
            assert!(line.starts_with(&format!("PUT {key} = n")), "{line}");
        }
    });
}

#[test]
fn lock_through_the_proxy_runs_the_command_and_excludes_a_second_holder() {
    for_each_etcd(|bin| {
        let etcd: &Etcd = shared(bin);
        let proxy = Proxy::start(etcd.port());
        for (form, conn) in forms(&proxy) {
            let prefix = unique("proxy-lock");
            let lock = || {
                etcdpy()
                    .args(&conn)
                    .args(["lock", "L", "--prefix", &prefix])
            };
            let run = lock().args(["--", "sh", "-c", "echo held"]).run();
            expect(&run, 0);
            assert_eq!(run.out(), "held\n", "{form}");
            assert_eq!(count(etcd, &format!("{prefix}/L/")), 0, "{form}: released");

            // The first holder keeps the lock (no command: prints its key, holds until SIGINT).
            let mut holder = lock().spawn();
            let holder_lines = lines_of(&mut holder);
            let key = holder_lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("{form}: the holder printed no lock key"));
            assert!(key.starts_with(&format!("{prefix}/L/")), "{form}: {key}");
            // A second one waits: it gives up after its --timeout, its command never ran.
            let start = Instant::now();
            let run = lock()
                .args(["--timeout", "1s", "--", "sh", "-c", "echo second"])
                .run();
            expect(&run, 5);
            assert!(start.elapsed() >= Duration::from_secs(1), "{form}");
            assert!(run.stdout.is_empty(), "{form}: {run:?}");
            // A waiter without --timeout gets the lock once the holder lets go.
            let mut waiter = lock().args(["--", "sh", "-c", "echo second"]).spawn();
            let waiter_lines = lines_of(&mut waiter);
            let deadline = Instant::now() + Duration::from_secs(10);
            while count(etcd, &format!("{prefix}/L/")) < 2 {
                assert!(Instant::now() < deadline, "{form}: the waiter never queued");
                thread::sleep(Duration::from_millis(20));
            }
            assert!(
                waiter_lines
                    .recv_timeout(Duration::from_millis(500))
                    .is_err(),
                "{form}: the waiter ran while the lock was held"
            );
            // SAFETY: kill(2) on our own child.
            unsafe { libc::kill(holder.id() as libc::pid_t, libc::SIGINT) };
            // Ctrl-C releases, and exits 130 as every interrupted wait does.
            assert_eq!(finish(holder, Duration::from_secs(10)).0, 130, "{form}");
            let line = waiter_lines
                .recv_timeout(Duration::from_secs(20))
                .unwrap_or_else(|_| panic!("{form}: the waiter never got the lock"));
            assert_eq!(line, "second", "{form}");
            let (code, stderr) = finish(waiter, Duration::from_secs(10));
            assert_eq!(code, 0, "{form}: {stderr}");
            assert_eq!(count(etcd, &format!("{prefix}/L/")), 0, "{form}");
        }
    });
}
