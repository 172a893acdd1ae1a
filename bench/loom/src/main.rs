//! loom's side of the explorer benchmark (`crates/explorer/examples/bench_reference.rs`).
//!
//! loom is the Rust model checker closest to ours: it runs a closure again
//! and again, each time under a different interleaving of its threads, with
//! a dynamic partial-order reduction (DPOR) choosing which interleavings to
//! try. What it counts is *executions* (complete runs of the closure), which
//! is also what our explorer counts, so executions per second is the one
//! figure the two tools share. It hashes no states either.
//!
//! The tests here mirror the Python programs the driver gives our explorer:
//!
//! - `counter_2x2`: two threads each increment a shared counter twice with a
//!   separate load and store (`tmp = counter; counter = tmp + 1`), so updates
//!   can be lost. SeqCst atomics, because the engine's memory is
//!   sequentially consistent: weaker orderings would give loom more to
//!   explore than the Python program has.
//! - `counter_3x1`: three threads, one increment each.
//! - `counter_lock_2x2`: two threads, two increments each under a mutex.
//! - `philosophers_ordered_N`: N threads, each locks its lower-numbered fork
//!   then its higher one, and releases both (no deadlock is possible).
//! - `philosophers_naive_N`: each locks its left fork then its right one.
//!   loom panics at the first deadlock it meets, and that panic cannot
//!   unwind (it aborts the process), so this only gives the time to the
//!   first deadlock, never a full exploration. Each naive test therefore
//!   runs in a child process (this binary with `--only NAME`), whose panic
//!   hook prints the line before the abort.
//!
//! The main thread spawns the workers one by one and joins them in order, as
//! the Python programs do. Executions are counted by a plain std atomic
//! incremented at the top of the model closure; the time is wall time around
//! `Builder::check`. loom's settings are its defaults (printed first), which
//! include no preemption bound unless `LOOM_MAX_PREEMPTIONS` is set.
//!
//! Output: one `loom test=NAME executions=N seconds=S result=R` line per
//! test (the driver parses these), then a readable rate.
//!
//! `cargo run --release --manifest-path bench/loom/Cargo.toml [-- --quick] [--max-executions N]`
//! (`--quick`: philosophers with N = 3 only.)

use std::sync::atomic::{AtomicUsize as StdAtomicUsize, Ordering::Relaxed};
use std::sync::Mutex as Mutex2;
use std::time::Instant;

use loom::sync::atomic::AtomicUsize;
use loom::sync::atomic::Ordering::SeqCst;
use loom::sync::{Arc, Mutex};
use loom::thread;

static EXECUTIONS: StdAtomicUsize = StdAtomicUsize::new(0);

