# interleave: deterministic
# A child that has exited stays in the process table, a zombie, until its
# parent waits for it: waitpid(pid, WNOHANG) returns (0, 0) while the child
# runs, and (pid, status) once to reap it; after that the pid is gone
# (ChildProcessError). A child whose parent exits first is adopted by
# init, pid 1. (Each step waits for the last with sleep, so that CPython
# prints the same order.)
import os
import time

pid = os.fork()
if pid == 0:
    time.sleep(0.2)
    os._exit(3)
print("running:", os.waitpid(pid, os.WNOHANG) == (0, 0), flush=True)
time.sleep(0.5)
got, status = os.waitpid(pid, os.WNOHANG)
print("reaped the zombie:", got == pid, "exit code", os.waitstatus_to_exitcode(status))
try:
    os.waitpid(pid, 0)
except ChildProcessError as e:
    print("then it is gone:", e)

r, w = None, None
middle = os.fork()
if middle == 0:
    grandchild = os.fork()
    if grandchild == 0:
        time.sleep(0.3)
        print("grandchild: adopted by init:", os.getppid() == 1, flush=True)
        os._exit(0)
    os._exit(0)
os.waitpid(middle, 0)
time.sleep(0.6)
print("parent: done")
