# interleave: deterministic
# Asynchronous generators: an async def with yield. async for awaits each
# value (the generator may await between its yields), and async
# comprehensions collect them; asend(), athrow() and aclose() drive one by
# hand. A cancelled consumer's generator still runs its finally block.
import asyncio

async def ticker(n, delay):
    try:
        for i in range(n):
            await asyncio.sleep(delay)
            yield i
    finally:
        print("ticker cleanup")

async def echo():
    received = []
    try:
        while True:
            v = yield len(received)
            received.append(v)
    except ValueError as e:
        yield f"thrown {e}"
    finally:
        print("echo finally", received)

async def main():
    async for t in ticker(3, 0.1):
        print("tick", t)
    print([x async for x in ticker(2, 0)])
    print([x * 2 async for x in ticker(4, 0) if x % 2])
    g = ticker(5, 0.1)
    print(type(g).__name__, repr(g)[:32])
    print(await g.__anext__(), await g.__anext__())
    await g.aclose()
    try:
        await g.__anext__()
    except StopAsyncIteration:
        print("closed generator: StopAsyncIteration")
    e = echo()
    print(await e.asend(None), await e.asend("a"), await e.asend("b"))
    print(await e.athrow(ValueError("x")))
    await e.aclose()
    try:
        for _ in ticker(1, 0):
            pass
    except TypeError as err:
        print("TypeError:", err)
    try:
        await ticker(1, 0)
    except TypeError as err:
        print("TypeError:", err)
    t = asyncio.create_task(consume())
    await asyncio.sleep(0.25)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("consumer cancelled")

async def consume():
    async for t in ticker(10, 0.1):
        print("consumed", t)

asyncio.run(main())

async def agen():
    yield 1
    await asyncio.sleep(0)
    yield 2
async def more():
    print([(x, y) async for x in agen() for y in "ab"])
    print({x: [z async for z in agen()] async for x in agen()})
    print({x async for x in agen()})
    print([await asyncio.sleep(0, result=i) for i in range(3)])
asyncio.run(more())
async def m2():
    g = (x * 10 async for x in agen())
    print(type(g).__name__, [v async for v in g])
    h = (await asyncio.sleep(0, result=i) for i in range(2))
    print([v async for v in h])
asyncio.run(m2())
