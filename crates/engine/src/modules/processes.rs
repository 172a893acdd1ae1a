//! `_multiprocessing`: what processes share through the kernel, under
//! `multiprocessing.py`.
//!
//! Processes share no heap: a fork copies the parent's, and from then on
//! each changes its own copy (that is the lesson of memory isolation). So
//! everything two processes both see lives in the kernel, outside every
//! heap, as it does in a real operating system:
//! - **channels** ([`Chan`]): the pipes under `multiprocessing.Queue`,
//!   `JoinableQueue` and `Pipe()`. A value put in one is copied out of the
//!   sender's heap into a [`Msg`] (what pickling does in CPython), and
//!   rebuilt in the receiver's heap when it is taken out: the receiver
//!   gets an equal object, never the same one.
//! - **kernel locks and semaphores** ([`KSync`]): `multiprocessing.Lock`,
//!   `RLock`, `Semaphore`, and the lock of a `Value`.
//! - **shared memory**: `multiprocessing.Value` and `Array`, slots of
//!   plain values that every process reads and writes in place.
//! - **managed objects**: the dicts and lists of a `Manager()`, kept as
//!   copies; each operation on one is a single step, as each request to
//!   CPython's manager process is served alone.
//!
//! A thread that waits on a channel or a kernel lock blocks on
//! [`WaitOn::Chan`] or [`WaitOn::KSync`]; whoever changes the channel or
//! lock asks the machine to wake every thread of every process waiting on
//! it ([`Request::Wake`]), and they retry their call.

use std::sync::Arc;

use crate::dict::PyDict;
use crate::kernel::{Chan, HashableValue, KSync, Msg, Request, WaitOn, Wake};
use crate::methods::need_int;
use crate::modules::os::Reap;
use crate::modules::{add_fn, new_module};
use crate::object::*;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

/// How deep a value sent between processes may nest.
const MAX_DEPTH: usize = 200;

fn id_arg(vm: &mut Vm, args: &[Value], i: usize) -> R<usize> {
    Ok(need_int(vm, args.get(i).unwrap_or(&Value::None))? as usize)
}

fn flag(args: &[Value], i: usize, default: bool) -> bool {
    match args.get(i) {
        None | Some(Value::None) => default,
        Some(Value::Bool(b)) => *b,
        Some(Value::Int(n)) => *n != 0,
        Some(_) => true,
    }
}

/// A timeout argument in seconds (None: wait for ever); also the
/// socket timeout `socket.py` passes to `_socket`, where 0 is "do not
/// wait".
pub(crate) fn timeout(args: &[Value], i: usize) -> Option<f64> {
    match args.get(i) {
        Some(Value::Int(n)) => Some(*n as f64),
        Some(Value::Float(f)) => Some(*f),
        _ => None,
    }
}

/// Whether a call that would wait returns (or raises) now instead: it
/// was asked not to block, or its timeout is zero, or a timed wait has
/// just timed out.
fn gives_up(vm: &mut Vm, block: bool, wait: Option<f64>) -> bool {
    !block || wait.is_some_and(|t| t <= 0.0) || crate::modules::threading::woke(vm) == Some(Wake::TimedOut)
}

// ------------------------------------------------------------ values

/// The module and qualified name a class or function is found by in the
/// receiving process, as pickle sends them.
fn named(vm: &mut Vm, v: &Value) -> Option<Msg> {
    let Value::Obj(id) = v else { return None };
    match vm.p.heap.get(*id) {
        Obj::Function(f) => {
            let (qual, globals) = (f.qualname.clone(), f.globals);
            let module = match vm.p.heap.get(globals) {
                Obj::Dict(d) => match d.d.get_str("__name__") {
                    Some(Value::Str(s)) => s.clone(),
                    _ => Arc::from("__main__"),
                },
                _ => Arc::from("__main__"),
            };
            Some(Msg::Named(module, qual))
        }
        Obj::Class(c) => Some(Msg::Named(c.module.clone(), c.qualname.clone())),
        // A builtin function, by its module and name (`os.getpid`).
        Obj::Native(nf) => Some(Msg::Named(Arc::from(nf.qual), Arc::from(nf.name))),
        _ => None,
    }
}

