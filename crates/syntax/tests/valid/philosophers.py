import threading
import time
import random

N = 5
forks = [threading.Semaphore(1) for _ in range(N)]
cond = threading.Condition()
meals = {i: 0 for i in range(N)}


def philosopher(i):
    left, right = forks[i], forks[(i + 1) % N]
    first, second = (left, right) if i % 2 == 0 else (right, left)
    while meals[i] < 3:
        with first, second:
            meals[i] += 1
            time.sleep(random.random() / 100)
        with cond:
            cond.notify_all()


workers = [threading.Thread(target=philosopher, args=(i,), name=f"P{i}") for i in range(N)]
for w in workers: w.start()
with cond:
    while not all(m >= 3 for m in meals.values()):
        cond.wait(timeout=0.1)
for w in workers: w.join()
print(sorted(meals.items(), key=lambda kv: (-kv[1], kv[0])))
