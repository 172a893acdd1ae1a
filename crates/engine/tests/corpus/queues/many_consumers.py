# interleave: racy seeds=100
# Several consumers share one queue. Which consumer gets which item depends
# on the schedule, but the queue guarantees that every item is taken
# exactly once. Each consumer stops at its own sentinel.

import queue
import threading

q = queue.Queue()
taken = {}          # consumer name -> list of items

def consumer(name):
    mine = taken[name] = []
    while True:
        item = q.get()
        if item is None:
            return
        mine.append(item)

names = ["c1", "c2", "c3"]
threads = [threading.Thread(target=consumer, args=(n,)) for n in names]
for t in threads:
    t.start()
for i in range(30):
    q.put(i)
for _ in names:
    q.put(None)            # one sentinel per consumer
for t in threads:
    t.join()
for n in names:
    print(n, "took", len(taken[n]), "items")
everything = sorted(x for items in taken.values() for x in items)
print("all 30 items taken exactly once:", everything == list(range(30)))
assert everything == list(range(30))
