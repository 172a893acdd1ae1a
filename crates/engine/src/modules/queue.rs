//! `queue`: FIFO, LIFO and priority queues whose blocking `put`/`get` park
//! virtual threads (see the blocking protocol in `threading`).

use std::collections::VecDeque;

use crate::kernel::*;
use crate::methods::kwarg;
use crate::modules::threading::{block, new_sync, wake_all};
use crate::modules::{add_class, add_method, new_module};
use crate::object::*;
use crate::ops;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Flow, Vm, R};

fn qid(vm: &mut Vm, v: &Value) -> R<SyncId> {
    if let Value::Obj(id) = v {
        if let Obj::Instance(i) = vm.p.heap.get(*id) {
            if let Payload::Sync(s) = i.payload {
                return Ok(s);
            }
        }
    }
    Err(vm.type_error("queue not initialised (missing __init__ call?)"))
}

fn q_init(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let maxsize = match args.get(1).or_else(|| kwarg(kwargs, "maxsize")) {
        Some(Value::Int(m)) => *m,
        _ => 0,
    };
    let cls = match &this {
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::Instance(i) => i.class,
            _ => 0,
        },
        _ => 0,
    };
    let kind = if ops::is_subclass(vm, cls, vm.class(Builtin::PriorityQueue)) {
        QueueKind::Priority
    } else if ops::is_subclass(vm, cls, vm.class(Builtin::LifoQueue)) {
        QueueKind::Lifo
    } else if ops::is_subclass(vm, cls, vm.class(Builtin::SimpleQueue)) {
        QueueKind::Simple
    } else {
        QueueKind::Fifo
    };
    new_sync(vm, &this, SyncObj::Queue { items: VecDeque::new(), maxsize, kind, unfinished: 0 }, "Queue");
    Ok(Value::None)
}

fn state(vm: &Vm, sid: SyncId) -> (usize, i64) {
    match &vm.p.sync[sid as usize].obj {
        SyncObj::Queue { items, maxsize, .. } => (items.len(), *maxsize),
        _ => (0, 0),
    }
}

pub(crate) fn raise_cls(vm: &mut Vm, b: Builtin) -> Flow {
    let c = vm.class(b);
    let e = vm.exc_with_args(c, vec![]);
    Flow::Raise(e)
}

fn put_impl(vm: &mut Vm, this: &Value, item: Value, blocking: bool, timeout: Option<f64>) -> R<Value> {
    let sid = qid(vm, this)?;
    let (n, max) = state(vm, sid);
    if max > 0 && n as i64 >= max {
        if !blocking || vm.thread().wake == Some(Wake::TimedOut) || timeout == Some(0.0) {
            return Err(raise_cls(vm, Builtin::QueueFull));
        }
        return Err(block(vm, WaitOn::QueuePut(sid), timeout));
    }
    let kind = match &vm.p.sync[sid as usize].obj {
        SyncObj::Queue { kind, .. } => *kind,
        _ => QueueKind::Fifo,
    };
    if kind == QueueKind::Priority {
        // Keep the items sorted; insert after equal ones.
        let items: Vec<Value> = match &vm.p.sync[sid as usize].obj {
            SyncObj::Queue { items, .. } => items.iter().cloned().collect(),
            _ => vec![],
        };
        let mut pos = items.len();
        for (i, x) in items.iter().enumerate() {
            if ops::less(vm, &item, x)? {
                pos = i;
                break;
            }
        }
        if let SyncObj::Queue { items, unfinished, .. } = &mut vm.p.sync[sid as usize].obj {
            items.insert(pos, item.clone());
            *unfinished += 1;
        }
    } else if let SyncObj::Queue { items, unfinished, .. } = &mut vm.p.sync[sid as usize].obj {
        items.push_back(item.clone());
        *unfinished += 1;
    }
    let (now, tid) = (vm.k.clock, vm.tid());
    let r = crate::format::repr(vm, &item).unwrap_or_default();
    let label = vm.p.sync[sid as usize].label.clone();
    vm.rec.trace.queue_put(now, tid, &label, &r);
    wake_all(vm, &WaitOn::QueueGet(sid));
    Ok(Value::None)
}

fn get_impl(vm: &mut Vm, this: &Value, blocking: bool, timeout: Option<f64>) -> R<Value> {
    let sid = qid(vm, this)?;
    let item = match &mut vm.p.sync[sid as usize].obj {
        SyncObj::Queue { items, kind, .. } => match kind {
            QueueKind::Lifo => items.pop_back(),
            _ => items.pop_front(),
        },
        _ => None,
    };
    match item {
        Some(v) => {
            let (now, tid) = (vm.k.clock, vm.tid());
            let r = crate::format::repr(vm, &v).unwrap_or_default();
            let label = vm.p.sync[sid as usize].label.clone();
            vm.rec.trace.queue_get(now, tid, &label, &r);
            wake_all(vm, &WaitOn::QueuePut(sid));
            Ok(v)
        }
        None => {
            if !blocking || vm.thread().wake == Some(Wake::TimedOut) || timeout == Some(0.0) {
                return Err(raise_cls(vm, Builtin::QueueEmpty));
            }
            Err(block(vm, WaitOn::QueueGet(sid), timeout))
        }
    }
}

