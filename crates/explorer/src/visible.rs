//! Which operations other threads can notice, and which pairs commute.
//!
//! A thread's next bytecode op is *invisible* when it touches nothing but
//! the thread's own frame: its value stack, its local slots, its
//! instruction pointer and the code's constants. Such an op commutes with
//! every op of every other thread (running it earlier or later changes
//! nothing another thread can observe), it never blocks, and it cannot
//! fail in a way that prints anything. So the explorer lets the thread run
//! through it without offering the other threads a turn: that single
//! choice is a *persistent set*, and no outcome is lost. The list of those
//! ops is the engine's (`interleave_engine::local`), which also runs them
//! in one go after a step (`Machine::step_local`); what this module adds
//! are the reads that `crate::frozen` proves no other thread can change.
//!
//! Every other op is *visible*. For sleep sets the explorer also needs to
//! know when two visible ops of different threads are *independent*
//! (executing them in either order gives the same state and neither
//! enables or disables the other). The engine does not tell which objects a
//! step reads or writes, so this module predicts a conservative
//! [`Footprint`] from the op and the thread's frame before the step runs:
//! reading or writing one module-level name, one object (a container, an
//! instance, a lock, an iterator, a generator, a function being called),
//! the output, the sleepers or the thread table, or only allocating, or
//! else "anything" ([`Footprint::All`]), which conflicts with every op.
//! Two ops are independent only if both footprints are precise and they
//! do not write what the other reads or writes.
//!
//! Everything here errs toward "visible" and "dependent": a wrong
//! "invisible" or "independent" would make the search miss outcomes, a
//! wrong "visible" only makes it slower.

use std::sync::Arc;

use interleave_engine::code::Op;
use interleave_engine::syntax::ast::{BinOp, CmpOp, UnaryOp};
use interleave_engine::kernel::{Process, Tid};
use interleave_engine::object::{IterObj, Obj, Payload};
use interleave_engine::vm::{Frame, OnReturn};
use interleave_engine::types::Builtin;
use interleave_engine::value::{ObjId, Value};
use interleave_engine::Machine;

use crate::frozen::{Facts, State};

/// What a shared location is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// A name in a module namespace (the dict's heap id, the name).
    Global(ObjId, Arc<str>),
    /// One heap object as a whole.
    Object(ObjId),
    /// The heap allocator: which id the next new object gets. The order of
    /// two threads' allocations decides only the numbers behind `id(x)`
    /// and default reprs (`<... at 0x...>`), which CPython does not keep
    /// from one run to the next either, so the explorer treats allocations
    /// as commuting with everything (see [`independent`]): a program whose
    /// output depends on object addresses is not explored for them.
    Allocator,
    /// The program's standard output: two prints do not commute (their
    /// order is the output), a print and anything else do.
    Stdout,
    /// The virtual kernel's files (`interleave_engine::modules::files`), as
    /// one location: a read of any file and a write of another conflict,
    /// which only orders more.
    Files,
    /// The thread table: starting a thread gives it the next thread id
    /// (`ident`, `get_ident()`), so two starts do not commute.
    Threads,
    /// The table of sync objects: making a lock, condition, event,
    /// semaphore, queue or barrier gives it the next id (and its label,
    /// `Lock#3`), so two makings do not commute; a making and anything
    /// else do (see `Machine::fingerprint`, which leaves out what only a
    /// garbage sync object's id could tell).
    SyncTable,
    /// A thread's termination.
    ThreadEnd(Tid),
    /// Which threads are alive, as `is_alive()`, `active_count()` and
    /// `threading.enumerate()` read it: only ever read, it is written by
    /// every start ([`Location::Threads`]) and every end
    /// ([`Location::ThreadEnd`]), which [`independent`] knows. (Not a
    /// `ThreadEnd` read, as `join()` is: a `join()` can never come before
    /// the end it waits for, an `is_alive()` can.)
    Liveness,
    /// The queue of sleepers: `time.sleep(d)` sets a deadline of now + d,
    /// rounded up to the kernel's timer tick (`Config::timer_tick_ns`).
    /// Two sleeps are treated as not commuting: which of two equal
    /// durations ends first is decided by whether a tick falls between
    /// the two sleeps. A sleep and any other op do commute: moving an op
    /// across a sleep moves the deadline only when the op's few
    /// nanoseconds of virtual time cross a tick, which only a program
    /// timing itself at that grain could see (the same assumption as the
    /// module docs make for eagerly run invisible ops).
    Sleepers,
    /// The virtual network (`interleave_engine::modules::sockets`): every
    /// socket, as one location, which only orders more.
    Net,
}

/// The shared state a visible op may touch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Footprint {
    /// Unknown or global effects (calls, attribute access, sync objects,
    /// output, thread start/exit): conflicts with everything.
    All,
    /// Reads one location.
    Read(Location),
    /// Writes (and may read) one location.
    Write(Location),
}

/// Whether two visible ops of different threads commute.
pub fn independent(a: &Footprint, b: &Footprint) -> bool {
    match (a, b) {
        (Footprint::All, _) | (_, Footprint::All) => false,
        (Footprint::Write(Location::Allocator), _) | (_, Footprint::Write(Location::Allocator)) => true,
        (Footprint::Read(_), Footprint::Read(_)) => true,
        (Footprint::Read(Location::Liveness), Footprint::Write(w)) | (Footprint::Write(w), Footprint::Read(Location::Liveness)) => {
            !matches!(w, Location::Threads | Location::ThreadEnd(_) | Location::Liveness)
        }
        (Footprint::Read(x) | Footprint::Write(x), Footprint::Write(y)) | (Footprint::Write(x), Footprint::Read(y)) => x != y,
    }
}

/// The classification of a thread's next op.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Touches only the thread's own frame: run it without branching.
    Invisible,
    /// May interact with other threads, with its predicted footprint.
    Visible(Footprint),
}

/// The threads worth offering at a scheduling point: the ready threads,
/// less those whose next op is certain to block (see [`would_block`]).
/// Running such a thread only parks it on a wait queue; it is offered
/// again once what it waits for is free, and running it then reaches every
/// outcome that parking it first could. When every ready thread would
/// block (the lead-up to a deadlock, or everyone waiting on a sleeper),
/// they are all offered, so that the order in which they queue up is
/// explored too.
pub fn choices(m: &mut Machine) -> Vec<Tid> {
    let mut ready = m.ready();
    // The list is filtered in place (this runs at every scheduling point):
    // the threads that would block, by their places in it.
    if ready.len() <= 64 {
        let blocks = ready.iter().enumerate().filter(|&(_, &t)| would_block(m, t)).fold(0u64, |b, (i, _)| b | 1 << i);
        if blocks != 0 && blocks.count_ones() as usize != ready.len() {
            let mut i = 0;
            ready.retain(|_| {
                i += 1;
                blocks & (1 << (i - 1)) == 0
            });
        }
        return ready;
    }
    let free: Vec<Tid> = ready.iter().copied().filter(|&t| !would_block(m, t)).collect();
    if free.is_empty() {
        ready
    } else {
        free
    }
}

/// Whether thread `tid`'s next op certainly blocks without any other
/// effect: a plain `acquire()` (or `with`) of a lock someone holds, a
/// semaphore at zero, `wait()` on a clear event, `get()` on an empty queue,
/// `put()` on a full bounded one, `join()` of a live thread. Anything with
/// a timeout, a retry after a wake-up, or a doubt: false.
pub fn would_block(m: &Machine, tid: Tid) -> bool {
    use interleave_engine::kernel::SyncObj;
    let Some(p) = m.process_of(tid) else { return false };
    let Some(t) = p.threads.iter().find(|t| t.tid == tid) else { return false };
    if t.pending_call.is_some() || t.wake.is_some() || t.call_state.is_some() {
        return false;
    }
    let Some(fr) = t.frames.last() else { return false };
    let Some(Op::CallMethod(argc)) = fr.code.ops.get(fr.ip).copied() else { return false };
    let (argc, n) = (argc as usize, fr.stack.len());
    if n < argc + 2 {
        return false;
    }
    let (Value::Obj(callee), Value::Obj(this)) = (&fr.stack[n - argc - 2], &fr.stack[n - argc - 1]) else { return false };
    let Obj::Native(nf) = p.heap.get(*callee) else { return false };
    let Obj::Instance(inst) = p.heap.get(*this) else { return false };
    if !matches!(p.heap.get(inst.class), Obj::Class(c) if c.builtin.is_some()) {
        return false;
    }
    match &inst.payload {
        Payload::Thread(th) if nf.name == "join" && argc == 0 && nf.qual == "Thread" => {
            th.started && th.tid.is_some_and(|jt| jt != tid && p.threads.iter().any(|x| x.tid == jt && !x.is_finished()))
        }
        Payload::Sync(sid) => {
            let mut obj = p.sync.get(*sid as usize).map(|e| &e.obj);
            // A condition's `with` or `acquire()` waits for its lock.
            if let (Some(SyncObj::Condition { lock_sync, .. }), "acquire" | "__enter__") = (obj, nf.name) {
                obj = p.sync.get(*lock_sync as usize).map(|e| &e.obj);
            }
            let argc = wait_argc(nf.name, argc, fr);
            match (obj, nf.name, argc) {
                (Some(SyncObj::Lock { owner }), "acquire" | "acquire_lock" | "__enter__", 0) => owner.is_some(),
                (Some(SyncObj::RLock { owner, .. }), "acquire" | "acquire_lock" | "__enter__", 0) => owner.is_some_and(|o| o != tid),
                (Some(SyncObj::Semaphore { value, .. }), "acquire" | "__enter__", 0) => *value <= 0,
                (Some(SyncObj::Event { flag }), "wait", 0) => !flag,
                (Some(SyncObj::Queue { items, .. }), "get", 0) => items.is_empty(),
                (Some(SyncObj::Queue { items, maxsize, .. }), "put", 1) => *maxsize > 0 && items.len() as i64 >= *maxsize,
                (Some(SyncObj::Queue { unfinished, .. }), "join", 0) => *unfinished > 0,
                _ => false,
            }
        }
        _ => false,
    }
}

/// Classifies thread `tid`'s next op in `m` (which must be between steps).
pub fn classify(m: &Machine, tid: Tid) -> Next {
    classify_with(m, tid, None)
}

