# interleave: deterministic
# A Barrier(3) makes threads wait until 3 of them have arrived, then lets
# them all continue together. The optional `action` runs once, in the
# last thread to arrive, before anyone is released. wait() returns each
# thread's arrival number (0, 1, 2).

import threading
import time

def everyone_here():
    print("barrier: all 3 arrived, let's go!")

barrier = threading.Barrier(3, action=everyone_here)
arrivals = {}

def friend(name, delay):
    time.sleep(delay)
    print(f"{name} arrives")
    arrivals[name] = barrier.wait()

friends = [threading.Thread(target=friend, args=(n, d))
           for n, d in [("Ann", 0.1), ("Bob", 0.0), ("Cy", 0.05)]]
for f in friends:
    f.start()
for f in friends:
    f.join()
print("arrival numbers:", dict(sorted(arrivals.items())))
