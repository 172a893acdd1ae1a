//! Processes under the explorer: forks, the kernel's shared memory,
//! queues and waits. A process's own heap is private after the fork, so
//! only what the kernel shares (shared memory, channels, the process
//! table, the output) orders the processes' steps; the searches must
//! still find every outcome that those orders give.
//!
//! (Without the brute-force comparison of `agreement.rs`: after a fork
//! every op of either process is a scheduling point for the brute force,
//! and a few lines of each make millions of schedules.)

mod common;

use common::*;
use interleave_explorer::{Mode, Options};

/// A fork, then parent and child each add 1 to one slot of shared memory
/// with a read and a write: the second write can lose the first.
const FORKED_RACE: &str = "\
import os
import _multiprocessing as k
c = k._shm_new([0])
pid = os.fork()
v = k._shm_get(c, 0)
k._shm_set(c, 0, v + 1)
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
print(k._shm_get(c, 0))
";

/// The child changes its copy of a global; the parent prints its own
/// after reaping the child.
const ISOLATION: &str = "\
import os
balance = 100
pid = os.fork()
if pid == 0:
    balance += 50
    os._exit(0)
balance -= 1
os.waitpid(pid, 0)
print(balance)
";

/// Two processes add 1 to a `multiprocessing.Value`, without its lock.
const VALUE_RACE: &str = "\
from multiprocessing import Process, Value

def work(counter):
    counter.value += 1

if __name__ == '__main__':
    counter = Value('i', 0)
    ps = [Process(target=work, args=(counter,)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(counter.value)
";

/// A child waits on a queue that nobody fills, and its parent joins it.
const STUCK_CHILD: &str = "\
from multiprocessing import Process, Queue

def consumer(q):
    q.get()

if __name__ == '__main__':
    q = Queue()
    p = Process(target=consumer, args=(q,))
    p.start()
    p.join()
";

/// After a fork, two threads of the child race on one of its globals:
/// a process's heap is private to it, not to each of its threads.
const THREADS_IN_A_CHILD: &str = "\
import os
import threading
counter = 0
def add():
    global counter
    v = counter
    counter = v + 1
pid = os.fork()
if pid == 0:
    ts = [threading.Thread(target=add) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(counter)
    os._exit(0)
os.waitpid(pid, 0)
";

/// The searches against sampling: the brute force of the other litmus
/// tests (every op a scheduling point) cannot finish after a fork, whose
/// every op the two processes may interleave, so random and PCT schedules
/// stand in for it: they must find nothing the searches miss.
#[test]
fn processes_race_on_shared_memory_and_every_search_finds_both_totals() {
    let reports = every_search(FORKED_RACE);
    for r in &reports {
        assert_eq!(finished_stdouts(r), set(&["1", "2"]), "{}", r.reduction);
    }
    for mode in [Mode::Random { runs: 300, seed: 7 }, Mode::Pct { runs: 300, depth: 3, seed: 7 }] {
        let opts = Options { mode: mode.clone(), ..Options::default() };
        let sampled = run(FORKED_RACE, &opts);
        assert!(finished_stdouts(&sampled).is_subset(&finished_stdouts(&reports[0])), "{mode:?}");
        check_replays(FORKED_RACE, &opts, &sampled);
    }
}

#[test]
fn a_child_s_writes_never_reach_its_parent() {
    for r in every_search(ISOLATION) {
        assert_eq!(finished_stdouts(&r), set(&["99"]), "{}", r.reduction);
    }
}

#[test]
fn a_shared_value_without_its_lock_loses_an_update() {
    let r = run(VALUE_RACE, &exhaustive());
    assert!(r.complete);
    check_replays(VALUE_RACE, &exhaustive(), &r);
    assert_eq!(finished_stdouts(&r), set(&["1", "2"]));
    let locked = VALUE_RACE.replace("    counter.value += 1", "    with counter.get_lock():\n        counter.value += 1");
    let r = run(&locked, &exhaustive());
    assert!(r.complete);
    assert_eq!(finished_stdouts(&r), set(&["2"]));
}

#[test]
fn a_parent_joining_a_child_stuck_on_an_empty_queue_always_deadlocks() {
    let r = run(STUCK_CHILD, &exhaustive());
    assert!(r.complete);
    assert!(!r.outcomes.is_empty() && r.outcomes.iter().all(|o| o.kind == "deadlock"), "{:?}", r.outcomes);
    check_replays(STUCK_CHILD, &exhaustive(), &r);
    let d = &r.deadlocks[0];
    assert!(d.report.contains("waits for process"), "{}", d.report);
}

#[test]
fn threads_of_a_forked_child_still_race_with_each_other() {
    // (The state graph alone: the tree searches take minutes here.)
    let r = run(THREADS_IN_A_CHILD, &exhaustive());
    assert!(r.complete);
    check_replays(THREADS_IN_A_CHILD, &exhaustive(), &r);
    assert_eq!(finished_stdouts(&r), set(&["1", "2"]));
}

/// Two processes add 1 to a managed dict's entry: each operation on it is
/// atomic, the read and the write of `+=` together are not.
#[test]
fn a_managed_dict_loses_an_update_between_its_read_and_its_write() {
    let src = "\
from multiprocessing import Manager, Process

def add(d):
    d['n'] += 1

if __name__ == '__main__':
    d = Manager().dict(n=0)
    ps = [Process(target=add, args=(d,)) for _ in range(2)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print(d['n'])
";
    let r = run(src, &exhaustive());
    assert!(r.complete);
    check_replays(src, &exhaustive(), &r);
    assert_eq!(finished_stdouts(&r), set(&["1", "2"]));
}

/// A pipe's reader sees the end of the data (EOFError) once every write
/// end is closed, in every schedule; while the parent still holds its
/// copy of the child's end, its read waits for ever.
#[test]
fn a_pipe_ends_when_its_last_write_end_closes_in_every_schedule() {
    let src = "\
from multiprocessing import Process, Pipe

def producer(conn):
    conn.send(1)
    conn.close()

if __name__ == '__main__':
    receiver, sender = Pipe(duplex=False)
    p = Process(target=producer, args=(sender,))
    p.start()
    sender.close()
    got = []
    while True:
        try:
            got.append(receiver.recv())
        except EOFError:
            break
    p.join()
    print(got)
";
    let r = run(src, &exhaustive());
    assert!(r.complete);
    check_replays(src, &exhaustive(), &r);
    assert!(r.deadlocks.is_empty(), "{:?}", r.outcomes);
    assert_eq!(finished_stdouts(&r), set(&["[1]"]));
    let forgot = src.replace("    sender.close()\n    got", "    got");
    let r = run(&forgot, &exhaustive());
    assert!(r.complete);
    assert!(!r.outcomes.is_empty() && r.outcomes.iter().all(|o| o.kind == "deadlock"), "{:?}", r.outcomes);
}
