# interleave: deterministic
# Threads finish in the order their work takes, not the order they were
# started. join() waits for one specific thread; joining them all in a
# loop means "wait until every one is finished".

import threading
import time

def runner(name, seconds):
    time.sleep(seconds)
    print(f"{name} finished after {seconds} s")

threads = []
for name, seconds in [("slow", 0.2), ("fast", 0.05), ("medium", 0.1)]:
    t = threading.Thread(target=runner, args=(name, seconds))
    threads.append(t)
    t.start()
    print("started", name)

for t in threads:
    t.join()
print("everyone has finished")
