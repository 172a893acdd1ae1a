# 10,000 threads alive at once, all waiting on one event, then released.
import threading

go = threading.Event()
done = []
lock = threading.Lock()

def worker(i):
    go.wait()
    with lock:
        done.append(i)

threads = [threading.Thread(target=worker, args=(i,)) for i in range(10_000)]
for t in threads:
    t.start()
go.set()
for t in threads:
    t.join()
print(len(done), threading.active_count())
