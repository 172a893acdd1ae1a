//! A 64-bit fingerprint of a machine's whole state: the explorer's name
//! for a state, which its state-graph search stores each state under and
//! counts *distinct states* by (what Spin calls "states stored").
//!
//! Two machines with equal fingerprints are, up to a hash collision, in
//! the same state: the same output so far, the same virtual time, every
//! thread at the same place with the same values on its stack and in its
//! locals, the same sync objects and wait queues, and the same reachable
//! heap. What the fingerprint leaves out is history that cannot change
//! what happens next: the schedule string, the trace, step counters, which
//! thread ran last and the ready-queue order (the explorer, not the ready
//! queue, picks the next thread).
//!
//! **Canonical up to heap ids.** Which id an object gets depends on the
//! order in which threads allocated, and the heap keeps garbage until the
//! next collection. So objects are not hashed under their ids: a walk
//! from the roots ([`Canon`]) numbers the reachable objects (and the sync
//! objects they carry) in the order it meets them, every reference is
//! hashed as that number, and unreachable objects are left out. Two states
//! that differ only in which ids their objects got, or in garbage, get one
//! fingerprint; the dict of a module keeps its insertion order, so two
//! globals first bound in different orders are still two states (a
//! program can see that order). This is the explorer's assumption that
//! allocation order is unobservable (it changes only `id()` values and
//! default reprs, as from one CPython run to the next). Sync objects are
//! the exception: each also counts by its own id, since its label (`Lock#2`,
//! the second lock made), which a deadlock's report shows, follows the
//! order in which they were made.
//!
//! **What no write has reached is left out.** Most of a state is the same
//! in every state of a search: the builtins, the prelude, the imported
//! modules, the program's functions and classes. The heap keeps a *base*
//! ([`Heap::rebase`](crate::heap::Heap::rebase): `Machine::new` takes one
//! after the boot, the explorer another at its starting state) and its
//! copy on write tells which objects of the base a write has reached
//! since. The others are neither hashed nor walked through: they are the
//! same in every state that shares the base, and at the rebase they
//! referred only to objects of the base. Objects of the base keep their
//! ids (every state of the search shares them); a changed one counts by
//! the difference between its hash now and at the rebase, so an object
//! written back to what it was is the same state as one never written.
//!
//! Native functions never change, nor do builtin classes the program has
//! not written to (`Class::written`): both keep their ids and are not
//! hashed. A few rarely held kinds of object (exceptions, some iterators)
//! are hashed through their `Debug` text with raw ids inside: two such
//! states may count twice, never once for two.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::dict::PyDict;
use crate::kernel::{Process, SyncId, SyncObj, Thread};
use crate::machine::Machine;
use crate::object::{IterObj, Obj, Payload};
use crate::value::{ObjId, Value};
use crate::vm::{Frame, OnReturn};

/// An FxHash-style hasher: fast, and deterministic across runs and
/// platforms (unlike std's randomly seeded one), so a fingerprint can be
/// compared between workers and sessions.
///
/// Public for the explorer's tables of names and outcomes, which need a
/// fast hasher and none of SipHash's defence against chosen keys
/// (`BuildHasherDefault<Fp>`).
#[derive(Default, Clone, Copy)]
pub struct Fp(u64);

impl Hasher for Fp {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        // The last 0 to 7 bytes as one word, with their count in its top
        // byte (so that a string and the same string with a NUL more do
        // not make the same word): one multiply instead of one per byte.
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = (rest.len() as u64) << 56;
            for (k, &b) in rest.iter().enumerate() {
                w |= (b as u64) << (8 * k);
            }
            self.write_u64(w);
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_u32(&mut self, x: u32) {
        self.write_u64(x as u64);
    }

    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }

    fn write_u8(&mut self, x: u8) {
        self.write_u64(x as u64);
    }
}

/// Feeds `Debug` text to the hasher without building a string: for the
/// small, rarely present parts of a state (a blocked thread's wait, an
/// iterator's position) whose every field matters and whose types have no
/// `Hash`.
impl std::fmt::Write for Fp {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        Hasher::write(self, s.as_bytes());
        Ok(())
    }
}

