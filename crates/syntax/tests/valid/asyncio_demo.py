import asyncio
import functools


def logged(func):
    @functools.wraps(func)
    async def wrapper(*args, **kwargs):
        print(f"calling {func.__name__!r} with {args=} {kwargs = }")
        return await func(*args, **kwargs)
    return wrapper


@logged
async def fetch(i: int, delay: float = 0.1) -> int:
    await asyncio.sleep(delay)
    return i ** 2


async def ticker(n):
    for i in range(n):
        yield i
        await asyncio.sleep(0)


async def main():
    results = await asyncio.gather(*(fetch(i) for i in range(5)))
    print(results)
    async for tick in ticker(3):
        print("tick", tick)
    squares = [x async for x in ticker(4)]
    lock = asyncio.Lock()
    async with lock:
        print("locked", squares)
    queue: asyncio.Queue = asyncio.Queue()
    await queue.put(1)
    task = asyncio.create_task(fetch(7))
    done, pending = await asyncio.wait({task}, timeout=1.0)
    try:
        async with asyncio.timeout(1):
            await asyncio.sleep(0)
    except asyncio.TimeoutError:
        pass


asyncio.run(main())
