//! The one failover loop: ask the endpoints in turn until one answers, what to do about an
//! endpoint that stays silent (a [`Silence`]), and the error for a round in which none
//! answered ([`Round`]). Every v3 request (gateway or gRPC) and every v2 one goes through it.

use crate::client::backoff::Backoff;
use crate::client::error::{Error, Kind, Result};
use crate::client::{Client, Retry};
use crate::duration::show;
use std::time::Duration;
use tokio::time::Instant;

/// What became of one attempt at one endpoint.
pub(in crate::client) enum Attempt<T> {
    Answered(T),
    /// Not an answer from etcd; `next` says whether another endpoint may be
    /// tried, `reached` whether the request reached etcd there.
    Failed {
        error: Error,
        next: bool,
        reached: bool,
    },
}

impl<T> Attempt<T> {
    pub(in crate::client) fn map<U>(self, f: impl FnOnce(T) -> U) -> Attempt<U> {
        match self {
            Attempt::Answered(answer) => Attempt::Answered(f(answer)),
            Attempt::Failed {
                error,
                next,
                reached,
            } => Attempt::Failed {
                error,
                next,
                reached,
            },
        }
    }
}

/// How a failover loop ended without an answer.
pub(in crate::client) enum Ended {
    /// An endpoint's failure after which no other endpoint may be tried.
    Final(Error),
    /// Every endpoint failed, and no further round was wanted.
    Exhausted(Round),
}

/// What every endpoint said in one round of a failover loop, in the order
/// they were tried: whether to ask again, and the error when giving up.
#[derive(Default)]
pub(in crate::client) struct Round {
    /// (endpoint, its failure, whether the request reached etcd there)
    tried: Vec<(String, Error, bool)>,
}

impl Round {
    /// `endpoint` failed with `error`, and another endpoint may be tried.
    /// A "no leader" error must mean that nothing was proposed there.
    pub(in crate::client) fn failed(&mut self, endpoint: &str, error: Error, reached: bool) {
        self.tried.push((endpoint.to_string(), error, reached));
    }

    /// Some endpoint answered that it has no leader.
    pub(in crate::client) fn leaderless(&self) -> bool {
        self.tried.iter().any(|(_, e, _)| e.kind.leaderless())
    }

    /// The last endpoint's failure.
    pub(in crate::client) fn into_last(self) -> Option<Error> {
        self.tried.into_iter().last().map(|(_, error, _)| error)
    }

    /// Every endpoint tried with its reason: "URL (reason), URL (reason)".
    pub(in crate::client) fn list(&self) -> String {
        let each: Vec<String> = self
            .tried
            .iter()
            .map(|(endpoint, e, _)| format!("{endpoint} ({})", e.message))
            .collect();
        each.join(", ")
    }

    /// The error for the round as a whole, naming every endpoint with its own
    /// reason: "no leader" (exit 9) when any endpoint said so (`elapsed`: how
    /// long it was asked); else what an endpoint that was reached said; "cannot
    /// reach the cluster" (exit 7) only when none was.
    pub(in crate::client) fn into_error(mut self, elapsed: Duration) -> Error {
        if self.leaderless() {
            return Error::new(
                Kind::NoLeader,
                format!("no leader for {}: tried {}", show(elapsed), self.list()),
            );
        }
        match self.tried.iter().rposition(|(_, _, reached)| *reached) {
            Some(index) => {
                let (_, mut error, _) = self.tried.remove(index);
                if !self.tried.is_empty() {
                    error.message = format!("{}; also tried {}", error.message, self.list());
                }
                error
            }
            None => Error::new(
                Kind::Unreachable,
                format!("cannot reach the cluster: tried {}", self.list()),
            ),
        }
    }
}

/// What the failover loop does about an endpoint that has not answered
/// within the dial timeout.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(in crate::client) enum Silence {
    /// Wait for it, until the attempt's own timeout: a lock's wait, streams,
    /// requests bounded otherwise.
    Wait,
    /// Ask the next endpoint too and take the first answer: a request that
    /// changes nothing (a linearizable read stays one wherever it is asked).
    Hedge,
    /// Once the member is found to hang while another answers (a status
    /// request), leave it for the next endpoint: a write that cannot apply
    /// twice.
    MoveOn,
    /// Once the member is found to hang, stop: the write may or may not have
    /// been applied there, and saying so now beats the command timeout.
    GiveUp,
}

impl From<Retry> for Silence {
    fn from(retry: Retry) -> Silence {
        match retry {
            Retry::Idempotent => Silence::Hedge,
            Retry::Guarded => Silence::MoveOn,
            Retry::Once => Silence::GiveUp,
        }
    }
}

