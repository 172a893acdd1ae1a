//! Dynamic partial-order reduction (DPOR): explore one schedule per
//! *ordering of conflicting operations*, not one per interleaving.
//!
//! Two schedules that differ only in the order of operations that commute
//! (two threads reading the same global, or touching different ones) reach
//! the same state. What tells schedules apart is the order of each pair of
//! *dependent* operations: a write and another access to the same
//! location, two acquires of one lock, a thread's end and a `join` on it.
//! DPOR (Flanagan and Godefroid, POPL 2005; the algorithm in loom and in
//! CHESS's successors) runs one schedule, looks along it for *races* (two
//! dependent operations of different threads with nothing forcing their
//! order), and only then adds a branch that reverses that race, at the
//! state just before the first of the two. Branches that reverse nothing
//! are never taken.
//!
//! The pieces:
//! - **Events.** Each step of the search is one visible op of one thread
//!   (with the invisible ops that follow it; see [`crate::visible`]). The
//!   current path keeps, for every event, its thread, its footprint and a
//!   vector clock.
//! - **Happens-before.** Event *i* happens before event *j* when a chain of
//!   program order, thread creation and dependent events leads from *i* to
//!   *j*. Vector clocks answer that in O(1): a clock holds, per thread, how
//!   many of that thread's events are in the event's past.
//! - **Races and backtracking.** At each state, for every live thread *q*
//!   (running or blocked) and the op it would do next, each other thread's
//!   latest event that is dependent with it and not in its past is a race,
//!   unless it happens before another such event (`Path::races`). To
//!   reverse one, the events after it that do not depend on it
//!   run first, then *q*'s op: a thread that can begin that sequence (an
//!   *initial* of it, as in source-set DPOR, Abdulla et al., POPL 2014)
//!   is added to the backtrack set of the state before the race, unless
//!   one is there already. (Picking *q* when it could run there, and a
//!   thread that leads to it otherwise, as this search once did, missed
//!   classes of schedules: 14 of the 15 of four dining philosophers.)
//! - **Races that cannot be reversed** are left alone: a `join()` cannot
//!   come before the end of the thread it waits for, and a blocking
//!   acquire cannot come before the release that freed the lock (the race
//!   to reverse is then with the acquire that took it; see `add_races`).
//!   Trying them would only run paths that the sleep sets cut short.
//! - **Sleep sets** on top, as in the sleep-set search: a thread already
//!   explored from an equivalent state is not run again until something it
//!   conflicts with has run.
//!
//! The outcome set is that of the full search (the agreement tests compare
//! it with brute force and with the sleep-set search); the counts are of
//! the reduced executions, so they shrink.
//!
//! **Parallel search.** Which branches DPOR adds depends on the order in
//! which it explores, so its tree cannot simply be split between workers.
//! Instead the first [`SPLIT`] branching states of every schedule are
//! expanded fully (every thread that can run is tried, less the sleep set);
//! a race that would add a branch there needs nothing more, since every
//! branch is taken anyway. Below them each subtree is an independent DPOR
//! search, which a worker can run alone. The sequential search expands the
//! same levels fully, so both report exactly the same executions, counts
//! and schedules.

use interleave_engine::kernel::Tid;
use interleave_engine::value::ObjId;
use interleave_engine::Machine;
use rayon::prelude::*;

use crate::search::{enabled, first_steps, run_invisible, step_on, Alone, Ctx, Sleep, Stats};
use crate::visible::{classify, independent, lock_call, Footprint, Location, Next};

/// Branching states expanded fully at the top of the tree (see the module
/// docs): few enough to cost little, enough to spread over a few workers.
pub const SPLIT: usize = 3;

/// Per thread (indexed by tid), how many of its events happen before.
type Clock = Vec<u32>;

fn at(c: &[u32], t: Tid) -> u32 {
    c.get(t as usize).copied().unwrap_or(0)
}

fn join_into(a: &mut Clock, b: &Clock) {
    if a.len() < b.len() {
        a.resize(b.len(), 0);
    }
    for (x, y) in a.iter_mut().zip(b) {
        *x = (*x).max(*y);
    }
}

#[derive(Clone)]
struct Event {
    tid: Tid,
    fp: Footprint,
    /// The event's own clock (its past, itself included).
    clock: Clock,
    /// For a call of a Lock's or RLock's method: the lock, and the thread
    /// that held it just before the event (see `add_races`).
    lock: Option<(ObjId, Option<Tid>)>,
    /// Whether the thread ran on alone after the event (see `take`): a
    /// replay of the event must do the same.
    alone: Alone,
}

