# interleave: deterministic needs=gevent
# A timer of the hub's that is cancelled must never fire, even when it
# was already due: here a greenlet that blocks the whole hub (an
# unpatched time.sleep) makes a Timeout and a sleep come due in the same
# turn of the loop. The Timeout fires first (its deadline is earlier),
# the sleep it interrupts cancels its own timer, and that sleep's wake-up
# must not reach the greenlet later, in the middle of another wait. A
# greenlet spawned for later and killed before its time never runs.
import time
import gevent
from gevent import Timeout

def impatient():
    try:
        with Timeout(0.1):
            gevent.sleep(0.15)
        print("no timeout")
    except Timeout:
        print("impatient: timed out")
    gevent.sleep(0.5)
    print("impatient: slept 0.5 s more")

def hog():
    time.sleep(0.3)
    print("hog: kept the hub for 0.3 s")

def other():
    gevent.sleep(0.4)
    print("other: slept 0.4 s")

never = gevent.spawn_later(0.1, print, "never printed")
never.kill()
later = gevent.spawn_later(0.2, print, "spawned for later, ran later")
gevent.joinall([gevent.spawn(impatient), gevent.spawn(hog), gevent.spawn(other), later])
print("the killed one is dead:", never.dead)