fn block_args(vm: &mut Vm, args: &[Value], kwargs: &Kwargs, first: usize) -> R<(bool, Option<f64>)> {
    let blocking = match args.get(first).or_else(|| kwarg(kwargs, "block")) {
        Some(v) => ops::truthy(vm, v)?,
        None => true,
    };
    let timeout = match args.get(first + 1).or_else(|| kwarg(kwargs, "timeout")) {
        Some(Value::None) | None => None,
        Some(v) => {
            let t = ops::to_f64(v).unwrap_or(0.0);
            if t < 0.0 {
                return Err(vm.value_error("'timeout' must be a non-negative number"));
            }
            Some(t)
        }
    };
    Ok((blocking, timeout))
}

fn q_put(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let item = args.get(1).or_else(|| kwarg(kwargs, "item")).cloned().unwrap_or(Value::None);
    let (b, t) = block_args(vm, args, kwargs, 2)?;
    put_impl(vm, &this, item, b, t)
}

fn q_put_nowait(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    put_impl(vm, &this, args.get(1).cloned().unwrap_or(Value::None), false, None)
}

fn q_get(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    let (b, t) = block_args(vm, args, kwargs, 1)?;
    get_impl(vm, &this, b, t)
}

fn q_get_nowait(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let this = args.first().cloned().unwrap_or(Value::None);
    get_impl(vm, &this, false, None)
}

fn q_qsize(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = qid(vm, args.first().unwrap_or(&Value::None))?;
    Ok(Value::Int(state(vm, sid).0 as i64))
}

fn q_empty(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = qid(vm, args.first().unwrap_or(&Value::None))?;
    Ok(Value::Bool(state(vm, sid).0 == 0))
}

fn q_full(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = qid(vm, args.first().unwrap_or(&Value::None))?;
    let (n, m) = state(vm, sid);
    Ok(Value::Bool(m > 0 && n as i64 >= m))
}

fn q_task_done(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = qid(vm, args.first().unwrap_or(&Value::None))?;
    let left = match &mut vm.p.sync[sid as usize].obj {
        SyncObj::Queue { unfinished, .. } => {
            if *unfinished <= 0 {
                return Err(vm.value_error("task_done() called too many times"));
            }
            *unfinished -= 1;
            *unfinished
        }
        _ => 1,
    };
    if left == 0 {
        wake_all(vm, &WaitOn::QueueJoin(sid));
    }
    Ok(Value::None)
}

fn q_join(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = qid(vm, args.first().unwrap_or(&Value::None))?;
    let left = match &vm.p.sync[sid as usize].obj {
        SyncObj::Queue { unfinished, .. } => *unfinished,
        _ => 0,
    };
    if left == 0 {
        return Ok(Value::None);
    }
    Err(block(vm, WaitOn::QueueJoin(sid), None))
}

fn q_maxsize(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sid = qid(vm, args.first().unwrap_or(&Value::None))?;
    Ok(Value::Int(state(vm, sid).1))
}

pub fn install_classes(vm: &mut Vm) {
    for b in [Builtin::Queue, Builtin::SimpleQueue] {
        add_method(vm, b, "__init__", q_init);
        add_method(vm, b, "put", q_put);
        add_method(vm, b, "put_nowait", q_put_nowait);
        add_method(vm, b, "get", q_get);
        add_method(vm, b, "get_nowait", q_get_nowait);
        add_method(vm, b, "qsize", q_qsize);
        add_method(vm, b, "empty", q_empty);
    }
    add_method(vm, Builtin::Queue, "full", q_full);
    add_method(vm, Builtin::Queue, "task_done", q_task_done);
    add_method(vm, Builtin::Queue, "join", q_join);
    crate::modules::add_property(vm, Builtin::Queue, "maxsize", q_maxsize, None);
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "queue");
    for b in [Builtin::Queue, Builtin::LifoQueue, Builtin::PriorityQueue, Builtin::SimpleQueue] {
        add_class(vm, d, b);
    }
    let e = vm.class(Builtin::QueueEmpty);
    vm.dict_set_str(d, "Empty", Value::Obj(e));
    let f = vm.class(Builtin::QueueFull);
    vm.dict_set_str(d, "Full", Value::Obj(f));
    m
}
