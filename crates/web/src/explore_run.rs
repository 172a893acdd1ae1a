//! Exploring every schedule of a program, off the page's main thread.
//!
//! The search (`interleave_explorer`) is handed to the rayon pool: one
//! worker runs it and, since it asks for a parallel search, the subtrees of
//! the schedule tree spread over every worker of the pool (Web Workers on
//! one shared memory). The page polls the live counters in
//! [`Progress`] while it runs and receives the whole report at the end; its
//! Stop sets the progress's stop flag.
//!
//! After the search at the chosen preemption bound K has answered, the same
//! program is explored at every smaller bound (0, 1, …, K−1; 0 to 3 when
//! none is chosen), and their counts of schedules are what the page draws
//! as "how the schedules explode as the bound grows". The answer comes
//! first: the chart's searches are not always the small ones (without a
//! bound, the state graph's nodes are states alone, while a bounded
//! search's nodes also carry the preemptions used and the running thread,
//! so bound 3 can take longer than no bound at all: for seven naive
//! philosophers, 7.1 s against 1.9 s natively). A stop during the chart
//! ends the chart and keeps the answer.
//!
//! **Every schedule, when it fits.** A search cut by the preemption bound
//! alone answers for the schedules within the bound, and its "is it the
//! same in every schedule?" can only say "as far as explored". Tutorial
//! programs are often small enough to search whole, so before the chart
//! the same program is searched again with no bound, within the same
//! budget. If that search completes, it replaces the answer (the bounded
//! search's count becomes the chart's bar for K); if it does not, the
//! bounded answer stands, and says that the whole search was tried. This
//! is for the page's default bound only: a bound the learner moved the
//! slider to is the question (what do schedules with at most one
//! preemption do?), and is answered as asked. A program too big to search
//! whole costs one more budget's worth of search, which Stop ends like
//! the chart.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use interleave_engine::compile;
use interleave_explorer::{explore_with_progress, Mode, Options, Progress, Report};

use crate::engine_run::SyntaxProblem;
use crate::pool;

/// The step budget of one execution during exploration (the explorer's
/// default, raised for a program whose plain run needs more): a schedule
/// that runs longer is reported as a budget outcome.
pub const EXPLORE_MAX_STEPS: u64 = 200_000;

/// The most states the page's state-graph search stores (about 200 MB:
/// a fingerprint, a summary and the successors of each).
pub const MAX_STATES: u64 = 1_000_000;

/// What the learner asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct ExploreRequest {
    pub source: String,
    /// At most this many preemptions per schedule (None: unbounded).
    pub bound: Option<u32>,
    /// Stop after this many executions (each bound's search separately).
    pub max_executions: u64,
    /// Random sampling of this many schedules instead of the exhaustive search.
    pub random: Option<u64>,
    /// With `random`: PCT sampling (depth 3) instead of uniform choices.
    pub pct: bool,
    /// The program's `random` seed (and the sampling seed).
    pub seed: u64,
    /// The program's standard input (the same in every schedule).
    pub stdin: Vec<String>,
    /// Spread the search over the whole pool (else it runs on one worker).
    pub parallel: bool,
    /// Globals whose final values are part of each outcome.
    pub globals: Vec<String>,
    /// A Python expression asked of each schedule's final state (already
    /// checked to compile).
    pub condition: Option<String>,
    /// If the search at `bound` is cut by the bound alone, search again
    /// with no bound, and answer with that search if it finishes (see the
    /// module docs). The page asks for it at its default bound only.
    pub whole_if_it_fits: bool,
}

/// One bound's search in the growth series.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundCount {
    pub bound: Option<u32>,
    pub executions: u64,
    /// False when the executions budget cut this bound's search (the true
    /// number of schedules is larger).
    pub exhausted: bool,
    /// Whether `executions` counts schedules through the state graph
    /// (every schedule within the bound, none run one by one) rather than
    /// schedules run one by one (a tree search, where schedules that
    /// differ only in the order of independent steps run once).
    pub counted: bool,
}

/// What the search sends the page, in this order: a syntax error (and
/// nothing else), or the report, then the chart's bounds one by one. The
/// channel closes when all is sent.
pub enum ExploreUpdate {
    SyntaxError(SyntaxProblem),
    /// The search at the chosen bound: the answer.
    Done(Box<Report>),
    /// A search of the chart, at a smaller bound, finished; or, before
    /// a second `Done` with no bound (see the module docs), the chosen
    /// bound's count.
    Bound(BoundCount),
    /// The search with no bound that followed the answer (see the module
    /// docs) did not finish within the budget: the answer stands.
    WholeTooBig,
}

/// A search in progress.
pub struct Exploring {
    pub updates: UnboundedReceiver<ExploreUpdate>,
    pub progress: Arc<Progress>,
    /// The bound being searched now.
    pub current_bound: Arc<CurrentBound>,
}

/// The preemption bound of the search that runs now (None: unbounded),
/// which the search's thread sets and the page reads.
#[derive(Default)]
pub struct CurrentBound(AtomicU32);

impl CurrentBound {
    /// (`u32::MAX` stands for no bound.)
    fn set(&self, bound: Option<u32>) {
        self.0.store(bound.unwrap_or(u32::MAX), Ordering::Relaxed);
    }

