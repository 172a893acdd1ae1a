# interleave: deterministic
# lock.acquire(timeout=s) waits at most s seconds. It returns False if the
# lock did not become free in time. Here a worker holds the lock for 0.2 s:
# a 0.05 s wait fails, a longer wait succeeds once the worker lets go.

import threading
import time

lock = threading.Lock()

def holder():
    with lock:
        print("holder: got the lock, keeping it for 0.2 s")
        time.sleep(0.2)
        print("holder: letting go of the lock")

t = threading.Thread(target=holder)
t.start()
time.sleep(0.01)
print("main: acquire(timeout=0.05) ->", lock.acquire(timeout=0.05))
got = lock.acquire(timeout=1)
print("main: acquire(timeout=1) ->", got)
lock.release()
t.join()
