# interleave: deterministic
# A pool without `with`: then you call shutdown() yourself. shutdown(wait=True)
# waits until every submitted task has finished and lets the workers end.
# After it, the pool refuses new tasks.

import time
from concurrent.futures import ThreadPoolExecutor

def slow_square(n):
    time.sleep(0.1)
    return n * n

pool = ThreadPoolExecutor()        # default: min(32, os.cpu_count() + 4) workers
futures = [pool.submit(slow_square, n) for n in range(5)]
print("submitted, done:", [f.done() for f in futures])
pool.shutdown(wait=True)           # blocks until all 5 tasks are done
print("after shutdown, done:", [f.done() for f in futures])
print("results:", [f.result() for f in futures])
try:
    pool.submit(slow_square, 5)
except RuntimeError as e:
    print("RuntimeError:", e)
