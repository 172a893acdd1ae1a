//! The explorer against two reference tools, side by side, in one run:
//! loom (Rust's model checker for concurrent code) and Spin (the classic
//! explicit-state model checker, Promela models compiled to C).
//!
//! `cargo run --release -p interleave-explorer --example bench_reference [-- --quick] [--no-loom] [--no-spin]`
//!
//! Figures only: nothing here asserts a speed. Every ratio divides two
//! figures measured in this same run, on this machine, at this moment, so
//! a busy machine slows both sides alike.
//!
//! # What is compared, and why it is not always the same thing
//!
//! - **Executions per second, against loom.** loom and our DPOR search
//!   both run a program again and again, one schedule per run, choosing
//!   the schedules with a partial-order reduction, and neither stores
//!   states. An *execution* (one complete run of the program) is the unit
//!   both count, so executions per second is a like-for-like rate. The
//!   counts differ, because each tool's reduction and granularity decide
//!   how many executions cover a program: loom treats `Arc` reference
//!   counts, spawns and joins as operations to interleave; we interleave
//!   Python's visible ops. Our default search, the state graph, runs no
//!   executions one by one (it counts every schedule from the graph of
//!   states), so its row gives the time to a complete answer, which the
//!   table compares with loom's. loom's side is the standalone crate
//!   `bench/loom` (not in the workspace), built and run from here. Our
//!   DPOR searches take milliseconds, so each is timed as the mean of
//!   repetitions over a quarter of a second after one untimed run (see
//!   `ours_rate`); loom's tests take tenths of a second and are timed
//!   once, as loom reports them. Both run with the same allocator as
//!   their binaries (ours: mimalloc, as `interleave`).
//! - **States per second, against Spin.** Spin hashes every global state
//!   and stores each distinct one once ("states, stored"); it also reports
//!   "transitions", the states it reached including those it had already
//!   stored. Our state-graph search does the same with its fingerprints
//!   (a hash of the whole machine, canonical up to heap ids): each distinct
//!   state is stored and expanded once ([`Report::distinct_states`]), and
//!   its `states` are the transitions out of them. The goal compares
//!   distinct states per second with Spin's stored states per second. One
//!   difference remains: a Promela state is a few dozen bytes, ours a
//!   whole Python interpreter with a heap, and our granularity (visible
//!   ops) is finer than a Promela statement, so we have more states.
//! - **Time to the first deadlock.** Spin stops at its first error by
//!   default (`./pan`, that is `-c1`); the time is the wall time of that run.
//!   loom panics at the first deadlock. Our explorer has no "stop at the
//!   first deadlock" switch, so the time is measured with the executions
//!   budget: the sequential depth-first search is deterministic, so the
//!   smallest `max_executions` whose report lists a deadlock (found by
//!   doubling, then bisection) is the index of the execution that first
//!   deadlocks, and the wall time of a search with exactly that budget is
//!   the time it takes to find it.
//! - **Full exploration.** Spin: `./pan -c0`, which does not stop at
//!   errors and so explores the whole (reduced) state space, counting the
//!   deadlocks (invalid end states) it meets. Ours: an exhaustive search
//!   with no preemption bound, capped at a number of executions so that a
//!   case stays within seconds; a capped case prints `>` before its time,
//!   which is then the time to the cap, not to a full exploration.
//! - **Parallel search.** 2 rayon workers against the sequential search
//!   and against the parallel search on 1 worker (which shows the cost of
//!   the split itself), natively. Each is the best of a few runs that
//!   alternate between the three (see the section's comment).
//!
//! # The programs
//!
//! Counters: T threads each do I increments of a global with a separate
//! load and store (`tmp = counter; counter = tmp + 1`), so updates can be
//! lost; the lock variant does the same inside `with lock:`.
//! Dining philosophers: N philosophers, N forks (locks); philosopher i
//! takes fork `first`, then fork `second`, then releases both, the second
//! first (Python's nested `with`). Naive: first = left = i, second = right
//! = (i+1) mod N, which can deadlock. Ordered: the lower-numbered fork of
//! the two first, which cannot. The main thread starts the philosophers
//! one by one and then waits for all of them. The Promela model is written
//! from the same description (see `bench/spin/README.md`): a fork is a bit,
//! taking it is `atomic { fork[f] == 0 -> fork[f] = 1 }` (a blocking
//! acquire), the main process `run`s each philosopher in turn (not in one
//! atomic step, as Python's `start()` calls are separate steps) and then
//! waits for `_nr_pr == 1` (every philosopher has ended).
//!
//! Spin is compiled with `-DSAFETY` (no cycle detection, which deadlock
//! checking does not need), once with its partial-order reduction (the
//! default) and once with `-DNOREDUCE`; invalid end states (deadlocks) are
//! checked by default. Its defaults otherwise: hash table `-w24` (128 MB,
//! allocated and cleared at start, which is most of the wall time of a
//! small model), depth limit `-m10000` (the run is marked incomplete if it
//! is reached).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use interleave_engine::Program;
use interleave_explorer::{explore, Options, Report};

