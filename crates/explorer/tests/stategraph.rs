//! The state-graph search (the default exhaustive search): it finds what
//! the tree searches find, its counts are exact numbers of schedules, and
//! its parallel search reports exactly what the sequential one does.

mod common;

use common::*;
use interleave_explorer::Options;

fn graph() -> Options {
    exhaustive()
}

/// The litmus programs DPOR exhausts quickly (the condition and queue
/// programs are checked against their known answers in litmus.rs).
const LITMUS: [&str; 16] = [
    TINY_RACE,
    TINY_VISIBILITY,
    TINY_INSTANCE,
    TINY_PRINTS,
    ACCOUNT_2X1,
    TINY_SLEEPERS,
    TINY_LOCKED,
    COUNTER_2X2,
    COUNTER_2X2_LOCK,
    COUNTER_3X1,
    TWO_LOCKS,
    SEMAPHORE,
    NO_SEMAPHORE,
    EVENT,
    ASSERT_RACE,
    SLEEPY,
];

#[test]
fn the_graph_finds_what_dpor_finds() {
    for src in LITMUS.iter().copied().chain([TWO_LOCKS_RLOCK.as_str()]) {
        let g = run(src, &graph());
        let d = run(src, &dpor());
        assert!(g.complete && d.complete, "both complete on {src}");
        assert_eq!(g.reduction, "state_graph");
        assert!(g.schedules_counted && !d.schedules_counted);
        assert_eq!(outcome_keys(&g), outcome_keys(&d), "outcomes of {src}");
        assert_eq!(cycles(&g), cycles(&d), "deadlocks of {src}");
        assert_eq!(errors(&g), errors(&d), "errors of {src}");
        // (The counts are not comparable: the graph also runs reads of
        // what no other thread can change any more without a scheduling
        // point, DPOR does not; see `frozen`.)
        assert_eq!(g.outcomes.iter().map(|o| o.count).sum::<u64>(), g.executions);
        check_replays(src, &graph(), &g);
    }
}

// Brute force against the graph: agreement.rs (`agree`, whose reduced
// search is the default, the state graph).

#[test]
fn counts_are_exact_numbers_of_schedules() {
    // Without reuse the search walks every schedule of the tree one by
    // one; with it, it adds up the summaries of states met again. The
    // counts must be the same, outcome by outcome.
    // (Only tiny programs: the locked counter has about 10^16 schedules.)
    for src in [TINY_RACE, TINY_LOCKED, TINY_PRINTS, TINY_SLEEPERS, SLEEPY] {
        let g = run(src, &graph());
        let tree = run(src, &Options { memoize: false, ..graph() });
        assert!(g.complete && tree.complete);
        assert_eq!(g.outcomes, tree.outcomes, "counts and schedules of {src}");
        assert_eq!(g.deadlocks, tree.deadlocks);
        assert_eq!(g.executions, tree.executions);
        assert!(g.executions > 1);
    }
}

/// The graph search does not run most steps that lead to a state it has
/// met: it follows the same steps in another order, through states it
/// has finished (`stategraph::commuted`). Debug builds, which the tests
/// are, also run each such step and check that it reaches the state the
/// other order did. These programs have steps that commute and steps that
/// only seem to: a sleep, whose deadline moves with the steps before it,
/// a thread's end that leaves one other thread alone (it then runs on
/// without scheduling points), and the main thread's last store of a
/// global (other threads' steps then run on through reads of it).
/// A generator two threads can reach (through `box`) until one empties
/// the list: from then on it is the other's own, whose steps through it
/// need no scheduling points. So the `clear()`, which commutes as an op
/// with the other thread's `x = x + v`, changes how far that thread's
/// step runs: the two orders do not reach one state.
const GENERATOR_LEFT_TO_ONE_THREAD: &str = "import threading
box = []
x = 0
def gen():
    for i in range(2):
        yield i
def t0():
    global x
    g = gen()
    box.append(g)
    for v in g:
        x = x + v
def t1():
    box.clear()
