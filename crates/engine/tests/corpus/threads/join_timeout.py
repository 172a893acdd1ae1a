# interleave: deterministic
# join(timeout) waits at most `timeout` seconds. It returns None either
# way, so check is_alive() afterwards to learn whether the thread really
# finished or the wait simply timed out.

import threading
import time

def slow_job():
    time.sleep(0.2)
    print("slow job finished")

t = threading.Thread(target=slow_job)
t.start()
t.join(timeout=0.05)
print("after join(0.05), alive?", t.is_alive())
t.join()
print("after plain join, alive?", t.is_alive())
