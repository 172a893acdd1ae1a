# interleave: deterministic
# Every thread has a name. Unnamed threads are numbered Thread-1, Thread-2...
# and, when they have a target function, its name is added in brackets.
# The thread that runs your script is called MainThread.

import threading

def task():
    print("inside:", threading.current_thread().name)

class Worker(threading.Thread):
    def run(self):
        print("inside:", self.name)

threads = [
    threading.Thread(target=task),           # Thread-1 (task)
    Worker(),                                 # Thread-2 (no target)
    threading.Thread(target=task, name="downloader"),
    threading.Thread(target=task),           # Thread-3 (task)
]
for t in threads:
    print("created:", t.name)
for t in threads:
    t.start()
    t.join()
print("main is:", threading.current_thread().name)
threads[0].name = "renamed"
print("after rename:", threads[0].name)
