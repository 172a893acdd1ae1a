//! `sys`: argv, exit, the standard streams (which write to the host's
//! sinks), and the switch interval (which the CPython-like scheduler
//! honours).

use crate::modules::{add_fn, new_module};
use crate::ops;
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Flow, Vm, R};

pub fn install_classes(_vm: &mut Vm) {}

/// Writes to a file-like object (`print(file=...)`).
pub fn write_to(vm: &mut Vm, f: &Value, s: &str) -> R<()> {
    let w = crate::attr::getattr(vm, f, "write")?;
    vm.call_sync(w, vec![Value::str(s)], vec![])?;
    Ok(())
}

fn out_write(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    match args.first() {
        Some(Value::Str(s)) => {
            let s = s.clone();
            vm.write_stdout(&s);
            Ok(Value::Int(s.chars().count() as i64))
        }
        Some(other) => {
            let t = ops::type_name(vm, other);
            Err(vm.type_error(format!("write() argument must be str, not {t}")))
        }
        None => Err(vm.type_error("write() takes exactly one argument (0 given)")),
    }
}

fn err_write(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    match args.first() {
        Some(Value::Str(s)) => {
            let s = s.clone();
            vm.write_stderr(&s);
            Ok(Value::Int(s.chars().count() as i64))
        }
        Some(other) => {
            let t = ops::type_name(vm, other);
            Err(vm.type_error(format!("write() argument must be str, not {t}")))
        }
        None => Err(vm.type_error("write() takes exactly one argument (0 given)")),
    }
}

/// The next line of standard input, without its newline: the lines the
/// run was given, then the host's (as `input()` reads them).
pub(crate) fn next_line(vm: &mut Vm) -> Option<String> {
    vm.p.stdin.pop_front().or_else(|| vm.host.stdin_line())
}

/// `sys.stdin.readline()`: the next line with its newline, "" at the end.
fn readline(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(next_line(vm).map(|l| Value::from_string(l + "\n")).unwrap_or_else(|| Value::str("")))
}

/// `sys.stdin.readlines()`: every line left, each with its newline.
fn readlines(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    let mut lines = Vec::new();
    while let Some(l) = next_line(vm) {
        lines.push(Value::from_string(l + "\n"));
    }
    Ok(vm.new_list(lines))
}

/// `sys.stdin.read()`: everything left, as one string.
fn read(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    let mut all = String::new();
    while let Some(l) = next_line(vm) {
        all.push_str(&l);
        all.push('\n');
    }
    Ok(Value::from_string(all))
}

fn exit(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let cls = vm.class(Builtin::SystemExit);
    let e = vm.exc_with_args(cls, args.to_vec());
    Err(Flow::Raise(e))
}

fn getswitchinterval(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Float(vm.p.switch_interval))
}

fn setswitchinterval(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let v = args.first().and_then(ops::to_f64).unwrap_or(0.005);
    if v <= 0.0 {
        return Err(vm.value_error("switch interval must be strictly positive"));
    }
    vm.p.switch_interval = v;
    Ok(Value::None)
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "sys");
    let argv: Vec<Value> = vm.p.argv.iter().map(|a| Value::str(a)).collect();
    let argv = vm.new_list(argv);
    vm.dict_set_str(d, "argv", argv);
    add_fn(vm, d, "exit", "sys", exit);
    add_fn(vm, d, "exc_info", "sys", exc_info);
    add_fn(vm, d, "exception", "sys", |vm, _, _| Ok(vm.thread().exc_stack.last().cloned().unwrap_or(Value::None)));
    add_fn(vm, d, "getswitchinterval", "sys", getswitchinterval);
    add_fn(vm, d, "setswitchinterval", "sys", setswitchinterval);
    add_fn(vm, d, "getrecursionlimit", "sys", |_, _, _| Ok(Value::Int(crate::vm::RECURSION_LIMIT as i64)));
    add_fn(vm, d, "setrecursionlimit", "sys", |_, _, _| Ok(Value::None));
    add_fn(vm, d, "getsizeof", "sys", |_, _, _| Ok(Value::Int(56)));
    add_fn(vm, d, "intern", "sys", |_, a, _| Ok(a.first().cloned().unwrap_or(Value::None)));
    let (out, od) = new_module(vm, "stdout");
    add_fn(vm, od, "write", "stdout", out_write);
    add_fn(vm, od, "flush", "stdout", |_, _, _| Ok(Value::None));
    vm.dict_set_str(d, "stdout", out.clone());
    vm.dict_set_str(d, "__stdout__", out);
    let (err, ed) = new_module(vm, "stderr");
    add_fn(vm, ed, "write", "stderr", err_write);
    add_fn(vm, ed, "flush", "stderr", |_, _, _| Ok(Value::None));
    vm.dict_set_str(d, "stderr", err.clone());
    vm.dict_set_str(d, "__stderr__", err);
    let (inp, id) = new_module(vm, "stdin");
    add_fn(vm, id, "readline", "stdin", readline);
    add_fn(vm, id, "readlines", "stdin", readlines);
    add_fn(vm, id, "read", "stdin", read);
    vm.dict_set_str(d, "stdin", inp);
    vm.dict_set_str(d, "version", Value::str("3.11.7 (Interleave virtual machine)"));
    let vi = vm.new_tuple(vec![Value::Int(3), Value::Int(11), Value::Int(7), Value::str("final"), Value::Int(0)]);
    vm.dict_set_str(d, "version_info", vi);
    vm.dict_set_str(d, "platform", Value::str("linux"));
    vm.dict_set_str(d, "maxsize", Value::Int(i64::MAX));
    vm.dict_set_str(d, "byteorder", Value::str("little"));
    vm.dict_set_str(d, "executable", Value::str("/usr/bin/python3"));
    let bm = vm.new_tuple(vec![]);
    vm.dict_set_str(d, "builtin_module_names", bm);
    m
}

/// `sys.exc_info()`: the exception being handled, as `(type, value,
/// traceback)` (the traceback is None here), or three Nones.
fn exc_info(vm: &mut Vm, _: &[Value], _: &crate::value::Kwargs) -> R<Value> {
    match vm.thread().exc_stack.last().cloned() {
        Some(e) => {
            let t = crate::ops::type_of(vm, &e);
            Ok(vm.new_tuple(vec![Value::Obj(t), e, Value::None]))
        }
        None => Ok(vm.new_tuple(vec![Value::None, Value::None, Value::None])),
    }
}
