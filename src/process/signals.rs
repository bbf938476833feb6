//! [`Signals`]: the signals etcdpy catches to forward to a command or to end
//! a wait, and their names.

use std::io;
use tokio::signal::unix::{Signal, SignalKind, signal};

/// The signals etcdpy forwards to a command, or that end a wait:
/// SIGINT, SIGTERM, SIGHUP and SIGQUIT. Created early, so that from then on
/// they no longer kill etcdpy itself.
pub struct Signals {
    streams: [(i32, Signal); 4],
}

impl Signals {
    pub fn catch() -> io::Result<Signals> {
        Ok(Signals {
            streams: [
                (libc::SIGINT, signal(SignalKind::interrupt())?),
                (libc::SIGTERM, signal(SignalKind::terminate())?),
                (libc::SIGHUP, signal(SignalKind::hangup())?),
                (libc::SIGQUIT, signal(SignalKind::quit())?),
            ],
        })
    }

    /// The next signal received (its number).
    pub async fn recv(&mut self) -> i32 {
        let [(a, sa), (b, sb), (c, sc), (d, sd)] = &mut self.streams;
        tokio::select! {
            _ = sa.recv() => *a,
            _ = sb.recv() => *b,
            _ = sc.recv() => *c,
            _ = sd.recv() => *d,
        }
    }
}

/// The conventional name of a signal: "SIGTERM".
pub fn signal_name(sig: i32) -> String {
    match sig {
        libc::SIGINT => "SIGINT".into(),
        libc::SIGTERM => "SIGTERM".into(),
        libc::SIGHUP => "SIGHUP".into(),
        libc::SIGQUIT => "SIGQUIT".into(),
        libc::SIGKILL => "SIGKILL".into(),
        other => format!("signal {other}"),
    }
}
