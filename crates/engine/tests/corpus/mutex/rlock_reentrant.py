# interleave: deterministic
# An RLock (re-entrant lock) can be acquired again by the thread that
# already holds it; it must be released as many times as it was acquired.
# That makes it safe for recursive functions. A plain Lock cannot do this:
# a second acquire by the same thread would wait forever.

import threading

rlock = threading.RLock()

def countdown(n, depth=0):
    with rlock:
        print("  " * depth + f"holding the RLock, n = {n}")
        if n > 0:
            countdown(n - 1, depth + 1)

t = threading.Thread(target=countdown, args=(3,))
t.start()
t.join()

plain = threading.Lock()
plain.acquire()
print("plain Lock, second acquire without waiting:", plain.acquire(blocking=False))
plain.release()
rlock.acquire()
print("RLock, second acquire without waiting:", rlock.acquire(blocking=False))
rlock.release()
rlock.release()
