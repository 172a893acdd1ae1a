//! The virtual kernel: a clock, processes, threads and their wait states,
//! and the synchronisation objects threads block on.
//!
//! Nothing here touches the real world. Time is a counter of virtual
//! nanoseconds that advances by a fixed cost per executed step and jumps
//! forward when every thread is asleep. Threads are records with a stack of
//! VM frames; "running" one means the machine executes its next steps.
//!
//! The main program is pid [`MAIN_PID`]; `os.fork()` (and so
//! `multiprocessing`) adds processes. Each [`Process`] owns its heap, its
//! threads and its sync objects, and the kernel hands out pids and tids
//! unique across the machine, so a tid names one thread of the whole
//! machine and the scheduler chooses among threads only. What processes
//! share lives here, outside every heap: the process table ([`ProcInfo`]:
//! zombies until reaped, orphans adopted by [`INIT_PID`]), the channels
//! under `multiprocessing`'s queues and pipes ([`Chan`], carrying [`Msg`]
//! copies of values), kernel locks and semaphores ([`KSync`]) and shared
//! memory. A native that changes another process leaves a [`Request`]
//! for the machine.
//!
//! The virtual network lives here too: [`Sock`]s, which processes name by
//! descriptors ([`Process::fds`]) and share across a fork, as they share
//! a real kernel's sockets (see [`crate::modules::sockets`]).

use std::collections::VecDeque;
use std::sync::Arc;

use crate::heap::Heap;
use crate::value::{ObjId, Value};
use crate::vm::Frame;

pub type Tid = u32;
pub type Pid = u32;
pub type SyncId = u32;

/// The virtual pid of the main program (what `os.getpid()` returns).
pub const MAIN_PID: Pid = 4242;
/// Its parent (the "shell").
pub const SHELL_PID: Pid = 4200;

/// What a blocked thread waits for.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", content = "id")]
pub enum WaitOn {
    Lock(SyncId),
    Semaphore(SyncId),
    Event(SyncId),
    /// Waiting to be notified by a condition.
    Condition(SyncId),
    QueueGet(SyncId),
    QueuePut(SyncId),
    QueueJoin(SyncId),
    Barrier(SyncId),
    Join(Tid),
    Sleep,
    /// `os.waitpid(pid, 0)`: waiting for child process `pid` to exit.
    Child(Pid),
    /// `os.wait()`: waiting for any child process to exit.
    AnyChild,
    /// Waiting for a message on a kernel channel (a `multiprocessing`
    /// queue or pipe end), see [`Chan`].
    Chan(u32),
    /// Waiting for a kernel lock or semaphore shared between processes.
    KSync(u32),
    /// Waiting on a socket (see [`Sock`]): for a connection to accept,
    /// data to read, or room to send.
    Sock(u32),
    /// `select`, `poll`, `epoll`: waiting until one of these sockets is
    /// ready (woken by a change to any of them).
    Select(Vec<u32>),
}

