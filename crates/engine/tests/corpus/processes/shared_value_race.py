# interleave: racy seeds=20
# Three processes add 1 to a shared multiprocessing.Value 50 times each,
# without its lock. `counter.value += 1` is a read of the shared memory,
# then a write: when another process writes in between, one of the two
# updates is lost, exactly as with threads and a global. (CPython runs
# the processes on several cores at once; the playground interleaves them
# on one, which loses updates the same way.)
from multiprocessing import Process, Value

def add(counter, n):
    for _ in range(n):
        counter.value += 1

if __name__ == "__main__":
    counter = Value("i", 0)
    ps = [Process(target=add, args=(counter, 50)) for _ in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("counter:", counter.value, "(150 without lost updates)")
