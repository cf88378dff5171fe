//! The baseline: a bare hyper server that reads each request and answers 200 with one
//! fixed JSON body, as large as a DescribeUser response. It does what any HTTP/1.1 JSON
//! server must do and nothing else, so roster's throughput as a fraction of its
//! throughput shows what authentication, routing, the store and encoding cost.

use std::convert::Infallible;

use anyhow::Context;
use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Request, Response};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::server::BASELINE_READY_PREFIX;

/// A JSON object of exactly `len` bytes (at least 14): `{"Padding":"xxx…"}`.
pub fn fixed_body(len: usize) -> Vec<u8> {
    const HEAD: &[u8] = b"{\"Padding\":\"";
    const TAIL: &[u8] = b"\"}";
    let fill = len.saturating_sub(HEAD.len() + TAIL.len());
    let mut body = Vec::with_capacity(HEAD.len() + fill + TAIL.len());
    body.extend_from_slice(HEAD);
    body.resize(HEAD.len() + fill, b'x');
    body.extend_from_slice(TAIL);
    body
}

/// Serves until SIGTERM or Ctrl-C. Prints `baseline listening on http://ADDR` once it
/// accepts connections.
pub async fn serve(listen: &str, body_bytes: usize) -> anyhow::Result<()> {
    let body = Bytes::from(fixed_body(body_bytes));
    let listener = TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    println!("{BASELINE_READY_PREFIX}http://{}", listener.local_addr()?);
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            _ = term.recv() => return Ok(()),
            _ = tokio::signal::ctrl_c() => return Ok(()),
        };
        stream.set_nodelay(true)?;
        let body = body.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req: Request<Incoming>| {
                let body = body.clone();
                async move {
                    // Read the whole request, as a real server must before answering.
                    let _ = req.into_body().collect().await;
                    let mut resp = Response::new(Full::new(body));
                    resp.headers_mut()
                        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    Ok::<_, Infallible>(resp)
                }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_json_of_the_given_size() {
        for len in [14, 15, 100, 1460] {
            let body = fixed_body(len);
            assert_eq!(body.len(), len);
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert!(v["Padding"].is_string());
        }
    }
}
