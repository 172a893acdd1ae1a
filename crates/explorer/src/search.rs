//! The search itself: depth-first over scheduling choices, with
//! run-through of invisible ops, sleep sets, a preemption bound, an
//! executions budget, random sampling, and a rayon split of the tree.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use interleave_engine::kernel::Tid;
use interleave_engine::modules::random::Rng;
use interleave_engine::{CaptureHost, Condition, Machine, Outcome};
use rayon::prelude::*;

use crate::frozen::Facts;
use crate::visible::{choices, classify, classify_with, independent, Footprint, InvisibleOps, Next};
use crate::{DeadlockEntry, ErrorEntry, Options, OutcomeEntry, Progress};

/// A sleep set: threads whose next (visible) op was already explored from
/// an equivalent state, with that op's footprint.
pub(crate) type Sleep = Vec<(Tid, Footprint)>;

/// Shared, read-only search settings and the budget counters every worker
/// consults.
pub(crate) struct Ctx<'a> {
    /// The program searched, to build a machine from its start.
    pub program: &'a interleave_engine::Program,
    pub opts: &'a Options,
    /// [`Options::condition`], compiled once for the whole search.
    pub condition: Option<Condition>,
    /// Live counters and the caller's stop flag (see [`Progress`]).
    pub progress: &'a Progress,
    /// Set once the executions budget is used up: every worker stops.
    pub out_of_budget: AtomicBool,
    /// What the program can never change (see [`crate::frozen`]).
    pub facts: Option<Facts>,
}

impl Ctx<'_> {
    /// Claims one execution from the budget; false when it is used up or
    /// the caller asked the search to stop (the execution is then not
    /// counted: the search ends with what it recorded before).
    pub(crate) fn claim(&self) -> bool {
        if self.progress.stop.load(Ordering::Relaxed) {
            return false;
        }
        let executions = &self.progress.executions;
        let Some(max) = self.opts.max_executions else {
            executions.fetch_add(1, Ordering::Relaxed);
            return true;
        };
        let prev = executions.fetch_add(1, Ordering::Relaxed);
        if prev >= max {
            executions.fetch_sub(1, Ordering::Relaxed);
            self.out_of_budget.store(true, Ordering::Relaxed);
            return false;
        }
        true
    }

    pub(crate) fn stopped(&self) -> bool {
        self.out_of_budget.load(Ordering::Relaxed) || self.progress.stop.load(Ordering::Relaxed)
    }
}

/// A hasher for keys that are already hashes (state fingerprints).
#[derive(Default)]
pub(crate) struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

/// The hasher of the explorer's tables of names and outcomes: the
/// engine's fingerprint hasher (an FxHash: a multiply per word, where
/// std's SipHash takes a few rounds per word). They are looked up at every
/// scheduling point and every execution's end, and their keys are the
/// program's own names and output, which need none of SipHash's defence
/// against keys chosen to collide.
pub(crate) type FxBuild = BuildHasherDefault<interleave_engine::fingerprint::Fp>;

/// What makes two outcomes the same: kind, exit status, stdout, error,
/// watched globals and the condition's value.
pub(crate) type OutcomeKey = (String, i32, String, Option<String>, Vec<(String, String)>, Option<String>);

/// The key under which `o` is counted with the outcomes like it.
pub(crate) fn outcome_key(o: &OutcomeEntry) -> OutcomeKey {
    (o.kind.clone(), o.exit_status, o.stdout.clone(), o.error.clone(), o.globals.clone(), o.condition.clone())
}

/// What a part of the search found. Entries keep the order in which the
/// depth-first search first met them, and merging appends in order, so the
/// parallel search reports exactly what the sequential one does.
#[derive(Default)]
pub(crate) struct Stats {
    pub executions: u64,
    /// Scheduling points expanded (states visited, not deduplicated).
    pub states: u64,
    /// Paths cut because every enabled thread was in the sleep set.
    pub sleep_pruned: u64,
    /// Whether the preemption bound cut off any choice.
    pub bound_hit: bool,
    pub outcomes: Vec<OutcomeEntry>,
    outcome_ix: HashMap<OutcomeKey, usize, FxBuild>,
    pub deadlocks: Vec<DeadlockEntry>,
    deadlock_ix: HashMap<String, usize>,
    pub errors: Vec<ErrorEntry>,
    error_ix: HashMap<(i32, String), usize>,
    /// Fingerprints of the states passed (with [`Options::count_states`]).
    pub seen: HashSet<u64, BuildHasherDefault<Prehashed>>,
    /// The count of distinct states when a search knows it without
    /// `seen` (the state-graph search stores every state anyway).
    pub distinct: Option<u64>,
    /// The counts are exact numbers of schedules (the state-graph search;
    /// see [`crate::stategraph`]), not of executions run.
    pub schedules_counted: bool,
    /// Some count did not fit in 64 bits and says `u64::MAX`.
    pub saturated: bool,
    /// The state-graph search stopped at [`Options::max_states`].
    pub out_of_states: bool,
    /// The state-graph search stopped at [`Options::max_depth`].
    pub out_of_depth: bool,
}

