//! `_socket`: the virtual network under `socket.py`, `select.py` and
//! `selectors.py`.
//!
//! Sockets are kernel objects ([`Sock`]) that belong to no process: a
//! process names one through a descriptor in its own table
//! ([`Process::fds`](crate::kernel::Process)), a fork copies the table, and
//! a socket closes when the last descriptor naming it is closed (or its
//! process exits). That is how a process-per-connection server works: the
//! parent closes its copy of the connection and the child's stays open.
//!
//! The network is one machine's loopback. `connect()` to a listening
//! address completes at once (the kernel does the handshake, `accept()`
//! only takes the finished connection from the backlog), and bytes sent
//! land in the peer's buffer in the same step. So every wait is a wait
//! for the other program: for a client to connect, for data, for the
//! peer to read and make room ([`SOCK_BUFFER`]). A thread waiting on a
//! socket blocks on [`WaitOn::Sock`]; `select`, `poll` and `epoll` block
//! on [`WaitOn::Select`] over several. Whatever changes a socket's
//! readiness (data in, data read, a connection queued, a close) wakes
//! the threads waiting on it, which retry their call.
//!
//! Errors are Linux's, with CPython's classes and messages:
//! `ConnectionRefusedError: [Errno 111] Connection refused`,
//! `BlockingIOError: [Errno 11] Resource temporarily unavailable` from a
//! non-blocking socket that would wait, `TimeoutError: timed out` after
//! `settimeout()`.
//!
//! The kernel side ([`connect`], [`send`], [`recv`], [`release`], ...)
//! works on [`Kernel`] alone and says [`Fail::Wait`] where the call would
//! block; the natives decide, from the socket's timeout, whether to
//! block, raise `BlockingIOError` or raise `TimeoutError`.

use std::sync::Arc;

use crate::kernel::{Addr, Kernel, Sock, SockState, WaitOn, Wake, SOCK_BUFFER};
use crate::methods::need_int;
use crate::modules::processes::timeout;
use crate::modules::{add_fn, new_module};
use crate::types::Builtin;
use crate::value::{Kwargs, Value};
use crate::vm::{Vm, R};

/// Why a socket call did not complete.
#[derive(Debug, PartialEq, Eq)]
pub enum Fail {
    /// It would wait for this (another program's action).
    Wait(WaitOn),
    /// It failed with this Linux errno.
    Errno(i32),
}

pub const EBADF: i32 = 9;
pub const EAGAIN: i32 = 11;
pub const EINVAL: i32 = 22;
pub const EPIPE: i32 = 32;
pub const EADDRINUSE: i32 = 98;
pub const EADDRNOTAVAIL: i32 = 99;
pub const ECONNRESET: i32 = 104;
pub const EISCONN: i32 = 106;
pub const ENOTCONN: i32 = 107;
pub const ECONNREFUSED: i32 = 111;
pub const EINPROGRESS: i32 = 115;

/// CPython's exception class and message for a Linux errno.
fn errno_class(errno: i32) -> (Builtin, &'static str) {
    match errno {
        EBADF => (Builtin::OSError, "Bad file descriptor"),
        EAGAIN => (Builtin::BlockingIOError, "Resource temporarily unavailable"),
        EINVAL => (Builtin::OSError, "Invalid argument"),
        EPIPE => (Builtin::BrokenPipeError, "Broken pipe"),
        EADDRINUSE => (Builtin::OSError, "Address already in use"),
        EADDRNOTAVAIL => (Builtin::OSError, "Cannot assign requested address"),
        ECONNRESET => (Builtin::ConnectionResetError, "Connection reset by peer"),
        EISCONN => (Builtin::OSError, "Transport endpoint is already connected"),
        ENOTCONN => (Builtin::OSError, "Transport endpoint is not connected"),
        ECONNREFUSED => (Builtin::ConnectionRefusedError, "Connection refused"),
        EINPROGRESS => (Builtin::BlockingIOError, "Operation now in progress"),
        -2 => (Builtin::OSError, "Name or service not known"),
        _ => (Builtin::OSError, "Unknown error"),
    }
}

