# interleave: deterministic
# lock.locked() reports whether anyone currently holds the lock.
# It is only a snapshot: in real programs another thread may take or
# release the lock right after you look, so use it for reporting only.

import threading

lock = threading.Lock()
print("new lock locked?", lock.locked())
lock.acquire()
print("after acquire:", lock.locked())
lock.release()
print("after release:", lock.locked())
with lock:
    print("inside with:", lock.locked())
print("after with:", lock.locked())
print("acquire returns", lock.acquire(), "and the lock is now", lock.locked())
lock.release()
