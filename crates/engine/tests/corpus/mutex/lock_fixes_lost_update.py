# interleave: deterministic
# The same 10 threads as lost_update_sleep.py, but the read-pause-write
# now happens while holding a Lock. Only one thread at a time can be inside
# the locked section, so no update is lost and n always ends at 0.

import threading
import time

n = 10
lock = threading.Lock()

def decrement():
    global n
    lock.acquire()
    tmp = n
    time.sleep(0.01)
    n = tmp - 1
    lock.release()

threads = [threading.Thread(target=decrement) for _ in range(10)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("n =", n)
assert n == 0
