# interleave: deterministic
# atexit: functions the program registers run when it ends: after the
# main thread's code and every non-daemon thread, the last registered
# first, while daemon threads still run. One that raises is reported
# (on stderr) and the others still run.
import atexit, threading, time

def bye(name, punct="!"):
    print("goodbye", name + punct, threading.current_thread().name)

atexit.register(bye, "first")
atexit.register(bye, "second", punct="?")

@atexit.register
def last():
    print("registered last, runs first")

def broken():
    raise ValueError("cleanup failed")
atexit.register(broken)

def tmp():
    print("never")
atexit.register(tmp)
atexit.unregister(tmp)

def worker():
    time.sleep(0.2)
    print("worker done")

def daemon():
    while True:
        time.sleep(0.05)

threading.Thread(target=worker).start()
threading.Thread(target=daemon, daemon=True).start()
print("main code ends")
