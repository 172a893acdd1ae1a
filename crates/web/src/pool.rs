//! The page's pool of real threads: Web Workers running this same wasm module
//! on one shared memory (a `SharedArrayBuffer`), driven by rayon through
//! wasm-bindgen-rayon.
//!
//! Three rules keep the page alive:
//! - The pool is started once per page (`init_thread_pool` must not be
//!   called twice), so its promise is cached and awaited by everyone.
//! - The main thread never waits on a lock or a rayon join: work is handed to
//!   the pool with `rayon::spawn`, and the page awaits a oneshot channel
//!   that the worker completes.
//! - Shared memory exists only on a cross-origin isolated page (COOP
//!   `same-origin` + COEP `require-corp`). Without it the pool cannot start,
//!   and the page says so instead of failing silently.

use std::cell::RefCell;

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    static POOL: RefCell<Option<(Promise, usize)>> = const { RefCell::new(None) };
}

/// Whether the page may use shared memory (`self.crossOriginIsolated`).
pub fn cross_origin_isolated() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("crossOriginIsolated"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Logical processors the browser reports (`navigator.hardwareConcurrency`).
pub fn hardware_concurrency() -> usize {
    web_sys::window()
        .map(|w| w.navigator().hardware_concurrency() as usize)
        .filter(|&n| n > 0)
        .unwrap_or(2)
}

/// Starts the pool with one worker per logical processor (once), and resolves
/// to the number of workers.
pub async fn ensure_pool() -> Result<usize, String> {
    if !cross_origin_isolated() {
        return Err("This page is not cross-origin isolated, so browsers do not give it shared memory \
                    (SharedArrayBuffer) and it cannot start real threads."
            .into());
    }
    let (promise, threads) = POOL.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| {
                let threads = hardware_concurrency();
                (wasm_bindgen_rayon::init_thread_pool(threads), threads)
            })
            .clone()
    });
    JsFuture::from(promise)
        .await
        .map(|_| threads)
        .map_err(|e| format!("The thread pool did not start: {}", describe(&e)))
}

/// Runs `work` on a worker of the pool and awaits its result without blocking
/// the page.
pub async fn on_pool<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let (tx, rx) = futures_channel::oneshot::channel();
    rayon::spawn(move || {
        let _ = tx.send(work());
    });
    rx.await.map_err(|_| "the worker ended without an answer".to_string())
}

/// Resolves after `ms` milliseconds (a `setTimeout`), for polling from the
/// page's main thread without blocking it.
pub async fn sleep_ms(ms: i32) {
    let promise = Promise::new(&mut |resolve, _reject| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Milliseconds on a clock that all workers share. `performance.now()` alone
/// counts from each worker's own start, so it is offset by `timeOrigin`.
pub fn now_ms() -> f64 {
    let global = js_sys::global();
    let Some(perf) = Reflect::get(&global, &JsValue::from_str("performance")).ok() else {
        return js_sys::Date::now();
    };
    let origin = Reflect::get(&perf, &JsValue::from_str("timeOrigin")).ok().and_then(|v| v.as_f64());
    let now = Reflect::get(&perf, &JsValue::from_str("now"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&perf).ok())
        .and_then(|v| v.as_f64());
    match (origin, now) {
        (Some(origin), Some(now)) => origin + now,
        _ => js_sys::Date::now(),
    }
}

fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
