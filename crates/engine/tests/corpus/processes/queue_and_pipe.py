# interleave: deterministic
# Processes share no memory, so they talk through the kernel: a
# multiprocessing.Queue or a Pipe() carries copies of values (pickled, in
# CPython) from one process to another. What arrives is equal to what
# was sent, never the same object. JoinableQueue adds task_done() and
# join(), to wait until every item has been handled.
from multiprocessing import Process, Queue, Pipe, JoinableQueue

class Order:
    def __init__(self, item, qty):
        self.item, self.qty = item, qty

    def __repr__(self):
        return f"Order({self.item!r}, {self.qty})"

def producer(q):
    for x in [1, "two", (3, 4.5), {"five": [5, 5]}, Order("tea", 2), None]:
        q.put(x)

def echo(conn):
    while True:
        msg = conn.recv()
        if msg == "bye":
            conn.send("bye")
            break
        conn.send(msg.upper())

def worker(jobs, results):
    while True:
        n = jobs.get()
        if n is None:
            jobs.task_done()
            break
        results.put((n, n * n))
        jobs.task_done()

if __name__ == "__main__":
    q = Queue()
    p = Process(target=producer, args=(q,))
    p.start()
    while True:
        x = q.get()
        print("got", repr(x), "of type", type(x).__name__)
        if x is None:
            break
    p.join()

    here, there = Pipe()
    p = Process(target=echo, args=(there,))
    p.start()
    for word in ["ping", "pong"]:
        here.send(word)
        print(word, "->", here.recv())
    here.send("bye")
    print("echo said", here.recv())
    p.join()

    jobs, results = JoinableQueue(), Queue()
    w = Process(target=worker, args=(jobs, results))
    w.start()
    for n in range(4):
        jobs.put(n)
    jobs.put(None)
    jobs.join()
    print("all jobs done:", sorted(results.get() for _ in range(4)))
    w.join()

    order = Order("cake", 1)
    q.put(order)
    copy = q.get()
    print(copy, "equal fields:", vars(copy) == vars(order), "same object:", copy is order)