/// `[Errno N] message` as an exception of CPython's class for it, with
/// `args == (N, message)`, `errno` and `strerror`.
pub fn os_error(vm: &mut Vm, errno: i32) -> crate::vm::Flow {
    let (b, msg) = errno_class(errno);
    let cls = vm.class(b);
    let e = vm.exc_with_args(cls, vec![Value::Int(errno as i64), Value::str(msg)]);
    let _ = crate::attr::setattr_sync(vm, &e, "errno", Value::Int(errno as i64));
    let _ = crate::attr::setattr_sync(vm, &e, "strerror", Value::str(msg));
    crate::vm::Flow::Raise(e)
}

// ------------------------------------------------------------ the kernel side

/// A host as the virtual network knows it: the wildcard `0.0.0.0` (also
/// `''`) or the loopback `127.0.0.1` (also `localhost`).
pub fn host_of(host: &str) -> Option<Arc<str>> {
    match host {
        "" | "0.0.0.0" => Some(Arc::from("0.0.0.0")),
        "localhost" | "127.0.0.1" | "127.0.1.1" => Some(Arc::from("127.0.0.1")),
        _ => None,
    }
}

fn overlaps(a: &str, b: &str) -> bool {
    a == b || a == "0.0.0.0" || b == "0.0.0.0"
}

fn port_in_use(k: &Kernel, host: &str, port: u16) -> bool {
    k.socks.iter().any(|s| s.state != SockState::Closed && s.local.as_ref().is_some_and(|(h, p)| *p == port && overlaps(h, host)))
}

fn ephemeral(k: &mut Kernel) -> u16 {
    loop {
        let p = k.next_port;
        k.next_port = if p >= 60999 { 50000 } else { p + 1 };
        if !port_in_use(k, "0.0.0.0", p) {
            return p;
        }
    }
}

/// A new socket's id.
pub fn open(k: &mut Kernel) -> u32 {
    k.socks.push(Sock::new());
    k.socks.len() as u32 - 1
}

pub fn bind(k: &mut Kernel, id: u32, host: &str, port: u16) -> Result<(), Fail> {
    let host = host_of(host).ok_or(Fail::Errno(EADDRNOTAVAIL))?;
    let s = &k.socks[id as usize];
    if s.local.is_some() || s.state != SockState::Fresh {
        return Err(Fail::Errno(EINVAL));
    }
    if port != 0 && port_in_use(k, &host, port) {
        return Err(Fail::Errno(EADDRINUSE));
    }
    let port = if port == 0 { ephemeral(k) } else { port };
    k.socks[id as usize].local = Some((host, port));
    Ok(())
}

pub fn listen(k: &mut Kernel, id: u32, backlog: usize) -> Result<(), Fail> {
    match &mut k.socks[id as usize].state {
        SockState::Fresh => {}
        SockState::Listening { backlog: b, .. } => {
            *b = backlog;
            return Ok(());
        }
        _ => return Err(Fail::Errno(EINVAL)),
    }
    if k.socks[id as usize].local.is_none() {
        let port = ephemeral(k);
        k.socks[id as usize].local = Some((Arc::from("0.0.0.0"), port));
    }
    k.socks[id as usize].state = SockState::Listening { backlog, pending: Default::default() };
    k.socks[id as usize].listened = true;
    Ok(())
}

