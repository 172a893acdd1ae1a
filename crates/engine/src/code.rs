//! Bytecode: the instruction set and code objects.
//!
//! The compiler turns each function body (and the module body, each class
//! body, each lambda and comprehension) into a [`Code`] object: a flat
//! vector of [`Op`]s plus the tables they index into (constants, names,
//! local slots, cell and free variables). Every op also records the source
//! [`Span`] it came from, for tracebacks and for the page's "current line".
//!
//! Ops are a Rust enum with at most two `u32` operands (8–12 bytes each).
//! The VM executes exactly one op per *step*; a step is the unit of
//! preemption (the scheduler may switch threads between any two steps) and
//! of virtual time. So `n += 1` on a global is four steps (load, load const,
//! add, store) and can lose updates exactly as it can in CPython.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::syntax::ast::{BinOp, CmpOp, Span, UnaryOp};
use crate::value::Value;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Nop,
    LoadConst(u32),
    LoadFast(u32),
    StoreFast(u32),
    DeleteFast(u32),
    /// Cell variables first, then free variables.
    LoadDeref(u32),
    StoreDeref(u32),
    DeleteDeref(u32),
    /// A cell object itself, to build a closure.
    LoadClosure(u32),
    LoadGlobal(u32),
    StoreGlobal(u32),
    DeleteGlobal(u32),
    /// Module and class bodies: the namespace, then globals, then builtins.
    LoadName(u32),
    StoreName(u32),
    DeleteName(u32),
    LoadAttr(u32),
    StoreAttr(u32),
    DeleteAttr(u32),
    /// Pushes `[callable, self]` (or `[callable, NULL]`) without creating a
    /// bound-method object; `CallMethod(argc)` consumes both.
    LoadMethod(u32),
    CallMethod(u32),
    Subscr,
    StoreSubscr,
    DeleteSubscr,
    Binary(BinOp),
    Inplace(BinOp),
    Unary(UnaryOp),
    Compare(CmpOp),
    Pop,
    Dup,
    Dup2,
    Rot2,
    Rot3,
    Rot4,
    Jump(u32),
    PopJumpIfFalse(u32),
    PopJumpIfTrue(u32),
    JumpIfFalseOrPop(u32),
    JumpIfTrueOrPop(u32),
    GetIter,
    /// Next item of the iterator on top of the stack, or pop it and jump.
    ForIter(u32),
    BuildList(u32),
    BuildTuple(u32),
    BuildSet(u32),
    /// `n` key/value pairs.
    BuildMap(u32),
    BuildSlice(u32),
    /// Appends TOS to the list `n` deep (comprehensions).
    ListAppend(u32),
    SetAdd(u32),
    MapAdd(u32),
    /// Extends the list below TOS with the iterable TOS (star displays).
    ListExtend,
    SetUpdate,
    DictUpdate,
    ListToTuple,
    UnpackSequence(u32),
    /// Star-unpacking: (count before, count after).
    UnpackEx(u32, u32),
    /// Positional arguments only.
    Call(u32),
    /// `argc` arguments, the last `nkw` of them keywords whose names are the
    /// tuple constant `names`.
    CallKw(u32, u32),
    /// `f(*args, **kwargs)`: stack is `[f, tuple, dict-or-None]`.
    CallEx,
    /// Constant index of the code; flags: 1 defaults tuple, 2 kw defaults
    /// dict, 8 closure tuple (pushed in that order below the code).
    MakeFunction(u32, u32),
    /// Stack: `[body function, name, bases...]` with `n` bases, then a
    /// keywords dict if the flag is set.
    BuildClass(u32),
    Return,
    Yield,
    /// `yield from`: stack `[subiter, value to send]`; jump when done.
    YieldFrom(u32),
    /// `name: annotation` in a class body: pops the annotation (its source
    /// text) into the namespace's `__annotations__` under the name. An op
    /// of its own, not a subscript store, which the explorer's `frozen.rs`
    /// would take for a list that may change.
    StoreAnnotation(u32),
    /// `await x`: replaces `x` by the iterator the `yield from` loop that
    /// follows drives (`crate::coroutine::get_awaitable`).
    GetAwaitable,
    /// Pushes a try block whose handler is at the operand.
    SetupExcept(u32),
    /// Pushes a `with` block whose handler (`WithExitExc`) is at the
    /// operand. It is set up with the manager and `__enter__`'s value on
    /// the stack; the handler wants the manager alone below the exception,
    /// so the value does not count in the block's depth (CPython's
    /// SETUP_WITH does the same).
    SetupWith(u32),
    PopBlock,
    /// Leaves an `except` handler: pops the handler block and the
    /// "currently handled exception".
    PopExcept,
    /// 0: bare `raise`; 1: `raise exc`; 2: `raise exc from cause`.
    Raise(u32),
    /// Re-raises the exception on top of the stack, keeping its traceback.
    Reraise,
    /// Stack `[exc, type]` -> `[exc, bool]`.
    CheckExcMatch,
    /// Conversion (0 none, 1 str, 2 repr, 3 ascii) and whether a spec is
    /// on the stack.
    FormatValue(u32, u32),
    BuildString(u32),
    /// Name index of the dotted module; leaves the module on the stack.
    /// The flag is 1 for `from m import ...` (returns the leaf module).
    ImportName(u32, u32),
    ImportFrom(u32),
    ImportStar,
    /// `assert` failure: stack has the message or nothing.
    RaiseAssert(u32),
    /// Checks that the context manager has `__exit__` and duplicates it:
    /// `[cm]` -> `[cm, cm]` (then `__enter__` is called on the copy).
    WithEnter,
    /// Calls `__exit__(None, None, None)` on the context manager on TOS
    /// and pops it.
    WithExitNormal,
    /// In a `with` handler: stack `[cm, exc]`; calls
    /// `cm.__exit__(type, exc, tb)` and pushes its result.
    WithExitExc,
    /// Jump target bookkeeping for the `__class__`-less `super()`: no-op.
    LoadBuildClass,
    /// Pushes the exception being handled, or None.
    PushExcInfo,
    /// Pops a `for` loop's iterator when the loop is left early; a fresh
    /// generator (the loop's own, never bound to a name) is closed, so its
    /// `finally` blocks and `with` exits run as under CPython's refcounting.
    CloseIter,
    /// Zero-argument `super()`: the defining class of the running function
    /// and its first argument.
    SuperZero,
}

