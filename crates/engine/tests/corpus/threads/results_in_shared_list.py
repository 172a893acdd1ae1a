# interleave: deterministic
# A thread's target cannot return a value to you. A common pattern is to
# give each thread its own slot in a shared list (or dict) and read the
# results after join().

import threading

def square_sum(numbers, results, index):
    results[index] = sum(n * n for n in numbers)

chunks = [range(0, 100), range(100, 200), range(200, 300)]
results = [None] * len(chunks)
threads = [threading.Thread(target=square_sum, args=(c, results, i))
           for i, c in enumerate(chunks)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("partial results:", results)
print("total:", sum(results), "check:", sum(n * n for n in range(300)))
