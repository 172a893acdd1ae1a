//! The bytecode interpreter.
//!
//! A [`Vm`] is a short-lived view of the machine for running one thread:
//! the kernel, the thread's process, the host and the recorder. The
//! thread's frames are taken out of the thread record while it runs (so the
//! borrow checker lets the interpreter mutate the heap and the frames at the
//! same time) and put back when its quantum ends.
//!
//! Python calls never recurse in Rust: a call pushes a [`Frame`] and the
//! loop continues in it; a return pops it and hands the value to the caller
//! according to the frame's [`OnReturn`]. Natives (Rust functions) return
//! either a value or a [`Flow`]: raise an exception, block the thread (the
//! call is retried when the thread is woken), or tail-call a Python
//! callable (how `Thread.run` calls its target, how `__init__` and property
//! getters run as ordinary frames that can themselves block).
//!
//! A few places must call Python from Rust and get the answer back at once
//! (`__eq__`, `__str__`, sort keys, iterating a generator inside `list()`):
//! they use [`Vm::call_sync`], a nested run of the loop on a separate frame
//! stack. Such nested runs are atomic with respect to the scheduler and may
//! not block; their depth is bounded so deep recursion raises
//! `RecursionError` instead of overflowing the Rust stack.
//!
//! Speed: the op dispatch is inlined into the loop, which compares the
//! step counter with the next step at which a check (end of quantum, step
//! budget, stop flag, garbage collection) is due instead of making every
//! check at every step. Name lookups in dicts (globals, a class's methods)
//! try the entry where the same name was found last time first (the hints
//! of [`crate::code::NameHints`]). Calls of simple functions build their
//! frame straight from the caller's stack, in vectors reused from
//! returned frames. None of this changes what a step is or where a thread
//! can be preempted.

use std::sync::Arc;

use crate::code::{Code, Constant, Op};
use crate::syntax::ast::{BinOp, CmpOp};
use crate::dict::PyDict;
use crate::host::Host;
use crate::kernel::{Kernel, Process, ThreadState, Wait};
use crate::machine::Recorder;
use crate::object::*;
use crate::types::Builtin;
use crate::value::{Kwargs, ObjId, Value};

/// The Python recursion limit.
pub const RECURSION_LIMIT: usize = 1000;

/// Most value vectors a [`Vm`] keeps for reuse.
const SPARE_VECS: usize = 64;

/// `v.truncate(len)` for value stacks, which drops the few values popped
/// one at a time: most own nothing, and this way the check is inlined
/// instead of a call per value.
#[inline(always)]
fn truncate_values(v: &mut Vec<Value>, len: usize) {
    while v.len() > len {
        v.pop();
    }
}

/// An empty vector with room for `n` values, taken from `spare` if it
/// has one (see [`Vm::spare_vecs`]).
#[inline(always)]
fn spare_vec(spare: &mut Vec<Vec<Value>>, n: usize) -> Vec<Value> {
    match spare.pop() {
        Some(mut v) => {
            v.reserve(n);
            v
        }
        None => Vec::with_capacity(n),
    }
}

/// `str_hash("__exit__")`, for `with` statements.
const EXIT_HASH: u64 = crate::dict::str_hash("__exit__");
/// Where `__exit__` was last found in a context manager's class dict (a
/// lookup hint, see [`crate::code::NameHints`]).
static EXIT_HINT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
/// Bound on nested synchronous calls from Rust into Python.
pub const SYNC_DEPTH_LIMIT: u32 = 120;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Except,
    Handler,
}

#[derive(Clone, Copy, Debug, Hash)]
pub struct Block {
    pub kind: BlockKind,
    pub handler: u32,
    pub depth: u32,
}

/// What to do with a frame's result when it returns (or, for a generator
/// frame, yields).
#[derive(Clone, Debug)]
pub enum OnReturn {
    Push,
    Discard,
    /// `__init__` finished: push the new instance.
    Init(Value),
    /// A class body finished: build the class from its namespace.
    /// (Boxed: it is rare, and the box keeps every frame small.)
    ClassBody(Box<ClassBody>),
    /// Generator driven by a `for` loop: on return, pop the iterator and
    /// jump.
    ForIter(u32),
    /// Generator driven by `yield from`.
    YieldFrom(u32),
    /// `next(gen, default)`.
    NextDefault(Value),
    /// Back to a nested Rust caller.
    Sync,
    /// The thread's base frame.
    ThreadExit,
    /// Push `not result` (`__ne__` through `__eq__`).
    Not,
    /// A module body finished: push the module.
    Module(Value),
}

/// The class being built by a class body's frame.
#[derive(Clone, Debug)]
pub struct ClassBody {
    pub name: Value,
    pub bases: Vec<Value>,
    pub ns: ObjId,
}

#[derive(Clone, Debug)]
pub struct Frame {
    pub code: Arc<Code>,
    pub ip: usize,
    pub stack: Vec<Value>,
    pub locals: Vec<Value>,
    pub cells: Vec<ObjId>,
    pub blocks: Vec<Block>,
    pub globals: ObjId,
    pub ns: Option<ObjId>,
    pub func: Option<ObjId>,
    pub on_return: OnReturn,
    pub generator: Option<ObjId>,
}

impl Frame {
    pub fn for_each_ref(&self, f: &mut dyn FnMut(&Value)) {
        self.stack.iter().for_each(&mut *f);
        self.locals.iter().for_each(&mut *f);
        self.cells.iter().for_each(|c| f(&Value::Obj(*c)));
        f(&Value::Obj(self.globals));
        if let Some(n) = self.ns {
            f(&Value::Obj(n));
        }
        if let Some(n) = self.func {
            f(&Value::Obj(n));
        }
        if let Some(n) = self.generator {
            f(&Value::Obj(n));
        }
        match &self.on_return {
            OnReturn::Init(v) | OnReturn::NextDefault(v) | OnReturn::Module(v) => f(v),
            OnReturn::ClassBody(cb) => {
                let ClassBody { name, bases, ns } = &**cb;
                f(name);
                bases.iter().for_each(&mut *f);
                f(&Value::Obj(*ns));
            }
            _ => {}
        }
        for c in &self.code.consts {
            if let Constant::Value(v) = c {
                f(v);
            }
        }
    }

    pub fn line(&self) -> u32 {
        self.code.line_at(self.ip.saturating_sub(1))
    }

    pub fn span(&self) -> crate::syntax::ast::Span {
        self.code.spans.get(self.ip.saturating_sub(1)).copied().unwrap_or_default()
    }
}

/// Why the machine must stop (budget, stop request).
#[derive(Clone, Debug, PartialEq)]
pub enum Halt {
    Steps(u64),
    Memory(usize),
    Stopped,
}

/// Non-value outcomes of natives and ops.
#[derive(Debug)]
pub enum Flow {
    Raise(Value),
    Block(Wait),
    /// Call a callable in place of returning (the result goes where the
    /// native's result would have gone).
    Call { callee: Value, args: Vec<Value>, kwargs: Kwargs },
    /// Resume a generator in place of returning (`next(gen)`).
    Resume { gen: ObjId, send: Value, default: Option<Value> },
    /// An `import` of a module written in Python: run its body (a function
    /// over the module's namespace), then push `module`.
    RunModule { body: Value, module: Value },
    Halt(Halt),
}

pub type R<T> = Result<T, Flow>;

pub enum Called {
    Value(Value),
    Pushed,
}

/// How a run of the loop ended.
#[derive(Debug)]
pub enum RunExit {
    Quantum,
    Blocked,
    Yielded,
    ThreadDone,
    Uncaught(Value),
    /// A nested run's base frame returned (value, whether it yielded).
    Nested(Value, bool),
    Halt(Halt),
}

pub struct Vm<'a> {
    pub k: &'a mut Kernel,
    pub p: &'a mut Process,
    pub host: &'a mut dyn Host,
    pub rec: &'a mut Recorder,
    /// Index of the running thread in `p.threads`.
    pub tix: usize,
    pub yield_requested: bool,
    pub sync_depth: u32,
    pub max_steps: u64,
    pub max_objects: usize,
    /// The memory budget in bytes (big repetitions check it up front).
    pub max_memory: usize,
    /// Address of a local in the outermost interpreter loop: how deep the
    /// Rust stack is, for the recursion check of nested calls.
    pub stack_base: usize,
    /// Stop a quantum only at CPython's switch points (see
    /// [`crate::scheduler::Decision::safe_points`]).
    pub safe_points: bool,
    /// Outer steps run by this Vm (what the schedule records).
    pub quantum_steps: u64,
    /// Emptied value vectors of returned frames, reused for the stacks and
    /// locals of new ones, so that a call allocates nothing. They belong
    /// to the Vm, not to the machine's state: a quantum starts with none.
    pub spare_vecs: Vec<Vec<Value>>,
    /// After the first op, run on only while the next op is local (see
    /// [`crate::local`] and `Machine::step_local`).
    pub local_run: bool,
    /// `Kernel::next_tid` when the local run began.
    pub local_run_tids: crate::kernel::Tid,
    /// In a local run, the caller's ops to run on through as well (see
    /// [`crate::local::Invisible`]).
    pub invisible: Option<&'a dyn crate::local::Invisible>,
}

/// The state of the end-of-quantum check of one run of the loop.
struct StepChecks {
    max: u64,
    safe_points: bool,
    /// Whether the last op run was a switch point.
    prev_safe: bool,
}

/// Rust stack the nested calls of one run may use (tests run on 2 MiB
/// threads, wasm has 1 MiB by default).
pub const STACK_BUDGET: usize = 384 * 1024;

macro_rules! pop {
    ($fr:expr) => {
        $fr.stack.pop().unwrap_or(Value::None)
    };
}

impl<'a> Vm<'a> {
    // ------------------------------------------------------------------
    // Small helpers
    // ------------------------------------------------------------------

    pub fn class(&self, b: Builtin) -> ObjId {
        self.p.classes[b.index()]
    }

    /// Keeps a returned frame's vector for reuse (its values are dropped
    /// now).
    #[inline(always)]
    fn recycle_vec(&mut self, mut v: Vec<Value>) {
        if v.capacity() != 0 && v.capacity() <= 64 && self.spare_vecs.len() < SPARE_VECS {
            truncate_values(&mut v, 0);
            self.spare_vecs.push(v);
        }
    }

    pub fn alloc(&mut self, o: Obj) -> Value {
        self.p.heap.alloc_value(o)
    }

    pub fn tid(&self) -> u32 {
        self.p.threads[self.tix].tid
    }

    pub fn thread(&mut self) -> &mut crate::kernel::Thread {
        &mut self.p.threads[self.tix]
    }

    pub fn new_list(&mut self, v: Vec<Value>) -> Value {
        self.alloc(Obj::List(v))
    }

    pub fn new_tuple(&mut self, v: Vec<Value>) -> Value {
        self.alloc(Obj::Tuple(v))
    }

    pub fn new_dict(&mut self, d: PyDict) -> Value {
        self.alloc(Obj::Dict(Arc::new(DictObj { d, kind: DictKind::Dict, default_factory: Value::None })))
    }

    /// Creates an exception instance of a builtin class with one message
    /// argument.
    pub fn new_exc(&mut self, b: Builtin, msg: impl Into<String>) -> Value {
        let cls = self.class(b);
        let msg: String = msg.into();
        let args = if msg.is_empty() { vec![] } else { vec![Value::from_string(msg)] };
        self.exc_with_args(cls, args)
    }

    pub fn exc_with_args(&mut self, cls: ObjId, args: Vec<Value>) -> Value {
        self.alloc(Obj::Instance(Box::new(Instance {
            class: cls,
            dict: PyDict::new(),
            payload: Payload::Exc(Box::new(ExcData { args, ..Default::default() })),
        })))
    }

    pub fn err(&mut self, b: Builtin, msg: impl Into<String>) -> Flow {
        Flow::Raise(self.new_exc(b, msg))
    }

    /// NameError for `name`, with CPython's "Did you mean" among the
    /// code's local names, then `globals`, then the builtins.
    pub fn name_error(&mut self, name: &str, varnames: &[Arc<str>], globals: ObjId) -> Flow {
        let keys = |vm: &Vm, d: ObjId| -> Vec<Arc<str>> {
            match vm.p.heap.get(d) {
                Obj::Dict(d) => d.d.keys().into_iter().filter_map(|k| if let Value::Str(s) = k { Some(s) } else { None }).collect(),
                _ => Vec::new(),
            }
        };
        let suggestion = crate::suggest::closest(varnames.iter().map(|s| &**s), name)
            .or_else(|| crate::suggest::closest(keys(self, globals).iter().map(|s| &**s), name))
            .or_else(|| crate::suggest::closest(keys(self, self.p.builtins).iter().map(|s| &**s), name));
        let e = self.new_exc(Builtin::NameError, format!("name '{name}' is not defined"));
        if let Value::Obj(id) = &e {
            if let Obj::Instance(inst) = self.p.heap.get_mut(*id) {
                if let Payload::Exc(d) = &mut inst.payload {
                    d.suggestion = suggestion;
                }
            }
        }
        Flow::Raise(e)
    }