/// The current path: its events and each thread's clock after them.
#[derive(Clone, Default)]
struct Path {
    events: Vec<Event>,
    /// Indexed by tid: the event whose clock is the thread's (its last
    /// event, or the event that started it; `None` for the main thread
    /// before its first). An index, not a copy of the clock, so that
    /// saving and restoring this table at a branching state is cheap.
    threads: Vec<Option<usize>>,
    /// Indexed by tid: the indices of the thread's events, in order. The
    /// k-th of them has k + 1 as its own entry in its clock, so the events
    /// of a thread that happen before a clock `c` are its first `c[tid]`,
    /// and a search for the latest event of each thread with some
    /// property can stop there instead of going through the whole path.
    by_thread: Vec<Vec<usize>>,
}

impl Path {
    fn thread_clock(&self, t: Tid) -> &[u32] {
        match self.threads.get(t as usize) {
            Some(&Some(i)) => &self.events[i].clock,
            _ => &[],
        }
    }

    fn set_thread_clock(&mut self, t: Tid, event: usize) {
        let i = t as usize;
        if self.threads.len() <= i {
            self.threads.resize(i + 1, None);
        }
        self.threads[i] = Some(event);
    }

    /// Whether event `i` is in the past of clock `c`: an event's clock
    /// counts its own thread's events up to itself.
    fn covers(&self, c: &[u32], i: usize) -> bool {
        let e = &self.events[i];
        at(c, e.tid) >= at(&e.clock, e.tid)
    }

    /// Whether event `i` happens before thread `q`'s next op.
    fn happens_before(&self, i: usize, q: Tid) -> bool {
        self.covers(self.thread_clock(q), i)
    }

    /// The latest event of thread `u` before index `below` that conflicts
    /// with `fp` and is not in the past of clock `c`. Only `u`'s events
    /// after those `c` covers are looked at (see `by_thread`).
    fn latest_conflict(&self, u: usize, c: &[u32], fp: &Footprint, below: usize) -> Option<usize> {
        let evs = self.by_thread.get(u)?;
        let known = (at(c, u as Tid) as usize).min(evs.len());
        evs[known..].iter().rev().copied().filter(|&j| j < below).find(|&j| !independent(&self.events[j].fp, fp))
    }

    /// Appends `tid`'s step with footprint `fp` (the threads it started
    /// are given their clocks by the caller, `take`).
    fn push(&mut self, tid: Tid, fp: Footprint, lock: Option<(ObjId, Option<Tid>)>) {
        // Room for an entry per thread from the start: the joins below
        // would otherwise grow it, a reallocation each.
        let mut clock: Clock = Vec::with_capacity(self.by_thread.len().max(tid as usize + 1));
        clock.extend_from_slice(self.thread_clock(tid));
        // Of each other thread, only its latest event that conflicts with
        // this one is joined: a thread's clocks only grow along it, so
        // that event's clock covers its earlier ones. The walk back stops
        // at the events already in this one's past.
        for u in (0..self.by_thread.len()).filter(|&u| u != tid as usize) {
            if let Some(j) = self.latest_conflict(u, &clock, &fp, usize::MAX) {
                join_into(&mut clock, &self.events[j].clock);
            }
        }
        let i = tid as usize;
        if clock.len() <= i {
            clock.resize(i + 1, 0);
        }
        clock[i] += 1;
        let n = self.events.len();
        self.events.push(Event { tid, fp, clock, lock, alone: Alone::Stop });
        if self.by_thread.len() <= i {
            self.by_thread.resize(i + 1, Vec::new());
        }
        self.by_thread[i].push(n);
        self.set_thread_clock(tid, n);
    }

    /// Whether every event of the path happens before thread `t`'s next
    /// op: all of each other thread's events are in `t`'s past.
    fn all_before(&self, t: Tid) -> bool {
        let c = self.thread_clock(t);
        self.by_thread.iter().enumerate().all(|(u, evs)| u == t as usize || at(c, u as Tid) as usize >= evs.len())
    }

    /// Whether event `a` happens before event `b` (both on the path).
    fn event_before(&self, a: usize, b: usize) -> bool {
        self.covers(&self.events[b].clock, a)
    }