impl Stats {
    /// Adds `other`, found after everything in `self` in search order.
    pub fn merge(&mut self, mut other: Stats) {
        self.executions += other.executions;
        self.states += other.states;
        self.sleep_pruned += other.sleep_pruned;
        self.bound_hit |= other.bound_hit;
        // Union into the larger set (the order of a set does not matter).
        if self.seen.len() < other.seen.len() {
            std::mem::swap(&mut self.seen, &mut other.seen);
        }
        self.seen.extend(other.seen.drain());
        for o in other.outcomes {
            let key = outcome_key(&o);
            match self.outcome_ix.get(&key) {
                Some(&i) => self.outcomes[i].count = self.outcomes[i].count.saturating_add(o.count),
                None => {
                    self.outcome_ix.insert(key, self.outcomes.len());
                    self.outcomes.push(o);
                }
            }
        }
        for d in other.deadlocks {
            match self.deadlock_ix.get(&d.cycle) {
                Some(&i) => self.deadlocks[i].count = self.deadlocks[i].count.saturating_add(d.count),
                None => {
                    self.deadlock_ix.insert(d.cycle.clone(), self.deadlocks.len());
                    self.deadlocks.push(d);
                }
            }
        }
        for e in other.errors {
            let key = (e.exit_status, e.message.clone());
            match self.error_ix.get(&key) {
                Some(&i) => self.errors[i].count = self.errors[i].count.saturating_add(e.count),
                None => {
                    self.error_ix.insert(key, self.errors.len());
                    self.errors.push(e);
                }
            }
        }
    }

    /// Counts one scheduling point, here and in the live counters.
    pub(crate) fn visit(&mut self, ctx: &Ctx, m: &Machine) {
        self.states += 1;
        ctx.progress.states.fetch_add(1, Ordering::Relaxed);
        self.fingerprint(ctx, m);
    }

    /// Notes `m`'s state as seen (with [`Options::count_states`]).
    pub(crate) fn fingerprint(&mut self, ctx: &Ctx, m: &Machine) {
        if ctx.opts.count_states {
            self.seen.insert(m.fingerprint());
        }
    }

    /// Records one finished execution, with the final values of the
    /// watched globals ([`Options::globals`]) and the value of the
    /// condition ([`Options::condition`]) as part of its outcome.
    pub(crate) fn record(&mut self, ctx: &Ctx, m: &mut Machine) {
        // The condition is evaluated last: an expression with side effects
        // may change the state and the globals, so both are read before.
        self.fingerprint(ctx, m);
        self.record_end(ctx, m);
    }

    /// [`Stats::record`] without noting the end state's fingerprint (for a
    /// search that has already taken it).
    pub(crate) fn record_end(&mut self, ctx: &Ctx, m: &mut Machine) {
        let globals = watched_globals(m, &ctx.opts.globals);
        let condition = ctx.condition.as_ref().and_then(|c| condition_value(m, c));
        // Most executions end in an outcome found before, with nothing on
        // stderr: count them without building the run's result, whose
        // schedule string is only needed for the first of each outcome.
        if let Some(Outcome::Finished { exit_code }) = &m.outcome {
            if m.rec.stderr.trim().is_empty() {
                let key: OutcomeKey = ("finished".to_string(), *exit_code, m.rec.stdout.clone(), None, globals, condition);
                if let Some(&i) = self.outcome_ix.get(&key) {
                    self.executions += 1;
                    self.outcomes[i].count = self.outcomes[i].count.saturating_add(1);
                    return;
                }
                let (_, _, _, _, g, c) = key;
                return self.record_new(m, g, c);
            }
        }
        self.record_new(m, globals, condition)
    }