ts = [threading.Thread(target=t0), threading.Thread(target=t1)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(x, len(box))
";

/// The state graph under a timer tick of 1 ns (see
/// `Options::timer_tick_ns`): every op then moves the deadline of a sleep
/// or a timeout that follows it, which the commuting must not paper over.
fn fine_ticks() -> Options {
    Options { timer_tick_ns: 1, ..graph() }
}

#[test]
fn steps_found_by_commuting_reach_the_states_the_steps_do() {
    for opts in [graph(), fine_ticks()] {
        for src in [SLEEP_BESIDE_A_WRITE, STEP_BESIDE_THE_LAST_STORE, SLEEPY, TINY_SLEEPERS, TINY_PRINTS, TINY_RACE, COUNTER_2X2, TWO_LOCKS, GENERATOR_LEFT_TO_ONE_THREAD] {
            let g = run(src, &opts);
            // Without reuse no step is skipped.
            let tree = run(src, &Options { memoize: false, ..opts.clone() });
            assert!(g.complete && tree.complete);
            assert_eq!(g.outcomes, tree.outcomes, "counts and schedules of {src}");
            assert_eq!(g.deadlocks, tree.deadlocks, "deadlocks of {src}");
        }
    }
    // A run cut by the step budget ends inside whichever step crosses it:
    // the order of the steps before decides where.
    let counter = "import threading\ncounter = 0\ndef inc():\n    global counter\n    for _ in range(50):\n        counter += 1\nts = [threading.Thread(target=inc) for _ in range(3)]\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(counter)\n";
    let r = run(counter, &Options { max_steps: 300, fit_steps: false, max_states: Some(3000), ..graph() });
    assert!(r.outcomes.iter().any(|o| o.kind == "budget"), "{:?}", r.outcomes.iter().map(|o| &o.kind).collect::<Vec<_>>());
    // Too many schedules to walk one by one: the check of each step is
    // the test. (Their waits end amid the other threads' steps at the
    // nanosecond, not on the default tick.)
    for src in [WAKING_AMID_COMMUTING_STEPS, TIMEOUT_AMID_COMMUTING_STEPS] {
        let r = run(src, &fine_ticks());
        assert!(r.complete && r.outcomes.len() > 1, "{src}");
    }
    // Every schedule prints the same: its states differ only in when the
    // sleeper wakes.
    let r = run(SLEEP_BESIDE_A_WRITE, &graph());
    assert_eq!(finished_stdouts(&r), set(&["1 1"]));
}

#[test]
fn known_answers_with_their_shares() {
    let r = run(COUNTER_2X2, &graph());
    assert_eq!(finished_stdouts(&r), set(&["2", "3", "4"]));
    // Each thread's scheduling points are its start, its two reads and
    // two writes of the counter, and its end (its loop's `range`
    // iterator is its own): one lost update is the commonest ending, none
    // and two about equally common.
    let count = |out: &str| r.outcomes.iter().find(|o| o.stdout.trim() == out).map_or(0, |o| o.count);
    assert!(count("3") > count("4") && count("3") > count("2") && count("2") > 0, "{:?}", r.outcomes);
    let locked = run(COUNTER_2X2_LOCK, &graph());
    assert_eq!(finished_stdouts(&locked), set(&["4"]));
    let two = run(TWO_LOCKS, &graph());
    assert_eq!(two.deadlocks.len(), 1);
    let share = two.deadlocks[0].count as f64 / two.executions as f64;
    assert!(share > 0.0 && share < 1.0, "some schedules deadlock, not all: {share}");
    assert!(run(TWO_LOCKS_RLOCK.as_str(), &graph()).deadlocks.is_empty());
}

#[test]
fn each_state_is_expanded_once() {
    // A tree search meets the same states over and over; the graph
    // stores each once.
    let program = interleave_engine::compile(COUNTER_2X2, "main.py").expect("compiles");
    let steps = |o: &Options| {
        let progress = interleave_explorer::Progress::default();
        let r = interleave_explorer::explore_with_progress(&program, o, None, &progress);
        (r, progress.states())
    };
    let (g, g_steps) = steps(&graph());
    let (tree, tree_steps) = steps(&Options { memoize: false, ..graph() });
    let d = g.distinct_states.expect("always counted");
    assert_eq!(g_steps, g.states, "each transition taken once");
    assert!(g_steps * 2 < tree_steps, "{g_steps} transitions, {tree_steps} in the tree");
    assert_eq!(tree.distinct_states, Some(d), "the same states either way");
    assert!(d <= g.states + 1, "every state but the start is reached by a transition");
}

#[test]
fn the_parallel_graph_search_reports_what_the_sequential_one_does() {
    for (src, condition) in [(COUNTER_3X1, None), (TWO_LOCKS, None), (COUNTER_2X2, Some("counter < 4")), (ASSERT_RACE, None)] {
        let base = Options { condition: condition.map(String::from), ..graph() };
        assert!(run(src, &base).complete);
        same_in_parallel(src, base);
    }
    // Big enough for the two workers to meet in the same states often:
    // one expands, the other defers and then reuses or shares it.
    let mut philosophers = String::from("import threading\nforks = [threading.Lock() for _ in range(3)]\n");
    philosophers.push_str("def dine(a, b):\n    with forks[a]:\n        with forks[b]:\n            pass\n");
    philosophers.push_str("ps = [threading.Thread(target=dine, args=(i, (i + 1) % 3)) for i in range(3)]\n");
    philosophers.push_str("for p in ps:\n    p.start()\nfor p in ps:\n    p.join()\nprint('all ate')\n");
    let r = run(&philosophers, &graph());
    assert!(r.complete && r.deadlocks.len() == 1 && r.distinct_states.unwrap() > 200, "{:?}", r.distinct_states);
    for _ in 0..3 {
        same_in_parallel(&philosophers, graph());
    }
}

#[test]
fn a_state_budget_stops_the_search_with_replayable_schedules() {
    let o = Options { max_states: Some(40), ..graph() };
    let r = run(COUNTER_3X1, &o);
    assert!(!r.complete);
    assert_eq!(r.stopped_by, vec!["max_states".to_string()]);
    assert!(r.distinct_states.unwrap() <= 41, "{:?}", r.distinct_states);
    assert!(!r.outcomes.is_empty());
    check_replays(COUNTER_3X1, &o, &r);
    let par = pool(2).install(|| run(COUNTER_3X1, &Options { parallel: true, ..o.clone() }));
    assert!(!par.complete && par.stopped_by.contains(&"max_states".to_string()));
    check_replays(COUNTER_3X1, &o, &par);
}

/// Brute force (every step a scheduling point, every preemption counted)
/// with a preemption bound.
fn brute(k: u32) -> Options {
    Options { reduce: false, max_executions: None, preemption_bound: Some(k), ..Options::default() }
}

#[test]
fn a_preemption_bound_is_part_of_the_graph_s_states() {
    // The bounded graph keys each state with the preemptions used to
    // reach it and the thread that may go on for free: it reaches exactly
    // the outcomes brute force reaches within the bound, and counts its
    // schedules as exactly as the walk of the whole tree does.
    for src in [TINY_RACE, TINY_PRINTS, TINY_VISIBILITY, COUNTER_2X2, TWO_LOCKS, ASSERT_RACE] {
        let mut last_count = 0;
        for k in 0..=2 {
            let o = Options { preemption_bound: Some(k), ..graph() };
            let g = run(src, &o);
            assert_eq!(g.reduction, "state_graph");
            assert!(g.schedules_counted);
            let b = run(src, &brute(k));
            assert_eq!(outcome_keys(&g), outcome_keys(&b), "outcomes of {src} within {k} preemptions");
            assert_eq!(cycles(&g), cycles(&b), "deadlocks of {src} within {k} preemptions");
            assert_eq!(g.complete, b.complete, "{src} at {k}: {:?} vs {:?}", g.stopped_by, b.stopped_by);
            // The sleep-set tree search with the same bound finds nothing more.
            let tree = run(src, &Options { state_graph: false, ..o.clone() });
            assert!(outcome_keys(&g).is_superset(&outcome_keys(&tree)), "{src} at {k}: {:?} vs {:?}", outcome_keys(&g), outcome_keys(&tree));
            if src.len() < 400 {
                let walked = run(src, &Options { memoize: false, ..o.clone() });
                assert_eq!(g.outcomes, walked.outcomes, "counts and schedules of {src} at {k}");
            }
            assert!(g.executions >= last_count, "a larger bound allows more schedules");
            last_count = g.executions;
            check_replays(src, &o, &g);
        }
    }
}

#[test]
fn a_bound_no_schedule_reaches_counts_what_no_bound_counts() {
    // 2 threads x 2 increments: no schedule needs more than a few
    // preemptions, so a bound of 10 cuts nothing.
    let free = run(COUNTER_2X2, &graph());
    let wide = run(COUNTER_2X2, &Options { preemption_bound: Some(10), ..graph() });
    assert!(wide.complete, "{:?}", wide.stopped_by);
    assert_eq!(wide.outcomes, free.outcomes);
    assert_eq!(wide.distinct_states, free.distinct_states, "the same machine states, reached with different preemptions left");
    let tight = run(COUNTER_2X2, &Options { preemption_bound: Some(1), ..graph() });
    assert_eq!(tight.stopped_by, vec!["preemption_bound".to_string()]);
    assert!(tight.executions < free.executions);
}

#[test]
fn the_bounded_graph_search_is_the_same_in_parallel() {
    for k in [0, 1, 2] {
        same_in_parallel(TWO_LOCKS, Options { preemption_bound: Some(k), ..graph() });
        same_in_parallel(COUNTER_3X1, Options { preemption_bound: Some(k), ..graph() });
    }
}

#[test]
fn conditions_and_queues_are_exhausted() {
    // Too big for DPOR in a test, but a few thousand states: the complete
    // search finds everything the bounded tree search finds, and the
    // known answers.
    for src in [CONDITION, CONDITION_LOST_WAKEUP, BOUNDED_QUEUE] {
        let g = run(src, &graph());
        let b = run(src, &Options { preemption_bound: Some(2), ..graph() });
        assert!(g.complete, "{:?}", g.stopped_by);
        assert!(outcome_keys(&g).is_superset(&outcome_keys(&b)), "{src}");
        assert!(cycles(&g).is_superset(&cycles(&b)));
        check_replays(src, &graph(), &g);
    }
    assert_eq!(finished_stdouts(&run(CONDITION, &graph())), set(&["got 1"]));
    assert_eq!(run(CONDITION_LOST_WAKEUP, &graph()).deadlocks.len(), 1);
    assert!(run(BOUNDED_QUEUE, &graph()).deadlocks.is_empty());
}

/// The engine's corpus of programs (the lessons' among them), each
/// searched up to a few thousand states: debug builds check every
/// step the graph search finds by commuting against the step run (see
/// `steps_found_by_commuting_reach_the_states_the_steps_do`), here on
/// programs with conditions, queues, barriers, pools and timers.
#[test]
fn the_corpus_s_steps_found_by_commuting_reach_the_states_the_steps_do() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/corpus");
    let mut searched = 0;
    let mut dirs: Vec<_> = std::fs::read_dir(root).expect("corpus").map(|e| e.expect("entry").path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&dir).expect("corpus dir").map(|e| e.expect("entry").path()).collect();
        files.sort();
        for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "py")) {
            let src = std::fs::read_to_string(&path).expect("reads");
            let Ok(program) = interleave_engine::compile(&src, "main.py") else { continue };
            // With the input the corpus gives it, as the page's Input box does.
            let stdin = std::fs::read_to_string(path.with_extension("stdin")).map(|s| s.lines().map(String::from).collect()).unwrap_or_default();
            let r = interleave_explorer::explore(&program, &Options { max_states: Some(1500), stdin, ..graph() }, None);
            assert!(r.executions > 0, "{}", path.display());
            searched += 1;
        }
    }
    assert!(searched > 100, "{searched} programs");
}

