# interleave: deterministic
# Why a Condition is waited on in a `while` loop (or with wait_for).
# Two consumers wait for ONE item and notify_all() wakes both. A consumer
# that checked with `if` does not check again after waking: whoever comes
# second finds the list already emptied and fails with IndexError. With
# `while`, the second consumer re-checks, sees nothing, and waits again.

import threading
import time

cond = threading.Condition()
items = []
report = []

def careless():
    with cond:
        if not items:               # checked only once!
            cond.wait()
        try:
            report.append("got " + items.pop(0))
        except IndexError:
            report.append("woke up to an empty list: IndexError")

def careful():
    with cond:
        while not items:            # re-checked after every wake-up
            cond.wait()
        report.append("got " + items.pop(0))

def add(item):
    with cond:
        items.append(item)
        cond.notify_all()           # wakes EVERY waiting consumer

for consumer in [careless, careful]:
    report.clear()
    threads = [threading.Thread(target=consumer) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.05)                # both consumers are now waiting
    add("apple")
    time.sleep(0.05)
    waiting = sum(t.is_alive() for t in threads)
    print(f"{consumer.__name__}: after one item, {sorted(report)}, still waiting: {waiting}")
    if waiting:
        add("bread")
    for t in threads:
        t.join()
    print(f"{consumer.__name__}: at the end, {sorted(report)}")
