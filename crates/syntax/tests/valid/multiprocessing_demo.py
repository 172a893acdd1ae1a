from multiprocessing import Process, Pool, Queue, Value, Lock as MLock
import multiprocessing as mp
import os, sys


def square(x):
    return x * x


def worker(q, v, lock):
    with lock:
        v.value += 1
    q.put(os.getpid())


if __name__ == '__main__':
    with Pool(processes=4) as pool:
        print(pool.map(square, range(10)))
        print(sum(pool.imap_unordered(square, [1, 2, 3])))
    q = Queue()
    v = Value('i', 0)
    lock = MLock()
    procs = [Process(target=worker, args=(q, v, lock)) for _ in range(3)]
    for p in procs: p.start()
    for p in procs:
        p.join()
    print(v.value, file=sys.stderr)
    ctx = mp.get_context("spawn")
