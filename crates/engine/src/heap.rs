//! A process's heap: an arena of [`Obj`]s addressed by `u32` ids, with a
//! mark-and-sweep garbage collector.
//!
//! Why an arena: the whole machine must be cheap to snapshot (`Clone`) and
//! safe to move between worker threads (`Send`) for the explorer, which
//! rules out `Rc<RefCell<..>>` object graphs. Ids are stable for an
//! object's lifetime, and double as the value of `id(obj)`.
//!
//! Collection runs only *between* steps (never while native code holds ids
//! in Rust locals), starting from the roots the machine supplies: every
//! thread's frames, module namespaces, the builtin classes, in-flight
//! exceptions and the sync table (queue contents).

use std::sync::Arc;

use crate::object::Obj;
use crate::shared::own;
use crate::value::{ObjId, Value};

/// Freed slots read as this.
static FREE: Obj = Obj::Free;

/// Objects per chunk of the arena (a power of two, so that an id splits
/// into chunk and slot with a shift and a mask).
const CHUNK: usize = 32;

type Slot = Option<Arc<Obj>>;
type Chunk = Arc<[Slot; CHUNK]>;

fn empty_chunk() -> Chunk {
    Arc::new(std::array::from_fn(|_| None))
}

#[derive(Clone, Debug)]
pub struct Heap {
    /// Copy on write at two levels: a snapshot of a machine shares every
    /// chunk of slots, and every object, with the machine it was taken
    /// from; [`Heap::get_mut`] copies a chunk and an object the first time
    /// one of them writes to it. Why: the explorer takes a snapshot at
    /// every state it expands, and a step changes a handful of objects out
    /// of the hundreds a program holds (its builtins, functions, classes
    /// and imported modules), so a snapshot costs a pointer copy per 32
    /// objects instead of a deep copy of each. `None` is a free slot.
    chunks: Vec<Chunk>,
    /// Slots handed out so far (live or free): every id is below it.
    len: usize,
    free: Vec<ObjId>,
    live: usize,
    pub allocs_since_gc: usize,
    /// The chunks as they were at the last [`Heap::rebase`]: what
    /// [`Heap::unchanged`] compares against.
    base: Option<Arc<Vec<Chunk>>>,
    /// `len` at the last rebase.
    base_len: usize,
    /// Per slot of the base, its hash as the fingerprint counts it (set by
    /// `Machine::rebase`).
    base_hashes: Arc<Vec<u64>>,
    /// The generators of the base that another object of the base refers
    /// to, each with that object: (generator, referrer), sorted. See
    /// [`Heap::base_referrers`].
    base_generator_refs: Arc<Vec<(ObjId, ObjId)>>,
    /// The generators of the base, sorted.
    base_generators: Arc<Vec<ObjId>>,
}

impl Default for Heap {
    fn default() -> Heap {
        Heap::new()
    }
}

impl Heap {
    pub fn new() -> Heap {
        // Id 0 is reserved so that no object has id 0.
        Heap {
            chunks: vec![empty_chunk()],
            len: 1,
            free: Vec::new(),
            live: 0,
            allocs_since_gc: 0,
            base: None,
            base_len: 0,
            base_hashes: Arc::default(),
            base_generator_refs: Arc::default(),
            base_generators: Arc::default(),
        }
    }

    pub fn alloc(&mut self, o: Obj) -> ObjId {
        self.live += 1;
        self.allocs_since_gc += 1;
        let id = match self.free.pop() {
            Some(id) => id as usize,
            None => {
                if self.len % CHUNK == 0 {
                    self.chunks.push(empty_chunk());
                }
                self.len += 1;
                self.len - 1
            }
        };
        own(&mut self.chunks[id / CHUNK])[id % CHUNK] = Some(Arc::new(o));
        id as ObjId
    }

    pub fn alloc_value(&mut self, o: Obj) -> Value {
        Value::Obj(self.alloc(o))
    }

    #[inline]
    pub fn get(&self, id: ObjId) -> &Obj {
        let i = id as usize;
        match self.chunks.get(i / CHUNK) {
            Some(c) => c[i % CHUNK].as_deref().unwrap_or(&FREE),
            None => &FREE,
        }
    }