// The allocator of the `interleave` binary (see crates/companion/src/main.rs),
// so that these figures are the ones `interleave explore` gives.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "common/programs.rs"]
mod programs;
use programs::{forks, philosophers_python};

/// Sizes of the run: `--quick` keeps it to a minute or two.
struct Plan {
    quick: bool,
    loom: bool,
    spin: bool,
    /// Executions cap of each of our exhaustive searches.
    cap: u64,
    /// Our philosophers are run for N = 3 and up to this, growing N while
    /// the previous N's full exploration took less than `ours_grow_below`
    /// seconds ("and beyond as far as it goes", as Spin's are).
    ours_max_n: usize,
    ours_grow_below: f64,
    /// Spin goes on to larger N while the previous N's full exploration
    /// took less than this many seconds (each N costs a few times more).
    spin_grow_below: f64,
    spin_max_n: usize,
    /// Budget of the first-deadlock bisection, in seconds.
    probe_seconds: f64,
}

fn plan() -> Plan {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let has = |a: &str| args.iter().any(|x| x == a);
    let quick = has("--quick");
    Plan {
        quick,
        loom: !has("--no-loom"),
        spin: !has("--no-spin"),
        cap: if quick { 5_000 } else { 50_000 },
        ours_max_n: if quick { 5 } else { 9 },
        ours_grow_below: if quick { 0.5 } else { 3.0 },
        spin_grow_below: if quick { 0.5 } else { 3.0 },
        spin_max_n: if quick { 4 } else { 12 },
        probe_seconds: if quick { 3.0 } else { 20.0 },
    }
}

// ---------------------------------------------------------------- programs

fn counter_program(threads: usize, increments: usize, lock: bool) -> String {
    let mut s = String::from("import threading\ncounter = 0\n");
    if lock {
        s.push_str("lock = threading.Lock()\n");
    }
    s.push_str(&format!("def work():\n    global counter\n    for _ in range({increments}):\n"));
    if lock {
        s.push_str("        with lock:\n            tmp = counter\n            counter = tmp + 1\n");
    } else {
        s.push_str("        tmp = counter\n        counter = tmp + 1\n");
    }
    for i in 1..=threads {
        s.push_str(&format!("t{i} = threading.Thread(target=work)\n"));
    }
    for i in 1..=threads {
        s.push_str(&format!("t{i}.start()\n"));
    }
    for i in 1..=threads {
        s.push_str(&format!("t{i}.join()\n"));
    }
    s.push_str("print(counter)\n");
    s
}

/// The Promela model of the same program (see the module docs).
fn philosophers_promela(n: usize, ordered: bool) -> String {
    let kind = if ordered { "ordered forks: lower index first" } else { "naive: left fork then right fork" };
    let mut s = format!("/* Dining philosophers, N = {n}, {kind}. Generated by crates/explorer/examples/bench_reference.rs. */\n");
    s.push_str(&format!("bit fork[{n}];\n\n"));
    s.push_str(
        "proctype phil(byte first; byte second) {\n\
         \x20   atomic { fork[first] == 0 -> fork[first] = 1 };   /* with forks[first]: */\n\
         \x20   atomic { fork[second] == 0 -> fork[second] = 1 }; /* with forks[second]: */\n\
         \x20   fork[second] = 0;\n\
         \x20   fork[first] = 0\n\
         }\n\ninit {\n",
    );
    for i in 0..n {
        let (a, b) = forks(i, n, ordered);
        s.push_str(&format!("    run phil({a}, {b});\n"));
    }
    s.push_str("    _nr_pr == 1;   /* every philosopher has ended: the joins */\n    printf(\"all ate\\n\")\n}\n");
    s
}

fn compile(src: &str) -> Program {
    interleave_engine::compile(src, "main.py").expect("bench programs compile")
}

// ---------------------------------------------------------------- our explorer

struct Ours {
    report: Report,
    seconds: f64,
}