#[test]
fn a_schedule_past_the_depth_budget_is_cut_there() {
    // Two threads doing two increments: about a dozen scheduling points
    // per schedule. Cut at 6: every schedule ends in the depth budget.
    let r = run(COUNTER_2X2, &Options { max_depth: Some(6), ..graph() });
    assert!(!r.outcomes.is_empty());
    for o in &r.outcomes {
        assert_eq!(o.kind, "budget");
        assert_eq!(o.detail.as_deref(), Some("Interleave stopped this schedule: it was 6 scheduling points deep (the explorer's depth budget)"));
    }
    assert!(r.stopped_by.contains(&"max_depth".to_string()), "{:?}", r.stopped_by);
    // Not the step budget's doing: not reported as it, nor fitted.
    assert!(!r.stopped_by.contains(&"max_steps".to_string()), "{:?}", r.stopped_by);
    assert_eq!(r.max_steps, Options::default().max_steps);
    // Deep enough, nothing is cut.
    let r = run(COUNTER_2X2, &Options { max_depth: Some(50), ..graph() });
    assert!(r.complete, "{:?}", r.stopped_by);
    assert_eq!(finished_stdouts(&r), set(&["2", "3", "4"]));
    // In parallel too. (A state's depth depends on the path that reached
    // it first, so a cut search's counts depend on the order of the
    // search, as a states budget's do: only the cut is the same.)
    let par = pool(2).install(|| run(COUNTER_2X2, &Options { max_depth: Some(6), parallel: true, ..graph() }));
    assert!(par.stopped_by.contains(&"max_depth".to_string()), "{:?}", par.stopped_by);
    assert!(par.outcomes.iter().all(|o| o.kind == "budget"));
}

