//! etcd authentication: the token from `/v3/auth/authenticate`, asked for
//! before the first request that needs it, sent raw in the `Authorization`
//! header (never `Bearer`; protocol.md §6), and renewed once when the server
//! calls it invalid (simple tokens expire after `--auth-token-ttl` of disuse).
//! Without a token no `Authorization` header is sent at all: once auth is
//! disabled, any such header is refused.

use crate::client::error::{Error, Kind, Result};
use crate::client::options::Credentials;
use crate::client::{Client, Retry};
use crate::text::escape;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// The credentials and what became of them, shared by every clone of a client.
pub(in crate::client) struct Auth {
    credentials: Credentials,
    state: Mutex<State>,
}

#[derive(Clone)]
enum State {
    /// Not asked yet.
    Unknown,
    Token(String),
    /// The cluster has authentication turned off: send no token.
    Disabled,
}

#[derive(Serialize)]
struct AuthenticateRequest<'a> {
    name: &'a str,
    password: &'a str,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AuthenticateResponse {
    token: String,
}

impl Auth {
    pub(in crate::client) fn new(credentials: Credentials) -> Auth {
        Auth {
            credentials,
            state: Mutex::new(State::Unknown),
        }
    }

    /// The user and password (v2 sends them as HTTP Basic with every request).
    pub(in crate::client) fn credentials(&self) -> &Credentials {
        &self.credentials
    }
}

impl Client {
    /// The token to send, authenticating first if that has not been done.
    pub(in crate::client) async fn token(&self) -> Result<Option<String>> {
        let Some(auth) = &self.auth else {
            return Ok(None);
        };
        let state = auth.state.lock().expect("token state").clone();
        match state {
            State::Token(token) => Ok(Some(token)),
            State::Disabled => Ok(None),
            State::Unknown => self.authenticate(auth).await,
        }
    }

    /// Run `request` with the token (if any); when the server calls the token
    /// invalid, renew it and run `request` once more. The request was refused
    /// before it was applied, so a write is safe to send again.
    pub(in crate::client) async fn with_token<T, F, Fut>(&self, request: F) -> Result<T>
    where
        F: Fn(Option<String>) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let token = self.token().await?;
        match (request(token.clone()).await, token) {
            (Err(error), Some(stale)) if stale_token(&error) => {
                request(self.renew(&stale).await?).await
            }
            (answer, _) => answer,
        }
    }

    /// The server refused `stale` as invalid: authenticate again, unless
    /// another request already did.
    pub(in crate::client) async fn renew(&self, stale: &str) -> Result<Option<String>> {
        let Some(auth) = &self.auth else {
            return Ok(None);
        };
        let state = auth.state.lock().expect("token state").clone();
        match state {
            State::Token(token) if token != stale => Ok(Some(token)),
            _ => self.authenticate(auth).await,
        }
    }

    async fn authenticate(&self, auth: &Auth) -> Result<Option<String>> {
        let user = &auth.credentials.user;
        let body = serde_json::to_vec(&AuthenticateRequest {
            name: user,
            password: &auth.credentials.password,
        })
        .map_err(crate::client::error::encoding)?;
        let state = match self
            .post_with("auth/authenticate", body, Retry::Idempotent, None)
            .await
        {
            Ok((bytes, url)) => {
                let answer: AuthenticateResponse =
                    serde_json::from_slice(&bytes).map_err(|_| {
                        crate::client::v3::classify::not_etcd(
                            &url,
                            "its authenticate answer is not etcd's",
                        )
                    })?;
                if answer.token.is_empty() {
                    State::Disabled
                } else if reqwest::header::HeaderValue::from_str(&answer.token).is_err() {
                    return Err(crate::client::v3::classify::not_etcd(
                        &url,
                        "its token cannot go in an HTTP header",
                    ));
                } else {
                    State::Token(answer.token)
                }
            }
            Err(error) if error.kind == Kind::AuthNotEnabled => State::Disabled,
            Err(error) if error.kind == Kind::AuthFailed => {
                return Err(Error::new(
                    Kind::AuthFailed,
                    format!(
                        "authentication failed for user '{}': wrong user name or password",
                        escape(user.as_bytes())
                    ),
                ));
            }
            Err(error) => {
                return Err(error.context(format!(
                    "cannot authenticate as user '{}'",
                    escape(user.as_bytes())
                )));
            }
        };
        *auth.state.lock().expect("token state") = state.clone();
        Ok(match state {
            State::Token(token) => Some(token),
            _ => None,
        })
    }

    /// A refusal that concerns `key`: say which key, and as whom.
    pub(in crate::client) fn on_key(&self, error: Error, key: &[u8], access: &str) -> Error {
        if error.kind != Kind::PermissionDenied {
            return error;
        }
        let who = match &self.auth {
            Some(auth) => format!("user '{}'", escape(auth.credentials.user.as_bytes())),
            None => "this client".to_string(),
        };
        Error::new(
            Kind::PermissionDenied,
            format!(
                "permission denied: {who} may not {access} '{}' ({})",
                escape(key),
                error.message
            ),
        )
    }
}

/// The server refused the token itself (expired, or revoked), not the request.
pub(in crate::client) fn stale_token(error: &Error) -> bool {
    error.kind == Kind::StaleToken
}
