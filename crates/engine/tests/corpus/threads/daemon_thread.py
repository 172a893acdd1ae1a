# interleave: deterministic
# A daemon thread does not keep the program alive: when the main thread
# (and all other non-daemon threads) end, the program exits and daemon
# threads are simply stopped. The daemon's last line is never printed.

import threading
import time

def background():
    print("daemon: working in the background")
    time.sleep(0.2)
    print("daemon: you will never see this line")

t = threading.Thread(target=background, daemon=True)
print("main: is the worker a daemon?", t.daemon)
t.start()
time.sleep(0.05)
print("main: done, exiting without join")
