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

use crate::object::Obj;
use crate::value::{ObjId, Value};

#[derive(Clone, Debug, Default)]
pub struct Heap {
    objs: Vec<Obj>,
    free: Vec<ObjId>,
    live: usize,
    pub allocs_since_gc: usize,
}

impl Heap {
    pub fn new() -> Heap {
        // Id 0 is reserved so that no object has id 0.
        Heap { objs: vec![Obj::Free], free: Vec::new(), live: 0, allocs_since_gc: 0 }
    }

    pub fn alloc(&mut self, o: Obj) -> ObjId {
        self.live += 1;
        self.allocs_since_gc += 1;
        if let Some(id) = self.free.pop() {
            self.objs[id as usize] = o;
            id
        } else {
            self.objs.push(o);
            (self.objs.len() - 1) as ObjId
        }
    }

    pub fn alloc_value(&mut self, o: Obj) -> Value {
        Value::Obj(self.alloc(o))
    }

    #[inline]
    pub fn get(&self, id: ObjId) -> &Obj {
        static FREE: Obj = Obj::Free;
        self.objs.get(id as usize).unwrap_or(&FREE)
    }

    #[inline]
    pub fn get_mut(&mut self, id: ObjId) -> &mut Obj {
        if (id as usize) < self.objs.len() {
            &mut self.objs[id as usize]
        } else {
            // Never happens for ids the heap handed out; keep it panic-free.
            &mut self.objs[0]
        }
    }

    /// The number of slots (live or free): every id is below it.
    pub fn len(&self) -> usize {
        self.objs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    pub fn live(&self) -> usize {
        self.live
    }

    /// Approximate bytes in use.
    pub fn approx_bytes(&self) -> usize {
        self.objs.iter().map(|o| if matches!(o, Obj::Free) { 8 } else { o.approx_size() }).sum()
    }

    /// Marks everything reachable from `roots` and frees the rest.
    pub fn collect(&mut self, roots: &[Value]) {
        let mut marked = vec![false; self.objs.len()];
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
            self.objs[i].for_each_ref(&mut |v| {
                if let Value::Obj(c) = v {
                    if !marked[*c as usize] {
                        stack.push(*c);
                    }
                }
            });
        }
        for (i, m) in marked.iter().enumerate() {
            if !m && !matches!(self.objs[i], Obj::Free) {
                self.objs[i] = Obj::Free;
                self.free.push(i as ObjId);
                self.live -= 1;
            }
        }
        self.allocs_since_gc = 0;
    }

    /// Iterates over live objects (for hashing a snapshot).
    pub fn iter(&self) -> impl Iterator<Item = (ObjId, &Obj)> {
        self.objs.iter().enumerate().filter(|(_, o)| !matches!(o, Obj::Free)).map(|(i, o)| (i as ObjId, o))
    }
}
