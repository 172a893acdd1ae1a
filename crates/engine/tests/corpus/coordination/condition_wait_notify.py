# interleave: deterministic
# A Condition pairs a lock with a way to sleep until something changes.
# The consumer waits inside `with cond:`; wait() releases the lock while
# sleeping. The producer changes the data and calls notify() to wake it.
# Always re-check the data in a while loop after waking up.

import threading
import time

cond = threading.Condition()
items = []

def consumer():
    for _ in range(3):
        with cond:
            while not items:
                print("consumer: nothing yet, waiting")
                cond.wait()
            item = items.pop(0)
        print("consumer: got", item)

def producer():
    for item in ["apple", "bread", "cheese"]:
        time.sleep(0.05)
        with cond:
            items.append(item)
            print("producer: added", item)
            cond.notify()

c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start()
p.start()
c.join()
p.join()
