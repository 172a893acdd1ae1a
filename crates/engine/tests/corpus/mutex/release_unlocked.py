# interleave: error
# Every release() must match an earlier acquire(). Releasing a Lock that
# nobody holds is a bug, and Python reports it with a RuntimeError.

import threading

lock = threading.Lock()
lock.acquire()
lock.release()
print("first release: fine")
lock.release()
print("never printed")
