//! "You are the scheduler": a machine kept alive between clicks.
//!
//! The machine lives behind a mutex that only pool workers ever lock: each
//! command is a `rayon::spawn` job that takes the machine, does one thing
//! (run one thread for one line), takes a snapshot for the views, and sends
//! it back on a oneshot channel. So the page's main thread never blocks, and
//! no worker is parked waiting for the learner's next click.

use std::sync::{Arc, Mutex};

use interleave_engine::kernel::Tid;
use interleave_engine::trace::Trace;
use interleave_engine::{compile, Config, Machine, NullHost, Outcome, Schedule, StepResult, SyncView, ThreadView};

use crate::engine_run::{all_locals, Finished, SyntaxProblem};
use crate::waitfor::{self, WaitGraph};
use crate::pool;

/// Steps one click may run before it gives the turn back (a line with a long
/// loop inside, e.g. `sum(range(10**6))`, still ends its click).
const MAX_STEPS_PER_CLICK: u64 = 100_000;

/// What the views show after each click.
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub threads: Vec<ThreadView>,
    pub runnable: Vec<Tid>,
    pub sync: Vec<SyncView>,
    /// The virtual kernel's files: (name, contents shown).
    pub files: Vec<(String, String)>,
    pub globals: Vec<(String, String)>,
    pub stdout: String,
    pub stderr: String,
    pub trace: Trace,
    pub schedule: String,
    pub steps: u64,
    pub virtual_ns: u64,
    pub outcome: Option<Outcome>,
    pub exit_status: i32,
    /// The line the last-run thread stopped at.
    pub line: Option<u32>,
    pub locals: Vec<(Tid, Vec<(String, String)>)>,
    pub wait_graph: WaitGraph,
}

impl Snapshot {
    fn of(machine: &mut Machine, line: Option<u32>) -> Snapshot {
        let result = machine.result();
        let exit_status = result.exit_status();
        Snapshot {
            threads: machine.threads(),
            runnable: machine.runnable(),
            sync: machine.sync_objects(),
            files: machine.files(),
            globals: machine.globals(),
            stdout: machine.rec.stdout.clone(),
            stderr: machine.rec.stderr.clone(),
            trace: machine.trace().clone(),
            schedule: result.schedule,
            steps: result.steps,
            virtual_ns: result.virtual_ns,
            exit_status,
            outcome: machine.outcome.clone(),
            line,
            locals: all_locals(machine),
            wait_graph: waitfor::graph(machine),
        }
    }

    /// The finished-run view of this snapshot, once the program has ended.
    pub fn finished(&self) -> Option<Finished> {
        Some(Finished {
            outcome: self.outcome.clone()?,
            exit_status: self.exit_status,
            schedule: self.schedule.clone(),
            steps: self.steps,
            virtual_ns: self.virtual_ns,
            trace: self.trace.clone(),
            threads: self.threads.clone(),
            sync: self.sync.clone(),
            files: self.files.clone(),
            globals: self.globals.clone(),
            locals: self.locals.clone(),
            wait_graph: self.wait_graph.clone(),
        })
    }
}

/// The views of a finished run as of its trace event `event`: the program
/// replayed step by step under the run's schedule until that event has
/// been recorded. The engine is deterministic, so this is the state the
/// run was in at that moment; `line` is the line the event's thread is on.
/// None if the program or schedule no longer parse. `stdin` is the run's
/// standard input, which the replay must read as the run did.
pub async fn snapshot_at(source: String, seed: u64, stdin: Vec<String>, schedule: String, event: usize) -> Result<Option<Snapshot>, String> {
    pool::on_pool(move || {
        let program = compile(&source, "main.py").ok()?;
        let schedule = Schedule::parse(&schedule).ok()?;
        let config = Config { seed, stdin, max_steps: crate::engine_run::PAGE_MAX_STEPS, ..Config::default() };
        let mut m = Machine::new(&program, config);
        let mut host = NullHost;
        'run: for (tid, steps) in schedule.segments {
            for _ in 0..steps {
                if m.trace().events.len() > event {
                    break 'run;
                }
                m.step(tid, &mut host);
            }
        }
        let line = m.trace().events.get(event).and_then(|e| m.program_line(e.tid));
        Some(Snapshot::of(&mut m, line))
    })
    .await
}

#[derive(Clone)]
pub struct Session {
    machine: Arc<Mutex<Machine>>,
}

impl Session {
    /// Compiles `source` and boots a machine (reading `stdin`), on a worker.
    pub async fn start(source: String, seed: u64, stdin: Vec<String>) -> Result<Result<(Session, Snapshot), SyntaxProblem>, String> {
        pool::on_pool(move || match compile(&source, "main.py") {
            Err(e) => Err(SyntaxProblem::of(&e)),
            Ok(program) => {
                let mut machine = Machine::new(&program, Config { seed, stdin, ..Config::default() });
                let snapshot = Snapshot::of(&mut machine, None);
                Ok((Session { machine: Arc::new(Mutex::new(machine)) }, snapshot))
            }
        })
        .await
    }

    /// Runs thread `tid` until it reaches another line, blocks, finishes, or
    /// the program ends.
    pub async fn run_line(&self, tid: Tid) -> Result<Snapshot, String> {
        let machine = self.machine.clone();
        pool::on_pool(move || {
            let mut m = machine.lock().unwrap_or_else(|e| e.into_inner());
            // Cheap enough to ask after every step (no views are built).
            // The line is the program's: a click steps over the lines of
            // a library module written in Python (a pool's `submit`, say)
            // as one call, unless the thread blocks in there.
            let line_of = |m: &Machine| m.program_line(tid);
            let start = line_of(&m);
            let mut host = NullHost;
            for _ in 0..MAX_STEPS_PER_CLICK {
                match m.step(tid, &mut host) {
                    StepResult::Ran if line_of(&m) == start => continue,
                    _ => break,
                }
            }
            let line = line_of(&m);
            Snapshot::of(&mut m, line)
        })
        .await
    }
}
