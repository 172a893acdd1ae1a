# interleave: deterministic
# concurrent.futures.wait() blocks until some of the futures are done and
# returns two sets: (done, not_done). return_when says when to stop
# waiting: FIRST_COMPLETED, FIRST_EXCEPTION or ALL_COMPLETED (the default);
# timeout gives up after that many seconds.

import time
from concurrent.futures import ThreadPoolExecutor, wait, FIRST_COMPLETED

def download(seconds):
    time.sleep(seconds)
    return seconds

def results(futures):                # a set has no order: sort for printing
    return sorted(f.result() for f in futures)

with ThreadPoolExecutor(max_workers=3) as pool:
    futures = [pool.submit(download, s) for s in [0.3, 0.1, 0.2]]

    done, not_done = wait(futures, return_when=FIRST_COMPLETED)
    print("first completed:", results(done), "still running:", len(not_done))

    done, not_done = wait(futures, timeout=0.05)
    print("after 0.05 s more:", results(done), "still running:", len(not_done))

    done, not_done = wait(futures)   # ALL_COMPLETED
    print("all completed:", results(done), "still running:", len(not_done))