    pub fn type_error(&mut self, msg: impl Into<String>) -> Flow {
        self.err(Builtin::TypeError, msg)
    }

    pub fn value_error(&mut self, msg: impl Into<String>) -> Flow {
        self.err(Builtin::ValueError, msg)
    }

    pub fn write_stdout(&mut self, s: &str) {
        self.rec.stdout.push_str(s);
        self.host.stdout(s);
        let tid = self.tid();
        self.rec.trace.print(self.k.clock, tid, s);
    }

    pub fn write_stderr(&mut self, s: &str) {
        self.rec.stderr.push_str(s);
        self.host.stderr(s);
    }

    // ------------------------------------------------------------------
    // Calling
    // ------------------------------------------------------------------

    /// Imports module `name` and pushes it (or, for `import a.b`, the top
    /// package) on the current frame's stack: at once when it is already
    /// loaded or native, else when the module's body, which this pushes
    /// as a new frame, returns.
    fn import_onto(&mut self, frames: &mut Vec<Frame>, name: &str, leaf: bool) -> R<()> {
        match crate::modules::import(self, name, leaf) {
            Ok(m) => {
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(m);
                }
                Ok(())
            }
            Err(Flow::RunModule { body, module }) => {
                self.call_value(frames, body, vec![], vec![], OnReturn::Module(module))?;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Calls `callee`. A Python function gets a new frame pushed on
    /// `frames` (its result arrives later, per `on_return`); a native is
    /// run at once and its (transformed) result returned.
    pub fn call_value(
        &mut self,
        frames: &mut Vec<Frame>,
        callee: Value,
        mut args: Vec<Value>,
        kwargs: Kwargs,
        on_return: OnReturn,
    ) -> R<Called> {
        let mut callee = callee;
        let mut kwargs = kwargs;
        // A chain of tail calls (bound method -> function, native -> target)
        // is followed iteratively.
        for _ in 0..64 {
            let id = match &callee {
                Value::Obj(id) => *id,
                other => {
                    let t = crate::ops::type_name(self, other);
                    return Err(self.type_error(format!("'{t}' object is not callable")));
                }
            };
            match self.p.heap.get(id) {
                Obj::Function(f) => {
                    if frames.len() + self.sync_depth as usize * 4 >= RECURSION_LIMIT {
                        return Err(self.err(Builtin::RecursionError, "maximum recursion depth exceeded"));
                    }
                    let async_gen = f.code.flags.is_async && f.code.flags.generator;
                    let coroutine = f.code.flags.is_async && !async_gen;
                    let is_gen = f.code.flags.generator || coroutine;
                    if kwargs.is_empty() && !is_gen && self.push_simple_frame(frames, id, ArgSource::Vec(&mut args), on_return.clone()) {
                        return Ok(Called::Pushed);
                    }
                    let frame = self.make_frame(id, args, kwargs, on_return.clone())?;
                    if is_gen {
                        let (name, qualname) = (frame.code.name.clone(), frame.code.qualname.clone());
                        let g = self.alloc(Obj::Generator(Box::new(Generator {
                            frame: Some(Box::new(frame)),
                            name,
                            qualname,
                            running: false,
                            started: false,
                            coroutine,
                            async_gen,
                            excs: Vec::new(),
                        })));
                        if let Value::Obj(gid) = g {
                            if let Obj::Generator(gen) = self.p.heap.get_mut(gid) {
                                if let Some(fr) = gen.frame.as_mut() {
                                    fr.generator = Some(gid);
                                }
                            }
                        }
                        return self.native_return(on_return, g);
                    }
                    frames.push(frame);
                    return Ok(Called::Pushed);
                }
                Obj::BoundMethod(f, s) => {
                    let (f, s) = (f.clone(), s.clone());
                    args.insert(0, s);
                    callee = f;
                }
                Obj::Native(nf) => {
                    let f = nf.f;
                    match f(self, &args, &kwargs) {
                        Ok(v) => return self.native_return(on_return, v),
                        Err(Flow::Call { callee: c, args: a, kwargs: k }) => {
                            callee = c;
                            args = a;
                            kwargs = k;
                        }
                        Err(Flow::Resume { gen, send, default }) => {
                            let on = match (&on_return, default) {
                                (OnReturn::Push, Some(d)) => OnReturn::NextDefault(d),
                                _ => on_return.clone(),
                            };
                            return self.resume_generator(frames, gen, send, on);
                        }
                        Err(e) => return Err(e),
                    }
                }
                Obj::BuiltinMethod(recv, name) => {
                    let (recv, name) = (recv.clone(), name.clone());
                    match crate::methods::call_method(self, &recv, &name, &args, &kwargs) {
                        Ok(v) => return self.native_return(on_return, v),
                        Err(Flow::Call { callee: c, args: a, kwargs: k }) => {
                            callee = c;
                            args = a;
                            kwargs = k;
                        }
                        Err(Flow::Resume { gen, send, default }) => {
                            let on = match (&on_return, default) {
                                (OnReturn::Push, Some(d)) => OnReturn::NextDefault(d),
                                _ => on_return.clone(),
                            };
                            return self.resume_generator(frames, gen, send, on);
                        }
                        Err(e) => return Err(e),
                    }
                }
                Obj::Class(_) => match self.instantiate(id, args, kwargs)? {
                    Instantiated::Done(v) => return self.native_return(on_return, v),
                    Instantiated::Init { init, args: a, kwargs: k, inst } => {
                        let on = match on_return {
                            OnReturn::Push => OnReturn::Init(inst),
                            OnReturn::Sync => {
                                // Run __init__ nested, then hand back the instance.
                                let _ = self.call_sync(init, a, k)?;
                                return Ok(Called::Value(inst));
                            }
                            other => other,
                        };
                        callee = init;
                        args = a;
                        kwargs = k;
                        return self.call_value(frames, callee, args, kwargs, on);
                    }
                },
                Obj::Partial(f, pargs, pkw) => {
                    let (f, mut pa, mut pk) = (f.clone(), pargs.clone(), pkw.clone());
                    pa.extend(args);
                    for (k, v) in kwargs {
                        pk.retain(|(n, _)| *n != k);
                        pk.push((k, v));
                    }
                    callee = f;
                    args = pa;
                    kwargs = pk;
                }
                Obj::StaticMethod(f) => callee = f.clone(),
                Obj::Instance(inst) => {
                    let cls = inst.class;
                    match crate::attr::lookup_class(self, cls, "__call__") {
                        Some(f) => {
                            args.insert(0, Value::Obj(id));
                            callee = f;
                        }
                        None => {
                            let t = crate::ops::type_name(self, &Value::Obj(id));
                            return Err(self.type_error(format!("'{t}' object is not callable")));
                        }
                    }
                }
                _ => {
                    let t = crate::ops::type_name(self, &Value::Obj(id));
                    return Err(self.type_error(format!("'{t}' object is not callable")));
                }
            }
        }
        Err(self.err(Builtin::RecursionError, "maximum recursion depth exceeded"))
    }

    fn native_return(&mut self, on_return: OnReturn, v: Value) -> R<Called> {
        Ok(Called::Value(match on_return {
            OnReturn::Init(inst) => {
                if !v.is_none() {
                    let t = crate::ops::type_name(self, &v);
                    return Err(self.type_error(format!("__init__() should return None, not '{t}'")));
                }
                inst
            }
            OnReturn::Not => Value::Bool(!crate::ops::truthy(self, &v)?),
            _ => v,
        }))
    }

    /// Raises `RecursionError` when Rust-level recursion (nested calls,
    /// repr of deeply nested containers) gets too deep for the stack.
    #[inline(never)]
    pub fn check_stack(&mut self) -> R<()> {
        let marker = 0u8;
        let here = &marker as *const u8 as usize;
        if self.stack_base != 0 && self.stack_base.abs_diff(here) > STACK_BUDGET {
            return Err(self.err(Builtin::RecursionError, "maximum recursion depth exceeded"));
        }
        Ok(())
    }

    /// Calls a callable from Rust and runs it to completion (atomically).
    pub fn call_sync(&mut self, callee: Value, args: Vec<Value>, kwargs: Kwargs) -> R<Value> {
        if self.sync_depth >= SYNC_DEPTH_LIMIT {
            return Err(self.err(Builtin::RecursionError, "maximum recursion depth exceeded"));
        }
        self.check_stack()?;
        let mut frames = Vec::new();
        match self.call_value(&mut frames, callee, args, kwargs, OnReturn::Sync)? {
            Called::Value(v) => Ok(v),
            Called::Pushed => self.run_nested(&mut frames).map(|(v, _)| v),
        }
    }

    /// Runs a nested frame stack until its base frame returns or yields.
    fn run_nested(&mut self, frames: &mut Vec<Frame>) -> R<(Value, bool)> {
        self.sync_depth += 1;
        let r = self.run_frames(frames, u64::MAX);
        self.sync_depth -= 1;
        match r {
            RunExit::Nested(v, y) => Ok((v, y)),
            RunExit::Uncaught(e) => Err(Flow::Raise(e)),
            RunExit::Halt(h) => Err(Flow::Halt(h)),
            RunExit::Blocked => {
                // The nested frames cannot be suspended: undo the block.
                let t = self.thread();
                t.state = ThreadState::Runnable;
                t.call_deadline = None;
                Err(self.err(
                    Builtin::RuntimeError,
                    "Interleave cannot block inside __str__, __eq__, a sort key or similar callbacks",
                ))
            }
            RunExit::ThreadDone | RunExit::Quantum | RunExit::Yielded => {
                Err(self.err(Builtin::RuntimeError, "internal error: nested run ended unexpectedly"))
            }
        }
    }

    /// Resumes a generator with a sent value.
    pub fn resume_generator(&mut self, frames: &mut Vec<Frame>, gid: ObjId, send: Value, on: OnReturn) -> R<Called> {
        let (frame, started) = match self.p.heap.get_mut(gid) {
            Obj::Generator(g) => {
                if g.running {
                    return Err(self.value_error("generator already executing"));
                }
                let started = g.started;
                match g.frame.take() {
                    Some(f) => {
                        g.running = true;
                        g.started = true;
                        let excs = std::mem::take(&mut g.excs);
                        self.p.threads[self.tix].exc_stack.extend(excs);
                        (f, started)
                    }
                    None => return self.generator_exhausted(frames, on),
                }
            }
            _ => return Err(self.type_error("not a generator")),
        };
        let mut frame = *frame;
        if started {
            frame.stack.push(send);
        } else if !send.is_none() {
            if let Obj::Generator(g) = self.p.heap.get_mut(gid) {
                g.frame = Some(Box::new(frame));
                g.running = false;
                g.started = false;
            }
            return Err(self.type_error("can't send non-None value to a just-started generator"));
        }
        frame.on_return = on;
        if frames.len() + self.sync_depth as usize * 4 >= RECURSION_LIMIT {
            if let Obj::Generator(g) = self.p.heap.get_mut(gid) {
                g.running = false;
            }
            return Err(self.err(Builtin::RecursionError, "maximum recursion depth exceeded"));
        }
        frames.push(frame);
        Ok(Called::Pushed)
    }

    fn generator_exhausted(&mut self, frames: &mut Vec<Frame>, on: OnReturn) -> R<Called> {
        match on {
            OnReturn::ForIter(exit) => {
                if let Some(fr) = frames.last_mut() {
                    fr.stack.pop();
                    fr.ip = exit as usize;
                }
                Ok(Called::Value(Value::Undef))
            }
            OnReturn::NextDefault(d) => Ok(Called::Value(d)),
            _ => Err(self.err(Builtin::StopIteration, "")),
        }
    }

    /// `generator.close()`: raises `GeneratorExit` inside the suspended
    /// frame so its `finally` blocks and `with` exits run (atomically).
    pub fn close_generator(&mut self, gid: ObjId) -> R<()> {
        let frame = match self.p.heap.get_mut(gid) {
            Obj::Generator(g) if !g.running => {
                let excs = std::mem::take(&mut g.excs);
                let f = g.frame.take();
                if f.is_some() {
                    self.p.threads[self.tix].exc_stack.extend(excs);
                }
                f
            }
            _ => None,
        };
        let Some(frame) = frame else { return Ok(()) };
        let mut frame = *frame;
        frame.on_return = OnReturn::Sync;
        frame.generator = Some(gid);
        let mut frames = vec![frame];
        let exc = self.new_exc(Builtin::GeneratorExit, "");
        if let Some(RunExit::Uncaught(e)) = self.raise_in(&mut frames, exc, false) {
            if crate::ops::is_instance_of(self, &e, Builtin::GeneratorExit) {
                return Ok(());
            }
            return Err(Flow::Raise(e));
        }
        match self.run_nested(&mut frames) {
            Ok((_, true)) => Err(self.err(Builtin::RuntimeError, "generator ignored GeneratorExit")),
            Ok(_) => Ok(()),
            Err(Flow::Raise(e)) if crate::ops::is_instance_of(self, &e, Builtin::GeneratorExit) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// `generator.throw(exc)`: raises `exc` inside the suspended frame, at
    /// its `yield`, and runs it (atomically, as `close`) to its next
    /// `yield`, whose value it returns, or to its end (`StopIteration`
    /// with the returned value), or out of it with what it raises. A
    /// generator that is done, or was never started, raises `exc` here.
    pub fn throw_generator(&mut self, gid: ObjId, exc: Value) -> R<Value> {
        // Stopped in `yield from` or `await`: the exception goes to the
        // innermost generator first (asyncio cancels a task this way, and
        // a failed awaited future raises there). What it yields, this one
        // yields; its return value is the value of the `yield from`; what
        // it raises is raised here, at the `yield from`.
        let mut exc = exc;
        let mut returned = None;
        let sub = match self.p.heap.get(gid) {
            Obj::Generator(g) if !g.running => g.frame.as_deref().and_then(|f| crate::coroutine::delegate(self, f)),
            _ => None,
        };
        if let Some(sub) = sub {
            if let Obj::Generator(g) = self.p.heap.get_mut(gid) {
                g.running = true;
            }
            let r = self.throw_generator(sub, exc.clone());
            if let Obj::Generator(g) = self.p.heap.get_mut(gid) {
                g.running = false;
            }
            match r {
                Ok(v) => return Ok(v),
                Err(e) => match crate::coroutine::stop_value(self, &e) {
                    Some(v) => returned = Some(v),
                    None => match e {
                        Flow::Raise(x) => exc = x,
                        other => return Err(other),
                    },
                },
            }
        }
        let frame = match self.p.heap.get_mut(gid) {
            Obj::Generator(g) if g.running => return Err(self.value_error("generator already executing")),
            Obj::Generator(g) => {
                let f = g.frame.take();
                if f.is_some() {
                    g.running = true;
                    g.started = true;
                    let excs = std::mem::take(&mut g.excs);
                    self.p.threads[self.tix].exc_stack.extend(excs);
                }
                f
            }
            _ => None,
        };
        let Some(frame) = frame else { return Err(Flow::Raise(exc)) };
        let mut frame = *frame;
        frame.on_return = OnReturn::Sync;
        frame.generator = Some(gid);
        if let Some(v) = returned.clone() {
            // The sub-generator returned: the `yield from` is done, with
            // its value (as `Op::YieldFrom` does when it ends).
            if let Some(end) = crate::coroutine::await_loop_end(&frame) {
                frame.ip = end;
            }
            frame.stack.pop();
            frame.stack.push(v);
        }
        let mut frames = vec![frame];
        if returned.is_none() {
            if let Some(RunExit::Uncaught(e)) = self.raise_in(&mut frames, exc, false) {
                return Err(Flow::Raise(e));
            }
        }
        match self.run_nested(&mut frames)? {
            (v, true) => Ok(v),
            (v, false) => {
                let cls = self.class(Builtin::StopIteration);
                let args = if v.is_none() { vec![] } else { vec![v] };
                Err(Flow::Raise(self.exc_with_args(cls, args)))
            }
        }
    }

    /// Iterates a generator from Rust: the next value, or `None` when it
    /// returns.
    pub fn generator_next_sync(&mut self, gid: ObjId) -> R<Option<Value>> {
        if self.sync_depth >= SYNC_DEPTH_LIMIT {
            return Err(self.err(Builtin::RecursionError, "maximum recursion depth exceeded"));
        }
        self.check_stack()?;
        let mut frames = Vec::new();
        match self.resume_generator(&mut frames, gid, Value::None, OnReturn::Sync) {
            Ok(Called::Pushed) => {}
            Ok(Called::Value(_)) => return Ok(None),
            Err(Flow::Raise(e)) if crate::ops::is_instance_of(self, &e, Builtin::StopIteration) => return Ok(None),
            Err(e) => return Err(e),
        }
        let (v, yielded) = self.run_nested(&mut frames)?;
        Ok(if yielded { Some(v) } else { None })
    }

    /// Pushes the frame of a call to a simple function (positional
    /// parameters only, no cells, not a generator), moving the positional
    /// arguments into it from `args` (missing ones come from the
    /// defaults); false (and nothing moved) to take the general path.
    ///
    /// This is the hot path of every ordinary call, so it looks the
    /// function up once and borrows the heap, the spare vectors and the
    /// frames as the disjoint fields they are, instead of going through
    /// helper methods that would each borrow the whole `Vm`.
    #[inline]
    fn push_simple_frame(&mut self, frames: &mut Vec<Frame>, fid: ObjId, args: ArgSource, on_return: OnReturn) -> bool {
        let Obj::Function(f) = self.p.heap.get(fid) else { return false };
        let code = &f.code;
        let argc = code.argcount as usize;
        let fl = code.flags;
        if fl.generator || fl.is_async || fl.varargs || fl.varkw || code.kwonlycount != 0 || !code.cellvars.is_empty() {
            return false;
        }
        let nargs = match &args {
            ArgSource::Vec(a) => a.len(),
            ArgSource::Stack { start, .. } => frames.last().map_or(0, |c| c.stack.len().saturating_sub(*start)),
        };
        let ndef = f.defaults.len();
        if nargs > argc || nargs + ndef < argc {
            return false;
        }
        if self.sync_depth as usize * 4 + 1 >= RECURSION_LIMIT {
            return false;
        }
        let nlocals = code.varnames.len();
        let mut locals = spare_vec(&mut self.spare_vecs, nlocals);
        let stack = spare_vec(&mut self.spare_vecs, 8);
        match args {
            ArgSource::Vec(a) => locals.append(a),
            ArgSource::Stack { base, start } => {
                if let Some(caller) = frames.last_mut() {
                    // The arguments move from the caller's stack (no
                    // reference counts touched), leaving `Undef`s that
                    // cost nothing to drop; for the usual one to three
                    // arguments this is cheaper than a `drain`. Then the
                    // callee below them is dropped.
                    for v in &mut caller.stack[start..] {
                        locals.push(std::mem::replace(v, Value::Undef));
                    }
                    truncate_values(&mut caller.stack, base);
                }
            }
        }
        for d in &f.defaults[nargs + ndef - argc..] {
            locals.push(d.clone());
        }
        while locals.len() < nlocals {
            locals.push(Value::Undef);
        }
        frames.push(Frame {
            code: code.clone(),
            ip: 0,
            stack,
            locals,
            cells: if f.closure.is_empty() { Vec::new() } else { f.closure.clone() },
            blocks: Vec::new(),
            globals: f.globals,
            ns: None,
            func: Some(fid),
            on_return,
            generator: None,
        });
        true
    }

    /// Binds arguments to parameters and builds the frame of a Python
    /// function call.
    pub fn make_frame(&mut self, fid: ObjId, args: Vec<Value>, kwargs: Kwargs, on_return: OnReturn) -> R<Frame> {
        let Obj::Function(f) = self.p.heap.get(fid) else {
            return Err(self.type_error("not a function"));
        };
        let code = f.code.clone();
        let globals = f.globals;
        let closure = f.closure.clone();
        let nlocals = code.varnames.len();
        let argc = code.argcount as usize;
        let kwc = code.kwonlycount as usize;
        let mut locals = vec![Value::Undef; nlocals];
        let nargs = args.len();
        let mut extra = Vec::new();
        for (i, a) in args.into_iter().enumerate() {
            if i < argc {
                locals[i] = a;
            } else {
                extra.push(a);
            }
        }
        let qual = f.qualname.clone();
        if !extra.is_empty() && !code.flags.varargs {
            let ndef = f.defaults.len();
            let given = nargs;
            let takes = if ndef > 0 {
                format!("from {} to {} positional arguments", argc - ndef, argc)
            } else if argc == 1 {
                "1 positional argument".to_string()
            } else {
                format!("{argc} positional arguments")
            };
            let were = if given == 1 { "was" } else { "were" };
            return Err(self.type_error(format!("{qual}() takes {takes} but {given} {were} given")));
        }
        let mut varkw = PyDict::new();
        let mut varkw_items: Vec<(Arc<str>, Value)> = Vec::new();
        for (name, v) in kwargs {
            let pos = code.varnames[..argc + kwc].iter().position(|n| **n == *name);
            match pos {
                Some(p) if p >= code.posonly as usize => {
                    if !matches!(locals[p], Value::Undef) {
                        return Err(self.type_error(format!("{qual}() got multiple values for argument '{name}'")));
                    }
                    locals[p] = v;
                }
                _ => {
                    if code.flags.varkw {
                        varkw_items.push((name, v));
                    } else {
                        return Err(self.type_error(format!("{qual}() got an unexpected keyword argument '{name}'")));
                    }
                }
            }
        }
        let Obj::Function(f) = self.p.heap.get(fid) else {
            return Err(self.type_error("not a function"));
        };
        let ndef = f.defaults.len();
        let mut missing = Vec::new();
        for i in 0..argc {
            if matches!(locals[i], Value::Undef) {
                if i + ndef >= argc {
                    locals[i] = f.defaults[i + ndef - argc].clone();
                } else {
                    missing.push(code.varnames[i].clone());
                }
            }
        }
        let mut kwmissing = Vec::new();
        for i in argc..argc + kwc {
            if matches!(locals[i], Value::Undef) {
                match f.kwdefaults.iter().find(|(n, _)| *n == code.varnames[i]) {
                    Some((_, v)) => locals[i] = v.clone(),
                    None => kwmissing.push(code.varnames[i].clone()),
                }
            }
        }
        if !missing.is_empty() {
            return Err(self.type_error(missing_msg(&qual, &missing, "positional")));
        }
        if !kwmissing.is_empty() {
            return Err(self.type_error(missing_msg(&qual, &kwmissing, "keyword-only")));
        }
        let mut slot = argc + kwc;
        if code.flags.varargs {
            locals[slot] = self.new_tuple(extra);
            slot += 1;
        }
        if code.flags.varkw {
            for (k, v) in varkw_items {
                varkw.set_arc_str(&k, v);
            }
            locals[slot] = self.new_dict(varkw);
        }
        let mut cells = Vec::with_capacity(code.cellvars.len() + code.freevars.len());
        for _ in 0..code.cellvars.len() {
            cells.push(self.p.heap.alloc(Obj::Cell(Value::Undef)));
        }
        for (slot, ci) in &code.cell_params {
            let v = std::mem::replace(&mut locals[*slot as usize], Value::Undef);
            if let Obj::Cell(c) = self.p.heap.get_mut(cells[*ci as usize]) {
                *c = v;
            }
        }
        cells.extend(closure);
        Ok(Frame {
            code,
            ip: 0,
            stack: Vec::with_capacity(8),
            locals,
            cells,
            blocks: Vec::new(),
            globals,
            ns: None,
            func: Some(fid),
            on_return,
            generator: None,
        })
    }

    // ------------------------------------------------------------------
    // Exceptions
    // ------------------------------------------------------------------

    fn add_tb(&mut self, exc: &Value, fr: &Frame) {
        if let Value::Obj(id) = exc {
            if let Obj::Instance(inst) = self.p.heap.get_mut(*id) {
                if let Payload::Exc(e) = &mut inst.payload {
                    e.traceback.insert(
                        0,
                        TbEntry {
                            filename: fr.code.filename.clone(),
                            line: fr.line(),
                            name: fr.code.name.clone(),
                            span: fr.span(),
                            anchor: fr.code.anchor_at(fr.ip.saturating_sub(1)),
                        },
                    );
                }
            }
        }
    }

    /// Finds the handler for `exc`, unwinding frames. `Err` if no frame of
    /// this stack handles it.
    fn unwind(&mut self, frames: &mut Vec<Frame>, exc: Value, add_entry: bool) -> Result<(), (Value, OnReturn)> {
        let mut add = add_entry;
        loop {
            let Some(fr) = frames.last_mut() else {
                return Err((exc, OnReturn::ThreadExit));
            };
            if add {
                let snapshot = fr.clone_for_tb();
                self.add_tb(&exc, &snapshot);
            }
            add = true;
            let fr = frames.last_mut().expect("checked above");
            while let Some(b) = fr.blocks.pop() {
                match b.kind {
                    BlockKind::Handler => {
                        self.p.threads[self.tix].exc_stack.pop();
                    }
                    BlockKind::Except => {
                        truncate_values(&mut fr.stack, b.depth as usize);
                        fr.blocks.push(Block { kind: BlockKind::Handler, handler: 0, depth: b.depth });
                        fr.stack.push(exc.clone());
                        fr.ip = b.handler as usize;
                        self.p.threads[self.tix].exc_stack.push(exc);
                        return Ok(());
                    }
                }
            }
            let f = frames.pop().expect("checked above");
            if let Some(gid) = f.generator {
                if let Obj::Generator(g) = self.p.heap.get_mut(gid) {
                    g.frame = None;
                    g.running = false;
                }
            }
            match f.on_return {
                OnReturn::Sync | OnReturn::ThreadExit => return Err((exc, f.on_return)),
                _ => {}
            }
        }
    }

    // ------------------------------------------------------------------
    // Returning
    // ------------------------------------------------------------------

    /// Delivers a finished (or yielding) frame's value per its `OnReturn`.
    fn complete(&mut self, frames: &mut Vec<Frame>, on: OnReturn, v: Value, gen: Option<bool>) -> R<Option<RunExit>> {
        match on {
            OnReturn::Sync => return Ok(Some(RunExit::Nested(v, gen == Some(false)))),
            OnReturn::ThreadExit => return Ok(Some(RunExit::ThreadDone)),
            OnReturn::Discard => {}
            OnReturn::Push => {
                if gen == Some(true) {
                    let e = self.new_exc(Builtin::StopIteration, "");
                    if !v.is_none() {
                        if let Value::Obj(id) = &e {
                            if let Obj::Instance(i) = self.p.heap.get_mut(*id) {
                                if let Payload::Exc(d) = &mut i.payload {
                                    d.args = vec![v];
                                }
                            }
                        }
                    }
                    return Err(Flow::Raise(e));
                }
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            OnReturn::Init(inst) => {
                if !v.is_none() {
                    let t = crate::ops::type_name(self, &v);
                    return Err(self.type_error(format!("__init__() should return None, not '{t}'")));
                }
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(inst);
                }
            }
            OnReturn::ClassBody(cb) => {
                let ClassBody { name, bases, ns } = *cb;
                let cls = crate::attr::build_class(self, name, bases, ns)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(cls);
                }
            }
            OnReturn::ForIter(exit) => {
                if let Some(fr) = frames.last_mut() {
                    if gen == Some(true) {
                        fr.stack.pop();
                        fr.ip = exit as usize;
                    } else {
                        fr.stack.push(v);
                    }
                }
            }
            OnReturn::YieldFrom(end) => {
                if let Some(fr) = frames.last_mut() {
                    if gen == Some(true) {
                        fr.stack.pop();
                        fr.stack.push(v);
                        fr.ip = end as usize;
                    } else {
                        fr.stack.push(v);
                    }
                }
            }
            OnReturn::NextDefault(d) => {
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(if gen == Some(true) { d } else { v });
                }
            }
            OnReturn::Module(m) => {
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(m);
                }
            }
            OnReturn::Not => {
                let b = crate::ops::truthy(self, &v)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(Value::Bool(!b));
                }
            }
        }
        Ok(None)
    }

