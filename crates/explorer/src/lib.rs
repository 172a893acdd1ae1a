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
//!   thread gets a chance. See [`visible`]. Reads of what no other thread
//!   can change any more (a global bound once before the threads started,
//!   a method no code replaces, a list no code changes) are run through
//!   the same way, from a look at the whole program before the search
//!   ([`frozen`]; the state-graph search uses more of these than the tree
//!   searches can).
//! - **Sleep sets.** If, at some point, the search has explored running
//!   thread A first and is now exploring thread B first, and A's pending
//!   op commutes with B's (say they read different globals), then running
//!   A right after B reaches a state already covered by "A then B". The
//!   search carries A in B's *sleep set* and does not run it again until
//!   something it conflicts with has run. A path on which every enabled
//!   thread sleeps is redundant and is cut ([`Report::sleep_pruned`]).
//! - **The state graph** ([`stategraph`], the default for an exhaustive
//!   search, with or without a preemption bound): instead of a tree of schedules,
//!   the graph of distinct states (by fingerprint, canonical up to heap
//!   ids), each state expanded once. Every schedule is then *counted*
//!   exactly without being run, from a per-state summary of the outcomes
//!   below it ([`Report::schedules_counted`]), and programs whose threads
//!   meet in the same states over and over (locks, queues, philosophers)
//!   are exhausted where a tree search would run for ever.
//! - **Dynamic partial-order reduction** ([`dpor`], the tree search for an
//!   exhaustive search without a bound, `state_graph` off): instead of branching
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
//!   The state graph keeps the preemptions used as part of its states
//!   (see [`stategraph`]), so a bounded search too expands each state
//!   once and counts every schedule within the bound.
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
//! unaffected. The same assumption lets `time.sleep` commute with every op
//! but another sleep (`visible::Location::Sleepers`): moving an op across
//! a sleep moves the sleeper's deadline by that op's few nanoseconds.
//!
//! [`Report::states`] counts the states the search passes through (every
//! scheduling point of every execution; the same state reached by two
//! schedules counts twice). With [`Options::count_states`] each of them,
//! and each end state, is also fingerprinted (the engine's
//! `Machine::fingerprint`, a hash of the whole machine: output, clock,
//! threads and their frames, sync objects, heap) and
//! [`Report::distinct_states`] counts the different fingerprints, which is
//! what Spin calls "states stored". In the tree searches the fingerprints
//! only count; they do not prune. The state-graph search stores each
//! state under its fingerprint and expands it once.
//!
//! # Outcomes and conditions
//!
//! An outcome is what an execution showed at its end: how it ended
//! (finished, deadlock, step budget), its stdout, exit status and error,
//! the final values of the watched globals ([`Options::globals`]) and the
//! value of the condition ([`Options::condition`]). Executions that agree
//! on all of these are one [`OutcomeEntry`] with a count.
//!
//! A *condition* is a Python expression over the program's final state
//! (`counter < 4`, `len(results) != 3`, `balance == 100 and not errors`),
//! compiled once per search ([`compile_condition`]; a bad one stops the
//! search before it starts, see [`ConditionAnswer::error`]) and evaluated
//! in the main module's globals at the end of every execution, with the
//! engine's [`Machine::eval_condition`] (a small step budget of its own,
//! no output, after the schedule ended, so it changes no schedule). Its
//! value, `true`, `false` or the exception it raised, is part of the
//! outcome, and [`Report::condition`] answers "can it be true at the
//! end?": in how many executions it held, was false, or raised, and the
//! first schedule where it held. A "no" is a proof only when the search
//! was complete ([`ConditionAnswer::verdict`] says `not found` otherwise).
//!
//! Deadlocked executions are asked too: a deadlock is where that run
//! ended, and "can the balance be wrong at the end?" should count the runs
//! that got stuck with a half-done transfer. Executions cut by the step
//! budget are not (they stopped at an arbitrary point); they are counted
//! as [`ConditionAnswer::not_evaluated`]. The reductions keep every final
//! state (equivalent schedules end in the same state), so they lose no
//! answer, under the same assumption as for output: a condition that
//! compares `id()`s sees allocation order, which the reduction ignores.
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
//! The state-graph search splits the successors of its first
//! [`stategraph::SPLIT`] branching states over the pool, and its workers
//! share one table of finished states. Its counts do not depend on the
//! order of the search, and the schedule it reports for each outcome is
//! rebuilt from the table after the search (the smallest by thread ids),
//! so it too reports exactly what the sequential search does; a states
//! budget ([`Options::max_states`]) or a depth budget
//! ([`Options::max_depth`]) makes them differ the same way.
//!
//! The crate uses no threads, clocks or I/O of its own (it runs in the
//! browser too): the caller installs the rayon pool and passes a clock.

