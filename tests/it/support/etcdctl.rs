//! etcdctl as a second, independent client: `etcdctl lock` held in the background.

use crate::support::harness::{Etcd, EtcdBin};
use std::process::{Child, Command, Stdio};

/// `etcdctl lock ARGS` against `etcd`, running in the background; killed on drop.
pub struct Etcdctl(pub Child);

impl Etcdctl {
    pub fn lock(bin: &EtcdBin, etcd: &Etcd, args: &[&str]) -> Etcdctl {
        let child = Command::new(&bin.etcdctl)
            .arg(format!("--endpoints={}", etcd.endpoint()))
            .arg("lock")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run etcdctl lock");
        Etcdctl(child)
    }
}

impl Drop for Etcdctl {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
