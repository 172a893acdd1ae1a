//! Python values as the VM sees them.
//!
//! A [`Value`] is small and cheap to copy around: the immutable scalars
//! (`None`, `bool`, `int` in an `i64`, `float`) live inline, as do the
//! immutable sequences of text and bytes (shared through an `Arc`, so a copy
//! is a reference-count bump, never a byte copy). Everything that can be
//! mutated or that can contain other values (lists, dicts, instances,
//! functions, classes, ...) lives in the process's [`Heap`](crate::heap::Heap)
//! and is referred to by its [`ObjId`], a `u32` index into the heap's arena.
//!
//! Using indices instead of pointers is what lets a whole machine be cloned
//! (a snapshot for the explorer) by cloning a few `Vec`s, and what lets the
//! garbage collector be a simple mark-and-sweep over the arena.

use std::sync::Arc;

use num_bigint::BigInt;

/// An index into a process's heap arena.
pub type ObjId = u32;

// `repr(u64)` puts the tag in a word of its own and every payload at
// offset 8, so that copying a value is three aligned word moves. (With
// the default layout, `Bool`'s payload sits at offset 1 and copies are
// split at odd offsets, which stalls store forwarding on every push and
// pop of the value stack.) The size stays 24 bytes and `Option<Value>`
// still uses an invalid tag as its `None`. The variants that own a
// reference count come last, so that dropping or cloning a value tests
// one range of tags for "is there a count to touch".
#[derive(Debug)]
#[repr(u64)]
pub enum Value {
    /// An unbound local slot (never visible to Python code: reading it raises
    /// `UnboundLocalError`).
    Undef,
    None,
    Ellipsis,
    NotImplemented,
    Bool(bool),
    /// The fast path of Python's arbitrary-precision `int`.
    Int(i64),
    Float(f64),
    Obj(ObjId),
    /// An `int` that does not fit in an `i64`. Always normalised: a `Big`
    /// never holds a value that fits in an `i64`.
    Big(Arc<BigInt>),
    Str(Arc<str>),
    Bytes(Arc<[u8]>),
}

// Written out rather than derived so that it is always inlined: values
// are cloned on every load of a local, global or constant, and a call
// to the derived `clone` returns its result through memory that the
// caller then reads back with wider loads than the callee's stores,
// which stalls the processor on every such load.
impl Clone for Value {
    #[inline(always)]
    fn clone(&self) -> Value {
        match self {
            Value::Undef => Value::Undef,
            Value::None => Value::None,
            Value::Ellipsis => Value::Ellipsis,
            Value::NotImplemented => Value::NotImplemented,
            Value::Bool(b) => Value::Bool(*b),
            Value::Int(i) => Value::Int(*i),
            Value::Float(f) => Value::Float(*f),
            Value::Obj(id) => Value::Obj(*id),
            Value::Big(b) => Value::Big(Arc::clone(b)),
            Value::Str(s) => Value::Str(Arc::clone(s)),
            Value::Bytes(b) => Value::Bytes(Arc::clone(b)),
        }
    }
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    pub fn from_string(s: String) -> Value {
        Value::Str(Arc::from(s))
    }

    /// Builds an `int` from a big integer, demoting it to the fast path when
    /// it fits.
    pub fn from_big(b: BigInt) -> Value {
        use num_traits::ToPrimitive;
        match b.to_i64() {
            Some(i) => Value::Int(i),
            None => Value::Big(Arc::new(b)),
        }
    }

    pub fn as_obj(&self) -> Option<ObjId> {
        match self {
            Value::Obj(id) => Some(*id),
            _ => None,
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// Python's `is`: identity for heap objects, value identity for the
    /// inline singletons and (as CPython does for small ints and interned
    /// strings, which is what tutorials observe) equality for scalars.
    pub fn is(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Obj(a), Value::Obj(b)) => a == b,
            (Value::None, Value::None)
            | (Value::Ellipsis, Value::Ellipsis)
            | (Value::NotImplemented, Value::NotImplemented)
            | (Value::Undef, Value::Undef) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
            (Value::Str(a), Value::Str(b)) => Arc::ptr_eq(a, b) || (a.len() <= 20 && a == b),
            (Value::Bytes(a), Value::Bytes(b)) => Arc::ptr_eq(a, b),
            (Value::Big(a), Value::Big(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// Keyword arguments as passed to a call: names in source order.
pub type Kwargs = Vec<(Arc<str>, Value)>;