/// Connects socket `id` to `host:port`. The kernel completes the
/// connection at once and queues the server's end in the listener's
/// backlog; the wake-ups to do are pushed on `wake`. A full backlog
/// makes the client wait (Linux drops the handshake and retries).
pub fn connect(k: &mut Kernel, id: u32, host: &str, port: u16, wake: &mut Vec<u32>) -> Result<(), Fail> {
    let host = match host_of(host) {
        Some(h) if &*h == "0.0.0.0" => Arc::from("127.0.0.1"),
        Some(h) => h,
        None => return Err(Fail::Errno(-2)),
    };
    let pending = std::mem::take(&mut k.socks[id as usize].error);
    if pending != 0 {
        return Err(Fail::Errno(pending));
    }
    match k.socks[id as usize].state {
        SockState::Fresh => {}
        SockState::Connected { .. } => return Err(Fail::Errno(EISCONN)),
        _ => return Err(Fail::Errno(EINVAL)),
    }
    let listener = k.socks.iter().position(|s| {
        matches!(s.state, SockState::Listening { .. }) && s.local.as_ref().is_some_and(|(h, p)| *p == port && overlaps(h, &host))
    });
    let Some(l) = listener else { return Err(Fail::Errno(ECONNREFUSED)) };
    if let SockState::Listening { backlog, pending } = &k.socks[l].state {
        if pending.len() > *backlog {
            return Err(Fail::Wait(WaitOn::Sock(l as u32)));
        }
    }
    if k.socks[id as usize].local.is_none() {
        let p = ephemeral(k);
        k.socks[id as usize].local = Some((Arc::from("127.0.0.1"), p));
    }
    let client_addr = k.socks[id as usize].local.clone();
    let server = open(k);
    {
        let s = &mut k.socks[server as usize];
        s.state = SockState::Connected { peer: id };
        s.local = Some((host.clone(), port));
        s.remote = client_addr;
    }
    let c = &mut k.socks[id as usize];
    c.state = SockState::Connected { peer: server };
    c.remote = Some((host, port));
    if let SockState::Listening { pending, .. } = &mut k.socks[l].state {
        pending.push_back(server);
    }
    wake.push(l as u32);
    Ok(())
}

/// Takes a finished connection from listener `id`'s backlog.
pub fn accept(k: &mut Kernel, id: u32, wake: &mut Vec<u32>) -> Result<u32, Fail> {
    match &mut k.socks[id as usize].state {
        SockState::Listening { pending, .. } => match pending.pop_front() {
            Some(conn) => {
                // A client waiting for room in the backlog may go on.
                wake.push(id);
                Ok(conn)
            }
            None => Err(Fail::Wait(WaitOn::Sock(id))),
        },
        _ => Err(Fail::Errno(EINVAL)),
    }
}

fn peer_of(k: &Kernel, id: u32) -> Option<u32> {
    match k.socks[id as usize].state {
        SockState::Connected { peer } => Some(peer),
        _ => None,
    }
}

/// Sends what fits of `data`; how much was sent.
pub fn send(k: &mut Kernel, id: u32, data: &[u8], wake: &mut Vec<u32>) -> Result<usize, Fail> {
    let Some(peer) = peer_of(k, id) else { return Err(Fail::Errno(EPIPE)) };
    let me = &mut k.socks[id as usize];
    if me.reset {
        // The peer's reset is reported once; the connection is over.
        me.reset = false;
        me.write_shut = true;
        me.eof = true;
        return Err(Fail::Errno(EPIPE));
    }
    if me.write_shut {
        return Err(Fail::Errno(EPIPE));
    }
    if k.socks[peer as usize].state == SockState::Closed {
        // The data goes to a closed socket, whose kernel answers with a
        // reset: this send succeeds, the next call learns of the reset.
        k.socks[id as usize].reset = true;
        wake.push(id);
        return Ok(data.len());
    }
    if data.is_empty() {
        return Ok(0);
    }
    let p = &mut k.socks[peer as usize];
    let room = SOCK_BUFFER.saturating_sub(p.inbox.len());
    if room == 0 {
        return Err(Fail::Wait(WaitOn::Sock(id)));
    }
    let n = room.min(data.len());
    p.inbox.extend(&data[..n]);
    wake.push(peer);
    Ok(n)
}

