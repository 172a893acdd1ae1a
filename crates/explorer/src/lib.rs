//! Interleave's explorer: a model checker for the engine's programs.
//!
//! Running a racy program once shows one outcome. The explorer runs it
//! under *every* schedule that can make a difference and reports all the
//! outcomes, each with a schedule that reproduces it.
//!
//! # Schedules
//!
//! The engine is deterministic except for one thing: which runnable thread
//! executes the next bytecode op (a *step*). A *schedule* is the sequence of
//! those choices, written compactly as run-length segments `TIDxSTEPS`
//! (`0x12.1x3.0x5`: the main thread ran 12 steps, thread 1 ran 3, then the
//! main thread 5). Given the same program and schedule the engine always
//! does the same thing, so every schedule this crate reports can be
//! replayed with [`interleave_engine::Replay`] or
//! `interleave run FILE.py --schedule S`.
//!
//! # The search
//!
//! The explorer walks the tree of schedules depth-first: at a *scheduling
//! point* (more than one thread could run) it snapshots the machine (a
//! clone), tries one thread, and later comes back to try the others. Trying
//! every thread at every step would be hopeless (a few hundred steps and
//! three threads make more schedules than atoms), so it prunes choices that
//! cannot lead anywhere new, in ways that never lose an outcome:
//!
//! - **Visible operations.** Most steps touch only the running thread's own
//!   frame (its locals, its value stack, constants). Such an *invisible* op
//!   commutes with everything other threads do, so the thread runs through
//!   it without a scheduling point. Only *visible* ops (reading or writing
//!   a global, an attribute, a container; calling anything; acquiring a
//!   lock; printing; starting or ending a thread) are points where another
//!   thread gets a chance. See [`visible`].
//! - **Sleep sets.** If, at some point, the search has explored running
//!   thread A first and is now exploring thread B first, and A's pending
//!   op commutes with B's (say they read different globals), then running
//!   A right after B reaches a state already covered by "A then B". The
//!   search carries A in B's *sleep set* and does not run it again until
//!   something it conflicts with has run. A path on which every enabled
//!   thread sleeps is redundant and is cut ([`Report::sleep_pruned`]).
//! - **Dynamic partial-order reduction** ([`dpor`], the default for an
//!   exhaustive search without a preemption bound): instead of branching
//!   at every visible op and letting sleep sets cut the redundant
//!   branches, it branches only where a race between two threads was seen
//!   on an explored schedule, so the redundant paths are never started.
//! - **Threads that would only block are not offered.** A thread whose
//!   next op certainly blocks (acquiring a held lock, `get` on an empty
//!   queue, joining a live thread...) is not a choice until what it waits
//!   for is free: parking it on the wait queue first reaches nothing new
//!   ([`visible::choices`]).
//! - **A preemption bound** (optional). Switching away from a thread that
//!   could have continued is a *preemption*; switching because a thread
//!   blocked or ended is free. Most concurrency bugs need only one or two
//!   preemptions (the CHESS observation), so bounding them to K makes big
//!   programs tractable. Choices beyond the bound are cut, and the report
//!   then says the search was not complete. Preemptions are counted at
//!   visible ops only (a switch before an invisible op is never needed).
//! - **A budget** of executions, and the engine's per-execution step budget
//!   (an execution that exhausts it is reported as a `budget` outcome).
//! - **Random sampling** ([`Mode::Random`]) for programs too large to
//!   exhaust: N executions with a random thread at each scheduling point;
//!   or **PCT** ([`Mode::Pct`]): random priorities with a few random
//!   priority drops, which finds shallow bugs in long runs far more often.
//!
//! The reduction makes two assumptions, both about things CPython itself
//! does not keep stable from run to run. The order in which threads
//! allocate objects is treated as unobservable: it changes only the
//! numbers behind `id()` and default reprs (`at 0x...`). And what a
//! program prints is assumed not to depend on the exact virtual time at
//! nanosecond grain: running invisible ops eagerly
//! can shift a visible op by a few steps (40 ns each) of virtual time. A
//! program that prints `time.time()` may see different digits than some
//! unreduced schedule would; orders of events, values and deadlocks are
//! unaffected.
//!
//! [`Report::states`] counts the states the search passes through (every
//! scheduling point of every execution; the same state reached by two
//! schedules counts twice). With [`Options::count_states`] each of them,
//! and each end state, is also fingerprinted (the engine's
//! `Machine::fingerprint`, a hash of the whole machine: output, clock,
//! threads and their frames, sync objects, heap) and
//! [`Report::distinct_states`] counts the different fingerprints, which is
//! what Spin calls "states stored". The fingerprints only count; they do
//! not prune the search, so outcome counts stay counts of schedules.
//!
//! # Parallel search
//!
//! With [`Options::parallel`] the first [`Options::split_depth`] levels of
//! branching (for DPOR: the first [`dpor::SPLIT`], expanded fully in both
//! modes, see its docs) fan out over the current rayon pool; each subtree is searched
//! depth-first by one worker, and results are merged in tree order, so a
//! complete parallel search reports exactly what the sequential one does
//! (same outcomes, counts and schedules). Only an executions budget makes
//! them differ: which executions fit in the budget depends on timing.
//!
//! The crate uses no threads, clocks or I/O of its own (it runs in the
//! browser too): the caller installs the rayon pool and passes a clock.

