# interleave: racy seeds=20
# A bounded queue between two producers and two consumers, with one
# sentinel per consumer; every item is consumed exactly once.
import queue
import threading

q = queue.Queue(maxsize=3)
seen = []
seen_lock = threading.Lock()

def producer(base):
    for i in range(10):
        q.put(base + i)

def consumer():
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            return
        with seen_lock:
            seen.append(item)
        q.task_done()

producers = [threading.Thread(target=producer, args=(b,)) for b in (0, 100)]
consumers = [threading.Thread(target=consumer) for _ in range(2)]
for t in producers + consumers:
    t.start()
for t in producers:
    t.join()
for _ in consumers:
    q.put(None)
q.join()
for t in consumers:
    t.join()
assert sorted(seen) == list(range(10)) + list(range(100, 110)), seen
print("consumed", len(seen))