/// Reads up to `n` bytes; `b''` (an empty vector) once the peer has
/// finished sending and everything was read.
pub fn recv(k: &mut Kernel, id: u32, n: usize, wake: &mut Vec<u32>) -> Result<Vec<u8>, Fail> {
    let Some(peer) = peer_of(k, id) else { return Err(Fail::Errno(ENOTCONN)) };
    let me = &mut k.socks[id as usize];
    if me.reset {
        me.reset = false;
        me.eof = true;
        me.write_shut = true;
        me.inbox.clear();
        return Err(Fail::Errno(ECONNRESET));
    }
    if !me.inbox.is_empty() {
        let take = n.min(me.inbox.len());
        let out: Vec<u8> = me.inbox.drain(..take).collect();
        // A sender waiting for room may go on.
        wake.push(peer);
        return Ok(out);
    }
    if me.eof || n == 0 {
        return Ok(Vec::new());
    }
    Err(Fail::Wait(WaitOn::Sock(id)))
}

/// `shutdown(how)`: 0 no more reads, 1 no more writes (the peer reads
/// `b''`), 2 both.
pub fn shutdown(k: &mut Kernel, id: u32, how: i64, wake: &mut Vec<u32>) -> Result<(), Fail> {
    let Some(peer) = peer_of(k, id) else { return Err(Fail::Errno(ENOTCONN)) };
    if how == 0 || how == 2 {
        k.socks[id as usize].eof = true;
        wake.push(id);
    }
    if how == 1 || how == 2 {
        k.socks[id as usize].write_shut = true;
        k.socks[peer as usize].eof = true;
        wake.push(peer);
        wake.push(id);
    }
    Ok(())
}

/// One descriptor of socket `id` is closed; the socket closes with the
/// last. Closing with unread data resets the connection (the peer's
/// next call raises `ConnectionResetError`), as Linux does; otherwise
/// the peer reads `b''` once its buffer is empty. Connections waiting
/// in a closed listener's backlog are reset.
pub fn release(k: &mut Kernel, id: u32, wake: &mut Vec<u32>) {
    let s = &mut k.socks[id as usize];
    s.refs = s.refs.saturating_sub(1);
    if s.refs > 0 || s.state == SockState::Closed {
        return;
    }
    let state = std::mem::replace(&mut s.state, SockState::Closed);
    let unread = !s.inbox.is_empty();
    s.inbox.clear();
    wake.push(id);
    match state {
        SockState::Listening { pending, .. } => {
            for conn in pending {
                k.socks[conn as usize].inbox.clear();
                release(k, conn, wake);
            }
        }
        SockState::Connected { peer } => {
            let p = &mut k.socks[peer as usize];
            if p.state != SockState::Closed {
                if unread {
                    p.reset = true;
                } else {
                    p.eof = true;
                }
                wake.push(peer);
            }
        }
        _ => {}
    }
}

/// Linux's poll bits (the same for `epoll`).
pub const POLLIN: i64 = 1;
pub const POLLOUT: i64 = 4;
pub const POLLERR: i64 = 8;
pub const POLLHUP: i64 = 16;
pub const POLLNVAL: i64 = 32;

/// What `poll` reports for socket `id`: readable (data, end of data, a
/// connection to accept), writable (room in the peer's buffer), hung up
/// (both directions finished), in error (reset).
pub fn readiness(k: &Kernel, id: u32) -> i64 {
    let s = &k.socks[id as usize];
    match &s.state {
        SockState::Listening { pending, .. } => {
            if pending.is_empty() {
                0
            } else {
                POLLIN
            }
        }
        SockState::Connected { peer } => {
            let mut r = 0;
            if s.reset {
                return POLLIN | POLLOUT | POLLERR | POLLHUP;
            }
            if !s.inbox.is_empty() || s.eof {
                r |= POLLIN;
            }
            let p = &k.socks[*peer as usize];
            if s.write_shut || p.state == SockState::Closed || p.inbox.len() < SOCK_BUFFER {
                r |= POLLOUT;
            }
            if s.eof && (s.write_shut || s.unix) {
                r |= POLLHUP;
            }
            r
        }
        // A refused non-blocking connect: an error to collect.
        SockState::Fresh if s.error != 0 => POLLOUT | POLLERR | POLLHUP,
        // An unconnected socket: Linux says it is writable and hung up.
        SockState::Fresh => POLLOUT | POLLHUP,
        SockState::Closed => POLLNVAL,
    }
}