/// Copies `v` out of the sender's heap.
pub fn dump(vm: &mut Vm, v: &Value, depth: usize) -> R<Msg> {
    if depth > MAX_DEPTH {
        return Err(vm.err(Builtin::RecursionError, "maximum recursion depth exceeded while pickling an object"));
    }
    let id = match v {
        Value::Obj(id) => *id,
        Value::Undef | Value::Ellipsis | Value::NotImplemented => {
            let t = crate::ops::type_name(vm, v);
            return Err(vm.type_error(format!("cannot pickle '{t}' object")));
        }
        plain => return Ok(Msg::Plain(HashableValue(plain.clone()))),
    };
    let obj = vm.p.heap.get(id).clone();
    let each = |vm: &mut Vm, items: &[Value]| items.iter().map(|x| dump(vm, x, depth + 1)).collect::<R<Vec<Msg>>>();
    Ok(match obj {
        Obj::Tuple(items) => Msg::Tuple(each(vm, &items)?),
        Obj::List(items) => Msg::List(each(vm, &items)?),
        Obj::Dict(d) if matches!(d.kind, DictKind::Dict) => {
            let mut out = Vec::new();
            for (k, x) in d.d.items() {
                out.push((dump(vm, &k, depth + 1)?, dump(vm, &x, depth + 1)?));
            }
            Msg::Dict(out)
        }
        Obj::Set(d, frozen) => {
            let keys: Vec<Value> = d.iter().map(|e| e.key.clone()).collect();
            Msg::Set(each(vm, &keys)?, frozen)
        }
        Obj::Function(_) | Obj::Class(_) | Obj::Native(_) => named(vm, v).expect("a function or class has a name"),
        Obj::Instance(inst) => {
            let class = Value::Obj(inst.class);
            let class = named(vm, &class).expect("a class has a name");
            let args = match &inst.payload {
                Payload::Exc(e) => Some(each(vm, &e.args.clone())?),
                Payload::None => None,
                _ => {
                    let t = crate::ops::type_name(vm, v);
                    return Err(vm.type_error(format!("cannot pickle '{t}' object")));
                }
            };
            let mut attrs = Vec::new();
            for (k, x) in inst.dict.items() {
                if let Value::Str(k) = k {
                    attrs.push((k, dump(vm, &x, depth + 1)?));
                }
            }
            Msg::Instance { class: Box::new(class), attrs, args }
        }
        _ => {
            let t = crate::ops::type_name(vm, v);
            return Err(vm.type_error(format!("cannot pickle '{t}' object")));
        }
    })
}

/// Finds a class or function by module and qualified name in this
/// process, as unpickling does.
fn find_named(vm: &mut Vm, module: &str, qual: &str) -> R<Value> {
    let dict = if module == "__main__" {
        Some(vm.p.main_globals)
    } else if module == "builtins" {
        Some(vm.p.builtins)
    } else {
        let m = vm.p.modules.iter().find(|(n, _)| &**n == module).map(|(_, m)| *m);
        m.and_then(|m| match vm.p.heap.get(m) {
            Obj::Module(md) => Some(md.dict),
            _ => None,
        })
    };
    let missing = |vm: &mut Vm| vm.err(Builtin::AttributeError, format!("Can't get attribute '{qual}' on <module '{module}'>"));
    let Some(dict) = dict else { return Err(missing(vm)) };
    let mut parts = qual.split('.');
    let first = parts.next().unwrap_or(qual);
    let found = match vm.p.heap.get(dict) {
        Obj::Dict(d) => d.d.get_str(first).cloned(),
        _ => None,
    };
    let Some(mut v) = found.or_else(|| if module == "builtins" { builtin_class(vm, first) } else { None }) else {
        return Err(missing(vm));
    };
    for part in parts {
        v = crate::attr::getattr(vm, &v, part).map_err(|_| missing(vm))?;
    }
    Ok(v)
}

/// A builtin class that the builtins namespace does not hold by its
/// class name (`Empty` of `_queue`, say): looked up among all of them.
fn builtin_class(vm: &mut Vm, name: &str) -> Option<Value> {
    Builtin::ALL.iter().find(|b| b.name() == name).map(|b| Value::Obj(vm.class(*b)))
}

