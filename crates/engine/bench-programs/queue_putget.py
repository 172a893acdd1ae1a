# Queue put + get in one thread (every call takes the queue's lock).
import queue

q = queue.Queue()
total = 0
for i in range(200_000):
    q.put(i)
    total += q.get()
print(total)
