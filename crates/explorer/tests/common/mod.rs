//! Helpers shared by the explorer's tests: litmus programs and checks.
#![allow(dead_code)]

use std::collections::BTreeSet;

use interleave_engine::{compile, CaptureHost, Machine, Outcome, Replay, Schedule};
use interleave_explorer::{config, explore, Options, Report};

mod litmus;
#[allow(unused_imports)]
pub use litmus::*;

pub fn run(src: &str, opts: &Options) -> Report {
    let program = compile(src, "main.py").expect("litmus programs compile");
    explore(&program, opts, None)
}

/// The trimmed stdouts of the finished outcomes.
pub fn finished_stdouts(r: &Report) -> BTreeSet<String> {
    r.outcomes.iter().filter(|o| o.kind == "finished").map(|o| o.stdout.trim().to_string()).collect()
}

pub fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Every outcome, as (kind, exit status, stdout, error), for comparisons.
pub fn outcome_keys(r: &Report) -> BTreeSet<(String, i32, String, Option<String>)> {
    r.outcomes.iter().map(|o| (o.kind.clone(), o.exit_status, o.stdout.clone(), o.error.clone())).collect()
}

/// The exhaustive search without an executions budget (the state graph).
pub fn exhaustive() -> Options {
    Options { max_executions: None, ..Options::default() }
}

/// `src` searched to the end by each exhaustive search (the state graph,
/// DPOR, the sleep-set search), every reported schedule replayed to its
/// outcome: for the programs whose answer every search must give.
pub fn every_search(src: &str) -> Vec<Report> {
    [Options::default(), dpor(), Options { state_graph: false, ..Options::default() }]
        .into_iter()
        .map(|o| {
            let r = run(src, &o);
            assert!(r.complete, "{}: {:?}", r.reduction, r.stopped_by);
            check_replays(src, &o, &r);
            r
        })
        .collect()
}

/// The DPOR tree search, without an executions budget.
pub fn dpor() -> Options {
    Options { state_graph: false, ..exhaustive() }
}

/// The deadlocks' wait-for cycles, for comparisons.
pub fn cycles(r: &Report) -> BTreeSet<String> {
    r.deadlocks.iter().map(|d| d.cycle.clone()).collect()
}

/// The errors' messages, for comparisons.
pub fn errors(r: &Report) -> BTreeSet<String> {
    r.errors.iter().map(|e| e.message.clone()).collect()
}

/// Replays `schedule` through the engine's `Replay` scheduler.
pub fn replay(src: &str, opts: &Options, schedule: &str) -> interleave_engine::RunResult {
    let program = compile(src, "main.py").expect("compiles");
    let mut m = Machine::new(&program, config(opts));
    let s = Schedule::parse(schedule).expect("reported schedules parse");
    let mut sched = Replay::new(&s);
    let r = m.run(&mut sched, &mut CaptureHost::new());
    assert!(!sched.diverged, "schedule {schedule} diverged on replay");
    r
}

fn kind(o: &Outcome) -> &'static str {
    match o {
        Outcome::Finished { .. } => "finished",
        Outcome::Deadlock { .. } => "deadlock",
        Outcome::Budget { .. } => "budget",
        Outcome::Stopped { .. } => "stopped",
    }
}

/// Every reported schedule replays to its reported outcome.
pub fn check_replays(src: &str, opts: &Options, r: &Report) {
    for o in &r.outcomes {
        let got = replay(src, opts, &o.schedule);
        assert_eq!(got.stdout, o.stdout, "stdout of schedule {}", o.schedule);
        assert_eq!(got.exit_status(), o.exit_status, "exit status of schedule {}", o.schedule);
        assert_eq!(kind(&got.outcome), o.kind, "kind of schedule {}", o.schedule);
        assert_eq!(got.schedule, o.schedule, "the replay follows the schedule exactly");
    }
    for d in &r.deadlocks {
        let got = replay(src, opts, &d.schedule);
        match &got.outcome {
            Outcome::Deadlock { report } => assert_eq!(report.lines().next(), Some(d.cycle.as_str())),
            other => panic!("deadlock schedule {} replayed to {other:?}", d.schedule),
        }
    }
    for e in &r.errors {
        let got = replay(src, opts, &e.schedule);
        assert_eq!(got.stderr.lines().rev().find(|l| !l.trim().is_empty()), Some(e.message.as_str()));
        assert_eq!(got.exit_status(), e.exit_status);
    }
}

pub fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(n).build().expect("a rayon pool")
}

/// The search with `base` on 2 workers reports exactly what it does
/// sequentially: outcomes, counts, schedules, states and the condition.
pub fn same_in_parallel(src: &str, base: Options) {
    let seq = run(src, &Options { parallel: false, ..base.clone() });
    let par = pool(2).install(|| run(src, &Options { parallel: true, ..base.clone() }));
    assert_eq!(seq.complete, par.complete);
    assert_eq!(seq.executions, par.executions);
    assert_eq!(seq.states, par.states);
    assert_eq!(seq.distinct_states, par.distinct_states);
    assert_eq!(seq.outcomes, par.outcomes, "same outcomes, counts and schedules");
    assert_eq!(seq.deadlocks, par.deadlocks);
    assert_eq!(seq.errors, par.errors);
    assert_eq!(seq.condition, par.condition);
}
