//! What the plan does with each key ([`Action`]), how many keys go each way ([`Counts`]),
//! and what applying did ([`Applied`], with the batches [`Aborted`]).

/// What the plan does with one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Delete,
    /// An update refused: the key was written after [`Transfer::protect_after`].
    Conflict,
}

/// How many keys go each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub create: u64,
    pub update: u64,
    pub unchanged: u64,
    pub delete: u64,
    pub conflict: u64,
}

impl Counts {
    pub(super) fn add(&mut self, action: Action) {
        match action {
            Action::Create => self.create += 1,
            Action::Update => self.update += 1,
            Action::Unchanged => self.unchanged += 1,
            Action::Delete => self.delete += 1,
            Action::Conflict => self.conflict += 1,
        }
    }

    /// Keys the plan writes or deletes.
    pub fn changes(&self) -> u64 {
        self.create + self.update + self.delete
    }
}

/// A batch that was not written because some of its keys changed after the plan.
#[derive(Debug, Clone)]
pub struct Aborted {
    /// The batch's keys, first and last, and how many.
    pub first: Vec<u8>,
    pub last: Vec<u8>,
    pub keys: u64,
    /// The keys whose mod revision was no longer the plan's.
    pub changed: Vec<Vec<u8>>,
}

/// What applying did.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Keys written or deleted.
    pub done: Counts,
    pub batches: u64,
    pub aborted: Vec<Aborted>,
    /// Leases granted and used.
    pub leases: u64,
    /// The revision of the last write (the plan's revision when nothing was written).
    pub revision: i64,
}
