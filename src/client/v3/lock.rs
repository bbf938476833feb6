//! Lock calls: etcd's own lock recipe through the v3lock gateway
//! (`/v3/lock/lock`, which blocks until the lock is acquired, and
//! `/v3/lock/unlock`), the holder lookup (the key with the lowest create
//! revision under `NAME/`), and the note a holder leaves in its key so that
//! waiters can say who holds the lock and since when.
//!
//! The gateway runs `concurrency.Mutex` inside the server: the waiter key is
//! `NAME/<lease ID in hex>`, attached to the lease, and waiters are served in
//! create-revision order — the same keys `etcdctl lock NAME` uses, so the two
//! exclude each other.

use crate::client::error::{Error, Kind, Result};
use crate::client::v3::body::read_body;
use crate::client::v3::classify::{classify, decode, not_etcd, root_cause};
use crate::client::v3::failover::Attempt;
use crate::client::v3::wire::{self, ser_b64};
use crate::client::{Client, KeyValue, RangeSpec, WatchSpec, prefix_end};
use serde::{Deserialize, Serialize};

/// The key that holds a lock (the lowest create revision under `NAME/`).
#[derive(Debug, Clone)]
pub struct Holder {
    pub key: Vec<u8>,
    /// The key's create revision (its place in the queue).
    pub create_revision: i64,
    pub lease: i64,
    /// What an etcdpy holder wrote into its key; `None` for other clients
    /// (etcdctl leaves the value empty) or before the note is written.
    pub note: Option<HolderNote>,
    /// The key's value as it is (an election's proposal).
    pub value: Vec<u8>,
}

impl Holder {
    /// "host pid N (key K)" from the holder's note, or the key alone.
    pub fn describe(&self) -> String {
        let key = crate::text::escape(&self.key);
        match &self.note {
            Some(note) => format!(
                "{} pid {} (key {key})",
                crate::text::escape(note.host.as_bytes()),
                note.pid
            ),
            None => key,
        }
    }
}

/// Who holds a lock, as an etcdpy holder records it in its lock key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct HolderNote {
    pub host: String,
    pub pid: u32,
    /// When the lock was acquired (a semaphore's waiter: queued), in seconds
    /// since the Unix epoch.
    pub since: u64,
    /// A semaphore's (`lock --limit N`) N, written when its waiter key is made;
    /// absent for a plain lock (N = 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// A semaphore holder's slot (0 to N-1), written once it holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<u32>,
}

impl HolderNote {
    /// The N this key's holder or waiter uses: its limit, 1 for a plain lock
    /// (etcdctl's keys and etcdpy's plain holders).
    pub fn limit_of(note: Option<&HolderNote>) -> u32 {
        note.and_then(|n| n.limit).unwrap_or(1)
    }
}

#[derive(Serialize)]
struct LockRequest<'a> {
    #[serde(serialize_with = "ser_b64")]
    name: &'a [u8],
    lease: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(in crate::client) struct LockResponse {
    header: wire::Header,
    #[serde(deserialize_with = "wire::de_b64")]
    key: Vec<u8>,
}

/// A lock acquired: the lock key, and the revision at which it was acquired.
#[derive(Debug, Clone)]
pub struct Acquired {
    pub key: Vec<u8>,
    /// The fencing token, as etcdctl's `ETCD_LOCK_REV`: the revision of the
    /// lock call's answer, which the server's `concurrency.Mutex` read once
    /// the lock was its own (the key's create revision when nobody held the
    /// lock; the revision that deleted the previous holder's key, or later,
    /// after a wait). It grows with every acquisition, whichever tool made it.
    pub revision: i64,
}

#[derive(Serialize)]
struct UnlockRequest<'a> {
    #[serde(serialize_with = "ser_b64")]
    key: &'a [u8],
}

/// A range sorted by create revision, oldest first (etcd's `WithFirstCreate`).
#[derive(Serialize)]
struct FirstCreatedRequest {
    #[serde(serialize_with = "ser_b64")]
    key: Vec<u8>,
    #[serde(serialize_with = "ser_b64")]
    range_end: Vec<u8>,
    limit: i64,
    sort_order: &'static str,
    sort_target: &'static str,
    #[serde(skip_serializing_if = "is_zero")]
    revision: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

impl Client {
    /// Wait for the lock `name` with `lease`; returns the lock key and the
    /// revision at which the lock was acquired.
    ///
    /// The call blocks in the server until the lock is acquired, so it has no
    /// total timeout (the caller races it against its own deadline and keeps
    /// the lease alive meanwhile); dropping the future closes the connection,
    /// and the server then deletes the waiter key. Another endpoint is tried
    /// only when the request surely never started waiting (connection
    /// refused, "no leader").
    pub async fn lock(&self, name: &[u8], lease: i64) -> Result<Acquired> {
        self.with_token(|token| async move { self.lock_with(name, lease, token.as_deref()).await })
            .await
            .map(|answer| Acquired {
                key: answer.key,
                revision: answer.header.revision,
            })
            .map_err(|error| self.on_key(error, name, "lock"))
    }

