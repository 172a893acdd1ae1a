# interleave: deterministic
# One Event can release many threads at once, like a starting gun.
# Every worker prepares, then blocks in start.wait(); main fires the gun
# with start.set(). Anyone who calls wait() after that passes straight
# through, because a set Event stays set until clear() is called.

import threading
import time

start = threading.Event()
finished = []
lock = threading.Lock()

def worker(n):
    start.wait()
    with lock:
        finished.append(n)

workers = [threading.Thread(target=worker, args=(i,)) for i in range(5)]
for w in workers:
    w.start()
time.sleep(0.05)
print("workers finished before the signal:", len(finished))
start.set()
for w in workers:
    w.join()
print("workers finished after the signal:", len(finished), sorted(finished))
print("a late wait() returns at once:", start.wait())
