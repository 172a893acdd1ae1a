# interleave: racy seeds=100
# `counter += 1` is really three steps: read, add, write. If a thread
# switch happens between the read and the write, an increment is lost.
# Here the steps are written out so the gap is easy to see. The final
# count can be anywhere from 2 up to 2000, depending on the schedule.

import threading

counter = 0

def work(times):
    global counter
    for _ in range(times):
        value = counter       # read
        value = value + 1     # add
        counter = value       # write

t1 = threading.Thread(target=work, args=(1000,))
t2 = threading.Thread(target=work, args=(1000,))
t1.start(); t2.start()
t1.join(); t2.join()
print("counter =", counter, "(expected 2000)")
assert 2 <= counter <= 2000