pub mod budget;
pub mod dpor;
pub mod frozen;
pub mod search;
pub mod stategraph;
pub mod visible;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use interleave_engine::{Condition, Config, Machine, Program};

/// Live counters of a search in progress, and a way to stop it.
///
/// The search updates the counters as it goes (relaxed atomics, shared by
/// every worker), so another thread (the page's main thread, say) can show
/// them while it runs; setting `stop` ends the search soon after (within
/// one execution on each worker), and the report then lists `stopped`
/// among the reasons it is incomplete.
///
/// Each counter sits on a cache line of its own: every worker reads the
/// stop flag all the time and adds to the counters often, and a write to
/// a line another core is reading takes the line from it.
#[derive(Debug, Default)]
pub struct Progress {
    /// Executions finished so far.
    pub executions: Padded<AtomicU64>,
    /// Scheduling points visited so far.
    pub states: Padded<AtomicU64>,
    /// Set by the caller to end the search early.
    pub stop: Padded<AtomicBool>,
}

/// A value alone on its cache line (128 bytes: two 64-byte lines, since
/// some cores fetch lines in pairs), so that writes to it do not slow
/// down reads of its neighbours on other cores (false sharing).
#[derive(Debug, Default)]
#[repr(align(128))]
pub struct Padded<T>(pub T);

impl<T> std::ops::Deref for Padded<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
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
    /// The tree searches (DPOR, sleep sets) and sampling stop after this
    /// many executions (None: no limit). The state graph runs no
    /// executions one by one (it counts them), so its budget is
    /// [`Options::max_states`] instead.
    pub max_executions: Option<u64>,
    /// The engine's step budget for each execution.
    pub max_steps: u64,
    /// Raise `max_steps` for a program that is simply long: when some
    /// execution ran out of steps and the program's plain run needs more
    /// than a quarter of them, the search runs again with four times the
    /// plain run's steps (see [`budget`]). The report gives the budget
    /// used.
    pub fit_steps: bool,
    /// The program's random seed (`random` module), as `interleave run --seed`.
    pub seed: u64,
    /// `sys.argv` of the program, as `interleave run` sets it.
    pub argv: Vec<String>,
    /// The lines `input()` and `sys.stdin` read, as `interleave run
    /// --stdin` gives them: the same in every schedule (the program's
    /// input is not one of the choices the search makes).
    pub stdin: Vec<String>,
    /// The engine's timer tick (`Config::timer_tick_ns`), which
    /// `interleave run` and the page leave at its default: a search with
    /// another tick reports schedules that replay only under that tick.
    /// The tests also search with 1 ns, under which every op moves the
    /// deadline of a sleep that follows it (the hardest case for the state
    /// graph's commuting).
    pub timer_tick_ns: u64,
    /// Module globals whose final values are part of each outcome (two
    /// executions that print the same but end with different values of
    /// these are different outcomes).
    pub globals: Vec<String>,
    /// A Python expression asked of each execution's final state (see
    /// [Conditions](crate#conditions)): its value is part of the outcome,
    /// and the report answers whether it can be true at the end.
    pub condition: Option<String>,
    /// Apply the reductions (visible ops, sleep sets). Off, every step is a
    /// scheduling point: the brute force the tests compare against.
    pub reduce: bool,
    /// Use dynamic partial-order reduction ([`dpor`]) for exhaustive
    /// searches without a preemption bound (when [`Options::state_graph`]
    /// is off). Off (or with a bound), the search branches at every
    /// visible op, pruned by sleep sets only.
    pub dpor: bool,
    /// Search the graph of distinct states ([`stategraph`], the default
    /// for an exhaustive search, with or without a preemption bound):
    /// each state once, and exact counts of every schedule (every one
    /// within the bound, with a bound).
    pub state_graph: bool,
    /// The state-graph search stops after storing this many states
    /// (about 100 bytes each; None: no limit).
    pub max_states: Option<u64>,
    /// The state-graph search cuts a schedule this many states deep, as a
    /// `budget` end (None: no limit). The states of the current path are
    /// held in memory (about 450 bytes each), and none of them is stored,
    /// nor counted in [`Options::max_states`], before the path's end: with
    /// a step budget fitted to a long program (see [`budget`]) the first
    /// path alone could be millions of states deep.
    pub max_depth: Option<u64>,
    /// Off, the state-graph search never reuses a state's summary: it
    /// walks the whole tree of schedules, and must count exactly what it
    /// counts with reuse (a check for the tests; exponential otherwise).
    pub memoize: bool,
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
            fit_steps: true,
            seed: 0,
            argv: vec!["main.py".into()],
            stdin: Vec::new(),
            timer_tick_ns: Config::default().timer_tick_ns,
            globals: Vec::new(),
            condition: None,
            reduce: true,
            dpor: true,
            state_graph: true,
            max_states: Some(2_000_000),
            max_depth: Some(100_000),
            memoize: true,
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
    /// The value of [`Options::condition`] at the end: `true`, `false`, or
    /// the exception it raised (`NameError: name 'x' is not defined`).
    /// None without a condition, and for a `budget`/`stopped` outcome (not
    /// an end: the condition is not asked there).
    pub condition: Option<String>,
    /// How many explored executions ended this way; with
    /// [`Report::schedules_counted`], how many schedules end this way.
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

