# interleave: deterministic
# A pool of 2 worker threads gets 3 downloads. submit() puts a task in the
# pool's queue and returns a Future at once; result() waits until the task
# has returned and gives back its return value. A done callback runs when
# its task finishes. The `with` block ends with shutdown(wait=True).

import threading
import time
from concurrent.futures import ThreadPoolExecutor

def download(name, seconds):
    time.sleep(seconds)                        # waiting for the network
    return f"{name} by {threading.current_thread().name}"

def report(future):
    print("callback in", threading.current_thread().name, "->", future.result())

with ThreadPoolExecutor(max_workers=2) as pool:
    a = pool.submit(download, "a.html", 0.3)
    b = pool.submit(download, "b.html", 0.1)
    c = pool.submit(download, "c.html", 0.1)   # both workers busy: c waits
    print("submitted 3 tasks, a.done() =", a.done())
    a.add_done_callback(report)
    print("b:", b.result())                    # waits until b is done
    print("c:", c.result())
    print("a.done() =", a.done())
print("after the with block, a.done() =", a.done())
print("threads left:", threading.active_count())
