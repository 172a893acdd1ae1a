# interleave: deterministic
# A thread is "alive" from the moment start() launches it until its
# function returns. Before start() and after it ends, is_alive() is False.
# A thread object can only be started once.

import threading
import time

def nap():
    time.sleep(0.1)

t = threading.Thread(target=nap)
print("before start:", t.is_alive())
t.start()
print("while sleeping:", t.is_alive())
t.join()
print("after join:", t.is_alive())
try:
    t.start()
except RuntimeError as e:
    print("RuntimeError:", e)
