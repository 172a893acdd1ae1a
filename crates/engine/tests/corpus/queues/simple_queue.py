# interleave: deterministic
# queue.SimpleQueue is an unbounded FIFO queue with fewer features: no
# maxsize, no task_done()/join(). It is enough for passing values between
# threads, like these results from two workers.

import queue
import threading

results = queue.SimpleQueue()

def work(n):
    results.put((n, n * n))

threads = [threading.Thread(target=work, args=(n,)) for n in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("items waiting:", results.qsize(), "empty?", results.empty())
squares = sorted(results.get() for _ in range(5))
print(squares)
try:
    results.get(timeout=0.05)
except queue.Empty:
    print("queue is empty now")