    /// [`Stats::record_end`] of an execution whose outcome may be new.
    fn record_new(&mut self, m: &mut Machine, globals: Vec<(String, String)>, condition: Option<String>) {
        let mut one = Stats { executions: 1, ..Stats::default() };
        let r = m.result();
        let schedule = r.schedule.clone();
        let exit_status = r.exit_status();
        let kind = match &r.outcome {
            Outcome::Finished { .. } => "finished",
            Outcome::Deadlock { .. } => "deadlock",
            Outcome::Budget { .. } => "budget",
            Outcome::Stopped { .. } => "stopped",
        };
        // The last stderr line names the exception (`AssertionError: ...`)
        // whether the main thread or another one raised it.
        let error = r.stderr.lines().rev().find(|l| !l.trim().is_empty()).map(str::to_string);
        if let Some(msg) = &error {
            one.errors.push(ErrorEntry { message: msg.clone(), exit_status, count: 1, schedule: schedule.clone(), stdout: r.stdout.clone() });
        }
        let detail = match &r.outcome {
            Outcome::Budget { message } | Outcome::Stopped { message } => Some(message.clone()),
            _ => None,
        };
        if let Outcome::Deadlock { report } = &r.outcome {
            let cycle = report.lines().next().unwrap_or("Deadlock").to_string();
            // The report ends with the schedule line, which differs from
            // one execution to the next; the rest describes the deadlock.
            let report_text: String = report.lines().filter(|l| !l.starts_with("schedule:")).map(|l| format!("{l}\n")).collect();
            // By tid, as `Machine::threads` lists them (which would also
            // name every lock each thread holds: a search of the heap each).
            let mut blocked: Vec<(Tid, String)> = m
                .all_threads()
                .filter(|t| matches!(t.state, interleave_engine::kernel::ThreadState::Blocked(_)))
                .map(|t| (t.tid, t.name.to_string()))
                .collect();
            blocked.sort();
            let blocked: Vec<String> = blocked.into_iter().map(|(_, n)| n).collect();
            // The threads on the wait-for cycle (the report names them);
            // with no cycle (everyone waits on an event, say), all of them.
            let on_cycle: Vec<String> = blocked.iter().filter(|n| cycle.contains(&format!("{n} "))).cloned().collect();
            let threads = if on_cycle.is_empty() { blocked.clone() } else { on_cycle };
            one.deadlocks.push(DeadlockEntry { cycle, threads, blocked, report: report_text, count: 1, schedule: schedule.clone(), stdout: r.stdout.clone() });
        }
        one.outcomes.push(OutcomeEntry { kind: kind.to_string(), stdout: r.stdout.clone(), exit_status, error, detail, globals, condition, count: 1, schedule });
        self.merge(one);
    }
}

/// The reprs of the module globals named in `watch`, in that order
/// (`(not set)` for a name the program never bound).
fn watched_globals(m: &mut Machine, watch: &[String]) -> Vec<(String, String)> {
    if watch.is_empty() {
        return Vec::new();
    }
    let all = m.globals();
    watch
        .iter()
        .map(|w| (w.clone(), all.iter().find(|(k, _)| k == w).map(|(_, v)| v.clone()).unwrap_or_else(|| "(not set)".into())))
        .collect()
}

/// The condition's value on an ended execution: `true`, `false`, or the
/// exception it raised (`NameError: name 'x' is not defined`). It is asked
/// of finished and deadlocked executions (a deadlock is where that run
/// ended: the globals are what the stuck threads left), not of one cut by
/// the step budget, which stopped at an arbitrary point and did not show
/// how it would end (None).
fn condition_value(m: &mut Machine, c: &Condition) -> Option<String> {
    match m.outcome {
        Some(Outcome::Finished { .. } | Outcome::Deadlock { .. }) => Some(match m.eval_condition(c) {
            Ok(true) => "true".to_string(),
            Ok(false) => "false".to_string(),
            Err(e) => e,
        }),
        _ => None,
    }
}

/// Where a node's machine comes from: a sibling-shared snapshot (cloned
/// when the node is visited, moved for the last sibling) or its own.
enum Source {
    Shared(Arc<Machine>),
    Owned(Box<Machine>),
}

/// An unvisited node of the search tree: a snapshot and the choice that
/// leads from it to the node.
struct Item {
    source: Source,
    /// The thread to step first (None for the root).
    step: Option<Tid>,
    sleep: Sleep,
    preemptions: u32,
}

