//! Reads of what no other thread can change any more: the searches run
//! them without a scheduling point.
//!
//! [`crate::visible`] lets a thread run through ops that touch only its
//! own frame. Most of what a threaded lesson does between two lock
//! operations is not that, but is just as harmless: `forks[first]` reads a
//! global that was bound once, before any thread started, and a list
//! nobody ever changes; `lock.acquire` looks a method up on a class nobody
//! ever changes. Each of those is a visible op, so each is a scheduling
//! point, and the naive philosophers with 4 threads had 155 thousand
//! states where the forks alone make a few thousand.
//!
//! A read is as good as invisible, in a given state, when no *other*
//! thread can write what it reads from that state on: then it commutes
//! with everything the others will ever do, running it now is a
//! persistent set of one, and the search loses no outcome by not
//! offering the others a turn first. Deciding "can never write" needs the
//! whole program, so [`Facts`] reads every code object once before the
//! search (the program's, and those of the library modules written in
//! Python that it imports) and collects:
//!
//! - the global names that function (and class body) code stores or
//!   deletes: any thread may run those at any time;
//! - for the module's own top-level code, which only the main thread runs,
//!   the names it may still store from each instruction on (a backward
//!   pass over its jumps): once the main thread is past the last store of
//!   `forks`, the global is frozen;
//! - the attribute names any code stores or deletes: a method or attribute
//!   lookup of any other name gives the same answer for ever;
//! - the attribute names that only constructors store, as `self.x = ...`
//!   in an `__init__` before `self` can have reached another thread
//!   ([`init_stores`]): another thread sees such an object only once its
//!   `__init__` has run, so a lookup of such a name on an instance gives
//!   the same answer for ever too (a `ThreadPoolExecutor`'s queue and
//!   locks, a future's condition). An `__init__` called again by name or a
//!   `__new__` voids this;
//! - whether any code can change a list in place (`append`, `l[i] = x`,
//!   `+=`, `random.shuffle`, `heapq`, `getattr`...), and whether only the
//!   module's top-level code does (`threads.append(t)`), up to which of
//!   its instructions; and whether any code can get hold of an iterator
//!   other than through its own `for` loop (`iter`, `reversed`...; not an
//!   `__iter__` method whose body is `return iter(...)`, whose iterator
//!   goes to the loop that asked: [`takes_iterators`]).
//!
//! Two more kinds of op need no scheduling point, and hold in every
//! search: a call of a function written in Python (it reads the function's
//! code, defaults and closure, which no code stores unless some code
//! names `__defaults__`, `__kwdefaults__` or `__code__`), and a step of a
//! generator that no thread but the one running it can reach
//! ([`private_to`]): nobody else can race with it until that thread hands
//! the generator on, by an op of its own that comes later.
//!
//! Any way around these (`globals()`, `setattr`, `vars`, `__dict__`,
//! `exec`, `import __main__`, `from m import *`...) turns everything off.
//! The analysis is by names, so it errs toward "can change": a method
//! named `append` on any class makes every list changeable. It reads the
//! library modules written in Python that the program imports, too, so
//! those are written without these names where they can do without
//! (`collections`' namedtuple stores its fields through the native
//! `_init_fields`, `logging` builds new handler lists): one `setattr` in
//! `collections` once turned every freeze off for each program that
//! imported it.
//!
//! **What only the state graph uses.** Some freezes depend on the state: a read
//! of `x` is frozen once the main thread has stored `x` for the last time,
//! but it still races with that last store, which happened *before*. A
//! search that explores every thread at every scheduling point (the state
//! graph) has already tried the read before the store on another branch,
//! so a persistent set at the current state is all it needs. DPOR and the
//! sleep-set search instead find the orders to try from the races they
//! see on the path, and a read made invisible would hide that race from
//! them. So they get only the freezes that hold from the start and for
//! ever (tuples, lists when no code at all changes one, attributes no code
//! stores or only constructors do, a native module's names, a loop's own
//! `range` iterator, allocations, module-level names no other code
//! mentions): reads of
//! what never changes race with nothing. So do the main thread's reads of
//! a global that only the module code stores (it is their only writer),
//! and the reads of a thread the main thread started after its last store
//! of that global, or its last list change (`Thread::started_at`): the
//! store happens before the start, so the search has nothing to reorder.
//! Other threads' reads of the program's own globals, lists
//! that only the module code changes, and "alone in the process" are the
//! state graph's only ([`Facts::new`]'s `stateful`).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use interleave_engine::code::{Code, Constant, Op};
use interleave_engine::kernel::{Process, Thread, Tid};
use interleave_engine::object::{IterObj, Obj};
use interleave_engine::syntax::ast::BinOp;
use interleave_engine::value::{ObjId, Value};
use interleave_engine::vm::Frame;
use interleave_engine::{Machine, Program};

use crate::search::FxBuild;
use crate::visible::{Footprint, Location};

/// Names that reach namespaces or attributes behind the analysis's back.
const ESCAPES: &[&str] = &[
    "globals", "locals", "vars", "setattr", "delattr", "exec", "eval", "compile", "__import__", "__dict__",
    "__builtins__", "builtins", "__main__", "modules", "importlib", "__setattr__", "__delattr__", "__getattribute__",
];

