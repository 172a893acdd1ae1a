//! The state-graph search: every distinct state once, and exact counts of
//! schedules.
//!
//! The other exhaustive searches walk a *tree* of schedules. Different
//! schedules often reach the same state: two threads that each take a lock,
//! add one and release it end in the same state whichever went first, and
//! everything after that state is the same again. A tree search explores
//! that future once per way of getting there (the dining philosophers meet
//! each state 20 to 75 times). This search walks the *graph* of states
//! instead, as Spin does: each state, identified by its fingerprint
//! (`Machine::fingerprint`, a 64-bit hash of the whole machine), is
//! expanded once, and reaching it again costs one lookup.
//!
//! **Exact counts.** For every state the search keeps a summary: for each
//! outcome reachable from it, how many schedules lead there and which
//! thread to run first on the smallest of them. A state's summary is the
//! sum of its successors' summaries, an end state's is its own outcome
//! once, so the start state's summary counts *every* schedule (at the
//! granularity of visible ops, as the brute force the tests compare
//! against) without running them: "the counter ends at 3 in 16 of 20
//! schedules" is exact, where the tree searches' reductions only count the
//! executions they happened to run. Counts can be astronomically large
//! (they saturate at 2^64 - 1, and the report says when one did).
//!
//! **Why the graph has no cycles.** Every step advances the virtual clock
//! (`Config::step_cost_ns` is at least 1), and the clock is part of the
//! fingerprint, so no path comes back to a state it passed. The summaries
//! are therefore well founded, and a depth-first search can compute each
//! from its successors' finished summaries. (A 64-bit fingerprint
//! collision could in principle join two states; the engine's step budget
//! still ends every path.)
//!
//! **Schedules, and why parallel equals sequential.** The counts do not
//! depend on the order of the search. The schedule reported for an outcome
//! is the smallest one by thread ids (at every scheduling point, the lowest
//! thread that can still reach that outcome), rebuilt from the summaries
//! after the search, and outcomes are listed in the order of those
//! schedules. So a parallel search, whose workers share one table of
//! states and may race to fill it, reports exactly what the sequential one
//! does.
//!
//! **Two workers, one state.** Workers that share the table would often
//! expand the same state at the same time (the philosophers' states are
//! reached from many others): half the work of two workers was done twice.
//! So a worker *claims* a state before expanding it ([`Graph::lookup`]), and
//! a worker that meets a state claimed by another sets it aside and goes
//! on with its other choices; when it has nothing else left at that level,
//! it takes the state up again: finished by then, it costs a lookup; if
//! not, it expands it too, claiming its successors one by one, so that the
//! two share what is left of it instead of doing it twice. Before that it
//! runs other tasks of the search while there are any and the other
//! worker is still at it ([`await_other_worker`]).
//!
//! **Bounded.** With a preemption bound K ([`crate::Options::preemption_bound`])
//! the question is "what can happen with at most K preemptions", and how
//! many schedules have at most K. The preemptions used on the way to a
//! state are not part of the machine, so a node of the graph is a state
//! together with the preemptions used to reach it and the thread that may
//! go on without one (the one that ran last, if it can run): what lies
//! below depends on exactly those. The key of a node mixes the three
//! ([`node_key`]); at a node with all K used, only that thread is a
//! choice. One machine state is then up to (K + 1) times (threads + 1)
//! nodes, but a bounded search reaches far fewer states than an unbounded
//! one, and every node is still expanded once: where the tree search
//! with a bound runs each schedule (less what sleep sets cut), this
//! counts them, exactly, at the granularity of visible ops. The report's
//! distinct states are machine states, not nodes. The root counts as a
//! step of the main thread, which ran alone up to it.
//!
//! **Steps found by commuting.** Most steps lead to a state met before
//! (five steps per distinct state for seven philosophers), and running
//! one costs a machine copy, the step and a fingerprint, only to look the
//! state up. Two steps of different threads whose ops commute reach the
//! same state in either order (the diamond of partial-order reduction),
//! so when the search has finished the state one order passes through, it
//! knows where the other order ends without running it: [`commuted`]
//! follows the table's record of each finished state's successors. The
//! state graph and the counts are exactly those of running every step;
//! debug builds (the tests) run each such step anyway and check that it
//! reaches the same fingerprint. It more than halves the time of the
//! philosophers' searches. Commuting here is stricter than for the sleep
//! sets and DPOR, which only need the same outcomes: a sleep does not
//! commute (its deadline is set when it runs, and moves to the next timer
//! tick when the steps before it cross one), a thread's end does not
//! when it may leave one thread alone (that thread then runs on without
//! scheduling points), nothing does while a thread waits with a timeout
//! (whether it times out can depend on how many steps ran), and the main
//! thread's steps do not while its module code may still store a global
//! (past its last store, other threads' steps run on through reads of it:
//! `Facts::moves_freezes`); nor is an end reached this way (a run cut by
//! the step budget ends inside whichever step crosses it).
//!
//! **What it keeps.** A search keeps a machine copy at the branching
//! levels of the current path, at most [`SNAPSHOT_EVERY`] apart, and
//! rebuilds any state between by replaying its choices (the engine is
//! deterministic). A copy shares its objects and call stacks with the
//! machine it was taken from until one of them writes, so it costs less
//! than replaying even one step: the constant is 1. The table of
//! states holds 8 bytes of fingerprint, a short summary and 12 bytes per
//! successor per state; [`crate::Options::max_states`] bounds it.
//!
//! It makes the reduction's two assumptions (see the crate docs) and one
//! more: two states with the same fingerprint differ at most in history
//! that cannot change what the program prints or how it ends (step
//! counters, the order of the heap's free list, which the engine's
//! allocation order follows: the same assumption again).

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use interleave_engine::kernel::{ThreadState, Tid, WaitOn};
use interleave_engine::{Machine, Outcome};
use rayon::prelude::*;

