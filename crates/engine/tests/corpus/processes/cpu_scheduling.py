# interleave: deterministic
# Four ways an operating system can share one CPU between jobs, simulated
# on a list of jobs: first come first served, shortest job first, round
# robin, and a multilevel feedback queue. Each job arrives at some time
# and needs the CPU for some time (its burst); it never waits for IO.
# Times are in tenths of a second: the Gantt charts below have one
# character per 0.1 s, the letter of the job on the CPU.
# turnaround = finish - arrival; waiting = turnaround - burst.
from collections import deque

# (name, arrival, burst)
JOBS = [("A", 0, 8), ("B", 1, 4), ("C", 2, 9), ("D", 3, 5)]


def fcfs(jobs):
    """First come first served: each job runs to its end, in arrival order."""
    t, chart = 0, []
    for name, arrival, burst in sorted(jobs, key=lambda j: j[1]):
        t = max(t, arrival)
        chart.append((name, t, t + burst))
        t += burst
    return chart


def sjf(jobs):
    """Shortest job first (without preemption): of the jobs that have
    arrived, the one with the shortest burst runs next, to its end."""
    pending = sorted(jobs, key=lambda j: j[1])
    t, chart = 0, []
    while pending:
        ready = [j for j in pending if j[1] <= t]
        if not ready:
            t = pending[0][1]
            continue
        job = min(ready, key=lambda j: (j[2], j[1]))
        pending.remove(job)
        chart.append((job[0], t, t + job[2]))
        t += job[2]
    return chart


def feedback(jobs, slices):
    """Runs the jobs on len(slices) queues, queue 0 first. A job runs for
    at most its queue's slice; a job that used its whole slice and is not
    done drops to the next queue (the last keeps it). With one queue this
    is round robin."""
    arrivals = deque(sorted(jobs, key=lambda j: j[1]))
    queues = [deque() for _ in slices]
    left = {name: burst for name, _, burst in jobs}
    t, chart = 0, []

    def admit():
        while arrivals and arrivals[0][1] <= t:
            queues[0].append(arrivals.popleft()[0])

    admit()
    while arrivals or any(queues):
        level = next((i for i, q in enumerate(queues) if q), None)
        if level is None:
            t = arrivals[0][1]
            admit()
            continue
        name = queues[level].popleft()
        run = min(slices[level], left[name])
        chart.append((name, t, t + run))
        t += run
        left[name] -= run
        # Jobs that arrived during the slice queue up before this one.
        admit()
        if left[name]:
            queues[min(level + 1, len(slices) - 1)].append(name)
    return chart


def report(title, chart, jobs):
    bar = "".join(name * (end - start) for name, start, end in chart)
    finish = {name: end for name, _, end in chart}
    turnaround = {name: finish[name] - arrival for name, arrival, _ in jobs}
    waiting = {name: turnaround[name] - burst for name, _, burst in jobs}
    n = len(jobs)
    print(f"{title}")
    print(f"  {bar}")
    print("  " + "".join(f"{i / 10:<5.1f}" for i in range(0, len(bar) + 1, 5)).rstrip())
    print("  waiting:    " + ", ".join(f"{j[0]} {waiting[j[0]] / 10:.1f}" for j in jobs)
          + f"  (mean {sum(waiting.values()) / n / 10:.3f} s)")
    print("  turnaround: " + ", ".join(f"{j[0]} {turnaround[j[0]] / 10:.1f}" for j in jobs)
          + f"  (mean {sum(turnaround.values()) / n / 10:.3f} s)")
    print()


print("jobs (name, arrival s, burst s):", [(n, a / 10, b / 10) for n, a, b in JOBS])
print()
report("First come, first served", fcfs(JOBS), JOBS)
report("Shortest job first", sjf(JOBS), JOBS)
report("Round robin, slice 0.2 s", feedback(JOBS, [2]), JOBS)
report("Multilevel feedback queue, slices 0.4, 0.3, 0.2, 0.1 s", feedback(JOBS, [4, 3, 2, 1]), JOBS)
