//! A throwaway 3-member etcd cluster on free loopback ports, for tests that
//! kill a member (failover of `watch`). Each member has its own data dir and
//! log; all are killed on drop, and a failing test shows every member's log.
#![allow(dead_code)]

use crate::support::harness::{EtcdBin, free_ports, http, spawn_guarded};
use std::ffi::OsString;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long the cluster may take to become healthy.
const START_TIMEOUT: Duration = Duration::from_secs(30);
const LOG_TAIL_LINES: usize = 30;

pub struct Member {
    child: Child,
    alive: bool,
    pub name: String,
    pub port: u16,
    pub peer_port: u16,
    log: PathBuf,
    /// How it was started (etcd, its working dir and arguments), for [`Member::restart`].
    etcd: PathBuf,
    workdir: PathBuf,
    args: Vec<OsString>,
}

impl Member {
    /// `http://127.0.0.1:PORT`
    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn is_alive(&self) -> bool {
        self.alive
    }

    /// SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        if self.alive {
            let _ = self.child.kill();
            let _ = self.child.wait();
            self.alive = false;
        }
    }

    /// Start a killed member again with the same name, data dir and ports (its log goes on
    /// in the same file). Does not wait: without a quorum it cannot become healthy.
    pub fn restart(&mut self) {
        assert!(!self.alive, "restart of a running member {}", self.name);
        let cmd = member_command(&self.etcd, &self.args, &self.workdir, &self.log);
        self.child = spawn_guarded(cmd).expect("restart an etcd member");
        self.alive = true;
    }

    /// SIGTERM, then wait for it to exit (SIGKILL after 20 s): a clean stop, as an operator's
    /// before an upgrade.
    pub fn stop(&mut self) {
        if !self.alive {
            return;
        }
        // SAFETY: a plain kill(2) of our own child.
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.child.try_wait().expect("wait for etcd").is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
        self.alive = false;
    }

    /// Start a stopped member again on another etcd (an upgrade), same name, data dir and
    /// ports: `--enable-v2` only where `bin` has the v2 API, then `extra` (replacing the
    /// previous restart's). Does not wait; see [`Member::wait_healthy`].
    pub fn restart_on(&mut self, bin: &EtcdBin, extra: &[&str]) {
        assert!(!self.alive, "restart of a running member {}", self.name);
        let base = self.args.iter().position(|a| a == "--logger").unwrap() + 2;
        self.args.truncate(base);
        if bin.has_v2() {
            self.args.push("--enable-v2=true".into());
        }
        self.args.extend(extra.iter().map(OsString::from));
        self.etcd = bin.etcd.clone();
        self.restart();
    }

    /// Its data directory.
    pub fn data_dir(&self) -> PathBuf {
        let at = self.args.iter().position(|a| a == "--data-dir").unwrap();
        PathBuf::from(&self.args[at + 1])
    }

    /// Wait until it answers `/health` with 200 (a leader and its own store ready).
    #[track_caller]
    pub fn wait_healthy(&mut self, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for etcd") {
                self.alive = false;
                panic!("{} exited ({status}):\n{}", self.name, self.log_tail());
            }
            if matches!(http(self.port, "GET", "/health", None), Some((200, b)) if b.contains("true"))
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{} not healthy within {within:?}:\n{}",
                self.name,
                self.log_tail()
            );
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Wait up to `within` for it to exit by itself: its exit status, or `None` if it runs on.
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("wait for etcd") {
                self.alive = false;
                return Some(status);
            }
            thread::sleep(Duration::from_millis(100));
        }
        None
    }

    /// Its whole log.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGSTOP: the process hangs with its sockets open, as a wedged member would.
    pub fn freeze(&self) {
        if self.alive {
            // SAFETY: a plain kill(2) of our own child.
            unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGSTOP) };
        }
    }

    /// SIGCONT: a frozen member carries on.
    pub fn thaw(&self) {
        if self.alive {
            // SAFETY: a plain kill(2) of our own child.
            unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGCONT) };
        }
    }

    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
    }
}

pub struct Cluster {
    pub members: Vec<Member>,
    pub version: String,
    pub etcdctl: PathBuf,
    // Last: removed after the members are killed.
    dir: tempfile::TempDir,
}

