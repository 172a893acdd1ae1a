# interleave: deterministic
# A plain Semaphore has no upper limit: every release() adds one, even
# if nothing was acquired. An extra release quietly lets MORE threads in
# than you intended. (BoundedSemaphore would raise ValueError instead.)

import threading

sem = threading.Semaphore(2)
sem.release()                      # a bug: released without acquiring
taken = 0
while sem.acquire(blocking=False):
    taken += 1
print("Semaphore(2) let", taken, "acquires through")

bounded = threading.BoundedSemaphore(2)
try:
    bounded.release()
except ValueError as e:
    print("BoundedSemaphore:", e)
taken = 0
while bounded.acquire(blocking=False):
    taken += 1
print("BoundedSemaphore(2) let", taken, "acquires through")
