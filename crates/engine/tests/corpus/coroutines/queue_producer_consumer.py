# interleave: deterministic
# Producers and consumers decoupled by a bounded asyncio.Queue: put()
# waits while the queue is full, get() while it is empty; task_done()
# and join() tell when every item was handled, and the consumers, which
# loop forever, are then cancelled.
import asyncio


async def producer(q, name, n):
    for i in range(n):
        await asyncio.sleep(0.1 * (i % 3 + 1))
        item = f"{name}-{i}"
        await q.put(item)
        print(f"{name} put {item} (size {q.qsize()}, full {q.full()})")
    print(f"{name} done")


async def consumer(q, name, seen):
    try:
        while True:
            item = await q.get()
            await asyncio.sleep(0.25)
            seen.append(item)
            print(f"{name} got {item}")
            q.task_done()
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise


async def main():
    q = asyncio.Queue(maxsize=2)
    seen = []
    consumers = [asyncio.create_task(consumer(q, f"c{i}", seen)) for i in range(2)]
    await asyncio.gather(producer(q, "p1", 4), producer(q, "p2", 3))
    await q.join()
    print("all handled:", len(seen), q.empty())
    for c in consumers:
        c.cancel()
    results = await asyncio.gather(*consumers, return_exceptions=True)
    print([type(r).__name__ for r in results], [c.cancelled() for c in consumers])

    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("QueueEmpty")
    small = asyncio.Queue(1)
    small.put_nowait("x")
    try:
        small.put_nowait("y")
    except asyncio.QueueFull:
        print("QueueFull", small.maxsize, small.qsize())
    try:
        small.task_done()
        small.task_done()
    except ValueError as e:
        print("ValueError:", e)

    pq = asyncio.PriorityQueue()
    for item in [(3, "low"), (1, "high"), (2, "mid")]:
        await pq.put(item)
    print([(await pq.get())[1] for _ in range(3)])
    lq = asyncio.LifoQueue()
    for i in range(3):
        lq.put_nowait(i)
    print([lq.get_nowait() for _ in range(3)])


asyncio.run(main())
