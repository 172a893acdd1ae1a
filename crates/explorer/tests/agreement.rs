//! The reduced search agrees with brute force, and the parallel search
//! with the sequential one.

mod common;

use common::*;
use interleave_explorer::Options;

fn brute() -> Options {
    Options { reduce: false, max_executions: None, ..Options::default() }
}

fn reduced() -> Options {
    exhaustive()
}

fn agree(src: &str) {
    let b = run(src, &brute());
    let r = run(src, &reduced());
    assert!(b.complete && r.complete);
    assert_eq!(outcome_keys(&b), outcome_keys(&r), "brute force vs reduced");
    assert_eq!(b.deadlocks.iter().map(|d| d.cycle.clone()).collect::<Vec<_>>().len(), r.deadlocks.len());
    assert!(r.executions <= b.executions, "reduction should not add executions");
    check_replays(src, &brute(), &b);
    check_replays(src, &reduced(), &r);
}

#[test]
fn reduced_equals_brute_force_on_a_tiny_race() {
    agree(TINY_RACE);
}

#[test]
fn reduced_equals_brute_force_on_instance_attributes() {
    agree(TINY_INSTANCE);
    assert_eq!(finished_stdouts(&run(TINY_INSTANCE, &reduced())), set(&["0", "1"]));
}

#[test]
fn reduced_equals_brute_force_on_sleepers() {
    agree(TINY_SLEEPERS);
    // Either sleeper can call sleep first, and so wake first.
    assert_eq!(finished_stdouts(&run(TINY_SLEEPERS, &reduced())), set(&["0", "1"]));
}

#[test]
fn reduced_equals_brute_force_on_a_tiny_visibility_race() {
    agree(TINY_VISIBILITY);
}

#[test]
fn reduced_equals_brute_force_on_tiny_prints() {
    agree(TINY_PRINTS);
    let outs: std::collections::BTreeSet<String> = run(TINY_PRINTS, &reduced()).outcomes.iter().map(|o| o.stdout.clone()).collect();
    // main may read x before or after the write, and print before or after a.
    assert_eq!(outs.len(), 4, "{outs:?}");
}

#[test]
#[ignore = "brute force over every step: slow in debug builds"]
fn reduced_equals_brute_force_on_a_tiny_lock() {
    agree(TINY_LOCKED);
    assert_eq!(finished_stdouts(&run(TINY_LOCKED, &reduced())), set(&["1"]));
}

#[test]
fn parallel_search_reports_what_the_sequential_one_does() {
    same_in_parallel(COUNTER_2X2, reduced());
    same_in_parallel(COUNTER_2X2, Options { condition: Some("counter < 4".into()), ..reduced() });
    same_in_parallel(ASSERT_RACE, reduced());
    same_in_parallel(TWO_LOCKS, Options { preemption_bound: Some(2), ..reduced() });
    same_in_parallel(TINY_RACE, brute());
}

#[test]
fn parallel_random_sampling_is_the_same_sample() {
    let o = Options { mode: interleave_explorer::Mode::Random { runs: 30, seed: 3 }, ..reduced() };
    same_in_parallel(COUNTER_2X2, o);
    let o = Options { mode: interleave_explorer::Mode::Pct { runs: 30, depth: 2, seed: 3 }, ..reduced() };
    same_in_parallel(TWO_LOCKS, o);
}

#[test]
fn budget_is_respected_in_parallel() {
    let o = Options { max_executions: Some(10), parallel: true, ..dpor() };
    let r = pool(2).install(|| run(COUNTER_2X2, &o));
    assert!(!r.complete);
    assert_eq!(r.executions, 10);
    assert!(r.stopped_by.contains(&"max_executions".to_string()));
    check_replays(COUNTER_2X2, &o, &r);
}

