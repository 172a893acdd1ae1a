# interleave: deterministic
# The queue module has three main queue types, which differ only in the
# order items come out: Queue is first-in-first-out, LifoQueue is
# last-in-first-out (a stack), PriorityQueue gives the smallest item first.

import queue

def drain(q):
    out = []
    while not q.empty():
        out.append(q.get())
    return out

for kind in [queue.Queue, queue.LifoQueue, queue.PriorityQueue]:
    q = kind()
    for item in [3, 1, 4, 1, 5]:
        q.put(item)
    print(f"{kind.__name__:<14}", drain(q))