    /// The threads that can start the reversal of the race between event
    /// `i` and `q`'s next op `next`: the *initials* of the sequence of the
    /// events after `i` that do not happen after it, followed by `next`
    /// (source sets, Abdulla et al., POPL 2014). That sequence can run
    /// from the state before `i`, and a thread whose first event in it has
    /// nothing before it in it can begin it. The first event's thread
    /// always can, so the list is never empty; `q` comes last.
    fn initials(&self, i: usize, q: Tid, next: &Footprint) -> Vec<Tid> {
        let v: Vec<usize> = (i + 1..self.events.len()).filter(|&j| !self.event_before(i, j)).collect();
        let (mut seen, mut out): (Vec<Tid>, Vec<Tid>) = (Vec::new(), Vec::new());
        for (x, &j) in v.iter().enumerate() {
            let t = self.events[j].tid;
            if seen.contains(&t) {
                continue;
            }
            seen.push(t);
            if !v[..x].iter().any(|&k| self.event_before(k, j)) {
                out.push(t);
            }
        }
        if !seen.contains(&q) && !v.iter().any(|&k| self.happens_before(k, q) || !independent(&self.events[k].fp, next)) {
            out.push(q);
        }
        out
    }

    /// Cuts the path back to its first `len` events.
    fn truncate(&mut self, len: usize) {
        self.events.truncate(len);
        for evs in &mut self.by_thread {
            while evs.last().is_some_and(|&j| j >= len) {
                evs.pop();
            }
        }
    }

    /// The events that race with thread `q`'s next op `next`: of each
    /// other thread, its latest event that conflicts with `next` and does
    /// not happen before it, less those that happen before another of
    /// them (which reach `next` through that one, so reversing that race
    /// covers them). Several threads' events can race with one op: a
    /// read of `y` races with two other threads' unordered writes of it,
    /// and the reversal of each is a class of schedules of its own. (The
    /// search once took only the latest of them, as Flanagan and
    /// Godefroid's DPOR does; with reversals that start from an initial
    /// instead of every enabled thread, that lost schedules: with
    /// `y = 1` in one thread, `y = y + 1` in another and `z = y` in a
    /// third, none read 0 into `z` while `y` ended 2. The differential
    /// test found it, `tests/litmus.rs` keeps it.)
    fn races(&self, q: Tid, next: &Footprint) -> Vec<usize> {
        let qc = self.thread_clock(q);
        let mut latest: Vec<usize> = (0..self.by_thread.len()).filter(|&u| u != q as usize).filter_map(|u| self.latest_conflict(u, qc, next, usize::MAX)).collect();
        if latest.len() > 1 {
            let all = latest.clone();
            latest.retain(|&i| !all.iter().any(|&j| j != i && self.event_before(i, j)));
        }
        latest
    }

    /// The latest event before index `below` of another thread than `q`
    /// that conflicts with `next` (q's next op) and does not happen before
    /// it: the race to reverse, if any. Only the events of each thread
    /// after those in q's past are looked at.
    fn latest_race(&self, q: Tid, next: &Footprint, below: usize) -> Option<usize> {
        let qc = self.thread_clock(q);
        (0..self.by_thread.len()).filter(|&u| u != q as usize).filter_map(|u| self.latest_conflict(u, qc, next, below)).max()
    }
}

/// A state with more than one thread able to run, kept to come back to.
///
/// Every [`SNAPSHOT_EVERY`]-th one keeps a snapshot of the machine: a
/// snapshot shares the heap's objects and the threads' call stacks with
/// the machine it was taken from until one of them writes
/// (`interleave_engine::shared`), so it costs less than replaying the
/// path's steps to rebuild the state; but most states are never come
/// back to, and the others are rebuilt from the snapshot above them.
struct Node {
    /// The index of the event taken from this state.
    depth: usize,
    /// `None` where no snapshot was kept (see [`SNAPSHOT_EVERY`]), and
    /// once the last branch that can be taken from here has taken the
    /// snapshot itself (see `dpor`).
    machine: Option<Machine>,
    path_threads: Vec<Option<usize>>,
    enabled: Vec<Tid>,
    backtrack: Vec<Tid>,
    done: Sleep,
    sleep: Sleep,
}

/// The live threads (running, ready or blocked) of `m`.
fn live(m: &Machine) -> impl Iterator<Item = Tid> + '_ {
    m.all_threads().map(|t| t.tid)
}

fn footprint(m: &Machine, t: Tid) -> Footprint {
    match classify(m, t) {
        Next::Visible(fp) => fp,
        // Only the thread that ran last runs invisible ops, and it ran
        // through them; anything else is treated as touching everything.
        Next::Invisible => Footprint::All,
    }
}

