//! The virtual kernel's files: a flat table of text files, shared by the
//! whole machine, which `open()`, `os.remove()`, `os.listdir()` and
//! `os.path.exists()` read and write.
//!
//! Tutorials share state between threads (and processes) through files:
//! the ticket seller reads `tickets.json`, sees one ticket left, and
//! writes it back one fewer; a logger appends lines. The races are the
//! same as with a variable, and a learner should see them on the file.
//!
//! The file objects are Python (`_io.TextIOWrapper` in the prelude) and
//! behave as CPython's text files do for small files: opening for
//! writing empties the file at once, writes wait in the object's buffer
//! until `flush()`, `close()` or the end of the `with` block (so another
//! thread may read the file empty in between) and then land at the
//! object's own offset (two objects that opened one file with `w` write
//! over each other's text; `a` writes at the end), and a reader takes the
//! whole file at its first read. The natives here are the kernel's side:
//! each reads or writes the table in one step. (CPython also flushes a
//! buffer past 8 KB by itself; this one waits for the close.)
//!
//! What is deliberately absent: directories (a path is a name; `./` in
//! front is dropped), binary files, `seek`, and reading and writing one
//! open file (`r+`, `w+`). Those say so with an error.

use std::sync::Arc;

use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

/// How many bytes the files may hold together (a write past it raises
/// `OSError: [Errno 28] No space left on device`).
pub const DISK_BYTES: usize = 32 << 20;

/// The table: file name to contents. Copy on write: machine copies share
/// it until one of them writes a file.
pub type Files = crate::shared::Shared<std::collections::BTreeMap<Arc<str>, Arc<str>>>;

/// A path argument's text, as `os` and `os.path` take it (a str).
pub fn path_text(vm: &mut Vm, v: Option<&Value>) -> R<Arc<str>> {
    match v {
        Some(Value::Str(s)) => Ok(s.clone()),
        Some(other) => {
            let t = crate::ops::type_name(vm, other);
            Err(vm.type_error(format!("expected str, bytes or os.PathLike object, not {t}")))
        }
        None => Err(vm.type_error("missing a path argument")),
    }
}

/// A path argument, as a name in the table.
fn path_arg(vm: &mut Vm, v: Option<&Value>) -> R<Arc<str>> {
    let s = path_text(vm, v)?;
    let mut p: &str = &s;
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    if p.is_empty() || p.ends_with('/') {
        let shown = crate::format::repr(vm, &Value::Str(s.clone()))?;
        return Err(vm.err(Builtin::IsADirectoryError, format!("[Errno 21] Is a directory: {shown}")));
    }
    Ok(Arc::from(p))
}

/// `FileNotFoundError: [Errno 2] No such file or directory: 'name'`,
/// with CPython's `errno`, `strerror` and `filename`.
fn not_found(vm: &mut Vm, shown: &Value) -> R<crate::vm::Flow> {
    let name = crate::format::repr(vm, shown)?;
    let e = vm.new_exc(Builtin::FileNotFoundError, format!("[Errno 2] No such file or directory: {name}"));
    crate::attr::setattr_sync(vm, &e, "errno", Value::Int(2))?;
    crate::attr::setattr_sync(vm, &e, "strerror", Value::str("No such file or directory"))?;
    crate::attr::setattr_sync(vm, &e, "filename", shown.clone())?;
    Ok(crate::vm::Flow::Raise(e))
}

/// `_fs_read(path)`: the whole file.
pub fn read(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let p = path_arg(vm, args.first())?;
    match vm.k.files.get(&p) {
        Some(text) => Ok(Value::Str(text.clone())),
        None => Err(not_found(vm, &args[0])?),
    }
}

/// `_fs_create(path, mode)`: what opening for writing does to the table
/// before any write: `w` empties the file (or makes it), `a` makes it if
/// it is missing, `x` makes it and fails if it exists.
pub fn create(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let p = path_arg(vm, args.first())?;
    let mode = match args.get(1) {
        Some(Value::Str(m)) => m.clone(),
        _ => Arc::from("w"),
    };
    let exists = vm.k.files.contains_key(&p);
    match &*mode {
        "x" if exists => {
            let name = crate::format::repr(vm, &args[0])?;
            return Err(vm.err(Builtin::FileExistsError, format!("[Errno 17] File exists: {name}")));
        }
        "a" if exists => {}
        _ => {
            vm.k.files.insert(p, Arc::from(""));
        }
    }
    Ok(Value::None)
}

/// `_fs_write(path, offset, text)`: a flush of an open file's buffer
/// at the file object's own offset (in bytes), as `write(2)` on a
/// descriptor opened with `w` or `x`; an `offset` of `None` appends, as
/// one opened with `a` does. Returns the offset after the text. Two
/// objects that opened one file with `w` each write from their own
/// offset, over each other's text, as on disk. A file removed since its
/// opening takes nothing (the data went to the unlinked file).
pub fn write(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let p = path_arg(vm, args.first())?;
    let (Some(offset), Some(Value::Str(text))) = (args.get(1), args.get(2)) else {
        return Err(vm.type_error("_fs_write(path, offset, text)"));
    };
    let Some(old) = vm.k.files.get(&p).cloned() else {
        return Ok(offset.clone());
    };
    let mut bytes = old.as_bytes().to_vec();
    let at = match offset {
        Value::Int(o) => (*o).max(0) as usize,
        _ => bytes.len(),
    };
    if bytes.len() < at {
        bytes.resize(at, 0);
    }
    let end = at + text.len();
    // The virtual disk is small: a program that writes without end stops
    // with the error a full disk gives, not by filling the memory.
    let others: usize = vm.k.files.iter().filter(|(n, _)| **n != p).map(|(_, t)| t.len()).sum();
    if others + bytes.len().max(end) > DISK_BYTES {
        return Err(vm.err(Builtin::OSError, "[Errno 28] No space left on device"));
    }
    let tail = bytes.len().min(end);
    bytes.splice(at..tail, text.bytes());
    let s = String::from_utf8_lossy(&bytes).into_owned();
    vm.k.files.insert(p, Arc::from(s));
    Ok(Value::Int(end as i64))
}

/// `os.path.exists(path)` (and `os.path.isfile`).
pub fn exists(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let p = path_arg(vm, args.first())?;
    Ok(Value::Bool(vm.k.files.contains_key(&p)))
}

/// `os.path.getsize(path)`: in bytes of UTF-8, as on disk.
pub fn getsize(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let p = path_arg(vm, args.first())?;
    match vm.k.files.get(&p) {
        Some(text) => Ok(Value::Int(text.len() as i64)),
        None => Err(not_found(vm, &args[0])?),
    }
}

/// `os.remove(path)` (and `os.unlink`).
pub fn remove(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let p = path_arg(vm, args.first())?;
    if vm.k.files.remove(&p).is_none() {
        return Err(not_found(vm, &args[0])?);
    }
    Ok(Value::None)
}

/// `os.rename(src, dst)` (and `os.replace`): replaces `dst`.
pub fn rename(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let from = path_arg(vm, args.first())?;
    let to = path_arg(vm, args.get(1))?;
    let Some(text) = vm.k.files.remove(&from) else { return Err(not_found(vm, &args[0])?) };
    vm.k.files.insert(to, text);
    Ok(Value::None)
}

/// `os.listdir(path='.')`: the files, in the table's (sorted) order.
pub fn listdir(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    let names: Vec<Value> = vm.k.files.keys().map(|k| Value::Str(k.clone())).collect();
    Ok(vm.new_list(names))
}
