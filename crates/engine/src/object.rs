//! Heap objects: everything a [`Value::Obj`] can point at.
//!
//! Each variant is one Python type family. User classes and instances are
//! general (`Class`, `Instance` with an attribute dict); library classes
//! such as `threading.Lock` or `Exception` are ordinary classes whose
//! instances carry a native [`Payload`] next to their attribute dict, so a
//! user can subclass them (`class Worker(threading.Thread)`,
//! `class MyError(Exception)`) and everything still works through the
//! normal attribute lookup.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::code::Code;
use crate::dict::PyDict;
use crate::syntax::ast::Span;
use crate::value::{Kwargs, ObjId, Value};
use crate::vm::Frame;

pub type NativeFnPtr = fn(&mut crate::vm::Vm, &[Value], &Kwargs) -> crate::vm::R<Value>;

#[derive(Clone)]
pub struct NativeFn {
    pub name: &'static str,
    pub f: NativeFnPtr,
    /// Module or class qualifier, for reprs (`<built-in function len>`).
    pub qual: &'static str,
}

impl std::fmt::Debug for NativeFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<native {}>", self.name)
    }
}

#[derive(Clone, Debug)]
pub struct Function {
    pub code: Arc<Code>,
    pub name: Arc<str>,
    pub qualname: Arc<str>,
    pub defaults: Vec<Value>,
    pub kwdefaults: Vec<(Arc<str>, Value)>,
    pub closure: Vec<ObjId>,
    pub globals: ObjId,
    /// The class whose body defined this function, for zero-argument
    /// `super()`.
    pub owner: Option<ObjId>,
    /// Other attributes (`func.calls = 0`, `__wrapped__`, ...).
    pub attrs: PyDict,
}

/// Which native behaviour instances of a class (and of its subclasses)
/// carry; decided by the nearest library base class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NativeBase {
    Object,
    Exception,
    Thread,
    Lock,
    RLock,
    Semaphore,
    BoundedSemaphore,
    Event,
    Condition,
    Barrier,
    Queue,
    LifoQueue,
    PriorityQueue,
    SimpleQueue,
    Timer,
    Local,
}

#[derive(Clone, Debug)]
pub struct Class {
    pub name: Arc<str>,
    pub qualname: Arc<str>,
    pub module: Arc<str>,
    pub bases: Vec<ObjId>,
    /// Method resolution order, starting with the class itself.
    pub mro: Vec<ObjId>,
    pub dict: PyDict,
    pub native: NativeBase,
    /// For builtin value types (`int`, `list`, ...): which one.
    pub builtin: Option<crate::types::Builtin>,
    /// Whether this class or a base defines a property (a data descriptor,
    /// which must be looked up before the instance dict). Most classes do
    /// not, and then attribute reads go straight to the instance dict.
    pub has_descriptors: bool,
    /// Whether the program has written this class's attributes after it
    /// was made (the state fingerprint skips builtin classes never
    /// written: they are the same in every state).
    pub written: bool,
}

#[derive(Clone, Debug)]
pub struct Instance {
    pub class: ObjId,
    pub dict: PyDict,
    pub payload: Payload,
}

/// One frame of a traceback, innermost last when printed.
#[derive(Clone, Debug)]
pub struct TbEntry {
    pub filename: Arc<str>,
    pub line: u32,
    pub name: Arc<str>,
    pub span: Span,
    pub anchor: Option<crate::code::Anchor>,
}

#[derive(Clone, Debug, Default)]
pub struct ExcData {
    pub args: Vec<Value>,
    /// Outermost frame first (the order CPython prints).
    pub traceback: Vec<TbEntry>,
    pub cause: Option<Value>,
    pub context: Option<Value>,
    pub suppress_context: bool,
    /// "Did you mean" for a name the interpreter did not find
    /// (`crate::suggest`), printed with the traceback.
    pub suggestion: Option<Arc<str>>,
    /// For an AttributeError of a failed lookup: the object and the name,
    /// whose "Did you mean" is worked out only if the traceback is printed
    /// (as CPython's `obj` and `name`; `hasattr` fails lookups often).
    pub attr: Option<(Value, Arc<str>)>,
}

/// The native state of library-class instances.
#[derive(Clone, Debug)]
pub enum Payload {
    None,
    Exc(Box<ExcData>),
    /// A `threading.Thread`; the kernel's thread, once started, is `tid`.
    Thread(Box<ThreadObj>),
    /// A lock, semaphore, event, condition, barrier or queue: its state
    /// lives in the process's sync table.
    Sync(u32),
}

