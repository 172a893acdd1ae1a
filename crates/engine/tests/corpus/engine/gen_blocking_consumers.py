# interleave: deterministic
# Generators that block (on a queue) consumed by list(), sum(), enumerate()
# and str.join: the consumer waits like any other blocked thread.
import queue
import threading
import time

q = queue.Queue()

def produce(n):
    for i in range(n):
        time.sleep(0.01)
        q.put(i)

def items(n):
    for _ in range(n):
        yield q.get()

def stage(n):
    t = threading.Thread(target=produce, args=(n,))
    t.start()
    return t

stage(2)
print(list(items(2)))
stage(4)
print(sum(items(2)), [p for p in enumerate(items(2))])
stage(4)
print("-".join(str(x) for x in items(4)))
stage(3)
print(sorted(items(3), reverse=True))
