# interleave: deterministic
# lock.acquire(blocking=False) never waits: it returns True if it got the
# lock and False if someone else holds it. Useful to "try" a lock and do
# something else instead of waiting.

import threading

lock = threading.Lock()

def try_it(label):
    if lock.acquire(blocking=False):
        print(f"{label}: got the lock")
        lock.release()
    else:
        print(f"{label}: lock is busy, doing something else")

lock.acquire()                       # main holds the lock
t = threading.Thread(target=try_it, args=("first try",))
t.start()
t.join()
lock.release()                       # now it is free
t = threading.Thread(target=try_it, args=("second try",))
t.start()
t.join()