    // ------------------------------------------------------------------
    // The loop
    // ------------------------------------------------------------------

    /// Counts work done inside a native (one item of a `sum(range(...))`,
    /// say) against the step budget and polls the stop flag, so that no
    /// native loop can outrun a budget or the Stop button. Ticks are not
    /// steps: they neither advance the clock nor appear in schedules.
    #[inline]
    pub fn tick(&mut self) -> R<()> {
        self.k.native_ticks += 1;
        if self.k.native_ticks & 1023 == 0 {
            if self.host.should_stop() {
                return Err(Flow::Halt(Halt::Stopped));
            }
            if self.k.steps + self.k.native_ticks / 8 >= self.max_steps {
                return Err(Flow::Halt(Halt::Steps(self.max_steps)));
            }
        }
        Ok(())
    }

    /// Executes up to `max` steps of the frame stack. The steps taken by
    /// the outermost run (not those of nested calls inside them, which are
    /// part of their op) are left in `quantum_steps`.
    pub fn run_frames(&mut self, frames: &mut Vec<Frame>, max: u64) -> RunExit {
        let (exit, n) = self.run_frames_counted(frames, max);
        if self.sync_depth == 0 {
            self.quantum_steps += n;
            self.p.threads[self.tix].steps += n;
        }
        exit
    }

