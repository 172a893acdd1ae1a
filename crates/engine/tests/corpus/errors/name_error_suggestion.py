# interleave: error
# A misspelt name: as CPython 3.11, the traceback suggests the closest
# defined name (a local, then a global, then a builtin), also in the
# report of a thread that died of it.
import threading
results = []
class Worker(threading.Thread):
    limit = 3
    def run(self):
        for i in range(limt):
            results.append(i)
w = Worker()
w.start(); w.join()
print(reslts)
