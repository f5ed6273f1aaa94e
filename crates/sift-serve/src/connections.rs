//! The accept loop: bounded connections, each with deadlines.
//!
//! `axum::serve` keeps a connection open as long as the client likes: a client
//! that sends half a request head (or nothing) holds a file descriptor forever,
//! and ~20,000 of them stopped `/api/health` from answering. Here each
//! connection is served by hyper directly with:
//! - a header-read deadline ([`Config::header_timeout`]), which also closes a
//!   keep-alive connection that stays idle that long between requests;
//! - a lifetime ([`Config::connection_lifetime`]), after which the connection
//!   finishes its request and closes (a client that reads its response too slowly
//!   is cut off one request timeout later);
//! - a cap on connections open at once ([`Config::max_connections`]): past it the
//!   server stops accepting until one closes, so descriptors never run out and
//!   the slow clients are the ones that wait (in the kernel's backlog), not
//!   the server. Since every connection ends within its deadlines, a client
//!   that opens many half-sent requests cannot keep the others out for longer
//!   than [`Config::header_timeout`].

use std::future::Future;
use std::sync::Arc;

use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::Config;

/// Accept and serve connections until `shutdown` completes.
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(config.max_connections.max(1)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_timeout)
        .keep_alive(true);
    let lifetime = config.connection_lifetime;
    let grace = config.timeout;
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => return Ok(()),
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors or a connection reset before accept: not fatal.
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |req: Request<Incoming>| {
            let app = app.clone();
            async move { app.oneshot(req.map(axum::body::Body::new)).await }
        });
        let connection = http.serve_connection(TokioIo::new(stream), service);
        tokio::spawn(async move {
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = tokio::time::sleep(lifetime) => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(grace, connection).await;
                }
            }
            drop(slot);
        });
    }
}
