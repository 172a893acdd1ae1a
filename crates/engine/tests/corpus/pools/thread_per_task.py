# interleave: deterministic
# Why pools: 12 small jobs, two ways. With one new thread per job, 12
# threads are created and all of them are alive at once. A pool of 3
# workers creates 3 threads and reuses them; the other jobs wait in its
# queue until a worker is free.

import threading
import time
from concurrent.futures import ThreadPoolExecutor

WORKERS = 3
names = set()
most_alive = 0
lock = threading.Lock()

def job(n):
    global most_alive
    with lock:
        names.add(threading.current_thread().name)
        most_alive = max(most_alive, threading.active_count())
    time.sleep(0.2)                      # the job waits for something
    return n * n

def report(label):
    global most_alive
    print(f"{label}: {len(names)} threads created, at most {most_alive} alive")
    names.clear()
    most_alive = 0

# One new thread per job.
threads = [threading.Thread(target=job, args=(n,)) for n in range(12)]
for t in threads:
    t.start()
for t in threads:
    t.join()
report("one thread per job")

# A pool: WORKERS threads, reused for all the jobs.
with ThreadPoolExecutor(max_workers=WORKERS) as pool:
    for n in range(12):
        pool.submit(job, n)
report(f"a pool of {WORKERS} workers")
