# interleave: deterministic
# multiprocessing.Process runs a function in a new process (a fork, on
# Linux). start() returns at once; join() waits for the child to end.
# A child's changes to globals stay in the child, and the return value of
# its target is lost: processes share nothing unless asked to. Each child
# here is joined before the next starts, so the output has one order.
import multiprocessing
import os

total = 0

def work(name, n, scale=1):
    global total
    total += n * scale
    me = multiprocessing.current_process()
    print(f"{name}: running in {me.name}, a child of the main process: {os.getppid() == parent}")
    print(f"{name}: total in the child = {total}")
    return total

class Squarer(multiprocessing.Process):
    def __init__(self, n):
        super().__init__()
        self.n = n

    def run(self):
        print(f"{self.name} squares {self.n}: {self.n * self.n}")

if __name__ == "__main__":
    parent = os.getpid()
    print("main process:", multiprocessing.current_process().name)
    p = multiprocessing.Process(target=work, args=("first", 5), kwargs={"scale": 2})
    print("before start:", p.is_alive(), p.exitcode, p.pid)
    p.start()
    p.join()
    print("after join:", p.is_alive(), "exit code", p.exitcode)
    q = multiprocessing.Process(target=work, name="second-worker", args=("second", 3))
    q.start()
    q.join()
    print(q.name, "exit code", q.exitcode)
    s = Squarer(12)
    s.start()
    s.join()
    print("pids differ:", len({p.pid, q.pid, s.pid, os.getpid()}) == 4)
    print("total in the parent =", total)
    print("children left:", multiprocessing.active_children())
