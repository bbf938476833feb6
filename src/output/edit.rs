//! What `edit` shows on standard error while it works: the change someone else made to the
//! key during the edit, as a unified diff (`diff::unified`), before it is merged or settled.

use std::io::Write;

/// The diff of a concurrent change, on standard error (escaped already: `diff::unified`).
pub fn changed_meanwhile(diff: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(diff.as_bytes());
    if !diff.ends_with('\n') {
        let _ = err.write_all(b"\n");
    }
}
