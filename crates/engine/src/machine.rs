//! The machine: the whole state of a run in one `Clone + Send` value, and
//! the loop that drives it.
//!
//! [`Machine`] holds the kernel (clock, ids), the processes (heap, threads,
//! sync objects), the recorder (output so far, trace) and the schedule
//! followed so far. Cloning it is a snapshot; the explorer can restore one
//! by assignment. Stepping is exposed at two levels: [`Machine::step`] runs
//! one step of a chosen thread ("you are the scheduler"), and
//! [`Machine::run`] asks a [`Scheduler`] at every decision point until the
//! program ends, deadlocks, or exhausts a budget.

use std::sync::Arc;

use crate::code::Code;
use crate::dict::PyDict;
use crate::heap::Heap;
use crate::host::{Host, NullHost};
use crate::kernel::*;
use crate::object::*;
use crate::scheduler::{Decision, LastEvent, SchedCtx, Schedule, Scheduler};
use crate::shared::Shared;
use crate::trace::Trace;
use crate::types::Builtin;
use crate::value::Value;
use crate::vm::{Frame, Halt, OnReturn, RunExit, Vm};

thread_local! {
    /// The stand-in for a running thread's stack (see `run_thread`).
    static EMPTY_FRAMES: Shared<Vec<Frame>> = Shared::default();
}

/// How a step runs on after its first op: not at all, through the local
/// ops ([`Machine::step_local`]), or through the caller's invisible ops
/// too ([`Machine::step_local_with`]).
#[derive(Clone, Copy)]
struct Local<'a> {
    run: bool,
    invisible: Option<&'a dyn crate::local::Invisible>,
}

impl Local<'_> {
    const NO: Local<'static> = Local { run: false, invisible: None };
}

/// A compiled program.
#[derive(Clone, Debug)]
pub struct Program {
    pub code: Arc<Code>,
    pub source: Arc<str>,
    pub filename: Arc<str>,
}

/// Run configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Seeds `random` (and is the natural seed for a `Random` scheduler).
    pub seed: u64,
    /// Step budget.
    pub max_steps: u64,
    /// Live heap objects budget.
    pub max_objects: usize,
    /// Approximate heap bytes budget.
    pub max_memory: usize,
    /// Lines of standard input.
    pub stdin: Vec<String>,
    /// Virtual nanoseconds per step. 40 ns is about CPython's speed for
    /// simple bytecodes on a current machine.
    pub step_cost_ns: u64,
    /// The virtual kernel's timer tick in nanoseconds: a sleep or a
    /// blocking call's timeout ends at the first tick at or after its
    /// deadline, as Linux lets a timer fire up to its slack (50 us by
    /// default) late so that timers due close together fire together.
    /// Two threads that sleep a few ops apart then wake at the same
    /// instant, whichever of them slept first, so the schedules of the
    /// ops before their sleeps reach one state, not one per order of
    /// the ops (see `modules::threading::block`).
    pub timer_tick_ns: u64,
    /// Virtual nanoseconds that `Thread.start()` costs the thread that
    /// calls it, and `os.fork()` the process that forks (the new thread's
    /// or process's creation by the kernel). 50 us and 1 ms are about
    /// what starting and joining a thread, and forking a small CPython
    /// process and waiting for it, take on Linux: a thread is much cheaper
    /// to start than a process, and a program that times both sees it.
    pub thread_start_ns: u64,
    pub fork_ns: u64,
    pub argv: Vec<String>,
    /// Record the trace of events (`Recorder::trace`). Nothing the program
    /// does depends on it; the explorer turns it off.
    pub trace: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: 0,
            max_steps: 10_000_000,
            max_objects: 2_000_000,
            max_memory: 1 << 30,
            stdin: Vec::new(),
            step_cost_ns: 40,
            timer_tick_ns: 50_000,
            thread_start_ns: 50_000,
            fork_ns: 1_000_000,
            argv: vec!["main.py".into()],
            trace: true,
        }
    }
}

/// Output and trace recorded so far.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    pub stdout: String,
    pub stderr: String,
    pub trace: Trace,
    /// A thread that asked for the CPU (set by `Thread.start`).
    pub handoff: Option<Tid>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The program ended; the exit status CPython would give.
    Finished { exit_code: i32 },
    /// Nothing can run again; the report begins with `Deadlock`.
    Deadlock { report: String },
    /// A budget ran out.
    Budget { message: String },
    /// The host asked to stop.
    Stopped { message: String },
}

/// The result of [`Machine::run`].
#[derive(Clone, Debug, serde::Serialize)]
pub struct RunResult {
    pub outcome: Outcome,
    pub schedule: String,
    pub stdout: String,
    pub stderr: String,
    pub steps: u64,
    pub virtual_ns: u64,
}

impl RunResult {
    /// The process exit status of the native runner: CPython's for a
    /// finished program, 3 for a deadlock, 4 for a budget or stop.
    pub fn exit_status(&self) -> i32 {
        match &self.outcome {
            Outcome::Finished { exit_code } => *exit_code,
            Outcome::Deadlock { .. } => 3,
            Outcome::Budget { .. } | Outcome::Stopped { .. } => 4,
        }
    }
}

/// What one [`Machine::step`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum StepResult {
    Ran,
    Blocked,
    ThreadFinished,
    Done(Outcome),
    NotRunnable,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct ThreadView {
    pub tid: Tid,
    /// The process the thread belongs to.
    pub pid: Pid,
    pub name: String,
    pub state: String,
    /// The line of the program the thread is at: that of its innermost
    /// frame in the program's own file (0 when it has none, as a pool's
    /// worker between tasks). A thread inside a library module written in
    /// Python (`concurrent.futures`, say) is at the line that called it.
    pub line: u32,
    /// The library module the thread is running in, when its innermost
    /// frame is not the program's (`concurrent.futures`).
    pub in_module: Option<String>,
    pub waiting_on: Option<String>,
    pub holds: Vec<String>,
    pub daemon: bool,
    pub steps: u64,
}

/// The [`SyncView`] id of kernel socket `s` is `SOCKET_VIEW_ID + s`
/// (sync objects count from 0).
pub const SOCKET_VIEW_ID: u32 = 1 << 24;

#[derive(Clone, Debug, serde::Serialize)]
pub struct SyncView {
    pub id: SyncId,
    pub name: String,
    pub kind: String,
    pub detail: String,
}

#[derive(Clone)]
pub struct Machine {
    pub kernel: Kernel,
    pub procs: Vec<Process>,
    pub rec: Recorder,
    pub program: Arc<Program>,
    /// Shared by a machine's snapshots: nothing writes it after `new`.
    pub config: Arc<Config>,
    pub schedule: Schedule,
    pub outcome: Option<Outcome>,
    current: Option<Tid>,
    last: LastEvent,
    steps_since_switch: u64,
}

pub const GC_EVERY_ALLOCS: usize = 200_000;

/// A booted machine with no program: the builtins, the library classes
/// and the prelude, which are the same for every program and every
/// configuration. `Machine::new` starts from a snapshot of it (which
/// shares its heap until written) instead of booting again: the explorer
/// and the page build a machine per search and per run, and booting was
/// most of the cost of a small search.
static BOOTED: std::sync::OnceLock<Machine> = std::sync::OnceLock::new();

impl Machine {
    pub fn new(program: &Program, config: Config) -> Machine {
        let booted = BOOTED.get_or_init(|| {
            let empty = crate::compile("", "<boot>").expect("an empty module compiles");
            Machine::new_unshared(&empty, Config::default())
        });
        let mut m = booted.clone();
        m.start(program, config);
        m
    }

