//! Prints executions/second and scheduling points/second of the explorer's
//! tree searches (DPOR, and the sleep-set search with a bound) on
//! the litmus programs and on dining philosophers (naive, which can
//! deadlock, and with ordered forks), sequentially and on 2 rayon workers.
//!
//! `cargo run --release -p interleave-explorer --example dpor_rate`
//! Figures only: nothing here asserts a speed.

use std::time::Instant;

use interleave_explorer::{explore, Options, Report};

#[path = "common/programs.rs"]
mod programs;
use programs::philosophers_python;

const COUNTER: &str = "import threading\ncounter = 0\ndef work():\n    global counter\n    for _ in range(2):\n        tmp = counter\n        counter = tmp + 1\nt1 = threading.Thread(target=work)\nt2 = threading.Thread(target=work)\nt1.start()\nt2.start()\nt1.join()\nt2.join()\nprint(counter)\n";

fn timed(src: &str, opts: &Options, jobs: usize) -> (Report, f64) {
    let program = interleave_engine::compile(src, "main.py").expect("bench programs compile");
    let t = Instant::now();
    let r = if jobs > 1 {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().expect("pool");
        pool.install(|| explore(&program, &Options { parallel: true, ..opts.clone() }, None))
    } else {
        explore(&program, opts, None)
    };
    (r, t.elapsed().as_secs_f64())
}

fn row(name: &str, src: &str, opts: &Options) {
    let (r1, t1) = timed(src, opts, 1);
    let (r2, t2) = timed(src, opts, 2);
    let same = r1.outcomes == r2.outcomes || !r1.complete;
    println!(
        "{name:<28} {:>8} exec {:>9} points {:>3} outcomes {:>2} deadlocks {:<10} seq {:>9.0} exec/s {:>10.0} points/s | 2 jobs {:>9.0} exec/s speedup {:.2}{}",
        r1.executions,
        r1.states,
        r1.outcomes.len(),
        r1.deadlocks.len(),
        if r1.complete { "complete".to_string() } else { r1.stopped_by.join("+") },
        r1.executions as f64 / t1,
        r1.states as f64 / t1,
        r2.executions as f64 / t2,
        t1 / t2,
        if same { "" } else { "  (DIFFERENT RESULTS)" }
    );
}

fn main() {
    // Executions per second are the tree searches' measure: the state
    // graph (the default) counts schedules without running them.
    let full = Options { max_executions: None, state_graph: false, ..Options::default() };
    row("counter 2x2 (exhaustive)", COUNTER, &full);
    for n in 3..=5 {
        let bounded = Options { preemption_bound: Some(2), max_executions: Some(200_000), state_graph: false, ..Options::default() };
        row(&format!("philosophers naive N={n} K=2"), &philosophers_python(n, false), &bounded);
        row(&format!("philosophers ordered N={n} K=2"), &philosophers_python(n, true), &bounded);
    }
    let exhaustive3 = Options { max_executions: Some(500_000), state_graph: false, ..Options::default() };
    row("philosophers naive N=3", &philosophers_python(3, false), &exhaustive3);
    row("philosophers ordered N=3", &philosophers_python(3, true), &exhaustive3);
}