impl Cluster {
    /// Starts `size` members with `--initial-cluster` and waits for `/health` on all.
    pub fn start(bin: &EtcdBin, size: usize) -> Cluster {
        Cluster::start_inner(bin, size, None, &[])
    }

    /// [`Cluster::start`] with `extra` arguments for every member (a small
    /// `--quota-backend-bytes`).
    pub fn start_with_args(bin: &EtcdBin, size: usize, extra: &[&str]) -> Cluster {
        Cluster::start_inner(bin, size, None, extra)
    }

    /// [`Cluster::start`], each member advertising the client URL given for it instead of
    /// its own (as behind NAT or a reverse proxy), one member per URL.
    pub fn start_advertising(bin: &EtcdBin, client_urls: &[&str]) -> Cluster {
        Cluster::start_inner(bin, client_urls.len(), Some(client_urls), &[])
    }

    fn start_inner(
        bin: &EtcdBin,
        size: usize,
        advertise: Option<&[&str]>,
        extra: &[&str],
    ) -> Cluster {
        let dir = tempfile::Builder::new()
            .prefix("etcdpy-cluster-")
            .tempdir()
            .expect("create a temp dir for the cluster");
        let ports = distinct_ports(size);
        let tag = format!("c{}-{}", std::process::id(), ports[0].0);
        let names: Vec<String> = (0..size).map(|i| format!("{tag}-m{i}")).collect();
        let initial: Vec<String> = names
            .iter()
            .zip(&ports)
            .map(|(name, (_, peer))| format!("{name}=http://127.0.0.1:{peer}"))
            .collect();
        let initial = initial.join(",");
        let mut members = Vec::new();
        for (i, (name, (port, peer_port))) in names.iter().zip(&ports).enumerate() {
            let log = dir.path().join(format!("{name}.log"));
            let client_url = format!("http://127.0.0.1:{port}");
            let advertised = advertise.map_or(client_url.clone(), |urls| urls[i].to_string());
            let peer_url = format!("http://127.0.0.1:{peer_port}");
            let args: Vec<OsString> = [
                "--name".into(),
                name.into(),
                "--data-dir".into(),
                dir.path().join(name).into_os_string(),
                "--listen-client-urls".into(),
                client_url.clone().into(),
                "--advertise-client-urls".into(),
                advertised.into(),
                "--listen-peer-urls".into(),
                peer_url.clone().into(),
                "--initial-advertise-peer-urls".into(),
                peer_url.into(),
                "--initial-cluster".into(),
                initial.clone().into(),
                "--initial-cluster-state".into(),
                "new".into(),
                "--initial-cluster-token".into(),
                tag.clone().into(),
                "--logger".into(),
                "zap".into(),
            ]
            .into();
            // The v2 API too (etcdpy --api v2, python-etcd), where the version has it.
            let mut args = args;
            if bin.has_v2() {
                args.push("--enable-v2=true".into());
            }
            args.extend(extra.iter().map(OsString::from));
            let cmd = member_command(&bin.etcd, &args, dir.path(), &log);
            let child = spawn_guarded(cmd).expect("start an etcd member");
            members.push(Member {
                child,
                alive: true,
                name: name.clone(),
                port: *port,
                peer_port: *peer_port,
                log,
                etcd: bin.etcd.clone(),
                workdir: dir.path().to_path_buf(),
                args,
            });
        }
        let cluster = Cluster {
            members,
            version: bin.version.clone(),
            etcdctl: bin.etcdctl.clone(),
            dir,
        };
        cluster.wait_healthy();
        cluster
    }

