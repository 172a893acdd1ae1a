# interleave: deterministic
# Three downloads of different lengths, collected two ways. map() gives the
# results in the order of its input, so the fast ones wait behind the slow
# one. as_completed() gives the futures in the order they finish.

import time
from concurrent.futures import ThreadPoolExecutor, as_completed

SECONDS = {"slow.html": 0.3, "fast.html": 0.1, "medium.html": 0.2}

def download(name):
    time.sleep(SECONDS[name])
    return name

def now():
    return f"{time.perf_counter() - start:.1f} s"

names = ["slow.html", "fast.html", "medium.html"]
with ThreadPoolExecutor(max_workers=3) as pool:
    print("map():")
    start = time.perf_counter()
    for name in pool.map(download, names):
        print(f"  {now()}  {name}")

    print("as_completed():")
    start = time.perf_counter()
    futures = [pool.submit(download, name) for name in names]
    for future in as_completed(futures):
        print(f"  {now()}  {future.result()}")