pub mod dpor;
pub mod search;
pub mod visible;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use interleave_engine::{Config, Machine, Program};

/// Live counters of a search in progress, and a way to stop it.
///
/// The search updates the counters as it goes (relaxed atomics, shared by
/// every worker), so another thread (the page's main thread, say) can show
/// them while it runs; setting `stop` ends the search soon after (within
/// one execution on each worker), and the report then lists `stopped`
/// among the reasons it is incomplete.
#[derive(Debug, Default)]
pub struct Progress {
    /// Executions finished so far.
    pub executions: AtomicU64,
    /// Scheduling points visited so far.
    pub states: AtomicU64,
    /// Set by the caller to end the search early.
    pub stop: AtomicBool,
}

impl Progress {
    pub fn executions(&self) -> u64 {
        self.executions.load(Ordering::Relaxed)
    }

    pub fn states(&self) -> u64 {
        self.states.load(Ordering::Relaxed)
    }

    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Exhaustive search or random sampling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Depth-first over all (reduced) schedules.
    Exhaustive,
    /// `runs` random executions from generator seed `seed`.
    Random { runs: u64, seed: u64 },
    /// `runs` executions under PCT (probabilistic concurrency testing,
    /// Burckhardt et al., ASPLOS 2010) with bug depth `depth`: random
    /// thread priorities, the highest enabled runs, and `depth - 1` random
    /// points where the running thread drops to the lowest priority. A bug
    /// that needs `depth` ordering constraints is found in each run with
    /// probability at least 1/(n k^(depth-1)) (n threads, k steps), far
    /// better than uniform random choices for shallow bugs in long runs.
    Pct { runs: u64, depth: u32, seed: u64 },
}

/// Search settings.
#[derive(Clone, Debug)]
pub struct Options {
    pub mode: Mode,
    /// At most this many preemptions per execution (None: unbounded).
    pub preemption_bound: Option<u32>,
    /// Stop after this many executions (None: no limit).
    pub max_executions: Option<u64>,
    /// The engine's step budget for each execution.
    pub max_steps: u64,
    /// The program's random seed (`random` module), as `interleave run --seed`.
    pub seed: u64,
    /// `sys.argv` of the program, as `interleave run` sets it.
    pub argv: Vec<String>,
    /// Module globals whose final values are part of each outcome (two
    /// executions that print the same but end with different values of
    /// these are different outcomes).
    pub globals: Vec<String>,
    /// Apply the reductions (visible ops, sleep sets). Off, every step is a
    /// scheduling point: the brute force the tests compare against.
    pub reduce: bool,
    /// Use dynamic partial-order reduction ([`dpor`]) for exhaustive
    /// searches without a preemption bound. Off (or with a bound), the
    /// search branches at every visible op, pruned by sleep sets only.
    pub dpor: bool,
    /// Spread the search over the current rayon pool.
    pub parallel: bool,
    /// How many levels of branching to split into parallel tasks.
    pub split_depth: u32,
    /// Fingerprint every state the search passes (the engine's
    /// `Machine::fingerprint`) to count the distinct ones
    /// ([`Report::distinct_states`]). It costs a pass over the heap per
    /// state, so it can be turned off when only outcomes matter.
    pub count_states: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mode: Mode::Exhaustive,
            preemption_bound: None,
            max_executions: Some(100_000),
            max_steps: 200_000,
            seed: 0,
            argv: vec!["main.py".into()],
            globals: Vec::new(),
            reduce: true,
            dpor: true,
            parallel: false,
            split_depth: 8,
            count_states: true,
        }
    }
}

/// One distinct outcome: what the program printed and how it ended.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OutcomeEntry {
    /// `finished`, `deadlock`, `budget` or `stopped`.
    pub kind: String,
    pub stdout: String,
    /// The process exit status (`interleave run`'s: CPython's for a finished
    /// program, 3 for a deadlock, 4 for a budget).
    pub exit_status: i32,
    /// The last line of stderr (the exception of an uncaught error or a
    /// failed assert), if anything was printed there.
    pub error: Option<String>,
    /// The budget message of a `budget`/`stopped` outcome.
    pub detail: Option<String>,
    /// The final values (reprs) of the watched globals ([`Options::globals`]).
    pub globals: Vec<(String, String)>,
    /// How many explored executions ended this way.
    pub count: u64,
    /// A schedule that reproduces it (the first one found).
    pub schedule: String,
}