    async fn lock_with(
        &self,
        name: &[u8],
        lease: i64,
        token: Option<&str>,
    ) -> Result<LockResponse> {
        let body = serde_json::to_vec(&LockRequest {
            name,
            lease: lease.to_string(),
        })
        .map_err(crate::client::error::encoding)?;
        let body = &body;
        self.failover_current(None, true, |index| async move {
            let url = format!("{}/v3/lock/lock", self.endpoints[index]);
            let wait = self.lock_at(&url, body.clone(), token);
            tokio::pin!(wait);
            loop {
                tokio::select! {
                    answer = &mut wait => return answer,
                    _ = tokio::time::sleep(self.dial_timeout) => {}
                }
                // A wait that lasts: is the member still there? One that hangs
                // would hold this waiter's place (its lease kept alive through
                // the others) in front of every waiter behind it.
                if let Some(other) = self.hangs(index, self.dial_timeout / 2).await {
                    // What follows (the old lease revoked, the new one's queue) starts there.
                    self.set_current(other);
                    let message = format!(
                        "{url}: the member stopped answering while {} answers; waiting elsewhere",
                        self.endpoints[other]
                    );
                    return Attempt::Failed {
                        error: Error::new(Kind::Unreachable, message),
                        next: false,
                        reached: true,
                    };
                }
            }
        })
        .await
    }

    /// One lock request: only a refused connection or "no leader" (the
    /// request surely never started waiting) lets another endpoint be tried.
    async fn lock_at(
        &self,
        url: &str,
        body: Vec<u8>,
        token: Option<&str>,
    ) -> Attempt<LockResponse> {
        let fail = |error| Attempt::Failed {
            error,
            next: false,
            reached: true,
        };
        let response = match self.send(url, body, token, None).await {
            Ok(response) => response,
            Err(err) if err.is_connect() => {
                return Attempt::Failed {
                    error: Error::new(Kind::Unreachable, root_cause(&err)),
                    next: true,
                    reached: false,
                };
            }
            Err(err) => {
                return fail(Error::new(
                    Kind::Unreachable,
                    format!("{url}: {}", root_cause(&err)),
                ));
            }
        };
        let status = response.status();
        let bytes = match read_body(response, self.command_timeout).await {
            Ok(bytes) => bytes,
            Err(error) => return fail(error),
        };
        if status.is_success() {
            return match decode::<LockResponse>(url, &bytes) {
                Ok(answer) if answer.key.is_empty() => fail(Error::unexpected(format!(
                    "{url}: no lock key in the answer"
                ))),
                Ok(answer) => Attempt::Answered(answer),
                Err(error) => fail(error),
            };
        }
        let parts = serde_json::from_slice::<wire::ErrorBody>(&bytes)
            .ok()
            .and_then(|b| b.parts());
        match parts {
            Some((code, message)) => {
                let error = classify(code, &message);
                Attempt::Failed {
                    next: error.kind == Kind::NoLeader,
                    error,
                    reached: true,
                }
            }
            None => fail(not_etcd(url, &format!("HTTP {status}"))),
        }
    }

