# interleave: deterministic needs=gevent
# gevent: greenlets that a hub schedules. spawn() queues a greenlet,
# join() and joinall() wait for them, and gevent.sleep() lets the others
# run; after monkey.patch_all(), time.sleep() does the same. So tasks
# that sleep 2, 3 and 5 seconds take 5 together, not 10. (Checked
# against CPython where the gevent package is installed.)
from gevent import monkey; monkey.patch_all()
import gevent
from gevent import Greenlet
import time

def eat(name):
    print('%s eat 1' % name)
    time.sleep(2)
    print('%s eat 2' % name)

def play(name):
    print('%s play 1' % name)
    time.sleep(1)
    print('%s play 2' % name)

start = time.time()
g1 = gevent.spawn(eat, 'egon')
g2 = gevent.spawn(play, name='egon')
gevent.joinall([g1, g2])
print('main', round(time.time() - start, 1))

def task(n):
    gevent.sleep(n)
    print("task", n, "done")
    return n * 10

start = time.time()
gs = [gevent.spawn(task, n) for n in (2, 3, 5)]
gevent.joinall(gs)
print([g.value for g in gs], round(time.time() - start, 1), all(g.successful() for g in gs))


class Worker(Greenlet):
    def __init__(self, n):
        Greenlet.__init__(self)
        self.n = n

    def _run(self):
        print("worker", self.n, "starts")
        gevent.sleep(self.n * 0.1)
        print("worker", self.n, "ends")
        return self.n * self.n

def forever():
    while True:
        print("tick")
        gevent.sleep(0.3)

def polite(name):
    for i in range(3):
        print(name, i)
        gevent.sleep(0)

start = time.time()
ws = [Worker(n) for n in (3, 1, 2)]
for w in ws:
    w.start()
print("started", [w.started for w in ws], ws[0].ready())
gevent.joinall(ws)
print([w.value for w in ws], round(time.time() - start, 1))

later = gevent.spawn_later(0.5, print, "spawned later")
t = gevent.spawn(forever)
gevent.sleep(1)
t.kill()
print("killed", t.dead, t.successful(), type(t.value).__name__)
later.join()

gevent.joinall([gevent.spawn(polite, "a"), gevent.spawn(polite, "b")])

slow = gevent.spawn(gevent.sleep, 5)
done = gevent.joinall([slow], timeout=1)
print("joined in time:", len(done), slow.ready())
slow.join(timeout=0.5)
print("still running:", not slow.ready())
slow.kill()
print(slow.dead)

g = gevent.spawn(lambda x: x * 2, 21)
print(g.get())
unstarted = Greenlet(print, "never")
unstarted.kill()
print("unstarted killed:", unstarted.dead)
print(gevent.wait(), round(time.time() - start, 1))
