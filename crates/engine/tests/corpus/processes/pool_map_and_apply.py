# interleave: deterministic
# multiprocessing.Pool starts a fixed number of worker processes and
# hands them tasks: map() returns the results in the order of the input,
# apply_async() returns an AsyncResult at once, and its callback runs in
# the parent when the result arrives. The functions travel to the workers
# by name, so they must be defined at the top level of the module.
from multiprocessing import Pool
import os

def square(x):
    return x * x

def add(a, b):
    return a + b

def where(_):
    return os.getpid()

if __name__ == "__main__":
    with Pool(3) as pool:
        print(pool.map(square, range(8)))
        print(pool.starmap(add, [(1, 2), (3, 4)]))
        r = pool.apply_async(square, (9,))
        print("ready?", r.get(), r.ready(), r.successful())
        print(pool.apply(add, (40, 2)))
        pids = set(pool.map(where, range(12)))
        print("worked in other processes:", os.getpid() not in pids, len(pids) <= 3)
    collected = []
    pool = Pool(2)
    results = [pool.apply_async(square, (n,), callback=collected.append) for n in [3, 1, 2]]
    pool.close()
    pool.join()
    print([r.get() for r in results], sorted(collected))
