//! Schedulers: who runs next.
//!
//! The only nondeterminism in a run is which runnable thread executes the
//! next step (plus the run's random seed). A [`Scheduler`] decides it: at
//! each decision point the machine describes the situation in a
//! [`SchedCtx`] and the scheduler answers with a thread and how many steps
//! it may run at most before the next decision (a quantum; the thread may
//! stop earlier by blocking, yielding or finishing). Deciding per quantum
//! instead of per step is only an optimisation: `max_steps: 1` gives
//! per-step control.
//!
//! Every run records the schedule it followed as a compact string (see
//! [`Schedule`]); [`Replay`] follows such a string and reproduces the run
//! exactly.

use std::collections::VecDeque;

use crate::kernel::Tid;
use crate::modules::random::Rng;

/// What happened at the end of the previous quantum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LastEvent {
    /// Nothing ran yet.
    Start,
    /// The quantum ran out; the thread could go on.
    Preempted,
    Blocked,
    /// The thread gave up the CPU (`start()`, `sleep(0)`).
    Yielded,
    Finished,
}

pub struct SchedCtx<'a> {
    /// Runnable threads, in the order they became ready (FIFO).
    pub runnable: &'a [Tid],
    /// The thread that ran last.
    pub current: Option<Tid>,
    pub last: LastEvent,
    /// Steps the current thread has run since it was last switched in.
    pub steps_since_switch: u64,
    /// Virtual time (ns).
    pub now: u64,
    /// A thread that asked for the CPU (a just-started thread).
    pub hint: Option<Tid>,
    /// `sys.getswitchinterval()` in steps.
    pub switch_interval_steps: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub tid: Tid,
    pub max_steps: u64,
    /// When the quantum runs out, keep going to the next point where
    /// CPython 3.11 checks for a thread switch (a backward jump, a call, a
    /// return or a yield), so that e.g. `counter += 1` is not split, as in
    /// CPython. Schedulers exploring races leave this off.
    pub safe_points: bool,
}

pub trait Scheduler: Send {
    fn next(&mut self, ctx: &SchedCtx) -> Decision;
    /// Called after each quantum with the steps actually run.
    fn ran(&mut self, _tid: Tid, _steps: u64) {}
    fn name(&self) -> String;
}

/// CPython-like: a new thread gets the CPU at `start()`, a thread keeps it
/// until it blocks, sleeps, ends or has used its switch interval (5 ms of
/// virtual time) while another is ready; ready threads are served FIFO.
#[derive(Clone, Debug, Default)]
pub struct CpythonLike;

impl Scheduler for CpythonLike {
    fn next(&mut self, ctx: &SchedCtx) -> Decision {
        let interval = ctx.switch_interval_steps.max(1);
        if let Some(h) = ctx.hint {
            if ctx.runnable.contains(&h) {
                return Decision { tid: h, max_steps: interval, safe_points: true };
            }
        }
        if let Some(cur) = ctx.current {
            if ctx.runnable.contains(&cur) && ctx.last == LastEvent::Preempted {
                let others = ctx.runnable.iter().any(|t| *t != cur);
                if !others {
                    return Decision { tid: cur, max_steps: interval, safe_points: true };
                }
                if ctx.steps_since_switch < interval {
                    return Decision { tid: cur, max_steps: interval - ctx.steps_since_switch, safe_points: true };
                }
                // Interval used up: the first other ready thread.
                let next = ctx.runnable.iter().copied().find(|t| *t != cur).unwrap_or(cur);
                return Decision { tid: next, max_steps: interval, safe_points: true };
            }
            if ctx.last == LastEvent::Yielded {
                let next = ctx.runnable.iter().copied().find(|t| *t != cur).unwrap_or(cur);
                return Decision { tid: next, max_steps: interval, safe_points: true };
            }
        }
        Decision { tid: ctx.runnable[0], max_steps: interval, safe_points: true }
    }
    fn name(&self) -> String {
        "cpython".into()
    }
}

/// Switches at any step with probability `1/mean_run`; picks uniformly
/// among runnable threads. Seeded: the same seed gives the same run.
#[derive(Clone, Debug)]
pub struct Random {
    pub seed: u64,
    rng: Rng,
    pub mean_run: u64,
}

impl Random {
    pub fn new(seed: u64) -> Random {
        Random { seed, rng: Rng::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xA5A5), mean_run: 8 }
    }
}

impl Scheduler for Random {
    fn next(&mut self, ctx: &SchedCtx) -> Decision {
        let i = self.rng.below(ctx.runnable.len() as u64) as usize;
        // Geometric run length with the given mean.
        let p = 1.0 / self.mean_run.max(1) as f64;
        let u = self.rng.next_f64().max(1e-12);
        let len = ((u.ln() / (1.0 - p).ln()).floor() as u64).saturating_add(1);
        Decision { tid: ctx.runnable[i], max_steps: len.min(10_000), safe_points: false }
    }
    fn name(&self) -> String {
        format!("random(seed={})", self.seed)
    }
}