/// MurmurHash3's finalizer: every input bit affects every output bit, so
/// a sum of spread values does not let two objects' hashes cancel out in
/// any simple way.
fn spread(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

fn debug(h: &mut Fp, x: &dyn std::fmt::Debug) {
    let _ = write!(h, "{x:?}");
}

fn value(h: &mut Fp, c: &Canon, v: &Value) {
    match v {
        Value::Undef => h.write_u8(0),
        Value::None => h.write_u8(1),
        Value::Ellipsis => h.write_u8(2),
        Value::NotImplemented => h.write_u8(3),
        Value::Bool(b) => h.write_u64(4 + *b as u64),
        Value::Int(i) => {
            h.write_u8(6);
            h.write_u64(*i as u64);
        }
        Value::Big(b) => {
            h.write_u8(7);
            b.hash(h);
        }
        Value::Float(f) => {
            h.write_u8(8);
            h.write_u64(f.to_bits());
        }
        Value::Str(s) => {
            h.write_u8(9);
            s.hash(h);
        }
        Value::Bytes(b) => {
            h.write_u8(10);
            b.hash(h);
        }
        Value::Obj(id) => {
            h.write_u8(11);
            h.write_u64(c.id(*id));
        }
    }
}

fn values<'a>(h: &mut Fp, c: &Canon, vs: impl IntoIterator<Item = &'a Value>) {
    let mut n = 0u64;
    for v in vs {
        value(h, c, v);
        n += 1;
    }
    h.write_u64(n);
}

fn dict(h: &mut Fp, c: &Canon, d: &PyDict) {
    // A key's Python hash stands for the key: equal keys have equal
    // hashes, and re-reading every name of a module's namespace at every
    // state would cost more than the rest of the fingerprint. Entries are
    // hashed independently (with their position, as the order of a dict
    // is visible) and summed, for the same reason as the heap's objects.
    let mut sum = 0u64;
    let mut n = 0u64;
    for e in d.iter() {
        let mut eh = Fp(e.hash ^ n);
        value(&mut eh, c, &e.value);
        sum = sum.wrapping_add(spread(eh.finish()));
        n += 1;
    }
    h.write_u64(sum);
    h.write_u64(n);
}

fn frame(h: &mut Fp, c: &Canon, f: &Frame) {
    // Code objects are immutable and shared by every clone of a machine,
    // so their address names them.
    h.write_usize(Arc::as_ptr(&f.code) as *const u8 as usize);
    h.write_usize(f.ip);
    values(h, c, &f.stack);
    values(h, c, &f.locals);
    ids(h, c, &f.cells);
    f.blocks.hash(h);
    h.write_u64(c.id(f.globals));
    h.write_u64(c.opt(f.ns));
    h.write_u64(c.opt(f.func));
    h.write_u64(c.opt(f.generator));
    std::mem::discriminant(&f.on_return).hash(h);
    match &f.on_return {
        OnReturn::Init(v) | OnReturn::NextDefault(v) | OnReturn::Module(v) => value(h, c, v),
        OnReturn::ClassBody(body) => {
            let (canon, c) = (c, body);
            value(h, canon, &c.name);
            values(h, canon, &c.bases);
            h.write_u64(canon.id(c.ns));
        }
        OnReturn::ForIter(x) | OnReturn::YieldFrom(x) => h.write_u32(*x),
        OnReturn::Push
        | OnReturn::Discard
        | OnReturn::Sync
        | OnReturn::ThreadExit
        | OnReturn::Not => {}
    }
}