impl Item {
    /// Builds the node's machine: the parent's state plus one step of the
    /// chosen thread, then that thread's invisible ops.
    fn materialize(self, ctx: &Ctx) -> (Machine, Sleep, u32, Option<Tid>) {
        let mut m = match self.source {
            Source::Owned(b) => *b,
            Source::Shared(a) => Arc::try_unwrap(a).unwrap_or_else(|a| (*a).clone()),
        };
        if let Some(t) = self.step {
            advance(ctx, &mut m, t);
        }
        // The root is where the main thread, which ran alone up to it,
        // may go on without a preemption (as in the state graph).
        (m, self.sleep, self.preemptions, Some(self.step.unwrap_or(0)))
    }
}

/// Lets thread `t` run through its invisible ops (see [`crate::visible`]),
/// and on through every op while it is alone in the process ([`run_on`]).
/// The machine's step budget bounds a thread looping on them forever.
pub(crate) fn run_invisible(ctx: &Ctx, m: &mut Machine, t: Tid) {
    run_on(ctx, m, t, Alone::Run, false);
}

/// Whether a thread left alone in the process runs on without scheduling
/// points (see [`run_on`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Alone {
    Run,
    Stop,
}

/// [`run_invisible`], and in the exhaustive searches with `alone` also
/// through every op while `t` is the only thread of the process (the main
/// thread setting up before its first `start()`, or printing after its
/// last `join()`): with no other thread there is no choice to make. The
/// state graph and the sleep-set search need nothing more. DPOR also
/// needs no later op to race with an event of its path, so it asks for
/// this only where every event of the path happens before `t`'s next op
/// (see `dpor::take`). When sampling, each of those steps stays a draw of
/// its own, so that a seed names the same schedules as it did.
///
/// `at_visible`: the step just taken ended before a visible op (see
/// [`step_local`]), so the first classification is known, and not asked
/// again.
fn run_on(ctx: &Ctx, m: &mut Machine, t: Tid, alone: Alone, mut at_visible: bool) {
    if !ctx.opts.reduce {
        return;
    }
    let alone = alone == Alone::Run && ctx.opts.mode == crate::Mode::Exhaustive;
    let mut host = CaptureHost::new();
    while m.outcome.is_none() && m.is_ready(t) {
        if alone && only_thread(m, t) {
            // Every op, in few trips: up to the next call.
            m.step_local_with(t, &mut host, &UpToACall);
            at_visible = false;
            continue;
        }
        if at_visible || classify_with(m, t, ctx.facts.as_ref()) != Next::Invisible {
            break;
        }
        at_visible = step_local(ctx, m, t, &mut host);
    }
}

/// For a thread alone in its process, which runs on through every op
/// (see [`run_on`]): every op but a call, so that a call begins a trip of
/// its own. A `start()` must: the thread it starts learns where its
/// starter's module code was only when the trip was that one op
/// (`Thread::started_at`, which the freezes read).
struct UpToACall;

impl interleave_engine::local::Invisible for UpToACall {
    fn invisible(&self, _: &interleave_engine::kernel::Process, _: Tid, frames: &[interleave_engine::vm::Frame]) -> bool {
        use interleave_engine::code::Op;
        match frames.last().and_then(|f| f.code.ops.get(f.ip)) {
            Some(Op::Call(_) | Op::CallMethod(_) | Op::CallKw(..) | Op::CallEx) | None => false,
            Some(_) => true,
        }
    }
}

/// `Machine::step_local`, running on through the search's invisible ops
/// as well as the local ones where it can ([`InvisibleOps`]): the same
/// state as stepping through them one trip at a time, as [`run_on`]
/// would, at a fraction of the cost. True when the run ended because the
/// next op is visible ([`classify_with`] would say so: the engine asked
/// the same question just before it).
fn step_local(ctx: &Ctx, m: &mut Machine, t: Tid, host: &mut CaptureHost) -> bool {
    match ctx.facts.as_ref() {
        Some(f) if m.procs.len() == 1 => {
            let ops = InvisibleOps::new(f);
            m.step_local_with(t, host, &ops);
            ops.said_visible()
        }
        _ => {
            m.step_local(t, host);
            false
        }
    }
}

/// Whether `t` is the only thread of the process: no other thread is
/// running, ready, blocked or started and yet to run.
fn only_thread(m: &Machine, t: Tid) -> bool {
    m.procs.len() == 1 && matches!(m.process().threads.as_slice(), [only] if only.tid == t)
}

