//! Serving the playground.
//!
//! The page runs real threads on Web Workers that share one
//! `SharedArrayBuffer`, and browsers hand out shared memory only to a
//! cross-origin isolated page. So every response carries
//! `Cross-Origin-Opener-Policy: same-origin` and
//! `Cross-Origin-Embedder-Policy: require-corp`, and `.wasm` files go out as
//! `application/wasm` (required for streaming compilation).
//!
//! The server listens on loopback only and bounds how many requests it
//! handles at once: it is a local companion, never a public server.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use axum::http::{header, HeaderName, HeaderValue};
use axum::Router;
use tower::limit::ConcurrencyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Requests handled at once; more wait their turn.
const MAX_CONCURRENT_REQUESTS: usize = 64;

pub fn main(args: &[String]) -> i32 {
    let parsed = (|| -> Result<(u16, PathBuf), String> {
        let port = match crate::flag_value(args, "--port")? {
            Some(p) => p.parse::<u16>().map_err(|_| format!("--port takes a number from 0 to 65535, not '{p}'"))?,
            None => 8080,
        };
        let dir = PathBuf::from(crate::flag_value(args, "--dir")?.unwrap_or("dist"));
        Ok((port, dir))
    })();
    let (port, dir) = match parsed {
        Ok(v) => v,
        Err(e) => {
            eprintln!("interleave serve: {e}");
            return 2;
        }
    };
    if !dir.join("index.html").is_file() {
        eprintln!(
            "interleave serve: {} has no index.html; build the page first (cargo xtask serve does both)",
            dir.display()
        );
        return 1;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("interleave serve: cannot start the runtime: {e}");
            return 1;
        }
    };
    runtime.block_on(async move {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("interleave serve: cannot listen on {addr}: {e} (is another server on that port? try --port)");
                return 1;
            }
        };
        let bound = listener.local_addr().map(|a| a.port()).unwrap_or(port);
        // Tests and scripts read this line to find the port (with --port 0).
        println!("Interleave is serving {} at http://127.0.0.1:{bound}/", dir.display());
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match axum::serve(listener, router(&dir)).with_graceful_shutdown(shutdown).await {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("interleave serve: {e}");
                1
            }
        }
    })
}

/// The static site at `dir`, with the isolation headers on every response.
pub fn router(dir: &Path) -> Router {
    let always = |name: &'static str, value: &'static str| {
        SetResponseHeaderLayer::overriding(HeaderName::from_static(name), HeaderValue::from_static(value))
    };
    Router::new()
        .fallback_service(ServeDir::new(dir).append_index_html_on_directories(true))
        .layer(always("cross-origin-opener-policy", "same-origin"))
        .layer(always("cross-origin-embedder-policy", "require-corp"))
        .layer(always("cross-origin-resource-policy", "same-origin"))
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(ConcurrencyLimitLayer::new(MAX_CONCURRENT_REQUESTS))
}