    /// Makes a snapshot of the booted machine the start of `program` under
    /// `config`: what `boot` took from either.
    fn start(&mut self, program: &Program, config: Config) {
        self.kernel.step_cost = config.step_cost_ns.max(1);
        self.kernel.timer_tick = config.timer_tick_ns.max(1);
        self.kernel.thread_start_cost = config.thread_start_ns;
        self.kernel.fork_cost = config.fork_ns;
        let p = &mut self.procs[0];
        p.rng = crate::modules::random::PyRandom::new(config.seed);
        p.stdin = config.stdin.iter().cloned().collect();
        p.argv = config.argv.clone().into();
        p.source = program.source.clone();
        let code = program.code.clone();
        let main = &mut p.threads[0].frames[0];
        main.locals = vec![Value::Undef; code.varnames.len()];
        main.code = code;
        self.program = Arc::new(program.clone());
        self.config = Arc::new(config);
        self.rec = Recorder::default();
        self.rec.trace.off = !self.config.trace;
        self.rec.trace.name_thread(0, "MainThread");
        let mut host = NullHost;
        let mut vm = self.vm(0, &mut host);
        let globals = vm.p.main_globals;
        vm.dict_set_str(globals, "__file__", Value::str(&vm.p.argv.first().cloned().unwrap_or_default()));
        self.rebase();
    }

    /// [`Machine::new`], booted on its own: a machine that shares no
    /// objects with any other. For a worker of a parallel search, whose
    /// machines would otherwise keep taking reference counts of the booted
    /// snapshot's objects from another core's cache; and how `BOOTED`
    /// itself is built.
    pub fn new_unshared(program: &Program, config: Config) -> Machine {
        let kernel = Kernel { clock: 0, next_tid: 1, next_pid: MAIN_PID + 1, next_ready_seq: 1, steps: 0, native_ticks: 0, step_cost: config.step_cost_ns.max(1), timer_tick: config.timer_tick_ns.max(1), thread_start_cost: config.thread_start_ns, fork_cost: config.fork_ns, files: Default::default(), table: vec![ProcInfo { pid: MAIN_PID, ppid: SHELL_PID, state: ProcState::Running, status: None, ignores_children: false }], requests: Vec::new(), chans: Vec::new(), ksync: Vec::new(), shm: Vec::new(), managed: Vec::new(), socks: Vec::new(), next_port: 50000 };
        let proc = Process {
            pid: MAIN_PID,
            state: ProcState::Running,
            heap: Heap::new(),
            threads: Vec::new(),
            finished: Vec::new(),
            classes: Default::default(),
            builtins: 0,
            main_globals: 0,
            modules: Default::default(),
            sync: Vec::new(),
            fds: Vec::new(),
            chan_ends: Vec::new(),
            exit_code: None,
            thread_counter: 0,
            rng: crate::modules::random::PyRandom::new(config.seed),
            stdin: config.stdin.iter().cloned().collect(),
            argv: config.argv.clone().into(),
            switch_interval: 0.005,
            source: program.source.clone(),
            pinned: Vec::new(),
            atexit: Vec::new(),
            exit_hooks: Vec::new(),
            prelude: 0,
            sync_base: 0,
        };
        let mut m = Machine {
            kernel,
            procs: vec![proc],
            rec: Recorder::default(),
            program: Arc::new(program.clone()),
            config: Arc::new(config),
            schedule: Schedule::default(),
            outcome: None,
            current: None,
            last: LastEvent::Start,
            steps_since_switch: 0,
        };
        m.boot();
        m.rebase();
        m
    }

    /// Makes every heap as it is now the base of the fingerprints of this
    /// machine and its snapshots: objects no write has reached since are
    /// left out of the walk ([`Heap::rebase`](crate::heap::Heap::rebase)).
    /// `Machine::new` rebases after the boot; the explorer rebases its
    /// starting state, so that the library modules the program imported
    /// are left out too. Fingerprints are comparable only between machines
    /// that share a base.
    pub fn rebase(&mut self) {
        for p in &mut self.procs {
            // An object's base hash depends on the object alone, so only
            // the objects written or made since the last rebase need one
            // (`Machine::new` rebases a copy of the booted machine, whose
            // thousands of objects are the same for every program).
            let (old, old_len) = (p.heap.base_hashes(), p.heap.base_len());
            let mut stale = Vec::new();
            p.heap.changed_since_base(&mut stale);
            p.heap.rebase();
            p.sync_base = p.sync.len();
            let hashes = if old.len() == old_len && old_len > 0 {
                let mut h = (*old).clone();
                h.resize(p.heap.len(), 0);
                for id in stale.into_iter().chain(old_len as crate::value::ObjId..p.heap.len() as crate::value::ObjId) {
                    h[id as usize] = crate::fingerprint::base_hash(p, id);
                }
                h
            } else {
                crate::fingerprint::base_hashes(p)
            };
            p.heap.set_base_hashes(hashes);
        }
    }