fn object(h: &mut Fp, c: &Canon, o: &Obj) {
    std::mem::discriminant(o).hash(h);
    match o {
        Obj::Free | Obj::Native(_) => {}
        Obj::Class(class) => {
            (&class.name, &class.qualname, &class.module, class.has_descriptors).hash(h);
            ids(h, c, &class.bases);
            ids(h, c, &class.mro);
            dict(h, c, &class.dict);
        }
        Obj::Function(f) => {
            h.write_usize(Arc::as_ptr(&f.code) as *const u8 as usize);
            (&f.name, &f.qualname).hash(h);
            ids(h, c, &f.closure);
            h.write_u64(c.id(f.globals));
            h.write_u64(c.opt(f.owner));
            values(h, c, &f.defaults);
            for (k, v) in &f.kwdefaults {
                k.hash(h);
                value(h, c, v);
            }
            dict(h, c, &f.attrs);
        }
        Obj::List(items) | Obj::Tuple(items) => values(h, c, items),
        Obj::Dict(d) => {
            dict(h, c, &d.d);
            debug(h, &d.kind);
            value(h, c, &d.default_factory);
        }
        Obj::Set(d, frozen) => {
            dict(h, c, d);
            frozen.hash(h);
        }
        Obj::Instance(inst) => {
            h.write_u64(c.id(inst.class));
            dict(h, c, &inst.dict);
            match &inst.payload {
                Payload::None => h.write_u8(0),
                Payload::Sync(s) => h.write_u64(1 + (c.sync(*s) << 8)),
                Payload::Exc(e) => {
                    h.write_u8(2);
                    values(h, c, &e.args);
                    debug(h, &e.traceback);
                    optional(h, c, e.cause.as_ref());
                    optional(h, c, e.context.as_ref());
                    e.suppress_context.hash(h);
                    e.suggestion.hash(h);
                    optional(h, c, e.attr.as_ref().map(|(o, _)| o));
                    e.attr.as_ref().map(|(_, n)| n).hash(h);
                }
                Payload::Thread(t) => {
                    value(h, c, &t.target);
                    values(h, c, &t.args);
                    for (k, v) in &t.kwargs {
                        k.hash(h);
                        value(h, c, v);
                    }
                    (&t.name, t.daemon, t.tid, t.started).hash(h);
                    t.timer.map(|(at, done)| (at.to_bits(), done)).hash(h);
                }
            }
        }
        Obj::Generator(g) => {
            if let Some(f) = &g.frame {
                frame(h, c, f);
            }
            h.write_usize(g.excs.len());
            for v in &g.excs {
                value(h, c, v);
            }
            h.write_u8(g.running as u8 | (g.started as u8) << 1);
        }
        Obj::Cell(v) | Obj::StaticMethod(v) | Obj::ClassMethod(v) => value(h, c, v),
        Obj::Property(a, b) | Obj::BoundMethod(a, b) => {
            value(h, c, a);
            value(h, c, b);
        }
        Obj::Module(md) => h.write_u64(c.id(md.dict)),
        Obj::BuiltinMethod(this, name) => {
            value(h, c, this);
            name.hash(h);
        }
        Obj::Range(a, b, c) => (a, b, c).hash(h),
        Obj::Iter(it) => iterator(h, c, it),
        Obj::Deque(items, max) => {
            values(h, c, items);
            max.hash(h);
        }
        Obj::DictView(d, kind) => {
            h.write_u64(c.id(*d));
            debug(h, kind);
        }
        Obj::Slice(a, b, x) => values(h, c, [a, b, x]),
        Obj::Super(class, this) => {
            h.write_u64(c.id(*class));
            value(h, c, this);
        }
        Obj::Partial(f, args, kw) => {
            value(h, c, f);
            values(h, c, args);
            kwargs(h, c, kw);
        }
    }
}