/// One transition of the search: thread `t`'s next (visible) op, then
/// its invisible ops. Every search moves between states this way, and a
/// schedule replays the same way.
pub(crate) fn advance(ctx: &Ctx, m: &mut Machine, t: Tid) {
    step_on(ctx, m, t, Alone::Run);
    first_steps(ctx, m);
}

/// Thread `t`'s next op, then its invisible ops ([`run_on`] with
/// `alone`): the first part of [`advance`].
pub(crate) fn step_on(ctx: &Ctx, m: &mut Machine, t: Tid, alone: Alone) {
    let mut host = CaptureHost::new();
    // With the reductions, the local ops after the step are invisible:
    // the engine runs them in the same trip (`Machine::step_local`), with
    // the search's other invisible ops, and `run_on` takes the thread on
    // from where that stopped.
    let at_visible = if ctx.opts.reduce {
        step_local(ctx, m, t, &mut host)
    } else {
        m.step(t, &mut host);
        false
    };
    run_on(ctx, m, t, alone, at_visible);
}

/// In the exhaustive searches, also the first step of every thread just
/// started whose first step only calls a plain function
/// (`visible::first_step` finds it only allocates): it commutes with every
/// op of every thread and nothing can disable it, so it is a persistent set
/// on its own whenever it is taken, and taking it at once saves every
/// thread one scheduling point. DPOR needs no event for it on its path, as
/// it races with nothing. The tree searches keep it as a step of its own
/// under a preemption bound, where running it in the middle of another
/// thread's turn would count as switches the schedule did not make (the
/// bounded state graph counts preemptions by the thread that may go on,
/// which the first step does not change), and when sampling, so that a
/// random schedule stays one draw per step.
pub(crate) fn first_steps(ctx: &Ctx, m: &mut Machine) {
    let o = ctx.opts;
    let tree = o.preemption_bound.is_none() && o.mode == crate::Mode::Exhaustive;
    if !ctx.facts.as_ref().is_some_and(|f| f.stateful() || tree) {
        return;
    }
    let mut host = CaptureHost::new();
    loop {
        if m.outcome.is_some() {
            return;
        }
        // Usually no thread has a first step pending: no list is built.
        let pending: Vec<Tid> = m.all_threads().filter(|x| x.pending_call.is_some()).map(|x| x.tid).collect();
        let fresh = pending.into_iter().filter(|&u| {
            m.is_ready(u) && classify(m, u) == Next::Visible(Footprint::Write(crate::visible::Location::Allocator))
        });
        let Some(u) = fresh.min() else { return };
        m.step_local(u, &mut host);
        run_invisible(ctx, m, u);
    }
}

/// Sorts the threads `ts` by tid, the one that ran last first (no
/// preemption: the first schedule a search tries is the natural one).
pub(crate) fn last_first(ts: &mut Vec<Tid>, last: Option<Tid>) {
    ts.sort_unstable();
    if let Some(i) = last.and_then(|l| ts.iter().position(|t| *t == l)) {
        let t = ts.remove(i);
        ts.insert(0, t);
    }
}

/// The threads to try from `m` ([`choices`]), in [`last_first`] order;
/// empty once the program has ended: an execution ends exactly when this
/// is empty.
pub(crate) fn enabled(m: &mut Machine, last: Option<Tid>) -> Vec<Tid> {
    if m.outcome.is_some() {
        return Vec::new();
    }
    let mut e = choices(m);
    last_first(&mut e, last);
    e
}

/// A child choice at a scheduling point.
struct Choice {
    tid: Tid,
    sleep: Sleep,
    preemptions: u32,
}

enum Expanded {
    /// The execution ended (recorded).
    Terminal,
    Children(Vec<Choice>),
}

