//! `functools`: `partial`, `reduce`, `wraps`, and `lru_cache`/`cache` as
//! plain pass-through decorators (same results, no memoisation).

use crate::modules::{add_class, add_fn, new_module};
use crate::object::*;
use crate::ops;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

fn reduce(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let f = args.first().cloned().unwrap_or(Value::None);
    let items = ops::to_vec(vm, args.get(1).unwrap_or(&Value::None))?;
    let mut it = items.into_iter();
    let mut acc = match args.get(2) {
        Some(init) => init.clone(),
        None => match it.next() {
            Some(x) => x,
            None => return Err(vm.type_error("reduce() of empty iterable with no initial value")),
        },
    };
    for x in it {
        acc = vm.call_sync(f.clone(), vec![acc, x], vec![])?;
    }
    Ok(acc)
}

/// `update_wrapper(wrapped, wrapper)` with the arguments in the order
/// `wraps` partially applies them.
fn update_wrapper(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let wrapped = args.first().cloned().unwrap_or(Value::None);
    let wrapper = args.get(1).cloned().unwrap_or(Value::None);
    for attr in ["__name__", "__qualname__", "__doc__"] {
        if let Ok(v) = crate::attr::getattr(vm, &wrapped, attr) {
            let _ = crate::attr::setattr(vm, &wrapper, attr, v);
        }
    }
    let _ = crate::attr::setattr(vm, &wrapper, "__wrapped__", wrapped);
    Ok(wrapper)
}

fn wraps(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let uw = crate::builtins::native(vm, "update_wrapper", "functools", update_wrapper);
    Ok(vm.alloc(Obj::Partial(uw, vec![args.first().cloned().unwrap_or(Value::None)], vec![])))
}

fn passthrough(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    match args.first() {
        Some(f) if !matches!(f, Value::Int(_) | Value::None) => Ok(f.clone()),
        _ => {
            let _ = kwargs;
            Ok(crate::builtins::native(vm, "decorating_function", "functools", |_, a, _| Ok(a.first().cloned().unwrap_or(Value::None))))
        }
    }
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "functools");
    add_class(vm, d, Builtin::Partial);
    add_fn(vm, d, "reduce", "functools", reduce);
    add_fn(vm, d, "wraps", "functools", wraps);
    add_fn(vm, d, "update_wrapper", "functools", update_wrapper);
    add_fn(vm, d, "lru_cache", "functools", passthrough);
    add_fn(vm, d, "cache", "functools", passthrough);
    add_fn(vm, d, "total_ordering", "functools", |_, a, _| Ok(a.first().cloned().unwrap_or(Value::None)));
    m
}
