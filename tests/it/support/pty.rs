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
