//! Interleave's engine: Python concurrency programs on virtual threads, in a
//! virtual kernel, under a deterministic scheduler.
//!
//! # How a program runs
//!
//! 1. [`compile`] parses the source (with [`syntax`]) and compiles it to
//!    bytecode ([`code::Code`]): one code object per module, class body,
//!    function, lambda and comprehension, names resolved to slots, cells or
//!    globals ahead of time ([`scope`]).
//! 2. [`Machine::new`] boots a virtual kernel with one process: a heap
//!    ([`heap`]) holding the builtin classes ([`types`]), the builtins
//!    ([`builtins`]) and the main module, and the main thread, whose first
//!    frame is the module's code.
//! 3. [`Machine::run`] repeatedly asks a [`Scheduler`] which runnable
//!    thread goes next and for how many steps, and runs it in the
//!    interpreter ([`vm`]). One bytecode op is one step, the unit of
//!    preemption and of virtual time ([`Config::step_cost_ns`]). Blocking
//!    operations park threads in the kernel ([`kernel`],
//!    [`modules::threading`]); sleeping advances only the virtual clock.
//! 4. The run ends with an [`Outcome`]: finished (with CPython's exit
//!    status), deadlock (a report from [`deadlock`]), or a budget/stop. The
//!    schedule it followed is a compact string ([`scheduler::Schedule`]);
//!    [`scheduler::Replay`] reproduces the run from it exactly, and the
//!    [`trace::Trace`] records what happened when.
//!
//! # API
//!
//! ```no_run
//! use interleave_engine::*;
//! let program = compile("print('hi')\n", "main.py").expect("syntax ok");
//! let mut machine = Machine::new(&program, Config::default());
//! let mut host = CaptureHost::new();
//! let result = machine.run(&mut CpythonLike, &mut host);
//! assert_eq!(result.stdout, "hi\n");
//! ```
//!
//! [`run_source`] does all of it in one call. The page's "you are the
//! scheduler" mode uses [`Machine::runnable`] and [`Machine::step`];
//! [`Machine::threads`], [`Machine::sync_objects`], [`Machine::globals`]
//! and [`Machine::locals`] are views for display. A [`Condition`] (a
//! Python expression compiled once) asks a question of a run's final
//! state with [`Machine::eval_condition`] (the explorer's "can this be
//! true at the end?").
//!
//! The whole state is in [`Machine`], which is `Clone + Send`: snapshots
//! are clones. Nothing in the engine touches real time, threads, files or
//! the network, so it builds for `wasm32-unknown-unknown` too.

pub use interleave_syntax as syntax;

pub mod attr;
pub mod builtins;
pub mod code;
pub mod compile;
pub mod condition;
pub mod coroutine;
pub mod deadlock;
pub mod desugar;
pub mod dict;
pub mod fingerprint;
pub mod format;
pub mod heap;
pub mod host;
pub mod iter;
pub mod kernel;
pub mod local;
pub mod machine;
pub mod methods;
pub mod modules;
pub mod object;
pub mod ops;
pub mod scheduler;
pub mod scope;
pub mod shared;
pub mod suggest;
pub mod trace;
pub mod traceback;
pub mod types;
pub mod value;
pub mod vm;

pub use condition::Condition;
pub use host::{CaptureHost, Host, NullHost};
pub use machine::{Config, Machine, Outcome, Program, RunResult, StepResult, SyncView, ThreadView, SOCKET_VIEW_ID};
pub use scheduler::{CpythonLike, Manual, Random, Replay, RoundRobin, Schedule, Scheduler};
pub use syntax::SyntaxError;

/// Parses and compiles a program.
pub fn compile(source: &str, filename: &str) -> Result<Program, SyntaxError> {
    let module = syntax::parse(source, filename)?;
    let code = compile::compile_module(&module, source, filename)?;
    Ok(Program { code, source: std::sync::Arc::from(source), filename: std::sync::Arc::from(filename) })
}

/// Compiles and runs `source` under `scheduler`, collecting output in a
/// [`CaptureHost`]. A syntax error comes back as `Err` (its `render()` is
/// what CPython prints).
pub fn run_source(source: &str, config: Config, scheduler: &mut dyn Scheduler) -> Result<(RunResult, Machine), SyntaxError> {
    let program = compile(source, "main.py")?;
    let mut m = Machine::new(&program, config);
    let mut host = CaptureHost::new();
    let r = m.run(scheduler, &mut host);
    Ok((r, m))
}

#[cfg(test)]
mod send_check {
    fn is_send_clone<T: Send + Clone>() {}
    #[test]
    fn machine_is_send_and_clone() {
        is_send_clone::<crate::Machine>();
    }
}
