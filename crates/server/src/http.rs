//! Accepting connections and serving HTTP/1.1 on them with roster's limits, until
//! the shutdown signal; then finishing the requests in flight.

use std::future::Future;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use prometheus_client::metrics::gauge::Gauge;
use tokio::net::TcpListener;
use tracing::{debug, error};

use crate::rejections::AwsRejections;

/// The largest request head (request line and header fields) accepted, in bytes.
/// A larger one is answered 431 `RequestHeaderFieldsTooLargeException`.
pub const MAX_REQUEST_HEAD_BYTES: usize = 64 * 1024;

/// The most header fields a request may have; more is answered 431
/// `RequestHeaderFieldsTooLargeException`.
pub const MAX_HEADER_FIELDS: usize = 100;

// hyper parses header fields into a buffer on the stack with room for 100; a larger
// limit would make it allocate one on the heap for every request.
const _: () = assert!(MAX_HEADER_FIELDS <= 100);

/// Serves `app` on every connection `listener` accepts until `shutdown` completes,
/// then stops accepting and returns once the connections have finished their
/// requests in flight (idle keep-alive connections are closed at once).
/// With `connections`, the gauge counts the connections open.
pub async fn serve(
    listener: TcpListener,
    app: axum::Router,
    connections: Option<Gauge>,
    shutdown: impl Future<Output = ()>,
) {
    let http = connection_builder();
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let conn = http.serve_connection(
            TokioIo::new(AwsRejections::new(stream)),
            TowerToHyperService::new(app.clone()),
        );
        let conn = graceful.watch(conn);
        let open = connections.clone();
        if let Some(gauge) = &open {
            gauge.inc();
        }
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                debug!(error = %e, "connection ended with an error");
            }
            if let Some(gauge) = open {
                gauge.dec();
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// HTTP/1.1 with roster's limits on the request head.
pub fn connection_builder() -> http1::Builder {
    let mut http = http1::Builder::new();
    http.max_header_size(MAX_REQUEST_HEAD_BYTES)
        .max_headers(MAX_HEADER_FIELDS);
    http
}

/// A failed accept: one connection's trouble is skipped; anything else (out of file
/// descriptors, say) is logged and waited out for a second rather than spun on.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    error!(error = %e, "accepting a connection failed; retrying in 1 s");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