/// A socket's name for people: its role and addresses, which it keeps
/// after it closes (`listener 127.0.0.1:50101`, `connection
/// 127.0.0.1:50000 → 127.0.0.1:50101`).
pub fn describe(k: &Kernel, id: u32) -> String {
    let Some(s) = k.socks.get(id as usize) else { return format!("socket #{id}") };
    let addr = |a: &Addr| format!("{}:{}", a.0, a.1);
    if s.unix {
        format!("socket pair end #{id}")
    } else if s.listened {
        format!("listener {}", s.local.as_ref().map(addr).unwrap_or_default())
    } else if let (Some(l), Some(r)) = (&s.local, &s.remote) {
        format!("connection {} → {}", addr(l), addr(r))
    } else {
        format!("socket #{id}")
    }
}

/// What a socket is doing, for people: `listening, 1 connection to
/// accept`, `5 bytes unread, the peer has finished sending`, `closed`.
pub fn state_line(k: &Kernel, id: u32) -> String {
    let Some(s) = k.socks.get(id as usize) else { return String::new() };
    match &s.state {
        SockState::Fresh if s.local.is_some() => "bound".into(),
        SockState::Fresh => "not connected".into(),
        SockState::Closed => "closed".into(),
        SockState::Listening { pending, .. } => match pending.len() {
            0 => "listening, no connection to accept".into(),
            1 => "listening, 1 connection to accept".into(),
            n => format!("listening, {n} connections to accept"),
        },
        SockState::Connected { .. } => {
            let mut parts = vec![match s.inbox.len() {
                1 => "1 byte unread".to_string(),
                n => format!("{n} bytes unread"),
            }];
            if s.reset {
                parts.push("reset by the peer".into());
            } else if s.eof {
                parts.push("the peer has finished sending".into());
            }
            if s.write_shut {
                parts.push("shut for writing".into());
            }
            parts.join(", ")
        }
    }
}

// ------------------------------------------------------------ the natives

fn fd_arg(vm: &mut Vm, args: &[Value], i: usize) -> R<i64> {
    need_int(vm, args.get(i).unwrap_or(&Value::None))
}

/// The socket behind descriptor `fd` of this process.
fn sock_of(vm: &mut Vm, fd: i64) -> R<u32> {
    match vm.p.fds.iter().find(|(f, _)| *f == fd) {
        Some((_, s)) => Ok(*s),
        None => Err(os_error(vm, EBADF)),
    }
}

/// The socket named by the descriptor in `args[0]`.
fn sock_arg(vm: &mut Vm, args: &[Value]) -> R<u32> {
    let fd = fd_arg(vm, args, 0)?;
    sock_of(vm, fd)
}

/// A new descriptor for socket `id`: the lowest free one from 3.
fn new_fd(vm: &mut Vm, id: u32) -> i64 {
    let mut fd = 3;
    while vm.p.fds.iter().any(|(f, _)| *f == fd) {
        fd += 1;
    }
    vm.p.fds.push((fd, id));
    vm.p.fds.sort_unstable();
    fd
}

fn wake(vm: &mut Vm, socks: Vec<u32>) {
    let mut socks = socks;
    socks.sort_unstable();
    socks.dedup();
    for s in socks {
        vm.k.requests.push(crate::kernel::Request::Wake(WaitOn::Sock(s)));
    }
}

