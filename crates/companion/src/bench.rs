//! `interleave bench-realthreads`: the real-threads lesson measured natively.
//!
//! It prints increments per second for one thread alone (the reference) and
//! for each variant on N threads, and the ratio of each to the reference, so
//! that the cost of synchronization is a ratio measured in one run. The
//! browser half of the benchmark (`cargo xtask bench`) prints the same table
//! for the page's Web Workers.

use std::time::Instant;

use interleave_realthreads::{self as realthreads, Variant};

pub fn main(args: &[String]) -> i32 {
    let parse = |flag: &str, default: u64| -> Result<u64, String> {
        match crate::flag_value(args, flag)? {
            Some(v) => v.replace('_', "").parse().map_err(|_| format!("{flag} takes a whole number, not '{v}'")),
            None => Ok(default),
        }
    };
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let (increments, workers) = match (parse("--increments", 5_000_000), parse("--workers", cores as u64)) {
        (Ok(m), Ok(n)) if m > 0 && n > 0 => (m, n as usize),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("interleave bench-realthreads: {e}");
            return 2;
        }
        _ => {
            eprintln!("interleave bench-realthreads: --increments and --workers must be positive");
            return 2;
        }
    };
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(workers).build() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("interleave bench-realthreads: cannot start {workers} threads: {e}");
            return 1;
        }
    };
    let origin = Instant::now();
    let now_ms = move || origin.elapsed().as_secs_f64() * 1000.0;

    let reference = realthreads::single_thread(increments, &now_ms);
    let base = reference.increments_per_second();
    println!("native, {workers} threads, {increments} increments per thread");
    println!("{:<34} {:>14} {:>10} {:>14} {:>10}", "variant", "increments/s", "vs 1 thr", "lost", "ms");
    println!(
        "{:<34} {:>14.0} {:>10.2} {:>14} {:>10.1}",
        "one thread alone (reference)", base, 1.0, 0, reference.elapsed_ms
    );
    pool.install(|| {
        for variant in Variant::ALL {
            let r = realthreads::run(variant, workers, increments, &now_ms);
            println!(
                "{:<34} {:>14.0} {:>10.2} {:>14} {:>10.1}",
                variant.title(),
                r.increments_per_second(),
                r.increments_per_second() / base,
                r.lost(),
                r.elapsed_ms
            );
        }
    });
    0
}