/// Rebuilds `m` in the receiver's heap.
pub fn load(vm: &mut Vm, m: &Msg) -> R<Value> {
    Ok(match m {
        Msg::Plain(v) => v.0.clone(),
        Msg::Tuple(items) => {
            let v = items.iter().map(|x| load(vm, x)).collect::<R<Vec<_>>>()?;
            vm.new_tuple(v)
        }
        Msg::List(items) => {
            let v = items.iter().map(|x| load(vm, x)).collect::<R<Vec<_>>>()?;
            vm.new_list(v)
        }
        Msg::Dict(items) => {
            let d = vm.new_dict(PyDict::new());
            for (k, x) in items {
                let (k, x) = (load(vm, k)?, load(vm, x)?);
                crate::ops::dict_set(vm, &d, k, x)?;
            }
            d
        }
        Msg::Set(items, frozen) => {
            let v = items.iter().map(|x| load(vm, x)).collect::<R<Vec<_>>>()?;
            crate::ops::new_set(vm, v, *frozen)?
        }
        Msg::Named(module, qual) => find_named(vm, module, qual)?,
        Msg::Instance { class, attrs, args } => {
            let cls = load(vm, class)?;
            let obj = match args {
                // An exception is rebuilt by calling its class with its
                // args, as pickle does.
                Some(args) => {
                    let a = args.iter().map(|x| load(vm, x)).collect::<R<Vec<_>>>()?;
                    vm.call_sync(cls, a, vec![])?
                }
                // Anything else is made without calling `__init__`, then
                // given its attributes.
                None => {
                    let Value::Obj(cid) = cls else { return Err(vm.type_error("cannot unpickle: not a class")) };
                    vm.alloc(Obj::Instance(Box::new(Instance { class: cid, dict: PyDict::new(), payload: Payload::None })))
                }
            };
            for (k, x) in attrs {
                let x = load(vm, x)?;
                crate::attr::setattr_plain(vm, &obj, k, x)?;
            }
            obj
        }
    })
}

// ---------------------------------------------------------- channels

/// `_chan_new(maxsize)`: a new channel's id.
fn chan_new(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let maxsize = need_int(vm, args.first().unwrap_or(&Value::Int(0)))?.max(0) as usize;
    vm.k.chans.push(Chan { maxsize, ..Chan::default() });
    Ok(Value::Int(vm.k.chans.len() as i64 - 1))
}

fn chan<'a>(vm: &'a mut Vm, id: usize) -> R<&'a mut Chan> {
    if id >= vm.k.chans.len() {
        return Err(vm.err(Builtin::ValueError, "no such channel"));
    }
    Ok(&mut vm.k.chans[id])
}

/// Adds `delta` (1 or -1) to the open read or write ends of pipe
/// channel `chan`; true when the last end of that kind closed (its
/// waiters must learn of it).
pub fn count_end(k: &mut crate::kernel::Kernel, chan: u32, write: bool, delta: i32) -> bool {
    let Some(c) = k.chans.get_mut(chan as usize) else { return false };
    let (r, w) = c.ends.get_or_insert((0, 0));
    let n = if write { w } else { r };
    *n = (*n as i64 + delta as i64).max(0) as u32;
    delta < 0 && *n == 0
}

/// Whether pipe channel `id` has no write end open any more.
fn no_writers(c: &Chan) -> bool {
    matches!(c.ends, Some((_, 0)))
}

/// `_chan_open(id, write)`: this process opens a read (or write) end of
/// pipe channel `id`.
fn chan_open(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let write = flag(args, 1, false);
    chan(vm, id)?;
    count_end(vm.k, id as u32, write, 1);
    let e = (id as u32, write);
    let at = vm.p.chan_ends.partition_point(|x| *x < e);
    vm.p.chan_ends.insert(at, e);
    Ok(Value::None)
}

/// `_chan_close(id, write)`: this process closes one of its ends of
/// pipe channel `id`; when it was the last of its kind anywhere, the
/// other side's waiters wake (to `EOFError`, say).
fn chan_close(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let write = flag(args, 1, false);
    let e = (id as u32, write);
    if let Some(at) = vm.p.chan_ends.iter().position(|x| *x == e) {
        vm.p.chan_ends.remove(at);
        if count_end(vm.k, id as u32, write, -1) {
            vm.k.requests.push(Request::Wake(WaitOn::Chan(id as u32)));
        }
    }
    Ok(Value::None)
}