/// A native iterator: its references by their walk names, like every
/// other object's. (Hashing one through `Debug`, as this once did, wrote
/// heap ids, which differ between two paths to one state: a loop over a
/// dict that a thread made, or an `enumerate`, then made that state
/// several states, each searched again, and a parallel search counted a
/// different number of them than the sequential one.)
fn iterator(h: &mut Fp, c: &Canon, it: &IterObj) {
    std::mem::discriminant(it).hash(h);
    match it {
        IterObj::Range { cur, stop, step } => (cur, stop, step).hash(h),
        IterObj::Seq { seq, idx } | IterObj::Reversed { seq, idx } => {
            value(h, c, seq);
            h.write_usize(*idx);
        }
        IterObj::Str { s, byte } => (s, byte).hash(h),
        IterObj::DictKeys { dict, pos, used, left } | IterObj::DictValues { dict, pos, used, left } | IterObj::DictItems { dict, pos, used, left } => {
            h.write_u64(c.id(*dict));
            (pos, used, left).hash(h);
        }
        IterObj::Enumerate { it, n } => {
            value(h, c, it);
            n.hash(h);
        }
        IterObj::Zip(its) => values(h, c, its),
        IterObj::Map { f, its } => {
            value(h, c, f);
            values(h, c, its);
        }
        IterObj::Filter { f, it } | IterObj::CallableSentinel { f, sentinel: it } => {
            value(h, c, f);
            value(h, c, it);
        }
        IterObj::Values { items, idx } => {
            values(h, c, items);
            h.write_usize(*idx);
        }
        IterObj::SetItems { set, items, idx, used } => {
            h.write_u64(c.id(*set));
            values(h, c, items);
            (idx, used).hash(h);
        }
        IterObj::Count { cur, step } => values(h, c, [cur, step]),
        IterObj::Cycle { saved, it, idx } => {
            values(h, c, saved);
            optional(h, c, it.as_ref());
            h.write_usize(*idx);
        }
        IterObj::Repeat { v, left } => {
            value(h, c, v);
            left.hash(h);
        }
        IterObj::Chain { its, idx } => {
            values(h, c, its);
            h.write_usize(*idx);
        }
        IterObj::ISlice { it, next, stop, step, pos } => {
            value(h, c, it);
            (next, stop, step, pos).hash(h);
        }
    }
}

fn optional(h: &mut Fp, c: &Canon, v: Option<&Value>) {
    match v {
        Some(v) => {
            h.write_u8(1);
            value(h, c, v);
        }
        None => h.write_u8(0),
    }
}

fn kwargs(h: &mut Fp, c: &Canon, kw: &[(Arc<str>, Value)]) {
    h.write_usize(kw.len());
    for (k, v) in kw {
        k.hash(h);
        value(h, c, v);
    }
}

fn sync(h: &mut Fp, c: &Canon, s: &SyncObj) {
    std::mem::discriminant(s).hash(h);
    match s {
        SyncObj::Lock { owner } => owner.hash(h),
        SyncObj::RLock { owner, count } => (owner, count).hash(h),
        SyncObj::Semaphore { value, bound } => (value, bound).hash(h),
        SyncObj::Event { flag } => flag.hash(h),
        SyncObj::Condition {
            lock,
            lock_sync,
            waiters,
        } => {
            h.write_u64(c.id(*lock));
            h.write_u64(c.sync(*lock_sync));
            waiters.hash(h);
        }
        SyncObj::Queue {
            items,
            maxsize,
            kind,
            unfinished,
        } => {
            values(h, c, items);
            (maxsize, unfinished).hash(h);
            debug(h, kind);
        }
        SyncObj::Barrier {
            parties,
            waiting,
            generation,
            broken,
        } => (parties, waiting, generation, broken).hash(h),
    }
}

/// Canonical names for a state's objects and sync objects.
///
/// Heap ids depend on the order in which threads allocated, and the heap
/// holds garbage until the next collection; neither is something a
/// program can act on (the crate docs of the explorer state the
/// assumption). So the fingerprint names each *reachable* object by the
/// order in which a walk from the roots (modules, classes, then each
/// thread by tid: its frames, its call, its exceptions) first meets it,
/// and leaves unreachable objects out. Two states that differ only in
/// which ids their objects got, or in garbage, get the same fingerprint.
/// Natives and builtin classes the program never wrote keep their ids:
/// `Machine::new` made them, and no schedule changes them.
#[derive(Default)]
struct Canon {
    /// By heap id: 1 + the object's place in the walk (0: not reached).
    num: Vec<u32>,
    /// The reached objects, in walk order.
    order: Vec<ObjId>,
    /// By sync id: 1 + its place in the walk (0: not reached).
    syncs: Vec<u32>,
    sync_order: Vec<SyncId>,
    /// Ids below this belong to the heap's base (see [`Heap::rebase`]).
    ///
    /// [`Heap::rebase`]: crate::heap::Heap::rebase
    base_len: usize,
    /// The objects of the base that writes have reached, by id.
    changed: Vec<ObjId>,
    // Scratch space of the walk.
    roots: Vec<ObjId>,
    stack: Vec<ObjId>,
    refs: Vec<ObjId>,
}