/// Each runnable thread in turn (by tid) for `quantum` steps.
#[derive(Clone, Debug)]
pub struct RoundRobin {
    pub quantum: u64,
}

impl Scheduler for RoundRobin {
    fn next(&mut self, ctx: &SchedCtx) -> Decision {
        let mut sorted: Vec<Tid> = ctx.runnable.to_vec();
        sorted.sort_unstable();
        let tid = match ctx.current {
            Some(cur) => sorted.iter().copied().find(|t| *t > cur).unwrap_or(sorted[0]),
            None => sorted[0],
        };
        Decision { tid, max_steps: self.quantum.max(1), safe_points: false }
    }
    fn name(&self) -> String {
        format!("round-robin(quantum={})", self.quantum)
    }
}

/// A recorded schedule: run-length segments of (thread, steps).
///
/// The text form is the segments joined by `.`, each `TIDxSTEPS`, e.g.
/// `0x12.1x3.0x5`: thread 0 ran 12 steps, then thread 1 ran 3, then thread
/// 0 ran 5. Thread ids are the kernel's (the main thread is 0, then 1, 2,
/// ... in start order).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    pub segments: Vec<(Tid, u64)>,
}

impl Schedule {
    pub fn push(&mut self, tid: Tid, steps: u64) {
        if steps == 0 {
            return;
        }
        match self.segments.last_mut() {
            Some((t, n)) if *t == tid => *n += steps,
            _ => self.segments.push((tid, steps)),
        }
    }

    pub fn total_steps(&self) -> u64 {
        self.segments.iter().map(|(_, n)| n).sum()
    }

    pub fn parse(s: &str) -> Result<Schedule, String> {
        let mut out = Schedule::default();
        let s = s.trim();
        if s.is_empty() {
            return Ok(out);
        }
        for part in s.split('.') {
            let (t, n) = part.split_once('x').ok_or_else(|| format!("bad schedule segment '{part}' (expected TIDxSTEPS)"))?;
            let t: Tid = t.trim().parse().map_err(|_| format!("bad thread id in '{part}'"))?;
            let n: u64 = n.trim().parse().map_err(|_| format!("bad step count in '{part}'"))?;
            out.push(t, n);
        }
        Ok(out)
    }
}

impl std::fmt::Display for Schedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (t, n)) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "{t}x{n}")?;
        }
        Ok(())
    }
}

/// Follows a recorded schedule step for step. If the schedule runs out (or
/// names a thread that cannot run), it falls back to the first runnable
/// thread so a run always ends.
#[derive(Clone, Debug)]
pub struct Replay {
    segments: VecDeque<(Tid, u64)>,
    pub diverged: bool,
}

impl Replay {
    pub fn new(s: &Schedule) -> Replay {
        Replay { segments: s.segments.iter().copied().collect(), diverged: false }
    }
}

impl Scheduler for Replay {
    fn next(&mut self, ctx: &SchedCtx) -> Decision {
        while let Some((t, n)) = self.segments.front().copied() {
            if n == 0 {
                self.segments.pop_front();
                continue;
            }
            if ctx.runnable.contains(&t) {
                return Decision { tid: t, max_steps: n, safe_points: false };
            }
            self.diverged = true;
            self.segments.pop_front();
        }
        Decision { tid: ctx.runnable[0], max_steps: 1 << 20, safe_points: false }
    }
    fn ran(&mut self, tid: Tid, steps: u64) {
        if let Some((t, n)) = self.segments.front_mut() {
            if *t == tid {
                *n = n.saturating_sub(steps);
                if *n == 0 {
                    self.segments.pop_front();
                }
            }
        }
    }
    fn name(&self) -> String {
        "replay".into()
    }
}

/// "You are the scheduler": the caller queues the thread to run at each
/// decision (one step each); with nothing queued, the first runnable runs.
/// The page usually drives [`crate::Machine::step`] directly instead.
#[derive(Clone, Debug, Default)]
pub struct Manual {
    pub choices: VecDeque<Tid>,
}

impl Scheduler for Manual {
    fn next(&mut self, ctx: &SchedCtx) -> Decision {
        while let Some(t) = self.choices.pop_front() {
            if ctx.runnable.contains(&t) {
                return Decision { tid: t, max_steps: 1, safe_points: false };
            }
        }
        Decision { tid: ctx.runnable[0], max_steps: 1, safe_points: false }
    }
    fn name(&self) -> String {
        "manual".into()
    }
}