/// `_chan_put(id, obj, block, timeout, counted)`: puts a copy of `obj`;
/// raises `queue.Full` when a bounded channel stays full. `counted`: a
/// `JoinableQueue`'s put, which `task_done()` must match.
fn chan_put(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let (block, wait) = (flag(args, 2, true), timeout(args, 3));
    let counted = flag(args, 4, false);
    let c = chan(vm, id)?;
    if matches!(c.ends, Some((0, _))) {
        // Nobody can read it any more.
        return Err(crate::modules::sockets::os_error(vm, crate::modules::sockets::EPIPE));
    }
    if c.maxsize > 0 && c.items.len() >= c.maxsize {
        if gives_up(vm, block, wait) {
            return Err(crate::modules::queue::raise_cls(vm, Builtin::QueueFull));
        }
        return Err(crate::modules::threading::block(vm, WaitOn::Chan(id as u32), wait));
    }
    let msg = dump(vm, args.get(1).unwrap_or(&Value::None), 0)?;
    let c = chan(vm, id)?;
    c.items.push_back(msg);
    if counted {
        c.unfinished += 1;
    }
    vm.k.requests.push(Request::Wake(WaitOn::Chan(id as u32)));
    Ok(Value::None)
}

/// `_chan_get(id, block, timeout)`: takes the oldest message out,
/// rebuilt in this process; raises `queue.Empty` when none comes.
fn chan_get(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let (block, wait) = (flag(args, 1, true), timeout(args, 2));
    let c = chan(vm, id)?;
    let Some(msg) = c.items.pop_front() else {
        if no_writers(c) {
            // A pipe whose every write end is closed: the end of it.
            return Err(vm.err(Builtin::EOFError, ""));
        }
        if gives_up(vm, block, wait) {
            return Err(crate::modules::queue::raise_cls(vm, Builtin::QueueEmpty));
        }
        return Err(crate::modules::threading::block(vm, WaitOn::Chan(id as u32), wait));
    };
    vm.k.requests.push(Request::Wake(WaitOn::Chan(id as u32)));
    load(vm, &msg)
}

/// `_chan_size(id)`: how many messages wait in the channel.
fn chan_size(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let n = chan(vm, id)?.items.len();
    Ok(Value::Int(n as i64))
}

/// `_chan_poll(id, timeout)`: whether a message waits, waiting up to
/// `timeout` seconds for one (None: for ever).
fn chan_poll(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let wait = match args.get(1) {
        Some(Value::None) => None,
        _ => Some(timeout(args, 1).unwrap_or(0.0)),
    };
    let c = chan(vm, id)?;
    if !c.items.is_empty() || no_writers(c) {
        return Ok(Value::Bool(true));
    }
    if gives_up(vm, true, wait) {
        return Ok(Value::Bool(false));
    }
    Err(crate::modules::threading::block(vm, WaitOn::Chan(id as u32), wait))
}

/// `_wait_child(pid, timeout)`: reaps child `pid` once it has exited and
/// returns its wait status; None if it is still running after `timeout`
/// seconds (None: for ever), or is not this process's child (any more).
fn wait_child(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let pid = need_int(vm, args.first().unwrap_or(&Value::None))? as u32;
    let wait = timeout(args, 1);
    match crate::modules::os::reap(vm, pid as i64) {
        Reap::NoChild => return Ok(Value::None),
        Reap::Reaped(_, status) => return Ok(Value::Int(status as i64)),
        Reap::Running => {}
    }
    if gives_up(vm, true, wait) {
        return Ok(Value::None);
    }
    Err(crate::modules::threading::block(vm, WaitOn::Child(pid), wait))
}

/// `_chan_task_done(id)`.
fn chan_task_done(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let c = chan(vm, id)?;
    if c.unfinished <= 0 {
        return Err(vm.err(Builtin::ValueError, "task_done() called too many times"));
    }
    c.unfinished -= 1;
    if c.unfinished == 0 {
        vm.k.requests.push(Request::Wake(WaitOn::Chan(id as u32)));
    }
    Ok(Value::None)
}

/// `_chan_join(id)`: waits until every counted put was matched by a
/// `task_done()`.
fn chan_join(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    if chan(vm, id)?.unfinished > 0 {
        return Err(crate::modules::threading::block(vm, WaitOn::Chan(id as u32), None));
    }
    Ok(Value::None)
}

// ------------------------------------------------------ kernel locks

