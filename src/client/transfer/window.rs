//! The batches in flight ([`Window`]): up to [`WINDOW`] guarded transactions sent at once,
//! each a task of its own, so that etcd applies many proposals per round of its raft log
//! instead of one round trip per batch. Batches hold disjoint keys, each guarded by the
//! plan's mod revisions, so their order does not matter and none can apply twice. What
//! became of each is kept ([`Fates`]): which batches (numbered from 1, in key order) were
//! written, which may not have been, and where sending stopped, for the error that ends a
//! load part way.

use super::batch::{Ledger, Ready, Sent};
use crate::client::Client;
use crate::client::error::Error;
use crate::text::escape;
use std::collections::HashMap;
use tokio::task::{Id, JoinSet};

/// Transactions in flight at once. etcd batches the proposals that arrive while it applies
/// (one fsync of its log for many), so the time of a load is etcd's apply rate, not one round
/// trip per batch. bench/cases/load.py, etcd 3.5 with fsync on a loaded 2-core machine: 100,000
/// keys in 4.1 s against 13.5 s for the sequential txn loader (one transaction at a time);
/// on 3.7 in the same run 11.8 s against 10.1 s, with the machine's load average at 20-27 and
/// single transactions taking up to 1.3 s: to be measured again on a quiet machine, with other
/// window sizes side by side.
pub(super) const WINDOW: usize = 16;

/// Keys' and values' bytes in flight at most (beyond one batch): big values and a high
/// --max-txn-ops send fewer batches at once, so that memory stays bounded whatever they are.
const WINDOW_BYTES: usize = 16 << 20;

/// The batches being sent.
#[derive(Default)]
pub(super) struct Window {
    running: JoinSet<Sent>,
    numbers: HashMap<Id, u64>,
    ledgers: HashMap<u64, Ledger>,
    /// The keys' and values' bytes of the batches in flight.
    bytes: usize,
    pub(super) fates: Fates,
}

impl Window {
    /// Start sending a batch (the next number).
    pub(super) fn start(&mut self, client: &Client, ready: Ready, ledger: Ledger) {
        self.fates.sent += 1;
        let number = self.fates.sent;
        self.fates.last_sent = ledger.last.clone();
        self.bytes += ledger.bytes;
        self.ledgers.insert(number, ledger);
        let client = client.clone();
        let handle = self.running.spawn(ready.send(client));
        self.numbers.insert(handle.id(), number);
    }

    pub(super) fn full(&self) -> bool {
        self.running.len() >= WINDOW || (self.bytes >= WINDOW_BYTES && !self.running.is_empty())
    }

    /// The next batch done (in any order), with what is kept of it; `None` when none is in
    /// flight.
    pub(super) async fn next(&mut self) -> Option<(u64, Ledger, Sent)> {
        let (id, sent) = match self.running.join_next_with_id().await? {
            Ok((id, sent)) => (id, sent),
            Err(e) => (
                e.id(),
                Sent::Failed(Error::unexpected(format!(
                    "a transaction's task ended: {e}"
                ))),
            ),
        };
        let number = self.numbers.remove(&id)?;
        let ledger = self.ledgers.remove(&number)?;
        self.bytes -= ledger.bytes;
        Some((number, ledger, sent))
    }
}

/// What became of the batches sent, for a load that ends part way.
#[derive(Default)]
pub(super) struct Fates {
    /// Batches sent so far; the last one's last key.
    sent: u64,
    last_sent: Vec<u8>,
    /// Runs of consecutive batches written: numbers and keys, first and last.
    written: Vec<Run>,
    /// Batches not written: number, keys, and why (aborted, or may not have been written).
    not: Vec<(u64, Vec<u8>, Vec<u8>, &'static str)>,
    /// The first failure: no batch is sent after it.
    pub(super) failure: Option<Error>,
}

struct Run {
    from: u64,
    to: u64,
    first: Vec<u8>,
    last: Vec<u8>,
}

impl Fates {
    pub(super) fn written(&mut self, number: u64, ledger: &Ledger) {
        let at = self.written.partition_point(|r| r.to < number);
        let joins_before = at > 0 && self.written[at - 1].to + 1 == number;
        let joins_after = self.written.get(at).is_some_and(|r| r.from == number + 1);
        match (joins_before, joins_after) {
            (true, true) => {
                let after = self.written.remove(at);
                let before = &mut self.written[at - 1];
                before.to = after.to;
                before.last = after.last;
            }
            (true, false) => {
                let before = &mut self.written[at - 1];
                before.to = number;
                before.last = ledger.last.clone();
            }
            (false, true) => {
                let after = &mut self.written[at];
                after.from = number;
                after.first = ledger.first.clone();
            }
            (false, false) => self.written.insert(
                at,
                Run {
                    from: number,
                    to: number,
                    first: ledger.first.clone(),
                    last: ledger.last.clone(),
                },
            ),
        }
    }

