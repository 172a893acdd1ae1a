# interleave: deterministic
# qsize(), empty() and full() describe a queue right now. In a threaded
# program the answer can change the moment after you ask, so use them for
# reports, not for deciding whether a get() or put() will block.

import queue

q = queue.Queue(maxsize=3)
for word in ["one", "two", "three"]:
    print(f"size={q.qsize()} empty={q.empty()} full={q.full()}")
    q.put(word)
print(f"size={q.qsize()} empty={q.empty()} full={q.full()}")
unbounded = queue.Queue()
for i in range(1000):
    unbounded.put(i)
print("unbounded queue with", unbounded.qsize(), "items is full?", unbounded.full())
