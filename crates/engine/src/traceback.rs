//! Printing uncaught exceptions as CPython 3.11 does: the chain of causes
//! and contexts, `Traceback (most recent call last):`, one entry per frame
//! with its source line and (when the failing expression is only part of
//! the line) a caret line, then `Type: message`.

use crate::object::*;
use crate::types::Builtin;
use crate::value::Value;
use crate::vm::Vm;

fn exc_data(vm: &Vm, e: &Value) -> Option<ExcData> {
    if let Value::Obj(id) = e {
        if let Obj::Instance(i) = vm.p.heap.get(*id) {
            if let Payload::Exc(d) = &i.payload {
                return Some((**d).clone());
            }
        }
    }
    None
}

/// `Type: message` (or just `Type`).
pub fn exc_line(vm: &mut Vm, e: &Value) -> String {
    let cls = crate::ops::type_of(vm, e);
    let (name, module) = match vm.p.heap.get(cls) {
        Obj::Class(c) => {
            let m = match c.dict.get_str("__module__") {
                Some(Value::Str(s)) => s.to_string(),
                _ => c.module.to_string(),
            };
            (c.qualname.to_string(), m)
        }
        _ => ("Exception".into(), "builtins".into()),
    };
    let full = if module == "builtins" || module == "__main__" { name } else { format!("{module}.{name}") };
    let msg = crate::format::to_str(vm, e).unwrap_or_else(|_| "<exception str() failed>".into());
    if msg.is_empty() {
        full
    } else {
        format!("{full}: {msg}")
    }
}

pub fn format_exception(vm: &mut Vm, e: &Value, depth: usize) -> String {
    let mut out = String::new();
    let Some(d) = exc_data(vm, e) else {
        return format!("{}\n", exc_line(vm, e));
    };
    if depth < 8 {
        if let Some(c) = &d.cause {
            out.push_str(&format_exception(vm, c, depth + 1));
            out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
        } else if let (Some(c), false) = (&d.context, d.suppress_context) {
            out.push_str(&format_exception(vm, c, depth + 1));
            out.push_str("\nDuring handling of the above exception, another exception occurred:\n\n");
        }
    }
    if !d.traceback.is_empty() {
        out.push_str("Traceback (most recent call last):\n");
        let source = vm.p.source.clone();
        let lines: Vec<&str> = source.lines().collect();
        for entry in d.traceback.iter().filter(|e| !written_in_c(&e.filename, &e.name)) {
            out.push_str(&format!("  File \"{}\", line {}, in {}\n", entry.filename, entry.line, entry.name));
            let src = match stdlib_line(&entry.filename, entry.line) {
                Some(s) => Some(s),
                // The engine's own modules are named `<name>`; any other
                // file is the program's.
                None if !entry.filename.starts_with('<') && &*entry.filename != THREADING_PY => lines.get(entry.line.saturating_sub(1) as usize).copied(),
                None => None,
            };
            if let Some(src) = src {
                let trimmed = src.trim_start();
                let indent = src.chars().count() - trimmed.chars().count();
                let text = trimmed.trim_end();
                if !text.is_empty() {
                    out.push_str(&format!("    {text}\n"));
                    let sp = entry.span;
                    if sp.line == entry.line && sp.end_line == sp.line && sp.end_col > sp.col {
                        let start = (sp.col as usize).saturating_sub(1).saturating_sub(indent);
                        let end = (sp.end_col as usize).saturating_sub(1).saturating_sub(indent);
                        let len = text.chars().count();
                        if (!(start == 0 && end >= len) || entry.anchor.is_some()) && end > start && end <= len {
                            let chars: Vec<char> = text.chars().collect();
                            let col = |c: u32| (c as usize).saturating_sub(1).saturating_sub(indent);
                            let marks: String = match entry.anchor {
                                Some(crate::code::Anchor::BinOp(l_end, r_start)) => {
                                    // The operator: the first non-space, non-')'
                                    // characters after the left operand.
                                    let (a, b) = (col(l_end).max(start), col(r_start).min(end));
                                    let mut op_start = a;
                                    while op_start < b && matches!(chars.get(op_start), Some(' ') | Some(')')) {
                                        op_start += 1;
                                    }
                                    let mut op_end = op_start;
                                    while op_end < b && !matches!(chars.get(op_end), Some(' ') | Some('(')) {
                                        op_end += 1;
                                    }
                                    (start..end).map(|i| if i >= op_start && i < op_end { '^' } else { '~' }).collect()
                                }
                                Some(crate::code::Anchor::Subscript(v_end)) => {
                                    let a = col(v_end).max(start);
                                    (start..end).map(|i| if i < a { '~' } else { '^' }).collect()
                                }
                                None => "^".repeat(end - start),
                            };
                            out.push_str(&format!("    {}{}\n", " ".repeat(start), marks));
                        }
                    }
                }
            }
        }
    }
    out.push_str(&exc_line(vm, e));
    let suggestion = match (&d.suggestion, &d.attr) {
        (Some(s), _) => Some(s.clone()),
        (None, Some((obj, name))) => crate::attr::attribute_suggestion(vm, obj, name),
        _ => None,
    };
    if let Some(s) = suggestion {
        out.push_str(&format!(". Did you mean: '{s}'?"));
    }
    out.push('\n');
    out
}