    /// The interpreter loop: runs steps until the quantum (`max` steps) or
    /// a budget is used up or the frames exit; returns how it ended and how
    /// many steps it ran.
    fn run_frames_counted(&mut self, frames: &mut Vec<Frame>, max: u64) -> (RunExit, u64) {
        let marker = 0u8;
        if self.sync_depth == 0 {
            self.stack_base = &marker as *const u8 as usize;
        }
        let cost = self.k.step_cost;
        let outer = self.sync_depth == 0;
        let mut checks = StepChecks {
            max,
            // CPython-like switching: once the quantum is used up, run on
            // to the next switch point (see `Decision::safe_points`).
            safe_points: self.safe_points && outer,
            prev_safe: true,
        };
        // The first op of a woken thread is the retried blocking call; once
        // it completes, forget how the thread was woken.
        let mut pending_wake = outer && {
            let t = &self.p.threads[self.tix];
            t.wake.is_some() || t.call_deadline.is_some()
        };
        // The checks between steps (end of quantum, step budget, stop flag
        // and garbage collection every 1024 steps) are due only at known
        // step counts, so each step compares the step counter with the
        // earliest of them, `due`, and the checks themselves run only when
        // it is reached. Nested runs inside an op advance the counter
        // further, which can only make a check come early, where it finds
        // nothing to do and computes the next `due`.
        let mut due = self.k.steps;
        let mut n: u64 = 0;
        let exit = loop {
            if self.k.steps >= due {
                match self.between_steps(frames, n, &mut checks) {
                    Ok(next) => due = next,
                    Err(exit) => break exit,
                }
            }
            // A local run stops before the first op that is not local
            // (its first op, whatever it is, has run by then: `n` counts
            // this loop's ops, `quantum_steps` a thread's first call).
            if self.local_run && outer && (n > 0 || self.quantum_steps > 0) && !self.next_is_local(frames) && !self.next_is_invisible(frames) {
                break RunExit::Quantum;
            }
            n += 1;
            self.k.steps += 1;
            self.k.clock += cost;
            let r = self.exec_one(frames);
            if pending_wake && r.is_ok() {
                pending_wake = false;
                self.forget_wake();
            }
            match r {
                Ok(None) => {}
                Ok(Some(exit)) => break exit,
                Err(flow) => {
                    if let Some(exit) = self.handle_flow(frames, flow, true) {
                        break exit;
                    }
                }
            }
            if self.yield_requested && outer {
                self.yield_requested = false;
                break RunExit::Yielded;
            }
        };
        (exit, n)
    }

    /// The checks due between two steps of [`Vm::run_frames_counted`]
    /// (`n` steps into the run): `Err` ends the run, `Ok` is the step count
    /// at which they are next due.
    #[inline(never)]
    fn between_steps(&mut self, frames: &[Frame], n: u64, c: &mut StepChecks) -> Result<u64, RunExit> {
        // The stop and collection checks follow every step that leaves the
        // counter at a multiple of 1024.
        if n > 0 && (self.k.steps & 1023) == 0 {
            if self.host.should_stop() {
                return Err(RunExit::Halt(Halt::Stopped));
            }
            // Let the machine collect garbage (only it knows all roots).
            let heap = &self.p.heap;
            if self.sync_depth == 0
                && (heap.allocs_since_gc >= crate::machine::GC_EVERY_ALLOCS.max(heap.live() / 2)
                    || heap.live() > self.max_objects)
            {
                return Err(RunExit::Quantum);
            }
        }
        let max = c.max;
        if n + 1 >= max {
            if n >= max && (c.prev_safe || !c.safe_points || n >= max + 100_000) {
                return Err(RunExit::Quantum);
            }
            if c.safe_points {
                c.prev_safe = match frames.last().and_then(|f| f.code.ops.get(f.ip).map(|op| (op, f.ip))) {
                    Some((Op::Jump(t), ip)) => (*t as usize) <= ip,
                    Some((Op::Call(_) | Op::CallMethod(_) | Op::CallKw(..) | Op::CallEx | Op::Return | Op::Yield, _)) => true,
                    _ => false,
                };
            }
        }
        if self.k.steps >= self.max_steps {
            return Err(RunExit::Halt(Halt::Steps(self.max_steps)));
        }
        // Steps until the quantum check above is due again (at once when
        // it already runs every step).
        let quantum_left = max.saturating_sub(n + 1);
        Ok(self.k.steps.saturating_add(quantum_left).min(self.max_steps).min((self.k.steps | 1023) + 1))
    }

    /// Whether a local run goes on: its next op is local, the thread is
    /// between calls and started no thread in this run (a started thread's
    /// `started_at` is known only when its starter's run is that one op).
    /// The last two hold anyway today (a blocking call in progress sits at
    /// a call op, and `start()` yields); they are checked so that a later
    /// change to either cannot make a local run skip past them.
    fn next_is_local(&self, frames: &[Frame]) -> bool {
        crate::local::between_calls(&self.p.threads[self.tix])
            && self.k.next_tid == self.local_run_tids
            && crate::local::next_is_local(frames)
    }

    /// Whether the caller of a local run asked to run on through the next
    /// op too (see [`crate::local::Invisible`]), under the same conditions
    /// as [`Vm::next_is_local`].
    fn next_is_invisible(&self, frames: &[Frame]) -> bool {
        let Some(inv) = self.invisible else { return false };
        let t = &self.p.threads[self.tix];
        crate::local::between_calls(t) && self.k.next_tid == self.local_run_tids && inv.invisible(self.p, t.tid, frames)
    }

    /// The retried call of a woken thread completed: forget how it was
    /// woken.
    #[cold]
    fn forget_wake(&mut self) {
        let t = &mut self.p.threads[self.tix];
        t.wake = None;
        if t.call_state.is_none() {
            t.call_deadline = None;
        }
    }

    fn handle_flow(&mut self, frames: &mut Vec<Frame>, flow: Flow, add_entry: bool) -> Option<RunExit> {
        match flow {
            Flow::Raise(exc) => self.raise_in(frames, exc, add_entry),
            Flow::Block(w) => {
                // Retry the instruction when woken.
                if let Some(fr) = frames.last_mut() {
                    fr.ip = fr.ip.saturating_sub(1);
                }
                let tid = self.tid();
                self.rec.trace.block(self.k.clock, tid, &w.on);
                self.p.threads[self.tix].state = ThreadState::Blocked(w);
                Some(RunExit::Blocked)
            }
            Flow::Halt(h) => Some(RunExit::Halt(h)),
            Flow::Call { .. } | Flow::Resume { .. } | Flow::RunModule { .. } => {
                let e = self.new_exc(Builtin::RuntimeError, "internal error: unexpected call request");
                self.raise_in(frames, e, true)
            }
        }
    }

    fn raise_in(&mut self, frames: &mut Vec<Frame>, exc: Value, add_entry: bool) -> Option<RunExit> {
        // Implicit chaining: an exception raised while another is handled
        // gets it as its __context__.
        if let Some(cur) = self.p.threads[self.tix].exc_stack.last().cloned() {
            if !cur.is(&exc) {
                if let Value::Obj(id) = &exc {
                    if let Obj::Instance(i) = self.p.heap.get_mut(*id) {
                        if let Payload::Exc(d) = &mut i.payload {
                            if d.context.is_none() {
                                d.context = Some(cur);
                            }
                        }
                    }
                }
            }
        }
        match self.unwind(frames, exc, add_entry) {
            Ok(()) => None,
            Err((exc, on)) => match on {
                OnReturn::Sync => Some(RunExit::Uncaught(exc)),
                _ => Some(RunExit::Uncaught(exc)),
            },
        }
    }

