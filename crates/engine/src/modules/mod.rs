//! The standard library modules Interleave provides, all running on the
//! virtual kernel (virtual threads, virtual time, seeded randomness).
//!
//! `import` looks a module up by name, builds it on first use (a module
//! object whose namespace dict holds native functions and classes) and
//! caches it in the process's module table, as `sys.modules` does.

use std::sync::Arc;

use crate::code::Code;
use crate::dict::PyDict;
use crate::object::*;
use crate::types::Builtin;
use crate::value::{ObjId, Value};
use crate::vm::{Vm, R};

pub mod atexit;
pub mod collections;
pub mod copy;
pub mod dataclasses;
pub mod datetime;
pub mod files;
pub mod functools;
pub mod itertools;
pub mod json;
pub mod math;
pub mod os;
pub mod processes;
pub mod queue;
pub mod sockets;
pub mod mersenne;
pub mod random;
pub mod sys;
pub mod threading;
pub mod time;
pub mod traceback;

/// Standard-library modules that exist in CPython but not (yet) here.
const UNSUPPORTED: &[&str] = &[
    "ctypes", "subprocess", "ssl", "http", "urllib", "sqlite3", "pickle", "io", "pathlib", "shutil", "tempfile",
    "unittest", "re", "struct", "array", "weakref", "gc", "inspect",
    "enum", "statistics", "decimal", "fractions",
    "textwrap", "uuid", "hashlib", "base64", "csv", "argparse", "pprint", "timeit", "sched", "platform",
    "tkinter", "numpy", "requests", "secrets", "zlib", "glob", "fnmatch", "getpass", "locale",
    "warnings", "codecs", "ast", "dis", "types", "numbers", "cmath", "_thread",
];

pub fn new_module(vm: &mut Vm, name: &str) -> (Value, ObjId) {
    let d = vm.p.heap.alloc(Obj::Dict(Arc::new(DictObj { d: PyDict::new(), kind: DictKind::Dict, default_factory: Value::None })));
    vm.dict_set_str(d, "__name__", Value::str(name));
    let m = vm.alloc(Obj::Module(Module { name: Arc::from(name), dict: d }));
    (m, d)
}

/// Records module `m` as imported under `name` (the process's
/// `sys.modules`), so that the next import of `name` finds it.
fn register(vm: &mut Vm, name: &str, m: &Value) {
    if let Value::Obj(id) = m {
        vm.p.modules.push((Arc::from(name), *id));
    }
}

pub fn add_fn(vm: &mut Vm, d: ObjId, name: &'static str, qual: &'static str, f: NativeFnPtr) {
    let v = crate::builtins::native(vm, name, qual, f);
    vm.dict_set_str(d, name, v);
}

pub fn add_class(vm: &mut Vm, d: ObjId, b: Builtin) {
    let c = vm.class(b);
    vm.dict_set_str(d, b.name(), Value::Obj(c));
}

/// Adds a native method to a builtin class's dict.
pub fn add_method(vm: &mut Vm, b: Builtin, name: &'static str, f: NativeFnPtr) {
    let cls = vm.class(b);
    let v = crate::builtins::native(vm, name, b.name(), f);
    if let Obj::Class(c) = vm.p.heap.get_mut(cls) {
        let c = crate::shared::own(c);
        c.dict.set_str(name, v);
    }
}

/// Adds a read-only (or read-write) native property to a builtin class.
pub fn add_property(vm: &mut Vm, b: Builtin, name: &'static str, get: NativeFnPtr, set: Option<NativeFnPtr>) {
    let cls = vm.class(b);
    let g = crate::builtins::native(vm, name, b.name(), get);
    let s = match set {
        Some(f) => crate::builtins::native(vm, name, b.name(), f),
        None => Value::None,
    };
    let p = vm.alloc(Obj::Property(g, s));
    if let Obj::Class(c) = vm.p.heap.get_mut(cls) {
        let c = crate::shared::own(c);
        c.dict.set_str(name, p);
    }
}

/// Installs the native methods of library classes (called once per
/// process, since instances may exist before their module is imported).
pub fn install_classes(vm: &mut Vm) {
    threading::install_classes(vm);
    queue::install_classes(vm);
    sys::install_classes(vm);
    datetime::install_classes(vm);
    add_method(vm, Builtin::BaseException, "__init__", exc_init);
    add_method(vm, Builtin::BaseException, "with_traceback", |_, a, _| Ok(a.first().cloned().unwrap_or(Value::None)));
    add_method(vm, Builtin::BaseException, "add_note", |_, _, _| Ok(Value::None));
    add_method(vm, Builtin::Object, "__setattr__", crate::attr::object_setattr);
    add_method(vm, Builtin::Object, "__delattr__", crate::attr::object_delattr);
}

