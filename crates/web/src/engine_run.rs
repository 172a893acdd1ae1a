//! Running a Python program on the engine, off the page's main thread.
//!
//! A run is handed to a worker of the rayon pool (a Web Worker sharing this
//! module's memory). The worker streams output back on a channel while the
//! program runs, and sends everything the views need when it ends. Stopping
//! is a shared flag that the engine polls every 1024 steps, so Stop ends even
//! `while True: pass` at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use futures_channel::mpsc::{unbounded, UnboundedReceiver, UnboundedSender};
use interleave_engine::trace::Trace;
use interleave_engine::{
    compile, Config, CpythonLike, Host, Machine, Outcome, Random, Replay, RoundRobin, Schedule, Scheduler, SyncView,
    ThreadView,
};

use crate::pool;
use crate::waitfor::{self, WaitGraph};

/// The step budget of a run on the page.
pub const PAGE_MAX_STEPS: u64 = 200_000_000;

/// Which scheduler decides who runs next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchedulerChoice {
    /// Behaves like CPython: a started thread runs at once, switches every
    /// 5 ms of virtual time or when a thread blocks.
    Cpython,
    /// Switches at random steps, from a seed.
    Random,
    /// Switches every `quantum` steps, in turn.
    RoundRobin,
    /// The learner picks the thread that runs next ("you are the scheduler").
    Manual,
}

impl SchedulerChoice {
    pub fn from_key(key: &str) -> SchedulerChoice {
        match key {
            "random" => SchedulerChoice::Random,
            "round-robin" => SchedulerChoice::RoundRobin,
            "manual" => SchedulerChoice::Manual,
            _ => SchedulerChoice::Cpython,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            SchedulerChoice::Cpython => "cpython",
            SchedulerChoice::Random => "random",
            SchedulerChoice::RoundRobin => "round-robin",
            SchedulerChoice::Manual => "manual",
        }
    }
}

#[derive(Clone, Debug)]
pub struct RunRequest {
    pub source: String,
    pub scheduler: SchedulerChoice,
    pub seed: u64,
    pub quantum: u64,
    pub stdin: Vec<String>,
    /// Replay this schedule string instead of asking the scheduler.
    pub replay: Option<String>,
}

/// A syntax error, placed for the editor.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxProblem {
    pub line: u32,
    pub col: u32,
    pub message: String,
    /// CPython's rendering, for the console.
    pub rendered: String,
}

impl SyntaxProblem {
    /// Where the editor and the console show a compile error.
    pub fn of(e: &interleave_engine::SyntaxError) -> SyntaxProblem {
        SyntaxProblem { line: e.line, col: e.col, message: format!("{}: {}", e.kind.python_name(), e.msg), rendered: e.render() }
    }
}

/// Everything the views show about a finished run.
#[derive(Clone, Debug)]
pub struct Finished {
    pub outcome: Outcome,
    pub exit_status: i32,
    pub schedule: String,
    pub steps: u64,
    pub virtual_ns: u64,
    pub trace: Trace,
    pub threads: Vec<ThreadView>,
    pub sync: Vec<SyncView>,
    /// The virtual kernel's files: (name, contents shown).
    pub files: Vec<(String, String)>,
    pub globals: Vec<(String, String)>,
    /// Each unfinished thread's current frame: (thread, [(name, repr)]).
    pub locals: Vec<(u32, Vec<(String, String)>)>,
    pub wait_graph: WaitGraph,
}

/// The locals of every unfinished thread's current frame.
pub fn all_locals(machine: &mut Machine) -> Vec<(u32, Vec<(String, String)>)> {
    let tids: Vec<u32> = machine.all_threads().filter(|t| !t.is_finished()).map(|t| t.tid).collect();
    tids.into_iter().map(|tid| (tid, machine.locals(tid))).collect()
}

pub enum Update {
    Stdout(String),
    Stderr(String),
    SyntaxError(SyntaxProblem),
    Done(Box<Finished>),
}