impl WaitOn {
    /// Whether a thread waiting on `self` wakes when `changed` changes: the
    /// same wait, or a select over the socket that changed.
    pub fn woken_by(&self, changed: &WaitOn) -> bool {
        match (self, changed) {
            (WaitOn::Select(socks), WaitOn::Sock(s)) => socks.contains(s),
            _ => self == changed,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Wait {
    pub on: WaitOn,
    /// Virtual time (ns) at which the wait times out.
    pub deadline: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ThreadState {
    Runnable,
    Blocked(Wait),
    Finished,
}

/// Why a blocked thread was made runnable again; the native call it was
/// blocked in is retried and reads this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wake {
    Notified,
    TimedOut,
}

/// Progress of a multi-phase blocking call (e.g. `Condition.wait`:
/// release, wait for notify, re-acquire) across retries.
#[derive(Clone, Debug, PartialEq, Hash)]
pub enum CallState {
    /// Condition.wait: the lock's saved recursion count; whether notified.
    CondWait { saved: u32, notified: bool, timed_out: bool },
    /// Barrier.wait: the generation it is waiting in.
    Barrier { generation: u64, index: usize },
    /// `threading._baton_pass`: the baton is given, the thread waits to
    /// take its own.
    BatonPassed,
}

#[derive(Clone, Debug)]
pub struct Thread {
    pub tid: Tid,
    pub pid: Pid,
    pub name: Arc<str>,
    /// The `threading.Thread` object, if any.
    pub obj: Option<ObjId>,
    pub daemon: bool,
    /// Shared with snapshots until written (see [`crate::shared`]).
    pub frames: crate::shared::Shared<Vec<Frame>>,
    /// The call that starts the thread (its `run`), made on its first step.
    pub pending_call: Option<(Value, Vec<Value>)>,
    pub state: ThreadState,
    /// Exceptions being handled (for bare `raise` and `__context__`).
    pub exc_stack: Vec<Value>,
    pub wake: Option<Wake>,
    pub call_state: Option<CallState>,
    /// The deadline of the blocking call in progress, kept across retries.
    pub call_deadline: Option<u64>,
    /// When the thread last became ready (FIFO order for schedulers).
    pub ready_seq: u64,
    pub steps: u64,
    pub started_ns: u64,
    pub ident: u64,
    /// Whether the thread's uncaught exception went to the program's own
    /// `threading.excepthook` (an exception of the hook itself then gets
    /// the default report).
    pub failed: bool,
    /// The thread that started this one, and where in the program's module
    /// code (its bottom frame) that thread was just after the start. Set
    /// only when the starter was running the module code (directly or
    /// through calls) and the start was a step run on its own (as the
    /// explorer runs steps), so the place is exact. History, not state:
    /// the fingerprint leaves it out. The explorer uses it to know that a
    /// store the module code made before the start happens before all of
    /// this thread.
    pub started_at: Option<(Tid, usize)>,
}

impl Thread {
    /// A runnable thread with no frames or call yet, started at virtual
    /// time `started_ns`; the caller sets its frames or `pending_call`.
    pub fn new(tid: Tid, pid: Pid, name: Arc<str>, daemon: bool, started_ns: u64) -> Thread {
        Thread {
            tid,
            pid,
            name,
            obj: None,
            daemon,
            frames: Default::default(),
            pending_call: None,
            state: ThreadState::Runnable,
            exc_stack: Vec::new(),
            wake: None,
            call_state: None,
            call_deadline: None,
            ready_seq: 0,
            steps: 0,
            started_ns,
            ident: crate::modules::threading::ident_of(tid),
            failed: false,
            started_at: None,
        }
    }

    pub fn is_runnable(&self) -> bool {
        matches!(self.state, ThreadState::Runnable)
    }

    pub fn is_finished(&self) -> bool {
        matches!(self.state, ThreadState::Finished)
    }

    /// Makes a blocked thread runnable again, woken for `why` (its
    /// blocking call is retried and reads it), as the `seq`-th thread to
    /// become ready; what it waited on, for the trace. A thread that is
    /// not blocked is left as it is (None).
    pub fn wake_up(&mut self, seq: u64, why: Wake) -> Option<WaitOn> {
        if !matches!(self.state, ThreadState::Blocked(_)) {
            return None;
        }
        let ThreadState::Blocked(w) = std::mem::replace(&mut self.state, ThreadState::Runnable) else { return None };
        self.wake = Some(why);
        self.ready_seq = seq;
        Some(w.on)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueKind {
    Fifo,
    Lifo,
    Priority,
    Simple,
}

/// A synchronisation object's state.
#[derive(Clone, Debug)]
pub enum SyncObj {
    Lock { owner: Option<Tid> },
    RLock { owner: Option<Tid>, count: u32 },
    Semaphore { value: i64, bound: Option<i64> },
    Event { flag: bool },
    /// A condition variable over `lock` (a Lock or RLock object); waiters in
    /// FIFO order with whether they were notified.
    Condition { lock: ObjId, lock_sync: SyncId, waiters: VecDeque<(Tid, bool)> },
    Queue { items: VecDeque<Value>, maxsize: i64, kind: QueueKind, unfinished: i64 },
    Barrier { parties: usize, waiting: Vec<Tid>, generation: u64, broken: bool },
}

impl SyncObj {
    /// The heap values it holds on to (a queue's items, a condition's
    /// lock): for the collector and the fingerprint's walk.
    pub fn for_each_ref(&self, f: &mut dyn FnMut(&Value)) {
        match self {
            SyncObj::Queue { items, .. } => items.iter().for_each(f),
            SyncObj::Condition { lock, .. } => f(&Value::Obj(*lock)),
            _ => {}
        }
    }
}

#[derive(Clone, Debug)]
pub struct SyncEntry {
    pub obj: SyncObj,
    /// The Python object (for names and views).
    pub pyobj: Option<ObjId>,
    /// A stable display name (`Lock#1`), replaced by the variable name it is
    /// bound to when one is found.
    pub label: Arc<str>,
}

impl SyncEntry {
    /// What the entry holds on to: its Python object and the values in it
    /// (a queue's items, a condition's lock).
    pub fn for_each_ref(&self, f: &mut dyn FnMut(&Value)) {
        if let Some(o) = self.pyobj {
            f(&Value::Obj(o));
        }
        self.obj.for_each_ref(f);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum ProcState {
    Running,
    /// Exited, and not yet waited for by its parent: it keeps its entry in
    /// the process table (pid and exit status) until `wait`/`waitpid`
    /// reaps it.
    Zombie,
    Orphan,
}

/// The process table's entry for one process, live or zombie. The
/// table lives in the kernel (not in [`Process`]) because a process asks
/// about others (`waitpid` reads a child's status) while the VM holds
/// only its own process.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProcInfo {
    pub pid: Pid,
    /// The parent: [`INIT_PID`] once the parent has exited (an orphan).
    pub ppid: Pid,
    pub state: ProcState,
    /// The wait status once exited, as `waitpid` returns it: the exit
    /// code times 256, or the number of the signal that killed it.
    pub status: Option<i32>,
    /// `signal.signal(SIGCHLD, SIG_IGN)`: its children are reaped as they
    /// exit, never zombies (inherited by a fork, as the disposition is).
    pub ignores_children: bool,
}

/// The process that adopts orphans and reaps them at once.
pub const INIT_PID: Pid = 1;

/// What a native asks of the machine, carried out when the running
/// thread's step ends: these change other processes, which the VM (it
/// holds only its own process) cannot reach.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Request {
    /// `os.fork()` by thread `tid` of process `pid`: the child gets pid
    /// `child` and its one thread the tid `child_tid`.
    Fork { pid: Pid, tid: Tid, child: Pid, child_tid: Tid },
    /// `os._exit(status)` (or a process's natural end): process `pid`
    /// ends at once with this wait status.
    Exit { pid: Pid, status: i32 },
    /// `os.kill(pid, signal)`.
    Kill { pid: Pid, signal: i32 },
    /// Wake every thread of every process blocked on this (a kernel
    /// channel or lock changed); they retry their call.
    Wake(WaitOn),
}

/// A value that crosses from one process to another: a copy of the
/// sender's object graph that names no heap object, rebuilt in the
/// receiver's heap (what `pickle` does for CPython's `multiprocessing`).
/// Classes and functions travel by module and qualified name, as pickle
/// sends them: the receiver, a fork of the same program, has its own.
#[derive(Clone, Debug, Hash)]
pub enum Msg {
    /// A value with no heap object behind it (None, bools, ints, floats,
    /// strings, bytes).
    Plain(HashableValue),
    Tuple(Vec<Msg>),
    List(Vec<Msg>),
    Dict(Vec<(Msg, Msg)>),
    Set(Vec<Msg>, bool),
    /// A class or function, by (module, qualified name).
    Named(Arc<str>, Arc<str>),
    /// An instance of a class (by name) with its attributes, or an
    /// exception with its args.
    Instance { class: Box<Msg>, attrs: Vec<(Arc<str>, Msg)>, args: Option<Vec<Msg>> },
}

/// A heap-free [`Value`] that can be hashed (floats by their bits).
#[derive(Clone, Debug)]
pub struct HashableValue(pub Value);

impl std::hash::Hash for HashableValue {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        match &self.0 {
            Value::Float(f) => f.to_bits().hash(h),
            Value::Int(i) => i.hash(h),
            Value::Bool(b) => b.hash(h),
            Value::Str(s) => s.hash(h),
            Value::Bytes(b) => b.hash(h),
            Value::Big(b) => b.to_string().hash(h),
            _ => {}
        }
        std::mem::discriminant(&self.0).hash(h);
    }
}

/// A kernel channel: the pipe under a `multiprocessing` queue or one
/// direction of a `Pipe()`. Its messages belong to no process.
#[derive(Clone, Debug, Default, Hash)]
pub struct Chan {
    pub items: VecDeque<Msg>,
    /// 0: unbounded.
    pub maxsize: usize,
    /// `JoinableQueue`: puts not yet matched by `task_done()`.
    pub unfinished: i64,
    /// A `Pipe()`'s direction: how many open read and write ends there
    /// are, in all processes (a fork copies them, as it copies a real
    /// pipe's descriptors). With no writer left, a read of the empty
    /// channel raises `EOFError`; with no reader, a write raises
    /// `BrokenPipeError`. None for a queue's channel, whose ends are not
    /// counted.
    pub ends: Option<(u32, u32)>,
}

/// A lock or semaphore shared by processes (`multiprocessing.Lock`,
/// `RLock`, `Semaphore`, and the lock of a `Value`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KSync {
    Lock { owner: Option<Tid>, count: u32, reentrant: bool },
    Semaphore { value: i64, bound: Option<i64> },
}

/// An address, as Python writes it: `('127.0.0.1', 50007)`.
pub type Addr = (Arc<str>, u16);

/// What a socket is doing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SockState {
    /// Made, maybe bound, not yet listening or connected.
    Fresh,
    /// `listen()`ed: connections the kernel has completed wait in
    /// `pending` (the backlog) until `accept()` takes them.
    Listening { backlog: usize, pending: VecDeque<u32> },
    /// One end of a connection; `peer` is the other end.
    Connected { peer: u32 },
    /// Closed by every process that had it open.
    Closed,
}

/// A stream socket of the virtual network. The network is the loopback
/// interface of one machine: a connection to a listening address is
/// completed by the kernel at once (the handshake needs no `accept()`),
/// and bytes sent arrive in the peer's `inbox` in the same step, so a
/// wait is only ever for the other side's program, never for the wire.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Sock {
    pub state: SockState,
    pub local: Option<Addr>,
    pub remote: Option<Addr>,
    /// Bytes received and not yet read (at most [`SOCK_BUFFER`]).
    pub inbox: VecDeque<u8>,
    /// The peer will send nothing more (it shut down its writing side or
    /// closed): once `inbox` is empty, `recv` returns `b''`.
    pub eof: bool,
    /// The peer reset the connection (it closed with unread data, or we
    /// sent to a closed peer): `recv` raises `ConnectionResetError`.
    pub reset: bool,
    /// This side shut down writing (or sent to a closed peer once):
    /// `send` raises `BrokenPipeError`.
    pub write_shut: bool,
    /// A pending error (`SO_ERROR`), such as a non-blocking connect's
    /// refusal: reported by the next `connect()` or `getsockopt()`.
    pub error: i32,
    /// One end of a `socketpair()` (a Unix socket): it reports a hang-up
    /// as soon as its peer closes, where a TCP socket reports only the
    /// end of data.
    pub unix: bool,
    /// It was `listen()`ed (a listening socket keeps the name after it
    /// closes, for the page's views).
    pub listened: bool,
    /// How many descriptors, in all processes, name it: a fork copies
    /// them, and the socket closes when the last is closed.
    pub refs: u32,
}

/// How many unread bytes a socket holds before senders wait.
pub const SOCK_BUFFER: usize = 65536;

impl Sock {
    pub fn new() -> Sock {
        Sock { state: SockState::Fresh, local: None, remote: None, inbox: VecDeque::new(), eof: false, reset: false, write_shut: false, error: 0, unix: false, listened: false, refs: 1 }
    }
}

impl Default for Sock {
    fn default() -> Self {
        Sock::new()
    }
}

/// One process: its own heap, threads and sync objects.
#[derive(Clone, Debug)]
pub struct Process {
    pub pid: Pid,
    pub state: ProcState,
    pub heap: Heap,
    /// Live threads (and the main thread, always at index 0, even when it
    /// has finished).
    pub threads: Vec<Thread>,
    /// Threads that have finished, moved out of `threads` so that wake-ups
    /// and scheduling only scan live ones.
    pub finished: Vec<Thread>,
    /// Builtin classes, indexed by [`crate::types::Builtin`].
    pub classes: crate::shared::Shared<Vec<ObjId>>,
    pub builtins: ObjId,
    /// The `__main__` module's namespace dict.
    pub main_globals: ObjId,
    /// Imported modules in import order.
    pub modules: crate::shared::Shared<Vec<(Arc<str>, ObjId)>>,
    pub sync: Vec<SyncEntry>,
    /// Open descriptors of kernel sockets, `(fd, socket id)`, fds from 3
    /// up (lowest free first, as on Linux); copied by a fork.
    pub fds: Vec<(i64, u32)>,
    /// Open ends of pipe channels, `(channel, is the write end)`, sorted
    /// (see [`Chan::ends`]); copied by a fork.
    pub chan_ends: Vec<(u32, bool)>,
    pub exit_code: Option<i32>,
    /// CPython's counter for default thread names (`Thread-N`).
    pub thread_counter: u32,
    pub rng: crate::modules::random::PyRandom,
    pub stdin: VecDeque<String>,
    pub argv: crate::shared::Shared<Vec<String>>,
    pub switch_interval: f64,
    pub source: Arc<str>,
    /// Values kept alive regardless of reachability (the interned module
    /// objects of the stdlib, registered functions).
    pub pinned: Vec<Value>,
    /// Callables registered with `threading._register_atexit`: run by the
    /// main thread after its code ends, before non-daemon threads are
    /// waited for (as CPython's `threading._shutdown` does).
    pub atexit: Vec<Value>,
    /// The `atexit` module's callbacks, each a tuple `(func, args,
    /// kwargs)`: run by the main thread, last registered first, once it
    /// and every non-daemon thread have ended (`Machine::next_exit_hook`).
    pub exit_hooks: Vec<Value>,
    /// The namespace of the Python-written helpers (`modules/py/prelude.py`).
    pub prelude: ObjId,
    /// Sync objects made before the last `Machine::rebase`: the state
    /// fingerprint names them by id, like the heap's base.
    pub sync_base: usize,
}

impl Process {
    /// A name of the prelude (`modules/py/prelude.py`): the helpers the
    /// machine hands calls to.
    pub fn prelude_name(&self, name: &str) -> Option<Value> {
        match self.heap.get(self.prelude) {
            crate::object::Obj::Dict(d) => d.d.get_str(name).cloned(),
            _ => None,
        }
    }

