# interleave: racy seeds=20
# Four threads increment a shared counter 50 times each under a lock: no
# update is lost, whatever the interleaving.
import threading

counter = 0
lock = threading.Lock()

def work():
    global counter
    for _ in range(50):
        with lock:
            tmp = counter
            counter = tmp + 1

threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert counter == 200, counter
print("counter:", counter)