/// The answer to "can the condition be true at the end?".
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ConditionAnswer {
    /// The expression, as compiled (trimmed).
    pub expression: String,
    /// The expression does not compile: the syntax error on one line (e.g.
    /// `SyntaxError: invalid syntax (line 1, column 10)`). Nothing was
    /// explored then, and the counts are zero.
    pub error: Option<String>,
    /// Executions at whose end it was true.
    pub held: u64,
    /// Executions at whose end it was false.
    pub failed: u64,
    /// Executions at whose end evaluating it raised an exception.
    pub raised: u64,
    /// Executions it was not asked of (cut by the step budget).
    pub not_evaluated: u64,
    /// The first schedule (in search order) at whose end it was true.
    pub first_held: Option<String>,
    /// The first exception it raised, and a schedule where it did.
    pub first_error: Option<(String, String)>,
    /// Whether the search was complete: only then is a "no" a proof that
    /// no schedule makes it true (a copy of [`Report::complete`]).
    pub complete: bool,
    /// The counts are of schedules (a copy of [`Report::schedules_counted`]).
    pub schedules_counted: bool,
}

impl ConditionAnswer {
    /// `yes` (true in some execution), `no` (in none of a complete
    /// search), `not found` (in none of an incomplete one) or `error` (the
    /// expression does not compile).
    pub fn verdict(&self) -> &'static str {
        if self.error.is_some() {
            "error"
        } else if self.held > 0 {
            "yes"
        } else if self.complete {
            "no"
        } else {
            "not found"
        }
    }

    /// The answer in one line (two with exceptions), e.g. `can counter < 4
    /// hold at the end? yes: 33 of 34 executions; replay: interleave run
    /// FILE.py --schedule S`.
    pub fn to_text(&self, executions: u64, file: &str) -> String {
        let q = format!("can {} hold at the end?", self.expression);
        let runs = if self.schedules_counted { "schedules" } else { "executions" };
        if let Some(e) = &self.error {
            return format!("{q} the condition is not an expression: {e}");
        }
        let mut s = match self.verdict() {
            "yes" => format!(
                "{q} yes: {} of {executions} {runs}; replay: interleave run {file} --schedule {}",
                self.held,
                self.first_held.as_deref().unwrap_or("")
            ),
            "no" => format!("{q} no: not true at the end of any of the {executions} {runs}, and the search was complete"),
            _ => format!("{q} not found: not true at the end of any of the {executions} {runs} explored, but the search was incomplete (not a proof)"),
        };
        if let Some((e, schedule)) = &self.first_error {
            s.push_str(&format!("\n  it raised {e} in {} of {executions} {runs}; replay: interleave run {file} --schedule {schedule}", self.raised));
        }
        if self.not_evaluated > 0 {
            s.push_str(&format!("\n  not asked of {} {runs} cut by the step budget", self.not_evaluated));
        }
        s
    }

    fn of(expression: &str, outcomes: &[OutcomeEntry], complete: bool, schedules_counted: bool) -> ConditionAnswer {
        let mut a = ConditionAnswer {
            expression: expression.to_string(),
            error: None,
            held: 0,
            failed: 0,
            raised: 0,
            not_evaluated: 0,
            first_held: None,
            first_error: None,
            complete,
            schedules_counted,
        };
        // Outcomes are in search order (the parallel search merges them in
        // that order too), so "first" is the same in both.
        for o in outcomes {
            match o.condition.as_deref() {
                Some("true") => {
                    a.held += o.count;
                    a.first_held.get_or_insert_with(|| o.schedule.clone());
                }
                Some("false") => a.failed += o.count,
                Some(e) => {
                    a.raised += o.count;
                    a.first_error.get_or_insert_with(|| (e.to_string(), o.schedule.clone()));
                }
                None => a.not_evaluated += o.count,
            }
        }
        a
    }
}

