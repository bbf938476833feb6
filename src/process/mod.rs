//! Running CMD, for `lock` and for `watch`: in its own process group
//! ([`Group`]: spawning with the terminal handed over when etcdpy owns it,
//! forwarding signals to the whole group, stopping it with SIGTERM then
//! SIGKILL) or in etcdpy's own ([`Inline`], a command per watched change);
//! the [`Guardian`] that stops a group when etcdpy cannot (killed, or stopped
//! past a deadline) and the [`Timing`] it keeps; catching the signals etcdpy
//! reacts to ([`Signals`]); and the shell's statuses: 127 (CMD not found),
//! 126 (cannot be run), 128+N (signal N).
//!
//! - `group.rs`: the process group and the terminal;
//! - `timing.rs`: grace and margin from a lease's TTL;
//! - `guardian.rs`: the guardian as etcdpy sees it (fork, orders, reports);
//! - `guard.rs`: the guardian's orders and its own life in the forked child;
//! - `signals.rs`: the signals caught, and their names;
//! - `inline.rs`: `watch`'s command per change, in etcdpy's group;
//! - `status.rs`: exit statuses as a shell reports them;
//! - `editor.rs`: `edit`'s editor and `--validate` command, run on a file as git runs its editor.

mod editor;
mod group;
mod guard;
mod guardian;
mod inline;
mod signals;
mod status;
mod timing;

pub use editor::run_on_file;
pub use group::{Group, signal_group};
pub use guardian::{Acted, Guardian};
pub use inline::{Inline, NotRun, Ran};
pub use signals::{Signals, signal_name};
pub use status::{not_started, status_code};
pub use timing::Timing;