    fn wait_healthy(&self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let healthy = self.members.iter().all(|m| {
                matches!(http(m.port, "GET", "/health", None), Some((200, body)) if body.contains("true"))
            });
            if healthy {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the {}-member etcd {} cluster did not become healthy within {START_TIMEOUT:?}\n{}",
                self.members.len(),
                self.version,
                self.logs()
            );
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// Every member's endpoint, comma-separated, in member order.
    pub fn endpoints(&self) -> String {
        let list: Vec<String> = self.members.iter().map(Member::endpoint).collect();
        list.join(",")
    }

    /// Member indexes with `first` first, then the others in member order.
    pub fn order_from(&self, first: usize) -> Vec<usize> {
        let mut order = vec![first];
        order.extend((0..self.members.len()).filter(|&i| i != first));
        order
    }

    /// Every member's endpoint, comma-separated, with member `first` first.
    pub fn endpoints_from(&self, first: usize) -> String {
        let list: Vec<String> = self
            .order_from(first)
            .into_iter()
            .map(|i| self.members[i].endpoint())
            .collect();
        list.join(",")
    }

    /// The index of the current leader, asked of a live member.
    pub fn leader(&self) -> Option<usize> {
        for m in self.members.iter().filter(|m| m.alive) {
            let Some((200, body)) = http(m.port, "POST", "/v3/maintenance/status", Some("{}"))
            else {
                continue;
            };
            let v: serde_json::Value = serde_json::from_str(&body).ok()?;
            let leader = v["leader"].as_str()?.to_string();
            let (200, list) = http(m.port, "POST", "/v3/cluster/member/list", Some("{}"))? else {
                return None;
            };
            let list: serde_json::Value = serde_json::from_str(&list).ok()?;
            let name = list["members"]
                .as_array()?
                .iter()
                .find(|x| x["ID"].as_str() == Some(&leader))?["name"]
                .as_str()?
                .to_string();
            return self.members.iter().position(|m| m.name == name);
        }
        None
    }

    /// Runs etcdctl (v3, its default) against member `i` and returns its stdout; panics if
    /// it fails.
    #[track_caller]
    pub fn etcdctl(&self, i: usize, args: &[&str]) -> String {
        let out = Command::new(&self.etcdctl)
            .args(["--endpoints", &self.members[i].endpoint()])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run etcdctl");
        assert!(
            out.status.success(),
            "etcdctl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Wait until member `i` (alive) knows no leader, as its status says.
    #[track_caller]
    pub fn wait_leaderless(&self, i: usize, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let status = http(
                self.members[i].port,
                "POST",
                "/v3/maintenance/status",
                Some("{}"),
            );
            if let Some((200, body)) = status {
                let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
                if v["leader"].as_str().unwrap_or("0") == "0" {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "member {i} still knows a leader after {within:?}\n{}",
                self.logs()
            );
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Every member's log tail, for a failure message.
    pub fn logs(&self) -> String {
        self.members
            .iter()
            .map(|m| format!("----- {} (port {}) -----\n{}", m.name, m.port, m.log_tail()))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for m in &mut self.members {
            m.kill();
        }
        if thread::panicking() {
            eprintln!("{}", self.logs());
        }
    }
}

/// The command that runs one member, its output appended to `log`.
fn member_command(etcd: &Path, args: &[OsString], cwd: &Path, log: &Path) -> Command {
    let log_file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("open a member log");
    let mut cmd = Command::new(etcd);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("ETCD_") {
            cmd.env_remove(key);
        }
    }
    cmd.current_dir(cwd)
        .args(args)
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("clone the log handle"))
        .stderr(log_file);
    cmd
}

/// `n` (client, peer) port pairs, all different.
fn distinct_ports(n: usize) -> Vec<(u16, u16)> {
    loop {
        let pairs: Vec<(u16, u16)> = (0..n).map(|_| free_ports()).collect();
        let mut all: Vec<u16> = pairs.iter().flat_map(|(a, b)| [*a, *b]).collect();
        all.sort_unstable();
        all.dedup();
        if all.len() == 2 * n {
            return pairs;
        }
    }
}

/// etcdctl's alarm list, one "memberID:… alarm:…" line each.
pub fn alarm_lines(cluster: &Cluster) -> Vec<String> {
    let out = cluster.etcdctl(0, &["alarm", "list"]);
    out.lines().map(str::to_string).collect()
}

pub fn cluster_args(cluster: &Cluster) -> Vec<String> {
    vec!["--endpoints".into(), cluster.endpoints()]
}

/// etcdctl with `--endpoints ENDPOINT` (one member, or several) of the cluster.
pub fn etcdctl(cluster: &Cluster, endpoint: &str, args: &[&str]) -> std::process::Output {
    Command::new(&cluster.etcdctl)
        .args(["--endpoints", endpoint])
        .args(args)
        .output()
        .unwrap()
}
