//! A context's guards, applied before anything is sent: `read_only` refuses a command that
//! writes, `confirm` asks on the terminal (or needs `--yes`); and its `password_command`, run
//! when no other source gives the password.

use super::{Config, layers};
use crate::error::{Error, Result};
use crate::exit::Exit;

impl Config {
    /// Whether a command that `writes` may go on, under the context in use.
    pub fn guard(&self, writes: bool) -> Result<()> {
        let Some(context) = &self.context else {
            return Ok(());
        };
        if !writes {
            return Ok(());
        }
        if context.read_only {
            return Err(layers::read_only(&context.name));
        }
        if !context.confirm || self.yes {
            return Ok(());
        }
        let servers = match &self.srv {
            Some(srv) => format!("SRV {}", srv.domain),
            None => self.client.endpoints.join(","),
        };
        let question = format!(
            "write to context {} ({})?",
            context.name,
            crate::text::escape(servers.as_bytes())
        );
        match crate::prompt::confirm(&question) {
            Some(true) => Ok(()),
            Some(false) => Err(Error::new(
                Exit::ContextGuard,
                format!(
                    "not confirmed: nothing was sent to context {}",
                    context.name
                ),
            )),
            None => Err(Error::new(
                Exit::ContextGuard,
                format!(
                    "context {} asks before writing and there is no terminal to ask on: give --yes",
                    context.name
                ),
            )),
        }
    }

    /// `--debug`'s lines about the context: which of its values the environment overrides.
    pub fn context_notes(&self) -> Vec<String> {
        let Some(context) = &self.context else {
            return Vec::new();
        };
        let mut notes = vec![format!("context {}", context.name)];
        for (key, variable) in &context.shadowed {
            notes.push(format!(
                "{variable} (environment) overrides {key} of context {}",
                context.name
            ));
        }
        if !context.left_out.is_empty() {
            notes.push(format!(
                "{} of context {} left out: the servers or the user are named otherwise",
                context.left_out.join(", "),
                context.name
            ));
        }
        notes
    }
}

/// How long a context's `password_command` may run (time for a person to answer a pinentry).
pub const PASSWORD_COMMAND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The most of a `password_command`'s stdout (and stderr) kept: 64 KiB, far above any
/// password; more on stdout is refused rather than sent to the server.
pub const PASSWORD_COMMAND_BYTES: u64 = 64 << 10;

/// The password the context's `password_command` prints (its first line; `sh -c`). A command
/// that fails, prints nothing, prints more than [`PASSWORD_COMMAND_BYTES`] or still runs after
/// [`PASSWORD_COMMAND_TIMEOUT`] (then killed) is exit 8, naming the context (and its stderr's
/// first line).
pub fn password_command(context: &str, command: &str) -> Result<String> {
    let failed = |why: String| {
        Error::new(
            Exit::AuthRefused,
            format!("password_command of context {context} {why}"),
        )
    };
    let output = run_bounded(command, PASSWORD_COMMAND_TIMEOUT)
        .map_err(|e| failed(format!("cannot be run: {e}")))?;
    let Some(output) = output else {
        return Err(failed(format!(
            "did not finish within {} (killed)",
            humantime::format_duration(PASSWORD_COMMAND_TIMEOUT)
        )));
    };
    if output.stdout.len() as u64 > PASSWORD_COMMAND_BYTES {
        return Err(failed(format!(
            "printed more than {} KiB",
            PASSWORD_COMMAND_BYTES >> 10
        )));
    }
    let first = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        let line = text
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end_matches('\r');
        crate::text::escape(line.as_bytes())
    };
    if !output.status.success() {
        let status = match output.status.code() {
            Some(code) => format!("exit {code}"),
            None => "killed by a signal".into(),
        };
        let stderr = first(&output.stderr);
        let stderr = if stderr.is_empty() {
            String::new()
        } else {
            format!(": {stderr}")
        };
        return Err(failed(format!("failed ({status}){stderr}")));
    }
    let text = String::from_utf8(output.stdout)
        .map_err(|_| failed("printed something that is not UTF-8 text".into()))?;
    let line = text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches('\r');
    if line.is_empty() {
        return Err(failed("printed nothing".into()));
    }
    Ok(line.to_string())
}

/// `sh -c command`'s output (at most [`PASSWORD_COMMAND_BYTES`] + 1 of each stream kept, the
/// rest read and dropped so that the command never blocks on a full pipe), or None when it
/// still ran after `timeout` (it is killed; a process it left behind holding the pipes is not
/// waited for).
fn run_bounded(
    command: &str,
    timeout: std::time::Duration,
) -> std::io::Result<Option<std::process::Output>> {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    use std::sync::mpsc;
    let deadline = std::time::Instant::now() + timeout;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so that a timeout ends what it started too (sh may fork).
        .process_group(0)
        .spawn()?;
    let (tx, rx) = mpsc::channel();
    let streams: [Box<dyn Read + Send>; 2] = [
        Box::new(child.stdout.take().expect("piped stdout")),
        Box::new(child.stderr.take().expect("piped stderr")),
    ];
    for (which, mut stream) in streams.into_iter().enumerate() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            let _ = (&mut stream)
                .take(PASSWORD_COMMAND_BYTES + 1)
                .read_to_end(&mut kept);
            let _ = std::io::copy(&mut stream, &mut std::io::sink());
            let _ = tx.send((which, kept));
        });
    }
    drop(tx);
    let mut out = [Vec::new(), Vec::new()];
    for _ in 0..2 {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok((which, kept)) => out[which] = kept,
            Err(_) => {
                kill_group(&mut child);
                return Ok(None);
            }
        }
    }
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if std::time::Instant::now() >= deadline {
            kill_group(&mut child);
            return Ok(None);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    };
    let [stdout, stderr] = out;
    Ok(Some(std::process::Output {
        status,
        stdout,
        stderr,
    }))
}

/// SIGKILL to the process group `child` leads, then reap it.
fn kill_group(child: &mut std::process::Child) {
    // SAFETY: kill() with the negated id of a group this process made; no memory involved.
    unsafe { libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL) };
    let _ = child.wait();
}