/// Expands the node in `m`: records it if it is an end, else lists the
/// choices to explore, in order: the thread that ran last first (no
/// preemption, so the first execution is the natural one), then the others
/// by thread id.
fn expand(ctx: &Ctx, m: &mut Machine, sleep: &Sleep, preemptions: u32, last: Option<Tid>, stats: &mut Stats) -> Expanded {
    if m.outcome.is_some() {
        stats.record(ctx, m);
        return Expanded::Terminal;
    }
    let mut enabled = choices(m);
    if enabled.is_empty() {
        // The engine resolves "nothing runnable" inside `step` (clock jump
        // or deadlock), so this does not happen; end the execution rather
        // than loop if it ever does.
        stats.record(ctx, m);
        return Expanded::Terminal;
    }
    stats.visit(ctx, m);
    last_first(&mut enabled, last);
    let last_enabled = last.filter(|l| enabled.contains(l));
    let mut done: Sleep = Vec::new();
    let mut out = Vec::new();
    let mut slept = false;
    for &t in &enabled {
        if sleep.iter().any(|(u, _)| *u == t) {
            slept = true;
            continue;
        }
        // Switching away from a thread that could go on is a preemption;
        // switching when it blocked or ended is free.
        let pre = preemptions + u32::from(last_enabled.is_some_and(|l| l != t));
        if ctx.opts.preemption_bound.is_some_and(|k| pre > k) {
            stats.bound_hit = true;
            continue;
        }
        if !ctx.opts.reduce {
            out.push(Choice { tid: t, sleep: Vec::new(), preemptions: pre });
            continue;
        }
        let fp = match classify(m, t) {
            Next::Visible(fp) => fp,
            // Cannot happen after run-through (only the last thread runs
            // invisible ops, and it ran through them); treat as `All`.
            Next::Invisible => Footprint::All,
        };
        // The child's sleep set: what was asleep here, plus the siblings
        // explored before it, as long as they commute with this step.
        let child_sleep: Sleep = sleep.iter().chain(done.iter()).filter(|(_, f)| independent(f, &fp)).cloned().collect();
        out.push(Choice { tid: t, sleep: child_sleep, preemptions: pre });
        done.push((t, fp));
    }
    if out.is_empty() && slept {
        stats.sleep_pruned += 1;
    }
    Expanded::Children(out)
}

/// Sequential depth-first search of the subtree at `root`.
fn dfs(ctx: &Ctx, root: Item, stats: &mut Stats) {
    let mut stack = vec![root];
    while let Some(item) = stack.pop() {
        if ctx.stopped() {
            return;
        }
        let (mut m, mut sleep, mut pre, mut last) = item.materialize(ctx);
        loop {
            if m.outcome.is_some() && !ctx.claim() {
                return;
            }
            match expand(ctx, &mut m, &sleep, pre, last, stats) {
                Expanded::Terminal => break,
                Expanded::Children(mut cs) if cs.len() == 1 => {
                    // A single choice needs no snapshot: step in place.
                    let c = cs.remove(0);
                    advance(ctx, &mut m, c.tid);
                    sleep = c.sleep;
                    pre = c.preemptions;
                    last = Some(c.tid);
                }
                Expanded::Children(cs) => {
                    let shared = Arc::new(m);
                    for c in cs.into_iter().rev() {
                        stack.push(Item { source: Source::Shared(shared.clone()), step: Some(c.tid), sleep: c.sleep, preemptions: c.preemptions });
                    }
                    break;
                }
            }
        }
    }
}

/// The search of the subtree at `item`, split over the rayon pool for the
/// first `split_depth` levels of branching. Children are searched in
/// parallel but merged in order, so the result equals the sequential one.
fn par_dfs(ctx: &Ctx, item: Item, depth: u32) -> Stats {
    let mut stats = Stats::default();
    if depth >= ctx.opts.split_depth {
        dfs(ctx, item, &mut stats);
        return stats;
    }
    if ctx.stopped() {
        return stats;
    }
    let (mut m, mut sleep, mut pre, mut last) = item.materialize(ctx);
    loop {
        if m.outcome.is_some() && !ctx.claim() {
            return stats;
        }
        match expand(ctx, &mut m, &sleep, pre, last, &mut stats) {
            Expanded::Terminal => return stats,
            Expanded::Children(mut cs) if cs.len() == 1 => {
                let c = cs.remove(0);
                advance(ctx, &mut m, c.tid);
                sleep = c.sleep;
                pre = c.preemptions;
                last = Some(c.tid);
            }
            Expanded::Children(cs) => {
                let items: Vec<Item> = cs
                    .into_iter()
                    .map(|c| Item { source: Source::Owned(Box::new(m.clone())), step: Some(c.tid), sleep: c.sleep, preemptions: c.preemptions })
                    .collect();
                let parts: Vec<Stats> = items.into_par_iter().map(|it| par_dfs(ctx, it, depth + 1)).collect();
                for p in parts {
                    stats.merge(p);
                }
                return stats;
            }
        }
    }
}