    pub fn thread_index(&self, tid: Tid) -> Option<usize> {
        self.threads.iter().position(|t| t.tid == tid)
    }

    /// The roots of the heap that belong to no thread (classes, builtins,
    /// modules, atexit handlers, the prelude), in a fixed order: the
    /// garbage collector marks from them, and the state fingerprint walks
    /// from them.
    pub fn global_roots(&self, roots: &mut Vec<Value>) {
        self.for_each_global_root(&mut |v| roots.push(v.clone()));
    }

    /// [`Process::global_roots`] without copying them.
    pub fn for_each_global_root(&self, f: &mut dyn FnMut(&Value)) {
        for c in self.classes.iter() {
            f(&Value::Obj(*c));
        }
        f(&Value::Obj(self.builtins));
        f(&Value::Obj(self.main_globals));
        for (_, m) in self.modules.iter() {
            f(&Value::Obj(*m));
        }
        self.pinned.iter().for_each(&mut *f);
        self.atexit.iter().for_each(&mut *f);
        self.exit_hooks.iter().for_each(&mut *f);
        f(&Value::Obj(self.prelude));
    }
}

impl Thread {
    /// What the thread holds on to: its `Thread` object, its frames, the
    /// call that starts it and the exceptions it is handling.
    pub fn roots(&self, roots: &mut Vec<Value>) {
        self.for_each_root(&mut |v| roots.push(v.clone()));
    }

