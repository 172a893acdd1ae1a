//! The insertion-ordered hash table behind `dict`, `set` and class
//! namespaces.
//!
//! Python's `dict` remembers insertion order, and so must ours: a program's
//! output may depend on it. The table is therefore a dense `Vec` of entries
//! in insertion order (deleted entries leave a hole that a later compaction
//! removes) plus an index from hash to entry positions. The index is a
//! `HashMap` keyed by the already-computed 64-bit Python hash, with an
//! identity hasher: it is only ever *looked up*, never iterated, so its
//! internal order cannot leak into program behaviour, and no random state is
//! involved (runs stay reproducible, and snapshots hash the same).
//!
//! Hashing and equality of keys need the heap (a tuple key's elements live
//! there), so callers pass in the hash and an equality predicate; see
//! `ops::hash_value` and `ops::eq_shallow`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU32, Ordering};

use crate::value::Value;

/// A hasher that passes a precomputed `u64` straight through.
#[derive(Default, Clone, Copy)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Index = HashMap<u64, Slot, BuildHasherDefault<IdHasher>>;

#[derive(Clone, Debug)]
enum Slot {
    One(u32),
    Many(Vec<u32>),
}

#[derive(Clone, Debug)]
pub struct Entry {
    pub key: Value,
    pub value: Value,
    pub hash: u64,
}

#[derive(Clone, Debug, Default)]
pub struct PyDict {
    entries: Vec<Option<Entry>>,
    /// Built once the dict grows past [`SMALL`] entries; small dicts (most
    /// instance and class dicts) are searched linearly, which is faster and
    /// allocates nothing.
    index: Option<Index>,
    len: usize,
}

const SMALL: usize = 8;

/// FNV-1a over the UTF-8 bytes: the hash of a `str`. (CPython randomises
/// string hashes per process; any fixed function is as faithful.)
pub const fn str_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    // Keep clear of the value used for -1 in CPython.
    h >> 1
}

/// Whether `k` is the string `name` (names interned by the compiler are
/// usually the very same bytes, so compare the pointers first).
#[inline(always)]
fn key_is(k: &Value, name: &str) -> bool {
    matches!(k, Value::Str(s) if (s.as_ptr() == name.as_ptr() && s.len() == name.len()) || &**s == name)
}

impl PyDict {
    pub fn new() -> PyDict {
        PyDict::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().flatten()
    }

    pub fn keys(&self) -> Vec<Value> {
        self.iter().map(|e| e.key.clone()).collect()
    }

    pub fn values(&self) -> Vec<Value> {
        self.iter().map(|e| e.value.clone()).collect()
    }

    pub fn items(&self) -> Vec<(Value, Value)> {
        self.iter().map(|e| (e.key.clone(), e.value.clone())).collect()
    }

    /// The raw position bound for iteration that tolerates holes: iterators
    /// keep a position into `entries` and skip `None`s.
    pub fn raw_len(&self) -> usize {
        self.entries.len()
    }

    pub fn raw_entry(&self, pos: usize) -> Option<&Entry> {
        self.entries.get(pos).and_then(|e| e.as_ref())
    }

    pub fn find(&self, hash: u64, mut eq: impl FnMut(&Value) -> bool) -> Option<usize> {
        let Some(index) = &self.index else {
            return self.entries.iter().position(|e| matches!(e, Some(e) if e.hash == hash && eq(&e.key)));
        };
        match index.get(&hash)? {
            Slot::One(i) => {
                let e = self.entries[*i as usize].as_ref()?;
                if eq(&e.key) {
                    Some(*i as usize)
                } else {
                    None
                }
            }
            Slot::Many(v) => v.iter().copied().find(|i| match &self.entries[*i as usize] {
                Some(e) => eq(&e.key),
                None => false,
            }).map(|i| i as usize),
        }
    }

    fn index_insert(index: &mut Index, hash: u64, pos: u32) {
        match index.get_mut(&hash) {
            None => {
                index.insert(hash, Slot::One(pos));
            }
            Some(slot) => match slot {
                Slot::One(i) => *slot = Slot::Many(vec![*i, pos]),
                Slot::Many(v) => v.push(pos),
            },
        }
    }

    pub fn get_at(&self, pos: usize) -> Option<&Entry> {
        self.entries.get(pos).and_then(|e| e.as_ref())
    }

