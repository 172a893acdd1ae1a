# interleave: deterministic
# A tiny worker pool: a task queue feeds three worker threads, which put
# answers into a result queue. Workers finish in any order, so main sorts
# the answers before printing them.

import queue
import threading

tasks = queue.Queue()
answers = queue.Queue()

def worker():
    while True:
        n = tasks.get()
        if n is None:
            tasks.task_done()
            break
        answers.put((n, sum(range(n + 1))))
        tasks.task_done()

workers = [threading.Thread(target=worker, name=f"worker-{i}") for i in range(3)]
for w in workers:
    w.start()
for n in [10, 100, 5, 50, 1]:
    tasks.put(n)
for _ in workers:
    tasks.put(None)
tasks.join()
for w in workers:
    w.join()
results = []
while not answers.empty():
    results.append(answers.get())
for n, total in sorted(results):
    print(f"sum(0..{n}) = {total}")
