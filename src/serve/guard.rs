//! What keeps the preview server safe to leave running: a cap on open connections, a time
//! limit for a request's headers, and, when it listens on loopback, a check of the `Host`
//! header, so that a web page on another site cannot read the preview (drafts included)
//! through a DNS name that points to 127.0.0.1 (DNS rebinding).

use std::sync::Arc;
use std::time::Duration;

/// The most connections open at once by default; more wait in the listen queue until one
/// closes.
pub const MAX_CONNECTIONS: usize = 256;
/// How long a client may take, by default, to send a request's headers before its
/// connection is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Whether a request with this `Host` header may be answered by a server listening on
/// loopback at `port`: only the loopback names (`127.0.0.1`, `localhost`, `[::1]`, any
/// `127.x.y.z`), with that port or none.
pub fn host_allowed(host: Option<&str>, port: u16) -> bool {
    let Some(host) = host else {
        // HTTP/1.0 without Host: no name was used, so no other site's name either.
        return true;
    };
    let host = host.trim().to_ascii_lowercase();
    let (name, host_port) = match host.rsplit_once(':') {
        Some((name, p)) if !name.ends_with(':') && p.bytes().all(|b| b.is_ascii_digit()) => {
            (name.to_string(), Some(p.to_string()))
        }
        _ => (host.clone(), None),
    };
    if host_port.is_some_and(|p| p != port.to_string()) {
        return false;
    }
    name == "localhost"
        || name == "[::1]"
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The address of a request's TCP peer, in the request's extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer(pub std::net::SocketAddr);

/// Serves `app` on `listener`: at most `max_connections` at once, each closed when its
/// headers take longer than `header_timeout`. Runs until the runtime stops.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    max_connections: usize,
    header_timeout: Duration,
) {
    let permits = Arc::new(tokio::sync::Semaphore::new(max_connections.max(1)));
    loop {
        // Waiting for a free slot before accepting leaves the extra connections in the
        // kernel's queue instead of holding them open here.
        let Ok(permit) = permits.clone().acquire_owned().await else {
            return;
        };
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of file descriptors and the like: try again shortly.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        // The peer's address rides along with each request (the editor's login limiter and
        // its trust in a loopback proxy's headers need it).
        let service = hyper_util::service::TowerToHyperService::new(
            app.clone().layer(axum::Extension(Peer(peer))),
        );
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_timeout);
            // A closed or timed-out connection is not an error worth reporting.
            let _ = http.serve_connection(io, service).await;
            drop(permit);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_with_the_right_port_are_allowed() {
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "[::1]:1111",
            "127.0.0.2",
            "LOCALHOST",
        ] {
            assert!(host_allowed(Some(host), 1111), "{host}");
        }
        assert!(host_allowed(None, 1111));
    }

    #[test]
    fn other_names_and_ports_are_refused() {
        for host in [
            "evil.example:1111",
            "127.0.0.1.nip.io:1111",
            "localhost:2222",
            "192.168.1.5:1111",
            "[::2]:1111",
            "",
        ] {
            assert!(!host_allowed(Some(host), 1111), "{host}");
        }
    }
}