/// [`classify`], and with `facts` also a read of what no other thread can
/// change any more is invisible (see [`crate::frozen`]; which freezes
/// apply depends on the search).
pub fn classify_with(m: &Machine, tid: Tid, facts: Option<&Facts>) -> Next {
    // (The thread's own process: each has its own heap, whose ids may
    // repeat another's. Locations that name such ids then only ever
    // conflict too often, never too rarely.)
    let Some(p) = m.process_of(tid) else { return Next::Visible(Footprint::All) };
    let Some(t) = p.threads.iter().find(|t| t.tid == tid) else { return Next::Visible(Footprint::All) };
    // A thread about to make its first call, or to retry or finish a
    // blocking call after a wake-up, is in the middle of kernel business.
    if t.pending_call.is_some() {
        return Next::Visible(first_step(p, t));
    }
    let Some(fr) = t.frames.last() else { return Next::Visible(Footprint::All) };
    let Some(op) = fr.code.ops.get(fr.ip).copied() else { return Next::Visible(Footprint::All) };
    if t.wake.is_some() || t.call_state.is_some() {
        // A woken `join` retries the same call; it still only waits for
        // the other thread's end. Any other retried call: `All`.
        // Likewise a woken lock/semaphore/event/queue call retries the
        // same operation on the same object.
        if t.call_state.is_some() {
            return Next::Visible(wait_retry(p, t, fr, op).unwrap_or(Footprint::All));
        }
        return Next::Visible(match thread_method(p, tid, fr, op) {
            Some(fp @ Footprint::Read(Location::ThreadEnd(_))) => fp,
            _ => sync_method(p, tid, fr, op).or_else(|| sleep_call(p, fr, op)).unwrap_or(Footprint::All),
        });
    }
    // Ops that touch only the thread's own frame (the engine's list, which
    // `Machine::step_local` runs through in one go).
    if interleave_engine::local::next_is_local(&t.frames) {
        return Next::Invisible;
    }
    let fp = footprint(p, tid, &t.frames, op);
    if facts.is_some_and(|f| f.unobservable(m, tid, fr, op, &fp)) {
        return Next::Invisible;
    }
    if m.procs.len() > 1 && p.threads.len() == 1 && process_private(&fp) {
        return Next::Invisible;
    }
    Next::Visible(fp)
}

/// Whether an op with footprint `fp`, run by the only thread of its
/// process while other processes run, is invisible: it names only the
/// process's own heap (a module-level name, one object, the allocator),
/// which no other process can reach (each has its own heap after the
/// fork), and no other thread of its process exists to see it. A precise
/// footprint also means the op runs no Python code and raises nothing
/// (see [`footprint`]). What processes share (the output, the files, the
/// kernel's channels, locks and shared memory, the process table) is
/// reached only through ops whose footprint is not one of these.
fn process_private(fp: &Footprint) -> bool {
    matches!(fp, Footprint::Read(l) | Footprint::Write(l) if matches!(l, Location::Global(..) | Location::Object(_) | Location::Allocator))
}

/// The explorer's invisible ops, for the engine to run on through in the
/// same trip as a step's local ops (`Machine::step_local_with`): what
/// [`classify_with`] calls invisible in a thread between calls, past the
/// local ops (which the engine asks about first). Only for a search of a
/// single process (the freezes' assumption, see [`Facts::unobservable`]).
///
/// It notes whether it said no: the engine asks once per op boundary and
/// ends the run at the first no, so a no is the last answer of a run that
/// stopped before a visible op (see `search::step_local`).
pub struct InvisibleOps<'a> {
    facts: &'a Facts,
    said_no: std::cell::Cell<bool>,
}

impl<'a> InvisibleOps<'a> {
    pub fn new(facts: &'a Facts) -> InvisibleOps<'a> {
        InvisibleOps { facts, said_no: std::cell::Cell::new(false) }
    }

    /// Whether the run ended because the next op is visible.
    pub fn said_visible(&self) -> bool {
        self.said_no.get()
    }
}

impl interleave_engine::local::Invisible for InvisibleOps<'_> {
    fn invisible(&self, p: &Process, tid: Tid, frames: &[Frame]) -> bool {
        let yes = (|| {
            let fr = frames.last()?;
            let op = fr.code.ops.get(fr.ip).copied()?;
            Some(self.facts.unobservable_in(&State { p, running: Some((tid, frames)) }, tid, fr, op, || footprint(p, tid, frames, op)))
        })()
        .unwrap_or(false);
        self.said_no.set(!yes);
        yes
    }
}

