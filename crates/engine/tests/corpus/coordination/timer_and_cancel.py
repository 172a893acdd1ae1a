# interleave: deterministic
# threading.Timer(delay, function) runs the function once, in its own
# thread, after the delay. cancel() stops a timer that has not fired yet.
# A Timer is a Thread, so it also gets a default name like Thread-1.

import threading
import time

def ring(who):
    print(f"ring ring: {who}")

t1 = threading.Timer(0.05, ring, args=("wake up",))
t2 = threading.Timer(0.2, ring, args=("you should not hear this",))
print("timer names:", t1.name, "and", t2.name)
t1.start()
t2.start()
time.sleep(0.1)
t2.cancel()
print("second timer cancelled")
t1.join()
t2.join()
print("first alive?", t1.is_alive(), "| second alive?", t2.is_alive())
