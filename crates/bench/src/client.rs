//! HTTP/1.1 keep-alive client for the roster API: requests are signed with SigV4 and can
//! be prepared (signed) once and sent many times.

use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use bytes::Bytes;
use http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use http::{HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

use crate::sign::Signer;

const JSON: &str = "application/json";

/// A hyper client over plain TCP.
pub type HttpClient = Client<HttpConnector, Full<Bytes>>;

/// Builds a client that keeps connections alive and sends small requests without delay.
/// A worker that sends one request at a time through its own client uses one connection.
pub fn new_client() -> HttpClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    connector.set_keepalive(Some(Duration::from_secs(60)));
    Client::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(90))
        .build(connector)
}

/// Where the server listens and how requests to it are signed.
#[derive(Clone)]
pub struct Api {
    base: String,
    authority: String,
    signer: Signer,
}

/// A signed request, ready to send any number of times.
#[derive(Clone)]
pub struct Prepared {
    method: Method,
    uri: Uri,
    host: HeaderValue,
    amz_date: HeaderValue,
    authorization: HeaderValue,
    body: Bytes,
}

/// A response with its whole body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Bytes,
}

impl Reply {
    pub fn json(&self) -> anyhow::Result<Value> {
        serde_json::from_slice(&self.body).context("response body is not JSON")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Whether this is roster's answer for an operation it does not serve yet.
    pub fn is_not_implemented(&self) -> bool {
        self.status == 400 && self.text().contains("is not implemented by roster")
    }
}

impl Api {
    /// `endpoint` is `http://HOST:PORT` (a trailing `/` is ignored).
    pub fn new(endpoint: &str, signer: Signer) -> anyhow::Result<Self> {
        let base = endpoint.trim_end_matches('/').to_string();
        let uri: Uri = base
            .parse()
            .with_context(|| format!("endpoint {endpoint:?} is not a URL"))?;
        if uri.scheme_str() != Some("http") {
            bail!("endpoint {endpoint:?}: only http:// is supported");
        }
        let authority = uri
            .authority()
            .ok_or_else(|| anyhow!("endpoint {endpoint:?} has no host"))?
            .to_string();
        Ok(Api {
            base,
            authority,
            signer,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Signs a request now. `path` is already percent-encoded; `query` has no `?`.
    pub fn prepare(
        &self,
        method: Method,
        path: &str,
        query: &str,
        body: Bytes,
    ) -> anyhow::Result<Prepared> {
        let signed = self
            .signer
            .sign(method.as_str(), &self.authority, path, query, JSON, &body);
        let uri = if query.is_empty() {
            format!("{}{path}", self.base)
        } else {
            format!("{}{path}?{query}", self.base)
        };
        Ok(Prepared {
            method,
            uri: uri.parse().with_context(|| format!("bad URI {uri:?}"))?,
            host: HeaderValue::from_str(&self.authority)?,
            amz_date: HeaderValue::from_str(&signed.amz_date)?,
            authorization: HeaderValue::from_str(&signed.authorization)?,
            body,
        })
    }

    /// Signs and sends a JSON request, returning the reply whatever its status.
    pub async fn call(
        &self,
        client: &HttpClient,
        method: Method,
        path: &str,
        query: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Reply> {
        let body = match body {
            Some(v) => Bytes::from(serde_json::to_vec(v)?),
            None => Bytes::new(),
        };
        let prepared = self.prepare(method, path, query, body)?;
        send(client, &prepared).await
    }

    /// Like [`Api::call`], but anything other than 200 is an error carrying the body.
    pub async fn call_ok(
        &self,
        client: &HttpClient,
        method: Method,
        path: &str,
        query: &str,
        body: Option<&Value>,
    ) -> anyhow::Result<Value> {
        let what = format!("{method} {path}");
        let reply = self.call(client, method, path, query, body).await?;
        if reply.status != 200 {
            bail!("{what}: HTTP {}: {}", reply.status, reply.text());
        }
        reply.json().with_context(|| what.clone())
    }
}

/// Where the workers of a run send the requests signed for `--endpoint` when the load is
/// spread over several processes (`--spread`): worker `i` connects to the `i % n`-th
/// address and sends the request as signed, its `Host` header unchanged, as a load
/// balancer forwards it. Requests signed for anything else (the baseline server) go
/// where they were signed for. Unset: every request goes where it was signed for.
static SPREAD: std::sync::OnceLock<(http::uri::Authority, Vec<http::uri::Authority>)> =
    std::sync::OnceLock::new();

fn authority_of(endpoint: &str) -> anyhow::Result<http::uri::Authority> {
    let uri: Uri = endpoint.parse().with_context(|| endpoint.to_string())?;
    uri.authority()
        .cloned()
        .with_context(|| format!("{endpoint}: no host:port"))
}

/// Spreads the requests signed for `endpoint` over `endpoints`, once, before any run;
/// nothing when `endpoints` is empty.
pub fn spread_over(endpoint: Option<&str>, endpoints: &[String]) -> anyhow::Result<()> {
    if endpoints.is_empty() {
        return Ok(());
    }
    let from = authority_of(endpoint.context("--spread needs --endpoint")?)?;
    let to = endpoints
        .iter()
        .map(|e| authority_of(e).with_context(|| format!("--spread {e}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    SPREAD
        .set((from, to))
        .map_err(|_| anyhow::anyhow!("--spread was set twice"))
}

/// Where worker `worker` sends a request signed for `uri`, when the load is spread.
pub fn spread_target(worker: usize, uri: &Uri) -> Option<&'static http::uri::Authority> {
    let (from, to) = SPREAD.get()?;
    (uri.authority() == Some(from) && !to.is_empty()).then(|| &to[worker % to.len()])
}

impl Prepared {
    pub fn uri(&self) -> &Uri {
        &self.uri
    }

    fn to_request_at(&self, at: Option<&http::uri::Authority>) -> Request<Full<Bytes>> {
        let mut req = Request::new(Full::new(self.body.clone()));
        *req.method_mut() = self.method.clone();
        *req.uri_mut() = match at {
            None => self.uri.clone(),
            Some(authority) => {
                let mut parts = self.uri.clone().into_parts();
                parts.authority = Some(authority.clone());
                Uri::from_parts(parts).unwrap_or_else(|_| self.uri.clone())
            }
        };
        let h = req.headers_mut();
        h.insert(HOST, self.host.clone());
        h.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
        h.insert("x-amz-date", self.amz_date.clone());
        h.insert(AUTHORIZATION, self.authorization.clone());
        req
    }
}

/// Sends a prepared request and reads the whole response body.
pub async fn send(client: &HttpClient, prepared: &Prepared) -> anyhow::Result<Reply> {
    send_at(client, prepared, None).await
}

/// [`send`], connecting to `at` instead of the address the request was signed for.
pub async fn send_at(
    client: &HttpClient,
    prepared: &Prepared,
    at: Option<&http::uri::Authority>,
) -> anyhow::Result<Reply> {
    let resp = client
        .request(prepared.to_request_at(at))
        .await
        .with_context(|| format!("{} {}", prepared.method, prepared.uri))?;
    let status = resp.status().as_u16();
    let body = resp
        .into_body()
        .collect()
        .await
        .with_context(|| format!("reading the response to {}", prepared.uri))?
        .to_bytes();
    Ok(Reply { status, body })
}

/// Finds `"ApproximateTotalCount":N` in a SearchUsers response without parsing the rest.
pub fn approximate_total_count(body: &[u8]) -> Option<u64> {
    const KEY: &[u8] = b"\"ApproximateTotalCount\"";
    let at = body.windows(KEY.len()).position(|w| w == KEY)?;
    let rest = &body[at + KEY.len()..];
    let rest = &rest[rest.iter().position(|b| !b.is_ascii_whitespace())?..];
    let rest = rest.strip_prefix(b":")?;
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let digits = rest[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    std::str::from_utf8(&rest[start..start + digits])
        .ok()?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_total_count() {
        assert_eq!(
            approximate_total_count(br#"{"Users":[],"ApproximateTotalCount":42}"#),
            Some(42)
        );
        assert_eq!(
            approximate_total_count(br#"{"ApproximateTotalCount" : 7, "Users":[]}"#),
            Some(7)
        );
        assert_eq!(approximate_total_count(br#"{"Users":[]}"#), None);
        assert_eq!(
            approximate_total_count(br#"{"ApproximateTotalCount":null}"#),
            None
        );
    }
}
