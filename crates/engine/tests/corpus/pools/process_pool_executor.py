# interleave: deterministic
# ProcessPoolExecutor is the process version of ThreadPoolExecutor: the
# same submit(), map() and futures, with worker processes behind them.
# CPU-bound work runs in parallel there (no GIL between processes); the
# price is that arguments and results travel by copy, and the function by
# its name, so it must be defined at the top level.
from concurrent.futures import ProcessPoolExecutor, as_completed
import os

def cube(n):
    return n ** 3

def fails(n):
    raise ValueError(f"no {n}")

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as ex:
        print(list(ex.map(cube, range(6))))
        futures = [ex.submit(cube, n) for n in (7, 8)]
        print(sorted(f.result() for f in as_completed(futures)))
        bad = ex.submit(fails, 3)
        print("error:", repr(bad.exception()))
        where = ex.submit(os.getpid).result()
        print("ran in another process:", where != os.getpid())
    print("done")
