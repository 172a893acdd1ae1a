# interleave: error
# A thread cannot wait for itself to finish: that would wait forever,
# so Python refuses with a RuntimeError instead of hanging.

import threading

print("about to join the current thread")
threading.current_thread().join()
print("never printed")