/// What a call that would wait does: block, or raise `BlockingIOError`
/// (a non-blocking socket) or `TimeoutError` (its timeout has passed).
fn wait_or_raise(vm: &mut Vm, on: WaitOn, wait: Option<f64>) -> crate::vm::Flow {
    if wait.is_some_and(|t| t <= 0.0) {
        return os_error(vm, EAGAIN);
    }
    if crate::modules::threading::woke(vm) == Some(Wake::TimedOut) {
        return vm.err(Builtin::TimeoutError, "timed out");
    }
    crate::modules::threading::block(vm, on, wait)
}

fn fail(vm: &mut Vm, f: Fail, wait: Option<f64>) -> crate::vm::Flow {
    match f {
        Fail::Wait(on) => wait_or_raise(vm, on, wait),
        Fail::Errno(e) => os_error(vm, e),
    }
}

fn addr_value(vm: &mut Vm, a: &Option<Addr>) -> Value {
    match a {
        Some((h, p)) => vm.new_tuple(vec![Value::Str(h.clone()), Value::Int(*p as i64)]),
        None => vm.new_tuple(vec![Value::str("0.0.0.0"), Value::Int(0)]),
    }
}

/// An address argument `(host, port)`.
fn addr_arg(vm: &mut Vm, v: &Value) -> R<(Arc<str>, u16)> {
    let items = crate::ops::to_vec(vm, v).map_err(|_| vm.type_error("AF_INET address must be tuple, not ".to_string() + &crate::ops::type_name(vm, v)))?;
    if items.len() != 2 {
        return Err(vm.type_error(format!("AF_INET address must be a pair (host, port)")));
    }
    let host = match &items[0] {
        Value::Str(s) => s.clone(),
        other => {
            let t = crate::ops::type_name(vm, other);
            return Err(vm.type_error(format!("str, bytes or bytearray expected, not {t}")));
        }
    };
    let port = need_int(vm, &items[1])?;
    if !(0..=65535).contains(&port) {
        return Err(vm.err(Builtin::OverflowError, "bind(): port must be 0-65535."));
    }
    Ok((host, port as u16))
}

fn bytes_arg(vm: &mut Vm, v: &Value) -> R<Arc<[u8]>> {
    match v {
        Value::Bytes(b) => Ok(b.clone()),
        other => {
            let t = crate::ops::type_name(vm, other);
            Err(vm.type_error(format!("a bytes-like object is required, not '{t}'")))
        }
    }
}

/// `_open()`: a new socket's descriptor.
fn n_open(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    let id = open(vm.k);
    Ok(Value::Int(new_fd(vm, id)))
}

/// `_bind(fd, (host, port))`.
fn n_bind(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = sock_arg(vm, args)?;
    let (host, port) = addr_arg(vm, args.get(1).unwrap_or(&Value::None))?;
    bind(vm.k, id, &host, port).map_err(|f| fail(vm, f, None))?;
    Ok(Value::None)
}

/// `_listen(fd, backlog)`.
fn n_listen(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = sock_arg(vm, args)?;
    let backlog = need_int(vm, args.get(1).unwrap_or(&Value::Int(128)))?.clamp(0, 4096) as usize;
    listen(vm.k, id, backlog).map_err(|f| fail(vm, f, None))?;
    Ok(Value::None)
}

/// `_accept(fd, timeout)`: `(new fd, client address)`.
fn n_accept(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = sock_arg(vm, args)?;
    let wait = timeout(args, 1);
    let mut w = Vec::new();
    let conn = accept(vm.k, id, &mut w).map_err(|f| fail(vm, f, wait))?;
    wake(vm, w);
    let fd = new_fd(vm, conn);
    let remote = vm.k.socks[conn as usize].remote.clone();
    let addr = addr_value(vm, &remote);
    Ok(vm.new_tuple(vec![Value::Int(fd), addr]))
}