/// Runs thread `t`'s next op and its invisible ops on `m`, recording the
/// event on `path`.
///
/// If the thread is then alone in the process, it runs on without
/// scheduling points (`search::run_on`) only when every event of the
/// path happens before its next op (after a `join()` of every other
/// thread, typically): otherwise an op of that run could race with an
/// event of a thread that has ended but that it never waited for, and no
/// scheduling point would be there to notice the race.
///
/// The threads started by the op, or by the thread in that run, take their
/// clocks from this event: all the thread's ops in the run follow it in
/// program order.
fn take(ctx: &Ctx, m: &mut Machine, path: &mut Path, t: Tid, fp: Footprint) {
    // Thread ids are handed out in order, so the threads started here are
    // those with ids from the kernel's next id before it.
    let next = m.kernel.next_tid;
    // (Only calls of a lock's methods read or write one object.)
    let on_object = matches!(fp, Footprint::Read(Location::Object(_)) | Footprint::Write(Location::Object(_)));
    let lock = if on_object { lock_call(m, t).map(|c| (c.lock, c.holder)) } else { None };
    // (The path is a function of the steps' footprints only: the event
    // goes on first, and tells how far the thread runs on.)
    path.push(t, fp, lock);
    let n = path.events.len() - 1;
    let alone = if path.all_before(t) { Alone::Run } else { Alone::Stop };
    path.events[n].alone = alone;
    step_on(ctx, m, t, alone);
    first_steps(ctx, m);
    for s in next..m.kernel.next_tid {
        path.set_thread_clock(s, n);
    }
}

/// Runs the event `e` of a path again on `m`, as [`take`] ran it.
fn replay(ctx: &Ctx, m: &mut Machine, e: &Event) {
    step_on(ctx, m, e.tid, e.alone);
    first_steps(ctx, m);
}

/// The search state one worker carries down a path.
struct Walk {
    machine: Machine,
    path: Path,
    sleep: Sleep,
    last: Option<Tid>,
    /// Branching states passed so far on this path.
    branchings: usize,
}

/// The DPOR search from the program's start.
pub(crate) fn explore(ctx: &Ctx, start: Machine) -> Stats {
    let mut m = start;
    run_invisible(ctx, &mut m, 0);
    let path = Path::default();
    // The main thread ran up to here: it goes first.
    top(ctx, Walk { machine: m, path, sleep: Vec::new(), last: Some(0), branchings: 0 })
}

/// The fully expanded top of the tree: walk to the next branching state;
/// while fewer than [`SPLIT`] have been passed, try every thread there
/// (in parallel if asked), else hand the subtree to [`dpor`].
fn top(ctx: &Ctx, mut w: Walk) -> Stats {
    let mut stats = Stats::default();
    loop {
        if ctx.stopped() {
            return stats;
        }
        let en = enabled(&mut w.machine, w.last);
        if en.is_empty() {
            if ctx.claim() {
                stats.record(ctx, &mut w.machine);
            }
            return stats;
        }
        if en.len() > 1 && w.branchings >= SPLIT {
            let frozen = w.path.events.len();
            dpor(ctx, w, frozen, &mut stats);
            return stats;
        }
        stats.visit(ctx, &w.machine);
        let avail: Vec<Tid> = en.iter().copied().filter(|t| !w.sleep.iter().any(|(u, _)| u == t)).collect();
        if avail.is_empty() {
            stats.sleep_pruned += 1;
            return stats;
        }
        if en.len() == 1 {
            let t = en[0];
            let fp = footprint(&w.machine, t);
            w.sleep.retain(|(_, f)| independent(f, &fp));
            take(ctx, &mut w.machine, &mut w.path, t, fp);
            w.last = Some(t);
            continue;
        }
        // Every available thread, each with the sleep set of a sibling
        // explored after the ones before it.
        let mut children = Vec::new();
        let mut done: Sleep = Vec::new();
        for &t in &avail {
            let fp = footprint(&w.machine, t);
            let sleep: Sleep = w.sleep.iter().chain(done.iter()).filter(|(_, f)| independent(f, &fp)).cloned().collect();
            children.push((t, fp.clone(), sleep));
            done.push((t, fp));
        }
        let branchings = w.branchings + 1;
        let go = |(t, fp, sleep): (Tid, Footprint, Sleep), mut m: Machine, mut path: Path| {
            take(ctx, &mut m, &mut path, t, fp);
            top(ctx, Walk { machine: m, path, sleep, last: Some(t), branchings })
        };
        if ctx.opts.parallel {
            let parts: Vec<Stats> = children.into_par_iter().map(|c| go(c, w.machine.clone(), w.path.clone())).collect();
            for p in parts {
                stats.merge(p);
            }
        } else {
            // The last child takes the machine and the path themselves:
            // nothing needs them after it.
            let last = children.pop();
            for c in children {
                stats.merge(go(c, w.machine.clone(), w.path.clone()));
            }
            if let Some(c) = last {
                stats.merge(go(c, w.machine, w.path));
            }
        }
        return stats;
    }
}

