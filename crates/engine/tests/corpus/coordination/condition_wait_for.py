# interleave: deterministic
# cond.wait_for(predicate) is the while-loop of condition_wait_notify.py
# built in: it waits until predicate() is true, re-checking after every
# notify. Here the baker adds loaves one by one; the customer only wakes
# for good once there are at least 3.

import threading
import time

cond = threading.Condition()
loaves = 0

def customer():
    with cond:
        cond.wait_for(lambda: loaves >= 3)
        print(f"customer: {loaves} loaves ready, buying them")

def baker():
    global loaves
    for _ in range(4):
        time.sleep(0.05)
        with cond:
            loaves += 1
            print("baker: loaves =", loaves)
            cond.notify()           # wakes the customer, who re-checks

c = threading.Thread(target=customer)
b = threading.Thread(target=baker)
c.start()
b.start()
c.join()
b.join()
print("shop closed with", loaves, "loaves made")