    /// [`Thread::roots`] without copying them.
    pub fn for_each_root(&self, f: &mut dyn FnMut(&Value)) {
        if let Some(o) = self.obj {
            f(&Value::Obj(o));
        }
        for fr in &self.frames {
            fr.for_each_ref(f);
        }
        if let Some((c, a)) = &self.pending_call {
            f(c);
            a.iter().for_each(&mut *f);
        }
        self.exc_stack.iter().for_each(&mut *f);
    }
}

/// Kernel-wide state shared by all processes.
#[derive(Clone, Debug)]
pub struct Kernel {
    /// Virtual time in nanoseconds since the virtual epoch.
    pub clock: u64,
    pub next_tid: Tid,
    pub next_pid: Pid,
    pub next_ready_seq: u64,
    pub steps: u64,
    /// Work units done inside natives (see `Vm::tick`).
    pub native_ticks: u64,
    /// Virtual nanoseconds per step.
    pub step_cost: u64,
    /// What starting a thread and forking cost the caller, in virtual
    /// nanoseconds (`Config::thread_start_ns`, `Config::fork_ns`).
    pub thread_start_cost: u64,
    pub fork_cost: u64,
    /// The timer tick (`Config::timer_tick_ns`): timed waits end on it.
    pub timer_tick: u64,
    /// The files (see [`crate::modules::files`]).
    pub files: crate::modules::files::Files,
    /// The process table: every process not yet reaped, by pid order.
    pub table: Vec<ProcInfo>,
    /// What the running step asked of the machine (see [`Request`]).
    pub requests: Vec<Request>,
    /// Channels between processes, by id.
    pub chans: Vec<Chan>,
    /// Locks and semaphores between processes, by id.
    pub ksync: Vec<KSync>,
    /// Shared memory (`multiprocessing.Value` and `Array`): each a list
    /// of heap-free values.
    pub shm: Vec<Vec<HashableValue>>,
    /// The objects of `multiprocessing.Manager()` (dicts and lists), as
    /// copies that name no heap object.
    pub managed: Vec<Msg>,
    /// The sockets of the virtual network, by id.
    pub socks: Vec<Sock>,
    /// The next ephemeral port a connecting socket gets.
    pub next_port: u16,
}

impl Kernel {
    pub fn proc_info(&self, pid: Pid) -> Option<&ProcInfo> {
        self.table.iter().find(|p| p.pid == pid)
    }

    pub fn proc_info_mut(&mut self, pid: Pid) -> Option<&mut ProcInfo> {
        self.table.iter_mut().find(|p| p.pid == pid)
    }
}
