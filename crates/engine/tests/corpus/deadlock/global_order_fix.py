# interleave: deterministic
# Fixing opposite_order.py with a rule: every thread takes the locks in
# the SAME global order (A before B). A thread that cannot get A holds
# nothing, so there is no circle of threads waiting for each other.

import threading
import time

lock_a = threading.Lock()
lock_b = threading.Lock()

def worker(name, delay):
    time.sleep(delay)
    with lock_a:
        print(f"{name}: has A")
        time.sleep(0.1)
        with lock_b:
            print(f"{name}: has A and B, working")

t1 = threading.Thread(target=worker, args=("worker1", 0))
t2 = threading.Thread(target=worker, args=("worker2", 0.05))
t1.start()
t2.start()
t1.join()
t2.join()
print("main: both workers finished")