/// Adds the backtrack points for the races of every live thread's next op
/// with the events of the path. Events before `frozen` belong to fully
/// expanded states and need none.
///
/// Some races cannot be reversed, and trying would only lead to paths that
/// the sleep sets cut as redundant (most of the paths DPOR ran for the
/// dining philosophers). A `join()` can never come before the end of the
/// thread it waits for. And a blocking `acquire` of a lock by q conflicts
/// last with the `release` that freed it, but no reordering can put the
/// acquire before that release: the lock is held there, and q would wait.
/// The race that can be reversed is with the acquire that took the lock
/// while it was free: q takes the lock before the other thread's whole
/// critical section. So the events on the lock while another thread held
/// it are passed over, back to that one. If the lock was already held
/// when q's past began, q cannot take it earlier at all, and there is
/// nothing to reverse.
///
/// `nexts` is each live thread's next op, as [`classify`] tells it.
fn add_races(m: &Machine, path: &Path, frozen: usize, stack: &mut [Node], nexts: &[(Tid, Next)]) {
    for (q, next) in nexts {
        let (q, next) = match next {
            Next::Visible(fp) => (*q, fp.clone()),
            Next::Invisible => continue,
        };
        for i in path.races(q, &next) {
            add_race(m, path, frozen, stack, q, &next, i);
        }
    }
}

/// Adds the backtrack point that reverses the race between event `i` and
/// thread `q`'s next op `next` (see [`add_races`]).
fn add_race(m: &Machine, path: &Path, frozen: usize, stack: &mut [Node], q: Tid, next: &Footprint, mut i: usize) {
    // A `join()` reads the end of the thread it waits for, and can never
    // come before it: no race to reverse.
    if let (Footprint::Read(Location::ThreadEnd(u)), Footprint::Write(Location::ThreadEnd(v))) = (next, &path.events[i].fp) {
        if u == v {
            return;
        }
    }
    let acquire = matches!(next, Footprint::Write(Location::Object(_))).then(|| lock_call(m, q)).flatten();
    if let Some(c) = acquire.filter(|c| c.blocking_acquire && !(c.reentrant && c.holder == Some(q))) {
        // While a thread held the lock (a Lock held by anyone, q included,
        // or an RLock held by another), q would wait.
        let waits = |e: &Event| matches!(e.lock, Some((l, Some(h))) if l == c.lock && (!c.reentrant || h != q));
        while waits(&path.events[i]) {
            let Some(j) = path.latest_race(q, next, i) else { return };
            i = j;
        }
    }
    if i < frozen {
        return;
    }
    // Only branching states are on the stack; a state where one thread
    // alone could run has nothing else to try.
    let Ok(k) = stack.binary_search_by_key(&i, |n| n.depth) else { return };
    let node = &mut stack[k];
    // One thread that can begin the reversal is enough: if one of them is
    // already to be tried there, nothing is added.
    let initials = path.initials(i, q, next);
    if initials.iter().any(|t| node.backtrack.contains(t)) {
        return;
    }
    match initials.iter().find(|t| node.enabled.contains(t)) {
        Some(&t) => node.backtrack.push(t),
        // (Not expected: an initial can run there. All, to be safe.)
        None => {
            for t in node.enabled.clone() {
                if !node.backtrack.contains(&t) {
                    node.backtrack.push(t);
                }
            }
        }
    }
}

/// Every how many branching states of a path DPOR keeps a snapshot (see
/// [`Node`]). Most branching states are never come back to (no race adds
/// a branch there), and a snapshot costs more than its copy: until the
/// path moves on, every first write to an object it shares copies the
/// object. A state without one is rebuilt, when a branch is added there,
/// from the nearest snapshot above it by replaying the events between.
/// (Measured on the counter and philosophers benchmarks: every 3rd to
/// every 1000th all run 8-12% more executions a second than every state;
/// 4 keeps the replays short on long paths.)
pub const SNAPSHOT_EVERY: usize = 4;