impl Ours {
    /// The executions column: run executions, or (state graph) the
    /// schedules it counted without running them one by one.
    fn executions_cell(&self) -> String {
        if self.report.counts_saturated {
            // More schedules than a u64 holds.
            ">1.8e19 sched.".to_string()
        } else if self.report.schedules_counted {
            format!("{:.2e} sched.", self.report.executions as f64)
        } else {
            self.report.executions.to_string()
        }
    }
    fn exec_rate(&self) -> f64 {
        self.report.executions as f64 / self.seconds
    }
    fn point_rate(&self) -> f64 {
        self.report.states as f64 / self.seconds
    }
    /// Distinct states (by fingerprint) per second.
    fn distinct_rate(&self) -> f64 {
        self.report.distinct_states.unwrap_or(0) as f64 / self.seconds
    }
    fn states_cell(&self) -> String {
        if self.report.schedules_counted {
            return format!("{} distinct, {} trans", self.report.distinct_states.unwrap_or(0), self.report.states);
        }
        match self.report.distinct_states {
            Some(d) => format!("{d} distinct, {} points", self.report.states),
            None => format!("{} points", self.report.states),
        }
    }
    /// The full-exploration time, with `>` when a cap cut the search.
    fn full_time(&self) -> String {
        if self.report.complete {
            format!("{:.3}", self.seconds)
        } else {
            format!(">{:.3} ({})", self.seconds, self.report.stopped_by.join("+"))
        }
    }
}

/// One search on `workers` rayon workers (0: the sequential search, no pool).
fn ours(program: &Program, opts: &Options, workers: usize) -> Ours {
    let t = Instant::now();
    let report = if workers == 0 {
        explore(program, opts, None)
    } else {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(workers).build().expect("rayon pool");
        pool.install(|| explore(program, &Options { parallel: true, ..opts.clone() }, None))
    };
    Ours { report, seconds: t.elapsed().as_secs_f64() }
}

/// [`ours`] for a rate: a search that ends within milliseconds is timed
/// as the mean of as many repetitions as fill a quarter of a second, after
/// one untimed run. A single run of such a search measures mostly what the
/// process does once (the library modules' first compile, first-touch page
/// faults) and the timer's noise, not the search.
fn ours_rate(program: &Program, opts: &Options) -> Ours {
    let first = ours(program, opts, 0);
    if first.seconds >= 0.25 {
        return first;
    }
    let (mut runs, started) = (0u32, Instant::now());
    let mut last = first;
    while runs == 0 || started.elapsed().as_secs_f64() < 0.25 {
        last = ours(program, opts, 0);
        runs += 1;
    }
    Ours { seconds: started.elapsed().as_secs_f64() / runs as f64, report: last.report }
}

/// What the first-deadlock measurement found.
enum FirstDeadlock {
    /// The `index`-th execution is the first to deadlock; a search with
    /// exactly that budget took `seconds`. Not `exact` when the bisection
    /// ran out of time: then `index` is an upper bound.
    Found { index: u64, seconds: f64, exact: bool },
    /// The full search found none (the program cannot deadlock).
    None,
    /// None within `cap` executions.
    NotWithin { cap: u64 },
}

impl FirstDeadlock {
    fn cell(&self) -> String {
        match self {
            FirstDeadlock::Found { index, seconds, exact: true } => format!("{seconds:.4} (exec #{index})"),
            FirstDeadlock::Found { index, seconds, exact: false } => format!("{seconds:.4} (exec <={index})"),
            FirstDeadlock::None => "- (none exists)".into(),
            FirstDeadlock::NotWithin { cap } => format!("none in {cap} exec"),
        }
    }
}

/// The time to the first deadlock of the sequential search, through the
/// executions budget (see the module docs for why this is exact). `full`
/// is the capped full search of the same program and options, which says
/// whether there is a deadlock to look for within the cap.
fn first_deadlock(program: &Program, opts: &Options, full: &Ours, plan: &Plan) -> FirstDeadlock {
    if full.report.deadlocks.is_empty() {
        return if full.report.complete { FirstDeadlock::None } else { FirstDeadlock::NotWithin { cap: full.report.executions } };
    }
    let with_budget = |b: u64| ours(program, &Options { max_executions: Some(b), ..opts.clone() }, 0);
    let started = Instant::now();
    // Doubling: the smallest power of two whose search deadlocks (the
    // full search, which found one, bounds it).
    let mut budget = 1;
    let found = loop {
        if budget >= full.report.executions {
            budget = full.report.executions;
            break with_budget(budget);
        }
        let run = with_budget(budget);
        if !run.report.deadlocks.is_empty() {
            break run;
        }
        budget *= 2;
    };
    // Bisection between budget/2 (no deadlock) and budget (a deadlock).
    let (mut lo, mut hi, mut best) = (budget / 2, budget, found);
    while lo + 1 < hi && started.elapsed().as_secs_f64() < plan.probe_seconds {
        let mid = lo + (hi - lo) / 2;
        let run = with_budget(mid);
        if run.report.deadlocks.is_empty() {
            lo = mid;
        } else {
            hi = mid;
            best = run;
        }
    }
    FirstDeadlock::Found { index: hi, seconds: best.seconds, exact: lo + 1 >= hi }
}