/// Two deadlocks that print the same are one outcome, but each wait-for
/// cycle is a deadlock of its own in the report, as in the tree searches.
/// (The graph once kept only the first cycle met per outcome; the
/// differential test found it.)
#[test]
fn each_wait_for_cycle_is_reported_even_when_the_output_is_the_same() {
    const TWO_CYCLES: &str = "import threading
a = threading.Lock()
b = threading.Lock()
def worker():
    with b:
        with a:
            pass
ts = [threading.Thread(target=worker), threading.Thread(target=worker)]
for t in ts:
    t.start()
with a:
    with b:
        pass
for t in ts:
    t.join()
";
    let g = run(TWO_CYCLES, &graph());
    let d = run(TWO_CYCLES, &dpor());
    assert!(g.complete && d.complete);
    assert_eq!(cycles(&g), cycles(&d));
    assert_eq!(g.deadlocks.len(), 2, "{:?}", cycles(&g));
    let deadlocked = g.outcomes.iter().filter(|o| o.kind == "deadlock").map(|o| o.count).sum::<u64>();
    assert_eq!(g.deadlocks.iter().map(|d| d.count).sum::<u64>(), deadlocked, "the cycles' counts add up to the deadlocked schedules");
    check_replays(TWO_CYCLES, &graph(), &g);
    same_in_parallel(TWO_CYCLES, graph());
}

