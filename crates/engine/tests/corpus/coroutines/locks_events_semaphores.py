# interleave: deterministic
# asyncio's synchronization primitives: they coordinate coroutines of one
# thread (a coroutine that awaits inside a critical section lets the
# others run), and they are not thread-safe.
import asyncio


async def unsafe_increment(state, name):
    value = state["n"]
    await asyncio.sleep(0.01)
    state["n"] = value + 1


async def safe_increment(lock, state, name):
    async with lock:
        value = state["n"]
        await asyncio.sleep(0.01)
        state["n"] = value + 1
        print(name, "incremented to", state["n"], "locked:", lock.locked())


async def car(light, name):
    print(name, "waits at the red light")
    await light.wait()
    print(name, "drives on")


async def in_room(room, i, log):
    async with room:
        log.append(f"+{i}")
        await asyncio.sleep(0.5)
        log.append(f"-{i}")


async def consumer(cond, items, name):
    async with cond:
        await cond.wait_for(lambda: items)
        print(name, "takes", items.pop(0))


async def main():
    state = {"n": 0}
    await asyncio.gather(*(unsafe_increment(state, i) for i in range(3)))
    print("without a lock:", state["n"])

    state = {"n": 0}
    lock = asyncio.Lock()
    await asyncio.gather(*(safe_increment(lock, state, f"t{i}") for i in range(3)))
    print("with a lock:", state["n"], lock.locked())
    try:
        lock.release()
    except RuntimeError as e:
        print("RuntimeError:", e)

    light = asyncio.Event()
    cars = [asyncio.create_task(car(light, f"car{i}")) for i in range(2)]
    await asyncio.sleep(1)
    print("green", light.is_set())
    light.set()
    await asyncio.gather(*cars)
    light.clear()
    print("set again?", light.is_set())

    log = []
    room = asyncio.Semaphore(2)
    await asyncio.gather(*(in_room(room, i, log) for i in range(5)))
    print(" ".join(log))

    b = asyncio.BoundedSemaphore(1)
    await b.acquire()
    b.release()
    try:
        b.release()
    except ValueError as e:
        print("ValueError:", e)

    cond = asyncio.Condition()
    items = []
    waiting = [asyncio.create_task(consumer(cond, items, f"c{i}")) for i in range(2)]
    await asyncio.sleep(0.1)
    for x in ("apple", "pear"):
        async with cond:
            items.append(x)
            cond.notify()
        await asyncio.sleep(0.1)
    await asyncio.gather(*waiting)


asyncio.run(main())
