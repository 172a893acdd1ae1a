//! Litmus programs: the explorer finds exactly their outcome sets, and
//! every reported schedule replays to its outcome.

mod common;

use std::collections::BTreeSet;

use common::*;
use interleave_explorer::{Mode, Options};

fn opts() -> Options {
    Options::default()
}

fn checked(src: &str) -> interleave_explorer::Report {
    let o = opts();
    let r = run(src, &o);
    assert!(r.complete, "search should be complete: {:?}", r.stopped_by);
    check_replays(src, &o, &r);
    r
}

/// For the litmus programs whose exhaustive search takes too long for a
/// debug-build test run: two preemptions suffice for every outcome of these
/// programs (the exhaustive versions are the `#[ignore]`d `*_exhaustive`
/// tests). Only the bound may cut the search, and the report must say so
/// if it did (with few enough scheduling points, no schedule needs more
/// than two preemptions and the bounded search is complete).
fn bounded(src: &str) -> interleave_explorer::Report {
    let o = Options { preemption_bound: Some(2), ..opts() };
    let r = run(src, &o);
    assert!(r.stopped_by.iter().all(|s| s == "preemption_bound"), "only the bound may cut the search: {:?}", r.stopped_by);
    assert_eq!(r.complete, r.stopped_by.is_empty());
    check_replays(src, &o, &r);
    r
}

/// Whether every schedule of a complete search ends in a deadlock.
fn always_deadlocks(r: &interleave_explorer::Report) -> bool {
    !r.outcomes.is_empty() && r.outcomes.iter().all(|o| o.kind == "deadlock")
}

#[test]
fn unsynchronized_counter_two_threads_twice() {
    let r = checked(COUNTER_2X2);
    assert_eq!(finished_stdouts(&r), set(&["2", "3", "4"]));
    assert!(r.deadlocks.is_empty() && r.errors.is_empty());
    assert_eq!(r.outcomes.iter().map(|o| o.count).sum::<u64>(), r.executions);
}

/// One read of `y` (into `z`) races with two writes of it: `y = 1`, and
/// `y = y + 1` after a read. Every search finds each order of the three,
/// `z` read before both writes among them. (The first op of each of the
/// other two threads only makes the path longer: with them, DPOR once
/// reversed only the latest of the read's two races and never read 0
/// into `z` while `y` ended 2.)
const READ_BETWEEN_TWO_WRITES: &str = "import threading
x = 0
y = 0
z = 0
L2 = []
def t0():
    global y
    y = 1
def t1():
    global y
    L2.append(1)
    y = y + 1
def t2():
    global x, z
    x = 1
    z = y
