//! `os`: the virtual process's identity (virtual pids from the kernel's
//! process table), its processes (`fork`, `_exit`, `wait`, `waitpid`,
//! `kill` and the `W*` macros of wait statuses), a few harmless
//! constants, and the virtual kernel's files (`files.rs`: `remove`,
//! `rename`, `listdir`, `os.path.exists`). No real process: a fork copies
//! the virtual process (see `Machine::fork`).
//!
//! A call that changes another process (a fork, an exit, a kill) cannot
//! reach it from here, since the VM holds only its own process: it leaves
//! a [`Request`] for the machine and ends the step, and the machine
//! carries it out before any other thread runs.

use crate::kernel::{ProcState, Request, WaitOn};
use crate::methods::need_int;
use crate::modules::{add_fn, files, new_module};
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

/// `os.fork()`: 0 in the child, the child's pid in the parent.
fn fork(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    if vm.sync_depth > 0 {
        return Err(vm.err(Builtin::RuntimeError, "Interleave cannot fork inside a callback (a __repr__, a sort key, ...)"));
    }
    let child = vm.k.next_pid;
    vm.k.next_pid += 1;
    let child_tid = vm.k.next_tid;
    vm.k.next_tid += 1;
    let (pid, tid) = (vm.p.pid, vm.tid());
    vm.k.requests.push(Request::Fork { pid, tid, child, child_tid });
    // The step ends with the call, so that the machine copies the process
    // with the result on top of the stack (the child's copy reads 0).
    vm.yield_requested = true;
    Ok(Value::Int(child as i64))
}

/// `os._exit(n)`: the process ends at once, without `atexit` callbacks,
/// `finally` blocks or waiting for its threads.
fn exit_now(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let code = need_int(vm, args.first().unwrap_or(&Value::Int(0)))?;
    let pid = vm.p.pid;
    vm.k.requests.push(Request::Exit { pid, status: ((code & 0xff) as i32) << 8 });
    vm.yield_requested = true;
    Ok(Value::None)
}

/// `os.waitpid(pid, options)`: reaps child `pid` (any child for -1 or 0)
/// once it has exited, and returns `(pid, status)`; with `WNOHANG`,
/// `(0, 0)` while it runs. Blocks otherwise.
fn waitpid(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let pid = need_int(vm, args.first().unwrap_or(&Value::Int(-1)))?;
    let options = need_int(vm, args.get(1).unwrap_or(&Value::Int(0)))?;
    wait_for(vm, pid, options)
}

/// `os.wait()`: `waitpid(-1, 0)`.
fn wait(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    wait_for(vm, -1, 0)
}

/// What [`reap`] found.
pub enum Reap {
    /// No such child (any more).
    NoChild,
    /// A child that had exited, now gone from the table: its pid and
    /// wait status.
    Reaped(u32, i32),
    /// The child (or every child, for any) is still running.
    Running,
}

/// Reaps the calling process's child `pid` (any child for -1 or 0) if it
/// has exited: the process table side of `waitpid`.
pub fn reap(vm: &mut Vm, pid: i64) -> Reap {
    let me = vm.p.pid;
    let mine = |e: &crate::kernel::ProcInfo| e.ppid == me && (pid <= 0 || e.pid as i64 == pid);
    if !vm.k.table.iter().any(mine) {
        return Reap::NoChild;
    }
    match vm.k.table.iter().position(|e| mine(e) && e.state == ProcState::Zombie) {
        Some(i) => {
            let e = vm.k.table.remove(i);
            Reap::Reaped(e.pid, e.status.unwrap_or(0))
        }
        None => Reap::Running,
    }
}

fn wait_for(vm: &mut Vm, pid: i64, options: i64) -> R<Value> {
    match reap(vm, pid) {
        Reap::NoChild => {
            let e = vm.new_exc(Builtin::ChildProcessError, "[Errno 10] No child processes".to_string());
            return Err(crate::vm::Flow::Raise(e));
        }
        Reap::Reaped(child, status) => return Ok(vm.new_tuple(vec![Value::Int(child as i64), Value::Int(status as i64)])),
        Reap::Running => {}
    }
    if options & WNOHANG != 0 {
        return Ok(vm.new_tuple(vec![Value::Int(0), Value::Int(0)]));
    }
    let on = if pid > 0 { WaitOn::Child(pid as u32) } else { WaitOn::AnyChild };
    Err(crate::modules::threading::block(vm, on, None))
}

