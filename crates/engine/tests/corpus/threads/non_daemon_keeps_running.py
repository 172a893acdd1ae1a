# interleave: deterministic
# A normal (non-daemon) thread keeps the program running even after the
# main thread's code has reached its end: Python waits for it before
# exiting. Compare with daemon_thread.py.

import threading
import time

def worker():
    time.sleep(0.1)
    print("worker: finished after main's last line")

threading.Thread(target=worker).start()
print("main: reached the end of the script")
