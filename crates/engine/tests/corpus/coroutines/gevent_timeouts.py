# interleave: deterministic needs=gevent
# gevent.Timeout: a timer in the hub that raises in the greenlet that
# started it, wherever that greenlet waits (a sleep, a join, a queue's
# get). As a context manager it is cancelled on the way out; with False
# as its exception it ends the block quietly instead.
import gevent
from gevent import Timeout
from gevent.queue import Queue

def slow():
    gevent.sleep(1)
    return "done"

timeout = Timeout(0.1)
timeout.start()
try:
    slow()
except Timeout as t:
    print("timed out:", t is timeout, "after", t.seconds, "s")
finally:
    timeout.cancel()

try:
    with Timeout(0.2):
        Queue().get()
except Timeout as t:
    print("the queue stayed empty for", t)

with Timeout(0.1, False):
    slow()
    print("never printed")
print("the block ended quietly")

class TooSlow(Exception):
    pass

try:
    with Timeout(0.1, TooSlow("too slow")):
        slow()
except TooSlow as e:
    print("raised the given exception:", e)

with Timeout(1):
    print("a block that ends in time:", slow() if False else "fast")
print("with_timeout:", gevent.with_timeout(0.1, slow, timeout_value="gave up"))
g = gevent.spawn(slow)
try:
    g.get(timeout=0.1)
except Timeout as t:
    print("get(timeout):", t)
g.kill()
print("killed:", g.dead, type(g.value).__name__)
