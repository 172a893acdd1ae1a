# interleave: deadlock
# Two threads each join the other: neither can ever finish.
import threading
import time

threads = {}

def wait_for(other):
    time.sleep(0.01)
    threads[other].join()

threads["a"] = threading.Thread(target=wait_for, args=("b",), name="a")
threads["b"] = threading.Thread(target=wait_for, args=("a",), name="b")
print("starting both")
threads["a"].start()
threads["b"].start()
threads["a"].join()
print("never printed")