/// Whether a frame of the engine's Python-written library stands for
/// what CPython writes in C, and so never shows in its tracebacks: the
/// `select` module, and the methods of a socket that are `_socket`'s.
fn written_in_c(filename: &str, function: &str) -> bool {
    const SOCKET_C: &[&str] = &[
        "_check", "connect", "connect_ex", "bind", "listen", "send", "sendall", "recv", "shutdown", "setsockopt", "getsockopt",
        "getsockname", "getpeername", "settimeout", "setblocking", "_fileno", "_seconds", "__init__",
    ];
    match filename {
        "<select>" => true,
        "<socket>" => SOCKET_C.contains(&function),
        _ => false,
    }
}

/// Prints an uncaught exception; returns the exit status it implies for
/// the main thread.
pub fn report_uncaught(vm: &mut Vm, e: &Value, is_main: bool) -> i32 {
    if crate::ops::is_instance_of(vm, e, Builtin::SystemExit) {
        if !is_main {
            return 0;
        }
        let args = exc_data(vm, e).map(|d| d.args).unwrap_or_default();
        return match args.first() {
            None | Some(Value::None) => 0,
            Some(Value::Int(i)) => *i as i32,
            Some(Value::Bool(b)) => *b as i32,
            Some(other) => {
                let s = crate::format::to_str(vm, other).unwrap_or_default();
                vm.write_stderr(&format!("{s}\n"));
                1
            }
        };
    }
    let text = if is_main {
        format_exception(vm, e, 0)
    } else if vm.p.threads[vm.tix].failed {
        hook_exception_text(vm, e)
    } else {
        let name = vm.p.threads[vm.tix].name.clone();
        thread_exception_text(vm, e, &name)
    };
    vm.write_stderr(&text);
    1
}

/// What `threading.excepthook` prints for exception `e` of the thread
/// named `name`: the header and the traceback, from threading.py's frames.
pub fn thread_exception_text(vm: &mut Vm, e: &Value, name: &str) -> String {
    let mut text = format!("Exception in thread {name}:\n");
    // CPython's traceback starts in threading.py, which runs the thread;
    // show the same two frames.
    add_threading_frames(vm, e);
    text.push_str(&format_exception(vm, e, 0));
    text
}

/// What CPython prints when the program's `threading.excepthook` itself
/// raised `e`: from threading.py's call of the hook (not from the
/// prelude's helper that called it here).
fn hook_exception_text(vm: &mut Vm, e: &Value) -> String {
    drop_prelude_frames(vm, e);
    if let Some(tb) = traceback_mut(vm, e) {
        tb.insert(0, threading_entry(1349, "invoke_excepthook"));
    }
    format!("Exception in threading.excepthook:\n{}", format_exception(vm, e, 0))
}

/// Takes the frames of the prelude's helpers (which CPython does not
/// have) off the front of `e`'s traceback.
pub fn drop_prelude_frames(vm: &mut Vm, e: &Value) {
    if let Some(tb) = traceback_mut(vm, e) {
        let helper = tb.iter().take_while(|t| &*t.filename == "<prelude>").count();
        tb.drain(..helper);
    }
}

/// The traceback of exception `e`, to change (none when `e` is not an
/// exception instance).
fn traceback_mut<'v>(vm: &'v mut Vm, e: &Value) -> Option<&'v mut Vec<TbEntry>> {
    let Value::Obj(id) = e else { return None };
    let Obj::Instance(i) = vm.p.heap.get_mut(*id) else { return None };
    let Payload::Exc(d) = &mut i.payload else { return None };
    Some(&mut d.traceback)
}

const THREADING_PY: &str = "/usr/lib/python3.11/threading.py";

/// A frame of threading.py (see [`stdlib_line`]).
fn threading_entry(line: u32, name: &str) -> TbEntry {
    TbEntry { filename: std::sync::Arc::from(THREADING_PY), line, name: std::sync::Arc::from(name), span: Default::default(), anchor: None }
}

fn add_threading_frames(vm: &mut Vm, e: &Value) {
    let Some(tb) = traceback_mut(vm, e) else { return };
    let own_run = tb.first().map(|t| &*t.name == "run" && &*t.filename != THREADING_PY).unwrap_or(false);
    if !own_run {
        tb.insert(0, threading_entry(982, "run"));
    }
    tb.insert(0, threading_entry(1045, "_bootstrap_inner"));
}

/// Source lines of the stdlib frames shown in thread tracebacks.
pub fn stdlib_line(filename: &str, line: u32) -> Option<&'static str> {
    if filename != THREADING_PY {
        return None;
    }
    match line {
        1045 => Some("    self.run()"),
        982 => Some("    self._target(*self._args, **self._kwargs)"),
        1349 => Some("    hook(args)"),
        _ => None,
    }
}
