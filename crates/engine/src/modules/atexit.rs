//! `atexit`: functions to call when the program ends, after the main
//! thread's code and every non-daemon thread have ended, the last
//! registered first, on the main thread (`Machine::next_exit_hook`).
//! An exception in one is reported as CPython reports it ("Exception
//! ignored in atexit callback") and the next one still runs.

use crate::modules::{add_fn, new_module};
use crate::object::Obj;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

/// `register(func, *args, **kwargs)`: returns `func`, so it serves as a
/// decorator.
fn register(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let Some((func, rest)) = args.split_first() else {
        return Err(vm.type_error("register() takes at least 1 argument (0 given)"));
    };
    if !crate::builtins::callable(vm, func) {
        return Err(vm.type_error("the first argument must be callable"));
    }
    let rest = vm.new_tuple(rest.to_vec());
    let kw = vm.new_dict(crate::dict::PyDict::new());
    for (k, v) in kwargs.iter() {
        crate::ops::dict_set(vm, &kw, Value::Str(k.clone()), v.clone())?;
    }
    let hook = vm.new_tuple(vec![func.clone(), rest, kw]);
    vm.p.exit_hooks.push(hook);
    Ok(func.clone())
}

/// `unregister(func)`: forgets every registration of `func`.
fn unregister(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let [func] = args else { return Err(vm.type_error(format!("unregister() takes exactly one argument ({} given)", args.len()))) };
    let hooks = std::mem::take(&mut vm.p.exit_hooks);
    let mut kept = Vec::with_capacity(hooks.len());
    for h in hooks {
        let f = match &h {
            Value::Obj(id) => match vm.p.heap.get(*id) {
                Obj::Tuple(items) => items.first().cloned(),
                _ => None,
            },
            _ => None,
        };
        let same = match f {
            Some(f) => crate::ops::eq(vm, &f, func)?,
            None => false,
        };
        if !same {
            kept.push(h);
        }
    }
    vm.p.exit_hooks = kept;
    Ok(Value::None)
}

/// The prelude's report of a callback that raised (`_atexit_call`).
pub fn failed(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let [func, e] = args else { return Ok(Value::None) };
    let shown = crate::format::repr(vm, func)?;
    crate::traceback::drop_prelude_frames(vm, e);
    let text = crate::traceback::format_exception(vm, e, 0);
    vm.write_stderr(&format!("Exception ignored in atexit callback: {shown}\n{text}"));
    Ok(Value::None)
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "atexit");
    add_fn(vm, d, "register", "atexit", register);
    add_fn(vm, d, "unregister", "atexit", unregister);
    add_fn(vm, d, "_ncallbacks", "atexit", |vm, _, _| Ok(Value::Int(vm.p.exit_hooks.len() as i64)));
    add_fn(vm, d, "_clear", "atexit", |vm, _, _| {
        vm.p.exit_hooks.clear();
        Ok(Value::None)
    });
    m
}
