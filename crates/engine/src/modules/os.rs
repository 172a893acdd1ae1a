//! `os`: the virtual process's identity (virtual pids from the kernel's
//! process table) and a few harmless constants. No files, no real process.

use crate::modules::{add_fn, new_module};
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

fn getpid(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int(vm.p.pid as i64))
}

fn getppid(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int(vm.p.ppid as i64))
}

fn getenv(_: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    Ok(args.get(1).cloned().unwrap_or(Value::None))
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "os");
    add_fn(vm, d, "getpid", "os", getpid);
    add_fn(vm, d, "getppid", "os", getppid);
    add_fn(vm, d, "cpu_count", "os", |_, _, _| Ok(Value::Int(4)));
    add_fn(vm, d, "getenv", "os", getenv);
    let env = vm.new_dict(crate::dict::PyDict::new());
    vm.dict_set_str(d, "environ", env);
    vm.dict_set_str(d, "name", Value::str("posix"));
    vm.dict_set_str(d, "sep", Value::str("/"));
    vm.dict_set_str(d, "linesep", Value::str("\n"));
    m
}