    // Always inlined: a call would pass the value through memory, and
    // `StoreGlobal` runs this on every global assignment.
    #[inline(always)]
    pub fn set_value_at(&mut self, pos: usize, value: Value) {
        if let Some(Some(e)) = self.entries.get_mut(pos) {
            e.value = value;
        }
    }

    /// Appends a key known not to be present.
    pub fn push_new(&mut self, hash: u64, key: Value, value: Value) {
        let pos = self.entries.len() as u32;
        self.entries.push(Some(Entry { key, value, hash }));
        self.len += 1;
        match &mut self.index {
            Some(index) => Self::index_insert(index, hash, pos),
            None => {
                if self.entries.len() > SMALL {
                    let mut index = Index::default();
                    for (i, e) in self.entries.iter().enumerate() {
                        if let Some(e) = e {
                            Self::index_insert(&mut index, e.hash, i as u32);
                        }
                    }
                    self.index = Some(index);
                }
            }
        }
    }

    pub fn remove_at(&mut self, pos: usize) -> Option<Entry> {
        let e = self.entries.get_mut(pos)?.take()?;
        self.len -= 1;
        let p = pos as u32;
        if let Some(index) = &mut self.index {
            let remove_slot = match index.get_mut(&e.hash) {
                Some(Slot::One(_)) => true,
                Some(Slot::Many(v)) => {
                    v.retain(|i| *i != p);
                    v.is_empty()
                }
                None => false,
            };
            if remove_slot {
                index.remove(&e.hash);
            }
        }
        if self.entries.len() > 32 && self.len * 2 < self.entries.len() {
            self.compact();
        }
        Some(e)
    }

    fn compact(&mut self) {
        let old = std::mem::take(&mut self.entries);
        self.index = None;
        self.len = 0;
        for e in old.into_iter().flatten() {
            self.push_new(e.hash, e.key, e.value);
        }
    }