#[derive(Clone, Debug)]
pub struct ThreadObj {
    pub name: Arc<str>,
    pub target: Value,
    pub args: Vec<Value>,
    pub kwargs: Kwargs,
    pub daemon: bool,
    pub tid: Option<u32>,
    pub started: bool,
    /// For `threading.Timer`: the delay before running and whether it was
    /// cancelled.
    pub timer: Option<(f64, bool)>,
}

#[derive(Clone, Debug)]
pub struct Generator {
    pub frame: Option<Box<Frame>>,
    pub name: Arc<str>,
    pub qualname: Arc<str>,
    pub running: bool,
    pub started: bool,
    /// A coroutine (the call of an `async def`), which `await` drives and
    /// `for` and `next()` refuse, rather than a generator.
    pub coroutine: bool,
    /// An asynchronous generator (an `async def` with `yield`), which
    /// `async for` drives through `__anext__` (see `crate::coroutine`).
    pub async_gen: bool,
    /// The exceptions its suspended frame is handling (it yielded inside
    /// an `except` block): taken off the thread's stack of handled
    /// exceptions at the `yield` and put back when it resumes, so that
    /// what it handles is not the context of another coroutine's
    /// exceptions meanwhile (CPython's `gi_exc_state`).
    pub excs: Vec<Value>,
}

impl Generator {
    /// A plain generator: one that `for`, `next()` and `yield from` take.
    pub fn plain(&self) -> bool {
        !self.coroutine && !self.async_gen
    }
}

