# interleave: deterministic
# Under CPython 3.11 a thread switch only happens at backward jumps and
# calls, so `counter += 1` in a plain loop is not split and these four
# threads reliably reach 400000. (Make the loop body call a function, or
# run under a random scheduler, and updates get lost.)
import threading

counter = 0

def increment():
    global counter
    for _ in range(100000):
        counter += 1

threads = [threading.Thread(target=increment) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("Final counter:", counter)
