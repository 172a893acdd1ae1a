# interleave: deterministic
# PriorityQueue items are often (priority, data) tuples: tuples compare
# element by element, so the lowest priority number comes out first and
# ties are broken by the next element. Add a running counter as the second
# element to keep equal priorities in arrival (FIFO) order.

import queue

q = queue.PriorityQueue()
q.put((2, "write report"))
q.put((1, "fix the bug"))
q.put((3, "lunch"))
q.put((1, "answer boss"))
while not q.empty():
    priority, task = q.get()
    print(priority, task)

print("-- with a counter for ties --")
q = queue.PriorityQueue()
counter = 0
for priority, task in [(2, "b-task"), (1, "z-task"), (2, "a-task"), (1, "y-task")]:
    q.put((priority, counter, task))
    counter += 1
while not q.empty():
    priority, order, task = q.get()
    print(priority, order, task)
