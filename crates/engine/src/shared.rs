//! [`Shared`]: a value that snapshots of a machine share until one of them
//! writes to it.
//!
//! The explorer clones a machine at every state it expands, and a step
//! changes one thread: the others' call stacks are the same in the copy.
//! A `Shared` field costs a reference-count bump to clone, and copies its
//! value the first time a clone that shares it asks for `&mut` (through
//! `DerefMut`, so code that reads and writes the field is unchanged).

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

#[derive(Clone, Debug, Default)]
pub struct Shared<T>(Arc<T>);

impl<T> Shared<T> {
    pub fn new(v: T) -> Shared<T> {
        Shared(Arc::new(v))
    }
}

impl<T> From<T> for Shared<T> {
    fn from(v: T) -> Shared<T> {
        Shared::new(v)
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Clone> DerefMut for Shared<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        own(&mut self.0)
    }
}

/// `Arc::make_mut` without its atomic read-modify-write operations: what
/// `a` points to, copied first if another `Arc` shares it.
///
/// Why: the interpreter writes to heap objects on most steps (a global
/// store writes the module's dict), and `Arc::make_mut`'s two
/// compare-and-swaps on every write made plain runs a fifth slower. A
/// load of the count suffices here because the engine never makes a
/// `Weak` of these `Arc`s (so a strong count of 1 means `a` is the only
/// handle), and `&mut a` means no other thread can be cloning it now.
#[inline(always)]
pub(crate) fn own<T: Clone>(a: &mut Arc<T>) -> &mut T {
    if Arc::strong_count(a) != 1 {
        copy_out(a);
    }
    // As `Arc::get_mut` does: our writes come after whatever the handles
    // dropped before the count reached 1 did (their decrements release).
    std::sync::atomic::fence(std::sync::atomic::Ordering::Acquire);
    // SAFETY: `a` is the only `Arc` of its allocation (checked above, or
    // just made by `copy_out`), no `Weak` of it exists, and `a` is
    // borrowed mutably for as long as the result lives, so nothing else
    // can read or write the value meanwhile. `Arc::as_ptr` points into
    // the allocation with write provenance (it is how the standard
    // library's own `get_mut_unchecked` reaches the value).
    unsafe { &mut *(Arc::as_ptr(a) as *mut T) }
}

#[cold]
#[inline(never)]
fn copy_out<T: Clone>(a: &mut Arc<T>) {
    *a = Arc::new(T::clone(a));
}

impl<'a, T> IntoIterator for &'a Shared<T>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;

    fn into_iter(self) -> Self::IntoIter {
        (&*self.0).into_iter()
    }
}
