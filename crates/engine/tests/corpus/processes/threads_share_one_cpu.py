# interleave: racy seeds=3
# The engine's own threads share one virtual CPU, as jobs share a real
# one. Two threads compute (CPU-bound): they are either running or ready,
# waiting for their turn on the CPU. One waits for "IO" most of the time
# (a sleep stands for a disk or the network): while it waits it is
# blocked and does not want the CPU at all, and it runs in short bursts.
# The timeline draws each thread's states: running, ready, sleeping.
import threading
import time

def compute(name, n):
    total = 0
    for i in range(n):
        total += i * i
    print(f"{name}: done at {(time.perf_counter() - start) * 1000:.1f} ms")

def io_bound(name):
    for _ in range(4):
        time.sleep(0.004)          # blocked, waiting for "IO"
        checksum = sum(range(100))  # a short CPU burst
    print(f"{name}: done at {(time.perf_counter() - start) * 1000:.1f} ms")

threads = [
    threading.Thread(target=compute, args=("short job", 20000), name="short"),
    threading.Thread(target=compute, args=("long job", 50000), name="long"),
    threading.Thread(target=io_bound, args=("io job",), name="io"),
]
start = time.perf_counter()
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"all done after {(time.perf_counter() - start) * 1000:.1f} ms")
