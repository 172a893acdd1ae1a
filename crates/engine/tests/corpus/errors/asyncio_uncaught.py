# interleave: error
# An exception that leaves the coroutine asyncio.run() runs ends the
# program with a traceback through the awaits, as in CPython.
import asyncio


async def divide(a, b):
    await asyncio.sleep(0.1)
    return a / b


async def main():
    print(await divide(1, 2))
    print(await divide(1, 0))


asyncio.run(main())