/// Exhaustive (or bounded) search from the program's start.
pub(crate) fn exhaustive(ctx: &Ctx, start: Machine) -> Stats {
    let mut m = start;
    // The main thread's leading invisible ops need no choices either.
    run_invisible(ctx, &mut m, 0);
    let root = Item { source: Source::Owned(Box::new(m)), step: None, sleep: Vec::new(), preemptions: 0 };
    if ctx.opts.parallel {
        par_dfs(ctx, root, 0)
    } else {
        let mut stats = Stats::default();
        dfs(ctx, root, &mut stats);
        stats
    }
}

/// Runs one execution from `start`, letting `choose` pick the child at
/// every scheduling point (an index into the choices, which are never
/// empty; None ends the walk). Records the execution into `stats` (and,
/// if `counted`, claims it from the executions budget) and returns the
/// number of scheduling points passed.
fn walk(ctx: &Ctx, start: &Machine, stats: &mut Stats, counted: bool, mut choose: impl FnMut(&[Choice]) -> Option<usize>) -> u64 {
    let mut m = start.clone();
    run_invisible(ctx, &mut m, 0);
    let (mut pre, mut last, mut points) = (0u32, None, 0u64);
    loop {
        if m.outcome.is_some() && counted && !ctx.claim() {
            return points;
        }
        match expand(ctx, &mut m, &Vec::new(), pre, last, stats) {
            Expanded::Terminal => return points,
            Expanded::Children(cs) if cs.is_empty() => return points,
            Expanded::Children(cs) => {
                points += 1;
                let Some(c) = choose(&cs).and_then(|i| cs.get(i)) else { return points };
                advance(ctx, &mut m, c.tid);
                pre = c.preemptions;
                last = Some(c.tid);
            }
        }
    }
}