ts = [threading.Thread(target=t0), threading.Thread(target=t1), threading.Thread(target=t2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(y, z)
";

#[test]
fn a_read_racing_with_two_writes_sees_every_order() {
    for r in every_search(READ_BETWEEN_TWO_WRITES) {
        assert_eq!(finished_stdouts(&r), set(&["1 0", "1 1", "2 0", "2 1", "2 2"]), "{}", r.reduction);
    }
}

/// A condition over a lock that a thread also uses directly: the
/// condition's `with` takes that lock, so it races with `m.locked()` in
/// the other thread, and with a waiter woken by a `notify()` on the
/// condition that must take the lock back.
const CONDITION_OVER_A_SHARED_LOCK: &str = "\
import threading
m = threading.Lock()
cm = threading.Condition(m)
seen = []
def a():
    with cm:
        pass
def b():
    seen.append(m.locked())
ta = threading.Thread(target=a)
tb = threading.Thread(target=b)
ta.start()
tb.start()
ta.join()
tb.join()
print(seen)
";

/// Two waiters and a notifier on one condition: `notify()` wakes only the
/// first waiter, so one waiter ends in a deadlock unless the notifier ran
/// after both waited, in which case `notify_all()` would have been needed
/// too. Every order of the waits and the notify is an outcome.
const CONDITION_NOTIFY_ONE: &str = "\
import threading
cv = threading.Condition()
ready = []
def waiter(name):
    with cv:
        if not ready:
            cv.wait()
        print(name, 'woke')
def notifier():
    with cv:
        ready.append(1)
        cv.notify()
ts = [threading.Thread(target=waiter, args=(n,)) for n in 'ab'] + [threading.Thread(target=notifier)]
for t in ts:
    t.start()
for t in ts:
    t.join()
";

#[test]
fn a_condition_s_methods_race_on_its_lock() {
    for r in every_search(CONDITION_OVER_A_SHARED_LOCK) {
        assert_eq!(finished_stdouts(&r), set(&["[False]", "[True]"]), "{}", r.reduction);
    }
    for r in every_search(CONDITION_NOTIFY_ONE) {
        // Both wake when the notifier comes after one wait at most; one is
        // stranded (a deadlock at the joins) when both waited first.
        assert_eq!(finished_stdouts(&r), set(&["a woke\nb woke", "b woke\na woke"]), "{}", r.reduction);
        assert_eq!(r.deadlocks.len(), 2, "either waiter can be the one left waiting: {}", r.reduction);
    }
}

/// Two workers take one task each from a queue and log it; the main
/// thread's `join()` on the queue returns only after both `task_done()`s,
/// so the log it prints always has both entries, in either order and with
/// either worker taking either task. The second program forgets one
/// `task_done()`: the join waits forever in every schedule. The third
/// races a `join()` with a `put()` (see [`QUEUE_JOIN_RACES_PUT`]).
const QUEUE_JOIN: &str = "\
import queue
import threading
q = queue.Queue()
log = []
def worker(name, done):
    item = q.get()
    log.append(name + str(item))
    if done:
        q.task_done()
ts = [threading.Thread(target=worker, args=(n, True)) for n in 'ab']
for t in ts:
    t.start()
q.put(1)
q.put(2)
q.join()
print(log)
";

/// A `join()` on a queue races with a `put()`: before it, the join returns
/// at once, and the consumer may not have taken anything yet (0); after
/// it, the join waits for the consumer's `task_done()` (1).
const QUEUE_JOIN_RACES_PUT: &str = "\
import queue
import threading
q = queue.Queue()
taken = []
def producer():
    q.put(1)
def consumer():
    taken.append(q.get())
    q.task_done()
def joiner():
    q.join()
    print(len(taken))
ts = [threading.Thread(target=f) for f in (producer, joiner, consumer)]
for t in ts:
    t.start()
for t in ts:
    t.join()
";

#[test]
fn a_queue_s_join_waits_for_every_task_done() {
    let forgetful = QUEUE_JOIN.replace("args=(n, True)) for n in 'ab'", "args=(n, n == 'a')) for n in 'ab'");
    for r in every_search(QUEUE_JOIN) {
        assert_eq!(finished_stdouts(&r), set(&["['a1', 'b2']", "['b2', 'a1']", "['a2', 'b1']", "['b1', 'a2']"]), "{}", r.reduction);
        assert!(r.deadlocks.is_empty(), "{}", r.reduction);
    }
    for r in every_search(&forgetful) {
        assert!(always_deadlocks(&r), "{}", r.reduction);
    }
    for r in every_search(QUEUE_JOIN_RACES_PUT) {
        assert_eq!(finished_stdouts(&r), set(&["0", "1"]), "{}", r.reduction);
    }
}

/// Two parties meet at a barrier: each logs its name, waits, and logs its
/// name with the index `wait()` returned (0 for the first to arrive).
/// Nobody logs after the barrier before both logged before it, and the
/// order of the names before it, the order of arrival and the order after
/// it are each free: 8 outcomes. With a third party, the barrier of two
/// leaves one of them waiting for a partner forever.
const BARRIER_OF_TWO: &str = "\
import threading
b = threading.Barrier(2)
log = []
def party(name):
    log.append(name)
    i = b.wait()
    log.append(name + str(i))
ts = [threading.Thread(target=party, args=(n,)) for n in 'ab']
for t in ts:
    t.start()
for t in ts:
    t.join()
print(' '.join(log))
";

#[test]
fn a_barrier_lets_no_party_past_before_all_arrive() {
    let mut expected = Vec::new();
    for before in ["a b", "b a"] {
        for (ia, ib) in [(0, 1), (1, 0)] {
            expected.push(format!("{before} a{ia} b{ib}"));
            expected.push(format!("{before} b{ib} a{ia}"));
        }
    }
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    let three = BARRIER_OF_TWO.replace("for n in 'ab'", "for n in 'abc'");
    for r in every_search(BARRIER_OF_TWO) {
        assert_eq!(finished_stdouts(&r), set(&expected), "{}", r.reduction);
        assert!(r.deadlocks.is_empty(), "{}", r.reduction);
    }
    for r in every_search(&three) {
        assert!(always_deadlocks(&r), "{}", r.reduction);
    }
}

/// Two threads each make a thread without starting it. A default name
/// counts the threads made before it, so which of the two gets
/// `Thread-3` depends on the order of the two constructions, and the log
/// shows that apart from the order of the appends: 4 outcomes. Named
/// threads take no number: whoever makes them, the names are the same.
const THREADS_MADE_IN_THREADS: &str = "\
import threading
def helper():
    pass
names = []
def make(tag):
    t = threading.Thread(target=helper)
    names.append(tag + ':' + t.name)
ts = [threading.Thread(target=make, args=(g,)) for g in 'ab']
for t in ts:
    t.start()
for t in ts:
    t.join()
print(names)
";

#[test]
fn a_thread_s_default_name_counts_the_threads_made_before_it() {
    let named = THREADS_MADE_IN_THREADS.replace("threading.Thread(target=helper)", "threading.Thread(target=helper, name='h-' + tag)");
    let expected = [
        "['a:Thread-3 (helper)', 'b:Thread-4 (helper)']",
        "['b:Thread-4 (helper)', 'a:Thread-3 (helper)']",
        "['a:Thread-4 (helper)', 'b:Thread-3 (helper)']",
        "['b:Thread-3 (helper)', 'a:Thread-4 (helper)']",
    ];
    for r in every_search(THREADS_MADE_IN_THREADS) {
        assert_eq!(finished_stdouts(&r), set(&expected), "{}", r.reduction);
    }
    for r in every_search(&named) {
        assert_eq!(finished_stdouts(&r), set(&["['a:h-a', 'b:h-b']", "['b:h-b', 'a:h-a']"]), "{}", r.reduction);
    }
}

/// A `Thread` subclass, as tutorials write them: its `run` keeps a count
/// in `self` and races on a global with its twin, and another thread
/// reads a flag the subclass's `run` sets. Every search finds each
/// total (the second increment lost or not), the counts always 1, and the
/// flag read before and after it is set.
const THREAD_SUBCLASS_STATE: &str = "\
import threading
total = 0
class Counter(threading.Thread):
    def __init__(self):
        super().__init__()
        self.count = 0
        self.flag = 0
    def run(self):
        global total
        for _ in range(1):
            self.count += 1
            total += 1
        self.flag = 1
ts = [Counter(), Counter()]
seen = []
def watch():
    seen.append(ts[0].flag)
w = threading.Thread(target=watch)
for t in ts:
    t.start()
w.start()
for t in ts:
    t.join()
w.join()
print(total, [t.count for t in ts], seen)
";

/// The write of a `Thread` subclass's attribute in its `run`, read by
/// another thread: the one race of the program.
const THREAD_SUBCLASS_FLAG: &str = "\
import threading
class Flagger(threading.Thread):
    def run(self):
        self.flag = 1
f = Flagger()
f.flag = 0
seen = []
def watch():
    seen.append(f.flag)
w = threading.Thread(target=watch)
f.start()
w.start()
f.join()
w.join()
print(seen)
";

#[test]
fn a_thread_subclass_s_own_state_and_its_races() {
    let mut expected = Vec::new();
    for total in 1..=2 {
        for flag in 0..=1 {
            expected.push(format!("{total} [1, 1] [{flag}]"));
        }
    }
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    for r in every_search(THREAD_SUBCLASS_STATE) {
        assert_eq!(finished_stdouts(&r), set(&expected), "{}", r.reduction);
    }
    for r in every_search(THREAD_SUBCLASS_FLAG) {
        assert_eq!(finished_stdouts(&r), set(&["[0]", "[1]"]), "{}", r.reduction);
    }
}

/// A `Thread` subclass reads its own `name` (`Thread`'s property) while
/// the main thread renames it: the read races with the rename, and every
/// search finds both names.
const THREAD_SUBCLASS_NAME: &str = "\
import threading
class Worker(threading.Thread):
    def run(self):
        n = self.name
        print(n)
w = Worker()
w.start()
w.name = 'renamed'
w.join()
";

#[test]
fn a_thread_subclass_reading_its_name_races_with_a_rename() {
    for r in every_search(THREAD_SUBCLASS_NAME) {
        assert_eq!(finished_stdouts(&r), set(&["Thread-1", "renamed"]), "{}", r.reduction);
    }
}

/// One thread asks how many threads are alive and whether another is,
/// while that other starts and ends: each answer races with the start and
/// the end, and every search finds all four pairs.
const LIVENESS: &str = "\
import threading
seen = []
def f():
    seen.append((threading.active_count(), u.is_alive()))
u = threading.Thread(target=lambda: None)
v = threading.Thread(target=f)
v.start()
u.start()
u.join()
v.join()
print(seen)
";

#[test]
fn is_alive_and_active_count_race_with_starts_and_ends() {
    for r in every_search(LIVENESS) {
        assert_eq!(finished_stdouts(&r), set(&["[(2, False)]", "[(2, True)]", "[(3, False)]", "[(3, True)]"]), "{}", r.reduction);
    }
}

/// Two threads step one shared `enumerate`: each item goes to one of
/// them, in every split. And a thread steps `enumerate(L)` while another
/// appends to `L`: the loop sees the new item or not, even after `len(L)`
/// said 2.
const SHARED_ENUMERATE: &str = "\
import threading
e = enumerate(range(3))
got = []
def take(sign):
    for i, v in e:
        got.append(sign * v)
ts = [threading.Thread(target=take, args=(s,)) for s in (1, -1)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(sorted(got))
";

const ENUMERATE_A_GROWING_LIST: &str = "\
import threading
L = [1, 2]
seen = []
def grow():
    L.append(3)
def read():
    seen.append(len(L))
    for i, v in enumerate(L):
        seen.append(i * 10 + v)
ts = [threading.Thread(target=f) for f in (grow, read)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(seen)
";

#[test]
fn an_enumerate_races_as_its_inner_iterator_does() {
    for r in every_search(SHARED_ENUMERATE) {
        assert_eq!(finished_stdouts(&r), set(&["[0, 1, 2]", "[-1, 0, 2]", "[-2, 0, 1]", "[-2, -1, 0]"]), "{}", r.reduction);
    }
    for r in every_search(ENUMERATE_A_GROWING_LIST) {
        assert_eq!(finished_stdouts(&r), set(&["[2, 1, 12]", "[2, 1, 12, 23]", "[3, 1, 12, 23]"]), "{}", r.reduction);
    }
}

/// A thread loops over a dict while another adds to it: the loop ends
/// before the add, or starts after it, or the add comes between two of
/// its steps and the next step raises RuntimeError ("dictionary changed
/// size during iteration", on stderr), as in CPython.
const DICT_CHANGED_DURING_A_LOOP: &str = "\
import threading
D = {'a': 1}
def add():
    D['b'] = 2
def walk():
    for k in D:
        pass
    print('walked')
ts = [threading.Thread(target=f) for f in (add, walk)]
for t in ts:
    t.start()
for t in ts:
    t.join()
";

const DICT_CHANGED_BEFORE_THE_FIRST_STEP: &str = "\
import threading
D = {'k': 0}
L = [0]
x = 0
def t0():
    D.setdefault('j', 0)
    L.pop(0)
def t1():
    global x
    L.append(1)
    for k in D:
        x = x + len(k)
ts = [threading.Thread(target=t0), threading.Thread(target=t1)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(x)
";

/// A loop over a set sees the added item or not, by when it starts; an
/// add between two of its steps makes the next one raise RuntimeError
/// ("Set changed size during iteration"), as in CPython.
const SET_CHANGED_DURING_A_LOOP: &str = "\
import threading
S = {1}
seen = []
def add():
    S.add(2)
def walk():
    n = len(S)
    for x in S:
        seen.append(x)
    print(n, sorted(seen))
ts = [threading.Thread(target=f) for f in (add, walk)]
for t in ts:
    t.start()
for t in ts:
    t.join()
";

#[test]
fn a_dict_or_a_set_changed_during_a_loop_over_it_raises_in_some_schedules() {
    for r in every_search(DICT_CHANGED_DURING_A_LOOP) {
        assert_eq!(finished_stdouts(&r), set(&["", "walked"]), "{}", r.reduction);
    }
    // The loop's iterator keeps the dict's size from when it was made, so
    // an add between the making and the first step makes that step raise,
    // with `x` still 0. (An explorer that took the making for an
    // allocation, as it once did, lost that outcome.)
    for r in every_search(DICT_CHANGED_BEFORE_THE_FIRST_STEP) {
        assert_eq!(finished_stdouts(&r), set(&["0", "1", "2"]), "{}", r.reduction);
        let raised: std::collections::BTreeSet<&str> = r.outcomes.iter().filter(|o| o.error.is_some()).map(|o| o.stdout.trim()).collect();
        assert_eq!(raised, ["0", "1"].into_iter().collect(), "{}", r.reduction);
    }
    for r in every_search(SET_CHANGED_DURING_A_LOOP) {
        assert_eq!(finished_stdouts(&r), set(&["", "1 [1]", "1 [1, 2]", "2 [1, 2]"]), "{}", r.reduction);
    }
}

/// Two threads each make a lock and take it twice: each is stuck on its
/// own lock. Which thread's lock is `Lock#1` depends on which made its
/// lock first, and the deadlock's report names it so: every search
/// reports both. (The state graph once merged the two, whose objects the
/// fingerprint's walk names alike, and reported one.)
const LOCKS_MADE_IN_THREADS: &str = "\
import threading
def stuck():
    l = threading.Lock()
    l.acquire()
    l.acquire()
ts = [threading.Thread(target=stuck) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
";

#[test]
fn a_new_lock_s_label_counts_the_locks_made_before_it() {
    for r in every_search(LOCKS_MADE_IN_THREADS) {
        assert!(always_deadlocks(&r), "{}", r.reduction);
        assert_eq!(
            cycles(&r),
            ["Deadlock: Thread-1 (stuck) holds lock Lock#1, waits for lock Lock#1", "Deadlock: Thread-1 (stuck) holds lock Lock#2, waits for lock Lock#2"].into_iter().map(String::from).collect(),
            "{}",
            r.reduction
        );
    }
}

#[test]
fn account_deposits_can_lose_one() {
    let r = checked(ACCOUNT_2X1);
    assert_eq!(finished_stdouts(&r), set(&["10", "20"]));
    assert!(r.deadlocks.is_empty() && r.errors.is_empty());
}

#[test]
fn locked_counter_is_always_four() {
    let r = bounded(COUNTER_2X2_LOCK);
    assert_eq!(finished_stdouts(&r), set(&["4"]));
    assert!(r.deadlocks.is_empty());
}

#[test]
fn three_threads_once_each() {
    let r = bounded(COUNTER_3X1);
    assert_eq!(finished_stdouts(&r), set(&["1", "2", "3"]));
}

#[test]
fn two_locks_in_opposite_order_can_deadlock() {
    let r = bounded(TWO_LOCKS);
    assert_eq!(finished_stdouts(&r), set(&["done"]));
    assert_eq!(r.deadlocks.len(), 1, "{:#?}", r.deadlocks);
    let d = &r.deadlocks[0];
    for name in ["Thread-1", "Thread-2", "lock_a", "lock_b"] {
        assert!(d.cycle.contains(name), "{name} missing from {}", d.cycle);
    }
    assert!(d.threads.iter().any(|t| t.starts_with("Thread-1")) && d.threads.iter().any(|t| t.starts_with("Thread-2")), "{:?}", d.threads);
    assert!(r.outcomes.iter().any(|o| o.kind == "deadlock" && o.exit_status == 3));
}

#[test]
fn one_rlock_under_two_names_never_deadlocks() {
    let r = checked(&TWO_LOCKS_RLOCK);
    assert_eq!(finished_stdouts(&r), set(&["done"]));
    assert!(r.deadlocks.is_empty());
    assert_eq!(r.outcomes.len(), 1);
}

#[test]
fn semaphore_orders_producer_before_consumer() {
    let r = checked(SEMAPHORE);
    assert_eq!(finished_stdouts(&r), set(&["42"]));
    let r = checked(NO_SEMAPHORE);
    assert_eq!(finished_stdouts(&r), set(&["0", "42"]));
}

#[test]
fn event_publishes_the_data() {
    let r = checked(EVENT);
    assert_eq!(finished_stdouts(&r), set(&["7"]));
}

#[test]
fn condition_with_predicate_loop() {
    let r = bounded(CONDITION);
    assert_eq!(finished_stdouts(&r), set(&["got 1"]));
    assert!(r.deadlocks.is_empty());
}

#[test]
fn condition_without_predicate_loses_the_wakeup() {
    let r = bounded(CONDITION_LOST_WAKEUP);
    assert_eq!(finished_stdouts(&r), set(&["woken"]));
    assert_eq!(r.deadlocks.len(), 1, "{:#?}", r.deadlocks);
    assert!(r.deadlocks[0].threads.iter().any(|t| t.starts_with("Thread-1")), "{:?}", r.deadlocks[0]);
}

#[test]
fn bounded_queue_keeps_order_and_interleaves_prints() {
    let r = bounded(BOUNDED_QUEUE);
    let outs = finished_stdouts(&r);
    // The consumer always gets 0, 1, 2 in order, and never more than one
    // item ahead of the producer's put (maxsize=1).
    for o in &outs {
        let got: Vec<&str> = o.lines().filter(|l| l.starts_with("got")).collect();
        assert_eq!(got, vec!["got 0", "got 1", "got 2"], "{o}");
    }
    assert!(outs.len() > 1, "the prints interleave in several ways: {outs:?}");
    assert!(outs.contains("put 0\nput 1\ngot 0\ngot 1\nput 2\ngot 2") || outs.iter().any(|o| o.starts_with("put 0\ngot 0")), "{outs:?}");
    assert!(!outs.iter().any(|o| o.starts_with("put 0\nput 1\nput 2")), "a bounded queue cannot take 3 items ahead: {outs:?}");
    assert!(r.deadlocks.is_empty());
}

#[test]
fn failed_assert_is_reported_as_an_error() {
    let r = checked(ASSERT_RACE);
    assert_eq!(finished_stdouts(&r), set(&["ok", ""]));
    assert_eq!(r.errors.len(), 1, "{:#?}", r.errors);
    assert_eq!(r.errors[0].message, "AssertionError: lost update");
    assert_eq!(r.errors[0].exit_status, 1);
    assert!(r.outcomes.iter().any(|o| o.exit_status == 1 && o.error.as_deref() == Some("AssertionError: lost update")));
}

#[test]
fn sleeping_programs_are_explored() {
    let r = checked(SLEEPY);
    assert_eq!(finished_stdouts(&r), set(&["1"]));
}

#[test]
fn counts_add_up_and_complete_is_truthful() {
    // An executions budget cuts the tree searches (DPOR here).
    let o = Options { max_executions: Some(5), state_graph: false, ..opts() };
    let r = run(COUNTER_2X2, &o);
    assert!(!r.complete);
    assert_eq!(r.stopped_by, vec!["max_executions".to_string()]);
    assert_eq!(r.executions, 5);
    assert_eq!(r.outcomes.iter().map(|o| o.count).sum::<u64>(), 5);
    check_replays(COUNTER_2X2, &o, &r);
}

#[test]
fn preemption_bound_zero_sees_only_serial_runs() {
    let o = Options { preemption_bound: Some(0), ..opts() };
    let r = run(COUNTER_2X2, &o);
    assert_eq!(finished_stdouts(&r), set(&["4"]), "{}", r.to_text());
    assert!(!r.complete);
    assert!(r.stopped_by.contains(&"preemption_bound".to_string()));
    check_replays(COUNTER_2X2, &o, &r);
    // One preemption (t1 reads, t2 runs whole, t1 writes its stale value)
    // loses both of t2's updates; losing exactly one takes two.
    let o = Options { preemption_bound: Some(1), ..opts() };
    let r = run(COUNTER_2X2, &o);
    assert_eq!(finished_stdouts(&r), set(&["2", "4"]));
    check_replays(COUNTER_2X2, &o, &r);
    let o = Options { preemption_bound: Some(2), ..opts() };
    let r = run(COUNTER_2X2, &o);
    assert_eq!(finished_stdouts(&r), set(&["2", "3", "4"]));
}

#[test]
fn random_sampling_is_reproducible_and_incomplete() {
    let o = Options { mode: Mode::Random { runs: 40, seed: 7 }, ..opts() };
    let a = run(COUNTER_2X2, &o);
    let b = run(COUNTER_2X2, &o);
    assert!(!a.complete);
    assert_eq!(a.stopped_by, vec!["random_sampling".to_string()]);
    assert_eq!(a.executions, 40);
    assert_eq!(a.outcomes, b.outcomes);
    assert!(finished_stdouts(&a).is_subset(&set(&["2", "3", "4"])));
    check_replays(COUNTER_2X2, &o, &a);
}

#[test]
fn runaway_programs_hit_the_step_budget() {
    let src = "import threading\ndef spin():\n    while True:\n        pass\nt = threading.Thread(target=spin)\nt.start()\nprint('main done')\n";
    let o = Options { max_steps: 2_000, ..opts() };
    let r = run(src, &o);
    assert!(!r.complete);
    assert!(r.stopped_by.contains(&"max_steps".to_string()), "{:?}", r.stopped_by);
    assert!(r.outcomes.iter().all(|o| o.kind == "budget"));
    // Its plain run never ends either: the budget is not raised for it.
    assert_eq!(r.max_steps, 2_000);
}

/// Two threads counting to 300 each: about 4,300 steps in every schedule.
const LONG_COUNT: &str = "import threading\nresults = [0, 0]\ndef count(slot):\n    total = 0\n    for i in range(300):\n        total += i\n    results[slot] = total\nts = [threading.Thread(target=count, args=(i,)) for i in range(2)]\nfor t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(results)\n";

#[test]
fn a_long_program_gets_a_budget_that_fits_it() {
    // Cut in every schedule by a budget that is too small for it...
    let fixed = Options { max_steps: 2_000, fit_steps: false, ..opts() };
    let r = run(LONG_COUNT, &fixed);
    assert!(r.outcomes.iter().all(|o| o.kind == "budget"), "{:?}", r.outcomes);
    // ...and answered with one fitted to it: four times its plain run.
    let plain = interleave_engine::run_source(LONG_COUNT, interleave_engine::Config { max_steps: 1_000_000, ..interleave_explorer::config(&fixed) }, &mut interleave_engine::CpythonLike).expect("compiles").0;
    for o in [Options { max_steps: 2_000, ..opts() }, Options { max_steps: 2_000, state_graph: false, ..opts() }, Options { max_steps: 2_000, mode: Mode::Pct { runs: 20, depth: 3, seed: 1 }, ..opts() }] {
        let r = run(LONG_COUNT, &o);
        assert_eq!(r.max_steps, 4 * plain.steps, "{:?}", o.mode);
        assert!(r.max_steps_fitted);
        assert_eq!(finished_stdouts(&r), set(&["[44850, 44850]"]), "{:?}", o.mode);
        assert!(!r.stopped_by.contains(&"max_steps".to_string()));
        check_replays(LONG_COUNT, &Options { max_steps: r.max_steps, fit_steps: false, ..o }, &r);
    }
    // A budget large enough already is left alone.
    let r = run(LONG_COUNT, &Options { max_steps: 200_000, ..opts() });
    assert_eq!(r.max_steps, 200_000);
    assert!(!r.max_steps_fitted);
}

#[test]
fn json_has_the_documented_fields() {
    let r = run(TWO_LOCKS, &opts());
    let v: serde_json::Value = serde_json::from_str(&r.to_json()).expect("valid JSON");
    for k in ["complete", "executions", "states", "elapsed_ms", "outcomes", "deadlocks", "errors", "preemption_bound", "max_executions", "stopped_by"] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let o = &v["outcomes"][0];
    for k in ["stdout", "exit_status", "count", "schedule", "kind"] {
        assert!(o.get(k).is_some(), "outcome missing {k}");
    }
    let d = &v["deadlocks"][0];
    for k in ["threads", "cycle", "schedule"] {
        assert!(d.get(k).is_some(), "deadlock missing {k}");
    }
    let text = r.to_text();
    assert!(text.contains("(complete)"), "{text}");
    assert!(text.contains("Deadlock:"), "{text}");
}

/// The known answers, proved by complete searches (the state
/// graph, no bound): two locks taken in opposite orders can deadlock, a locked
/// counter always ends at 4, three unsynchronized threads reach {1, 2, 3}.
#[test]
fn larger_litmus_exhaustive() {
    let r = checked(TWO_LOCKS);
    assert_eq!(r.deadlocks.len(), 1);
    assert_eq!(r.reduction, "state_graph");
    assert_eq!(finished_stdouts(&checked(COUNTER_3X1)), set(&["1", "2", "3"]));
    for (src, want) in [(TWO_LOCKS, &["done"][..]), (COUNTER_2X2_LOCK, &["4"][..])] {
        let o = Options { max_executions: None, ..opts() };
        let r = run(src, &o);
        assert!(r.complete, "{:?}", r.stopped_by);
        assert_eq!(finished_stdouts(&r), set(want));
        check_replays(src, &o, &r);
    }
}

#[test]
fn progress_counts_what_the_report_counts() {
    let progress = interleave_explorer::Progress::default();
    let program = interleave_engine::compile(COUNTER_2X2, "main.py").expect("compiles");
    let dpor = Options { state_graph: false, ..opts() };
    let r = interleave_explorer::explore_with_progress(&program, &dpor, None, &progress);
    assert!(r.complete);
    assert_eq!(progress.executions(), r.executions);
    assert_eq!(progress.states(), r.states);
    // The state graph counts schedules without running them: its live
    // count of executions is the end states it reached, each once.
    let progress = interleave_explorer::Progress::default();
    let r = interleave_explorer::explore_with_progress(&program, &opts(), None, &progress);
    assert!(r.complete && r.schedules_counted);
    assert_eq!(progress.states(), r.states, "each transition of each state, once");
    assert!(progress.executions() >= r.outcomes.len() as u64 && progress.executions() < r.executions);
}

#[test]
fn a_stopped_search_says_so_and_keeps_what_it_found() {
    // The flag is already set: the search stops before its first
    // execution is counted, and reports that it was stopped.
    let progress = interleave_explorer::Progress::default();
    progress.request_stop();
    let program = interleave_engine::compile(COUNTER_2X2, "main.py").expect("compiles");
    let r = interleave_explorer::explore_with_progress(&program, &opts(), None, &progress);
    assert!(!r.complete);
    assert_eq!(r.stopped_by, vec!["stopped".to_string()]);
    assert_eq!(r.executions, 0);
    // Stopped from another thread mid-way: whatever was recorded is whole
    // (every outcome's count adds up to the executions). Brute force (a
    // branch at every step) has far more executions than it takes to stop.
    let brute = Options { reduce: false, ..opts() };
    let progress = std::sync::Arc::new(interleave_explorer::Progress::default());
    let p2 = progress.clone();
    let stopper = std::thread::spawn(move || {
        while p2.executions() < 3 {
            std::thread::yield_now();
        }
        p2.request_stop();
    });
    let r = interleave_explorer::explore_with_progress(&program, &brute, None, &progress);
    stopper.join().expect("stopper thread");
    assert!(r.stopped_by.contains(&"stopped".to_string()), "{:?}", r.stopped_by);
    assert!(r.executions >= 3, "{}", r.executions);
    assert_eq!(r.outcomes.iter().map(|o| o.count).sum::<u64>(), r.executions);
    check_replays(COUNTER_2X2, &brute, &r);
}

#[test]
fn pct_sampling_finds_the_deadlock_and_is_reproducible() {
    // Depth 2: one change point is enough to stop a thread between its
    // two acquires while the other takes its first lock.
    let o = Options { mode: Mode::Pct { runs: 200, depth: 2, seed: 11 }, ..opts() };
    let a = run(TWO_LOCKS, &o);
    let b = run(TWO_LOCKS, &o);
    assert_eq!(a.mode, "pct (depth 2)");
    assert!(!a.complete);
    assert_eq!(a.stopped_by, vec!["random_sampling".to_string()]);
    assert_eq!(a.executions, 200);
    assert_eq!(a.outcomes, b.outcomes, "the same seed gives the same sample");
    assert!(!a.deadlocks.is_empty(), "PCT at depth 2 finds the two-lock deadlock in 200 runs: {}", a.to_text());
    check_replays(TWO_LOCKS, &o, &a);
    let c = run(COUNTER_2X2, &Options { mode: Mode::Pct { runs: 100, depth: 3, seed: 5 }, ..opts() });
    assert!(finished_stdouts(&c).is_subset(&set(&["2", "3", "4"])));
    assert!(finished_stdouts(&c).len() >= 2, "PCT sees more than the natural outcome: {:?}", finished_stdouts(&c));
}

/// Two threads that log a line each, as the threading tutorials do with
/// `logging`: the only op of a log call another thread can tell apart
/// from its own is the line's write, so there are two classes of
/// schedules, the two orders of the lines, and DPOR runs two executions.
/// (A record read the clock, which conflicts with every step of every
/// other thread; the `%(name)s` format of the record's fields and the
/// stream's `write` counted as touching everything too: DPOR ran out of
/// its 100,000 executions.)
#[test]
fn two_threads_logging_a_line_each_are_the_two_orders_of_the_lines() {
    let src = "import logging\nimport sys\nimport threading\n\
               logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format='%(threadName)s: %(message)s')\n\
               def work(n):\n    logging.info('step %d', n)\n\
               ts = [threading.Thread(target=work, args=(n,), name='w%d' % n) for n in range(2)]\n\
               for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\n";
    let d = run(src, &dpor());
    assert!(d.complete, "{:?}", d.stopped_by);
    assert_eq!(finished_stdouts(&d), set(&["w0: step 0\nw1: step 1", "w1: step 1\nw0: step 0"]));
    assert_eq!(d.executions, 2);
    let g = run(src, &exhaustive());
    assert!(g.complete);
    assert_eq!(finished_stdouts(&g), finished_stdouts(&d));
    check_replays(src, &exhaustive(), &g);
}

/// After `random.seed(n)` the numbers are CPython's, and which thread
/// gets which is the race: two threads drawing one `randint` each end
/// with the first two numbers CPython draws for that seed (16 and 41 for
/// seed 2026), in either order, and in no other way.
#[test]
fn two_threads_drawing_seeded_numbers_get_cpythons_first_two_in_either_order() {
    let src = "import random\nimport threading\nrandom.seed(2026)\ngot = {}\n\
               def draw(name):\n    got[name] = random.randint(1, 100)\n\
               ts = [threading.Thread(target=draw, args=(n,)) for n in 'ab']\n\
               for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(got['a'], got['b'])\n";
    for r in every_search(src) {
        assert_eq!(finished_stdouts(&r), set(&["16 41", "41 16"]));
    }
    // Two states that differ only in how many numbers were drawn are two
    // states: here `a` draws 32 bits or none, by the same ops, as `b` set
    // the flag before or after (the next number is 42, or 20 after one
    // draw, for seed 7).
    let src = "import random\nimport threading\nrandom.seed(7)\nflag = False\n\
               def a():\n    random.getrandbits(32 - 32 * flag)\n\
               def b():\n    global flag\n    flag = True\n\
               ts = [threading.Thread(target=a), threading.Thread(target=b)]\n\
               for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(random.randint(1, 100))\n";
    for r in every_search(src) {
        assert_eq!(finished_stdouts(&r), set(&["42", "20"]));
    }
}

/// Two threads add one to a number kept in a file, each reading it and
/// writing it back. The lost update is there as with a variable (the file
/// ends at 1), and one more outcome that a file adds: opening for writing
/// empties the file at once, and the text only lands at the close, so the
/// other thread can read the file empty in between (`int('')` raises).
#[test]
fn two_threads_adding_one_to_a_number_in_a_file_lose_updates_and_read_it_empty() {
    let src = "import threading\nwith open('n.txt', 'w') as f:\n    f.write('0')\n\
               def inc():\n    with open('n.txt') as f:\n        n = int(f.read())\n    with open('n.txt', 'w') as f:\n        f.write(str(n + 1))\n\
               ts = [threading.Thread(target=inc) for _ in range(2)]\n\
               for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(open('n.txt').read())\n";
    let r = checked(src);
    assert_eq!(finished_stdouts(&r), set(&["1", "2"]));
    let errors: BTreeSet<&str> = r.errors.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(errors, BTreeSet::from(["ValueError: invalid literal for int() with base 10: ''"]));
    assert!(r.deadlocks.is_empty());
    // Two states that differ in a file's text alone are two states: `a`
    // writes 'x' or 'y' by the same ops, as `b` set the flag after or
    // before.
    let src = "import threading\nflag = False\n\
               def a():\n    with open('f.txt', 'w') as f:\n        f.write('xy'[flag])\n\
               def b():\n    global flag\n    flag = True\n\
               ts = [threading.Thread(target=a), threading.Thread(target=b)]\n\
               for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint(open('f.txt').read())\n";
    assert_eq!(finished_stdouts(&checked(src)), set(&["x", "y"]));
}

/// `atexit` callbacks run at the end, the last registered first: two
/// threads that each register one print in the two orders their
/// registrations can take.
#[test]
fn two_threads_registering_atexit_callbacks_print_in_either_order_at_the_end() {
    let src = "import atexit\nimport threading\n\
               def reg(n):\n    atexit.register(print, 'bye', n)\n\
               ts = [threading.Thread(target=reg, args=(n,)) for n in range(2)]\n\
               for t in ts:\n    t.start()\nfor t in ts:\n    t.join()\nprint('main ends')\n";
    for r in every_search(src) {
        assert_eq!(finished_stdouts(&r), set(&["main ends\nbye 1\nbye 0", "main ends\nbye 0\nbye 1"]));
    }
}