/// One attempt under way in the failover loop.
struct Running<F> {
    index: usize,
    /// Since when it has been waited for (reset after a probe found its member answering).
    since: Instant,
    attempt: std::pin::Pin<Box<F>>,
}

/// `attempt` at the endpoint at `index`, under way from now, bounded by
/// `within` (one that takes longer failed, having reached etcd).
fn running<T>(
    index: usize,
    attempt: impl Future<Output = Attempt<T>>,
    within: Option<Duration>,
) -> Running<impl Future<Output = Attempt<T>>> {
    let bounded = async move {
        let Some(within) = within else {
            return attempt.await;
        };
        let late = || Attempt::Failed {
            error: Error::new(Kind::TimedOut, format!("no answer within {}", show(within))),
            next: true,
            reached: true,
        };
        tokio::time::timeout(within, attempt)
            .await
            .unwrap_or_else(|_| late())
    };
    Running {
        index,
        since: Instant::now(),
        attempt: Box::pin(bounded),
    }
}

/// The first of the attempts under way to end (removed from them), with its endpoint's index.
async fn first_done<F: Future>(running: &mut Vec<Running<F>>) -> (usize, F::Output) {
    std::future::poll_fn(|cx| {
        for at in 0..running.len() {
            if let std::task::Poll::Ready(outcome) = running[at].attempt.as_mut().poll(cx) {
                let done = running.swap_remove(at);
                return std::task::Poll::Ready((done.index, outcome));
            }
        }
        std::task::Poll::Pending
    })
    .await
}

/// The error for a member found to hang under a write (`silence`): the
/// write was left there; with [`Silence::GiveUp`] its fate is unknown.
fn hung(endpoint: &str, other: &str, patience: Duration, silence: Silence) -> Error {
    let fate = if silence == Silence::GiveUp {
        uncertain(Retry::Once)
    } else {
        ""
    };
    Error::new(
        Kind::TimedOut,
        format!(
            "{endpoint} gave no answer, nor to a status request within {}, while {other} answered: the member hangs{fate}",
            show(patience / 2)
        ),
    )
}

impl Client {
    /// The one failover loop: ask the endpoints in turn, from `start` (the
    /// current endpoint when `None`, read again each round), until one
    /// answers; returns its index and answer. `within` bounds each attempt (one
    /// that takes longer failed, having reached etcd). A failure that allows
    /// no other endpoint ends the loop at once. After a round in which every
    /// endpoint failed, `pause` says how long to wait before the next round,
    /// or `None` to give up. An endpoint that stays silent is waited for
    /// ([`Silence::Wait`]); see [`Client::failover_on`] for the others.
    pub(in crate::client) async fn failover<T, Fut>(
        &self,
        start: Option<usize>,
        within: Option<Duration>,
        attempt: impl FnMut(usize) -> Fut,
        pause: impl FnMut(&Round) -> Option<Duration>,
    ) -> std::result::Result<(usize, T), Ended>
    where
        Fut: Future<Output = Attempt<T>>,
    {
        self.failover_on(start, within, Silence::Wait, attempt, pause)
            .await
    }

    /// [`Client::failover`], where `silence` says what to do about an
    /// endpoint that has not answered within the dial timeout: ask the next
    /// one too and take the first answer (a read), or probe whether the
    /// member hangs while another answers, and then move on (a write that
    /// cannot apply twice) or stop, naming it (one that could).
    pub(in crate::client) async fn failover_on<T, Fut>(
        &self,
        start: Option<usize>,
        within: Option<Duration>,
        silence: Silence,
        mut attempt: impl FnMut(usize) -> Fut,
        mut pause: impl FnMut(&Round) -> Option<Duration>,
    ) -> std::result::Result<(usize, T), Ended>
    where
        Fut: Future<Output = Attempt<T>>,
    {
        let mut launch = |index: usize| running(index, attempt(index), within);
        loop {
            let first = start.unwrap_or_else(|| self.start_index()) % self.endpoints.len();
            let round = match self.round(first, silence, &mut launch).await {
                Err(Ended::Exhausted(round)) => round,
                ended => return ended,
            };
            match pause(&round) {
                Some(pause) => tokio::time::sleep(pause).await,
                None => return Err(Ended::Exhausted(round)),
            }
        }
    }

