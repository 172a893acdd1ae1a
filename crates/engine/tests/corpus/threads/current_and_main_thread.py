# interleave: deterministic
# threading.current_thread() tells code which thread is running it;
# main_thread() is the original thread; active_count() and enumerate()
# list the threads that are alive right now (sort names for a stable view).

import threading
import time

stop = threading.Event()

def waiter():
    me = threading.current_thread()
    print(f"{me.name}: am I the main thread? {me is threading.main_thread()}")
    stop.wait()

workers = [threading.Thread(target=waiter, name=f"waiter-{i}") for i in range(3)]
for w in workers:
    w.start()
    time.sleep(0.05)   # let each waiter print its line before the next starts
print("active threads:", threading.active_count())
print("names:", sorted(t.name for t in threading.enumerate()))
print("main:", threading.main_thread().name, threading.current_thread() is threading.main_thread())
stop.set()
for w in workers:
    w.join()
print("active threads after join:", threading.active_count())