/// `_ksync_new(kind, value, bound)`: kind 0 a lock, 1 a re-entrant lock,
/// 2 a semaphore starting at `value` (bounded by `bound` if given).
fn ksync_new(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let kind = need_int(vm, args.first().unwrap_or(&Value::Int(0)))?;
    let s = match kind {
        0 | 1 => KSync::Lock { owner: None, count: 0, reentrant: kind == 1 },
        _ => {
            let value = need_int(vm, args.get(1).unwrap_or(&Value::Int(1)))?;
            let bound = match args.get(2) {
                Some(Value::Int(b)) => Some(*b),
                _ => None,
            };
            KSync::Semaphore { value, bound }
        }
    };
    vm.k.ksync.push(s);
    Ok(Value::Int(vm.k.ksync.len() as i64 - 1))
}

/// `_ksync_acquire(id, block, timeout)`: True once acquired, False when
/// not blocking (or timed out) and it is taken.
fn ksync_acquire(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let (block, wait) = (flag(args, 1, true), timeout(args, 2));
    let me = vm.tid();
    let Some(s) = vm.k.ksync.get_mut(id) else { return Err(vm.err(Builtin::ValueError, "no such lock")) };
    let got = match s {
        KSync::Lock { owner, count, reentrant } => match owner {
            None => {
                *owner = Some(me);
                *count = 1;
                true
            }
            Some(o) if *o == me && *reentrant => {
                *count += 1;
                true
            }
            _ => false,
        },
        KSync::Semaphore { value, .. } => {
            if *value > 0 {
                *value -= 1;
                true
            } else {
                false
            }
        }
    };
    if got {
        return Ok(Value::Bool(true));
    }
    if gives_up(vm, block, wait) {
        return Ok(Value::Bool(false));
    }
    Err(crate::modules::threading::block(vm, WaitOn::KSync(id as u32), wait))
}

/// `_ksync_release(id)`.
fn ksync_release(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let me = vm.tid();
    let Some(s) = vm.k.ksync.get_mut(id) else { return Err(vm.err(Builtin::ValueError, "no such lock")) };
    let problem = match s {
        KSync::Lock { owner, count, reentrant } => match owner {
            Some(o) if *o == me || !*reentrant => {
                *count = count.saturating_sub(1);
                if *count == 0 || !*reentrant {
                    *owner = None;
                    *count = 0;
                }
                None
            }
            Some(_) => Some("cannot release un-acquired lock"),
            None => Some(if *reentrant { "cannot release un-acquired lock" } else { "semaphore or lock released too many times" }),
        },
        KSync::Semaphore { value, bound } => {
            if bound.is_some_and(|b| *value >= b) {
                Some("semaphore or lock released too many times")
            } else {
                *value += 1;
                None
            }
        }
    };
    if let Some(msg) = problem {
        // CPython's multiprocessing raises these as ValueError (bounded
        // semaphores) or AssertionError (locks); a ValueError says it.
        return Err(vm.err(Builtin::ValueError, msg));
    }
    vm.k.requests.push(Request::Wake(WaitOn::KSync(id as u32)));
    Ok(Value::None)
}

/// `_ksync_value(id)`: a semaphore's value, or 1/0 for a free/held lock.
fn ksync_value(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    Ok(Value::Int(match vm.k.ksync.get(id) {
        Some(KSync::Semaphore { value, .. }) => *value,
        Some(KSync::Lock { owner, .. }) => owner.is_none() as i64,
        None => 0,
    }))
}

// ------------------------------------------------------ shared memory

/// `_shm_new(values)`: shared slots holding `values` (plain values only).
fn shm_new(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let items = crate::ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    vm.k.shm.push(items.into_iter().map(HashableValue).collect());
    Ok(Value::Int(vm.k.shm.len() as i64 - 1))
}

fn slot(vm: &mut Vm, args: &[Value]) -> R<(usize, usize)> {
    let id = id_arg(vm, args, 0)?;
    let len = vm.k.shm.get(id).map(|s| s.len()).unwrap_or(0);
    let i = crate::ops::index_of(vm, args.get(1).unwrap_or(&Value::Int(0)), len, "array")?;
    Ok((id, i))
}

/// `_shm_get(id, i)`.
fn shm_get(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let (id, i) = slot(vm, args)?;
    Ok(vm.k.shm[id][i].0.clone())
}