    /// One round of [`Client::failover_on`]: the endpoints asked in turn from `first`
    /// (`launch` starts an attempt at one) until one answers, a failure allows no other
    /// endpoint, or every one has failed ([`Ended::Exhausted`] with what each said).
    async fn round<T, F>(
        &self,
        first: usize,
        silence: Silence,
        launch: &mut impl FnMut(usize) -> Running<F>,
    ) -> std::result::Result<(usize, T), Ended>
    where
        F: Future<Output = Attempt<T>>,
    {
        let count = self.endpoints.len();
        let patience = self.dial_timeout;
        let mut round = Round::default();
        // The attempts under way (more than one only when hedging), how many
        // endpoints have been asked this round, and a probe under way.
        let mut running = vec![launch(first)];
        let mut asked = 1;
        let mut probe = None;
        while !running.is_empty() {
            // When to act on the oldest attempt's silence.
            let oldest = running.iter().map(|r| r.since).min();
            let oldest = oldest.unwrap_or_else(Instant::now);
            let (act, wake) = match silence {
                Silence::Wait => (false, oldest),
                Silence::Hedge => (asked < count, oldest + patience),
                Silence::MoveOn | Silence::GiveUp => (probe.is_none(), oldest + patience / 2),
            };
            tokio::select! {
                (index, outcome) = first_done(&mut running) => {
                    probe = None;
                    match outcome {
                        Attempt::Answered(answer) => return Ok((index, answer)),
                        Attempt::Failed { error, next: false, .. } => {
                            return Err(Ended::Final(error));
                        }
                        Attempt::Failed { error, reached, .. } => {
                            round.failed(&self.endpoints[index], error, reached);
                            if running.is_empty() && asked < count {
                                running.push(launch((first + asked) % count));
                                asked += 1;
                            }
                        }
                    }
                }
                _ = tokio::time::sleep_until(wake), if act => {
                    if silence == Silence::Hedge {
                        running.push(launch((first + asked) % count));
                        asked += 1;
                    } else if let Some(r) = running.first() {
                        probe = Some(Box::pin(self.hangs(r.index, patience / 2)));
                    }
                }
                answered = async { probe.as_mut().expect("a probe").await }, if probe.is_some() => {
                    probe = None;
                    let Some(r) = running.first_mut() else { continue };
                    let Some(other) = answered else {
                        // The member answers (or none does): wait, and look again later.
                        r.since = Instant::now();
                        continue;
                    };
                    let endpoint = &self.endpoints[r.index];
                    let error = hung(endpoint, &self.endpoints[other], patience, silence);
                    if silence == Silence::GiveUp {
                        return Err(Ended::Final(error));
                    }
                    round.failed(endpoint, error, true);
                    running.clear();
                    if asked < count {
                        running.push(launch((first + asked) % count));
                        asked += 1;
                    }
                }
            }
        }
        Err(Ended::Exhausted(round))
    }

    /// [`Client::failover`] from the current endpoint; the one that answers
    /// becomes current. With `election`: while any endpoint answered "no
    /// leader" before proposing anything, an election is under way (about
    /// 2 s), and a dead endpoint beside it changes nothing: ask again after
    /// each of a [`Backoff`]'s pauses until the command timeout. The error names every
    /// endpoint with its reason ([`Round::into_error`]).
    pub(in crate::client) async fn failover_current<T, Fut>(
        &self,
        within: Option<Duration>,
        election: bool,
        attempt: impl FnMut(usize) -> Fut,
    ) -> Result<T>
    where
        Fut: Future<Output = Attempt<T>>,
    {
        self.failover_current_on(within, election, Silence::Wait, attempt)
            .await
    }

    /// [`Client::failover_current`], doing what `silence` says about an
    /// endpoint that stays silent (see [`Client::failover_on`]).
    pub(in crate::client) async fn failover_current_on<T, Fut>(
        &self,
        within: Option<Duration>,
        election: bool,
        silence: Silence,
        attempt: impl FnMut(usize) -> Fut,
    ) -> Result<T>
    where
        Fut: Future<Output = Attempt<T>>,
    {
        let began = std::time::Instant::now();
        let mut backoff = Backoff::new();
        let pause = |round: &Round| {
            let again = election && round.leaderless();
            again
                .then(|| backoff.before(began + self.command_timeout))
                .flatten()
        };
        match self
            .failover_on(None, within, silence, attempt, pause)
            .await
        {
            Ok((index, answer)) => {
                self.set_current(index);
                Ok(answer)
            }
            Err(Ended::Final(error)) => Err(error),
            Err(Ended::Exhausted(round)) => Err(round.into_error(began.elapsed())),
        }
    }
}

/// For a write that may have reached the server before the connection
/// failed: say so, rather than repeat it and maybe apply it twice.
pub(in crate::client) fn uncertain(retry: Retry) -> &'static str {
    match retry {
        Retry::Idempotent => "",
        Retry::Once | Retry::Guarded => {
            "; the write may or may not have been applied (check before repeating it)"
        }
    }
}
