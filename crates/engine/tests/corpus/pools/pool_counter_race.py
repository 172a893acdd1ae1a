# interleave: racy seeds=100
# Pool tasks share the program's globals, like any threads. Two tasks each
# add 1 to `counter` twice, with the read and the write as separate steps
# and no lock. A switch between them loses an update: the total can be
# 2, 3 or 4.

from concurrent.futures import ThreadPoolExecutor

counter = 0

def add(times):
    global counter
    for _ in range(times):
        value = counter       # read
        counter = value + 1   # write

with ThreadPoolExecutor(max_workers=2) as pool:
    pool.submit(add, 2)
    pool.submit(add, 2)
print("counter =", counter, "(expected 4)")
assert 2 <= counter <= 4
