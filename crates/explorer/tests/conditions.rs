//! Conditions: "can this expression be true at the end?", answered over
//! every schedule, with a schedule that replays to a state where it holds.

mod common;

use common::*;
use interleave_engine::{compile, CaptureHost, Condition, Machine, Replay, Schedule};
use interleave_explorer::{compile_condition, config, Mode, Options, Report};

fn with(condition: &str) -> Options {
    Options { condition: Some(condition.into()), max_executions: None, ..Options::default() }
}

/// Replays `schedule` and evaluates `condition` on the state it ends in.
fn holds_after(src: &str, opts: &Options, schedule: &str, condition: &str) -> Result<bool, String> {
    let program = compile(src, "main.py").expect("compiles");
    let mut m = Machine::new(&program, config(opts));
    let s = Schedule::parse(schedule).expect("reported schedules parse");
    let mut sched = Replay::new(&s);
    m.run(&mut sched, &mut CaptureHost::new());
    assert!(!sched.diverged, "schedule {schedule} diverged on replay");
    m.eval_condition(&Condition::compile(condition).expect("compiles"))
}

/// The answer's counts add up, and every outcome's schedule replays to a
/// state where the condition has the reported value.
fn check_answer(src: &str, opts: &Options, r: &Report) {
    let c = r.condition.as_ref().expect("a condition answer");
    assert_eq!(c.held + c.failed + c.raised + c.not_evaluated, r.executions, "{c:?}");
    assert_eq!(c.complete, r.complete);
    let expr = opts.condition.as_deref().expect("a condition");
    for o in &r.outcomes {
        let want = o.condition.as_deref().expect("finished outcomes have a condition value");
        let got = match holds_after(src, opts, &o.schedule, expr) {
            Ok(true) => "true".to_string(),
            Ok(false) => "false".to_string(),
            Err(e) => e,
        };
        assert_eq!(got, want, "condition after schedule {}", o.schedule);
    }
    check_replays(src, opts, r);
}

#[test]
fn lost_updates_make_counter_below_four_possible() {
    let o = with("counter < 4");
    let r = run(COUNTER_2X2, &o);
    assert!(r.complete, "{:?}", r.stopped_by);
    check_answer(COUNTER_2X2, &o, &r);
    let c = r.condition.clone().expect("answer");
    assert_eq!(c.verdict(), "yes");
    assert_eq!(c.expression, "counter < 4");
    assert!(c.held > 0 && c.failed > 0 && c.raised == 0, "{c:?}");
    let first = c.first_held.clone().expect("a schedule where it holds");
    assert_eq!(holds_after(COUNTER_2X2, &o, &first, "counter < 4"), Ok(true));
    // Every outcome that printed less than 4 is one where it held.
    for out in &r.outcomes {
        let printed: i64 = out.stdout.trim().parse().expect("prints a number");
        assert_eq!(out.condition.as_deref(), Some(if printed < 4 { "true" } else { "false" }), "{out:?}");
    }
    let text = r.to_text_for("counter.py");
    assert!(text.contains(&format!("can counter < 4 hold at the end? yes: {} of {} schedules; replay: interleave run counter.py --schedule {first}", c.held, r.executions)), "{text}");

    let r = run(COUNTER_2X2, &with("counter == 4"));
    assert_eq!(r.condition.as_ref().map(|c| c.verdict()), Some("yes"));

    let o = with("counter > 4");
    let r = run(COUNTER_2X2, &o);
    let c = r.condition.clone().expect("answer");
    assert!(r.complete && c.complete);
    assert_eq!((c.verdict(), c.held, c.failed), ("no", 0, r.executions));
    assert_eq!(c.first_held, None);
    assert!(r.to_text().contains("can counter > 4 hold at the end? no: not true at the end of any of the"), "{}", r.to_text());
    check_answer(COUNTER_2X2, &o, &r);
}

#[test]
fn a_lock_makes_counter_below_four_impossible() {
    let o = with("counter < 4");
    let r = run(COUNTER_2X2_LOCK, &o);
    assert!(r.complete);
    let c = r.condition.clone().expect("answer");
    assert_eq!(c.verdict(), "no", "{c:?}");
    assert_eq!((c.held, c.failed), (0, r.executions));
    check_answer(COUNTER_2X2_LOCK, &o, &r);
}

#[test]
fn the_condition_splits_outcomes_that_print_the_same() {
    // Nothing printed: without a condition, every schedule looks the same.
    let src = COUNTER_2X2.replace("print(counter)\n", "");
    let plain = run(&src, &Options { max_executions: None, ..Options::default() });
    assert_eq!(plain.outcomes.len(), 1);
    assert!(plain.condition.is_none() && plain.outcomes[0].condition.is_none());
    let o = with("counter < 4");
    let r = run(&src, &o);
    assert_eq!(r.executions, plain.executions, "the condition changes no schedule");
    let values: Vec<Option<&str>> = r.outcomes.iter().map(|o| o.condition.as_deref()).collect();
    assert_eq!(values, vec![Some("false"), Some("true")], "the natural schedule (no lost update) comes first");
    assert!(r.outcomes.iter().all(|o| o.stdout.is_empty()));
    check_answer(&src, &o, &r);
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("valid JSON");
    assert_eq!(json["outcomes"][1]["condition"], "true");
    assert_eq!(json["condition"]["expression"], "counter < 4");
    assert_eq!(json["condition"]["held"], r.condition.as_ref().map(|c| c.held).unwrap_or(0));
    assert_eq!(json["condition"]["complete"], true);
    assert!(json["condition"]["first_held"].is_string());
}

