# interleave: racy seeds=100
# The classic lost update: each of 10 threads reads n, pauses, then writes
# back n - 1. While one thread pauses, the others read the same old value,
# so most decrements are lost. CPython usually ends with 9, not 0; other
# schedules give other values, but never below 0 or above 9.

import threading
import time

n = 10

def decrement():
    global n
    tmp = n
    time.sleep(0.01)      # a pause between read and write lets others run
    n = tmp - 1

threads = [threading.Thread(target=decrement) for _ in range(10)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("n =", n, "(would be 0 if no update were lost)")
assert 0 <= n <= 9