    pub fn get(&self) -> Option<u32> {
        Some(self.0.load(Ordering::Relaxed)).filter(|&b| b != u32::MAX)
    }
}

/// The options the explorer runs with for `request` at `bound`. The page's
/// replay of a reported schedule uses the same seed, so it reproduces it.
pub fn options(request: &ExploreRequest, bound: Option<u32>) -> Options {
    Options {
        mode: match request.random {
            Some(runs) if request.pct => Mode::Pct { runs, depth: 3, seed: request.seed },
            Some(runs) => Mode::Random { runs, seed: request.seed },
            None => Mode::Exhaustive,
        },
        preemption_bound: bound,
        max_executions: Some(request.max_executions),
        // The state-graph search (every exhaustive one) stores states instead of
        // running executions one by one: ten states per execution of
        // budget is about the same time, within the page's memory.
        max_states: Some(states_budget(request.max_executions)),
        max_steps: EXPLORE_MAX_STEPS,
        seed: request.seed,
        stdin: request.stdin.clone(),
        parallel: request.parallel,
        globals: request.globals.clone(),
        condition: request.condition.clone(),
        ..Options::default()
    }
}

/// The states the exhaustive search may store for a budget of
/// `executions`: ten each, within the page's memory.
pub fn states_budget(executions: u64) -> u64 {
    executions.saturating_mul(10).min(MAX_STATES)
}

/// The smaller bounds searched first to show the growth.
pub fn series(bound: Option<u32>) -> Vec<Option<u32>> {
    match bound {
        Some(k) => (0..k).map(Some).collect(),
        None => (0..=3).map(Some).collect(),
    }
}

/// Starts the search on the pool. The pool must be running (`pool::ensure_pool`).
pub fn start(request: ExploreRequest) -> Exploring {
    let (tx, rx) = unbounded();
    let progress = Arc::new(Progress::default());
    let current_bound = Arc::new(CurrentBound::default());
    let (p, c) = (progress.clone(), current_bound.clone());
    rayon::spawn(move || run(request, tx, &p, &c));
    Exploring { updates: rx, progress, current_bound }
}

fn run(request: ExploreRequest, tx: UnboundedSender<ExploreUpdate>, progress: &Progress, current: &CurrentBound) {
    let program = match compile(&request.source, "main.py") {
        Ok(p) => p,
        Err(e) => {
            let _ = tx.unbounded_send(ExploreUpdate::SyntaxError(SyntaxProblem::of(&e)));
            return;
        }
    };
    current.set(request.bound);
    let report = explore_with_progress(&program, &options(&request, request.bound), Some(&pool::now_ms), progress);
    // The step budget the answer used (raised for a long program, see
    // `interleave_explorer::budget`): the chart's searches need no fitting.
    let max_steps = report.max_steps;
    // One schedule in all has nothing to grow: every bar would be 1.
    let single = report.executions <= 1;
    let only_the_bound = request.whole_if_it_fits && report.stopped_by == ["preemption_bound"];
    let fitted = report.max_steps_fitted;
    let bounded = BoundCount { bound: request.bound, executions: report.executions, exhausted: true, counted: report.schedules_counted };
    // What runs after an answer goes into `current` before the answer goes
    // out: the page reads it when the answer arrives, and its progress
    // line must name the search that runs next, not the one that ended.
    let chart = (!single).then(|| series(request.bound).first().copied()).flatten();
    if only_the_bound {
        current.set(None);
    } else if let Some(b) = chart {
        current.set(b);
    }
    let _ = tx.unbounded_send(ExploreUpdate::Done(Box::new(report)));
    // Random sampling has no chart: its executions are a choice, not a
    // count of schedules. And a stopped search is not followed by more.
    if request.random.is_some() || progress.stop.load(Ordering::Relaxed) {
        return;
    }
    if only_the_bound {
        // Every schedule, if that fits the budget (see the module docs).
        let opts = Options { max_steps, fit_steps: false, ..options(&request, None) };
        let mut whole = explore_with_progress(&program, &opts, Some(&pool::now_ms), progress);
        if progress.stop.load(Ordering::Relaxed) {
            return;
        }
        if let Some(b) = chart {
            current.set(b);
        }
        if whole.complete {
            // It ran with the step budget the first search fitted.
            whole.max_steps_fitted = fitted;
            let _ = tx.unbounded_send(ExploreUpdate::Bound(bounded));
            let _ = tx.unbounded_send(ExploreUpdate::Done(Box::new(whole)));
        } else {
            let _ = tx.unbounded_send(ExploreUpdate::WholeTooBig);
        }
    }
    if single {
        return;
    }
    for bound in series(request.bound) {
        current.set(bound);
        let opts = Options { max_steps, fit_steps: false, ..options(&request, bound) };
        let report = explore_with_progress(&program, &opts, Some(&pool::now_ms), progress);
        if progress.stop.load(Ordering::Relaxed) {
            // Stopped in the chart: this bound's count is not known.
            return;
        }
        let exhausted = !report.cut_by_budget();
        let _ = tx.unbounded_send(ExploreUpdate::Bound(BoundCount { bound, executions: report.executions, exhausted, counted: report.schedules_counted }));
        // A bound whose search already fills the budget says nothing
        // more at the next one, which would only fill it again; and one
        // that no preemption bound cut is the same at every larger bound.
        if !exhausted || report.complete {
            return;
        }
    }
}