/// `_connect(fd, (host, port), timeout)`. A non-blocking socket's
/// connection is made at once all the same, and the call raises
/// `BlockingIOError: [Errno 115] Operation now in progress`, as Linux
/// does for every non-blocking TCP connect; the socket is writable.
fn n_connect(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = sock_arg(vm, args)?;
    let (host, port) = addr_arg(vm, args.get(1).unwrap_or(&Value::None))?;
    let wait = timeout(args, 2);
    let mut w = Vec::new();
    let nonblocking = wait.is_some_and(|t| t <= 0.0);
    match connect(vm.k, id, &host, port, &mut w) {
        Ok(()) => {}
        // A non-blocking connect learns of a refusal later, through
        // `SO_ERROR` or the next call.
        Err(Fail::Errno(ECONNREFUSED)) if nonblocking => vm.k.socks[id as usize].error = ECONNREFUSED,
        Err(f) => return Err(fail(vm, f, wait)),
    }
    wake(vm, w);
    if nonblocking {
        return Err(os_error(vm, EINPROGRESS));
    }
    Ok(Value::None)
}

/// `_send(fd, data, timeout)`: how many bytes were sent.
fn n_send(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = sock_arg(vm, args)?;
    let data = bytes_arg(vm, args.get(1).unwrap_or(&Value::None))?;
    let wait = timeout(args, 2);
    let mut w = Vec::new();
    let n = send(vm.k, id, &data, &mut w).map_err(|f| fail(vm, f, wait))?;
    wake(vm, w);
    Ok(Value::Int(n as i64))
}

/// `_recv(fd, n, timeout)`: the bytes read.
fn n_recv(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = sock_arg(vm, args)?;
    let n = need_int(vm, args.get(1).unwrap_or(&Value::Int(0)))?;
    if n < 0 {
        return Err(vm.value_error("negative buffersize in recv"));
    }
    let wait = timeout(args, 2);
    let mut w = Vec::new();
    let data = recv(vm.k, id, n as usize, &mut w).map_err(|f| fail(vm, f, wait))?;
    wake(vm, w);
    Ok(Value::Bytes(Arc::from(data)))
}

/// `_shutdown(fd, how)`.
fn n_shutdown(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = sock_arg(vm, args)?;
    let how = need_int(vm, args.get(1).unwrap_or(&Value::Int(2)))?;
    if !(0..=2).contains(&how) {
        return Err(os_error(vm, EINVAL));
    }
    let mut w = Vec::new();
    shutdown(vm.k, id, how, &mut w).map_err(|f| fail(vm, f, None))?;
    wake(vm, w);
    Ok(Value::None)
}

/// `_close(fd)`: this process's descriptor goes; the socket closes
/// with its last descriptor.
fn n_close(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let fd = fd_arg(vm, args, 0)?;
    let Some(i) = vm.p.fds.iter().position(|(f, _)| *f == fd) else { return Ok(Value::None) };
    let (_, id) = vm.p.fds.remove(i);
    let mut w = Vec::new();
    release(vm.k, id, &mut w);
    wake(vm, w);
    Ok(Value::None)
}

/// `_name(fd, remote)`: the socket's own address, or its peer's.
fn n_name(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = sock_arg(vm, args)?;
    let remote = matches!(args.get(1), Some(Value::Bool(true)));
    let s = &vm.k.socks[id as usize];
    let a = if remote { s.remote.clone() } else { s.local.clone() };
    if remote && (a.is_none() || !matches!(s.state, SockState::Connected { .. })) {
        return Err(os_error(vm, ENOTCONN));
    }
    Ok(addr_value(vm, &a))
}

/// `_so_error(fd)`: the pending error (`getsockopt(SOL_SOCKET,
/// SO_ERROR)`), cleared by reading it.
fn n_so_error(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let id = sock_arg(vm, args)?;
    Ok(Value::Int(std::mem::take(&mut vm.k.socks[id as usize].error) as i64))
}

