# interleave: deterministic needs=gevent
# gevent's queues, as the gevent tutorials use them: a boss greenlet puts
# tasks, worker greenlets get them. get() on an empty queue switches to
# the hub until a put() (or the timeout: Empty); put() on a full bounded
# queue switches until a get() makes room. No thread is involved: every
# wait is a switch to the hub, and the order below is gevent's.
import gevent
from gevent.queue import Queue, Empty, JoinableQueue

tasks = Queue()

def worker(name):
    try:
        while True:
            task = tasks.get(timeout=1)
            print(f"worker {name} got task {task}")
            gevent.sleep(0)
    except Empty:
        print(f"quitting time for {name}!")

def boss():
    for i in range(1, 8):
        tasks.put_nowait(i)

gevent.spawn(boss).join()
gevent.joinall([gevent.spawn(worker, name) for name in ("steve", "john", "nancy")])

# A bounded queue: the boss waits whenever three tasks are pending.
small = Queue(maxsize=3)

def slow_boss():
    for i in range(1, 7):
        small.put(i)
        print(f"boss put {i} (queue holds {small.qsize()})")
    small.put(None)

def slow_worker():
    while True:
        task = small.get()
        if task is None:
            break
        print(f"worker took {task}")
        gevent.sleep(0.1)

gevent.joinall([gevent.spawn(slow_boss), gevent.spawn(slow_worker)])

# task_done() and join(): wait until every task put has been processed.
jobs = JoinableQueue()

def consumer(name):
    while True:
        job = jobs.get()
        gevent.sleep(0.01 * job)
        print(f"{name} finished job {job}")
        jobs.task_done()

for n in (3, 1, 2):
    jobs.put(n)
workers = [gevent.spawn(consumer, name) for name in ("a", "b")]
jobs.join()
print("all jobs done; empty:", jobs.empty(), "unfinished:", jobs.unfinished_tasks)
gevent.killall(workers)
try:
    Queue().get(block=False)
except Empty:
    print("get(block=False) on an empty queue raises Empty")