/// Native iterators.
#[derive(Clone, Debug)]
pub enum IterObj {
    Seq { seq: Value, idx: usize },
    Str { s: Arc<str>, byte: usize },
    Range { cur: i64, stop: i64, step: i64 },
    /// Over a dict (`used`: its size when the iterator was made; `left`:
    /// the entries it has still to give; see `iter::dict_step`).
    DictKeys { dict: ObjId, pos: usize, used: usize, left: usize },
    DictValues { dict: ObjId, pos: usize, used: usize, left: usize },
    DictItems { dict: ObjId, pos: usize, used: usize, left: usize },
    Reversed { seq: Value, idx: usize },
    Enumerate { it: Value, n: i64 },
    Zip(Vec<Value>),
    Map { f: Value, its: Vec<Value> },
    Filter { f: Value, it: Value },
    Values { items: Vec<Value>, idx: usize },
    /// Over a set: a snapshot of its items in the set's order, and its
    /// size when the iterator was made (`used`), which a step checks as
    /// CPython's does.
    SetItems { set: ObjId, items: Vec<Value>, idx: usize, used: usize },
    Count { cur: Value, step: Value },
    Cycle { saved: Vec<Value>, it: Option<Value>, idx: usize },
    Repeat { v: Value, left: Option<i64> },
    Chain { its: Vec<Value>, idx: usize },
    ISlice { it: Value, next: i64, stop: Option<i64>, step: i64, pos: i64 },
    CallableSentinel { f: Value, sentinel: Value },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DictKind {
    Dict,
    Default,
    Ordered,
    Counter,
}

#[derive(Clone, Debug)]
pub struct DictObj {
    pub d: PyDict,
    pub kind: DictKind,
    pub default_factory: Value,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewKind {
    Keys,
    Values,
    Items,
}

#[derive(Clone, Debug)]
pub struct Module {
    pub name: Arc<str>,
    pub dict: ObjId,
}

#[derive(Clone, Debug)]
pub enum Obj {
    Free,
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Arc<DictObj>),
    Set(PyDict, bool),
    DictView(ObjId, ViewKind),
    Function(Arc<Function>),
    Class(Arc<Class>),
    Instance(Box<Instance>),
    /// A function bound to `self`.
    BoundMethod(Value, Value),
    /// A method of a builtin value type, bound to its receiver
    /// (`[].append`): dispatched by name in `types`.
    BuiltinMethod(Value, Arc<str>),
    Native(NativeFn),
    Module(Module),
    Cell(Value),
    Generator(Box<Generator>),
    Iter(Box<IterObj>),
    Range(i64, i64, i64),
    Slice(Value, Value, Value),
    Property(Value, Value),
    StaticMethod(Value),
    ClassMethod(Value),
    Super(ObjId, Value),
    Partial(Value, Vec<Value>, Kwargs),
    Deque(VecDeque<Value>, Option<usize>),
}

impl Obj {
    /// Visits every value this object refers to (for the garbage collector).
    pub fn for_each_ref(&self, f: &mut dyn FnMut(&Value)) {
        match self {
            Obj::Free | Obj::Native(_) | Obj::Range(..) => {}
            Obj::List(v) | Obj::Tuple(v) => v.iter().for_each(f),
            Obj::Dict(d) => {
                for e in d.d.iter() {
                    f(&e.key);
                    f(&e.value);
                }
                f(&d.default_factory);
            }
            Obj::Set(d, _) => d.iter().for_each(|e| f(&e.key)),
            Obj::DictView(id, _) => f(&Value::Obj(*id)),
            Obj::Function(func) => {
                func.defaults.iter().for_each(&mut *f);
                func.kwdefaults.iter().for_each(|(_, v)| f(v));
                func.closure.iter().for_each(|c| f(&Value::Obj(*c)));
                f(&Value::Obj(func.globals));
                if let Some(o) = func.owner {
                    f(&Value::Obj(o));
                }
                func.attrs.iter().for_each(|e| f(&e.value));
                for c in &func.code.consts {
                    if let crate::code::Constant::Value(v) = c {
                        f(v);
                    }
                }
            }
            Obj::Class(c) => {
                c.bases.iter().for_each(|b| f(&Value::Obj(*b)));
                c.mro.iter().for_each(|b| f(&Value::Obj(*b)));
                c.dict.iter().for_each(|e| f(&e.value));
            }
            Obj::Instance(i) => {
                f(&Value::Obj(i.class));
                i.dict.iter().for_each(|e| f(&e.value));
                match &i.payload {
                    Payload::Exc(e) => {
                        e.args.iter().for_each(&mut *f);
                        if let Some(c) = &e.cause {
                            f(c);
                        }
                        if let Some(c) = &e.context {
                            f(c);
                        }
                        if let Some((o, _)) = &e.attr {
                            f(o);
                        }
                    }
                    Payload::Thread(t) => {
                        f(&t.target);
                        t.args.iter().for_each(&mut *f);
                        t.kwargs.iter().for_each(|(_, v)| f(v));
                    }
                    Payload::None | Payload::Sync(_) => {}
                }
            }
            Obj::BoundMethod(a, b) => {
                f(a);
                f(b);
            }
            Obj::BuiltinMethod(a, _) => f(a),
            Obj::Module(m) => f(&Value::Obj(m.dict)),
            Obj::Cell(v) => f(v),
            Obj::Generator(g) => {
                if let Some(fr) = &g.frame {
                    fr.for_each_ref(f);
                }
                g.excs.iter().for_each(&mut *f);
            }
            Obj::Iter(it) => match &**it {
                IterObj::Seq { seq, .. } | IterObj::Reversed { seq, .. } => f(seq),
                IterObj::Str { .. } | IterObj::Range { .. } => {}
                IterObj::DictKeys { dict, .. } | IterObj::DictValues { dict, .. } | IterObj::DictItems { dict, .. } => {
                    f(&Value::Obj(*dict))
                }
                IterObj::Enumerate { it, .. } => f(it),
                IterObj::Zip(v) => v.iter().for_each(f),
                IterObj::Map { f: g, its } => {
                    f(g);
                    its.iter().for_each(f);
                }
                IterObj::Filter { f: g, it } => {
                    f(g);
                    f(it);
                }
                IterObj::Values { items, .. } => items.iter().for_each(f),
                IterObj::SetItems { set, items, .. } => {
                    f(&Value::Obj(*set));
                    items.iter().for_each(f);
                }
                IterObj::Count { cur, step } => {
                    f(cur);
                    f(step);
                }
                IterObj::Cycle { saved, it, .. } => {
                    saved.iter().for_each(&mut *f);
                    if let Some(i) = it {
                        f(i);
                    }
                }
                IterObj::Repeat { v, .. } => f(v),
                IterObj::Chain { its, .. } => its.iter().for_each(f),
                IterObj::ISlice { it, .. } => f(it),
                IterObj::CallableSentinel { f: g, sentinel } => {
                    f(g);
                    f(sentinel);
                }
            },
            Obj::Slice(a, b, c) => {
                f(a);
                f(b);
                f(c);
            }
            Obj::Property(a, b) => {
                f(a);
                f(b);
            }
            Obj::StaticMethod(v) | Obj::ClassMethod(v) => f(v),
            Obj::Super(c, v) => {
                f(&Value::Obj(*c));
                f(v);
            }
            Obj::Partial(g, args, kw) => {
                f(g);
                args.iter().for_each(&mut *f);
                kw.iter().for_each(|(_, v)| f(v));
            }
            Obj::Deque(d, _) => d.iter().for_each(f),
        }
    }

    /// A rough size in bytes, for the memory budget.
    pub fn approx_size(&self) -> usize {
        64 + match self {
            Obj::List(v) | Obj::Tuple(v) => v.len() * 16,
            Obj::Dict(d) => d.d.len() * 48,
            Obj::Set(d, _) => d.len() * 40,
            Obj::Deque(d, _) => d.len() * 16,
            _ => 0,
        }
    }
}