/// Attribute stores that change what every lookup on an object finds.
const CLASS_CHANGES: &[&str] = &["__class__", "__bases__", "__mro__", "__dict__"];

/// Method and function names that change a list in place (the list
/// methods, and the library functions that take a list to change), and
/// the ways to call a method named by a string.
const LIST_CHANGES: &[&str] = &[
    "append", "extend", "insert", "pop", "remove", "sort", "reverse", "clear", "__setitem__", "__delitem__",
    "__iadd__", "__imul__", "shuffle", "heappush", "heappop", "heapify", "heapreplace", "heappushpop", "insort",
    "insort_left", "insort_right", "setitem", "delitem", "iadd", "imul", "iconcat", "getattr", "methodcaller",
    "attrgetter",
];

/// Names through which code can get hold of an iterator it did not
/// create in its own `for` loop.
const ITERATOR_HANDLES: &[&str] = &["iter", "__iter__", "reversed", "__reversed__", "getattr", "methodcaller", "attrgetter"];

/// The attributes of a function that calling it reads.
const FUNCTION_PARTS: &[&str] = &["__defaults__", "__kwdefaults__", "__code__"];

/// Whether no thread but `tid` can reach the object `g` (a generator): no
/// other thread holds it, and neither does any object nor any sync
/// object (a queue's items). Then nothing `tid` does with it can race
/// with another thread until `tid` itself hands it on, by an op of its
/// own that comes later: a generator made by a thread and consumed by it
/// (`sum(n * n for n in numbers)`) steps without scheduling points.
fn private_to(s: &State, tid: Tid, g: ObjId) -> bool {
    let h = holders(s, g, Some(tid));
    !h.other && h.threads.is_empty()
}

/// Who holds the object `g` (a generator): [`holders`].
struct Holders {
    /// The threads (but the one asking) whose roots (call stack, `Thread`
    /// object, pending call, exceptions) refer to it.
    threads: Vec<Tid>,
    /// An object, a sync object or a pinned value refers to it (or the
    /// walk gave up: see [`PRIVATE_WALK_BUDGET`]).
    other: bool,
}

/// Who but thread `me` holds `g`. The walk through the heap is left out
/// once the answer to the caller's question is known: with `me`, once
/// another thread holds it ([`private_to`]); without, once two threads
/// do ([`Facts::privacy_may_change`]).
///
/// The objects of the heap's base that no write has reached since refer
/// to what they referred to then, which the heap lists for generators
/// (`Heap::base_referrers`); every other object that can refer to it is
/// one made or written since: the walk costs what the search's own
/// objects number, not the whole heap.
///
/// Garbage not yet collected that refers to the generator counts as
/// holding it. The fingerprint leaves garbage out, so two states with one
/// fingerprint may then differ in how far a step of the generator's owner
/// runs: that changes the granularity the schedules are counted at, never
/// the outcomes (each way of running is a persistent set).
fn holders(s: &State, g: ObjId, me: Option<Tid>) -> Holders {
    let p = s.p;
    let is_g = |v: &Value| matches!(v, Value::Obj(x) if *x == g);
    let mut h = Holders { threads: Vec::new(), other: p.heap.base_referrers(g).any(|r| p.heap.unchanged(r)) };
    // (`me` is left out: its holding the generator does not change the
    // answer, and while it runs its stack is out of the thread table.)
    for t in p.threads.iter().chain(&p.finished).filter(|t| Some(t.tid) != me) {
        let mut held = false;
        t.for_each_root(&mut |v| held |= is_g(v));
        if held {
            h.threads.push(t.tid);
        }
    }
    let decided = |h: &Holders| h.other || h.threads.len() >= if me.is_some() { 1 } else { 2 };
    for v in p.pinned.iter().chain(&p.atexit) {
        h.other |= is_g(v);
    }
    for e in &p.sync {
        e.for_each_ref(&mut |v| h.other |= is_g(v));
    }
    if decided(&h) {
        return h;
    }
    // The walk runs at a generator's every step: past a budget of
    // references (a thread building a large list) the generator counts as
    // held, which costs scheduling points, never outcomes.
    let mut budget = PRIVATE_WALK_BUDGET;
    p.heap.for_each_since_base(|id, o| {
        if id != g && !h.other {
            o.for_each_ref(&mut |v| {
                budget = budget.saturating_sub(1);
                h.other |= budget == 0 || is_g(v);
            });
        }
    });
    h
}

/// How many references [`private_to`] looks at in the objects made or
/// written since the heap's base before it gives up.
const PRIVATE_WALK_BUDGET: usize = 2_000;

/// A code object's string constants (`getattr(x, "append")`).
fn strings(code: &Code) -> impl Iterator<Item = &str> {
    code.consts.iter().filter_map(|c| match c {
        Constant::Value(Value::Str(s)) => Some(&**s),
        _ => None,
    })
}

/// The names a code object uses: its names table (globals, attributes,
/// imports) and its string constants.
fn names_used(code: &Code) -> impl Iterator<Item = &str> {
    code.names.iter().map(|n| &**n).chain(strings(code))
}