/// One distinct deadlock.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DeadlockEntry {
    /// The wait-for cycle in words: the first line of the engine's report,
    /// e.g. `Deadlock: Thread-1 holds lock a, waits for lock b; ...`.
    pub cycle: String,
    /// Names of the threads on the wait-for cycle (all blocked threads
    /// when the engine found no cycle).
    pub threads: Vec<String>,
    /// Names of every thread blocked at the end (e.g. also a joiner).
    pub blocked: Vec<String>,
    /// The engine's full report (without its schedule line).
    pub report: String,
    pub stdout: String,
    pub count: u64,
    pub schedule: String,
}

/// One distinct error (uncaught exception or failed assert).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ErrorEntry {
    /// The last line of stderr, e.g. `AssertionError: lost update`.
    pub message: String,
    pub exit_status: i32,
    pub stdout: String,
    pub count: u64,
    pub schedule: String,
}

/// What the search found.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    /// True only if every (reduced) schedule was explored: no bound or
    /// budget cut anything and the mode was exhaustive.
    pub complete: bool,
    /// Why the search is incomplete: `preemption_bound`, `max_executions`,
    /// `random_sampling`, `max_steps` (some execution ran out of steps),
    /// `stopped` (the caller stopped it) (empty when complete).
    pub stopped_by: Vec<String>,
    /// `exhaustive` or `random`.
    pub mode: String,
    pub executions: u64,
    /// Scheduling points visited (not deduplicated: the same state reached
    /// by two schedules counts twice).
    pub states: u64,
    /// Distinct states among those points and the end states, by
    /// fingerprint (None when [`Options::count_states`] is off).
    pub distinct_states: Option<u64>,
    /// Whether states were fingerprinted (`distinct_states` is set).
    pub states_hashed: bool,
    /// Paths cut as redundant by sleep sets.
    pub sleep_pruned: u64,
    /// Wall-clock milliseconds, if the caller supplied a clock.
    pub elapsed_ms: Option<f64>,
    pub preemption_bound: Option<u32>,
    pub max_executions: Option<u64>,
    pub max_steps: u64,
    pub random_runs: Option<u64>,
    pub random_seed: Option<u64>,
    pub reduced: bool,
    /// `dpor`, `sleep_sets` (visible ops and sleep sets only) or `none`.
    pub reduction: String,
    pub outcomes: Vec<OutcomeEntry>,
    pub deadlocks: Vec<DeadlockEntry>,
    pub errors: Vec<ErrorEntry>,
}

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// A readable summary for learners.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let plural = |n: usize, w: &str| if n == 1 { format!("{n} {w}") } else { format!("{n} {w}s") };
        let status = if self.complete { "complete".to_string() } else { format!("incomplete: stopped by {}", self.stopped_by.join(", ")) };
        s.push_str(&format!(
            "{} in {} ({status})\n",
            plural(self.outcomes.len(), "outcome"),
            plural(self.executions as usize, "execution")
        ));
        for (i, o) in self.outcomes.iter().enumerate() {
            let out = if o.stdout.is_empty() { "(no output)".to_string() } else { o.stdout.trim_end().replace('\n', "\n      ") };
            s.push_str(&format!("\n#{} {} (exit status {}), {} of {}:\n      {out}\n", i + 1, o.kind, o.exit_status, o.count, self.executions));
            if let Some(e) = &o.error {
                s.push_str(&format!("   error: {e}\n"));
            }
            if let Some(d) = &o.detail {
                s.push_str(&format!("   {d}\n"));
            }
            if !o.globals.is_empty() {
                let vals: Vec<String> = o.globals.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                s.push_str(&format!("   globals: {}\n", vals.join(", ")));
            }
            s.push_str(&format!("   schedule: {}\n", o.schedule));
        }
        if !self.deadlocks.is_empty() {
            s.push_str(&format!("\n{} in {} of {} executions:\n", plural(self.deadlocks.len(), "deadlock"), self.deadlocks.iter().map(|d| d.count).sum::<u64>(), self.executions));
            for d in &self.deadlocks {
                s.push_str(&format!("  {}\n   schedule: {}\n", d.cycle, d.schedule));
            }
        }
        if !self.errors.is_empty() {
            s.push_str(&format!("\n{}:\n", plural(self.errors.len(), "error")));
            for e in &self.errors {
                s.push_str(&format!("  {} ({} of {})\n   schedule: {}\n", e.message, e.count, self.executions, e.schedule));
            }
        }
        let bound = match self.preemption_bound {
            Some(k) => format!("preemption bound {k}"),
            None => "no preemption bound".into(),
        };
        let elapsed = self.elapsed_ms.map(|ms| format!(", {ms:.0} ms")).unwrap_or_default();
        let distinct = match self.distinct_states {
            Some(d) => format!("{d} distinct states, "),
            None => String::new(),
        };
        s.push_str(&format!(
            "\n{distinct}{} scheduling points visited, {} redundant paths cut, {bound}{elapsed}\n",
            self.states, self.sleep_pruned
        ));
        s
    }
}