/// Compiles a condition ([`Options::condition`]), or says on one line
/// why it is not one (a syntax error with its line and column, an empty
/// text, a statement). Callers check a learner's expression with it
/// before starting a search.
pub fn compile_condition(expr: &str) -> Result<Condition, String> {
    Condition::compile(expr).map_err(|e| interleave_engine::condition::syntax_error_line(&e))
}

/// What the search found.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    /// True only if every (reduced) schedule was explored: no bound or
    /// budget cut anything and the mode was exhaustive.
    pub complete: bool,
    /// Why the search is incomplete: `preemption_bound`, `max_executions`,
    /// `max_states`, `max_depth`, `random_sampling`, `max_steps` (some execution ran out of steps),
    /// `stopped` (the caller stopped it), `bad_condition` (the condition
    /// does not compile: nothing was explored) (empty when complete).
    pub stopped_by: Vec<String>,
    /// `exhaustive` or `random`.
    pub mode: String,
    /// Executions run; with [`Report::schedules_counted`], the number of
    /// schedules (counted from the state graph, not run one by one).
    pub executions: u64,
    /// The counts (`executions` and every entry's `count`) are exact
    /// numbers of schedules: the state-graph search ([`stategraph`]).
    /// Otherwise they count the executions the reduced search ran.
    pub schedules_counted: bool,
    /// Some count was larger than 2^64 - 1 and is reported as that.
    pub counts_saturated: bool,
    /// Scheduling points visited (not deduplicated: the same state reached
    /// by two schedules counts twice). For the state-graph search, the
    /// transitions out of the distinct states (each state is expanded
    /// once; Spin's "transitions").
    pub states: u64,
    /// Distinct states among those points and the end states, by
    /// fingerprint (None when [`Options::count_states`] is off; the
    /// state-graph search always counts them).
    pub distinct_states: Option<u64>,
    /// Whether states were fingerprinted (`distinct_states` is set).
    pub states_hashed: bool,
    /// Paths cut as redundant by sleep sets.
    pub sleep_pruned: u64,
    /// Wall-clock milliseconds, if the caller supplied a clock.
    pub elapsed_ms: Option<f64>,
    pub preemption_bound: Option<u32>,
    pub max_executions: Option<u64>,
    pub max_states: Option<u64>,
    pub max_depth: Option<u64>,
    pub max_steps: u64,
    /// Whether `max_steps` was raised for a long program (see [`budget`]).
    pub max_steps_fitted: bool,
    pub random_runs: Option<u64>,
    pub random_seed: Option<u64>,
    pub reduced: bool,
    /// `state_graph`, `dpor`, `sleep_sets` (visible ops and sleep sets
    /// only) or `none`.
    pub reduction: String,
    pub outcomes: Vec<OutcomeEntry>,
    pub deadlocks: Vec<DeadlockEntry>,
    pub errors: Vec<ErrorEntry>,
    /// The answer about [`Options::condition`], if one was given.
    pub condition: Option<ConditionAnswer>,
}