/// One random execution: at each scheduling point a uniformly random
/// enabled thread (within the preemption bound). Run `run` of a sampling
/// search uses its own generator seeded from (seed, run), so runs are
/// independent of each other and of how they are spread over workers.
fn random_run(ctx: &Ctx, start: &Machine, seed: u64, run: u64) -> Stats {
    let mut stats = Stats::default();
    if ctx.stopped() {
        return stats;
    }
    let mut rng = Rng::new(seed ^ run.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    walk(ctx, start, &mut stats, true, |cs| Some(rng.below(cs.len() as u64) as usize));
    stats
}

/// One PCT execution (see [`crate::Mode::Pct`]): every thread gets a
/// random priority above `depth` when first seen; at `depth - 1` random
/// scheduling points (out of `k`, the length of a natural execution) the
/// thread that would run drops to priority `depth - 1`, `depth - 2`, ...;
/// the enabled thread of highest priority always runs.
fn pct_run(ctx: &Ctx, start: &Machine, seed: u64, run: u64, depth: u32, k: u64) -> Stats {
    let mut stats = Stats::default();
    if ctx.stopped() {
        return stats;
    }
    let mut rng = Rng::new(seed ^ run.wrapping_add(1).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let changes: Vec<u64> = (1..depth).map(|_| 1 + rng.below(k.max(1))).collect();
    let mut priority: HashMap<Tid, u64> = HashMap::new();
    let mut point = 0u64;
    walk(ctx, start, &mut stats, true, |cs| {
        for c in cs {
            if !priority.contains_key(&c.tid) {
                priority.insert(c.tid, u64::from(depth) + 1 + rng.below(1 << 40));
            }
        }
        point += 1;
        let best = |p: &HashMap<Tid, u64>| (0..cs.len()).max_by_key(|&i| p[&cs[i].tid]);
        if let Some(j) = changes.iter().position(|&c| c == point) {
            // A change point: the thread about to run is demoted below
            // every initial priority (later points lower still).
            if let Some(i) = best(&priority) {
                priority.insert(cs[i].tid, u64::from(depth) - j as u64 - 1);
            }
        }
        best(&priority)
    });
    stats
}

/// The number of scheduling points of the natural execution (the running
/// thread goes on while it can): PCT's `k`.
fn natural_length(ctx: &Ctx, start: &Machine) -> u64 {
    // A measurement, not one of the sampled executions: not counted.
    walk(ctx, start, &mut Stats::default(), false, |_| Some(0))
}

/// `runs` random executions (uniform, or PCT with `pct` = Some(depth)),
/// merged in run order.
pub(crate) fn sample(ctx: &Ctx, start: Machine, runs: u64, seed: u64, pct: Option<u32>) -> Stats {
    let k = if pct.is_some() { natural_length(ctx, &start) } else { 0 };
    let one = |r: u64| match pct {
        Some(depth) => pct_run(ctx, &start, seed, r, depth.max(1), k),
        None => random_run(ctx, &start, seed, r),
    };
    let parts: Vec<Stats> = if ctx.opts.parallel { (0..runs).into_par_iter().map(one).collect() } else { (0..runs).map(one).collect() };
    let mut stats = Stats::default();
    for p in parts {
        stats.merge(p);
    }
    stats
}

#[cfg(test)]
mod one_trip {
    //! The engine runs a thread on through the search's invisible ops in
    //! the same trip as its local ones (`step_local` with
    //! [`InvisibleOps`]). That must reach exactly the state, and record
    //! exactly the schedule, that stepping through them one trip each does
    //! (how `run_on` went before), at every step of every program.

    use super::*;
    use crate::frozen::Facts;
    use crate::{config, Options};

    /// Thread `t`'s step and invisible ops, one trip of the engine per op
    /// past the local ones.
    fn step_on_one_trip_each(ctx: &Ctx, m: &mut Machine, t: Tid, alone: Alone) {
        let mut host = CaptureHost::new();
        m.step_local(t, &mut host);
        let alone = alone == Alone::Run && ctx.opts.mode == crate::Mode::Exhaustive;
        while m.outcome.is_none() && m.is_ready(t) && ((alone && only_thread(m, t)) || classify_with(m, t, ctx.facts.as_ref()) == Next::Invisible) {
            m.step_local(t, &mut host);
        }
    }

    #[test]
    fn invisible_ops_in_one_trip_reach_the_state_one_trip_each_does() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/corpus");
        let mut paths = Vec::new();
        for dir in std::fs::read_dir(root).expect("corpus").map(|e| e.expect("entry").path()).filter(|p| p.is_dir()) {
            paths.extend(std::fs::read_dir(&dir).expect("corpus dir").map(|e| e.expect("entry").path()).filter(|p| p.extension().is_some_and(|e| e == "py")));
        }
        paths.sort();
        let (mut walked, mut fused) = (0, 0u64);
        let opts = Options::default();
        let progress = crate::Progress::default();
        for path in &paths {
            let src = std::fs::read_to_string(path).expect("reads");
            let Ok(program) = interleave_engine::compile(&src, "main.py") else { continue };
            let start = Machine::new(&program, config(&opts));
            // The freezes of the tree searches and of the state graph.
            for stateful in [false, true] {
                let facts = Some(Facts::new(&program, &start, stateful));
                let ctx = Ctx { program: &program, opts: &opts, condition: None, progress: &progress, out_of_budget: Default::default(), facts };
                let (mut a, mut b) = (start.clone(), start.clone());
                run_invisible(&ctx, &mut a, 0);
                step_on_one_trip_each(&ctx, &mut b, 0, Alone::Run);
                // A walk of a few hundred steps, the thread drawn from a
                // fixed sequence, alternating whether a thread left alone
                // runs on (as DPOR decides it).
                let mut draw = 0x9E37_79B9_7F4A_7C15u64 ^ walked as u64;
                let mut last = Some(0);
                for k in 0..300 {
                    let where_ = format!("{} (stateful: {stateful}), step {k}", path.display());
                    assert_eq!(a.fingerprint(), b.fingerprint(), "{where_}");
                    assert_eq!(a.schedule.to_string(), b.schedule.to_string(), "{where_}");
                    let en = enabled(&mut a, last);
                    if en.is_empty() {
                        break;
                    }
                    draw = draw.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    let t = en[(draw >> 33) as usize % en.len()];
                    let alone = if k % 2 == 0 { Alone::Run } else { Alone::Stop };
                    let before = a.kernel.steps;
                    step_on(&ctx, &mut a, t, alone);
                    step_on_one_trip_each(&ctx, &mut b, t, alone);
                    first_steps(&ctx, &mut a);
                    first_steps(&ctx, &mut b);
                    fused += a.kernel.steps - before;
                    last = Some(t);
                }
                walked += 1;
            }
        }
        assert!(walked > 200, "{walked} walks");
        assert!(fused > 10_000, "{fused} steps");
    }
}
