# interleave: deterministic
# Another way out of a deadlock: never wait forever for a second lock.
# worker1 uses acquire(timeout=...) for B; when that fails it RELEASES A,
# backs off for a while and tries again. Releasing A lets worker2 (which
# holds B and wants A) finish, so on the second try worker1 gets both.

import threading
import time

lock_a = threading.Lock()
lock_b = threading.Lock()

def worker1():
    time.sleep(0.05)
    while True:
        with lock_a:
            print("worker1: has A")
            if lock_b.acquire(timeout=0.1):
                print("worker1: has A and B, working")
                lock_b.release()
                return
            print("worker1: could not get B, releasing A and backing off")
        time.sleep(0.1)

def worker2():
    with lock_b:
        print("worker2: has B")
        time.sleep(0.1)
        with lock_a:                  # waits until worker1 backs off
            print("worker2: has B and A, working")

t1 = threading.Thread(target=worker1)
t2 = threading.Thread(target=worker2)
t2.start()
t1.start()
t1.join()
t2.join()
print("main: both finished, no deadlock")
