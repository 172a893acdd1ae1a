# interleave: deterministic
# `with lock:` acquires the lock and ALWAYS releases it when the block ends,
# even if an exception is raised inside. It is the recommended way to use
# a lock: you can never forget the release().

import threading

counter = 0
lock = threading.Lock()

def work(times):
    global counter
    for _ in range(times):
        with lock:
            counter += 1

def failing():
    try:
        with lock:
            raise ValueError("oops inside the lock")
    except ValueError as e:
        print("caught:", e, "| lock still held?", lock.locked())

threads = [threading.Thread(target=work, args=(1000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("counter =", counter)
failing()
