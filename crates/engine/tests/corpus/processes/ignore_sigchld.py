# interleave: deterministic
# A parent that sets SIGCHLD to SIG_IGN tells the kernel it will never
# wait for its children: they are reaped as they exit and never become
# zombies. waitpid() then has nothing to reap (ChildProcessError). And
# os.kill(pid, signal.SIGKILL) ends a process at once: its exit status
# says which signal killed it.
import os
import signal
import time

pid = os.fork()
if pid == 0:
    time.sleep(10)
    os._exit(0)
os.kill(pid, signal.SIGKILL)
_, status = os.waitpid(pid, 0)
print("killed by a signal:", os.WIFSIGNALED(status), "which was", os.WTERMSIG(status) == signal.SIGKILL)

signal.signal(signal.SIGCHLD, signal.SIG_IGN)
pid = os.fork()
if pid == 0:
    os._exit(0)
time.sleep(0.2)
try:
    os.waitpid(pid, 0)
except ChildProcessError as e:
    print("no zombie to reap:", e)
