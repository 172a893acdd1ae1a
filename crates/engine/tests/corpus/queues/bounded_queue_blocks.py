# interleave: deterministic
# A bounded Queue(maxsize=2) slows a fast producer down to the speed of a
# slow consumer: once 2 items are waiting, put() blocks until the consumer
# takes one. The producer checks full() just before each put() to show
# which puts had to wait.

import queue
import threading
import time

q = queue.Queue(maxsize=2)
eaten = []

def producer():
    for i in range(5):
        had_to_wait = q.full()
        q.put(i)
        print(f"put {i}" + ("  (queue was full, had to wait)" if had_to_wait else ""))
    q.put(None)

def consumer():
    time.sleep(0.05)                  # the consumer starts late...
    while True:
        item = q.get()
        if item is None:
            break
        eaten.append(item)
        time.sleep(0.05)              # ...and is slow

c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
p.join()
c.join()
print("consumer ate", eaten)