fn exc_init(vm: &mut Vm, args: &[Value], _: &crate::value::Kwargs) -> R<Value> {
    if let Some(Value::Obj(id)) = args.first() {
        if let Obj::Instance(i) = vm.p.heap.get_mut(*id) {
            if let Payload::Exc(e) = &mut i.payload {
                e.args = args[1..].to_vec();
            }
        }
    }
    Ok(Value::None)
}

pub fn import(vm: &mut Vm, name: &str, leaf: bool) -> R<Value> {
    let _ = leaf;
    if let Some((_, m)) = vm.p.modules.iter().find(|(n, _)| &**n == name) {
        let m = *m;
        // `import a.b` binds (and so pushes) the top package `a`.
        if !leaf && name.contains('.') {
            let top = name.split('.').next().unwrap_or(name);
            if let Some((_, t)) = vm.p.modules.iter().find(|(n, _)| &**n == top) {
                return Ok(Value::Obj(*t));
            }
        }
        return Ok(Value::Obj(m));
    }
    if let Some(src) = python_source(name) {
        return import_python(vm, name, src, leaf);
    }
    if is_package(name) {
        // `from concurrent import futures` imports the package alone; the
        // `from` then imports the submodule it names (see `Op::ImportFrom`).
        let (m, _) = new_module(vm, name);
        register(vm, name, &m);
        return Ok(m);
    }
    let built = match name {
        "threading" => threading::module(vm),
        "queue" => queue::module(vm),
        "time" => time::module(vm),
        "random" => random::module(vm),
        "_collections" => collections::module(vm),
        "sys" => sys::module(vm),
        "os" => os::module(vm),
        "signal" => os::signal_module(vm),
        // `os.path` is made with `os`; `import os.path` binds `os`.
        "os.path" => {
            let os = import(vm, "os", true)?;
            let path = crate::attr::getattr(vm, &os, "path")?;
            register(vm, name, &path);
            return if leaf { Ok(path) } else { Ok(os) };
        }
        "math" => math::module(vm),
        "json" => json::module(vm),
        "itertools" => itertools::module(vm),
        "functools" => functools::module(vm),
        "datetime" => datetime::module(vm),
        "traceback" => traceback::module(vm),
        "copy" => copy::module(vm),
        "atexit" => atexit::module(vm),
        "_dataclasses" => dataclasses::module(vm),
        "_multiprocessing" => processes::module(vm),
        "_socket" => sockets::module(vm),
        "typing" | "__future__" => {
            let (m, d) = new_module(vm, name);
            let obj = vm.class(Builtin::Object);
            for n in ["Any", "List", "Dict", "Tuple", "Set", "Optional", "Union", "Callable", "Iterable", "Iterator", "Generator", "Deque", "ClassVar", "Awaitable", "Coroutine", "AsyncIterator", "annotations"] {
                vm.dict_set_str(d, n, Value::Obj(obj));
            }
            m
        }
        _ => {
            let top = name.split('.').next().unwrap_or(name);
            if UNSUPPORTED.contains(&name) || UNSUPPORTED.contains(&top) {
                return Err(vm.err(Builtin::NotImplementedError, format!("Interleave does not support the '{name}' module")));
            }
            return Err(vm.err(Builtin::ModuleNotFoundError, format!("No module named '{name}'")));
        }
    };
    register(vm, name, &built);
    Ok(built)
}

/// The library's modules that live inside a package (CPython's
/// `concurrent` is a package holding `futures`).
const SUBMODULES: &[&str] = &["concurrent.futures", "gevent.monkey", "gevent.socket", "gevent.server", "gevent.queue", "gevent.event", "gevent.lock", "gevent.pool"];

/// The library's submodules of package `name` (none when it is not one).
pub fn submodules_of(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    SUBMODULES.iter().copied().filter(move |s| s.strip_prefix(name).is_some_and(|rest| rest.starts_with('.')))
}

/// Whether `name` is a package of the library: a name whose import alone
/// gives an empty module, as CPython's `import concurrent` does.
pub fn is_package(name: &str) -> bool {
    submodules_of(name).next().is_some()
}

/// `package.name` when that is a submodule of the library, which
/// `from package import name` imports when the package does not have
/// `name` yet.
pub fn submodule(package: &str, name: &str) -> Option<String> {
    let full = format!("{package}.{name}");
    SUBMODULES.contains(&full.as_str()).then_some(full)
}

