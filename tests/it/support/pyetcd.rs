//! python-etcd 0.4.5, the v2 client etcdpy's `--api v2` must agree with: found through
//! `ETCDPY_TEST_PYTHON_ETCD` (the python of a virtualenv made by `scripts/setup-python-etcd`);
//! without it the tests that need it fail, naming the script. [`py`] runs a snippet with `c`, an
//! `etcd.Client` for the server, already made.

use crate::support::harness::{ENV_PYTHON_ETCD, Etcd, spawn_guarded};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The python holding python-etcd 0.4.5; panics (the tests never skip) when there is none.
pub fn python() -> &'static PathBuf {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let path = std::env::var_os(ENV_PYTHON_ETCD).map(PathBuf::from);
        let ok = path.as_ref().is_some_and(|p| {
            Command::new(p)
                .args(["-c", "import etcd, importlib.metadata as m; assert m.version('python-etcd') == '0.4.5'"])
                .status()
                .is_ok_and(|s| s.success())
        });
        match path {
            Some(p) if ok => p,
            _ => panic!(
                "\nNO PYTHON-ETCD TO TEST AGAINST: {ENV_PYTHON_ETCD}={:?} is not a python that imports \
                 python-etcd 0.4.5.\nRun: export {ENV_PYTHON_ETCD}=$(scripts/setup-python-etcd)  \
                 (scripts/test does this)\n",
                std::env::var_os(ENV_PYTHON_ETCD)
            ),
        }
    })
}

/// `etcd.Client(...)`'s arguments for a plain-http server on loopback `port`.
pub fn at(port: u16) -> String {
    format!("host='127.0.0.1', port={port}, protocol='http'")
}

/// The snippet as one python program, `c` made with `client` (`etcd.Client`'s arguments).
fn program(client: &str, script: &str) -> String {
    format!("import etcd, os, sys, time, json\nc = etcd.Client({client})\n{script}")
}

/// A shell command running the snippet (for an etcdpy CMD), `c` a client of loopback `port`.
pub fn shell(port: u16, script: &str) -> String {
    let program = program(&at(port), script).replace('\'', "'\\''");
    format!("'{}' -c '{program}'", python().display())
}

/// Run the snippet with `c = etcd.Client(client)`: its stdout; panics when it fails.
pub fn py_as(client: &str, script: &str) -> String {
    let out = Command::new(python())
        .arg("-c")
        .arg(program(client, script))
        .output()
        .expect("run python-etcd");
    assert!(
        out.status.success(),
        "python-etcd snippet failed:\n{script}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn command(etcd: &Etcd, script: &str) -> Command {
    let mut cmd = Command::new(python());
    cmd.arg("-c")
        .arg(program(&at(etcd.port()), script))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Run `script` (python, with `c` a python-etcd client of `etcd`) to its end; its stdout.
/// Panics with its stderr when it fails or runs longer than `limit`.
pub fn py_within(etcd: &Etcd, script: &str, limit: Duration) -> String {
    let mut child = spawn_guarded(command(etcd, script)).expect("run python-etcd");
    let began = Instant::now();
    while child.try_wait().expect("wait for python").is_none() {
        if began.elapsed() > limit {
            let _ = child.kill();
            panic!("python-etcd snippet still ran after {limit:?}:\n{script}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("python output");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "python-etcd snippet failed ({}):\n{script}\n--- stdout ---\n{stdout}\n--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// [`py_within`] with 30 s.
pub fn py(etcd: &Etcd, script: &str) -> String {
    py_within(etcd, script, Duration::from_secs(30))
}

/// Start `script` in the background (stdout and stderr piped); dies with the test process.
pub fn py_spawn(etcd: &Etcd, script: &str) -> Child {
    spawn_guarded(command(etcd, script)).expect("run python-etcd")
}