/// Whether `code` can get hold of an iterator other than its own `for`
/// loop's: it loads one of [`ITERATOR_HANDLES`] (a definition named
/// `__iter__` is not a load), or names one in a string. Except for the
/// body `return iter(...)` of an `__iter__` method (a namedtuple's, the
/// result of `concurrent.futures.wait`): its iterator goes straight to
/// whoever asked for the instance's iterator, which is a `for` loop's own
/// unless that code named `iter` or `__iter__` itself (a handle of its
/// own, found in that code).
fn takes_iterators(code: &Code) -> bool {
    let handle = |i: u32| code.names.get(i as usize).is_some_and(|n| ITERATOR_HANDLES.contains(&&**n));
    if strings(code).any(|s| ITERATOR_HANDLES.contains(&s)) {
        return true;
    }
    let loads: Vec<usize> = (0..code.ops.len())
        .filter(|&ip| matches!(code.ops[ip], Op::LoadGlobal(i) | Op::LoadName(i) | Op::LoadAttr(i) | Op::LoadMethod(i) | Op::ImportFrom(i) | Op::ImportName(i, _) if handle(i)))
        .collect();
    if loads.is_empty() {
        return false;
    }
    !(&*code.name == "__iter__" && returns_fresh_iterator(code) && loads == [0])
}

/// Whether `code` begins with `return iter(...)`: a load of the global
/// `iter`, then ops that neither jump nor store, then the call and the
/// return. (The stack is empty at the statement's start, so the call just
/// before the return, with one argument, is the call of `iter`.)
fn returns_fresh_iterator(code: &Code) -> bool {
    let Some(ret) = code.ops.iter().position(|op| matches!(op, Op::Return)) else { return false };
    let named_iter = matches!(code.ops.first(), Some(Op::LoadGlobal(i)) if code.names.get(*i as usize).is_some_and(|n| &**n == "iter"));
    let straight = code.ops[..ret].iter().all(|&op| {
        target(op).is_none()
            && !matches!(
                op,
                Op::StoreFast(_) | Op::StoreGlobal(_) | Op::StoreName(_) | Op::StoreAttr(_) | Op::StoreSubscr | Op::StoreDeref(_) | Op::DeleteSubscr
            )
    });
    named_iter && straight && ret >= 2 && matches!(code.ops[ret - 1], Op::Call(1))
}

/// Whether op `ip` of `code` may change a list in place, or name
/// something that does. `targets` marks the ops some jump lands on.
fn changes_lists(code: &Code, ip: usize, targets: &[bool]) -> bool {
    let named = |i: u32| code.names.get(i as usize).is_some_and(|n| LIST_CHANGES.contains(&&**n));
    let Some(&op) = code.ops.get(ip) else { return false };
    match op {
        // `n += 1`: a list's `+=` with a number raises TypeError before it
        // changes anything. The number must be the op just before, and no
        // jump may land between them (`n += a if c else 1` pushes `a` on
        // one path). `counter += 1` is in most lessons, and taking it for
        // a list change would keep every list read of the program visible.
        Op::Inplace(BinOp::Add)
            if ip > 0
                && !targets.get(ip).copied().unwrap_or(true)
                && matches!(code.ops[ip - 1], Op::LoadConst(c)
                    if matches!(code.consts.get(c as usize), Some(Constant::Value(Value::Int(_) | Value::Float(_) | Value::Bool(_))))) =>
        {
            false
        }
        // `l[i] = x`, `del l[i]`, `l += ...`, `l *= n`.
        Op::StoreSubscr | Op::DeleteSubscr | Op::Inplace(BinOp::Add | BinOp::Mult) => true,
        Op::LoadGlobal(i) | Op::LoadName(i) | Op::LoadAttr(i) | Op::LoadMethod(i) | Op::ImportFrom(i) | Op::ImportName(i, _) => named(i),
        Op::LoadConst(i) => matches!(code.consts.get(i as usize), Some(Constant::Value(Value::Str(s))) if LIST_CHANGES.contains(&&**s)),
        _ => false,
    }
}

/// Which ops of `code` a jump (or a handler, or a loop's exit) lands on.
fn jump_targets(code: &Code) -> Vec<bool> {
    let mut t = vec![false; code.ops.len() + 1];
    for &op in &code.ops {
        if let Some(x) = target(op) {
            if let Some(slot) = t.get_mut(x) {
                *slot = true;
            }
        }
    }
    t
}

/// The pseudo-name under which the module code's future list changes are
/// kept beside its future stores.
const LISTS: &str = "\0lists";

/// What the freezes look at in a state: its process, and the call stack
/// of a thread that is running at the moment (a running thread's stack is
/// out of the thread table, see `interleave_engine::local::Invisible`).
/// Only searches of a single process ask (see [`Facts::unobservable`]).
pub struct State<'a> {
    pub p: &'a Process,
    pub running: Option<(Tid, &'a [Frame])>,
}

