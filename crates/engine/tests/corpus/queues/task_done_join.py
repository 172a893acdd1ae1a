# interleave: deterministic
# q.join() blocks until every item that was put() has been matched by a
# task_done() call. A daemon worker loops forever taking jobs; main only
# needs to wait for the queue to be finished, not for the worker thread.

import queue
import threading
import time

q = queue.Queue()

def worker():
    while True:
        job = q.get()
        time.sleep(0.05)
        print(f"finished {job}")
        q.task_done()

threading.Thread(target=worker, daemon=True).start()
for job in ["wash", "dry", "fold"]:
    q.put(job)
print("all jobs queued")
q.join()
print("all jobs done; items left in the queue:", q.qsize())