thread_local! {
    static SPARE: std::cell::RefCell<Option<Canon>> = const { std::cell::RefCell::new(None) };
}

/// `num` of an object of the base that the walk has met; `syncs` of a
/// sync object made before the rebase.
const KEPT: u32 = u32::MAX;

/// `num` of an object of the base that a write has reached, before the
/// walk meets it (see [`Canon::walk`]).
const CHANGED: u32 = u32::MAX - 1;

/// Set on a name that is not a walk number (a kept id, an unreached sync).
const RAW: u64 = 1 << 40;

impl Canon {
    fn id(&self, id: ObjId) -> u64 {
        match self.num.get(id as usize) {
            Some(&n) if n != 0 && n < CHANGED => n as u64,
            _ => RAW | id as u64,
        }
    }

    fn opt(&self, id: Option<ObjId>) -> u64 {
        id.map_or(0, |i| self.id(i))
    }

    fn sync(&self, s: SyncId) -> u64 {
        match self.syncs.get(s as usize) {
            Some(&n) if n != 0 && n != KEPT => n as u64,
            _ => RAW | s as u64,
        }
    }

    /// Whether the walk enters object `id`, given the marks `num` so far:
    /// any object made since the rebase, and those of the base (below
    /// `base_len`) that a write has reached. (The marks come in as a slice
    /// because the walk holds `Canon`'s other buffers at the same time.)
    fn walked(num: &[u32], base_len: usize, id: ObjId) -> bool {
        id as usize >= base_len || num[id as usize] == CHANGED
    }

    /// Whether `o` keeps its heap id and is not hashed (see the type docs).
    fn fixed(o: &Obj) -> bool {
        match o {
            Obj::Native(_) => true,
            Obj::Class(c) => c.builtin.is_some() && !c.written,
            _ => false,
        }
    }

    fn walk(p: &Process) -> Canon {
        // The buffers of this thread's last walk, to save their
        // allocations (a search fingerprints every state it meets).
        let mut c = SPARE.with(|s| s.borrow_mut().take()).unwrap_or_default();
        c.num.clear();
        c.num.resize(p.heap.len(), 0);
        c.order.clear();
        c.syncs.clear();
        c.syncs.resize(p.sync.len(), 0);
        c.sync_order.clear();
        c.base_len = p.heap.base_len();
        c.changed.clear();
        p.heap.changed_since_base(&mut c.changed);
        // Marked up front, so that the walk tells an object of the base
        // that no write has reached by its mark alone (0), without a look
        // at the heap: most of what frames and globals refer to is such.
        for &id in &c.changed {
            c.num[id as usize] = CHANGED;
        }
        let mut roots = std::mem::take(&mut c.roots);
        roots.clear();
        // Objects of the base left out of the walk are not even pushed:
        // every builtin class is a global root, and so is much of what a
        // frame holds.
        let (num, base_len) = (&c.num, c.base_len);
        let mut root = |v: &Value| {
            if let Value::Obj(id) = v {
                if Canon::walked(num, base_len, *id) {
                    roots.push(*id);
                }
            }
        };
        p.for_each_global_root(&mut root);
        // The sync objects made before the rebase keep their ids, like the
        // objects of the base, and what they hold is walked from whether
        // or not the walk meets their Python objects (which it leaves out
        // when no write has reached them).
        for (s, e) in p.sync.iter().enumerate().take(p.sync_base) {
            c.syncs[s] = KEPT;
            e.obj.for_each_ref(&mut root);
        }
        // By tid: the thread table's order is history.
        by_tid(&p.threads, &[], |t| t.for_each_root(&mut root));
        // The objects of the base that a write has reached are walked from
        // too, in id order (their ids are the same in every state of the
        // search), whether or not anything still reaches them: they are
        // hashed as they are (see `Machine::fingerprint`).
        roots.extend_from_slice(&c.changed);
        // Depth first, each object's references in their own order: the
        // same walk for two states that differ only in ids.
        let mut stack = std::mem::take(&mut c.stack);
        stack.clear();
        stack.extend(roots.iter().rev());
        c.roots = roots;
        let mut refs = std::mem::take(&mut c.refs);
        while let Some(id) = stack.pop() {
            let i = id as usize;
            let Some(&n) = c.num.get(i) else { continue };
            if i < c.base_len {
                // An object of the base keeps its id. One no write has
                // reached is left out (it is the same in every state that
                // shares the base), and so is what it refers to: at the
                // rebase, that was the base too. A changed one is walked
                // once.
                if n != CHANGED {
                    continue;
                }
                c.num[i] = KEPT;
            } else if n != 0 || Canon::fixed(p.heap.get(id)) {
                continue;
            } else {
                c.order.push(id);
                c.num[i] = c.order.len() as u32;
            }
            let o = p.heap.get(id);
            refs.clear();
            let (num, base_len) = (&c.num, c.base_len);
            o.for_each_ref(&mut |v| {
                if let Value::Obj(r) = v {
                    if Canon::walked(num, base_len, *r) {
                        refs.push(*r);
                    }
                }
            });
            // A lock, queue or condition is reached through its Python
            // object; what the sync object holds comes after it.
            if let Obj::Instance(inst) = o {
                if let Payload::Sync(s) = inst.payload {
                    if let Some(n) = c.syncs.get_mut(s as usize) {
                        if *n == 0 {
                            c.sync_order.push(s);
                            *n = c.sync_order.len() as u32;
                            p.sync[s as usize].obj.for_each_ref(&mut |v| {
                                if let Value::Obj(r) = v {
                                    refs.push(*r);
                                }
                            });
                        }
                    }
                }
            }
            stack.extend(refs.iter().rev());
        }
        c.stack = stack;
        c.refs = refs;
        c
    }