    /// Executes one instruction. Inlined into the loop of
    /// [`run_frames_counted`](Self::run_frames_counted), its only caller, so
    /// that a step costs no call.
    #[inline(always)]
    fn exec_one(&mut self, frames: &mut Vec<Frame>) -> R<Option<RunExit>> {
        let Some(fr) = frames.last_mut() else {
            return Ok(Some(RunExit::ThreadDone));
        };
        let Some(op) = fr.code.ops.get(fr.ip).copied() else {
            return Err(self.err(Builtin::RuntimeError, "internal error: ran off the end of the code"));
        };
        fr.ip += 1;
        match op {
            Op::Nop | Op::LoadBuildClass => {}
            Op::LoadConst(i) => {
                let v = match &fr.code.consts[i as usize] {
                    Constant::Value(v) => v.clone(),
                    _ => Value::None,
                };
                fr.stack.push(v);
            }
            Op::LoadFast(i) => {
                let v = fr.locals[i as usize].clone();
                if let Value::Undef = v {
                    let name = fr.code.varnames[i as usize].clone();
                    return Err(self.err(
                        Builtin::UnboundLocalError,
                        format!("cannot access local variable '{name}' where it is not associated with a value"),
                    ));
                }
                fr.stack.push(v);
            }
            Op::StoreFast(i) => {
                let v = pop!(fr);
                fr.locals[i as usize] = v;
            }
            Op::DeleteFast(i) => {
                if let Value::Undef = fr.locals[i as usize] {
                    let name = fr.code.varnames[i as usize].clone();
                    return Err(self.err(
                        Builtin::UnboundLocalError,
                        format!("cannot access local variable '{name}' where it is not associated with a value"),
                    ));
                }
                fr.locals[i as usize] = Value::Undef;
            }
            Op::LoadDeref(i) | Op::StoreDeref(i) | Op::DeleteDeref(i) | Op::LoadClosure(i) if fr.cells.len() <= i as usize => {
                return Err(self.err(Builtin::RuntimeError, "internal error: bad closure cell (please report this program)"));
            }
            Op::LoadDeref(i) => {
                let cell = fr.cells[i as usize];
                let v = match self.p.heap.get(cell) {
                    Obj::Cell(v) => v.clone(),
                    _ => Value::Undef,
                };
                if let Value::Undef = v {
                    let name = deref_name(&fr.code, i);
                    return Err(self.err(
                        Builtin::NameError,
                        format!("cannot access free variable '{name}' where it is not associated with a value in enclosing scope"),
                    ));
                }
                fr.stack.push(v);
            }
            Op::StoreDeref(i) => {
                let v = pop!(fr);
                let cell = fr.cells[i as usize];
                if let Obj::Cell(c) = self.p.heap.get_mut(cell) {
                    *c = v;
                }
            }
            Op::DeleteDeref(i) => {
                let cell = fr.cells[i as usize];
                if let Obj::Cell(c) = self.p.heap.get_mut(cell) {
                    *c = Value::Undef;
                }
            }
            Op::LoadClosure(i) => {
                let c = fr.cells[i as usize];
                fr.stack.push(Value::Obj(c));
            }
            Op::LoadGlobal(i) => {
                let (name, h) = (&fr.code.names[i as usize], fr.code.name_hashes[i as usize]);
                let heap = &self.p.heap;
                let found = match heap.get(fr.globals) {
                    Obj::Dict(d) => d.d.get_str_hinted(name, h, fr.code.name_hints.get(i as usize)),
                    _ => None,
                };
                let found = match found {
                    Some(v) => Some(v.clone()),
                    None => match heap.get(self.p.builtins) {
                        Obj::Dict(d) => d.d.get_arc(name, h).cloned(),
                        _ => None,
                    },
                };
                match found {
                    Some(v) => fr.stack.push(v),
                    None => {
                        let (name, code, globals) = (name.clone(), fr.code.clone(), fr.globals);
                        return Err(self.name_error(&name, &code.varnames, globals));
                    }
                }
            }
            Op::StoreGlobal(i) => {
                let v = pop!(fr);
                let (name, h) = (&fr.code.names[i as usize], fr.code.name_hashes[i as usize]);
                if let Obj::Dict(d) = self.p.heap.get_mut(fr.globals) {
                    crate::shared::own(d).d.set_arc_hinted(name, h, fr.code.name_hints.get(i as usize), v);
                }
            }
            Op::DeleteGlobal(i) => {
                let name = fr.code.names[i as usize].clone();
                let g = fr.globals;
                if self.dict_del_str(g, &name).is_none() {
                    return Err(self.err(Builtin::NameError, format!("name '{name}' is not defined")));
                }
            }
            Op::LoadName(i) => {
                let name = fr.code.names[i as usize].clone();
                let g = fr.globals;
                let ns = fr.ns;
                let mut found = None;
                if let Some(ns) = ns {
                    found = self.dict_get_str(ns, &name);
                }
                let v = match found {
                    Some(v) => v,
                    None => self.load_global(g, &name)?,
                };
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::StoreName(i) => {
                let name = fr.code.names[i as usize].clone();
                let v = pop!(fr);
                let target = fr.ns.unwrap_or(fr.globals);
                self.dict_set_str(target, &name, v);
            }
            Op::StoreAnnotation(i) => {
                let name = fr.code.names[i as usize].clone();
                let v = pop!(fr);
                let ns = fr.ns.unwrap_or(fr.globals);
                if let Some(Value::Obj(anns)) = self.dict_get_str(ns, "__annotations__") {
                    crate::ops::dict_set(self, &Value::Obj(anns), Value::Str(name), v)?;
                }
            }
            Op::DeleteName(i) => {
                let name = fr.code.names[i as usize].clone();
                let target = fr.ns.unwrap_or(fr.globals);
                if self.dict_del_str(target, &name).is_none() {
                    return Err(self.err(Builtin::NameError, format!("name '{name}' is not defined")));
                }
            }
            Op::LoadAttr(i) => {
                let name = fr.code.names[i as usize].clone();
                let obj = pop!(fr);
                match crate::attr::getattr(self, &obj, &name) {
                    Ok(v) => {
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.push(v);
                        }
                    }
                    Err(Flow::Call { callee, args, kwargs }) => {
                        if let Called::Value(v) = self.call_value(frames, callee, args, kwargs, OnReturn::Push)? {
                            if let Some(fr) = frames.last_mut() {
                                fr.stack.push(v);
                            }
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            Op::StoreAttr(i) => {
                let name = fr.code.names[i as usize].clone();
                let obj = pop!(fr);
                let v = pop!(fr);
                match crate::attr::setattr(self, &obj, &name, v) {
                    Ok(()) => {}
                    Err(Flow::Call { callee, args, kwargs }) => {
                        self.call_value(frames, callee, args, kwargs, OnReturn::Discard)?;
                    }
                    Err(e) => return Err(e),
                }
            }
            Op::DeleteAttr(i) => {
                let name = fr.code.names[i as usize].clone();
                let obj = pop!(fr);
                match crate::attr::delattr(self, &obj, &name) {
                    Ok(()) => {}
                    Err(Flow::Call { callee, args, kwargs }) => {
                        self.call_value(frames, callee, args, kwargs, OnReturn::Discard)?;
                    }
                    Err(e) => return Err(e),
                }
            }
            Op::LoadMethod(i) => {
                let (name, h) = (&fr.code.names[i as usize], fr.code.name_hashes[i as usize]);
                if let Some(m) = fr.stack.last().and_then(|obj| self.own_method(obj, name, h, fr.code.name_hints.get(i as usize))) {
                    // `[obj]` -> `[method, obj]`.
                    let n = fr.stack.len();
                    fr.stack.push(m);
                    fr.stack.swap(n - 1, n);
                    return Ok(None);
                }
                let code = fr.code.clone();
                let (name, h) = (&code.names[i as usize], code.name_hashes[i as usize]);
                let obj = pop!(fr);
                match crate::attr::load_method_h(self, &obj, name, h, Some(code.name_hints.get(i as usize))) {
                    Ok((f, s)) => {
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.push(f);
                            fr.stack.push(s);
                        }
                    }
                    Err(Flow::Call { callee, args, kwargs }) => {
                        // A property returning a callable.
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.push(Value::Undef);
                        }
                        let v = self.call_sync(callee, args, kwargs)?;
                        if let Some(fr) = frames.last_mut() {
                            let n = fr.stack.len();
                            fr.stack[n - 1] = v;
                            fr.stack.push(Value::Undef);
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
            Op::CallMethod(argc) => return self.op_call(frames, argc as usize, None, true),
            Op::Call(argc) => return self.op_call(frames, argc as usize, None, false),
            Op::CallKw(argc, names) => {
                let names = match &fr.code.consts[names as usize] {
                    Constant::Names(n) => n.clone(),
                    _ => Arc::from(Vec::new()),
                };
                return self.op_call(frames, argc as usize, Some(names), false);
            }
            Op::CallEx => {
                let kw = pop!(fr);
                let args = pop!(fr);
                let callee = pop!(fr);
                let args = crate::ops::to_vec(self, &args)?;
                let kwargs = match &kw {
                    Value::None => Vec::new(),
                    Value::Obj(id) => match self.p.heap.get(*id) {
                        Obj::Dict(d) => {
                            let mut out = Vec::new();
                            for e in d.d.iter() {
                                match &e.key {
                                    Value::Str(s) => out.push((s.clone(), e.value.clone())),
                                    _ => {}
                                }
                            }
                            out
                        }
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                match self.call_value(frames, callee.clone(), args, kwargs, OnReturn::Push) {
                    Ok(Called::Value(v)) => {
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.push(v);
                        }
                    }
                    Ok(Called::Pushed) => {}
                    Err(Flow::Block(w)) => {
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.push(callee);
                            fr.stack.push(args_back(self, &Value::None));
                            fr.stack.push(kw);
                        }
                        return Err(Flow::Block(w));
                    }
                    Err(e) => return Err(e),
                }
            }
            Op::Subscr => {
                let idx = pop!(fr);
                let obj = pop!(fr);
                let v = crate::ops::getitem(self, &obj, &idx)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::StoreSubscr => {
                let idx = pop!(fr);
                let obj = pop!(fr);
                let v = pop!(fr);
                crate::ops::setitem(self, &obj, idx, v)?;
            }
            Op::DeleteSubscr => {
                let idx = pop!(fr);
                let obj = pop!(fr);
                crate::ops::delitem(self, &obj, &idx)?;
            }
            Op::Binary(op) | Op::Inplace(op) if matches!((fr.stack.get(fr.stack.len().wrapping_sub(2)), fr.stack.last()), (Some(Value::Int(_)), Some(Value::Int(_)))) => {
                // Small-int fast path.
                let n = fr.stack.len();
                let (a, b) = match (&fr.stack[n - 2], &fr.stack[n - 1]) {
                    (Value::Int(a), Value::Int(b)) => (*a, *b),
                    _ => (0, 0),
                };
                let r = match op {
                    BinOp::Add => a.checked_add(b),
                    BinOp::Sub => a.checked_sub(b),
                    BinOp::Mult => a.checked_mul(b),
                    BinOp::Mod if b > 0 && a >= 0 => Some(a % b),
                    BinOp::FloorDiv if b > 0 && a >= 0 => Some(a / b),
                    BinOp::BitAnd => Some(a & b),
                    BinOp::BitOr => Some(a | b),
                    BinOp::BitXor => Some(a ^ b),
                    _ => None,
                };
                match r {
                    Some(v) => {
                        truncate_values(&mut fr.stack, n - 2);
                        fr.stack.push(Value::Int(v));
                    }
                    None => {
                        truncate_values(&mut fr.stack, n - 2);
                        let v = crate::ops::binary(self, op, &Value::Int(a), &Value::Int(b), matches!(self_op_kind(&fr.code.ops, fr.ip), 1))?;
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.push(v);
                        }
                    }
                }
            }
            Op::Compare(op) if matches!(op, CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE | CmpOp::Eq | CmpOp::NotEq) && matches!((fr.stack.get(fr.stack.len().wrapping_sub(2)), fr.stack.last()), (Some(Value::Int(_)), Some(Value::Int(_)))) => {
                let n = fr.stack.len();
                let (a, b) = match (&fr.stack[n - 2], &fr.stack[n - 1]) {
                    (Value::Int(a), Value::Int(b)) => (*a, *b),
                    _ => (0, 0),
                };
                let r = match op {
                    CmpOp::Lt => a < b,
                    CmpOp::LtE => a <= b,
                    CmpOp::Gt => a > b,
                    CmpOp::GtE => a >= b,
                    CmpOp::Eq => a == b,
                    _ => a != b,
                };
                truncate_values(&mut fr.stack, n - 2);
                fr.stack.push(Value::Bool(r));
            }
            Op::Binary(op) => {
                let b = pop!(fr);
                let a = pop!(fr);
                let v = crate::ops::binary(self, op, &a, &b, false)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::Inplace(op) => {
                let b = pop!(fr);
                let a = pop!(fr);
                let v = crate::ops::binary(self, op, &a, &b, true)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::Unary(op) => {
                let a = pop!(fr);
                let v = crate::ops::unary(self, op, &a)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::Compare(op) => {
                let b = pop!(fr);
                let a = pop!(fr);
                let v = crate::ops::compare(self, op, &a, &b)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::Pop => {
                fr.stack.pop();
            }
            Op::Dup => {
                let v = fr.stack.last().cloned().unwrap_or(Value::None);
                fr.stack.push(v);
            }
            Op::Dup2 => {
                let n = fr.stack.len();
                if n >= 2 {
                    let a = fr.stack[n - 2].clone();
                    let b = fr.stack[n - 1].clone();
                    fr.stack.push(a);
                    fr.stack.push(b);
                }
            }
            Op::Rot2 => {
                let n = fr.stack.len();
                if n >= 2 {
                    fr.stack.swap(n - 1, n - 2);
                }
            }
            Op::Rot3 => {
                let n = fr.stack.len();
                if n >= 3 {
                    let v = fr.stack.remove(n - 1);
                    fr.stack.insert(n - 3, v);
                }
            }
            Op::Rot4 => {
                let n = fr.stack.len();
                if n >= 4 {
                    let v = fr.stack.remove(n - 1);
                    fr.stack.insert(n - 4, v);
                }
            }
            Op::Jump(t) => fr.ip = t as usize,
            Op::PopJumpIfFalse(t) => {
                let v = pop!(fr);
                let b = match v {
                    Value::Bool(b) => b,
                    v => crate::ops::truthy(self, &v)?,
                };
                if !b {
                    if let Some(fr) = frames.last_mut() {
                        fr.ip = t as usize;
                    }
                }
            }
            Op::PopJumpIfTrue(t) => {
                let v = pop!(fr);
                let b = match v {
                    Value::Bool(b) => b,
                    v => crate::ops::truthy(self, &v)?,
                };
                if b {
                    if let Some(fr) = frames.last_mut() {
                        fr.ip = t as usize;
                    }
                }
            }
            Op::JumpIfFalseOrPop(t) => {
                let v = fr.stack.last().cloned().unwrap_or(Value::None);
                let b = crate::ops::truthy(self, &v)?;
                if let Some(fr) = frames.last_mut() {
                    if !b {
                        fr.ip = t as usize;
                    } else {
                        fr.stack.pop();
                    }
                }
            }
            Op::JumpIfTrueOrPop(t) => {
                let v = fr.stack.last().cloned().unwrap_or(Value::None);
                let b = crate::ops::truthy(self, &v)?;
                if let Some(fr) = frames.last_mut() {
                    if b {
                        fr.ip = t as usize;
                    } else {
                        fr.stack.pop();
                    }
                }
            }
            Op::GetIter => {
                let v = pop!(fr);
                let it = crate::iter::get_iter(self, &v)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(it);
                }
            }
            Op::ForIter(exit) => {
                // Fast paths: ranges and lists advance in place.
                if let Some(Value::Obj(id)) = fr.stack.last() {
                    let id = *id;
                    if let Obj::Iter(it) = self.p.heap.get_mut(id) {
                        if let IterObj::Range { cur, stop, step } = &mut **it {
                            if (*step > 0 && *cur < *stop) || (*step < 0 && *cur > *stop) {
                                let v = *cur;
                                *cur = cur.saturating_add(*step);
                                fr.stack.push(Value::Int(v));
                            } else {
                                fr.stack.pop();
                                fr.ip = exit as usize;
                            }
                            return Ok(None);
                        }
                    }
                }
                let it = fr.stack.last().cloned().unwrap_or(Value::None);
                if let Value::Obj(id) = it {
                    if let Obj::Generator(_) = self.p.heap.get(id) {
                        self.resume_generator(frames, id, Value::None, OnReturn::ForIter(exit))?;
                        return Ok(None);
                    }
                }
                match crate::iter::next(self, &it)? {
                    Some(v) => {
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.push(v);
                        }
                    }
                    None => {
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.pop();
                            fr.ip = exit as usize;
                        }
                    }
                }
            }
            Op::BuildList(n) => {
                let at = fr.stack.len().saturating_sub(n as usize);
                let items = fr.stack.split_off(at);
                let v = self.new_list(items);
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::BuildTuple(n) => {
                let at = fr.stack.len().saturating_sub(n as usize);
                let items = fr.stack.split_off(at);
                let v = self.new_tuple(items);
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::BuildSet(n) => {
                let at = fr.stack.len().saturating_sub(n as usize);
                let items = fr.stack.split_off(at);
                let v = crate::ops::new_set(self, items, false)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::BuildMap(n) => {
                let at = fr.stack.len().saturating_sub(2 * n as usize);
                let items = fr.stack.split_off(at);
                let d = self.new_dict(PyDict::new());
                let mut it = items.into_iter();
                while let (Some(k), Some(v)) = (it.next(), it.next()) {
                    crate::ops::dict_set(self, &d, k, v)?;
                }
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(d);
                }
            }
            Op::BuildSlice(_) => {
                let c = pop!(fr);
                let b = pop!(fr);
                let a = pop!(fr);
                let v = self.alloc(Obj::Slice(a, b, c));
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::ListAppend(n) => {
                let v = pop!(fr);
                let at = fr.stack.len().saturating_sub(n as usize);
                if let Some(Value::Obj(id)) = fr.stack.get(at) {
                    if let Obj::List(l) = self.p.heap.get_mut(*id) {
                        l.push(v);
                    }
                }
            }
            Op::SetAdd(n) => {
                let v = pop!(fr);
                let at = fr.stack.len().saturating_sub(n as usize);
                let s = fr.stack.get(at).cloned().unwrap_or(Value::None);
                crate::ops::set_add(self, &s, v)?;
            }
            Op::MapAdd(n) => {
                let v = pop!(fr);
                let k = pop!(fr);
                let at = fr.stack.len().saturating_sub(n as usize);
                let d = fr.stack.get(at).cloned().unwrap_or(Value::None);
                crate::ops::dict_set(self, &d, k, v)?;
            }
            Op::ListExtend => {
                let it = pop!(fr);
                let l = fr.stack.last().cloned().unwrap_or(Value::None);
                let items = crate::ops::to_vec(self, &it)?;
                if let Value::Obj(id) = l {
                    if let Obj::List(l) = self.p.heap.get_mut(id) {
                        l.extend(items);
                    }
                }
            }
            Op::SetUpdate => {
                let it = pop!(fr);
                let s = fr.stack.last().cloned().unwrap_or(Value::None);
                for x in crate::ops::to_vec(self, &it)? {
                    crate::ops::set_add(self, &s, x)?;
                }
            }
            Op::DictUpdate => {
                let other = pop!(fr);
                let d = fr.stack.last().cloned().unwrap_or(Value::None);
                crate::ops::dict_update(self, &d, &other)?;
            }
            Op::ListToTuple => {
                let l = pop!(fr);
                let items = match &l {
                    Value::Obj(id) => match self.p.heap.get(*id) {
                        Obj::List(v) => v.clone(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                let t = self.new_tuple(items);
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(t);
                }
            }
            Op::UnpackSequence(n) => {
                let seq = pop!(fr);
                let items = crate::ops::to_vec(self, &seq).map_err(|e| self.unpack_error(e, &seq))?;
                if items.len() != n as usize {
                    return Err(if items.len() < n as usize {
                        self.value_error(format!("not enough values to unpack (expected {n}, got {})", items.len()))
                    } else {
                        self.value_error(format!("too many values to unpack (expected {n})"))
                    });
                }
                if let Some(fr) = frames.last_mut() {
                    fr.stack.extend(items.into_iter().rev());
                }
            }
            Op::UnpackEx(before, after) => {
                let seq = pop!(fr);
                let mut items = crate::ops::to_vec(self, &seq).map_err(|e| self.unpack_error(e, &seq))?;
                let (b, a) = (before as usize, after as usize);
                if items.len() < b + a {
                    return Err(self.value_error(format!(
                        "not enough values to unpack (expected at least {}, got {})",
                        b + a,
                        items.len()
                    )));
                }
                let tail = items.split_off(items.len() - a);
                let mid = items.split_off(b);
                let mid = self.new_list(mid);
                if let Some(fr) = frames.last_mut() {
                    for v in tail.into_iter().rev() {
                        fr.stack.push(v);
                    }
                    fr.stack.push(mid);
                    for v in items.into_iter().rev() {
                        fr.stack.push(v);
                    }
                }
            }
            Op::MakeFunction(ci, flags) => {
                let code = match &fr.code.consts[ci as usize] {
                    Constant::Code(c) => c.clone(),
                    _ => return Err(self.err(Builtin::RuntimeError, "internal error: bad code constant")),
                };
                let closure = if flags & 8 != 0 { pop!(fr) } else { Value::None };
                let kwdefaults = if flags & 2 != 0 { pop!(fr) } else { Value::None };
                let defaults = if flags & 1 != 0 { pop!(fr) } else { Value::None };
                let globals = fr.globals;
                let closure: Vec<ObjId> = match closure {
                    Value::Obj(id) => match self.p.heap.get(id) {
                        Obj::Tuple(v) => v.iter().filter_map(|x| x.as_obj()).collect(),
                        _ => vec![],
                    },
                    _ => vec![],
                };
                let defaults = match defaults {
                    Value::Obj(id) => match self.p.heap.get(id) {
                        Obj::Tuple(v) => v.clone(),
                        _ => vec![],
                    },
                    _ => vec![],
                };
                let kwdefaults = match kwdefaults {
                    Value::Obj(id) => match self.p.heap.get(id) {
                        Obj::Dict(d) => d
                            .d
                            .iter()
                            .filter_map(|e| match &e.key {
                                Value::Str(s) => Some((s.clone(), e.value.clone())),
                                _ => None,
                            })
                            .collect(),
                        _ => vec![],
                    },
                    _ => vec![],
                };
                let f = Function {
                    name: code.name.clone(),
                    qualname: code.qualname.clone(),
                    code,
                    defaults,
                    kwdefaults,
                    closure,
                    globals,
                    owner: None,
                    attrs: PyDict::new(),
                };
                let v = self.alloc(Obj::Function(Arc::new(f)));
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::BuildClass(n) => {
                let at = fr.stack.len().saturating_sub(n as usize);
                let bases = fr.stack.split_off(at);
                let name = pop!(fr);
                let body = pop!(fr);
                let ns = self.p.heap.alloc(Obj::Dict(Arc::new(DictObj {
                    d: PyDict::new(),
                    kind: DictKind::Dict,
                    default_factory: Value::None,
                })));
                let Some(fid) = body.as_obj() else {
                    return Err(self.err(Builtin::RuntimeError, "internal error: class body"));
                };
                let mut frame = self.make_frame(fid, vec![], vec![], OnReturn::ClassBody(Box::new(ClassBody { name, bases, ns })))?;
                frame.ns = Some(ns);
                frames.push(frame);
            }
            Op::Return => {
                let v = pop!(fr);
                // The common case: a plain call's result goes straight to
                // the caller's stack (everything else goes through
                // `complete`).
                let plain = matches!(fr, Frame { generator: None, on_return: OnReturn::Push, .. });
                if plain && frames.len() >= 2 {
                    if let Some(Frame { stack, locals, .. }) = frames.pop() {
                        self.recycle_vec(stack);
                        self.recycle_vec(locals);
                    }
                    if let Some(caller) = frames.last_mut() {
                        caller.stack.push(v);
                    }
                    return Ok(None);
                }
                let Some(f) = frames.pop() else {
                    return Ok(Some(RunExit::ThreadDone));
                };
                let is_gen = f.generator;
                if let Some(gid) = is_gen {
                    if let Obj::Generator(g) = self.p.heap.get_mut(gid) {
                        g.frame = None;
                        g.running = false;
                    }
                }
                let Frame { stack, locals, on_return, .. } = f;
                self.recycle_vec(stack);
                self.recycle_vec(locals);
                return self.complete(frames, on_return, v, is_gen.map(|_| true));
            }
            Op::Yield => {
                let v = pop!(fr);
                let Some(f) = frames.pop() else {
                    return Ok(Some(RunExit::ThreadDone));
                };
                let on = f.on_return.clone();
                match f.generator {
                    Some(gid) => {
                        // The exceptions this frame handles leave the
                        // thread with it (see `Generator::excs`).
                        let handling = f.blocks.iter().filter(|b| b.kind == BlockKind::Handler).count();
                        let excs = {
                            let stack = &mut self.p.threads[self.tix].exc_stack;
                            let keep = stack.len().saturating_sub(handling);
                            stack.split_off(keep)
                        };
                        if let Obj::Generator(g) = self.p.heap.get_mut(gid) {
                            g.frame = Some(Box::new(f));
                            g.running = false;
                            g.excs = excs;
                        }
                        return self.complete(frames, on, v, Some(false));
                    }
                    None => return Err(self.err(Builtin::RuntimeError, "yield outside a generator")),
                }
            }
            Op::GetAwaitable => {
                let v = pop!(fr);
                let it = crate::coroutine::get_awaitable(self, &v)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(it);
                }
            }
            Op::YieldFrom(end) => {
                let send = pop!(fr);
                let sub = fr.stack.last().cloned().unwrap_or(Value::None);
                if let Value::Obj(id) = sub {
                    if let Obj::Generator(_) = self.p.heap.get(id) {
                        match self.resume_generator(frames, id, send, OnReturn::YieldFrom(end)) {
                            Ok(_) => return Ok(None),
                            Err(Flow::Raise(e)) if crate::ops::is_instance_of(self, &e, Builtin::StopIteration) => {
                                if let Some(fr) = frames.last_mut() {
                                    fr.stack.pop();
                                    fr.stack.push(Value::None);
                                    fr.ip = end as usize;
                                }
                                return Ok(None);
                            }
                            Err(e) => return Err(e),
                        }
                    }
                }
                match crate::iter::next(self, &sub)? {
                    Some(v) => {
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.push(v);
                        }
                    }
                    None => {
                        if let Some(fr) = frames.last_mut() {
                            fr.stack.pop();
                            fr.stack.push(Value::None);
                            fr.ip = end as usize;
                        }
                    }
                }
            }
            Op::SetupExcept(h) => {
                let depth = fr.stack.len() as u32;
                fr.blocks.push(Block { kind: BlockKind::Except, handler: h, depth });
            }
            Op::SetupWith(h) => {
                // Without `__enter__`'s value (see `Op::SetupWith`):
                // counting it kept an inner manager or a `for` iterator on
                // the stack, and `__exit__` was called on that.
                let depth = fr.stack.len().saturating_sub(1) as u32;
                fr.blocks.push(Block { kind: BlockKind::Except, handler: h, depth });
            }
            Op::PopBlock => {
                fr.blocks.pop();
            }
            Op::PopExcept => {
                if let Some(pos) = fr.blocks.iter().rposition(|b| b.kind == BlockKind::Handler) {
                    fr.blocks.remove(pos);
                }
                self.p.threads[self.tix].exc_stack.pop();
            }
            Op::Raise(n) => {
                let cause = if n == 2 { Some(pop!(fr)) } else { None };
                let exc = if n >= 1 { Some(pop!(fr)) } else { None };
                match exc {
                    None => {
                        let cur = self.p.threads[self.tix].exc_stack.last().cloned();
                        return match cur {
                            Some(e) => {
                                let r = self.raise_in(frames, e, false);
                                Ok(r)
                            }
                            None => Err(self.err(Builtin::RuntimeError, "No active exception to reraise")),
                        };
                    }
                    Some(e) => {
                        let e = self.make_exception(e)?;
                        if let Some(c) = cause {
                            let c = if c.is_none() { None } else { Some(self.make_exception(c)?) };
                            if let Value::Obj(id) = &e {
                                if let Obj::Instance(i) = self.p.heap.get_mut(*id) {
                                    if let Payload::Exc(d) = &mut i.payload {
                                        d.cause = c;
                                        d.suppress_context = true;
                                    }
                                }
                            }
                        }
                        return Err(Flow::Raise(e));
                    }
                }
            }
            Op::Reraise => {
                let e = pop!(fr);
                // Leaving the handler block happens during unwinding.
                return Ok(self.raise_in(frames, e, false));
            }
            Op::CheckExcMatch => {
                let t = pop!(fr);
                let e = fr.stack.last().cloned().unwrap_or(Value::None);
                let b = crate::ops::exc_matches(self, &e, &t)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(Value::Bool(b));
                }
            }
            Op::RaiseAssert(n) => {
                let msg = if n == 1 { Some(pop!(fr)) } else { None };
                let cls = self.class(Builtin::AssertionError);
                let e = self.exc_with_args(cls, msg.into_iter().collect());
                return Err(Flow::Raise(e));
            }
            Op::FormatValue(conv, has_spec) => {
                let spec = if has_spec == 1 { Some(pop!(fr)) } else { None };
                let v = pop!(fr);
                let v = match conv {
                    1 => Value::from_string(crate::format::to_str(self, &v)?),
                    2 => Value::from_string(crate::format::repr(self, &v)?),
                    3 => Value::from_string(crate::format::ascii(&crate::format::repr(self, &v)?)),
                    _ => v,
                };
                let spec_s = match &spec {
                    Some(Value::Str(s)) => s.to_string(),
                    _ => String::new(),
                };
                let s = crate::format::format_value(self, &v, &spec_s)?;
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(Value::from_string(s));
                }
            }
            Op::BuildString(n) => {
                let at = fr.stack.len().saturating_sub(n as usize);
                let parts = fr.stack.split_off(at);
                let mut s = String::new();
                for p in parts {
                    if let Value::Str(x) = p {
                        s.push_str(&x);
                    }
                }
                fr.stack.push(Value::from_string(s));
            }
            Op::ImportName(i, leaf) => {
                let name = fr.code.names[i as usize].clone();
                self.import_onto(frames, &name, leaf == 1)?;
            }
            Op::ImportFrom(i) => {
                let name = fr.code.names[i as usize].clone();
                let m = fr.stack.last().cloned().unwrap_or(Value::None);
                let v = match crate::attr::getattr(self, &m, &name) {
                    Ok(v) => v,
                    Err(_) => {
                        let mname = match &m {
                            Value::Obj(id) => match self.p.heap.get(*id) {
                                Obj::Module(m) => m.name.to_string(),
                                _ => String::new(),
                            },
                            _ => String::new(),
                        };
                        // `from concurrent import futures`: the package
                        // imports the submodule the `from` names, whose
                        // body's return pushes it (as `v` below would be).
                        if let Some(full) = crate::modules::submodule(&mname, &name) {
                            self.import_onto(frames, &full, true)?;
                            return Ok(None);
                        }
                        return Err(self.err(
                            Builtin::ImportError,
                            format!("cannot import name '{name}' from '{mname}' (unknown location)"),
                        ));
                    }
                };
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::ImportStar => {
                let m = pop!(fr);
                let target = fr.ns.unwrap_or(fr.globals);
                if let Value::Obj(id) = m {
                    if let Obj::Module(md) = self.p.heap.get(id) {
                        let d = md.dict;
                        let items = match self.p.heap.get(d) {
                            Obj::Dict(d) => d.d.items(),
                            _ => vec![],
                        };
                        for (k, v) in items {
                            if let Value::Str(s) = &k {
                                if !s.starts_with('_') {
                                    self.dict_set_str(target, s, v);
                                }
                            }
                        }
                    }
                }
            }
            Op::WithEnter => {
                let cm = fr.stack.last().cloned().unwrap_or(Value::None);
                let has_exit = match &cm {
                    Value::Obj(id) => match self.p.heap.get(*id) {
                        Obj::Instance(i) => {
                            self.own_method(&cm, "__exit__", EXIT_HASH, &EXIT_HINT).is_some()
                                || crate::attr::lookup_class_h(self, i.class, "__exit__", EXIT_HASH, Some(&EXIT_HINT)).is_some()
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if !has_exit {
                    let t = crate::ops::type_name(self, &cm);
                    return Err(self.type_error(format!("'{t}' object does not support the context manager protocol")));
                }
                fr.stack.push(cm);
            }
            Op::WithExitNormal => {
                let cm = fr.stack.last().cloned().unwrap_or(Value::None);
                let (f, this) = match self.own_method(&cm, "__exit__", EXIT_HASH, &EXIT_HINT) {
                    Some(f) => (f, cm.clone()),
                    None => crate::attr::load_method_h(self, &cm, "__exit__", EXIT_HASH, Some(&EXIT_HINT))?,
                };
                // Fast path: a native __exit__ bound to the manager (a
                // lock's) is called with its arguments on the Rust stack; a
                // tail call or generator resumption it asks for continues
                // exactly as `call_value` would continue it.
                if !matches!(this, Value::Undef) {
                    if let Value::Obj(fid) = &f {
                        if let Obj::Native(nf) = self.p.heap.get(*fid) {
                            let nfn = nf.f;
                            let a = [this, Value::None, Value::None, Value::None];
                            match nfn(self, &a, &Vec::new()) {
                                Ok(_) => {}
                                Err(Flow::Call { callee, args, kwargs }) => {
                                    self.call_value(frames, callee, args, kwargs, OnReturn::Discard)?;
                                }
                                Err(Flow::Resume { gen, send, .. }) => {
                                    self.resume_generator(frames, gen, send, OnReturn::Discard)?;
                                }
                                Err(e) => return Err(e),
                            }
                            if let Some(fr) = frames.last_mut() {
                                fr.stack.pop();
                            }
                            return Ok(None);
                        }
                    }
                }
                let mut args = Vec::with_capacity(4);
                if !matches!(this, Value::Undef) {
                    args.push(this);
                }
                args.extend([Value::None, Value::None, Value::None]);
                // Pop the manager only once the call is under way (a
                // blocking native __exit__ is retried with the stack intact).
                let native = matches!(&f, Value::Obj(id) if matches!(self.p.heap.get(*id), Obj::Native(_)));
                if native {
                    self.call_value(frames, f, args, vec![], OnReturn::Discard)?;
                    if let Some(fr) = frames.last_mut() {
                        fr.stack.pop();
                    }
                } else {
                    if let Some(fr) = frames.last_mut() {
                        fr.stack.pop();
                    }
                    self.call_value(frames, f, args, vec![], OnReturn::Discard)?;
                }
            }
            Op::WithExitExc => {
                let n = fr.stack.len();
                if n < 2 {
                    return Err(self.err(Builtin::RuntimeError, "internal error: with stack"));
                }
                let cm = fr.stack[n - 2].clone();
                let exc = fr.stack[n - 1].clone();
                let t = crate::ops::type_of(self, &exc);
                let (f, this) = crate::attr::load_method_h(self, &cm, "__exit__", EXIT_HASH, Some(&EXIT_HINT))?;
                let mut args = Vec::with_capacity(4);
                if !matches!(this, Value::Undef) {
                    args.push(this);
                }
                args.extend([Value::Obj(t), exc, Value::None]);
                if let Called::Value(v) = self.call_value(frames, f, args, vec![], OnReturn::Push)? {
                    if let Some(fr) = frames.last_mut() {
                        fr.stack.push(v);
                    }
                }
            }
            Op::SuperZero => {
                let owner = fr.func.and_then(|f| match self.p.heap.get(f) {
                    Obj::Function(f) => f.owner,
                    _ => None,
                });
                let mut first = fr.locals.first().cloned().unwrap_or(Value::Undef);
                if matches!(first, Value::Undef) {
                    if let Some((_, ci)) = fr.code.cell_params.iter().find(|(s, _)| *s == 0) {
                        if let Obj::Cell(v) = self.p.heap.get(fr.cells[*ci as usize]) {
                            first = v.clone();
                        }
                    }
                }
                let Some(owner) = owner else {
                    return Err(self.err(Builtin::RuntimeError, "super(): __class__ cell not found"));
                };
                if matches!(first, Value::Undef) {
                    return Err(self.err(Builtin::RuntimeError, "super(): no arguments"));
                }
                let v = self.alloc(Obj::Super(owner, first));
                if let Some(fr) = frames.last_mut() {
                    fr.stack.push(v);
                }
            }
            Op::CloseIter => {
                let it = pop!(fr);
                if let Value::Obj(gid) = it {
                    let needs_close = match self.p.heap.get(gid) {
                        Obj::Generator(g) => g.frame.as_ref().map(|f| !f.blocks.is_empty()).unwrap_or(false),
                        _ => false,
                    };
                    if needs_close {
                        self.close_generator(gid)?;
                    }
                }
            }
            Op::PushExcInfo => {
                let v = self.p.threads[self.tix].exc_stack.last().cloned().unwrap_or(Value::None);
                fr.stack.push(v);
            }
        }
        Ok(None)
    }

    fn unpack_error(&mut self, e: Flow, seq: &Value) -> Flow {
        match e {
            Flow::Raise(_) => {
                let t = crate::ops::type_name(self, seq);
                self.type_error(format!("cannot unpack non-iterable {t} object"))
            }
            other => other,
        }
    }

    /// `raise X`: an exception class is instantiated; an instance is used
    /// as is.
    fn make_exception(&mut self, e: Value) -> R<Value> {
        if let Value::Obj(id) = &e {
            match self.p.heap.get(*id) {
                Obj::Class(_) => {
                    if crate::ops::is_subclass(self, *id, self.class(Builtin::BaseException)) {
                        return self.call_sync(e.clone(), vec![], vec![]);
                    }
                }
                Obj::Instance(i) => {
                    if matches!(i.payload, Payload::Exc(_)) {
                        return Ok(e);
                    }
                }
                _ => {}
            }
        }
        Err(self.type_error("exceptions must derive from BaseException"))
    }

    /// The method `name` of `obj` when `obj` is an instance with an empty
    /// dict whose class itself defines it as a function or native, found
    /// through the position `hint` (`lock.acquire`, a lock's `__exit__`):
    /// what [`crate::attr::load_method_h`] finds first in that case, found
    /// without its calls. `None` when the general lookup must decide.
    #[inline(always)]
    fn own_method(&self, obj: &Value, name: &str, h: u64, hint: &std::sync::atomic::AtomicU32) -> Option<Value> {
        let Value::Obj(id) = obj else { return None };
        let heap = &self.p.heap;
        let Obj::Instance(inst) = heap.get(*id) else { return None };
        let cls = inst.class;
        let Obj::Class(c) = heap.get(cls) else { return None };
        if !inst.dict.is_empty() || c.mro.first() != Some(&cls) {
            return None;
        }
        match c.dict.get_str_hinted(name, h, hint)? {
            m @ Value::Obj(mid) if matches!(heap.get(*mid), Obj::Function(_) | Obj::Native(_)) => Some(m.clone()),
            _ => None,
        }
    }

    fn op_call(&mut self, frames: &mut Vec<Frame>, argc: usize, kwnames: Option<Arc<[Arc<str>]>>, method: bool) -> R<Option<RunExit>> {
        let Some(fr) = frames.last_mut() else {
            return Ok(None);
        };
        let extra = if method { 2 } else { 1 };
        if fr.stack.len() < argc + extra {
            return Err(self.err(Builtin::RuntimeError, "internal error: stack underflow in call"));
        }
        let base = fr.stack.len() - argc - extra;
        let depth = frames.len();
        let fr = &frames[depth - 1];
        if kwnames.is_none() {
            if let Value::Obj(cid) = fr.stack[base] {
                match self.p.heap.get(cid) {
                    // Fast path: a native function called with positional
                    // arguments reads them straight from the stack (no
                    // argument vector).
                    Obj::Native(nf) => {
                        let f = nf.f;
                        let has_self = !method || !matches!(fr.stack[base + 1], Value::Undef);
                        let start = if has_self { base + 1 } else { base + 2 };
                        let r = f(self, &fr.stack[start..], &Vec::new());
                        return match r {
                            Ok(v) => {
                                if let Some(fr) = frames.last_mut() {
                                    truncate_values(&mut fr.stack, base);
                                    fr.stack.push(v);
                                }
                                Ok(None)
                            }
                            Err(Flow::Block(w)) => Err(Flow::Block(w)),
                            Err(e @ (Flow::Call { .. } | Flow::Resume { .. })) => {
                                let r = self.native_flow(frames, Err(e));
                                self.finish_call(frames, base, r)
                            }
                            Err(e) => {
                                if let Some(fr) = frames.last_mut() {
                                    truncate_values(&mut fr.stack, base);
                                }
                                Err(e)
                            }
                        };
                    }
                    // Fast path: a plain Python function called with
                    // positional arguments only (the common case) builds
                    // its frame directly from the caller's stack, moving
                    // the arguments.
                    Obj::Function(_) if depth + (self.sync_depth as usize) * 4 + 1 < RECURSION_LIMIT => {
                        // A method's receiver (if bound) sits right before
                        // its arguments, so the arguments are one slice.
                        let unbound = method && matches!(fr.stack[base + 1], Value::Undef);
                        let start = if unbound { base + 2 } else { base + 1 };
                        if self.push_simple_frame(frames, cid, ArgSource::Stack { base, start }, OnReturn::Push) {
                            return Ok(None);
                        }
                    }
                    _ => {}
                }
            }
        }
        let callee = frames[frames.len() - 1].stack[base].clone();
        let Some(fr) = frames.last_mut() else {
            return Ok(None);
        };
        let mut args: Vec<Value> = Vec::with_capacity(argc + 1);
        if method {
            let s = &fr.stack[base + 1];
            if !matches!(s, Value::Undef) {
                // A builtin value's method: the callee slot holds its name.
                if let Value::Str(name) = &callee {
                    let recv = s.clone();
                    let name = name.clone();
                    let args: Vec<Value> = fr.stack[base + 2..].to_vec();
                    let r = crate::methods::call_method(self, &recv, &name, &args, &Vec::new());
                    let r = self.native_flow(frames, r);
                    return self.finish_call(frames, base, r);
                }
                args.push(s.clone());
            }
            args.extend_from_slice(&fr.stack[base + 2..]);
        } else {
            args.extend_from_slice(&fr.stack[base + 1..]);
        }
        let mut kwargs = Vec::new();
        if let Some(names) = kwnames {
            let at = args.len() - names.len();
            let vals = args.split_off(at);
            kwargs = names.iter().cloned().zip(vals).collect();
        }
        let r = match self.call_value(frames, callee, args, kwargs, OnReturn::Push) {
            Err(Flow::Call { callee, args, kwargs }) => self.call_value(frames, callee, args, kwargs, OnReturn::Push),
            other => other,
        };
        self.finish_call(frames, base, r)
    }

    /// Completes a native's result for a `Push` call site: tail calls and
    /// generator resumptions requested by the native happen here.
    fn native_flow(&mut self, frames: &mut Vec<Frame>, r: R<Value>) -> R<Called> {
        match r {
            Ok(v) => Ok(Called::Value(v)),
            Err(Flow::Call { callee, args, kwargs }) => self.call_value(frames, callee, args, kwargs, OnReturn::Push),
            Err(Flow::Resume { gen, send, default }) => {
                let on = match default {
                    Some(d) => OnReturn::NextDefault(d),
                    None => OnReturn::Push,
                };
                self.resume_generator(frames, gen, send, on)
            }
            Err(e) => Err(e),
        }
    }

    fn finish_call(&mut self, frames: &mut Vec<Frame>, base: usize, r: R<Called>) -> R<Option<RunExit>> {
        match r {
            Ok(Called::Value(v)) => {
                if let Some(fr) = frames.last_mut() {
                    truncate_values(&mut fr.stack, base);
                    if !matches!(v, Value::Undef) {
                        fr.stack.push(v);
                    }
                }
                Ok(None)
            }
            Ok(Called::Pushed) => {
                let n = frames.len();
                if n >= 2 {
                    truncate_values(&mut frames[n - 2].stack, base);
                }
                Ok(None)
            }
            Err(Flow::Block(w)) => Err(Flow::Block(w)),
            Err(e) => {
                if let Some(fr) = frames.last_mut() {
                    truncate_values(&mut fr.stack, base);
                }
                Err(e)
            }
        }
    }

    // ------------------------------------------------------------------
    // Namespaces
    // ------------------------------------------------------------------

    pub fn dict_get_str(&self, d: ObjId, name: &str) -> Option<Value> {
        match self.p.heap.get(d) {
            Obj::Dict(d) => d.d.get_str(name).cloned(),
            _ => None,
        }
    }

    pub fn dict_set_str(&mut self, d: ObjId, name: &str, v: Value) {
        if let Obj::Dict(d) = self.p.heap.get_mut(d) {
            crate::shared::own(d).d.set_str(name, v);
        }
    }

    pub fn dict_del_str(&mut self, d: ObjId, name: &str) -> Option<Value> {
        match self.p.heap.get_mut(d) {
            Obj::Dict(d) => crate::shared::own(d).d.del_str(name),
            _ => None,
        }
    }

    fn load_global(&mut self, globals: ObjId, name: &str) -> R<Value> {
        if let Some(v) = self.dict_get_str(globals, name) {
            return Ok(v);
        }
        if let Some(v) = self.dict_get_str(self.p.builtins, name) {
            return Ok(v);
        }
        // (A module's or a class body's code has no local variables.)
        Err(self.name_error(name, &[], globals))
    }

    // ------------------------------------------------------------------
    // Instantiation
    // ------------------------------------------------------------------

    fn instantiate(&mut self, cls: ObjId, args: Vec<Value>, kwargs: Kwargs) -> R<Instantiated> {
        let (builtin, native) = match self.p.heap.get(cls) {
            Obj::Class(c) => (c.builtin, c.native),
            _ => return Err(self.type_error("not a class")),
        };
        // Builtin value types construct natively (also for exact builtins
        // only; subclasses of value types are not supported).
        if let Some(b) = builtin {
            if native == NativeBase::Object && b != Builtin::Object {
                return Ok(Instantiated::Done(crate::builtins::construct(self, b, cls, args, kwargs)?));
            }
        } else {
            // A user class: does it derive from a builtin value type?
            let mro = match self.p.heap.get(cls) {
                Obj::Class(c) => c.mro.clone(),
                _ => vec![],
            };
            for m in &mro[1..] {
                if let Obj::Class(c) = self.p.heap.get(*m) {
                    if let Some(b) = c.builtin {
                        if c.native == NativeBase::Object && !matches!(b, Builtin::Object) {
                            let name = b.name();
                            return Err(self.err(
                                Builtin::NotImplementedError,
                                format!("Interleave does not support subclassing '{name}' yet"),
                            ));
                        }
                    }
                }
            }
        }
        let payload = match native {
            NativeBase::Exception => Payload::Exc(Box::new(ExcData { args: args.clone(), ..Default::default() })),
            _ => Payload::None,
        };
        let inst = self.alloc(Obj::Instance(Box::new(Instance { class: cls, dict: PyDict::new(), payload })));
        match crate::attr::lookup_class(self, cls, "__init__") {
            Some(init) => {
                let mut a = Vec::with_capacity(args.len() + 1);
                a.push(inst.clone());
                a.extend(args);
                Ok(Instantiated::Init { init, args: a, kwargs, inst })
            }
            None => {
                if (!args.is_empty() || !kwargs.is_empty()) && native == NativeBase::Object {
                    let name = match self.p.heap.get(cls) {
                        Obj::Class(c) => c.name.clone(),
                        _ => Arc::from("object"),
                    };
                    return Err(self.type_error(format!("{name}() takes no arguments")));
                }
                Ok(Instantiated::Done(inst))
            }
        }
    }
}

/// Where [`Vm::push_simple_frame`] takes a call's arguments from.
enum ArgSource<'a> {
    /// All of a vector.
    Vec(&'a mut Vec<Value>),
    /// The caller's stack from `start` on; the stack is then cut to `base`
    /// (dropping the callee below the arguments).
    Stack { base: usize, start: usize },
}

enum Instantiated {
    Done(Value),
    Init { init: Value, args: Vec<Value>, kwargs: Kwargs, inst: Value },
}

/// Whether the op before `ip` was an in-place one (1) or not (0).
fn self_op_kind(ops: &[Op], ip: usize) -> u8 {
    match ops.get(ip.wrapping_sub(1)) {
        Some(Op::Inplace(_)) => 1,
        _ => 0,
    }
}

fn args_back(_vm: &mut Vm, v: &Value) -> Value {
    v.clone()
}

fn missing_msg(qual: &str, names: &[Arc<str>], kind: &str) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    let list = match quoted.len() {
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        _ => {
            let (last, rest) = quoted.split_last().expect("len > 2");
            format!("{}, and {}", rest.join(", "), last)
        }
    };
    let s = if names.len() == 1 { "" } else { "s" };
    format!("{qual}() missing {} required {kind} argument{s}: {list}", names.len())
}

fn deref_name(code: &Code, i: u32) -> Arc<str> {
    let i = i as usize;
    if i < code.cellvars.len() {
        code.cellvars[i].clone()
    } else {
        code.freevars.get(i - code.cellvars.len()).cloned().unwrap_or_else(|| Arc::from("?"))
    }
}

impl Frame {
    /// The parts of a frame a traceback entry needs.
    fn clone_for_tb(&self) -> Frame {
        Frame {
            code: self.code.clone(),
            ip: self.ip,
            stack: Vec::new(),
            locals: Vec::new(),
            cells: Vec::new(),
            blocks: Vec::new(),
            globals: self.globals,
            ns: None,
            func: None,
            on_return: OnReturn::Discard,
            generator: None,
        }
    }
}