/// Sequential DPOR of the subtree at `w` (a branching state).
fn dpor(ctx: &Ctx, w: Walk, frozen: usize, stats: &mut Stats) {
    let Walk { machine: mut m, mut path, mut sleep, mut last, .. } = w;
    let mut stack: Vec<Node> = Vec::new();
    // The subtree's root state: what a state with no snapshot above it is
    // rebuilt from.
    let (root, root_depth) = (m.clone(), path.events.len());
    let mut nexts: Vec<(Tid, Next)> = Vec::new();
    'paths: loop {
        // Run down one path, recording branching states.
        loop {
            if ctx.stopped() {
                return;
            }
            let en = enabled(&mut m, last);
            if en.is_empty() {
                if !ctx.claim() {
                    return;
                }
                stats.record(ctx, &mut m);
                break;
            }
            stats.visit(ctx, &m);
            // Each live thread's next op, classified once for the races
            // and the step (a classification costs about as much as the
            // rest of a scheduling point's bookkeeping).
            nexts.clear();
            nexts.extend(live(&m).map(|q| (q, classify(&m, q))));
            add_races(&m, &path, frozen, &mut stack, &nexts);
            let Some(&first) = en.iter().find(|t| !sleep.iter().any(|(u, _)| u == *t)) else {
                stats.sleep_pruned += 1;
                break;
            };
            let fp = match nexts.iter().find(|(q, _)| *q == first) {
                Some((_, Next::Visible(fp))) => fp.clone(),
                Some((_, Next::Invisible)) => Footprint::All,
                None => footprint(&m, first),
            };
            if en.len() == 1 {
                sleep.retain(|(_, f)| independent(f, &fp));
                take(ctx, &mut m, &mut path, first, fp);
                last = Some(first);
                continue;
            }
            let snapshot = stack.len() % SNAPSHOT_EVERY == SNAPSHOT_EVERY - 1;
            stack.push(Node {
                depth: path.events.len(),
                machine: snapshot.then(|| m.clone()),
                path_threads: path.threads.clone(),
                enabled: en,
                backtrack: vec![first],
                done: vec![(first, fp.clone())],
                sleep: sleep.clone(),
            });
            sleep.retain(|(_, f)| independent(f, &fp));
            take(ctx, &mut m, &mut path, first, fp);
            last = Some(first);
        }
        // Back up to the deepest state with a branch still to take.
        while let Some(node) = stack.last() {
            let next = node
                .backtrack
                .iter()
                .copied()
                .find(|t| !node.done.iter().any(|(u, _)| u == t) && !node.sleep.iter().any(|(u, _)| u == t));
            let Some(t) = next else {
                stack.pop();
                continue;
            };
            // A branch that leaves no thread to try here (every enabled
            // one done or asleep, so no race found later can add one)
            // takes the snapshot instead of a copy of it: the machine's
            // objects then have one owner, and writes need not copy them.
            let last_branch = node.enabled.iter().all(|u| *u == t || node.done.iter().chain(node.sleep.iter()).any(|(v, _)| v == u));
            let k = stack.len() - 1;
            if stack[k].machine.is_none() {
                // No snapshot here: rebuild the state from the nearest one
                // above (or the subtree's root) by replaying the events
                // between, and keep it if another branch may need it.
                let (mut r, from) = match stack[..k].iter().rev().find_map(|n| n.machine.as_ref().map(|s| (s.clone(), n.depth))) {
                    Some(found) => found,
                    None => (root.clone(), root_depth),
                };
                for e in &path.events[from..stack[k].depth] {
                    replay(ctx, &mut r, e);
                }
                if !last_branch {
                    stack[k].machine = Some(r.clone());
                }
                m = r;
            } else {
                m = match last_branch {
                    true => stack[k].machine.take(),
                    false => stack[k].machine.clone(),
                }
                .expect("checked above");
            }
            let node = &mut stack[k];
            let fp = footprint(&m, t);
            sleep = node.sleep.iter().chain(node.done.iter()).filter(|(_, f)| independent(f, &fp)).cloned().collect();
            node.done.push((t, fp.clone()));
            path.truncate(node.depth);
            path.threads = node.path_threads.clone();
            take(ctx, &mut m, &mut path, t, fp);
            last = Some(t);
            continue 'paths;
        }
        return;
    }
}
