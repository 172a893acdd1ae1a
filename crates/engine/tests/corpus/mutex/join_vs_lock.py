# interleave: deterministic
# Two ways to stop threads from overlapping, and what they cost.
# Joining each thread right after starting it, or locking the WHOLE job,
# makes the threads run one after another (3 units of 0.04 s). Locking only
# the short shared update lets the slow parts overlap (1 unit).

import threading
import time

total = 0
lock = threading.Lock()

def job_locked_whole():
    global total
    with lock:
        time.sleep(0.04)          # slow work, e.g. a download
        total += 1

def job_locked_update():
    global total
    time.sleep(0.04)              # slow work outside the lock
    with lock:
        total += 1

def measure(label, target, join_each):
    start = time.perf_counter()
    threads = []
    for _ in range(3):
        t = threading.Thread(target=target)
        t.start()
        if join_each:
            t.join()
        threads.append(t)
    for t in threads:
        t.join()
    units = round((time.perf_counter() - start) / 0.04)
    print(f"{label:<28} took {units} x 0.04 s")

measure("start + join one by one", job_locked_update, True)
measure("lock around the whole job", job_locked_whole, False)
measure("lock around the update only", job_locked_update, False)
print("total =", total)
