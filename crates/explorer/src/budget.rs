//! The step budget of each execution, fitted to the program.
//!
//! Every execution of a search runs under a step budget
//! ([`crate::Options::max_steps`]), so that a schedule that never ends (a
//! thread spinning on a flag nobody sets, in the schedules where nobody
//! does) is cut and reported as a `budget` outcome instead of running for
//! ever. No fixed budget fits every program:
//!
//! - the GIL lesson's two threads counting to 100 000 need 2.8 million
//!   steps in every schedule, and the default of 200 000 cut every one of
//!   them: "1 outcome: the step budget", which answers nothing;
//! - a larger default makes every runaway schedule of a busy-wait program
//!   cost that much more, and sampling such a program runs many of them.
//!
//! So the budget is fitted, and only when it has to be: a search that met
//! no budget outcome keeps its budget and costs nothing more. One that
//! did runs the program once as `interleave run` does (the CPython-like
//! scheduler), up to [`PROBE_STEPS`]. If that plain run ends and needed
//! more than a quarter of the budget, the program is simply long, and the
//! search runs again with four times the plain run's steps: room for
//! schedules that take longer than the plain one (contention, retries,
//! waits that time out), while a schedule that never ends is still cut.
//! A plain run that does not end within [`PROBE_STEPS`] is a runaway
//! program, and the budget stays.
//!
//! The budget stays a constant of the search, so a state's future does
//! not depend on the path to it (the engine's clock, part of every
//! state's fingerprint, counts the steps run).

use std::sync::atomic::{AtomicBool, Ordering};

use interleave_engine::{Config, CpythonLike, Host, Machine, Outcome, Program};

/// The longest plain run the fitting waits for (about a tenth of a second
/// natively).
pub const PROBE_STEPS: u64 = 10_000_000;

/// Each execution may run this many times the plain run's steps.
pub const FACTOR: u64 = 4;

/// Discards the output; ends the run when the search's stop flag is set.
struct ProbeHost<'a>(&'a AtomicBool);

impl Host for ProbeHost<'_> {
    fn stdout(&mut self, _: &str) {}
    fn stderr(&mut self, _: &str) {}
    fn should_stop(&mut self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The budget that fits `program` better than `config.max_steps`, if one
/// does: [`FACTOR`] times the steps of its plain run, when that run ends
/// within [`PROBE_STEPS`] and needed more than `config.max_steps /
/// FACTOR`.
pub fn fitted(program: &Program, config: &Config, stop: &AtomicBool) -> Option<u64> {
    let mut m = Machine::new(program, Config { max_steps: PROBE_STEPS, ..config.clone() });
    let r = m.run(&mut CpythonLike, &mut ProbeHost(stop));
    match r.outcome {
        Outcome::Finished { .. } | Outcome::Deadlock { .. } => {
            let budget = r.steps.saturating_mul(FACTOR);
            (budget > config.max_steps).then_some(budget)
        }
        Outcome::Budget { .. } | Outcome::Stopped { .. } => None,
    }
}
