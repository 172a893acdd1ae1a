# interleave: deterministic
# event.wait(timeout) returns True if the event got set, and False if the
# time ran out first. Always check the return value: a timeout means
# the thing you were waiting for has NOT happened yet.

import threading
import time

done = threading.Event()

def slow_worker():
    time.sleep(0.1)
    print("worker: finished, setting the event")
    done.set()

threading.Thread(target=slow_worker).start()
print("main: wait(0.05) ->", done.wait(0.05))
print("main: is_set() ->", done.is_set())
print("main: wait(1) ->", done.wait(1))
print("main: wait(0) on a set event ->", done.wait(0))