/// Threads that each do a few steps and then sleep, as the lessons' timed
/// programs do. On the engine's timer tick their deadlines do not depend
/// on the order of the steps before the sleeps, so those orders reach one
/// state; at a 1 ns tick every order is a state of its own, and its
/// future is searched again. Both find the same outcomes.
#[test]
fn sleepers_a_few_steps_apart_share_their_states() {
    let src = "\
import threading
import time
done = []
def worker(n):
    mine = n * 2
    done.append(mine)
    time.sleep(0.01 * (3 - n))
    print('worker', n, len(done))
ts = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
for t in ts:
    t.start()
for t in ts:
    t.join()
";
    let coarse = run(src, &graph());
    let fine = run(src, &fine_ticks());
    assert!(coarse.complete && fine.complete);
    assert_eq!(outcome_keys(&coarse), outcome_keys(&fine));
    let (c, f) = (coarse.distinct_states.expect("counted"), fine.distinct_states.expect("counted"));
    assert!(c * 5 < f, "{c} states on the tick, {f} at 1 ns");
}

/// A thread pool from the lessons: two workers, three tasks that sleep,
/// futures waited on with `result()` and a done callback. Its steps go
/// through the Python-written `concurrent.futures`: keyword calls,
/// `fn(*args, **kwargs)`, new instances, `with` on a future's condition,
/// `x in [...]`. Each of those was once a step that conflicts with
/// everything, and the search stopped at 200,000 states; now each touches
/// only what it touches, and the whole search takes about 13,000.
#[test]
fn a_thread_pool_lesson_is_explored_whole() {
    let src = include_str!("../../engine/tests/corpus/pools/submit_and_result.py");
    let r = run(src, &Options { max_states: Some(30_000), ..graph() });
    assert!(r.complete, "{:?} at {:?} states", r.stopped_by, r.distinct_states);
    // Either worker can take the first task (and run its callback).
    assert_eq!(r.outcomes.len(), 2, "{:?}", r.outcomes.iter().map(|o| &o.stdout).collect::<Vec<_>>());
}