impl Report {
    /// Whether a budget on the search's size (`max_executions`,
    /// `max_states` or `max_depth`) cut it: then the true number of
    /// schedules is larger.
    pub fn cut_by_budget(&self) -> bool {
        self.stopped_by.iter().any(|s| s == "max_executions" || s == "max_states" || s == "max_depth")
    }

    /// The outcomes, the most frequent first (ties in the report's order,
    /// which is the order of their schedules): how the text report and the
    /// page list them.
    pub fn outcomes_by_count(&self) -> Vec<&OutcomeEntry> {
        let mut by_count: Vec<&OutcomeEntry> = self.outcomes.iter().collect();
        by_count.sort_by_key(|o| std::cmp::Reverse(o.count));
        by_count
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// A readable summary for learners.
    pub fn to_text(&self) -> String {
        self.to_text_for("FILE.py")
    }

    /// [`Report::to_text`], naming `file` in the replay command of the
    /// condition's answer.
    pub fn to_text_for(&self, file: &str) -> String {
        let mut s = String::new();
        let plural = |n: usize, w: &str| if n == 1 { format!("{n} {w}") } else { format!("{n} {w}s") };
        // The reasons by the option that set them, but a stop by the
        // caller (Ctrl-C, the page's Stop) in words.
        let reasons: Vec<&str> = self.stopped_by.iter().map(|r| if r == "stopped" { "a stop request" } else { r.as_str() }).collect();
        let status = if self.complete { "complete".to_string() } else { format!("incomplete: stopped by {}", reasons.join(", ")) };
        // The state graph counts schedules; the tree searches run executions.
        let unit = if self.schedules_counted { "schedule" } else { "execution" };
        // A count that did not fit 64 bits is reported as 2^64 - 1.
        let saturated = self.counts_saturated;
        let num = |n: u64| if saturated && n == u64::MAX { "over 1.8e19".to_string() } else { n.to_string() };
        let units = if self.executions == 1 { unit.to_string() } else { format!("{unit}s") };
        s.push_str(&format!("{} in {} {units} ({status})\n", plural(self.outcomes.len(), "outcome"), num(self.executions)));
        // Only the first TEXT_OUTCOMES: a racy counter can end in hundreds
        // of ways.
        let by_count = self.outcomes_by_count();
        for (i, o) in by_count.iter().take(TEXT_OUTCOMES).enumerate() {
            let out = if o.stdout.is_empty() { "(no output)".to_string() } else { o.stdout.trim_end().replace('\n', "\n      ") };
            s.push_str(&format!("\n#{} {} (exit status {}), {} of {}:\n      {out}\n", i + 1, o.kind, o.exit_status, num(o.count), num(self.executions)));
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
            if let (Some(v), Some(c)) = (&o.condition, &self.condition) {
                s.push_str(&format!("   condition {}: {v}\n", c.expression));
            }
            s.push_str(&format!("   schedule: {}\n", o.schedule));
        }
        if let Some(rest) = by_count.get(TEXT_OUTCOMES..).filter(|r| !r.is_empty()) {
            let most = rest.iter().map(|o| o.count).max().unwrap_or(0);
            let more = if rest.len() == 1 { "outcome" } else { "outcomes" };
            let in_units = if most == 1 { unit.to_string() } else { format!("{unit}s") };
            s.push_str(&format!("\n... and {} more {more}, each in {} {in_units} or fewer (--json lists every outcome)\n", rest.len(), num(most)));
        }
        if !self.deadlocks.is_empty() {
            let n = self.deadlocks.iter().fold(0u64, |a, d| a.saturating_add(d.count));
            s.push_str(&format!("\n{} in {} of {} {units}:\n", plural(self.deadlocks.len(), "deadlock"), num(n), num(self.executions)));
            for d in &self.deadlocks {
                s.push_str(&format!("  {}\n   schedule: {}\n", d.cycle, d.schedule));
            }
        }
        if !self.errors.is_empty() {
            s.push_str(&format!("\n{}:\n", plural(self.errors.len(), "error")));
            for e in &self.errors {
                s.push_str(&format!("  {} ({} of {})\n   schedule: {}\n", e.message, num(e.count), num(self.executions), e.schedule));
            }
        }
        if let Some(c) = &self.condition {
            s.push_str(&format!("\n{}\n", c.to_text(self.executions, file)));
        }
        let bound = match self.preemption_bound {
            Some(k) => format!("preemption bound {k}"),
            None => "no preemption bound".into(),
        };
        let mut elapsed = self.elapsed_ms.map(|ms| format!(", {ms:.0} ms")).unwrap_or_default();
        if self.max_steps_fitted {
            elapsed.push_str(&format!(", a step budget of {} per schedule (fitted to the program)", self.max_steps));
        }
        // A search cut by its budget: what the learner can do about it.
        let budget = if self.stopped_by.iter().any(|r| r == "max_states") {
            Some("--max-states")
        } else if self.stopped_by.iter().any(|r| r == "max_executions") {
            Some("--max-executions")
        } else {
            None
        };
        if let Some(option) = budget {
            s.push_str(&format!(
                "\nThe search reached its budget before it had seen every schedule: other outcomes may exist.\n\
                 Every thread and every loop iteration multiplies the states: try the program with fewer threads or\n\
                 smaller loops, raise {option}, or sample schedules with --random N.\n"
            ));
        }
        if self.schedules_counted {
            s.push_str(&format!(
                "\n{} distinct states, each explored once ({} transitions), {bound}{elapsed}\n",
                self.distinct_states.unwrap_or(0),
                self.states
            ));
        } else {
            let distinct = self.distinct_states.map(|d| format!("{d} distinct states, ")).unwrap_or_default();
            s.push_str(&format!(
                "\n{distinct}{} scheduling points visited, {} redundant paths cut, {bound}{elapsed}\n",
                self.states, self.sleep_pruned
            ));
        }
        s
    }
}

/// Whether `opts` select the DPOR search: exhaustive, reduced, no
/// preemption bound (bounding DPOR's branches soundly is a different
/// algorithm; the sleep-set search counts preemptions exactly).
pub fn uses_dpor(opts: &Options) -> bool {
    opts.dpor && !opts.state_graph && opts.reduce && opts.preemption_bound.is_none() && opts.mode == Mode::Exhaustive
}

/// Whether `opts` select the state-graph search: exhaustive and reduced
/// (with a preemption bound too: see [`stategraph`]'s Bounded).
pub fn uses_state_graph(opts: &Options) -> bool {
    opts.state_graph && opts.reduce && opts.mode == Mode::Exhaustive
}

/// The engine configuration each execution uses. `interleave run` with the
/// same seed and argv (and a step budget at least as large) replays the
/// reported schedules exactly.
pub fn config(opts: &Options) -> Config {
    Config { seed: opts.seed, max_steps: opts.max_steps, argv: opts.argv.clone(), stdin: opts.stdin.clone(), timer_tick_ns: opts.timer_tick_ns, trace: false, ..Config::default() }
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
    let report = search_once(program, opts, now, progress);
    // Cut by the step budget: is the program simply long? (See [`budget`].)
    let cut = report.outcomes.iter().any(|o| out_of_steps(opts, o));
    if !(opts.fit_steps && cut) || progress.stop.load(Ordering::Relaxed) {
        return report;
    }
    let Some(max_steps) = budget::fitted(program, &config(opts), &progress.stop) else { return report };
    let mut report = search_once(program, &Options { max_steps, fit_steps: false, ..opts.clone() }, now, progress);
    report.max_steps_fitted = true;
    // The time is the whole answer's, the first search's included.
    if let (Some(f), Some(t0)) = (now, t0) {
        report.elapsed_ms = Some(f() - t0);
    }
    report
}

/// The outcomes [`Report::to_text`] lists; the JSON has them all.
pub const TEXT_OUTCOMES: usize = 20;

/// Whether `o` is a run cut by the step budget (not by the state graph's
/// depth budget, whose ends are `budget` outcomes too).
fn out_of_steps(opts: &Options, o: &OutcomeEntry) -> bool {
    o.kind == "budget" && !(opts.max_depth.is_some() && o.detail.as_deref() == Some(&stategraph::depth_message(opts.max_depth.unwrap_or(0))))
}

/// One search of [`explore_with_progress`], with `opts.max_steps` as given.
fn search_once(program: &Program, opts: &Options, now: Option<&dyn Fn() -> f64>, progress: &Progress) -> Report {
    let t0 = now.map(|f| f());
    let condition = match opts.condition.as_deref().map(compile_condition) {
        Some(Err(e)) => return bad_condition(opts, e),
        Some(Ok(c)) => Some(c),
        None => None,
    };
    // A parallel search's machines take reference counts on every core,
    // so its start shares no objects with the booted snapshot that every
    // other machine of the process starts from (see
    // `Machine::new_unshared`).
    let start = if opts.parallel { Machine::new_unshared(program, config(opts)) } else { Machine::new(program, config(opts)) };
    let facts = opts.reduce.then(|| frozen::Facts::new(program, &start, uses_state_graph(opts)));
    let ctx = search::Ctx { program, opts, condition, progress, out_of_budget: AtomicBool::new(false), facts };
    let stats = match &opts.mode {
        Mode::Exhaustive if uses_state_graph(opts) => stategraph::explore(&ctx, start),
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
    if stats.outcomes.iter().any(|o| out_of_steps(opts, o)) {
        stopped_by.push("max_steps".to_string());
    }
    if ctx.out_of_budget.load(Ordering::Relaxed) {
        stopped_by.push("max_executions".to_string());
    }
    if stats.out_of_states {
        stopped_by.push("max_states".to_string());
    }
    if stats.out_of_depth {
        stopped_by.push("max_depth".to_string());
    }
    if progress.stop.load(Ordering::Relaxed) {
        stopped_by.push("stopped".to_string());
    }
    let elapsed_ms = match (now, t0) {
        (Some(f), Some(t0)) => Some(f() - t0),
        _ => None,
    };
    let complete = stopped_by.is_empty();
    let condition = ctx.condition.as_ref().map(|c| ConditionAnswer::of(c.source(), &stats.outcomes, complete, stats.schedules_counted));
    report(opts, stats, stopped_by, elapsed_ms, condition)
}

/// The report of a search from what it found and what cut it.
fn report(opts: &Options, stats: search::Stats, stopped_by: Vec<String>, elapsed_ms: Option<f64>, condition: Option<ConditionAnswer>) -> Report {
    let (random_runs, random_seed) = match opts.mode {
        Mode::Random { runs, seed } | Mode::Pct { runs, seed, .. } => (Some(runs), Some(seed)),
        Mode::Exhaustive => (None, None),
    };
    let distinct_states = stats.distinct.or(opts.count_states.then_some(stats.seen.len() as u64));
    Report {
        complete: stopped_by.is_empty(),
        stopped_by,
        mode: mode_name(&opts.mode),
        executions: stats.executions,
        schedules_counted: stats.schedules_counted,
        counts_saturated: stats.saturated,
        states: stats.states,
        distinct_states,
        states_hashed: distinct_states.is_some(),
        sleep_pruned: stats.sleep_pruned,
        elapsed_ms,
        preemption_bound: opts.preemption_bound,
        max_executions: opts.max_executions,
        max_states: opts.max_states,
        max_depth: opts.max_depth,
        max_steps: opts.max_steps,
        max_steps_fitted: false,
        random_runs,
        random_seed,
        reduced: opts.reduce,
        reduction: reduction_name(opts),
        outcomes: stats.outcomes,
        deadlocks: stats.deadlocks,
        errors: stats.errors,
        condition,
    }
}

/// The report of a search that did not start because the condition does
/// not compile: no executions, incomplete (`bad_condition`), and the
/// error in [`ConditionAnswer::error`].
fn bad_condition(opts: &Options, error: String) -> Report {
    let expression = opts.condition.as_deref().unwrap_or("").trim().to_string();
    let mut answer = ConditionAnswer::of(&expression, &[], false, false);
    answer.error = Some(error);
    report(opts, search::Stats::default(), vec!["bad_condition".into()], None, Some(answer))
}

fn mode_name(mode: &Mode) -> String {
    match mode {
        Mode::Exhaustive => "exhaustive".into(),
        Mode::Random { .. } => "random".into(),
        Mode::Pct { depth, .. } => format!("pct (depth {depth})"),
    }
}

fn reduction_name(opts: &Options) -> String {
    if !opts.reduce {
        "none".into()
    } else if uses_state_graph(opts) {
        "state_graph".into()
    } else if uses_dpor(opts) {
        "dpor".into()
    } else {
        "sleep_sets".into()
    }
}