/// Whether `opts` select the DPOR search: exhaustive, reduced, no
/// preemption bound (bounding DPOR's branches soundly is a different
/// algorithm; the sleep-set search counts preemptions exactly).
pub fn uses_dpor(opts: &Options) -> bool {
    opts.dpor && opts.reduce && opts.preemption_bound.is_none() && opts.mode == Mode::Exhaustive
}

/// The engine configuration each execution uses. `interleave run` with the
/// same seed and argv (and a step budget at least as large) replays the
/// reported schedules exactly.
pub fn config(opts: &Options) -> Config {
    Config { seed: opts.seed, max_steps: opts.max_steps, argv: opts.argv.clone(), ..Config::default() }
}

/// Explores `program`'s schedules. `now` (milliseconds, any origin) times
/// the search if given. Runs in the current rayon pool when
/// `opts.parallel` is set.
pub fn explore(program: &Program, opts: &Options, now: Option<&dyn Fn() -> f64>) -> Report {
    explore_with_progress(program, opts, now, &Progress::default())
}

/// [`explore`], updating `progress` as it goes and stopping when its
/// `stop` flag is set.
pub fn explore_with_progress(program: &Program, opts: &Options, now: Option<&dyn Fn() -> f64>, progress: &Progress) -> Report {
    let t0 = now.map(|f| f());
    let start = Machine::new(program, config(opts));
    let ctx = search::Ctx { opts, progress, out_of_budget: AtomicBool::new(false) };
    let stats = match &opts.mode {
        Mode::Exhaustive if uses_dpor(opts) => dpor::explore(&ctx, start),
        Mode::Exhaustive => search::exhaustive(&ctx, start),
        Mode::Random { runs, seed } => search::sample(&ctx, start, *runs, *seed, None),
        Mode::Pct { runs, depth, seed } => search::sample(&ctx, start, *runs, *seed, Some(*depth)),
    };
    let mut stopped_by = Vec::new();
    if let Mode::Random { .. } | Mode::Pct { .. } = opts.mode {
        stopped_by.push("random_sampling".to_string());
    }
    if stats.bound_hit {
        stopped_by.push("preemption_bound".to_string());
    }
    // An execution cut by the step budget did not show how it would end.
    if stats.outcomes.iter().any(|o| o.kind == "budget") {
        stopped_by.push("max_steps".to_string());
    }
    if ctx.out_of_budget.load(Ordering::Relaxed) {
        stopped_by.push("max_executions".to_string());
    }
    if progress.stop.load(Ordering::Relaxed) {
        stopped_by.push("stopped".to_string());
    }
    let elapsed_ms = match (now, t0) {
        (Some(f), Some(t0)) => Some(f() - t0),
        _ => None,
    };
    let (random_runs, random_seed) = match opts.mode {
        Mode::Random { runs, seed } | Mode::Pct { runs, seed, .. } => (Some(runs), Some(seed)),
        Mode::Exhaustive => (None, None),
    };
    Report {
        complete: stopped_by.is_empty(),
        stopped_by,
        mode: match opts.mode {
            Mode::Exhaustive => "exhaustive".into(),
            Mode::Random { .. } => "random".into(),
            Mode::Pct { depth, .. } => format!("pct (depth {depth})"),
        },
        executions: stats.executions,
        states: stats.states,
        distinct_states: opts.count_states.then_some(stats.seen.len() as u64),
        states_hashed: opts.count_states,
        sleep_pruned: stats.sleep_pruned,
        elapsed_ms,
        preemption_bound: opts.preemption_bound,
        max_executions: opts.max_executions,
        max_steps: opts.max_steps,
        random_runs,
        random_seed,
        reduced: opts.reduce,
        reduction: if !opts.reduce {
            "none".into()
        } else if uses_dpor(opts) {
            "dpor".into()
        } else {
            "sleep_sets".into()
        },
        outcomes: stats.outcomes,
        deadlocks: stats.deadlocks,
        errors: stats.errors,
    }
}
