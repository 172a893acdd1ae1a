# interleave: deterministic
# Blocking code stalls the event loop: a time.sleep() in a coroutine
# stops every other coroutine, so three of them take the sum of their
# sleeps. asyncio.to_thread() and loop.run_in_executor() run the blocking
# call on a worker thread of a pool and await its result, so the loop
# goes on meanwhile.
import asyncio
import threading
import time


async def blocking_nap(name, seconds):
    time.sleep(seconds)
    print(name, "woke up")


def blocking(name, seconds):
    time.sleep(seconds)
    return f"{name} slept {seconds} s on {threading.current_thread().name}"


async def ticker(n):
    for i in range(n):
        await asyncio.sleep(0.4)
        print("tick", i)


async def main():
    start = time.perf_counter()
    await asyncio.gather(blocking_nap("a", 1), blocking_nap("b", 1), blocking_nap("c", 1))
    print(f"time.sleep in coroutines: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(
        asyncio.to_thread(blocking, "first", 1),
        loop.run_in_executor(None, blocking, "second", 2),
        ticker(3),
    )
    print(results)
    print(f"on threads: {time.perf_counter() - start:.1f} s")
    print(await asyncio.to_thread(sorted, [3, 1, 2], reverse=True))
    try:
        await asyncio.to_thread(int, "x")
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
print("threads left:", threading.active_count())
