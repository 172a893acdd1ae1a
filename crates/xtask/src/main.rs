//! The developer and CI workflow, runnable locally with one command each:
//!
//! - `cargo xtask setup`: install what is missing (idempotent).
//! - `cargo xtask serve [--port N]`: build the page in release mode and serve
//!   it with the companion on http://127.0.0.1:N (default 8080).
//! - `cargo xtask test`: every test: native unit and integration tests, the
//!   engine built for wasm32, the release page, and the browser tests in
//!   headless Chromium against it.
//! - `cargo xtask bench`: benchmark figures (printed, never asserted).
//!
//! Each step says what it does before doing it. Everything is installed from
//! the package registries this project is allowed to use (crates.io, npm,
//! Debian); nothing downloads prebuilt toolchains or browsers.

mod bench_engine;
mod bench_explorer;
mod setup;
mod wasm;
mod steps;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

  setup                 install missing tools (rustup target and rust-src, trunk,
                        wasm-bindgen-cli, node packages, Chromium); idempotent
  build                 setup, then build the page in release mode into dist/
  serve [--port N]      build, then serve the playground on http://127.0.0.1:N (8080)
  test                  setup, then run every test (native, wasm build, browser)
  bench [--quick]       print benchmark figures: real threads (native and in the
                        browser), the engine against CPython, and the explorer
                        against loom and Spin (installs Debian's spin if missing)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::all(),
        Some("build") => setup::all().and_then(|_| steps::build_page()),
        Some("serve") => steps::serve(&args[1..]),
        Some("test") => steps::test_all(),
        Some("bench") => steps::bench(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}