/// DPOR finds every outcome, deadlock and error that the sleep-set search
/// (which branches at every visible op) finds, and runs exactly as many
/// executions: with sleep sets, each search runs one execution of every
/// class of schedules that differ only in the order of independent ops (a
/// Mazurkiewicz trace), DPOR only skips the branches that lead to none
/// new. A DPOR that lost a class would run fewer (and might still find
/// every outcome of these small programs).
fn dpor_agrees(src: &str) {
    let sleep_sets = run(src, &Options { dpor: false, ..dpor() });
    let dpor = run(src, &dpor());
    assert!(sleep_sets.complete && dpor.complete);
    assert_eq!(dpor.reduction, "dpor");
    assert_eq!(sleep_sets.reduction, "sleep_sets");
    assert_eq!(outcome_keys(&sleep_sets), outcome_keys(&dpor), "sleep sets vs DPOR");
    assert_eq!(cycles(&sleep_sets), cycles(&dpor));
    assert_eq!(errors(&sleep_sets), errors(&dpor));
    assert_eq!(dpor.executions, sleep_sets.executions, "DPOR ran {} executions, sleep sets {}", dpor.executions, sleep_sets.executions);
    check_replays(src, &self::dpor(), &dpor);
}

#[test]
fn dpor_finds_what_the_sleep_set_search_finds() {
    for src in [TINY_RACE, TINY_VISIBILITY, TINY_INSTANCE, ACCOUNT_2X1, TINY_SLEEPERS, TINY_LOCKED, COUNTER_2X2, COUNTER_2X2_LOCK, COUNTER_3X1, TWO_LOCKS, &TWO_LOCKS_RLOCK, SEMAPHORE, NO_SEMAPHORE, EVENT, ASSERT_RACE, SLEEPY] {
        dpor_agrees(src);
    }
}

/// Two rounds of a lost update: the main thread joins the first round's
/// threads, prints, and starts the second round alone. It runs through
/// the ops between without scheduling points (no other thread exists), and
/// DPOR must still reverse the second round's races: its branching states
/// come after that run, and are rebuilt by replaying it.
const TWO_ROUNDS: &str = "\
import threading
x = 0
def inc(n):
    global x
    for _ in range(n):
        tmp = x
        x = tmp + 1