/// Modules written in Python (compiled on first import).
pub fn python_source(name: &str) -> Option<&'static str> {
    match name {
        "concurrent.futures" => Some(include_str!("py/concurrent_futures.py")),
        "logging" => Some(include_str!("py/logging.py")),
        "heapq" => Some(include_str!("py/heapq.py")),
        "bisect" => Some(include_str!("py/bisect.py")),
        "string" => Some(include_str!("py/string.py")),
        "abc" => Some(include_str!("py/abc.py")),
        "collections" => Some(include_str!("py/collections.py")),
        "contextlib" => Some(include_str!("py/contextlib.py")),
        "operator" => Some(include_str!("py/operator.py")),
        "asyncio" => Some(include_str!("py/asyncio.py")),
        "greenlet" => Some(include_str!("py/greenlet.py")),
        "dataclasses" => Some(include_str!("py/dataclasses.py")),
        "gevent" => Some(include_str!("py/gevent.py")),
        "gevent.monkey" => Some(include_str!("py/gevent_monkey.py")),
        "gevent.socket" => Some(include_str!("py/gevent_socket.py")),
        "gevent.server" => Some(include_str!("py/gevent_server.py")),
        "gevent.queue" => Some(include_str!("py/gevent_queue.py")),
        "gevent.event" => Some(include_str!("py/gevent_event.py")),
        "gevent.lock" => Some(include_str!("py/gevent_lock.py")),
        "gevent.pool" => Some(include_str!("py/gevent_pool.py")),
        "multiprocessing" => Some(include_str!("py/multiprocessing.py")),
        "socket" => Some(include_str!("py/socket.py")),
        "select" => Some(include_str!("py/select.py")),
        "selectors" => Some(include_str!("py/selectors.py")),
        "errno" => Some(include_str!("py/errno.py")),
        _ => None,
    }
}

/// The code of a Python-written module of the engine's own (a library
/// module, the prelude), compiled once per process and shared from then
/// on: every machine boots the prelude, and the explorer starts one
/// machine per search, where compiling it again was most of the start-up.
/// The cache is keyed by the source's address (each is a `&'static str`
/// of its own). Sharing is safe because code objects are immutable (the
/// lookup hints inside are checked before use; see ARCHITECTURE.md), and
/// the fingerprint names code by its address, which is then the same for
/// every machine of the process.
pub fn compiled(src: &'static str, filename: &str) -> Result<Arc<Code>, String> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<usize, Arc<Code>>>> = OnceLock::new();
    let key = src.as_ptr() as usize;
    let cache = CACHE.get_or_init(Default::default);
    if let Some(code) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(code.clone());
    }
    // Compiled outside the lock: two threads may both compile it once, and
    // the first to finish is kept.
    let module = crate::syntax::parse(src, filename).map_err(|e| e.to_string())?;
    let code = crate::compile::compile_module(&module, src, filename).map_err(|e| e.to_string())?;
    Ok(cache.lock().unwrap_or_else(|e| e.into_inner()).entry(key).or_insert(code).clone())
}

/// Imports a module written in Python: registers the module (and its
/// parent packages) first, then asks the VM to run its body; the import
/// op pushes the module (or the top package) when the body returns.
fn import_python(vm: &mut Vm, name: &str, src: &'static str, leaf: bool) -> R<Value> {
    // Parent packages (`concurrent` for `concurrent.futures`).
    let mut parent: Option<Value> = None;
    let mut top: Option<Value> = None;
    let parts: Vec<&str> = name.split('.').collect();
    for k in 1..parts.len() {
        let pname = parts[..k].join(".");
        let existing = vm.p.modules.iter().find(|(n, _)| **n == *pname).map(|(_, m)| Value::Obj(*m));
        let pm = match existing {
            Some(m) => m,
            // A parent written in Python that was not imported yet
            // (`import gevent.monkey` first): a stand-in that carries the
            // submodule, left unregistered so that `import gevent` still
            // runs the real one.
            None if python_source(&pname).is_some() => new_module(vm, &pname).0,
            None => {
                let (m, _) = new_module(vm, &pname);
                register(vm, &pname, &m);
                if let Some(pp) = &parent {
                    let _ = crate::attr::setattr(vm, pp, parts[k - 1], m.clone());
                }
                m
            }
        };
        if top.is_none() {
            top = Some(pm.clone());
        }
        parent = Some(pm);
    }
    let filename = format!("<{name}>");
    let module = compiled(src, &filename).map_err(|e| vm.err(Builtin::ImportError, format!("cannot compile {name}: {e}")))?;
    let (m, d) = new_module(vm, name);
    register(vm, name, &m);
    if let Some(pp) = &parent {
        let leaf_name = parts.last().copied().unwrap_or(name);
        let _ = crate::attr::setattr(vm, pp, leaf_name, m.clone());
    }
    let body = vm.alloc(Obj::Function(Arc::new(Function {
        name: Arc::from("<module>"),
        qualname: Arc::from("<module>"),
        code: module,
        defaults: vec![],
        kwdefaults: vec![],
        closure: vec![],
        globals: d,
        owner: None,
        attrs: PyDict::new(),
    })));
    let push = if leaf { m } else { top.unwrap_or(m) };
    Err(crate::vm::Flow::RunModule { body, module: push })
}