use crate::search::{advance, enabled, first_steps, outcome_key, run_invisible, Ctx, OutcomeKey, Prehashed, Stats};
use crate::visible::{classify, independent, Footprint, Location, Next};
use crate::{DeadlockEntry, ErrorEntry, OutcomeEntry, Padded};

/// Branching states at the top of the graph whose successors are searched
/// in parallel (with [`crate::Options::parallel`]).
pub const SPLIT: usize = 8;

/// How far apart (in states of the current path) the search keeps machine
/// copies: going back to a state costs one copy and at most this many
/// replayed steps less one. (Measured on 7 naive philosophers: 1 is about
/// 10% faster than 4, now that a copy is copy-on-write.)
pub const SNAPSHOT_EVERY: usize = 1;

/// Past this many levels, a path keeps its copies [`DEEP_SNAPSHOT_EVERY`]
/// apart. A copy costs little time but holds the objects and stacks its
/// machine has written since the copy above it; on a path hundreds of
/// thousands of states deep (four threads counting to 100 000 in
/// `counter += 1` steps, within two preemptions) a copy at every level
/// held 11 KB each, 2.2 GB in all, more than the page's 1 GB.
pub const DEEP: usize = 1024;

/// The distance between copies below [`DEEP`] levels: the same path holds
/// about a thirtieth as much, for at most 31 replayed steps per return
/// to a state there.
pub const DEEP_SNAPSHOT_EVERY: usize = 32;

/// How far apart copies are kept at `depth` levels.
fn snapshot_every(depth: usize) -> usize {
    if depth < DEEP {
        SNAPSHOT_EVERY
    } else {
        DEEP_SNAPSHOT_EVERY
    }
}

/// The main thread, which runs the program from its start.
const MAIN: Tid = 0;

/// `first` of an end state's own outcome: no thread runs from there.
const END: Tid = Tid::MAX;

/// Schedules from one state to one outcome.
#[derive(Clone, Copy, Debug)]
struct Reach {
    outcome: u32,
    /// The lowest thread whose step leads on to this outcome.
    first: Tid,
    /// Saturated at `u64::MAX` (a sum of saturated counts is too).
    count: u64,
}

/// What can happen from a state, by outcome id (sorted).
type Summary = Arc<[Reach]>;

/// A finished state's successor: the thread whose step leads there, and
/// the successor's key. (Packed: 12 bytes, not 16, as the table keeps
/// one per transition.)
#[derive(Clone, Copy)]
#[repr(C, packed(4))]
struct Kid {
    tid: Tid,
    key: u64,
}

/// The successors of a finished state.
type Kids = Box<[Kid]>;

fn kids(ks: impl IntoIterator<Item = (Tid, u64)>) -> Kids {
    ks.into_iter().map(|(tid, key)| Kid { tid, key }).collect()
}

/// A finished state's summary and successors, from its successors'
/// (thread, key, summary).
fn finish(children: Vec<(Tid, u64, Summary)>) -> (Summary, Kids) {
    let ks = kids(children.iter().map(|&(t, k, _)| (t, k)));
    (combine(children.into_iter().map(|(t, _, s)| (t, s)).collect()), ks)
}

/// A finished state: its summary, and its successors (which
/// [`commuted`] follows).
struct Done {
    summary: Summary,
    kids: Kids,
}

/// Finished states; `None` marks a state a parallel worker has claimed
/// and is expanding (see [`Graph::lookup`]).
type Table = HashMap<u64, Option<Done>, BuildHasherDefault<Prehashed>>;

const SHARDS: usize = 64;

/// The shard of a key or fingerprint: its high bits (the low ones pick the
/// bucket inside a shard).
fn shard_of(x: u64) -> usize {
    (x >> 58) as usize % SHARDS
}

/// An outcome as first met, with its deadlock and error.
struct Found {
    outcome: OutcomeEntry,
    deadlock: Option<DeadlockEntry>,
    error: Option<ErrorEntry>,
}

/// The shared state of one search: the states done, the outcomes met.
///
/// The counters and flags that every worker writes or reads all the time
/// are each on a cache line of their own ([`Padded`]).
struct Graph {
    states: Vec<Padded<Mutex<Table>>>,
    stored: Padded<AtomicU64>,
    /// Transitions out of the stored states (each counted once).
    transitions: Padded<AtomicU64>,
    /// The outcomes met, by their key and, for a deadlock, its report
    /// (its wait-for cycle and every thread's state): two deadlocks that
    /// printed the same are one outcome of the report, but each cycle is
    /// a deadlock of its own in it (see [`explore`]'s merge).
    outcomes: Mutex<(HashMap<(OutcomeKey, Option<String>), u32>, Vec<Found>)>,
    /// Set when [`crate::Options::max_states`] is reached.
    full: Padded<AtomicBool>,
    /// Set when a path was cut at [`crate::Options::max_depth`].
    deep: AtomicBool,
    /// [`crate::Options::preemption_bound`] (see [Bounded](self#bounded)).
    bound: Option<u32>,
    /// Set when the bound left out a choice somewhere.
    bound_hit: AtomicBool,
    /// With a bound, the machine states among the nodes (a state reached
    /// with different preemptions left is one state, several nodes).
    machine_states: Vec<Padded<Mutex<HashSet<u64, BuildHasherDefault<Prehashed>>>>>,
    /// Per rayon worker (by index), its own copy of the start state (see
    /// [`Graph::private`]).
    starts: Vec<OnceLock<Machine>>,
}

