# interleave: deterministic
# Waiting (sleeping, I/O) overlaps nicely in threads: three tasks that each
# wait 0.06 s take about 0.06 s together instead of 0.18 s one after another.
# Times are rounded to one decimal (0.06 -> 0.1, 0.18 -> 0.2) so that the
# output is the same on every run.

import threading
import time

def fetch(name):
    time.sleep(0.06)

start = time.perf_counter()
for name in ["a", "b", "c"]:
    fetch(name)
serial = time.perf_counter() - start
print(f"one after another: about {round(serial, 1)} s")

start = time.perf_counter()
threads = [threading.Thread(target=fetch, args=(n,)) for n in ["a", "b", "c"]]
for t in threads:
    t.start()
for t in threads:
    t.join()
parallel = time.perf_counter() - start
print(f"in three threads:  about {round(parallel, 1)} s")