    #[inline]
    pub fn get_mut(&mut self, id: ObjId) -> &mut Obj {
        // Never happens for ids the heap handed out; keep it panic-free.
        let i = if (id as usize) < self.len { id as usize } else { 0 };
        let slot = &mut own(&mut self.chunks[i / CHUNK])[i % CHUNK];
        own(slot.get_or_insert_with(|| Arc::new(Obj::Free)))
    }

    /// The number of slots (live or free): every id is below it.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    pub fn live(&self) -> usize {
        self.live
    }

    /// Approximate bytes in use.
    pub fn approx_bytes(&self) -> usize {
        self.slots().map(|o| o.as_ref().map_or(8, |o| o.approx_size())).sum()
    }

    fn slots(&self) -> impl Iterator<Item = &Slot> {
        self.chunks.iter().flat_map(|c| c.iter()).take(self.len)
    }

    /// Makes the heap as it is now the base that [`Heap::unchanged`] and
    /// [`Heap::changed_since_base`] compare against. Snapshots share it.
    ///
    /// The free slots are forgotten (left unused): objects made after the
    /// rebase then get ids of their own above [`Heap::base_len`], which the
    /// fingerprint names by their place in a walk, not by their ids.
    pub fn rebase(&mut self) {
        self.base = Some(Arc::new(self.chunks.clone()));
        self.base_len = self.len;
        self.base_hashes = Arc::default();
        self.free.clear();
        // Which objects of the base refer to its generators: one pass to
        // find the generators (most bases have none), one over every
        // object's references if there are any.
        let gens: Vec<ObjId> = self.iter().filter(|(_, o)| matches!(o, Obj::Generator(_))).map(|(id, _)| id).collect();
        let mut refs = Vec::new();
        if !gens.is_empty() {
            for (id, o) in self.iter() {
                o.for_each_ref(&mut |v| {
                    if let Value::Obj(g) = v {
                        if *g != id && gens.binary_search(g).is_ok() {
                            refs.push((*g, id));
                        }
                    }
                });
            }
            refs.sort_unstable();
            refs.dedup();
        }
        self.base_generator_refs = Arc::new(refs);
        self.base_generators = Arc::new(gens);
    }

    /// The generators the base held at the last rebase (some may have been
    /// freed since).
    pub fn base_generators(&self) -> &[ObjId] {
        &self.base_generators
    }

    /// The objects of the base that referred to generator `g` at the last
    /// rebase (`g` itself left out). An object a write has reached since
    /// may no longer refer to it ([`Heap::for_each_since_base`] visits
    /// those as they are now); one that [`Heap::unchanged`] says is the
    /// base's own still does.
    pub fn base_referrers(&self, g: ObjId) -> impl Iterator<Item = ObjId> + '_ {
        let refs = &self.base_generator_refs;
        let from = refs.partition_point(|&(x, _)| x < g);
        refs[from..].iter().take_while(move |&&(x, _)| x == g).map(|&(_, r)| r)
    }

    /// Records the hashes of the base's objects (see [`Heap::base_hash`]).
    pub(crate) fn set_base_hashes(&mut self, hashes: Vec<u64>) {
        self.base_hashes = Arc::new(hashes);
    }

    /// The hash the fingerprint gave slot `id`'s object at the last rebase
    /// (0 for a slot free then).
    pub fn base_hash(&self, id: ObjId) -> u64 {
        match self.base_get(id) {
            Some(_) => self.base_hashes.get(id as usize).copied().unwrap_or(0),
            None => 0,
        }
    }

    /// The hashes [`Heap::base_hash`] reads, by slot (empty before the
    /// first rebase has them).
    pub(crate) fn base_hashes(&self) -> Arc<Vec<u64>> {
        self.base_hashes.clone()
    }

    /// The objects a write has reached since the last rebase, and those
    /// made since, in id order: every other object is the very one the
    /// base holds (everything, without a base).
    pub fn iter_since_base(&self) -> impl Iterator<Item = (ObjId, &Obj)> {
        self.iter().filter(move |(id, _)| (*id as usize) >= self.base_len || !self.unchanged(*id))
    }

    /// Calls `f` on every live object that is not the very one the base
    /// holds in its slot: those a write has reached since the last rebase
    /// and those made since (everything, without a base). Unlike
    /// [`Heap::iter_since_base`] it skips a chunk no write has reached
    /// with one comparison, so it costs little more than the objects it
    /// visits.
    pub fn for_each_since_base(&self, mut f: impl FnMut(ObjId, &Obj)) {
        for (k, c) in self.chunks.iter().enumerate() {
            let b = self.base.as_ref().and_then(|b| b.get(k));
            if b.is_some_and(|b| Arc::ptr_eq(b, c)) {
                continue;
            }
            for (j, slot) in c.iter().enumerate() {
                let id = k * CHUNK + j;
                if id >= self.len {
                    return;
                }
                let Some(o) = slot else { continue };
                if id < self.base_len && b.is_some_and(|b| same(&b[j], slot)) {
                    continue;
                }
                f(id as ObjId, o);
            }
        }
    }

    /// The slots below this were handed out before the last rebase.
    pub fn base_len(&self) -> usize {
        self.base_len
    }

    /// What slot `id` held at the last rebase (`None` for a slot handed out
    /// since, or free then).
    pub fn base_get(&self, id: ObjId) -> Option<&Obj> {
        let i = id as usize;
        self.base.as_ref()?.get(i / CHUNK)?[i % CHUNK].as_deref()
    }

    /// Whether slot `id` holds the very object it held at the last rebase
    /// (not a copy: no write has reached it since).
    pub fn unchanged(&self, id: ObjId) -> bool {
        let i = id as usize;
        let Some(base) = &self.base else { return false };
        match (base.get(i / CHUNK), self.chunks.get(i / CHUNK)) {
            (Some(b), Some(c)) => Arc::ptr_eq(b, c) || same(&b[i % CHUNK], &c[i % CHUNK]),
            _ => false,
        }
    }

    /// The slots below [`Heap::base_len`] that hold an object other than
    /// the one the base holds: written or handed out again since. Slots
    /// freed since are left out: the collector frees only what nothing
    /// reaches, so a freed object of the base is no part of the state
    /// (any more than garbage not yet collected).
    pub fn changed_since_base(&self, out: &mut Vec<ObjId>) {
        let Some(base) = &self.base else { return };
        for (k, (b, c)) in base.iter().zip(&self.chunks).enumerate() {
            if Arc::ptr_eq(b, c) {
                continue;
            }
            for (j, (bs, cs)) in b.iter().zip(c.iter()).enumerate() {
                let id = k * CHUNK + j;
                if id < self.base_len && cs.is_some() && !same(bs, cs) {
                    out.push(id as ObjId);
                }
            }
        }
    }

    /// Marks everything reachable from `roots` and frees the rest.
    pub fn collect(&mut self, roots: &[Value]) {
        let mut marked = vec![false; self.len];
        marked[0] = true;
        let mut stack: Vec<ObjId> = Vec::new();
        for r in roots {
            if let Value::Obj(id) = r {
                stack.push(*id);
            }
        }
        while let Some(id) = stack.pop() {
            let i = id as usize;
            if i >= marked.len() || marked[i] {
                continue;
            }
            marked[i] = true;
            self.get(id).for_each_ref(&mut |v| {
                if let Value::Obj(c) = v {
                    if !marked[*c as usize] {
                        stack.push(*c);
                    }
                }
            });
        }
        for (i, m) in marked.iter().enumerate() {
            if !m && self.chunks[i / CHUNK][i % CHUNK].is_some() {
                own(&mut self.chunks[i / CHUNK])[i % CHUNK] = None;
                self.free.push(i as ObjId);
                self.live -= 1;
            }
        }
        self.allocs_since_gc = 0;
    }

    /// Iterates over live objects (for hashing a snapshot).
    pub fn iter(&self) -> impl Iterator<Item = (ObjId, &Obj)> {
        self.slots().enumerate().filter_map(|(i, o)| Some((i as ObjId, &**o.as_ref()?)))
    }
}

