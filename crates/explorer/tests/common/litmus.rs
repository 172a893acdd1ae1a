//! The litmus programs of the explorer's tests (also used by the
//! companion's `interleave explore` tests, which include this file), each
//! small enough to explore completely.
#![allow(dead_code)]

pub const COUNTER_2X2: &str = "\
import threading
counter = 0
def work():
    global counter
    for _ in range(2):
        tmp = counter
        counter = tmp + 1
t1 = threading.Thread(target=work)
t2 = threading.Thread(target=work)
t1.start()
t2.start()
t1.join()
t2.join()
print(counter)
";

pub const COUNTER_2X2_LOCK: &str = "\
import threading
counter = 0
lock = threading.Lock()
def work():
    global counter
    for _ in range(2):
        with lock:
            tmp = counter
            counter = tmp + 1
t1 = threading.Thread(target=work)
t2 = threading.Thread(target=work)
t1.start()
t2.start()
t1.join()
t2.join()
print(counter)
";

pub const COUNTER_3X1: &str = "\
import threading
counter = 0
def work():
    global counter
    tmp = counter
    counter = tmp + 1
t1 = threading.Thread(target=work)
t2 = threading.Thread(target=work)
t3 = threading.Thread(target=work)
t1.start()
t2.start()
t3.start()
t1.join()
t2.join()
t3.join()
print(counter)
";

pub const TWO_LOCKS: &str = "\
import threading
lock_a = threading.Lock()
lock_b = threading.Lock()
def one():
    with lock_a:
        with lock_b:
            pass
def two():
    with lock_b:
        with lock_a:
            pass
t1 = threading.Thread(target=one)
t2 = threading.Thread(target=two)
t1.start()
t2.start()
t1.join()
t2.join()
print('done')
";

/// The same program with one RLock under both names: re-entrant, so it
/// never deadlocks. Derived from [`TWO_LOCKS`] so the two stay in step.
pub static TWO_LOCKS_RLOCK: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    TWO_LOCKS.replace("lock_a = threading.Lock()\nlock_b = threading.Lock()\n", "lock_a = lock_b = threading.RLock()\n")
});

/// The main thread races a worker on `x` (tiny: brute force is feasible).
pub const TINY_RACE: &str = "\
import threading
x = 0
def a():
    global x
    x = x + 1
t = threading.Thread(target=a)
t.start()
x = x + 1
t.join()
print(x)
";

/// A visibility race on an instance attribute (tiny): the main thread
/// reads `acct.n` while the worker, a bound method, writes it and adds a
/// new attribute.
pub const TINY_INSTANCE: &str = "\
import threading
class A:
    def bump(self):
        self.n = 1
        self.seen = 1
acct = A()
acct.n = 0
t = threading.Thread(target=acct.bump)
t.start()
print(acct.n)
t.join()
";

/// Two threads deposit into one account object: `self.balance` read and
/// written in a method (the lost update of the bank-account tutorials).
pub const ACCOUNT_2X1: &str = "\
import threading
class Account:
    def __init__(self):
        self.balance = 0
    def deposit(self, amount):
        b = self.balance
        self.balance = b + amount
