# interleave: deterministic
# The same pool, used two ways. Calling result() right after each submit()
# waits for every task before the next one is handed over: the tasks run
# one after another, all on one worker. Submitting everything first and
# collecting the results afterwards lets the tasks overlap.

import threading
import time
from concurrent.futures import ThreadPoolExecutor

def download(n):
    time.sleep(0.1)
    return threading.current_thread().name

with ThreadPoolExecutor(max_workers=4) as pool:
    start = time.perf_counter()
    workers = []
    for n in range(4):
        workers.append(pool.submit(download, n).result())   # waits each time
    took = round((time.perf_counter() - start) / 0.1)
    print(f"submit, wait, submit, wait: {took} x 0.1 s, workers used: {len(set(workers))}")

    start = time.perf_counter()
    futures = [pool.submit(download, n) for n in range(4)]  # hand over all 4
    workers = [f.result() for f in futures]                 # then collect
    took = round((time.perf_counter() - start) / 0.1)
    print(f"submit all, then collect:   {took} x 0.1 s, workers used: {len(set(workers))}")
    print("worker names:", sorted(set(workers)))
