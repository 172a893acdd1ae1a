//! The Interleave playground page.
//!
//! Components render; everything else (lesson catalog, the real-threads
//! computation, pool management) is plain Rust in its own module, so it can be
//! read and tested apart from Yew.
//!
//! Invariant: the page's main thread never blocks. Work that takes time runs
//! on the wasm-bindgen-rayon pool (real Web Workers sharing this module's
//! memory), and the page awaits a channel. See `pool.rs`.

mod alloc;
mod app;
mod editor;
mod engine_run;
mod explore;
mod explore_run;
mod lessons;
mod markdown;
mod pool;
mod session;
mod share;
mod timeline;
mod waitfor;

// The pool's workers allocate at the same time; see alloc.rs for why the
// page puts a per-thread cache in front of the shared allocator.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOC: alloc::ThreadCache = alloc::ThreadCache;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
