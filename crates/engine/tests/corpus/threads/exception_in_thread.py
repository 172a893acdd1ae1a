# interleave: deterministic
# An exception inside a thread does not stop the program: Python prints
# "Exception in thread ..." with a traceback on stderr, that thread dies,
# and the main thread carries on. (Only stdout is shown below.)

import threading

def risky(n):
    print(f"risky({n}) running")
    result = 10 // n
    print(f"risky({n}) got {result}")

bad = threading.Thread(target=risky, args=(0,))
bad.start()
bad.join()
print("main: the failing thread is alive?", bad.is_alive())
good = threading.Thread(target=risky, args=(5,))
good.start()
good.join()
print("main: still running fine")