// ---------------------------------------------------------------- loom

struct LoomLine {
    test: String,
    executions: u64,
    seconds: f64,
    result: String,
}

/// Builds and runs `bench/loom` (its own workspace; cargo honours
/// CARGO_TARGET_DIR), returning its result lines, or why it could not.
fn run_loom(plan: &Plan) -> Result<(String, Vec<LoomLine>), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = root.join("bench/loom/Cargo.toml");
    let mut cmd = Command::new(cargo);
    cmd.args(["run", "--quiet", "--release", "--manifest-path"]).arg(&manifest).arg("--");
    cmd.args(["--max-executions", &plan.cap.to_string()]);
    if plan.quick {
        cmd.arg("--quick");
    }
    let out = cmd.output().map_err(|e| format!("cannot run cargo for bench/loom: {e}"))?;
    if !out.status.success() {
        return Err(format!("bench/loom failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let settings = text.lines().find(|l| l.starts_with("loom settings:")).unwrap_or("").to_string();
    let lines = text
        .lines()
        .filter_map(|l| l.strip_prefix("loom "))
        .filter_map(|l| {
            let field = |k: &str| l.split_whitespace().find_map(|w| w.strip_prefix(k)).map(str::to_string);
            Some(LoomLine {
                test: field("test=")?,
                executions: field("executions=")?.parse().ok()?,
                seconds: field("seconds=")?.parse().ok()?,
                result: field("result=")?,
            })
        })
        .collect();
    Ok((settings, lines))
}

// ---------------------------------------------------------------- spin

struct Pan {
    stored: f64,
    transitions: f64,
    errors: u64,
    /// pan's own clock (coarse: 0 for tiny models).
    pan_seconds: f64,
    /// Wall time of the pan process, start-up (the hash table) included.
    wall: f64,
    /// False if pan stopped early (at an error, or at the depth limit).
    complete: bool,
    depth_limited: bool,
}

/// Writes the model, runs `spin -a` and gcc; returns pan's path and the
/// seconds that took.
fn build_pan(dir: &Path, name: &str, model: &str, noreduce: bool) -> Result<(PathBuf, f64), String> {
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).map_err(|e| e.to_string())?;
    std::fs::write(sub.join("model.pml"), model).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let ok = |c: &mut Command, what: &str| -> Result<(), String> {
        let o = c.current_dir(&sub).output().map_err(|e| format!("{what}: {e}"))?;
        if o.status.success() {
            Ok(())
        } else {
            Err(format!("{what} failed: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
        }
    };
    ok(Command::new("spin").args(["-a", "model.pml"]), "spin -a")?;
    let mut gcc = Command::new("gcc");
    gcc.args(["-O2", "-DSAFETY"]);
    if noreduce {
        gcc.arg("-DNOREDUCE");
    }
    ok(gcc.args(["-o", "pan", "pan.c"]), "gcc")?;
    Ok((sub.join("pan"), t.elapsed().as_secs_f64()))
}

fn run_pan(pan: &Path, args: &[&str]) -> Result<Pan, String> {
    let t = Instant::now();
    let o = Command::new(pan).args(args).current_dir(pan.parent().unwrap()).output().map_err(|e| format!("pan: {e}"))?;
    let wall = t.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&o.stdout);
    // pan prints counts as "   116 states, stored" (large ones as 1.8e+08).
    let before = |suffix: &str| -> Option<f64> {
        text.lines().find(|l| l.trim_end().ends_with(suffix))?.split_whitespace().next()?.parse().ok()
    };
    let stored = before("states, stored").ok_or_else(|| format!("pan printed no state count:\n{text}"))?;
    let transitions = text
        .lines()
        .find(|l| l.contains("transitions (= stored+matched)"))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    let errors = text.split("errors: ").nth(1).and_then(|r| r.split_whitespace().next()?.parse().ok()).unwrap_or(0);
    let pan_seconds =
        text.split("pan: elapsed time ").nth(1).and_then(|r| r.split_whitespace().next()?.parse().ok()).unwrap_or(0.0);
    let depth_limited = text.contains("max search depth too small");
    let complete = !text.contains("Search not completed") && !depth_limited;
    Ok(Pan { stored, transitions, errors, pan_seconds, wall, complete, depth_limited })
}

// ---------------------------------------------------------------- the table

/// Column widths of the table.
const W: [usize; 8] = [26, 22, 10, 26, 22, 24, 28, 40];

/// One row of our explorer in the Spin table: counts, times, rates.
fn ours_row(program: &str, tool: &str, o: &Ours, first: &FirstDeadlock) {
    let seen = if o.report.deadlocks.is_empty() { "no deadlock seen".to_string() } else { format!("{} deadlock(s)", o.report.deadlocks.len()) };
    let (points, runs) = if o.report.schedules_counted { ("trans", String::new()) } else { ("points", format!(", {} exec/s", si(o.exec_rate()))) };
    row([
        program,
        tool,
        &o.executions_cell(),
        &o.states_cell(),
        &o.full_time(),
        &first.cell(),
        &format!("{} distinct/s, {} {points}/s", si(o.distinct_rate()), si(o.point_rate())),
        &format!("({seen}{runs})"),
    ]);
}

fn row(cells: [&str; 8]) {
    let mut s = String::new();
    for (c, w) in cells.iter().zip(W) {
        s.push_str(&format!("{c:<w$} "));
    }
    println!("{}", s.trim_end());
}

fn header() {
    row(["program", "tool", "executions", "states (what)", "full exploration (s)", "first deadlock (s)", "rate", "ratio ours / reference"]);
    println!("{}", "-".repeat(W.iter().sum::<usize>() + W.len()));
}

fn si(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2}M", x / 1e6)
    } else if x >= 1e4 {
        format!("{:.1}k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}

/// The machine's load, printed at the start and the end: the rates and
/// above all the parallel speedup mean little on a machine that other work
/// keeps busy, and this says whether it did.
fn load_average() -> String {
    match std::fs::read_to_string("/proc/loadavg") {
        Ok(l) => format!("load average (1, 5, 15 min): {}", l.split_whitespace().take(3).collect::<Vec<_>>().join(" ")),
        Err(_) => "load average: unknown".into(),
    }
}

/// Our full search of the philosophers, run once and printed by both
/// sections.
fn phil_search<'a>(cache: &'a mut HashMap<(bool, usize), Ours>, opts: &Options, ordered: bool, n: usize) -> &'a Ours {
    cache.entry((ordered, n)).or_insert_with(|| ours(&compile(&philosophers_python(n, ordered)), opts, 0))
}

/// A Spin run kept for the goals.
struct SpinRun {
    ordered: bool,
    noreduce: bool,
    n: usize,
    pan: Pan,
}

impl SpinRun {
    /// Stored and reached states per second on pan's own clock when it
    /// measured at least half a second; otherwise on the wall clock, which
    /// then mostly times pan's start-up (`false`).
    fn rates(&self) -> (f64, f64, bool) {
        let steady = self.pan.pan_seconds >= 0.5;
        let t = if steady { self.pan.pan_seconds } else { self.pan.wall };
        (self.pan.stored / t, self.pan.transitions / t, steady)
    }
    fn tool(&self) -> &'static str {
        if self.noreduce {
            "spin -DNOREDUCE"
        } else {
            "spin (POR)"
        }
    }
}