/// The footprint of `op`, the next op of the thread whose call stack is
/// `frames` (the running frame last, never empty).
fn footprint(p: &Process, tid: Tid, frames: &[Frame], op: Op) -> Footprint {
    let Some(fr) = frames.last() else { return Footprint::All };
    // A call or a generator's resumption pushes a frame: at the recursion
    // limit it raises RecursionError instead. (Between steps no native
    // call is running Python code, so the frames are the whole depth.)
    let room = frames.len() + 1 < interleave_engine::vm::RECURSION_LIMIT;
    // Whether `name` is bound in the namespace dict `g`. Reading a missing
    // name raises NameError (visible), and storing a new one changes the
    // dict's key order (visible through `globals()`), so both stay `All`.
    let bound = |g: ObjId, i: u32| -> Option<Arc<str>> {
        let name = fr.code.names.get(i as usize)?;
        let h = *fr.code.name_hashes.get(i as usize)?;
        match p.heap.get(g) {
            Obj::Dict(d) if d.d.get_arc(name, h).is_some() => Some(name.clone()),
            _ => None,
        }
    };
    let in_builtins = |i: u32| -> bool {
        let (Some(name), Some(h)) = (fr.code.names.get(i as usize), fr.code.name_hashes.get(i as usize)) else { return false };
        matches!(p.heap.get(p.builtins), Obj::Dict(d) if d.d.get_arc(name, *h).is_some())
    };
    match op {
        // `seq[i]` on a list or tuple with an int index in range reads
        // that one object (`forks[first]`). Out of range it would raise
        // IndexError, which is visible: `All`.
        Op::Subscr => {
            let n = fr.stack.len();
            match (n >= 2).then(|| (&fr.stack[n - 2], &fr.stack[n - 1])) {
                Some((Value::Obj(c), key)) => match (p.heap.get(*c), key) {
                    (Obj::List(items) | Obj::Tuple(items), Value::Int(i)) if in_range(items.len(), *i) => Footprint::Read(Location::Object(*c)),
                    (Obj::Dict(_), _) => dict_read(p, *c, key).unwrap_or(Footprint::All),
                    _ => Footprint::All,
                },
                _ => Footprint::All,
            }
        }
        Op::StoreSubscr | Op::DeleteSubscr => container_store(p, fr, op).unwrap_or(Footprint::All),
        // Building a value from the thread's own stack: a list, a tuple, a
        // slice, a function, an f-string from plain values. These only
        // allocate (see `Location::Allocator`): no Python code runs, and
        // nothing can raise.
        Op::BuildList(_) | Op::BuildTuple(_) | Op::BuildSlice(_) | Op::MakeFunction(..) => Footprint::Write(Location::Allocator),
        Op::BuildString(k) => {
            let k = k as usize;
            match fr.stack.len().checked_sub(k) {
                Some(at) if fr.stack[at..].iter().all(|v| matches!(v, Value::Str(_))) => Footprint::Write(Location::Allocator),
                _ => Footprint::All,
            }
        }
        // `'%s_%d' % (name, n)`: a format that fits its plain arguments
        // only makes a string (a tuple's items never change). With a
        // plain dict (`'%(name)s' % d`, as `logging` formats a record), a
        // read of the dict.
        Op::Binary(BinOp::Mod) | Op::Inplace(BinOp::Mod) => {
            let n = fr.stack.len();
            match (n >= 2).then(|| (&fr.stack[n - 2], &fr.stack[n - 1])) {
                Some((Value::Str(fmt), Value::Obj(t))) => match p.heap.get(*t) {
                    Obj::Tuple(items) if interleave_engine::format::percent_plain_ok(fmt, items) => Footprint::Write(Location::Allocator),
                    Obj::Dict(d)
                        if d.kind == interleave_engine::object::DictKind::Dict
                            && interleave_engine::format::percent_mapping_plain_ok(fmt, |k| d.d.get_str(k).cloned()) =>
                    {
                        Footprint::Read(Location::Object(*t))
                    }
                    _ => Footprint::All,
                },
                Some((Value::Str(fmt), v)) if interleave_engine::format::percent_plain_ok(fmt, std::slice::from_ref(v)) => Footprint::Write(Location::Allocator),
                _ => Footprint::All,
            }
        }
        // `{x}` in an f-string, without a format spec (a bad spec raises),
        // of a value whose str is plain.
        Op::FormatValue(_, 0) if matches!(fr.stack.last(), Some(v) if plain_value(v)) => Footprint::Write(Location::Allocator),
        // `{t:.1f}`: a plain value with a spec that fits it (after a `!s`
        // or `!r` conversion, a string).
        Op::FormatValue(conv, 1) => {
            let n = fr.stack.len();
            match (n >= 2).then(|| (&fr.stack[n - 2], &fr.stack[n - 1])) {
                Some((v, Value::Str(spec))) if plain_value(v) => {
                    let converted = if conv == 0 { v.clone() } else { Value::Str(Arc::from("")) };
                    if interleave_engine::format::plain_spec_ok(&converted, spec) {
                        Footprint::Write(Location::Allocator)
                    } else {
                        Footprint::All
                    }
                }
                _ => Footprint::All,
            }
        }
        // `{items}` of a list, dict, set or deque of plain values: a read of
        // that container (a tuple's never changes). Its str and repr are
        // the items' reprs, which run no Python code.
        Op::FormatValue(_, 0) => match fr.stack.last() {
            Some(Value::Obj(c)) => match p.heap.get(*c) {
                Obj::Tuple(items) if items.iter().all(plain_value) => Footprint::Write(Location::Allocator),
                Obj::List(items) if items.iter().all(plain_value) => Footprint::Read(Location::Object(*c)),
                Obj::Deque(items, _) if items.iter().all(plain_value) => Footprint::Read(Location::Object(*c)),
                Obj::Dict(d) if d.d.iter().all(|e| plain_value(&e.key) && plain_value(&e.value)) => Footprint::Read(Location::Object(*c)),
                Obj::Set(items, _) if items.iter().all(|e| plain_value(&e.key)) => Footprint::Read(Location::Object(*c)),
                _ => Footprint::All,
            },
            _ => Footprint::All,
        },
        // `a, b = pair`: a tuple of the right length only allocates; a list
        // is read.
        Op::UnpackSequence(k) => match fr.stack.last() {
            Some(Value::Obj(c)) => match p.heap.get(*c) {
                Obj::Tuple(items) if items.len() == k as usize => Footprint::Write(Location::Allocator),
                Obj::List(items) if items.len() == k as usize => Footprint::Read(Location::Object(*c)),
                _ => Footprint::All,
            },
            _ => Footprint::All,
        },
        // `key in d` on a dict or set with a plain key. `x in items` on a
        // list, deque or tuple whose items, like `x`, compare without
        // Python code (`f not in done` over futures): a read of the list
        // or deque (a tuple never changes).
        Op::Compare(CmpOp::In | CmpOp::NotIn) => {
            let n = fr.stack.len();
            match (n >= 2).then(|| (&fr.stack[n - 2], &fr.stack[n - 1])) {
                // A substring test: strings never change.
                Some((Value::Str(_), Value::Str(_))) => Footprint::Write(Location::Allocator),
                Some((key, Value::Obj(c))) if plain_value(key) && matches!(p.heap.get(*c), Obj::Dict(_) | Obj::Set(..)) => Footprint::Read(Location::Object(*c)),
                Some((key, Value::Obj(c))) if identity_eq(p, key) => match p.heap.get(*c) {
                    Obj::Tuple(items) if items.iter().all(|v| identity_eq(p, v)) => Footprint::Write(Location::Allocator),
                    Obj::List(items) if items.iter().all(|v| identity_eq(p, v)) => Footprint::Read(Location::Object(*c)),
                    Obj::Deque(items, _) if items.iter().all(|v| identity_eq(p, v)) => Footprint::Read(Location::Object(*c)),
                    _ => Footprint::All,
                },
                _ => Footprint::All,
            }
        }
        // A closure's variable: its cell, read (bound) or written.
        // `LoadClosure` pushes the cell itself, for a function being made.
        Op::LoadDeref(i) => match fr.cells.get(i as usize) {
            Some(c) if matches!(p.heap.get(*c), Obj::Cell(v) if !matches!(v, Value::Undef)) => Footprint::Read(Location::Object(*c)),
            _ => Footprint::All,
        },
        Op::StoreDeref(i) => match fr.cells.get(i as usize) {
            Some(c) if matches!(p.heap.get(*c), Obj::Cell(_)) => Footprint::Write(Location::Object(*c)),
            _ => Footprint::All,
        },
        Op::LoadClosure(i) if (i as usize) < fr.cells.len() => Footprint::Write(Location::Allocator),
        // Comparing two plain values runs no Python code; equality never
        // raises, and ordering does not between two strings or two numbers.
        Op::Compare(c) => {
            let n = fr.stack.len();
            let num = |v: &Value| matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_));
            match (n >= 2).then(|| (&fr.stack[n - 2], &fr.stack[n - 1])) {
                Some((a, b)) if plain_value(a) && plain_value(b) => {
                    let ok = match c {
                        CmpOp::Eq | CmpOp::NotEq | CmpOp::Is | CmpOp::IsNot => true,
                        CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => {
                            (num(a) && num(b)) || (matches!(a, Value::Str(_)) && matches!(b, Value::Str(_)))
                        }
                        CmpOp::In | CmpOp::NotIn => false,
                    };
                    if ok {
                        Footprint::Write(Location::Allocator)
                    } else {
                        Footprint::All
                    }
                }
                _ => Footprint::All,
            }
        }
        Op::LoadGlobal(i) => match bound(fr.globals, i) {
            Some(name) => Footprint::Read(Location::Global(fr.globals, name)),
            // A builtin (print, range): reads the module name (absent, so
            // a store to it must conflict) and then the builtins dict,
            // which only attribute stores (already `All`) can change.
            None if in_builtins(i) => match fr.code.names.get(i as usize) {
                Some(name) => Footprint::Read(Location::Global(fr.globals, name.clone())),
                None => Footprint::All,
            },
            None => Footprint::All,
        },
        Op::StoreGlobal(i) => match bound(fr.globals, i) {
            Some(name) => Footprint::Write(Location::Global(fr.globals, name)),
            None => Footprint::All,
        },
        // Module-level code (no class namespace) reads and writes globals
        // by name exactly like LoadGlobal/StoreGlobal.
        Op::LoadName(i) if fr.ns.is_none() => match bound(fr.globals, i) {
            Some(name) => Footprint::Read(Location::Global(fr.globals, name)),
            None => Footprint::All,
        },
        Op::StoreName(i) if fr.ns.is_none() => match bound(fr.globals, i) {
            Some(name) => Footprint::Write(Location::Global(fr.globals, name)),
            None => Footprint::All,
        },
        // Advancing a `range` iterator, or one over a tuple or a string,
        // touches only the iterator object: what it walks cannot change.
        // One over a list (or deque) also reads the list, which others may
        // change: it is taken as a write of the list. Every op that can
        // touch such an iterator is either `All` (`next(it)`, any call) or
        // another `ForIter` of it, which names the same list, so no race
        // on the iterator itself is missed. (`for t in threads: t.join()`
        // in the main thread then commutes with everything the workers do
        // but an `All` op or a use of that very list.)
        Op::ForIter(_) => match fr.stack.last() {
            Some(Value::Obj(id)) => match p.heap.get(*id) {
                Obj::Iter(it) => iter_next(p, *id, it),
                // Resuming a generator (or finding it exhausted) writes
                // the generator object: its frame moves onto this thread's
                // stack and it is marked running. Every op that changes a
                // generator's state is `All` or one of the three that name
                // it (this, its `yield` and its `return`), so a race on it
                // (another thread resuming it meanwhile, which raises
                // ValueError) is between ops that all name it.
                Obj::Generator(g) if !g.running && room => Footprint::Write(Location::Object(*id)),
                _ => Footprint::All,
            },
            _ => Footprint::All,
        },
        // A generator's `yield` hands a value to the frame that resumed it
        // and parks its own frame in the generator object; its `return`
        // ends it. Both write the generator, and touch nothing else when
        // the value just goes onto the resumer's stack (a `for` loop,
        // `next()`; a `return` to `next()` without a default raises
        // StopIteration: `All`).
        Op::Yield | Op::Return if fr.generator.is_some() && frames.len() >= 2 && !fr.stack.is_empty() && fr.blocks.is_empty() => {
            let fits = match fr.on_return {
                OnReturn::ForIter(_) | OnReturn::NextDefault(_) => true,
                OnReturn::Push => op == Op::Yield,
                _ => false,
            };
            match fr.generator {
                Some(g) if fits => Footprint::Write(Location::Object(g)),
                _ => Footprint::All,
            }
        }
        // `obj.method` on an instance of a builtin class (a Thread, a Lock,
        // ...) or on a module: a pure read of that object when the name
        // resolves (a missing one raises AttributeError: visible). Builtin
        // classes have no Python-level properties or `__getattr__`, and
        // every way of changing them or the instance is an `All` op.
        Op::LoadMethod(i) => {
            let (Some(name), Some(Value::Obj(id))) = (fr.code.names.get(i as usize), fr.stack.last()) else { return Footprint::All };
            match p.heap.get(*id) {
                Obj::Instance(inst) => {
                    let Obj::Class(c) = p.heap.get(inst.class) else { return Footprint::All };
                    if c.builtin.is_none() {
                        // `self.deposit(...)` on a plain class's instance, or
                        // `t.start()` on an instance of a `Thread` subclass:
                        // a read of the instance (which may shadow the
                        // method) and of classes only `All` ops can write.
                        return if plain_has(p, inst, name) || thread_subclass_has(p, inst, name) { Footprint::Read(Location::Object(*id)) } else { Footprint::All };
                    }
                    match class_attr(p, &c.mro, name) {
                        Some(Value::Obj(a)) if matches!(p.heap.get(*a), Obj::Property(..)) => Footprint::All,
                        Some(_) => Footprint::Read(Location::Object(*id)),
                        None => Footprint::All,
                    }
                }
                Obj::Module(md) => module_attr(p, md.dict, name),
                // `items.append` on a list, dict, set or deque: the method
                // comes from the built-in type's table (the one `LoadMethod`
                // looks in), which nothing can change; the object is only
                // read by the call that follows. Another name would go to
                // `getattr`, and may raise: `All`.
                Obj::List(_) | Obj::Dict(_) | Obj::Set(..) | Obj::Deque(..) | Obj::Tuple(_)
                    if interleave_engine::methods::has_method_in(&p.heap, &Value::Obj(*id), name) =>
                {
                    Footprint::Write(Location::Allocator)
                }
                _ => Footprint::All,
            }
        }
        // `module.name` (`threading.Thread`): a read of the module's
        // namespace entry, the same location its own code's globals use.
        // `obj.name` on an instance of a plain class, with `name` in the
        // instance's own dict (`self.balance`) or its class's (a method):
        // a pure read of that instance (see `plain_has`).
        Op::LoadAttr(i) => match (fr.code.names.get(i as usize), fr.stack.last()) {
            (Some(name), Some(Value::Obj(id))) => match p.heap.get(*id) {
                Obj::Module(md) => module_attr(p, md.dict, name),
                Obj::Instance(inst) if plain_has(p, inst, name) || thread_subclass_has(p, inst, name) => Footprint::Read(Location::Object(*id)),
                // `t.name` (or `self.name` in a `Thread` subclass's `run`)
                // when it is `Thread`'s own property: the thread's payload,
                // which only `All` ops (`t.name = ...`, `setName`) change.
                Obj::Instance(inst) if &**name == "name" && thread_own_name(p, inst) => Footprint::Read(Location::Object(*id)),
                _ => Footprint::All,
            },
            _ => Footprint::All,
        },
        // `obj.name = v` on an instance of a plain class: the engine's
        // setattr fast path, a write of that instance's dict and nothing
        // else (a new name changes the dict's order, which only ops on the
        // same instance, or `All` ones like `vars()`, can see).
        // The same on an instance of a `Thread` subclass (`self.count = 0`
        // in its `run`), for a name that is not a property of the class
        // (`name`, `daemon`: the thread's own state) nor `run`, which
        // `start()` reads (as a write of the thread table only).
        Op::StoreAttr(i) => match fr.stack.last() {
            Some(Value::Obj(id)) => match p.heap.get(*id) {
                Obj::Instance(inst) if plain_class(p, inst.class) => Footprint::Write(Location::Object(*id)),
                Obj::Instance(inst)
                    if fr.code.names.get(i as usize).is_some_and(|name| &**name != "run" && thread_subclass(p, inst) && !class_property(p, inst, name)) =>
                {
                    Footprint::Write(Location::Object(*id))
                }
                _ => Footprint::All,
            },
            _ => Footprint::All,
        },
        // `range(n)` with int arguments only allocates the range.
        Op::Call(argc) => {
            let n = fr.stack.len();
            let argc = argc as usize;
            if let Some(fp) = python_call(p, fr, op, room).or_else(|| pure_native(p, fr, op)) {
                return fp;
            }
            if argc == 0 || n < argc + 1 {
                return Footprint::All;
            }
            // `sum(n * n for n in numbers)`: a builtin given a generator
            // hands it to its helper written in Python (the prelude's
            // `_sum`), a call that only pushes that helper's frame.
            let gen_arg = matches!(&fr.stack[n - argc], Value::Obj(g) if matches!(p.heap.get(*g), Obj::Generator(_)));
            let helper = match &fr.stack[n - argc - 1] {
                Value::Obj(c) => matches!(p.heap.get(*c), Obj::Native(nf) if nf.qual == "builtins"
                    && matches!((nf.name, argc), ("sum", 1 | 2) | ("any" | "all" | "sorted" | "min" | "max", 1))),
                _ => false,
            };
            if gen_arg && helper && room {
                return Footprint::Write(Location::Allocator);
            }
            let args_ok = argc <= 3 && fr.stack[n - argc..].iter().all(|v| matches!(v, Value::Int(_)));
            let callee_is_range = match &fr.stack[n - argc - 1] {
                Value::Obj(c) => matches!(p.heap.get(*c), Obj::Class(k) if k.builtin == Some(Builtin::Range)),
                _ => false,
            };
            // `print(...)` of plain values (their `str` runs no Python
            // code) only appends to the output.
            let callee_is_print = match &fr.stack[n - argc - 1] {
                Value::Obj(c) => matches!(p.heap.get(*c), Obj::Native(nf) if nf.name == "print" && nf.qual == "builtins"),
                _ => false,
            };
            let plain = fr.stack[n - argc..].iter().all(plain_value);
            let callee_is_len = argc == 1
                && matches!(&fr.stack[n - 2], Value::Obj(c) if matches!(p.heap.get(*c), Obj::Native(nf) if nf.name == "len" && nf.qual == "builtins"));
            if let Some(fp) = sleep_call(p, fr, op) {
                fp
            } else if callee_is_len {
                // `len(items)` reads the container; the length of a tuple
                // or a string never changes.
                match &fr.stack[n - 1] {
                    Value::Str(_) => Footprint::Write(Location::Allocator),
                    Value::Obj(c) => match p.heap.get(*c) {
                        Obj::Tuple(_) => Footprint::Write(Location::Allocator),
                        Obj::List(_) | Obj::Dict(_) | Obj::Set(..) | Obj::Deque(..) => Footprint::Read(Location::Object(*c)),
                        _ => Footprint::All,
                    },
                    _ => Footprint::All,
                }
            } else if args_ok && callee_is_range {
                Footprint::Write(Location::Allocator)
            } else if argc == 1 && converts_plainly(p, &fr.stack[n - 2], &fr.stack[n - 1]) {
                Footprint::Write(Location::Allocator)
            } else if callee_is_print && plain {
                Footprint::Write(Location::Stdout)
            } else {
                Footprint::All
            }
        }
        // `iter(x)` of a range, list, tuple or deque only allocates the
        // iterator (which reads nothing of `x` until it is advanced); of an
        // iterator or a generator it is that very object.
        Op::GetIter => match fr.stack.last() {
            Some(Value::Str(_)) => Footprint::Write(Location::Allocator),
            Some(Value::Obj(id)) => match p.heap.get(*id) {
                Obj::Range(..) | Obj::List(_) | Obj::Tuple(_) | Obj::Deque(..) | Obj::Iter(_) | Obj::Generator(_) => Footprint::Write(Location::Allocator),
                // A dict's iterator (or its view's) keeps the dict's size,
                // and a set's a snapshot of its items and size: each step
                // checks the size against it (see `iter_next`).
                Obj::Dict(_) | Obj::Set(..) => Footprint::Read(Location::Object(*id)),
                Obj::DictView(d, _) => Footprint::Read(Location::Object(*d)),
                _ => Footprint::All,
            },
            _ => Footprint::All,
        },
        // `__init__` returning None to the instantiation that called it:
        // its frame goes, and the new instance goes onto the caller's
        // stack. (Another value raises TypeError; a pending `finally`
        // runs code first.)
        Op::Return
            if matches!(fr.on_return, OnReturn::Init(_))
                && frames.len() >= 2
                && fr.generator.is_none()
                && fr.blocks.is_empty()
                && matches!(fr.stack.last(), Some(Value::None)) =>
        {
            Footprint::Write(Location::Allocator)
        }
        // The end of a thread other than the main one, while the main
        // thread still runs (so the program cannot end here and cut daemon
        // threads short): it wakes joiners (`join()` reads this location)
        // and changes what `is_alive()`, `active_count()` and
        // `threading.enumerate()` say (they read `Location::Liveness`).
        Op::Return
            if matches!(fr.on_return, OnReturn::ThreadExit)
                && tid != 0
                && p.threads.iter().find(|x| x.tid == 0).is_some_and(|x| !x.is_finished())
                && fr.blocks.is_empty()
                && fr.generator.is_none() =>
        {
            Footprint::Write(Location::ThreadEnd(tid))
        }
        Op::CallMethod(_) | Op::WithEnter | Op::WithExitNormal => thread_method(p, tid, fr, op)
            .or_else(|| sync_method(p, tid, fr, op))
            .or_else(|| sleep_call(p, fr, op))
            .or_else(|| container_method(p, fr, op))
            .or_else(|| python_call(p, fr, op, room))
            .or_else(|| pure_native(p, fr, op))
            .unwrap_or(Footprint::All),
        Op::CallKw(..) | Op::CallEx => python_call(p, fr, op, room).unwrap_or(Footprint::All),
        Op::PopJumpIfFalse(_) | Op::PopJumpIfTrue(_) | Op::JumpIfFalseOrPop(_) | Op::JumpIfTrueOrPop(_) | Op::Unary(UnaryOp::Not) => {
            truth(p, fr.stack.last()).unwrap_or(Footprint::All)
        }
        _ => building(p, fr, op).unwrap_or(Footprint::All),
    }
}