impl Graph {
    fn new(bound: Option<u32>) -> Graph {
        Graph {
            states: (0..SHARDS).map(|_| Padded(Mutex::new(Table::default()))).collect(),
            stored: Padded(AtomicU64::new(0)),
            transitions: Padded(AtomicU64::new(0)),
            outcomes: Mutex::new((HashMap::new(), Vec::new())),
            full: Padded(AtomicBool::new(false)),
            deep: AtomicBool::new(false),
            bound,
            bound_hit: AtomicBool::new(false),
            machine_states: (0..if bound.is_some() { SHARDS } else { 0 }).map(|_| Padded(Mutex::new(HashSet::default()))).collect(),
            starts: (0..rayon::current_num_threads()).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The state reached from the start by the choices `path`, built on
    /// worker `me`'s own copy of the start state.
    ///
    /// Why: machine copies share their objects, chunks of heap slots and
    /// call stacks, and every copy or drop of one of those changes its
    /// reference count. When two workers copy machines that share them,
    /// both cores write the same counters (which sit next to the objects'
    /// data), and each write takes the cache line from the other core:
    /// two workers did about 60% more work than one. So a worker that
    /// takes up a state another worker built (a task rayon moved between
    /// them) rebuilds it by replaying its choices on a start of its own,
    /// built once per worker (booted on its own: `Machine::new_unshared`)
    /// and the same as the shared one to the bit, since the engine is
    /// deterministic (and so are fingerprints). From then on its machines
    /// share nothing but code with the other's.
    fn private(&self, ctx: &Ctx, me: Option<usize>, path: &[Tid], shared: &Machine) -> Machine {
        let Some(start) = me.and_then(|i| self.starts.get(i)) else { return shared.clone() };
        let mut m = start.get_or_init(|| prepared(ctx, Machine::new_unshared(ctx.program, crate::config(ctx.opts)))).clone();
        for &t in path {
            advance(ctx, &mut m, t);
        }
        m
    }

    /// The node of state `m` (fingerprint `fp`), reached with `used`
    /// preemptions by a step of `last`: its key in the table and its
    /// choices, each with the preemptions used after taking it; no
    /// choices at an end. Without a bound the key is the fingerprint and
    /// the choices are left for [`visit`] to list after the lookup.
    fn node(&self, m: &mut Machine, fp: u64, last: Option<Tid>, used: u32) -> (u64, Option<Vec<(Tid, u32)>>) {
        let Some(k) = self.bound else { return (fp, None) };
        let cs = enabled(m, last);
        if cs.is_empty() {
            return (fp, Some(Vec::new()));
        }
        // The thread that ran last goes on without a preemption when it
        // can (`enabled` lists it first then); running any other costs one.
        let going = last.filter(|l| cs.first() == Some(l));
        let mut out = Vec::with_capacity(cs.len());
        for t in cs {
            let u = used + u32::from(going.is_some_and(|l| l != t));
            if u > k {
                // Written once: a write to a flag every worker reads
                // takes its cache line from the others.
                if !self.bound_hit.load(Ordering::Relaxed) {
                    self.bound_hit.store(true, Ordering::Relaxed);
                }
            } else {
                out.push((t, u));
            }
        }
        (node_key(fp, used, going), Some(out))
    }

    fn shard(&self, key: u64) -> std::sync::MutexGuard<'_, Table> {
        self.states[shard_of(key)].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A finished node's summary.
    fn get(&self, key: u64) -> Option<Summary> {
        self.shard(key).get(&key)?.as_ref().map(|d| d.summary.clone())
    }

    /// The key of finished node `key`'s successor by thread `t`.
    fn kid(&self, key: u64, t: Tid) -> Option<u64> {
        let shard = self.shard(key);
        shard.get(&key)?.as_ref()?.kids.iter().find(|k| k.tid == t).map(|k| k.key)
    }

    /// [`Graph::get`], and with `claim`, marks a node nobody has met as
    /// being expanded by the calling worker, in the same look. The
    /// parallel search expands the states nobody claimed first, so that
    /// two workers seldom do the same work twice.
    fn lookup(&self, key: u64, claim: bool) -> Lookup {
        let mut shard = self.shard(key);
        match shard.get(&key) {
            Some(Some(d)) => Lookup::Done(d.summary.clone()),
            Some(None) => Lookup::Busy,
            None => {
                if claim {
                    shard.insert(key, None);
                }
                Lookup::Fresh
            }
        }
    }

    /// Stores a finished state's summary and successors (a second worker
    /// that finished the same state changes nothing: both are the same).
    fn put(&self, ctx: &Ctx, key: u64, fp: u64, s: Summary, kids: Kids) {
        let out_degree = kids.len();
        if let Some(set) = self.machine_states.get(shard_of(fp)) {
            set.lock().unwrap_or_else(|e| e.into_inner()).insert(fp);
        }
        if !matches!(self.shard(key).insert(key, Some(Done { summary: s, kids })), Some(Some(_))) {
            let n = self.stored.fetch_add(1, Ordering::Relaxed) + 1;
            self.transitions.fetch_add(out_degree as u64, Ordering::Relaxed);
            if ctx.opts.max_states.is_some_and(|max| n >= max) {
                self.full.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Whether a state `depth` states down its path is past
    /// [`crate::Options::max_depth`] (see [`Graph::cut_deep`]).
    fn too_deep(&self, ctx: &Ctx, depth: usize) -> bool {
        ctx.opts.max_depth.is_some_and(|max| depth as u64 >= max)
    }

    /// The summary of a state where a path is cut for its depth: an end
    /// with a `budget` outcome, as a run out of steps ends. Unlike the
    /// step count, which the clock in every fingerprint carries, the
    /// depth of a state may differ from one path to it to another, so
    /// the counts below it are no longer exact; the search reports that
    /// it was cut (`max_depth`), as it does for every budget.
    /// It is stored under `key` (at `fp`) as an end state.
    fn cut_deep(&self, ctx: &Ctx, key: u64, fp: u64, m: &mut Machine) -> Summary {
        self.deep.store(true, Ordering::Relaxed);
        m.outcome = Some(Outcome::Budget { message: depth_message(ctx.opts.max_depth.unwrap_or(0)) });
        let s = self.end(ctx, m);
        self.put(ctx, key, fp, s.clone(), Kids::default());
        s
    }

    fn stopped(&self, ctx: &Ctx) -> bool {
        self.full.load(Ordering::Relaxed) || ctx.stopped()
    }

    /// The summary of an end state: its outcome, once. (Its fingerprint
    /// is already taken: the caller stores it.)
    fn end(&self, ctx: &Ctx, m: &mut Machine) -> Summary {
        let mut one = Stats::default();
        one.record_end(ctx, m);
        ctx.progress.executions.fetch_add(1, Ordering::Relaxed);
        let outcome = one.outcomes.pop().expect("record adds one outcome");
        let deadlock = one.deadlocks.pop();
        // The whole report, not only its cycle: two deadlocked states with
        // one cycle can differ in the other threads (blocked or finished),
        // and the entry kept for a cycle must not depend on which a
        // parallel worker met first (the report's merge keeps the one
        // with the smallest schedule).
        let key = (outcome_key(&outcome), deadlock.as_ref().map(|d| d.report.clone()));
        let mut table = self.outcomes.lock().unwrap_or_else(|e| e.into_inner());
        let (ix, found) = &mut *table;
        let id = match ix.get(&key) {
            Some(&id) => id,
            None => {
                let id = found.len() as u32;
                ix.insert(key, id);
                found.push(Found { outcome, deadlock, error: one.errors.pop() });
                id
            }
        };
        Arc::from([Reach { outcome: id, first: END, count: 1 }])
    }
}

/// The sum of the successors' summaries; `first` is the lowest thread
/// reaching each outcome.
fn combine(mut children: Vec<(Tid, Summary)>) -> Summary {
    if children.len() == 1 {
        let (t, s) = children.pop().expect("one child");
        return s.iter().map(|r| Reach { first: t, ..*r }).collect();
    }
    children.sort_unstable_by_key(|(t, _)| *t);
    // Two buffers, merged from one into the other in turn: this runs once
    // per state of the search.
    let cap: usize = children.iter().map(|(_, s)| s.len()).sum();
    let mut acc: Vec<Reach> = Vec::with_capacity(cap);
    let mut out: Vec<Reach> = Vec::with_capacity(cap);
    for (t, s) in children {
        // Both sorted by outcome: merge.
        out.clear();
        let (mut i, mut j) = (0, 0);
        while i < acc.len() || j < s.len() {
            match (acc.get(i), s.get(j)) {
                (Some(a), Some(b)) if a.outcome == b.outcome => {
                    out.push(Reach { count: a.count.saturating_add(b.count), ..*a });
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a.outcome < b.outcome => {
                    out.push(*a);
                    i += 1;
                }
                (Some(a), None) => {
                    out.push(*a);
                    i += 1;
                }
                (_, Some(b)) => {
                    out.push(Reach { first: t, ..*b });
                    j += 1;
                }
                (None, None) => unreachable!(),
            }
        }
        std::mem::swap(&mut acc, &mut out);
    }
    acc.into()
}

/// The key of a node of the bounded graph: the state, the preemptions
/// used on the way to it, and the thread that may go on without one.
fn node_key(fp: u64, used: u32, going: Option<Tid>) -> u64 {
    let extra = (u64::from(used) << 32) | going.map_or(u64::from(u32::MAX), u64::from);
    splitmix(fp ^ splitmix(extra))
}

/// SplitMix64's finalizer: a bijection that spreads every input bit.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// What the table says of a node ([`Graph::lookup`]).
enum Lookup {
    Done(Summary),
    /// Claimed by a worker that has not finished it.
    Busy,
    /// Not met before (and claimed now, if asked).
    Fresh,
}

/// A node met by the search: done before (or an end, done now), or to
/// be expanded with these choices (each with the preemptions used after
/// it); `Busy` when another worker claimed it first.
enum Visit {
    Known(Summary),
    Open(Vec<(Tid, u32)>),
    Busy(Vec<(Tid, u32)>),
}

/// Looks up the node of `m` (see [`Graph::node`]), claiming it if
/// `claim` and nobody has; its key, and what the table knows of it or the
/// choices to expand it with.
#[allow(clippy::too_many_arguments)]
fn visit(ctx: &Ctx, g: &Graph, m: &mut Machine, fp: u64, last: Option<Tid>, used: u32, claim: bool) -> (u64, Visit) {
    let (key, listed) = g.node(m, fp, last, used);
    let mut busy = false;
    if ctx.opts.memoize {
        match g.lookup(key, claim) {
            Lookup::Done(s) => return (key, Visit::Known(s)),
            Lookup::Busy => busy = true,
            Lookup::Fresh => {}
        }
    }
    let cs = match listed {
        Some(cs) => cs,
        None => enabled(m, last).into_iter().map(|t| (t, 0)).collect(),
    };
    if cs.is_empty() {
        let s = g.end(ctx, m);
        g.put(ctx, key, fp, s.clone(), Kids::default());
        return (key, Visit::Known(s));
    }
    (key, if busy { Visit::Busy(cs) } else { Visit::Open(cs) })
}

/// The detail of an end cut by [`crate::Options::max_depth`].
pub(crate) fn depth_message(max: u64) -> String {
    format!("Interleave stopped this schedule: it was {} scheduling points deep (the explorer's depth budget)", interleave_engine::machine::group(max))
}

/// One node on the current path of [`dfs`].
struct Level {
    key: u64,
    fp: u64,
    /// The thread whose step led here from the level above.
    via: Tid,
    /// A copy of the machine here, kept every [`SNAPSHOT_EVERY`] levels.
    machine: Option<Machine>,
    choices: Vec<(Tid, u32)>,
    /// Per choice, the footprint of the thread's next op here, where
    /// [`commuted`] may use it (empty where it may not: see [`looks`]).
    looks: Vec<Option<Footprint>>,
    /// Whether more than two threads are live here (see [`commute`]).
    many: bool,
    next: usize,
    /// The successors found so far: (thread, key, summary).
    children: Vec<(Tid, u64, Summary)>,
    /// Successors another worker was expanding when this one met them
    /// (parallel search only): taken up after the other choices, by which
    /// time they are often finished.
    deferred: Vec<Deferred>,
}

/// A successor set aside: the choice, the preemptions used after it, its
/// machine and fingerprint.
type Deferred = (Tid, u32, Machine, u64);

impl Level {
    fn new(key: u64, fp: u64, via: Tid, machine: Option<Machine>, choices: Vec<(Tid, u32)>, (looks, many): (Vec<Option<Footprint>>, bool)) -> Level {
        Level { key, fp, via, machine, choices, looks, many, next: 0, children: Vec::new(), deferred: Vec::new() }
    }
}

/// What [`commuted`] reads of a state on the way from the start to the
/// top of the current path.
trait Seen {
    /// The thread whose step led here.
    fn via(&self) -> Tid;
    /// The footprint of thread `t`'s next op here, if [`looks`] took it.
    fn look(&self, t: Tid) -> Option<&Footprint>;
    /// See [`commute`].
    fn many(&self) -> bool;
    /// The key of the successor by `t`, once known.
    fn kid(&self, t: Tid) -> Option<u64>;
}

fn look<'a>(choices: impl Iterator<Item = Tid>, looks: &'a [Option<Footprint>], t: Tid) -> Option<&'a Footprint> {
    let i = choices.into_iter().position(|c| c == t)?;
    looks.get(i)?.as_ref()
}

impl Seen for Level {
    fn via(&self) -> Tid {
        self.via
    }
    fn look(&self, t: Tid) -> Option<&Footprint> {
        look(self.choices.iter().map(|c| c.0), &self.looks, t)
    }
    fn many(&self) -> bool {
        self.many
    }
    fn kid(&self, t: Tid) -> Option<u64> {
        self.children.iter().find(|(c, _, _)| *c == t).map(|k| k.1)
    }
}

/// A state the parallel search ([`par`]) passed on the way to a
/// [`dfs`]: its successors are searched by other tasks, which record each
/// one's key as they reach it (the table tells when it is finished).
struct Above {
    via: Tid,
    choices: Vec<Tid>,
    looks: Vec<Option<Footprint>>,
    many: bool,
    kids: Mutex<Vec<(Tid, u64)>>,
}

impl Above {
    fn new(ctx: &Ctx, g: &Graph, m: &Machine, via: Option<Tid>, cs: &[(Tid, u32)]) -> Arc<Above> {
        let (looks, many) = looks(ctx, g, m, cs);
        Arc::new(Above { via: via.unwrap_or(END), choices: cs.iter().map(|c| c.0).collect(), looks, many, kids: Mutex::new(Vec::new()) })
    }

    fn found(&self, t: Tid, key: u64) {
        self.kids.lock().unwrap_or_else(|e| e.into_inner()).push((t, key));
    }
}

impl Seen for Above {
    fn via(&self) -> Tid {
        self.via
    }
    fn look(&self, t: Tid) -> Option<&Footprint> {
        look(self.choices.iter().copied(), &self.looks, t)
    }
    fn many(&self) -> bool {
        self.many
    }
    fn kid(&self, t: Tid) -> Option<u64> {
        self.kids.lock().unwrap_or_else(|e| e.into_inner()).iter().find(|(c, _)| *c == t).map(|k| k.1)
    }
}

/// The footprints of the next ops of the choices `cs` at `m`, for
/// [`commuted`]; empty where it must not be used: in a bounded search
/// (whose nodes are more than states), with several processes (the
/// footprints describe the first one), or while a thread waits for
/// something with a timeout: whether it times out or gets what it waits
/// for can depend on how many steps run before the step that gives it,
/// even steps that commute with that one. (A sleeper only waits for its
/// deadline, and wakes at the same step whatever order the steps before
/// it ran in.) Nor is a thread's footprint taken while its steps can
/// change what the other threads' steps run through
/// (`Facts::moves_freezes`), and none while a generator that no thread
/// has to itself may become one's (`Facts::privacy_may_change`).
fn looks(ctx: &Ctx, g: &Graph, m: &Machine, cs: &[(Tid, u32)]) -> (Vec<Option<Footprint>>, bool) {
    let timeout = |t: &interleave_engine::kernel::Thread| matches!(&t.state, ThreadState::Blocked(w) if w.deadline.is_some() && w.on != WaitOn::Sleep);
    if g.bound.is_some() || !ctx.opts.memoize || m.procs.len() != 1 || m.process().threads.iter().any(timeout) {
        return (Vec::new(), false);
    }
    if ctx.facts.as_ref().is_some_and(|f| f.privacy_may_change(m)) {
        return (Vec::new(), false);
    }
    let looks = cs
        .iter()
        .map(|&(t, _)| match classify(m, t) {
            Next::Visible(_) if ctx.facts.as_ref().is_some_and(|f| f.moves_freezes(m, t)) => None,
            Next::Visible(f) => Some(f),
            Next::Invisible => None,
        })
        .collect();
    (looks, m.process().threads.iter().filter(|t| !t.is_finished()).count() > 2)
}

/// Whether two ops of different threads lead, in either order, to one
/// state: independent ops (`crate::visible`), neither of them a sleep
/// (its deadline depends on when it runs) nor, unless `many` (more than
/// two threads live), a thread's end (after which the other thread may be
/// left alone, and run on: `run_on`).
fn commute(a: &Footprint, b: &Footprint, many: bool) -> bool {
    let plain = |f: &Footprint| match f {
        Footprint::Write(Location::ThreadEnd(_)) => many,
        Footprint::Read(l) | Footprint::Write(l) => !matches!(l, Location::Sleepers),
        Footprint::All => false,
    };
    plain(a) && plain(b) && independent(a, b)
}

/// How far up the path [`commuted`] looks for a state to start from.
const COMMUTE_BACK: usize = 16;

/// The successor by thread `t` of the state at the top of `path`, found
/// without running the step, and its summary.
///
/// Why: most steps of a search lead to a state met before, and a step
/// costs a copy of the machine, the step and a fingerprint, only to look
/// the state up. Say the path went from an earlier state A to the top
/// state by steps of t and of other threads, and each of those other
/// steps commutes ([`commute`]) with every op of t after it, t's next one
/// included. Then t's step here reaches the state that t's steps from A
/// first, then the others in their order, reach: the same steps in
/// another order. When t's step from A was searched before the step the
/// path took there, that part of the graph is finished, and the table
/// holds each state's successors to follow. (Debug builds also run the
/// step and check that the fingerprints agree.)
///
/// `above` are the states the parallel search passed before the path's
/// first (empty in a sequential search).
fn commuted(g: &Graph, above: &[Arc<Above>], path: &[Level], t: Tid) -> Option<(u64, Summary)> {
    let at = |i: usize| -> &dyn Seen {
        match i.checked_sub(above.len()) {
            Some(j) => &path[j],
            None => &*above[i],
        }
    };
    let top = above.len() + path.len() - 1;
    // t's ops from A on, latest first, and the other threads' steps,
    // latest first. (In arrays on the stack, as the walk is at most
    // COMMUTE_BACK long: this runs at every transition of the search.)
    let mut ts: [&Footprint; COMMUTE_BACK + 1] = [&Footprint::All; COMMUTE_BACK + 1];
    ts[0] = at(top).look(t)?;
    let mut nts = 1;
    let mut others: [Tid; COMMUTE_BACK] = [0; COMMUTE_BACK];
    let mut nothers = 0;
    let mut many = at(top).many();
    for a in (top.saturating_sub(COMMUTE_BACK)..top).rev() {
        let (here, w) = (at(a), at(a + 1).via());
        many &= here.many();
        if w == t {
            ts[nts] = here.look(t)?;
            nts += 1;
            continue;
        }
        let fw = here.look(w)?;
        if !ts[..nts].iter().all(|f| commute(f, fw, many)) {
            return None;
        }
        others[nothers] = w;
        nothers += 1;
        // From A = `here`, t's steps first, then the others.
        if here.look(t) != Some(ts[nts - 1]) {
            return None;
        }
        // A state on the way may not be finished yet (in a parallel
        // search, another worker's): an earlier A may still do.
        let follow = || {
            let mut x = here.kid(t)?;
            for _ in 1..nts {
                x = g.kid(x, t)?;
            }
            for &u in others[..nothers].iter().rev() {
                x = g.kid(x, u)?;
            }
            // Never an end: a run cut by the step budget ends in the
            // middle of whichever step crosses it, which depends on the
            // order of the steps. (A run that ends otherwise would be the
            // same either way, but ends are few.)
            Some((x, g.get(x).filter(|s| s.iter().all(|r| r.first != END))?))
        };
        if let Some(found) = follow() {
            return Some(found);
        }
    }
    None
}

/// The machine at the top of `path`: a copy of the nearest snapshot (the
/// snapshot itself when the top level needs it no more) with the choices
/// below it replayed.
fn restore(ctx: &Ctx, path: &mut [Level]) -> Machine {
    let top = path.len() - 1;
    let j = (0..=top).rev().find(|&i| path[i].machine.is_some()).expect("a branching level keeps a snapshot within reach");
    let mut m = if j == top && path[top].next == path[top].choices.len() && path[top].deferred.is_empty() {
        path[top].machine.take().expect("checked")
    } else {
        path[j].machine.clone().expect("checked")
    };
    for l in &path[j + 1..] {
        advance(ctx, &mut m, l.via);
    }
    m
}

/// Transitions taken by one worker, added to the shared count
/// ([`crate::Progress::states`]) a batch at a time and when it is dropped:
/// every worker adding each one to the same counter would keep taking
/// its cache line from the others.
struct Tally<'a> {
    shared: &'a AtomicU64,
    n: u64,
}

impl Tally<'_> {
    const BATCH: u64 = 256;

    fn add(&mut self) {
        self.n += 1;
        if self.n == Self::BATCH {
            self.shared.fetch_add(self.n, Ordering::Relaxed);
            self.n = 0;
        }
    }
}

impl Drop for Tally<'_> {
    fn drop(&mut self) {
        self.shared.fetch_add(self.n, Ordering::Relaxed);
    }
}

/// Sequential depth-first search of the graph from `m` (at `fp`, reached
/// by a step of `last` with `used` preemptions): the key and summary of
/// its node (partial if the search was stopped).
///
/// `above` are the states the parallel search passed on the way to `m`.
#[allow(clippy::too_many_arguments)]
fn dfs(ctx: &Ctx, g: &Graph, m: Machine, fp: u64, last: Option<Tid>, used: u32, above: &[Arc<Above>]) -> (u64, Summary) {
    let mut m = m;
    // Claimed by another worker or not, this one was given this state to
    // expand; a claim tells the others to leave it for later.
    let (key, cs) = match visit(ctx, g, &mut m, fp, last, used, ctx.opts.parallel) {
        (key, Visit::Known(s)) => return (key, s),
        // (Only where the parallel search hands over a subtree.)
        (key, Visit::Open(_) | Visit::Busy(_)) if g.too_deep(ctx, above.len()) => {
            return (key, g.cut_deep(ctx, key, fp, &mut m));
        }
        (key, Visit::Open(cs) | Visit::Busy(cs)) => (key, cs),
    };
    let snapshot = (cs.len() > 1).then(|| m.clone());
    let lk = looks(ctx, g, &m, &cs);
    let mut path = vec![Level::new(key, fp, last.unwrap_or(END), snapshot, cs, lk)];
    // The machine of the top level, when the search has just arrived there.
    let mut here = Some(m);
    let mut tally = Tally { shared: &ctx.progress.states, n: 0 };
    loop {
        let stopped = g.stopped(ctx);
        let top = path.last_mut().expect("the path ends when the root is done");
        if !stopped && top.next == top.choices.len() {
            if let Some((t, u, mut child, cfp)) = top.deferred.pop() {
                await_other_worker(g, cfp);
                // Finished by the other worker meanwhile, or else expanded
                // here too (its own successors are claimed one by one, so
                // the two workers share it).
                let deep = g.too_deep(ctx, above.len() + path.len());
                let top = path.last_mut().expect("non-empty");
                match visit(ctx, g, &mut child, cfp, Some(t), u, false) {
                    (ckey, Visit::Known(s)) => top.children.push((t, ckey, s)),
                    (ckey, Visit::Open(_) | Visit::Busy(_)) if deep => {
                        top.children.push((t, ckey, g.cut_deep(ctx, ckey, cfp, &mut child)));
                    }
                    (ckey, Visit::Open(cs) | Visit::Busy(cs)) => {
                        let machine = (cs.len() > 1).then(|| child.clone());
                        let lk = looks(ctx, g, &child, &cs);
                        path.push(Level::new(ckey, cfp, t, machine, cs, lk));
                        here = Some(child);
                    }
                }
                continue;
            }
        }
        if stopped || top.next == top.choices.len() {
            let level = path.pop().expect("non-empty");
            let (s, ks) = finish(level.children);
            // A stopped search's summaries are partial: never stored.
            if !stopped {
                g.put(ctx, level.key, level.fp, s.clone(), ks);
            }
            match path.last_mut() {
                Some(parent) => parent.children.push((level.via, level.key, s)),
                None => return (level.key, s),
            }
            here = None;
            continue;
        }
        let (t, u) = top.choices[top.next];
        top.next += 1;
        if let Some((ckey, s)) = commuted(g, above, &path, t) {
            #[cfg(debug_assertions)]
            {
                let mut c = match &here {
                    Some(m) => m.clone(),
                    None => restore(ctx, &mut path),
                };
                advance(ctx, &mut c, t);
                assert_eq!(c.fingerprint(), ckey, "thread {t}'s step reached another state than the commuted steps");
            }
            tally.add();
            path.last_mut().expect("non-empty").children.push((t, ckey, s));
            continue;
        }
        let mut child = match here.take() {
            Some(m) => m,
            None => restore(ctx, &mut path),
        };
        advance(ctx, &mut child, t);
        tally.add();
        let cfp = child.fingerprint();
        match visit(ctx, g, &mut child, cfp, Some(t), u, ctx.opts.parallel) {
            (ckey, Visit::Known(s)) => path.last_mut().expect("non-empty").children.push((t, ckey, s)),
            (_, Visit::Busy(_)) => {
                path.last_mut().expect("non-empty").deferred.push((t, u, child, cfp));
            }
            (ckey, Visit::Open(_)) if g.too_deep(ctx, above.len() + path.len()) => {
                // An end of its own: cut here, like a run out of steps.
                let s = g.cut_deep(ctx, ckey, cfp, &mut child);
                path.last_mut().expect("non-empty").children.push((t, ckey, s));
            }
            (ckey, Visit::Open(cs)) => {
                let depth = path.len();
                let near = path[depth.saturating_sub(snapshot_every(depth) - 1)..].iter().any(|l| l.machine.is_some());
                let machine = (cs.len() > 1 && !near).then(|| child.clone());
                let lk = looks(ctx, g, &child, &cs);
                path.push(Level::new(ckey, cfp, t, machine, cs, lk));
                here = Some(child);
            }
        }
    }
}

/// The search from `m`, with the successors of the first [`SPLIT`]
/// branching states searched in parallel.
///
/// `path` is the choices from the start to `m`, and `owner` the worker
/// that built `m`: a worker that builds a child of a machine another one
/// built does so on its own start ([`Graph::private`]). Returns the key
/// of `m`'s node with its summary.
#[allow(clippy::too_many_arguments)]
fn par(ctx: &Ctx, g: &Graph, mut m: Machine, mut fp: u64, mut last: Option<Tid>, mut used: u32, branchings: usize, mut path: Vec<Tid>, owner: Option<usize>, mut above: Vec<Arc<Above>>) -> (u64, Summary) {
    if branchings >= SPLIT {
        return dfs(ctx, g, m, fp, last, used, &above);
    }
    // Nodes with one choice on the way to the next branching one.
    let mut chain: Vec<(u64, u64, Tid)> = Vec::new();
    // The key of the node where the chain ends.
    let mut end = 0;
    let mut s = loop {
        if g.stopped(ctx) {
            break Vec::new().into();
        }
        // Expanded here whether or not another worker claimed it.
        match visit(ctx, g, &mut m, fp, last, used, true) {
            (key, Visit::Known(s)) => {
                end = key;
                break s;
            }
            (key, Visit::Open(_) | Visit::Busy(_)) if g.too_deep(ctx, above.len()) => {
                end = key;
                break g.cut_deep(ctx, key, fp, &mut m);
            }
            (key, Visit::Open(cs) | Visit::Busy(cs)) if cs.len() == 1 => {
                let (t, u) = cs[0];
                let here = Above::new(ctx, g, &m, last, &cs);
                chain.push((key, fp, t));
                path.push(t);
                advance(ctx, &mut m, t);
                ctx.progress.states.fetch_add(1, Ordering::Relaxed);
                fp = m.fingerprint();
                here.found(t, fp);
                above.push(here);
                (last, used) = (Some(t), u);
            }
            (key, Visit::Open(cs) | Visit::Busy(cs)) => {
                end = key;
                let node = Above::new(ctx, g, &m, last, &cs);
                let (here, path, node, above) = (&m, &path, &node, &above);
                let children: Vec<(Tid, u64, Summary)> = cs
                    .into_par_iter()
                    .map(|(t, u)| {
                        let me = rayon::current_thread_index();
                        let mut c = if me == owner { here.clone() } else { g.private(ctx, me, path, here) };
                        advance(ctx, &mut c, t);
                        ctx.progress.states.fetch_add(1, Ordering::Relaxed);
                        let cfp = c.fingerprint();
                        // (Unbounded, where `commuted` reads it, a node's
                        // key is its fingerprint.)
                        node.found(t, cfp);
                        let mut p = path.clone();
                        p.push(t);
                        let mut a = above.clone();
                        a.push(node.clone());
                        let (ckey, s) = par(ctx, g, c, cfp, Some(t), u, branchings + 1, p, me, a);
                        (t, ckey, s)
                    })
                    .collect();
                let (s, ks) = finish(children);
                if !g.stopped(ctx) {
                    g.put(ctx, key, fp, s.clone(), ks);
                }
                break s;
            }
        }
    };
    for (key, fp, t) in chain.into_iter().rev() {
        s = combine(vec![(t, s)]);
        if !g.stopped(ctx) {
            g.put(ctx, key, fp, s.clone(), kids([(t, end)]));
        }
        end = key;
    }
    (end, s)
}

/// The smallest schedule (by thread ids) from `start` to `outcome`, and
/// its choices, followed through the summaries of a complete search.
fn smallest_schedule(ctx: &Ctx, g: &Graph, start: &Machine, outcome: u32) -> Option<(String, Vec<Tid>)> {
    let mut m = start.clone();
    let mut path = Vec::new();
    let (mut last, mut used) = (Some(MAIN), 0);
    loop {
        let fp = m.fingerprint();
        let (key, listed) = g.node(&mut m, fp, last, used);
        let s = g.get(key)?;
        let r = s.iter().find(|r| r.outcome == outcome)?;
        if r.first == END {
            return Some((m.result().schedule, path));
        }
        if let Some(cs) = listed {
            used = cs.iter().find(|(t, _)| *t == r.first)?.1;
        }
        advance(ctx, &mut m, r.first);
        path.push(r.first);
        last = Some(r.first);
    }
}

/// The start state of the search: `m` (a new machine) run up to its
/// first scheduling point, rebased there.
fn prepared(ctx: &Ctx, mut m: Machine) -> Machine {
    run_invisible(ctx, &mut m, 0);
    first_steps(ctx, &mut m);
    // What the program built before its first scheduling point (its
    // imports, functions and classes) is then left out of every state's
    // fingerprint until a write reaches it.
    m.rebase();
    m
}

/// The state-graph search from the program's start.
pub(crate) fn explore(ctx: &Ctx, start: Machine) -> Stats {
    let start = prepared(ctx, start);
    let g = Graph::new(ctx.opts.preemption_bound);
    let fp = start.fingerprint();
    // The main thread ran up to here (alone, or through steps no other
    // thread can tell from later ones): it goes on without a preemption.
    let (_, root) = if ctx.opts.parallel { par(ctx, &g, start.clone(), fp, Some(MAIN), 0, 0, Vec::new(), rayon::current_thread_index(), Vec::new()) } else { dfs(ctx, &g, start.clone(), fp, Some(MAIN), 0, &[]) };
    let complete = !g.stopped(ctx);
    let (_, found) = std::mem::take(&mut *g.outcomes.lock().unwrap_or_else(|e| e.into_inner()));
    // The outcomes in the order of their smallest schedules (a complete
    // search), or as first met (a stopped one: its counts are those of
    // the schedules it finished, and its schedules the first ones found).
    let mut order: Vec<(Vec<Tid>, u32, String, u64)> = Vec::new();
    for r in root.iter() {
        let (path, schedule) = match complete.then(|| smallest_schedule(ctx, &g, &start, r.outcome)).flatten() {
            Some((schedule, path)) => (path, schedule),
            None => (Vec::new(), found[r.outcome as usize].outcome.schedule.clone()),
        };
        order.push((path, r.outcome, schedule, r.count));
    }
    if complete {
        order.sort();
    }
    let mut stats = Stats::default();
    let mut total: u64 = 0;
    for (_, id, schedule, count) in order {
        total = total.saturating_add(count);
        stats.saturated |= count == u64::MAX;
        let f = &found[id as usize];
        let mut one = Stats::default();
        let n = count;
        one.outcomes.push(OutcomeEntry { count: n, schedule: schedule.clone(), ..f.outcome.clone() });
        if let Some(d) = &f.deadlock {
            one.deadlocks.push(DeadlockEntry { count: n, schedule: schedule.clone(), ..d.clone() });
        }
        if let Some(e) = &f.error {
            one.errors.push(ErrorEntry { count: n, schedule, ..e.clone() });
        }
        stats.merge(one);
    }
    stats.executions = total;
    stats.saturated |= total == u64::MAX;
    stats.states = g.transitions.load(Ordering::Relaxed);
    stats.distinct = Some(match g.bound {
        Some(_) => g.machine_states.iter().map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len() as u64).sum(),
        None => g.stored.load(Ordering::Relaxed),
    });
    stats.bound_hit = g.bound_hit.load(Ordering::Relaxed);
    stats.schedules_counted = true;
    stats.out_of_depth = g.deep.load(Ordering::Relaxed);
    stats.out_of_states = g.full.load(Ordering::Relaxed);
    stats
}

thread_local! {
    /// Whether this worker is inside [`await_other_worker`] already.
    static AWAITING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Before a worker takes up a state it set aside because another worker
/// had claimed it (key `key`, unbounded): while the other still expands
/// it, this one runs other tasks of the search instead, if there are any.
///
/// Why: taking it up unfinished means expanding it a second time, while
/// once the other worker has finished it, it costs a lookup. Measured on
/// six naive philosophers: workers that took such states up at once ran
/// 13% more steps between them than the sequential search, and reached
/// 1.6 times its speed; waiting this way, 1% more steps and 1.8 times.
/// Only one level deep: a task run from here that meets the same case
/// takes the state up at once, so that the stack cannot grow without end.
fn await_other_worker(g: &Graph, key: u64) {
    if g.bound.is_some() || AWAITING.with(|a| a.replace(true)) {
        return;
    }
    for _ in 0..64 {
        if !matches!(g.lookup(key, false), Lookup::Busy) || rayon::yield_now() != Some(rayon::Yield::Executed) {
            break;
        }
    }
    AWAITING.with(|a| a.set(false));
}
