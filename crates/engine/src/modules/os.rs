//! `os`: the virtual process's identity (virtual pids from the kernel's
//! process table), a few harmless constants, and the virtual kernel's
//! files (`files.rs`: `remove`, `rename`, `listdir`, `os.path.exists`).
//! No real process.

use crate::modules::{add_fn, files, new_module};
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
    // The virtual kernel's files (`files.rs`).
    add_fn(vm, d, "remove", "os", files::remove);
    add_fn(vm, d, "unlink", "os", files::remove);
    add_fn(vm, d, "rename", "os", files::rename);
    add_fn(vm, d, "replace", "os", files::rename);
    add_fn(vm, d, "listdir", "os", files::listdir);
    let (path, pd) = new_module(vm, "os.path");
    add_fn(vm, pd, "exists", "posixpath", files::exists);
    add_fn(vm, pd, "isfile", "posixpath", files::exists);
    add_fn(vm, pd, "getsize", "posixpath", files::getsize);
    add_fn(vm, pd, "join", "posixpath", join);
    add_fn(vm, pd, "basename", "posixpath", |vm, a, _| Ok(Value::str(files::path_text(vm, a.first())?.rsplit('/').next().unwrap_or(""))));
    vm.dict_set_str(d, "path", path);
    m
}

/// `os.path.join(a, *p)`, POSIX: an absolute part starts over.
fn join(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let s = files::path_text(vm, Some(a))?;
        if s.starts_with('/') || i == 0 {
            out = s.to_string();
        } else if out.is_empty() || out.ends_with('/') {
            out.push_str(&s);
        } else {
            out.push('/');
            out.push_str(&s);
        }
    }
    Ok(Value::from_string(out))
}