    /// Keeps `self`'s buffers for this thread's next walk.
    fn recycle(self) {
        SPARE.with(|s| *s.borrow_mut() = Some(self));
    }
}

/// Calls `f` on the threads of `a` and `b` in tid order. The thread table
/// is kept in tid order, and the finished threads mostly are (they are in
/// the order they ended), so the two are merged as they are when both
/// are sorted, and sorted in a list otherwise: this runs twice for every
/// state fingerprinted.
fn by_tid<'a>(a: &'a [Thread], b: &'a [Thread], mut f: impl FnMut(&'a Thread)) {
    let sorted = |ts: &[Thread]| ts.windows(2).all(|w| w[0].tid < w[1].tid);
    if sorted(a) && sorted(b) {
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            if j == b.len() || (i < a.len() && a[i].tid < b[j].tid) {
                f(&a[i]);
                i += 1;
            } else {
                f(&b[j]);
                j += 1;
            }
        }
        return;
    }
    let mut all: Vec<&Thread> = a.iter().chain(b).collect();
    all.sort_unstable_by_key(|t| t.tid);
    all.into_iter().for_each(f);
}

fn ids(h: &mut Fp, c: &Canon, ids: &[ObjId]) {
    h.write_usize(ids.len());
    for &i in ids {
        h.write_u64(c.id(i));
    }
}

