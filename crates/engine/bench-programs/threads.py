# Thread start + join, one after another.
import threading

results = []

def work(i):
    results.append(i)

for i in range(10_000):
    t = threading.Thread(target=work, args=(i,))
    t.start()
    t.join()
print(len(results), sum(results))
