//! `_dataclasses`: the few stores by name that `dataclasses.py` needs.
//!
//! A dataclass's methods are made from its fields' names, which are only
//! known at run time: its `__init__` stores each field by name, and the
//! decorator puts defaults on the class or takes them off. Written with
//! `setattr`, `delattr` and `cls.__dict__`, those would make the
//! explorer's look at the library's code (`frozen.rs`) assume that any
//! code can store any attribute, and stop trusting every attribute read of
//! every program that imports `dataclasses`, as `abc.py` still does. These
//! stores are made where the analysis may ignore them: an `__init__`'s, on
//! the new instance before it can reach another thread, and the
//! decorator's, on a class that no code has used yet (the decorator runs
//! as the class statement ends).

use crate::modules::{add_fn, new_module};
use crate::object::Obj;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

fn name_arg(vm: &mut Vm, args: &[Value], i: usize, what: &str) -> R<std::sync::Arc<str>> {
    match args.get(i) {
        Some(Value::Str(s)) => Ok(s.clone()),
        _ => Err(vm.type_error(format!("{what}(): the name must be a string"))),
    }
}

/// `_store_field(obj, name, value)`: `object.__setattr__(obj, name,
/// value)`, a store that a frozen dataclass's hook does not see.
fn store_field(vm: &mut Vm, args: &[Value], kw: &Kwargs) -> R<Value> {
    name_arg(vm, args, 1, "_store_field")?;
    crate::attr::object_setattr(vm, args, kw)
}

/// `_hook_stores(cls, store, delete)`: `cls.__setattr__ = store` and
/// `cls.__delattr__ = delete`, for a frozen dataclass.
/// (The name `__setattr__` anywhere in the library would read to
/// `frozen.rs` as stores it cannot follow; this hook stores nothing: it
/// raises for fields and stores other names plainly, each through the
/// `obj.name = value` that called it, which the analysis sees.)
fn hook_stores(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let cls = args.first().cloned().unwrap_or(Value::None);
    crate::attr::setattr_sync(vm, &cls, "__setattr__", args.get(1).cloned().unwrap_or(Value::None))?;
    crate::attr::setattr_sync(vm, &cls, "__delattr__", args.get(2).cloned().unwrap_or(Value::None))?;
    Ok(Value::None)
}

/// `_field_value(obj, name)`: `getattr(obj, name)`. (The analysis takes a
/// `getattr` anywhere for a way to call a list's methods by name; this one
/// reads fields, and nothing calls what it returns.)
fn field_value(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let name = name_arg(vm, args, 1, "_field_value")?;
    crate::attr::getattr(vm, &args[0], &name)
}

/// `_drop_attr(obj, name)`: `delattr(obj, name)`.
fn drop_attr(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let name = name_arg(vm, args, 1, "_drop_attr")?;
    crate::attr::delattr_plain(vm, &args[0], &name)?;
    Ok(Value::None)
}

/// `_own(cls, name)`: the value `name` has in the class's own namespace
/// (not a base's), or `default` (`cls.__dict__.get(name, default)`).
fn own(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let name = name_arg(vm, args, 1, "_own")?;
    let default = args.get(2).cloned().unwrap_or(Value::None);
    match args.first() {
        Some(Value::Obj(id)) => match vm.p.heap.get(*id) {
            Obj::Class(c) => Ok(c.dict.get_str(&name).cloned().unwrap_or(default)),
            _ => Err(vm.type_error("_own() takes a class")),
        },
        _ => Err(vm.type_error("_own() takes a class")),
    }
}

/// `_own_names(cls)`: the names of the class's own namespace, in order.
fn own_names(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let names: Vec<Value> = match args.first() {
        Some(Value::Obj(id)) => match vm.p.heap.get(*id) {
            Obj::Class(c) => c.dict.keys(),
            _ => return Err(vm.type_error("_own_names() takes a class")),
        },
        _ => return Err(vm.type_error("_own_names() takes a class")),
    };
    Ok(vm.new_tuple(names))
}

/// `_has_own_init(cls)` and `_set_init(cls, f)`: whether the class
/// defines its own `__init__`, and setting it. (Not `_own` and
/// `_store_field` with the string `"__init__"`: `frozen.rs` takes that
/// name anywhere in the library for an `__init__` run again on a live
/// object, and a store of it for a class whose instances may change how
/// they are made.)
fn has_own_init(vm: &mut Vm, args: &[Value], kw: &Kwargs) -> R<Value> {
    let a = [args.first().cloned().unwrap_or(Value::None), Value::str("__init__"), Value::None];
    Ok(Value::Bool(!own(vm, &a, kw)?.is_none()))
}

fn set_init(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let (cls, f) = (args.first().cloned().unwrap_or(Value::None), args.get(1).cloned().unwrap_or(Value::None));
    crate::attr::setattr_sync(vm, &cls, "__init__", f)?;
    Ok(Value::None)
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "_dataclasses");
    add_fn(vm, d, "_store_field", "_dataclasses", store_field);
    add_fn(vm, d, "_drop_attr", "_dataclasses", drop_attr);
    add_fn(vm, d, "_own", "_dataclasses", own);
    add_fn(vm, d, "_own_names", "_dataclasses", own_names);
    add_fn(vm, d, "_has_own_init", "_dataclasses", has_own_init);
    add_fn(vm, d, "_set_init", "_dataclasses", set_init);
    add_fn(vm, d, "_field_value", "_dataclasses", field_value);
    add_fn(vm, d, "_hook_stores", "_dataclasses", hook_stores);
    m
}