/// `os.kill(pid, signal)`: every signal but 0 ends the process, as the
/// default action of SIGKILL, SIGTERM and SIGINT does (handlers are not
/// supported). Signal 0 only checks that the process exists.
fn kill(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let pid = need_int(vm, args.first().unwrap_or(&Value::None))?;
    let signal = need_int(vm, args.get(1).unwrap_or(&Value::None))?;
    let Some(e) = vm.k.table.iter().find(|e| e.pid as i64 == pid) else {
        let e = vm.new_exc(Builtin::ProcessLookupError, "[Errno 3] No such process".to_string());
        return Err(crate::vm::Flow::Raise(e));
    };
    if signal != 0 && e.state == ProcState::Running {
        vm.k.requests.push(Request::Kill { pid: pid as u32, signal: signal as i32 });
        vm.yield_requested = true;
    }
    Ok(Value::None)
}

const WNOHANG: i64 = 1;

const SIGCHLD: i64 = 17;

/// `signal.signal(signum, handler)`: only SIGCHLD's SIG_IGN and SIG_DFL
/// (whether exited children are reaped at once or stay zombies until
/// waited for); Python handlers are not supported. Returns the previous
/// handler.
fn signal_signal(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let sig = need_int(vm, args.first().unwrap_or(&Value::None))?;
    let handler = args.get(1).cloned().unwrap_or(Value::None);
    let ignore = match (&handler, sig) {
        (Value::Int(1), SIGCHLD) => true,
        (Value::Int(0), SIGCHLD) => false,
        _ => {
            return Err(vm.err(
                Builtin::NotImplementedError,
                "Interleave does not support signal handlers: only signal.signal(signal.SIGCHLD, signal.SIG_IGN) (or SIG_DFL)",
            ))
        }
    };
    let pid = vm.p.pid;
    let Some(e) = vm.k.proc_info_mut(pid) else { return Ok(Value::Int(0)) };
    let before = e.ignores_children;
    e.ignores_children = ignore;
    if ignore {
        // Zombies already there are reaped too.
        vm.k.table.retain(|c| !(c.ppid == pid && c.state == ProcState::Zombie));
    }
    Ok(Value::Int(before as i64))
}

/// The `signal` module: the numbers of the common signals, for
/// `os.kill`, and `signal.signal` for SIGCHLD.
pub fn signal_module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "signal");
    for (name, n) in [("SIGINT", 2), ("SIGKILL", 9), ("SIGUSR1", 10), ("SIGUSR2", 12), ("SIGTERM", 15), ("SIGCHLD", SIGCHLD), ("SIG_DFL", 0), ("SIG_IGN", 1)] {
        vm.dict_set_str(d, name, Value::Int(n));
    }
    add_fn(vm, d, "signal", "signal", signal_signal);
    m
}

fn status_arg(vm: &mut Vm, args: &[Value]) -> R<i64> {
    need_int(vm, args.first().unwrap_or(&Value::None))
}

fn wifexited(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Bool(status_arg(vm, args)? & 0x7f == 0))
}

fn wexitstatus(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int((status_arg(vm, args)? >> 8) & 0xff))
}

fn wifsignaled(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let s = status_arg(vm, args)? & 0x7f;
    Ok(Value::Bool(s != 0 && s != 0x7f))
}

fn wtermsig(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int(status_arg(vm, args)? & 0x7f))
}

/// `os.waitstatus_to_exitcode(status)`: the exit code, or minus the
/// signal that killed the process.
fn waitstatus_to_exitcode(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let s = status_arg(vm, args)?;
    Ok(Value::Int(if s & 0x7f == 0 { (s >> 8) & 0xff } else { -(s & 0x7f) }))
}

fn getpid(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    Ok(Value::Int(vm.p.pid as i64))
}

fn getppid(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    // The process table is the one record of who is whose parent.
    let me = vm.p.pid;
    Ok(Value::Int(vm.k.proc_info(me).map_or(crate::kernel::SHELL_PID, |e| e.ppid) as i64))
}

fn getenv(_: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    Ok(args.get(1).cloned().unwrap_or(Value::None))
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "os");
    add_fn(vm, d, "getpid", "os", getpid);
    add_fn(vm, d, "getppid", "os", getppid);
    add_fn(vm, d, "fork", "posix", fork);
    add_fn(vm, d, "_exit", "posix", exit_now);
    add_fn(vm, d, "waitpid", "posix", waitpid);
    add_fn(vm, d, "wait", "posix", wait);
    add_fn(vm, d, "kill", "posix", kill);
    add_fn(vm, d, "WIFEXITED", "posix", wifexited);
    add_fn(vm, d, "WEXITSTATUS", "posix", wexitstatus);
    add_fn(vm, d, "WIFSIGNALED", "posix", wifsignaled);
    add_fn(vm, d, "WTERMSIG", "posix", wtermsig);
    add_fn(vm, d, "waitstatus_to_exitcode", "posix", waitstatus_to_exitcode);
    vm.dict_set_str(d, "WNOHANG", Value::Int(WNOHANG));
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