/// `_shm_set(id, i, value)`: only values with no heap object (numbers,
/// strings, bytes) fit in shared memory, as in a C array.
fn shm_set(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let (id, i) = slot(vm, args)?;
    let v = args.get(2).cloned().unwrap_or(Value::None);
    if matches!(v, Value::Obj(_) | Value::Undef) {
        let t = crate::ops::type_name(vm, &v);
        return Err(vm.type_error(format!("shared memory holds numbers, not '{t}'")));
    }
    vm.k.shm[id][i] = HashableValue(v);
    Ok(Value::None)
}

/// `_shm_len(id)`.
fn shm_len(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    Ok(Value::Int(vm.k.shm.get(id).map(|s| s.len()).unwrap_or(0) as i64))
}

/// `_mg_new(obj)`: a managed object (a dict or a list of a
/// `Manager()`), kept in the kernel as a copy; its id.
fn mg_new(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let msg = dump(vm, args.first().unwrap_or(&Value::None), 0)?;
    vm.k.managed.push(msg);
    Ok(Value::Int(vm.k.managed.len() as i64 - 1))
}

/// `_mg_call(id, apply, method, args)`: one operation on managed object
/// `id`, in one step, as the manager's server process runs each request
/// alone: the object is rebuilt here, `apply(obj, method, args)` runs on
/// it, and the object goes back to the kernel. What `apply` returns is
/// this process's own copy.
fn mg_call(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = id_arg(vm, args, 0)?;
    let Some(msg) = vm.k.managed.get(id).cloned() else { return Err(vm.err(Builtin::ValueError, "no such managed object")) };
    let obj = load(vm, &msg)?;
    let apply = args.get(1).cloned().unwrap_or(Value::None);
    let rest = args.get(2..4).map(|a| a.to_vec()).unwrap_or_default();
    let result = vm.call_sync(apply, [vec![obj.clone()], rest].concat(), vec![])?;
    vm.k.managed[id] = dump(vm, &obj, 0)?;
    Ok(result)
}

/// `_lane(name)`: names the running thread in the timeline, the thread
/// list and deadlock reports (a child process's main thread:
/// "Process-1 (pid 4243)").
fn lane(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    if let Some(Value::Str(name)) = args.first() {
        let label = format!("{name} (pid {})", vm.p.pid);
        let tid = vm.tid();
        vm.rec.trace.name_thread(tid, &label);
        // (The kernel's name of a thread is for display: Python reads
        // the `Thread` object's.)
        vm.p.threads[vm.tix].name = Arc::from(label.as_str());
    }
    Ok(Value::None)
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "_multiprocessing");
    add_fn(vm, d, "_chan_new", "_multiprocessing", chan_new);
    add_fn(vm, d, "_chan_put", "_multiprocessing", chan_put);
    add_fn(vm, d, "_chan_get", "_multiprocessing", chan_get);
    add_fn(vm, d, "_chan_size", "_multiprocessing", chan_size);
    add_fn(vm, d, "_chan_task_done", "_multiprocessing", chan_task_done);
    add_fn(vm, d, "_chan_poll", "_multiprocessing", chan_poll);
    add_fn(vm, d, "_chan_open", "_multiprocessing", chan_open);
    add_fn(vm, d, "_chan_close", "_multiprocessing", chan_close);
    add_fn(vm, d, "_wait_child", "_multiprocessing", wait_child);
    add_fn(vm, d, "_chan_join", "_multiprocessing", chan_join);
    add_fn(vm, d, "_ksync_new", "_multiprocessing", ksync_new);
    add_fn(vm, d, "_ksync_acquire", "_multiprocessing", ksync_acquire);
    add_fn(vm, d, "_ksync_release", "_multiprocessing", ksync_release);
    add_fn(vm, d, "_ksync_value", "_multiprocessing", ksync_value);
    add_fn(vm, d, "_shm_new", "_multiprocessing", shm_new);
    add_fn(vm, d, "_shm_get", "_multiprocessing", shm_get);
    add_fn(vm, d, "_shm_set", "_multiprocessing", shm_set);
    add_fn(vm, d, "_shm_len", "_multiprocessing", shm_len);
    add_fn(vm, d, "_lane", "_multiprocessing", lane);
    add_fn(vm, d, "_mg_new", "_multiprocessing", mg_new);
    add_fn(vm, d, "_mg_call", "_multiprocessing", mg_call);
    m
}