/// Greenlets hand each other a baton in one op (`threading._baton_pass`),
/// so a switch is no scheduling point: the gevent queue program, boss and
/// workers, explores whole in about 17,000 states, where a release and
/// then an acquire let both greenlets run between them and the search
/// passed 200,000. Every schedule prints what gevent prints.
#[test]
fn a_gevent_program_is_explored_whole() {
    let src = include_str!("../../engine/tests/corpus/coroutines/gevent_queue_workers.py");
    let r = run(src, &Options { max_states: Some(40_000), ..graph() });
    assert!(r.complete, "{:?} at {:?} states", r.stopped_by, r.distinct_states);
    let expected = include_str!("../../engine/tests/corpus/coroutines/gevent_queue_workers.out");
    assert_eq!(r.outcomes.iter().map(|o| o.stdout.as_str()).collect::<Vec<_>>(), vec![expected]);
}

/// What the lessons' "press Explore" lines promise for barriers and
/// queues, at the page's default preemption bound of 2: the barrier
/// lesson's program has one outcome, and every schedule deadlocks when
/// its barrier waits for a fourth friend; the queue lesson's join waits
/// forever in every schedule once `task_done()` is gone.
#[test]
fn the_barrier_and_queue_lessons_explore_as_they_say() {
    let page = Options { preemption_bound: Some(2), ..graph() };
    let only_bound = |r: &interleave_explorer::Report| r.stopped_by.iter().all(|s| s == "preemption_bound");
    let meetup = include_str!("../../engine/tests/corpus/coordination/barrier_meetup.py");
    let r = run(meetup, &page);
    assert!(only_bound(&r) && r.outcomes.len() == 1 && r.outcomes[0].kind == "finished", "{:?}", r.outcomes);
    let four = meetup.replace("threading.Barrier(3,", "threading.Barrier(4,");
    assert_ne!(four, meetup);
    let r = run(&four, &page);
    assert!(only_bound(&r) && !r.outcomes.is_empty() && r.outcomes.iter().all(|o| o.kind == "deadlock"), "{:?}", r.outcomes);
    let jobs = include_str!("../../engine/tests/corpus/queues/task_done_join.py");
    let forgetful = jobs.replace("        q.task_done()\n", "");
    assert_ne!(forgetful, jobs);
    let r = run(&forgetful, &page);
    assert!(only_bound(&r) && !r.outcomes.is_empty() && r.outcomes.iter().all(|o| o.kind == "deadlock"), "{:?}", r.outcomes);
}

/// The claims of the lesson "map, as_completed and errors in tasks" about
/// `pool_counter_race.py`: within one preemption the four tasks' counter
/// ends at 4 or 2, never 3; searched whole (as the page does after the
/// default bound cut its search) it ends at 4, 3 or 2. (The whole search
/// takes about 60,000 states: release builds only.)
#[test]
fn the_pool_race_lesson_explores_as_it_says() {
    let src = include_str!("../../engine/tests/corpus/pools/pool_counter_race.py");
    let last = |r: &interleave_explorer::Report| -> std::collections::BTreeSet<String> {
        r.outcomes.iter().map(|o| o.stdout.trim().lines().last().unwrap_or("").to_string()).collect()
    };
    let one = run(src, &Options { preemption_bound: Some(1), ..graph() });
    assert!(one.stopped_by.iter().all(|s| s == "preemption_bound"), "{:?}", one.stopped_by);
    assert_eq!(last(&one), set(&["counter = 2 (expected 4)", "counter = 4 (expected 4)"]));
    if cfg!(debug_assertions) {
        return;
    }
    let whole = run(src, &Options { max_states: Some(200_000), ..graph() });
    assert!(whole.complete, "{:?}", whole.stopped_by);
    assert_eq!(last(&whole), set(&["counter = 2 (expected 4)", "counter = 3 (expected 4)", "counter = 4 (expected 4)"]));
}

