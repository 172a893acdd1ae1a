//! `traceback`: `print_exc()`, `format_exc()`, `print_exception(exc)`
//! and `format_exception(exc)`, in CPython's format (the engine's own
//! traceback printer, `crate::traceback`).
//!
//! Workers in tutorials catch everything and print the traceback, so that
//! one failed task does not end the thread silently:
//! `except Exception: traceback.print_exc()`.

use crate::modules::{add_fn, new_module};
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

/// The exception being handled by the calling thread, if any.
fn current(vm: &Vm) -> Option<Value> {
    vm.p.threads[vm.tix].exc_stack.last().cloned()
}

/// The text of `e`'s traceback, or CPython's `NoneType: None` when
/// nothing is being handled.
fn text_of(vm: &mut Vm, e: Option<Value>) -> String {
    match e {
        Some(e) if !e.is_none() => crate::traceback::format_exception(vm, &e, 0),
        _ => "NoneType: None\n".to_string(),
    }
}

/// The exception argument of `print_exception(exc)` (3.10's one-argument
/// form) or of the old `(type, value, tb)` form: the value.
fn exc_arg(args: &[Value]) -> Option<Value> {
    match args {
        [e] => Some(e.clone()),
        [_, v, ..] => Some(v.clone()),
        [] => None,
    }
}

fn print_exc(vm: &mut Vm, _: &[Value], kwargs: &Kwargs) -> R<Value> {
    let e = current(vm);
    let text = text_of(vm, e);
    write(vm, &text, kwargs)
}

fn format_exc(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    let e = current(vm);
    Ok(Value::from_string(text_of(vm, e)))
}

fn print_exception(vm: &mut Vm, args: &[Value], kwargs: &Kwargs) -> R<Value> {
    let text = text_of(vm, exc_arg(args));
    write(vm, &text, kwargs)
}

/// `format_exception(exc)`: the lines of the text, each with its newline
/// (CPython's items are the traceback's parts; joined, they are the same
/// text).
fn format_exception(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let text = text_of(vm, exc_arg(args));
    let lines: Vec<Value> = text.split_inclusive('\n').map(Value::str).collect();
    Ok(vm.new_list(lines))
}

/// To stderr, or to `file=`.
fn write(vm: &mut Vm, text: &str, kwargs: &Kwargs) -> R<Value> {
    match crate::methods::kwarg(kwargs, "file") {
        Some(f) if !f.is_none() => {
            let f = f.clone();
            crate::modules::sys::write_to(vm, &f, text)?;
        }
        _ => vm.write_stderr(text),
    }
    Ok(Value::None)
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "traceback");
    add_fn(vm, d, "print_exc", "traceback", print_exc);
    add_fn(vm, d, "format_exc", "traceback", format_exc);
    add_fn(vm, d, "print_exception", "traceback", print_exception);
    add_fn(vm, d, "format_exception", "traceback", format_exception);
    m
}