def round(n):
    ts = [threading.Thread(target=inc, args=(n,)) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
round(2)
first = x
round(1)
print(first, x)
";

#[test]
fn dpor_reverses_the_races_of_a_round_started_by_a_lone_main_thread() {
    dpor_agrees(TWO_ROUNDS);
    let r = run(TWO_ROUNDS, &dpor());
    let mut printed: Vec<&str> = r.outcomes.iter().map(|o| o.stdout.as_str()).collect();
    printed.sort();
    assert_eq!(printed, ["2 3\n", "2 4\n", "3 4\n", "3 5\n", "4 5\n", "4 6\n"]);
    // The second round's threads know that the first round's ops came
    // before theirs (they were started after its joins): no branch tries
    // to reverse a race between the rounds, which would only end in a
    // sleep set.
    assert!(r.sleep_pruned * 10 < r.executions, "{} paths cut by sleep sets for {} executions", r.sleep_pruned, r.executions);
}

/// A Lock taken by one thread and released by another (which a Lock, not
/// an RLock, allows), with a third thread that takes it too.
const LOCK_HANDED_OVER: &str = "\
import threading
m = threading.Lock()
taken = threading.Event()
def taker():
    m.acquire()
    print('taken')
    taken.set()
def releaser():
    taken.wait()
    m.release()
def other():
    with m:
        print('other')
t1 = threading.Thread(target=taker)
t2 = threading.Thread(target=releaser)
t3 = threading.Thread(target=other)
t1.start()
t2.start()
t3.start()
t1.join()
t2.join()
t3.join()
";

/// An RLock taken twice over by two threads and once by a third: an
/// owner's second acquire never waits, the others' do.
const NESTED_RLOCK: &str = "\
import threading
r = threading.RLock()
def twice(name):
    with r:
        with r:
            print(name)
def once():
    with r:
        print('c')
t1 = threading.Thread(target=twice, args=('a',))
t2 = threading.Thread(target=twice, args=('b',))
t3 = threading.Thread(target=once)
t1.start()
t2.start()
t3.start()
t1.join()
t2.join()
t3.join()
";

#[test]
fn dpor_reverses_lock_races_only_where_they_can_be_reversed() {
    // A blocking acquire cannot be moved before the release that freed the
    // lock; DPOR reverses the race with the acquire that took it instead.
    // These check that the rule loses no trace when a lock is released by
    // another thread than its taker, and when an RLock is taken again by
    // its owner.
    for src in [LOCK_HANDED_OVER, NESTED_RLOCK] {
        dpor_agrees(src);
    }
}

#[test]
fn dpor_rarely_runs_a_path_the_sleep_sets_cut() {
    // A race that cannot be reversed (a join before the end it waits for,
    // an acquire before the release that freed the lock) would add a
    // branch whose path only ends in a sleep set. Without those rules,
    // DPOR ran 169 such paths for 15 executions of four philosophers.
    let src = philosophers(4);
    let r = run(&src, &dpor());
    assert_eq!(r.executions, 15);
    assert!(r.sleep_pruned < r.executions, "{} paths cut by sleep sets for {} executions", r.sleep_pruned, r.executions);
    let c = run(COUNTER_2X2, &dpor());
    assert!(c.sleep_pruned * 10 < c.executions, "{} paths cut for {} executions", c.sleep_pruned, c.executions);
}

fn philosophers(n: usize) -> String {
    let mut src = format!("import threading\nforks = [threading.Lock() for _ in range({n})]\n");
    src.push_str("def dine(a, b):\n    with forks[a]:\n        with forks[b]:\n            pass\n");
    src.push_str(&format!("ps = [threading.Thread(target=dine, args=(i, (i + 1) % {n})) for i in range({n})]\n"));
    src.push_str("for p in ps:\n    p.start()\nfor p in ps:\n    p.join()\nprint('all ate')\n");
    src
}

#[test]
fn dpor_finds_every_trace_of_the_dining_philosophers() {
    // Four naive philosophers: the races that DPOR reverses here need a
    // thread other than the racing one to begin the reversal (a
    // philosopher must first get past the fork it waits on), which an
    // earlier DPOR chose wrongly: it ran 14 of the 15 traces, and 28 of
    // the 31 with five philosophers.
    let src = philosophers(4);
    dpor_agrees(&src);
    assert_eq!(run(&src, &dpor()).deadlocks.len(), 1);
}

#[test]
fn dpor_in_parallel_reports_what_it_does_sequentially() {
    same_in_parallel(COUNTER_3X1, dpor());
    same_in_parallel(TWO_LOCKS, dpor());
}

#[test]
fn distinct_states_are_counted_and_fewer_than_the_points() {
    let r = run(COUNTER_2X2, &reduced());
    let d = r.distinct_states.expect("counted by default");
    // Schedules that differ only in the order of commuting ops meet again
    // in one state, so some points are the same state; every execution's
    // end state is among the distinct ones, and there are at least as many
    // end states as outcomes.
    assert!(d < r.states, "{d} distinct of {} points", r.states);
    assert!(d as usize > r.outcomes.len());
    assert!(r.states_hashed);
    // A complete brute force passes through every reachable state, the
    // reduced search through some of them.
    let b = run(TINY_RACE, &brute());
    let rt = run(TINY_RACE, &reduced());
    assert!(b.complete && rt.complete);
    assert!(
        b.distinct_states >= rt.distinct_states,
        "brute {:?} vs reduced {:?}",
        b.distinct_states,
        rt.distinct_states
    );
    assert!(
        b.distinct_states.unwrap() < b.states + b.executions,
        "brute force meets states again"
    );
    // The tree searches count states only when asked.
    let on = run(COUNTER_2X2, &dpor());
    let off = run(COUNTER_2X2, &Options { count_states: false, ..dpor() });
    assert_eq!(off.distinct_states, None);
    assert!(!off.states_hashed);
    assert_eq!(off.outcomes, on.outcomes, "counting states changes nothing else");
}
