//! Asking for a password on the terminal, without echo. The prompt goes to
//! the terminal itself (`/dev/tty`), never to stdout or stderr, so it cannot
//! end up in a pipe or a log.

use crate::error::{Error, Result};
use std::fs::OpenOptions;
use std::io::{IsTerminal, Read, Write};
use std::os::fd::AsRawFd;

/// Ask for `user`'s password when standard input is a terminal; otherwise
/// say how to give one.
pub fn password(user: &str) -> Result<String> {
    let no_terminal = || {
        Error::usage(format!(
            "no password for --user {user}: give --password-file FILE or ETCDPY_PASSWORD (there is no terminal to ask on)"
        ))
    };
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal());
    }
    let mut tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .map_err(|_| no_terminal())?;
    let fd = tty.as_raw_fd();
    // SAFETY: termios is plain data; tcgetattr fills it in.
    let mut saved: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(fd, &mut saved) } != 0 {
        return Err(no_terminal());
    }
    let mut quiet = saved;
    quiet.c_lflag &= !(libc::ECHO | libc::ECHONL);
    quiet.c_lflag |= libc::ICANON;
    let _ = write!(tty, "Password for {user}: ");
    let _ = tty.flush();
    // Ctrl-C while echo is off: let read() return (EINTR) so echo comes back
    // on before etcdpy exits.
    let interrupted = Interrupt::catch();
    unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &quiet) };
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    let outcome = loop {
        match tty.read(&mut byte) {
            Ok(0) => break Ok(()),
            Ok(_) if byte[0] == b'\n' => break Ok(()),
            Ok(_) => line.push(byte[0]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => break Err(None),
            Err(e) => break Err(Some(e)),
        }
    };
    unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &saved) };
    let _ = writeln!(tty);
    drop(interrupted);
    match outcome {
        // Ctrl-C: exit 130 with no error line, as every wait a person ends.
        Err(None) => return Err(Error::interrupted()),
        Err(Some(e)) => {
            return Err(Error::unexpected(format!(
                "cannot read the password from the terminal: {e}"
            )));
        }
        Ok(()) => {}
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    let password = String::from_utf8(line)
        .map_err(|_| Error::usage("the password typed is not UTF-8 text"))?;
    if password.is_empty() {
        return Err(Error::usage(format!("no password given for --user {user}")));
    }
    Ok(password)
}

/// SIGINT handled (by doing nothing, without SA_RESTART) while it lives, so a
/// blocked read returns; the previous disposition comes back on drop.
struct Interrupt {
    previous: libc::sigaction,
}

extern "C" fn ignore_signal(_: libc::c_int) {}

impl Interrupt {
    fn catch() -> Interrupt {
        // SAFETY: installing a handler that does nothing; the old one is kept.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = ignore_signal as *const () as usize;
            action.sa_flags = 0;
            libc::sigemptyset(&mut action.sa_mask);
            let mut previous: libc::sigaction = std::mem::zeroed();
            libc::sigaction(libc::SIGINT, &action, &mut previous);
            Interrupt { previous }
        }
    }
}

impl Drop for Interrupt {
    fn drop(&mut self) {
        // SAFETY: restoring the disposition saved in `catch`.
        unsafe {
            libc::sigaction(libc::SIGINT, &self.previous, std::ptr::null_mut());
        }
    }
}

/// Ask `question` on the terminal (`/dev/tty`) and read a yes or no; `None`
/// when standard input is not a terminal (nobody to ask).
pub fn confirm(question: &str) -> Option<bool> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    let mut tty = OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    let _ = write!(tty, "{question} [y/N] ");
    let _ = tty.flush();
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while line.len() < 64 {
        match tty.read(&mut byte) {
            Ok(1) if byte[0] != b'\n' => line.push(byte[0]),
            _ => break,
        }
    }
    let answer = String::from_utf8_lossy(&line).trim().to_ascii_lowercase();
    Some(answer == "y" || answer == "yes")
}
