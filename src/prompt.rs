//! Asking for a password on the terminal, without echo. The prompt goes to
//! the terminal itself (`/dev/tty`), never to stdout or stderr, so it cannot
//! end up in a pipe or a log.

use crate::error::{Error, Result};
use std::fs::OpenOptions;
use std::io::{IsTerminal, Read, Write};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, Ordering};

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
    // Ctrl-C while echo is off: stop waiting (exit 130) with echo back on. SIGINT is caught
    // before the prompt shows and stays blocked except inside ppoll, which unblocks it
    // atomically: a Ctrl-C at any moment after the prompt ends the wait, none is lost
    // between a check and a blocking read.
    let interrupted = Interrupt::catch();
    unsafe { libc::tcsetattr(fd, libc::TCSAFLUSH, &quiet) };
    let _ = write!(tty, "Password for {user}: ");
    let _ = tty.flush();
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    let outcome = loop {
        if let Err(stop) = interrupted.wait_readable(fd) {
            break Err(stop);
        }
        match tty.read(&mut byte) {
            Ok(0) => break Ok(()),
            Ok(_) if byte[0] == b'\n' => break Ok(()),
            Ok(_) => line.push(byte[0]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
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

/// SIGINT caught (the handler only notes it) and blocked while this lives, except inside
/// [`Interrupt::wait_readable`]'s ppoll; the previous mask and disposition come back on drop.
struct Interrupt {
    previous: libc::sigaction,
    mask: libc::sigset_t,
}

static SIGINT_SEEN: AtomicBool = AtomicBool::new(false);

extern "C" fn note_signal(_: libc::c_int) {
    SIGINT_SEEN.store(true, Ordering::SeqCst);
}

impl Interrupt {
    fn catch() -> Interrupt {
        SIGINT_SEEN.store(false, Ordering::SeqCst);
        // SAFETY: installing a handler that only stores to an atomic, blocking SIGINT in this
        // (the only) thread; the old disposition and mask are kept.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = note_signal as *const () as usize;
            action.sa_flags = 0;
            libc::sigemptyset(&mut action.sa_mask);
            let mut previous: libc::sigaction = std::mem::zeroed();
            libc::sigaction(libc::SIGINT, &action, &mut previous);
            let mut block: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut block);
            libc::sigaddset(&mut block, libc::SIGINT);
            let mut mask: libc::sigset_t = std::mem::zeroed();
            libc::pthread_sigmask(libc::SIG_BLOCK, &block, &mut mask);
            Interrupt { previous, mask }
        }
    }

    /// Until `fd` has something to read: `Err(None)` when Ctrl-C came (before or during).
    fn wait_readable(&self, fd: libc::c_int) -> std::result::Result<(), Option<std::io::Error>> {
        loop {
            if SIGINT_SEEN.load(Ordering::SeqCst) {
                return Err(None);
            }
            let mut open = self.mask;
            let mut poll = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd; ppoll swaps in a mask with SIGINT unblocked only
            // for the time it waits.
            unsafe { libc::sigdelset(&mut open, libc::SIGINT) };
            let ready = unsafe { libc::ppoll(&mut poll, 1, std::ptr::null(), &open) };
            if ready > 0 {
                return Ok(());
            }
            let err = std::io::Error::last_os_error();
            if ready < 0 && err.kind() != std::io::ErrorKind::Interrupted {
                return Err(Some(err));
            }
        }
    }
}

impl Drop for Interrupt {
    fn drop(&mut self) {
        // SAFETY: restoring the mask, then the disposition, saved in `catch` (a SIGINT still
        // pending is noted by the handler first, and then forgotten).
        unsafe {
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.mask, std::ptr::null_mut());
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