/// `_socketpair()`: two connected descriptors.
fn n_socketpair(vm: &mut Vm, _: &[Value], _: &Kwargs) -> R<Value> {
    let a = open(vm.k);
    let b = open(vm.k);
    vm.k.socks[a as usize].state = SockState::Connected { peer: b };
    vm.k.socks[b as usize].state = SockState::Connected { peer: a };
    vm.k.socks[a as usize].unix = true;
    vm.k.socks[b as usize].unix = true;
    let (fa, fb) = (new_fd(vm, a), new_fd(vm, b));
    Ok(vm.new_tuple(vec![Value::Int(fa), Value::Int(fb)]))
}

/// `_poll(pairs, timeout, how)`: `pairs` is a list of `(fd, mask)`;
/// returns `[(fd, revents)]` for the descriptors with something to
/// report, waiting up to `timeout` seconds (None: for ever) for one.
/// A descriptor that is not open is what `how` says: `"poll"` reports
/// `POLLNVAL` for it, `"select"` raises `EBADF`, `"epoll"` leaves it out
/// (a closed descriptor leaves an epoll set by itself), so a selector
/// over nothing but closed sockets waits instead of spinning.
fn n_poll(vm: &mut Vm, args: &[Value], _: &Kwargs) -> R<Value> {
    let pairs = crate::ops::to_vec(vm, args.first().unwrap_or(&Value::None))?;
    let wait = timeout(args, 1);
    let how = match args.get(2) {
        Some(Value::Str(s)) => s.clone(),
        _ => Arc::from("poll"),
    };
    let mut out = Vec::new();
    let mut socks = Vec::new();
    for pair in pairs {
        let item = crate::ops::to_vec(vm, &pair)?;
        let fd = need_int(vm, item.first().unwrap_or(&Value::None))?;
        let mask = need_int(vm, item.get(1).unwrap_or(&Value::Int(0)))?;
        let Some(&(_, id)) = vm.p.fds.iter().find(|(f, _)| *f == fd) else {
            match &*how {
                "select" => return Err(os_error(vm, EBADF)),
                "epoll" => {}
                _ => out.push((fd, POLLNVAL)),
            }
            continue;
        };
        socks.push(id);
        let r = readiness(vm.k, id) & (mask | POLLERR | POLLHUP | POLLNVAL);
        if r != 0 {
            out.push((fd, r));
        }
    }
    let timed_out = crate::modules::threading::woke(vm) == Some(Wake::TimedOut);
    if out.is_empty() && !wait.is_some_and(|t| t <= 0.0) && !timed_out {
        socks.sort_unstable();
        socks.dedup();
        return Err(crate::modules::threading::block(vm, WaitOn::Select(socks), wait));
    }
    let items = out.into_iter().map(|(fd, r)| vm.new_tuple(vec![Value::Int(fd), Value::Int(r)])).collect();
    Ok(vm.new_list(items))
}

pub fn module(vm: &mut Vm) -> Value {
    let (m, d) = new_module(vm, "_socket");
    add_fn(vm, d, "_open", "_socket", n_open);
    add_fn(vm, d, "_bind", "_socket", n_bind);
    add_fn(vm, d, "_listen", "_socket", n_listen);
    add_fn(vm, d, "_accept", "_socket", n_accept);
    add_fn(vm, d, "_connect", "_socket", n_connect);
    add_fn(vm, d, "_send", "_socket", n_send);
    add_fn(vm, d, "_recv", "_socket", n_recv);
    add_fn(vm, d, "_shutdown", "_socket", n_shutdown);
    add_fn(vm, d, "_close", "_socket", n_close);
    add_fn(vm, d, "_name", "_socket", n_name);
    add_fn(vm, d, "_socketpair", "_socket", n_socketpair);
    add_fn(vm, d, "_poll", "_socket", n_poll);
    add_fn(vm, d, "_so_error", "_socket", n_so_error);
    m
}