/// Whether two slots hold the same object (not merely equal ones).
fn same(a: &Slot, b: &Slot) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(h: &Heap, id: ObjId) -> Vec<i64> {
        match h.get(id) {
            Obj::List(v) => v.iter().map(|x| if let Value::Int(i) = x { *i } else { -1 }).collect(),
            _ => vec![],
        }
    }

    fn push(h: &mut Heap, id: ObjId, x: i64) {
        if let Obj::List(v) = h.get_mut(id) {
            v.push(Value::Int(x));
        }
    }

    #[test]
    fn a_snapshot_and_its_original_write_apart() {
        let mut a = Heap::new();
        // Enough objects for several chunks, so that both levels are shared.
        let ids: Vec<ObjId> = (0..100).map(|i| a.alloc(Obj::List(vec![Value::Int(i)]))).collect();
        let mut b = a.clone();
        push(&mut b, ids[70], 7);
        push(&mut a, ids[3], 3);
        assert_eq!(list(&a, ids[70]), vec![70]);
        assert_eq!(list(&b, ids[70]), vec![70, 7]);
        assert_eq!(list(&a, ids[3]), vec![3, 3]);
        assert_eq!(list(&b, ids[3]), vec![3]);
        // A collection in one frees nothing in the other.
        b.collect(&[Value::Obj(ids[0])]);
        assert_eq!(b.live(), 1);
        assert_eq!(list(&a, ids[99]), vec![99]);
        assert_eq!(a.live(), 100);
        let c = b.alloc(Obj::List(vec![]));
        assert!(matches!(a.get(c), Obj::List(v) if v.len() == 1), "the slot {c} is still the original's object there");
    }

    #[test]
    fn the_base_knows_who_refers_to_its_generators() {
        let gen = || Obj::Generator(Box::new(crate::object::Generator { frame: None, name: Arc::from("g"), qualname: Arc::from("g"), running: false, started: false, coroutine: false, async_gen: false, excs: Vec::new() }));
        let mut h = Heap::new();
        let (g, lone) = (h.alloc(gen()), h.alloc(gen()));
        let holder = h.alloc(Obj::List(vec![Value::Obj(g)]));
        let other = h.alloc(Obj::List(vec![Value::Int(1)]));
        h.rebase();
        assert_eq!(h.base_generators(), &[g, lone]);
        assert_eq!(h.base_referrers(g).collect::<Vec<_>>(), vec![holder]);
        assert_eq!(h.base_referrers(lone).count(), 0);
        // Only what was written or made since the rebase is visited.
        let mut s = h.clone();
        if let Obj::List(v) = s.get_mut(holder) {
            v.clear();
        }
        let fresh = s.alloc(Obj::List(vec![Value::Obj(lone)]));
        let mut seen = Vec::new();
        s.for_each_since_base(|id, _| seen.push(id));
        assert_eq!(seen, vec![holder, fresh]);
        assert!(!s.unchanged(holder) && s.unchanged(other));
    }

    #[test]
    fn the_base_tells_which_objects_were_written() {
        let mut h = Heap::new();
        let ids: Vec<ObjId> = (0..40).map(|i| h.alloc(Obj::List(vec![Value::Int(i)]))).collect();
        h.collect(&ids[..39].iter().map(|&i| Value::Obj(i)).collect::<Vec<_>>());
        h.rebase();
        assert_eq!(h.base_len(), 41);
        let mut s = h.clone();
        let fresh = s.alloc(Obj::List(vec![]));
        assert!(fresh as usize >= s.base_len(), "the slot freed before the rebase is not handed out again");
        push(&mut s, ids[5], 1);
        let _ = s.get_mut(ids[33]);
        let mut changed = Vec::new();
        s.changed_since_base(&mut changed);
        assert_eq!(changed, vec![ids[5], ids[33]], "a write, even one that changes nothing, copies the object");
        assert!(s.unchanged(ids[6]) && !s.unchanged(ids[5]));
        assert!(matches!(s.base_get(ids[5]), Some(Obj::List(v)) if v.len() == 1));
        // Freed objects of the base are no part of the state.
        s.collect(&[Value::Obj(ids[5])]);
        changed.clear();
        s.changed_since_base(&mut changed);
        assert_eq!(changed, vec![ids[5]]);
    }
}