/// `threads` threads, each doing `increments` load-then-store increments.
fn counter(threads: usize, increments: usize) {
    EXECUTIONS.fetch_add(1, Relaxed);
    let counter = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = counter.clone();
            thread::spawn(move || {
                for _ in 0..increments {
                    let tmp = counter.load(SeqCst);
                    counter.store(tmp + 1, SeqCst);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let end = counter.load(SeqCst);
    assert!(end >= 1 && end <= threads * increments);
}

/// `threads` threads, each doing `increments` increments under one mutex.
fn counter_lock(threads: usize, increments: usize) {
    EXECUTIONS.fetch_add(1, Relaxed);
    let counter = Arc::new(Mutex::new(0usize));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = counter.clone();
            thread::spawn(move || {
                for _ in 0..increments {
                    let mut c = counter.lock().unwrap();
                    let tmp = *c;
                    *c = tmp + 1;
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(*counter.lock().unwrap(), threads * increments);
}

/// Dining philosophers: philosopher i takes fork `first` then `second`
/// (left then right when naive, lower index first when ordered), then
/// releases both, inner one first (as Python's nested `with` does).
fn philosophers(n: usize, ordered: bool) {
    EXECUTIONS.fetch_add(1, Relaxed);
    let forks: Arc<Vec<Mutex<()>>> = Arc::new((0..n).map(|_| Mutex::new(())).collect());
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (l, r) = (i, (i + 1) % n);
            let (first, second) = if ordered { (l.min(r), l.max(r)) } else { (l, r) };
            let forks = forks.clone();
            thread::spawn(move || {
                let _a = forks[first].lock().unwrap();
                let _b = forks[second].lock().unwrap();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

/// The running test's name and start, for the panic hook.
static CURRENT: Mutex2<Option<(String, Instant)>> = Mutex2::new(None);

fn report(name: &str, executions: usize, seconds: f64, result: &str) {
    println!("loom test={name} executions={executions} seconds={seconds:.6} result={result}");
    println!("     {name}: {executions} executions in {seconds:.3} s = {:.0} executions/s ({result})", executions as f64 / seconds);
}

/// Runs one model and prints its line. A panic inside the model (loom's
/// deadlock report, or a failed assert) is reported by the panic hook with
/// the executions and the time up to that point; the process then aborts.
fn bench(name: &str, f: impl Fn() + Sync + Send + 'static) {
    EXECUTIONS.store(0, Relaxed);
    let mut builder = loom::model::Builder::new();
    builder.max_permutations = max_executions();
    if builder.max_permutations.is_some() {
        // loom checks max_permutations only every checkpoint_interval
        // executions (20,000 by default); checking every 100 makes the cap
        // bite within 100 executions of where it is set, at the cost of a
        // disabled `tracing` call per 100 executions.
        builder.checkpoint_interval = 100;
    }
    *CURRENT.lock().unwrap() = Some((name.to_string(), Instant::now()));
    let t = Instant::now();
    builder.check(f);
    let seconds = t.elapsed().as_secs_f64();
    *CURRENT.lock().unwrap() = None;
    let executions = EXECUTIONS.load(Relaxed);
    // loom stops when its execution index (counted from 1) reaches the cap
    // at a checkpoint, so with a cap that is a multiple of 100 a capped run
    // has run exactly cap - 1 executions, and a run that got that far
    // without finishing was capped.
    let capped = max_executions().is_some_and(|m| executions + 1 >= m);
    report(name, executions, seconds, if capped { "capped" } else { "complete" });
}

/// `--max-executions N` (a multiple of 100): loom's `max_permutations`,
/// which stops the model after N - 1 executions (reported as `capped`), to
/// keep the run short.
fn max_executions() -> Option<usize> {
    std::env::args().skip_while(|a| a != "--max-executions").nth(1).and_then(|n| n.parse().ok())
}

/// Runs `name` in a child process (this binary with `--only NAME`) and
/// forwards its output: a deadlock aborts the child, not us.
fn in_child(name: &str) {
    let exe = std::env::current_exe().expect("current exe");
    let out = std::process::Command::new(exe).args(["--only", name]).args(std::env::args().skip(1)).output().expect("run child");
    print!("{}", String::from_utf8_lossy(&out.stdout));
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let b = loom::model::Builder::new();
    let only = std::env::args().skip_while(|a| a != "--only").nth(1);
    if only.is_none() {
        println!(
        "loom settings: max_threads={} max_branches={} preemption_bound={:?} max_permutations={:?} max_duration={:?} (loom's defaults, after LOOM_* variables)",
            b.max_threads, b.max_branches, b.preemption_bound, b.max_permutations, b.max_duration
        );
    }
    // The hook reports a panic (loom's deadlock) as the end of the test
    // before the process aborts; loom's own message would only repeat it.
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut cur) = CURRENT.try_lock() {
            if let Some((name, t)) = cur.take() {
                let seconds = t.elapsed().as_secs_f64();
                let what = if info.to_string().contains("deadlock") { "deadlock" } else { "panic" };
                report(&name, EXECUTIONS.load(Relaxed), seconds, what);
                use std::io::Write;
                let _ = std::io::stdout().flush();
            }
        }
    }));
    let max_n = if quick { 3 } else { b.max_threads - 1 };
    let mut tests: Vec<(String, Box<dyn Fn() + Sync + Send>)> = vec![
        ("counter_2x2".into(), Box::new(|| counter(2, 2))),
        ("counter_3x1".into(), Box::new(|| counter(3, 1))),
        ("counter_lock_2x2".into(), Box::new(|| counter_lock(2, 2))),
    ];
    // loom's max_threads (the main thread included) limits N.
    for n in 3..=max_n {
        tests.push((format!("philosophers_ordered_{n}"), Box::new(move || philosophers(n, true))));
        tests.push((format!("philosophers_naive_{n}"), Box::new(move || philosophers(n, false))));
    }
    for (name, f) in tests {
        match &only {
            Some(o) if *o == name => bench(&name, f),
            Some(_) => {}
            None if name.contains("naive") => in_child(&name),
            None => bench(&name, f),
        }
    }
}
