# interleave: deterministic
# Another way to get a result out of a thread: a Thread subclass that stores
# what run() computed in an attribute, plus a method that joins first and
# then returns it.

import threading
import time

class ResultThread(threading.Thread):
    def __init__(self, func, *args):
        super().__init__()
        self.func = func
        self.args = args
        self.result = None

    def run(self):
        self.result = self.func(*self.args)

    def get_result(self):
        self.join()
        return self.result

def slow_add(a, b):
    time.sleep(0.05)
    return a + b

t = ResultThread(slow_add, 2, 3)
t.start()
print("result before join:", t.result)
print("result via get_result():", t.get_result())
