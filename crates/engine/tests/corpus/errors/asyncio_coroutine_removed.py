# interleave: error
# Older tutorials write coroutines with @asyncio.coroutine and yield from.
# Python 3.11 removed that decorator: the program stops at it, here as in
# CPython, with the error that names the replacement's module.
import asyncio

print("defining hello")


@asyncio.coroutine
def hello():
    yield from asyncio.sleep(1)
    print("hello")
