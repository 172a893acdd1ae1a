# interleave: deterministic
# Producer-consumer: one thread makes items, another uses them, and a
# queue connects them safely. When the producer is finished it puts a
# special "sentinel" value (None) so the consumer knows to stop.

import queue
import threading
import time

q = queue.Queue(maxsize=3)
SENTINEL = None

def producer():
    for i in range(1, 5):
        time.sleep(0.05)                 # making an item takes a while
        print(f"producer: made bun {i}")
        q.put(f"bun {i}")
    q.put(SENTINEL)

def consumer():
    eaten = 0
    while True:
        item = q.get()
        if item is SENTINEL:
            break
        print(f"consumer: ate {item}")
        eaten += 1
    print(f"consumer: no more buns, ate {eaten}")

threads = [threading.Thread(target=consumer), threading.Thread(target=producer)]
for t in threads:
    t.start()
for t in threads:
    t.join()
