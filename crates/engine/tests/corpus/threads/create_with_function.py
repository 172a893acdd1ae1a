# interleave: deterministic
# The simplest way to run code in a new thread: pass a function as
# `target`, call start() to launch it, and join() to wait for it to finish.
# Without join(), main would not know when the worker is done.

import threading
import time

def worker():
    print("worker: started")
    time.sleep(0.05)
    print("worker: finished")

t = threading.Thread(target=worker)
print("main: starting the worker")
t.start()
t.join()            # main waits here until worker() returns
print("main: worker is done, exiting")