    pub fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
        self.len = 0;
    }

    /// Removes and returns the last entry (`dict.popitem()`).
    pub fn pop_last(&mut self) -> Option<Entry> {
        let pos = self.entries.iter().rposition(|e| e.is_some())?;
        self.remove_at(pos)
    }

    pub fn first_pos(&self) -> Option<usize> {
        self.entries.iter().position(|e| e.is_some())
    }

    /// Moves an entry to the end (`OrderedDict.move_to_end`).
    pub fn move_to_end(&mut self, pos: usize) {
        if let Some(e) = self.remove_at(pos) {
            self.push_new(e.hash, e.key, e.value);
        }
    }

    pub fn move_to_front(&mut self, pos: usize) {
        if let Some(e) = self.remove_at(pos) {
            let old = std::mem::take(&mut self.entries);
            self.index = None;
            self.len = 0;
            self.push_new(e.hash, e.key, e.value);
            for x in old.into_iter().flatten() {
                self.push_new(x.hash, x.key, x.value);
            }
        }
    }

    /// The keys in the order CPython's `set` would iterate them.
    ///
    /// Sets have no defined order, but CPython's is deterministic for ints
    /// (whose hash is the value), and programs print sets of small ints all
    /// the time: `{3, 1, 2}` prints as `{1, 2, 3}`. So we replay CPython's
    /// set table (size 8, open addressing with 9 linear probes then
    /// perturbation, growing 4x when 3/5 full) over the keys in insertion
    /// order and read the slots back.
    pub fn set_order_keys(&self) -> Vec<Value> {
        let entries: Vec<&Entry> = self.iter().collect();
        if entries.len() <= 1 {
            return entries.iter().map(|e| e.key.clone()).collect();
        }
        let mut table: Vec<Option<usize>> = vec![None; 8];
        let mut fill = 0usize;
        fn insert(table: &mut [Option<usize>], hash: u64, idx: usize) {
            let mask = table.len() - 1;
            let mut perturb = hash;
            let mut i = (hash as usize) & mask;
            loop {
                if table[i].is_none() {
                    table[i] = Some(idx);
                    return;
                }
                if i + 9 <= mask {
                    for j in 1..=9 {
                        if table[i + j].is_none() {
                            table[i + j] = Some(idx);
                            return;
                        }
                    }
                }
                perturb >>= 5;
                i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb as usize)) & mask;
            }
        }
        for (idx, e) in entries.iter().enumerate() {
            insert(&mut table, e.hash, idx);
            fill += 1;
            let mask = table.len() - 1;
            if fill * 5 >= mask * 3 {
                let used = fill;
                let minused = if used > 50_000 { used * 2 } else { used * 4 };
                let mut size = 8;
                while size <= minused {
                    size <<= 1;
                }
                let old = std::mem::replace(&mut table, vec![None; size]);
                for slot in old.into_iter().flatten() {
                    insert(&mut table, entries[slot].hash, slot);
                }
            }
        }
        table.into_iter().flatten().map(|i| entries[i].key.clone()).collect()
    }

    // ---- string-keyed fast paths (namespaces: globals, class dicts, instance dicts) ----

    pub fn get_str(&self, name: &str) -> Option<&Value> {
        if self.len == 0 {
            return None;
        }
        let h = str_hash(name);
        self.get_str_h(name, h)
    }

    /// Lookup by name with its precomputed [`str_hash`].
    #[inline]
    pub fn get_str_h(&self, name: &str, h: u64) -> Option<&Value> {
        if self.len == 0 {
            return None;
        }
        let pos = self.find(h, |k| matches!(k, Value::Str(s) if &**s == name))?;
        self.entries[pos].as_ref().map(|e| &e.value)
    }

    pub fn set_str(&mut self, name: &str, value: Value) {
        let h = str_hash(name);
        match self.find(h, |k| matches!(k, Value::Str(s) if &**s == name)) {
            Some(pos) => self.set_value_at(pos, value),
            None => self.push_new(h, Value::str(name), value),
        }
    }

    /// The position of the entry for `name` (with its [`str_hash`] `h`),
    /// trying position `hint` first and leaving the found position there
    /// for the next lookup (see [`crate::code::NameHints`]). The hinted
    /// entry is used only if its hash and key match, so a stale or foreign
    /// hint costs a full lookup, never a wrong answer.
    #[inline(always)]
    pub fn find_str_hinted(&self, name: &str, h: u64, hint: &AtomicU32) -> Option<usize> {
        let i = hint.load(Ordering::Relaxed) as usize;
        if let Some(Some(e)) = self.entries.get(i) {
            if e.hash == h && key_is(&e.key, name) {
                return Some(i);
            }
        }
        self.find_str_and_hint(name, h, hint)
    }

    /// The full lookup behind [`find_str_hinted`](Self::find_str_hinted).
    #[inline(never)]
    fn find_str_and_hint(&self, name: &str, h: u64, hint: &AtomicU32) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let pos = self.find(h, |k| key_is(k, name))?;
        hint.store(pos as u32, Ordering::Relaxed);
        Some(pos)
    }

    /// [`get_str_h`](Self::get_str_h) through a position hint.
    #[inline(always)]
    pub fn get_str_hinted(&self, name: &str, h: u64, hint: &AtomicU32) -> Option<&Value> {
        let pos = self.find_str_hinted(name, h, hint)?;
        self.entries[pos].as_ref().map(|e| &e.value)
    }

    /// Sets the value of an interned name (globals), trying position
    /// `hint` first as [`find_str_hinted`](Self::find_str_hinted) does.
    #[inline]
    pub fn set_arc_hinted(&mut self, name: &std::sync::Arc<str>, h: u64, hint: &AtomicU32, value: Value) {
        match self.find_str_hinted(name, h, hint) {
            Some(pos) => self.set_value_at(pos, value),
            None => {
                hint.store(self.entries.len() as u32, Ordering::Relaxed);
                self.push_new(h, Value::Str(name.clone()), value);
            }
        }
    }

    /// Lookup by an interned name with its precomputed hash (globals).
    #[inline]
    pub fn get_arc(&self, name: &std::sync::Arc<str>, h: u64) -> Option<&Value> {
        let pos = self.find(h, |k| matches!(k, Value::Str(s) if std::sync::Arc::ptr_eq(s, name) || **s == **name))?;
        self.entries[pos].as_ref().map(|e| &e.value)
    }

    pub fn set_arc_str(&mut self, name: &std::sync::Arc<str>, value: Value) {
        let h = str_hash(name);
        match self.find(h, |k| matches!(k, Value::Str(s) if **s == **name)) {
            Some(pos) => self.set_value_at(pos, value),
            None => self.push_new(h, Value::Str(name.clone()), value),
        }
    }

    pub fn del_str(&mut self, name: &str) -> Option<Value> {
        let h = str_hash(name);
        let pos = self.find(h, |k| matches!(k, Value::Str(s) if &**s == name))?;
        self.remove_at(pos).map(|e| e.value)
    }
}
