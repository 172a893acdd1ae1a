# interleave: deterministic
# A Semaphore(3) is a counter of free places: acquire() takes one (waiting
# if none is left) and release() gives it back. Here 8 visitors share a
# room that holds at most 3 people; we track how many are inside at once.

import threading
import time

room = threading.Semaphore(3)
count_lock = threading.Lock()
inside = 0
most_inside = 0

def visitor(n):
    global inside, most_inside
    with room:                       # wait for a free place
        with count_lock:
            inside += 1
            most_inside = max(most_inside, inside)
        time.sleep(0.05)             # spend some time in the room
        with count_lock:
            inside -= 1

visitors = [threading.Thread(target=visitor, args=(i,)) for i in range(8)]
start = time.perf_counter()
for v in visitors:
    v.start()
for v in visitors:
    v.join()
rounds = round((time.perf_counter() - start) / 0.05)
print("visitors:", len(visitors))
print("most people inside at once:", most_inside)
print("took", rounds, "rounds of 0.05 s")