impl<'a> State<'a> {
    pub fn of(m: &'a Machine) -> State<'a> {
        State { p: m.process(), running: None }
    }

    /// Thread `t`'s call stack.
    fn frames(&self, t: &'a Thread) -> &'a [Frame] {
        match self.running {
            Some((r, f)) if r == t.tid => f,
            _ => &t.frames,
        }
    }
}

/// What the whole program can ever write, found once before a search.
#[derive(Debug)]
pub struct Facts {
    /// The search explores every thread at every scheduling point (the
    /// state graph): the freezes that depend on the state apply too.
    stateful: bool,
    /// Something reaches namespaces behind the analysis's back: nothing is
    /// frozen.
    off: bool,
    /// The main module's namespace (the start machine's module frame's).
    main_globals: Option<ObjId>,
    /// The module's top-level code, which only the main thread runs.
    module: Arc<Code>,
    /// The names the module code stores, and for each of its instructions
    /// (one bitset row per op), those it may still store from there on.
    module_stores: HashMap<Arc<str>, usize, FxBuild>,
    module_future: Vec<Vec<u64>>,
    /// Global names stored or deleted by the program's other code
    /// (functions, class bodies).
    dynamic: HashSet<Arc<str>, FxBuild>,
    /// Global names that the program's other code reads or writes at all.
    shared: HashSet<Arc<str>, FxBuild>,
    /// Global names that library code stores (in the library's own
    /// namespaces).
    library_stores: HashSet<Arc<str>, FxBuild>,
    /// Attribute names stored or deleted anywhere.
    attr_stores: HashSet<Arc<str>, FxBuild>,
    /// Attribute names stored only as `self.name = ...` in an `__init__`,
    /// before `self` can have reached another thread (see
    /// [`init_stores`]).
    init_only: HashSet<Arc<str>, FxBuild>,
    /// No code changes a list in place.
    lists_frozen: bool,
    /// Only the module's top-level code changes lists (`threads.append(t)`
    /// before the threads start): frozen once it is past its last change.
    lists_changed_by_module_only: bool,
    /// Every iterator over a `range`, list or tuple is a `for` loop's own.
    iterators_private: bool,
    /// Some code of the program (or of the library modules it imports) is
    /// a generator function or a generator expression.
    generators: bool,
}

/// The library modules written in Python that `code` imports, by name.
/// The import of a package counts as importing each of its submodules,
/// since `from concurrent import futures` names the submodule only in its
/// from-list.
fn imports(code: &Code, out: &mut Vec<String>) {
    for op in &code.ops {
        if let Op::ImportName(i, _) = op {
            if let Some(n) = code.names.get(*i as usize) {
                out.push(n.to_string());
                out.extend(interleave_engine::modules::submodules_of(n).map(String::from));
            }
        }
    }
}

/// `code` and every code object nested in it.
fn all_code(code: &Arc<Code>, out: &mut Vec<Arc<Code>>) {
    out.push(code.clone());
    for c in &code.consts {
        if let Constant::Code(inner) = c {
            all_code(inner, out);
        }
    }
}

/// The op's jump target, if it has one.
fn target(op: Op) -> Option<usize> {
    match op {
        Op::Jump(t)
        | Op::PopJumpIfFalse(t)
        | Op::PopJumpIfTrue(t)
        | Op::JumpIfFalseOrPop(t)
        | Op::JumpIfTrueOrPop(t)
        | Op::ForIter(t)
        | Op::YieldFrom(t)
        | Op::SetupExcept(t)
        | Op::SetupWith(t) => Some(t as usize),
        _ => None,
    }
}

/// The name an op stores to or deletes from a namespace, if any.
fn stored_name(code: &Code, op: Op) -> Option<&Arc<str>> {
    match op {
        Op::StoreGlobal(i) | Op::DeleteGlobal(i) | Op::StoreName(i) | Op::DeleteName(i) => code.names.get(i as usize),
        _ => None,
    }
}

fn named_global(code: &Code, op: Op) -> Option<&Arc<str>> {
    match op {
        Op::LoadGlobal(i) | Op::LoadName(i) => code.names.get(i as usize),
        _ => stored_name(code, op),
    }
}

/// The attribute stores of `code` that happen while the object under
/// construction is still the constructing thread's own: `self.name = ...`
/// in an `__init__` (the value computed first, then `LoadFast(0)`,
/// `StoreAttr`), before any other use of `self`. Any other use may hand
/// it to another thread: a method call on it, passing it on, storing it
/// somewhere, a closure over it, even reading an attribute (`self.run` is
/// a bound method that `Thread(target=self.run)` hands over). So the
/// stores after it are not counted; nor is any store when the code has a
/// loop (a store before the escape in the code may run again after it).
/// Returns the names stored safely and those stored otherwise: between
/// them, every attribute name the code stores or deletes.
fn init_stores(code: &Code) -> (Vec<Arc<str>>, Vec<Arc<str>>) {
    let (mut safe, mut other) = (Vec::new(), Vec::new());
    let ops = &code.ops;
    let name = |i: u32| code.names.get(i as usize).cloned();
    let is_init = &*code.name == "__init__" && code.argcount >= 1;
    let self_in_cell = code.varnames.first().is_some_and(|v| code.cellvars.contains(v));
    let has_loop = ops.iter().enumerate().any(|(j, &op)| target(op).is_some_and(|t| t <= j));
    let escape = ops.iter().enumerate().position(|(j, &op)| match op {
        Op::LoadFast(0) => !matches!(ops.get(j + 1), Some(Op::StoreAttr(_))),
        Op::StoreFast(0) | Op::DeleteFast(0) => true,
        _ => false,
    });
    for (j, &op) in ops.iter().enumerate() {
        match op {
            Op::StoreAttr(i) => {
                let on_self = j > 0 && ops[j - 1] == Op::LoadFast(0);
                let early = match escape {
                    None => true,
                    Some(e) => j < e && !has_loop,
                };
                let list = if is_init && !self_in_cell && on_self && early { &mut safe } else { &mut other };
                list.extend(name(i));
            }
            Op::DeleteAttr(i) => other.extend(name(i)),
            _ => {}
        }
    }
    (safe, other)
}

impl Facts {
    /// Reads `program` (and the Python-written library modules it may
    /// import) once; `start` is the machine the search starts from;
    /// `stateful` says whether the search tries every thread at every
    /// scheduling point (see the module docs).
    pub fn new(program: &Program, start: &Machine, stateful: bool) -> Facts {
        let module = program.code.clone();
        let mut user = Vec::new();
        all_code(&module, &mut user);

        // The library modules it may import, and the ones they import.
        let mut wanted = Vec::new();
        user.iter().for_each(|c| imports(c, &mut wanted));
        // `concurrent.futures` imports `multiprocessing` only inside
        // `ProcessPoolExecutor()`, which only a program that names it can
        // reach: a program of thread pools does not have the freezes that
        // `multiprocessing`'s code would turn off taken from it.
        let process_pools = user.iter().any(|c| c.names.iter().any(|n| &**n == "ProcessPoolExecutor") || strings(c).any(|s| s.contains("ProcessPoolExecutor")));
        let mut library: Vec<Arc<Code>> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        while let Some(name) = wanted.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(src) = interleave_engine::modules::python_source(&name) else { continue };
            let Ok(code) = interleave_engine::modules::compiled(src, &format!("<{name}>")) else { continue };
            let mut codes = Vec::new();
            all_code(&code, &mut codes);
            let mut theirs = Vec::new();
            codes.iter().for_each(|c| imports(c, &mut theirs));
            wanted.extend(theirs.into_iter().filter(|m| process_pools || !(name == "concurrent.futures" && m == "multiprocessing")));
            library.extend(codes);
        }

        let everything = || user.iter().chain(library.iter());
        let mut off = false;
        let mut attr_stores: HashSet<Arc<str>, FxBuild> = HashSet::default();
        let (mut init_only, mut elsewhere, mut reinit): (HashSet<Arc<str>, FxBuild>, HashSet<Arc<str>>, bool) = (HashSet::default(), HashSet::new(), false);
        let mut list_ops_in_module = false;
        let mut list_ops_elsewhere = false;
        let mut iterator_handles = false;
        // The module code's jump targets, for its future list changes below.
        let mut module_targets = Vec::new();
        for (k, code) in everything().enumerate() {
            // (`'__main__'` as a string is the `if __name__ == '__main__':`
            // idiom; it reaches the module only through `sys.modules` or
            // `__import__`, which are escapes of their own.)
            off |= code.names.iter().map(|n| &**n).chain(strings(code).filter(|s| *s != "__main__")).any(|n| ESCAPES.contains(&n));
            iterator_handles |= takes_iterators(code);
            let targets = jump_targets(code);
            let changes = names_used(code).any(|n| LIST_CHANGES.contains(&n)) || (0..code.ops.len()).any(|ip| changes_lists(code, ip, &targets));
            if k == 0 {
                list_ops_in_module |= changes;
                module_targets = targets;
            } else {
                list_ops_elsewhere |= changes;
            }
            off |= code.ops.contains(&Op::ImportStar);
            let (safe, other) = init_stores(code);
            attr_stores.extend(safe.iter().chain(&other).cloned());
            init_only.extend(safe);
            elsewhere.extend(other);
            // An `__init__` run again on an object others already see
            // (`obj.__init__()`, `Base.__init__(self)`,
            // `super().__init__()`, a function named `__init__` called by
            // name, the name as a string) or a `__new__` of the program's
            // own voids the constructors-only rule.
            reinit |= names_used(code).any(|n| n == "__new__")
                || strings(code).any(|n| n == "__init__")
                || code.ops.iter().any(|&op| {
                    matches!(op, Op::LoadAttr(i) | Op::LoadMethod(i) | Op::LoadGlobal(i) | Op::LoadName(i)
                        if code.names.get(i as usize).is_some_and(|n| &**n == "__init__"))
                });
        }
        // `t.setName(...)` changes a Thread's `name` without a `StoreAttr`.
        if everything().any(|c| names_used(c).any(|n| n == "setName")) {
            attr_stores.insert(Arc::from("name"));
            elsewhere.insert(Arc::from("name"));
        }
        off |= CLASS_CHANGES.iter().any(|n| attr_stores.contains(*n));
        // Attributes that only constructors set.
        init_only.retain(|n| !reinit && !elsewhere.contains(n));

        let mut dynamic: HashSet<Arc<str>, FxBuild> = HashSet::default();
        let mut shared: HashSet<Arc<str>, FxBuild> = HashSet::default();
        for code in user.iter().skip(1) {
            for &op in &code.ops {
                if let Some(n) = stored_name(code, op) {
                    dynamic.insert(n.clone());
                }
                if let Some(n) = named_global(code, op) {
                    shared.insert(n.clone());
                }
            }
        }
        let mut library_stores: HashSet<Arc<str>, FxBuild> = HashSet::default();
        for code in &library {
            for &op in &code.ops {
                if let Some(n) = stored_name(code, op) {
                    library_stores.insert(n.clone());
                }
            }
        }

        // The module code's future stores: a backward pass to a fixed
        // point over its control flow (every op may fall through, jumps and
        // handlers go to their targets: an over-approximation).
        let mut module_stores: HashMap<Arc<str>, usize, FxBuild> = HashMap::default();
        module_stores.insert(Arc::from(LISTS), 0);
        for &op in &module.ops {
            if let Some(n) = stored_name(&module, op) {
                let k = module_stores.len();
                module_stores.entry(n.clone()).or_insert(k);
            }
        }
        let words = module_stores.len().div_ceil(64).max(1);
        let n = module.ops.len();
        let mut future = vec![vec![0u64; words]; n + 1];
        let mut changed = true;
        while changed {
            changed = false;
            for ip in (0..n).rev() {
                let op = module.ops[ip];
                let mut row = future[ip + 1].clone();
                if let Some(t) = target(op) {
                    if let Some(r) = future.get(t) {
                        row.iter_mut().zip(r).for_each(|(a, b)| *a |= b);
                    }
                }
                if let Some(k) = stored_name(&module, op).and_then(|s| module_stores.get(s)) {
                    row[k / 64] |= 1 << (k % 64);
                }
                if changes_lists(&module, ip, &module_targets) {
                    row[0] |= 1;
                }
                if row != future[ip] {
                    future[ip] = row;
                    changed = true;
                }
            }
        }

        let main_globals = start.process().threads.first().and_then(|t| t.frames.first()).map(|f| f.globals);
        Facts {
            stateful,
            off,
            main_globals,
            module,
            module_stores,
            module_future: future,
            dynamic,
            shared,
            library_stores,
            attr_stores,
            init_only,
            lists_frozen: !list_ops_in_module && !list_ops_elsewhere,
            lists_changed_by_module_only: !list_ops_elsewhere,
            iterators_private: !iterator_handles,
            generators: everything().any(|c| c.flags.generator || c.flags.is_async),
        }
    }

    /// Whether the state-dependent freezes apply (the state graph).
    pub fn stateful(&self) -> bool {
        self.stateful
    }

    /// Whether a step of thread `tid` in `m` can change which reads the
    /// state-dependent freezes let run without a scheduling point: a step
    /// of the thread that runs the module's top-level code while that code
    /// may still store a global or change a list (see
    /// `module_done_with`). After such a step, another thread's step can
    /// run through reads it stopped at before, so the two steps do not
    /// reach one state in either order (`stategraph::commute`). Once the
    /// module code is past its last such store, nothing it does changes a
    /// freeze again.
    pub fn moves_freezes(&self, m: &Machine, tid: Tid) -> bool {
        if self.off || !self.stateful || m.procs.len() != 1 {
            return false;
        }
        match self.module_frame(&State::of(m)) {
            Some((t, ip)) if t == tid => self.module_future.get(ip).is_none_or(|row| row.iter().any(|w| *w != 0)),
            _ => false,
        }
    }

    /// Whether a step of one thread may change how far another thread's
    /// steps run: a generator that no thread has to itself (two threads
    /// hold it, or an object does) may become one thread's when another
    /// drops it or takes it out of a list, and from then on that thread
    /// runs on through the generator's steps ([`private_to`]). Then two
    /// steps that commute as ops do not reach one state in either order
    /// (`stategraph::looks`). A generator that is one thread's stays so
    /// whatever the others do, and one that nothing holds stays so.
    pub fn privacy_may_change(&self, m: &Machine) -> bool {
        if self.off || !self.generators || m.procs.len() != 1 {
            return false;
        }
        let p = m.process();
        // The base's generators (a write may not have reached them yet),
        // and those made or written since.
        let mut gens: Vec<ObjId> = p.heap.base_generators().iter().copied().filter(|&g| matches!(p.heap.get(g), Obj::Generator(_))).collect();
        p.heap.for_each_since_base(|id, o| {
            if matches!(o, Obj::Generator(_)) && (id as usize) >= p.heap.base_len() {
                gens.push(id);
            }
        });
        let s = State::of(m);
        // One that nothing holds (garbage not yet collected) can never be
        // reached again.
        gens.into_iter().any(|g| {
            let h = holders(&s, g, None);
            match h.threads[..] {
                _ if h.other => true,
                [] => false,
                [t] => !p.threads.iter().any(|x| x.tid == t),
                _ => true,
            }
        })
    }

    /// The thread running the module's top-level code, and the
    /// instruction its frame is at (it resumes there after a call).
    fn module_frame(&self, s: &State) -> Option<(Tid, usize)> {
        s.p.threads.iter().find_map(|t| match s.frames(t).first() {
            Some(f) if Arc::ptr_eq(&f.code, &self.module) => Some((t.tid, f.ip)),
            _ => None,
        })
    }

    /// Whether the module code may still store `name` from its `ip` on.
    fn module_may_store(&self, ip: usize, name: &str) -> bool {
        match self.module_stores.get(name) {
            Some(&k) => self.module_future.get(ip).is_none_or(|row| row[k / 64] >> (k % 64) & 1 == 1),
            None => false,
        }
    }

    /// Whether the module code can no longer store `name` (or, for
    /// [`LISTS`], change a list) behind `tid`'s back: `tid` runs it itself,
    /// or it is past its last such op, or it has ended.
    fn module_done_with(&self, s: &State, tid: Tid, name: &str) -> bool {
        match self.module_frame(s) {
            Some((t, _)) if t == tid => true,
            Some((_, ip)) => !self.module_may_store(ip, name),
            None => true,
        }
    }

    /// Whether no thread but `tid` can change a list from now on.
    fn lists_frozen_for(&self, s: &State, tid: Tid) -> bool {
        if self.lists_frozen {
            return true;
        }
        if !self.lists_changed_by_module_only {
            return false;
        }
        if !self.stateful {
            return self.started_after(s, tid, LISTS);
        }
        self.module_done_with(s, tid, LISTS)
    }

    /// Whether thread `tid` was started by the module code after its last
    /// store of `name` (or, for [`LISTS`], its last list change): then
    /// every such store happens before everything `tid` does, so no read
    /// of `tid`'s races with one (what DPOR and the sleep sets need; see
    /// the module docs).
    fn started_after(&self, s: &State, tid: Tid, name: &str) -> bool {
        let p = s.p;
        let main = p.threads.first().map(|t| t.tid);
        match p.threads.iter().find(|t| t.tid == tid).and_then(|t| t.started_at) {
            Some((starter, ip)) => Some(starter) == main && !self.module_may_store(ip, name),
            None => false,
        }
    }

    /// Whether no thread but `tid` can write global `name` of namespace
    /// `dict` from now on.
    fn global_frozen(&self, s: &State, tid: Tid, dict: ObjId, name: &str) -> bool {
        if Some(dict) != self.main_globals {
            // A library module's namespace: written by its own code (its
            // body at import, its functions) and by attribute stores. A
            // native module's names are bound when its import creates it,
            // so no read of one can race with their binding.
            return !self.library_stores.contains(name) && !self.attr_stores.contains(name);
        }
        // The program's own globals were bound, and may be bound again, by
        // the main thread as it goes: frozen from some state on, which only
        // a search that tries every thread everywhere may use.
        if self.dynamic.contains(name) {
            return false;
        }
        if !self.stateful {
            // Every search: the thread that runs the module code reading a
            // name that only the module code stores. It is the only writer,
            // so its reads race with nothing. Nor do the reads of a thread
            // it started after its last store of the name: that store
            // happens before the start, and so before every read.
            return matches!(self.module_frame(s), Some((t, _)) if t == tid) || self.started_after(s, tid, name);
        }
        self.module_done_with(s, tid, name)
    }

    /// Whether thread `tid`'s next op `op` (in its top frame `fr`, with
    /// footprint `fp`) reads only what no other thread can change from now
    /// on, or writes only what no other thread can see: then it needs no
    /// scheduling point (see the module docs).
    pub fn unobservable(&self, m: &Machine, tid: Tid, fr: &Frame, op: Op, fp: &Footprint) -> bool {
        if self.off || m.procs.len() != 1 {
            return false;
        }
        self.unobservable_in(&State::of(m), tid, fr, op, || fp)
    }

    /// [`Facts::unobservable`] in a state of a single process. The
    /// footprint `fp` of the op is only asked for when the answer depends
    /// on it (the engine asks this at every op boundary of a step, most of
    /// them ops that no freeze covers: see `visible::InvisibleOps`).
    pub fn unobservable_in<F: std::borrow::Borrow<Footprint>>(&self, s: &State, tid: Tid, fr: &Frame, op: Op, fp: impl FnOnce() -> F) -> bool {
        if self.off {
            return false;
        }
        let p = s.p;
        // Alone in the process (before the first `start()`, after the
        // last thread ended): nothing to interleave with until it starts
        // a thread, and that op is the one after which this is asked again.
        if self.stateful && p.threads.iter().all(|x| x.tid == tid || x.is_finished()) {
            return true;
        }
        // The ops of the arms below; any other is visible whatever its
        // footprint. (An op missing here is only ever taken as visible,
        // which is safe.)
        let may = match op {
            Op::LoadGlobal(_) | Op::LoadName(_) | Op::LoadAttr(_) | Op::LoadMethod(_) | Op::WithEnter | Op::Subscr | Op::ForIter(_) | Op::GetIter | Op::Call(_) => true,
            // Calls of functions written in Python, and a generator's
            // steps (see `visible::footprint`).
            Op::CallMethod(_) | Op::Yield | Op::Return => true,
            // Only allocating when their operands are plain (see
            // `visible::footprint`).
            Op::BuildList(_) | Op::BuildTuple(_) | Op::BuildSlice(_) | Op::MakeFunction(..) | Op::BuildString(_) | Op::FormatValue(..) | Op::Compare(_) | Op::UnpackSequence(_) => true,
            // Filling a container built on the stack (`visible::building`)
            // and calls with keywords or `*args`.
            Op::ListAppend(_) | Op::SetAdd(_) | Op::MapAdd(_) | Op::BuildSet(_) | Op::BuildMap(_) | Op::ListToTuple | Op::ListExtend | Op::CallKw(..) | Op::CallEx | Op::LoadClosure(_) => true,
            // The truth of a tuple or of an instance without `__bool__`.
            Op::PopJumpIfFalse(_) | Op::PopJumpIfTrue(_) | Op::JumpIfFalseOrPop(_) | Op::JumpIfTrueOrPop(_) | Op::Unary(_) => true,
            Op::StoreGlobal(_) | Op::StoreName(_) => fr.ns.is_none() && Arc::ptr_eq(&fr.code, &self.module),
            _ => false,
        };
        if !may {
            return false;
        }
        let fp = fp();
        match (op, fp.borrow()) {
            (Op::LoadGlobal(_) | Op::LoadName(_), Footprint::Read(Location::Global(d, name))) => self.global_frozen(s, tid, *d, name),
            // `module.name`: the same namespace entry.
            (Op::LoadAttr(_) | Op::LoadMethod(_), Footprint::Read(Location::Global(d, name))) => self.global_frozen(s, tid, *d, name),
            // A method or attribute found on an instance or its class
            // (the footprint checked that it resolves without running
            // Python code): the same answer for ever unless some code
            // stores that attribute name, or once the object's
            // constructor has run when only constructors store it (any
            // thread but the constructing one sees the object only after
            // that, and its own reads come in program order).
            (Op::LoadAttr(i) | Op::LoadMethod(i), Footprint::Read(Location::Object(id))) => {
                matches!(p.heap.get(*id), Obj::Instance(_))
                    && fr.code.names.get(i as usize).is_some_and(|n| !self.attr_stores.contains(n) || self.init_only.contains(n))
            }
            // `with lock:` checks that the class has `__exit__`.
            (Op::WithEnter, Footprint::Read(Location::Object(id))) => {
                matches!(p.heap.get(*id), Obj::Instance(_)) && !self.attr_stores.contains("__exit__")
            }
            // An item of a tuple (the footprint checked the index), or of
            // a list when no code changes lists.
            (Op::Subscr, Footprint::Read(Location::Object(id))) => match p.heap.get(*id) {
                Obj::Tuple(_) => true,
                Obj::List(_) => self.lists_frozen_for(s, tid),
                _ => false,
            },
            // The next item of a `for` loop's own iterator (see
            // `visible::footprint`): over a range, a tuple or a string
            // (the footprint names the iterator), or over a list that
            // nobody can change any more (the footprint names the list).
            // Only those iterators: an `enumerate` (which names its inner
            // iterator) or a set's snapshot may also be made by a call
            // (`enumerate()`, `itertools`), and be any code's, or several
            // threads'.
            (Op::ForIter(_), Footprint::Write(Location::Object(id))) => {
                matches!(fr.stack.last(), Some(Value::Obj(e)) if matches!(p.heap.get(*e), Obj::Iter(i) if matches!(**i, IterObj::Range { .. } | IterObj::Str { .. } | IterObj::Seq { .. })))
                    && self.iterators_private
                    && match p.heap.get(*id) {
                        Obj::Iter(_) => true,
                        Obj::List(_) => self.lists_frozen_for(s, tid),
                        _ => false,
                    }
                    || matches!(p.heap.get(*id), Obj::Generator(_)) && private_to(s, tid, *id)
            }
            // A generator's `yield` or `return`, when only this thread can
            // reach the generator.
            (Op::Yield | Op::Return, Footprint::Write(Location::Object(id))) => {
                matches!(p.heap.get(*id), Obj::Generator(_)) && private_to(s, tid, *id)
            }
            // Calling a function written in Python reads the function's
            // code, defaults and closure: the same for ever unless some
            // code stores one of them.
            (Op::Call(_) | Op::CallMethod(_) | Op::CallKw(..) | Op::CallEx, Footprint::Read(Location::Object(id))) => {
                !FUNCTION_PARTS.iter().any(|n| self.attr_stores.contains(*n))
                    && match p.heap.get(*id) {
                        Obj::Function(_) => true,
                        // Making an instance reads the class's `__init__`.
                        Obj::Class(_) => !self.attr_stores.contains("__init__"),
                        _ => false,
                    }
            }
            // `for x in seq:` starting: an iterator is allocated, nothing
            // of the sequence is read yet.
            (Op::GetIter, _) if matches!(fr.stack.last(), Some(Value::Obj(s)) if matches!(p.heap.get(*s), Obj::List(_) | Obj::Tuple(_))) => true,
            // Only allocating (`range(n)`, `iter(range)`): allocations
            // commute with everything (see `Location::Allocator`).
            (_, Footprint::Write(Location::Allocator)) => true,
            // The module code binding a name no other code mentions (the
            // loop variable of `for t in threads:`, `p0 = Thread(...)`).
            (Op::StoreGlobal(i) | Op::StoreName(i), _) if fr.ns.is_none() && Arc::ptr_eq(&fr.code, &self.module) => {
                Some(fr.globals) == self.main_globals && fr.code.names.get(i as usize).is_some_and(|n| !self.shared.contains(n))
            }
            _ => false,
        }
    }
}
