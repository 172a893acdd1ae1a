# interleave: deterministic
# os.fork() copies the whole process: the child starts from the parent's
# values and goes on from the same line, with fork() returning 0 there and
# the child's pid in the parent. From then on each changes its own copy:
# the parent never sees the child's change. The parent reaps its child
# with os.waitpid(), which also gives the child's exit code. (The flush
# before the fork keeps CPython's output from being copied into the child
# too when it goes to a pipe: a buffer is memory like any other.)
import os

balance = 100
print("before the fork, balance =", balance, flush=True)
pid = os.fork()
if pid == 0:
    balance += 50
    print("child: fork() returned 0; my parent is the one that forked me:", os.getppid() != os.getpid())
    print("child: balance =", balance, flush=True)
    os._exit(7)
got, status = os.waitpid(pid, 0)
print("parent: reaped my child:", got == pid)
print("parent: it exited normally:", os.WIFEXITED(status), "with code", os.WEXITSTATUS(status))
print("parent: balance =", balance)
