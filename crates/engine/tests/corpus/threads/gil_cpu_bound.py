# interleave: deterministic
# CPU-bound work does NOT get faster with threads in CPython: the Global
# Interpreter Lock (GIL) lets only one thread run Python code at a time.
# Two threads counting take about as long as counting twice in a row.
# (Timings vary from machine to machine, so we only print the results.)

import threading
import time

def count(n, results, slot):
    total = 0
    for i in range(n):
        total += i
    results[slot] = total

N = 100_000
results = [0, 0]
start = time.perf_counter()
count(N, results, 0)
count(N, results, 1)
serial = time.perf_counter() - start
print("serial results:", results)

results = [0, 0]
start = time.perf_counter()
threads = [threading.Thread(target=count, args=(N, results, i)) for i in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
threaded = time.perf_counter() - start
print("threaded results:", results)
print("done: compare the two timings on your machine -- the threads are no faster")
