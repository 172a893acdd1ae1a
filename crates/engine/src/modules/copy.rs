//! `copy`: `copy(x)` and `deepcopy(x)`, as CPython's for the built-in
//! containers and instances of the program's classes.
//!
//! Tutorials hand each thread its own copy of shared data ("no sharing,
//! no race"), and a learner should see that a shallow copy still shares
//! the inner lists. Immutable values (numbers, strings, tuples of them,
//! functions, classes, modules) are their own copies, as in CPython; a
//! lock or a thread cannot be copied (CPython: "cannot pickle
//! '_thread.lock' object"). A class's own `__copy__` or
//! `__deepcopy__(memo)` is called when it has one (with an empty memo
//! dict: the copy in progress is not shared with it).

use std::collections::HashMap;
use std::sync::Arc;

use crate::modules::{add_fn, new_module};
use crate::object::{Instance, Obj, Payload};
use crate::value::{Kwargs, ObjId, Value};
use crate::vm::{Vm, R};

/// The TypeError for an object copy cannot copy.
fn cannot(vm: &mut Vm, id: ObjId) -> crate::vm::Flow {
    let name = match vm.p.heap.get(id) {
        Obj::Instance(i) if matches!(i.payload, Payload::Sync(_)) && crate::ops::type_name(vm, &Value::Obj(id)) == "RLock" => "_thread.RLock",
        Obj::Instance(i) if matches!(i.payload, Payload::Sync(_) | Payload::Thread(_)) => "_thread.lock",
        _ => "object",
    };
    vm.type_error(format!("cannot pickle '{name}' object"))
}

/// The program's own `__copy__`/`__deepcopy__` of an instance, if its
/// class has one.
fn own_method(vm: &mut Vm, x: &Value, name: &str) -> Option<Value> {
    let Value::Obj(id) = x else { return None };
    let Obj::Instance(i) = vm.p.heap.get(*id) else { return None };
    let class = i.class;
    crate::attr::lookup_class(vm, class, name)
}

fn copy(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let [x] = args else { return Err(vm.type_error(format!("copy() takes 1 positional argument but {} were given", args.len()))) };
    if let Some(m) = own_method(vm, x, "__copy__") {
        return vm.call_sync(m, vec![x.clone()], vec![]);
    }
    let Value::Obj(id) = x else { return Ok(x.clone()) };
    let o = match vm.p.heap.get(*id) {
        Obj::List(v) => Obj::List(v.clone()),
        Obj::Dict(d) => Obj::Dict(Arc::new((**d).clone())),
        Obj::Set(s, false) => Obj::Set(s.clone(), false),
        Obj::Deque(d, m) => Obj::Deque(d.clone(), *m),
        Obj::Instance(i) => match &i.payload {
            Payload::None | Payload::Exc(_) => Obj::Instance(Box::new(Instance { class: i.class, dict: i.dict.clone(), payload: i.payload.clone() })),
            _ => return Err(cannot(vm, *id)),
        },
        _ => return Ok(x.clone()),
    };
    Ok(vm.alloc(o))
}

fn deepcopy(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let Some(x) = args.first() else { return Err(vm.type_error("deepcopy() missing 1 required positional argument: 'x'")) };
    let mut memo = HashMap::new();
    deep(vm, x, &mut memo)
}

