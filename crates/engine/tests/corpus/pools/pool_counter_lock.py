# interleave: deterministic
# The fix for pool_counter_race.py: each task reads and writes `counter`
# while holding a Lock, so no other task can touch it in between. The
# total is 4 under every schedule.

import threading
from concurrent.futures import ThreadPoolExecutor

counter = 0
lock = threading.Lock()

def add(times):
    global counter
    for _ in range(times):
        with lock:
            value = counter       # read
            counter = value + 1   # write

with ThreadPoolExecutor(max_workers=2) as pool:
    pool.submit(add, 2)
    pool.submit(add, 2)
print("counter =", counter, "(expected 4)")
assert counter == 4
