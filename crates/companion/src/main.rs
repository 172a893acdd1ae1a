//! `interleave`: the native companion of the Interleave playground.
//!
//! - `interleave serve` serves the built page (`dist/`) on loopback with the
//!   cross-origin isolation headers that shared memory needs.
//! - `interleave run FILE.py` runs a Python program on the engine natively.
//! - `interleave bench-realthreads` measures the real-threads lesson natively.

mod bench;
mod explore;
mod run;
mod serve;

// The engine and the explorer allocate many small, short-lived objects (a
// snapshot's copied frames, a heap chunk copied on its first write, the
// explorer's per-state lists). mimalloc's thread-local free lists make
// those about a third cheaper than glibc's malloc: `cargo xtask bench`
// (bench_reference) prints the explorer's figures with it. The page's
// wasm build keeps Rust's default allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
usage: interleave <command> [options]

commands:
  serve [--port N] [--dir DIR]   serve the playground on http://127.0.0.1:N (default 8080, dist/)
  run FILE.py [options]          run a Python program on the engine (interleave run --help)
  explore FILE.py [options]      every outcome of a program over all schedules (interleave explore --help)
  bench-realthreads [--increments M] [--workers N]
                                 increments per second of the real-threads lesson, natively
";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|a| a != "serve") {
        quiet_broken_pipe();
    }
    let code = match args.first().map(String::as_str) {
        Some("serve") => serve::main(&args[1..]),
        Some("run") => run::main(&args[1..]),
        Some("explore") => explore::main(&args[1..]),
        Some("bench-realthreads") => bench::main(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            0
        }
        Some(other) => {
            eprintln!("interleave: unknown command '{other}'\n\n{USAGE}");
            2
        }
        None => {
            eprint!("{USAGE}");
            2
        }
    };
    std::process::exit(code);
}

/// Lets a one-shot command (`run`, `explore`) end quietly when the reader
/// of its output goes away (`interleave explore big.py | head`), as Unix
/// tools do: killed by SIGPIPE, where Rust's default (the signal ignored,
/// the write an error) made `println!` panic with a backtrace. `serve`
/// keeps that default: a page that closes its socket mid-answer must not
/// kill the bridge, which handles the error instead.
fn quiet_broken_pipe() {
    #[cfg(unix)]
    {
        extern "C" {
            fn signal(signum: i32, handler: usize) -> usize;
        }
        // SIGPIPE is 13 and SIG_DFL is 0 on every Unix this builds for
        // (Linux, macOS, the BSDs).
        const SIGPIPE: i32 = 13;
        const SIG_DFL: usize = 0;
        // SAFETY: restoring a signal's default disposition at start-up,
        // before any thread exists, touches no Rust state.
        unsafe {
            signal(SIGPIPE, SIG_DFL);
        }
    }
}

/// The value after `flag` in `args`, if `flag` is present.
pub(crate) fn flag_value<'a>(args: &'a [String], flag: &str) -> Result<Option<&'a str>, String> {
    match args.iter().position(|a| a == flag) {
        None => Ok(None),
        Some(i) => args.get(i + 1).map(|v| Some(v.as_str())).ok_or_else(|| format!("{flag} needs a value")),
    }
}