/// The deep copy of `x`; `memo` maps each object copied so far to its
/// copy, so that shared and cyclic structure is copied once.
fn deep(vm: &mut Vm, x: &Value, memo: &mut HashMap<ObjId, Value>) -> R<Value> {
    let Value::Obj(id) = x else { return Ok(x.clone()) };
    if let Some(done) = memo.get(id) {
        return Ok(done.clone());
    }
    if let Some(m) = own_method(vm, x, "__deepcopy__") {
        let d = vm.new_dict(crate::dict::PyDict::new());
        let copied = vm.call_sync(m, vec![x.clone(), d], vec![])?;
        memo.insert(*id, copied.clone());
        return Ok(copied);
    }
    vm.tick()?;
    match vm.p.heap.get(*id) {
        Obj::List(v) => {
            let items = v.clone();
            let new = vm.alloc(Obj::List(Vec::new()));
            memo.insert(*id, new.clone());
            let out = items.iter().map(|it| deep(vm, it, memo)).collect::<R<Vec<_>>>()?;
            if let (Value::Obj(n), out) = (&new, out) {
                if let Obj::List(l) = vm.p.heap.get_mut(*n) {
                    *l = out;
                }
            }
            Ok(new)
        }
        Obj::Tuple(v) => {
            let items = v.clone();
            let out = items.iter().map(|it| deep(vm, it, memo)).collect::<R<Vec<_>>>()?;
            // A tuple of what copies to itself is itself.
            if out.iter().zip(&items).all(|(a, b)| a.is(b)) {
                return Ok(x.clone());
            }
            let new = vm.new_tuple(out);
            memo.insert(*id, new.clone());
            Ok(new)
        }
        Obj::Dict(d) => {
            let (entries, kind, factory) = (d.d.iter().cloned().collect::<Vec<_>>(), d.kind, d.default_factory.clone());
            let new = vm.alloc(Obj::Dict(Arc::new(crate::object::DictObj { d: crate::dict::PyDict::new(), kind, default_factory: factory })));
            memo.insert(*id, new.clone());
            let mut fresh = crate::dict::PyDict::new();
            for e in entries {
                let k = deep(vm, &e.key, memo)?;
                let v = deep(vm, &e.value, memo)?;
                fresh.push_new(e.hash, k, v);
            }
            if let Value::Obj(n) = &new {
                if let Obj::Dict(nd) = vm.p.heap.get_mut(*n) {
                    Arc::make_mut(nd).d = fresh;
                }
            }
            Ok(new)
        }
        Obj::Set(s, frozen) => {
            let (entries, frozen) = (s.iter().cloned().collect::<Vec<_>>(), *frozen);
            let mut fresh = crate::dict::PyDict::new();
            for e in entries {
                let k = deep(vm, &e.key, memo)?;
                fresh.push_new(e.hash, k, Value::None);
            }
            let new = vm.alloc(Obj::Set(fresh, frozen));
            memo.insert(*id, new.clone());
            Ok(new)
        }
        Obj::Deque(d, m) => {
            let (items, m) = (d.iter().cloned().collect::<Vec<_>>(), *m);
            let new = vm.alloc(Obj::Deque(Default::default(), m));
            memo.insert(*id, new.clone());
            let out = items.iter().map(|it| deep(vm, it, memo)).collect::<R<Vec<_>>>()?;
            if let Value::Obj(n) = &new {
                if let Obj::Deque(nd, _) = vm.p.heap.get_mut(*n) {
                    nd.extend(out);
                }
            }
            Ok(new)
        }
        Obj::Instance(i) => {
            if !matches!(i.payload, Payload::None | Payload::Exc(_)) {
                return Err(cannot(vm, *id));
            }
            let (class, entries, payload) = (i.class, i.dict.iter().cloned().collect::<Vec<_>>(), i.payload.clone());
            let new = vm.alloc(Obj::Instance(Box::new(Instance { class, dict: crate::dict::PyDict::new(), payload })));
            memo.insert(*id, new.clone());
            let mut fresh = crate::dict::PyDict::new();
            for e in entries {
                let v = deep(vm, &e.value, memo)?;
                fresh.push_new(e.hash, e.key, v);
            }
            if let Value::Obj(n) = &new {
                if let Obj::Instance(ni) = vm.p.heap.get_mut(*n) {
                    ni.dict = fresh;
                }
            }
            Ok(new)
        }
        _ => Ok(x.clone()),
    }
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "copy");
    add_fn(vm, d, "copy", "copy", copy);
    add_fn(vm, d, "deepcopy", "copy", deepcopy);
    let e = vm.class(crate::types::Builtin::Exception);
    vm.dict_set_str(d, "Error", Value::Obj(e));
    m
}