    /// Creates the builtin classes, the builtins and `__main__` namespaces
    /// and the main thread.
    fn boot(&mut self) {
        let p = &mut self.procs[0];
        // Classes first (placeholders), then their bases and MROs.
        for b in Builtin::ALL {
            let id = p.heap.alloc(Obj::Class(Arc::new(Class {
                name: Arc::from(b.name()),
                qualname: Arc::from(b.name()),
                module: Arc::from(b.module()),
                bases: vec![],
                mro: vec![],
                dict: PyDict::new(),
                native: b.native(),
                builtin: Some(*b),
                has_descriptors: true,
                written: false,
            })));
            p.classes.push(id);
        }
        for b in Builtin::ALL {
            let id = p.classes[b.index()];
            let mut mro = vec![id];
            let mut cur = *b;
            while cur != Builtin::Object {
                cur = cur.parent();
                mro.push(p.classes[cur.index()]);
            }
            let bases = if *b == Builtin::Object { vec![] } else { vec![p.classes[b.parent().index()]] };
            if let Obj::Class(c) = p.heap.get_mut(id) {
                let c = crate::shared::own(c);
                c.mro = mro;
                c.bases = bases;
            }
        }
        let builtins = p.heap.alloc(Obj::Dict(Arc::new(DictObj { d: PyDict::new(), kind: DictKind::Dict, default_factory: Value::None })));
        let globals = p.heap.alloc(Obj::Dict(Arc::new(DictObj { d: PyDict::new(), kind: DictKind::Dict, default_factory: Value::None })));
        p.builtins = builtins;
        p.main_globals = globals;
        let code = self.program.code.clone();
        let frame = Frame {
            locals: vec![Value::Undef; code.varnames.len()],
            code,
            ip: 0,
            stack: Vec::new(),
            cells: Vec::new(),
            blocks: Vec::new(),
            globals,
            ns: None,
            func: None,
            on_return: OnReturn::ThreadExit,
            generator: None,
        };
        p.threads.push(Thread { frames: vec![frame].into(), ..Thread::new(0, MAIN_PID, Arc::from("MainThread"), false, 0) });
        self.rec.trace.name_thread(0, "MainThread");
        let mut host = NullHost;
        let mut vm = self.vm(0, &mut host);
        crate::builtins::install(&mut vm, builtins);
        crate::modules::install_classes(&mut vm);
        vm.dict_set_str(globals, "__name__", Value::str("__main__"));
        vm.dict_set_str(globals, "__doc__", Value::None);
        vm.dict_set_str(globals, "__file__", Value::str(&vm.p.argv.first().cloned().unwrap_or_default()));
        // The main thread's Thread object.
        let tcls = vm.class(Builtin::Thread);
        let obj = vm.p.heap.alloc(Obj::Instance(Box::new(Instance {
            class: tcls,
            dict: PyDict::new(),
            payload: Payload::Thread(Box::new(ThreadObj {
                name: Arc::from("MainThread"),
                target: Value::None,
                args: vec![],
                kwargs: vec![],
                daemon: false,
                tid: Some(0),
                started: true,
                timer: None,
            })),
        })));
        vm.p.threads[0].obj = Some(obj);
        // The Python-written helpers: their module body (compiled once per
        // process, see `modules::compiled`), run in their own namespace.
        let src = include_str!("modules/py/prelude.py");
        let prelude = vm.p.heap.alloc(Obj::Dict(Arc::new(DictObj { d: PyDict::new(), kind: DictKind::Dict, default_factory: Value::None })));
        vm.p.prelude = prelude;
        // Its classes' module: `_ExceptHookArgs` is `_thread`'s in CPython.
        vm.dict_set_str(prelude, "__name__", Value::str("_thread"));
        // The kernel's side of the files, which its file objects call.
        crate::modules::add_fn(&mut vm, prelude, "_fs_read", "_io", crate::modules::files::read);
        crate::modules::add_fn(&mut vm, prelude, "_fs_create", "_io", crate::modules::files::create);
        crate::modules::add_fn(&mut vm, prelude, "_fs_write", "_io", crate::modules::files::write);
        crate::modules::add_fn(&mut vm, prelude, "_atexit_failed", "atexit", crate::modules::atexit::failed);
        if let Ok(code) = crate::modules::compiled(src, "<prelude>") {
            let body = vm.alloc(Obj::Function(Arc::new(Function {
                name: Arc::from("<module>"),
                qualname: Arc::from("<module>"),
                code,
                defaults: vec![],
                kwdefaults: vec![],
                closure: vec![],
                globals: prelude,
                owner: None,
                attrs: PyDict::new(),
            })));
            let r = vm.call_sync(body, vec![], vec![]);
            // (A prelude that raises would leave the names after the error
            // undefined, and the builtins that need them would quietly
            // do without.)
            debug_assert!(r.is_ok(), "the prelude raised");
        }
        // Booting is not part of the program's run.
        self.kernel.steps = 0;
        self.kernel.clock = 0;
        self.procs[0].threads[0].steps = 0;
        self.rec = Recorder::default();
        self.rec.trace.off = !self.config.trace;
        self.rec.trace.name_thread(0, "MainThread");
    }

    pub(crate) fn vm<'a>(&'a mut self, tix: usize, host: &'a mut dyn Host) -> Vm<'a> {
        self.vm_at(0, tix, host)
    }

    /// A VM for thread `tix` of process `pix` (indexes into `procs` and
    /// its `threads`).
    pub(crate) fn vm_at<'a>(&'a mut self, pix: usize, tix: usize, host: &'a mut dyn Host) -> Vm<'a> {
        let max_steps = self.config.max_steps;
        let max_objects = self.config.max_objects;
        let max_memory = self.config.max_memory;
        Vm {
            k: &mut self.kernel,
            p: &mut self.procs[pix],
            host,
            rec: &mut self.rec,
            tix,
            yield_requested: false,
            sync_depth: 0,
            max_steps,
            max_objects,
            max_memory,
            stack_base: 0,
            safe_points: false,
            quantum_steps: 0,
            spare_vecs: Vec::new(),
            local_run: false,
            local_run_tids: 0,
            invisible: None,
        }
    }

    /// The main program's process (the first, which stays in `procs` after
    /// it exits, for as long as other processes run).
    pub fn process(&self) -> &Process {
        &self.procs[0]
    }

    /// Where thread `tid` lives: its process's index in `procs` and its
    /// index in that process's `threads`. Thread ids are unique across
    /// processes, so a tid names one thread of the whole machine.
    pub fn locate(&self, tid: Tid) -> Option<(usize, usize)> {
        self.procs.iter().enumerate().find_map(|(pi, p)| p.thread_index(tid).map(|ti| (pi, ti)))
    }

    /// The process thread `tid` belongs to (None once it has finished and
    /// its process has exited).
    pub fn process_of(&self, tid: Tid) -> Option<&Process> {
        self.locate(tid).map(|(pi, _)| &self.procs[pi])
    }

    /// Every live thread of every process.
    pub fn all_threads(&self) -> impl Iterator<Item = &Thread> {
        self.procs.iter().flat_map(|p| p.threads.iter())
    }

    /// Runnable threads in FIFO (ready) order.
    pub fn runnable(&self) -> Vec<Tid> {
        // Sorted on the stack when the threads are few, so that the one
        // allocation is the list returned: the explorer asks at every
        // scheduling point.
        const FEW: usize = 16;
        if self.procs.len() == 1 && self.procs[0].threads.len() <= FEW {
            let ts = &self.procs[0].threads;
            let mut buf = [(0u64, 0 as Tid); FEW];
            let mut n = 0;
            for t in ts.iter().filter(|t| t.is_runnable()) {
                buf[n] = (t.ready_seq, t.tid);
                n += 1;
            }
            buf[..n].sort_unstable();
            return buf[..n].iter().map(|&(_, t)| t).collect();
        }
        let mut v: Vec<(u64, Tid)> = self.all_threads().filter(|t| t.is_runnable()).map(|t| (t.ready_seq, t.tid)).collect();
        v.sort_unstable();
        v.into_iter().map(|(_, t)| t).collect()
    }

    /// Runnable threads after waking every thread whose timed wait has
    /// expired at the current virtual time: exactly the threads
    /// [`Machine::step`] would accept next. [`Machine::runnable`] alone can
    /// miss a sleeper whose deadline the last step's clock advance passed,
    /// because timeouts are only processed at the start of a step; the
    /// explorer needs the true choice set at every scheduling point.
    pub fn ready(&mut self) -> Vec<Tid> {
        self.wake_due();
        self.runnable()
    }

    /// Whether thread `tid` is runnable (no allocation, unlike
    /// [`Machine::runnable`]; the explorer asks this between every two ops).
    pub fn is_runnable(&self, tid: Tid) -> bool {
        self.all_threads().any(|t| t.tid == tid && t.is_runnable())
    }

    /// Whether thread `tid` is ready after expired timed waits are woken:
    /// [`Machine::ready`] for one thread, without building the list.
    pub fn is_ready(&mut self, tid: Tid) -> bool {
        self.wake_due();
        self.is_runnable(tid)
    }

    /// Wakes the threads whose timed wait has expired, unless the program
    /// has ended.
    fn wake_due(&mut self) {
        if self.outcome.is_none() {
            self.wake_timeouts();
        }
    }

    fn any_runnable(&self) -> bool {
        self.all_threads().any(|t| t.is_runnable())
    }

    /// Wakes threads whose deadline has passed.
    fn wake_timeouts(&mut self) {
        let now = self.kernel.clock;
        // (A timed-out condition waiter leaves the condition's queue when
        // it retries.)
        for t in self.procs.iter_mut().flat_map(|p| p.threads.iter_mut()) {
            if matches!(&t.state, ThreadState::Blocked(w) if w.deadline.is_some_and(|d| d <= now)) {
                self.kernel.next_ready_seq += 1;
                if let Some(on) = t.wake_up(self.kernel.next_ready_seq, Wake::TimedOut) {
                    self.rec.trace.wake(now, t.tid, &on);
                }
            }
        }
    }

