//! The accept loop every port of the server runs: each connection is admitted under
//! the caps of [`Gate`] or refused at once, given a TLS handshake timeout on the HTTPS
//! port, a header-read timeout and an idle watchdog, and served by hyper (HTTP/1.1 and
//! HTTP/2). Errors accepting (out of open files, for one) back off instead of spinning.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum_server::tls_rustls::RustlsConfig;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower_service::Service;

use super::admission::{Gate, Refusal};
use super::idle::{Activity, Watched};
use crate::config::ServerConfig;

/// How long connections in flight may take to finish once the server is told to stop.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// What a refused plain-HTTP client is told before the connection closes.
const BUSY_ANSWER: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
Retry-After: 5\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Length: 76\r\n\
Connection: close\r\n\
\r\n\
The server has too many connections open; please try again in a few seconds.";

/// The timeouts every connection is held to.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub header_read: Duration,
    pub idle: Duration,
    pub tls_handshake: Duration,
}

impl Timeouts {
    pub fn from_config(server: &ServerConfig) -> Self {
        Self {
            header_read: server.header_read_timeout(),
            idle: server.idle_timeout(),
            tls_handshake: server.tls_handshake_timeout(),
        }
    }
}

/// One port: what it serves, over TLS or not, under which caps and timeouts.
#[derive(Debug, Clone)]
pub struct Port {
    pub router: Router,
    pub tls: Option<RustlsConfig>,
    pub gate: Gate,
    pub timeouts: Timeouts,
}

/// Serves `listener` until `shutdown` resolves, then lets the connections in flight
/// finish (for up to [`SHUTDOWN_GRACE`]).
pub async fn serve(
    listener: TcpListener,
    port: Port,
    shutdown: impl Future<Output = ()> + Send,
) -> io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut backoff = AcceptBackoff::default();
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                if let Some(failures) = backoff.succeeded() {
                    tracing::info!(failures, "accepting connections again");
                }
                admit(stream, peer, &port, graceful.watcher());
            }
            // The client gave up before it was accepted: nothing is wrong here.
            Err(err) if is_client_gone(&err) => {}
            Err(err) => {
                let (delay, first) = backoff.failed();
                if first {
                    tracing::warn!(
                        %err,
                        "cannot accept connections; waiting and trying again, up to a second apart (repeats are not logged)"
                    );
                }
                tokio::select! {
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(delay) => {}
                }
            }
        }
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period were cut off");
    }
    Ok(())
}

/// Starts serving one accepted connection, or refuses it when it is over a cap.
fn admit(stream: TcpStream, peer: SocketAddr, port: &Port, watcher: Watcher) {
    let permit = match port.gate.admit(peer.ip()) {
        Ok(permit) => permit,
        Err(refusal) => {
            tracing::debug!(%peer, ?refusal, "refused a connection");
            if port.tls.is_none() {
                tokio::spawn(answer_busy(stream, refusal));
            }
            return;
        }
    };
    let _ = stream.set_nodelay(true);
    let (router, tls, timeouts) = (port.router.clone(), port.tls.clone(), port.timeouts);
    tokio::spawn(async move {
        let _permit = permit;
        match tls {
            None => serve_connection(stream, peer, router, timeouts, watcher).await,
            Some(tls) => {
                let acceptor = tokio_rustls::TlsAcceptor::from(tls.get_inner());
                match tokio::time::timeout(timeouts.tls_handshake, acceptor.accept(stream)).await {
                    Ok(Ok(stream)) => {
                        serve_connection(stream, peer, router, timeouts, watcher).await;
                    }
                    Ok(Err(err)) => tracing::debug!(%peer, %err, "TLS handshake failed"),
                    Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                }
            }
        }
    });
}

/// Serves HTTP on one connection until the client leaves, a timeout closes it, or
/// the server stops.
async fn serve_connection<S>(
    stream: S,
    peer: SocketAddr,
    router: Router,
    timeouts: Timeouts,
    watcher: Watcher,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let activity = Activity::new();
    let io = TokioIo::new(Watched::new(stream, activity.clone()));
    // Handlers see the client's address (`ConnectInfo`), as with axum's own server.
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().call(request)
    });
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(timeouts.header_read);
    builder.http2().timer(TokioTimer::new());
    let connection = watcher.watch(
        builder
            .serve_connection_with_upgrades(io, service)
            .into_owned(),
    );
    tokio::select! {
        served = connection => {
            if let Err(err) = served {
                tracing::debug!(%peer, %err, "connection ended with an error");
            }
        }
        () = activity.silent_for(timeouts.header_read, timeouts.idle) => {
            tracing::debug!(%peer, "closed a silent connection");
        }
    }
}

/// Tells a plain-HTTP client over a cap to come back later, then closes.
async fn answer_busy(mut stream: TcpStream, refusal: Refusal) {
    let told = async {
        stream.write_all(BUSY_ANSWER).await?;
        stream.shutdown().await?;
        // Read what the client sent, so closing does not reset the connection and
        // discard the answer before the client has read it.
        let mut sink = [0u8; 4096];
        let mut left: usize = 64 * 1024;
        while left > 0 {
            let read = stream.read(&mut sink).await?;
            if read == 0 {
                break;
            }
            left = left.saturating_sub(read);
        }
        io::Result::Ok(())
    };
    if tokio::time::timeout(Duration::from_secs(1), told)
        .await
        .is_err()
    {
        tracing::debug!(?refusal, "a refused client did not close in time");
    }
}

/// Errors `accept` reports about one client that already went away.
fn is_client_gone(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// Waits between failed accepts: 10 ms, doubling to a second, back to the start once
/// an accept succeeds. Only the first failure of a burst is logged.
#[derive(Debug, Default)]
struct AcceptBackoff {
    failures: u32,
}

impl AcceptBackoff {
    const FIRST: Duration = Duration::from_millis(10);
    const MOST: Duration = Duration::from_secs(1);

    /// How long to wait after this failure, and whether it starts a burst.
    fn failed(&mut self) -> (Duration, bool) {
        let doublings = self.failures.min(16);
        self.failures = self.failures.saturating_add(1);
        let delay = Self::FIRST.saturating_mul(1 << doublings).min(Self::MOST);
        (delay, doublings == 0)
    }

    /// Ends a burst; the number of failures in it, if there was one.
    fn succeeded(&mut self) -> Option<u32> {
        let failures = std::mem::take(&mut self.failures);
        (failures > 0).then_some(failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_accepts_wait_longer_each_time_up_to_a_second() {
        let mut backoff = AcceptBackoff::default();
        let waits: Vec<(u64, bool)> = (0..10)
            .map(|_| {
                let (delay, first) = backoff.failed();
                (u64::try_from(delay.as_millis()).unwrap(), first)
            })
            .collect();
        assert_eq!(
            waits,
            [
                (10, true),
                (20, false),
                (40, false),
                (80, false),
                (160, false),
                (320, false),
                (640, false),
                (1000, false),
                (1000, false),
                (1000, false)
            ]
        );
        assert_eq!(backoff.succeeded(), Some(10));
        assert_eq!(backoff.succeeded(), None);
        assert_eq!(backoff.failed(), (Duration::from_millis(10), true));
    }

    #[test]
    fn the_busy_answer_states_its_length() {
        let text = std::str::from_utf8(BUSY_ANSWER).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains(&format!("Content-Length: {}", body.len())),
            "{head}"
        );
        assert!(head.starts_with("HTTP/1.1 503 ") && head.contains("Retry-After: 5"));
    }
}
