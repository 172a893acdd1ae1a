# interleave: deadlock
# The classic deadlock: thread 1 holds lock A and waits for B, while
# thread 2 holds B and waits for A. Neither can ever continue, and the
# main thread waits forever in join(). The sleeps make sure both threads
# grab their first lock before either asks for its second.

import threading
import time

lock_a = threading.Lock()
lock_b = threading.Lock()

def worker1():
    with lock_a:
        print("worker1: has A, wants B")
        time.sleep(0.1)
        with lock_b:
            print("worker1: has both (never happens)")

def worker2():
    time.sleep(0.05)
    with lock_b:
        print("worker2: has B, wants A")
        time.sleep(0.1)
        with lock_a:
            print("worker2: has both (never happens)")

print("main: starting two workers")
t1 = threading.Thread(target=worker1)
t2 = threading.Thread(target=worker2)
t1.start()
t2.start()
t1.join()
t2.join()
print("main: finished (never happens)")