impl Machine {
    /// The state's fingerprint (see the module docs for what it covers).
    pub fn fingerprint(&self) -> u64 {
        let mut h = Fp(0);
        h.write_u64(self.kernel.clock);
        for (name, text) in self.kernel.files.iter() {
            name.hash(&mut h);
            text.hash(&mut h);
        }
        // What processes share through the kernel (all empty for a
        // program of one process): the process table, the channels'
        // messages, the kernel locks, the managed objects and the shared
        // memory.
        self.kernel.table.hash(&mut h);
        self.kernel.chans.hash(&mut h);
        self.kernel.ksync.hash(&mut h);
        self.kernel.managed.hash(&mut h);
        self.kernel.socks.hash(&mut h);
        self.kernel.shm.hash(&mut h);
        // Whether (and how) the run has ended: a run cut by the step
        // budget ends in a state that is otherwise like a running one.
        self.outcome.as_ref().map(std::mem::discriminant).hash(&mut h);
        self.rec.stdout.hash(&mut h);
        self.rec.stderr.hash(&mut h);
        for p in &self.procs {
            let canon = Canon::walk(p);
            let c = &canon;
            h.write_u32(p.pid);
            p.state.hash(&mut h);
            p.exit_code.hash(&mut h);
            h.write_u32(p.thread_counter);
            p.fds.hash(&mut h);
            p.chan_ends.hash(&mut h);
            p.rng.hash(&mut h);
            p.stdin.hash(&mut h);
            h.write_usize(p.exit_hooks.len());
            values(&mut h, c, &p.exit_hooks);
            // By tid: finished threads sit in the order they ended, which
            // two schedules reaching the same state may not share.
            by_tid(&p.threads, &p.finished, |t| {
                h.write_u32(t.tid);
                t.state.hash(&mut h);
                t.wake.hash(&mut h);
                t.call_state.hash(&mut h);
                t.call_deadline.hash(&mut h);
                if let Some((f, args)) = &t.pending_call {
                    value(&mut h, c, f);
                    values(&mut h, c, args);
                }
                values(&mut h, c, &t.exc_stack);
                t.failed.hash(&mut h);
                h.write_usize(t.frames.len());
                for f in &t.frames {
                    frame(&mut h, c, f);
                }
            });
            // Sync objects in walk order, then the ones no object names
            // (by id). Each also with its id: a sync object's label
            // (`Lock#2`, the second lock made) follows the order in which
            // they were made, and a deadlock's report names the locks by
            // it, so two states whose locks were made in different orders
            // are two states, even when the walk names their objects
            // alike. The Python object of one made since the rebase that
            // no object names is garbage, and its heap id tells only how
            // other threads' allocations interleaved with its making
            // (which the explorer treats as commuting): left out.
            let unreached = (0..p.sync.len() as SyncId).filter(|s| matches!(c.syncs[*s as usize], 0 | KEPT));
            for s in c.sync_order.iter().copied().chain(unreached) {
                let e = &p.sync[s as usize];
                h.write_u64(c.sync(s));
                h.write_u32(s);
                sync(&mut h, c, &e.obj);
                if c.syncs[s as usize] != 0 {
                    h.write_u64(c.opt(e.pyobj));
                }
            }
            // Each reached object is hashed on its own, seeded with its
            // walk number, and the results are summed: short independent
            // hash chains run several at a time on the CPU where one long
            // chain would wait on each multiply.
            let mut heap = 0u64;
            for &id in &c.order {
                let mut oh = Fp(c.id(id));
                object(&mut oh, c, p.heap.get(id));
                heap = heap.wrapping_add(spread(oh.finish()));
            }
            // An object of the base counts by how it differs from what it
            // was at the rebase: one written back to what it was counts as
            // nothing, like one never written, so that the two are one
            // state. (Its old self refers only to objects and sync objects
            // of the base, which keep their ids, so it hashes the same in
            // every state: `base_hashes` hashed it once, at the rebase.)
            for &id in &c.changed {
                let mut now = Fp(RAW | id as u64);
                object(&mut now, c, p.heap.get(id));
                heap = heap.wrapping_add(spread(now.finish())).wrapping_sub(p.heap.base_hash(id));
            }
            h.write_u64(heap);
            canon.recycle();
        }
        h.finish()
    }
}

/// The hash of every slot of `p`'s heap as [`Machine::fingerprint`]
/// counts an object of the base (spread, seeded with its kept id): what
/// [`Heap::base_hash`](crate::heap::Heap::base_hash) answers after a
/// rebase. Everything an object of the base refers to keeps its id, so no
/// walk is needed.
pub(crate) fn base_hashes(p: &Process) -> Vec<u64> {
    (0..p.heap.len() as ObjId).map(|id| base_hash(p, id)).collect()
}

/// The hash of slot `id`'s object as [`base_hashes`] counts it: a function
/// of the object alone (every id and sync object in it is named by its
/// own number), so an object no write has reached keeps its hash from one
/// rebase to the next.
pub(crate) fn base_hash(p: &Process, id: ObjId) -> u64 {
    // No sync object is walked: each is named by its own id (`RAW`).
    let c = Canon::default();
    let mut h = Fp(RAW | id as u64);
    object(&mut h, &c, p.heap.get(id));
    spread(h.finish())
}