/// A run in progress: its updates, and the flag that stops it.
pub struct Running {
    pub updates: UnboundedReceiver<Update>,
    pub stop: Arc<AtomicBool>,
}

impl Running {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts `request` on the pool. The pool must be running (`pool::ensure_pool`).
pub fn start(request: RunRequest) -> Running {
    let (tx, rx) = unbounded();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    rayon::spawn(move || run(request, tx, flag));
    Running { updates: rx, stop }
}

fn run(request: RunRequest, tx: UnboundedSender<Update>, stop: Arc<AtomicBool>) {
    let program = match compile(&request.source, "main.py") {
        Ok(p) => p,
        Err(e) => {
            let _ = tx.unbounded_send(Update::SyntaxError(SyntaxProblem::of(&e)));
            return;
        }
    };
    // A generous step budget (several seconds of engine time): runaway
    // programs still end by themselves, and Stop ends them sooner.
    let config = Config { seed: request.seed, stdin: request.stdin, max_steps: PAGE_MAX_STEPS, ..Config::default() };
    let mut machine = Machine::new(&program, config);
    let replay = match request.replay.as_deref().map(Schedule::parse) {
        Some(Ok(schedule)) => Some(schedule),
        Some(Err(e)) => {
            let _ = tx.unbounded_send(Update::Stderr(format!("Interleave: this link's schedule cannot be read ({e})\n")));
            return;
        }
        None => None,
    };
    let mut scheduler: Box<dyn Scheduler> = match request.scheduler {
        _ if replay.is_some() => Box::new(Replay::new(replay.as_ref().expect("checked above"))),
        SchedulerChoice::Cpython | SchedulerChoice::Manual => Box::new(CpythonLike),
        SchedulerChoice::Random => Box::new(Random::new(request.seed)),
        SchedulerChoice::RoundRobin => Box::new(RoundRobin { quantum: request.quantum.max(1) }),
    };
    let mut host = StreamingHost { tx: tx.clone(), stop, out: String::new(), err: String::new(), last_flush: pool::now_ms() };
    let result = machine.run(scheduler.as_mut(), &mut host);
    host.flush();
    let finished = Finished {
        exit_status: result.exit_status(),
        outcome: result.outcome,
        schedule: result.schedule,
        steps: result.steps,
        virtual_ns: result.virtual_ns,
        trace: machine.trace().clone(),
        threads: machine.threads(),
        sync: machine.sync_objects(),
        files: machine.files(),
        globals: machine.globals(),
        locals: all_locals(&mut machine),
        wait_graph: waitfor::graph(&machine),
    };
    let _ = tx.unbounded_send(Update::Done(Box::new(finished)));
}

/// Sends output in batches (at most every 30 ms of real time) so that a
/// program printing in a tight loop does not flood the page.
struct StreamingHost {
    tx: UnboundedSender<Update>,
    stop: Arc<AtomicBool>,
    out: String,
    err: String,
    last_flush: f64,
}

impl StreamingHost {
    fn flush(&mut self) {
        if !self.out.is_empty() {
            let _ = self.tx.unbounded_send(Update::Stdout(std::mem::take(&mut self.out)));
        }
        if !self.err.is_empty() {
            let _ = self.tx.unbounded_send(Update::Stderr(std::mem::take(&mut self.err)));
        }
        self.last_flush = pool::now_ms();
    }
}

impl Host for StreamingHost {
    fn stdout(&mut self, text: &str) {
        if !self.err.is_empty() {
            let _ = self.tx.unbounded_send(Update::Stderr(std::mem::take(&mut self.err)));
        }
        self.out.push_str(text);
    }

    fn stderr(&mut self, text: &str) {
        // Keep stdout and stderr in order on the console.
        if !self.out.is_empty() {
            let _ = self.tx.unbounded_send(Update::Stdout(std::mem::take(&mut self.out)));
        }
        self.err.push_str(text);
    }

    fn should_stop(&mut self) -> bool {
        if pool::now_ms() - self.last_flush > 30.0 {
            self.flush();
        }
        self.stop.load(Ordering::Relaxed)
    }
}
