# interleave: deterministic
# A queue with maxsize is bounded. put_nowait() on a full queue raises
# queue.Full and get_nowait() on an empty one raises queue.Empty. With a
# timeout, put() and get() wait that long first, then raise the same errors.

import queue

q = queue.Queue(maxsize=2)
q.put_nowait("a")
q.put_nowait("b")
try:
    q.put_nowait("c")
except queue.Full:
    print("put_nowait: queue.Full")

try:
    q.put("c", timeout=0.05)
except queue.Full:
    print("put(timeout=0.05): waited, then queue.Full")

print(q.get_nowait(), q.get_nowait())
try:
    q.get_nowait()
except queue.Empty:
    print("get_nowait: queue.Empty")
try:
    q.get(timeout=0.05)
except queue.Empty:
    print("get(timeout=0.05): queue.Empty")
try:
    q.get(block=False)
except queue.Empty:
    print("get(block=False) is the same as get_nowait()")