/// The claims of the lock lesson's "press Explore" line about
/// `with_lock.py` with two increments per thread: searched whole (as the
/// page does once its default bound cut the search) every schedule prints
/// `counter = 8`; without `with lock:` the totals are every number from 2
/// to 8. (The second search takes about 50,000 states: release builds
/// only.)
#[test]
fn the_lock_lesson_explores_as_it_says() {
    let src = include_str!("../../engine/tests/corpus/mutex/with_lock.py").replace("args=(1000,))", "args=(2,))");
    assert!(src.contains("args=(2,))"));
    let totals = |r: &interleave_explorer::Report| -> std::collections::BTreeSet<String> {
        r.outcomes.iter().map(|o| o.stdout.lines().next().unwrap_or("").to_string()).collect()
    };
    let page = Options { max_states: Some(200_000), ..graph() };
    let bounded = run(&src, &Options { preemption_bound: Some(2), ..page.clone() });
    assert_eq!(bounded.stopped_by, ["preemption_bound"]);
    let locked = run(&src, &page);
    assert!(locked.complete, "{:?}", locked.stopped_by);
    assert_eq!(totals(&locked), set(&["counter = 8"]));
    if cfg!(debug_assertions) {
        return;
    }
    let racy = src.replace("        with lock:\n            counter += 1\n", "        counter += 1\n");
    assert_ne!(racy, src);
    let racy = run(&racy, &page);
    assert!(racy.complete, "{:?}", racy.stopped_by);
    assert_eq!(totals(&racy), (2..=8).map(|n| format!("counter = {n}")).collect());
}

/// `lessons/mutex/01-lost-updates.md` says that Explore on
/// `ticket_race_file.py` finds both buyers getting the one ticket under
/// every schedule (about 3,800 states).
#[test]
fn the_file_ticket_lesson_explores_as_it_says() {
    let src = include_str!("../../engine/tests/corpus/mutex/ticket_race_file.py");
    let r = run(src, &Options { max_states: Some(200_000), ..graph() });
    assert!(r.complete && r.errors.is_empty(), "{:?} {:?}", r.stopped_by, r.errors);
    let last_lines: std::collections::BTreeSet<String> = r.outcomes.iter().map(|o| o.stdout.lines().last().unwrap_or("").to_string()).collect();
    assert_eq!(last_lines, set(&["1 ticket existed, 2 were sold, 0 left"]));
}

/// Counts past 2^64 - 1 stay there: four threads that each store their
/// own global `k` times have (4k)! / (k!)^4 orders of those stores alone,
/// about 10^17 for k = 8, and over 2^64 with every step of the threads
/// counted; the report gives 2^64 - 1 and says it is saturated (the text:
/// "over 1.8e19"). For two threads the count is exact: the tree search
/// without the graph counts the same.
#[test]
fn counts_past_two_to_the_64_saturate_and_say_so() {
    let src = |names: &[&str], k: u32| {
        let mut s = format!("import threading\n{} = 0\n", names.join(" = "));
        for g in names {
            s.push_str(&format!("def w{g}():\n    global {g}\n    for _ in range({k}):\n        {g} = 1\n"));
        }
        let fs: Vec<String> = names.iter().map(|g| format!("w{g}")).collect();
        s.push_str(&format!("ts = [threading.Thread(target=f) for f in ({},)]\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint({})\n", fs.join(", "), names.join(" + ")));
        s
    };
    let small = run(&src(&["a", "b"], 2), &graph());
    let tree = run(&src(&["a", "b"], 2), &Options { memoize: false, ..graph() });
    assert!(small.complete && tree.complete && !small.counts_saturated);
    assert_eq!(small.executions, tree.executions);
    assert!(small.executions > 10, "{}", small.executions);
    let big = run(&src(&["a", "b", "c", "d"], 8), &graph());
    assert!(big.complete && big.counts_saturated);
    assert_eq!(big.executions, u64::MAX);
    assert_eq!(big.outcomes.len(), 1);
    assert_eq!(big.outcomes[0].count, u64::MAX);
    assert!(big.to_text().contains("over 1.8e19"), "{}", big.to_text());
}
