//! `collections`: `deque`, `OrderedDict`, `defaultdict`, `Counter`.
//! The dict-like ones share the ordered dict implementation and differ by
//! a kind tag (missing keys, repr, extra methods).

use crate::modules::{add_class, new_module};
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

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "_collections");
    for b in [Builtin::Deque, Builtin::OrderedDict, Builtin::DefaultDict, Builtin::Counter] {
        add_class(vm, d, b);
    }
    m
}
