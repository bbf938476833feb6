//! A real pseudo-terminal, made by util-linux `script`.

use std::process::Command;

/// `line` (a shell command line) run on a pseudo-terminal made by util-linux `script`,
/// with a clean environment (PATH, TERM=xterm); `script` passes on CMD's exit status.
pub fn pty(line: &str) -> Command {
    let mut cmd = Command::new("script");
    cmd.args(["-qefc", line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "xterm");
    cmd
}

/// `line` started on a pseudo-terminal (TERM=dumb, NO_COLOR) that the test types into: stdin
/// and stdout piped, for a command that asks before it acts.
pub fn pty_to_type_into(line: &str) -> std::process::Child {
    pty(line)
        .env("TERM", "dumb")
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` is needed for the terminal tests")
}
