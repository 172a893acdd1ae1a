"""A classic producer/consumer with threading and queue."""
import threading
import queue
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

q = queue.Queue(maxsize=10)
lock = threading.Lock()
counter = 0
results: list[int] = []


def producer(n, *, delay=0.01):
    for i in range(n):
        q.put(i)
        time.sleep(delay)
    q.put(None)


def consumer(name: str) -> None:
    global counter
    while True:
        item = q.get()
        if item is None:
            break
        with lock:
            counter += 1
            results.append(item * 2)
        q.task_done()
    print(f"{name} done, counter={counter}")


class Worker(threading.Thread):
    def __init__(self, ident, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ident_ = ident
        self.done = threading.Event()

    def run(self):
        try:
            self.work()
        except (ValueError, KeyError) as e:
            print("error:", e)
        except Exception:
            raise
        else:
            print("ok")
        finally:
            self.done.set()

    def work(self):
        pass


if __name__ == "__main__":
    t1 = threading.Thread(target=producer, args=(5,), kwargs={"delay": 0})
    t2 = threading.Thread(target=consumer, args=("c1",), daemon=True)
    t1.start(); t2.start()
    t1.join()
    t2.join()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(pow, 2, k) for k in range(8)]
        for fut in as_completed(futures):
            print(fut.result())
    assert counter == 5, "lost updates"