/// The ops that fill a list, set or dict the compiler has just built on
/// the frame's stack (`BuildList(0)` and the like): a comprehension's
/// result, a display with `*x` or `**d` in it, the argument tuple and
/// keyword dict of a call with `*args` or `**kwargs`. Only that stack slot
/// refers to the container until it is complete, so no other thread can
/// see it being filled: the ops only allocate, unless they read another
/// container (`[*items]` reads `items`). What could run Python code (a
/// hash or an `==` of an instance, iterating a generator) or raise is
/// `None`. `BuildSet` and `BuildMap` hash their items or keys likewise.
fn building(p: &Process, fr: &Frame, op: Op) -> Option<Footprint> {
    let n = fr.stack.len();
    let under = |k: u32| n.checked_sub(k as usize + 1).and_then(|i| fr.stack.get(i));
    let is = |v: Option<&Value>, f: fn(&Obj) -> bool| matches!(v, Some(Value::Obj(c)) if f(p.heap.get(*c)));
    let alloc = Some(Footprint::Write(Location::Allocator));
    let plain_keys = |d: &interleave_engine::object::DictObj| d.d.iter().all(|e| plain_value(&e.key));
    match op {
        Op::ListAppend(k) => is(under(k), |o| matches!(o, Obj::List(_))).then_some(Footprint::Write(Location::Allocator)),
        Op::SetAdd(k) => (fr.stack.last().is_some_and(plain_value) && is(under(k), |o| matches!(o, Obj::Set(..)))).then_some(Footprint::Write(Location::Allocator)),
        Op::MapAdd(k) => (n >= 2 && plain_value(&fr.stack[n - 2]) && is(n.checked_sub(k as usize + 2).and_then(|i| fr.stack.get(i)), |o| matches!(o, Obj::Dict(_))))
            .then_some(Footprint::Write(Location::Allocator)),
        Op::BuildSet(k) => fr.stack.get(n.checked_sub(k as usize)?..)?.iter().all(plain_value).then_some(Footprint::Write(Location::Allocator)),
        Op::BuildMap(k) => fr.stack.get(n.checked_sub(2 * k as usize)?..)?.iter().step_by(2).all(plain_value).then_some(Footprint::Write(Location::Allocator)),
        Op::ListToTuple => is(fr.stack.last(), |o| matches!(o, Obj::List(_))).then_some(Footprint::Write(Location::Allocator)),
        Op::ListExtend if is(under(1), |o| matches!(o, Obj::List(_))) => match fr.stack.last()? {
            Value::Str(_) => alloc,
            Value::Obj(c) => match p.heap.get(*c) {
                Obj::Tuple(_) => alloc,
                Obj::List(_) => Some(Footprint::Read(Location::Object(*c))),
                _ => None,
            },
            _ => None,
        },
        Op::DictUpdate if is(under(1), |o| matches!(o, Obj::Dict(_))) => match fr.stack.last()? {
            Value::Obj(c) => match p.heap.get(*c) {
                Obj::Dict(d) if plain_keys(d) => Some(Footprint::Read(Location::Object(*c))),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// A call of a function written in Python with arguments that it takes
/// (`helper(x)`, `self.deposit(5)` on a plain class, `f(n, step=2)`,
/// `fn(*args)` with a tuple, a generator function): the call binds them
/// and pushes a frame (or, for a generator function, allocates the
/// generator), reading only the function object: its code, defaults and
/// closure, which only attribute stores (`All`) change. `room`: the call
/// does not hit the recursion limit. Stack: `[f, args...]` for `Call`,
/// `[f, self or Undef, args...]` for `CallMethod`, `[f, args...,
/// keyword values...]` for `CallKw`, `[f, args tuple, kwargs or None]`
/// for `CallEx` (keyword arguments there only when the dict is empty).
/// `f` may also be a method bound to an object (its `self` is one more
/// positional argument).
fn python_call(p: &Process, fr: &Frame, op: Op, room: bool) -> Option<Footprint> {
    let n = fr.stack.len();
    let empty: &[Arc<str>] = &[];
    let (callee, npos, kw): (&Value, usize, &[Arc<str>]) = match op {
        Op::Call(argc) => (&fr.stack[n.checked_sub(argc as usize + 1)?], argc as usize, empty),
        Op::CallMethod(argc) => {
            let base = n.checked_sub(argc as usize + 2)?;
            let unbound = matches!(fr.stack[base + 1], Value::Undef);
            (&fr.stack[base], argc as usize + usize::from(!unbound), empty)
        }
        Op::CallKw(argc, names) => {
            let Some(interleave_engine::code::Constant::Names(names)) = fr.code.consts.get(names as usize) else { return None };
            let npos = (argc as usize).checked_sub(names.len())?;
            (&fr.stack[n.checked_sub(argc as usize + 1)?], npos, &names[..])
        }
        Op::CallEx => {
            let base = n.checked_sub(3)?;
            let Value::Obj(t) = &fr.stack[base + 1] else { return None };
            let Obj::Tuple(args) = p.heap.get(*t) else { return None };
            let no_kwargs = match &fr.stack[base + 2] {
                Value::None => true,
                Value::Obj(d) => matches!(p.heap.get(*d), Obj::Dict(d) if d.d.is_empty()),
                _ => false,
            };
            if !no_kwargs {
                return None;
            }
            (&fr.stack[base], args.len(), empty)
        }
        _ => return None,
    };
    let Value::Obj(cid) = callee else { return None };
    let (fid, npos) = match p.heap.get(*cid) {
        Obj::Function(_) => (*cid, npos),
        Obj::BoundMethod(Value::Obj(g), _) => (*g, npos + 1),
        Obj::Class(k) if k.builtin == Some(Builtin::Thread) => return new_thread(p, fr, npos, kw),
        Obj::Class(k) if k.builtin.is_some_and(makes_sync) => {
            let args = if kw.is_empty() { fr.stack.get(fr.stack.len().checked_sub(npos)?..)? } else { return None };
            return new_sync_object(p, k.builtin?, args);
        }
        Obj::Class(_) => return instantiation(p, *cid, npos, kw, room),
        _ => return None,
    };
    let Obj::Function(f) = p.heap.get(fid) else { return None };
    (room && !f.code.flags.is_async && binds(f, npos, kw)).then_some(Footprint::Read(Location::Object(fid)))
}

/// `threading.Thread(target=..., name=..., args=..., daemon=...)`, all by
/// keyword: a new Thread object, which takes its daemon flag from the
/// calling thread, and its arguments from a tuple (which never changes).
/// Without a name it also counts the threads made so far for its default
/// name (`Thread-3 (worker)`), so two such calls do not commute; the
/// thread table is the location (as for `start()`). Stack: `[class,
/// keyword values...]`.
fn new_thread(p: &Process, fr: &Frame, npos: usize, kw: &[Arc<str>]) -> Option<Footprint> {
    if npos != 0 {
        return None;
    }
    let values = &fr.stack[fr.stack.len().checked_sub(kw.len())?..];
    let mut named = false;
    for (k, v) in kw.iter().zip(values) {
        let fits = match (&**k, v) {
            ("target", _) => true,
            ("name", Value::Str(_)) => {
                named = true;
                true
            }
            ("name", Value::None) => true,
            ("args", Value::Obj(t)) => matches!(p.heap.get(*t), Obj::Tuple(_)),
            ("args" | "daemon", Value::None) | ("daemon", Value::Bool(_)) => true,
            _ => false,
        };
        if !fits {
            return None;
        }
    }
    Some(Footprint::Write(if named { Location::Allocator } else { Location::Threads }))
}

/// Whether calling the built-in class `b` makes a sync object.
fn makes_sync(b: Builtin) -> bool {
    use Builtin as B;
    matches!(b, B::Lock | B::RLock | B::Condition | B::Event | B::Semaphore | B::BoundedSemaphore | B::Barrier | B::Queue | B::LifoQueue | B::PriorityQueue | B::SimpleQueue)
}

/// `threading.Lock()`, `Condition(lock)`, `Semaphore(2)`, `Queue(3)`,
/// `Barrier(2)`, ... with positional arguments that cannot make them
/// raise or run Python code (no barrier action, no timeout): a new
/// instance and a new entry in the sync table (see
/// [`Location::SyncTable`]). `args`: the positional arguments.
fn new_sync_object(p: &Process, b: Builtin, args: &[Value]) -> Option<Footprint> {
    use interleave_engine::kernel::SyncObj;
    use Builtin as B;
    let a_lock = |v: &Value| match v {
        Value::Obj(o) => match p.heap.get(*o) {
            Obj::Instance(inst) => match inst.payload {
                Payload::Sync(sid) => matches!(p.sync.get(sid as usize).map(|e| &e.obj), Some(SyncObj::Lock { .. } | SyncObj::RLock { .. })),
                _ => false,
            },
            _ => false,
        },
        _ => false,
    };
    let fits = match (b, args) {
        (B::Lock | B::RLock | B::Event | B::Condition | B::Semaphore | B::BoundedSemaphore | B::Queue | B::LifoQueue | B::PriorityQueue | B::SimpleQueue, []) => true,
        (B::Condition, [l]) => a_lock(l),
        (B::Semaphore | B::BoundedSemaphore, [Value::Int(n)]) => *n >= 0,
        (B::Semaphore | B::BoundedSemaphore, [Value::Bool(_)]) => true,
        (B::Queue | B::LifoQueue | B::PriorityQueue, [Value::Int(_)]) => true,
        (B::Barrier, [Value::Int(n)]) => *n > 0,
        _ => false,
    };
    fits.then_some(Footprint::Write(Location::SyncTable))
}

/// Making an instance of a plain class (see [`plain_class`]; every class
/// of its MRO the program's own, or `object`): the engine allocates the
/// instance and calls the `__init__` its MRO finds, a function written in
/// Python that must take the arguments (with the instance first), or, with
/// none, takes no arguments. It reads the class, which only `All` ops
/// change, and the `__init__` function's parts (`frozen.rs` watches for
/// stores of either). The `__init__` frame's `return None` is its own
/// footprint (see `footprint`).
fn instantiation(p: &Process, cls: ObjId, npos: usize, kw: &[Arc<str>], room: bool) -> Option<Footprint> {
    let Obj::Class(c) = p.heap.get(cls) else { return None };
    let own = c.builtin.is_none()
        && plain_class(p, cls)
        && c.mro.iter().skip(1).all(|k| matches!(p.heap.get(*k), Obj::Class(b) if b.builtin.is_none() && plain_class(p, *k) || b.builtin == Some(Builtin::Object)));
    if !own || !room {
        return None;
    }
    let ok = match class_attr(p, &c.mro, "__init__") {
        Some(Value::Obj(init)) => matches!(p.heap.get(*init), Obj::Function(f) if !f.code.flags.is_async && !f.code.flags.generator && binds(f, npos + 1, kw)),
        None => npos == 0 && kw.is_empty(),
        Some(_) => false,
    };
    ok.then_some(Footprint::Read(Location::Object(cls)))
}

/// A call of a built-in function that reads nothing another thread can
/// change and cannot raise: `threading.current_thread()`, `main_thread()`
/// and `get_ident()` (the calling thread's own entry, or the main
/// thread's, fixed when the thread was made), `max`/`min` of two or more
/// numbers or of two or more strings, `abs` of a number. Stack: `[f,
/// args...]` for `Call`, `[f, Undef, args...]` for `CallMethod` (a
/// module's function).
/// A plain value, or a tuple (or list) of them, nested at most `depth`
/// deep.
fn plain_or_tuples(p: &Process, v: &Value, depth: usize) -> bool {
    match v {
        Value::Obj(o) if depth > 0 => match p.heap.get(*o) {
            Obj::Tuple(items) | Obj::List(items) => items.iter().all(|x| plain_or_tuples(p, x, depth - 1)),
            _ => false,
        },
        Value::Obj(_) => false,
        Value::Bytes(_) => true,
        other => plain_value(other),
    }
}

fn pure_native(p: &Process, fr: &Frame, op: Op) -> Option<Footprint> {
    let n = fr.stack.len();
    let (callee, args) = match op {
        Op::Call(argc) => {
            let base = n.checked_sub(argc as usize + 1)?;
            (&fr.stack[base], &fr.stack[base + 1..])
        }
        Op::CallMethod(argc) => {
            let base = n.checked_sub(argc as usize + 2)?;
            if !matches!(fr.stack[base + 1], Value::Undef) {
                return None;
            }
            (&fr.stack[base], &fr.stack[base + 2..])
        }
        _ => return None,
    };
    let Value::Obj(c) = callee else { return None };
    let Obj::Native(nf) = p.heap.get(*c) else { return None };
    let num = |v: &Value| matches!(v, Value::Int(_) | Value::Float(_) | Value::Bool(_));
    // How many threads are alive, and which: a read of what starts and
    // ends change, that makes a list (`enumerate`) or an int.
    if let ("threading", "active_count" | "activeCount" | "enumerate", []) = (nf.qual, nf.name, args) {
        return Some(Footprint::Read(Location::Liveness));
    }
    // A namedtuple's constructor storing its values (`collections.py`): a
    // write of the new instance, as `obj.name = v` on a plain class's.
    if let ("_collections", "_init_fields", [Value::Obj(o), _, _]) = (nf.qual, nf.name, args) {
        return matches!(p.heap.get(*o), Obj::Instance(inst) if plain_class(p, inst.class)).then_some(Footprint::Write(Location::Object(*o)));
    }
    // `sys.stdout.write(s)` (as `logging` writes a line), or stderr's:
    // the output, as a print is (the two streams taken as one, which
    // only orders more).
    if let ("stdout" | "stderr", "write", [Value::Str(_)]) = (nf.qual, nf.name, args) {
        return Some(Footprint::Write(Location::Stdout));
    }
    // The kernel's side of the files (the prelude's file objects call
    // `_fs_*`; `os` and `os.path` the rest): a read or a write of the
    // files, with paths and texts that are plain strings (anything else
    // raises before it touches a file).
    if !args.iter().any(|a| matches!(a, Value::Obj(_))) {
        match (nf.qual, nf.name) {
            ("_io", "_fs_read") | ("posixpath", "exists" | "isfile" | "getsize") | ("os", "listdir") => return Some(Footprint::Read(Location::Files)),
            ("_io", "_fs_create" | "_fs_write") | ("os", "remove" | "unlink" | "rename" | "replace") => return Some(Footprint::Write(Location::Files)),
            _ => {}
        }
    }
    // The kernel's side of the sockets (`socket.py`, `select.py` and
    // `selectors.py` call `_socket._*`): a write of the network, with
    // arguments that are plain values, addresses (tuples of them) or the
    // list of `(fd, mask)` pairs the library builds for each poll.
    if nf.qual == "_socket" && args.iter().all(|a| plain_or_tuples(p, a, 2)) {
        return Some(Footprint::Write(Location::Net));
    }
    let pure = match (nf.qual, nf.name, args) {
        ("stdout" | "stderr", "flush", []) => true,
        ("threading", "current_thread" | "currentThread" | "main_thread" | "get_ident", []) => true,
        ("builtins", "max" | "min", [_, _, ..]) => args.iter().all(num) || args.iter().all(|v| matches!(v, Value::Str(_))),
        ("builtins", "abs", [v]) => num(v),
        // `enumerate(items)` makes an iterator over the container, and
        // reads none of it until stepped (see `iter_next`).
        ("builtins", "enumerate", [Value::Obj(c)] | [Value::Obj(c), Value::Int(_)]) => {
            matches!(p.heap.get(*c), Obj::List(_) | Obj::Tuple(_) | Obj::Range(..) | Obj::Deque(..))
        }
        // A range never changes, and adding its ints runs no Python code
        // (`sum(range(n + 1))`); nor do a tuple's numbers.
        ("builtins", "sum", [Value::Obj(r)]) => match p.heap.get(*r) {
            Obj::Range(..) => true,
            Obj::Tuple(items) => items.iter().all(num),
            _ => false,
        },
        _ => false,
    };
    pure.then_some(Footprint::Write(Location::Allocator))
}

/// The footprint of a `for` loop's step over the built-in iterator `id`
/// (`it`): over a range, a string or a tuple, a write of the iterator
/// (its position); over a list, a deque or a dict, a write of the
/// container, which stands for the iterator's position too (every op that
/// moves such an iterator names the container or is `All`). Over
/// `enumerate(x)`, what a step of its inner iterator names: the only ops
/// that name an `enumerate` are `for` loops over it (any other use is
/// `All`), and they name the same, so two threads stepping one
/// `enumerate` still conflict.
fn iter_next(p: &Process, id: ObjId, it: &IterObj) -> Footprint {
    match it {
        IterObj::Range { .. } | IterObj::Str { .. } => Footprint::Write(Location::Object(id)),
        IterObj::Seq { seq: Value::Obj(seq), .. } => match p.heap.get(*seq) {
            Obj::Tuple(_) => Footprint::Write(Location::Object(id)),
            Obj::List(_) | Obj::Deque(..) => Footprint::Write(Location::Object(*seq)),
            _ => Footprint::All,
        },
        // A snapshot (of bytes, of reversed items, of an `itertools`
        // result): the iterator's own list.
        IterObj::Values { .. } => Footprint::Write(Location::Object(id)),
        // A snapshot of a set's items, and a check of its size: the set
        // stands for the iterator's position, as a list does.
        IterObj::SetItems { set, .. } => Footprint::Write(Location::Object(*set)),
        // Over a dict or one of its views: like a list's, the dict stands
        // for the iterator's position (it is made by `iter()`, which reads
        // the dict's size, and stepped by `for` loops, which name the
        // dict); a step checks the size, and raises if it changed.
        IterObj::DictKeys { dict, .. } | IterObj::DictValues { dict, .. } | IterObj::DictItems { dict, .. } => Footprint::Write(Location::Object(*dict)),
        IterObj::Enumerate { it: Value::Obj(inner), .. } => match p.heap.get(*inner) {
            Obj::Iter(i) if !matches!(**i, IterObj::Enumerate { .. }) => iter_next(p, *inner, i),
            _ => Footprint::All,
        },
        _ => Footprint::All,
    }
}

/// Whether `a` and `b` are certainly equal: the same object, or plain
/// values of one type that are equal (no float: NaN is not equal to
/// itself).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Obj(x), Value::Obj(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::None, Value::None) => true,
        _ => false,
    }
}

/// The footprint of taking the truth of `v` (`if items:`, `not items`,
/// `a or b`) when it is not a plain value (those are local): a built-in
/// container's is whether it is empty, a read of it (a tuple's or a
/// range's never changes); an instance of a class with neither `__bool__`
/// nor `__len__` is always true. Anything else may run Python code.
fn truth(p: &Process, v: Option<&Value>) -> Option<Footprint> {
    let Some(Value::Obj(c)) = v else { return None };
    match p.heap.get(*c) {
        Obj::List(_) | Obj::Dict(_) | Obj::Set(..) | Obj::Deque(..) => Some(Footprint::Read(Location::Object(*c))),
        Obj::DictView(d, _) => Some(Footprint::Read(Location::Object(*d))),
        Obj::Tuple(_) | Obj::Range(..) => Some(Footprint::Write(Location::Allocator)),
        Obj::Instance(inst) => match p.heap.get(inst.class) {
            Obj::Class(k) if class_attr(p, &k.mro, "__bool__").is_none() && class_attr(p, &k.mro, "__len__").is_none() => Some(Footprint::Write(Location::Allocator)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `==` of `v` with anything runs no Python code: a plain value,
/// or an instance whose class has no `__eq__` written in Python (then
/// equality is identity, or a built-in comparison).
fn identity_eq(p: &Process, v: &Value) -> bool {
    match v {
        Value::Obj(id) => match p.heap.get(*id) {
            Obj::Instance(inst) => match p.heap.get(inst.class) {
                Obj::Class(c) => match class_attr(p, &c.mro, "__eq__") {
                    None => true,
                    Some(Value::Obj(e)) => matches!(p.heap.get(*e), Obj::Native(_)),
                    Some(_) => false,
                },
                _ => false,
            },
            _ => false,
        },
        v => plain_value(v),
    }
}

/// Whether a call of `f` with `npos` positional arguments and the keyword
/// arguments named `kw` binds without a TypeError: the checks of the
/// engine's `Vm::make_frame`, in the same order.
fn binds(f: &interleave_engine::object::Function, npos: usize, kw: &[Arc<str>]) -> bool {
    let c = &f.code;
    let (argc, kwc) = (c.argcount as usize, c.kwonlycount as usize);
    if npos > argc && !c.flags.varargs {
        return false;
    }
    let mut filled = vec![false; argc + kwc];
    filled[..npos.min(argc)].iter_mut().for_each(|x| *x = true);
    for name in kw {
        match c.varnames.get(..argc + kwc).and_then(|v| v.iter().position(|n| n == name)) {
            Some(i) if i >= c.posonly as usize => {
                if filled[i] {
                    return false;
                }
                filled[i] = true;
            }
            _ if c.flags.varkw => {}
            _ => return false,
        }
    }
    let ndef = f.defaults.len();
    let positional = (0..argc).all(|i| filled[i] || i + ndef >= argc);
    let keyword_only = (argc..argc + kwc).all(|i| filled[i] || f.kwdefaults.iter().any(|(n, _)| c.varnames.get(i) == Some(n)));
    positional && keyword_only
}

/// Whether `i` indexes a sequence of `len` items (negative from the end).
fn in_range(len: usize, i: i64) -> bool {
    (-(len as i64)..len as i64).contains(&i)
}

/// Whether `callee(arg)` is `str(x)` of a plain value, or `int(x)` of an
/// int, a bool or a string that reads as a small int: each makes a value
/// and cannot raise or run Python code. (Only the built-in classes have
/// `Class::builtin`; a subclass of `str` may define `__new__`.)
fn converts_plainly(p: &Process, callee: &Value, arg: &Value) -> bool {
    let Value::Obj(c) = callee else { return false };
    let Obj::Class(k) = p.heap.get(*c) else { return false };
    match (k.builtin, arg) {
        (Some(Builtin::Str), v) => plain_value(v),
        (Some(Builtin::Int), Value::Int(_) | Value::Bool(_)) => true,
        // What Python's int() accepts beyond this (underscores, other
        // digits, big values) stays a scheduling point.
        (Some(Builtin::Int), Value::Str(s)) => s.trim().parse::<i64>().is_ok(),
        _ => false,
    }
}

/// Whether `v` is a plain value: its str, hash and comparisons run no
/// Python code (an instance may call its class's `__eq__` or `__str__`).
fn plain_value(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::Str(_) | Value::Bool(_) | Value::None | Value::Float(_))
}

/// Whether the dict `d` certainly holds `key` (a string key is looked up;
/// another kind of key is not known to be there).
fn dict_has(d: &interleave_engine::object::DictObj, key: &Value) -> bool {
    match key {
        Value::Str(k) => d.d.get_str(k).is_some(),
        _ => false,
    }
}

/// `d[key]` on a dict with a plain key that it holds: a read of the dict.
/// A missing key raises KeyError (which, uncaught, ends the thread with a
/// traceback on stderr: visible), except in a `Counter`, which answers 0;
/// a `defaultdict` calls its factory and stores the result. Those are
/// `None` (the caller's `All`).
fn dict_read(p: &Process, d: ObjId, key: &Value) -> Option<Footprint> {
    let Obj::Dict(dict) = p.heap.get(d) else { return None };
    if !plain_value(key) {
        return None;
    }
    let ok = dict.kind == interleave_engine::object::DictKind::Counter || dict_has(dict, key);
    ok.then_some(Footprint::Read(Location::Object(d)))
}

/// `items[i] = v` or `del items[i]` on a list with an int index in range,
/// `d[k] = v` on a dict with a plain key, or `del d[k]` of a key it holds:
/// a write of that container. (What would raise is `None`: an uncaught
/// exception writes stderr.) Stack: `[v, obj, key]` to store, `[obj, key]`
/// to delete.
fn container_store(p: &Process, fr: &Frame, op: Op) -> Option<Footprint> {
    let n = fr.stack.len();
    let (obj, key) = (fr.stack.get(n.checked_sub(2)?)?, fr.stack.get(n - 1)?);
    let Value::Obj(c) = obj else { return None };
    let ok = match (p.heap.get(*c), key) {
        (Obj::List(items), Value::Int(i)) => in_range(items.len(), *i),
        (Obj::Dict(_), k) if op == Op::StoreSubscr => plain_value(k),
        (Obj::Dict(d), k) => plain_value(k) && dict_has(d, k),
        _ => false,
    };
    ok.then_some(Footprint::Write(Location::Object(*c)))
}

/// A method call on a built-in list, dict, set or deque whose only effect
/// is on that container (no Python code runs: the arguments it compares or
/// hashes are plain). Stack: `[name, obj, args...]` (`LoadMethod` on a
/// built-in container pushes the method's name).
fn container_method(p: &Process, fr: &Frame, op: Op) -> Option<Footprint> {
    let Op::CallMethod(argc) = op else { return None };
    let argc = argc as usize;
    let n = fr.stack.len();
    let base = n.checked_sub(argc + 2)?;
    let (Value::Str(name), Value::Obj(c)) = (&fr.stack[base], &fr.stack[base + 1]) else { return None };
    let args = &fr.stack[base + 2..];
    let write = Some(Footprint::Write(Location::Object(*c)));
    let read = Some(Footprint::Read(Location::Object(*c)));
    // What would raise (a pop from an empty list, a missing key) is
    // `None`: an uncaught exception writes stderr.
    match p.heap.get(*c) {
        Obj::List(items) => {
            // Comparing `x` with the items runs no Python code; `remove` and
            // `index` also need `x` certainly there (else ValueError).
            let comparable = |x: &Value| identity_eq(p, x) && items.iter().all(|v| identity_eq(p, v));
            let present = |x: &Value| comparable(x) && items.iter().any(|v| same(v, x));
            match (&**name, args) {
                ("append", [_]) | ("clear" | "reverse", []) | ("insert", [Value::Int(_), _]) => write,
                ("remove", [x]) if present(x) => write,
                ("index", [x]) if present(x) => read,
                ("count", [x]) if comparable(x) => read,
                ("pop", []) if !items.is_empty() => write,
                ("pop", [Value::Int(i)]) if in_range(items.len(), *i) => write,
                ("copy", []) => read,
                ("extend", [Value::Obj(t)]) if matches!(p.heap.get(*t), Obj::Tuple(_)) => write,
                _ => None,
            }
        }
        Obj::Dict(d) => match (&**name, args) {
            ("get", [k] | [k, _]) if plain_value(k) => read,
            ("pop", [k, _]) | ("setdefault", [k, _]) if plain_value(k) => write,
            ("pop", [k]) if plain_value(k) && dict_has(d, k) => write,
            ("keys" | "values" | "items" | "copy", []) => read,
            ("clear", []) => write,
            _ => None,
        },
        Obj::Set(_, false) => match (&**name, args) {
            ("add" | "discard", [k]) if plain_value(k) => write,
            ("clear", []) => write,
            ("copy", []) => read,
            _ => None,
        },
        Obj::Deque(items, _) => match (&**name, args) {
            ("append" | "appendleft", [_]) | ("clear", []) => write,
            ("pop" | "popleft", []) if !items.is_empty() => write,
            _ => None,
        },
        _ => None,
    }
}

/// `t.start()`, `t.join()` and `t.is_alive()` (no arguments) on a plain
/// `threading.Thread`. Starting allocates (the thread id and a bound
/// method) and creates a thread nobody else can have touched yet; joining
/// waits only for the target's end ([`Location::ThreadEnd`]); `is_alive()`
/// reads whether it was started and has not ended
/// ([`Location::Liveness`]). Calls that would raise (starting twice,
/// joining oneself or an unstarted thread) are `None`.
fn thread_method(p: &Process, tid: Tid, fr: &Frame, op: Op) -> Option<Footprint> {
    if op != Op::CallMethod(0) {
        return None;
    }
    let n = fr.stack.len();
    if n < 2 {
        return None;
    }
    let (Value::Obj(callee), Value::Obj(this)) = (&fr.stack[n - 2], &fr.stack[n - 1]) else { return None };
    let Obj::Native(nf) = p.heap.get(*callee) else { return None };
    let Obj::Instance(inst) = p.heap.get(*this) else { return None };
    if !(matches!(p.heap.get(inst.class), Obj::Class(c) if c.builtin == Some(Builtin::Thread)) || thread_subclass(p, inst)) || nf.qual != "Thread" {
        return None;
    }
    let Payload::Thread(th) = &inst.payload else { return None };
    match nf.name {
        "start" if !th.started => Some(Footprint::Write(Location::Threads)),
        "join" => match th.tid {
            Some(jt) if jt != tid && th.started => Some(Footprint::Read(Location::ThreadEnd(jt))),
            _ => None,
        },
        "is_alive" => Some(Footprint::Read(Location::Liveness)),
        _ => None,
    }
}

/// A method call on a built-in sync object (a lock, semaphore, event,
/// queue...): the method's name (`<with>` for the check at the start of a
/// `with` block, `__exit__` at its normal end), the object, the argument
/// count and the object's entry in the kernel's sync table.
struct SyncCall<'m> {
    name: &'m str,
    this: ObjId,
    argc: usize,
    sync: &'m interleave_engine::kernel::SyncEntry,
}

/// The sync-object method call that `op`, the next op of frame `fr`,
/// makes, if any.
fn sync_call<'m>(p: &'m Process, fr: &Frame, op: Op) -> Option<SyncCall<'m>> {
    let n = fr.stack.len();
    let (name, this, argc): (&str, ObjId, usize) = match op {
        Op::CallMethod(argc) => {
            let argc = argc as usize;
            if n < argc + 2 {
                return None;
            }
            let (Value::Obj(callee), Value::Obj(this)) = (&fr.stack[n - argc - 2], &fr.stack[n - argc - 1]) else { return None };
            let Obj::Native(nf) = p.heap.get(*callee) else { return None };
            (nf.name, *this, argc)
        }
        Op::WithEnter => match fr.stack.last() {
            Some(Value::Obj(this)) => ("<with>", *this, 0),
            _ => return None,
        },
        Op::WithExitNormal => match fr.stack.last() {
            Some(Value::Obj(this)) => ("__exit__", *this, 3),
            _ => return None,
        },
        _ => return None,
    };
    let Obj::Instance(inst) = p.heap.get(this) else { return None };
    if !matches!(p.heap.get(inst.class), Obj::Class(c) if c.builtin.is_some()) {
        return None;
    }
    let Payload::Sync(sid) = inst.payload else { return None };
    Some(SyncCall { name, this, argc, sync: p.sync.get(sid as usize)? })
}

/// Methods of locks, semaphores, events and queues (builtin classes whose
/// state is one entry of the kernel's sync table): they read or write that
/// one object, may block the caller, and may wake threads blocked on the
/// same object, whose retries touch the same object again. Calls that
/// could raise (releasing an unheld lock, over-releasing a bounded
/// semaphore), take timeouts, or run Python code (a priority queue
/// comparing items) are `None`. A condition's methods are writes of its
/// lock (see [`condition_method`]).
fn sync_method(p: &Process, tid: Tid, fr: &Frame, op: Op) -> Option<Footprint> {
    use interleave_engine::kernel::{QueueKind, SyncObj};
    let SyncCall { name, this, argc, sync: entry } = sync_call(p, fr, op)?;
    let loc = Location::Object(this);
    let w = Some(Footprint::Write(loc.clone()));
    let r = Some(Footprint::Read(loc));
    if name == "<with>" {
        // WithEnter only checks that the class has `__exit__`.
        return match entry.obj {
            SyncObj::Barrier { .. } => None,
            _ => r,
        };
    }
    let argc = wait_argc(name, argc, fr);
    if let SyncObj::Condition { lock, lock_sync, .. } = &entry.obj {
        return condition_method(p, tid, name, argc, *lock, *lock_sync);
    }
    match (&entry.obj, name, argc) {
        (SyncObj::Lock { .. } | SyncObj::RLock { .. }, "acquire" | "acquire_lock" | "__enter__", 0) => w,
        (SyncObj::Lock { owner }, "release" | "release_lock", 0) | (SyncObj::Lock { owner }, "__exit__", 3) if owner.is_some() => w,
        (SyncObj::RLock { owner, .. }, "release" | "release_lock", 0) | (SyncObj::RLock { owner, .. }, "__exit__", 3) if *owner == Some(tid) => w,
        (SyncObj::Lock { .. } | SyncObj::RLock { .. }, "locked", 0) => r,
        (SyncObj::Semaphore { .. }, "acquire" | "__enter__", 0) => w,
        // `acquire(False)`: takes it if free, never waits.
        (SyncObj::Lock { .. } | SyncObj::RLock { .. } | SyncObj::Semaphore { .. }, "acquire", 1) if matches!(fr.stack.last(), Some(Value::Bool(false))) => w,
        (SyncObj::Semaphore { value, bound }, "release", 0) | (SyncObj::Semaphore { value, bound }, "__exit__", 3) if bound.is_none_or(|b| *value < b) => w,
        (SyncObj::Event { .. }, "set" | "clear", 0) => w,
        (SyncObj::Event { .. }, "is_set" | "isSet" | "wait", 0) => r,
        (SyncObj::Queue { kind, .. }, "put", 1) => {
            let scalar = matches!(fr.stack.last(), Some(Value::Int(_) | Value::Str(_) | Value::None | Value::Bool(_) | Value::Float(_)));
            if *kind != QueueKind::Priority || scalar {
                w
            } else {
                None
            }
        }
        (SyncObj::Queue { .. }, "get", 0) => w,
        // `task_done()` counts down the unfinished tasks and may wake the
        // threads in `join()`, whose retries read the same count; with
        // none unfinished it raises ValueError (`None`). `join()` only
        // reads the count: it returns at 0 and waits otherwise.
        (SyncObj::Queue { unfinished, .. }, "task_done", 0) if *unfinished > 0 => w,
        (SyncObj::Queue { .. }, "qsize" | "empty" | "full" | "join", 0) => r,
        // `wait()` on a barrier with no action (which would run Python
        // code): the caller arrives, and waits unless it is the last to;
        // the last one releases everyone, whose retries read the barrier
        // (see [`wait_retry`]).
        (SyncObj::Barrier { broken: false, .. }, "wait", 0) if !barrier_action(p, this) => w,
        _ => None,
    }
}

/// The argument count of a call of method `name` with `argc` arguments on
/// top of `fr`'s stack, with `wait(None)` counted as `wait()`: the same
/// wait with no timeout (as `Future.result()` and `as_completed()` call
/// it), on a condition, an event or a barrier.
fn wait_argc(name: &str, argc: usize, fr: &Frame) -> usize {
    if name == "wait" && argc == 1 && matches!(fr.stack.last(), Some(Value::None)) {
        0
    } else {
        argc
    }
}

/// Whether the barrier object `this` was given an action to run when
/// the last party arrives.
fn barrier_action(p: &Process, this: ObjId) -> bool {
    match p.heap.get(this) {
        Obj::Instance(inst) => inst.dict.get_str("_action").is_some(),
        _ => true,
    }
}

/// A method of a `threading.Condition` over the lock object `lock` (its
/// own RLock, or the Lock or RLock it was given), whose kernel entry is
/// `lock_sync`. Every method touches the lock, the waiters' queue or both,
/// and the queue is only touched by a thread that holds the lock, so each
/// call is a write of the lock object: it conflicts with every other call
/// on a condition over that lock and with every call on the lock itself
/// (`with lock:` in one thread, `with cond:` in another). `acquire` and
/// `__enter__` without arguments take the lock or wait for it; `release`,
/// `__exit__`, `wait()`, `notify()` and `notify_all()` need the caller
/// to hold it (or they raise RuntimeError: `None`). A `wait` with a
/// timeout, `wait_for` (which calls a predicate) and the rest: `None`.
fn condition_method(p: &Process, tid: Tid, name: &str, argc: usize, lock: ObjId, lock_sync: interleave_engine::kernel::SyncId) -> Option<Footprint> {
    use interleave_engine::kernel::SyncObj;
    let owner = match p.sync.get(lock_sync as usize).map(|e| &e.obj) {
        Some(SyncObj::Lock { owner } | SyncObj::RLock { owner, .. }) => *owner,
        _ => return None,
    };
    let w = Some(Footprint::Write(Location::Object(lock)));
    match (name, argc) {
        ("acquire" | "__enter__", 0) => w,
        ("release" | "wait" | "notify" | "notify_all" | "notifyAll", 0) | ("__exit__", 3) if owner == Some(tid) => w,
        _ => None,
    }
}

/// Thread `t`'s retry of a `wait()` with no timeout (`wait()` or
/// `wait(None)`, checked through its deadline) after a wake-up:
/// - on a `Condition`, woken by a notify: the retry takes the lock again
///   or waits for it, and reads the condition's queue, which only the
///   lock's holders change: a write of that lock (see
///   [`condition_method`]);
/// - on a `Barrier`, woken when the last party arrived: the retry reads
///   the barrier's generation and returns its index: a read of the
///   barrier. (Only a timeout, or another thread's `abort()` or
///   `reset()`, which are `All`, write the barrier from a waiter's side.)
fn wait_retry(p: &Process, t: &interleave_engine::kernel::Thread, fr: &Frame, op: Op) -> Option<Footprint> {
    use interleave_engine::kernel::{CallState, SyncObj};
    if t.call_deadline.is_some() {
        return None;
    }
    let SyncCall { name: "wait", argc: 0 | 1, sync, this } = sync_call(p, fr, op)? else { return None };
    match (&t.call_state, &sync.obj) {
        (Some(CallState::CondWait { .. }), SyncObj::Condition { lock, .. }) => Some(Footprint::Write(Location::Object(*lock))),
        (Some(CallState::Barrier { .. }), SyncObj::Barrier { .. }) => Some(Footprint::Read(Location::Object(this))),
        _ => None,
    }
}

/// A call of a method of a `threading.Lock` or `RLock`, as DPOR needs to
/// know it (see `crate::dpor`'s `add_races`): which lock, who holds it
/// before the call, and whether the call is a blocking acquire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LockCall {
    pub lock: ObjId,
    pub holder: Option<Tid>,
    /// An RLock (a holder can take it again), not a Lock.
    pub reentrant: bool,
    /// `acquire()` or `with lock:` with no arguments: a call that waits
    /// while another thread holds the lock.
    pub blocking_acquire: bool,
}

/// The lock call thread `tid`'s next op makes, if it calls a method of a
/// built-in Lock or RLock (`acquire`, `release`, `locked`, or `__enter__`
/// and `__exit__` of a `with` block), or of a Condition, whose every
/// method is a call on its lock.
pub fn lock_call(m: &Machine, tid: Tid) -> Option<LockCall> {
    use interleave_engine::kernel::SyncObj;
    let p = m.process_of(tid)?;
    let t = p.threads.iter().find(|t| t.tid == tid)?;
    if t.pending_call.is_some() || t.call_state.is_some() {
        return None;
    }
    let fr = t.frames.last()?;
    let SyncCall { name, this, argc, sync } = sync_call(p, fr, fr.code.ops.get(fr.ip).copied()?)?;
    // A condition's methods are calls on its lock (see `condition_method`).
    let (lock, obj) = match &sync.obj {
        SyncObj::Condition { lock, lock_sync, .. } => (*lock, &p.sync.get(*lock_sync as usize)?.obj),
        obj => (this, obj),
    };
    let (holder, reentrant) = match *obj {
        SyncObj::Lock { owner } => (owner, false),
        SyncObj::RLock { owner, .. } => (owner, true),
        _ => return None,
    };
    let blocking_acquire = argc == 0 && matches!(name, "acquire" | "acquire_lock" | "__enter__");
    Some(LockCall { lock, holder, reentrant, blocking_acquire })
}

/// The footprint of a started thread's first step: `Thread.run` calling
/// the target. For a plain `threading.Thread(target=f, args=...)` whose
/// `f` takes exactly those positional arguments, the step only reads the
/// Thread object (which only `All` ops change) and pushes a frame, perhaps
/// allocating closure cells. So does a subclass's own `run(self)` written
/// in Python (`start()` bound it). Anything else (a Timer, a call that
/// would raise TypeError) stays `All`.
fn first_step(p: &Process, t: &interleave_engine::kernel::Thread) -> Footprint {
    let Some(Value::Obj(tobj)) = t.obj.map(Value::Obj) else { return Footprint::All };
    let Obj::Instance(inst) = p.heap.get(tobj) else { return Footprint::All };
    let builtin_thread = matches!(p.heap.get(inst.class), Obj::Class(c) if c.builtin == Some(Builtin::Thread));
    let Payload::Thread(th) = &inst.payload else { return Footprint::All };
    // A subclass's own `run(self)`, bound at `start()`: a function written
    // in Python that takes only `self`.
    if let (false, None, Some((Value::Obj(b), args))) = (builtin_thread, &th.timer, &t.pending_call) {
        let own_run = match p.heap.get(*b) {
            Obj::BoundMethod(Value::Obj(g), _) => {
                matches!(p.heap.get(*g), Obj::Function(f) if !f.code.flags.generator && !f.code.flags.is_async && binds(f, 1, &[]))
            }
            _ => false,
        };
        if own_run && args.is_empty() {
            return Footprint::Write(Location::Allocator);
        }
    }
    if !builtin_thread || th.timer.is_some() || !th.kwargs.is_empty() {
        return Footprint::All;
    }
    let Value::Obj(f) = &th.target else { return Footprint::All };
    // A plain function, or a method bound to an object (`acct.deposit`),
    // whose `self` is then one more positional argument.
    let (func, nargs) = match p.heap.get(*f) {
        Obj::Function(func) => (func, th.args.len()),
        Obj::BoundMethod(Value::Obj(g), _) => match p.heap.get(*g) {
            Obj::Function(func) => (func, th.args.len() + 1),
            _ => return Footprint::All,
        },
        _ => return Footprint::All,
    };
    let c = &func.code;
    let fits = c.argcount as usize == nargs
        && c.posonly as usize <= nargs
        && c.kwonlycount == 0
        && !c.flags.varargs
        && !c.flags.varkw
        && !c.flags.generator
        && !c.flags.is_async;
    if fits {
        Footprint::Write(Location::Allocator)
    } else {
        Footprint::All
    }
}

/// `time.sleep(d)` (as `time.sleep` or an imported `sleep`) with a number
/// `d >= 0`: it only joins the queue of sleepers ([`Location::Sleepers`]);
/// woken, its retry just returns. Anything that would raise: `None`.
fn sleep_call(p: &Process, fr: &Frame, op: Op) -> Option<Footprint> {
    let n = fr.stack.len();
    let callee = match op {
        Op::CallMethod(1) if n >= 3 => &fr.stack[n - 3],
        Op::Call(1) if n >= 2 => &fr.stack[n - 2],
        _ => return None,
    };
    let Value::Obj(c) = callee else { return None };
    let Obj::Native(nf) = p.heap.get(*c) else { return None };
    let duration_ok = match fr.stack[n - 1] {
        Value::Int(i) => i >= 0,
        Value::Float(f) => f >= 0.0,
        _ => false,
    };
    (nf.name == "sleep" && nf.qual == "time" && duration_ok).then_some(Footprint::Write(Location::Sleepers))
}

/// Whether instances of `cls` take the engine's attribute fast paths: a
/// class of the program's (no library base such as `Thread` or
/// `Exception`) with no properties anywhere in its MRO. Reading an
/// attribute in the instance dict and setting any attribute then touch the
/// instance alone; the class is only read, and every write to a class is
/// an `All` op.
fn plain_class(p: &interleave_engine::kernel::Process, cls: ObjId) -> bool {
    use interleave_engine::object::NativeBase;
    matches!(p.heap.get(cls), Obj::Class(c) if !c.has_descriptors && c.native == NativeBase::Object)
}

/// Whether `name` resolves on `inst`, an instance of a plain class (see
/// [`plain_class`]), without running Python code: in the instance's dict,
/// or anywhere in its class's MRO (a method, a class attribute; a plain
/// class has no properties). A missing name raises AttributeError (or
/// calls `__getattr__`): not covered.
fn plain_has(p: &interleave_engine::kernel::Process, inst: &interleave_engine::object::Instance, name: &str) -> bool {
    let Obj::Class(c) = p.heap.get(inst.class) else { return false };
    plain_class(p, inst.class) && (inst.dict.get_str(name).is_some() || class_attr(p, &c.mro, name).is_some())
}

/// Whether `inst` is an instance of one of the program's own subclasses
/// of `threading.Thread` (`class Worker(threading.Thread)`), made by
/// `Thread.__init__` (its payload is a thread's).
fn thread_subclass(p: &interleave_engine::kernel::Process, inst: &interleave_engine::object::Instance) -> bool {
    use interleave_engine::object::NativeBase;
    matches!(p.heap.get(inst.class), Obj::Class(c) if c.builtin.is_none() && c.native == NativeBase::Thread) && matches!(inst.payload, Payload::Thread(_))
}

/// Whether `name` is a property somewhere on the MRO of `inst`'s class
/// (the first class that has it decides), whose getter or setter runs
/// instead of the instance's dict.
fn class_property(p: &interleave_engine::kernel::Process, inst: &interleave_engine::object::Instance, name: &str) -> bool {
    let Obj::Class(c) = p.heap.get(inst.class) else { return true };
    matches!(class_attr(p, &c.mro, name), Some(Value::Obj(a)) if matches!(p.heap.get(*a), Obj::Property(..)))
}

/// Whether `inst` is a thread whose `name` is `Thread`'s own property: a
/// `threading.Thread`, or an instance of a subclass that defines no `name`
/// of its own (the first class on its MRO with a `name` is `Thread`).
fn thread_own_name(p: &interleave_engine::kernel::Process, inst: &interleave_engine::object::Instance) -> bool {
    let Obj::Class(c) = p.heap.get(inst.class) else { return false };
    matches!(inst.payload, Payload::Thread(_))
        && inst.dict.get_str("name").is_none()
        && class_with(p, &c.mro, "name").is_some_and(|k| k.builtin == Some(Builtin::Thread))
}

/// [`plain_has`] for an instance of a `Thread` subclass (see
/// [`thread_subclass`]): `name` is in its dict or on its class's MRO (the
/// program's classes, then `Thread`'s native methods), and not a property
/// (`name`, `daemon`, `ident` are `Thread`'s: their getters read the
/// thread's state, which only `All` ops write; and a property of the
/// program's own would run Python code).
fn thread_subclass_has(p: &interleave_engine::kernel::Process, inst: &interleave_engine::object::Instance, name: &str) -> bool {
    let Obj::Class(c) = p.heap.get(inst.class) else { return false };
    thread_subclass(p, inst) && !class_property(p, inst, name) && (inst.dict.get_str(name).is_some() || class_attr(p, &c.mro, name).is_some())
}

/// `name` looked up along a class's MRO, as the engine's class lookup
/// does (the first class whose dict has it).
fn class_attr<'a>(p: &'a interleave_engine::kernel::Process, mro: &[ObjId], name: &str) -> Option<&'a Value> {
    class_with(p, mro, name).and_then(|k| k.dict.get_str(name))
}

