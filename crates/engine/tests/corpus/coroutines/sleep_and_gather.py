# interleave: deterministic
# asyncio's first lesson: awaiting coroutines one after the other takes
# the sum of their sleeps; tasks and gather() run them concurrently, on
# one thread, so the time is the longest sleep. The times are on the
# virtual clock here (and rounded, since CPython's real clock drifts).
import asyncio
import time


async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)
    return what.upper()


async def nap(name, seconds):
    print(f"{name} sleeps {seconds} s")
    await asyncio.sleep(seconds)
    print(f"{name} woke up")
    return seconds


async def main():
    start = time.perf_counter()
    await say_after(1, "hello")
    await say_after(2, "world")
    print(f"one after the other: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    t1 = asyncio.create_task(say_after(1, "hello"))
    t2 = asyncio.create_task(say_after(2, "world"))
    print(t1.get_name(), t2.get_name(), t1.done())
    print(await t1, await t2, t1.done(), t2.result())
    print(f"as tasks: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    results = await asyncio.gather(nap("a", 2), nap("b", 3), nap("c", 5))
    print(results, f"gather: {time.perf_counter() - start:.1f} s")

    # Coroutines switch only at an await: a plain loop runs to its end.
    order = []

    async def count(name, n):
        for i in range(n):
            order.append(f"{name}{i}")
            if name == "y":
                await asyncio.sleep(0)

    await asyncio.gather(count("x", 3), count("y", 3), count("z", 2))
    print(order)
    print(await asyncio.gather())
    loop = asyncio.get_running_loop()
    print(loop.is_running(), asyncio.current_task().get_name())


asyncio.run(main())
print("after run")