    fn next_deadline(&self) -> Option<u64> {
        self.all_threads()
            .filter_map(|t| match &t.state {
                ThreadState::Blocked(w) => w.deadline,
                _ => None,
            })
            .min()
    }

    /// Runs one thread for up to `max` steps.
    fn run_thread(&mut self, tid: Tid, max: u64, safe_points: bool, local: Local, host: &mut dyn Host) -> (RunExit, u64) {
        let Some((pix, tix)) = self.locate(tid) else { return (RunExit::ThreadDone, 0) };
        let start_steps = self.kernel.steps;
        let start_clock = self.kernel.clock;
        let first_new_tid = self.kernel.next_tid;
        self.rec.trace.begin_run(tid, start_clock);
        // The thread's stack leaves the thread for the run (the VM borrows
        // the process). What stands in for it meanwhile is a shared empty
        // stack, not a new one: a new `Shared` is an allocation, on every
        // step the explorer takes.
        let placeholder = EMPTY_FRAMES.with(Shared::clone);
        let mut frames = std::mem::replace(&mut self.procs[pix].threads[tix].frames, placeholder);
        let pending = self.procs[pix].threads[tix].pending_call.clone();
        let mut vm = self.vm_at(pix, tix, host);
        vm.safe_points = safe_points;
        vm.local_run = local.run;
        vm.local_run_tids = first_new_tid;
        vm.invisible = local.invisible;
        let exit = 'run: {
            if let Some((callee, args)) = pending {
                // The thread's first step: call its run().
                vm.k.steps += 1;
                vm.k.clock += vm.k.step_cost;
                vm.quantum_steps += 1;
                match vm.call_value(&mut frames, callee, args, vec![], OnReturn::ThreadExit) {
                    Ok(crate::vm::Called::Pushed) => {
                        vm.p.threads[tix].pending_call = None;
                    }
                    Ok(crate::vm::Called::Value(_)) => {
                        vm.p.threads[tix].pending_call = None;
                        break 'run RunExit::ThreadDone;
                    }
                    Err(crate::vm::Flow::Block(w)) => {
                        vm.p.threads[tix].state = ThreadState::Blocked(w);
                        break 'run RunExit::Blocked;
                    }
                    Err(crate::vm::Flow::Raise(e)) => {
                        vm.p.threads[tix].pending_call = None;
                        break 'run RunExit::Uncaught(e);
                    }
                    Err(crate::vm::Flow::Halt(h)) => break 'run RunExit::Halt(h),
                    Err(_) => {
                        vm.p.threads[tix].pending_call = None;
                        break 'run RunExit::ThreadDone;
                    }
                }
                if max <= 1 {
                    break 'run RunExit::Quantum;
                }
                vm.run_frames(&mut frames, max - 1)
            } else {
                vm.run_frames(&mut frames, max)
            }
        };
        let outer = vm.quantum_steps;
        let p = &mut self.procs[pix];
        p.threads[tix].frames = frames;
        if self.kernel.next_tid > first_new_tid {
            // Threads this run started: where their starter was (see
            // `Thread::started_at`), known exactly after a single step.
            let module = &self.program.code;
            let at = match p.threads[tix].frames.first() {
                Some(f) if outer <= 1 && Arc::ptr_eq(&f.code, module) => Some((tid, f.ip)),
                _ => None,
            };
            for th in p.threads.iter_mut().filter(|th| th.tid >= first_new_tid) {
                th.started_at = at;
            }
        }
        // A call that completed clears its retry bookkeeping.
        let t = &mut p.threads[tix];
        if t.is_runnable() {
            t.wake = None;
            if t.call_state.is_none() {
                t.call_deadline = None;
            }
        }
        let _ = start_steps;
        let ran = outer;
        self.rec.trace.end_run(self.kernel.clock);
        let mut exit = exit;
        if !self.kernel.requests.is_empty() && self.carry_out_requests() && matches!(exit, RunExit::Yielded) {
            // The parent of a fork goes on, as CPython's does (the child
            // waits for a CPU): for the scheduler, its quantum did not end
            // by its own choice.
            exit = RunExit::Quantum;
        }
        (exit, ran)
    }

    /// Handles the end of a thread's quantum; returns the event for the
    /// scheduler.
    fn after_quantum(&mut self, tid: Tid, exit: RunExit, host: &mut dyn Host) -> LastEvent {
        // Whether `tid` is its process's main thread (index 0 of its
        // process's threads), and which process that is.
        let (pix, main) = match self.locate(tid) {
            Some((pi, ti)) => (pi, ti == 0),
            None => (0, false),
        };
        match exit {
            RunExit::Quantum => LastEvent::Preempted,
            RunExit::Yielded => LastEvent::Yielded,
            RunExit::Blocked => LastEvent::Blocked,
            RunExit::ThreadDone | RunExit::Nested(..) => {
                if main && !self.procs[pix].atexit.is_empty() {
                    // The main thread runs the threading atexit hooks.
                    let f = self.procs[pix].atexit.remove(0);
                    let t = &mut self.procs[pix].threads[0];
                    t.pending_call = Some((f, vec![]));
                    t.frames.clear();
                    return LastEvent::Preempted;
                }
                self.finish_thread(tid, None, host);
                LastEvent::Finished
            }
            RunExit::Uncaught(e) => {
                if main && !self.procs[pix].atexit.is_empty() {
                    let code = {
                        let mut vm = self.vm_at(pix, 0, host);
                        crate::traceback::report_uncaught(&mut vm, &e, true)
                    };
                    self.procs[pix].exit_code.get_or_insert(code);
                    let f = self.procs[pix].atexit.remove(0);
                    let t = &mut self.procs[pix].threads[0];
                    t.pending_call = Some((f, vec![]));
                    t.frames.clear();
                    t.exc_stack.clear();
                    return LastEvent::Preempted;
                }
                if let Some(call) = self.excepthook_call(tid, &e) {
                    // The thread goes on to call the program's hook; an
                    // exception in the hook itself gets the default report.
                    if let Some((pi, ti)) = self.locate(tid) {
                        let t = &mut self.procs[pi].threads[ti];
                        t.failed = true;
                        t.pending_call = Some(call);
                        t.frames.clear();
                        t.exc_stack.clear();
                        return LastEvent::Preempted;
                    }
                }
                self.finish_thread(tid, Some(e), host);
                LastEvent::Finished
            }
            RunExit::Halt(h) => {
                let o = match h {
                    Halt::Steps(n) => Outcome::Budget {
                        message: format!("Interleave stopped the program: it ran {} steps (the step budget)", group(n)),
                    },
                    Halt::Memory(n) => Outcome::Budget {
                        message: format!("Interleave stopped the program: it used more than {} heap objects (the memory budget)", group(n as u64)),
                    },
                    Halt::Stopped => Outcome::Stopped { message: "Interleave stopped the program: stop requested".into() },
                };
                self.outcome = Some(o);
                LastEvent::Preempted
            }
        }
    }

    /// The call that hands thread `tid`'s uncaught exception `e` to the
    /// program's own `threading.excepthook`, when the program replaced
    /// the default one (and this is not an exception of that hook).
    /// A main thread's exceptions go to `sys.excepthook`, as in CPython.
    fn excepthook_call(&self, tid: Tid, e: &Value) -> Option<(Value, Vec<Value>)> {
        let (pix, tix) = self.locate(tid)?;
        let p = &self.procs[pix];
        let t = &p.threads[tix];
        if tix == 0 || t.failed {
            return None;
        }
        let (_, m) = p.modules.iter().find(|(n, _)| &**n == "threading")?;
        let Obj::Module(module) = p.heap.get(*m) else { return None };
        let Obj::Dict(d) = p.heap.get(module.dict) else { return None };
        let hook = d.d.get_str("excepthook")?.clone();
        if let (Value::Obj(a), Some(Value::Obj(b))) = (&hook, d.d.get_str("__excepthook__")) {
            if a == b {
                return None;
            }
        }
        let call = p.prelude_name("_excepthook_call")?;
        let thread = t.obj.map_or(Value::None, Value::Obj);
        Some((call, vec![hook, e.clone(), thread]))
    }

    fn finish_thread(&mut self, tid: Tid, exc: Option<Value>, host: &mut dyn Host) {
        let Some((pix, tix)) = self.locate(tid) else { return };
        let now = self.kernel.clock;
        {
            let t = &mut self.procs[pix].threads[tix];
            t.state = ThreadState::Finished;
            t.frames.clear();
            t.pending_call = None;
        }
        self.rec.trace.thread_exit(now, tid);
        let mut code = 0;
        if let Some(e) = exc {
            let mut vm = self.vm_at(pix, tix, host);
            code = crate::traceback::report_uncaught(&mut vm, &e, tix == 0);
        }
        // Wake joiners.
        {
            let mut vm = self.vm_at(pix, tix, host);
            crate::modules::threading::wake_all(&mut vm, &WaitOn::Join(tid));
        }
        if tix == 0 {
            self.procs[pix].exit_code.get_or_insert(code);
        } else {
            let t = self.procs[pix].threads.remove(tix);
            self.procs[pix].finished.push(t);
        }
    }

    fn finish(&mut self) -> Outcome {
        let code = self.procs[0].exit_code.unwrap_or(0);
        let o = Outcome::Finished { exit_code: code };
        self.outcome = Some(o.clone());
        o
    }

    /// Whether process `procs[pix]` has exited (only the main program's
    /// process stays in `procs` after that).
    fn exited(&self, pix: usize) -> bool {
        self.procs[pix].state != ProcState::Running
    }

    /// Whether process `procs[pix]` has nothing left to run: its main
    /// thread has finished and no non-daemon thread is alive.
    fn process_done(&self, pix: usize) -> bool {
        let p = &self.procs[pix];
        p.threads[0].is_finished() && !p.threads.iter().any(|t| !t.is_finished() && !t.daemon)
    }

    /// Decides whether the run is over when nothing is runnable. Returns
    /// `true` if something will be runnable (the clock was advanced, or a
    /// main thread woke to run an exit hook).
    fn idle(&mut self) -> bool {
        self.check_end();
        if self.outcome.is_some() {
            return false;
        }
        if self.any_runnable() {
            return true;
        }
        if let Some(d) = self.next_deadline() {
            if d > self.kernel.clock {
                self.kernel.clock = d;
            }
            self.wake_timeouts();
            return true;
        }
        let report = crate::deadlock::report_all(&self.procs, &self.schedule.to_string());
        self.outcome = Some(Outcome::Deadlock { report });
        false
    }

    /// Ends every process whose code and non-daemon threads have ended
    /// (after its `atexit` callbacks), and the run once the main
    /// program's process and every other have exited.
    fn check_end(&mut self) {
        if self.outcome.is_some() {
            return;
        }
        let mut pix = 0;
        while pix < self.procs.len() {
            if !self.exited(pix) && self.process_done(pix) && !self.next_exit_hook(pix) {
                let code = self.procs[pix].exit_code.unwrap_or(0);
                if self.exit_process(pix, (code & 0xff) << 8) {
                    // Removed: `pix` names the next process now.
                    continue;
                }
            }
            pix += 1;
        }
        if self.exited(0) && self.procs.len() == 1 {
            self.finish();
        }
    }

    /// When a process's code and every non-daemon thread have ended,
    /// CPython runs the `atexit` callbacks on the main thread, the last
    /// registered first (daemon threads still run meanwhile). This wakes
    /// the main thread of `procs[pix]` up to call the next one, through
    /// the prelude's `_atexit_call`; false when none is left.
    fn next_exit_hook(&mut self, pix: usize) -> bool {
        let p = &mut self.procs[pix];
        let Some(hook) = p.exit_hooks.pop() else { return false };
        let Some(call) = p.prelude_name("_atexit_call") else { return false };
        let items = match &hook {
            Value::Obj(id) => match p.heap.get(*id) {
                Obj::Tuple(items) => items.clone(),
                _ => return false,
            },
            _ => return false,
        };
        self.kernel.next_ready_seq += 1;
        let t = &mut self.procs[pix].threads[0];
        t.ready_seq = self.kernel.next_ready_seq;
        t.state = ThreadState::Runnable;
        t.frames.clear();
        t.exc_stack.clear();
        t.pending_call = Some((call, items));
        true
    }

    /// The index in `procs` of the live process `pid`.
    fn pix(&self, pid: Pid) -> Option<usize> {
        self.procs.iter().position(|p| p.pid == pid && p.state == ProcState::Running)
    }

    /// Carries out what the step that just ran asked of other processes
    /// (see [`Request`]), in the order asked. True if it forked.
    fn carry_out_requests(&mut self) -> bool {
        let mut forked = false;
        for r in std::mem::take(&mut self.kernel.requests) {
            match r {
                Request::Fork { pid, tid, child, child_tid } => {
                    self.fork(pid, tid, child, child_tid);
                    forked = true;
                }
                Request::Exit { pid, status } => {
                    if let Some(pix) = self.pix(pid) {
                        self.procs[pix].exit_code = Some(status >> 8);
                        self.exit_process(pix, status);
                    }
                }
                Request::Kill { pid, signal } => {
                    if let Some(pix) = self.pix(pid) {
                        // What a shell reports for a program killed by a signal.
                        self.procs[pix].exit_code = Some(128 + signal);
                        self.exit_process(pix, signal);
                    }
                }
                Request::Wake(on) => self.wake_everywhere(&on),
            }
        }
        forked
    }

    /// `os.fork()` by thread `tid` of process `pid`: the child is a copy
    /// of the whole process (heap, modules, sync objects, files' handles)
    /// with one thread, a copy of the caller, whose `fork()` returns 0.
    /// The other threads do not exist in the child, as after a real fork:
    /// a lock one of them held stays held there for ever.
    fn fork(&mut self, pid: Pid, tid: Tid, child: Pid, child_tid: Tid) {
        let Some((pix, tix)) = self.locate(tid) else { return };
        // The kernel's work to copy the process, on the parent's time.
        self.kernel.clock += self.kernel.fork_cost;
        let parent = &self.procs[pix];
        let mut c = parent.clone();
        let mut t = parent.threads[tix].clone();
        c.pid = child;
        c.state = ProcState::Running;
        c.exit_code = None;
        t.tid = child_tid;
        t.pid = child;
        t.started_at = None;
        t.steps = 0;
        self.kernel.next_ready_seq += 1;
        t.ready_seq = self.kernel.next_ready_seq;
        // The step that called fork() ended right after the call, whose
        // result (the child's pid, in the parent) is on top of the stack.
        if let Some(top) = t.frames.last_mut().and_then(|f| f.stack.last_mut()) {
            *top = Value::Int(0);
        }
        // The caller's `Thread` object and the locks it holds are the
        // child thread's now.
        if let Some(o) = t.obj {
            if let Obj::Instance(inst) = c.heap.get_mut(o) {
                if let Payload::Thread(th) = &mut inst.payload {
                    th.tid = Some(child_tid);
                }
            }
        }
        for e in c.sync.iter_mut() {
            match &mut e.obj {
                SyncObj::Lock { owner } | SyncObj::RLock { owner, .. } if *owner == Some(tid) => *owner = Some(child_tid),
                _ => {}
            }
        }
        let lane = format!("{} (pid {child})", t.name);
        // (Display only: Python reads the `Thread` object's name.)
        t.name = Arc::from(lane.as_str());
        c.threads = vec![t];
        c.finished = Vec::new();
        // The child's descriptors name the parent's sockets and pipes.
        for &(_, s) in &c.fds {
            self.kernel.socks[s as usize].refs += 1;
        }
        for &(chan, write) in &c.chan_ends {
            crate::modules::processes::count_end(&mut self.kernel, chan, write, 1);
        }
        let ignores_children = self.kernel.proc_info(pid).is_some_and(|e| e.ignores_children);
        self.kernel.table.push(ProcInfo { pid: child, ppid: pid, state: ProcState::Running, status: None, ignores_children });
        self.rec.trace.name_thread(child_tid, &lane);
        self.procs.push(c);
    }

    /// Process `procs[pix]` ends with wait status `status`: its threads
    /// stop where they are, it stays in the process table as a zombie
    /// until its parent reaps it (at once if the parent is init), its
    /// children become init's (orphans), and its parent's threads waiting
    /// for it wake. The main program's process stays in `procs` (the page
    /// shows its heap and threads); any other leaves. True if it left.
    fn exit_process(&mut self, pix: usize, status: i32) -> bool {
        let now = self.kernel.clock;
        let pid = self.procs[pix].pid;
        {
            let p = &mut self.procs[pix];
            p.state = ProcState::Zombie;
            for t in p.threads.iter_mut().filter(|t| !t.is_finished()) {
                t.state = ThreadState::Finished;
                t.frames.clear();
                t.pending_call = None;
                self.rec.trace.thread_exit(now, t.tid);
            }
            let others: Vec<Thread> = p.threads.drain(1..).collect();
            p.finished.extend(others);
        }
        // Its sockets lose their descriptors, and close with the last.
        let mut changed = Vec::new();
        for (_, s) in std::mem::take(&mut self.procs[pix].fds) {
            crate::modules::sockets::release(&mut self.kernel, s, &mut changed);
        }
        changed.sort_unstable();
        changed.dedup();
        for s in changed {
            self.wake_everywhere(&WaitOn::Sock(s));
        }
        for (chan, write) in std::mem::take(&mut self.procs[pix].chan_ends) {
            if crate::modules::processes::count_end(&mut self.kernel, chan, write, -1) {
                self.wake_everywhere(&WaitOn::Chan(chan));
            }
        }
        // Orphans go to init, which reaps the zombies among them at once.
        self.kernel.table.retain(|e| !(e.ppid == pid && e.state == ProcState::Zombie));
        for e in self.kernel.table.iter_mut().filter(|e| e.ppid == pid) {
            e.ppid = INIT_PID;
        }
        let parent = self.kernel.proc_info(pid).map(|e| e.ppid);
        let parent_waits = parent.is_some_and(|pp| {
            pp != INIT_PID && pp != SHELL_PID && self.pix(pp).is_some() && !self.kernel.proc_info(pp).is_some_and(|e| e.ignores_children)
        });
        if parent_waits {
            if let Some(e) = self.kernel.proc_info_mut(pid) {
                e.state = ProcState::Zombie;
                e.status = Some(status);
            }
            self.wake_everywhere(&WaitOn::Child(pid));
            self.wake_everywhere(&WaitOn::AnyChild);
        } else {
            self.kernel.table.retain(|e| e.pid != pid);
        }
        if pix == 0 {
            return false;
        }
        self.procs.remove(pix);
        true
    }

    /// Wakes every thread of every process blocked on `on`: they retry
    /// their call.
    fn wake_everywhere(&mut self, on: &WaitOn) {
        let now = self.kernel.clock;
        for t in self.procs.iter_mut().flat_map(|p| p.threads.iter_mut()) {
            if matches!(&t.state, ThreadState::Blocked(w) if w.on.woken_by(on)) {
                self.kernel.next_ready_seq += 1;
                t.wake_up(self.kernel.next_ready_seq, Wake::Notified);
                self.rec.trace.wake(now, t.tid, on);
            }
        }
    }

    fn maybe_gc(&mut self) {
        let due = self
            .procs
            .iter()
            .any(|p| p.heap.allocs_since_gc >= GC_EVERY_ALLOCS.max(p.heap.live() / 2) || p.heap.live() > self.config.max_objects);
        if !due {
            return;
        }
        self.collect_garbage();
        let live: usize = self.procs.iter().map(|p| p.heap.live()).sum();
        if live > self.config.max_objects {
            self.outcome = Some(Outcome::Budget {
                message: format!(
                    "Interleave stopped the program: it used more than {} heap objects (the memory budget)",
                    group(self.config.max_objects as u64)
                ),
            });
        } else {
            self.check_memory();
        }
    }

    /// Collects garbage now, in every process.
    pub fn collect_garbage(&mut self) {
        for p in &mut self.procs {
            let mut roots: Vec<Value> = Vec::new();
            p.global_roots(&mut roots);
            for t in &p.threads {
                t.roots(&mut roots);
            }
            for s in &p.sync {
                s.for_each_ref(&mut |v| roots.push(v.clone()));
            }
            p.heap.collect(&roots);
        }
    }

    /// The memory-budget check for containers that grow without allocating
    /// new objects (a list appended to forever).
    fn check_memory(&mut self) {
        let bytes: usize = self.procs.iter().map(|p| p.heap.approx_bytes()).sum();
        if bytes > self.config.max_memory {
            self.outcome = Some(Outcome::Budget {
                message: format!(
                    "Interleave stopped the program: it used more than {} bytes of memory (the memory budget)",
                    group(self.config.max_memory as u64)
                ),
            });
        }
    }
    fn ctx_decide(&mut self, scheduler: &mut dyn Scheduler, runnable: &[Tid]) -> Decision {
        let interval = ((self.procs[0].switch_interval * 1e9) as u64 / self.kernel.step_cost).max(1);
        let hint = self.rec.handoff.take();
        let ctx = SchedCtx {
            runnable,
            current: self.current,
            last: self.last,
            steps_since_switch: self.steps_since_switch,
            now: self.kernel.clock,
            hint,
            switch_interval_steps: interval,
        };
        let mut d = scheduler.next(&ctx);
        if !runnable.contains(&d.tid) {
            d.tid = runnable[0];
        }
        d.max_steps = d.max_steps.max(1);
        d
    }

    /// Runs the program to its end under `scheduler`.
    pub fn run(&mut self, scheduler: &mut dyn Scheduler, host: &mut dyn Host) -> RunResult {
        let mut since_mem_check: u64 = 0;
        while self.outcome.is_none() {
            self.wake_timeouts();
            let runnable = self.runnable();
            if runnable.is_empty() {
                if self.idle() {
                    continue;
                }
                break;
            }
            let d = self.ctx_decide(scheduler, &runnable);
            // Stop at the next timer so sleepers wake on time.
            let mut max = d.max_steps;
            if let Some(dl) = self.next_deadline() {
                let until = dl.saturating_sub(self.kernel.clock) / self.kernel.step_cost + 1;
                max = max.min(until);
            }
            let (exit, ran) = self.run_thread(d.tid, max, d.safe_points, Local::NO, host);
            self.record(d.tid, ran);
            scheduler.ran(d.tid, ran);
            let ev = self.after_quantum(d.tid, exit, host);
            self.last = ev;
            self.check_end();
            self.maybe_gc();
            since_mem_check += ran;
            if since_mem_check > 1 << 20 {
                since_mem_check = 0;
                self.check_memory();
            }
        }
        self.result()
    }

    fn record(&mut self, tid: Tid, ran: u64) {
        if self.current == Some(tid) {
            self.steps_since_switch += ran;
        } else {
            if let Some(prev) = self.current {
                // The thread switched out while still runnable goes to the
                // back of the ready queue.
                if let Some((pi, ix)) = self.locate(prev) {
                    if self.procs[pi].threads[ix].is_runnable() {
                        self.kernel.next_ready_seq += 1;
                        self.procs[pi].threads[ix].ready_seq = self.kernel.next_ready_seq;
                    }
                }
            }
            self.current = Some(tid);
            self.steps_since_switch = ran;
        }
        self.schedule.push(tid, ran);
    }

    /// Runs exactly one step of thread `tid` (the page's manual mode).
    pub fn step(&mut self, tid: Tid, host: &mut dyn Host) -> StepResult {
        self.step_ops(tid, Local::NO, host)
    }

    /// Runs one step of thread `tid`, then its local ops after it (see
    /// [`crate::local`]), stopping before the first op that is not local.
    /// The state it leaves is the one [`Machine::step`] repeated over the
    /// same ops would: the ops run in one trip through the interpreter, and
    /// the schedule counts each as a step. A timer due in the middle ends
    /// the run there, so that its sleeper wakes at the same step.
    pub fn step_local(&mut self, tid: Tid, host: &mut dyn Host) -> StepResult {
        self.step_ops(tid, Local { run: true, invisible: None }, host)
    }

    /// [`Machine::step_local`], running on through the ops `invisible`
    /// names as well as the local ones (see [`crate::local::Invisible`]).
    /// The state it leaves is the one that [`Machine::step_local`]
    /// repeated while `invisible` says yes of the next op would.
    pub fn step_local_with(&mut self, tid: Tid, host: &mut dyn Host, invisible: &dyn crate::local::Invisible) -> StepResult {
        self.step_ops(tid, Local { run: true, invisible: Some(invisible) }, host)
    }

    fn step_ops(&mut self, tid: Tid, local: Local, host: &mut dyn Host) -> StepResult {
        if let Some(o) = &self.outcome {
            return StepResult::Done(o.clone());
        }
        self.wake_timeouts();
        if !self.is_runnable(tid) {
            return StepResult::NotRunnable;
        }
        let mut max = 1;
        if local.run {
            max = u64::MAX;
            // Single steps would wake the sleeper before the first step
            // that starts with the clock at its deadline or past it.
            if let Some(dl) = self.next_deadline() {
                max = dl.saturating_sub(self.kernel.clock).div_ceil(self.kernel.step_cost).max(1);
            }
        }
        let (exit, ran) = self.run_thread(tid, max, false, local, host);
        self.record(tid, ran);
        let ev = self.after_quantum(tid, exit, host);
        self.last = ev;
        self.check_end();
        if self.outcome.is_none() && !self.any_runnable() {
            while self.outcome.is_none() && !self.any_runnable() {
                if !self.idle() {
                    break;
                }
            }
        }
        if let Some(o) = &self.outcome {
            return StepResult::Done(o.clone());
        }
        match ev {
            LastEvent::Blocked => StepResult::Blocked,
            LastEvent::Finished => StepResult::ThreadFinished,
            _ => StepResult::Ran,
        }
    }

    pub fn result(&self) -> RunResult {
        RunResult {
            outcome: self.outcome.clone().unwrap_or(Outcome::Stopped { message: "not finished".into() }),
            schedule: self.schedule.to_string(),
            stdout: self.rec.stdout.clone(),
            stderr: self.rec.stderr.clone(),
            steps: self.kernel.steps,
            virtual_ns: self.kernel.clock,
        }
    }

    pub fn trace(&self) -> &Trace {
        &self.rec.trace
    }

    // ------------------------------------------------------------------
    // Views for the page
    // ------------------------------------------------------------------

    /// The line of the program thread `tid` is at (see
    /// [`ThreadView::line`]); None for a thread that is not live or has no
    /// frame of the program.
    pub fn program_line(&self, tid: Tid) -> Option<u32> {
        let (pi, ti) = self.locate(tid)?;
        self.program_line_of(&self.procs[pi].threads[ti])
    }

    fn program_line_of(&self, t: &Thread) -> Option<u32> {
        t.frames.iter().rev().find(|f| f.code.filename == self.program.filename).map(|f| f.line())
    }

    pub fn threads(&self) -> Vec<ThreadView> {
        let mut all: Vec<(&Process, &Thread)> = self.procs.iter().flat_map(|p| p.threads.iter().chain(p.finished.iter()).map(move |t| (p, t))).collect();
        all.sort_by_key(|(_, t)| t.tid);
        all.into_iter()
            .map(|(p, t)| {
                let (state, waiting) = match &t.state {
                    ThreadState::Runnable => ("runnable".to_string(), None),
                    ThreadState::Finished => ("finished".to_string(), None),
                    ThreadState::Blocked(w) => ("blocked".to_string(), Some(crate::deadlock::describe_wait(p, &w.on))),
                };
                ThreadView {
                    tid: t.tid,
                    pid: p.pid,
                    name: t.name.to_string(),
                    state,
                    line: self.program_line_of(t).unwrap_or(0),
                    in_module: t.frames.last().filter(|f| f.code.filename != self.program.filename).map(|f| module_of(&f.code.filename)),
                    waiting_on: waiting,
                    holds: crate::deadlock::holds(p, t.tid).iter().map(|s| crate::deadlock::sync_name(p, *s)).collect(),
                    daemon: t.daemon,
                    steps: t.steps,
                }
            })
            .collect()
    }

    pub fn sync_objects(&mut self) -> Vec<SyncView> {
        // Queue contents as reprs (needs a VM for user __repr__s).
        let contents: Vec<Option<String>> = {
            let items: Vec<Option<Vec<Value>>> = self.procs[0]
                .sync
                .iter()
                .map(|e| match &e.obj {
                    SyncObj::Queue { items, .. } => Some(items.iter().cloned().collect()),
                    _ => None,
                })
                .collect();
            let mut host = NullHost;
            let mut vm = self.vm(0, &mut host);
            items
                .into_iter()
                .map(|it| {
                    it.map(|v| {
                        let l = vm.new_list(v);
                        crate::format::repr(&mut vm, &l).unwrap_or_else(|_| "[?]".into())
                    })
                })
                .collect()
        };
        let p = &self.procs[0];
        let tname = |t: &Option<Tid>| t.and_then(|t| p.threads.iter().chain(p.finished.iter()).find(|x| x.tid == t)).map(|x| x.name.to_string()).unwrap_or_else(|| "-".into());
        p.sync
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let sid = i as SyncId;
                let waiters: Vec<String> = p
                    .threads
                    .iter()
                    .filter(|t| matches!(&t.state, ThreadState::Blocked(w) if crate::deadlock::describe_wait(p, &w.on).ends_with(&crate::deadlock::sync_name(p, sid))))
                    .map(|t| t.name.to_string())
                    .collect();
                let detail = match &e.obj {
                    SyncObj::Lock { owner } => format!("owner={}", tname(owner)),
                    SyncObj::RLock { owner, count } => format!("owner={} count={count}", tname(owner)),
                    SyncObj::Semaphore { value, .. } => format!("value={value}"),
                    SyncObj::Event { flag } => format!("set={flag}"),
                    SyncObj::Condition { waiters, .. } => format!("waiting={}", waiters.len()),
                    SyncObj::Queue { items, maxsize, .. } => format!(
                        "size={} maxsize={maxsize} items={}",
                        items.len(),
                        contents.get(i).cloned().flatten().unwrap_or_default()
                    ),
                    SyncObj::Barrier { parties, waiting, .. } => format!("waiting={}/{parties}", waiting.len()),
                };
                let detail = if waiters.is_empty() { detail } else { format!("{detail} waiters=[{}]", waiters.join(", ")) };
                SyncView { id: sid, name: crate::deadlock::sync_name(p, sid), kind: crate::modules::threading::sync_kind(&e.obj).to_string(), detail }
            })
            .chain(self.kernel.socks.iter().enumerate().map(|(i, _)| {
                // Every socket the run made, open or closed: the timeline
                // names its waits by these.
                let id = i as u32;
                let fd = p.fds.iter().find(|(_, s)| *s == id).map(|(fd, _)| format!("fd {fd}, ")).unwrap_or_default();
                SyncView {
                    id: SOCKET_VIEW_ID + id,
                    name: crate::modules::sockets::describe(&self.kernel, id),
                    kind: "socket".into(),
                    detail: format!("{fd}{}", crate::modules::sockets::state_line(&self.kernel, id)),
                }
            }))
            .collect()
    }

    /// The virtual kernel's files as `(name, contents)`, the contents as
    /// a string's repr, cut after 120 characters.
    pub fn files(&self) -> Vec<(String, String)> {
        self.kernel
            .files
            .iter()
            .map(|(name, text)| {
                let cut: String = text.chars().take(120).collect();
                let mut shown = crate::format::str_repr(&cut);
                if cut.len() < text.len() {
                    shown.push_str(&format!(" … ({} bytes)", text.len()));
                }
                (name.to_string(), shown)
            })
            .collect()
    }

    /// Module globals as `(name, repr)` (user names only).
    pub fn globals(&mut self) -> Vec<(String, String)> {
        let g = self.procs[0].main_globals;
        let items = match self.procs[0].heap.get(g) {
            Obj::Dict(d) => d.d.items(),
            _ => vec![],
        };
        let mut host = NullHost;
        let mut vm = self.vm(0, &mut host);
        let mut out = Vec::new();
        for (k, v) in items {
            if let Value::Str(k) = &k {
                if k.starts_with("__") {
                    continue;
                }
                if let Value::Obj(id) = &v {
                    if matches!(vm.p.heap.get(*id), Obj::Module(_)) {
                        continue;
                    }
                }
                let r = crate::format::repr(&mut vm, &v).unwrap_or_else(|_| "<?>".into());
                out.push((k.to_string(), r));
            }
        }
        out
    }

    /// The current frame's locals of a thread as `(name, repr)`.
    pub fn locals(&mut self, tid: Tid) -> Vec<(String, String)> {
        let Some((pix, tix)) = self.locate(tid) else { return vec![] };
        let Some(f) = self.procs[pix].threads[tix].frames.last().cloned() else { return vec![] };
        let mut host = NullHost;
        let mut vm = self.vm_at(pix, tix, &mut host);
        let mut out = Vec::new();
        for (i, n) in f.code.varnames.iter().enumerate() {
            if let Some(v) = f.locals.get(i) {
                if matches!(v, Value::Undef) {
                    continue;
                }
                let r = crate::format::repr(&mut vm, v).unwrap_or_else(|_| "<?>".into());
                out.push((n.to_string(), r));
            }
        }
        out
    }
}

