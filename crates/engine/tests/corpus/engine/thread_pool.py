# interleave: deterministic
# concurrent.futures on virtual threads: submit, as_completed, map (a
# generator that blocks on each result), exceptions and wait().
import concurrent.futures
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

def task(n):
    # A short stagger keeps real CPython's prints apart on a busy machine
    # (its print writes the text and the newline separately, so two
    # threads printing at once can run into each other).
    time.sleep(0.01 * n)
    print(f"task {n} start")
    time.sleep(0.1 * (3 - n))
    print(f"task {n} done")
    return n * n

with ThreadPoolExecutor(max_workers=3) as ex:
    futures = [ex.submit(task, i) for i in range(3)]
    for f in as_completed(futures):
        print("result", f.result())

with ThreadPoolExecutor(max_workers=2) as ex:
    print(list(ex.map(lambda x: x * 2, range(5))))

def boom():
    raise ValueError("bad")
ex = ThreadPoolExecutor()
f = ex.submit(boom)
try:
    f.result()
except ValueError as e:
    print("caught", e, f.done())
print(concurrent.futures.wait([ex.submit(task, 2)]).done.pop().result())
import threading
print(sorted(t.name for t in threading.enumerate()))
