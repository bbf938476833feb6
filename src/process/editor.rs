//! `edit`'s programs: the person's editor and `--validate`'s command, each run as git runs its
//! editor, through `sh -c 'CMD "$@"' CMD FILE` (so `EDITOR="code --wait"` works), in
//! etcdpy's own process group on its terminal. While one runs etcdpy ignores SIGINT and
//! SIGQUIT. The editor inherits that, as git's does: a Ctrl-C typed in it is the editor's own
//! (vim sets its handler), and never kills the `sh` between etcdpy and the editor, which would
//! leave the editor running on the terminal. A validator gets the defaults back. The
//! terminal's settings are put back afterwards, whatever became of the program.

use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

/// Run `line` through `sh -c` with `file` as `$1`: an editor gets it as its last argument
/// (`sh -c 'LINE "$@"'`); with `on_stdin` (a validator, whose LINE is run as it is written),
/// `file` is its standard input and its standard output goes to etcdpy's standard error (a
/// validator's report is never mistaken for etcdpy's output).
pub fn run_on_file(line: &str, file: &Path, on_stdin: bool) -> io::Result<ExitStatus> {
    let mut cmd = Command::new("sh");
    let script = match on_stdin {
        false => format!("{line} \"$@\""),
        true => line.to_string(),
    };
    cmd.arg("-c").arg(script).arg(line).arg(file);
    if on_stdin {
        cmd.stdin(Stdio::from(File::open(file)?));
        cmd.stdout(Stdio::from(io::stderr().as_fd().try_clone_to_owned()?));
    }
    if on_stdin {
        // A validator can be stopped with Ctrl-C (etcdpy then reopens the editor or aborts).
        // SAFETY: signal() is async-signal-safe; the child only restores default dispositions.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                libc::signal(libc::SIGQUIT, libc::SIG_DFL);
                Ok(())
            });
        }
    }
    let ignored = Ignored::now();
    let terminal = Terminal::save();
    let status = cmd.status();
    drop(terminal);
    drop(ignored);
    status
}

/// The terminal's settings on standard input, put back when the program ends (an editor that
/// was killed leaves the terminal in its raw mode).
struct Terminal(Option<libc::termios>);

impl Terminal {
    fn save() -> Terminal {
        // SAFETY: termios is plain data; tcgetattr fills it in or fails (not a terminal).
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        let ok = unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut saved) } == 0;
        Terminal(ok.then_some(saved))
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        if let Some(saved) = &self.0 {
            // SAFETY: the settings read in `save`, on the same descriptor.
            unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, saved) };
        }
    }
}

/// SIGINT and SIGQUIT ignored while this lives; the previous dispositions come back on drop.
struct Ignored {
    int: libc::sighandler_t,
    quit: libc::sighandler_t,
}

impl Ignored {
    fn now() -> Ignored {
        // SAFETY: plain signal dispositions, restored on drop.
        unsafe {
            Ignored {
                int: libc::signal(libc::SIGINT, libc::SIG_IGN),
                quit: libc::signal(libc::SIGQUIT, libc::SIG_IGN),
            }
        }
    }
}

impl Drop for Ignored {
    fn drop(&mut self) {
        // SAFETY: the dispositions saved in `now`.
        unsafe {
            libc::signal(libc::SIGINT, self.int);
            libc::signal(libc::SIGQUIT, self.quit);
        }
    }
}
