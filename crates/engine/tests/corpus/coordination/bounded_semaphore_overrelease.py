# interleave: error
# A BoundedSemaphore remembers its starting value and refuses to go above
# it. Releasing more often than you acquired is usually a bug, and the
# bounded version turns that bug into a ValueError.

import threading

pool = threading.BoundedSemaphore(2)
pool.acquire()
print("acquired one of 2 slots")
pool.release()
print("released it again")
pool.release()
print("never printed")
