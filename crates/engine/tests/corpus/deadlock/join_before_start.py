# interleave: error
# join() waits for a thread that is running. Joining a thread that was
# never started is a mistake (it would wait forever), so Python raises
# a RuntimeError instead.

import threading

def work():
    print("working")

t = threading.Thread(target=work)
print("created the thread, forgot to start it")
t.join()
