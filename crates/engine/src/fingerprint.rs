//! A 64-bit fingerprint of a machine's whole state, for the explorer's
//! count of *distinct states* (what Spin calls "states stored").
//!
//! Two machines with equal fingerprints are, up to a hash collision, in
//! the same state: the same output so far, the same virtual time, every
//! thread at the same place with the same values on its stack and in its
//! locals, the same sync objects and wait queues, and the same heap
//! contents. What the fingerprint leaves out is history that cannot change
//! what happens next: the schedule string, the trace, step counters, which
//! thread ran last and the ready-queue order (the explorer, not the ready
//! queue, picks the next thread).
//!
//! It is deliberately *not* canonical: objects are hashed with their heap
//! ids, and the order of two threads' allocations decides which id each
//! object gets, so two states that are the same to a Python program can
//! get different fingerprints. The count of distinct states is then an
//! over-count (up to hash collisions, never an under-count). It depends
//! only on the state, never on how the search got there, so sequential
//! and parallel searches count alike.
//!
//! Native functions never change, nor do builtin classes the program has
//! not written to (`Class::written`); both are skipped.

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::dict::PyDict;
use crate::kernel::SyncObj;
use crate::machine::Machine;
use crate::object::{IterObj, Obj, Payload};
use crate::value::Value;
use crate::vm::{Frame, OnReturn};

/// An FxHash-style hasher: fast, and deterministic across runs and
/// platforms (unlike std's randomly seeded one), so a fingerprint can be
/// compared between workers and sessions.
struct Fp(u64);

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
        for &b in chunks.remainder() {
            self.write_u64(b as u64);
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

fn value(h: &mut Fp, v: &Value) {
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
            h.write_u32(*id);
        }
    }
}

fn values<'a>(h: &mut Fp, vs: impl IntoIterator<Item = &'a Value>) {
    let mut n = 0u64;
    for v in vs {
        value(h, v);
        n += 1;
    }
    h.write_u64(n);
}

fn dict(h: &mut Fp, d: &PyDict) {
    // A key's Python hash stands for the key: equal keys have equal
    // hashes, and re-reading every name of a module's namespace at every
    // state would cost more than the rest of the fingerprint. Entries are
    // hashed independently (with their position, as the order of a dict
    // is visible) and summed, for the same reason as the heap's objects.
    let mut sum = 0u64;
    let mut n = 0u64;
    for e in d.iter() {
        let mut eh = Fp(e.hash ^ n);
        value(&mut eh, &e.value);
        sum = sum.wrapping_add(spread(eh.finish()));
        n += 1;
    }
    h.write_u64(sum);
    h.write_u64(n);
}

fn frame(h: &mut Fp, f: &Frame) {
    // Code objects are immutable and shared by every clone of a machine,
    // so their address names them.
    h.write_usize(Arc::as_ptr(&f.code) as *const u8 as usize);
    h.write_usize(f.ip);
    values(h, &f.stack);
    values(h, &f.locals);
    f.cells.hash(h);
    f.blocks.hash(h);
    h.write_u32(f.globals);
    f.ns.hash(h);
    f.func.hash(h);
    f.generator.hash(h);
    std::mem::discriminant(&f.on_return).hash(h);
    match &f.on_return {
        OnReturn::Init(v) | OnReturn::NextDefault(v) | OnReturn::Module(v) => value(h, v),
        OnReturn::ClassBody(c) => {
            value(h, &c.name);
            values(h, &c.bases);
            h.write_u32(c.ns);
        }
        OnReturn::ForIter(x) | OnReturn::YieldFrom(x) => h.write_u32(*x),
        OnReturn::Push
        | OnReturn::Discard
        | OnReturn::Sync
        | OnReturn::ThreadExit
        | OnReturn::Not => {}
    }
}

