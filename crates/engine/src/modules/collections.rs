//! `collections`: `deque`, `OrderedDict`, `defaultdict`, `Counter`.
//! The dict-like ones share the ordered dict implementation and differ by
//! a kind tag (missing keys, repr, extra methods).

use crate::modules::{add_class, add_fn, new_module};
use crate::object::*;
use crate::ops;
use crate::syntax::ast::BinOp;
use crate::types::Builtin;
use crate::value::{Kwargs, ObjId, Value};
use crate::vm::{Vm, R};

/// `Counter.update` (sign 1) and `Counter.subtract` (sign -1).
pub fn counter_update(vm: &mut Vm, id: ObjId, args: &[Value], kwargs: &Kwargs, sign: i64) -> R<Value> {
    let d = Value::Obj(id);
    let mut pairs: Vec<(Value, Value)> = Vec::new();
    if let Some(src) = args.first() {
        let mapping = match src {
            Value::Obj(s) => match vm.p.heap.get(*s) {
                Obj::Dict(x) => Some(x.d.items()),
                _ => None,
            },
            _ => None,
        };
        match mapping {
            Some(items) => pairs.extend(items),
            None => {
                for x in ops::to_vec(vm, src)? {
                    pairs.push((x, Value::Int(1)));
                }
            }
        }
    }
    for (k, v) in kwargs {
        pairs.push((Value::Str(k.clone()), v.clone()));
    }
    for (k, v) in pairs {
        let cur = ops::dict_get(vm, id, &k)?.unwrap_or(Value::Int(0));
        let delta = if sign < 0 { ops::unary(vm, crate::syntax::ast::UnaryOp::USub, &v)? } else { v };
        let n = ops::binary(vm, BinOp::Add, &cur, &delta, false)?;
        ops::dict_set(vm, &d, k, n)?;
    }
    Ok(Value::None)
}

pub fn most_common(vm: &mut Vm, id: ObjId, n: Option<&Value>) -> R<Value> {
    let items = match vm.p.heap.get(id) {
        Obj::Dict(x) => x.d.items(),
        _ => vec![],
    };
    let vals: Vec<Value> = items.iter().map(|(_, v)| v.clone()).collect();
    // Stable sort by count, descending.
    let mut idx: Vec<usize> = (0..items.len()).collect();
    let mut err = None;
    idx.sort_by(|&a, &b| {
        if err.is_some() {
            return std::cmp::Ordering::Equal;
        }
        match ops::less(vm, &vals[b], &vals[a]) {
            Ok(true) => std::cmp::Ordering::Less,
            Ok(false) => match ops::less(vm, &vals[a], &vals[b]) {
                Ok(true) => std::cmp::Ordering::Greater,
                _ => std::cmp::Ordering::Equal,
            },
            Err(e) => {
                err = Some(e);
                std::cmp::Ordering::Equal
            }
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    let limit = match n {
        Some(Value::Int(k)) => (*k).max(0) as usize,
        _ => idx.len(),
    };
    let mut out = Vec::new();
    for i in idx.into_iter().take(limit) {
        let (k, v) = items[i].clone();
        out.push(vm.new_tuple(vec![k, v]));
    }
    Ok(vm.new_list(out))
}

pub fn counter_arith(vm: &mut Vm, a: ObjId, b: ObjId, op: BinOp) -> R<Value> {
    let cls = vm.class(Builtin::Counter);
    let out = vm.call_sync(Value::Obj(cls), vec![], vec![])?;
    let ai = match vm.p.heap.get(a) {
        Obj::Dict(x) => x.d.items(),
        _ => vec![],
    };
    let bi = match vm.p.heap.get(b) {
        Obj::Dict(x) => x.d.items(),
        _ => vec![],
    };
    let Some(oid) = out.as_obj() else { return Ok(out) };
    for (k, v) in ai {
        ops::dict_set(vm, &out, k, v)?;
    }
    for (k, v) in bi {
        let cur = ops::dict_get(vm, oid, &k)?.unwrap_or(Value::Int(0));
        let n = ops::binary(vm, op, &cur, &v, false)?;
        ops::dict_set(vm, &out, k, n)?;
    }
    // Keep only positive counts, as Counter arithmetic does.
    let items = match vm.p.heap.get(oid) {
        Obj::Dict(x) => x.d.items(),
        _ => vec![],
    };
    for (k, v) in items {
        if !ops::less(vm, &Value::Int(0), &v)? {
            ops::dict_del(vm, oid, &k)?;
        }
    }
    Ok(out)
}

/// `_init_fields(self, names, values)`: a namedtuple's `__init__` storing
/// its values, as the tuple `_values` and each under its field's name (a
/// tuple of strings), as `setattr` would; once: on an instance that has
/// its values it does nothing, as CPython's namedtuple, made by `__new__`,
/// has no `__init__` that could change them.
///
/// It is a helper of its own, not `setattr` in `collections.py`, because
/// the explorer's look at the library's code (`frozen.rs`) takes a
/// `setattr` anywhere as a store of any attribute by anyone, and stops
/// trusting every attribute read of every program that imports
/// `collections`. The stores here are a constructor's, made before the new
/// instance can reach another thread, and never made again: the analysis
/// may take the fields for names no code stores.
fn init_fields(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let [obj, Value::Obj(names), Value::Obj(values)] = args else {
        return Err(vm.type_error("_init_fields() takes an instance, a tuple of names and a tuple of values"));
    };
    let made = match obj {
        Value::Obj(id) => match vm.p.heap.get(*id) {
            Obj::Instance(inst) => inst.dict.get_str("_values").is_some(),
            _ => return Err(vm.type_error("_init_fields() takes an instance")),
        },
        _ => return Err(vm.type_error("_init_fields() takes an instance")),
    };
    if made {
        return Ok(Value::None);
    }
    let pairs: Vec<(Value, Value)> = match (vm.p.heap.get(*names), vm.p.heap.get(*values)) {
        (Obj::Tuple(n), Obj::Tuple(v)) if n.len() == v.len() => n.iter().cloned().zip(v.iter().cloned()).collect(),
        _ => return Err(vm.type_error("_init_fields() takes tuples of names and values of one length")),
    };
    let all = [(Value::str("_values"), Value::Obj(*values))].into_iter().chain(pairs);
    for (name, value) in all {
        let Value::Str(name) = name else { return Err(vm.type_error("_init_fields(): a field name is not a string")) };
        crate::attr::setattr_sync(vm, obj, &name, value)?;
    }
    Ok(Value::None)
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "_collections");
    for b in [Builtin::Deque, Builtin::OrderedDict, Builtin::DefaultDict, Builtin::Counter] {
        add_class(vm, d, b);
    }
    add_fn(vm, d, "_init_fields", "_collections", init_fields);
    m
}
