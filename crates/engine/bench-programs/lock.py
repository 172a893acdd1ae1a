# Uncontended lock acquire/release, with the `with` statement and explicitly.
import threading

lock = threading.Lock()
count = 0
for _ in range(500_000):
    with lock:
        count += 1
    lock.acquire()
    count += 1
    lock.release()
print(count)