fn object(h: &mut Fp, o: &Obj) {
    std::mem::discriminant(o).hash(h);
    match o {
        Obj::Free | Obj::Native(_) => {}
        Obj::Class(c) => {
            (
                &c.name,
                &c.qualname,
                &c.module,
                &c.bases,
                &c.mro,
                c.has_descriptors,
            )
                .hash(h);
            dict(h, &c.dict);
        }
        Obj::Function(f) => {
            h.write_usize(Arc::as_ptr(&f.code) as *const u8 as usize);
            (&f.name, &f.qualname, &f.closure, f.globals, f.owner).hash(h);
            values(h, &f.defaults);
            for (k, v) in &f.kwdefaults {
                k.hash(h);
                value(h, v);
            }
            dict(h, &f.attrs);
        }
        Obj::List(items) | Obj::Tuple(items) => values(h, items),
        Obj::Dict(d) => {
            dict(h, &d.d);
            debug(h, &d.kind);
            value(h, &d.default_factory);
        }
        Obj::Set(d, frozen) => {
            dict(h, d);
            frozen.hash(h);
        }
        Obj::Instance(inst) => {
            h.write_u32(inst.class);
            dict(h, &inst.dict);
            match &inst.payload {
                Payload::None => h.write_u8(0),
                Payload::Sync(s) => h.write_u64(1 + ((*s as u64) << 8)),
                Payload::Exc(e) => debug(h, e),
                Payload::Thread(t) => {
                    value(h, &t.target);
                    values(h, &t.args);
                    for (k, v) in &t.kwargs {
                        k.hash(h);
                        value(h, v);
                    }
                    (&t.name, t.daemon, t.tid, t.started).hash(h);
                    t.timer.map(|(at, done)| (at.to_bits(), done)).hash(h);
                }
            }
        }
        Obj::Generator(g) => {
            if let Some(f) = &g.frame {
                frame(h, f);
            }
            h.write_u8(g.running as u8 | (g.started as u8) << 1);
        }
        Obj::Cell(v) | Obj::StaticMethod(v) | Obj::ClassMethod(v) => value(h, v),
        Obj::Property(a, b) | Obj::BoundMethod(a, b) => {
            value(h, a);
            value(h, b);
        }
        Obj::Module(md) => h.write_u32(md.dict),
        Obj::Range(a, b, c) => (a, b, c).hash(h),
        Obj::Iter(it) => match &**it {
            IterObj::Range { cur, stop, step } => (cur, stop, step).hash(h),
            IterObj::Seq { seq, idx } | IterObj::Reversed { seq, idx } => {
                h.write_u8(matches!(&**it, IterObj::Reversed { .. }) as u8);
                value(h, seq);
                h.write_usize(*idx);
            }
            other => debug(h, other),
        },
        Obj::Deque(items, max) => {
            values(h, items);
            max.hash(h);
        }
        // The rest are small and hold only values and ids.
        other => debug(h, other),
    }
}

fn sync(h: &mut Fp, s: &SyncObj) {
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
        } => (lock, lock_sync, waiters).hash(h),
        SyncObj::Queue {
            items,
            maxsize,
            kind,
            unfinished,
        } => {
            values(h, items);
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

impl Machine {
    /// The state's fingerprint (see the module docs for what it covers).
    pub fn fingerprint(&self) -> u64 {
        let mut h = Fp(0);
        h.write_u64(self.kernel.clock);
        self.rec.stdout.hash(&mut h);
        self.rec.stderr.hash(&mut h);
        for p in &self.procs {
            h.write_u32(p.pid);
            debug(&mut h, &p.state);
            p.exit_code.hash(&mut h);
            h.write_u32(p.thread_counter);
            p.rng.hash(&mut h);
            p.stdin.hash(&mut h);
            // By tid: finished threads sit in the order they ended, which
            // two schedules reaching the same state may not share.
            let mut threads: Vec<&crate::kernel::Thread> =
                p.threads.iter().chain(p.finished.iter()).collect();
            threads.sort_unstable_by_key(|t| t.tid);
            for t in threads {
                h.write_u32(t.tid);
                t.state.hash(&mut h);
                t.wake.hash(&mut h);
                t.call_state.hash(&mut h);
                t.call_deadline.hash(&mut h);
                if let Some((f, args)) = &t.pending_call {
                    value(&mut h, f);
                    values(&mut h, args);
                }
                values(&mut h, &t.exc_stack);
                t.failed.hash(&mut h);
                h.write_usize(t.frames.len());
                for f in &t.frames {
                    frame(&mut h, f);
                }
            }
            for s in &p.sync {
                sync(&mut h, &s.obj);
                s.pyobj.hash(&mut h);
            }
            // Each object is hashed on its own, seeded with its id, and the
            // results are summed: the sum does not depend on the order of
            // the slots (the id already says where an object is), and short
            // independent hash chains run several at a time on the CPU
            // where one long chain would wait on each multiply.
            let mut heap = 0u64;
            for (id, o) in p.heap.iter() {
                let one = match o {
                    Obj::Native(_) => continue,
                    // Builtin classes the program never wrote are the same
                    // in every state (made by `Machine::new`).
                    Obj::Class(c) if c.builtin.is_some() && !c.written => continue,
                    _ => {
                        let mut oh = Fp(id as u64);
                        object(&mut oh, o);
                        oh.finish()
                    }
                };
                heap = heap.wrapping_add(spread(one));
            }
            h.write_u64(heap);
        }
        h.finish()
    }
}