/// `10000000` -> `10,000,000`.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A library module's name from its code's file name (`<concurrent.futures>`).
fn module_of(filename: &str) -> String {
    filename.trim_start_matches('<').trim_end_matches('>').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CaptureHost, Random};

    #[test]
    fn a_rebase_keeps_the_hashes_of_unwritten_objects_and_hashes_the_rest() {
        // `rebase` rehashes only what was written or made since the last
        // one: every slot must still read what hashing it afresh gives,
        // after `new` (a copy of the booted machine) and after a run.
        let src = "import threading\nx = [0]\nlock = threading.Lock()\ndef f():\n    with lock:\n        x[0] += 1\nts = [threading.Thread(target=f) for _ in range(3)]\nfor t in ts: t.start()\nfor t in ts: t.join()\n";
        let program = crate::compile(src, "prog.py").expect("compiles");
        let mut m = Machine::new(&program, Config::default());
        let check = |m: &Machine, when: &str| {
            let p = &m.procs[0];
            for id in 0..p.heap.len() as crate::value::ObjId {
                if p.heap.base_get(id).is_some() {
                    assert_eq!(p.heap.base_hash(id), crate::fingerprint::base_hash(p, id), "slot {id} {when}");
                }
            }
        };
        check(&m, "after new");
        let mut host = CaptureHost::new();
        for _ in 0..60 {
            m.step(0, &mut host);
        }
        assert!(m.procs[0].threads.len() > 1, "threads started");
        m.rebase();
        check(&m, "after a run");
    }

    /// `Machine::new` starts from a snapshot of one booted machine; it must
    /// be the machine a boot of its own would give, for any program and
    /// configuration: the same state, and the same run.
    #[test]
    fn a_machine_from_the_booted_snapshot_is_a_freshly_booted_one() {
        let programs = [
            "import sys, random\nprint(sys.argv, __file__, random.random())\nprint(input())\n",
            "import threading\nx = 0\ndef f():\n    global x\n    x += 1\nts = [threading.Thread(target=f) for _ in range(3)]\nfor t in ts: t.start()\nfor t in ts: t.join()\nprint(x, len(globals()))\n",
        ];
        for src in programs {
            let program = crate::compile(src, "prog.py").expect("compiles");
            for seed in [0, 7] {
                let config = Config { seed, argv: vec!["prog.py".into(), "-v".into()], stdin: vec!["typed".into()], trace: seed == 0, ..Config::default() };
                let mut a = Machine::new(&program, config.clone());
                let mut b = Machine::new_unshared(&program, config);
                assert_eq!(a.fingerprint(), b.fingerprint());
                let ra = a.run(&mut Random::new(seed), &mut CaptureHost::new());
                let rb = b.run(&mut Random::new(seed), &mut CaptureHost::new());
                assert_eq!((&ra.stdout, &ra.schedule, &ra.outcome, ra.steps), (&rb.stdout, &rb.schedule, &rb.outcome, rb.steps), "seed {seed}: {src}");
                assert_eq!(a.trace().events.len(), b.trace().events.len());
            }
        }
    }
}
