# interleave: deterministic
# An RLock remembers which thread owns it: only the owner may release it.
# A plain Lock has no owner, so ANY thread may release it (a pattern that
# is legal but easy to get wrong).

import threading

rlock = threading.RLock()
lock = threading.Lock()

def release_both():
    try:
        rlock.release()
    except RuntimeError as e:
        print("RLock from another thread -> RuntimeError:", e)
    lock.release()
    print("Lock from another thread -> released fine")

rlock.acquire()
lock.acquire()
t = threading.Thread(target=release_both)
t.start()
t.join()
print("plain lock locked now?", lock.locked())
rlock.release()
print("main released its own RLock")
