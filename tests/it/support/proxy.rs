//! A real nginx reverse proxy on a free loopback port (TLS with a throwaway test CA made with
//! the `openssl` CLI, routes under path prefixes) in front of etcd client ports.
//! nginx runs with `master_process off`: one process, spawned with the harness's PDEATHSIG
//! guard, so it can never outlive the test process (a master's workers would be orphaned, not
//! killed, if the master died).

use crate::support::certs;
use crate::support::harness::{free_ports, spawn_guarded};
use std::fs::File;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
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
pub fn make_certificates(dir: &Path) {
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
