# interleave: deterministic needs=gevent
# gevent's other coordination tools, cooperative like its queues: an
# Event that greenlets wait for, an AsyncResult that carries a value (or
# an exception) to whoever waits for it, a Pool that runs at most n
# greenlets at once, a Group that joins the greenlets put in it, and a
# BoundedSemaphore. Each wait switches to the hub.
import gevent
from gevent.event import Event, AsyncResult
from gevent.pool import Pool, Group
from gevent.lock import BoundedSemaphore, Semaphore

ready = Event()

def waiter(name):
    print(f"{name} waits for the event")
    ready.wait()
    print(f"{name} saw the event")

def setter():
    gevent.sleep(0.1)
    print("setter sets the event")
    ready.set()
    print("setter goes on; is_set:", ready.is_set())

gevent.joinall([gevent.spawn(setter), gevent.spawn(waiter, "w1"), gevent.spawn(waiter, "w2")])
print("wait(timeout) on an unset event:", Event().wait(timeout=0.05))

answer = AsyncResult()

def compute():
    gevent.sleep(0.1)
    answer.set(42)

def asker():
    print("asker got", answer.get())

gevent.joinall([gevent.spawn(asker), gevent.spawn(compute)])
failed = AsyncResult()
failed.set_exception(ValueError("no answer"))
try:
    failed.get()
except ValueError as e:
    print("get() raises what set_exception() gave:", e)
print("ready:", failed.ready(), "successful:", failed.successful())

def task(n):
    gevent.sleep(0.01 * (4 - n))
    print(f"task {n} done")
    return n * n

pool = Pool(2)
print("map:", pool.map(task, [1, 2, 3]))
print("unordered:", list(pool.imap_unordered(task, [1, 2, 3])))
print("imap:", list(pool.imap(task, [3, 1])))
started = [pool.spawn(task, n) for n in (1, 2)]
print("pool full:", pool.full(), "free slots:", pool.free_count())
pool.join()
print("after join, free slots:", pool.free_count(), "values:", [g.value for g in started])

group = Group()
for n in (3, 2, 1):
    group.spawn(task, n)
print("group of", len(group))
group.join()
print("group empty after join:", len(group) == 0)

room = BoundedSemaphore(2)

def guest(name):
    with room:
        print(f"{name} in (free places: {room.counter})")
        gevent.sleep(0.1)
    print(f"{name} out")

gevent.joinall([gevent.spawn(guest, name) for name in ("ann", "bob", "cy")])
try:
    room.release()
except ValueError as e:
    print("one release too many:", e)
s = Semaphore(0)
print("acquire(blocking=False) on a zero semaphore:", s.acquire(blocking=False))
