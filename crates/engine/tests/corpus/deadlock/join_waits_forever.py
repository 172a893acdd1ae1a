# interleave: deadlock
# A deadlock without any lock: the worker waits for an Event that main
# only sets AFTER join() returns, but join() only returns when the worker
# ends. Each side waits for the other, forever.

import threading

ready = threading.Event()

def worker():
    print("worker: waiting for main to say go")
    ready.wait()
    print("worker: go! (never printed)")

t = threading.Thread(target=worker)
t.start()
t.join()          # waits for worker...
ready.set()       # ...but this line is never reached
print("main: done (never printed)")
