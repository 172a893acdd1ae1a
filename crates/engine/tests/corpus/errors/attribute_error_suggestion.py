# interleave: error
# A misspelt method or attribute: as CPython 3.11, the traceback suggests
# the closest name the object has (its class's, its own, a module's).
import threading

results = []


class Account:
    def __init__(self):
        self.balance = 0

    def deposit(self, n):
        self.balance += n


def worker(account):
    account.deposite(10)


t = threading.Thread(target=worker, args=(Account(),))
t.start()
t.join()
print("the worker died; the main thread goes on")
results.apend(1)