    /// While waiting for a lock (after [`Client::lock`] has been sent to the
    /// current endpoint): the create revision of the waiter key `key`, once the
    /// server has made it, if that member checks for itself, after the wait,
    /// that the key still exists (etcd 3.5.1 and later; 3.4 grants a lock
    /// whose lease expired meanwhile). Then the lock's answer needs no second
    /// look before CMD starts. Returns the endpoint asked with the revision;
    /// `None` when the member does not check or cannot tell.
    pub async fn lock_wait_checked(&self, key: &[u8]) -> Option<(String, i64)> {
        let base = self.endpoints[self.start_index()].clone();
        let status = self.status_at(&base).await.ok()?;
        let version: Vec<u32> = status
            .version
            .split('.')
            .map(|n| n.parse().unwrap_or(0))
            .collect();
        if version.as_slice() < [3, 5, 1].as_slice() {
            return None;
        }
        for _ in 0..50 {
            let request = wire::RangeRequest {
                key: key.to_vec(),
                ..Default::default()
            };
            let page: wire::RangeResponse = self.call_at(&base, "kv/range", &request).await.ok()?;
            if let Some(kv) = page.kvs.first() {
                return Some((base, kv.create_revision));
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        None
    }

    /// The endpoint requests start at (the one that answered last).
    pub fn current_endpoint(&self) -> &str {
        &self.endpoints[self.start_index()]
    }

    /// Delete a lock key (releasing the lock without revoking its lease).
    pub async fn unlock(&self, key: &[u8]) -> Result<()> {
        self.call::<_, wire::Empty>(
            "lock/unlock",
            &UnlockRequest { key },
            crate::client::Retry::Idempotent,
        )
        .await?;
        Ok(())
    }

    /// Who holds the lock `name` now: the key with the lowest create revision
    /// under `name/`, or `None` when nobody holds or waits for it.
    pub async fn lock_holder(&self, name: &[u8]) -> Result<Option<Holder>> {
        Ok(self.lock_queue(name, 1, 0).await?.0.into_iter().next())
    }

    /// The keys under `name/` in create-revision order (holders first, then
    /// waiters), at most `limit` of them (0: all), as they were at revision
    /// `at` (0: now); and the revision of the answer.
    pub async fn lock_queue(&self, name: &[u8], limit: i64, at: i64) -> Result<(Vec<Holder>, i64)> {
        let mut dir = name.to_vec();
        dir.push(b'/');
        let request = FirstCreatedRequest {
            range_end: prefix_end(&dir),
            key: dir,
            limit,
            sort_order: "ASCEND",
            sort_target: "CREATE",
            revision: at,
        };
        let response: wire::RangeResponse = self
            .call("kv/range", &request, crate::client::Retry::Idempotent)
            .await
            .map_err(|error| self.on_key(error, name, "read"))?;
        let revision = response.header.revision;
        let queue = response
            .kvs
            .into_iter()
            .map(KeyValue::from)
            .map(|kv| Holder {
                note: serde_json::from_slice(&kv.value).ok(),
                key: kv.key,
                create_revision: kv.create_revision,
                lease: kv.lease,
                value: kv.value,
            });
        Ok((queue.collect(), revision))
    }

    /// Is `key` still the lock key created at `revision`? False once it was
    /// deleted (lease expired or revoked, or unlocked by someone else).
    pub async fn lock_key_alive(&self, key: &[u8], revision: i64) -> Result<bool> {
        let page = self.range(&RangeSpec::key(key)).await?;
        Ok(page
            .kvs
            .first()
            .is_some_and(|kv| kv.create_revision == revision))
    }

    /// Write `note` into the lock key, only if it is still the key created at
    /// `revision` (the lease stays; the create revision, which orders the
    /// waiters, does not change). Returns whether it was written.
    pub async fn lock_note(
        &self,
        key: &[u8],
        revision: i64,
        lease: i64,
        note: &HolderNote,
    ) -> Result<bool> {
        let value = serde_json::to_vec(note).map_err(crate::client::error::encoding)?;
        self.put_if_created(key, revision, lease, value).await
    }

    /// Write `value` into `key` with `lease`, only if it is still the key
    /// created at `revision`. Returns whether it was written.
    pub async fn put_if_created(
        &self,
        key: &[u8],
        revision: i64,
        lease: i64,
        value: Vec<u8>,
    ) -> Result<bool> {
        let request = wire::TxnRequest {
            compare: vec![wire::Compare {
                key: key.to_vec(),
                target: "CREATE",
                result: "EQUAL",
                version: None,
                create_revision: Some(revision),
                mod_revision: None,
                value: None,
            }],
            success: vec![wire::RequestOp::Put(wire::PutRequest {
                key: key.to_vec(),
                value: Some(value),
                lease,
                prev_kv: false,
                ignore_value: false,
            })],
            failure: Vec::new(),
        };
        let response: wire::TxnResponse = self
            .call("kv/txn", &request, crate::client::Retry::Idempotent)
            .await?;
        Ok(response.succeeded)
    }
}

impl Client {
    /// Return once the lock key `key`, created at `revision`, is deleted
    /// (lease revoked or expired, or unlocked), as seen by a watch of its
    /// deletes from the revision after its creation, so a deletion that
    /// already happened is seen too. An error means the watch could not be
    /// kept (no endpoint took it back, history compacted while the key
    /// lives): the caller falls back to polling.
    pub async fn lock_key_deleted(&self, key: &[u8], revision: i64) -> Result<()> {
        let mut watch = self.watch(WatchSpec {
            key: key.to_vec(),
            start_revision: revision.saturating_add(1),
            no_put: true,
            ..Default::default()
        });
        match watch.next().await {
            // Only deletes are delivered.
            Ok(_) => Ok(()),
            // Compacted past the creation: look instead.
            Err(error) if error.kind == Kind::Compacted => {
                if self.lock_key_alive(key, revision).await? {
                    Err(error)
                } else {
                    Ok(())
                }
            }
            Err(error) => Err(error),
        }
    }
}
