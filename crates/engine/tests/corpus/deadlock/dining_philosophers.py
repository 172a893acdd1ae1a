# interleave: deadlock
# Three philosophers sit at a round table with one fork between each pair.
# Each picks up the left fork, thinks a little, then reaches for the right
# one. When all of them hold their left fork, every right fork is taken:
# a cycle of waiting, so nobody ever eats.

import threading
import time

forks = [threading.Lock() for _ in range(3)]

def philosopher(i):
    left, right = forks[i], forks[(i + 1) % 3]
    time.sleep(0.05 * i)
    with left:
        print(f"philosopher {i} picked up fork {i}")
        time.sleep(0.15)
        print(f"philosopher {i} reaches for fork {(i + 1) % 3}")
        with right:
            print(f"philosopher {i} eats (never happens)")

for i in range(3):
    threading.Thread(target=philosopher, args=(i,)).start()