fn kind(ordered: bool) -> &'static str {
    if ordered {
        "ordered"
    } else {
        "naive"
    }
}

fn main() {
    let plan = plan();
    let started = Instant::now();
    println!(
        "Explorer vs loom and Spin ({}). Our explorer: exhaustive, reductions on, no preemption bound unless 'K=2', capped at {} executions a search, 1 core unless said.",
        if plan.quick { "--quick" } else { "full run" },
        plan.cap
    );
    println!("States: ours are distinct states (by fingerprint; the analogue of Spin's 'stored') and scheduling points visited (the same state");
    println!("reached twice counts twice; the analogue of Spin's 'trans', transitions: states reached, stored or matched again). See the module docs.");
    println!("{}\n", load_average());

    // The default exhaustive search: the state graph (each distinct state
    // once, every schedule counted), bounded by its states budget.
    let full = Options { max_executions: Some(plan.cap), ..Options::default() };
    // The tree search that runs executions one by one (DPOR): the one to
    // compare executions per second with loom's, and to time the first
    // deadlock by its executions budget.
    // Like loom, it hashes no states: counting distinct states
    // (`count_states`, on by default for the page's readout) would add a
    // fingerprint per scheduling point that loom has no counterpart of.
    let dpor = Options { state_graph: false, count_states: false, ..full.clone() };
    // The bounded tree search (sleep sets), which runs its executions one
    // by one, so its first deadlock can be timed by an executions budget.
    // (The default search with a bound is the state graph, which does not
    // run executions one by one.)
    let bounded = Options { preemption_bound: Some(2), state_graph: false, ..full.clone() };
    // Our philosophers searches, each run once and printed by both sections.
    let mut phil: HashMap<(bool, usize), Ours> = HashMap::new();

    // ---- executions per second against loom
    let loom = if plan.loom {
        println!("(building and running bench/loom ...)");
        match run_loom(&plan) {
            Ok((settings, lines)) => {
                println!("{settings}\n");
                Some(lines)
            }
            Err(e) => {
                println!("loom skipped: {e}\n");
                None
            }
        }
    } else {
        println!("loom skipped (--no-loom)\n");
        None
    };
    let loom_line = |test: &str| loom.as_ref().and_then(|l| l.iter().find(|x| x.test == test));
    println!("== executions per second against loom (same programs, 1 core each; goal: 10x loom's executions/s)");
    println!("(our executions/s are DPOR's, which runs executions one by one as loom does; the state graph counts schedules without");
    println!(" running them, so its row gives the time to a complete answer instead, against loom's.)");
    header();
    let mut loom_ratios = Vec::new();
    let mut answer_ratios = Vec::new();
    let mut rates_vs_loom = |name: &str, test: &str, o: &Ours, g: &Ours| {
        row([
            name,
            "ours, DPOR",
            &o.report.executions.to_string(),
            &format!("{} points", o.report.states),
            &o.full_time(),
            "",
            &format!("{} exec/s", si(o.exec_rate())),
            "",
        ]);
        row(["", "ours, state graph", &g.executions_cell(), &g.states_cell(), &g.full_time(), "", "", ""]);
        if let Some(l) = loom_line(test) {
            let rate = l.executions as f64 / l.seconds;
            let full = match l.result.as_str() {
                "complete" => format!("{:.3}", l.seconds),
                "capped" => format!(">{:.3} (max_permutations)", l.seconds),
                _ => "- (loom stops at it)".into(),
            };
            let first = match l.result.as_str() {
                "deadlock" => format!("{:.4} (exec #{})", l.seconds, l.executions),
                "capped" if test.contains("naive") => format!("none in {} exec", l.executions),
                _ => String::new(),
            };
            let ratio = o.exec_rate() / rate;
            loom_ratios.push((name.to_string(), ratio));
            // Both complete: who answers "every outcome" sooner.
            let sooner = if l.result == "complete" && g.report.complete { Some(l.seconds / g.seconds) } else { None };
            if let Some(x) = sooner {
                answer_ratios.push((name.to_string(), x));
            }
            let sooner_cell = sooner.map(|x| format!("; graph answers {x:.2}x sooner")).unwrap_or_default();
            row(["", "loom", &l.executions.to_string(), "- (not counted)", &full, &first, &format!("{} exec/s", si(rate)), &format!("{ratio:.2}x exec/s{sooner_cell}")]);
        }
    };
    let counters: [(&str, &str, usize, usize, bool); 3] = [
        ("counter 2 threads x 2", "counter_2x2", 2, 2, false),
        ("counter 3 threads x 1", "counter_3x1", 3, 1, false),
        ("counter lock 2 x 2", "counter_lock_2x2", 2, 2, true),
    ];
    for (name, test, threads, increments, lock) in counters {
        let program = compile(&counter_program(threads, increments, lock));
        let (o, g) = (ours_rate(&program, &dpor), ours(&program, &full, 0));
        rates_vs_loom(name, test, &o, &g);
    }
    // loom's max_threads (5, the main thread included) allows N <= 4.
    let loom_max_n = if plan.quick { 3 } else { 4 };
    for n in 3..=loom_max_n {
        for ordered in [true, false] {
            let o = ours_rate(&compile(&philosophers_python(n, ordered)), &dpor);
            let g = phil_search(&mut phil, &full, ordered, n);
            rates_vs_loom(&format!("philosophers {} N={n}", kind(ordered)), &format!("philosophers_{}_{n}", kind(ordered)), &o, g);
        }
    }
    println!("(loom's naive philosophers end at loom's first deadlock: its count and rate there cover the executions up to it.)\n");

    // ---- philosophers against Spin
    println!("== dining philosophers against Spin (one core each; goal: our distinct states/s at least Spin's stored states/s)");
    let spin_ok = plan.spin && Command::new("spin").arg("-V").output().map(|o| o.status.success()).unwrap_or(false);
    if !plan.spin {
        println!("Spin skipped (--no-spin)");
    } else if !spin_ok {
        println!("Spin skipped: no `spin` on PATH (Debian: apt-get install spin; `cargo xtask bench` installs it)");
    }
    let dir = std::env::temp_dir().join(format!("interleave-bench-spin-{}", std::process::id()));
    // Per variant (ordered or not), the largest N we explored.
    let mut ours_largest: HashMap<bool, usize> = HashMap::new();
    header();
    let mut spin_runs: Vec<SpinRun> = Vec::new();
    for ordered in [false, true] {
        let kind = kind(ordered);
        // Wall time of the previous N's full exploration, per variant.
        let mut spin_last = [0.0f64; 2];
        let mut ours_last = 0.0f64;
        for n in 3..=plan.ours_max_n.max(plan.spin_max_n) {
            let name = format!("philosophers {kind} N={n}");
            let mut ours_rate = None;
            // The program's name starts its first row only.
            let mut named = false;
            // Grow N while the previous N was quick (see Plan).
            if n <= plan.ours_max_n && (n <= 6 || ours_last < plan.ours_grow_below) {
                named = true;
                let program = compile(&philosophers_python(n, ordered));
                let o = phil_search(&mut phil, &full, ordered, n);
                ours_last = o.seconds;
                ours_largest.insert(ordered, n);
                // The first deadlock, by DPOR's executions budget (the
                // state graph's order of search is the same depth-first one).
                let first = if o.report.deadlocks.is_empty() && o.report.complete {
                    FirstDeadlock::None
                } else {
                    first_deadlock(&program, &dpor, &ours(&program, &dpor, 0), &plan)
                };
                ours_row(&name, "ours, state graph", o, &first);
                ours_rate = Some((o.distinct_rate(), o.point_rate()));
                if !ordered {
                    // The bounded search is how the explorer is meant to
                    // find deadlocks fast; it is not a full exploration.
                    let k = ours(&program, &bounded, 0);
                    let first = first_deadlock(&program, &bounded, &k, &plan);
                    ours_row("", "ours, K=2, sleep sets", &k, &first);
                }
            }
            if !spin_ok {
                continue;
            }
            for (i, noreduce) in [false, true].into_iter().enumerate() {
                // Grow N while the previous N was quick (see Plan).
                if n > plan.spin_max_n || spin_last[i].is_nan() || (n > 3 && spin_last[i] >= plan.spin_grow_below) {
                    continue;
                }
                let sub = format!("{kind}-{n}-{}", if noreduce { "noreduce" } else { "por" });
                let measured = build_pan(&dir, &sub, &philosophers_promela(n, ordered), noreduce)
                    .and_then(|(pan, _)| Ok((run_pan(&pan, &["-c0"])?, run_pan(&pan, &[])?)));
                let (full_run, first_run) = match measured {
                    Ok(x) => x,
                    Err(e) => {
                        println!("{name}: spin: {e}");
                        spin_last[i] = f64::NAN;
                        continue;
                    }
                };
                spin_last[i] = full_run.wall;
                let full_cell = if full_run.complete {
                    format!("{:.3} (pan: {})", full_run.wall, full_run.pan_seconds)
                } else if full_run.depth_limited {
                    format!(">{:.3} (depth limit)", full_run.wall)
                } else {
                    format!(">{:.3}", full_run.wall)
                };
                let first_cell = if full_run.errors == 0 {
                    "- (none exists)".to_string()
                } else {
                    format!("{:.4} ({} stored)", first_run.wall, first_run.stored)
                };
                let run = SpinRun { ordered, noreduce, n, pan: full_run };
                let (stored_rate, trans_rate, steady) = run.rates();
                let rate = if steady {
                    format!("{} stored/s {} trans/s", si(stored_rate), si(trans_rate))
                } else {
                    format!("{} stored/s (start-up)", si(stored_rate))
                };
                let ratio = match ours_rate {
                    Some((d, p)) if steady => format!("distinct/stored {:.2}x, points/trans {:.2}x", d / stored_rate, p / trans_rate),
                    Some((d, _)) => format!("distinct/stored {:.0}x (Spin start-up bound)", d / stored_rate),
                    None => String::new(),
                };
                row([
                    if named { "" } else { &name },
                    run.tool(),
                    "-",
                    &format!("{} stored, {} trans", run.pan.stored, run.pan.transitions),
                    &full_cell,
                    &first_cell,
                    &rate,
                    &ratio,
                ]);
                spin_runs.push(run);
                named = true;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("(Spin's times are wall times of the pan process, start-up included (mostly clearing its 128 MB hash table); 'pan:' is pan's");
    println!(" own clock. Spin's rates use pan's clock when it read >= 0.5 s; below that they are start-up bound and understate Spin.");
    println!(" Spin's first deadlock: plain ./pan, which stops at its first error; full: ./pan -c0, which does not stop at errors.");
    println!(" Ours: first deadlock by bisecting the executions budget (module docs); '>' marks a search cut by the executions cap.)\n");

    // ---- parallel speedup
    // Searches of a few tenths of a second, each timed as the best of a
    // few runs that alternate between sequential, 1 worker and 2: on a
    // machine shared with other work the fastest run is the one least
    // disturbed, and alternating spreads any disturbance over all three.
    // A quick run measures the same searches, fewer times: searches of a
    // few hundredths of a second (five philosophers) measured the fixed
    // costs of a search (its pool, a booted machine per worker, the
    // sequential steps before the first branching), 1.4-1.55x, not the
    // split of the work.
    let (pn, ci, reps) = if plan.quick { (6, 3, 2) } else { (6, 3, 5) };
    println!("== parallel search (the state graph): 2 rayon workers against 1 (goal: 1.7x over the sequential search; best of {reps} alternating runs each)");
    let cases: Vec<(String, String)> = vec![
        (format!("counter 3 threads x {ci}"), counter_program(3, ci, false)),
        (format!("philosophers ordered N={pn}"), philosophers_python(pn, true)),
        (format!("philosophers naive N={pn}"), philosophers_python(pn, false)),
    ];
    println!(
        "{:<28} {:>10} {:>14} {:>14} {:>14} {:>16} {:>16}  results",
        "program", "states", "seq states/s", "1 worker", "2 workers", "2w / sequential", "2w / 1 worker"
    );
    let mut speedups = Vec::new();
    for (name, src) in &cases {
        let program = compile(src);
        let best = |a: Ours, b: Ours| if b.seconds < a.seconds { b } else { a };
        let (mut seq, mut one, mut two) = (ours(&program, &full, 0), ours(&program, &full, 1), ours(&program, &full, 2));
        for _ in 1..reps {
            seq = best(seq, ours(&program, &full, 0));
            one = best(one, ours(&program, &full, 1));
            two = best(two, ours(&program, &full, 2));
        }
        // Distinct states per second: a search cut by its states budget
        // stores the same number of states on 1 and 2 workers, a complete
        // one the same states; either way the rate ratio is the time ratio.
        let s = two.distinct_rate() / seq.distinct_rate();
        speedups.push((name.clone(), s));
        let same = if seq.report.complete && two.report.complete {
            if seq.report.outcomes == two.report.outcomes && seq.report.executions == two.report.executions {
                "same as sequential"
            } else {
                "DIFFERENT from sequential"
            }
        } else {
            "capped (not compared)"
        };
        println!(
            "{name:<28} {:>10} {:>14} {:>14} {:>14} {:>15.2}x {:>15.2}x  {same}",
            seq.report.distinct_states.unwrap_or(0),
            si(seq.distinct_rate()),
            si(one.distinct_rate()),
            si(two.distinct_rate()),
            s,
            two.distinct_rate() / one.distinct_rate()
        );
    }
    println!(
        "(rates are distinct states/s; {} cores available to this process, shared with whatever else runs: the speedup needs 2 idle ones.)\n",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    );

    // ---- goals
    println!("== goals (figures from this run)");
    for (name, r) in &loom_ratios {
        println!("  10x loom's exec/s     {name:<28} ours/loom {r:>6.2}x  {}", if *r >= 10.0 { "met" } else { "not met" });
    }
    for (name, r) in &answer_ratios {
        println!("  (time to a complete answer, state graph vs loom: {name:<28} {r:.2}x sooner; not the goal's measure)");
    }
    // Spin's rate is compared at the largest N it ran (its steadiest
    // figure), against ours at our largest N: both are per-state rates at
    // the sizes where each tool's fixed costs matter least.
    for ordered in [false, true] {
        let Some(&ours_n) = ours_largest.get(&ordered) else { continue };
        let Some(o) = phil.get(&(ordered, ours_n)) else { continue };
        for noreduce in [false, true] {
            let Some(s) = spin_runs.iter().filter(|r| r.ordered == ordered && r.noreduce == noreduce).max_by_key(|r| r.n) else { continue };
            let (stored, trans, steady) = s.rates();
            let r = o.distinct_rate() / stored;
            let verdict = match (steady, r >= 1.0) {
                (false, _) => "not judged: Spin's run was too short to time (start-up bound)",
                (true, true) => "met",
                (true, false) => "not met",
            };
            println!(
                "  Spin's states/s       philosophers {:<7} ours N={} {} distinct/s vs {} N={} {} stored/s: {r:.2}x; our {} points/s vs its {} trans/s: {:.2}x  {verdict}",
                kind(ordered),
                ours_n,
                si(o.distinct_rate()),
                s.tool(),
                s.n,
                si(stored),
                si(o.point_rate()),
                si(trans),
                o.point_rate() / trans,
            );
        }
    }
    for (name, s) in &speedups {
        println!("  1.7x on 2 workers     {name:<28} 2w/seq {s:>6.2}x  {}", if *s >= 1.7 { "met" } else { "not met" });
    }
    println!("\n{}", load_average());
    println!("total {:.0} s", started.elapsed().as_secs_f64());
}
