# interleave: deterministic needs=gevent
# Waiting for greenlets as they finish, and being told when they do:
# gevent.iwait() yields each greenlet when it ends, first finished first;
# link_value() and link_exception() call back in the hub when a greenlet
# returns or raises (a greenlet that raises prints its traceback on
# stderr, and the program goes on). A Greenlet subclass runs _run().
import gevent
from gevent import Greenlet

def task(n):
    gevent.sleep(0.01 * n)
    if n == 2:
        raise ValueError("two is not allowed")
    return n * 10

greenlets = [gevent.spawn(task, n) for n in (3, 1, 2)]
for g in gevent.iwait(greenlets):
    print("finished:", g.value, "successful:", g.successful())

ok = gevent.spawn(task, 1)
ok.link_value(lambda g: print("returned", g.value))
ok.link_exception(lambda g: print("never printed"))
bad = gevent.spawn(task, 2)
bad.link_exception(lambda g: print("raised", repr(g.exception)))
gevent.joinall([ok, bad])
gevent.sleep(0)

first_two = list(gevent.iwait([gevent.spawn(task, n) for n in (5, 4, 1)], count=2))
print("the first two to finish:", [g.value for g in first_two])

class Greeter(Greenlet):
    def __init__(self, message):
        Greenlet.__init__(self)
        self.message = message

    def _run(self):
        print(self.message)
        return len(self.message)

greeter = Greeter("hello from a Greenlet subclass")
greeter.start()
print("it returned", greeter.get())