/// Flags of a code object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CodeFlags {
    pub generator: bool,
    pub varargs: bool,
    pub varkw: bool,
    /// Module or class body: names go through the namespace dict.
    pub uses_namespace: bool,
    pub is_async: bool,
}

#[derive(Clone, Debug)]
pub struct Code {
    pub name: Arc<str>,
    pub qualname: Arc<str>,
    pub filename: Arc<str>,
    pub ops: Vec<Op>,
    pub spans: Vec<Span>,
    pub consts: Vec<Constant>,
    pub names: Vec<Arc<str>>,
    /// `str_hash` of each name, so global lookups hash nothing.
    pub name_hashes: Vec<u64>,
    /// Where each name was last found in a dict (see [`NameHints`]).
    pub name_hints: NameHints,
    /// Parameters first (positional, then keyword-only, then `*args`, then
    /// `**kwargs`), then the other locals.
    pub varnames: Vec<Arc<str>>,
    pub argcount: u32,
    pub posonly: u32,
    pub kwonlycount: u32,
    pub cellvars: Vec<Arc<str>>,
    pub freevars: Vec<Arc<str>>,
    /// For each cell variable that is also a parameter, its slot index, so
    /// the call copies the argument into the cell.
    pub cell_params: Vec<(u32, u32)>,
    pub flags: CodeFlags,
    pub first_line: u32,
    /// Caret anchors for tracebacks, sorted by op index: for a binary
    /// operation the columns between which the operator sits, for a
    /// subscript the column where `[` starts (CPython 3.11 draws `~~^~~`
    /// and `~^^^` for those).
    pub anchors: Vec<(u32, Anchor)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// Left operand ends at the first column, right operand starts at the
    /// second.
    BinOp(u32, u32),
    /// The subscripted value ends at this column.
    Subscript(u32),
}

/// For each name of a code object, the entry position at which a lookup
/// of that name last found it (in the globals dict for `LoadGlobal` and
/// `StoreGlobal`, in the instance's class dict for `LoadMethod`), so the
/// next lookup can try that entry before hashing into the dict, as
/// CPython's inline caches do.
///
/// A hint is only a guess: [`crate::dict::PyDict::find_str_hinted`]
/// checks the entry's hash and key before using it and falls back to a
/// full lookup otherwise. That is why hints can live in the shared,
/// immutable code object (as relaxed atomics) and be shared by every
/// machine and snapshot running the code, on any thread, without
/// affecting any result: they are not part of the machine's state.
#[derive(Default)]
pub struct NameHints(Box<[AtomicU32]>);

impl NameHints {
    pub fn new(n: usize) -> NameHints {
        NameHints((0..n).map(|_| AtomicU32::new(0)).collect())
    }

    /// The hint of name `i` (a shared dummy past the end, so callers need
    /// no bounds check of their own).
    #[inline]
    pub fn get(&self, i: usize) -> &AtomicU32 {
        static NONE: AtomicU32 = AtomicU32::new(0);
        self.0.get(i).unwrap_or(&NONE)
    }
}

impl Clone for NameHints {
    fn clone(&self) -> NameHints {
        NameHints(self.0.iter().map(|h| AtomicU32::new(h.load(Ordering::Relaxed))).collect())
    }
}

impl std::fmt::Debug for NameHints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NameHints({})", self.0.len())
    }
}

/// A compile-time constant. Code objects are constants too (for nested
/// functions); they become `Value`s only when loaded.
#[derive(Clone, Debug)]
pub enum Constant {
    Value(Value),
    Code(Arc<Code>),
    /// Keyword names of a `CallKw`.
    Names(Arc<[Arc<str>]>),
}

impl Code {
    pub fn anchor_at(&self, ip: usize) -> Option<Anchor> {
        self.anchors.binary_search_by_key(&(ip as u32), |(i, _)| *i).ok().map(|k| self.anchors[k].1)
    }

    pub fn line_at(&self, ip: usize) -> u32 {
        self.spans.get(ip).map(|s| s.line).unwrap_or(self.first_line)
    }
}
