# interleave: deterministic
# threading.local gives every thread its own attributes.
import threading, time
data = threading.local()
def worker(n):
    data.value = n
    time.sleep(0.01 * (n + 1))
    print(threading.current_thread().name, data.value)
data.value = 'main'
ts = [threading.Thread(target=worker, args=(i,)) for i in range(3)]
for t in ts: t.start()
for t in ts: t.join()
print(data.value, hasattr(data, 'other'))