acct = Account()
ts = [threading.Thread(target=acct.deposit, args=(10,)) for _ in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(acct.balance)
";

/// A lock handing a value over (tiny): the worker blocks until the main
/// thread has stored 1 and released.
pub const TINY_LOCKED: &str = "\
import threading
m = threading.Lock()
x = 0
def a():
    m.acquire()
    print(x)
m.acquire()
t = threading.Thread(target=a)
t.start()
x = 1
m.release()
";

/// A reader that may or may not see the writer's store (tiny).
pub const TINY_VISIBILITY: &str = "\
import threading
data = 0
def w():
    global data
    data = 42
t = threading.Thread(target=w)
t.start()
print(data)
t.join()
";

pub const SEMAPHORE: &str = "\
import threading
sem = threading.Semaphore(0)
data = 0
def producer():
    global data
    data = 42
    sem.release()
def consumer():
    sem.acquire()
    print(data)
t1 = threading.Thread(target=consumer)
t2 = threading.Thread(target=producer)
t1.start()
t2.start()
t1.join()
t2.join()
";

/// Without the semaphore the consumer can run first.
pub const NO_SEMAPHORE: &str = "\
import threading
data = 0
def producer():
    global data
    data = 42
def consumer():
    print(data)
t1 = threading.Thread(target=consumer)
t2 = threading.Thread(target=producer)
t1.start()
t2.start()
t1.join()
t2.join()
";

pub const EVENT: &str = "\
import threading
ready = threading.Event()
data = 0
def writer():
    global data
    data = 7
    ready.set()
def reader():
    ready.wait()
    print(data)
t1 = threading.Thread(target=reader)
t2 = threading.Thread(target=writer)
t1.start()
t2.start()
t1.join()
t2.join()
";

pub const CONDITION: &str = "\
import threading
cv = threading.Condition()
items = []
def consumer():
    with cv:
        while not items:
            cv.wait()
        print('got', items.pop())
def producer():
    with cv:
        items.append(1)
        cv.notify()
t1 = threading.Thread(target=consumer)
t2 = threading.Thread(target=producer)
t1.start()
t2.start()
t1.join()
t2.join()
";

/// A condition used wrongly: `if` instead of `while` is fine here, but
/// notifying before the consumer waits loses the wake-up without a
/// predicate check, so this one can deadlock.
pub const CONDITION_LOST_WAKEUP: &str = "\
import threading
cv = threading.Condition()
def consumer():
    with cv:
        cv.wait()
        print('woken')
def producer():
    with cv:
        cv.notify()
t1 = threading.Thread(target=consumer)
t2 = threading.Thread(target=producer)
t1.start()
t2.start()
t1.join()
t2.join()
";

pub const BOUNDED_QUEUE: &str = "\
import threading
import queue
q = queue.Queue(maxsize=1)
def producer():
    for i in range(3):
        q.put(i)
        print('put', i)
def consumer():
    for _ in range(3):
        print('got', q.get())
t1 = threading.Thread(target=producer)
t2 = threading.Thread(target=consumer)
t1.start()
t2.start()
t1.join()
t2.join()
";

pub const ASSERT_RACE: &str = "\
import threading
counter = 0
def work():
    global counter
    tmp = counter
    counter = tmp + 1
t1 = threading.Thread(target=work)
t2 = threading.Thread(target=work)
t1.start()
t2.start()
t1.join()
t2.join()
assert counter == 2, 'lost update'
print('ok')
";

pub const SLEEPY: &str = "\
import threading
import time
x = 0
def f():
    global x
    time.sleep(0.001)
    x = 1
t = threading.Thread(target=f)
t.start()
time.sleep(0.002)
print(x)
t.join()
";

/// A sleep beside a write it commutes with for DPOR (see
/// `visible::Location::Sleepers`) but not for the state graph: the
/// sleeper's deadline is set by the clock when it sleeps, which the
/// other thread's step moves on.
pub const SLEEP_BESIDE_A_WRITE: &str = "\
import threading
import time
x = 0
y = 0
def f():
    global x
    time.sleep(0.001)
    x = 1
def g():
    global y
    y = 1
a = threading.Thread(target=f)
b = threading.Thread(target=g)
a.start()
b.start()
a.join()
b.join()
print(x, y)
";

/// A thread sleeps while two others take steps that commute: whether the
/// sleeper's deadline falls inside a step depends on the order of the
/// steps before it (a step run up to a timer ends there).
pub const WAKING_AMID_COMMUTING_STEPS: &str = "\
import threading
import time
x = 0
y = 0
def s():
    time.sleep(0.000002)
    print('woke', x, y)
def f():
    global x
    for _ in range(3):
        x += 1
def g():
    global y
    for _ in range(3):
        y += 1
threads = [threading.Thread(target=h) for h in (s, f, g)]
for t in threads:
    t.start()
for t in threads:
    t.join()
";

/// A wait with a timeout races with the release that would end it, while
/// a third thread takes steps that commute with the release: whether the
/// waiter times out or gets the lock depends on how many steps run
/// before the release.
pub const TIMEOUT_AMID_COMMUTING_STEPS: &str = "\
import threading
lock = threading.Lock()
x = 0
y = 0
def holder():
    global x
    x = 1
    lock.release()
def waiter():
    got = lock.acquire(timeout=0.0000002)
    print('got' if got else 'timed out')
def other():
    global y
    y = 1
    y = 2
lock.acquire()
threads = [threading.Thread(target=h) for h in (waiter, holder, other)]
for t in threads:
    t.start()
for t in threads:
    t.join()
";

/// The main thread's last store of a global while another thread takes a
/// step that commutes with it: after that store the global is frozen
/// (`frozen.rs`), and the other thread's step then runs on through its
/// read of it instead of stopping there, so the two orders of the steps
/// end in different states.
pub const STEP_BESIDE_THE_LAST_STORE: &str = "\
import threading
g = 0
y = 0
def worker():
    global y
    y = 1
    print(g)
t = threading.Thread(target=worker)
t.start()
g = 5
t.join()
";

/// Two threads sleep the same time, one of them after the other has
/// already slept a little: who wakes first decides what is printed, so the
/// two sleeps must not commute (tiny: brute force is feasible).
pub const TINY_SLEEPERS: &str = "\
import threading
from time import sleep
x = 0
def f():
    global x
    sleep(0.001)
    x = 1
threading.Thread(target=f).start()
sleep(0.001)
print(x)
";

/// Two threads printing while one writes: the prints' order and the
/// printed value race (the footprint of `print` is checked against brute
/// force with this one).
pub const TINY_PRINTS: &str = "\
import threading
x = 0
def a():
    global x
    x = 1
    print('a', x)
t = threading.Thread(target=a)
t.start()
print('main', x)
t.join()
";