    pub(super) fn aborted(&mut self, number: u64, ledger: &Ledger) {
        let keys = (ledger.first.clone(), ledger.last.clone());
        self.not
            .push((number, keys.0, keys.1, "aborted: keys changed"));
    }

    pub(super) fn failed(&mut self, number: u64, ledger: &Ledger, error: Error) {
        let keys = (ledger.first.clone(), ledger.last.clone());
        self.not
            .push((number, keys.0, keys.1, "may not have been written"));
        self.failure.get_or_insert(error);
    }

    /// `error` (the first failure, or the walk's), followed by what was written and what
    /// not, by transaction number and keys; the kind (the exit code) is the error's.
    pub(super) fn report(mut self, error: Error) -> Error {
        const SHOWN: usize = 6;
        let span = |from: u64, to: u64, first: &[u8], last: &[u8]| match from == to {
            true => format!("#{from} ({} to {})", escape(first), escape(last)),
            false => format!("#{from}-{to} ({} to {})", escape(first), escape(last)),
        };
        let written_keys: Vec<String> = self
            .written
            .iter()
            .map(|r| span(r.from, r.to, &r.first, &r.last))
            .collect();
        let count: u64 = self.written.iter().map(|r| r.to - r.from + 1).sum();
        let mut text = format!(
            "{}; of {} transactions sent, {count} were written",
            error.message, self.sent
        );
        if !written_keys.is_empty() {
            text += &format!(": {}", shown(&written_keys, SHOWN));
        }
        self.not.sort_by_key(|n| n.0);
        let not: Vec<String> = self
            .not
            .iter()
            .map(|(n, first, last, why)| format!("{} {why}", span(*n, *n, first, last)))
            .collect();
        if !not.is_empty() {
            text += &format!("; not written: {}", shown(&not, SHOWN));
        }
        if self.sent > 0 {
            text += &format!("; nothing after {} was sent", escape(&self.last_sent));
        }
        text += "; loading again converges";
        Error::new(error.kind, text)
    }
}

/// At most `most` items, then how many more.
fn shown(items: &[String], most: usize) -> String {
    let mut text = items[..items.len().min(most)].join(", ");
    if items.len() > most {
        text += &format!(" and {} more", items.len() - most);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Kind;

    fn ledger(first: &str, last: &str) -> Ledger {
        Ledger {
            bytes: 4,
            first: first.into(),
            last: last.into(),
            keys: 2,
            actions: Vec::new(),
            leases: Vec::new(),
            replaced: Vec::new(),
        }
    }

    #[test]
    fn runs_of_written_batches_merge_in_any_order() {
        let mut fates = Fates {
            sent: 6,
            last_sent: b"/k6b".to_vec(),
            ..Fates::default()
        };
        for n in [2, 1, 5, 3, 6] {
            fates.written(n, &ledger(&format!("/k{n}a"), &format!("/k{n}b")));
        }
        fates.failed(4, &ledger("/k4a", "/k4b"), Error::new(Kind::TimedOut, "t"));
        let error = fates.report(Error::new(Kind::Unreachable, "down"));
        assert_eq!(error.kind, Kind::Unreachable);
        assert_eq!(
            error.message,
            "down; of 6 transactions sent, 5 were written: #1-3 (/k1a to /k3b), #5-6 (/k5a to \
             /k6b); not written: #4 (/k4a to /k4b) may not have been written; nothing after /k6b \
             was sent; loading again converges"
        );
    }
}
