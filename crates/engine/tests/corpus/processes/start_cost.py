# interleave: racy seeds=2
# How long does it take to start (and join) a thread, and a process?
# The times are measured, so they differ from run to run and machine to
# machine (on the engine's virtual clock they are the kernel's modelled
# costs: 50 us for a thread, 1 ms for a fork). What does not change: a
# process costs many times what a thread does, since the kernel copies
# the whole process (its memory map, its descriptors) where a thread
# only needs a stack.
import multiprocessing
import threading
import time

N = 20

def work():
    pass

def timed(make):
    start = time.perf_counter()
    for _ in range(N):
        worker = make(target=work)
        worker.start()
        worker.join()
    return (time.perf_counter() - start) / N

if __name__ == "__main__":
    thread = timed(threading.Thread)
    process = timed(multiprocessing.Process)
    print(f"a thread:  {thread * 1e6:6.0f} us to start and join")
    print(f"a process: {process * 1e6:6.0f} us to start and join")
    print(f"a process costs about {process / thread:.0f} times what a thread does")