#[test]
fn exceptions_are_values_of_the_condition() {
    let o = with("len(results) != 3");
    let r = run(COUNTER_2X2, &o);
    let c = r.condition.clone().expect("answer");
    assert_eq!((c.raised, c.held, c.failed), (r.executions, 0, 0), "{c:?}");
    assert_eq!(c.first_error.as_ref().map(|(e, _)| e.as_str()), Some("NameError: name 'results' is not defined"));
    assert_eq!(c.verdict(), "no");
    assert!(r.outcomes.iter().all(|o| o.condition.as_deref() == Some("NameError: name 'results' is not defined")));
    assert!(r.to_text().contains("it raised NameError: name 'results' is not defined in"), "{}", r.to_text());
    check_answer(COUNTER_2X2, &o, &r);
}

#[test]
fn a_bad_expression_is_an_error_before_exploring() {
    assert_eq!(compile_condition("counter <").err().as_deref(), Some("SyntaxError: invalid syntax (line 1, column 10)"));
    assert!(compile_condition("counter = 4").is_err());
    assert!(compile_condition("").is_err());
    assert!(compile_condition(" counter < 4 ").is_ok());
    let r = run(COUNTER_2X2, &with("counter <"));
    assert_eq!(r.executions, 0);
    assert!(r.outcomes.is_empty());
    assert!(!r.complete);
    assert_eq!(r.stopped_by, vec!["bad_condition".to_string()]);
    let c = r.condition.clone().expect("answer");
    assert_eq!(c.verdict(), "error");
    assert_eq!(c.error.as_deref(), Some("SyntaxError: invalid syntax (line 1, column 10)"));
    assert!(r.to_text().contains("not an expression: SyntaxError"), "{}", r.to_text());
}

#[test]
fn deadlocked_states_are_asked_too() {
    let o = with("lock_a.locked() and lock_b.locked()");
    let r = run(TWO_LOCKS, &o);
    assert!(r.complete);
    assert!(!r.deadlocks.is_empty());
    for out in &r.outcomes {
        // Both locks are held exactly when the threads are stuck on them.
        let want = if out.kind == "deadlock" { "true" } else { "false" };
        assert_eq!(out.condition.as_deref(), Some(want), "{out:?}");
    }
    let c = r.condition.clone().expect("answer");
    assert_eq!(c.held, r.deadlocks.iter().map(|d| d.count).sum::<u64>());
    check_answer(TWO_LOCKS, &o, &r);
}

#[test]
fn executions_cut_by_the_step_budget_are_not_asked() {
    let src = "import threading\ndef spin():\n    while True:\n        pass\nt = threading.Thread(target=spin)\nt.start()\nx = 1\n";
    let r = run(src, &Options { max_steps: 2_000, ..with("x == 1") });
    let c = r.condition.clone().expect("answer");
    assert!(r.executions > 0);
    assert_eq!((c.not_evaluated, c.held), (r.executions, 0));
    assert_eq!(c.verdict(), "not found", "an incomplete search proves nothing");
    assert!(r.outcomes.iter().all(|o| o.condition.is_none()));
    assert!(r.to_text().contains("not found") && r.to_text().contains("not a proof"), "{}", r.to_text());
}

#[test]
fn an_incomplete_no_is_not_a_proof() {
    let r = run(COUNTER_2X2, &Options { mode: Mode::Random { runs: 20, seed: 7 }, ..with("counter > 4") });
    let c = r.condition.clone().expect("answer");
    assert!(!c.complete);
    assert_eq!(c.verdict(), "not found");
    let r = run(COUNTER_2X2, &Options { preemption_bound: Some(0), ..with("counter < 4") });
    assert_eq!(r.condition.as_ref().map(|c| c.verdict()), Some("not found"), "no preemption, no lost update");
}

fn pool(n: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(n).build().expect("a rayon pool")
}

#[test]
fn parallel_answers_equal_sequential_ones() {
    for (src, base) in [
        (COUNTER_2X2, with("counter < 4")),
        (COUNTER_3X1, with("counter == 3 or undefined_name")),
        (TWO_LOCKS, with("lock_a.locked()")),
        (TWO_LOCKS, Options { preemption_bound: Some(1), ..with("lock_b.locked()") }),
        (COUNTER_2X2, Options { mode: Mode::Random { runs: 50, seed: 3 }, ..with("counter < 3") }),
    ] {
        let seq = run(src, &Options { parallel: false, ..base.clone() });
        let par = pool(2).install(|| run(src, &Options { parallel: true, split_depth: 3, ..base.clone() }));
        assert_eq!(seq.outcomes, par.outcomes, "same outcomes, conditions, counts and schedules");
        assert_eq!(seq.condition, par.condition, "the same answer and first schedule");
        assert!(seq.condition.is_some());
    }
}

#[test]
fn brute_force_gives_the_same_answer_as_the_reduced_search() {
    let brute = run(TINY_RACE, &Options { reduce: false, ..with("x < 2") });
    let reduced = run(TINY_RACE, &with("x < 2"));
    let values = |r: &Report| r.outcomes.iter().map(|o| (o.stdout.clone(), o.condition.clone())).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(values(&brute), values(&reduced));
    assert_eq!(brute.condition.as_ref().map(|c| c.verdict()), Some("yes"));
    assert_eq!(reduced.condition.as_ref().map(|c| c.verdict()), Some("yes"));
}