/// The class on `mro` whose dict [`class_attr`] finds `name` in.
fn class_with<'a>(p: &'a interleave_engine::kernel::Process, mro: &[ObjId], name: &str) -> Option<&'a interleave_engine::object::Class> {
    mro.iter().find_map(|k| match p.heap.get(*k) {
        Obj::Class(k) if k.dict.get_str(name).is_some() => Some(&**k),
        _ => None,
    })
}

/// The footprint of reading `name` from the module namespace `dict`.
fn module_attr(p: &interleave_engine::kernel::Process, dict: ObjId, name: &Arc<str>) -> Footprint {
    match p.heap.get(dict) {
        Obj::Dict(d) if d.d.get_str(name).is_some() => Footprint::Read(Location::Global(dict, name.clone())),
        _ => Footprint::All,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn independence_is_conservative() {
        let g = |s: &str| Location::Global(1, Arc::from(s));
        assert!(independent(&Footprint::Read(g("a")), &Footprint::Read(g("a"))));
        assert!(!independent(&Footprint::Read(g("a")), &Footprint::Write(g("a"))));
        assert!(!independent(&Footprint::Write(g("a")), &Footprint::Write(g("a"))));
        assert!(independent(&Footprint::Write(g("a")), &Footprint::Write(g("b"))));
        assert!(!independent(&Footprint::All, &Footprint::Read(g("a"))));
        // Allocations commute (ids are not outcomes); thread starts do not
        // (they number the threads).
        assert!(independent(&Footprint::Write(Location::Allocator), &Footprint::Write(Location::Allocator)));
        assert!(!independent(&Footprint::Write(Location::Threads), &Footprint::Write(Location::Threads)));
        assert!(!independent(&Footprint::Write(Location::Allocator), &Footprint::All));
        // Whether threads are alive changes at their starts and ends only.
        let alive = Footprint::Read(Location::Liveness);
        assert!(!independent(&alive, &Footprint::Write(Location::Threads)));
        assert!(!independent(&Footprint::Write(Location::ThreadEnd(2)), &alive));
        assert!(independent(&alive, &Footprint::Write(g("a"))));
        assert!(independent(&alive, &Footprint::Read(Location::ThreadEnd(2))));
    }
}
