# interleave: deterministic
# notify() wakes ONE waiting thread; notify_all() wakes every waiter.
# Four runners wait for the start signal. One notify() lets one runner
# go; notify_all() then releases the rest. (Which runner wakes first is
# up to the scheduler, so we only count them and print names sorted.)

import threading
import time

cond = threading.Condition()
started = []
go = False

def runner(name):
    with cond:
        while not go:
            cond.wait()
        started.append(name)

runners = [threading.Thread(target=runner, args=(f"runner{i}",)) for i in range(4)]
for r in runners:
    r.start()
time.sleep(0.05)
with cond:
    go = True
    cond.notify()
time.sleep(0.05)
print("after notify():", len(started), "runner started")
with cond:
    cond.notify_all()
for r in runners:
    r.join()
print("after notify_all():", len(started), "runners started")
print(sorted(started))
